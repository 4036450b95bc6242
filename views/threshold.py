"""阈值 Threshold: precision, recall and the work left by hand at each score cut-off; refitting
the model from the planners' decisions, measured before it is adopted."""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import polars as pl
import streamlit as st

import app_support as ui
from align.exceptions import PlanAlignError
from align.store import on_current_text
from matching.review import labelled_scores, pair_decisions, threshold_curve
from matching.scoring import (
    LinkModel,
    adopt_model,
    adopted_weights,
    model_for,
    restore_shipped_model,
)
from matching.training import REFIT_ON_CURRENTS_DECISIONS, adoption_warning, fit_from_decisions

METHOD_LABELS = {"refit (CV)": "重新拟合 refit (交叉验证 CV)", "current model": "当前模型 current model",
                 "cosine (char)": "字面相似 char cosine",
                 REFIT_ON_CURRENTS_DECISIONS: "重新拟合·同一批决定 refit (CV), same decisions"}


def _refit() -> None:
    """Fit on every confirmed and rejected link; keep it in the session until adopted."""
    try:
        with st.spinner("正在重新拟合（约 10 秒）Refitting, about ten seconds…"):  # else the page just greys out
            model, table = fit_from_decisions(ui.settings(), ui.store().current())
    except PlanAlignError as exc:
        st.session_state["refit"] = None
        ui.flash("warning", ui.problem_text(exc))
        return
    st.session_state["refit"] = {"model": model.to_json(), "table": table.to_dicts()}


def _adopt(model_json: str) -> None:
    model = LinkModel.from_json(model_json)
    path = adopt_model(ui.settings().data_dir, model)
    st.session_state["refit"] = None
    _show_threshold(model.threshold)  # the box shows the adopted model's own threshold
    ui.flash("success", f"已采用 adopted: `{model.version}` ({path.name}); 所有页面按新模型重新打分 every page rescored.")


def _use_threshold(cutoff: float) -> None:
    """Keep the model's weights and move only its cut-off: what a planner tunes by reading the curve."""
    current = model_for(ui.settings().data_dir)
    model = replace(current, threshold=round(float(cutoff), 4))
    path = adopt_model(ui.settings().data_dir, model)
    ui.flash("success", f"阈值改为 threshold now {model.threshold:.2f} ({path.name}); 所有页面按新阈值重新提议 "
                        "every page proposes links at it.")


def _restore() -> None:
    restore_shipped_model(ui.settings().data_dir)
    st.session_state["refit"] = None
    # else one click puts the old cut-off back on the shipped model (dropping the box's state left the
    # browser showing it)
    _show_threshold(model_for(ui.settings().data_dir).threshold)
    ui.flash("success", "已恢复随附模型 the shipped model applies again.")


def _show_threshold(threshold: float) -> None:
    """Put a model's threshold in the box, as the box draws it (two decimals, within 0.01–0.99)."""
    st.session_state["th_cutoff"] = _boxed(threshold)


def _boxed(threshold: float) -> float:
    return min(max(round(threshold, 2), 0.01), 0.99)  # a model may be set to 0 or 1; the box may not


ui.page("阈值 Threshold", "th")
st.caption("已确认 = 正例，已拒绝 = 反例，与当前得分相连 (confirmed = positive, rejected = negative, "
           "joined to the current scores).")

try:
    _, model_threshold, model_version = ui.model_info()
except PlanAlignError as exc:  # a damaged adopted model: offer the way back before anything else
    ui.error_box(exc)
    if adopted_weights(ui.settings().data_dir).exists():
        st.button("恢复随附模型 Restore the shipped model", key="th_restore_damaged", on_click=_restore)
    ui.stop()

source_doc, target_doc = ui.document_pair("th", ui.or_stop(ui.document_ids))
matches = ui.or_stop(ui.matches, source_doc, target_doc)

judged = pair_decisions(ui.or_stop(ui.store).current(), source_doc, target_doc)
# a decision on text a re-issued plan no longer holds labels a pair that is not there (the refit leaves it out too)
decisions = on_current_text(judged, ui.or_stop(ui.fingerprints, source_doc, target_doc))
if stale := judged.height - decisions.height:
    st.caption(f"{stale} 个决定所依据的文本已改（文档重新发布），不计入 {stale} decision(s) on text a re-issued plan "
               "no longer holds are left out; review those links again to count them.")
curve = threshold_curve(matches, decisions)
labelled = int(curve["labelled"][0]) if curve.height else 0
# counted as the curve counts them: candidate pairs, each by its latest decision where reviewers disagree
positives = int(labelled_scores(matches, decisions)["label"].sum() or 0)
m = st.columns(3)
m[0].metric("已标注候选 labelled pairs", labelled)
m[1].metric("确认 confirmed", positives)
m[2].metric("当前阈值 model threshold", f"{model_threshold:.2f}")
if labelled == 0:
    st.info("还没有确认或拒绝的决定；精确率与召回率需要先审核一些条目 "
            "(review some items first to measure precision and recall).")

