"""Time each page of the review app with AppTest: the first visit against a warm page change.

Runs on a temporary copy of the bundled data and a fresh decision store, so the first visit
includes parsing and matching; a warm visit should stay under 300 ms. Prints a table with
the ratio first / warm (the baseline is the first visit, measured in the same process).

    python benchmarks/app_pages.py [--repeat 5] [--read-home 2] [--decisions 40000]

``--read-home`` is how long the planner looks at the home page before opening the first page;
the app imports the matcher in the background meanwhile (0 measures the worst case).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = [
    "views/documents.py", "views/review.py", "views/threshold.py", "views/coverage.py",
    "views/evolution.py", "views/export.py", "views/add_document.py",
]


def fill_store(path: Path, count: int) -> None:
    """``count`` decisions on baqiao-2023 → xian-2024's candidates, by as many reviewers as that takes."""
    from align.settings import Settings
    from align.store import DecisionStore
    from matching.engine import match_documents

    pairs = match_documents(Settings(), "baqiao-2023", "xian-2024").select("source_id", "target_id").rows()
    rows = [{"reviewer": f"审核员{n // len(pairs) + 1}", "source_id": pairs[n % len(pairs)][0],
             "target_id": pairs[n % len(pairs)][1], "decision": ("confirmed", "rejected", "unsure")[n % 3]}
            for n in range(count)]
    with DecisionStore(path) as store:
        store.bulk_record(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm visits per page (median is shown)")
    parser.add_argument("--read-home", type=float, default=2.0, dest="read_home",
                        help="seconds on the home page before the first page is opened")
    parser.add_argument("--decisions", type=int, default=0,
                        help="decisions in the store first (a busy office: many reviewers on the bundled pair)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns(".cache", "decisions.sqlite*", "exports"))
        os.environ["PLAN_ALIGN_DATA"] = str(data)
        os.environ["PLAN_ALIGN_DB"] = str(Path(tmp) / "decisions.sqlite")
        if args.decisions:
            fill_store(Path(tmp) / "decisions.sqlite", args.decisions)
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
        start = time.perf_counter()
        at.run()
        home = time.perf_counter() - start
        time.sleep(args.read_home)
        first: dict[str, float] = {}
        for page in PAGES:
            start = time.perf_counter()
            at.switch_page(page).run()
            first[page] = time.perf_counter() - start
            assert not at.exception, (page, [e.value for e in at.exception])
        warm: dict[str, list[float]] = {page: [] for page in PAGES}
        for _ in range(args.repeat):
            for page in PAGES:
                start = time.perf_counter()
                at.switch_page(page).run()
                warm[page].append(time.perf_counter() - start)
    print(f"app.py first run (imports, registry): {home * 1000:.0f} ms; then {args.read_home:g} s on the home page"
          + (f"; {args.decisions:,} decisions in the store" if args.decisions else ""))
    print(f"{'page':<36} {'first ms':>9} {'warm ms':>8} {'first/warm':>10}")
    for page in PAGES:
        median = statistics.median(warm[page])
        print(f"{Path(page).stem:<36} {first[page] * 1000:>9.0f} {median * 1000:>8.0f} {first[page] / median:>9.1f}x")
    worst = max(statistics.median(v) for v in warm.values())
    print(f"slowest warm page change: {worst * 1000:.0f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
