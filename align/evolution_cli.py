"""``plan-align evolve OLD NEW``: how one jurisdiction's tasks changed between two years.

Argument parsing, one call into :mod:`align.evolution`, printing or writing. Nested
columns (target changes, units, diff) become readable text for CSV and Excel; Parquet
keeps them nested for programs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import polars as pl

from align.cli import print_table, settings_from_args
from align.evolution import (
    area_counts,
    evaluate_evolution,
    evolve_documents,
    for_planners,
    headline_series,
    headlines_for_planners,
    later_deadlines,
    readable,
    relation_counts,
)
from align.exceptions import ExportError, PlanAlignError
from align.export import write_evolution_workbook, write_spreadsheet_csv
from align.files import write_atomic

OUTPUT_SUFFIXES = (".csv", ".xlsx", ".parquet")


def write_evolution(table: pl.DataFrame, out: str | Path, headlines: pl.DataFrame | None = None) -> None:
    """Write the evolution table by the file's suffix: ``.csv``, ``.xlsx`` or ``.parquet``; Excel also
    gets the plans' headline targets on a sheet of their own."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise ExportError(
            f"The '--out' file must end in {', '.join(OUTPUT_SUFFIXES)}. Got {path.name!r} instead.",
            zh=f"输出文件名应以 {'、'.join(OUTPUT_SUFFIXES)} 结尾，现为“{path.name}”",
        )
    if suffix == ".parquet":
        write_atomic(path, table.write_parquet)
        return
    if suffix == ".csv":
        plain = for_planners(table)
        write_atomic(path, lambda tmp: write_spreadsheet_csv(plain, tmp))
    else:
        write_atomic(path, lambda tmp: write_evolution_workbook(tmp, [table], [] if headlines is None else [headlines]))


def cmd_evolve(args: argparse.Namespace) -> None:
    settings = settings_from_args(args)
    if args.min_score is not None and not 0.0 <= args.min_score <= 1.0:  # else named as the setting it stands for
        raise PlanAlignError(f"--min-score must be a score from 0 to 1. Got {args.min_score} instead.",
                             zh=f"--min-score 应为 0 到 1 之间的分数，现为 {args.min_score}")
    table = evolve_documents(settings, args.old, args.new, min_score=args.min_score)
    [headlines] = headline_series(settings, [args.old, args.new])
    if args.out:
        write_evolution(table, args.out, headlines)
        print(f"wrote {table.height} rows to {args.out}"
              + (f" (and {headlines.height} headline targets on the sheet 主要预期目标)"
                 if headlines.height and args.out.lower().endswith(".xlsx") else ""))
    elif not (args.summary or args.evaluate):
        shown = readable(table)
        deadline = ["deadline_change"] if "deadline_change" in shown.columns else []
        print_table(shown.select("old_id", "new_id", "relation", "score", "direction", "target_changes", *deadline))
    if headlines.height and not args.out and not args.evaluate:  # a report's 主要预期目标 are no task of it
        print(f"{args.old} → {args.new}: headline targets (主要预期目标)")
        print_table(headlines_for_planners(headlines).drop("文档 documents"))
    if args.summary:
        print(f"{args.old} → {args.new}: items per class")
        print_table(relation_counts(table))
        print("items per policy area (top section, or the lead unit's department where a document has none); a task "
              "carried forward counts twice, its old item and its new one (a tester read 'raised 12' as twelve tasks)")
        print_table(area_counts(table))
        later = later_deadlines(table)
        if not later.is_empty():
            print(f"{later.height} carried-forward task(s) now due later than {args.old} said (完成时限推迟)")
            print_table(later.drop("new_text"))
    if args.evaluate:
        from align.ingest import load_items
        from matching.evaluate import check_gold_pair, load_gold

        gold = load_gold(args.evaluate)
        check_gold_pair(gold, args.old, args.new, args.evaluate)
        evaluation = evaluate_evolution(table, gold, load_items(settings, args.old), load_items(settings, args.new))
        for line in evaluation.lines():
            print(line)


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``evolve`` to the ``plan-align`` command line."""
    p = command(
        "evolve", cmd_evolve,
        "Task evolution between two years of one jurisdiction: continued, raised, lowered, reworded, split, "
        "merged, dropped, new.",
    )
    p.add_argument("old", help="the earlier document id")
    p.add_argument("new", help="the later document id")
    p.add_argument("--out", help="write the table to FILE.csv, FILE.xlsx or FILE.parquet")
    p.add_argument("--summary", action="store_true", help="print items per class and per policy area")
    p.add_argument("--evaluate", metavar="GOLD.csv", help="print link precision/recall and direction accuracy")
    p.add_argument("--min-score", type=float, default=None,
                   help="lowest score a one-to-one pair may have (default: the one_to_one_threshold setting)")
