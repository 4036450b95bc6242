"""审核 Review: a queue of source items, their best candidates with evidence, and one-key decisions.

Every button is an ``on_click`` callback that writes one decision to the store (committed
before the callback returns), so a rerun never writes twice and a killed server loses nothing.
"""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

import app_support as ui
from align.exceptions import PlanAlignError
from align.items import doc_of, plan_digest, shown_text, text_digests
from align.store import local_time, on_current_text, with_text_changes
from matching.explain import shared_spans, waterfall
from matching.review import (
    bulk_candidates,
    coverage_match_settings,
    far_below_threshold,
    in_plan_order,
    item_decisions,
    item_states,
    latest_decision,
    match_pair_note,
    pair_decisions,
    review_queue,
    ruled_out_targets,
    unit_choices,
)
from matching.text import load_synonyms

SHOWN_CANDIDATES = 5
ORDER_LABELS = {"unreviewed": "未审核优先 unreviewed first", "uncertain": "最不确定优先 least certain first",
                "document": "文档顺序 document order"}
# Words, not emoji: office machines without an emoji font draw ✅ and ❌ as empty boxes.
ORDER_HELP = {
    "unreviewed": "未审核的条目在前，其中最佳得分最接近阈值（最拿不准）的先审 (unreviewed items first, those whose best "
                  "score is nearest the threshold, the least certain, at the top)",
    "uncertain": "最佳得分最接近阈值的条目在前 (items whose best score is nearest the threshold first)",
    "document": "按原文档顺序 (in the order of the document)",
}
CHANGED_TEXT = {"source": "源条目已改 source changed", "target": "候选已改 target changed", "both": "两者均已改 both changed"}
DECISION_LABELS = {"confirmed": "【确认】", "rejected": "【拒绝】", "no_counterpart": "【无对应】", "unsure": "【不确定】"}
# The store's kinds of disagreement (align.store.DecisionStore.conflicts), as the conflicts table names them
CONFLICT_KINDS = {"pair": "同一链接意见不一 link confirmed and rejected",
                  "no_counterpart_vs_link": "无对应与链接冲突 no counterpart, yet a link confirmed"}
HISTORY_LABELS = {**DECISION_LABELS, "undo": "【撤销】"}  # the history also lists each retraction

# ------------------------------------------------------------------ callbacks


def _reset_position() -> None:
    st.session_state.update(current=None, candidate=None, queue_done=False, note="")


def _clear_filters() -> None:
    """The whole plan's queue again, from its first item still open."""
    st.session_state.update(keywords="", units=[], sections=[], band=(0.0, 1.0))
    _reset_position()


def _first_candidate() -> None:
    """Another item chosen by hand: its first open candidate, and no note carried over."""
    st.session_state.update(candidate=None, note="")


def _decide(decision: str, source_id: str, target_id: str | None, score: float | None, engine_version: str | None,
            next_id: str | None, next_candidate: int | None, queue: tuple, target_doc: str | None = None, *,
            seen: frozenset = frozenset()) -> None:
    """Record one decision, then move on: to the next candidate after a reject, else the next item.

    ``queue`` names the queue being worked (pair and reviewer); ``target_doc`` is the document a
    no-counterpart decision looked in. ``seen`` is what this reviewer had decided on the item when
    the page was drawn: changed since in another window, nothing is recorded until the planner has
    seen the change (a second tab's reject silently replaced the first tab's confirm)."""
    try:
        if item_decisions(ui.store().current(reviewer=ui.reviewer()), ui.reviewer(), source_id) != seen:
            ui.flash("warning", f"{source_id} 的决定已在另一窗口更改，本次未记录，请核对后再决定 This item's decisions "
                                "changed in another window; nothing was recorded. Check them, then decide again.")
            return
        ui.store().record(
            ui.reviewer(), source_id, target_id, decision,  # type: ignore[arg-type]
            target_doc=target_doc, note=(st.session_state.get("rv_note") or "").strip() or None, score=score,
            engine_version=engine_version, **_fingerprints(source_id, target_id, target_doc),
        )
    except PlanAlignError as exc:
        ui.flash("error", ui.problem_text(exc))
        return
    st.session_state["recorded"] = [*st.session_state["recorded"], (source_id, target_id, decision)]
    st.session_state["note"] = ""
    shown = f"{source_id} → {target_id}" if target_id else f"{source_id} (无对应 no counterpart in {target_doc})"
    ui.flash("success", f"已记录 recorded: {DECISION_LABELS[decision]} {shown}")
    if next_candidate is not None:
        st.session_state["candidate"] = next_candidate
    else:
        _skip(next_id, queue)


