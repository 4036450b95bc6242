"""The review app through Streamlit's AppTest: every page renders, and every action is one
decision in the store."""

from __future__ import annotations

import io
import math
import re
import tempfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from align.cli import main as cli_main
from align.evolution import RELATION_LABELS
from align.ingest import load_items
from align.items import text_digests
from align.registry import document_path, get_document, load_registry
from align.store import DecisionStore
from matching.engine import match_documents
from matching.review import COVERAGE_LABELS, unit_choices
from matching.scoring import LinkModel, adopted_weights, default_model, model_for

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = {
    "documents": "views/documents.py",
    "review": "views/review.py",
    "threshold": "views/threshold.py",
    "coverage": "views/coverage.py",
    "evolution": "views/evolution.py",
    "export": "views/export.py",
    "add_document": "views/add_document.py",
}
TIMEOUT = 120  # the first match of a pair takes seconds; AppTest's default is 3 s


@pytest.fixture()
def env(data_copy, tmp_path, monkeypatch):
    """A private data folder and decision store for the app, set before AppTest starts."""
    db = tmp_path / "decisions.sqlite"
    monkeypatch.setenv("PLAN_ALIGN_DATA", str(data_copy.data_dir))
    monkeypatch.setenv("PLAN_ALIGN_DB", str(db))
    return data_copy.with_changes(db_path=db)


def decision_button(at: AppTest, name: str):
    """The Review page's 确认/拒绝/无对应/不确定 button (``rv_confirm``…), keyed by the pair it decides."""
    return next(b for b in at.button if b.key.startswith(f"{name}|"))


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def decisions(settings) -> pl.DataFrame:
    with DecisionStore(settings.db_path) as store:
        return store.current().select("reviewer", "source_id", "target_id", "target_doc", "decision", "note").sort(
            "source_id"
        )


def test_every_page_renders_on_the_bundled_documents(env):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "plan-align 规划对齐" in [t.value for t in at.title]
    for page, path in PAGES.items():
        at.switch_page(path).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
        assert at.title, page


def test_documents_page_shows_original_lines_of_the_selected_item(env):
    at = open_page("documents")
    at.selectbox(key="doc_doc_item").set_value("baqiao-2023:3").run()
    code = "\n".join(c.value for c in at.code)
    assert "规模以上工业增加值增长" in code and "35 │" in code


def test_documents_page_says_where_the_documents_own_counts_disagree_with_the_items_found(env):
    at = open_page("documents")
    notes_boxes = [e for e in at.expander if e.label.startswith("解析提示")]
    assert not notes_boxes, "baqiao-2023's counts agree: no parser notes"
    at.selectbox(key="doc_doc").set_value("baqiao-2020").run()
    notes_box = next(e for e in at.expander if e.label.startswith("解析提示"))
    assert notes_box.label == "解析提示 Parser notes (2)"
    notes = [w.value for w in notes_box.warning]
    assert any("文中说已完成 98 项，实际找到 96 项" in n for n in notes), notes
    assert all(n.startswith("documents/baqiao-2020-task-decomposition.txt") for n in notes), "the registry's file name"


def test_a_city_item_shows_its_own_line_and_its_attachment_not_the_items_between(env):
    at = open_page("documents")
    at.selectbox(key="doc_doc").set_value("xian-2024").run()
    at.selectbox(key="doc_doc_item").set_value("xian-2024:1").run()
    own, attachment = (c.value for c in at.code)
    assert own.startswith("13 │ 1.开通运营地铁线路") and own.count("\n") == 0
    assert attachment.startswith("167 │ 附件1") and "197 │" in attachment
    assert "新开调整公交线路" not in own + attachment, "item 2 lies between them and is not shown"


def test_review_confirm_reject_none_and_undo_are_exactly_the_stored_decisions(env):
    at = open_page("review")
    first = at.session_state["current"]
    at.text_input(key="rv_note").set_value("同一任务").run()
    first_target = at.radio(key="rv_candidate").options[0].split()[1]  # "#1 xian-2024:26 …"
    decision_button(at, "rv_confirm").click().run()
    second = at.session_state["current"]
    assert second != first
    # said in a toast, which a page scrolled down to its buttons still shows; no line above them moves them
    assert any(t.value.startswith("已记录 recorded: 【确认】") for t in at.toast) and not at.success
    decision_button(at, "rv_reject").click().run()
    assert at.session_state["current"] == second and at.session_state["candidate"] == 1
    decision_button(at, "rv_none").click().run()
    third = at.session_state["current"]
    assert third not in (first, second)
    decision_button(at, "rv_none").click().run()  # a third item, undone below
    at.button(key="rv_undo").click().run()
    assert not at.exception
    assert at.session_state["current"] == third

    found = decisions(env)
    assert found.height == 3
    rows = {(r["source_id"], r["decision"]): r for r in found.iter_rows(named=True)}
    assert rows[(first, "confirmed")]["note"] == "同一任务"
    assert rows[(first, "confirmed")]["target_id"] == first_target
    assert (second, "rejected") in rows and (second, "no_counterpart") in rows
    assert rows[(second, "no_counterpart")]["target_doc"] == "xian-2024", "无对应 names the plan it looked in"
    assert all(r["reviewer"] == "planner" for r in rows.values())
    assert "2 / 111" in [m.value for m in at.metric]  # progress: two items reviewed


def test_the_history_of_an_item_shows_no_none_for_a_no_counterpart_without_a_note(env):
    """A 无对应 names no target and carries no note or score: the history read None in all three cells."""
    at = open_page("review")
    first = at.session_state["current"]
    decision_button(at, "rv_none").click().run()
    at.selectbox(key="rv_current").set_value(first).run()
    history = next(frame.value for frame in at.dataframe if "目标 target" in frame.value.columns)
    row = history.iloc[0]
    assert (row["目标 target"], row["备注 note"], row["得分 score"]) == ("—（xian-2024）", "", "—")


def test_coming_back_to_an_item_opens_the_candidate_marked_unsure_and_the_history_says_undo_in_chinese(env):
    """Back on an item whose second candidate was marked 不确定, it opened on the first (undecided) one,
    which Y then confirmed unseen; and the history listed a retraction as the English word undo."""
    at = open_page("review")
    first = at.session_state["current"]
    at.radio(key="rv_candidate").set_value(1).run()
    unsure_target = at.radio(key="rv_candidate").options[1].split()[1]
    decision_button(at, "rv_unsure").click().run()
    assert at.session_state["current"] != first
    at.selectbox(key="rv_current").set_value(first).run()
    assert at.radio(key="rv_candidate").value == 1, "the candidate to settle"
    decision_button(at, "rv_confirm").click().run()
    assert decisions(env).filter(pl.col("decision") == "confirmed")["target_id"].to_list() == [unsure_target]
    at.selectbox(key="rv_current").set_value(first).run()
    at.button(key="rv_undo").click().run()
    history = next(frame.value for frame in at.dataframe if "目标 target" in frame.value.columns)
    assert "【撤销】" in set(history["决定 decision"]) and "undo" not in set(history["决定 decision"])


def test_a_second_window_does_not_overwrite_a_decision_it_never_showed(env):
    """Two tabs on one item: tab A confirmed, then tab B, still showing the item undecided, rejected the
    same pair, which silently replaced A's confirmation."""
    tab_a, tab_b = open_page("review"), open_page("review")
    item = tab_a.session_state["current"]
    assert tab_b.session_state["current"] == item
    decision_button(tab_a, "rv_confirm").click().run()
    decision_button(tab_b, "rv_reject").click().run()
    assert decisions(env)["decision"].to_list() == ["confirmed"], "B's reject was not recorded"
    assert any("已在另一窗口更改" in t.value for t in [*tab_b.toast, *tab_b.warning]), "and B is told why"
    decision_button(tab_b, "rv_reject").click().run()  # now B has shown the confirmation: its decision stands
    assert decisions(env)["decision"].to_list() == ["rejected"]


def test_bulk_confirm_and_undo_leave_what_another_window_decided(env):
    """Tab A's bulk-confirm overwrote a reject tab B had just made on one of its links, and tab A's Undo
    retracted tab B's latest decision, which tab A never showed."""
    found = match_documents(env, "baqiao-2023", "xian-2024").filter(pl.col("linked")).sort("score", descending=True)
    source, target = found.row(0, named=True)["source_id"], found.row(0, named=True)["target_id"]
    tab_a, tab_b = open_page("review"), open_page("review")
    tab_a.slider(key="rv_bulk_min").set_value(0.0).run()
    with DecisionStore(env.db_path) as store:  # tab B, meanwhile
        store.record("planner", source, target, "rejected")
    tab_a.button(key="rv_bulk_go").click().run()
    current = decisions(env)
    assert current.filter(pl.col("source_id") == source)["decision"].to_list() == ["rejected"]
    assert current.filter(pl.col("decision") == "confirmed").height > 0, "the other links were confirmed"
    assert any("另一窗口" in t.value for t in [*tab_a.toast, *tab_a.warning])
    # tab A's Undo takes back what tab A did, never tab B's later decision
    other = next(s for s in found["source_id"].unique(maintain_order=True) if s != source)
    tab_b.selectbox(key="rv_current").set_value(other).run()
    decision_button(tab_b, "rv_none").click().run()
    tab_a.button(key="rv_undo").click().run()
    assert decisions(env).filter(pl.col("source_id") == other)["decision"].to_list() == ["no_counterpart"], "B's stays"
    assert any("来自另一窗口" in t.value for t in [*tab_a.toast, *tab_a.warning])
    # a decision on another pair in the same window does not block undoing this pair's own last one
    tab_b.selectbox(key="rv_source_doc").set_value("baqiao-2020").run()
    tab_b.selectbox(key="rv_target_doc").set_value("baqiao-2023").run()
    decision_button(tab_b, "rv_none").click().run()
    tab_b.selectbox(key="rv_source_doc").set_value("baqiao-2023").run()
    tab_b.selectbox(key="rv_target_doc").set_value("xian-2024").run()
    tab_b.button(key="rv_undo").click().run()
    assert "no_counterpart" not in decisions(env).filter(pl.col("source_id") == other)["decision"].to_list(), \
        "B's own 无对应 on this pair taken back"


def test_the_review_page_says_when_a_district_is_matched_with_a_city_it_is_not_under(env):
    at = open_page("review")
    assert not [i for i in at.info if "登记在" in i.value], "灞桥区 → 西安市: its own city"
    at.selectbox(key="rv_target_doc").set_value("xianyang-2023").run()
    assert not at.exception
    assert any(i.value.startswith("baqiao-2023 登记在西安市之下，不属咸阳市") for i in at.info)


def test_policy_areas_are_offered_in_the_plans_order_and_a_dispute_names_its_link(env):
    """The areas read (一)(七)(三)(九)…, sorted by character; the banner of a disputed item named no target."""
    at = open_page("review")
    at.selectbox(key="rv_source_doc").set_value("xixian-2023").run()
    areas = at.multiselect(key="rv_sections").options
    items = load_items(env, "xixian-2023")
    assert areas == list(dict.fromkeys(" / ".join(p) for p in items["section_path"].to_list() if p))
    assert areas[0].startswith("一、") and areas[1].startswith("二、")
    item = at.session_state["current"]
    target = at.radio(key="rv_candidate").options[0].split()[1]
    with DecisionStore(env.db_path) as store:
        store.record("丙", item, target, "confirmed")
        store.record("planner", item, target, "rejected")
    at.run()
    banner = next(w.value for w in at.warning if w.value.startswith("审核人意见不一"))
    assert f"{target}：" in banner


def test_rejecting_one_candidate_keeps_the_item_open_on_the_next_candidate(env):
    """A reject is not a verdict on the item: it stays first in the queue, unticked, on candidate #2."""
    at = open_page("review")
    first = at.session_state["current"]
    decision_button(at, "rv_reject").click().run()
    assert at.session_state["current"] == first
    assert at.radio(key="rv_candidate").index == 1
    assert at.selectbox(key="rv_current").label.startswith("当前条目 Current item (1 / 111")
    assert "0 / 111" in [m.value for m in at.metric], "nothing is reviewed until a confirm or 无对应"
    decision_button(at, "rv_confirm").click().run()
    assert "1 / 111" in [m.value for m in at.metric]
    assert at.session_state["current"] != first


def test_reviewer_name_from_the_sidebar_is_recorded(env):
    at = open_page("review")
    at.sidebar.text_input(key="rv_reviewer").set_value("王工").run()
    decision_button(at, "rv_confirm").click().run()
    assert decisions(env)["reviewer"].to_list() == ["王工"]


def test_reviewer_name_survives_a_reload_through_the_address(env):
    """After a reload the name comes back from ?reviewer=, so decisions are not credited to the default."""
    at = open_page("review")
    assert any("未填写审核人" in w.value for w in at.sidebar.warning), "an empty name is pointed out"
    at.sidebar.text_input(key="rv_reviewer").set_value("王工").run()
    assert at.query_params["reviewer"] in ("王工", ["王工"])  # as the address holds it
    assert not at.sidebar.warning

    reloaded = AppTest.from_file(APP, default_timeout=TIMEOUT)
    reloaded.query_params["reviewer"] = "王工"
    reloaded.run()
    reloaded.switch_page("views/review.py").run()
    assert reloaded.sidebar.text_input(key="rv_reviewer").value == "王工"
    decision_button(reloaded, "rv_confirm").click().run()
    assert decisions(env)["reviewer"].to_list() == ["王工"]


