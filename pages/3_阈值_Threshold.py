"""阈值 Threshold: precision, recall and the work left by hand at each score cut-off."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

import app_support as ui
from matching.review import pair_decisions, threshold_curve

ui.page("阈值 Threshold", "th")
st.caption("已确认 = 正例，已拒绝 = 反例，与当前得分相连 (confirmed = positive, rejected = negative, "
           "joined to the current scores).")

source_doc, target_doc = ui.document_pair("th", ui.or_stop(ui.document_ids))
matches = ui.or_stop(ui.matches, source_doc, target_doc)

decisions = pair_decisions(ui.store().current(), source_doc, target_doc)
curve = threshold_curve(matches, decisions)
labelled = int(curve["labelled"][0]) if curve.height else 0
positives = decisions.filter(pl.col("decision") == "confirmed").height
m = st.columns(3)
m[0].metric("已标注候选 labelled pairs", labelled)
m[1].metric("确认 confirmed", positives)
m[2].metric("当前阈值 model threshold", f"{ui.model_info()[1]:.2f}")
if labelled == 0:
    st.info("还没有确认或拒绝的决定；精确率与召回率需要先审核一些条目 "
            "(review some items first to measure precision and recall).")

table = curve.rename({
    "cutoff": "阈值 cutoff", "labelled": "已标注 labelled", "true_positives": "真阳 TP",
    "false_positives": "假阳 FP", "precision": "精确率 precision", "recall": "召回率 recall",
    "proposed_open": "未审建议 open proposals", "items_by_hand": "需人工条目 items by hand",
    "expected_links_by_hand": "预计人工链接 expected links by hand",
})
st.dataframe(table, hide_index=True, width="stretch", key="th_table")

long = curve.unpivot(
    index="cutoff", on=["precision", "recall"], variable_name="metric", value_name="value"
).drop_nulls("value")
rates = alt.Chart(long.to_pandas()).mark_line(point=True).encode(
    x=alt.X("cutoff:Q", title="阈值 cutoff"), y=alt.Y("value:Q", title="比例 rate", scale=alt.Scale(domain=[0, 1])),
    color=alt.Color("metric:N", title=None),
)
work = alt.Chart(curve.to_pandas()).mark_area(opacity=0.3, color="#888").encode(
    x="cutoff:Q", y=alt.Y("expected_links_by_hand:Q", title="预计人工链接 expected links by hand"),
)
left, right = st.columns(2)
left.altair_chart(rates.properties(height=280), width="stretch", key="th_rates")
right.altair_chart(work.properties(height=280), width="stretch", key="th_work")
