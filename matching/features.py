"""Evidence for a candidate pair, each a vectorised function over polars columns.

All features are in [0, 1] and 0 where the evidence is absent (empty text, no units,
no targets), so a logistic model's coefficient on each reads as "how much this kind of
evidence is worth". They are computed only on the candidates that search kept, never
on all pairs.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from align.targets import indicator_key, unit_family, unit_without_span
from matching.text import NO_SYNONYMS, Synonyms, entities, tokenize, topical_text

# Evidence computed for every candidate (shown to the planner).
EVIDENCE: tuple[str, ...] = (
    "char_cosine",
    "word_cosine",
    "context_cosine",
    "clause_cosine",
    "own_clause_cosine",
    "containment",
    "relative_containment",
    "relative_retrieval",
    "top_candidate",
    "same_jurisdiction",
    "fuzz_token_set",
    "fuzz_partial",
    "unit_agreement",
    "quantity_family",
    "indicator_match",
    "quota_for_source",
    "shared_entities",
    "indicator_conflict",
    "quota_matches_task",
)
# Not evidence about the two texts but a prior of the document pair: two years of one
# government carry most tasks forward, so any link between them is likelier (reasons skip it).
PAIR_PRIORS: tuple[str, ...] = ("same_jurisdiction",)
# Structured signals, each rare on its own, pooled into one feature so that the model
# estimates one weight from tens of labels instead of four noisy ones.
STRUCTURED: tuple[str, ...] = ("quantity_family", "indicator_match", "quota_for_source", "shared_entities")
# Shown to the planner but not weighed: weighing the token-set ratio did not raise repeated
# grouped-CV F1 (it fell, by less than its spread); the plain best clause pair is weighed as its
# unrivalled part (own_clause_cosine), which leaves out a clause another candidate matches better
# and raised F1 by two points. The figures, and the model they were measured against, are in the
# README's Measured quality.
SHOWN_ONLY: tuple[str, ...] = ("fuzz_token_set", "fuzz_partial", "clause_cosine")
# Rules, not weighed but a fixed number of log-odds in the score (matching.scoring.RULE_LOGITS),
# for evidence the dev gold cannot weigh. Against a link: two headline rates about different
# indicators (服务业增加值 vs 规模以上工业增加值) read alike and are never one task. For one: the
# upper plan's quota for the lower plan's jurisdiction is the very number the lower plan commits
# to (历下区25个 and 改造老旧小区25个), which the dev gold's one city plan never shows.
RULES: tuple[str, ...] = ("indicator_conflict", "quota_matches_task")
# What the link model weighs: the evidence less what is pooled, only shown or a rule, plus the pool.
FEATURES: tuple[str, ...] = (
    *(f for f in EVIDENCE if f not in STRUCTURED and f not in SHOWN_ONLY and f not in RULES),
    "structured_evidence",
)

FEATURE_LABELS: dict[str, str] = {
    "char_cosine": "字面相似 (char TF-IDF)",
    "word_cosine": "词语相似 (word TF-IDF)",
    "context_cosine": "与实施方案相似 (attachment)",
    "clause_cosine": "分句最相似·含他项更近者 (best clause pair, also where another target matches it better)",
    "own_clause_cosine": "分句最相似 (best clause pair)",
    "containment": "源任务被覆盖比例 (containment)",
    "relative_containment": "覆盖程度接近最佳目标 (relative containment)",
    "relative_retrieval": "与最相近候选相比 (relative to the nearest candidate)",
    "top_candidate": "是最相近的候选 (the nearest candidate)",
    "same_jurisdiction": "同一辖区逐年对照 (same jurisdiction)",
    "fuzz_token_set": "词集重合 (token set)",
    "fuzz_partial": "标题片段匹配 (partial)",
    "unit_agreement": "责任部门一致",
    "quantity_family": "同类数量目标",
    "indicator_match": "同一指标",
    "quota_for_source": "上级给本辖区下达配额",
    "shared_entities": "共同专名 (项目/工程/品牌)",
    "structured_evidence": "结构化证据 (数量/指标/配额/专名)",
    "indicator_conflict": "指标不同 (different headline indicators)",
    "quota_matches_task": "配额与任务数相符 (quota = the task's number)",
    "intercept": "基线 (intercept)",
}


def _item_side(items: pl.DataFrame, prefix: str, words: frozenset[str], synonyms: Synonyms) -> pl.DataFrame:
    """Per-item attributes the pair features need, computed once per item (not per pair)."""
    texts = items["text"].fill_null("").to_list()
    titles = items["title"].fill_null("").to_list()
    targets = items["targets"].to_list()
    quotas = items["quotas"].to_list() if "quotas" in items.columns else [[] for _ in texts]
    return pl.DataFrame(
        {
            "item_id": items["item_id"].to_list(),
            "tokens": [" ".join(sorted(set(tokenize(t, words, synonyms)))) for t in texts],
            "title": titles,
            "text": texts,
            "unit_keys": items["unit_keys"].to_list() if "unit_keys" in items.columns else [[] for _ in texts],
            "families": [sorted({unit_family(t["unit"]) for t in ts or []} - {"percent"}) for ts in targets],
            "indicators": [
                [f"{unit_family(t['unit'])}|{t['indicator']}" for t in ts or [] if t.get("indicator")] for ts in targets
            ],
            "quota_places": [sorted({q["jurisdiction"] for q in qs or []}) for qs in quotas],
            "quota_counts": [quota_counts(qs, ts) for qs, ts in zip(quotas, targets)],
            "amounts": [sorted({amount_key(t) for t in ts or [] if unit_family(t["unit"]) != "percent"}) for ts in targets],
            "entities": [sorted(entities(t, words)) for t in texts],
            "rates": [headline_rates(t, ts) for t, ts in zip(texts, targets)],
        },
        schema_overrides={"unit_keys": pl.List(pl.String), "families": pl.List(pl.String),
                          "indicators": pl.List(pl.String), "quota_places": pl.List(pl.String),
                          "quota_counts": pl.List(pl.String), "amounts": pl.List(pl.String),
                          "entities": pl.List(pl.String), "rates": pl.List(pl.String)},
    ).rename(lambda c: c if c == "item_id" else f"{prefix}{c}")


def amount_key(target: dict) -> str:
    """``25|个|改造老旧小区``: a number, its measure word and what it counts; a rate's span left out (the district's
    5万吨/日 of capacity meets its quota 历下区5万吨, which names none)."""
    return f"{target['value']:.12g}|{unit_without_span(target)}|{target.get('indicator') or ''}"


def quota_counts(quotas: list[dict] | None, targets: list[dict] | None) -> list[str]:
    """``历下区|25|个|…``: each quota with what it counts, told by the quota's own words and by the
    item's targets in its measure word (历下区3处 of 新建、改造提升农贸市场30处)."""
    out = set()
    for quota in quotas or []:
        counted = [_without_place(quota["raw"], quota["jurisdiction"])]
        counted += [t.get("indicator") or "" for t in targets or [] if t["unit"] == quota["unit"]]
        out.add(f"{quota['jurisdiction']}|{amount_key(quota | {'indicator': ' '.join(counted)})}")
    return sorted(out)