def test_the_document_pair_and_blind_mode_survive_a_reload_through_the_address(env):
    """A reload (F5) opened the default pair: a planner half-way through baqiao-2020 → baqiao-2023
    found baqiao-2023 → xian-2024 and the wrong queue; a blind reviewer saw the scores."""
    at = open_page("review")
    at.selectbox(key="rv_source_doc").set_value("baqiao-2020").run()
    at.selectbox(key="rv_target_doc").set_value("baqiao-2023").run()
    assert {at.query_params[k] if isinstance(at.query_params[k], str) else at.query_params[k][0]
            for k in ("source", "target")} == {"baqiao-2020", "baqiao-2023"}

    reloaded = AppTest.from_file(APP, default_timeout=TIMEOUT)
    reloaded.query_params.update(source="baqiao-2020", target="baqiao-2023")
    reloaded.run()
    reloaded.switch_page("views/review.py").run()
    assert not reloaded.exception
    assert (reloaded.selectbox(key="rv_source_doc").value, reloaded.selectbox(key="rv_target_doc").value) == (
        "baqiao-2020", "baqiao-2023")
    assert reloaded.session_state["current"].startswith("baqiao-2020:")

    at.toggle(key="rv_blind").set_value(True).run()
    assert at.query_params["blind"] in ("1", ["1"])
    blind = AppTest.from_file(APP, default_timeout=TIMEOUT)  # a blind reviewer's reload still hides the scores
    blind.query_params.update(source="baqiao-2020", target="baqiao-2023", blind="1", order="nonsense")
    blind.run()
    blind.switch_page("views/review.py").run()
    assert not blind.exception and blind.toggle(key="rv_blind").value
    assert not any("[0." in option for option in blind.radio(key="rv_candidate").options)
    assert blind.session_state["order"] == "unreviewed", "an unknown order in the address falls back"

    # the keyword filter and the item open come back too (a reload went from item 88 of a 医疗 queue to 66 of 111)
    at.toggle(key="rv_blind").set_value(False).run()
    at.text_input(key="rv_keywords").input("改造").run()
    queue = at.selectbox(key="rv_current").options
    wanted = at.selectbox(key="rv_current").options[2].split()[0].lstrip("✔")
    at.selectbox(key="rv_current").set_value(wanted).run()
    params = {k: v if isinstance(v, str) else v[0] for k, v in at.query_params.items()}
    assert (params["q"], params["item"]) == ("改造", wanted)
    again = AppTest.from_file(APP, default_timeout=TIMEOUT)
    again.query_params.update(params)
    again.run()
    again.switch_page("views/review.py").run()
    assert (again.session_state["keywords"], again.session_state["current"]) == ("改造", wanted)
    assert again.selectbox(key="rv_current").options == queue, "the same narrowed queue"
    # and a unit filter (a department reviewer's 6 items came back as all 111)
    again.text_input(key="rv_keywords").input("").run()
    unit = list(unit_choices(load_items(env, "baqiao-2020")))[0]
    again.multiselect(key="rv_units").set_value([unit]).run()
    narrowed = again.selectbox(key="rv_current").options
    params = {k: v if isinstance(v, str) else v[0] for k, v in again.query_params.items()}
    assert params["units"] == unit and "q" not in params
    third = AppTest.from_file(APP, default_timeout=TIMEOUT)
    third.query_params.update(params)
    third.run()
    third.switch_page("views/review.py").run()
    assert third.session_state["units"] == [unit] and third.selectbox(key="rv_current").options == narrowed
    assert len(narrowed) < len(load_items(env, "baqiao-2020"))

    stale = AppTest.from_file(APP, default_timeout=TIMEOUT)  # a bookmark to a plan since removed
    stale.query_params.update(source="gone-2019", target="baqiao-2023")
    stale.run()
    stale.switch_page("views/review.py").run()
    assert not stale.exception and stale.selectbox(key="rv_source_doc").value == "baqiao-2023"


def test_the_export_pair_and_the_documents_item_survive_a_reload_through_the_address(env):
    """A reload took Export back to baqiao-2023 → xian-2024 and Documents back to the first plan's first item, and a
    bookmark of the Export page opened another pair than it named (a browser probe)."""
    at = open_page("export")
    at.selectbox(key="ex_export_source").set_value("baqiao-2020").run()
    at.selectbox(key="ex_export_target").set_value("baqiao-2023").run()
    at.switch_page(PAGES["documents"]).run()
    at.selectbox(key="doc_doc").set_value("xian-2024").run()
    at.selectbox(key="doc_doc_item").set_value("xian-2024:7").run()
    params = {k: v if isinstance(v, str) else v[0] for k, v in at.query_params.items()}
    reloaded = AppTest.from_file(APP, default_timeout=TIMEOUT)
    reloaded.query_params.update(params)
    reloaded.run()
    reloaded.switch_page(PAGES["export"]).run()
    assert (reloaded.selectbox(key="ex_export_source").value, reloaded.selectbox(key="ex_export_target").value) == (
        "baqiao-2020", "baqiao-2023")
    reloaded.switch_page(PAGES["documents"]).run()
    assert reloaded.selectbox(key="doc_doc_item").value == "xian-2024:7"
    # and Evolution's task line (its number came back as text and the page opened line 1)
    at.switch_page(PAGES["evolution"]).run()
    at.selectbox(key="evo_chain").select_index(2).run()
    params = {k: v if isinstance(v, str) else v[0] for k, v in at.query_params.items()}
    again = AppTest.from_file(APP, default_timeout=TIMEOUT)
    again.query_params.update(params)
    again.run()
    again.switch_page(PAGES["evolution"]).run()
    assert again.selectbox(key="evo_chain").value == at.selectbox(key="evo_chain").value != at.selectbox(key="evo_chain").options[0]


def test_a_reviewer_name_cleared_on_purpose_stays_cleared(env):
    """Cleared, the name came back from the address on the next run: on a shared PC the next
    planner's decisions went on being credited to the one before."""
    at = open_page("review")
    at.sidebar.text_input(key="rv_reviewer").set_value("李工").run()
    at.sidebar.text_input(key="rv_reviewer").set_value("").run()
    at.run()
    assert at.sidebar.text_input(key="rv_reviewer").value == "" and "reviewer" not in at.query_params
    assert any("未填写审核人" in w.value for w in at.sidebar.warning)


def test_another_reviewer_opens_an_item_on_the_first_candidate_they_have_not_judged(env):
    """王工 rejected #1, so the page moved to #2; 李工, taking over, opened on #2 too and Y confirmed it."""
    at = open_page("review")
    at.sidebar.text_input(key="rv_reviewer").set_value("王工").run()
    item = at.session_state["current"]
    decision_button(at, "rv_reject").click().run()
    assert at.session_state["current"] == item and at.radio(key="rv_candidate").value == 1
    at.sidebar.text_input(key="rv_reviewer").set_value("李工").run()
    assert at.radio(key="rv_candidate").value == 0


def test_bulk_confirm_from_the_other_plan_leaves_a_no_counterpart_of_ones_own_alone(env):
    """无对应 on baqiao-2023:93, then bulk-confirm on xian-2024 → baqiao-2023 confirmed
    xian-2024:14 → baqiao-2023:93 and the 无对应 was gone, replaced as a change of mind."""
    at = open_page("review")
    at.sidebar.text_input(key="rv_reviewer").set_value("王工").run()
    at.selectbox(key="rv_current").set_value("baqiao-2023:93").run()
    decision_button(at, "rv_none").click().run()
    at.selectbox(key="rv_source_doc").set_value("xian-2024").run()
    at.selectbox(key="rv_target_doc").set_value("baqiao-2023").run()
    at.button(key="rv_bulk_go").click().run()
    assert not at.exception
    after = decisions(env)
    assert after.filter(pl.col("decision") == "no_counterpart")["source_id"].to_list() == ["baqiao-2023:93"]
    assert "baqiao-2023:93" not in after.filter(pl.col("decision") == "confirmed")["target_id"].to_list()


def test_blind_mode_hides_scores(env):
    at = open_page("review")
    labels = at.radio(key="rv_candidate")
    assert any("[" in label for label in labels.options)
    assert "得分 score" in [m.label for m in at.metric]
    at.toggle(key="rv_blind").set_value(True).run()
    assert not at.exception
    assert "得分 score" not in [m.label for m in at.metric]
    assert not any("[0." in option or "[1." in option for option in at.radio(key="rv_candidate").options)
    assert not at.get("arrow_vega_lite_chart") and not at.get("vega_lite_chart")
    # nor does anything else say which candidate the model prefers: its reasons (是最相近的候选), the
    # rank, the best-first order, or a filter by score
    assert not any("最相近" in text.value or "1.00" in text.value for text in at.text)
    options = at.radio(key="rv_candidate").options
    assert not any(re.match(r"(?:【\w+】)?\s*#", option) for option in options)
    positions = [int(option.split(":")[1].split()[0]) for option in options]
    assert positions == sorted(positions), "in the plan's order, not the model's"
    assert at.slider(key="rv_band").disabled
    # and the queue is in the plan's order: the others put the items whose best score is nearest the threshold first
    assert at.radio(key="rv_order").disabled
    queue = [int(option.split(":")[1].split()[0]) for option in at.selectbox(key="rv_current").options]
    assert queue == sorted(queue)


@pytest.mark.parametrize("rank", [3, None])
def test_bulk_confirm_writes_one_decision_per_proposed_link(env, rank):
    """At the slider's bottom it confirms the proposals, never the 1,100 candidates below them."""
    found = match_documents(env, "baqiao-2023", "xian-2024")
    scores = found.filter(pl.col("linked"))["score"].sort(descending=True)
    cut = 0.0 if rank is None else math.floor(float(scores[rank]) * 100) / 100  # the slider's 0.01 step
    expected = int((scores >= cut).sum())
    assert expected < found.height / 10
    at = open_page("review")
    at.slider(key="rv_bulk_min").set_value(cut).run()
    assert f"**{expected}**" in " ".join(m.value for m in at.markdown)
    at.button(key="rv_bulk_go").click().run()
    assert not at.exception
    with DecisionStore(env.db_path) as store:
        log = store.log()
    assert log.height == expected
    assert log["id"].n_unique() == expected and set(log["decision"]) == {"confirmed"}
    at.run()  # a rerun never repeats the write
    with DecisionStore(env.db_path) as store:
        assert store.log().height == expected


def test_threshold_page_measures_precision_from_decisions(env):
    at = open_page("review")
    decision_button(at, "rv_confirm").click().run()
    decision_button(at, "rv_reject").click().run()
    at.switch_page(PAGES["threshold"]).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["已标注 labelled"].iloc[0] == 2
    rates = [r for r in [*table["精确率 precision"], *table["召回率 recall"]] if r != "—"]
    assert rates and all(len(r.partition(".")[2]) == 3 for r in rates), "0.500, not 0.5 beside 0.706"


def test_threshold_page_before_any_decision_shows_only_the_work_left_by_hand(env):
    at = open_page("threshold")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["阈值 cutoff", "未审建议 open proposals", "需人工条目 items by hand",
                                   "预计人工链接 expected links by hand"], "no empty precision or recall columns"
    assert len(at.get("vega_lite_chart")) == 1, "only the work chart: there are no rates to draw"


def test_an_undefined_precision_reads_as_a_dash(env):
    at = open_page("review")
    decision_button(at, "rv_reject").click().run()  # one rejection: precision is defined where it is proposed
    at.switch_page(PAGES["threshold"]).run()
    table = at.dataframe[0].value
    assert "None" not in set(table["精确率 precision"]) and "—" in set(table["召回率 recall"])


def test_refit_from_decisions_is_measured_then_adopted_then_undone(env):
    candidates = match_documents(env, "baqiao-2023", "xian-2024").filter(pl.col("rank") <= 2)
    with DecisionStore(env.db_path) as store:
        for rows, decision in ((candidates.filter(pl.col("linked")).head(6), "confirmed"),
                               (candidates.filter(~pl.col("linked")).head(14), "rejected")):
            for row in rows.iter_rows(named=True):
                store.record("planner", row["source_id"], row["target_id"], decision)
    adopted = env.data_dir / "weights.json"
    at = open_page("threshold")
    shipped_version = next(m.value for m in at.markdown if "model in use" in m.value)
    at.button(key="th_refit").click().run()
    assert not at.exception
    table = at.dataframe[-1].value  # the refit table, below the threshold table
    assert list(table["模型 method"]) == ["重新拟合 refit (交叉验证 CV)", "当前模型 current model", "字面相似 char cosine"]
    assert not adopted.exists(), "nothing changes before the planner adopts the refit"
    at.button(key="th_adopt").click().run()
    assert not at.exception and adopted.exists()
    in_use = next(m.value for m in at.markdown if "model in use" in m.value)
    assert "+decisions." in in_use and in_use != shipped_version
    at.button(key="th_restore").click().run()
    assert not adopted.exists()
    assert next(m.value for m in at.markdown if "model in use" in m.value) == shipped_version


