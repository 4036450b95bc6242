"""Export confirmed links with their provenance to Excel, CSV or Parquet.

The export is what leaves the building, so it is defensive: string cells that a spreadsheet
would run as a formula are neutralised, user-given file names cannot escape the export
folder, and files are written to a temporary name and renamed so a failed export never
leaves a half-written file behind.
"""

from __future__ import annotations

import importlib.metadata
import io
import json
import os
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO, Literal
from zoneinfo import ZoneInfo

import polars as pl
import pyarrow.parquet as pq
import xlsxwriter

from align.evolution import READABLE_WIDE, for_planners
from align.exceptions import ExportError, UnknownDocumentError
from align.files import file_digest, write_atomic, write_atomic_pair
from align.ingest import current_digests, load_items
from align.items import (
    Schema,
    doc_of_column,
    filled_columns,
    joined_targets,
    quota_label,
    shown_text,
    text_digests,
)
from align.registry import DocumentMeta, document_path, get_document, load_registry
from align.settings import Settings
from align.store import DecisionStore, judged_documents, link_key, local_time, with_text_changes

ExportFormat = Literal["xlsx", "csv", "parquet"]
FORMATS: tuple[str, ...] = ("xlsx", "csv", "parquet")

#: Export columns and the Chinese headers shown in Excel and CSV (Parquet keeps the
#: English names, which programs read more easily).
HEADERS: dict[str, str] = {
    "source_doc": "源文档",
    "target_doc": "目标文档",
    "source_id": "源条目",
    "target_id": "目标条目",
    "source_text": "源任务",
    "target_text": "目标任务",
    "source_units": "源责任单位",
    "target_units": "目标责任单位",
    "source_targets": "源指标值",
    "target_targets": "目标指标值",
    "quota": "下达配额",
    "source_deadline": "源完成时限",
    "target_deadline": "目标完成时限",
    "score": "得分",
    "reviewer": "审核人",
    "decided_at": "审核时间",
    "engine_version": "引擎版本",
    "note": "备注",
    "text_changed": "决定后文本已改",
    "disputed": "审核意见不一",
}
EXPORT_SCHEMA: Schema = {}
EXPORT_SCHEMA.update({name: pl.String for name in HEADERS})
EXPORT_SCHEMA["score"] = pl.Float64
#: Shown in Excel and CSV only when an exported item has a deadline (a task table's 完成时限);
#: Parquet always has them, so a program reading exports sees one schema.
DEADLINE_COLUMNS = ("source_deadline", "target_deadline")
#: Which text changed after the link was confirmed (a plan re-issued in place): shown, like the
#: deadlines, only when some exported link has it.
CHANGED_LABELS = {"source": "源任务", "target": "目标任务", "both": "源任务、目标任务"}
OPTIONAL_COLUMNS = (*DEADLINE_COLUMNS, "quota", "text_changed", "disputed")
SUMMARY_SHEET = "汇总"
SOURCES_SHEET = "文档来源"
SOURCES_SCHEMA: Schema = {"文档": pl.String, "标题": pl.String, "辖区": pl.String, "年份": pl.Int64,
                          "文件": pl.String, "文件 SHA-256": pl.String}
#: The same provenance in a Parquet export: its file metadata under this key, a JSON list with
#: these English names, for the programs that read Parquet.
PARQUET_SOURCES_KEY = "plan_align.documents"
#: When, by which version and from which decision store an export was made: a sheet in Excel,
#: file metadata under this key in Parquet.
ABOUT_SHEET = "导出信息"
PARQUET_EXPORT_KEY = "plan_align.export"
#: A CSV file has no room for it: a second CSV beside it, ``links.csv`` → ``links.sources.csv``.
CSV_SOURCES_SUFFIX = ".sources.csv"
SOURCES_ENGLISH = {"文档": "doc_id", "标题": "title", "辖区": "jurisdiction", "年份": "year", "文件": "file",
                   "文件 SHA-256": "sha256"}
MISSING_ITEM = "（该条目已不在当前文档中）"