def _without_place(text: str, place: str) -> str:
    """``text`` less the place, as the plan wrote it: 高新区 in a quota renamed 咸阳高新区 (its 高新 met 高新技术企业)."""
    for cut in range(max(1, len(place) - 2)):  # 乾县 whole; 咸阳高新区, 阳高新区, 高新区
        if place[cut:] in text:
            return text.replace(place[cut:], " ")
    return text


# What a count's words say beside the thing counted: the action (新建, 改造提升), and heads and modifiers any
# facility has (服务中心, 标准化, 公共). Left in, 新建 made 新建2所公办托育机构 meet a city's kindergartens, and
# 服务中心 made 街道党群服务中心 meet 社区卫生服务中心; where a facility is (社区, 城市) is no more the thing.
_ACTION_OR_NUMBER = (r"新建|新增|建设|建成|改扩建|扩建|改造|提升|提质|升级|完成|实施|整治|治理|打造|推进|开展|创建|培育|开工|"
                     r"启动|加快|推动|落实|实现|达到|累计|全年|年内|其中|含|各|\d[\d.,]*\s*[\u4e00-\u9fff]?")
_NOT_THE_THING = re.compile(
    _ACTION_OR_NUMBER + r"|服务中心|中心|服务|设施|项目|工程|平台|标准化|示范|综合|智慧|公共|城市|城区|社区|街道|全区|全市|"
    r"区级|市级|省级|国家级|机构|企业|管网|管道|活动|赛事|场所|基地|载体|主体|单位")