def test_a_planner_moves_the_threshold_and_every_page_proposes_at_it(env):
    at = open_page("threshold")
    shipped = at.number_input(key="th_cutoff").value
    assert at.button(key="th_use").disabled, "the shipped threshold shown to two decimals is not a new threshold"
    at.number_input(key="th_cutoff").set_value(0.9).run()
    at.button(key="th_use").click().run()
    assert not at.exception
    assert LinkModel.load(adopted_weights(env.data_dir)).threshold == 0.9
    assert "0.90" in [m.value for m in at.metric], "the page shows the threshold in use"
    adopted = model_for(env.data_dir)
    assert adopted.coefficients == default_model().coefficients, "only the cut-off moved"
    before = match_documents(env, "baqiao-2023", "xian-2024", model=default_model())["linked"].sum()
    after = match_documents(env, "baqiao-2023", "xian-2024")["linked"].sum()
    assert shipped < 0.9 and after < before


def test_after_restoring_the_shipped_model_the_box_shows_its_threshold(env):
    """The box kept 0.90 after Restore, and one click put 0.90 back on the shipped model."""
    at = open_page("threshold")
    shipped = at.number_input(key="th_cutoff").value
    at.number_input(key="th_cutoff").set_value(0.9).run()
    at.button(key="th_use").click().run()
    at.button(key="th_restore").click().run()
    assert not at.exception and at.number_input(key="th_cutoff").value == shipped
    assert at.button(key="th_use").disabled


@pytest.mark.parametrize("damage", ['"coefficients": null', '"threshold": 0.0', '"threshold": true'])
def test_a_damaged_or_extreme_adopted_model_is_a_message_with_restore_not_a_traceback(env, damage):
    from align.settings import SHIPPED_WEIGHTS
    from matching.scoring import adopted_weights

    text = SHIPPED_WEIGHTS.read_text(encoding="utf-8")
    key = damage.split(":")[0]
    text = re.sub(rf'{key}: [^,\n]+', damage, text, count=1) if key != '"coefficients"' else \
        re.sub(r'"coefficients": \{[^}]*\}', damage, text, count=1)
    adopted_weights(env.data_dir).write_text(text, encoding="utf-8")
    at = open_page("threshold")
    assert not at.exception
    if damage == '"threshold": 0.0':  # a valid model: the box shows the nearest value it can
        assert at.number_input(key="th_cutoff").value == 0.01
    else:
        assert at.button(key="th_restore_damaged")


def test_the_threshold_page_leaves_out_a_decision_on_text_a_reissued_plan_no_longer_holds(env):
    """Counted as a confirmed link on a pair now scoring 0.05, lowering recall, with no word."""
    from align.items import text_digests

    digests = text_digests(load_items(env, "baqiao-2023")) | text_digests(load_items(env, "xian-2024"))
    with DecisionStore(env.db_path) as store:
        for source, target, decision in (("baqiao-2023:75", "xian-2024:4", "confirmed"),
                                         ("baqiao-2023:1", "xian-2024:3", "rejected")):
            store.record("王", source, target, decision, source_digest=digests[source], target_digest=digests[target])
    district = Path(env.data_dir) / "documents" / "baqiao-2023-task-progress.txt"
    district.write_text(district.read_text(encoding="utf-8").replace("新建汽车充电站不少于15处", "新建汽车充电站不少于25处"),
                        encoding="utf-8")
    at = open_page("threshold")
    assert not at.exception
    assert next(m.value for m in at.metric if m.label.startswith("确认")) == "0"
    assert any(c.value.startswith("1 个决定所依据的文本已改") for c in at.caption)


def test_a_rejection_of_a_reissued_plans_old_text_disputes_no_confirmation_of_the_new(env, tmp_path):
    """李 rejected 75 → 4; the district re-issued its table (15处 → 25处) and 王 confirmed the new text. Coverage
    counted it confirmed, as the README says such a rejection rules nothing out, while the store called it a
    conflict: held back from the export, 1 conflict on Home, a dispute on Review and under `decide`."""
    from align.export import build_export_frame
    from align.items import text_digests

    def digest(item_id: str) -> str:
        return text_digests(load_items(env, item_id.split(":")[0]))[item_id]

    source, target = "baqiao-2023:75", "xian-2024:4"
    with DecisionStore(env.db_path) as store:
        store.record("李", source, target, "rejected", source_digest=digest(source), target_digest=digest(target))
        district = Path(env.data_dir) / "documents" / "baqiao-2023-task-progress.txt"
        district.write_text(district.read_text(encoding="utf-8").replace("新建汽车充电站不少于15处", "新建汽车充电站不少于25处"),
                            encoding="utf-8")
        store.record("王", source, target, "confirmed", source_digest=digest(source), target_digest=digest(target))
        assert store.conflicts().height == 1, "without the plans' texts, as written"
        frame = build_export_frame(store, env)
    assert frame.select("source_id", "target_id").rows() == [(source, target)] and frame["disputed"].is_null().all()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert next(m.value for m in at.metric if m.label.startswith("审核冲突")) == "0"
    assert next(m.value for m in at.metric if m.label.startswith("已确认链接")) == "1"
    at = open_page("export")
    assert at.metric[0].value == "1" and not any("disputed" in w.value for w in at.warning)


def test_too_few_decisions_to_refit_is_a_message_not_a_traceback(env):
    at = open_page("threshold")
    at.button(key="th_refit").click().run()
    assert not at.exception
    assert any(w.value.startswith("无法完成：审核结论太少") and "Too few decisions" in w.value for w in at.warning)


def test_the_export_preview_shows_a_vanished_task_as_the_file_does(env):
    """The file says a task no longer in its plan is gone; the preview showed an empty cell."""
    from align.export import MISSING_ITEM

    with DecisionStore(env.db_path) as store:
        store.record("planner", "baqiao-2023:999", "xian-2024:26", "confirmed", score=0.9)
    preview = open_page("export").dataframe[0].value
    assert preview["源任务 source text"].to_list() == [MISSING_ITEM]


def test_export_to_excel_is_read_back(env):
    with DecisionStore(env.db_path) as store:
        store.record("planner", "baqiao-2023:54", "xian-2024:26", "confirmed", note="充电桩", score=0.9)
    at = open_page("export")
    assert at.radio(key="ex_fmt").value == "xlsx"
    preview = at.dataframe[0].value
    assert list(preview.columns) == ["源条目 source id", "目标条目 target id", "审核人 reviewer", "审核时间 decided at",
                                     "得分 score", "备注 note", "决定后文本已改 text changed", "源任务 source text",
                                     "目标任务 target text"], "English only after; who and when before the long texts"
    assert preview["源任务 source text"][0].startswith("完成纺三南院等7个老旧小区改造") and preview["目标任务 target text"][0]
    assert preview["决定后文本已改 text changed"].to_list() == [""], "None read as a word"
    at.button(key="ex_prepare").click().run()
    assert not at.exception and not at.error
    assert at.get("download_button")
    path = Path(env.data_dir) / "exports" / "links_baqiao-2023__xian-2024.xlsx"
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == ["汇总", "文档来源", "导出信息", "baqiao-2023→xian-2024"]
    sources = list(book["文档来源"].iter_rows(values_only=True))
    assert [row[0] for row in sources[1:]] == ["baqiao-2023", "xian-2024"] and len(sources[1][-1]) == 64
    rows = list(book["baqiao-2023→xian-2024"].iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1]))
    assert "源条目" in header and len(rows) == 2
    assert first["源条目"] == "baqiao-2023:54" and first["目标条目"] == "xian-2024:26" and first["备注"] == "充电桩"


def export_prepared_for_one_link(env) -> AppTest:
    """The Export page with one confirmed link and its file prepared, offered for download."""
    with DecisionStore(env.db_path) as store:
        store.record("planner", "baqiao-2023:54", "xian-2024:26", "confirmed")
    at = open_page("export")
    at.button(key="ex_prepare").click().run()
    assert at.get("download_button")
    return at


def test_a_file_prepared_for_another_format_is_not_offered(env):
    """Prepared as Excel, then CSV chosen: the Excel file must not sit under the CSV choice."""
    at = export_prepared_for_one_link(env)
    at.radio(key="ex_fmt").set_value("csv").run()
    assert not at.get("download_button")
    assert any("重新生成" in c.value for c in at.caption)
    at.button(key="ex_prepare").click().run()
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["下载 Download links_baqiao-2023__xian-2024.csv",
                      "下载文档来源 Download links_baqiao-2023__xian-2024.sources.csv"]  # the provenance beside it
    assert (Path(env.data_dir) / "exports" / "links_baqiao-2023__xian-2024.csv").is_file()


def test_a_file_prepared_before_an_undo_and_a_new_confirm_is_not_offered(env):
    """The confirmed links changed but not their count: the old file must not be handed over."""
    at = export_prepared_for_one_link(env)
    with DecisionStore(env.db_path) as store:
        store.undo("planner", "baqiao-2023:54", "xian-2024:26")
        store.record("planner", "baqiao-2023:75", "xian-2024:4", "confirmed")
    at.run()
    assert at.metric[0].value == "1" and not at.get("download_button")
    assert any("重新生成" in c.value for c in at.caption)


def test_another_session_preparing_the_same_file_does_not_change_this_ones_download(env):
    """Both sessions write links_baqiao-2023__xian-2024.xlsx; A's button read the file from disk
    when it was drawn, so A downloaded B's disputed link while its page said 1 link."""
    with DecisionStore(env.db_path) as store:
        store.record("王", "baqiao-2023:54", "xian-2024:26", "confirmed")
        store.record("王", "baqiao-2023:75", "xian-2024:4", "confirmed")
        store.record("李", "baqiao-2023:75", "xian-2024:4", "rejected")
    first = open_page("export")
    first.button(key="ex_prepare").click().run()
    second = open_page("export")
    second.checkbox(key="ex_with_conflicts").check().run()
    second.button(key="ex_prepare").click().run()
    first.run()
    assert first.metric[0].value == "1" and first.get("download_button")

    def linked_rows(data: bytes) -> int:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True)["baqiao-2023→xian-2024"].max_row - 1

    assert linked_rows(first.session_state["export_file"]["data"]) == 1
    assert linked_rows(second.session_state["export_file"]["data"]) == 2


def test_coverage_shows_the_quota_the_city_gives_the_district(env):
    at = open_page("coverage")
    table = at.dataframe[0].value
    quota_column = next(c for c in table.columns if c.startswith("下达灞桥区配额"))
    assert table[quota_column].str.contains("200").any()
    # the amounts stand alone beside the status: a narrow cell cut 灞桥区200个 to 灞桥区20
    charging = table.set_index("市级条目 city item").loc["xian-2024:4"]
    assert list(table.columns[:4]) == ["市级条目 city item", "任务 task", "状态 status", "配额数量 amount"]
    assert charging["配额数量 amount"].split("；")[0] == "200个"
    # and the quota itself opens with the place and amount (cut after 灞桥区20, it read as 20 on a laptop)
    assert charging[quota_column].startswith("灞桥区200个（新建公(专)用充电桩）；灞桥区800个（")
    download = at.get("download_button")[0].proto  # its workbook: test_export's coverage workbook test
    assert download.label.startswith("下载 Excel（覆盖情况与无对应条目）") and download.url.endswith(".xlsx")
    # an empty cell reads —, not None; the counts' labels are the Chinese words a laptop's column holds (审核意见不一
    # dis… was cut), the English in their help (a browser probe)
    for shown in (table, next(d.value for d in at.dataframe if "最接近的区级任务 nearest district task (score)" in d.value.columns)):
        assert not (shown.astype(str) == "None").any().any()
    assert [m.label for m in at.metric][1:] == [label.split()[0] for label in COVERAGE_LABELS.values()]


def test_coverage_says_when_a_confirmed_city_item_also_has_a_disputed_link(env):
    """李 confirmed 75 → xian-2024:4, 王 rejected it, 李 confirmed 58 → 4 too: the item reads 已确认 and
    the 审核意见不一 count was 0, while Home and Export spoke of the dispute."""
    with DecisionStore(env.db_path) as store:
        store.record("李", "baqiao-2023:75", "xian-2024:4", "confirmed")
        store.record("王", "baqiao-2023:75", "xian-2024:4", "rejected")
        store.record("李", "baqiao-2023:58", "xian-2024:4", "confirmed")
    at = open_page("coverage")
    assert not at.exception
    assert any(info.value.startswith("另有 1 个市级条目的某条区级任务链接审核意见不一") and info.value.endswith("xian-2024:4")
               for info in at.info)


def test_coverage_with_the_district_plan_in_the_citys_place_offers_the_swap(env):
    """Upside down, the page would list the district's 111 tasks as city items; it says so, and one click rights it."""
    at = open_page("coverage")
    at.selectbox(key="cov_city_doc").select("baqiao-2023").run()
    at.selectbox(key="cov_district_doc").select("xian-2024").run()
    assert "上级文档应在前" in at.error[0].value and not at.dataframe
    at.button(key="cov_swap").click().run()
    assert not at.error and not at.exception
    assert (at.selectbox(key="cov_city_doc").value, at.selectbox(key="cov_district_doc").value) == ("xian-2024", "baqiao-2023")
    assert len(at.dataframe[0].value) == 30