#: Leading characters that make Excel, LibreOffice or Sheets treat a cell as a formula
#: (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# the same rule as a regex for polars, built from the tuple so that the two cannot disagree
_FORMULA_PATTERN = "^(?:" + "|".join(map(re.escape, FORMULA_PREFIXES)) + ")"
#: What an Excel cell holds; a longer text is cut and ends with this note.
EXCEL_CELL_CHARS = 32_767
CUT_NOTE = "…（超出 Excel 单元格上限，已截断；CSV 或 Parquet 导出保留全文 cut at Excel's cell limit: the CSV or Parquet export keeps it whole）"
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_MAX_SHEET = 31
_MAX_WIDTH = 60
_MIN_TEXT_WIDTH = 40
_WIDE_COLUMNS = {"source_text", "target_text", "source_targets", "target_targets", "note"}


# ------------------------------------------------------------------ building


def build_export_frame(
    store: DecisionStore,
    settings: Settings,
    pair: tuple[str, str] | None = None,
    *,
    include_conflicts: bool = False,
) -> pl.DataFrame:
    """Confirmed links joined with both items' text, responsible units, targets and deadlines.

    Parameters
    ----------
    store : the decision store to read confirmed links from.
    settings : where the documents live (items are loaded with ``load_items``).
    pair : ``(source_doc, target_doc)`` to export one document pair; all pairs when None.
    include_conflicts : also export links that reviewers disagree on (off: a disputed
        link should not leave the building as agreed).

    An item that is no longer in its document (the file changed after the decision) is
    kept, with its text marked as missing, so no decision silently disappears; one whose
    text is not the text confirmed is named in ``text_changed``. With ``include_conflicts``,
    a disputed link says who decided what in ``disputed`` (乙: rejected), so the file does not
    present it as agreed.
    """
    source_doc, target_doc = pair if pair is not None else (None, None)
    for doc_id in pair or ():  # a mistyped id is named as such, not reported as "no links"
        get_document(settings.data_dir, doc_id)
    # a rejection of a re-issued plan's old text disputes no confirmation made since
    now = current_digests(settings, judged_documents(store.current()))
    links = store.confirmed_links(source_doc, target_doc, include_conflicts=include_conflicts, digests=now)
    if links.is_empty():
        scope = f" from '{source_doc}' to '{target_doc}'" if pair is not None else ""
        if held := 0 if include_conflicts else store.confirmed_links(source_doc, target_doc,
                                                                     include_conflicts=True).height:
            raise ExportError(  # as the Export page says: not "confirm some first", which they did
                f"There are no agreed links{scope} to export: {held} confirmed link(s) are disputed by another "
                "reviewer. Settle them (the Review page shows who decided what), or export them marked with "
                "--include-conflicts.",
                zh=f"另有 {held} 条已确认的链接审核意见不一，未列入；请先协调，或加 --include-conflicts 一并导出（标明分歧）",
            )
        raise ExportError(
            f"There are no confirmed links{scope} to export. Confirm links in the review app or with "
            "'plan-align decide SOURCE_ID TARGET_ID --confirm --reviewer NAME' first.",
            zh="还没有已确认的链接可导出，请先在审核页确认",
        )
    registered = {meta.id: meta for meta in load_registry(settings.data_dir)}
    if gone := [doc_id for doc_id in _documents(links) if doc_id not in registered]:
        raise ExportError(
            f"Confirmed links name {', '.join(gone)}, which {'is' if len(gone) == 1 else 'are'} no longer registered "
            "(taken out of registry.toml by hand?). Put its entry back in registry.toml (its file is still in the "
            "data folder's documents/), or export the other pairs one by one with --pair.",
            zh=f"已确认的链接涉及已不在登记中的文档 {'、'.join(gone)}，请在 registry.toml 中恢复其登记（文件仍在 documents/），"
               "或用 --pair 逐对导出其他文档",
        )
    loaded = [load_items(settings, doc_id) for doc_id in _documents(links)]
    items = pl.concat([_item_columns(one) for one in loaded], how="vertical")
    digests = {item_id: digest for one in loaded for item_id, digest in text_digests(one).items()}
    frame = with_text_changes(links, digests).with_columns(
        pl.col("text_changed").replace_strict(CHANGED_LABELS, default=None)
    )
    for side in ("source", "target"):
        renamed = items.rename({name: f"{side}_{name}" for name in items.columns if name != "item_id"})
        frame = frame.join(renamed, left_on=f"{side}_id", right_on="item_id", how="left").with_columns(
            pl.col(f"{side}_text").fill_null(MISSING_ITEM)
        )
    if include_conflicts:  # else no disputed link is in the frame
        disputed = store.conflicts(now).select(*link_key(), pl.col("summary").alias("disputed")) \
            .group_by("low", "high").agg(pl.col("disputed").str.join(" | "))
        frame = frame.with_columns(link_key()).join(disputed, on=["low", "high"], how="left").drop("low", "high")
    else:
        frame = frame.with_columns(disputed=pl.lit(None, dtype=pl.String))
    frame = _with_allotted_quotas(frame, registered).with_columns(local_time("decided_at", settings.timezone))
    # in each plan's own order (item 2 before item 10), a vanished item last
    frame = frame.sort("source_doc", "target_doc", "source_position", "target_position", "source_id", "target_id",
                       nulls_last=True)
    return frame.select(list(EXPORT_SCHEMA)).cast(pl.Schema(EXPORT_SCHEMA))