_ONLY_THE_ACTION = re.compile(_ACTION_OR_NUMBER)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _thing(text: str, *, plain: bool = False) -> list[str]:
    """The runs of a count's words that name the thing counted (菜市场 of 完成3处菜市场标准化升级改造); ``plain``:
    only the action and number set aside, for a name that is nothing but such words (社区服务中心)."""
    return _CJK_RUN.findall((_ONLY_THE_ACTION if plain else _NOT_THE_THING).sub(" ", text))


def _alike(one: str, other: str) -> bool:
    """Whether two counts' words name a like thing: a two-character word in common (市场 of 菜市场 and 农贸市场), or
    one name inside the other with a character between at most (街巷 in 背街小巷, not 公园 in 公办幼儿园). A name
    made only of words any facility has (智慧社区) meets only a name holding it whole, as written."""
    first, second = _thing(one), _thing(other)
    if not first or not second:  # the whole name as written within the other's, a word added (智慧社区 ~ 智慧化社区,
        plain = _thing(one, plain=True), _thing(other, plain=True)  # 社区服务中心 ~ 社区综合服务中心; not 社区食堂)
        return any(_within(a, b, gap=2) or _within(b, a, gap=2) for a in plain[0] for b in plain[1])
    bigrams = [{run[i:i + 2] for run in runs for i in range(len(run) - 1)} for runs in (first, second)]
    if bigrams[0] & bigrams[1]:
        return True
    return any(_within(short, long) or _within(long, short) for short in first for long in second)


def _within(short: str, long: str, *, gap: int = 1) -> bool:
    """``short`` (two characters at least) written in ``long`` in its order, ``gap`` characters between at most each time."""
    if len(short) < 2 or len(short) > len(long):
        return False
    return re.search(f".{{0,{gap}}}".join(map(re.escape, short)), long) is not None


def quota_met(quotas: list[str] | None, amounts: list[str] | None, place: str,
              synonyms: Synonyms = NO_SYNONYMS) -> tuple[str, str] | None:
    """The quota for ``place`` (``历下区|25|个|…``) and the amount (``25|个|…``) that meets it, if any.

    A quota meets an amount in the same number and measure word that counts a like thing (:func:`_alike`, with
    ``synonyms`` read as one term: 长者餐厅 is a 老年食堂), so that 新建创新平台5个 does not meet a district's
    five pocket parks, nor 完成3处老旧小区改造提升 its three markets.
    """
    if not place:
        return None
    for quota in quotas or []:
        quota_place, value, unit, counted = quota.split("|", 3)
        if quota_place != place:
            continue
        for amount in amounts or []:
            amount_value, amount_unit, indicator = amount.split("|", 2)
            if (amount_value, amount_unit) == (value, unit) and _alike(synonyms.read(indicator), synonyms.read(counted)):
                return quota, amount
    return None


def _indicator_similarity(left: list[list[str]], right: list[list[str]]) -> np.ndarray:
    """Best fuzzy similarity of two items' indicators within one unit family (0–1)."""
    out = np.zeros(len(left))
    for i, (a_list, b_list) in enumerate(zip(left, right)):
        best = 0.0
        for a in a_list or []:
            family_a, _, name_a = a.partition("|")
            for b in b_list or []:
                family_b, _, name_b = b.partition("|")
                if family_a == family_b and name_a and name_b:
                    best = max(best, fuzz.token_set_ratio(list(name_a), list(name_b)) / 100.0)
        out[i] = best
    return out


