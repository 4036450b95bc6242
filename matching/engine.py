"""Matching two documents end to end: search, features, scores, decisions, reasons.

``match_items`` is the core (two item tables in, one candidate table out; pure when given its
word list and model, which it otherwise reads from the data folder and the shipped weights);
``match_documents`` adds the registry, the Parquet cache of results (so adding a
document scores only its new pairs) and the settings.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import polars as pl

from align.exceptions import PlanAlignError
from align.files import source_digest, write_atomic
from align.ingest import load_items, read_cached_table
from align.items import quotas_renamed
from align.registry import DocumentMeta, get_document
from align.settings import Settings
from matching.assignment import one_to_one
from matching.candidates import (
    CLAUSE_RIVALS,
    clause_evidence,
    context_texts,
    fit_index,
    item_texts,
    pair_cosines,
    search_in_blocks,
)
from matching.explain import reasons
from matching.features import EVIDENCE, pair_features
from matching.scoring import LinkModel, default_model, model_for
from matching.text import Synonyms, corpus_terms, load_dictionary, load_synonyms

#: The code that matches (and the parsing helpers it calls): a cached result is never served to
#: another release, whose features or rules may score the same pair differently.
MATCHER_CODE = source_digest(Path(__file__).parent, Path(__file__).parents[1] / "align")
#: Cached results kept per document pair (other settings, other models); older ones are removed.
CACHED_PER_PAIR = 4
OUTPUT_COLUMNS = ["source_id", "target_id", "rank", "score", "linked", "retrieval", *EVIDENCE, "structured_evidence"]


def vocabulary(source_items: pl.DataFrame, target_items: pl.DataFrame, data_dir: Path | None = None) -> frozenset[str]:
    """The jieba user words for a pair: the dictionary file plus both documents' quoted terms."""
    texts = item_texts(source_items) + item_texts(target_items) + context_texts(target_items)
    base = load_dictionary(data_dir) if data_dir is not None else load_dictionary()
    return frozenset(base) | corpus_terms(texts)


#: The columns of an item table the matcher reads (``align.ITEM_SCHEMA`` has them all).
MATCHED_COLUMNS = ("item_id", "title", "text", "targets", "unit_keys")


def check_item_tables(source_items: pl.DataFrame, target_items: pl.DataFrame) -> None:
    """Two item tables the matcher can read, or a :class:`PlanAlignError` saying what is wrong with them: a
    missing column, an empty target plan or one without text, ids repeated or shared (a plan matched with
    itself), each of which failed deep inside polars or scikit-learn, or returned nothing, or too much."""
    for side, items in (("source", source_items), ("target", target_items)):
        if missing := [column for column in MATCHED_COLUMNS if column not in items.columns]:
            raise PlanAlignError(f"The {side} item table lacks the column(s) {', '.join(missing)}: read plans with "
                                 "align.load_items or align.parse_file, whose tables have every column.",
                                 zh=f"{'源' if side == 'source' else '目标'}条目表缺少列 {'、'.join(missing)}")
        if repeated := items.filter(pl.col("item_id").is_duplicated())["item_id"].unique().sort().to_list():
            raise PlanAlignError(f"The {side} item table repeats item id(s) {', '.join(repeated[:5])}: a plan's "
                                 "table stacked twice?", zh=f"条目编号重复：{'、'.join(repeated[:5])}")
    if target_items.is_empty() or target_items["text"].fill_null("").str.strip_chars().eq("").all():
        raise PlanAlignError("The target item table has no item with text: there is nothing to match against.",
                             zh="目标文档没有含文字的条目，无从匹配")
    if shared := source_items.join(target_items, on="item_id", how="semi")["item_id"].head(3).to_list():
        raise PlanAlignError(f"Both item tables hold {', '.join(shared)}: a plan matched with itself? Match two "
                             "documents.", zh="源与目标是同一文档，请选择两个不同的文档")