def document_sources(settings: Settings, frame: pl.DataFrame) -> pl.DataFrame:
    """The documents an export frame's links join, as registered, with the SHA-256 of each
    file at export time: whoever receives the links can tell which edition of a plan they
    were reviewed against (a plan re-issued with changes has another fingerprint)."""
    rows = []
    registered = {meta.id: meta for meta in load_registry(settings.data_dir)}  # read once, not per document
    for doc_id in _documents(frame):
        meta = registered.get(doc_id)
        if meta is None:
            raise UnknownDocumentError(doc_id, list(registered))
        path = document_path(settings.data_dir, meta)
        rows.append({"文档": doc_id, "标题": meta.title, "辖区": meta.jurisdiction, "年份": meta.year,
                     "文件": meta.file, "文件 SHA-256": file_digest(path) if path.is_file() else "（文件缺失）"})
    return pl.DataFrame(rows, schema=SOURCES_SCHEMA)


def export_provenance(settings: Settings, frame: pl.DataFrame) -> dict[str, tuple[str, str]]:
    """What an export says of itself: when it was made, by which version of plan-align, from
    which decision store, and how many of its links are disputed. English key → (Chinese label, value)."""
    try:
        version = importlib.metadata.version("plan-align")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree that was never installed
        version = "unknown"
    now = datetime.now(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M:%S")
    return {
        "exported_at": ("导出时间", f"{now} ({settings.timezone})"),
        # the clock of every time in the file (审核时间 is written without an offset, as planners read it)
        "timezone": ("时区", settings.timezone),
        "plan_align_version": ("plan-align 版本", version),
        "decision_store": ("审核记录库", str(Path(settings.db_path).resolve())),
        "links": ("链接数", str(frame.height)),
        "disputed_links": ("其中审核意见不一", str(frame["disputed"].is_not_null().sum())),
    }


def _documents(links: pl.DataFrame) -> list[str]:
    """The documents on either side of some link, sorted."""
    return sorted(set(links["source_doc"].to_list()) | set(links["target_doc"].to_list()))


def _with_allotted_quotas(frame: pl.DataFrame, documents: dict[str, DocumentMeta]) -> pl.DataFrame:
    """``frame`` with a ``quota`` column: what either item of a link allots the other plan's
    jurisdiction (xian-2024:4's 新建公(专)用充电桩：灞桥区200个 beside a 灞桥区 task), so whoever
    checks the district's delivery reads the share it owes next to the task that delivers it. A
    quota may name it as its city's plan does (高新区 for 宝鸡高新区)."""
    names = {doc_id: meta.jurisdiction for doc_id, meta in documents.items()}
    # the name a zone's parent gives it (高新区 for 西安高新区), read only in that parent's plans
    zones = pl.DataFrame([{"zone": doc_id, "parent": meta.parent, "short": meta.short_name}
                          for doc_id, meta in documents.items() if meta.short_name != meta.jurisdiction],
                         schema={"zone": pl.String, "parent": pl.String, "short": pl.String})
    rows = frame.with_row_index("_row")
    allotted = pl.concat([
        rows.select("_row", pl.col(f"{other}_doc").alias("zone"),
                    pl.col(f"{other}_doc").replace_strict(names, default=None).alias("place"),
                    pl.col(f"{side}_doc").replace_strict(names, default=None).alias("parent"),
                    pl.col(f"{side}_quotas").alias("allotted"))
        .join(zones, on=["zone", "parent"], how="left")
        .explode("allotted").drop_nulls("allotted")
        .filter((pl.col("allotted").struct.field("jurisdiction") == pl.col("place"))
                | (pl.col("allotted").struct.field("jurisdiction") == pl.col("short")))
        for side, other in (("target", "source"), ("source", "target"))
    ]).group_by("_row", maintain_order=True).agg(quota_label(pl.col("allotted")).str.join("；").alias("quota"))
    return rows.join(allotted, on="_row", how="left").drop("_row")


def _item_columns(items: pl.DataFrame) -> pl.DataFrame:
    """One document's items flattened to text: units joined by 、, target phrases by ；, with
    each item's place in its plan and the district quotas it gives."""
    return items.with_row_index("position").select(
        "item_id",
        "position",
        shown_text().alias("text"),
        pl.col("units").list.join("、").alias("units"),
        joined_targets().alias("targets"),
        pl.col("deadline"),
        pl.col("quotas"),
    )


# ------------------------------------------------------------------ safety


def neutralize_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """A quote prefixed to every string cell a spreadsheet would run as a formula (``=cmd|...``);
    other cells and columns unchanged."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def safe_export_path(out_dir: str | Path, filename: str, fmt: ExportFormat) -> Path:
    """The path ``out_dir/filename``, refusing any name that could land outside ``out_dir``.

    A missing extension is added; a different export extension is refused rather than
    producing a file whose name lies about its content.
    """
    name = str(filename)
    problems: list[str] = []
    if not name.strip():
        problems.append("The file name is empty.")
    if any(sep in name for sep in ("/", "\\", os.sep, os.altsep or "/")):
        problems.append(f"The file name {name!r} contains a path separator.")
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or ":" in name:
        problems.append(f"The file name {name!r} is an absolute path or names a drive.")
    if name.startswith("."):
        problems.append(f"The file name {name!r} starts with a dot (a hidden file).")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        problems.append(f"The file name {name!r} contains control characters.")
    if len(name.encode("utf-8")) > 200:
        problems.append("The file name is longer than 200 bytes.")
    if problems:
        raise ExportError(
            " ".join(problems) + " Give a plain file name such as 'links.xlsx'; it is written into the export folder.",
            zh="文件名请只写名字，如“链接.xlsx”，不带路径、不以点开头",
        )
    suffix = Path(name).suffix.lower()
    if suffix in {f".{f}" for f in FORMATS} and suffix != f".{fmt}":
        raise ExportError(
            f"The file name {name!r} ends in {suffix} but the format is {fmt}. Use a name ending in .{fmt}.",
            zh=f"文件名以 {suffix} 结尾，与所选格式 {fmt} 不符",
        )
    if suffix != f".{fmt}":
        name += f".{fmt}"
    folder = Path(out_dir)
    if not folder.is_dir():
        raise ExportError(
            f"The export folder {folder} does not exist. Create it or choose another folder.", zh=f"导出文件夹 {folder} 不存在"
        )
    target = folder.resolve() / name
    if target.parent != folder.resolve():
        raise ExportError(
            f"The file name {filename!r} would be written outside {folder}. Give a plain file name.",
            zh="文件名请只写名字，不带路径",
        )
    return target


# ------------------------------------------------------------------ writing


def export_links(
    frame: pl.DataFrame, fmt: ExportFormat, out_dir: str | Path, filename: str, *, settings: Settings | None = None
) -> Path:
    """Write an export frame (from :func:`build_export_frame`) and return the file written.

    Excel gets a 汇总 summary sheet, then, given the ``settings`` that locate the documents,
    their provenance (:func:`document_sources`, a 文档来源 sheet), and one sheet per document pair; CSV is
    UTF-8 with a BOM so Excel opens it in the right encoding, its provenance a second CSV beside
    it (:func:`csv_sources_path`); Parquet keeps the English column names and carries the same
    provenance in its file metadata (``PARQUET_SOURCES_KEY``).
    """
    if fmt not in FORMATS:
        raise ExportError(
            f"The export format must be one of {', '.join(FORMATS)}. Got {fmt!r} instead.",
            zh=f"导出格式只能是 {'、'.join(FORMATS)}，现为“{fmt}”",
        )
    missing = [name for name in EXPORT_SCHEMA if name not in frame.columns]
    if missing:
        raise ExportError(
            f"The export frame lacks column(s) {', '.join(missing)}. Build it with build_export_frame().",
            zh=f"导出表缺少列 {'、'.join(missing)}",
        )
    if frame.is_empty():
        raise ExportError(
            "There is nothing to export: the selection holds no confirmed links. Confirm links first.",
            zh="所选范围内还没有已确认的链接，请先确认",
        )
    path = safe_export_path(out_dir, filename, fmt)
    frame = frame.select(list(EXPORT_SCHEMA)).cast(pl.Schema(EXPORT_SCHEMA))
    # read before writing, so a document file that cannot be read is not reported as an unwritable export
    sources = document_sources(settings, frame) if settings is not None else None
    about = export_provenance(settings, frame) if settings is not None else None
    writers: dict[str, Callable[[pl.DataFrame, Path], None]] = {
        "xlsx": lambda data, tmp: _write_xlsx(data, tmp, sources, about),
        "csv": _write_csv,
        "parquet": lambda data, tmp: _write_parquet(data, tmp, sources, about),
    }
    if fmt == "csv" and sources is not None:  # the links and their document list, both or neither
        write_atomic_pair(path, lambda tmp: writers[fmt](frame, tmp),
                          csv_sources_path(path), lambda tmp: write_spreadsheet_csv(sources, tmp))
    else:
        write_atomic(path, lambda tmp: writers[fmt](frame, tmp))  # an unwritable file: OutputError, naming it
    return path


def csv_sources_path(path: str | Path) -> Path:
    """Where a CSV export's provenance is written: ``links.csv`` → ``links.sources.csv``."""
    path = Path(path)
    return path.with_name(path.stem + CSV_SOURCES_SUFFIX)


def _write_parquet(frame: pl.DataFrame, path: Path, sources: pl.DataFrame | None,
                   about: dict[str, tuple[str, str]] | None = None) -> None:
    table = frame.to_arrow()
    metadata = dict(table.schema.metadata or {})
    if sources is not None:
        metadata[PARQUET_SOURCES_KEY] = sources.rename(SOURCES_ENGLISH).write_json()
    if about is not None:
        metadata[PARQUET_EXPORT_KEY] = json.dumps({key: value for key, (_, value) in about.items()}, ensure_ascii=False)
    if metadata:
        table = table.replace_schema_metadata(metadata)
    pq.write_table(table, path, compression="zstd")


def parquet_sources(path: str | Path) -> pl.DataFrame:
    """The documents a Parquet export names in its metadata (empty when it names none)."""
    documents = (pq.read_schema(path).metadata or {}).get(PARQUET_SOURCES_KEY.encode())
    schema = {SOURCES_ENGLISH[name]: dtype for name, dtype in SOURCES_SCHEMA.items()}
    return pl.read_json(documents, schema=schema) if documents else pl.DataFrame(schema=schema)


def _write_csv(frame: pl.DataFrame, path: Path) -> None:
    write_spreadsheet_csv(_for_spreadsheet(frame), path)


def _for_spreadsheet(frame: pl.DataFrame) -> pl.DataFrame:
    """Chinese headers, without deadline (or text-changed) columns when no exported link has
    one (most pairs have none, and empty columns would only push the score aside)."""
    empty = set(OPTIONAL_COLUMNS) - set(filled_columns(frame, OPTIONAL_COLUMNS))
    return frame.drop(empty).rename(HEADERS, strict=False)


def write_spreadsheet_csv(frame: pl.DataFrame, path: str | Path) -> None:
    """A CSV file for a planner's spreadsheet: a BOM, so Excel reads the Chinese as UTF-8, and
    formula-like text quoted (:func:`neutralize_frame`). Every CSV file plan-align writes goes here."""
    neutralize_frame(frame).write_csv(path, include_bom=True)


def sheet_name(source_doc: str, target_doc: str, taken: set[str]) -> str:
    """An Excel-valid, unique sheet name like ``baqiao-2023→xian-2024`` (at most 31 characters)."""
    base = f"{source_doc}→{target_doc}".translate(_SHEET_FORBIDDEN)
    base = "".join("_" if unicodedata.category(ch) == "Cc" else ch for ch in base).strip("'") or "links"
    name = base[:_MAX_SHEET]
    counter = 2
    while name.casefold() in taken or name.casefold() == "history":
        tail = f"~{counter}"
        name = base[: _MAX_SHEET - len(tail)] + tail
        counter += 1
    taken.add(name.casefold())
    return name


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_workbook(
    target: Path | BinaryIO, sheets: Sequence[tuple[str, pl.DataFrame]], *, wide: Collection[str] = ()
) -> None:
    """Tables as the sheets of one Excel workbook, each with a bold frozen header and a filter,
    strings as literal text (never formulas), readable widths, and the ``wide`` columns wrapped.

    ``target`` is a file or an in-memory buffer (the app's download button).
    """
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(target if not isinstance(target, Path) else str(target),
                                   {**options, "in_memory": not isinstance(target, Path)})
    formats = {
        "header": {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"},
        "wrap": {"text_wrap": True, "valign": "top"},
        "plain": {"valign": "top"},
        "score": {"valign": "top", "num_format": "0.000"},
        # text that reads like a formula (=…, -李): kept as written, and marked so that editing the
        # cell in Excel does not turn it into one (the apostrophe Excel hides, not one in the text)
        "quoted_wrap": {"text_wrap": True, "valign": "top", "quote_prefix": True},
        "quoted_plain": {"valign": "top", "quote_prefix": True},
    }
    made = {name: workbook.add_format(spec) for name, spec in formats.items()}
    try:
        for name, frame in sheets:
            _write_sheet(workbook.add_worksheet(name), frame, made, wide=set(wide))
    finally:
        workbook.close()


def workbook_bytes(sheets: Sequence[tuple[str, pl.DataFrame]], *, wide: Collection[str] = ()) -> bytes:
    """:func:`write_workbook` into memory, for the app's download buttons."""
    buffer = io.BytesIO()
    write_workbook(buffer, sheets, wide=wide)
    return buffer.getvalue()


def write_evolution_workbook(target: Path | BinaryIO, steps: Sequence[pl.DataFrame],
                             headlines: Sequence[pl.DataFrame] = ()) -> None:
    """Evolution tables of consecutive years as one workbook: a sheet per pair of documents
    (``baqiao-2020→baqiao-2023``), nested columns as text, headers in Chinese; the plans' headline
    targets (:func:`~align.evolution.headline_changes`), where any plan states them, on a first
    sheet of their own."""
    from align.evolution import headlines_for_planners

    taken: set[str] = {HEADLINE_SHEET.casefold()}
    sheets = []
    stated = [table for table in headlines if not table.is_empty()]
    if stated:
        sheets.append((HEADLINE_SHEET, headlines_for_planners(pl.concat(stated))))
    for table in steps:
        old_doc, new_doc = (next(iter(table.select(doc_of_column(c)).to_series().drop_nulls()), "?")
                            for c in ("old_id", "new_id"))
        sheets.append((sheet_name(old_doc, new_doc, taken), for_planners(table)))
    write_workbook(target, sheets, wide=READABLE_WIDE)


HEADLINE_SHEET = "主要预期目标"


def _write_xlsx(frame: pl.DataFrame, path: Path, sources: pl.DataFrame | None = None,
                about: dict[str, tuple[str, str]] | None = None) -> None:
    pairs = frame.group_by("source_doc", "target_doc", maintain_order=True).len().sort("source_doc", "target_doc")
    taken = {SUMMARY_SHEET.casefold(), SOURCES_SHEET.casefold(), ABOUT_SHEET.casefold()}
    summary_rows = []
    sheets = []
    for source_doc, target_doc, count in pairs.iter_rows():
        name = sheet_name(source_doc, target_doc, taken)
        part = frame.filter((pl.col("source_doc") == source_doc) & (pl.col("target_doc") == target_doc))
        sheets.append((name, part))  # in the plans' order, as built
        summary_rows.append({
            "源文档": source_doc, "目标文档": target_doc, "工作表": name, "确认链接数": count,
            "审核人": ", ".join(sorted({r.strip() for v in part["reviewer"] for r in v.split(",")})),
            "最近审核时间": part["decided_at"].max(),
        })
    summary = pl.DataFrame(summary_rows, schema={
        "源文档": pl.String, "目标文档": pl.String, "工作表": pl.String, "确认链接数": pl.Int64,
        "审核人": pl.String, "最近审核时间": pl.String,
    })
    provenance = [] if sources is None else [(SOURCES_SHEET, sources)]
    if about is not None:
        provenance.append((ABOUT_SHEET, pl.DataFrame(list(about.values()), schema=["项目", "内容"], orient="row")))
    write_workbook(
        path, [(SUMMARY_SHEET, summary), *provenance, *((name, _for_spreadsheet(part)) for name, part in sheets)],
        wide={HEADERS[c] for c in _WIDE_COLUMNS},
    )


def _write_sheet(sheet, frame: pl.DataFrame, formats: dict, *, wide: set[str]) -> None:
    """Write a table: frozen header, strings as literal text (never formulas), readable widths.

    A text longer than an Excel cell holds (32,767 characters) is cut with a note saying so,
    where Excel would cut it silently; CSV and Parquet exports keep it whole."""
    plain = formats["plain"]
    for col, name in enumerate(frame.columns):
        sheet.write_string(0, col, name, formats["header"])
        values = frame[name].to_list()
        numeric = frame.schema[name].is_numeric()
        for row, value in enumerate(values, start=1):
            if value is None or value == "":
                sheet.write_blank(row, col, None, plain)
            elif isinstance(value, bool):
                sheet.write_string(row, col, "是" if value else "否", plain)
            elif numeric:
                sheet.write_number(row, col, value, formats["score"] if frame.schema[name].is_float() else plain)
            else:
                text = str(value)
                if len(text) > EXCEL_CELL_CHARS:
                    text = text[:EXCEL_CELL_CHARS - len(CUT_NOTE)] + CUT_NOTE
                kind = "wrap" if name in wide else "plain"
                sheet.write_string(row, col, text, formats[f"quoted_{kind}" if text.startswith(FORMULA_PREFIXES) else kind])
        longest = max([_display_width(name)] + [_display_width(str(v)) for v in values if v is not None])
        # a text column is wide enough to read even when this export's texts are short
        sheet.set_column(col, col, max(min(longest, _MAX_WIDTH), _MIN_TEXT_WIDTH if name in wide else 0) + 2)
    sheet.freeze_panes(1, 0)
    if frame.height:
        sheet.autofilter(0, 0, frame.height, frame.width - 1)
