"""文档 Documents: the registry and each document's items; an item's original lines; a wrong entry corrected
or a document added by mistake removed."""

from __future__ import annotations

import polars as pl
import streamlit as st

import app_support as ui
from align.exceptions import PlanAlignError
from align.registry import KINDS, LEVELS, registration_warnings, remove_document, update_document
from align.store import decisions_on

ui.page("文档 Documents", "doc")

registry = ui.or_stop(ui.registry)

st.dataframe(ui.plain_registry(registry), hide_index=True, width="stretch", key="doc_registry",
             column_config={"年份 year": st.column_config.NumberColumn(format="%d")})

ids = registry["id"].to_list()
if not ids:
    st.info("还没有登记文档 No documents are registered yet: add one on the 添加文档 Add document page.")
    ui.stop()
ui.choose_default("doc", ids, ui.DEFAULT_SOURCE)
doc_id = ui.bound(
    st.selectbox, "文档 Document", "doc", "doc", ids,
    format_func=lambda d: f"{d} — {registry.filter(pl.col('id') == d)['title'][0]}",
)

meta = ui.documents()[doc_id]
with st.expander("修改登记信息 Correct the registration"):
    # Keyed by document, so choosing another one shows its own entry, not the last one's edits.
    with st.form(f"doc_edit_{doc_id}", border=False):
        c1, c2 = st.columns(2)
        title = c1.text_input("标题 title", meta.title, key=f"doc_edit_title_{doc_id}")
        jurisdiction = c1.text_input("辖区 jurisdiction", meta.jurisdiction, key=f"doc_edit_jurisdiction_{doc_id}")
        level = c1.selectbox("层级 level", LEVELS, index=LEVELS.index(meta.level), format_func=ui.LEVEL_LABELS.get,
                             key=f"doc_edit_level_{doc_id}")
        parent = c2.text_input("上级 parent (e.g. 西安市)", meta.parent, key=f"doc_edit_parent_{doc_id}",
                               help="区级文档的上级决定它计入哪个市的覆盖 (which city's coverage counts it)")
        year = c2.number_input("年份 year", 1949, 2100, meta.year, step=1, key=f"doc_edit_year_{doc_id}")
        kind = c2.selectbox("类型 kind", KINDS, index=KINDS.index(meta.kind), format_func=ui.KIND_LABELS.get,
                            key=f"doc_edit_kind_{doc_id}")
        saved = st.form_submit_button("保存 Save", type="primary")
    if saved:
        try:
            update_document(ui.data_dir(), doc_id, title=title.strip(), jurisdiction=jurisdiction.strip(), level=level,
                            parent=parent.strip(), year=int(year), kind=kind)
        except PlanAlignError as exc:  # nothing is written: the planner's edits stay in the form to be fixed
            ui.error_box(exc)
        else:
            ui.flash("success", f"已更新 updated '{doc_id}'")
            for warning, zh in registration_warnings(ui.data_dir(), doc_id, commands=False):
                ui.flash("warning", f"{zh}。 {warning}")
            st.rerun()

with st.expander("移除文档 Remove this document"):
    if decided := decisions_on(ui.or_stop(ui.store).current(), doc_id):  # they would lose the text they judged
        st.caption(f"{decided} 条有效的审核结论涉及本文档，不能移除 {decided} decision(s) in effect judge its items: "
                   "undo them on the Review page first, or keep it.")
    else:
        sure = st.checkbox(f"确认从登记表移除 {doc_id} (its file is kept aside in documents/.removed, or left where it is if outside the data folder)",
                           key=f"doc_remove_sure_{doc_id}")
        if st.button("移除 Remove", key="doc_remove", disabled=not sure, icon=":material/delete:"):
            try:
                moved = remove_document(ui.data_dir(), doc_id)
            except PlanAlignError as exc:
                ui.error_box(exc)
            else:
                kept = f"（文件保留在 file kept in {ui.short_path(moved)}）" if moved else ""
                ui.flash("success", f"已移除 removed '{doc_id}'{kept}")
                st.rerun()

items = ui.or_stop(ui.items, doc_id)

table = ui.plain_items(items)
reports_progress = items["status"].is_not_null().any()  # a plan does not: "0 done" would read as nothing achieved
cols = st.columns(3)
cols[0].metric("条目 items", items.height)
cols[1].metric("已完成 done", items.filter(pl.col("status") == "done").height if reports_progress else "—",
               help=None if reports_progress else "这份文档不报告进展 this document reports no progress")
cols[2].metric("有目标值 with targets", items.filter(pl.col("targets").list.len() > 0).height)
notes = ui.or_stop(ui.warnings, doc_id)
if notes:  # the document's own counts disagree, a line was skipped: say so before the table is trusted
    with st.expander(f"解析提示 Parser notes ({len(notes)})", expanded=True):
        for note in notes:
            st.warning(note)
st.dataframe(
    table, hide_index=True, width="stretch", key="doc_items",
    column_config={"任务 text": st.column_config.TextColumn(width="large")},
)

item_ids = items["item_id"].to_list()
ui.choose_default("doc_item", item_ids, None)
rows = {row["item_id"]: row for row in items.to_dicts()}
item_id = ui.bound(st.selectbox, "条目 Item", "doc_item", "doc", item_ids, format_func=lambda i: ui.item_label(rows[i]))
row = rows[item_id]
left, right = st.columns(2)
with left:
    st.subheader("原文 Original lines")
    ranges = row["source_lines"] or [1, 1]
    try:
        for number, (first, last) in enumerate(zip(ranges[::2], ranges[1::2])):
            if number:
                st.caption("附件 attachment")
            st.code(ui.source_lines(doc_id, first, last), language=None, wrap_lines=True)
    except PlanAlignError as exc:
        ui.error_box(exc)
with right:
    st.subheader("结构化 Parsed")
    st.text(f"编号 number: {row['number']}\n"
            f"分类 section: {' / '.join(row['section_path']) or '—'}\n"
            f"责任单位 units: {'、'.join(row['units']) or '—'}\n"
            f"状态 status: {ui.status_label(row['status'])}\n"
            f"完成时限 deadline: {row['deadline'] or '—'}\n"
            f"目标 targets: {ui.targets_text(row['targets'])}\n"
            f"配额 quotas: {ui.quotas_text(row['quotas'])}")
    if row["progress"]:
        st.caption("进展 progress")
        st.text(row["progress"])
