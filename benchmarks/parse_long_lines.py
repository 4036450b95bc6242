"""Parsing one long line against the same text in lines of a usual length, printed as a table with ratios to
that baseline, run in the same process.

Two texts of ``--chars`` characters (40,000 by default; a line may hold 200,000): a paragraph of
``一是新建充电桩200个；…`` under a district's heading, and a city item's list of district quotas
``灞桥区200个、莲湖区150个、…``, and a list of zones ``覆盖高新区、经开区、…`` with no quota. Each is parsed as one line and then cut at its clause marks into lines of
at most 200 characters; a ratio near 1 means the long line costs what its text costs. A second row at
twice the length shows the time growing with the line (it grew with the square: 18 s for the paragraph).

    python benchmarks/parse_long_lines.py              # 40,000 characters
    python benchmarks/parse_long_lines.py --chars 199000 --repeat 1
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from align.parsing import parse_text  # noqa: E402
from align.registry import DocumentMeta  # noqa: E402

DISTRICT = DocumentMeta(id="yanta-2024", title="雁塔区2024年重点工作要点", jurisdiction="雁塔区", level="district",
                        year=2024, kind="work_points", file="long.txt")
CITY = DocumentMeta(id="xian-2024", title="西安市2024年为民实事实施方案", jurisdiction="西安市", level="city",
                    year=2024, kind="livelihood", file="long.txt")
PLACES = ["新城区", "碑林区", "莲湖区", "灞桥区", "未央区", "雁塔区", "阎良区", "临潼区", "长安区", "高陵区", "鄠邑区",
          "蓝田县", "周至县"]


def paragraph(chars: int) -> str:
    """一是…二是…: one clause after another, each with a target."""
    return ("一是新建充电桩200个；" * (chars // 12 + 1))[:chars]


def quota_list(chars: int) -> str:
    """灞桥区200个、莲湖区150个、…: a district quota after another, places and numbers varied."""
    parts, length, n = [], 0, 0
    while length < chars:
        parts.append(f"{PLACES[n % len(PLACES)]}{100 + n % 900}个")
        length += len(parts[-1]) + 1
        n += 1
    return "、".join(parts)[:chars]


ZONES = ["高新区", "经开区", "曲江新区", "浐灞生态区", "西咸新区", "航天基地", "国际港务区"]


def zone_list(chars: int) -> str:
    """覆盖高新区、经开区、…: places ending in 新区 and 区 with no quota after them (each name read two ways,
    a list of twenty took seconds and one of forty hours, before each name was read once)."""
    return ("覆盖" + "、".join(ZONES[n % len(ZONES)] for n in range(chars // 4)) + "。")[:chars]


def in_lines(text: str, width: int = 200) -> str:
    """The text cut after its clause marks into lines of at most ``width`` characters."""
    lines, line = [], ""
    for clause in re.findall(r"[^；、]*[；、]?", text):
        if line and len(line) + len(clause) > width:
            lines.append(line)
            line = ""
        line += clause
    return "\n".join([*lines, line])


def document(kind: str, body: str) -> tuple[str, DocumentMeta]:
    if kind == "paragraph":
        return f"雁塔区2024年重点工作要点\n一、重点任务\n{body}\n", DISTRICT
    return f"西安市2024年为民实事实施方案\n一、重点任务\n1.新建公共充电桩。{body}\n", CITY


def best_of(repeat: int, run: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=40_000, help="characters of the long line")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each case (the best is shown)")
    args = parser.parse_args()
    rows = []
    for kind, make in (("paragraph", paragraph), ("quota list", quota_list), ("zone list", zone_list)):
        baseline = None
        for label, chars, lines in (("in lines of ≤ 200 (baseline)", args.chars, True),
                                    ("one line", args.chars, False), ("one line", 2 * args.chars, False)):
            body = in_lines(make(chars)) if lines else make(chars)
            text, meta = document(kind, body)
            seconds, parsed = best_of(args.repeat, lambda text=text, meta=meta: parse_text(text, meta))
            items = parsed.items  # type: ignore[attr-defined]
            baseline = baseline or seconds
            rows.append({"case": f"{kind}, {label}", "chars": chars, "lines": body.count("\n") + 1,
                         "targets": sum(len(t) for t in items["targets"].to_list()),
                         "quotas": sum(len(q) for q in items["quotas"].to_list()),
                         "seconds": seconds, "ratio": seconds / baseline})
    pl.Config.set_tbl_width_chars(140)
    pl.Config.set_fmt_str_lengths(60)
    pl.Config.set_tbl_rows(20)
    print(f"parse_text, best of {args.repeat}; ratio to the same kind's text in lines of ≤ 200 characters")
    print(pl.DataFrame(rows).with_columns(pl.col("seconds").round(3), pl.col("ratio").round(2)))


if __name__ == "__main__":
    main()
