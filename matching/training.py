"""Labelled candidates from gold files or from a planner's decisions, and fitting the model.

Gold files are named ``<source document>__<target document>.csv``. The training rows are
the candidates of labelled source items (top-k per source with a generous k), labelled
positive where the gold grades them 2; the model is refit from these, or from the
confirmed (positive) and rejected (negative) decisions in the store.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from align.exceptions import PlanAlignError
from align.ingest import load_items
from align.items import doc_of_column, text_digests
from align.registry import get_document
from align.settings import BUNDLED_DATA, Settings
from align.store import flipped, on_current_text
from matching.engine import fitted_the_other_way, match_items, pair_items, swap_sides, vocabulary
from matching.evaluate import (
    best_threshold,
    check_gold_pair,
    cross_validate,
    label_candidates,
    load_gold,
    metrics_table,
)
from matching.scoring import LinkModel, fit_model, model_for, untrained_model

TRAINING_TOP_K = 30
DEFAULT_C = 0.1
MIN_DECISIONS, MIN_EACH = 20, 5  # decided links a refit needs, and of each verdict
CV_REPEATS = 10  # random splits of the sources into 5 folds; the tables report their mean


def gold_files(gold_dir: Path) -> list[tuple[str, str, Path]]:
    files = []
    for path in sorted(Path(gold_dir).glob("*__*.csv")):
        source, _, target = path.stem.partition("__")
        files.append((source, target, path))
    if not files:
        raise PlanAlignError(
            f"{gold_dir}: no gold files named <source>__<target>.csv.", zh="标注文件夹里没有“源__目标.csv”这样的文件"
        )
    return files


def candidates_for_pair(settings: Settings, source_id: str, target_id: str, model: LinkModel | None = None) -> pl.DataFrame:
    """All evidence columns for a document pair, with a generous top-k for training and evaluation.

    Without a ``model`` the scores come from the untrained cosine model: fitting needs
    only the features, and must work even when the shipped weights predate a feature.
    The features are those ``match`` computes: read the way the model reads the pair
    (:func:`~matching.engine.fitted_the_other_way`), per source item whatever
    ``PLAN_ALIGN_DIRECTION`` says, with its items read as ``match`` reads them
    (:func:`~matching.engine.pair_items`: 高新区 is 西安高新区's quota).
    """
    source_meta, target_meta = get_document(settings.data_dir, source_id), get_document(settings.data_dir, target_id)
    if fitted_the_other_way(source_meta, target_meta):
        return swap_sides(candidates_for_pair(settings, target_id, source_id, model))
    source_items, target_items = pair_items(settings, source_meta, target_meta)
    return match_items(
        source_items,
        target_items,
        source_jurisdiction=source_meta.jurisdiction,
        target_jurisdiction=target_meta.jurisdiction,
        settings=settings.with_changes(top_k=max(settings.top_k, TRAINING_TOP_K), direction="source_to_target"),
        model=model or untrained_model(),
        words=vocabulary(source_items, target_items, settings.data_dir),
    )


def labelled_from_gold(settings: Settings, gold_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Labelled candidates of every gold file, stacked, and the stacked gold."""
    labelled, golds = [], []
    for source_id, target_id, path in gold_files(gold_dir):
        gold = load_gold(path)
        check_gold_pair(gold, source_id, target_id, path)
        candidates = candidates_for_pair(settings, source_id, target_id)
        labelled.append(label_candidates(candidates, gold).with_columns(pl.lit(path.stem).alias("pair")))
        golds.append(gold.with_columns(pl.lit(path.stem).alias("pair")))
    return pl.concat(labelled, how="diagonal_relaxed"), pl.concat(golds)


def fit_from_gold(settings: Settings, gold_dir: Path, *, c: float = DEFAULT_C) -> tuple[LinkModel, pl.DataFrame]:
    """Fit the link model on gold; the threshold and the reported metrics come from grouped CV.

    Returns the model (weights fitted on all labelled rows, threshold = best F1 cut-off
    of the out-of-fold scores) and the CV table (model and plain-cosine baselines on
    the same folds), for all gold files together and for each one.
    """
    labelled, gold = labelled_from_gold(settings, gold_dir)
    results = cross_validate(
        labelled, c=c, baselines={"cosine (char)": "char_cosine", "retrieval cosine": "retrieval"}, repeats=CV_REPEATS
    )
    tables = [metrics_table(results, gold).with_columns(pl.lit("all").alias("pair"))]
    for pair in labelled["pair"].unique(maintain_order=True):
        rows = pl.Series(np.tile((labelled["pair"] == pair).to_numpy(), CV_REPEATS))
        per_pair = {name: frame.filter(rows) for name, frame in results.items()}
        tables.append(metrics_table(per_pair, gold.filter(pl.col("pair") == pair)).with_columns(pl.lit(pair).alias("pair")))
    table = pl.concat(tables).select("pair", pl.exclude("pair"))
    model_row = table.filter((pl.col("method") == "model") & (pl.col("pair") == "all")).row(0, named=True)
    # the engine version says "dev-gold" only of the bundled gold: evaluate's in-sample note rests on it
    trained_on = "dev-gold" if Path(gold_dir).resolve() == (BUNDLED_DATA / "gold").resolve() else "gold"
    return _fit_final(labelled, results["model"], model_row, c=c, trained_on=trained_on), table


def _fit_final(rows: pl.DataFrame, out_of_fold: pl.DataFrame, cv_row: dict, *, c: float, trained_on: str,
               prior: LinkModel | None = None) -> LinkModel:
    """Weights fitted on every labelled row; the threshold is the best-F1 cut-off of the
    out-of-fold scores of all repeats, and the metrics are the cross-validation row."""
    y = (rows["grade"].to_numpy() >= 2).astype(int)
    threshold = best_threshold(out_of_fold["score"].to_numpy(), np.tile(y, CV_REPEATS))
    model = fit_model(rows, y, c=c, threshold=threshold, trained_on=trained_on, prior=prior)
    cv = {k: v for k, v in cv_row.items() if k not in ("method", "pair")}
    metrics = {"cross_validation": cv, "folds": 5, "repeats": CV_REPEATS, "C": c}
    return LinkModel(**{**model.__dict__, "metrics": metrics})


def decisions_as_gold(decided: pl.DataFrame) -> pl.DataFrame:
    """Confirmed links as grade-2 gold; every decided source is labelled, so rejections count."""
    links = decided.filter(pl.col("decision") == "confirmed").select(
        "source_id", "target_id", pl.lit(2, dtype=pl.Int64).alias("grade")
    )
    sources = decided.select("source_id").unique().with_columns(
        pl.lit(None, dtype=pl.String).alias("target_id"), pl.lit(0, dtype=pl.Int64).alias("grade")
    )
    return pl.concat([links, sources]).with_columns(
        pl.lit(None, dtype=pl.String).alias("change"), pl.lit(None, dtype=pl.String).alias("note")
    )


def _the_models_way(settings: Settings, decided: pl.DataFrame) -> pl.DataFrame:
    """Decisions judged from the city side (xian-2024:4 → baqiao-2023:75) turned the way the
    model reads their pair (:func:`~matching.engine.fitted_the_other_way`), so each is scored
    as ``match`` scores it: the relative features are taken per source item."""
    turned = [
        (source_doc, target_doc)
        for source_doc, target_doc in decided.select("source_doc", "target_doc").unique().iter_rows()
        if fitted_the_other_way(get_document(settings.data_dir, source_doc), get_document(settings.data_dir, target_doc))
    ]
    if not turned:
        return decided
    flip = pl.concat_str("source_doc", pl.lit(" "), "target_doc").is_in([f"{s} {t}" for s, t in turned])
    return pl.concat([decided.filter(~flip), flipped(decided.filter(flip))])


def fit_from_decisions(
    settings: Settings, decisions: pl.DataFrame, *, c: float = DEFAULT_C, current: LinkModel | None = None
) -> tuple[LinkModel, pl.DataFrame]:
    """Refit from a planner's decisions: confirmed pairs positive, rejected pairs negative.

    Measured like the shipped model: cross-validation grouped by source item sets the
    threshold and the reported numbers, beside the ``current`` model (default: the one
    the data folder uses now) and the plain char cosine on the same
    decisions, so a planner sees whether the refit is worth adopting.
    """
    decided = decisions.filter(pl.col("decision").is_in(["confirmed", "rejected"]) & pl.col("target_id").is_not_null())
    pairs = _the_models_way(settings, decided.with_columns(
        doc_of_column("source_id").alias("source_doc"),
        doc_of_column("target_id").alias("target_doc"),
    ))
    if "id" in pairs.columns:  # one label per pair, its latest decision, as the Threshold page counts it:
        # two reviewers agreeing trained on the pair twice, a confirm and a later rejection on both labels
        pairs = pairs.sort("id").unique(["source_id", "target_id"], keep="last", maintain_order=True)
    confirmed = pairs.filter(pl.col("decision") == "confirmed").height
    # the threshold is the best cut-off of the decisions' out-of-fold scores: 14 decisions, 11 of
    # them confirmed top candidates, set it where every candidate passed
    if pairs.height < MIN_DECISIONS or min(confirmed, pairs.height - confirmed) < MIN_EACH:
        raise PlanAlignError(
            f"Too few decisions to refit: need at least {MIN_DECISIONS} confirmed or rejected links, {MIN_EACH} "
            f"of each, a link counted once by its latest decision (there are {confirmed} confirmed and "
            f"{pairs.height - confirmed} rejected).",
            zh=f"审核结论太少，无法重新拟合：至少需要 {MIN_DECISIONS} 条确认或否决的链接，两种各至少 {MIN_EACH} 条，"
               f"每条链接按其最新决定计一次（现有确认 {confirmed} 条、否决 {pairs.height - confirmed} 条）",
        )
    frames = []
    stale = 0
    for (source_doc, target_doc), group in pairs.group_by("source_doc", "target_doc"):
        if {"source_digest", "target_digest"} <= set(group.columns):
            # a decision on text a re-issued plan no longer holds labels a pair that is not there
            digests = text_digests(load_items(settings, source_doc)) | text_digests(load_items(settings, target_doc))
            kept = on_current_text(group, digests)
            stale += group.height - kept.height
            group = kept
        candidates = candidates_for_pair(settings, source_doc, target_doc)
        decided_cols = ["source_id", "target_id", "decision", *(["id"] if "id" in group.columns else [])]
        frames.append(candidates.join(group.select(decided_cols), on=["source_id", "target_id"]))
    rows = pl.concat(frames).with_columns(
        pl.when(pl.col("decision") == "confirmed").then(2).otherwise(0).cast(pl.Int64).alias("grade")
    )
    y = (rows["grade"].to_numpy() >= 2).astype(int)
    if len(np.unique(y)) < 2:
        raise PlanAlignError(
            "The decided links among the candidates are all confirmed or all rejected; decide some of each.",
            zh="候选中已审核的链接全是确认或全是否决，请两种都审核一些",
        )
    # pulled towards the current model, not towards 0: decisions are few and fall on the candidates
    # it ranked high, so on their own they cannot tell how much the text matters (see fit_model)
    current = current or model_for(settings.data_dir)
    results = cross_validate(rows, c=c, baselines={"cosine (char)": "char_cosine"}, repeats=CV_REPEATS, prior=current)
    table = _beside_current(rows, results, current)
    refit_row = table.filter(pl.col("method") == "refit (CV)").row(0, named=True)
    model = _fit_final(rows, results["model"], refit_row, c=c, trained_on="decisions", prior=current)
    metrics = {**model.metrics, "decisions": rows.height, "decisions_on_changed_text": stale}
    if "id" in rows.columns:  # the next refit measures this model only on decisions made after these
        metrics["last_decision_id"] = int(rows["id"].max())  # type: ignore[arg-type]
    return LinkModel(**{**model.__dict__, "metrics": metrics}), table


#: The refit's cross-validated row on just the decisions the current model is measured on.
REFIT_ON_CURRENTS_DECISIONS = "refit (CV), same decisions"


def _beside_current(rows: pl.DataFrame, results: dict[str, pl.DataFrame], current: LinkModel) -> pl.DataFrame:
    """The refit's table: its cross-validation and the char cosine on every decision, and the
    current model on the decisions it was not fitted on.

    A model refit from decisions earlier was fitted on those, so scoring it on them again is
    in-sample and it wins (F1 0.80 against the refit's fair 0.76): after one adoption no refit
    would ever be adopted. It is measured on the decisions made since (``last_decision_id``),
    beside the refit's out-of-fold scores of the same decisions; none since: no row.
    """
    fresh = rows
    if current.trained_on == "decisions":
        since = current.metrics.get("last_decision_id")
        fresh = rows.filter(pl.col("id") > since) if since is not None and "id" in rows.columns else rows.clear()
    gold = decisions_as_gold(rows.select("source_id", "target_id", "decision"))
    table = metrics_table({"refit (CV)": results["model"], "cosine (char)": results["cosine (char)"]}, gold)
    if not (fresh["grade"] >= 2).any():  # nothing the current model is measured on fairly
        return table
    scored = current.score(fresh).select("source_id", "target_id", "score",
                                         (pl.col("score") >= current.threshold).alias("linked"))
    fresh_gold = decisions_as_gold(fresh.select("source_id", "target_id", "decision"))
    if fresh.height == rows.height:
        current_rows = metrics_table({"current model": scored}, fresh_gold)
        return pl.concat([table.head(1), current_rows, table.tail(1)])
    same = results["model"].join(fresh.select("source_id", "target_id"), on=["source_id", "target_id"], how="semi")
    return pl.concat([table, metrics_table({REFIT_ON_CURRENTS_DECISIONS: same, "current model": scored}, fresh_gold)])


def adoption_warning(table: pl.DataFrame) -> tuple[str, str] | None:
    """Why a refit should not replace the current model (in English and Chinese), if it should not:
    on the decisions the current model was not fitted on, the refit measures a lower F1.

    The CLI refuses such a refit without ``--force``; the Threshold page says it beside Adopt.
    """
    f1 = dict(table.select("method", "f1").iter_rows())
    if "current model" not in f1:
        return None
    refit = f1.get(REFIT_ON_CURRENTS_DECISIONS, f1["refit (CV)"])
    if refit >= f1["current model"]:
        return None
    return (f"the refit measures F1 {refit:.3f} against the current model's {f1['current model']:.3f} on the "
            "same decisions",
            f"在同一批决定上，重新拟合的 F1 为 {refit:.3f}，低于当前模型的 {f1['current model']:.3f}")