def match_items(
    source_items: pl.DataFrame,
    target_items: pl.DataFrame,
    *,
    source_jurisdiction: str = "",
    target_jurisdiction: str = "",
    settings: Settings | None = None,
    model: LinkModel | None = None,
    one_to_one_pairs: bool = False,
    words: frozenset[str] | None = None,
    synonyms: Synonyms | None = None,
) -> pl.DataFrame:
    """Candidates, features, scores and reasons for two item tables.

    With ``settings.direction == "target_to_source"`` the top-k is taken per target item
    (a city item lists every district task that serves it); features and scores are
    the same either way. Pure given ``words``, ``synonyms`` and ``model``; left out, they are read
    from ``settings``' data folder (its word and synonym lists) and the shipped weights file.
    """
    check_item_tables(source_items, target_items)
    settings = settings or Settings()
    model = model or default_model()
    words = words if words is not None else vocabulary(source_items, target_items, settings.data_dir)
    synonyms = synonyms if synonyms is not None else load_synonyms(settings.data_dir)
    index = fit_index(source_items, target_items, words=words, synonyms=synonyms)
    source_best = None
    if settings.direction == "source_to_target":
        candidates = search_in_blocks(source_items, index, top_k=settings.top_k, block_size=settings.block_size)
        rivals = (candidates.filter(pl.col("rank") <= CLAUSE_RIVALS) if settings.top_k >= CLAUSE_RIVALS
                  else search_in_blocks(source_items, index, top_k=CLAUSE_RIVALS, block_size=settings.block_size))
        group = "source_id"
    else:
        reverse = fit_index(target_items, source_items, words=words, synonyms=synonyms)
        found = search_in_blocks(target_items, reverse, top_k=settings.top_k, block_size=settings.block_size)
        pairs = found.select(pl.col("target_id").alias("source_id"), pl.col("source_id").alias("target_id"))
        candidates = pair_cosines(pairs, source_items, index)
        rivals = search_in_blocks(source_items, index, top_k=CLAUSE_RIVALS, block_size=settings.block_size)
        source_best = rivals.filter(pl.col("rank") == 1).select(
            "source_id", pl.col("retrieval").alias("best_retrieval"), pl.col("target_id").alias("best_target")
        )
        group = "target_id"
    candidates = pl.concat(
        [candidates, clause_evidence(candidates, rivals, source_items, target_items, index)], how="horizontal"
    )
    features = pair_features(
        candidates, source_items, target_items, source_jurisdiction=source_jurisdiction,
        target_jurisdiction=target_jurisdiction, words=words, synonyms=synonyms,
        source_best=source_best,
    )
    scored = model.score(features).with_columns(
        (pl.col("score") >= model.threshold).alias("linked"),
    )
    scored = scored.sort([group, "score"], descending=[False, True]).with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over(group).alias("rank")
    )
    if one_to_one_pairs:
        scored = one_to_one(scored, threshold=settings.one_to_one_threshold)
    scored = scored.with_columns(
        pl.Series("reasons", reasons(scored, source_items, target_items, words=words, synonyms=synonyms,
                                     source_jurisdiction=source_jurisdiction), dtype=pl.String),
        pl.lit(model.version).alias("engine_version"),
    )
    order = {item_id: i for i, item_id in enumerate((source_items if group == "source_id" else target_items)["item_id"].to_list())}
    scored = scored.with_columns(pl.col(group).replace_strict(order, default=len(order)).alias("_order"))
    scored = scored.sort(["_order", "rank"]).drop("_order")
    extra = [c for c in scored.columns if c not in OUTPUT_COLUMNS]
    return scored.select(OUTPUT_COLUMNS + extra)