def _fingerprints(source_id: str, target_id: str | None, target_doc: str | None = None) -> dict[str, str | None]:
    """The two texts a decision judges, fingerprinted for the store; for a 无对应, the plan it looked in."""
    other = doc_of(target_id) if target_id else target_doc
    found = ui.fingerprints(doc_of(source_id), *([other] if other else []))
    return {"source_digest": found.get(source_id),
            "target_digest": found.get(target_id) if target_id else plan_digest(found, target_doc) if target_doc else None}


def _skip_pressed(next_id: str | None, queue: tuple) -> None:
    """跳过: a note typed is not kept, as nothing is decided, and that is said (it went without a word)."""
    if (note := (st.session_state.get("rv_note") or st.session_state.get("note") or "").strip()):
        ui.flash("warning", f"已跳过，未记录决定，备注“{note[:30]}{'…' if len(note) > 30 else ''}”未保存 Skipped: "
                            "nothing was decided, so the note was not kept.")
    _skip(next_id, queue)


def _skip(next_id: str | None, queue: tuple) -> None:
    """Move to the next item not yet decided; past the last one the queue says it is done, for
    this queue only (it never wraps round to a decided item, where Y would add a second link)."""
    st.session_state.update(current=next_id, candidate=None, note="", queue_done=queue if next_id is None else False,
                            moved_on=True)


def _undo(source_doc: str, target_doc: str) -> None:
    """Retract this reviewer's latest decision in effect between the two documents, when it is the one
    this window made last on them (after a reload, whatever it was; once this window's own are all undone, none)."""
    me = ui.reviewer()
    store = ui.store()
    mine = st.session_state["recorded"]
    here = [i for i, (source_id, _, _) in enumerate(mine) if doc_of(source_id) in (source_doc, target_doc)]
    try:
        last = latest_decision(store.current(), me, source_doc, target_doc)
        if last is None:
            ui.flash("warning", "没有可撤销的决定 Nothing to undo.")
            return
        from_elsewhere = mine[here[-1]] != (last["source_id"], last["target_id"], last["decision"]) if here else \
            any(doc_of(source_id) in (source_doc, target_doc) for source_id, _, _ in st.session_state["undone"])
        if from_elsewhere:
            # the latest decision was taken in another window: this one's Undo retracted it unseen
            ui.flash("warning", f"最近的决定（{DECISION_LABELS[last['decision']]} {last['source_id']}）来自另一窗口，"
                                "本窗口未撤销，请在该窗口或决定历史中核对 The latest decision was made in another window; "
                                "nothing was undone here.")
            return
        store.undo(me, last["source_id"], last["target_id"], target_doc=last["target_doc"] or target_doc)
    except PlanAlignError as exc:
        ui.flash("error", ui.problem_text(exc))
        return
    st.session_state["recorded"] = [m for i, m in enumerate(mine) if not here or i != here[-1]]
    if here:  # every decision this window made undone, a later Undo would take another window's (a browser probe)
        st.session_state["undone"] = [*st.session_state["undone"], mine[here[-1]]]
    st.session_state.update(current=last["source_id"], candidate=None, queue_done=False)
    ui.flash("info", f"已撤销 undone: {DECISION_LABELS[last['decision']]} {last['source_id']} → "
                     f"{last['target_id'] or '∅ ' + (last['target_doc'] or target_doc)}")


