"""演变 Evolution: a task's line across years, with how its targets changed."""

from __future__ import annotations

import polars as pl
import streamlit as st

import app_support as ui
from align.deadlines import describe_shift
from align.evolution import (
    RELATION_LABELS,
    chain_overview,
    format_target_changes,
    headlines_for_planners,
    later_deadlines,
    one_per_year,
    places_with_series,
    relation_counts,
)
from align.exceptions import PlanAlignError
from align.items import shown_text

ui.page("演变 Evolution", "evo")
st.caption("同一辖区不同年份的任务如何延续、调整目标或消失 (a task's line across years).")

registry = ui.or_stop(ui.registry)
names = places_with_series(registry)
if not names:
    st.info("没有同一辖区的多年文档 No jurisdiction has documents of two or more years. Add one first.")
    ui.stop()
ui.choose_default("place", names, "灞桥区")
place = ui.bound(st.selectbox, "辖区 Jurisdiction", "place", "evo", names)
docs = registry.filter(pl.col("jurisdiction") == place).sort("year", maintain_order=True)
years = dict(zip(docs["id"].to_list(), docs["year"].to_list()))
doc_ids = one_per_year(registry, place)
if len(doc_ids) < docs.height:  # two documents of one year (a report and its task table): one per year
    st.caption("同一年有多份文档，每年选一份 One document per year: a year has several.")
    # kept outside the widget, which Streamlit forgets on pages that do not draw it
    kept = st.session_state.setdefault("evo_chosen", {})
    key = f"evo_docs_{place}"
    st.session_state[key] = [d for d in kept.get(place, doc_ids) if d in years]
    chosen = st.multiselect("文档 Documents", list(years), key=key, format_func=lambda d: f"{d} ({years[d]})",
                            on_change=lambda: kept.update({place: st.session_state[key]}))
    doc_ids = sorted(chosen, key=lambda d: (years[d], list(years).index(d)))
    if len(doc_ids) < 2:
        st.info("请至少选两个年份的文档 Choose documents of at least two years.")
        ui.stop()
st.caption("文档 documents: " + " → ".join(f"{d} ({years[d]})" for d in doc_ids))

try:
    steps, chain_table, workbook, headlines = ui.evolution(doc_ids)
except PlanAlignError as exc:
    ui.error_box(exc)
    ui.stop()

stated = [table for table in headlines if not table.is_empty()]
if stated:  # a report's 主要预期目标 are no task of it: the task lines below never show them
    st.subheader("主要预期目标 Headline targets")
    st.dataframe(headlines_for_planners(pl.concat(stated)), hide_index=True, width="stretch", key="evo_headlines")

counts = relation_counts(steps[0]) if len(steps) == 1 else None
if counts is not None:
    st.dataframe(counts.select(pl.col("relation").replace(RELATION_LABELS).alias("变化 relation"),
                               pl.col("old_items").alias("上期条目 old items"),
                               pl.col("new_items").alias("本期条目 new items")),
                 hide_index=True, key="evo_counts")

for step, table in enumerate(steps):
    if (later := later_deadlines(table)).height:
        old_year, new_year = years[doc_ids[step]], years[doc_ids[step + 1]]
        st.warning(f"{old_year} → {new_year}: {later.height} 项延续任务的完成时限推迟 "
                   f"({later.height} carried-forward tasks are now due later): "
                   + "；".join(f"{n} {ui.escape_text((t or '')[:30])}（{ui.escape_text(o)} → {ui.escape_text(d)}，{c}）"
                              for n, t, o, d, c in later.select("new_id", "new_text", "old_deadline", "new_deadline",
                                                                "deadline_change").iter_rows()))

place_years = f"{place}_{years[doc_ids[0]]}-{years[doc_ids[-1]]}"
st.download_button(
    "下载 Excel（每两期一张表）Download", data=workbook, file_name=f"任务演变_{place_years}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="evo_download",
    icon=":material/download:",
)

first_ids = chain_overview(chain_table, pl.concat([ui.items(d).select("item_id", shown_text().alias("task"))
                                                    for d in doc_ids]), steps)
present = {r for rs in first_ids["relations"].to_list() for r in rs}
relations = [r for r in RELATION_LABELS if r in present] + sorted(present - set(RELATION_LABELS))  # the counts' order
st.session_state["relations"] = [r for r in st.session_state["relations"] if r in relations]
chosen_relations = ui.bound(st.multiselect, "只看 Show only", "relations", "evo", relations, placeholder="全部 all",
                            format_func=lambda r: RELATION_LABELS.get(r, r))
if chosen_relations:
    first_ids = first_ids.filter(pl.col("relations").list.eval(pl.element().is_in(chosen_relations)).list.any())
st.dataframe(
    # how the targets changed before the long first task: at 1280 px it was cut at the table's right edge
    first_ids.select(pl.col("line").alias("任务线 line"), pl.col("changes").fill_null("").alias("目标变化 target changes"),
                     pl.col("task").alias("起始任务 first task")),
    hide_index=True, width="stretch", key="evo_chains",
    column_config={"起始任务 first task": st.column_config.TextColumn(width="large"),
                   "目标变化 target changes": st.column_config.TextColumn(width="medium")},
)
if first_ids.is_empty():
    ui.stop()

chain_ids = first_ids["chain_id"].to_list()
if isinstance(st.session_state["chain"], str):  # the address's text for the line's number (a reload opened line 1)
    st.session_state["chain"] = next((c for c in chain_ids if str(c) == st.session_state["chain"]), None)
lookup = {c: f"{line} {(task or '')[:30]}" for c, line, task in first_ids.select("chain_id", "line", "task").iter_rows()}
ui.choose_default("chain", chain_ids, None, shown=lookup.get)
chain_id = ui.bound(st.selectbox, "任务线 Task line", "chain", "evo", chain_ids, format_func=lambda c: lookup[c])

st.subheader("逐年变化 Year by year")
for step, old_id, new_id, relation in (
    chain_table.filter(pl.col("chain_id") == chain_id).sort("step").select("step", "old_id", "new_id", "relation")
    .iter_rows()
):
    table = steps[step]
    row = table.filter(
        (pl.col("old_id").eq_missing(old_id)) & (pl.col("new_id").eq_missing(new_id))
    ).row(0, named=True)
    old_year, new_year = years[doc_ids[step]], years[doc_ids[step + 1]]
    with st.container(border=True):
        st.markdown(f"**{old_year} → {new_year}: {RELATION_LABELS.get(relation, relation)}**")
        cols = st.columns(2)
        cols[0].caption(f"{old_year} {old_id or '—'}")
        cols[0].text(row["old_text"] or "—")
        cols[1].caption(f"{new_year} {new_id or '—'}")
        cols[1].text(row["new_text"] or "—")
        changes = format_target_changes(row["target_changes"])
        if changes:
            st.text("目标变化 target changes:\n" + changes)
        if row["old_deadline"] or row["new_deadline"]:
            shift = describe_shift(row["deadline_shift_months"])
            st.text(f"完成时限 deadline: {row['old_deadline'] or '—'} → {row['new_deadline'] or '—'}"
                    + (f" ({shift})" if shift else ""))
        if row["units_added"] or row["units_removed"]:
            st.text("责任单位 units: " + "；".join(
                f"{label}：{'、'.join(units)}" for label, units in (("新增 added", row["units_added"]),
                                                                  ("不再列为责任单位 no longer named", row["units_removed"]))
                if units))