_CONTENT_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def headline_rates(text: str | None, targets: list[dict] | None, *, min_share: float = 0.6) -> list[str]:
    """The rate indicators an item is about, when stating them is all the item does.

    Government work reports open with headline rates (地区生产总值增长7%左右,
    服务业增加值增长8%以上); such an item is its indicator and nothing else, so two of
    them about different indicators are different commitments however alike they read.
    An item whose rate is one clause among others (``…年内60%的行政村污水得到有效治理``)
    is about more than the rate and gives ``[]``. Content is counted on the topical text
    (numbers and qualifiers removed), as the char n-grams see it.
    """
    rates = [t["indicator"] for t in targets or [] if t.get("indicator") and unit_family(t.get("unit")) == "percent"]
    content = len(_CONTENT_CHAR.findall(topical_text(text or "")))
    if not rates or sum(len(r) for r in rates) < min_share * max(content, 1):
        return []
    return [key for key in (indicator_key(r) for r in rates) if key]


def _rates_conflict(left: list[list[str]], right: list[list[str]]) -> np.ndarray:
    """1 where both items are headline rates and no indicator of one matches one of the other.

    Two indicator names match when one contains the other (碳排放强度 in 单位GDP碳排放强度)
    or they are near-identical (农村居民人均纯收入 ~ 农村居民人均可支配收入, a renamed series; 规上 ~
    规模以上工业增加值), unless they count different people: 城镇居民 and 农村居民人均可支配收入.
    """
    out = np.zeros(len(left))
    for i, (a_list, b_list) in enumerate(zip(left, right)):
        if a_list and b_list:
            agree = any(a in b or b in a or fuzz.ratio(a, b) >= 75 and _same_people(a, b) for a in a_list for b in b_list)
            out[i] = 0.0 if agree else 1.0
    return out


# Whom a per-person indicator counts; two names that open with different ones are two series.
_PEOPLE = re.compile(r"^(城镇|农村|城乡|城市|全体)")


def _same_people(a: str, b: str) -> bool:
    left, right = _PEOPLE.match(a), _PEOPLE.match(b)
    return not (left and right and left.group(1) != right.group(1))


