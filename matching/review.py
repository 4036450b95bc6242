"""Review tables: the queue a planner works through, threshold statistics and city coverage.

Pure polars over three inputs the app already has: item tables (``align.ingest.load_items``),
match results (``matching.engine.match_documents``) and the decisions in effect
(``align.store.DecisionStore.current``). Nothing here reads files, the store or session
state, so the review app only calls these and renders what they return.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Literal

import numpy as np
import polars as pl

from align.exceptions import PlanAlignError
from align.items import (
    STATUS_LABELS,
    Schema,
    doc_of_column,
    joined_targets,
    quotas_renamed,
    shown_text,
    text_digests,
)
from align.normalize import normalize_text
from align.registry import LEVEL_NAMES_ZH, LEVELS, DocumentMeta
from align.settings import Settings
from align.store import flipped, on_current_text, reviewer_name, standing, with_text_changes
from align.targets import describe_quantity
from align.units import department_key

QueueOrder = Literal["unreviewed", "uncertain", "document"]
QUEUE_ORDERS: tuple[str, ...] = ("unreviewed", "uncertain", "document")
#: Decisions that settle a source item for the reviewer who made them. A rejection does not:
#: after turning down one candidate the reviewer is still choosing among the others.
SETTLING: tuple[str, ...] = ("confirmed", "no_counterpart")
COVERAGE_STATUSES: tuple[str, ...] = ("confirmed", "disputed", "proposed", "no_counterpart", "none")
#: How a coverage status reads on the page and in the hand-over workbook: a reviewer's 无对应
#: (ruled out) is not the matcher finding nothing (not yet found).
COVERAGE_LABELS = {"confirmed": "已确认 confirmed", "disputed": "审核意见不一 disputed", "proposed": "建议 proposed",
                   "no_counterpart": "已判无对应 ruled out", "none": "未找到 none found"}
#: The statuses of a city item no district task serves.
UNSERVED: tuple[str, ...] = ("no_counterpart", "none")

ITEM_STATE_SCHEMA: Schema = {
    "source_id": pl.String,
    "confirmed": pl.List(pl.String),
    "rejected": pl.List(pl.String),
    "unsure": pl.List(pl.String),
    "no_counterpart": pl.Boolean,
    "reviewed": pl.Boolean,
    "flagged": pl.Boolean,
}


def pair_decisions(current: pl.DataFrame, source_doc: str, target_doc: str) -> pl.DataFrame:
    """The rows between two documents of any store table with ``source_id, target_id, target_doc``
    (``DecisionStore.current()``, ``history()`` or ``conflicts()``).

    A link judged from the other document (target → source) is one of these links too, turned
    round. A ``no_counterpart`` decision names its document in ``target_doc``; one from a
    schema-1 store names none and counts for every target document, as it did when it was made.
    """
    no_target = pl.col("target_id").is_null() & (pl.col("target_doc").is_null() | (pl.col("target_doc") == target_doc))
    forward = current.filter((doc_of_column("source_id") == source_doc)
                             & (no_target | (doc_of_column("target_id") == target_doc)))
    backward = current.filter((doc_of_column("source_id") == target_doc) & (doc_of_column("target_id") == source_doc))
    return pl.concat([forward, flipped(backward)]) if backward.height else forward


def coverage_decisions(current: pl.DataFrame, district_doc: str, city_doc: str) -> pl.DataFrame:
    """Decisions between a district and a city plan, as district → city rows, whichever way the
    reviewer matched them (a city item reviewed against the district's tasks counts too).

    A 无对应 on a district task keeps its ``source_id`` alone (no ``target_id``); one on a city
    item, reviewed against the district plan, keeps its ``target_id`` alone (no ``source_id``).
    """
    links = pair_decisions(current, district_doc, city_doc)  # links judged from the city side included
    city_nones = pair_decisions(current, city_doc, district_doc).filter(pl.col("target_id").is_null())
    return pl.concat([links, flipped(city_nones)], how="vertical")


def ruled_out_targets(current: pl.DataFrame, source_doc: str, target_doc: str) -> list[str]:
    """Target-plan items marked 无对应 in the source plan (reviewed from their own side), in the
    decisions given (``DecisionStore.current``, of one reviewer for their own queue)."""
    nones = pair_decisions(current, target_doc, source_doc).filter(
        (pl.col("decision") == "no_counterpart") & pl.col("target_id").is_null())
    return nones["source_id"].unique().to_list()


def item_states(decisions: pl.DataFrame, *, reviewer: str | None = None) -> pl.DataFrame:
    """One row per decided source item: which targets are confirmed, rejected or flagged.

    ``reviewed`` is true once the item has a confirmed link or a no-counterpart decision
    (of ``reviewer`` when given, else of anyone); rejections alone leave it open.
    ``flagged`` when some pair is marked unsure.
    """
    if reviewer is not None:
        decisions = decisions.filter(pl.col("reviewer") == reviewer)
    if decisions.is_empty():
        return pl.DataFrame(schema=ITEM_STATE_SCHEMA)
    states = decisions.group_by("source_id", maintain_order=True).agg(
        pl.col("target_id").filter(pl.col("decision") == "confirmed").unique(maintain_order=True).alias("confirmed"),
        pl.col("target_id").filter(pl.col("decision") == "rejected").unique(maintain_order=True).alias("rejected"),
        pl.col("target_id").filter(pl.col("decision") == "unsure").unique(maintain_order=True).alias("unsure"),
        (pl.col("decision") == "no_counterpart").any().alias("no_counterpart"),
        pl.col("decision").is_in(SETTLING).any().alias("reviewed"),
        (pl.col("decision") == "unsure").any().alias("flagged"),
    )
    return states.select(list(ITEM_STATE_SCHEMA)).cast(pl.Schema(ITEM_STATE_SCHEMA))


def in_plan_order(candidates: pl.DataFrame, target_items: pl.DataFrame) -> pl.DataFrame:
    """An item's candidates in the target plan's own order, for a blind review: listed best first,
    the order alone would tell the reviewer which one the model prefers."""
    order = target_items.select(pl.col("item_id").alias("target_id")).with_row_index("_position")
    return (candidates.join(order, on="target_id", how="left", maintain_order="left")
            .sort("_position", nulls_last=True, maintain_order=True).drop("_position"))


def item_decisions(current: pl.DataFrame, reviewer: str, source_id: str) -> frozenset[tuple[str | None, str | None, str]]:
    """What one reviewer has said on one source item, as ``(target_id, target_doc, decision)``: what a
    window showed when it was drawn, compared again when it records, so that a decision taken in a
    second window is not overwritten by a first that never showed it."""
    rows = current.filter((pl.col("reviewer") == reviewer_name(reviewer)) & (pl.col("source_id") == source_id))
    return frozenset(rows.select("target_id", "target_doc", "decision").iter_rows())


def _unit_group(unit: str) -> tuple[str, str]:
    """One department of one government: 区卫健局 and 区卫生健康局 share it, 区投资商务局 and
    灞河新区招商局 (a zone's bureau) do not, though both are 商务."""
    return department_key(unit), normalize_text(unit)[:1]


def unit_choices(items: pl.DataFrame) -> dict[str, list[str]]:
    """The plan's responsible units as filter choices, one per department: each choice (its first
    spelling, sorted) with the other spellings the plan uses for it (区卫健局: [区卫生健康局]), which
    a filter on it keeps too. A planner filtering by 区卫健局 missed the tasks written 区卫生健康局."""
    spellings: dict[tuple[str, str], list[str]] = {}
    for unit in sorted({u for units in items["units"].to_list() for u in units}):
        spellings.setdefault(_unit_group(unit), []).append(unit)
    return {names[0]: names[1:] for names in sorted(spellings.values())}


def review_queue(
    items: pl.DataFrame,
    matches: pl.DataFrame,
    states: pl.DataFrame,
    *,
    order: QueueOrder = "unreviewed",
    threshold: float = 0.5,
    score_band: tuple[float, float] = (0.0, 1.0),
    sections: list[str] | None = None,
    units: list[str] | None = None,
    keywords: str = "",
) -> pl.DataFrame:
    """The source items to review, filtered and ordered, with their best candidate.

    Parameters
    ----------
    items : the source document's items.
    matches : ``match_documents`` rows for the pair (``source_id`` in ``items``).
    states : :func:`item_states` of the reviewer.
    order : ``unreviewed`` (unreviewed first, then least certain), ``uncertain`` (best score
        closest to ``threshold`` first) or ``document`` (document order).
    score_band : keep items whose best score lies in ``[low, high]``.
    sections : keep items whose policy area (``section_path`` joined by `` / ``) is listed.
    units : keep items with at least one of these responsible units, however the plan spells
        the department (:func:`unit_choices`).
    keywords : keep items whose text contains every word of it (separated by spaces).
    """
    if order not in QUEUE_ORDERS:
        raise ValueError(f"The 'order' must be one of {', '.join(QUEUE_ORDERS)}. Got {order!r} instead.")
    best = (
        matches.sort("score", descending=True)
        .group_by("source_id", maintain_order=True)
        .agg(pl.col("target_id").first().alias("top_target"), pl.col("score").first().alias("top_score"))
    )
    queue = (
        items.select(
            pl.col("item_id"),
            "number",
            shown_text().alias("text"),
            pl.col("section_path").list.join(" / ").alias("section"),
            "units",
        )
        .with_row_index("position")
        .join(best, left_on="item_id", right_on="source_id", how="left")
        .join(states.select("source_id", "reviewed", "flagged"), left_on="item_id", right_on="source_id", how="left")
        .with_columns(
            pl.col("top_score").fill_null(0.0),
            pl.col("reviewed").fill_null(False),
            pl.col("flagged").fill_null(False),
        )
        .with_columns((pl.col("top_score") - threshold).abs().alias("uncertainty"))
    )
    low, high = score_band
    queue = queue.filter(pl.col("top_score").is_between(low, high))
    if sections:
        queue = queue.filter(pl.col("section").is_in(sections))
    if units:
        groups = [_unit_group(unit) for unit in units]
        wanted = [unit for unit in {u for us in items["units"].to_list() for u in us} if _unit_group(unit) in groups]
        queue = queue.filter(pl.col("units").list.eval(pl.element().is_in(wanted)).list.any())
    for term in keyword_terms(keywords):
        queue = queue.filter(pl.col("text").str.to_lowercase().str.contains(term, literal=True))
    keys = {"unreviewed": ["reviewed", "uncertainty", "position"], "uncertain": ["uncertainty", "position"],
            "document": ["position"]}[order]
    return queue.sort(keys)


def keyword_terms(query: str) -> list[str]:
    """The words of a search box, each normalised as item texts are (full-width ２０２３ and
    Ｉ西安 find 2023 and i西安): split first, for normalising joins words next to Chinese,
    and again after, for NFKC can make a space (¸ becomes a space and a combining mark)."""
    return [term for word in query.split() for term in normalize_text(word).lower().split()]


def latest_decision(current: pl.DataFrame, reviewer: str, source_doc: str, target_doc: str) -> dict | None:
    """The reviewer's latest decision in effect between two documents (what Undo takes back), turned
    the pair's way round; ``None`` when they have made none."""
    name = reviewer_name(reviewer) or reviewer  # as the store keeps it (王　工 typed with a full-width space is 王 工)
    mine = pair_decisions(current.filter(pl.col("reviewer") == name), source_doc, target_doc)
    return None if mine.is_empty() else mine.sort("id").row(-1, named=True)


#: A candidate scoring under this share of the threshold is one the model all but rules out.
FAR_BELOW_SHARE = 0.25


def far_below_threshold(score: float | None, threshold: float) -> bool:
    """Whether confirming a candidate of this score goes against the model: read both texts twice."""
    return score is not None and score < threshold * FAR_BELOW_SHARE


def bulk_candidates(
    matches: pl.DataFrame, states: pl.DataFrame, *, min_score: float, ruled_out: Collection[str] = ()
) -> pl.DataFrame:
    """Proposals at or above ``min_score`` on source items the reviewer has not touched yet.

    These are what a bulk-confirm would record, one decision each: only what the matcher
    proposes (``linked``), never every candidate above a low slider. An item with any
    decision, a rejection included, is left to the reviewer, and so is a link to a target item
    the reviewer marked 无对应 in the source plan (``ruled_out``, :func:`ruled_out_targets`):
    confirming it would replace that decision unseen.
    """
    decided = states.filter(
        pl.col("reviewed") | pl.col("flagged") | (pl.col("rejected").list.len() > 0)
    ).select("source_id")
    return (
        matches.filter(pl.col("linked") & (pl.col("score") >= min_score) & ~pl.col("target_id").is_in(list(ruled_out)))
        .join(decided, on="source_id", how="anti")
        .select("source_id", "target_id", "rank", "score", "engine_version", "reasons")
        .sort("score", descending=True)
    )


def labelled_scores(matches: pl.DataFrame, decisions: pl.DataFrame) -> pl.DataFrame:
    """Candidate scores with a label from the decisions: confirmed 1, rejected 0, else null.

    A pair with both (reviewers disagree) takes the latest decision. A link confirmed outside the
    candidates (with ``decide``, or from Coverage) is a row with no score: a link the matcher never
    proposes, which recall counts as missed at every cut-off.
    """
    labels = (
        decisions.filter(pl.col("decision").is_in(["confirmed", "rejected"]) & pl.col("target_id").is_not_null())
        .sort("id")
        .group_by("source_id", "target_id")
        .agg(pl.col("decision").last())
        .select("source_id", "target_id", (pl.col("decision") == "confirmed").cast(pl.Int8).alias("label"))
    )
    scored = matches.select("source_id", "target_id", "score")
    missed = labels.filter(pl.col("label") == 1).join(scored, on=["source_id", "target_id"], how="anti")
    return pl.concat([scored.join(labels, on=["source_id", "target_id"], how="left"),
                      missed.select("source_id", "target_id", pl.lit(None, dtype=scored.schema["score"]).alias("score"),
                                    "label")])


def threshold_curve(
    matches: pl.DataFrame,
    decisions: pl.DataFrame,
    *,
    cutoffs: list[float] | None = None,
) -> pl.DataFrame:
    """Precision and recall of proposing ``score >= cutoff``, measured on the decisions so far.

    Also, per cutoff, the work left by hand if everything at or above it were accepted:
    ``items_by_hand`` source items with no decision whose best score is below the cutoff, and
    ``expected_links_by_hand`` the sum of their undecided candidates' scores (the expected
    number of true links among them when scores are calibrated probabilities). Precision is
    null where nothing labelled is proposed; recall is null without any confirmed link.
    """
    cutoffs = cutoffs if cutoffs is not None else [round(x, 2) for x in np.arange(0.0, 1.0001, 0.05)]
    scored = labelled_scores(matches, decisions)
    decided_items = set(decisions["source_id"].to_list())
    undecided = scored.filter(pl.col("label").is_null() & ~pl.col("source_id").is_in(decided_items))
    best = undecided.group_by("source_id").agg(pl.col("score").max())
    labelled = scored.filter(pl.col("label").is_not_null())
    scores = labelled["score"].to_numpy()
    labels = labelled["label"].to_numpy().astype(bool)
    open_scores = undecided["score"].to_numpy()
    best_scores = best["score"].to_numpy()
    rows = []
    positives = int(labels.sum())
    for cut in cutoffs:
        proposed = scores >= cut
        tp = int((proposed & labels).sum())
        fp = int((proposed & ~labels).sum())
        rows.append({
            "cutoff": float(cut),
            "labelled": int(labels.size),
            "true_positives": tp,
            "false_positives": fp,
            "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / positives if positives else None,
            "proposed_open": int((open_scores >= cut).sum()),
            "items_by_hand": int((best_scores < cut).sum()),
            "expected_links_by_hand": float(open_scores[open_scores < cut].sum()),
        })
    return pl.DataFrame(rows, schema={
        "cutoff": pl.Float64, "labelled": pl.Int64, "true_positives": pl.Int64, "false_positives": pl.Int64,
        "precision": pl.Float64, "recall": pl.Float64, "proposed_open": pl.Int64, "items_by_hand": pl.Int64,
        "expected_links_by_hand": pl.Float64,
    })


def proposed_links(
    matches: pl.DataFrame, source_items: pl.DataFrame, target_items: pl.DataFrame, *, per_target: bool = False
) -> pl.DataFrame:
    """The linked candidates with both items' text, in the source document's order, best first;
    ``per_target``: in the target document's order, each target item with the source items that
    serve it (``--direction target_to_source``: a city item and its district tasks).

    What a planner reads on a terminal: the proposals, not the hundreds of candidates
    kept for ranking (those go to ``--out``).
    """
    text_of = {
        side: items.with_row_index(f"{side}_order").select(
            pl.col("item_id").alias(f"{side}_id"), shown_text().alias(f"{side}_text"), f"{side}_order"
        )
        for side, items in (("source", source_items), ("target", target_items))
    }
    side = "target" if per_target else "source"
    return (
        matches.filter(pl.col("linked"))
        .join(text_of["source"], on="source_id", how="left")
        .join(text_of["target"], on="target_id", how="left")
        .sort([f"{side}_order", "score"], descending=[False, True], nulls_last=True)
        .select(*(("target_id", "target_text", "source_id", "source_text") if per_target
                  else ("source_id", "source_text", "target_id", "target_text")), pl.col("score").round(2))
    )


class CoveragePairSwapped(PlanAlignError):
    """The district plan was given in the city plan's place: swapping the two answers the question."""


def check_coverage_pair(city: DocumentMeta, district: DocumentMeta) -> None:
    """Refuse a coverage question asked upside down: coverage lists the city plan's items, so a
    district plan in its place would list its own tasks as "city items" and answer nothing; and
    one between two plans of one level (two years of 灞桥区, or 西安市 and 咸阳市), which has no
    city and no district."""
    if city.id == district.id:  # one plan given twice: the match says so ('Choose two different documents')
        return
    if city.level_rank == district.level_rank:
        same_place = city.jurisdiction == district.jurisdiction
        earlier, later = sorted((city, district), key=lambda meta: meta.year)
        # 神木市 registered as a city under 榆林市: a county-level city, its level to be put right
        county_city = district.parent == city.jurisdiction and city.level == "city"
        raise PlanAlignError(
            f"Coverage compares a plan with one a level below it; {city.id} and {district.id} are both "
            f"{city.level} plans" + (f" of {city.jurisdiction}: for how its tasks changed, use plan-align evolve "
                                     f"{earlier.id} {later.id}." if same_place else
                                     f" ({city.jurisdiction}, {district.jurisdiction})."
                                     + (f" {district.jurisdiction} is registered under {city.jurisdiction}: if it is a "
                                        f"county-level city, plan-align edit {district.id} --level county."
                                        if county_city else "")),
            zh=f"覆盖情况比较上下两级的文档，{city.id} 与 {district.id} 同为{LEVEL_NAMES_ZH[city.level]}文档"
               + ("；比较同一辖区的两年请用“演变”" if same_place else "")
               + (f"；{district.jurisdiction}登记在{city.jurisdiction}之下，如是县级市，请把它的层级改为 county（县级）"
                  if county_city else ""),
        )
    if city.level_rank > district.level_rank:
        return
    said = f"{city.id} is a {city.level} plan ({city.jurisdiction}) and {district.id} a {district.level} plan ({district.jurisdiction})"
    said_zh = (f"{city.id} 是{LEVEL_NAMES_ZH[city.level]}文档（{city.jurisdiction}），"
               f"{district.id} 是{LEVEL_NAMES_ZH[district.level]}文档（{district.jurisdiction}）")
    raise CoveragePairSwapped(
        f"Coverage lists the items of the higher-level plan, which comes first: {said}. "
        f"Swap them: plan-align coverage {district.id} {city.id}.",
        zh=f"覆盖情况列出上级文档的条目，上级文档应在前：{said_zh}，请交换两者",
    )


def under_another_government(lower: DocumentMeta, upper: DocumentMeta, docs: Sequence[DocumentMeta]) -> bool:
    """Whether ``lower`` is registered under a government that is not ``upper`` nor, up the registry's chain of
    parents, under it (姑苏区 → 苏州市 → 江苏省), said only as high as the chain is known: a registered place's
    parent is a level above it, and an unregistered parent named …市 of a district or county is a city. So 姑苏区
    against 厦门市's plan is said to be elsewhere, and against 浙江省's only when 苏州市 names 江苏省."""
    if not lower.parent or lower.parent == upper.jurisdiction:
        return False
    by_place = {doc.jurisdiction: doc for doc in docs}
    names, known, place = [lower.parent], None, lower.parent
    while place in by_place and by_place[place].parent and by_place[place].parent not in names:
        known, place = by_place[place].level_rank + 1, by_place[place].parent  # its parent: a level above it
        names.append(place)
    if place in by_place:  # registered, naming no parent (or naming one already met)
        known = by_place[place].level_rank
    if upper.jurisdiction in names:
        return False
    if known is None:  # the parent unregistered: only a city's name under it is read
        return (lower.parent.endswith("市") and lower.level_rank < LEVELS.index("city")
                and upper.level == "city")
    return upper.level_rank <= known


def coverage_pair_note(city: DocumentMeta, district: DocumentMeta, docs: Sequence[DocumentMeta]) -> str | None:
    """A word when the lower plan is registered under another government than the higher one
    (西咸新区's plan against 咸阳市's): it can be asked, but is seldom meant."""
    if under_another_government(district, city, docs):
        return (f"{district.id} 登记在{district.parent}之下，不属{city.jurisdiction}，{city.jurisdiction}的配额可能没有它的 "
                f"{district.id} is registered under {district.parent}, not {city.jurisdiction}; its quotas from "
                f"{city.jurisdiction} may be none.")
    return None


def match_pair_note(one: DocumentMeta, other: DocumentMeta, docs: Sequence[DocumentMeta]) -> str | None:
    """A word when a lower plan is matched with a higher one it is not registered under (姑苏区's tasks against
    厦门市's 实事): livelihood plans read alike from city to city, so such links are proposed with high scores
    (a tester's 姑苏区 → 厦门市 gave 17), and they say the tasks read alike, not that one serves the other."""
    if one.level_rank == other.level_rank:
        return None
    lower, upper = (one, other) if one.level_rank < other.level_rank else (other, one)
    if lower.parent == upper.parent or not under_another_government(lower, upper, docs):
        return None  # peers under one city (灞桥区, 西咸新区): neither is the other's higher plan
    return (f"{lower.id} 登记在{lower.parent}之下，不属{upper.jurisdiction}：链接只说明文字相近，不说明承接关系 "
            f"{lower.id} is registered under {lower.parent}, not {upper.jurisdiction}: its links say the tasks read "
            f"alike, not that one serves the other.")


def coverage_match_settings(settings: Settings) -> Settings:
    """The settings coverage matches with: the top-k district tasks per city item, as district →
    city rows (``match_documents(..., district, city)``), so each city item lists every task serving it."""
    return settings.with_changes(direction="target_to_source")


def _ruled_out(decisions: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """District → city pairs rejected (``source_id, target_id``), district tasks judged 无对应 in the city plan
    (``source_id``) and city items judged 无对应 in the district plan (``target_id``)."""
    rejected = decisions.filter(pl.col("decision") == "rejected").select("source_id", "target_id").unique()
    nones = decisions.filter(pl.col("decision") == "no_counterpart")
    return (rejected, nones.filter(pl.col("target_id").is_null()).select("source_id").unique(),
            nones.filter(pl.col("source_id").is_null()).select("target_id").unique())


def plan_coverage(
    city_items: pl.DataFrame,
    district_items: pl.DataFrame,
    matches: pl.DataFrame,
    current: pl.DataFrame,
    *,
    city: DocumentMeta,
    district: DocumentMeta,
) -> pl.DataFrame:
    """:func:`coverage_table` of one city plan and one district plan, given every decision in effect
    (``DecisionStore.current``, read once for all the district plans compared): the Coverage
    page and ``plan-align coverage`` alike. ``matches`` are matched with :func:`coverage_match_settings`."""
    # a city item's 无对应 judged the district plan as it then was: read before it is turned district → city
    digests = text_digests(city_items) | text_digests(district_items)
    confirmed = pl.col("decision") == "confirmed"  # a confirmation on changed text is kept, and marked
    on_this_text = on_current_text(current.filter(~confirmed), digests)
    # a city item ruled out against an earlier edition of the district plan: no longer applied, but said
    stale = pair_decisions(current.filter(~confirmed).join(on_this_text, on="id", how="anti"), city.id, district.id)
    rechecked = stale.filter((pl.col("decision") == "no_counterpart") & pl.col("target_id").is_null())["source_id"]
    decisions = coverage_decisions(pl.concat([current.filter(confirmed), on_this_text]), district.id, city.id)
    disputing = coverage_decisions(standing(current, digests).filter(~confirmed), district.id, city.id)
    city_items = quotas_renamed(city_items, district, city)  # 高新区 is 宝鸡高新区, in 宝鸡市's plans
    table = coverage_table(city_items, district_items, matches, decisions, district_jurisdiction=district.jurisdiction,
                           disputing=disputing)
    return table.with_columns(
        pl.when(pl.col("item_id").is_in(rechecked.implode()))
        .then(pl.concat_str(pl.col("nearest_task").fill_null(""), pl.lit("（曾判无对应，其后区级文档已改，请复核）")))
        .otherwise(pl.col("nearest_task")).alias("nearest_task")
    )


def coverage_table(
    city_items: pl.DataFrame,
    district_items: pl.DataFrame,
    matches: pl.DataFrame,
    decisions: pl.DataFrame,
    *,
    district_jurisdiction: str,
    disputing: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Each city item with the district tasks that serve it, the quota it gives the district,
    and the district tasks' own targets.

    Parameters
    ----------
    matches : candidates with ``source_id`` a district item and ``target_id`` a city item
        (``match_documents`` district → city, best with ``direction="target_to_source"``).
    decisions : decisions in effect on district → city pairs (``source_id`` district), and
        无对应 decisions (:func:`coverage_decisions`).
    disputing : the rejections and 无对应 that dispute a confirmation, where they are not those of
        ``decisions`` on the items' current text (:func:`plan_coverage`: also one on an earlier edition,
        made before the confirmation, as :meth:`DecisionStore.conflicts` counts it).

    A task the district reports on ends with its status (``〔已完成〕``, ``〔推进中〕``).
    ``status`` is ``confirmed`` when a reviewer confirmed a district task for the item and no
    reviewer rejected it; ``disputed`` when one confirmed a task another rejected (or another
    marked the item or the task 无对应, as the store's conflicts say); ``proposed`` when the matcher links one that nobody rejected;
    ``no_counterpart`` when a reviewer marked the item 无对应 in the district plan; else
    ``none``, nothing found. A task marked 无对应 in the city plan proposes nothing, a city
    item marked 无对应 is proposed nothing, and a confirmed task no longer in the district
    plan (re-issued) serves nothing.
    ``nearest_task`` is the best-scoring district task nobody rejected or marked 无对应, with
    its score (``nearest_id`` its id), so an unserved item still shows where a reviewer would
    look first.
    """
    present = district_items.select(pl.col("item_id").alias("source_id"))
    digests = text_digests(district_items) | text_digests(city_items)
    confirmed_on = decisions.filter(pl.col("decision") == "confirmed").join(present, on="source_id", how="semi")
    # a task or city item re-issued with other text since it was confirmed: shown, to be checked again
    changed = (with_text_changes(confirmed_on, digests)
               .filter(pl.col("text_changed").is_not_null()).select("source_id", "target_id").unique())
    confirmed = confirmed_on.select("source_id", "target_id").unique()
    # a rejection or 无对应 of old text rules nothing out
    rejected, serves_none, served_by_none = _ruled_out(on_current_text(decisions, digests))
    # what disputes a confirmation: those, or as given (a stale one made before it disputes it still, as the store says)
    against = (rejected, serves_none, served_by_none) if disputing is None else _ruled_out(disputing)
    disputed = pl.concat([confirmed.join(against[0], on=["source_id", "target_id"], how="semi"),
                          confirmed.join(against[1], on="source_id", how="semi"),
                          confirmed.join(against[2], on="target_id", how="semi")]).unique()
    confirmed = confirmed.join(disputed, on=["source_id", "target_id"], how="anti")
    proposed = (
        matches.filter(pl.col("linked"))
        .select("source_id", "target_id")
        .join(rejected, on=["source_id", "target_id"], how="anti")
        .join(confirmed, on=["source_id", "target_id"], how="anti")
        .join(serves_none, on="source_id", how="anti")
        .join(served_by_none, on="target_id", how="anti")
    )
    reported = {status: f" 〔{label.split()[0]}〕" for status, label in STATUS_LABELS.items()}
    district = district_items.select(
        pl.col("item_id").alias("source_id"),
        # a progress report's own word on the task (〔已完成〕) is what a 督查办 checks next
        pl.concat_str(pl.col("number"), pl.lit(" "), pl.col("text"),
                      pl.col("status").replace_strict(reported, default="").fill_null("")).alias("task"),
        joined_targets("targets").alias("task_targets"),
        pl.int_range(pl.len()).alias("plan_order"),
    )
    nearest = (
        matches.select("source_id", "target_id", "score")
        .filter(pl.col("score") >= 0.005)  # a task sharing nothing with the item (shown 0.00) is no lead
        .join(rejected, on=["source_id", "target_id"], how="anti")
        .join(serves_none, on="source_id", how="anti")
        .sort("score", descending=True)
        .group_by("target_id", maintain_order=True)
        .first()
        .join(district, on="source_id", how="left")
        .select(
            "target_id",
            # two decimals always (a score of 0.001 read (0.0) beside (0.04)): a score is 0–1, d.dd
            pl.format("{} ({})", pl.col("task"), pl.col("score").round(2).cast(pl.String).str.pad_end(4, "0"))
            .alias("nearest_task"),
            pl.col("source_id").alias("nearest_id"),
        )
    )
    links = pl.concat([
        confirmed.with_columns(kind=pl.lit("confirmed")),
        disputed.with_columns(kind=pl.lit("disputed")),
        proposed.with_columns(kind=pl.lit("proposed")),
    ]).join(district, on="source_id", how="left").join(
        changed.with_columns(changed=pl.lit(True)), on=["source_id", "target_id"], how="left"
    ).with_columns(
        pl.when(pl.col("changed")).then(pl.col("task") + "（确认后文本已改，请复核）").otherwise(pl.col("task")).alias("task")
    )
    # in the district plan's order (106 before 75 in one run and after it in the next, page and CLI apart)
    per_city = links.sort("plan_order", "source_id", nulls_last=True).group_by("target_id", maintain_order=True).agg(
        pl.col("task").filter(pl.col("kind") == "confirmed").alias("confirmed_tasks"),
        pl.col("task").filter(pl.col("kind") == "disputed").alias("disputed_tasks"),
        pl.col("task").filter(pl.col("kind") == "proposed").alias("proposed_tasks"),
        pl.col("task_targets").filter(pl.col("task_targets") != "").alias("district_targets"),
    )
    city = city_items.select(
        "item_id",
        "number",
        pl.col("section_path").list.get(1, null_on_oob=True)
        .fill_null(pl.col("section_path").list.last())
        .fill_null("（未分类）")
        .alias("category"),
        pl.when(pl.col("title").str.strip_chars() != "").then("title").otherwise("text").alias("text"),
        pl.col("quotas")
        .list.eval(pl.element().filter(pl.element().struct.field("jurisdiction") == district_jurisdiction)
                   .struct.field("raw"))
        .list.join("；")
        .alias("quota"),
        # the amounts alone as written (200个；800个；3000万元), short enough that no column cuts a number in two
        pl.col("quotas")
        .list.eval(pl.element().filter(pl.element().struct.field("jurisdiction") == district_jurisdiction))
        .map_elements(lambda quotas: "；".join(describe_quantity(q) or "" for q in quotas), return_dtype=pl.String)
        .fill_null("")
        .alias("quota_amount"),
        joined_targets("targets").alias("city_targets"),
    )
    table = (
        city.join(per_city, left_on="item_id", right_on="target_id", how="left")
        .join(nearest, left_on="item_id", right_on="target_id", how="left")
    ).with_columns(
        pl.col("confirmed_tasks").fill_null([]),
        pl.col("disputed_tasks").fill_null([]),
        pl.col("proposed_tasks").fill_null([]),
        pl.col("district_targets").fill_null([]),
    )
    ruled_out = pl.col("item_id").is_in(served_by_none["target_id"].implode())
    return table.with_columns(
        pl.when(pl.col("confirmed_tasks").list.len() > 0).then(pl.lit("confirmed"))
        .when(pl.col("disputed_tasks").list.len() > 0).then(pl.lit("disputed"))
        .when(pl.col("proposed_tasks").list.len() > 0).then(pl.lit("proposed"))
        .when(ruled_out).then(pl.lit("no_counterpart"))
        .otherwise(pl.lit("none"))
        .alias("status"),
        pl.col("district_targets").list.join("；"),
    )


def uncovered(coverage: pl.DataFrame) -> pl.DataFrame:
    """City items no district task serves (nothing found, or ruled out with 无对应), those that
    give the district a quota first: a quota with no task to deliver it is what a 督查办 must chase."""
    return coverage.filter(pl.col("status").is_in(UNSERVED)).sort(pl.col("quota") != "", descending=True,
                                                                  maintain_order=True)


def disputed_beside_status(coverage: pl.DataFrame) -> pl.DataFrame:
    """City items with a link reviewers disagree on that their status does not show, because
    another district task is confirmed for them (the 审核意见不一 count read 0 while a dispute stood)."""
    return coverage.filter((pl.col("status") != "disputed") & (pl.col("disputed_tasks").list.len() > 0))


def quotas_place_first(quotas: pl.Expr, district: DocumentMeta) -> pl.Expr:
    """A coverage row's quotas with the place and amount first (灞桥区200个（新建公(专)用充电桩）for
    新建公(专)用充电桩：灞桥区200个), for a screen whose column cuts a long cell: cut after 灞桥区20,
    the cell read as a quota of 20. The place as registered or as its city writes it (高新区)."""
    what, share = (pl.element().str.extract(r"^([^：]+)：([^：]+)$", group) for group in (1, 2))
    named = pl.any_horizontal(share.str.contains(name, literal=True)
                              for name in {district.jurisdiction, district.short_name})
    reordered = pl.when(named).then(
        pl.concat_str(share, pl.lit("（"), what, pl.lit("）"))).otherwise(pl.element())
    return quotas.str.split("；").list.eval(reordered).list.join("；")


def quotas_without_task(coverage: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """City items that give the district a quota and have no district task, in two parts: those
    still waiting for one (what a 督查办 must chase) and those a reviewer judged 无对应 (decided,
    not pending, so not said to be waiting "yet")."""
    with_quota = uncovered(coverage).filter(pl.col("quota") != "")
    return with_quota.filter(pl.col("status") == "none"), with_quota.filter(pl.col("status") == "no_counterpart")


def coverage_sheets(coverage: pl.DataFrame, district_jurisdiction: str) -> list[tuple[str, pl.DataFrame]]:
    """The Coverage page's two tables, with Chinese headers (the page adds English ones, the
    workbook for a 督查办 keeps these): every city item, read left to right as the item, where
    it stands, which tasks serve it, then the numbers; and the items no district task serves
    yet (quotas first, as :func:`uncovered`)."""
    every = coverage.select(
        pl.col("item_id").alias("市级条目"), pl.col("text").alias("任务"),
        pl.col("status").replace_strict(COVERAGE_LABELS).alias("状态"),
        pl.concat_list("confirmed_tasks", pl.col("disputed_tasks").list.eval(pl.element() + "（审核意见不一）"))
        .list.join("；\n").alias("已确认区级任务"),  # a line each in Excel; apart on the page, which shows no break
        pl.col("proposed_tasks").list.join("；\n").alias("建议区级任务"),
        pl.col("quota").alias(f"下达{district_jurisdiction}配额"),
        pl.col("district_targets").alias("区级任务目标"),
        pl.col("category").alias("分类"),
    )
    missing = uncovered(coverage).select(
        pl.col("item_id").alias("市级条目"), pl.col("category").alias("分类"), pl.col("text").alias("任务"),
        pl.col("status").replace_strict(COVERAGE_LABELS).alias("状态"),  # ruled out, or not found yet
        pl.col("quota").alias(f"下达{district_jurisdiction}配额"),
        pl.col("nearest_task").alias("最接近的区级任务（得分）"),
    )
    return [("覆盖情况", every), ("无区级对应", missing)]


def coverage_overview(tables: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Every city item against several districts at once: one status column per district plan
    (keyed by its document id), the quota the item gives that district beside its status, and
    how many of the plans serve it (``served``). A city 督查办 reads down ``served == 0`` for the
    items nobody has taken up.

    ``tables`` are :func:`coverage_table` results for one city plan, one per district plan.
    """
    if not tables:
        raise ValueError("coverage_overview needs the coverage table of at least one district plan")
    overview = next(iter(tables.values())).select("item_id", "category", "text")
    for doc_id, table in tables.items():
        shown = pl.col("status").replace_strict(COVERAGE_LABELS)
        overview = overview.join(
            table.select("item_id", pl.when(pl.col("quota") != "")
                         .then(pl.format("{}（配额 {}）", shown, pl.col("quota"))).otherwise(shown).alias(doc_id),
                         ~pl.col("status").is_in(UNSERVED).alias(f"_{doc_id}")),
            on="item_id", how="left", maintain_order="left",
        )
    served = pl.sum_horizontal(pl.col(f"_{doc_id}") for doc_id in tables).alias("served")
    return overview.with_columns(served).drop(f"_{doc_id}" for doc_id in tables)


def overview_sheet(overview: pl.DataFrame, names: Mapping[str, str]) -> tuple[str, pl.DataFrame]:
    """:func:`coverage_overview` as a named sheet with Chinese headers, each district plan's
    column named by ``names`` (document id → 灞桥区 baqiao-2023), for the page and the workbook alike."""
    # how many plans serve an item stands next to it, where a 督查办 reads down it for the 0s (at the far
    # right, after a column per district, it was off a laptop's screen)
    ordered = overview.select("item_id", "served", "category", "text", pl.exclude("item_id", "served", "category", "text"))
    return "各区覆盖", ordered.rename({"item_id": "市级条目", "category": "分类", "text": "任务",
                                     "served": "承接文档数", **names})


#: Columns of long text in :func:`coverage_sheets`, wrapped in Excel.
COVERAGE_WIDE = ("任务", "已确认区级任务", "建议区级任务", "最接近的区级任务（得分）")


def status_counts(coverage: pl.DataFrame) -> dict[str, int]:
    """City items per coverage status, in ``COVERAGE_STATUSES`` order, zeros included."""
    found = dict(coverage.group_by("status").len().iter_rows())
    return {status: found.get(status, 0) for status in COVERAGE_STATUSES}


def coverage_counts(coverage: pl.DataFrame) -> pl.DataFrame:
    """City items per category and status (``category, status, len``) for the heatmap.

    Every category meets every status, zeros included, so a column does not vanish while
    nothing is confirmed yet; categories keep the plan's own order ((一) before (二)).
    """
    categories = pl.DataFrame({"category": coverage["category"].unique(maintain_order=True)})
    return (
        categories.join(pl.DataFrame({"status": list(COVERAGE_STATUSES)}), how="cross")
        .join(coverage.group_by("category", "status").len(), on=["category", "status"], how="left")
        .with_columns(pl.col("len").fill_null(0).cast(pl.UInt32))
    )