def test_coverage_of_two_years_of_one_district_offers_no_swap(env):
    """Swapping two plans of one level would ask the same question again: the page points to Evolution instead."""
    at = open_page("coverage")
    at.selectbox(key="cov_city_doc").select("baqiao-2020").run()
    at.selectbox(key="cov_district_doc").select("baqiao-2023").run()
    assert "比较同一辖区的两年请用“演变”" in at.error[0].value and not at.dataframe
    assert not [button for button in at.button if button.key == "cov_swap"]


def test_coverage_compares_a_city_plan_with_every_district_plan_under_it(env):
    """One toggle: each city item against 灞桥区's and 西咸新区's plans, and how many serve it.

    It stays on when the planner visits another page and comes back.
    """
    at = open_page("coverage")
    tables = len(at.dataframe)  # off by default: the other districts are matched only when asked
    at.toggle(key="cov_coverage_all").set_value(True).run()
    assert at.query_params["all"] in ("1", ["1"]), "a reload keeps it on (it was lost)"
    at.switch_page(PAGES["review"]).run()
    at.switch_page(PAGES["coverage"]).run()
    assert at.toggle(key="cov_coverage_all").value
    assert not at.exception and len(at.dataframe) == tables + 1
    overview = at.dataframe[-1].value
    # the count beside the item, not past a column per district at the far right (off a laptop's screen)
    assert list(overview.columns) == ["市级条目 city item", "承接文档数 plans serving it", "分类 category", "任务 task",
                                      "灞桥区 baqiao-2023", "西咸新区 xixian-2023"]
    assert len(overview) == 30
    nobody = (overview["承接文档数 plans serving it"] == 0).sum()
    assert next(m.value for m in at.metric if m.label.startswith("无任何区级任务承接")) == str(nobody)
    assert at.get("download_button")[-1].proto.label.startswith("下载 Excel（各区覆盖）")


def test_the_coverage_overview_shows_the_plans_it_can_read_beside_the_one_it_cannot(env):
    """One district plan's file gone: the whole page was that error."""
    (Path(env.data_dir) / "documents" / "xixian-2023-work-points.txt").unlink()
    at = open_page("coverage")
    at.toggle(key="cov_coverage_all").set_value(True).run()
    assert not at.exception and any("xixian-2023" in e.value for e in at.error)
    assert list(at.dataframe[-1].value.columns)[1:] == ["承接文档数 plans serving it", "分类 category", "任务 task",
                                                      "灞桥区 baqiao-2023"]


def test_coverage_names_a_district_plan_registered_without_a_parent(env):
    """Left out of the overview because no parent was given: the page says which, and how to count it."""
    from align.registry import DocumentMeta, add_document

    source = Path(__file__).resolve().parent / "fixtures" / "unseen" / "a2_yanta_2024_task_decomposition.xlsx"
    add_document(env.data_dir, source, DocumentMeta(id="yanta-2024", title="t", jurisdiction="雁塔区",
                                                    level="district", year=2024, kind="task_table", file="y.xlsx"))
    at = open_page("coverage")
    note = next(c.value for c in at.caption if c.value.startswith("未登记上级（或所填上级无登记文档）的文档不在此列"))
    assert "yanta-2024" in note
    assert at.toggle(key="cov_coverage_all").label.startswith("对照全部 2 个区级文档")
    at.button(key="cov_place_yanta-2024").click().run()
    assert not at.exception and "'yanta-2024' 已归入西安市" in at.toast[0].value
    assert not any(c.value.startswith("未登记上级（或所填上级无登记文档）的文档不在此列") for c in at.caption)
    assert at.toggle(key="cov_coverage_all").label.startswith("对照全部 3 个区级文档"), "one click counts it"
    assert get_document(env.data_dir, "yanta-2024").parent == "西安市"


def bundled_coverage(env, decided: list[tuple[str, str, str]] = ()) -> pl.DataFrame:
    """The Coverage table of xian-2024 and baqiao-2023 given (district task, city item, decision) rows."""
    from align.ingest import load_items
    from matching.review import coverage_table

    decisions = pl.DataFrame(decided, schema={"source_id": pl.String, "target_id": pl.String, "decision": pl.String},
                             orient="row")
    return coverage_table(load_items(env, "xian-2024"), load_items(env, "baqiao-2023"),
                          match_documents(env, "baqiao-2023", "xian-2024"), decisions, district_jurisdiction="灞桥区")


def nearest_task(env, city_item: str) -> str:
    """The district task the Coverage table names nearest to a city item (its number first: 82 办好…)."""
    row = bundled_coverage(env).filter(pl.col("item_id") == city_item).row(0, named=True)
    return f"baqiao-2023:{row['nearest_task'].split()[0]}"


def test_coverage_puts_a_quota_no_district_task_serves_first(env):
    """灞桥区's 1 公办托育机构 with no district task proposed for it: the gap a 督查办 chases."""
    from matching.review import uncovered

    table = bundled_coverage(env)
    missing = uncovered(table)
    assert set(missing["status"]) == {"none"} and missing.height == (table["status"] == "none").sum()
    with_quota = (missing["quota"] != "").to_list()
    assert with_quota == sorted(with_quota, reverse=True), "items with a quota come first"
    assert "xian-2024:5" in missing.filter(pl.col("quota") != "")["item_id"].to_list()
    assert "xian-2024:4" not in missing["item_id"].to_list(), "its 200 charging piles: 新建汽车充电站 is proposed"
    at = open_page("coverage")
    warning = next(w.value for w in at.warning if "配额" in w.value)
    assert "xian-2024:5" in warning and "灞桥区1所" in warning
    assert at.dataframe[-1].value.iloc[0]["市级条目 city item"] in missing.filter(pl.col("quota") != "")["item_id"]
    table = bundled_coverage(env, [("baqiao-2023:92", "xian-2024:5", "confirmed")])
    assert "xian-2024:5" not in uncovered(table)["item_id"].to_list(), "a confirmed task settles it"


def test_coverage_lists_an_items_district_tasks_in_the_district_plans_order(env):
    """106 before 75 in one run and after it in the next (the page's Excel and the CLI's differed)."""
    decided = [("baqiao-2023:106", "xian-2024:4", "confirmed"), ("baqiao-2023:75", "xian-2024:4", "confirmed"),
               ("baqiao-2023:58", "xian-2024:4", "confirmed")]
    for _ in range(5):
        tasks = bundled_coverage(env, decided).filter(pl.col("item_id") == "xian-2024:4")["confirmed_tasks"][0]
        assert [task.split()[0] for task in tasks] == ["58", "75", "106"]


def test_coverage_heatmap_counts_keep_every_status_and_the_plans_order(env):
    from matching.review import coverage_counts, status_counts

    table = bundled_coverage(env)
    by_status = status_counts(table)  # the page's metrics and the CLI's summary line
    assert list(by_status) == ["confirmed", "disputed", "proposed", "no_counterpart", "none"]
    assert by_status["confirmed"] == 0
    assert sum(by_status.values()) == 30 and by_status["none"] == (table["status"] == "none").sum()
    counts = coverage_counts(table)
    assert counts["len"].sum() == table.height == 30
    assert counts.group_by("category").len()["len"].unique().to_list() == [5], "confirmed shows even at 0"
    categories = counts["category"].unique(maintain_order=True).to_list()
    assert categories[0].startswith("(一)") and categories[1].startswith("(二)"), categories


def test_coverage_names_the_nearest_district_task_even_below_the_threshold(env):
    table = bundled_coverage(env)
    charging = table.filter(pl.col("item_id") == "xian-2024:4").row(0, named=True)
    assert charging["nearest_task"].startswith("75 新建汽车充电站")  # the district's own 15 charging stations
    # a task sharing next to nothing with an item, shown (0.00), is no lead (one was offered for an item)
    assert not table["nearest_task"].drop_nulls().str.ends_with("(0.00)").any()
    table = bundled_coverage(env, [("baqiao-2023:75", "xian-2024:4", "rejected")])
    assert not table.filter(pl.col("item_id") == "xian-2024:4")["nearest_task"][0].startswith("75 ")
    at = open_page("coverage")
    assert not at.exception
    if (table["status"] == "none").any():
        assert any("最接近的区级任务" in c for c in at.dataframe[-1].value.columns)


@pytest.mark.parametrize(
    ("name", "content", "message", "reason_zh"),
    [
        ("binary.txt", b"\x00\x01\x02" * 100, "binary", "这不是文本文件"),
        ("empty.txt", b"   ", "empty", "文件是空的"),
        ("prose.txt", "今天天气很好，我们去公园散步吧，顺便买点水果回来".encode(), "no plan items", "没有找到条目"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "broken.docx", "这不是 Word 文件"),
    ],
)
def test_upload_of_a_bad_file_shows_an_error_not_a_traceback(env, name, content, message, reason_zh):
    at = open_page("add_document")
    at.file_uploader(key="add_file").upload(name, content).run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    shown = " ".join(e.value for e in at.error)
    assert name in shown and tempfile.gettempdir() not in shown, "the upload's own name, not a temporary path"
    assert shown.startswith(f"文件无法解析（{name}") and reason_zh in shown, "the planner reads the problem in Chinese first"


def test_upload_over_the_size_limit_is_refused(env):
    at = open_page("add_document")
    at.file_uploader(key="add_file").upload("big.txt", b"a" * int(env.max_file_mb * 1024 * 1024 + 10)).run()
    assert not at.exception
    assert any("MB" in e.value for e in at.error)


def test_the_add_page_reads_a_city_under_a_registered_city_as_a_county_level_city(env):
    """`plan-align add` registered 周至市 under 西安市 as county, the Add page as city (from the same file), and
    Coverage then refused it as 'both city plans'."""
    at = open_page("add_document")
    at.file_uploader(key="add_file").upload("zhouzhi.txt", "西安市周至市2024年重点工作任务\n1. 新建学校5所。\n".encode()).run()
    assert not at.exception
    assert (at.session_state["new_jurisdiction"], at.session_state["new_parent"]) == ("周至市", "西安市")
    assert at.session_state["new_level"] == "county"


def test_upload_parse_register_and_align(env):
    text = "序号\t主要任务\t责任单位\n1\t新建公共充电桩200个\t区发改委\n2\t改造老旧小区30个\t区住建局\n"
    at = open_page("add_document")
    at.file_uploader(key="add_file").upload("lianhu.txt", text.encode()).run()
    assert not at.exception and not at.error
    assert at.dataframe[0].value.shape[0] == 2
    at.text_input(key="add_new_id").set_value("lianhu-2024").run()
    at.text_input(key="add_new_jurisdiction").set_value("莲湖区").run()
    assert any("lianhu-2024 没有填上级" in w.value for w in at.warning), "a district plan with no parent: said before"
    at.text_input(key="add_new_parent").set_value("西安市").run()
    assert not any("没有填上级" in w.value for w in at.warning)
    at.button(key="add_register").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "lianhu-2024" in [m.id for m in load_registry(env.data_dir)]
    assert any("lianhu-2024" in s.value for s in at.toast)
    assert any("proposed links" in m.value for m in at.markdown)
    assert "add_register" not in [b.key for b in at.button], "the registered file is not offered for registering again"
    assert any("registered as 'lianhu-2024'" in i.value for i in at.info)
    corrected = text.replace("200", "300")  # same name, same size: another file all the same
    at.file_uploader(key="add_file").upload("lianhu.txt", corrected.encode()).run()
    assert "add_register" in [b.key for b in at.button]


def test_the_add_page_says_a_traditional_plan_is_read_in_simplified_characters(env):
    """A plan in traditional characters was parsed silently wrong: targets in 個 dropped, 序號 no header."""
    text = "新城區2024年工作要點\n一、民生\n1.新建充電樁10個。\n2.改造老舊小區5個。\n3.建設學校3所。\n"
    at = open_page("add_document")
    at.file_uploader(key="add_file").upload("trad.txt", text.encode("big5")).run()
    assert not at.exception and not at.error
    preview = at.dataframe[0].value
    assert preview.shape[0] == 3 and "条目 item" not in preview.columns, "no placeholder ids (upload:1) before registering"
    assert preview["序号 no."].to_list() == ["1", "2", "3"]
    warned = " ".join(w.value for w in at.warning)
    assert "按繁体中文读取" in warned and "read as traditional Chinese" in warned and "file itself is unchanged" in warned
    assert at.text_input(key="add_new_jurisdiction").value == "新城区"
    assert at.selectbox(key="add_new_kind").value == "work_points"