def _bulk_confirm(rows: list[dict]) -> None:
    """Confirm the proposals shown, on items this reviewer has still decided nothing on: one decided in
    another window since the page was drawn is left as decided there (its reject was overwritten)."""
    me = ui.reviewer()
    try:
        decided = set(ui.store().current(reviewer=me)["source_id"].to_list())
        kept = [row for row in rows if row["source_id"] not in decided]
        if skipped := len(rows) - len(kept):
            ui.flash("warning", f"{skipped} 条所在条目已在另一窗口决定，未批量确认 {skipped} link(s) left out: their items "
                                "were decided in another window since this page was drawn.")
        rows = kept
        if not rows:
            return
        found = ui.fingerprints(*{doc_of(row[side]) for row in rows for side in ("source_id", "target_id")})
        ids = ui.store().bulk_record([{**row, "reviewer": me, "decision": "confirmed",
                                       "source_digest": found.get(row["source_id"]),
                                       "target_digest": found.get(row["target_id"])} for row in rows])
    except PlanAlignError as exc:
        ui.flash("error", ui.problem_text(exc))
        return
    st.session_state["recorded"] = [*st.session_state["recorded"], *((r["source_id"], r["target_id"], "confirmed")
                                                                     for r in rows)]
    ui.flash("success", f"已批量确认 bulk-confirmed {len(ids)} 条 links (每条单独记录，撤销一次撤回一条 one decision "
                        "each; Undo takes back one at a time).")


# ------------------------------------------------------------------ page

ui.page("审核 Review", "rv")

ui.choose_default("order", list(ORDER_LABELS), "unreviewed", shown=ORDER_LABELS.get)  # an address may hold any word
top = st.columns([2, 2, 1, 1])
with top[2]:
    # the candidates change order (the plan's, not the model's): the one chosen is the first open again
    blind = ui.bound(st.toggle, "盲审 Blind", "blind", "rv", on_change=_first_candidate,
                     help="隐藏得分、排名与理由，候选按文档顺序列出 (scores, ranks and reasons hidden; candidates in "
                          "the plan's order)")
source_doc, target_doc = ui.document_pair(
    "rv", ui.or_stop(ui.document_ids), columns=top[:2], on_change=_reset_position
)

try:
    source_items = ui.items(source_doc)
    target_items = ui.items(target_doc)
    matches = ui.matches(source_doc, target_doc)
    synonyms = load_synonyms(ui.data_dir())  # to highlight what the matcher read as one term
except PlanAlignError as exc:
    ui.error_box(exc)
    ui.stop()
intercept, threshold, _version = ui.model_info()
documents = ui.documents()
if pair_note := match_pair_note(documents[source_doc], documents[target_doc], list(documents.values())):
    st.info(pair_note)  # a district matched with another city's plan: likeness, not service
source_place = documents[source_doc].jurisdiction  # its quotas are read first under a city item
store = ui.or_stop(ui.store)
me = ui.reviewer()
in_effect = store.current()  # read once per run
decisions = pair_decisions(in_effect, source_doc, target_doc)
digests = text_digests(source_items) | text_digests(target_items)  # from the item tables this run already has
# an item decided on text a re-issued plan no longer holds is open again (its old decisions are shown below)
settled = on_current_text(decisions, digests)
mine = item_states(settled, reviewer=me)
# target items this reviewer marked 无对应 in the source plan, judged from their own side
my_ruled_out = set(ruled_out_targets(on_current_text(in_effect.filter(pl.col("reviewer") == me), digests),
                                     source_doc, target_doc))
everyone = item_states(settled)

total = source_items.height
reviewed = mine.filter(pl.col("reviewed")).height
top[3].metric("进度 progress", f"{reviewed} / {total}")
st.progress(reviewed / total if total else 0.0, text=f"已审核 reviewed {reviewed} / {total} · "
            f"全体审核人 all reviewers {everyone.filter(pl.col('reviewed')).height} / {total}")
st.sidebar.progress(reviewed / total if total else 0.0, text=f"审核进度 {reviewed} / {total}")

