"""导出 Export: confirmed links of a document pair, or all, as Excel, CSV or Parquet."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import streamlit as st

import app_support as ui
from align.exceptions import PlanAlignError
from align.export import (
    FORMATS,
    HEADERS,
    build_export_frame,
    csv_sources_path,
    export_links,
)

MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "parquet": "application/octet-stream",
}
FORMAT_LABELS = {"xlsx": "Excel (.xlsx)", "csv": "CSV (.csv, UTF-8)", "parquet": "Parquet (.parquet)"}


def _prepare(request: list) -> None:
    """Write the export file into ``data_dir/exports`` and remember it, with what was asked, for the download button.

    ``request`` is the page's choice (scope, source, target, format, conflicts, and a digest of
    the confirmed links: an undo and a new confirm leave their count as it was).
    """
    scope, source_doc, target_doc, fmt, include_conflicts, _ = request
    current = ui.settings()
    pair = (source_doc, target_doc) if scope == "pair" else None
    name = f"links_{source_doc}__{target_doc}" if pair else "links_all"
    out_dir = Path(current.data_dir) / "exports"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        frame = build_export_frame(ui.store(), current, pair, include_conflicts=include_conflicts)
        path = export_links(frame, fmt, out_dir, f"{name}.{fmt}", settings=current)  # type: ignore[arg-type]
    except (PlanAlignError, OSError) as exc:
        st.session_state["export_file"] = None
        ui.flash("error", ui.problem_text(exc))
        return
    sources = csv_sources_path(path)
    # the bytes as written now: another session preparing the same file name later must not
    # change what this one downloads
    st.session_state["export_file"] = {
        "path": str(path), "fmt": fmt, "rows": frame.height, "request": request, "data": path.read_bytes(),
        "sources": sources.read_bytes() if fmt == "csv" and sources.is_file() else None,
    }
    ui.flash("success", f"已生成 written: {path.name} ({frame.height} 条 links)")


ui.page("导出 Export", "ex")

ids = ui.or_stop(ui.document_ids)
ui.choose_default("export_source", ids, ui.DEFAULT_SOURCE)
ui.choose_default("export_target", ids, ui.DEFAULT_TARGET, -1)

scope = ui.bound(st.radio, "范围 Scope", "scope", "ex", ["pair", "all"], horizontal=True,
                 format_func={"pair": "一对文档 one document pair", "all": "全部 all pairs"}.get)
cols = st.columns(2)
with cols[0]:
    source_doc = ui.bound(st.selectbox, "源文档 Source", "export_source", "ex", ids, disabled=scope == "all")
with cols[1]:
    target_doc = ui.bound(st.selectbox, "目标文档 Target", "export_target", "ex", ids, disabled=scope == "all")
fmt = ui.bound(st.radio, "格式 Format", "fmt", "ex", list(FORMATS), horizontal=True, format_func=FORMAT_LABELS.get)
include = ui.bound(st.checkbox, "包括有争议的链接 Include links reviewers disagree on", "with_conflicts", "ex")

if scope == "pair" and source_doc == target_doc:  # as on every other page (it said "no confirmed links yet")
    st.warning("请选择两个不同的文档 Choose two different documents.")
    ui.stop()
chosen_pair = (source_doc, target_doc) if scope == "pair" else (None, None)
now = ui.readable_fingerprints(ui.or_stop(ui.store).current())  # as the export judges a reject of old text
links = ui.or_stop(ui.store).confirmed_links(*chosen_pair, include_conflicts=include, digests=now)
held = 0 if include else ui.store().confirmed_links(*chosen_pair, include_conflicts=True).height - links.height
st.metric("已确认链接 confirmed links", links.height)
if held:
    st.warning(f"另有 {held} 条已确认的链接审核意见不一，未列入；可在审核页处理，或勾选“包括有争议的链接”（文件中会标出）。 "
               f"{held} more confirmed link(s) are disputed by another reviewer and left out: settle them on the "
               "Review page, or tick 'Include links reviewers disagree on' (the file marks them).")
preview = None
if links.height:
    try:  # the rows the file will hold, built as the file builds them (a vanished task reads as such in both)
        preview = build_export_frame(ui.store(), ui.settings(), chosen_pair if scope == "pair" else None,
                                     include_conflicts=include)
    except PlanAlignError as exc:  # a document gone or unreadable: the export would fail the same way
        ui.error_box(exc)
if preview is not None:
    changed = preview.filter(pl.col("text_changed").is_not_null()).height
    if changed:
        st.warning(f"{changed} 条链接确认之后，其任务文本已改或已删（文档重新发布？）请在审核页复核；导出文件的“决定后文本已改”列标出它们。 "
                   f"{changed} link(s) were confirmed on text that has since changed or gone (a plan re-issued?): "
                   "check them again on the Review page; the export marks them.")
    # who decided, when and whether reviewers disagree before the long texts: at 1366 px they were off-screen
    shown = preview.select("source_id", "target_id", "reviewer", "decided_at", pl.col("score").round(3),
                           *([pl.col("disputed").fill_null("")] if include else []), pl.col("note").fill_null(""),
                           pl.col("text_changed").fill_null(""), "source_text", "target_text") \
        .rename(lambda name: f"{HEADERS[name]} {name.replace('_', ' ')}")
    st.dataframe(shown, hide_index=True, width="stretch", key="ex_preview", column_config={
        f"{HEADERS[name]} {name.replace('_', ' ')}": st.column_config.TextColumn(width="medium")
        for name in ("source_text", "target_text")})
# What the file would hold: a prepared file for another choice, or from before new
# decisions, must not be handed over under the current one.
request = [scope, source_doc, target_doc, fmt, include,
           hashlib.sha256((links if preview is None else preview).write_csv().encode()).hexdigest()]
st.button("生成文件 Prepare file", key="ex_prepare", type="primary", disabled=links.is_empty(),
          on_click=_prepare, args=(request,))

prepared = st.session_state.get("export_file")
if prepared and prepared.get("request") != request:
    if not links.is_empty():
        st.caption("选择或已确认的链接有变化，请重新生成文件 (the choice or the confirmed links changed: prepare the file again)")
elif prepared:
    path = Path(prepared["path"])
    st.download_button(
        f"下载 Download {path.name}", data=prepared["data"], file_name=path.name, mime=MIME[prepared["fmt"]],
        key="ex_download", icon=":material/download:",
    )
    if prepared["sources"] is not None:  # a CSV has no room for provenance: it comes beside it
        sources = csv_sources_path(path)
        st.download_button(
            f"下载文档来源 Download {sources.name}", data=prepared["sources"], file_name=sources.name,
            mime=MIME["csv"], key="ex_download_sources", icon=":material/verified:",
            help="所链接文档的标题、年份与导出时文件的 SHA-256 (each plan's file as exported: a re-issued plan has another)",
        )
    st.caption(f"文件也保存在 also saved at `{path}`")
elif links.is_empty() and not held:
    st.info("还没有已确认的链接 No confirmed links yet: confirm some on the 审核 Review page.")
