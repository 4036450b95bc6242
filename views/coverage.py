"""覆盖 Coverage: each city item with the district tasks that serve it and the quota it sets."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

import app_support as ui
from align.exceptions import PlanAlignError
from align.export import workbook_bytes
from align.registry import DocumentMeta, plans_under, plans_without_parent, update_document
from matching.review import (
    COVERAGE_LABELS,
    COVERAGE_STATUSES,
    COVERAGE_WIDE,
    CoveragePairSwapped,
    check_coverage_pair,
    coverage_counts,
    coverage_match_settings,
    coverage_overview,
    coverage_pair_note,
    coverage_sheets,
    disputed_beside_status,
    overview_sheet,
    plan_coverage,
    quotas_place_first,
    quotas_without_task,
    status_counts,
    uncovered,
)

ui.page("覆盖 Coverage", "cov")
st.caption("市级条目由区级任务承接的情况 (how a district's tasks cover a city plan).")

registry = ui.or_stop(ui.registry)
city_doc, district_doc = ui.document_pair(
    "cov", registry["id"].to_list(), keys=("city_doc", "district_doc"),
    labels=("市级文档 City plan", "区级文档 District"), defaults=(ui.DEFAULT_CITY, ui.DEFAULT_DISTRICT),
    fallbacks=(-1, 0),
)


def place_under(doc_id: str, parent: str) -> None:
    """Give a plan registered without a parent this city as its parent, so the overview counts it."""
    try:
        update_document(ui.data_dir(), doc_id, parent=parent)
    except PlanAlignError as exc:
        ui.flash("error", ui.problem_text(exc))
    else:
        ui.flash("success", f"'{doc_id}' 已归入{parent} is now counted under {parent}")


def swap_documents() -> None:
    state = st.session_state
    state["city_doc"], state["district_doc"] = state["district_doc"], state["city_doc"]


documents = ui.documents()
city, district = documents[city_doc], documents[district_doc]
try:
    check_coverage_pair(city, district)
except PlanAlignError as exc:
    ui.error_box(exc)
    if isinstance(exc, CoveragePairSwapped):  # a district plan in the city's place: one click puts them right
        st.button("交换两个文档 Swap the two", key="cov_swap", on_click=swap_documents, icon=":material/swap_horiz:")
    ui.stop()
if pair_note := coverage_pair_note(city, district, list(documents.values())):
    st.caption(f"注意 {pair_note}")


def coverage_by(plan: DocumentMeta) -> pl.DataFrame:
    """The chosen city plan's coverage by one district plan; PlanAlignError when a document fails."""
    city_items, district_items = ui.items(city_doc), ui.items(plan.id)
    matches = ui.matches(plan.id, city_doc, coverage_match_settings(ui.settings()))
    return plan_coverage(city_items, district_items, matches, current, city=city, district=plan)


def coverage_of(plan: DocumentMeta) -> pl.DataFrame:
    """:func:`coverage_by`, a document that fails shown in a red box in place of the page."""
    try:
        return coverage_by(plan)
    except PlanAlignError as exc:
        ui.error_box(exc)
        ui.stop()


current = ui.or_stop(ui.store).current()  # the decisions in effect, read once for every district plan on the page
district_place = district.jurisdiction
table = coverage_of(district)

m = st.columns(len(COVERAGE_STATUSES) + 1)
m[0].metric("市级条目", table.height, help="city items")
for col, (status, count) in zip(m[1:], status_counts(table).items()):  # the Chinese word alone fits a laptop's column
    col.metric(COVERAGE_LABELS[status].split()[0], count, help=COVERAGE_LABELS[status])
if (beside := disputed_beside_status(table)).height:
    st.info(f"另有 {beside.height} 个市级条目的某条区级任务链接审核意见不一（该条目已由其他任务确认）；"
            f"{beside.height} more city items have a disputed link beside a confirmed one: "
            + "、".join(beside["item_id"].to_list()))

