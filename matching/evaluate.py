"""Measuring links against hand-labelled gold, and the learned scorer against plain cosine.

Gold files have ``source_id, target_id, grade[, change], note``: grade 2 is a direct
link, 1 a related one, 0 marks a source item with no counterpart. Only labelled source
items count: an unlisted pair of a labelled source is a negative, an unlabelled source
is ignored. The learned scorer is measured by cross-validation grouped by source item
(every fold holds out whole source items), never in-sample, and beside the plain cosine
it replaces on the same folds.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from align.exceptions import DocumentParseError, PlanAlignError
from align.items import doc_of_column
from align.readers import decode_text
from matching.scoring import LinkModel, fit_model

GOLD_SCHEMA = {"source_id": pl.String, "target_id": pl.String, "grade": pl.Int64, "change": pl.String, "note": pl.String}


def read_table_file(path: str | Path, what: tuple[str, str], *, parquet: bool = True, whole_rows: bool = False,
                    **csv_options) -> pl.DataFrame:
    """A CSV (in any encoding a planner's spreadsheet saves: UTF-8, GBK …) or Parquet file as a
    frame; a missing file, a folder or an unreadable one is a one-line error naming ``what``
    (in English and Chinese), as is a CSV row with more columns than its header. ``whole_rows``: a row
    with fewer is refused too (a file plan-align wrote, where a short row is a cut one), not read with
    the rest empty."""
    path, (name, name_zh) = Path(path), what
    if path.is_dir():  # polars would read every file inside and stack them
        raise PlanAlignError(f"{path}: is a folder; give the {name} file.", zh=f"{path} 是文件夹，请给出{name_zh}文件")
    if not path.is_file():
        raise PlanAlignError(f"{path}: no such file.", zh=f"找不到{name_zh}文件 {path.name}")
    try:
        if path.suffix.lower() == ".parquet":
            if not parquet:
                raise PlanAlignError(f"{path}: the {name} must be a CSV file.", zh=f"{name_zh}须为 CSV 文件")
            return pl.read_parquet(path)
        text = decode_text(path.read_bytes(), path=path)
        _check_row_widths(text, path, whole_rows=whole_rows)
        # what is past the header's columns is empty now (checked above), and polars would refuse it
        return pl.read_csv(io.StringIO(text), truncate_ragged_lines=True, **csv_options)
    except (OSError, pl.exceptions.PolarsError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__  # polars adds lines of hints
        raise PlanAlignError(f"{path}: cannot read the {name} ({reason}).", zh=f"无法读取{name_zh}文件 {path.name}") from exc


def _check_row_widths(text: str, path: Path, *, whole_rows: bool) -> None:
    """Refuse a CSV row with more fields than the header, or with fewer (``whole_rows``), naming its line.

    A comma typed in a gold note (``…,2,充电站,停车位``) gave polars' "found more fields than defined
    in 'Schema'" over two lines and no line, where the README promises the line; and polars fills a
    short row's missing fields with nulls, so a candidates file cut off mid-row (copied or saved before
    it was whole) was scored as if it were whole: F1 0.0, exit 0. Empty cells past the header's (a
    trailing comma a spreadsheet leaves) hold nothing and are let through.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        width = len(next((row for row in reader if row), []))  # blank lines above the header are skipped, as polars does
        header_at = reader.line_num
        begins = header_at + 1  # the line the next row begins on: a quoted cell may span lines
        for row in reader:
            filled = len(row) - next((i for i, cell in enumerate(reversed(row)) if cell.strip()), len(row))
            if filled > width:
                raise DocumentParseError(
                    f"this row has {filled} columns but the header at line {header_at} has {width}: a comma inside "
                    'a cell (a note, say) splits it, unless the cell is in double quotes ("充电站,停车位").',
                    path=path, line=begins,
                    zh=f"这一行有 {filled} 列，表头（第 {header_at} 行）只有 {width} 列：单元格（如备注）里的逗号会把它分开，"
                       "请把整个单元格放在英文双引号内（\"充电站,停车位\"）",
                )
            if whole_rows and row and len(row) < width:  # a blank line is an empty row, named by the callers
                raise DocumentParseError(
                    f"this row has {len(row)} of the header's {width} fields: it is cut short, as in a file cut off "
                    "while it was written or copied. Give the whole file.",
                    path=path, line=begins,
                    zh=f"这一行只有 {len(row)} 个字段，表头有 {width} 个：这一行不完整，文件可能在写入或复制时被截断，请提供完整的文件",
                )
            begins = reader.line_num + 1
    except csv.Error:  # a file csv cannot read (a NUL, a cell over its size limit): polars says what is wrong
        return


