"""The review queue a planner works through: which items it keeps and in what order."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.normalize import normalize_text
from matching.review import ITEM_STATE_SCHEMA, keyword_terms, review_queue, unit_choices

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
    titled = ITEMS.with_columns(pl.when(pl.col("item_id") == "d:3").then(pl.lit("民生保障")).otherwise("title").alias("title"))
    assert review_queue(titled, MATCHES, states(), order="document")["text"][2] == "民生保障", "a blank text shows its title"


def test_filters_keep_only_matching_items():
    assert queue_ids(order="document", score_band=(0.3, 0.8)) == ["d:2", "d:4"]
    assert queue_ids(order="document", sections=["城市建设"]) == ["d:1", "d:2"]
    assert queue_ids(order="document", units=["区住建局"]) == ["d:2", "d:3"]


def test_a_unit_filter_keeps_every_spelling_of_its_department_and_offers_it_once():
    """区卫健局 and 区卫生健康局 were two choices, and filtering by one missed the other's tasks; a zone's
    bureau of the same kind (灞河新区招商局 beside 区投资商务局) stays a choice of its own."""
    items = ITEMS.with_columns(pl.Series("units", [["区卫健局"], ["区卫生健康局"], ["区投资商务局"], ["灞河新区招商局"]]))
    assert unit_choices(items) == {"区卫健局": ["区卫生健康局"], "区投资商务局": [], "灞河新区招商局": []}
    keep = review_queue(items, MATCHES, states(), order="document", units=["区卫健局"])["item_id"].to_list()
    assert keep == ["d:1", "d:2"]
    assert review_queue(items, MATCHES, states(), order="document", units=["区投资商务局"])["item_id"].to_list() == ["d:3"]


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
    with DecisionStore(tmp_path / "d.sqlite") as store:  # the name as typed, the store keeps it normalised
        store.record("王　工", "baqiao-2023:80", "xian-2024:7", "confirmed")
        assert latest_decision(store.current(), "王　工", "baqiao-2023", "xian-2024")["source_id"] == "baqiao-2023:80"


def test_a_candidate_far_below_the_threshold_is_flagged_before_confirming():
    from matching.review import far_below_threshold

    assert far_below_threshold(0.09, 0.42) and not far_below_threshold(0.2, 0.42)
    assert not far_below_threshold(None, 0.42), "no candidate chosen: nothing to flag"


def test_coverage_gives_a_quota_of_money_as_written_not_in_yuan():
    """The amount column showed 30000000元 for 其中灞桥区3000万元."""
    from align.parsing import parse_text
    from align.registry import DocumentMeta
    from matching.engine import match_items
    from matching.review import coverage_table

    city = parse_text("西安市2024年为民办实事\n1.老旧小区改造。安排专项资金1.2亿元，其中灞桥区3000万元、雁塔区2000万元。\n",
                      DocumentMeta(id="c-2024", title="c", jurisdiction="西安市", level="city", year=2024,
                                   kind="livelihood_plan", file="c.txt")).items
    district = parse_text("序号\t主要任务\t责任单位\n1\t改造老旧小区30个\t区住建局\n",
                          DocumentMeta(id="d-2024", title="d", jurisdiction="灞桥区", level="district", year=2024,
                                       kind="task_table", file="d.txt", parent="西安市")).items
    matches = match_items(district, city, source_jurisdiction="灞桥区", target_jurisdiction="西安市")
    decisions = pl.DataFrame(schema={"source_id": pl.String, "target_id": pl.String, "decision": pl.String})
    table = coverage_table(city, district, matches, decisions, district_jurisdiction="灞桥区")
    assert table["quota_amount"].to_list() == ["3000万元"]


def test_quotas_read_place_and_amount_first_also_for_a_zone_its_city_calls_by_a_short_name():
    """A cell cut at a column's edge read 新建公(专)用充电桩：灞桥区20…; a zone registered as 宝鸡高新区
    is written 高新区 in its city's plan, and was left as it was."""
    from align.registry import DocumentMeta
    from matching.review import quotas_place_first

    def shown(text: str, place: str) -> str:
        district = DocumentMeta(id="d-2024", title="t", jurisdiction=place, level="district", year=2024,
                                kind="plan", file="d.txt", parent="宝鸡市")
        return pl.DataFrame({"quota": [text]}).select(quotas_place_first(pl.col("quota"), district)).item()

    assert shown("新建公(专)用充电桩：灞桥区200个；开工建设公共停车位：灞桥区800个", "灞桥区") == \
        "灞桥区200个（新建公(专)用充电桩）；灞桥区800个（开工建设公共停车位）"
    assert shown("新建公(专)用充电桩：高新区200个", "宝鸡高新区") == "高新区200个（新建公(专)用充电桩）"
    assert shown("灞桥区：200个", "灞桥区") == "灞桥区：200个", "no label before the place: as written"