sections = list(dict.fromkeys(" / ".join(p) for p in source_items["section_path"].to_list() if p))  # the plan's order
unit_spellings = unit_choices(source_items)  # one choice per department: 区卫健局 also keeps 区卫生健康局's tasks
units = list(unit_spellings)
with st.expander("队列与筛选 Queue & filters", expanded=False):
    st.session_state["sections"] = [s for s in st.session_state["sections"] if s in sections]
    st.session_state["units"] = [u for u in st.session_state["units"] if u in units]
    ui.bound(st.text_input, "关键词 Keywords", "keywords", "rv", on_change=_reset_position,
             placeholder="如 充电 停车：条目须包含每个词 (items containing every word)")
    f1, f2 = st.columns(2)
    with f1:
        ui.bound(st.radio, "排序 Order", "order", "rv", list(ORDER_LABELS), format_func=ORDER_LABELS.get,
                 on_change=_reset_position, disabled=blind,  # the other orders sort by the model's scores
                 help="盲审时按文档顺序 document order in blind mode" if blind else None)
        # placeholders in Chinese: Streamlit's own say "Choose options" / "No options to select"
        ui.bound(st.multiselect, "政策领域 Policy area", "sections", "rv", sections, on_change=_reset_position,
                 placeholder="全部 all" if sections else "此文档未分领域 no areas in this plan", disabled=not sections)
    with f2:
        ui.bound(st.slider, "最高分区间 Best-score band", "band", "rv", 0.0, 1.0, step=0.05,
                 on_change=_reset_position, disabled=blind, help="盲审时不按得分筛选 off in blind mode" if blind else None)
        ui.bound(st.multiselect, "责任单位 Responsible unit", "units", "rv", units, on_change=_reset_position,
                 format_func=lambda unit: unit + (f"（又作 {'、'.join(unit_spellings[unit])}）" if unit_spellings[unit] else ""),
                 placeholder="全部 all" if units else "未写责任单位 no units named", disabled=not units)

ui.keep_in_url("blind", "order", "keywords", "units", "sections")
queue = review_queue(
    source_items, matches, mine, order="document" if blind else st.session_state["order"], threshold=threshold,
    score_band=(0.0, 1.0) if blind else tuple(st.session_state["band"]), sections=st.session_state["sections"],
    units=st.session_state["units"], keywords=st.session_state["keywords"],
)
if queue.is_empty():
    st.info("筛选后没有条目 No items match the filters.")
    ui.stop()

queue_ids = queue["item_id"].to_list()
reviewed_ids = set(mine.filter(pl.col("reviewed"))["source_id"].to_list())
this_queue = (source_doc, target_doc, me)  # the end reached in another pair, or by another name, is not this one's
if not st.session_state["queue_opened"] and st.session_state["current"] is None and reviewed_ids >= set(queue_ids):
    # a reload past the end of a queue whose every item is decided: the end again, not its first item, decided,
    # on a candidate where Y would add a second link (回到队首 still opens it)
    st.session_state["queue_done"] = this_queue
st.session_state["queue_opened"] = True
if st.session_state.pop("moved_on", False) and st.session_state["current"] in reviewed_ids and \
        st.session_state["current"] in queue_ids:
    # moved on to an item decided meanwhile in another window (where Y added a second link): the next one still open
    following = queue_ids[queue_ids.index(st.session_state["current"]) + 1:] + queue_ids
    still_open = next((i for i in following if i not in reviewed_ids), None)
    st.session_state.update(current=still_open, candidate=None, queue_done=this_queue if still_open is None else False)
if st.session_state["queue_done"] == this_queue:
    left_open = [i for i in queue_ids if i not in reviewed_ids]
    st.success(f"已到队列末尾，已审核 {reviewed} / {total} 条 End of the queue: you have reviewed {reviewed} of {total} items."
               + (f" 队列前面还有 {len(left_open)} 条未审核 {len(left_open)} items earlier in the queue are still "
                  "to review." if left_open else ""))
    if len(queue_ids) < total:  # a filter on: the end of what it shows, not of the plan (it said nothing of it)
        st.info(f"筛选只显示 {len(queue_ids)} / {total} 条，“清除筛选”可看全部 The filters show {len(queue_ids)} of "
                f"{total} items; 清除筛选 (clear the filters) shows them all.")
    done = st.columns(6)
    done[0].button("回到队首", help="Back to the start of the queue", key="rv_start_over", on_click=_reset_position)
    done[1].button("撤销", help="Undo", key="rv_undo", shortcut="Z", on_click=_undo, args=(source_doc, target_doc))
    if len(queue_ids) < total:
        done[2].button("清除筛选", help="Clear the filters", key="rv_clear_filters", on_click=_clear_filters)
    # the address no longer names the last item: a reload reopened it, decided, on a candidate Y would add
    ui.keep_in_url("current")
    ui.stop()

# a queue opens on its first item not yet decided (least certain first put a decided one first, ready for a
# second link)
ui.choose_default("current", queue_ids, next((i for i in queue_ids if i not in reviewed_ids), None))
ui.keep_in_url("current")
current = st.session_state["current"]
here = (source_doc, target_doc, current, me)
if st.session_state["candidate_of"] != here:  # another item or reviewer, or the pair changed on another page
    st.session_state.update(candidate=None, candidate_of=here, note="")
