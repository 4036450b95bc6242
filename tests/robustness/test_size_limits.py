"""Large files are refused with a clear message, or read and parsed in bounded memory.

Peak memory is measured with tracemalloc (Python allocations) for text, and as the
peak resident size of a child process (VmHWM) for the 100,000-row workbook, where
tracemalloc would slow openpyxl tenfold. Bounds are generous: they catch a reader
that holds a whole file several times over, not a few megabytes of drift.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest

from align.exceptions import DocumentParseError
from align.parsing import parse_text
from align.readers import read_document_text
from align.registry import DocumentMeta
from align.settings import BUNDLED_DATA

MB = 2**20
META = DocumentMeta(id="big", title="big", jurisdiction="灞桥区", level="district", year=2023, kind="plan", file="f")
TABLE_ROWS = [
    line
    for line in (BUNDLED_DATA / "documents" / "baqiao-2023-task-progress.txt").read_text(encoding="utf-8").split("\n")
    if "\t" in line
]


def big_table_text(size: int) -> str:
    """The baqiao task table repeated in sections (第N部分：) until it is ``size`` bytes of UTF-8."""
    block = "\n".join(TABLE_ROWS) + "\n"
    copies = max(1, size // len(block.encode("utf-8")) + 1)
    return "".join(f"第{k}部分：\n{block}" for k in range(1, copies + 1))


def measured(action):
    """Run ``action``; return (result or DocumentParseError, peak traced MB)."""
    tracemalloc.start()
    try:
        try:
            result = action()
        except DocumentParseError as exc:
            result = exc
        return result, tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def test_50mb_text_is_refused_by_default(tmp_path, robustness_report):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        line = ("1\t新建口袋公园10个\t区城管局\t已完成\n" * 1000).encode("utf-8")
        while handle.tell() < 50 * MB:
            handle.write(line)
    result, peak = measured(lambda: read_document_text(path))
    assert isinstance(result, DocumentParseError)
    assert "huge.txt" in str(result) and "over the 20 MB limit" in str(result) and "PLAN_ALIGN_MAX_FILE_MB" in str(result)
    assert peak < 5, "refused before reading"
    robustness_report.figure("size limits: 50 MB text, default 20 MB limit", f"refused before reading, peak {peak:.1f} MB")


@pytest.mark.parametrize("size_mb", [2, pytest.param(50, marks=pytest.mark.slow)])
def test_large_text_within_a_raised_limit(tmp_path, robustness_report, size_mb):
    path = tmp_path / "big.txt"
    path.write_text(big_table_text(size_mb * MB), encoding="utf-8")
    size = path.stat().st_size / MB

    def read_and_parse():
        return parse_text(read_document_text(path, max_bytes=(size_mb + 10) * MB), META, path=path)

    result, peak = measured(read_and_parse)
    if isinstance(result, DocumentParseError):
        assert "big.txt" in str(result)
        outcome = f"refused ({str(result)[-80:]})"
    else:
        assert result.items.height >= len(TABLE_ROWS) - 5
        outcome = f"parsed {result.items.height:,} items"
    assert peak < 60 * size + 50, f"peak {peak:.0f} MB for a {size:.0f} MB file"
    robustness_report.figure(f"size limits: {size:.0f} MB text, raised limit", f"{outcome}, peak {peak:.0f} MB traced")


@pytest.fixture(scope="module")
def workbook_100k(tmp_path_factory) -> Path:
    """100,000 task rows in 20 sections of 5,000 (the parser numbers a section up to 9999)."""
    import openpyxl

    path = tmp_path_factory.mktemp("xlsx") / "rows-100k.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("任务")
    sheet.append(["序号", "主要任务", "责任单位", "进展情况"])
    for section in range(1, 21):
        sheet.append([f"第{section}批："])
        for number in range(1, 5001):
            sheet.append([number, f"新建口袋公园{number}个，改造老旧小区{section}个", "区城管局 区住建局",
                          "已完成。" if number % 3 else "正在推进"])
    book.save(path)
    return path


CHILD = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path

    def rss_mb(field):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return 0.0

    from align.exceptions import DocumentParseError
    from align.parsing import parse_text
    from align.readers import read_document_text
    from align.registry import DocumentMeta
    import align.formats, openpyxl  # imported before the baseline is taken

    meta = DocumentMeta(id="big", title="big", jurisdiction="x", level="district", year=2023, kind="plan", file="f")
    base = rss_mb("VmRSS")
    out = {}
    try:
        text = read_document_text(sys.argv[1])
        out["read_peak"] = rss_mb("VmHWM") - base
        out["lines"] = text.count("\\n")
        if sys.argv[2] == "parse":
            out["items"] = parse_text(text, meta, path=sys.argv[1]).items.height
    except DocumentParseError as exc:
        out["error"] = str(exc)
    out["peak"] = rss_mb("VmHWM") - base
    print(json.dumps(out))
    """
)


def run_child(path: Path, mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True, timeout=900,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_100k_row_xlsx_is_read_in_bounded_memory(workbook_100k, robustness_report):
    result = run_child(workbook_100k, "read")
    assert "error" not in result, result
    assert result["lines"] == 100_021
    size = workbook_100k.stat().st_size / MB
    assert result["peak"] < 400, f"peak {result['peak']:.0f} MB reading a {size:.1f} MB workbook"
    robustness_report.figure(
        "size limits: 100,000-row xlsx read",
        f"{size:.1f} MB file, {result['lines']:,} text lines, peak RSS +{result['peak']:.0f} MB",
    )


@pytest.mark.slow
def test_100k_row_xlsx_is_parsed_in_bounded_memory(workbook_100k, robustness_report):
    result = run_child(workbook_100k, "parse")
    assert result.get("items") == 100_000, result
    assert result["peak"] < 2000, f"peak {result['peak']:.0f} MB"
    robustness_report.figure(
        "size limits: 100,000-row xlsx parsed", f"{result['items']:,} items, peak RSS +{result['peak']:.0f} MB"
    )


def test_workbook_over_the_row_limit_is_refused(tmp_path, monkeypatch, robustness_report):
    import openpyxl

    import align.formats

    monkeypatch.setattr(align.formats, "MAX_TABLE_ROWS", 1000)
    path = tmp_path / "rows.xlsx"
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("任务")
    sheet.append(["序号", "主要任务", "责任单位"])
    for number in range(1, 1500):
        sheet.append([number % 9000 + 1, "新建口袋公园", "区城管局"])
    book.save(path)
    result, peak = measured(lambda: read_document_text(path))
    assert isinstance(result, DocumentParseError)
    assert "rows.xlsx (sheet '任务'): the table has more than 1,000 rows" in str(result)
    robustness_report.figure("size limits: workbook over the row limit", f"refused, peak {peak:.1f} MB traced")


def test_zip_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    import zipfile

    import align.formats

    monkeypatch.setattr(align.formats, "MAX_UNPACKED_BYTES", MB)
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/worksheets/sheet1.xml", b" " * (4 * MB))
    with pytest.raises(DocumentParseError, match=r"bomb\.xlsx: the file unpacks to 4 MB"):
        read_document_text(path)