def _result_key(settings: Settings, model: LinkModel, source_id: str, target_id: str, parts: list[str]) -> str:
    """What a pair's scores depend on; not the thresholds, which :func:`_decided` applies to a cached result
    (moving the cut-off on the Threshold page recomputed every pair)."""
    payload = json.dumps([source_id, target_id, parts, settings.match_key, model.weights_key, MATCHER_CODE],
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _decided(result: pl.DataFrame, model: LinkModel, settings: Settings) -> pl.DataFrame:
    """A cached result's decisions at the model's and the settings' thresholds now: ``linked``, the
    one-to-one ``assigned`` where the pair has it, and the engine version that names the threshold."""
    decided = result.with_columns((pl.col("score") >= model.threshold).alias("linked"),
                                  pl.lit(model.version).alias("engine_version"))
    if "assigned" in decided.columns:
        decided = one_to_one(decided.drop("assigned"), threshold=settings.one_to_one_threshold).select(result.columns)
    return decided


def _prune(cache: Path) -> None:
    """Keep the pair's few latest cached results: each new model or setting wrote one more file. Another
    process may prune the same pair at once, so a file gone meanwhile is no error."""
    def written(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    pair = cache.name.split(".", 1)[0]
    older = sorted(cache.parent.glob(f"{pair}.*.parquet"), key=written, reverse=True)
    for path in older[CACHED_PER_PAIR:]:
        path.unlink(missing_ok=True)


def _read_cached_result(path: Path) -> pl.DataFrame | None:
    """A cached match result, or ``None`` when there is none, it is damaged or lacks a column (a miss)."""
    frame = read_cached_table(path)
    return frame if frame is not None and set(OUTPUT_COLUMNS) <= set(frame.columns) else None


def fitted_the_other_way(source: DocumentMeta, target: DocumentMeta) -> bool:
    """Whether the model reads this pair target → source (a city plan given as the source).

    The link model was fitted with the lower level (``LEVELS`` runs from the bottom up) or,
    within one level, the earlier year as the source; two plans of one level and one year (two
    districts' plans) are read in the order of their ids, so that either order is one reading.

    The relative features (best candidate, relative retrieval and containment) are taken
    per source item, so without this a city-first match would ask each city item for its
    best district task and propose other links than the district-first match of the
    same two documents.
    """
    if source.level_rank != target.level_rank:  # validated levels
        return source.level_rank > target.level_rank
    return (source.year, source.id) > (target.year, target.id)


def pair_items(settings: Settings, source: DocumentMeta, target: DocumentMeta) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both plans' items as a match reads them: a quota under the name the quota's plan gives the other
    government (高新区 for 宝鸡高新区). Training reads them so too, or it fits other numbers than it scores."""
    return (quotas_renamed(load_items(settings, source.id), target, source),
            quotas_renamed(load_items(settings, target.id), source, target))


def swap_sides(result: pl.DataFrame) -> pl.DataFrame:
    """A result read target → source, given back with the caller's source and target columns."""
    return result.rename({"source_id": "target_id", "target_id": "source_id"}).select(result.columns)


def match_documents(
    settings: Settings,
    source_id: str,
    target_id: str,
    *,
    model: LinkModel | None = None,
    one_to_one_pairs: bool | None = None,
    use_cache: bool = True,
) -> pl.DataFrame:
    """Match two registered documents; results are cached per content, settings and model.

    A new document or year adds new pairs only: results of pairs whose documents did not
    change are read back from the cache, and decisions live in the store, untouched.
    Without a ``model``, the data folder's adopted model applies, else the shipped one.
    Either order of two documents gives the same links and scores: a pair the model reads
    the other way (:func:`fitted_the_other_way`) is matched that way, ranked per the
    caller's source item, and handed back with the caller's columns.
    """
    result = _matched(settings, source_id, target_id, model=model, one_to_one_pairs=one_to_one_pairs,
                      use_cache=use_cache, cached_only=False)
    assert result is not None  # computed when not cached
    return result


def cached_match(settings: Settings, source_id: str, target_id: str) -> pl.DataFrame | None:
    """The pair's match as :func:`match_documents` cached it, or None: never a new match (a decision
    recorded on the command line looks up the score the planner saw, and waits for no match)."""
    return _matched(settings, source_id, target_id, model=None, one_to_one_pairs=None, use_cache=True, cached_only=True)


def _matched(
    settings: Settings, source_id: str, target_id: str, *, model: LinkModel | None, one_to_one_pairs: bool | None,
    use_cache: bool, cached_only: bool,
) -> pl.DataFrame | None:
    if source_id == target_id:  # every item would be its own best link: an answer that says nothing
        raise PlanAlignError(
            f"Choose two different documents: {source_id} was given as both source and target.",
            zh=f"请选择两个不同的文档：{source_id} 同时被作为源文档和目标文档",
        )
    model = model or model_for(settings.data_dir)
    source_meta = get_document(settings.data_dir, source_id)
    target_meta = get_document(settings.data_dir, target_id)
    if fitted_the_other_way(source_meta, target_meta):
        flipped = settings.with_changes(
            direction="target_to_source" if settings.direction == "source_to_target" else "source_to_target"
        )
        turned = _matched(flipped, target_id, source_id, model=model, one_to_one_pairs=one_to_one_pairs,
                          use_cache=use_cache, cached_only=cached_only)
        return None if turned is None else swap_sides(turned)
    source_items, target_items = pair_items(settings, source_meta, target_meta)
    if one_to_one_pairs is None:
        one_to_one_pairs = source_meta.jurisdiction == target_meta.jurisdiction
    words = vocabulary(source_items, target_items, settings.data_dir)
    synonyms = load_synonyms(settings.data_dir)
    key_parts = [  # what the result depends on besides settings and model
        hashlib.sha256(source_items.write_ipc(None).getvalue()).hexdigest()[:12],
        hashlib.sha256(target_items.write_ipc(None).getvalue()).hexdigest()[:12],
        str(one_to_one_pairs),
        # the quota and same-jurisdiction evidence read the registered names, which a planner may correct
        source_meta.jurisdiction,
        target_meta.jurisdiction,
        # and the words jieba keeps whole (the planner's word list and both documents' quoted terms)
        hashlib.sha256("\n".join(sorted(words)).encode()).hexdigest()[:12],
        synonyms.digest(),  # and the synonyms it reads as one term
    ]
    cache = Path(settings.cache_dir) / "matches" / f"{source_id}__{target_id}.{_result_key(settings, model, source_id, target_id, key_parts)}.parquet"
    if use_cache and (cached := _read_cached_result(cache)) is not None:
        return _decided(cached, model, settings)
    if cached_only:
        return None
    result = match_items(
        source_items,
        target_items,
        source_jurisdiction=source_meta.jurisdiction,
        target_jurisdiction=target_meta.jurisdiction,
        settings=settings,
        model=model,
        one_to_one_pairs=one_to_one_pairs,
        words=words,
        synonyms=synonyms,
    )
    if use_cache:
        write_atomic(cache, result.write_parquet)
        _prune(cache)
    return result
