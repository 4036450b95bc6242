"""The review queue a planner works through: which items it keeps and in what order."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.normalize import normalize_text
from matching.review import ITEM_STATE_SCHEMA, keyword_terms, review_queue

ITEMS = pl.DataFrame(
    {
        "item_id": ["d:1", "d:2", "d:3", "d:4"],
        "number": ["1", "2", "3", "4"],
        "title": ["充电设施", "老旧小区", "", "i西安"],
        "text": ["新建汽车充电站不少于15处", "改造老旧小区16个，加装电梯", "", "推进I西安服务门户建设2023年上线"],
        "section_path": [["城市建设"], ["城市建设"], ["民生"], ["政务服务"]],
        "units": [["区发改委"], ["区住建局"], ["区住建局", "区民政局"], ["区数据局"]],
    }
)
MATCHES = pl.DataFrame(
    {
        "source_id": ["d:1", "d:1", "d:2", "d:3", "d:4"],
        "target_id": ["c:4", "c:9", "c:15", "c:20", "c:30"],
        "score": [0.95, 0.2, 0.41, 0.05, 0.7],
    }
)


def states(reviewed: dict[str, bool] | None = None) -> pl.DataFrame:
    reviewed = reviewed or {}
    return pl.DataFrame(
        [
            {"source_id": s, "confirmed": [], "rejected": [], "unsure": [], "no_counterpart": False,
             "reviewed": r, "flagged": False}
            for s, r in reviewed.items()
        ],
        schema=ITEM_STATE_SCHEMA,
    )


def queue_ids(**options) -> list[str]:
    return review_queue(ITEMS, MATCHES, options.pop("states", states()), **options)["item_id"].to_list()


def test_unreviewed_items_come_first_then_the_least_certain():
    # distance from the threshold 0.4: d:4 0.30, d:3 0.35, d:1 0.55; d:2 is reviewed, so last
    assert queue_ids(threshold=0.4, states=states({"d:2": True})) == ["d:4", "d:3", "d:1", "d:2"]
    assert queue_ids(order="document") == ["d:1", "d:2", "d:3", "d:4"]


def test_each_item_carries_its_best_candidate_and_a_blank_text_shows_the_title():
    queue = review_queue(ITEMS, MATCHES, states(), order="document")
    assert queue.select("top_target", "top_score").row(0) == ("c:4", 0.95)
    assert queue["text"][2] == ""  # d:3 has neither: nothing invented
    assert queue["text"][0] == "新建汽车充电站不少于15处"


def test_filters_keep_only_matching_items():
    assert queue_ids(order="document", score_band=(0.3, 0.8)) == ["d:2", "d:4"]
    assert queue_ids(order="document", sections=["城市建设"]) == ["d:1", "d:2"]
    assert queue_ids(order="document", units=["区住建局"]) == ["d:2", "d:3"]


@pytest.mark.parametrize(
    ("keywords", "expected"),
    [
        ("充电", ["d:1"]),
        ("小区 电梯", ["d:2"]),  # every word must be there
        ("小区 充电", []),
        ("  ", ["d:1", "d:2", "d:3", "d:4"]),  # an empty box filters nothing
        ("ｉ西安　２０２３", ["d:4"]),  # full-width letters, digits and space, any case
        ("15处", ["d:1"]),
    ],
)
def test_keywords_keep_items_containing_every_word(keywords, expected):
    assert queue_ids(order="document", keywords=keywords) == expected


def test_keywords_combine_with_the_other_filters():
    assert queue_ids(order="document", keywords="区", units=["区数据局"]) == []
    assert queue_ids(order="document", keywords="建设", sections=["政务服务"]) == ["d:4"]


@given(st.text(max_size=40))
def test_keyword_terms_are_normalised_words_an_item_text_can_contain(query):
    for term in keyword_terms(query):
        assert term and " " not in term
        assert term == normalize_text(term).lower()


def test_a_link_judged_from_the_other_document_is_one_of_the_pairs_decisions_turned_round():
    from matching.review import pair_decisions

    current = pl.DataFrame({"id": [1, 2], "reviewer": ["王", "王"], "source_id": ["xian-2024:15", "xian-2024:16"],
                            "target_id": ["baqiao-2023:54", None], "target_doc": [None, "baqiao-2023"],
                            "decision": ["confirmed", "no_counterpart"], "source_digest": ["c", None],
                            "target_digest": ["d", None]})
    seen = pair_decisions(current, "baqiao-2023", "xian-2024")
    assert seen.select("source_id", "target_id", "source_digest", "target_digest").rows() == [
        ("baqiao-2023:54", "xian-2024:15", "d", "c")], "the city item's 无对应 is about the city item, not shown here"


def test_undo_takes_back_the_reviewers_latest_decision_on_this_pair_only(tmp_path):
    """Not another reviewer's, and not one on another pair of documents made later."""
    from align.store import DecisionStore
    from matching.review import latest_decision

    with DecisionStore(tmp_path / "d.sqlite") as store:
        store.record("王", "baqiao-2023:75", "xian-2024:4", "confirmed")
        store.record("王", "xian-2024:9", "baqiao-2023:101", "rejected")  # judged from the city's side, later
        store.record("王", "baqiao-2020:1", "baqiao-2023:1", "confirmed")  # another pair, later still
        store.record("李", "baqiao-2023:76", "xian-2024:5", "confirmed")  # another reviewer, latest of all
        current = store.current()
    last = latest_decision(current, "王", "baqiao-2023", "xian-2024")
    assert (last["source_id"], last["target_id"], last["decision"]) == ("baqiao-2023:101", "xian-2024:9", "rejected")
    assert latest_decision(current, "赵", "baqiao-2023", "xian-2024") is None


def test_a_candidate_far_below_the_threshold_is_flagged_before_confirming():
    from matching.review import far_below_threshold

    assert far_below_threshold(0.09, 0.42) and not far_below_threshold(0.2, 0.42)
    assert not far_below_threshold(None, 0.42), "no candidate chosen: nothing to flag"
