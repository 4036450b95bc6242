"""Each bundled document parses to exactly its golden item table (tests/golden/regenerate.py)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from align.items import ITEM_SCHEMA

GOLDEN = Path(__file__).resolve().parent / "golden"
DOCS = ["baqiao-2023", "baqiao-2020", "xian-2024", "xixian-2023", "xianyang-2023"]


@pytest.mark.parametrize("doc_id", DOCS)
def test_items_equal_the_golden_table(parsed_docs, doc_id):
    expected = pl.read_ndjson(GOLDEN / f"{doc_id}.items.ndjson")
    columns = expected.columns
    expected = expected.cast({c: ITEM_SCHEMA[c] for c in columns})
    actual = parsed_docs(doc_id).items.select(columns)
    assert_frame_equal(actual, expected)
