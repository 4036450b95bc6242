"""``plan-align match``, ``evaluate`` and ``fit-weights``: argument parsing and printing only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polars as pl

from align.cli import print_table, settings_from_args
from align.exceptions import PlanAlignError
from align.files import write_atomic
from align.settings import DIRECTIONS, Settings

MATCH_COLUMNS = ["source_id", "target_id", "rank", "score", "linked"]


def write_candidates(result: pl.DataFrame, out: Path) -> None:
    """The candidate table as FILE.parquet, or FILE.csv for a spreadsheet (its reasons quote task text)."""
    from align.export import write_spreadsheet_csv

    if out.is_dir():
        raise PlanAlignError(f"--out {out} is a folder. Give a file name: --out {out / 'links.csv'}.",
                             zh="--out 指向的是文件夹，请给出文件名")
    if out.suffix.lower() == ".parquet":
        write_atomic(out, result.write_parquet)
    elif out.suffix.lower() == ".csv":
        write_atomic(out, lambda tmp: write_spreadsheet_csv(result, tmp))
    else:
        raise PlanAlignError(
            f"Unsupported output '{out.suffix}'. Use --out FILE.csv or FILE.parquet.",
            zh="输出文件名应以 .csv 或 .parquet 结尾",
        )


def cmd_match(args: argparse.Namespace) -> None:
    from align.ingest import load_items
    from align.registry import load_registry
    from matching.engine import match_documents
    from matching.features import EVIDENCE
    from matching.review import match_pair_note, proposed_links
    from matching.text import dictionary_warnings, synonym_warnings

    settings = settings_from_args(args, top_k=args.top_k, direction=args.direction)
    model = _model(args, settings)
    for warning in dictionary_warnings(settings.data_dir) + synonym_warnings(settings.data_dir):  # lines not used
        print(f"warning: {warning}", file=sys.stderr)
    result = match_documents(settings, args.source, args.target, model=model)
    docs = {doc.id: doc for doc in load_registry(settings.data_dir)}
    if note := match_pair_note(docs[args.source], docs[args.target], list(docs.values())):
        print(f"note: {note}", file=sys.stderr)
    columns = MATCH_COLUMNS + ["retrieval", *EVIDENCE, "structured_evidence", "reasons", "engine_version"]
    result = result.select([c for c in columns if c in result.columns] + (["assigned"] if "assigned" in result.columns else []))
    if not args.out:
        if args.all:
            print_table(result.select("source_id", "target_id", "rank", "score", "linked", "reasons"))
            return
        source_items, target_items = load_items(settings, args.source), load_items(settings, args.target)
        links = proposed_links(result, source_items, target_items, per_target=settings.direction == "target_to_source")
        print_table(links)
        print(
            f"{links.height} links proposed for {links['source_id'].n_unique()} of "
            f"{source_items.height} {args.source} items, reaching {links['target_id'].n_unique()} of "
            f"{target_items.height} {args.target} items. --all prints every candidate; "
            "--out FILE.csv writes them with their features."
        )
        return
    out = Path(args.out)
    write_candidates(result, out)
    linked = result.filter(pl.col("linked")).height
    print(f"wrote {result.height} candidates ({linked} linked) to {out}")


def _model(args: argparse.Namespace, settings: Settings):
    from matching.scoring import LinkModel, model_for

    model = LinkModel.load(args.weights) if getattr(args, "weights", None) else model_for(settings.data_dir)
    if getattr(args, "threshold", None) is not None:
        if not 0.0 <= args.threshold <= 1.0:
            raise PlanAlignError(
                f"The '--threshold' must be in [0, 1]. Got {args.threshold} instead.",
                zh=f"阈值 --threshold 应在 0 到 1 之间，现为 {args.threshold}",
            )
        model = type(model)(**{**model.__dict__, "threshold": args.threshold})
    return model


def _read_candidates(path: Path) -> pl.DataFrame:
    from matching.evaluate import read_table_file

    frame = read_table_file(path, ("candidates", "候选"), whole_rows=True, infer_schema_length=10000)
    missing = {"source_id", "target_id", "score", "linked"} - set(frame.columns)
    if missing:
        raise PlanAlignError(
            f"{path}: the candidates lack column(s) {', '.join(sorted(missing))}; write them with 'plan-align match --out'.",
            zh=f"候选文件缺少列 {'、'.join(sorted(missing))}，请用 plan-align match --out 生成",
        )
    linked = pl.col("linked").cast(pl.String).str.strip_chars().str.to_lowercase()
    typed = frame.with_columns(
        pl.when(linked.is_in(["true", "1"])).then(True).when(linked.is_in(["false", "0"])).then(False).alias("linked"),
        pl.col("score").cast(pl.Float64, strict=False),
    )
    bad = typed.with_row_index("index").filter(pl.col("linked").is_null() | pl.col("score").is_null())
    if bad.height:
        index = int(bad["index"][0])
        first = frame.row(index, named=True)
        parquet = path.suffix.lower() == ".parquet"
        number = index + 1 if parquet else index + 2  # a CSV's line 1 is its header
        where = f"row {number}" if parquet else f"line {number}"
        raise PlanAlignError(
            f"{path}: {bad.height} row(s) need a numeric score and linked true/false, e.g. {where} "
            f"(score {first['score']!r}, linked {first['linked']!r}).",
            zh=f"候选文件有 {bad.height} 行的分数不是数字或 linked 不是 true/false，如第 {number} 行",
        )
    endless = typed.with_row_index("index").filter(pl.col("score").is_nan() | pl.col("score").is_infinite())
    if endless.height:  # ranked by row order: R@1 and MRR measured the file's order, not the scores
        parquet = path.suffix.lower() == ".parquet"
        numbers = [index + 1 if parquet else index + 2 for index in endless["index"].head(5)]
        shown = ", ".join(f"{'row' if parquet else 'line'} {number}" for number in numbers)
        raise PlanAlignError(
            f"{path}: {endless.height} row(s) have a score that is not a finite number (nan or inf): {shown}"
            f"{', …' if endless.height > 5 else ''}. Give the output of 'plan-align match --out' as written.",
            zh=f"候选文件有 {endless.height} 行的分数不是有限数（nan 或 inf），如第 {'、'.join(map(str, numbers))} 行",
        )
    repeated = typed.filter(pl.struct("source_id", "target_id").is_duplicated())
    if repeated.height:  # two match runs stacked: the ranks would be read from whichever came last
        first = repeated.row(0, named=True)
        raise PlanAlignError(
            f"{path}: {repeated.height} rows repeat a candidate pair, e.g. {first['source_id']} → {first['target_id']}. "
            "Give the output of one 'plan-align match --out' run.",
            zh=f"候选文件中有 {repeated.height} 行重复的候选对，请用一次 plan-align match --out 的输出",
        )
    return typed


def _check_gold_items(gold: pl.DataFrame, source_items: pl.DataFrame, target_items: pl.DataFrame, path: str) -> None:
    """Fail on a gold id that is no item of its document: a typo would count as a missed link."""
    known = set(source_items["item_id"]) | set(target_items["item_id"])
    unknown = sorted({i for i in [*gold["source_id"], *gold["target_id"].drop_nulls()] if i not in known})
    if unknown:
        raise PlanAlignError(
            f"{path}: {len(unknown)} id(s) are no item of their document: {', '.join(unknown[:5])}"
            f"{', …' if len(unknown) > 5 else ''}. Check them with 'plan-align items DOC'.",
            zh=f"标注文件中有 {len(unknown)} 个条目编号在文档中不存在，如 {unknown[0]}",
        )


def _warn_of_uncovered_sources(candidates: pl.DataFrame, gold: pl.DataFrame, path: str, command: str) -> None:
    """Say when the candidates leave out some of the gold's labelled source items: their links count as
    not found, so the metrics measure the file's extent, not the matcher (a part of a match run scored
    F1 0.0 without a word)."""
    labelled = set(gold["source_id"])
    missing = len(labelled - set(candidates["source_id"]))
    if missing:
        print(f"warning: {path} has no candidates for {missing} of the gold's {len(labelled)} labelled source items; "
              f"their links count as not found, so these metrics say little of the matcher. Evaluate a whole run: "
              f"{command}. （候选文件缺少标注中 {len(labelled)} 个源条目里的 {missing} 个，其链接都算作未找到，"
              "这些指标说明不了匹配的好坏）", file=sys.stderr)


def cmd_evaluate(args: argparse.Namespace) -> None:
    from align.ingest import load_items
    from align.items import doc_of
    from align.settings import BUNDLED_DATA
    from matching.baselines import BASELINES, baseline_scores
    from matching.engine import vocabulary
    from matching.evaluate import (
        check_gold_pair,
        cross_validate,
        label_candidates,
        load_gold,
        metrics_table,
    )

    settings = settings_from_args(args)
    candidates = _read_candidates(Path(args.candidates))
    if candidates.height == 0:
        raise PlanAlignError(f"{args.candidates}: no candidates to evaluate.", zh="候选文件里没有候选，无从评估")
    gold = load_gold(args.gold)
    source_doc, target_doc = doc_of(candidates["source_id"][0]), doc_of(candidates["target_id"][0])
    pairs = candidates.select(pl.col("source_id").map_elements(doc_of, return_dtype=pl.String).alias("source_doc"),
                              pl.col("target_id").map_elements(doc_of, return_dtype=pl.String).alias("target_doc")
                              ).unique(maintain_order=True)
    if pairs.height > 1:  # another pair's candidates would all count as false links
        raise PlanAlignError(
            f"{args.candidates}: holds the candidates of {pairs.height} document pairs "
            f"({', '.join(f'{s} → {t}' for s, t in pairs.rows())}); evaluate one pair's file, as `match --out` writes it.",
            zh="候选文件混有多个文档对的候选，请逐对评估",
        )
    check_gold_pair(gold, source_doc, target_doc, args.gold)
    if gold["target_id"].drop_nulls().len() == 0:
        raise PlanAlignError(f"{args.gold}: the gold has no links, nothing to evaluate.", zh="标注文件里没有链接，无从评估")
    source_items, target_items = load_items(settings, source_doc), load_items(settings, target_doc)
    _check_gold_items(gold, source_items, target_items, args.gold)
    _warn_of_uncovered_sources(candidates, gold, args.candidates, f"plan-align match {source_doc} {target_doc} --out FILE")
    words = vocabulary(source_items, target_items, settings.data_dir)
    baselines = label_candidates(baseline_scores(source_items, target_items, words=words), gold)
    results = {"plan-align (as given)": candidates}
    try:  # the baselines' thresholds come from grouped CV, which needs enough labels
        folds = cross_validate(baselines, baselines={name: name for name in BASELINES}, include_model=False, repeats=10)
        without_baselines = None
    except PlanAlignError as exc:
        folds, without_baselines = {}, str(exc)
    for name in BASELINES:
        if name in folds:
            results[f"{name} alone (CV threshold)"] = folds[name]
    table = metrics_table(results, gold)
    print(f"gold: {args.gold} ({gold['source_id'].n_unique()} labelled source items)")
    print_table(table)
    if without_baselines:
        print(f"note: no baselines (their thresholds are cross-validated): {without_baselines}")
    # R@1 counts gold links, MRR sources: a task with five links has one at rank 1 (R@1 0.29 beside MRR 1.0)
    print("note: recall_at_1 and recall_at_5 are shares of the gold links found among each source's first 1 or 5 "
          "candidates; mrr is per labelled source item, from its best-ranked link.")
    versions = candidates["engine_version"].unique().to_list() if "engine_version" in candidates.columns else []
    dev_pair = (BUNDLED_DATA / "gold" / f"{source_doc}__{target_doc}.csv").is_file()
    if dev_pair and any("+dev-gold" in str(v) for v in versions):  # another pair was never trained on
        print("note: these candidates were scored by the shipped weights, fitted on the bundled dev gold; on that "
              "gold the row above is in-sample. 'plan-align fit-weights' prints the grouped cross-validation.")


def cmd_fit_weights(args: argparse.Namespace) -> None:
    from align.settings import BUNDLED_DATA, SHIPPED_WEIGHTS
    from matching.scoring import adopted_weights
    from matching.training import DEFAULT_C, adoption_warning, fit_from_decisions, fit_from_gold

    if args.out and Path(args.out).suffix.lower() != ".json":  # a model is JSON; --out x.csv wrote JSON into it
        raise PlanAlignError(
            f"--out {args.out}: the link model is written as JSON; give a file ending in .json.",
            zh=f"--out {args.out}：匹配模型以 JSON 格式保存，请给出以 .json 结尾的文件名",
        )
    settings = settings_from_args(args)
    c = DEFAULT_C if args.c is None else args.c
    bundled_gold = not args.from_decisions and not args.gold and \
        Path(settings.data_dir).resolve() == BUNDLED_DATA.resolve()
    if args.out:
        out = Path(args.out)
    else:
        # only the bundled gold refits the shipped model; a data folder's own gold or decisions
        # give that folder's model (restored to the shipped one from the Threshold page)
        out = SHIPPED_WEIGHTS if bundled_gold else adopted_weights(settings.data_dir)
    if args.from_decisions:
        from align.exceptions import StoreError
        from align.registry import load_registry
        from align.store import DecisionStore

        load_registry(settings.data_dir)  # checked before the store is opened: opening creates it
        if not settings.db_path.exists():
            raise StoreError(
                f"No decision is recorded yet to fit on: {settings.db_path} does not exist. Check PLAN_ALIGN_DB, or "
                "confirm and reject links with 'plan-align decide' first.",
                zh="还没有任何审核结论可供拟合（审核记录库不存在），请检查 PLAN_ALIGN_DB，或先审核一些链接",
            )
        with DecisionStore(settings.db_path) as store:
            current = store.current()
        model, table = fit_from_decisions(settings, current, c=c)
        print("On your decisions: the refit (grouped CV), the current model and the plain cosine:")
        print_table(table)
        if stale := model.metrics.get("decisions_on_changed_text"):
            print(f"note: {stale} decision(s) judged text their plan no longer holds (re-issued) were left out; "
                  "review those links again to count them.")
        if "current model" not in set(table["method"]):
            print("note: the current model was fitted on all of these decisions; decide more links to compare a "
                  "refit with it fairly.")
        warning = adoption_warning(table)
        if not args.out and not args.force and warning:
            # adopting is what the default --out does: match and the app would switch to a worse model
            print(f"not adopted: {warning[0]}. Pass --force to adopt it anyway, or --out FILE to keep it aside.")
            return
    else:
        gold_dir = Path(args.gold) if args.gold else Path(settings.data_dir) / "gold"
        model, table = fit_from_gold(settings, gold_dir, c=c)
        print("Cross-validation grouped by source item (5 folds), model vs plain cosine on the same folds:")
        print_table(table)
    model.save(out)
    print(f"wrote {out} (threshold {model.threshold:.3f})")
    if out == adopted_weights(settings.data_dir):
        print(f"match and the app on {settings.data_dir} now use it; delete {out} (or press Restore on the "
              "Threshold page) to go back to the shipped model.")


def register(command) -> None:
    p = command("match", cmd_match, "Propose links from a source document to a target document.")
    p.add_argument("source", help="document id of the plan whose items serve the other (e.g. baqiao-2023)")
    p.add_argument("target", help="document id of the plan they serve (e.g. xian-2024)")
    p.add_argument("--top-k", type=int, default=None, dest="top_k", help="candidates kept per item (default 10)")
    p.add_argument("--threshold", type=float, default=None,
                   help="score from which a candidate is linked, 0-1 (default: the link model's own)")
    p.add_argument("--direction", choices=DIRECTIONS, default=None,
                   help="target_to_source lists, for each target item, every source item that serves it")
    p.add_argument("--weights", help="a link-model JSON file (default: the data folder's adopted model, "
                   "DATA/weights.json, else the shipped weights)")
    p.add_argument("--out", help="FILE.csv or FILE.parquet: every candidate with its features (default: print "
                   "the proposed links)")
    p.add_argument("--all", action="store_true", help="print every candidate with its reasons, not only the links")

    p = command("evaluate", cmd_evaluate, "Score candidates against gold links, beside single-signal baselines.")
    p.add_argument("candidates", help="output of 'plan-align match --out'")
    p.add_argument("gold", help="a gold CSV: source_id,target_id,grade[,change],note")

    p = command("fit-weights", cmd_fit_weights, "Refit the link model from gold files or from decisions.")
    p.add_argument("--gold", help="folder of <source>__<target>.csv gold files (default: DATA/gold)")
    p.add_argument("--from-decisions", action="store_true", help="refit from confirmed/rejected decisions")
    p.add_argument("--force", action="store_true",
                   help="adopt a refit from decisions even when it measures worse than the current model")
    p.add_argument("--c", type=float, help="inverse L2 regularisation strength (default: the shipped model's, 0.1)")
    p.add_argument("--out", help="where to write the weights (default: DATA/weights.json, which match and the "
                   "app then use, with --from-decisions; else the shipped matching/weights.json)")