def pair_features(
    candidates: pl.DataFrame,
    source_items: pl.DataFrame,
    target_items: pl.DataFrame,
    *,
    source_jurisdiction: str = "",
    target_jurisdiction: str = "",
    words: frozenset[str] = frozenset(),
    synonyms: Synonyms = NO_SYNONYMS,
    source_best: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Add every column of :data:`EVIDENCE` and ``structured_evidence`` to a candidate table.

    ``candidates`` needs ``source_id, target_id, retrieval``, the component cosines and
    containment of :func:`~matching.candidates.candidate_search` (with its
    ``best_containment``), ``clause_cosine`` and ``own_clause_cosine``.
    ``source_jurisdiction`` is the source document's jurisdiction,
    looked for among the target's district quotas; with ``target_jurisdiction`` it also
    sets ``same_jurisdiction`` (1 for two plans of one government); ``synonyms`` are read as one
    term where a quota is compared with a task's count. ``source_best`` (``source_id,
    best_retrieval, best_target``) gives each source's best target over all targets;
    by default it is read from the candidates, which is right whenever each source's
    top-1 is among them (search from the source side).
    """
    if candidates.height == 0:
        return candidates.with_columns(
            [pl.lit(0.0).alias(f) for f in (*EVIDENCE, "structured_evidence") if f not in candidates.columns]
        )
    source = _item_side(source_items.filter(pl.col("item_id").is_in(candidates["source_id"].unique().implode())), "s_", words, synonyms)
    target = _item_side(target_items.filter(pl.col("item_id").is_in(candidates["target_id"].unique().implode())), "t_", words, synonyms)
    if source_best is None:
        source_best = (
            candidates.sort("retrieval", descending=True)
            .group_by("source_id")
            .agg(pl.col("retrieval").first().alias("best_retrieval"), pl.col("target_id").first().alias("best_target"))
        )
    candidates = candidates.join(source_best.select("source_id", "best_retrieval", "best_target"), on="source_id", how="left")
    pairs = candidates.join(source.rename({"item_id": "source_id"}), on="source_id", how="left").join(
        target.rename({"item_id": "target_id"}), on="target_id", how="left"
    )
    token_set = cpdist(pairs["s_tokens"].to_list(), pairs["t_tokens"].to_list(), scorer=fuzz.token_set_ratio, workers=1)
    partial = cpdist(pairs["t_title"].to_list(), pairs["s_text"].to_list(), scorer=fuzz.partial_ratio, workers=1)
    indicator = _indicator_similarity(pairs["s_indicators"].to_list(), pairs["t_indicators"].to_list())
    pairs = pairs.with_columns(
        (pl.col("retrieval") / pl.col("best_retrieval")).clip(0.0, 1.0).fill_nan(0.0).fill_null(0.0)
        .alias("relative_retrieval"),
        (pl.col("containment") / pl.col("best_containment")).clip(0.0, 1.0).fill_nan(0.0).fill_null(0.0)
        .alias("relative_containment"),
        # a target tied with the best (one item written twice in a plan) is top as well: the tie
        # was broken by row order, so one copy was proposed and the other, identical, was not
        ((pl.col("target_id") == pl.col("best_target")) | (pl.col("retrieval") >= pl.col("best_retrieval") - 1e-6))
        .fill_null(False).cast(pl.Float64).alias("top_candidate"),
        pl.Series("fuzz_token_set", np.asarray(token_set, dtype=np.float64) / 100.0),
        pl.Series("fuzz_partial", np.asarray(partial, dtype=np.float64) / 100.0),
        (pl.col("s_unit_keys").list.set_intersection(pl.col("t_unit_keys")).list.len() > 0)
        .cast(pl.Float64).alias("unit_agreement"),
        (pl.col("s_families").list.set_intersection(pl.col("t_families")).list.len() > 0)
        .cast(pl.Float64).alias("quantity_family"),
        pl.Series("indicator_match", indicator),
        pl.Series("indicator_conflict", _rates_conflict(pairs["s_rates"].to_list(), pairs["t_rates"].to_list())),
        pl.lit(float(bool(source_jurisdiction) and source_jurisdiction == target_jurisdiction))
        .alias("same_jurisdiction"),
        # a quota in one plan naming the other plan's jurisdiction, whichever document is the source
        (pl.col("t_quota_places").list.contains(pl.lit(source_jurisdiction)).fill_null(False)
         | pl.col("s_quota_places").list.contains(pl.lit(target_jurisdiction)).fill_null(False))
        .cast(pl.Float64).alias("quota_for_source"),
        # the quota a plan gives the other plan's jurisdiction, in the other plan's own number and measure word
        pl.Series("quota_matches_task", _quotas_met(pairs, source_jurisdiction, target_jurisdiction, synonyms)),
        (pl.col("s_entities").list.set_intersection(pl.col("t_entities")).list.len().clip(0, 3) / 3.0)
        .cast(pl.Float64).alias("shared_entities"),
    )
    helper_columns = [c for c in pairs.columns if c.startswith(("s_", "t_", "best_"))]
    pairs = pairs.drop(helper_columns).with_columns([pl.col(f).fill_null(0.0) for f in EVIDENCE])
    return pairs.with_columns((pl.sum_horizontal(STRUCTURED) / len(STRUCTURED)).alias("structured_evidence"))


def _quotas_met(pairs: pl.DataFrame, source_jurisdiction: str, target_jurisdiction: str, synonyms: Synonyms) -> np.ndarray:
    """1 where one plan's quota for the other plan's jurisdiction is an amount that plan commits to."""
    if source_jurisdiction == target_jurisdiction:
        return np.zeros(pairs.height)
    columns = ("s_quota_counts", "s_amounts", "t_quota_counts", "t_amounts")
    rows = zip(*(pairs[c].to_list() for c in columns))
    return np.array([
        float(bool(quota_met(t_quotas, s_amounts, source_jurisdiction, synonyms)
                   or quota_met(s_quotas, t_amounts, target_jurisdiction, synonyms)))
        for s_quotas, s_amounts, t_quotas, t_amounts in rows
    ], dtype=np.float64)


def shared_entities(source_text: str, target_text: str, words: frozenset[str]) -> list[str]:
    """The named entities two texts share, for explanations."""
    return sorted(entities(source_text, words) & entities(target_text, words))