def test_registering_a_file_already_registered_or_a_parent_no_one_has_is_warned(env):
    """The same bytes under another id were registered with only a success message (and counted
    twice in coverage); a parent typed 西安 left the plan out of 西安市's coverage unseen."""
    text = (Path(env.data_dir) / "documents" / "xixian-2023-work-points.txt").read_bytes()
    at = open_page("add_document")
    at.file_uploader(key="add_file").upload("xixian-copy.txt", text).run()
    assert any("与 xixian-2023 是同一个文件" in w.value for w in at.warning), "said before the click, not only after"
    at.text_input(key="add_new_id").set_value("xixian-copy").run()
    at.text_input(key="add_new_parent").set_value("西安").run()
    at.button(key="add_register").click().run()
    assert not at.exception and "xixian-copy" in [m.id for m in load_registry(env.data_dir)]
    warned = " ".join(w.value for w in at.warning)
    assert "xixian-copy is the same file as xixian-2023" in warned and "重复登记" in warned, "Chinese first, as every message"
    assert "no registered document is of 西安, the parent given for xixian-copy" in warned and "没有登记西安的文档" in warned


def test_the_add_page_warns_before_registering_as_add_warns_after(env):
    """The page kept its own copy of two of the registry's rules, and they disagreed: a county plan with no
    parent, under a registered district, was warned of after registering but not on the page before."""
    text = "序号\t主要任务\t责任单位\n1\t新建公共充电桩200个\t县发改委\n"
    at = open_page("add_document")
    at.file_uploader(key="add_file").upload("county.txt", text.encode()).run()
    at.text_input(key="add_new_id").set_value("huxian-2024").run()
    at.text_input(key="add_new_jurisdiction").set_value("某县").run()
    at.selectbox(key="add_new_level").set_value("county").run()
    at.text_input(key="add_new_title").set_value("灞桥区2023年重点任务").run()
    warned = " ".join(w.value for w in at.warning)
    no_parent = next(w.value for w in at.warning if "没有填上级" in w.value)
    assert "huxian-2024 没有填上级" in no_parent and "西安市" in no_parent, no_parent
    assert "灞桥区" not in no_parent, "a county is under its city, not under a district beside it"
    assert "plan-align edit" not in warned, "the page has its own buttons, not shell commands"
    assert "标题（灞桥区2023年重点任务）与登记的地区或年份" in warned, "a title naming another place, before registering too"


def test_an_upload_prefills_its_own_title_and_year(env):
    text = "莲湖区2025年重点任务分解表\n序号\t主要任务\t责任单位\n1\t新建公共充电桩200个\t区发改委\n"
    at = open_page("add_document")
    at.file_uploader(key="add_file").upload("lh.txt", text.encode()).run()
    assert at.text_input(key="add_new_title").value == "莲湖区2025年重点任务分解表"
    assert at.number_input(key="add_new_year").value == 2025
    assert at.text_input(key="add_new_jurisdiction").value == "莲湖区"
    assert at.selectbox(key="add_new_level").value == "district"
    at.text_input(key="add_new_title").set_value("改过的标题").run()
    assert at.text_input(key="add_new_title").value == "改过的标题", "the planner's edit is not overwritten"


def test_a_second_upload_starts_from_its_own_heading_not_the_previous_files_details(env):
    """Registered as 雁塔区 2023 under parent 西安市, a headless table changed only in its id was
    registered as 雁塔区 2023 too, and joined 雁塔区's evolution."""
    at = open_page("add_document")
    first = "雁塔区2023年重点任务分解表\n序号\t主要任务\t责任单位\n1\t新建公共充电桩200个\t区发改委\n"
    at.file_uploader(key="add_file").upload("yanta.txt", first.encode()).run()
    at.text_input(key="add_new_parent").set_value("西安市").run()
    at.button(key="add_register").click().run()
    assert not at.error, [e.value for e in at.error]
    headless = "序号\t主要任务\t责任单位\n1\t改造老旧小区30个\t区住建局\n"
    at.file_uploader(key="add_file").upload("lianhu.txt", headless.encode()).run()
    assert at.text_input(key="add_new_jurisdiction").value == ""
    assert at.text_input(key="add_new_parent").value == "" and at.text_input(key="add_new_id").value == ""
    at.text_input(key="add_new_id").set_value("lianhu-2024").run()
    at.button(key="add_register").click().run()
    assert "lianhu-2024" not in [m.id for m in load_registry(env.data_dir)], "no place given: not registered"
    assert any("jurisdiction" in e.value for e in at.error)


def test_an_upload_prefills_the_parent_its_heading_names(env):
    at = open_page("add_document")
    text = "西安市莲湖区2024年民生实事工作方案\n序号\t主要任务\t责任单位\n1\t新建公共充电桩200个\t区发改委\n"
    at.file_uploader(key="add_file").upload("lianhu.txt", text.encode()).run()
    assert (at.text_input(key="add_new_jurisdiction").value, at.text_input(key="add_new_parent").value) == \
        ("莲湖区", "西安市")


def test_an_upload_prefills_an_id_in_the_registrys_style_and_its_kind(env):
    text = "灞桥区2023年为民实事实施方案\n序号\t主要任务\t责任单位\n1\t新建公共充电桩200个\t区发改委\n"
    at = open_page("add_document")
    at.file_uploader(key="add_file").upload("bq.txt", text.encode()).run()
    assert at.text_input(key="add_new_id").value == "baqiao-2023-2", "baqiao-2023 is taken by the bundled table"
    assert at.selectbox(key="add_new_kind").value == "livelihood_plan"
    at.button(key="add_register").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "baqiao-2023-2" in [m.id for m in load_registry(env.data_dir)]


def test_quotas_read_as_written_without_the_district_twice():
    import app_support as ui

    quotas = [{"jurisdiction": "灞桥区", "raw": "灞桥区200个"}, {"jurisdiction": "雁塔区", "raw": "7个"}]
    assert ui.quotas_text(quotas) == "灞桥区200个；雁塔区 7个"
    # under review for 雁塔区, its own share first, and of many the rest counted (灞桥区's was buried among 38)
    many = [{"jurisdiction": f"{n}区", "raw": f"{n}区{n}个"} for n in "甲乙丙丁戊己庚"] + [quotas[1]]
    assert ui.quotas_text(many, first="雁塔区", shown=3) == "雁塔区 7个；甲区甲个；乙区乙个；另有 5 个 (5 more)"
    items = pl.DataFrame({"item_id": ["c:1"], "number": ["1"], "section_path": [["一"]], "text": ["充电桩"],
                          "title": [""], "units": [[]], "status": [None], "deadline": [None], "targets": [[]],
                          "quotas": [quotas]},
                         schema_overrides={"units": pl.List(pl.String), "status": pl.String, "deadline": pl.String,
                                           "targets": pl.List(pl.Struct({"raw": pl.String}))})
    assert ui.plain_items(items)["配额 quotas"][0] == "灞桥区200个；雁塔区 7个"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("建设口袋公园5个 *_`[]()$#+-.~<>\\")), max_size=40))
def test_text_in_a_label_or_caption_reads_as_written_not_as_markdown(text):
    """A candidate's 建设**口袋公园** showed bold in its radio label, [详情](…) as a live link."""
    import app_support as ui

    literal = ui.markdown_literal(text)
    assert re.sub(r"\\(.)", r"\1", literal) == text, "every mark escaped once, nothing lost"
    assert not re.search(r"(?<!\\)[*_`\[\]$]", literal.replace("\\\\", "")), "no mark left bare"


def test_item_table_shows_deadlines_only_for_a_document_that_has_them(tmp_path):
    """A planner's 分解表 with 完成时限 shows the column; the bundled plans, which have none, do not."""
    import app_support as ui
    from align.parsing import parse_text
    from align.registry import DocumentMeta

    meta = DocumentMeta(id="t", title="t", jurisdiction="灞桥区", level="district", year=2025, kind="task_table",
                        file="t.txt")
    text = "序号\t主要任务\t责任单位\t完成时限\n1\t新建幼儿园3所\t区教育局\t2025年9月底前\n2\t持续优化营商环境\t区发改委\t\n"
    table = ui.plain_items(parse_text(text, meta).items)
    assert table["完成时限 deadline"].to_list() == ["2025年9月底前", ""]
    bundled = ui.plain_items(parse_text("序号\t主要任务\t责任单位\n1\t新建幼儿园3所\t区教育局\n", meta).items)
    assert "完成时限 deadline" not in bundled.columns