# Before any decision there is nothing to measure: the page shows only the work left by hand.
shown = curve if labelled else curve.select("cutoff", "proposed_open", "items_by_hand", "expected_links_by_hand")
shown = shown.with_columns(  # three decimals each (0.706 beside 0.75 and 1.0 before); an undefined rate reads —, not None
    pl.format("{}.{}", (pl.col(c) * 1000).round().cast(pl.Int64) // 1000,
              ((pl.col(c) * 1000).round().cast(pl.Int64) % 1000).cast(pl.String).str.zfill(3)).fill_null("—")
    for c in ("precision", "recall") if c in shown.columns
)
table = shown.rename({
    "cutoff": "阈值 cutoff", "labelled": "已标注 labelled", "true_positives": "真阳 TP",
    "false_positives": "假阳 FP", "precision": "精确率 precision", "recall": "召回率 recall",
    "proposed_open": "未审建议 open proposals", "items_by_hand": "需人工条目 items by hand",
    "expected_links_by_hand": "预计人工链接 expected links by hand",
}, strict=False)
st.dataframe(table, hide_index=True, width="stretch", key="th_table", column_config={  # an expected count: 4.8
    "预计人工链接 expected links by hand": st.column_config.NumberColumn(format="%.1f"),
    "阈值 cutoff": st.column_config.NumberColumn(format="%.2f")})

long = curve.unpivot(
    index="cutoff", on=["precision", "recall"], variable_name="metric", value_name="value"
).drop_nulls("value").with_columns(pl.col("metric").replace({"precision": "精确率 precision", "recall": "召回率 recall"}))
rates = alt.Chart(long.to_pandas()).mark_line(point=True).encode(
    x=alt.X("cutoff:Q", title="阈值 cutoff"), y=alt.Y("value:Q", title="比例 rate", scale=alt.Scale(domain=[0, 1])),
    color=alt.Color("metric:N", title=None),
)
work = alt.Chart(curve.to_pandas()).mark_area(opacity=0.3, color="#888").encode(
    x=alt.X("cutoff:Q", title="阈值 cutoff"), y=alt.Y("expected_links_by_hand:Q", title="人工链接 links by hand"),
)
if labelled:
    left, right = st.columns(2)
    left.altair_chart(rates.properties(height=280), width="stretch", key="th_rates")
    right.altair_chart(work.properties(height=280), width="stretch", key="th_work")
else:
    st.altair_chart(work.properties(height=280), width="stretch", key="th_work")

shown_threshold = _boxed(model_threshold)
# a value a callback put in the box is the box's own (Streamlit refuses a default given beside it)
default = {} if "th_cutoff" in st.session_state else {"value": shown_threshold}
chosen = st.number_input("新阈值 New threshold", min_value=0.01, max_value=0.99, step=0.01, format="%.2f",
                         key="th_cutoff", help="得分不低于此值的候选被提议为链接 (candidates scoring at least this are proposed)",
                         **default)
# The box shows two decimals: 0.38 drawn for a model's 0.3797 is no new threshold to adopt.
st.button("采用此阈值 Use this threshold", key="th_use", disabled=abs(chosen - shown_threshold) < 1e-4,
          on_click=_use_threshold, args=(chosen,))

st.subheader("用审核决定重新拟合 Refit the model from your decisions")
st.caption("用全部已确认/已拒绝的链接（所有文档对）拟合；按源条目分组交叉验证，与当前模型在同一批决定上比较，"
           "采用后才生效 (fitted on every confirmed and rejected link of every pair, measured by cross-validation "
           "grouped by source item beside the current model on the same decisions; nothing changes until you adopt it).")
st.write(f"当前模型 model in use: `{model_version}`")
buttons = st.columns(2)
buttons[0].button("重新拟合 Refit", key="th_refit", on_click=_refit)
if adopted_weights(ui.settings().data_dir).exists():
    buttons[1].button("恢复随附模型 Restore the shipped model", key="th_restore", on_click=_restore)
refit = st.session_state.get("refit")
if refit:
    result = pl.DataFrame(refit["table"]).with_columns(pl.col("method").replace(METHOD_LABELS))
    st.dataframe(result.select(pl.col("method").alias("模型 method"), pl.col("precision").alias("精确率 precision"),
                               pl.col("recall").alias("召回率 recall"), pl.col("f1").alias("F1"),
                               pl.col("recall_at_5").alias("前5召回 recall@5"), pl.col("links").alias("已确认链接 links"),
                               pl.col("predicted").alias("预测链接 predicted")),
                 hide_index=True, width="stretch", key="th_refit_table")
    table = pl.DataFrame(refit["table"])
    if "current model" not in table["method"]:
        st.caption("当前模型是用这些决定拟合的，无法公平比较；多审核一些链接后再比较 (the current model was fitted on "
                   "all of these decisions: decide more links to compare a refit with it fairly).")
    elif REFIT_ON_CURRENTS_DECISIONS in table["method"]:
        st.caption("当前模型只在其拟合之后作出的决定上比较（在拟合所用的决定上它必然占优） (the current model is measured "
                   "on the decisions made since it was fitted; on those it was fitted on it would win by default).")
    if warning := adoption_warning(table):
        st.warning(f"{warning[1]}：不建议采用 ({warning[0]}: adopting it is not advised).")
    st.button("采用此模型 Adopt this model", key="th_adopt", type="primary", on_click=_adopt, args=(refit["model"],))