position = queue_ids.index(current)
# The next item this reviewer has not decided: "unreviewed first" puts decided items at the end. From an item
# decided before (gone back to), the next one still open after it, else the first (it said the queue had ended).
next_id = next((i for i in queue_ids[position + 1:] if i not in reviewed_ids),
               next((i for i in queue_ids if i not in reviewed_ids), None) if current in reviewed_ids else None)
item_rows = {row["item_id"]: row for row in source_items.to_dicts()}
ui.bound(
    st.selectbox, f"当前条目 Current item ({position + 1} / {len(queue_ids)} in queue)", "current", "rv", queue_ids,
    on_change=_first_candidate,
    format_func=lambda i: ("✔ " if i in reviewed_ids else "") + ui.item_label(item_rows[i]),
    help=f"顺序 order: {ORDER_HELP[st.session_state['order']]}；在“队列与筛选”中更改 (change it under Queue & filters)",
)

toolbar = st.container()  # the decision buttons, filled once the chosen candidate is known
item = item_rows[current]
left, right = st.columns([1, 1])
with left:
    st.subheader(f"源 {current}")
    source_box = st.empty()  # filled below, highlighted against the chosen candidate
    st.caption(
        f"责任单位 units: {'、'.join(item['units']) or '—'} · 目标 targets: {ui.targets_text(item['targets'])} · "
        f"状态 status: {ui.status_label(item['status'])} · 领域 area: {' / '.join(item['section_path']) or '—'}"
        f"{ui.deadline_text(item)}"
    )
    state = mine.filter(pl.col("source_id") == current)
    if state.height:
        s = state.row(0, named=True)
        done = [f"确认 {', '.join(s['confirmed'])}" if s["confirmed"] else "",
                f"拒绝 {', '.join(s['rejected'])}" if s["rejected"] else "",
                "无对应 no counterpart" if s["no_counterpart"] else "",
                f"不确定 {', '.join(s['unsure'])}" if s["unsure"] else ""]
        st.info("你的决定 your decisions: " + " · ".join(d for d in done if d))
    decided_on = with_text_changes(decisions.filter(pl.col("source_id") == current), digests
                                   ).filter(pl.col("text_changed").is_not_null())
    if decided_on.height:
        st.warning("文本在决定后已改（文档重新发布？）请复核 The text changed after these decisions (a plan re-issued?); "
                   "check them again: " + "; ".join(
                       f"{r['reviewer']}: {DECISION_LABELS[r['decision']]} {r['target_id'] or ''} "
                       f"({CHANGED_TEXT[r['text_changed']]})" for r in decided_on.iter_rows(named=True)))

ranked = matches.filter(pl.col("source_id") == current).sort("rank")
candidates = ranked.head(SHOWN_CANDIDATES)
# Sent here from another page to judge one candidate of this item: it stays shown (and chosen
# on entering) for as long as the item is open, or a rerun would drop it and Y confirm another.
opened = st.session_state["open_target"]
wanted = opened[1] if opened and opened[0] == current else None
if wanted is not None and wanted not in candidates["target_id"]:
    found = ranked.filter(pl.col("target_id") == wanted)
    if found.is_empty():  # beyond this task's own top-k: Coverage found it from the city item's side
        try:
            found = ui.matches(source_doc, target_doc, coverage_match_settings(ui.settings())).filter(
                (pl.col("source_id") == current) & (pl.col("target_id") == wanted))
        except PlanAlignError:
            pass
    candidates = pl.concat([candidates, found])
if blind:
    candidates = in_plan_order(candidates, target_items)
target_rows = {row["item_id"]: row for row in target_items.to_dicts()}
# judged on the text the plans hold now: one decided on a re-issued item's old text is open again
my_pairs = {(r["target_id"]): r["decision"] for r in
            settled.filter((pl.col("source_id") == current) & (pl.col("reviewer") == me)).iter_rows(named=True)}