def load_gold(path: str | Path) -> pl.DataFrame:
    """Read a gold CSV; missing optional columns are added empty."""
    frame = read_table_file(path, ("gold file", "标注"), parquet=False, infer_schema=False)
    missing = {"source_id", "target_id", "grade"} - set(frame.columns)
    if missing:
        raise PlanAlignError(
            f"{path}: the gold file lacks the column(s) {', '.join(sorted(missing))}.",
            zh=f"标注文件缺少列 {'、'.join(sorted(missing))}",
        )
    for column in GOLD_SCHEMA:
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(column))
    # A grade that is not 0, 1 or 2 would otherwise count as "no counterpart" without a word.
    bad = frame.with_row_index("line", offset=2).filter(
        ~pl.col("grade").str.strip_chars().is_in(["0", "1", "2"]).fill_null(False)
        | pl.col("source_id").str.strip_chars().fill_null("").eq("")
    )
    if bad.height:
        shown = ", ".join(f"line {line} ({grade!r})" for line, grade in bad.select("line", "grade").head(3).iter_rows())
        raise PlanAlignError(
            f"{path}: {bad.height} row(s) need a source_id and a grade of 0, 1 or 2: {shown}"
            f"{', …' if bad.height > 3 else ''}.",
            zh=f"标注文件有 {bad.height} 行缺少 source_id，或等级不是 0、1、2",
        )
    if frame.height == 0:
        raise PlanAlignError(f"{path}: the gold file has no rows.", zh="标注文件是空的")
    gold = frame.with_row_index("line", offset=2).select(
        pl.col("line"),
        pl.col("source_id").str.strip_chars(),
        pl.col("target_id").str.strip_chars().replace("", None),
        pl.col("grade").str.strip_chars().cast(pl.Int64),
        pl.col("change"),
        pl.col("note"),
    )
    _check_gold_links(gold, path)
    return gold.drop("line")


def _check_gold_links(gold: pl.DataFrame, path: str | Path) -> None:
    """Fail on a link without a target, or a pair given two grades: both were read without a word (a link
    with no target as "no counterpart", so blanking every grade-2 target gave P/R/F1 0; two grades as the
    larger), and the metrics measured something the labeller did not write."""
    unlinked = gold.filter((pl.col("grade") >= 1) & pl.col("target_id").is_null())
    if unlinked.height:
        lines = unlinked["line"].to_list()
        shown = ", ".join(f"line {line} ({source})" for line, source in unlinked.select("line", "source_id").head(5).iter_rows())
        raise PlanAlignError(
            f"{path}: {unlinked.height} row(s) grade a link (1 or 2) but give no target_id: {shown}"
            f"{', …' if unlinked.height > 5 else ''}. Give the target item, or grade 0 for an item with no counterpart.",
            zh=f"标注文件有 {unlinked.height} 行等级为 1 或 2 却没有 target_id（第 {'、'.join(map(str, lines[:5]))} 行），"
               "请填写目标条目；没有对应条目的请标 0",
        )
    twice = (
        gold.filter(pl.col("target_id").is_not_null())
        .group_by("source_id", "target_id", maintain_order=True)
        .agg(pl.col("line"), pl.col("grade"))
        .filter(pl.col("grade").list.n_unique() > 1)
    )
    if twice.height:
        source, target, lines, grades = twice.row(0)
        both = " and ".join(f"line {line} (grade {grade})" for line, grade in zip(lines, grades))
        raise PlanAlignError(
            f"{path}: {twice.height} pair(s) are labelled twice with different grades, e.g. {source} → {target} at "
            f"{both}. Keep one grade per pair.",
            zh=f"标注文件中有 {twice.height} 对条目被标了不同的等级，如 {source} → {target}"
               f"（第 {'、'.join(map(str, lines))} 行），每对只能有一个等级",
        )


def check_gold_pair(gold: pl.DataFrame, source_doc: str, target_doc: str, path: str | Path) -> None:
    """Fail unless every gold row links ``source_doc`` items to ``target_doc`` items.

    Gold of another pair shares no item with the candidates, so without this check it
    would score every method 0 instead of saying the files do not belong together.
    """
    sources = set(gold.select(doc_of_column("source_id"))["source_id"].unique().to_list())
    targets = set(gold.select(doc_of_column("target_id"))["target_id"].drop_nulls().unique().to_list())
    if sources != {source_doc} or not targets <= {target_doc}:
        found = f"{'/'.join(sorted(sources))} → {'/'.join(sorted(targets)) or '(no links)'}"
        turned = sources == {target_doc} and targets <= {source_doc}
        hint = f" Match that way round: plan-align match {target_doc} {source_doc} --out FILE." if turned else ""
        raise PlanAlignError(
            f"{path}: the gold labels {found}, not {source_doc} → {target_doc}.{hint}",
            zh=f"标注文件标的是 {found}，不是 {source_doc} → {target_doc}" + ("，请按标注的方向运行 match" if turned else ""),
        )