sheets = coverage_sheets(table, district_place)  # the page's two tables, as the workbook has them
(_, every), (_, without) = sheets
quota = f"下达{district_place}配额"
ENGLISH = {"市级条目": "city item", "任务": "task", "状态": "status", "已确认区级任务": "confirmed",
           "建议区级任务": "proposed", quota: "quota", "区级任务目标": "district targets", "分类": "category"}
shown = every.rename({zh: f"{zh} {en}" for zh, en in ENGLISH.items()})
# the quota beside the status, where a laptop screen shows it without scrolling the table sideways,
# its amounts first: a cell cut at the column's edge read 灞桥区200个 as 灞桥区20
shown = shown.with_columns(table["quota_amount"].alias("配额数量 amount"),
                           quotas_place_first(pl.col(f"{quota} quota"), district))
front = ["市级条目 city item", "任务 task", "状态 status", "配额数量 amount", f"{quota} quota"]
shown = shown.select(front + [name for name in shown.columns if name not in front])
shown = shown.with_columns(pl.col(pl.String).fill_null("—"))  # an empty cell read "None"
WIDE = st.column_config.TextColumn(width="large")
st.dataframe(shown, hide_index=True, width="stretch", key="cov_table",
             column_config={"已确认区级任务 confirmed": st.column_config.TextColumn(width="medium"),
                            "建议区级任务 proposed": WIDE, f"{quota} quota": st.column_config.TextColumn(width="medium")})