seen = item_decisions(in_effect, me, current)  # compared again when a button records
# Candidates this reviewer has not settled (undecided, or marked 不确定): where a reject goes next. An
# item opens on the one marked 不确定 first, the one the planner came back to settle (it opened on the
# next undecided one, which Y then confirmed unseen).
still_open = [i for i, t in enumerate(candidates["target_id"].to_list()) if my_pairs.get(t, "unsure") == "unsure"]
entry = next((i for i in still_open if my_pairs.get(candidates["target_id"][i]) == "unsure"),
             still_open[0] if still_open else 0)

with right:
    if candidates.is_empty():
        st.warning("没有候选 No candidates for this item.")
        chosen = None
    else:
        shown_ids = candidates["target_id"].to_list()
        if wanted is not None and wanted not in shown_ids:
            st.warning(f"{wanted} 不在此条目的候选中 is not among this item's candidates.")
        elif wanted is not None and st.session_state["candidate"] is None:
            st.session_state["candidate"] = shown_ids.index(wanted)
        chosen_index = st.session_state["candidate"]
        # a press from a page not yet redrawn can hand back the old radio's label, not an index (a TypeError
        # on '>=' took the page down): like none, it opens the item afresh
        if not isinstance(chosen_index, int) or not 0 <= chosen_index < candidates.height:
            # Entering an item: its 不确定 candidate, else the first this reviewer has not decided on yet.
            st.session_state["candidate"] = entry

        def _label(index: int) -> str:
            row = candidates.row(index, named=True)
            mark = DECISION_LABELS.get(my_pairs.get(row["target_id"], ""), "")
            text = ui.item_label(target_rows.get(row["target_id"], {"item_id": row["target_id"], "text": ""}))
            rank = "" if blind else f"#{row['rank']} "
            score = "" if blind else f"  [{row['score']:.2f}]"
            ruled = "（你已判其无对应 you marked it no counterpart）" if row["target_id"] in my_ruled_out else ""
            return ui.markdown_literal(f"{mark} {rank}{text}{score}".strip()) + ruled

        index = ui.bound(st.radio, "候选 Candidates", "candidate", "rv", list(range(candidates.height)),
                         format_func=_label)
        chosen = candidates.row(index, named=True)

source_text = item["text"] or item["title"] or ""
if chosen is None:
    source_box.markdown(ui.highlight_html(source_text, []), unsafe_allow_html=True)
