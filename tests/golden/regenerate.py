"""Rewrite the golden item tables from the current parser.

Run only on purpose, then read the diff (``git diff tests/golden``) line by line before
committing: every changed line is a change a planner would see.

    python tests/golden/regenerate.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from align.items import SCHEMA_FIELDS  # noqa: E402
from align.parsing import parse_file  # noqa: E402
from align.registry import document_path, load_registry  # noqa: E402
from align.settings import BUNDLED_DATA  # noqa: E402

# every column but the raw line and the progress prose, plus the deadline (完成时限) the evolution reads
GOLDEN_FIELDS = [*(f for f in SCHEMA_FIELDS if f not in ("raw_text", "progress")), "deadline"]


def main() -> None:
    for meta in load_registry(BUNDLED_DATA):
        items = parse_file(document_path(BUNDLED_DATA, meta), meta).items.select(GOLDEN_FIELDS)
        out = HERE / f"{meta.id}.items.ndjson"
        items.write_ndjson(out)
        print(f"{out.name}: {items.height} items")


if __name__ == "__main__":
    main()
