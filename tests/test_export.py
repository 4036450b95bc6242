"""Export of confirmed links: what a planner sees in Excel, CSV and Parquet, and the CLI end to end."""

from __future__ import annotations

import importlib.metadata
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest

from align.cli import build_parser, main
from align.exceptions import DocumentParseError, ExportError, OutputError, SettingsError
from align.export import (
    HEADERS,
    MISSING_ITEM,
    build_export_frame,
    csv_sources_path,
    document_sources,
    export_links,
    parquet_sources,
    safe_export_path,
    sheet_name,
)
from align.ingest import load_items
from align.items import text_digests
from align.registry import DocumentMeta, entry_warnings, get_document, load_registry
from align.settings import Settings
from align.store import DecisionStore, on_current_text
from matching.review import item_states, pair_decisions


@pytest.fixture()
def decided(data_copy, tmp_path):
    """A data copy with three confirmed links over two document pairs, one rejected, one disputed."""
    store = DecisionStore(tmp_path / "decisions.sqlite")
    store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed", score=0.812, engine_version="m/1", note="同类")
    store.record("王", "baqiao-2023:2", "xian-2024:1", "confirmed", score=0.4)
    store.record("李", "baqiao-2020:1", "baqiao-2023:97", "confirmed")
    store.record("李", "baqiao-2023:3", "xian-2024:2", "rejected")
    store.record("王", "baqiao-2023:4", "xian-2024:4", "confirmed")
    store.record("李", "baqiao-2023:4", "xian-2024:4", "rejected")
    yield store, data_copy
    store.close()


def test_export_frame_carries_both_items_text_units_and_targets(decided):
    store, settings = decided
    frame = build_export_frame(store, settings)
    assert frame.select("source_id", "target_id").rows() == [
        ("baqiao-2020:1", "baqiao-2023:97"),
        ("baqiao-2023:1", "xian-2024:3"),
        ("baqiao-2023:2", "xian-2024:1"),
    ]
    row = frame.row(1, named=True)
    assert row["source_text"].startswith("地区生产总值增长7%")
    assert row["target_text"].startswith("市政道路建设改造")
    assert row["source_units"] == "区发改委" and row["target_units"] == "市住建局"
    assert row["source_targets"] == "地区生产总值增长7%左右"
    assert row["score"] == pytest.approx(0.812) and row["reviewer"] == "王" and row["engine_version"] == "m/1"
    assert build_export_frame(store, settings, ("baqiao-2020", "baqiao-2023")).height == 1