else:
    target = target_rows.get(chosen["target_id"], {})
    target_text = target.get("text") or target.get("title") or ""
    # shared text, and the synonyms the matcher read as one term (街角游园 and 口袋公园), which share none
    spans = shared_spans(source_text, target_text) + [form for pair in synonyms.between(source_text, target_text)
                                                       for form in pair]
    source_box.markdown(ui.highlight_html(source_text, spans), unsafe_allow_html=True)
    st.subheader(f"候选 {chosen['target_id']}")
    c1, c2 = st.columns([3, 2])
    with c1:
        st.caption("与源条目共同的文字已高亮 (text shared with the source item is highlighted)")
        st.markdown(ui.highlight_html(target_text, spans), unsafe_allow_html=True)
        st.caption(ui.markdown_literal(
            f"责任单位 units: {'、'.join(target.get('units') or []) or '—'} · "
            f"目标 targets: {ui.targets_text(target.get('targets'))} · 配额 quotas: "
            f"{ui.quotas_text(target.get('quotas'), first=source_place, shown=5)}"
            f"{ui.deadline_text(target)}"
        ))
        if not blind:  # the reasons are the model's: 是最相近的候选 says which it prefers
            st.markdown("**理由 Reasons**")
            st.text(chosen["reasons"])
    with c2:
        if blind:
            st.caption("盲审模式：得分、排名与理由已隐藏，候选按文档顺序列出 Blind mode: scores, ranks and reasons "
                       "hidden; candidates in the plan's order.")
        else:
            st.metric("得分 score", f"{chosen['score']:.3f}",
                      help=f"阈值 threshold {threshold:.2f}; 建议 proposed: {'是' if chosen['linked'] else '否'}")
            steps = waterfall(chosen, intercept).with_row_index("order")
            steps = steps.filter((pl.col("contribution").abs() > 1e-9) | (pl.col("feature") == "intercept"))
            steps = steps.with_columns(  # the axis names each bar in Chinese; the tooltip says it in full
                (pl.col("cumulative") - pl.col("contribution")).alias("start"),
                pl.col("label").str.split(" (").list.first().alias("bar"))
            chart = (
                alt.Chart(steps.to_pandas())
                .mark_bar()
                .encode(
                    y=alt.Y("bar:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=180)),
                    x=alt.X("start:Q", title="对数几率 log-odds"),
                    x2="cumulative:Q",
                    color=alt.condition("datum.contribution >= 0", alt.value("#2e7d32"), alt.value("#c62828")),
                    tooltip=["label", alt.Tooltip("contribution:Q", format=".2f"),
                             alt.Tooltip("cumulative:Q", format=".2f")],
                )
                .properties(height=28 * steps.height + 30)
            )
            st.altair_chart(chart, width="stretch", key="rv_waterfall")

# ------------------------------------------------------------------ actions
# Drawn into the toolbar under the item picker, so the buttons are on a laptop's first screen; each
# button shows its key (Y, N, X, U, S, Z).

with toolbar:
    score = None if chosen is None else float(chosen["score"])
    engine = None if chosen is None else chosen["engine_version"]
    target_id = None if chosen is None else chosen["target_id"]
    # After a reject, the next candidate still open on this item; none left: the next item.
    after_reject = next((i for i in still_open if i != st.session_state["candidate"]), None)
    if far_below_threshold(score, threshold) and not blind:
        st.caption(f"此候选得分 {score:.3f}，远低于阈值 {threshold:.2f}：确认前请再读一遍两条文字 "
                   f"(this candidate scores {score:.3f}, far below the threshold {threshold:.2f}: read both texts again "
                   "before confirming)")
    # 无对应 and 不确定 with their key hints need a third more room: at 1280 px they read 无… and 不…
    buttons = st.columns([1, 1, 1.35, 1.35, 1, 1, 2.3], vertical_alignment="bottom")
    # Each deciding button is named by the pair it decides: a second Y pressed before the page redrew (a
    # decision takes a second or two) clicked the same button on the next item, and confirmed it unseen;
    # now, while the old page alone is shown, it clicks a button the page no longer has, and is ignored
    # (for the moment the browser shows the next item's button beside the old one, it is not).
    on_screen = f"|{current}|{target_id or ''}"
    buttons[0].button("确认", help="Confirm", key="rv_confirm" + on_screen, shortcut="Y", type="primary", disabled=chosen is None,
                      on_click=_decide, args=("confirmed", current, target_id, score, engine, next_id, None, this_queue),
                      kwargs={"seen": seen})
    buttons[1].button("拒绝", help="Reject", key="rv_reject" + on_screen, shortcut="N", disabled=chosen is None,
                      on_click=_decide, args=("rejected", current, target_id, score, engine, next_id,
                                              after_reject, this_queue), kwargs={"seen": seen})
    buttons[2].button("无对应", help="No counterpart", key="rv_none" + on_screen, shortcut="X",
                      on_click=_decide, args=("no_counterpart", current, None, None, engine, next_id, None, this_queue,
                                              target_doc), kwargs={"seen": seen})
    buttons[3].button("不确定", help="Unsure", key="rv_unsure" + on_screen, shortcut="U", disabled=chosen is None,
                      on_click=_decide, args=("unsure", current, target_id, score, engine, next_id, None, this_queue),
                      kwargs={"seen": seen})
    buttons[4].button("跳过", help="Skip", key="rv_skip", shortcut="S", on_click=_skip_pressed, args=(next_id, this_queue))
    buttons[5].button("撤销", help="Undo", key="rv_undo", shortcut="Z", on_click=_undo, args=(source_doc, target_doc))
    with buttons[6]:
        ui.bound(st.text_input, "备注 Note", "note", "rv", placeholder="备注（可选）note, optional",
                 label_visibility="collapsed")

# ------------------------------------------------------------------ history and conflicts

conflicts = pair_decisions(store.conflicts(digests), source_doc, target_doc)
here = conflicts.filter(pl.col("source_id") == current)
if here.height:
    st.warning("审核人意见不一 Reviewers disagree on this item: " + " | ".join(
        f"{target or '无对应'}：{summary}" for target, summary in here.select("target_id", "summary").iter_rows()))

history = pair_decisions(store.history(current), source_doc, target_doc)
with st.expander(f"决定历史 History of {current} ({history.height})", expanded=False):
    if history.is_empty():
        st.caption("尚无决定 No decisions yet.")
    else:
        shown = history.sort("decided_at", descending=True).select(
            local_time("decided_at", ui.settings().timezone).alias("时间 time"),
            pl.col("reviewer").alias("审核人 reviewer"),
            # a 无对应 names no target, but the plan it was judged against; an empty cell is —, not None
            pl.col("target_id").fill_null(pl.lit(f"—（{target_doc}）")).alias("目标 target"),
            pl.col("decision").replace_strict(HISTORY_LABELS, default=pl.col("decision")).alias("决定 decision"),
            pl.col("note").fill_null("").alias("备注 note"),
            pl.col("retracted").alias("已撤销 retracted"),
            *([] if blind else [pl.col("score").round(3).cast(pl.String).fill_null("—").alias("得分 score")]),
        )
        st.dataframe(shown, hide_index=True, width="stretch", key="rv_history")

with st.expander(f"审核冲突 Conflicts between reviewers ({conflicts.height})", expanded=False):
    if conflicts.is_empty():
        st.caption("没有冲突 No conflicts.")
    else:
        st.dataframe(conflicts.select(
            pl.col("kind").replace_strict(CONFLICT_KINDS, default=pl.col("kind")).alias("类型 kind"),
            pl.col("source_id").alias("源条目 source"), pl.col("target_id").alias("目标条目 target"),
            pl.col("summary").alias("各人意见 who decided what"),
            local_time("last_decided_at", ui.settings().timezone).alias("最近审核 last decided")),
            hide_index=True, width="stretch", key="rv_conflicts")

# ------------------------------------------------------------------ bulk confirm

with st.expander("批量确认 Bulk-confirm proposals above a score", expanded=False):
    if blind:
        st.caption("盲审模式下不提供批量确认 Bulk-confirm is off in blind mode (it works by score).")
    else:
        min_score = ui.bound(st.slider, "最低得分 Minimum score", "bulk_min", "rv", 0.0, 1.0, step=0.01)
        # the queue as filtered: a keyword or area chosen above narrows what is confirmed too
        bulk = bulk_candidates(matches, mine, min_score=min_score, ruled_out=my_ruled_out) \
            .filter(pl.col("source_id").is_in(queue_ids))
        narrowed = len(queue_ids) < total
        st.write(f"将确认 would confirm **{bulk.height}** 条 links on items you have not decided yet"
                 + (f", among the {len(queue_ids)} items the filters leave in the queue." if narrowed else "."))
        if bulk.height:
            texts = pl.concat([ui.items(d).select("item_id", shown_text().alias("text")) for d in (source_doc, target_doc)])
            sample = bulk.head(10).join(texts.rename({"text": "source_text"}), left_on="source_id", right_on="item_id",
                                        how="left").join(texts.rename({"text": "target_text"}), left_on="target_id",
                                                         right_on="item_id", how="left")
            if bulk.height > sample.height:
                st.caption(f"样例：前 {sample.height} / {bulk.height} 条 A sample: the first {sample.height} of {bulk.height}.")
            st.dataframe(sample.select(  # the tasks themselves, to judge the sample before confirming; the score
                # first and each text in a medium column (at 1366 px the score and reasons were off-screen)
                ((pl.col("score") * 1000).floor() / 1000).alias("得分 score"),  # cut, not rounded: 0.9997 is no 1.000
                pl.col("source_id").alias("源条目 source"), pl.col("source_text").alias("源任务 source task"),
                pl.col("target_id").alias("目标条目 target"), pl.col("target_text").alias("目标任务 target task"),
                pl.col("reasons").alias("理由 reasons")),
                hide_index=True, width="stretch", key="rv_bulk_sample", column_config={
                    # three decimals: 0.997 rounded to 1 read as certain beside 0.97
                    "得分 score": st.column_config.NumberColumn(format="%.3f"),
                    **{name: st.column_config.TextColumn(width="medium")
                       for name in ("源任务 source task", "目标任务 target task", "理由 reasons")}})
            rows = bulk.select("source_id", "target_id", "score", "engine_version").to_dicts()
            st.button(f"批量确认 {bulk.height} 条 Confirm {bulk.height}", key="rv_bulk_go",
                      on_click=_bulk_confirm, args=(rows,))
