"""Exports cannot run formulas in the reader's spreadsheet nor write outside the export folder."""

from __future__ import annotations

import csv
import os

import openpyxl
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.exceptions import ExportError
from align.export import (
    EXPORT_SCHEMA,
    FORMULA_PREFIXES,
    HEADERS,
    build_export_frame,
    export_links,
    neutralize_frame,
)
from align.store import DecisionStore

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://evil.example","点击")',
]


def _frame(values: list[str]) -> pl.DataFrame:
    """One export row per payload, the payload in every string column."""
    rows = []
    for value in values:
        row = {name: value for name in EXPORT_SCHEMA}
        row["score"] = 0.5
        rows.append(row)
    return pl.DataFrame(rows, schema=EXPORT_SCHEMA)


def test_csv_cells_that_start_a_formula_are_quoted(tmp_path, robustness_report):
    path = export_links(_frame(PAYLOADS), "csv", tmp_path, "links.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(HEADERS.values())
    string_columns = [i for i, name in enumerate(EXPORT_SCHEMA) if EXPORT_SCHEMA[name] == pl.String]
    for payload, row in zip(PAYLOADS, rows[1:], strict=True):
        for i in string_columns:
            assert row[i] == "'" + payload
    robustness_report.count("export safety: injection cells checked in CSV", len(PAYLOADS) * len(string_columns))


def test_excel_cells_are_literal_text_never_formulas(tmp_path, robustness_report):
    path = export_links(_frame(PAYLOADS), "xlsx", tmp_path, "links.xlsx")
    book = openpyxl.load_workbook(path)
    checked = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    # text, and marked so that editing the cell in Excel keeps it text
                    assert cell.data_type == "s" and cell.quotePrefix, f"{sheet.title}!{cell.coordinate}"
                    checked += 1
    note_column = list(HEADERS).index("note") + 1
    # xlsxwriter stores a carriage return as the OOXML escape _x000D_, which Excel reads back as \r.
    notes = {sheet.cell(row=2, column=note_column).value.replace("_x000D_", "\r") for sheet in book.worksheets[1:]}
    assert notes == set(PAYLOADS), "kept as written: no apostrophe added to the text"
    assert all(not any(ch in title for ch in "\t\r[]:*?/\\") for title in book.sheetnames)
    robustness_report.count("export safety: injection cells checked in Excel", checked)


def test_reviewer_note_with_formula_is_neutralised_end_to_end(data_copy, tmp_path):
    with DecisionStore(tmp_path / "d.sqlite") as store:
        store.record("=1+1", "baqiao-2023:1", "xian-2024:3", "confirmed", note="=cmd|' /C calc'!A0")
        frame = build_export_frame(store, data_copy)
    sheet = openpyxl.load_workbook(export_links(frame, "xlsx", tmp_path, "x.xlsx")).worksheets[1]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["备注"] == "=cmd|' /C calc'!A0" and row["审核人"] == "=1+1"
    assert all(cell.quotePrefix and cell.data_type == "s" for cell in sheet[2] if str(cell.value).startswith("="))


@given(st.text(max_size=30))
def test_neutralize_frame_quotes_exactly_the_cells_that_start_a_formula(value):
    """Each payload (= + - @, tab, carriage return) and any text; ``a=1`` and ``-`` inside a text are no formula."""
    cells = [*PAYLOADS, "a=1", "李-王", value]
    safe = neutralize_frame(pl.DataFrame({"cell": cells}, schema={"cell": pl.String}))["cell"].to_list()
    assert safe == ["'" + cell if cell.startswith(FORMULA_PREFIXES) else cell for cell in cells]
    assert not any(cell.startswith(FORMULA_PREFIXES) for cell in safe)


@pytest.mark.parametrize(
    "name",
    ["../links.csv", "..", "../../etc/cron.d/x.csv", "/tmp/links.csv", "sub/links.csv", "..\\links.csv",
     "C:\\links.csv", "C:links.csv", ".bashrc.csv", "a\x00b.csv", "a\nb.csv", "", "   ", "x" * 300 + ".csv"],
)
def test_file_names_that_could_escape_the_export_folder_are_refused(tmp_path, name, robustness_report):
    out = tmp_path / "exports" / "inner"
    out.mkdir(parents=True)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(ExportError, match="file name"):
        export_links(_frame(["x"]), "csv", out, name)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    robustness_report.count("export safety: path traversal names refused")


def test_existing_symlink_is_replaced_not_followed(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("keep me", encoding="utf-8")
    out = tmp_path / "exports"
    out.mkdir()
    os.symlink(outside, out / "links.csv")
    path = export_links(_frame(["x"]), "csv", out, "links.csv")
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not path.is_symlink() and path.read_bytes().startswith(b"\xef\xbb\xbf")