def test_review_time_is_exported_on_the_planners_clock_to_the_second(decided):
    """The store keeps UTC with microseconds; the table a planner hands over shows Beijing time."""
    store, settings = decided
    stored = store.current().filter(pl.col("source_id") == "baqiao-2023:1")["decided_at"].item()
    utc = datetime.fromisoformat(stored)
    shown = build_export_frame(store, settings, ("baqiao-2023", "xian-2024"))
    beijing = shown.filter(pl.col("source_id") == "baqiao-2023:1")["decided_at"].item()
    assert beijing == (utc + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
    in_utc = build_export_frame(store, settings.with_changes(timezone="UTC"), ("baqiao-2023", "xian-2024"))
    assert in_utc.filter(pl.col("source_id") == "baqiao-2023:1")["decided_at"].item() == utc.strftime("%Y-%m-%d %H:%M:%S")


def test_disputed_link_is_left_out_unless_asked(decided):
    store, settings = decided
    assert "baqiao-2023:4" not in build_export_frame(store, settings)["source_id"].to_list()
    assert "baqiao-2023:4" in build_export_frame(store, settings, include_conflicts=True)["source_id"].to_list()


def test_a_disputed_link_exported_on_request_says_who_decided_what(decided, tmp_path):
    """With disputed links included, nothing in the file told them from agreed ones."""
    store, settings = decided
    frame = build_export_frame(store, settings, include_conflicts=True)
    disputed = frame.filter(pl.col("disputed").is_not_null())
    assert disputed["source_id"].to_list() == ["baqiao-2023:4"]
    assert "rejected" in disputed["disputed"].item() and "confirmed" in disputed["disputed"].item()
    path = export_links(frame, "xlsx", tmp_path, "links.xlsx", settings=settings)
    def headers(book_path) -> set[str]:
        return {c.value for sheet in openpyxl.load_workbook(book_path).worksheets for c in sheet[1]}

    assert "审核意见不一" in headers(path)
    agreed = export_links(build_export_frame(store, settings), "xlsx", tmp_path, "agreed.xlsx", settings=settings)
    assert "审核意见不一" not in headers(agreed)


def test_links_are_exported_in_each_plans_own_order(decided, tmp_path):
    """Sorted as text, item 10 came before item 2 in every sheet and file."""
    store, settings = decided
    for source in ("baqiao-2023:10", "baqiao-2023:9"):
        store.record("王", source, "xian-2024:5", "confirmed")
    frame = build_export_frame(store, settings, ("baqiao-2023", "xian-2024"))
    assert frame["source_id"].to_list() == [f"baqiao-2023:{n}" for n in (1, 2, 9, 10)]
    book = openpyxl.load_workbook(export_links(frame, "xlsx", tmp_path, "links"))
    assert [row[0] for row in book["baqiao-2023→xian-2024"].iter_rows(min_row=2, min_col=3, values_only=True)] == \
        frame["source_id"].to_list()


def test_a_text_longer_than_an_excel_cell_is_cut_with_a_note_and_kept_whole_in_csv(decided, tmp_path):
    """Excel keeps 32,767 characters of a cell and dropped the rest without a word."""
    store, settings = decided
    store.record("王", "baqiao-2023:1", "xian-2024:3", "confirmed", note="长" * 40_000)
    frame = build_export_frame(store, settings, ("baqiao-2023", "xian-2024"))
    sheet = openpyxl.load_workbook(export_links(frame, "xlsx", tmp_path, "links"))["baqiao-2023→xian-2024"]
    header = [c.value for c in sheet[1]]
    note = sheet.cell(row=2, column=header.index("备注") + 1).value
    assert len(note) == 32_767 and note.endswith("CSV 或 Parquet 导出保留全文 cut at Excel's cell limit: the CSV or "
                                                 "Parquet export keeps it whole）")
    csv_note = pl.read_csv(export_links(frame, "csv", tmp_path, "links"))["备注"][0]
    assert csv_note.endswith("长" * 10) and csv_note.count("长") == 40_000


def test_item_no_longer_in_document_is_kept_and_marked(decided):
    store, settings = decided
    store.record("王", "baqiao-2023:1", "xian-2024:999", "confirmed")
    frame = build_export_frame(store, settings, ("baqiao-2023", "xian-2024"))
    gone = frame.filter(pl.col("target_id") == "xian-2024:999").row(0, named=True)
    assert gone["target_text"] == MISSING_ITEM
    assert gone["text_changed"] == "目标任务", "counted and marked like changed text (it was neither)"


def test_empty_selection_is_a_clear_error(decided):
    store, settings = decided
    with pytest.raises(ExportError, match="no confirmed links from 'xixian-2023' to 'xian-2024'.*plan-align decide"):
        build_export_frame(store, settings, ("xixian-2023", "xian-2024"))
    with pytest.raises(ExportError, match="nothing to export"):
        export_links(build_export_frame(store, settings).clear(), "csv", settings.data_dir, "links.csv")


def test_xlsx_has_summary_and_one_sheet_per_pair_with_frozen_chinese_header(decided, tmp_path):
    store, settings = decided
    path = export_links(build_export_frame(store, settings), "xlsx", tmp_path, "links")
    assert path == tmp_path / "links.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["汇总", "baqiao-2020→baqiao-2023", "baqiao-2023→xian-2024"]
    summary = book["汇总"]
    assert [c.value for c in summary[1]][:4] == ["源文档", "目标文档", "工作表", "确认链接数"]
    assert [c.value for c in summary[3]][:4] == ["baqiao-2023", "xian-2024", "baqiao-2023→xian-2024", 2]
    sheet = book["baqiao-2023→xian-2024"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    for name in ("源条目", "目标条目", "源任务", "目标任务", "源责任单位", "目标责任单位", "源指标值", "目标指标值",
                 "得分", "审核人", "审核时间", "引擎版本"):
        assert name in header
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert row["源条目"] == "baqiao-2023:1" and row["目标条目"] == "xian-2024:3"
    assert row["目标责任单位"] == "市住建局" and row["得分"] == pytest.approx(0.812) and row["审核人"] == "王"
    text_column = header.index("源任务") + 1
    assert sheet.column_dimensions[openpyxl.utils.get_column_letter(text_column)].width >= 20
    assert sheet.max_row == 3


def test_xlsx_names_each_documents_edition_by_its_file_fingerprint(decided, tmp_path):
    """The 文档来源 sheet: which plan, as registered, and the SHA-256 of its file at export time."""
    import hashlib

    store, settings = decided
    frame = build_export_frame(store, settings)
    path = export_links(frame, "xlsx", tmp_path, "links.xlsx", settings=settings)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["汇总", "文档来源", "导出信息"] and len(book.sheetnames) == 5
    about = dict(book["导出信息"].iter_rows(min_row=2, values_only=True))
    assert about["plan-align 版本"] == importlib.metadata.version("plan-align")
    assert about["审核记录库"] == str(settings.db_path.resolve()) and about["链接数"] == "3"
    assert about["其中审核意见不一"] == "0", "the disputed link is held back"
    disputed = export_links(build_export_frame(store, settings, include_conflicts=True), "xlsx", tmp_path, "all.xlsx",
                            settings=settings)
    about = dict(openpyxl.load_workbook(disputed)["导出信息"].iter_rows(min_row=2, values_only=True))
    assert (about["链接数"], about["其中审核意见不一"]) == ("4", "1"), "the file says one of its links is not agreed"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(Asia/Shanghai\)", about["导出时间"])
    sheet = book["文档来源"]
    rows = {r[0]: dict(zip([c.value for c in sheet[1]], r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert sorted(rows) == ["baqiao-2020", "baqiao-2023", "xian-2024"]
    city = rows["xian-2024"]
    assert city["标题"] == "西安市2024年为民实事实施方案" and city["辖区"] == "西安市" and city["年份"] == 2024
    file = settings.data_dir / city["文件"]
    assert city["文件 SHA-256"] == hashlib.sha256(file.read_bytes()).hexdigest()
    file.write_text(file.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the plan re-issued
    assert document_sources(settings, frame).row(2, named=True)["文件 SHA-256"] != city["文件 SHA-256"]


def test_csv_has_bom_and_reads_back(decided, tmp_path):
    store, settings = decided
    path = export_links(build_export_frame(store, settings), "csv", tmp_path, "links.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pl.read_csv(path, encoding="utf8")
    assert back.columns == [h for h in HEADERS.values()
                            if "完成时限" not in h and h not in ("下达配额", "决定后文本已改", "审核意见不一")], (
        "no deadline columns (no item has one), no quota (none of these city items allots 灞桥区 one), "
        "no text-changed column (no text changed), no dispute (none included)"
    )
    assert back["源条目"].to_list() == ["baqiao-2020:1", "baqiao-2023:1", "baqiao-2023:2"]
    assert back["目标责任单位"].to_list()[1] == "市住建局"
    assert not csv_sources_path(path).exists(), "no settings: no documents to name"


def test_a_csv_export_names_each_documents_edition_in_a_second_csv_beside_it(decided, tmp_path):
    """A CSV has no room for provenance, so links.sources.csv carries it, as the Excel 文档来源 sheet does."""
    import hashlib

    store, settings = decided
    frame = build_export_frame(store, settings)
    path = export_links(frame, "csv", tmp_path, "links.csv", settings=settings)
    sources_file = csv_sources_path(path)
    assert sources_file == tmp_path / "links.sources.csv" and sources_file.read_bytes().startswith(b"\xef\xbb\xbf")
    sources = pl.read_csv(sources_file, encoding="utf8")
    assert sources.equals(document_sources(settings, frame))
    city = sources.row(2, named=True)
    assert city["文档"] == "xian-2024"
    assert city["文件 SHA-256"] == hashlib.sha256((settings.data_dir / city["文件"]).read_bytes()).hexdigest()
    assert pl.read_csv(path, encoding="utf8").height == frame.height, "the links file itself is unchanged"


@pytest.mark.parametrize("blocked", ["folder", "held open"])
def test_a_csv_export_whose_document_list_cannot_be_written_leaves_the_earlier_pair_whole(decided, tmp_path,
                                                                                         monkeypatch, blocked):
    """links.csv was replaced before links.sources.csv failed (held open by Excel, a folder in its place): the new
    links beside the old document list, and the earlier export lost."""
    import os

    from align.exceptions import OutputError

    store, settings = decided
    frame = build_export_frame(store, settings)
    path = export_links(frame.head(1), "csv", tmp_path, "links.csv", settings=settings)
    sources = csv_sources_path(path)
    earlier = path.read_bytes()
    if blocked == "folder":
        sources.unlink()
        sources.mkdir()
    else:  # renaming over a file another program holds open fails on Windows, as here
        real_replace = os.replace

        def held_open(src, dst):
            if Path(dst) == sources:
                raise PermissionError(13, "Permission denied", str(dst))
            return real_replace(src, dst)

        monkeypatch.setattr(os, "replace", held_open)
    with pytest.raises(OutputError, match="links.sources.csv"):
        export_links(frame, "csv", tmp_path, "links.csv", settings=settings)
    assert path.read_bytes() == earlier, "the earlier export is whole"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [], "no temporary file is left"


def test_a_full_disk_is_one_clear_error_and_the_earlier_export_stays(decided, tmp_path, monkeypatch):
    """The file is written beside and renamed over: a failed write leaves yesterday's export whole."""
    store, settings = decided
    frame = build_export_frame(store, settings)
    out = tmp_path / "exports"
    out.mkdir()
    earlier = export_links(frame, "csv", out, "links.csv").read_bytes()

    def disk_full(data, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("align.export._write_csv", disk_full)
    with pytest.raises(OutputError, match=r"Could not write .*links\.csv: No space left on device") as caught:
        export_links(frame, "csv", out, "links.csv")
    assert "磁盘是否已满" in caught.value.for_planner()
    assert (out / "links.csv").read_bytes() == earlier and [p.name for p in out.iterdir()] == ["links.csv"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "parquet"])
def test_the_quota_a_city_item_gives_the_district_is_exported_beside_the_task_that_delivers_it(data_copy, tmp_path, fmt):
    """A 督查办 checks a district task against the share the city allotted it (灞桥区 200 charging piles),
    whichever way round the link was judged; a link between two years of one district has none."""
    store = DecisionStore(tmp_path / "d.sqlite")
    store.record("王", "baqiao-2023:75", "xian-2024:4", "confirmed")
    store.record("王", "xian-2024:26", "baqiao-2023:65", "confirmed")  # judged from the city's side
    store.record("李", "baqiao-2020:1", "baqiao-2023:97", "confirmed")
    path = export_links(build_export_frame(store, data_copy), fmt, tmp_path, f"links.{fmt}")
    store.close()
    if fmt == "xlsx":
        book = openpyxl.load_workbook(path)
        sheets = [list(book[name].values) for name in book.sheetnames if "→" in name]
        rows = [dict(zip(sheet[0], values, strict=True)) for sheet in sheets for values in sheet[1:]]
    else:
        frame = pl.read_csv(path, encoding="utf8") if fmt == "csv" else pl.read_parquet(path).rename(HEADERS, strict=False)
        rows = frame.to_dicts()
    # either item may be the row's source; a sheet with no quota has no such column
    quota = {item: row.get("下达配额") for row in rows for item in (row["源条目"], row["目标条目"])}
    assert "灞桥区200个" in quota["baqiao-2023:75"] and "灞桥区800个" in quota["baqiao-2023:75"], quota
    assert quota["baqiao-2023:75"].startswith("新建公(专)用充电桩："), "each quota says what it is a share of"
    assert quota["xian-2024:26"] == "创建市级宜居宜业和美乡村示范村：灞桥区15个", "judged from the city's side too"
    assert not quota["baqiao-2020:1"], "two years of one district allot nothing"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_task_tables_deadline_is_exported_beside_its_link(data_copy, tmp_path, fmt):
    """A 督查办 checks a confirmed task against its 完成时限, so the hand-over carries it."""
    from align.registry import DocumentMeta, add_document

    source = Path(__file__).resolve().parent / "fixtures" / "unseen" / "a2_yanta_2024_task_decomposition.xlsx"
    meta = DocumentMeta(id="yanta-2024", title="t", jurisdiction="雁塔区", level="district", year=2024,
                        kind="task_table", file="yanta.xlsx")
    add_document(data_copy.data_dir, source, meta)
    store = DecisionStore(tmp_path / "d.sqlite")
    store.record("王", "yanta-2024:1", "xian-2024:3", "confirmed")
    path = export_links(build_export_frame(store, data_copy), fmt, tmp_path, f"links.{fmt}")
    store.close()
    if fmt == "csv":
        row = pl.read_csv(path, encoding="utf8").row(0, named=True)
    else:
        sheet = openpyxl.load_workbook(path)["yanta-2024→xian-2024"]
        row = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    assert re.fullmatch(r"2024年\d{1,2}月底|长期坚持", row["源完成时限"])
    assert "目标完成时限" not in row, "the city plan has no deadlines, so no empty column for them"


def test_parquet_reads_back_with_english_columns_and_names_each_documents_edition(decided, tmp_path):
    """The links as written, and in the file's metadata the documents they join with their fingerprints."""
    import hashlib

    from polars.testing import assert_frame_equal

    store, settings = decided
    frame = build_export_frame(store, settings)
    path = export_links(frame, "parquet", tmp_path, "links.parquet", settings=settings)
    assert_frame_equal(pl.read_parquet(path), frame)
    sources = parquet_sources(path)
    assert sources["doc_id"].to_list() == ["baqiao-2020", "baqiao-2023", "xian-2024"]
    city = sources.row(2, named=True)
    assert city["title"] == "西安市2024年为民实事实施方案" and city["year"] == 2024
    assert city["sha256"] == hashlib.sha256((settings.data_dir / city["file"]).read_bytes()).hexdigest()
    about = json.loads(pq.read_schema(path).metadata[b"plan_align.export"])
    assert about["links"] == "3" and about["plan_align_version"] == importlib.metadata.version("plan-align")
    assert about["timezone"] == "Asia/Shanghai", "a program reading 审核时间 knows its clock"
    bare = export_links(frame, "parquet", tmp_path, "bare.parquet")  # no settings: no documents to name
    assert parquet_sources(bare).is_empty() and pl.read_parquet(bare).equals(frame)


def test_wrong_extension_for_format_is_refused(decided, tmp_path):
    store, settings = decided
    with pytest.raises(ExportError, match="ends in .csv but the format is xlsx") as caught:
        export_links(build_export_frame(store, settings), "xlsx", tmp_path, "links.csv")
    assert caught.value.for_planner().startswith("无法导出：文件名以 .csv 结尾，与所选格式 xlsx 不符。")
    with pytest.raises(ExportError, match="format must be one of"):
        export_links(build_export_frame(store, settings), "json", tmp_path, "links.json")


def test_written_files_are_shareable_like_a_plain_write(tmp_path):
    """An atomic write goes through a temporary file, which is owner-only; the result must not be."""
    import os
    import stat

    from align.files import write_atomic

    plain, atomic = tmp_path / "plain.csv", tmp_path / "atomic.csv"
    plain.write_text("a\n")
    write_atomic(atomic, lambda tmp: tmp.write_text("a\n"))
    assert stat.S_IMODE(atomic.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)
    os.chmod(atomic, 0o640)
    write_atomic(atomic, lambda tmp: tmp.write_text("b\n"))
    assert stat.S_IMODE(atomic.stat().st_mode) == 0o640, "rewriting keeps the file's own permissions"


@pytest.mark.parametrize("name", ["../links.xlsx", "sub/links.xlsx", "/tmp/links.xlsx", "C:links.xlsx", ".links.xlsx",
                                  "..", "links\x1b.xlsx", ""])
def test_a_file_name_that_could_leave_the_export_folder_is_refused(tmp_path, name):
    with pytest.raises(ExportError, match="file name"):
        safe_export_path(tmp_path, name, "xlsx")


def test_a_plain_file_name_with_two_dots_inside_is_written_in_the_export_folder(tmp_path):
    """v2..final.xlsx was refused as if it could climb out of the folder."""
    assert safe_export_path(tmp_path, "v2..final.xlsx", "xlsx") == tmp_path.resolve() / "v2..final.xlsx"
    assert safe_export_path(tmp_path, "链接", "csv") == tmp_path.resolve() / "链接.csv"


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    long = sheet_name("a-very-long-document-id-2023", "another-long-id-2024", taken)
    again = sheet_name("a-very-long-document-id-2023", "another-long-id-2024x", taken)
    odd = sheet_name("x[1]", "y/2", taken)
    assert len(long) == 31 and len(again) <= 31 and again != long
    assert not set("[]:*?/\\") & set(odd)


def test_cli_decide_then_export_end_to_end(data_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cli.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["decide", "baqiao-2023:1", "xian-2024:3", "--confirm", "--reviewer", "王", "--note", "对应", *data]) == 0
    assert main(["decide", "baqiao-2023:2", "xian-2024:1", "--reject", "--reviewer", "王", *data]) == 0
    assert main(["decide", "baqiao-2023:5", "xian-2024", "--none", "--reviewer", "王", *data]) == 0
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", "--pair", "baqiao-2023", "xian-2024", "--format", "xlsx", "--out", str(out / "l.xlsx"),
                 *data]) == 0
    assert "wrote 1 confirmed link(s)" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(out / "l.xlsx")["baqiao-2023→xian-2024"]
    assert [c.value for c in sheet[2]][2:4] == ["baqiao-2023:1", "xian-2024:3"]
    assert sheet.max_row == 2
    assert main(["export", "--out", str(out / "l.csv"), *data]) == 0
    assert pl.read_csv(out / "l.csv")["备注"].to_list() == ["对应"]
    assert f"with each file's SHA-256, to {out / 'l.sources.csv'}" in capsys.readouterr().out
    assert pl.read_csv(out / "l.sources.csv")["文档"].to_list() == ["baqiao-2023", "xian-2024"]
    with DecisionStore(tmp_path / "cli.sqlite") as store:
        assert store.current().select("decision", "target_doc").rows() == [
            ("confirmed", None), ("rejected", None), ("no_counterpart", "xian-2024")
        ]
    # a link 李 disputes is left out of the file, and the terminal says so, as the Export page does
    assert main(["decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王", *data]) == 0
    assert main(["decide", "xian-2024:3", "baqiao-2023:1", "--reject", "--reviewer", "李", *data]) == 0
    capsys.readouterr()
    assert main(["export", "--out", str(out / "m.xlsx"), *data]) == 0
    captured = capsys.readouterr()
    assert "wrote 1 confirmed link(s)" in captured.out and "1 more confirmed link(s) are disputed" in captured.err


def test_a_link_confirmed_before_its_plan_was_reissued_is_marked_in_the_export(data_copy, tmp_path, monkeypatch,
                                                                                capsys):
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cli.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["decide", "baqiao-2023:1", "xian-2024:3", "--confirm", "--reviewer", "王", *data]) == 0
    assert main(["decide", "baqiao-2023:2", "xian-2024:1", "--confirm", "--reviewer", "王", *data]) == 0
    city = data_copy.data_dir / "documents" / "xian-2024-livelihood-projects.txt"
    city.write_text(city.read_text(encoding="utf-8").replace("选择100条城市主干道", "选择120条城市主干道"),
                    encoding="utf-8")  # re-issued in place: item 3 now says something else
    capsys.readouterr()
    assert main(["export", "--out", str(tmp_path / "l.csv"), *data]) == 0
    assert "1 link(s) were confirmed on text that has since changed or gone" in capsys.readouterr().err
    back = pl.read_csv(tmp_path / "l.csv", encoding="utf8")
    assert dict(zip(back["目标条目"], back["决定后文本已改"], strict=True)) == {"xian-2024:3": "目标任务",
                                                                             "xian-2024:1": None}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["decide", "baqiao-2023:999", "xian-2024:3", "--confirm", "--reviewer", "王"], "Unknown item id.*baqiao-2023:999"),
        (["decide", "nowhere-2023:1", "xian-2024:3", "--confirm", "--reviewer", "王"], "Unknown document id 'nowhere-2023'"),
        (["decide", "baqiao-2023:1", "--confirm", "--reviewer", "王"], "needs a TARGET_ID"),
        (["decide", "baqiao-2023:1", "xian-2024:3", "--none", "--reviewer", "王"], "takes that document's id"),
        (["decide", "baqiao-2023:1", "--none", "--reviewer", "王"], "takes that document's id"),
        (["decide", "baqiao-2023:1", "xian-2042", "--none", "--reviewer", "王"], "Unknown document id 'xian-2042'"),
        (["decide", "baqiao-2023:1", "baqiao-2023", "--none", "--reviewer", "王"], "is itself in baqiao-2023"),
        (["decide", "baqiao-2023:1", "--undo", "--reviewer", "王"], "give the document it named"),
        (["decide", "baqiao-2023:1", "xian-2024:3", "--confirm", "--score", "5", "--reviewer", "王"],
         "a number from 0 to 1"),
        (["decide", "baqiao-2023:1", "xian-2024:3", "--confirm", "--reviewer", " "], "non-empty name"),
        (["decide", "baqiao-2023:1", "xian-2024:3", "--undo", "--reviewer", "王"], "Nothing to undo"),
        (["export", "--out", "links.txt"], "Cannot tell the export format"),
        (["export", "--out", "links.dat"], "Cannot tell the export format"),
        (["export", "--format", "xlsx", "--out", "exports/"], "--out exports/ is a folder"),  # wrote exports.xlsx
        (["items", "baqiao-2023", "--out", "exports/"], "--out exports/ is a folder"),
        (["export", "--format", "csv", "--out", ""], "--out is empty"),  # said "--out  is a folder"
        (["export", "--format", "csv", "--out", "-"], "--out - is not a file"),  # wrote -.csv and -.sources.csv
        (["export", "--format", "csv", "--out", "/dev/stdout"], "--out /dev/stdout is not a file"),  # /dev/stdout.csv
        (["items", "baqiao-2023", "--format", "csv", "--out", "/dev/null"], "--out /dev/null is not a file"),
        (["export", "--format", "csv", "--out", "links.xlsx"], "--format csv does not fit"),
        (["export", "--format", "csv", "--out", "links.csv"], "no confirmed links"),
        (["export", "--pair", "baqiao-2023", "xian-2042", "--out", "links.csv"], "Unknown document id 'xian-2042'"),
    ],
)
def test_cli_user_errors_are_one_line_and_exit_2(data_copy, tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cli.sqlite"))
    monkeypatch.chdir(tmp_path)
    assert main([*argv, "--data", str(data_copy.data_dir)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert re.search(message, err)
    assert not (tmp_path / "cli.sqlite").exists(), "a refused command leaves no empty store behind"


def test_cli_reports_corrupt_store_in_one_line(data_copy, tmp_path, monkeypatch, capsys):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"\x00garbage" * 500)
    monkeypatch.setenv("PLAN_ALIGN_DB", str(bad))
    code = main(["decide", "baqiao-2023:1", "xian-2024:3", "--confirm", "--reviewer", "王",
                 "--data", str(data_copy.data_dir)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err and "PLAN_ALIGN_DB" in err


def test_the_typical_run_in_the_help_text_works_as_written(data_copy, tmp_path):
    """A planner copies the commands under ``plan-align --help``; each must run and the export hold the link."""
    commands = re.findall(r"plan-align ([^;]+?)(?:;|\. )", build_parser().epilog)
    assert [c.split()[0] for c in commands] == ["docs", "match", "decide", "export"]
    data = ["--data", str(data_copy.data_dir)]
    for command in commands:
        args = command.split()
        if args[0] == "export":
            args = [a if a != "links.xlsx" else str(tmp_path / "links.xlsx") for a in args]
        assert main([*args, *data]) == 0, command
    book = openpyxl.load_workbook(tmp_path / "links.xlsx")
    cells = {str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert {"baqiao-2023:75", "xian-2024:4"} <= cells


@pytest.mark.parametrize("zone", ["Mars/Base", "", "北京时间", "+08:00"])  # +08:00: the export's traceback
def test_an_unknown_time_zone_is_refused_when_settings_are_built(zone):
    with pytest.raises(SettingsError, match="'timezone' setting must be an IANA name"):
        Settings(timezone=zone)


@pytest.mark.parametrize(
    ("setting", "value"),
    [("max_file_mb", float("inf")), ("max_file_mb", float("nan")), ("top_k", True), ("block_size", True),
     ("one_to_one_threshold", True), ("data_dir", None), ("max_file_mb", 1e308), ("block_size", 10**20)],
)
def test_a_setting_of_the_wrong_kind_is_refused_by_name(setting, value):
    """inf and nan file limits failed when a file was read; True counted as 1; None was a TypeError; a
    file limit of 1e308 MB and a block of 10**20 rows were OverflowError tracebacks from items and match."""
    with pytest.raises(SettingsError, match=f"'{setting}' setting must be"):
        Settings(**{setting: value})


def test_a_store_path_ending_in_a_slash_is_refused(monkeypatch, tmp_path):
    """PLAN_ALIGN_DB=/tmp/x/ wrote a store file named x, which the folder the planner meant then clashed with."""
    monkeypatch.setenv("PLAN_ALIGN_DB", f"{tmp_path}/stores/")
    with pytest.raises(SettingsError, match="names a folder"):
        Settings.from_env()
    assert not (tmp_path / "stores").exists()


def test_every_setting_the_messages_name_can_be_given_in_the_environment(monkeypatch, tmp_path):
    """The size-limit error said to raise 'max_file_mb' in the settings, and the README named the 'timezone'
    setting, but neither could be set: only PLAN_ALIGN_DATA and PLAN_ALIGN_DB were read."""
    big = tmp_path / "big.txt"
    big.write_text("1. 新建口袋公园10个。\n" * 90_000, encoding="utf-8")  # about 2.3 MB
    monkeypatch.setenv("PLAN_ALIGN_MAX_FILE_MB", "1")
    monkeypatch.setenv("PLAN_ALIGN_TIMEZONE", "Asia/Urumqi")
    monkeypatch.setenv("PLAN_ALIGN_TOP_K", " 5 ")
    settings = Settings.from_env()
    assert (settings.max_file_mb, settings.timezone, settings.top_k) == (1.0, "Asia/Urumqi", 5)
    assert Settings.from_env(top_k=7).top_k == 7, "an explicit option still wins"
    from align.readers import read_document_text

    with pytest.raises(DocumentParseError, match="PLAN_ALIGN_MAX_FILE_MB"):
        read_document_text(big, max_bytes=settings.max_bytes)
    monkeypatch.setenv("PLAN_ALIGN_TOP_K", "ten")
    with pytest.raises(SettingsError, match="PLAN_ALIGN_TOP_K='ten' is not an int"):
        Settings.from_env()
    monkeypatch.setenv("PLAN_ALIGN_TOP_K", "0")
    with pytest.raises(SettingsError, match=r"'top_k' setting must be.*from the environment: PLAN_ALIGN_TOP_K=0"):
        Settings.from_env()
    assert Settings.from_env(top_k=5).top_k == 5, "an option given overrides the bad variable"


def test_a_misspelt_setting_in_the_environment_is_said_with_the_one_it_looks_like(monkeypatch, data_copy, capsys):
    """PLAN_ALIGN_TOPK=20 was ignored without a word, and the planner took 10 candidates per item for 20 (a bad-input
    probe); the variables of the test suite are not said."""
    from align.cli import main

    monkeypatch.setenv("PLAN_ALIGN_TOPK", "20")
    monkeypatch.setenv("PLAN_ALIGN_FUZZ_SCALE", "2")
    assert main(["items", "xian-2024", "--data", str(data_copy.data_dir)]) == 0
    said = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning: the environment")]
    assert said == ["warning: the environment variable PLAN_ALIGN_TOPK is no setting of plan-align and is ignored; "
                    "did you mean PLAN_ALIGN_TOP_K?"]
    monkeypatch.delenv("PLAN_ALIGN_TOPK")
    monkeypatch.setenv("PLAN_ALIGN_DB_PATH", "x.sqlite")  # the setting's name, not its variable (PLAN_ALIGN_DATA was said)
    assert main(["items", "xian-2024", "--data", str(data_copy.data_dir)]) == 0
    assert "did you mean PLAN_ALIGN_DB?" in capsys.readouterr().err


def test_every_csv_file_quotes_formula_like_text_and_stdout_stays_raw(tmp_path, data_copy, capsys):
    """A task written as =HYPERLINK(…) must not run when the planner opens the file in Excel;
    `items --format csv` and `match --out x.csv` wrote it unguarded while `export` guarded it."""
    from matching.cli import write_candidates

    data = data_copy.data_dir
    plan = tmp_path / "plan.txt"
    plan.write_text("灞桥区2025年工作要点\n1. =HYPERLINK(\"http://x\",\"新建幼儿园3所\")\n2. 改造老旧小区20个。\n",
                    encoding="utf-8")
    assert main(["add", str(plan), "--data", str(data), "--id", "odd-2025"]) == 0
    out = tmp_path / "items.csv"
    assert main(["items", "odd-2025", "--format", "csv", "--out", str(out), "--data", str(data)]) == 0
    assert out.read_bytes().startswith("\ufeff".encode()), "a BOM, so Excel reads the Chinese"
    assert pl.read_csv(out)["text"][0].startswith("'=HYPERLINK")
    capsys.readouterr()
    assert main(["items", "odd-2025", "--format", "csv", "--data", str(data)]) == 0
    printed = capsys.readouterr().out
    assert "=HYPERLINK" in printed and "'=HYPERLINK" not in printed, "piped to a program, the text is as written"

    candidates = tmp_path / "c.csv"
    write_candidates(pl.DataFrame({"source_id": ["odd-2025:1"], "reasons": ["=1+1"], "score": [-0.5]}), candidates)
    written = pl.read_csv(candidates)
    assert written["reasons"].to_list() == ["'=1+1"] and written["score"].to_list() == [-0.5], "numbers stay numbers"


def test_cli_coverage_answers_which_city_items_no_district_task_serves(data_copy, tmp_path, monkeypatch, capsys):
    """The Coverage page's question from the shell, confirmed links counted whichever way they were decided."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["coverage", "xian-2024", "baqiao-2023", "--format", "json", *data]) == 0
    captured = capsys.readouterr()
    rows = {row["item_id"]: row for row in json.loads(captured.out)}
    assert len(rows) == 30 and rows["xian-2024:4"]["status"] == "proposed"
    assert rows["xian-2024:4"]["proposed_tasks"].startswith("75 新建汽车充电站"), "a 充电站 read as a 充电桩 (synonyms)"
    assert rows["xian-2024:5"]["status"] == "none" and rows["xian-2024:5"]["quota"] == "公办托育机构：灞桥区1所"
    import re

    scores = [re.search(r"\((\d\.\d+)\)$", row["nearest_task"]) for row in rows.values() if row["nearest_task"]]
    assert scores and all(score and len(score.group(1)) == 4 for score in scores), "0.00, not 0.0 beside 0.04"
    assert "give 灞桥区 a quota and no district task serves them yet: xian-2024:5, xian-2024:28" in captured.err
    # reviewed from the city side: xian-2024:4 → baqiao-2023:75
    assert main(["decide", "xian-2024:4", "baqiao-2023:75", "--confirm", "--reviewer", "王", *data]) == 0
    capsys.readouterr()
    assert main(["coverage", "xian-2024", "baqiao-2023", "--format", "csv", "--out", str(tmp_path / "c.csv"), *data]) == 0
    # a CSV file is for a spreadsheet: the workbook's Chinese headers and statuses (it read item_id, confirmed)
    back = pl.read_csv(tmp_path / "c.csv").filter(pl.col("市级条目") == "xian-2024:4").row(0, named=True)
    assert back["状态"] == "已确认 confirmed" and back["已确认区级任务"].startswith("75 新建汽车充电站")
    assert back["已确认区级任务"].endswith("不少于15处 〔已完成〕"), "the district reports task 75 done"
    assert back["下达灞桥区配额"].startswith("新建公(专)用充电桩：灞桥区200个")
    assert "xian-2024:4" not in capsys.readouterr().err
    assert main(["coverage", "xian-2024", "nowhere-2030", *data]) == 2
    assert "Unknown document id 'nowhere-2030'" in capsys.readouterr().err


def test_cli_coverage_does_not_say_a_quota_judged_without_counterpart_is_waiting(data_copy, tmp_path, monkeypatch,
                                                                                  capsys):
    """A reviewer's 无对应 on a quota item is a decision, as the Coverage page says: the terminal said the
    item still waited for a district task."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["decide", "xian-2024:4", "baqiao-2023", "--none", "--reviewer", "王", *data]) == 0
    capsys.readouterr()
    assert main(["coverage", "xian-2024", "baqiao-2023", "--format", "json", *data]) == 0
    said = capsys.readouterr().err
    waiting = next(line for line in said.splitlines() if "serves them yet" in line)
    assert "xian-2024:4" not in waiting
    assert "judged to have no district task (无对应): xian-2024:4" in said


def test_cli_coverage_names_a_disputed_link_beside_a_confirmed_one(data_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    for reviewer, task, verdict in (("李", "75", "--confirm"), ("王", "75", "--reject"), ("李", "58", "--confirm")):
        assert main(["decide", f"baqiao-2023:{task}", "xian-2024:4", verdict, "--reviewer", reviewer, *data]) == 0
    capsys.readouterr()
    assert main(["coverage", "xian-2024", "baqiao-2023", "--format", "json", *data]) == 0
    assert "1 more have a disputed link beside a confirmed one: xian-2024:4" in capsys.readouterr().err


def test_coverage_calls_a_link_disputed_when_another_reviewer_says_its_task_serves_no_city_item(
        data_copy, tmp_path, monkeypatch, capsys):
    """李's 无对应 on the district task against 王's confirmation is a conflict in the store, held back from the
    export, but Coverage counted the city item confirmed."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["decide", "baqiao-2023:54", "xian-2024:15", "--confirm", "--reviewer", "王", *data]) == 0
    assert main(["decide", "baqiao-2023:54", "xian-2024", "--none", "--reviewer", "李", *data]) == 0
    row = coverage_rows(capsys, data)["xian-2024:15"]
    assert row["status"] == "disputed"
    assert DecisionStore(tmp_path / "cov.sqlite").conflicts().height == 1


def test_cli_export_of_only_disputed_links_says_they_are_held_back_not_that_none_is_confirmed(
        data_copy, tmp_path, monkeypatch, capsys):
    """It told the planner to go and confirm links, which two had; the Export page names the dispute."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "held.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["decide", "baqiao-2023:54", "xian-2024:15", "--confirm", "--reviewer", "王", *data]) == 0
    assert main(["decide", "baqiao-2023:54", "xian-2024:15", "--reject", "--reviewer", "李", *data]) == 0
    capsys.readouterr()
    out = tmp_path / "links.csv"
    assert main(["export", "--out", str(out), *data]) != 0
    err = capsys.readouterr().err
    assert "1 confirmed link(s) are disputed" in err and "--include-conflicts" in err and not out.exists()
    assert main(["export", "--out", str(out), "--include-conflicts", *data]) == 0 and out.exists()


def test_cli_a_rejection_of_a_reissued_plans_old_text_disputes_no_confirmation(data_copy, tmp_path, monkeypatch,
                                                                               capsys):
    """`decide` warned that reviewers disagree and `export` held the link back, over a rejection of the old text."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "stale.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["decide", "baqiao-2023:75", "xian-2024:4", "--reject", "--reviewer", "李", *data]) == 0
    district = Path(data_copy.data_dir) / "documents" / "baqiao-2023-task-progress.txt"
    district.write_text(district.read_text(encoding="utf-8").replace("新建汽车充电站不少于15处", "新建汽车充电站不少于25处"),
                        encoding="utf-8")
    capsys.readouterr()
    assert main(["decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王", *data]) == 0
    assert "disagree" not in capsys.readouterr().err
    out = tmp_path / "links.csv"
    assert main(["export", "--out", str(out), *data]) == 0
    assert pl.read_csv(out)["源条目"].to_list() == ["baqiao-2023:75"]
    assert "disputed" not in capsys.readouterr().err


def test_cli_a_dispute_on_one_edition_stands_when_another_item_of_the_plan_changes(data_copy, tmp_path, monkeypatch,
                                                                                  capsys):
    """A confirmed 75 → 4 and B judged 75 无对应 in xian-2024, on one edition; the city then re-issued another item:
    B's 无对应 went stale, and the link was exported as agreed, unmarked (a review of this session's change)."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "one-edition.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "A", *data]) == 0
    assert main(["decide", "baqiao-2023:75", "xian-2024", "--none", "--reviewer", "B", *data]) == 0
    city = Path(data_copy.data_dir) / get_document(data_copy.data_dir, "xian-2024").file
    text = city.read_text(encoding="utf-8")
    first_line = next(line for line in text.splitlines() if "地铁" in line)
    city.write_text(text.replace(first_line, first_line + "（修订）", 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["export", "--out", str(tmp_path / "links.csv"), *data]) == 2
    assert "1 confirmed link(s) are disputed" in capsys.readouterr().err
    assert coverage_rows(capsys, data)["xian-2024:4"]["status"] == "disputed", "Coverage says it as the export does"


def coverage_rows(capsys, data: list[str]) -> dict[str, dict]:
    """`plan-align coverage xian-2024 baqiao-2023 --format json`: each city item's row, by its id."""
    capsys.readouterr()  # what an earlier command printed
    assert main(["coverage", "xian-2024", "baqiao-2023", "--format", "json", *data]) == 0
    return {row["item_id"]: row for row in json.loads(capsys.readouterr().out)}


def test_coverage_proposes_nothing_from_a_task_or_to_a_city_item_marked_no_counterpart(data_copy, tmp_path, monkeypatch,
                                                                                          capsys):
    """A planner's 无对应 says the task serves no item of the plan (or the item has no task): Coverage
    kept counting the matcher's proposal as serving it."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    data = ["--data", str(data_copy.data_dir)]

    before = coverage_rows(capsys, data)
    proposed = [row for row in before.values() if row["status"] == "proposed"]
    single = next(row for row in proposed if len(row["proposed_tasks"].split("；")) == 1)
    number = single["proposed_tasks"].split()[0]
    assert main(["decide", f"baqiao-2023:{number}", "xian-2024", "--none", "--reviewer", "王", *data]) == 0
    after = coverage_rows(capsys, data)
    assert after[single["item_id"]]["status"] == "none", "its one proposed task serves nothing in xian-2024"
    assert not (after[single["item_id"]]["nearest_task"] or "").startswith(f"{number} "), "nor is it the nearest task"
    assert not any(task.startswith(f"{number} ") for row in after.values() for task in row["proposed_tasks"].split("；"))
    other = next(row for row in proposed if row["item_id"] != single["item_id"])
    assert main(["decide", other["item_id"], "baqiao-2023", "--none", "--reviewer", "王", *data]) == 0
    assert coverage_rows(capsys, data)[other["item_id"]]["status"] == "no_counterpart", \
        "ruled out from the city side, not 'none found'"
    capsys.readouterr()


def test_coverage_marks_a_disputed_link_and_counts_no_task_gone_from_the_plan(data_copy, tmp_path, monkeypatch, capsys):
    """王 confirmed and 李 rejected: shown as plainly confirmed. A task gone from a re-issued plan: still serving."""
    db = tmp_path / "cov.sqlite"
    monkeypatch.setenv("PLAN_ALIGN_DB", str(db))
    with DecisionStore(db) as store:
        store.record("王", "baqiao-2023:75", "xian-2024:4", "confirmed")
        store.record("李", "baqiao-2023:75", "xian-2024:4", "rejected")
        store.record("王", "baqiao-2023:999", "xian-2024:6", "confirmed")  # the task is no longer in the plan
    rows = coverage_rows(capsys, ["--data", str(data_copy.data_dir)])
    assert rows["xian-2024:4"]["status"] == "disputed" and rows["xian-2024:4"]["confirmed_tasks"] == ""
    assert rows["xian-2024:4"]["disputed_tasks"].startswith("75 ") and "15处" in rows["xian-2024:4"]["district_targets"]
    assert rows["xian-2024:6"]["status"] != "confirmed"


def test_coverage_marks_a_confirmed_task_whose_text_changed_since(data_copy, tmp_path, monkeypatch, capsys):
    """A plan re-issued in place with other text under the confirmed number: Coverage still read
    the charging-pile item as served by it, with no word (Export and Review said so)."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王", *data]) == 0
    district = data_copy.data_dir / "documents" / "baqiao-2023-task-progress.txt"
    district.write_text(district.read_text(encoding="utf-8").replace("新建汽车充电站不少于15处", "新建汽车充电站不少于25处"),
                        encoding="utf-8")
    row = coverage_rows(capsys, data)["xian-2024:4"]
    assert row["status"] == "confirmed" and row["confirmed_tasks"].endswith("（确认后文本已改，请复核）")


def test_a_rejection_or_no_counterpart_made_on_text_a_reissued_plan_no_longer_holds_rules_nothing_out(
        data_copy, tmp_path, monkeypatch, capsys):
    """Rows 53 and 54 swapped in a re-issue: the 无对应 judged on the old 53 hid the 老旧小区 task that is 53 now
    (xian-2024:15 read 'none'), and the Review queue counted the new 53 as reviewed."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    data = ["--data", str(data_copy.data_dir)]

    def status_of_15() -> str:
        return coverage_rows(capsys, data)["xian-2024:15"]["status"]

    assert status_of_15() == "proposed"  # by task 54, 完成纺三南院等7个老旧小区改造
    assert main(["decide", "baqiao-2023:53", "xian-2024", "--none", "--reviewer", "王", *data]) == 0
    assert main(["decide", "baqiao-2023:54", "xian-2024:15", "--reject", "--reviewer", "王", *data]) == 0
    assert status_of_15() != "proposed"
    district = data_copy.data_dir / "documents" / "baqiao-2023-task-progress.txt"
    lines = district.read_text(encoding="utf-8").split("\n")
    at = {line.split("\t", 1)[0]: i for i, line in enumerate(lines) if "\t" in line}
    old_53, old_54 = lines[at["53"]], lines[at["54"]]
    lines[at["53"]], lines[at["54"]] = "53\t" + old_54.split("\t", 1)[1], "54\t" + old_53.split("\t", 1)[1]
    district.write_text("\n".join(lines), encoding="utf-8")
    assert status_of_15() == "proposed", "the decisions were made on other text: the 老旧小区 task, now 53, serves it"
    settings = Settings(data_dir=data_copy.data_dir)
    digests = text_digests(load_items(settings, "baqiao-2023")) | text_digests(load_items(settings, "xian-2024"))
    with DecisionStore(tmp_path / "cov.sqlite") as store:
        states = item_states(on_current_text(pair_decisions(store.current(), "baqiao-2023", "xian-2024"), digests))
    assert states.is_empty(), "both tasks are open again in the Review queue"


def test_a_no_counterpart_judged_against_an_earlier_edition_of_the_city_plan_rules_nothing_out(
        data_copy, tmp_path, monkeypatch, capsys):
    """无对应 on task 55 in xian-2024, then xian-2024 re-issued with item 1 rewritten: item 1 read 'none' with a
    nearest task at 0.07, its best task (55, 0.53) hidden by a judgement of the plan as it was."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    data = ["--data", str(data_copy.data_dir)]

    def status_of_1() -> str:
        return coverage_rows(capsys, data)["xian-2024:1"]["status"]

    assert main(["decide", "baqiao-2023:55", "xian-2024", "--none", "--reviewer", "王", *data]) == 0
    assert status_of_1() != "proposed"
    city = data_copy.data_dir / "documents" / "xian-2024-livelihood-projects.txt"
    text = city.read_text(encoding="utf-8")
    assert "6号线一期南段" in text
    city.write_text(text.replace("6号线一期南段", "6号线一期南段、地铁5号线二期", 1), encoding="utf-8")
    assert status_of_1() == "proposed", "the 无对应 judged the plan before it was re-issued"

    # and from the city side: xian-2024:15 has no task in baqiao-2023, judged before baqiao-2023 was re-issued
    assert main(["decide", "xian-2024:15", "baqiao-2023", "--none", "--reviewer", "王", *data]) == 0
    assert coverage_rows(capsys, data)["xian-2024:15"]["status"] == "no_counterpart"
    district = data_copy.data_dir / "documents" / "baqiao-2023-task-progress.txt"
    district.write_text(district.read_text(encoding="utf-8").replace("新建汽车充电站不少于15处", "新建汽车充电站不少于20处"),
                        encoding="utf-8")
    row = coverage_rows(capsys, data)["xian-2024:15"]
    assert row["status"] != "no_counterpart", "judged against the district plan as it was"
    assert row["nearest_task"].endswith("（曾判无对应，其后区级文档已改，请复核）"), "and the table says a reviewer judged it"


@pytest.mark.parametrize(
    ("city", "district", "message"),
    [
        ("baqiao-2023", "baqiao-2020", "both district plans of 灞桥区: for how its tasks changed, use plan-align "
                                       "evolve baqiao-2020 baqiao-2023"),
        ("xian-2024", "xianyang-2023", "both city plans (西安市, 咸阳市)"),
    ],
)
def test_coverage_of_two_plans_of_one_level_is_refused(capsys, city, district, message):
    """Two years of 灞桥区 gave '111 city items: … 65 none', as if one were the other's city."""
    assert main(["coverage", city, district]) == 2
    assert message in capsys.readouterr().err


def test_coverage_of_a_district_plan_alone_asks_for_the_plan_above_it(capsys):
    """It asked for 'DISTRICT_DOC', a district plan under a district plan."""
    assert main(["coverage", "baqiao-2023"]) == 2
    assert "plan-align coverage CITY_DOC baqiao-2023 (the plan of 西安市)" in capsys.readouterr().err


def test_coverage_says_when_the_lower_plan_is_registered_under_another_government(data_copy, tmp_path, monkeypatch,
                                                                                   capsys):
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    assert main(["coverage", "xixian-2023", "baqiao-2023", "--format", "json", "--data", str(data_copy.data_dir)]) == 0
    assert "baqiao-2023 is registered under 西安市, not 西咸新区" in capsys.readouterr().err


def test_cli_coverage_workbook_is_the_pages_two_tables_in_chinese(data_copy, tmp_path, monkeypatch, capsys):
    """`coverage --out FILE.xlsx`: every city item, then those no district task serves, quotas first."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王", *data]) == 0
    assert main(["coverage", "xian-2024", "baqiao-2023", "--out", str(tmp_path / "c.xlsx"), *data]) == 0
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert book.sheetnames == ["覆盖情况", "无区级对应"]
    every, missing = ([dict(zip([c.value for c in sheet[1]], row)) for row in sheet.iter_rows(min_row=2, values_only=True)]
                      for sheet in book.worksheets)
    assert len(every) == 30 and {r["状态"] for r in every} == {"已确认 confirmed", "建议 proposed", "未找到 none found"}
    charging = next(r for r in every if r["市级条目"] == "xian-2024:4")
    assert charging["已确认区级任务"].startswith("75 新建汽车充电站") and "灞桥区200个" in charging["下达灞桥区配额"]
    assert len(missing) == sum(r["状态"] == "未找到 none found" for r in every) and "xian-2024:4" not in {r["市级条目"] for r in missing}
    quotas = [bool(r["下达灞桥区配额"]) for r in missing]
    assert quotas[0] and quotas == sorted(quotas, reverse=True), "a quota no task serves comes first"
    assert main(["coverage", "xian-2024", "baqiao-2023", "--format", "xlsx", *data]) == 2
    assert "Excel output needs --out FILE.xlsx" in capsys.readouterr().err


def test_cli_coverage_of_a_city_against_every_district_plan_under_it(data_copy, tmp_path, monkeypatch, capsys):
    """`coverage CITY` alone: each city item against the latest plan of each place under the city."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    data = ["--data", str(data_copy.data_dir)]
    assert main(["decide", "baqiao-2023:75", "xian-2024:4", "--confirm", "--reviewer", "王", *data]) == 0
    capsys.readouterr()
    assert main(["coverage", "xian-2024", "--format", "json", *data]) == 0
    captured = capsys.readouterr()
    rows = {row["item_id"]: row for row in json.loads(captured.out)}
    # 灞桥区's latest plan and 西咸新区's; not baqiao-2020 (older), not 咸阳市's (another city)
    assert list(rows["xian-2024:1"]) == ["item_id", "category", "text", "baqiao-2023", "xixian-2023", "served"]
    charging = rows["xian-2024:4"]
    assert charging["baqiao-2023"].startswith("已确认 confirmed（配额 新建公(专)用充电桩：灞桥区200个；开工建设公共停车位：灞桥区800个")
    assert "西咸新区300个" in charging["xixian-2023"] and "（配额 " in charging["xixian-2023"]
    for row in rows.values():
        assert row["served"] == sum(not row[doc].startswith(("未找到", "已判无对应")) for doc in ("baqiao-2023", "xixian-2023"))
    nobody = sum(row["served"] == 0 for row in rows.values())
    assert f"30 city items against 2 plans (baqiao-2023, xixian-2023): {nobody} served by none" in captured.err
    assert main(["coverage", "xian-2024", "--out", str(tmp_path / "all.xlsx"), *data]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "all.xlsx")["各区覆盖"]
    assert [c.value for c in sheet[1]] == ["市级条目", "承接文档数", "分类", "任务", "灞桥区 baqiao-2023", "西咸新区 xixian-2023"]
    assert sheet.max_row == 31


def test_cli_coverage_overview_names_a_district_plan_registered_without_a_parent(data_copy, tmp_path, monkeypatch,
                                                                                capsys):
    """A plan added without --parent is under no city: the overview says so instead of leaving it out unseen."""
    from align.registry import DocumentMeta, add_document

    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    source = Path(__file__).resolve().parent / "fixtures" / "unseen" / "a2_yanta_2024_task_decomposition.xlsx"
    add_document(data_copy.data_dir, source, DocumentMeta(id="yanta-2024", title="t", jurisdiction="雁塔区",
                                                          level="district", year=2024, kind="task_table", file="y.xlsx"))
    assert main(["coverage", "xian-2024", "--format", "json", "--data", str(data_copy.data_dir)]) == 0
    captured = capsys.readouterr()
    assert "yanta-2024" not in json.loads(captured.out)[0], "not compared: its parent is not known"
    assert ("Not compared, registered with no parent or one no document is registered for: yanta-2024; if one is "
            "西安市's, count it with plan-align edit yanta-2024 --parent 西安市." in captured.err)
    # a parent typed wrong (西安 for 西安市) left it out with nothing said
    assert main(["edit", "yanta-2024", "--parent", "西安", "--data", str(data_copy.data_dir)]) == 0
    assert "warning: no registered document is of 西安, the parent given for yanta-2024" in capsys.readouterr().err
    assert main(["coverage", "xian-2024", "--format", "json", "--data", str(data_copy.data_dir)]) == 0
    said = capsys.readouterr().err
    assert "one no document is registered for: yanta-2024 (西安)." in said
    assert "--parent" not in said, "a plan under another city (铜川市's) is not to be put under this one"
    assert main(["edit", "yanta-2024", "--parent", "西安市", "--data", str(data_copy.data_dir)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "updated 'yanta-2024': parent: 西安 → 西安市\n" and captured.err == ""
    assert main(["coverage", "xian-2024", "--format", "json", "--data", str(data_copy.data_dir)]) == 0
    captured = capsys.readouterr()
    assert "yanta-2024" in json.loads(captured.out)[0], "counted once its parent is given"
    assert "registered with no parent" not in captured.err


def test_add_warns_of_a_district_plan_with_no_parent_and_of_an_entry_its_title_contradicts(data_copy, capsys):
    """Added with no --parent, a district plan was silently left out of its city's coverage; added as 碑林区 2023,
    a plan titled 雁塔区2024年… was registered so without a word."""
    source = Path(__file__).resolve().parent / "fixtures" / "unseen" / "a1_yanta_2024_task_decomposition.txt"
    data = ["--data", str(data_copy.data_dir)]
    assert main(["add", str(source), *data]) == 0
    err = capsys.readouterr().err
    assert "names no parent, so no city's coverage counts it; if it is under one of 咸阳市, 西安市:" in err, "a new area beside the district is no parent of it"
    assert "names another place or year" not in err
    assert main(["add", str(source), "--id", "beilin-2023", "--jurisdiction", "碑林区", "--year", "2023",
                 "--parent", "西安市", *data]) == 0
    err = capsys.readouterr().err
    assert "names another place or year than its entry (碑林区, 2023)" in err and "no parent" not in err
    # a new area under a city is warned of the same way (青岛西海岸新区 dropped out of 青岛市's coverage unsaid; a tester)
    area = DocumentMeta(id="xhs-2025", title="西海岸新区2025年工作要点", jurisdiction="青岛西海岸新区", level="new-area",
                        year=2025, kind="work_points", file="x.txt")
    assert any("names no parent" in english for english, _ in entry_warnings(load_registry(data_copy.data_dir), area))

    # a title naming two years, or opening with 关于印发, names the entry's: no warning
    for title, place in (("雁塔区2023年工作总结和2024年工作计划", "雁塔区"), ("关于印发雁塔区2024年重点工作任务分解的通知", None)):
        plan = data_copy.data_dir.parent / f"{len(title)}.txt"
        plan.write_text(f"{title}\n1.新建学校3所。\n", encoding="utf-8")
        assert main(["add", str(plan), "--year", "2024", "--parent", "西安市", "--id", f"p{len(title)}",
                     *(["--jurisdiction", place] if place else []), *data]) == 0
        assert "names another place or year" not in capsys.readouterr().err
    assert get_document(data_copy.data_dir, f"p{len('关于印发雁塔区2024年重点工作任务分解的通知')}").jurisdiction == "雁塔区"


def test_the_coverage_overview_compares_the_plans_it_can_read_and_names_the_one_it_cannot(data_copy, tmp_path,
                                                                                          monkeypatch, capsys):
    """One district plan's file gone: the whole overview was one error, 灞桥区 shown nowhere."""
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "cov.sqlite"))
    (data_copy.data_dir / "documents" / "xixian-2023-work-points.txt").unlink()
    assert main(["coverage", "xian-2024", "--format", "json", "--data", str(data_copy.data_dir)]) == 0
    captured = capsys.readouterr()
    assert "baqiao-2023" in json.loads(captured.out)[0] and "xixian-2023" not in json.loads(captured.out)[0]
    assert "against 1 plan (baqiao-2023)" in captured.err and "Not read: xixian-2023 (" in captured.err
    # the workbook, which travels without the terminal's line, names the plan it lacks too
    book = tmp_path / "cov.xlsx"
    assert main(["coverage", "xian-2024", "--out", str(book), "--data", str(data_copy.data_dir)]) == 0
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == ["各区覆盖", "未对照的文档"]
    header, missing = ([c.value for c in row] for row in workbook["未对照的文档"].iter_rows(max_row=2))
    assert header == ["文档", "辖区", "原因"]
    assert missing[0] == "xixian-2023" and missing[2].startswith("未能读取 not read:")


def test_the_plans_under_a_city_are_the_latest_of_each_place_below_it():
    from align.registry import DocumentMeta, plans_under, plans_without_parent

    def plan(doc_id: str, place: str, level: str, year: int, parent: str) -> DocumentMeta:
        return DocumentMeta(id=doc_id, title=doc_id, jurisdiction=place, level=level, year=year, kind="plan",
                            file=f"{doc_id}.txt", parent=parent)

    city = plan("xian-2024", "西安市", "city", 2024, "陕西省")
    docs = [city, plan("baqiao-2023", "灞桥区", "district", 2023, "西安市"),
            plan("baqiao-2020", "灞桥区", "district", 2020, "西安市"),
            plan("yanta-2024", "雁塔区", "district", 2024, "西安市"),
            plan("xianyang-2023", "咸阳市", "city", 2023, "陕西省"),  # another city: not under 西安市
            plan("qindu-2024", "秦都区", "district", 2024, "咸阳市"),
            plan("odd-2024", "西安市", "city", 2024, "西安市"),  # mis-registered as its own parent: not below
            plan("huyi-2024", "鄠邑区", "district", 2024, "")]  # no parent given: under no city, but named
    assert [m.id for m in plans_under(docs, city)] == ["baqiao-2023", "yanta-2024"]
    assert [m.id for m in plans_without_parent(docs, city)] == ["huyi-2024"]
    assert [m.id for m in plans_under(list(reversed(docs)), city)] == ["baqiao-2023", "yanta-2024"]
    assert plans_under(docs, docs[1]) == []
    # a report beside the task table of the same year: both are compared, neither dropped unseen
    report = plan("baqiao-2023-report", "灞桥区", "district", 2023, "西安市")
    assert [m.id for m in plans_under([*docs, report], city)] == ["baqiao-2023", "baqiao-2023-report", "yanta-2024"]


def test_a_link_to_a_document_taken_out_of_the_registry_by_hand_names_it(decided):
    """Exporting all pairs said only "Unknown document id", as if the planner had mistyped one."""
    store, settings = decided
    registry = settings.data_dir / "registry.toml"
    text = registry.read_text(encoding="utf-8")
    start = text.index('id = "baqiao-2020"')
    entry_start = text.rfind("[[document]]", 0, start)
    entry_end = text.find("[[document]]", start)
    registry.write_text(text[:entry_start] + text[entry_end:], encoding="utf-8")
    with pytest.raises(ExportError, match="Confirmed links name baqiao-2020, which is no longer registered") as raised:
        build_export_frame(store, settings)
    # 'register it again with plan-align add' could not be done: its file name is taken
    assert "Put its entry back in registry.toml" in str(raised.value) and "plan-align add" not in str(raised.value)
    assert build_export_frame(store, settings, ("baqiao-2023", "xian-2024")).height == 2, "other pairs still export"


def test_an_out_in_a_folder_under_dev_that_holds_files_is_written(data_copy, tmp_path, monkeypatch, capsys):
    """/dev/shm is an ordinary folder (tmpfs): refusing every path under /dev refused it too."""
    from pathlib import Path

    shm = Path("/dev/shm")
    if not shm.is_dir():
        pytest.skip("no /dev/shm here")
    out = shm / f"plan-align-test-{tmp_path.name}.csv"
    try:
        assert main(["items", "baqiao-2023", "--out", str(out), "--data", str(data_copy.data_dir)]) == 0
        assert "baqiao-2023:1," in out.read_text(encoding="utf-8-sig")
    finally:
        out.unlink(missing_ok=True)