def test_a_damaged_adopted_model_is_an_error_box_on_every_page(env):
    (env.data_dir / "weights.json").write_text("{not json", encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    for page in ("review", "threshold", "coverage", "evolution"):
        at.switch_page(PAGES[page]).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert any("删除它即恢复内置模型" in e.value and "Delete it to return to the shipped model" in e.value for e in at.error), page
    at.switch_page(PAGES["threshold"]).run()
    at.button(key="th_restore_damaged").click().run()
    assert not (env.data_dir / "weights.json").exists()
    assert not at.exception and not at.error and at.dataframe, "the page works again with the shipped model"


def test_a_damaged_decision_store_is_an_error_box_on_every_page_that_reads_it(env):
    """Not a traceback: the box says what to do with the file."""
    env.db_path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception and any("PLAN_ALIGN_DB" in e.value for e in at.error), "home"
    for page in ("documents", "review", "threshold", "coverage", "export"):
        at.switch_page(PAGES[page]).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert any("PLAN_ALIGN_DB" in e.value for e in at.error), page


def test_with_an_empty_registry_the_pages_say_to_add_a_document(env):
    (env.data_dir / "registry.toml").write_text("# no documents yet\n", encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    for page in ("documents", "review", "add_document"):
        at.switch_page(PAGES[page]).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        if page != "add_document":
            assert any("添加文档" in i.value for i in at.info), page
    assert at.file_uploader(key="add_file"), "the one page that can help still works"


def test_evolution_lines_are_in_words_beside_the_task_they_start_from(env):
    at = open_page("evolution")
    assert not at.exception
    chains = next(d.value for d in at.dataframe if "任务线 line" in d.value.columns)
    # the changes before the long first task (cut at the table's right edge at 1280 px), and the choices to show only
    # some in the counts' order (they were in the order of their English codes)
    assert list(chains.columns) == ["任务线 line", "目标变化 target changes", "起始任务 first task"]
    assert at.multiselect(key="evo_relations").options == [
        label for label in RELATION_LABELS.values() if label in at.multiselect(key="evo_relations").options]
    # what was raised or lowered is read in the list (it took picking each line in turn)
    lowered = chains[chains["任务线 line"].str.startswith("baqiao-2020:4 ")]["目标变化 target changes"].item()
    assert lowered == "地区生产总值增长: 7.5%以上 → 7%左右 (降低 lowered)"
    lines = " ".join(chains["任务线 line"])
    assert "→不再出现→" in lines and "→dropped→" not in lines
    counts = next(d.value for d in at.dataframe if "变化 relation" in d.value.columns)
    assert list(counts.columns) == ["变化 relation", "上期条目 old items", "本期条目 new items"]
    first = chains.iloc[0]
    assert first["任务线 line"].startswith("baqiao-2020:") and len(first["起始任务 first task"]) > 5
    download = at.get("download_button")[0].proto  # its workbook: test_evolution's sheet-per-pair test
    assert download.label.startswith("下载 Excel") and download.url.endswith(".xlsx")


def test_the_evolution_page_follows_a_link_rejected_on_the_review_page(env):
    """The table is cached: a rejection made since must reach it (decisions did not reach it at all)."""
    import app_support as ui

    def successors() -> list:  # the page's own cached call
        return ui.evolution(["baqiao-2020", "baqiao-2023"])[0][0].filter(
            pl.col("old_id") == "baqiao-2020:28")["new_id"].to_list()

    at = open_page("evolution")
    assert not at.exception and "baqiao-2023:54" in successors()
    with DecisionStore(env.db_path) as store:
        store.record("王", "baqiao-2020:28", "baqiao-2023:54", "rejected")
    at.run()
    assert not at.exception and "baqiao-2023:54" not in successors()


def test_evolution_says_how_far_a_carried_forward_tasks_deadline_moved(env, tmp_path):
    """A 督查办 comparing two years of its own 分解表: a task still under way at 2023年底前 and due 2024年6月底前
    is 推迟6个月 and listed; one done and set again for 9月底前 each year is not."""
    for year, due in ((2023, "2023年底前"), (2024, "2024年6月底前")):
        plan = tmp_path / f"yanta-{year}.txt"
        plan.write_text(f"雁塔区{year}年重点任务分解表\n序号\t主要任务\t责任单位\t完成时限\t进展情况\n"
                        f"1\t新建汽车充电站不少于15处\t区发改委\t{due}\t正在推进\n"
                        f"2\t新建、改扩建幼儿园3所，新增学位1080个\t区教育局\t{year}年9月底前\t已完成\n",
                        encoding="utf-8")
        assert cli_main(["add", str(plan), "--data", str(env.data_dir)]) == 0
    at = open_page("evolution")
    at.selectbox(key="evo_place").set_value("雁塔区").run()
    assert not at.exception, [e.value for e in at.exception]
    panel = " ".join(t.value for t in at.text)
    assert "完成时限 deadline: 2023年底前 → 2024年6月底前 (推迟6个月)" in panel, panel
    warning = at.warning[0].value
    assert warning.startswith("2023 → 2024: 1 项延续任务的完成时限推迟") and "yanta-2024:1 新建汽车充电站" in warning
    assert "推迟6个月" in warning and "幼儿园" not in warning


def test_evolution_says_in_words_which_units_a_task_gained_and_lost(env, tmp_path):
    """The units' change read 责任单位 units: +— −区文旅体育局: nothing on screen said that meant none added and these
    dropped, the one place a planner learns a department left a task (a browser probe)."""
    for year, units in ((2023, "区发改委、区住建局"), (2024, "区住建局、区城管局")):
        plan = tmp_path / f"yanta-{year}.txt"
        plan.write_text(f"雁塔区{year}年重点任务分解表\n序号\t主要任务\t责任单位\t完成时限\n"
                        f"1\t新建汽车充电站不少于15处\t{units}\t{year}年底前\n", encoding="utf-8")
        assert cli_main(["add", str(plan), "--data", str(env.data_dir)]) == 0
    at = open_page("evolution")
    at.selectbox(key="evo_place").set_value("雁塔区").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "责任单位 units: 新增 added：区城管局；不再列为责任单位 no longer named：区发改委" in [t.value for t in at.text]


def test_evolution_of_two_reports_shows_how_their_headline_targets_moved(env, tmp_path):
    """A report's 主要预期目标 are no task of it: 地区生产总值增长7.5%以上 → 7%左右 was on no line of the page."""
    for year, gdp in ((2024, "7.5%以上"), (2025, "7%左右")):
        plan = tmp_path / f"qindu-{year}.txt"
        plan.write_text(f"秦都区{year}年政府工作报告\n二、{year}年重点工作\n主要预期目标是：地区生产总值增长{gdp}，"
                        "固定资产投资增长10%以上。\n（一）稳增长\n扩大有效投资。实施重点项目120个。\n", encoding="utf-8")
        assert cli_main(["add", str(plan), "--data", str(env.data_dir)]) == 0
    at = open_page("evolution")
    at.selectbox(key="evo_place").set_value("秦都区").run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "指标 indicator" in d.value.columns)
    row = table[table["指标 indicator"] == "地区生产总值增长"].iloc[0]
    assert (row["上期 before"], row["本期 after"], row["变化 change"]) == ("7.5%以上", "7%左右", "降低 lowered")
    at.selectbox(key="evo_place").set_value("灞桥区").run()  # task tables state none: no empty table
    assert not any("指标 indicator" in d.value.columns for d in at.dataframe)


def test_documents_tables_read_in_chinese_not_codes(env):
    at = open_page("documents")
    registry, items = (d.value for d in at.dataframe[:2])  # the registry, then the document's items
    assert "辖区 jurisdiction" in registry.columns and "区 district" in set(registry["层级 level"])
    assert "任务分解表 task table" in set(registry["类型 kind"])
    assert "已完成 done" in set(items["状态 status"]) and "done" not in set(items["状态 status"])
    assert "领域 section" not in items.columns, "the task table has no sections: no empty column"
    assert at.metric[1].value == "74"
    at.selectbox(key="doc_doc").set_value("xixian-2023").run()  # a work plan: sections, no status
    items = at.dataframe[1].value
    assert "状态 status" not in items.columns and items["领域 section"].str.len().min() > 0
    assert at.metric[1].value == "—", "a plan that reports no progress has not '0 done'"


def test_the_queue_says_why_an_item_comes_first(env):
    at = open_page("review")
    assert "最拿不准" in at.selectbox(key="rv_current").help
    at.radio(key="rv_order").set_value("document").run()
    assert "按原文档顺序" in at.selectbox(key="rv_current").help
    assert at.session_state["current"] == "baqiao-2023:1"


def test_the_queue_filters_speak_chinese_and_an_empty_one_says_why(env):
    """Streamlit's own placeholders read "Choose options" and "No options to select" (baqiao-2023's
    task table has no policy areas) to a planner who reads Chinese."""
    at = open_page("review")
    units, areas = at.multiselect(key="rv_units"), at.multiselect(key="rv_sections")
    assert units.placeholder == "全部 all" and not units.disabled
    assert areas.placeholder.startswith("此文档未分领域") and areas.disabled
    # one department, one choice: baqiao-2023 writes both 区卫健局 and 区卫生健康局
    health = [option for option in units.options if "卫" in option and "健" in option]
    assert health == ["区卫健局（又作 区卫生健康局）"], health
    units.set_value(["区卫健局"]).run()
    kept = at.selectbox(key="rv_current").options
    items = load_items(env, "baqiao-2023").filter(pl.col("units").list.eval(pl.element().str.contains("卫")).list.any())
    assert len(kept) == items.height and items.height > 1


def test_a_keyword_narrows_the_queue_to_the_tasks_that_mention_it(env):
    at = open_page("review")
    at.text_input(key="rv_keywords").input("充电").run()
    assert not at.exception
    queue = at.selectbox(key="rv_current").options
    assert queue and all("充电" in option for option in queue)
    assert at.session_state["current"] in {option.split()[0] for option in queue}
    assert "(1 / " + str(len(queue)) + " in queue)" in at.selectbox(key="rv_current").label
    at.text_input(key="rv_keywords").input("充电 没有这个词").run()
    assert "筛选后没有条目 No items match the filters." in [i.value for i in at.info]
    at.switch_page(PAGES["documents"]).run()
    at.switch_page(PAGES["review"]).run()
    assert at.text_input(key="rv_keywords").value == "充电 没有这个词", "the search survives a page change"


def test_the_source_text_is_shown_once_highlighted_against_the_chosen_candidate(env):
    at = open_page("review")
    at.radio(key="rv_order").set_value("document").run()
    at.selectbox(key="rv_current").set_value("baqiao-2023:93").run()  # housing, 1.00 to 保障性住房
    source = "坚持“房住不炒”定位"
    shown = [m.value for m in at.markdown if source in m.value]
    copies = len(shown) + sum(source in t.value for t in at.text)
    assert copies == 1, "one source panel, not a second copy under the candidate"
    assert "<mark>" in shown[0] and any("<mark>" in m.value and "保租房" in m.value for m in at.markdown)


def test_the_synonyms_a_link_rests_on_are_highlighted_on_both_sides(env):
    """新建汽车充电站 serves the city's 充电桩 item through the synonym list: the two words share only 充电, and the
    panel highlighted that alone, hiding what the link rests on."""
    at = open_page("review")
    at.radio(key="rv_order").set_value("document").run()
    at.selectbox(key="rv_current").set_value("baqiao-2023:75").run()
    assert at.radio(key="rv_candidate").options[0].split()[1] == "xian-2024:4"
    marked = [m.value for m in at.markdown if "<mark>" in m.value]
    assert any("<mark>充电站</mark>" in m for m in marked) and any("<mark>充电桩</mark>" in m for m in marked)
    assert any("同义词: 充电站 = 充电桩" in t.value for t in at.text), "and the reasons say so"


def test_streamlit_config_matches_the_file_limit_and_sends_nothing_home():
    """The upload widget's limit is the reader's, and plans under review send no usage statistics."""
    import tomllib

    from align.settings import DEFAULT_MAX_FILE_MB, PACKAGE_ROOT

    config = tomllib.loads((PACKAGE_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == DEFAULT_MAX_FILE_MB
    assert config["browser"]["gatherUsageStats"] is False


def test_from_coverage_a_planner_opens_a_city_items_nearest_district_task_for_review(env):
    at = open_page("coverage")
    assert at.selectbox(key="cov_pick_baqiao-2023").value == "xian-2024:5", "opens on the quota no district task serves"
    at.button(key="cov_review").click().run()  # 公办托育机构, 灞桥区1所
    assert not at.exception
    task = nearest_task(env, "xian-2024:5")
    assert at.session_state["current"] == task, "its nearest task"
    assert (at.session_state["source_doc"], at.session_state["target_doc"]) == ("baqiao-2023", "xian-2024")
    assert any(h.value.startswith(f"源 {task}") for h in at.subheader)


def test_from_coverage_a_planner_can_rule_a_city_item_out(env):
    """The Review button opens the nearest district task, where 无对应 says the task serves nothing: the city
    item stayed 未找到, with its quota warned of, and nothing on the page said how to rule it out."""
    at = open_page("coverage")
    at.selectbox(key="cov_pick_baqiao-2023").set_value("xian-2024:28").run()
    at.button(key="cov_review_city").click().run()
    assert not at.exception
    assert (at.session_state["source_doc"], at.session_state["target_doc"]) == ("xian-2024", "baqiao-2023")
    assert at.session_state["current"] == "xian-2024:28"
    decision_button(at, "rv_none").click().run()
    at.switch_page(PAGES["coverage"]).run()
    assert not at.exception
    with DecisionStore(env.db_path) as store:
        assert store.current().select("source_id", "target_id", "decision").rows() == [
            ("xian-2024:28", None, "no_counterpart")]
    assert next(m.value for m in at.metric if m.label == "已判无对应") == "1"


def test_from_coverage_the_review_page_opens_on_the_picked_city_item_even_under_a_keyword_filter(env):
    """A keyword left on the Review page once opened a greening task; and the district task's
    first candidate, another city item, was the one chosen (pressing Y confirmed it)."""
    at = open_page("review")
    at.text_input(key="rv_keywords").set_value("绿化").run()
    at.switch_page(PAGES["coverage"]).run()
    for city_item in ("xian-2024:4", "xian-2024:3"):
        at.selectbox(key="cov_pick_baqiao-2023").set_value(city_item).run()
        at.button(key="cov_review").click().run()
        assert not at.exception
        assert at.session_state["keywords"] == "" and at.session_state["current"].startswith("baqiao-2023:")
        assert f"候选 {city_item}" in [h.value for h in at.subheader]
        at.switch_page(PAGES["review"]).run()  # a rerun keeps the city item chosen
        assert f"候选 {city_item}" in [h.value for h in at.subheader]
        at.switch_page(PAGES["coverage"]).run()


def test_a_pair_changed_on_the_threshold_page_opens_the_review_on_the_first_candidate(env):
    at = open_page("review")
    at.radio(key="rv_candidate").set_value(3).run()
    at.switch_page(PAGES["threshold"]).run()
    at.selectbox(key="th_source_doc").set_value("baqiao-2020").run()
    at.switch_page(PAGES["review"]).run()
    assert at.radio(key="rv_candidate").value == 0


def test_each_deciding_button_is_named_by_the_pair_it_decides(env):
    """So a second Y pressed before the page redrew clicks a button the next item's page does not have (it
    confirmed the next item, never shown); see the browser test of the double press."""
    at = open_page("review")
    current = at.selectbox(key="rv_current").value.split()[0]
    target = at.radio(key="rv_candidate").options[at.radio(key="rv_candidate").value].split()[1]
    first = decision_button(at, "rv_confirm")
    assert first.key == f"rv_confirm|{current}|{target}"
    first.click().run()
    assert decision_button(at, "rv_confirm").key != first.key
    assert decision_button(at, "rv_none").key.startswith("rv_none|") and not at.exception


def test_a_radio_label_handed_back_by_a_page_not_yet_redrawn_opens_the_item_afresh(env):
    """A fast second press sent the old radio's label, not an index, and the page fell over:
    TypeError: '>=' not supported between instances of 'str' and 'int' (a browser probe, 13 times)."""
    at = open_page("review")
    at.session_state["candidate"] = "#2 xian-2024:15 老旧小区改造。"
    at.run()
    assert not at.exception
    assert isinstance(at.radio(key="rv_candidate").value, int)


def test_a_reload_of_a_queue_whose_every_item_is_decided_opens_on_its_end(env):
    """A 2-item 停车 queue decided, then reloaded: it opened its first item, decided, with candidate #2 chosen,
    where Y would add a second link (a browser probe)."""
    at = open_page("review")
    at.text_input(key="rv_keywords").input("停车").run()
    queue = [option.split()[0] for option in at.selectbox(key="rv_current").options]
    with DecisionStore(env.db_path) as store:
        for item in queue:
            store.record("planner", item, None, "no_counterpart", target_doc="xian-2024")
    reloaded = AppTest.from_file(APP, default_timeout=TIMEOUT)
    reloaded.query_params["q"] = "停车"
    reloaded.run()
    reloaded.switch_page(PAGES["review"]).run()
    assert not reloaded.exception
    assert any(s.value.startswith("已到队列末尾") for s in reloaded.success)
    assert not [b for b in reloaded.button if b.key.startswith("rv_confirm|")]
    reloaded.button(key="rv_start_over").click().run()  # 回到队首 still opens the queue
    assert [b for b in reloaded.button if b.key.startswith("rv_confirm|")]


def test_past_the_last_item_the_queue_says_it_is_done_and_y_records_nothing(env):
    at = open_page("review")
    items = at.selectbox(key="rv_current").options
    at.selectbox(key="rv_current").set_value(items[-1]).run()
    decision_button(at, "rv_confirm").click().run()
    assert any(s.value.startswith("已到队列末尾") for s in at.success)
    assert not [b for b in at.button if b.key.startswith("rv_confirm|")]
    assert "item" not in at.query_params, "a reload reopened the decided last item, ready for a second link"
    with DecisionStore(env.db_path) as store:
        assert store.log().height == 1
    at.button(key="rv_start_over").click().run()
    assert at.radio(key="rv_candidate") and not at.success


def test_a_registration_problem_is_shown_by_the_register_button(env):
    text = "序号\t主要任务\t责任单位\n1\t新建公共充电桩200个\t区发改委\n"
    at = open_page("add_document")
    at.file_uploader(key="add_file").upload("lh.txt", text.encode()).run()
    at.button(key="add_register").click().run()  # no id, no jurisdiction
    assert not at.exception
    shown = [e.value for e in at.error]
    assert any(v.startswith("请修正元数据：编号只能用小写字母") and "辖区不能为空" in v and "Fix the metadata" in v for v in shown), shown
    at.text_input(key="add_new_id").set_value("baqiao-2023").run()
    at.text_input(key="add_new_jurisdiction").set_value("莲湖区").run()
    at.button(key="add_register").click().run()
    assert any("already registered" in e.value and "已被占用" in e.value for e in at.error), [e.value for e in at.error]
    assert not any("Fix the metadata" in e.value for e in at.error), "the old problem is gone"


def test_an_item_opens_on_the_first_candidate_the_reviewer_has_not_decided(env):
    """Coming back to an item whose #1 was already rejected, the page offers #2, not the rejected one."""
    at = open_page("review")
    first = at.session_state["current"]
    top = at.radio(key="rv_candidate").options[0].split()[1]  # "#1 xian-2024:18 …"
    with DecisionStore(env.db_path) as store:
        store.record("planner", first, top, "rejected")
    fresh = open_page("review")
    assert fresh.session_state["current"] == first
    assert fresh.radio(key="rv_candidate").index == 1
    assert fresh.radio(key="rv_candidate").options[0].startswith("【拒绝】")


def test_a_candidate_rejected_on_text_since_re_issued_is_open_again_and_chosen_on_entry(env):
    """The item reopened, but its changed candidate still read 【拒绝】 and the page opened on #2 (Y confirmed it)."""
    at = open_page("review")
    first = at.session_state["current"]
    top = at.radio(key="rv_candidate").options[0].split()[1]
    digests = text_digests(load_items(env, "baqiao-2023")) | text_digests(load_items(env, "xian-2024"))
    with DecisionStore(env.db_path) as store:
        store.record("planner", first, top, "rejected", source_digest=digests[first], target_digest=digests[top])
    assert open_page("review").radio(key="rv_candidate").index == 1
    city = document_path(env.data_dir, get_document(env.data_dir, "xian-2024"))
    old_text = load_items(env, "xian-2024").filter(pl.col("item_id") == top)["raw_text"][0].split("\n")[0]
    assert old_text in city.read_text(encoding="utf-8")
    city.write_text(city.read_text(encoding="utf-8").replace(old_text, old_text + "（修订）", 1), encoding="utf-8")
    fresh = open_page("review")
    assert any(o.startswith(f"{first} ") for o in fresh.selectbox(key="rv_current").options), "in the queue again"
    fresh.selectbox(key="rv_current").set_value(first).run()  # the queue's order follows the new scores
    assert fresh.radio(key="rv_candidate").index == 0
    assert not fresh.radio(key="rv_candidate").options[0].startswith("【拒绝】")


def test_review_shows_the_deadline_of_a_task_whose_table_gives_one(env, tmp_path):
    """A 督查办 reviewing its own 分解表 sees each task's 完成时限 beside its units and targets."""
    plan = tmp_path / "due.txt"
    plan.write_text("灞桥区2025年重点任务分解表\n序号\t主要任务\t责任单位\t完成时限\n"
                    "1\t新建汽车充电站不少于15处\t区发改委\t2025年10月底前\n"
                    "2\t新建、改扩建幼儿园3所\t区教育局\t2025年9月底前\n", encoding="utf-8")
    assert cli_main(["add", str(plan), "--data", str(env.data_dir), "--id", "due-2025"]) == 0
    at = open_page("review")
    at.selectbox(key="rv_source_doc").set_value("due-2025").run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert re.search(r"完成时限 deadline: 2025年(10|9)月底前", captions)
    at.selectbox(key="rv_source_doc").set_value("baqiao-2023").run()
    assert "完成时限" not in " ".join(c.value for c in at.caption), "a plan without deadlines shows none"


def test_a_registration_is_corrected_on_the_documents_page(env):
    """A wrong year saved from the form reaches the registry and the table above it; a bad one changes nothing."""
    at = open_page("documents")
    at.selectbox(key="doc_doc").set_value("xixian-2023").run()
    at.number_input(key="doc_edit_year_xixian-2023").set_value(2022)
    at.button(key="FormSubmitter:doc_edit_xixian-2023-保存 Save").click().run()
    assert not at.exception and at.toast[0].value == "已更新 updated 'xixian-2023'"
    assert get_document(env.data_dir, "xixian-2023").year == 2022
    registry = at.dataframe[0].value
    assert registry.set_index("编号 id").loc["xixian-2023", "年份 year"] == 2022, "the table above shows it at once"

    before = (env.data_dir / "registry.toml").read_bytes()
    at.text_input(key="doc_edit_parent_xixian-2023").set_value("西咸新区")
    at.button(key="FormSubmitter:doc_edit_xixian-2023-保存 Save").click().run()
    assert "上级辖区不能是本辖区 西咸新区" in at.error[0].value
    assert (env.data_dir / "registry.toml").read_bytes() == before



def test_the_sidebar_names_folders_from_the_working_folder_or_home(tmp_path, monkeypatch):
    from app_support import short_path

    home, work = tmp_path / "home", tmp_path / "home" / "plans"
    work.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    assert short_path(work / "data") == "data"
    assert short_path(home / ".plan-align" / "decisions.sqlite") == "~/.plan-align/decisions.sqlite"
    assert short_path(tmp_path / "elsewhere") == str((tmp_path / "elsewhere").resolve()), "outside both: in full"


def test_a_document_added_by_mistake_is_removed_but_not_one_with_decisions(env):
    DecisionStore(env.db_path).record("王", "baqiao-2023:75", "xian-2024:4", "confirmed")
    at = open_page("documents")
    box = next(e for e in at.expander if e.label == "移除文档 Remove this document")
    assert "1 条有效的审核结论涉及本文档，不能移除" in box.caption[0].value, "baqiao-2023 has a decision"
    at.selectbox(key="doc_doc").set_value("xixian-2023").run()
    assert at.button(key="doc_remove").disabled, "not before the planner ticks the box"
    at.checkbox(key="doc_remove_sure_xixian-2023").check().run()
    at.button(key="doc_remove").click().run()
    assert not at.exception and at.toast[0].value.startswith("已移除 removed 'xixian-2023'")
    assert "xixian-2023" not in [d.id for d in load_registry(env.data_dir)]
    assert (env.data_dir / "documents" / ".removed" / "xixian-2023-work-points.txt").is_file(), "kept, not deleted"
    assert "xixian-2023" not in at.dataframe[0].value["编号 id"].to_list()


def test_no_counterpart_in_one_city_plan_leaves_the_task_open_against_another(env):
    """无对应 against xian-2024 says nothing of xianyang-2023: there the task is still to review."""
    at = open_page("review")
    task = at.session_state["current"]
    decision_button(at, "rv_none").click().run()
    assert "1 / 111" in [m.value for m in at.metric]
    at.selectbox(key="rv_target_doc").set_value("xianyang-2023").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "0 / 111" in [m.value for m in at.metric]
    with DecisionStore(env.db_path) as store:
        assert store.current().select("source_id", "target_doc").rows() == [(task, "xian-2024")]


def test_a_plan_reissued_after_a_confirm_is_flagged_on_review_and_export(env):
    """The city plan re-issued in place with other text under a confirmed number: both pages say so."""
    at = open_page("review")
    task = at.session_state["current"]
    target = at.radio(key="rv_candidate").options[0].split()[1]  # "#1 xian-2024:26 …"
    decision_button(at, "rv_confirm").click().run()
    text = load_items(env, "xian-2024").filter(pl.col("item_id") == target)["text"].item()
    city = env.data_dir / "documents" / "xian-2024-livelihood-projects.txt"
    body = city.read_text(encoding="utf-8")
    assert text[:8] in body
    city.write_text(body.replace(text[:8], text[:8] + "（修订）", 1), encoding="utf-8")

    review = open_page("review")
    review.selectbox(key="rv_current").set_value(task).run()
    warnings = " ".join(w.value for w in review.warning)
    assert "文本在决定后已改" in warnings and f"【确认】 {target} (候选已改 target changed)" in warnings
    export = open_page("export")
    assert any("1 条链接确认之后" in w.value for w in export.warning), [w.value for w in export.warning]


def test_a_store_file_swapped_for_another_while_the_app_runs_is_named_on_every_later_run(env):
    """Not "the store is closed" for the rest of the process: the box says what the file is."""
    import sqlite3

    at = open_page("review")
    assert not at.exception and not at.error
    for suffix in ("", "-wal", "-shm"):
        env.db_path.with_name(env.db_path.name + suffix).unlink(missing_ok=True)
    foreign = sqlite3.connect(env.db_path)
    foreign.execute("CREATE TABLE notes (text TEXT)")
    foreign.commit()
    foreign.close()
    for _ in range(2):
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        errors = " ".join(e.value for e in at.error)
        assert "not a plan-align decision store" in errors and "closed" not in errors


def test_evolution_with_two_documents_of_one_year_compares_one_per_year_and_lets_the_planner_choose(env, tmp_path):
    plan = tmp_path / "baqiao-2023-report.txt"
    plan.write_text("灞桥区2023年政府工作报告重点任务\n1. 新建汽车充电站不少于15处。\n2. 改造老旧小区7个。\n", encoding="utf-8")
    assert cli_main(["add", str(plan), "--id", "baqiao-2023-report", "--jurisdiction", "灞桥区", "--year", "2023",
                     "--data", str(env.data_dir)]) == 0
    at = open_page("evolution")
    assert not at.exception and not at.error, [e.value for e in at.error]
    chooser = at.multiselect(key="evo_docs_灞桥区")
    assert chooser.value == ["baqiao-2020", "baqiao-2023"]
    chooser.set_value(["baqiao-2020", "baqiao-2023-report"]).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    counts = next(d.value for d in at.dataframe if "变化 relation" in d.value.columns)
    assert counts["本期条目 new items"].sum() == 2, "the report's two tasks, not the task table's"
    at.switch_page(PAGES["documents"]).run()
    at.switch_page(PAGES["evolution"]).run()
    assert at.multiselect(key="evo_docs_灞桥区").value == ["baqiao-2020", "baqiao-2023-report"], "kept across pages"


def test_confirming_through_a_filtered_queue_ends_it_and_never_adds_a_second_link_to_a_decided_item(env):
    """Decided items sort to the end under "unreviewed first": the next item after the last open
    one was a decided one, opened on its next candidate, so Y added a second link."""
    at = open_page("review")
    at.text_input(key="rv_keywords").input("公园").run()
    queue = at.selectbox(key="rv_current").options
    assert len(queue) >= 2
    for _ in range(len(queue) + 2):
        if any("End of the queue" in s.value for s in at.success):
            break
        decision_button(at, "rv_confirm").click().run()
        assert not at.exception
    assert any("End of the queue" in s.value for s in at.success)
    links = decisions(env).filter(pl.col("decision") == "confirmed")
    assert links.height == len(queue) and links["source_id"].n_unique() == len(queue), "one link per item"


def test_a_queue_opens_and_moves_on_to_items_still_open_and_its_filtered_end_says_so(env):
    """Least certain first opened on an item already decided, ready for a second link; X on a decided item gone back
    to said the queue was at its end with 94 still open; a filtered queue's end did not say a filter was on (a
    browser probe)."""
    at = open_page("review")
    first = at.session_state["current"]
    decision_button(at, "rv_confirm").click().run()
    gone_back = next(o for o in at.selectbox(key="rv_current").options if o.lstrip("✔ ").startswith(f"{first} "))
    at.selectbox(key="rv_current").set_value(gone_back).run()  # decided, so last under "unreviewed first"
    at.button(key="rv_skip").click().run()
    assert not any("End of the queue" in s.value for s in at.success)
    assert at.session_state["current"] != first
    for order in ("uncertain", "document"):
        at.radio(key="rv_order").set_value(order).run()
        assert at.session_state["current"] != first, f"{order}: the decided item is not where the queue opens"
    at.text_input(key="rv_keywords").input("公园").run()
    for _ in range(len(at.selectbox(key="rv_current").options) + 1):
        if any("End of the queue" in s.value for s in at.success):
            break
        at.button(key="rv_skip").click().run()
    assert any("筛选只显示" in i.value for i in at.info)
    at.button(key="rv_clear_filters").click().run()
    assert at.session_state["keywords"] == "" and not any("End of the queue" in s.value for s in at.success)


def test_a_second_window_moves_on_past_an_item_the_first_decided_meanwhile(env):
    """Tab B, still on item 1 while tab A confirmed item 2, pressed Y and moved onto item 2, decided, with its second
    candidate chosen: the next Y added a second, wrong link (a browser probe)."""
    first, second = open_page("review"), open_page("review")
    for window in (first, second):
        window.radio(key="rv_order").set_value("document").run()
    items = [option.split()[0].lstrip("✔") for option in first.selectbox(key="rv_current").options]
    first.selectbox(key="rv_current").set_value(first.selectbox(key="rv_current").options[1]).run()
    decision_button(first, "rv_confirm").click().run()
    decision_button(second, "rv_confirm").click().run()
    assert second.session_state["current"] == items[2], "past item 2, decided in the other window"
    assert sorted(decisions(env)["source_id"].to_list()) == sorted([items[0], items[1]]), "one link each"


def test_the_end_of_one_queue_is_not_the_end_of_another_pairs(env):
    at = open_page("review")
    at.text_input(key="rv_keywords").input("公园").run()
    for _ in range(len(at.selectbox(key="rv_current").options)):
        at.button(key="rv_skip").click().run()
    assert any("End of the queue" in s.value for s in at.success)
    at.switch_page(PAGES["threshold"]).run()
    at.selectbox(key="th_source_doc").set_value("baqiao-2020").run()
    at.switch_page(PAGES["review"]).run()
    assert not any("End of the queue" in s.value for s in at.success), "baqiao-2020's queue is not done"
    assert at.selectbox(key="rv_current").value.startswith("baqiao-2020:")


def test_a_note_stays_with_the_item_it_was_written_on(env):
    at = open_page("review")
    first = at.session_state["current"]
    at.text_input(key="rv_note").input("需核实数量").run()
    at.button(key="rv_skip").click().run()
    assert at.session_state["current"] != first and at.text_input(key="rv_note").value == ""
    decision_button(at, "rv_confirm").click().run()
    assert decisions(env)["note"].to_list() == [None], "the note written on the skipped item is not stored here"


def test_the_export_page_says_a_disputed_link_is_held_back_not_that_nothing_is_confirmed(env):
    with DecisionStore(env.db_path) as store:
        store.record("甲", "baqiao-2023:75", "xian-2024:4", "confirmed")
        store.record("乙", "baqiao-2023:75", "xian-2024:4", "rejected")
    at = open_page("export")
    assert at.metric[0].value == "0"
    assert any("1 more confirmed link(s) are disputed" in w.value for w in at.warning)
    assert not any("No confirmed links yet" in i.value for i in at.info)
    at.checkbox(key="ex_with_conflicts").check().run()
    assert at.metric[0].value == "1" and not any("disputed" in w.value for w in at.warning)
    row = at.dataframe[0].value.iloc[0]  # the preview marks it, as the file does
    assert "甲: 确认" in row["审核意见不一 disputed"] and "乙: 拒绝" in row["审核意见不一 disputed"]
    assert list(at.dataframe[0].value.columns[:4]) == [
        "源条目 source id", "目标条目 target id", "审核人 reviewer", "审核时间 decided at"], "who and when first"


def test_the_export_page_asks_for_two_documents_not_says_nothing_is_confirmed(env):
    """One plan chosen as source and target read 'No confirmed links yet' beside two confirmed links."""
    with DecisionStore(env.db_path) as store:
        store.record("甲", "baqiao-2023:75", "xian-2024:4", "confirmed")
    at = open_page("export")
    at.selectbox(key="ex_export_target").set_value("baqiao-2023").run()
    at.selectbox(key="ex_export_source").set_value("baqiao-2023").run()
    assert not at.exception
    assert any("Choose two different documents" in w.value for w in at.warning)
    assert not any("No confirmed links yet" in i.value for i in at.info) and not at.metric


def test_bulk_confirm_keeps_to_the_filtered_queue(env):
    """With a keyword narrowing the queue, bulk-confirm at 0 confirmed 22 links across 19 items."""
    at = open_page("review")
    at.text_input(key="rv_keywords").input("就业").run()
    queue = {option.split()[0] for option in at.selectbox(key="rv_current").options}
    at.slider(key="rv_bulk_min").set_value(0.0).run()
    sample = next(d.value for d in at.dataframe if "源任务 source task" in d.value.columns)
    assert list(sample.columns)[:2] == ["得分 score", "源条目 source"], "the score first: off-screen at 1366 px"
    assert any(round(score, 2) != score for score in sample["得分 score"]), "not rounded: 0.997 read 1, certain"
    assert all(score < 1 for score in sample["得分 score"]), "cut, not rounded up to 1.000"
    assert any(c.value.startswith("样例：前 10 / ") for c in at.caption) == (len(sample) == 10)
    at.button(key="rv_bulk_go").click().run()
    assert not at.exception
    confirmed = decisions(env).filter(pl.col("decision") == "confirmed")
    assert confirmed.height and set(confirmed["source_id"]) <= queue


def test_coverage_pages_small_words_are_read_by_a_planner(env):
    """From a browser probe: the pick of another district's item stayed chosen; tasks in one cell ran together;
    the export preview's headers were English only; a near-zero candidate was confirmed with no word."""
    at = open_page("coverage")
    proposed = [cell for cell in at.dataframe[0].value["建议区级任务 proposed"] if cell]
    assert any("；" in cell for cell in proposed), "several tasks in one cell are told apart"
    at.selectbox(key="cov_pick_baqiao-2023").set_value("xian-2024:1").run()
    at.selectbox(key="cov_district_doc").set_value("xixian-2023").run()
    assert at.selectbox(key="cov_pick_xixian-2023").value != "xian-2024:1", "its own first pick, not 灞桥区's"
    review = open_page("review")
    low = [i for i, option in enumerate(review.radio(key="rv_candidate").options)
           if float(re.findall(r"(\d\.\d+)\\?\]", option)[-1]) < 0.05]
    review.radio(key="rv_candidate").set_value(low[0]).run()
    assert any("远低于阈值" in c.value for c in review.caption)


def test_from_coverage_a_city_item_beyond_the_district_tasks_own_candidates_is_the_one_chosen(env):
    """Coverage finds a city item's nearest task from the city's side; on Review that item was not among
    the task's candidates, the radio stood on #1 and Y confirmed another city item."""
    at = open_page("coverage")
    at.selectbox(key="cov_district_doc").set_value("xixian-2023").run()
    at.selectbox(key="cov_pick_xixian-2023").set_value("xian-2024:28").run()
    at.button(key="cov_review").click().run()
    assert not at.exception
    assert "候选 xian-2024:28" in [h.value for h in at.subheader]
    assert not any("不在此条目的候选中" in w.value for w in at.warning)


def test_threshold_counts_confirmed_pairs_as_its_curve_does_when_reviewers_disagree(env):
    """甲 and 乙 confirmed, 丙 rejected: 'confirmed 2' stood beside 'labelled pairs 1' and a curve of one rejection."""
    with DecisionStore(env.db_path) as store:
        store.record("甲", "baqiao-2023:17", "xian-2024:20", "confirmed")
        store.record("乙", "baqiao-2023:17", "xian-2024:20", "confirmed")
        store.record("丙", "baqiao-2023:17", "xian-2024:20", "rejected")
    at = open_page("threshold")
    assert not at.exception
    assert (at.metric[0].value, at.metric[1].value) == ("1", "0"), "one pair, its latest decision a rejection"


def test_threshold_counts_a_link_confirmed_outside_the_candidates_as_one_the_matcher_misses(env):
    """A link confirmed with decide (or from Coverage) beyond the task's candidates was left out of recall's
    denominator and of the page's 'confirmed': recall read 1.0 where the matcher finds one link of two."""
    from matching.review import threshold_curve

    matches = match_documents(env, "baqiao-2023", "xian-2024")
    candidates = matches.filter(pl.col("source_id") == "baqiao-2023:54").sort("rank")
    beyond = next(f"xian-2024:{n}" for n in range(1, 31) if f"xian-2024:{n}" not in candidates["target_id"].to_list())
    with DecisionStore(env.db_path) as store:
        store.record("甲", "baqiao-2023:54", candidates["target_id"][0], "confirmed")
        store.record("甲", "baqiao-2023:54", beyond, "confirmed")
        decisions = store.current()
    curve = threshold_curve(matches, decisions, cutoffs=[0.0])
    assert curve.select("labelled", "true_positives", "recall").row(0) == (2, 1, 0.5)
    at = open_page("threshold")
    assert not at.exception
    assert (at.metric[0].value, at.metric[1].value) == ("2", "2")


def test_coverage_says_a_quota_item_judged_without_a_counterpart_is_decided_not_pending(env):
    """An item a reviewer ruled out was still listed as having "no district task yet" (还没有)."""
    with DecisionStore(env.db_path) as store:
        store.record("王", "xian-2024:4", None, "no_counterpart", target_doc="baqiao-2023")
    at = open_page("coverage")
    pending = " ".join(w.value for w in at.warning if "配额" in w.value)
    assert "xian-2024:4 " not in pending
    assert any("已判无对应" in i.value and "xian-2024:4" in i.value for i in at.info)


def test_the_conflicts_table_names_each_kind_of_disagreement_in_chinese(env):
    """One reviewer judged an item 无对应 while another confirmed a link from it: the conflicts table's 类型 read the
    store's code no_counterpart_vs_link (a browser probe)."""
    with DecisionStore(env.db_path) as store:
        store.record("王", "baqiao-2023:54", None, "no_counterpart", target_doc="xian-2024")
        store.record("李", "baqiao-2023:54", "xian-2024:26", "confirmed")
        store.record("王", "baqiao-2023:75", "xian-2024:4", "confirmed")
        store.record("李", "baqiao-2023:75", "xian-2024:4", "rejected")
    at = open_page("review")
    table = next(frame.value for frame in at.dataframe if "类型 kind" in frame.value.columns)
    assert sorted(table["类型 kind"]) == ["同一链接意见不一 link confirmed and rejected",
                                          "无对应与链接冲突 no counterpart, yet a link confirmed"]


def test_a_link_to_an_item_or_plan_not_here_says_so_and_names_what_opened(env):
    """?item=baqiao-2023:9999 (removed) or ?source=nope-2024 opened another item, or another pair, without a word,
    its Y ready: a colleague's "please check this item" was decided on the wrong one (a browser probe)."""
    for params, asked in (({"item": "baqiao-2023:9999"}, "baqiao-2023:9999"), ({"source": "nope-2024"}, "nope-2024"),
                          ({"order": "bogus"}, "bogus")):
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        for name, value in {"reviewer": "王", **params}.items():
            at.query_params[name] = value
        at.run()
        at.switch_page(PAGES["review"]).run()
        assert not at.exception
        said = [w.value for w in at.warning if w.value.startswith(f"链接中的“{asked}”不在此处")]
        assert len(said) == 1 and "已打开" in said[0], [w.value for w in at.warning]
        assert "“unreviewed”" not in said[0], "what opened is named as the page names it (a second browser probe)"
        at.run()
        assert not [w for w in at.warning if w.value.startswith("链接中的")], "said once, not on every run"
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["item"] = "baqiao-2023:17"
    at.run()
    at.switch_page(PAGES["review"]).run()
    assert at.selectbox(key="rv_current").value == "baqiao-2023:17"
    assert not [w for w in at.warning if w.value.startswith("链接中的")]


def test_a_note_typed_before_skipping_is_said_not_to_be_kept(env):
    """A note typed, then 跳过: the next item opened with an empty note box and nothing said the note was gone
    (a browser probe); skipping without a note says nothing."""
    at = open_page("review")
    at.button(key="rv_skip").click().run()
    assert not [w for w in at.warning if w.value.startswith("已跳过")]
    at.text_input(key="rv_note").input("备注五：然后点了跳过").run()
    at.button(key="rv_skip").click().run()
    assert not at.exception
    assert [w.value for w in at.warning if w.value.startswith("已跳过")] == [
        "已跳过，未记录决定，备注“备注五：然后点了跳过”未保存 Skipped: nothing was decided, so the note was not kept."]
    assert decisions(env).is_empty()
    # … while a decision with a note says only that it was recorded (every one said skipped too; a browser probe)
    at.text_input(key="rv_note").input("王确认").run()
    decision_button(at, "rv_confirm").click().run()
    assert not [w for w in at.warning if w.value.startswith("已跳过")]
    assert decisions(env)["note"].to_list() == ["王确认"]


def test_undo_in_a_window_whose_own_decisions_are_all_undone_takes_back_no_other_windows(env):
    """Window 2 undid its own 无对应, then Undo again retracted window 1's reject, with only a toast (a browser
    probe): once a window's own decisions are all undone, a later Undo takes back nothing."""
    first, second = open_page("review"), open_page("review")
    items = first.selectbox(key="rv_current").options
    first.selectbox(key="rv_current").set_value(items[1]).run()
    decision_button(first, "rv_reject").click().run()
    decision_button(second, "rv_none").click().run()
    second.button(key="rv_undo").click().run()
    assert decisions(env)["decision"].to_list() == ["rejected"], "its own 无对应 taken back"
    second.button(key="rv_undo").click().run()
    assert decisions(env)["decision"].to_list() == ["rejected"], "window 1's reject stays"
    assert any("来自另一窗口" in t.value for t in [*second.toast, *second.warning])