st.download_button(
    "下载 Excel（覆盖情况与无对应条目）Download", data=workbook_bytes(sheets, wide=COVERAGE_WIDE),
    file_name=f"覆盖情况_{city_doc}_{district_doc}.xlsx", key="cov_download", icon=":material/download:",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

st.subheader("分类 × 状态 Category × status")
# the Chinese label alone: the bilingual one was cut, or left out, over a column on a laptop screen
short = {status: label.split()[0] for status, label in COVERAGE_LABELS.items()}
heat = coverage_counts(table).with_columns(pl.col("status").replace_strict(short))
categories = heat["category"].unique(maintain_order=True)
chart = alt.Chart(heat.to_pandas()).mark_rect().encode(
    x=alt.X("status:N", title="状态 status", sort=[short[s] for s in COVERAGE_STATUSES],
            axis=alt.Axis(labelAngle=0, orient="top", labelLimit=0)),
    y=alt.Y("category:N", title="分类 category", sort=categories.to_list()),
    color=alt.Color("len:Q", title="条目 items", scale=alt.Scale(scheme="blues")),
    tooltip=["category", "status", "len"],
)
text = chart.mark_text(color="black").encode(text="len:Q", color=alt.value("black"))
st.altair_chart((chart + text).properties(height=40 * max(heat["category"].n_unique(), 1) + 40),
                width="stretch", key="cov_heat")

st.subheader("没有区级对应的市级条目 City items without a district counterpart")
without_task = uncovered(table)  # in the order listed below, unmet quotas first
unmet, judged = quotas_without_task(table)
if unmet.height:
    st.warning(f"{unmet.height} 个市级条目下达了{district_place}配额，但还没有对应的区级任务 "
               f"({unmet.height} city items give {district_place} a quota and no district task serves them yet): "
               + "；".join(f"{i} {ui.escape_text(t)}（{ui.escape_text(q)}）"
                           for i, t, q in unmet.select("item_id", "text", "quota").iter_rows()))
if judged.height:
    st.info(f"{judged.height} 个下达了{district_place}配额的市级条目已判无对应 ({judged.height} city items with a quota "
            f"for {district_place} were judged to have no district task): " + "；".join(judged["item_id"].to_list()))
missing = without.rename({"市级条目": "市级条目 city item", "分类": "分类 category", "任务": "任务 task", "状态": "状态 status",
                          quota: "配额 quota",
                          "最接近的区级任务（得分）": "最接近的区级任务 nearest district task (score)"}
                         ).with_columns(quotas_place_first(pl.col("配额 quota"), district))
missing = missing.with_columns(pl.col(pl.String).fill_null("—"))
if missing.is_empty():
    st.caption("全部有对应 Every city item has a district task.")
else:
    st.dataframe(missing, hide_index=True, width="stretch", key="cov_missing",
                 column_config={"最接近的区级任务 nearest district task (score)": WIDE,
                                "配额 quota": st.column_config.TextColumn(width="medium")})

st.subheader("去审核 Review a city item")
city_ids = table["item_id"].to_list()
texts = dict(zip(city_ids, table["text"].to_list()))
# Opens on the first item listed above as without a counterpart: the one most worth a look.
first = city_ids.index(without_task["item_id"][0]) if without_task.height else 0
picked = st.selectbox("市级条目 City item", city_ids, index=first, key=f"cov_pick_{district_doc}",  # each its own
                      format_func=lambda i: f"{i}  {texts[i][:40]}")
nearest = table.filter(pl.col("item_id") == picked)["nearest_id"].item()
st.caption("在审核页打开与之最接近的区级任务，并选中此市级条目 (opens the district task nearest to it on the Review "
           "page, with this city item chosen)"
           if nearest else "没有候选区级任务 No district task is a candidate for it.")
go = st.columns(2)
if go[0].button("审核 Review", key="cov_review", disabled=nearest is None):
    ui.open_review(district_doc, city_doc, nearest, picked)
# From the district task's side, 无对应 says the task serves no city item: to rule this city item out (no district
# task serves it), the planner reviews it against the district plan's tasks.
if go[1].button("从市级条目审核 Review from the city item", key="cov_review_city",
                help="在审核页打开此市级条目及其候选区级任务；“无对应”即判它没有区级任务 Opens this city item with "
                     "the district tasks as candidates: 无对应 there rules it out"):
    ui.open_review(city_doc, district_doc, picked)

under = plans_under(list(documents.values()), city)
st.subheader(f"{city.jurisdiction}所辖各区的文档 Every district plan under {city.jurisdiction}")
if orphans := plans_without_parent(list(documents.values()), city):
    st.caption("未登记上级（或所填上级无登记文档）的文档不在此列 Not included, registered with no parent or one no "
               f"document is registered for: {', '.join(m.id + (f'（{m.parent}）' if m.parent else '') for m in orphans)}"
               "（属于本市的，可在此归入，或在文档页修改 place one here if it is the city's, or on the Documents page）")
    for orphan in orphans:
        st.button(f"把 {orphan.jurisdiction} {orphan.id} 归入{city.jurisdiction} Count it under {city.jurisdiction}",
                  key=f"cov_place_{orphan.id}", on_click=place_under, args=(orphan.id, city.jurisdiction),
                  icon=":material/subdirectory_arrow_right:")
ui.keep_in_url("coverage_all")  # on every run (coming back from another page too): a reload keeps the overview
if not under:
    st.caption(f"没有登记上级为{city.jurisdiction}的文档 No registered plan names {city.jurisdiction} as its parent.")
elif ui.bound(st.toggle, f"对照全部 {len(under)} 个区级文档 Compare with all {len(under)} district plans",
              "coverage_all", "cov", help="每个辖区取最新一年的文档 (the latest plan of each place)"):
    tables = {}
    for meta in under:  # a plan whose file cannot be read is named; the others are still compared
        try:
            tables[meta.id] = coverage_by(meta)
        except PlanAlignError as exc:
            ui.error_box(exc)
    if not tables:
        ui.stop()
    under = [meta for meta in under if meta.id in tables]
    overview = coverage_overview(tables)
    nobody = int((overview["served"] == 0).sum())
    st.metric("无任何区级任务承接 served by no district plan", nobody)
    sheet = overview_sheet(overview, {meta.id: f"{meta.jurisdiction} {meta.id}" for meta in under})
    english = {"市级条目": "city item", "分类": "category", "任务": "task", "承接文档数": "plans serving it"}
    st.dataframe(sheet[1].rename({zh: f"{zh} {en}" for zh, en in english.items()}), hide_index=True,
                 width="stretch", key="cov_overview")
    st.download_button(
        "下载 Excel（各区覆盖）Download", data=workbook_bytes([sheet], wide=("任务",)), file_name=f"各区覆盖_{city_doc}.xlsx",
        key="cov_overview_download", icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