def label_candidates(candidates: pl.DataFrame, gold: pl.DataFrame) -> pl.DataFrame:
    """Candidates of labelled source items with their gold ``grade`` (0 where unlisted)."""
    labelled = gold["source_id"].unique().implode()
    links = gold.filter(pl.col("target_id").is_not_null()).group_by("source_id", "target_id").agg(pl.col("grade").max())
    return (
        candidates.filter(pl.col("source_id").is_in(labelled))
        .join(links, on=["source_id", "target_id"], how="left")
        .with_columns(pl.col("grade").fill_null(0))
    )


@dataclass(frozen=True)
class Metrics:
    precision: float
    recall: float
    f1: float
    precision_related: float
    recall_related: float
    f1_related: float
    recall_at_1: float
    recall_at_5: float
    mrr: float
    links: int
    predicted: int

    def row(self, name: str) -> dict:
        return {"method": name, **{k: round(v, 3) if isinstance(v, float) else v for k, v in self.__dict__.items()}}


def _prf(predicted: set, truth: set) -> tuple[float, float, float]:
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def metrics(scored: pl.DataFrame, gold: pl.DataFrame, *, score: str = "score", linked: str = "linked") -> Metrics:
    """Precision/recall/F1 of ``linked`` against grade-2 and grade ≥ 1 links, and ranking metrics.

    Ranks are recomputed from ``score`` within each source item; a gold link missing
    from the candidates counts as not found (rank infinity).
    """
    labelled = set(gold["source_id"].to_list())
    rows = scored.filter(pl.col("source_id").is_in(list(labelled)))
    rows = rows.with_columns(pl.col(score).rank("ordinal", descending=True).over("source_id").alias("_rank"))
    links = gold.filter(pl.col("target_id").is_not_null())
    direct = {(s, t) for s, t, g in links.select("source_id", "target_id", "grade").iter_rows() if g >= 2}
    related = {(s, t) for s, t, g in links.select("source_id", "target_id", "grade").iter_rows() if g >= 1}
    predicted = {(s, t) for s, t in rows.filter(pl.col(linked)).select("source_id", "target_id").iter_rows()}
    p2, r2, f2 = _prf(predicted, direct)
    p1, r1, f1_related = _prf(predicted, related)
    rank_of = {(s, t): r for s, t, r in rows.select("source_id", "target_id", "_rank").iter_rows()}
    ranks = [rank_of.get(pair, np.inf) for pair in direct]
    first_hit: dict[str, float] = {}
    for (source, _), rank in zip(direct, ranks):
        first_hit[source] = min(first_hit.get(source, np.inf), rank)
    return Metrics(
        precision=p2, recall=r2, f1=f2,
        precision_related=p1, recall_related=r1, f1_related=f1_related,
        recall_at_1=float(np.mean([r <= 1 for r in ranks])) if ranks else 0.0,
        recall_at_5=float(np.mean([r <= 5 for r in ranks])) if ranks else 0.0,
        mrr=float(np.mean([1.0 / r for r in first_hit.values()])) if first_hit else 0.0,
        links=len(direct),
        predicted=len(predicted),
    )


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The cut-off with the best F1 on these scores (used on training folds only).

    Every distinct score is tried as a cut-off, counted with sorted arrays rather than a pass
    over all scores per cut-off: the refit tries tens of thousands of scores on a large pair.
    Of equally good cut-offs the lowest wins.
    """
    cuts = np.unique(scores[~np.isnan(scores)])
    positives = labels.sum()
    if len(cuts) == 0 or positives == 0:
        return 0.5
    ordered = np.sort(scores)
    ordered_links = np.sort(scores[labels == 1])
    chosen = len(ordered) - np.searchsorted(ordered, cuts, side="left") - np.isnan(scores).sum()
    hits = len(ordered_links) - np.searchsorted(ordered_links, cuts, side="left")
    hits = hits - np.isnan(scores[labels == 1]).sum()
    # 2·hits / (chosen + positives) is F1 in one division: equal F1s compare equal (6/9 and 4/6), where
    # 2PR / (P + R) left them a rounding apart and a higher cut-off could win a tie
    f1 = 2 * hits / (chosen + positives)
    return float(cuts[int(np.argmax(f1))])


def group_folds(groups: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """A fold number per row such that all rows of a group share a fold (groups shuffled by ``seed``)."""
    unique = np.unique(groups)
    order = np.random.default_rng(seed).permutation(len(unique))
    fold_of = dict(zip(unique[order], np.arange(len(unique)) % folds))
    return np.array([fold_of[g] for g in groups])


def cross_validate(
    labelled: pl.DataFrame,
    *,
    folds: int = 5,
    c: float = 1.0,
    baselines: dict[str, str] | None = None,
    include_model: bool = True,
    repeats: int = 1,
    seed: int = 0,
    prior: LinkModel | None = None,
) -> dict[str, pl.DataFrame]:
    """Out-of-fold scores for the learned model and for single-score baselines.

    ``labelled`` is :func:`label_candidates` output with every feature column. Folds are
    grouped by ``source_id``. Each baseline is a column used as the score; its
    threshold, like the model's, is chosen on the training folds only. With tens of
    labels one split of the sources into folds moves F1 by several points, so
    ``repeats`` draws that many splits. Returns the out-of-fold table per method
    (``repeat``, ``source_id``, ``target_id``, ``score``, ``linked``; one block of rows
    per repeat). A ``prior`` model is what each fold's fit is pulled towards (see :func:`fit_model`).
    """
    baselines = baselines or {}
    groups = labelled["source_id"].to_numpy()
    y = (labelled["grade"].to_numpy() >= 2).astype(int)
    n_groups = len(np.unique(groups))
    if n_groups < 2:
        raise PlanAlignError(
            "Cross-validation needs at least two labelled source items.", zh="交叉验证至少需要两个已标注的源条目"
        )
    linked_sources = labelled.filter(pl.col("grade") >= 2)["source_id"].n_unique()
    if linked_sources < 2:  # a fold without a direct link in its training part cannot be scored at all
        raise PlanAlignError(
            f"Cross-validation needs direct links (grade 2) from at least two source items; the labels have "
            f"{linked_sources}. Label more links.",
            zh=f"交叉验证至少需要两个源条目有直接链接（等级 2），现有 {linked_sources} 个，请多标注一些",
        )
    folds = min(folds, n_groups)
    names = [*(["model"] if include_model else []), *baselines]
    keys = labelled.select("source_id", "target_id")
    blocks: dict[str, list[pl.DataFrame]] = {name: [] for name in names}
    for repeat in range(repeats):
        fold_of = group_folds(groups, folds, seed + repeat)
        out_scores = {name: np.zeros(labelled.height) for name in names}
        out_linked = {name: np.zeros(labelled.height, dtype=bool) for name in names}
        for fold in range(folds):
            train, test = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
            if len(test) == 0:
                continue
            if len(np.unique(y[train])) < 2:  # its rows would be scored 0 and ranked by row order
                raise PlanAlignError(
                    f"Too few direct links to cross-validate: in one split every source item with a direct link "
                    f"(grade 2; {linked_sources} of them) fell into one fold, leaving the others nothing to learn "
                    "from. Label more links.",
                    zh=f"直接链接太少，无法交叉验证：有直接链接的 {linked_sources} 个源条目落在同一折里，请多标注一些",
                )
            train_frame, test_frame = labelled[train], labelled[test]
            if include_model:
                model = fit_model(train_frame, y[train], c=c, prior=prior)
                cut = best_threshold(model.score(train_frame)["score"].to_numpy(), y[train])
                test_scores = model.score(test_frame)["score"].to_numpy()
                out_scores["model"][test] = test_scores
                out_linked["model"][test] = test_scores >= cut
            for name, column in baselines.items():
                cut = best_threshold(train_frame[column].to_numpy(), y[train])
                values = test_frame[column].to_numpy()
                out_scores[name][test] = values
                out_linked[name][test] = values >= cut
        for name in names:
            blocks[name].append(
                keys.with_columns(pl.Series("score", out_scores[name]), pl.Series("linked", out_linked[name]))
                .with_columns(pl.lit(repeat, dtype=pl.Int32).alias("repeat"))
                .select("repeat", "source_id", "target_id", "score", "linked")
            )
    return {name: pl.concat(frames) for name, frames in blocks.items()}


def metrics_table(results: dict[str, pl.DataFrame], gold: pl.DataFrame) -> pl.DataFrame:
    """One row of :class:`Metrics` per method; over repeated splits, their mean and ``f1_sd``."""
    rows = []
    for name, frame in results.items():
        if "repeat" not in frame.columns:
            rows.append({**metrics(frame, gold).row(name), "f1_sd": 0.0})
            continue
        per_repeat = pl.DataFrame(
            [metrics(part, gold).row(name) for _, part in frame.group_by("repeat", maintain_order=True)]
        )
        mean = per_repeat.drop("method").mean().row(0, named=True)
        rows.append({
            "method": name,
            **{k: round(v, 3) if k not in ("links", "predicted") else round(v) for k, v in mean.items()},
            "f1_sd": round(float(np.std(per_repeat["f1"].to_numpy())), 3),
        })
    return pl.DataFrame(rows)
