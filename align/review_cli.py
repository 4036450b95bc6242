"""``plan-align decide``, ``coverage`` and ``export``: review decisions and what they add up to.

Argument parsing, one call into :mod:`align.store` or :mod:`align.export`, printing. The
decision store is ``Settings.db_path`` (``PLAN_ALIGN_DB`` overrides it).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl

from align.cli import (
    FORMAT_OF_SUFFIX,
    check_out_names_a_file,
    output_format,
    settings_from_args,
    write_frame,
)
from align.exceptions import ExportError, PlanAlignError, StoreError, UnknownItemError
from align.export import FORMATS, build_export_frame, csv_sources_path, export_links, write_workbook
from align.files import write_atomic
from align.ingest import current_digests, load_items
from align.items import doc_of, plan_digest, text_digests
from align.registry import LEVEL_NAMES_ZH, LEVELS, DocumentMeta, get_document, load_registry
from align.settings import ENVIRONMENT, Settings
from align.store import (
    DecisionStore,
    judged_documents,
    pair_label,
    reviewer_name,
    validate_decision,
)

_DOC_LIKE = re.compile(r"^[a-z][a-z0-9-]*-\d{4}(?:-\d+)?$")


def require_items(settings: Settings, item_ids: list[str]) -> dict[str, str]:
    """Raise unless every id names an item of a registered document (all unknown ids together);
    else each id's fingerprint of its text (``align.items.text_digests``), kept with a decision."""
    unknown: list[str] = []
    by_doc: dict[str, dict[str, str]] = {}
    for item_id in item_ids:
        if ":" not in item_id:
            raise UnknownItemError(
                f"{item_id!r} is not an item id: write it as DOC:NUMBER, e.g. 'baqiao-2023:17'"
                + (" (that is a document id; the item's number is missing)." if _DOC_LIKE.match(item_id) else "."),
                zh=f"“{item_id}”不是条目编号，应写作“文档:序号”，如 baqiao-2023:17",
            )
        doc_id = doc_of(item_id)
        if doc_id not in by_doc:
            by_doc[doc_id] = text_digests(load_items(settings, doc_id))
        if item_id not in by_doc[doc_id]:
            unknown.append(item_id)
    if unknown:
        docs = sorted({doc_of(item_id) for item_id in unknown})
        raise UnknownItemError(
            f"Unknown item id(s): {', '.join(unknown)}. "
            + " ".join(f"Run 'plan-align items {doc}' to list the ids of {doc}." for doc in docs),
            zh=f"{'、'.join(unknown)} 不在所登记的文档里，可用 plan-align items 列出条目编号",
        )
    return {item_id: by_doc[doc_of(item_id)][item_id] for item_id in item_ids}


def cmd_decide(args: argparse.Namespace) -> None:
    settings = settings_from_args(args)
    # --reviewer, else PLAN_ALIGN_REVIEWER (the parser requires one of them), as the app reads it
    args.reviewer = args.reviewer if args.reviewer is not None else settings.reviewer
    action: str = args.action
    # With --none (and its --undo) the second argument is the document without a counterpart.
    names_document = action in ("no_counterpart", "undo") and args.target is not None and ":" not in args.target
    target_id, target_doc = (None, args.target) if names_document else (args.target, None)
    if action == "no_counterpart" and not target_doc:
        raise PlanAlignError(
            f"--none records that {args.source} has no counterpart in another document, so it takes that "
            f"document's id, not an item: plan-align decide {args.source} DOC_ID --none --reviewer NAME"
            + (f" (got {args.target})." if args.target else "."),
            zh="--none 须写明在哪个文档里没有对应条目（文档编号，如 xian-2024），不是条目编号",
        )
    if action in ("confirmed", "rejected", "unsure", "undo") and not args.target:
        flag = {"confirmed": "--confirm", "rejected": "--reject", "unsure": "--unsure", "undo": "--undo"}[action]
        raise PlanAlignError(
            f"{flag} needs a TARGET_ID: plan-align decide {args.source} TARGET_ID {flag} --reviewer NAME. "
            + ("To undo a --none, give the document it named instead of a TARGET_ID."
               if action == "undo" else "Use --none when the source item has no counterpart."),
            zh=f"{flag} 需要给出目标条目编号",
        )
    pair = pair_label(args.source, target_id, target_doc)
    # Checked before the store is opened: opening creates it (and its folder), which a mistyped
    # id or a wrong PLAN_ALIGN_DATA must not leave behind.
    if target_doc:
        get_document(settings.data_dir, target_doc)
    if action == "undo":
        load_registry(settings.data_dir)
        if not settings.db_path.exists():
            raise StoreError(
                f"Nothing to undo: {args.reviewer!r} has no decision in effect on {pair}; "
                f"no decision is recorded yet ({settings.db_path} does not exist). Check --data / PLAN_ALIGN_DATA "
                "and PLAN_ALIGN_DB.",
                zh=f"{args.reviewer} 在这对条目上没有可撤销的结论",
            )
    else:
        texts = require_items(settings, [args.source] + ([target_id] if target_id else []))
        if target_doc:  # a 无对应 judged the whole plan it looked in
            texts[target_doc] = plan_digest(text_digests(load_items(settings, target_doc)), target_doc) or ""
        problems = validate_decision(args.reviewer, args.source, target_id, action, target_doc=target_doc,
                                     note=args.note, score=args.score, engine_version=args.engine_version)
        if problems:  # a --score of 5, say: refused before the store is created
            raise StoreError.from_problems(problems)
    if target_id and action != "undo" and (args.score is None or args.engine_version is None):
        score, version = _matched_score(settings, args.source, target_id)
        args.score = score if args.score is None else args.score
        args.engine_version = version if args.engine_version is None else args.engine_version
    with DecisionStore(settings.db_path) as store:
        if action == "undo":
            undo_id = store.undo(args.reviewer, args.source, target_id, target_doc=target_doc)
            print(f"#{undo_id}: {args.reviewer} undid their latest decision on {pair}")
            return
        decision_id = store.record(
            args.reviewer, args.source, target_id, action,  # type: ignore[arg-type]
            target_doc=target_doc, note=args.note, score=args.score, engine_version=args.engine_version,
            source_digest=texts.get(args.source),
            target_digest=texts.get(target_id) if target_id else texts.get(target_doc or "") or None,
        )
        print(f"#{decision_id}: {reviewer_name(args.reviewer)} recorded {action} on {pair}")
        # the link read from either end: a colleague may have judged it from the other plan
        ends = [args.source, target_id] if target_id else [args.source]
        # judged on the plans as they read now: a colleague's reject of a re-issued plan's old text disputes nothing
        now = {item: digest for doc in {doc_of(end) for end in ends} | ({target_doc} if target_doc else set())
               for item, digest in text_digests(load_items(settings, doc)).items()}
        conflicts = store.conflicts(now).filter(
            pl.col("source_id").is_in(ends) & (pl.col("target_id").is_in(ends) if target_id else pl.lit(True)))
        for row in conflicts.iter_rows(named=True):
            print(f"warning: reviewers disagree on {pair_label(row['source_id'], row['target_id'])}: {row['summary']}",
                  file=sys.stderr)


def _matched_score(settings: Settings, source_id: str, target_id: str) -> tuple[float | None, str | None]:
    """The matcher's score and engine version of a link, as the app records them with a decision
    (the export's 得分 and 引擎版本 were empty for links decided here), from the pair's cached match:
    none where the pair was never matched (a decision does not wait for a match it did not see)."""
    pair = {doc_of(source_id), doc_of(target_id)}
    cached = Path(settings.cache_dir) / "matches"
    if not any(set(path.name.split(".")[0].split("__")) == pair for path in cached.glob("*__*.parquet")):
        return None, None  # no match of the pair on disk: the matcher need not even be loaded
    from matching.engine import cached_match

    try:  # scores are the same either way round, and the planner may have matched the pair either way
        matches = cached_match(settings, doc_of(source_id), doc_of(target_id))
        if matches is None:
            matches = cached_match(settings, doc_of(target_id), doc_of(source_id))
    except PlanAlignError:  # two years of one plan given the wrong way round, say: the decision stands alone
        return None, None
    if matches is None:
        return None, None
    found = matches.filter((pl.col("source_id") == source_id) & (pl.col("target_id") == target_id)
                           | (pl.col("source_id") == target_id) & (pl.col("target_id") == source_id))
    if found.is_empty():
        return None, None
    return float(found["score"][0]), str(found["engine_version"][0])


def _coverage(settings: Settings, current: pl.DataFrame, city: DocumentMeta, district: DocumentMeta) -> pl.DataFrame:
    """The Coverage page's table of one city plan and one district plan, given the decisions in effect."""
    from matching.engine import match_documents
    from matching.review import check_coverage_pair, coverage_match_settings, plan_coverage

    check_coverage_pair(city, district)
    matches = match_documents(coverage_match_settings(settings), district.id, city.id)
    return plan_coverage(load_items(settings, city.id), load_items(settings, district.id), matches, current,
                         city=city, district=district)


def _xlsx_out(args: argparse.Namespace) -> bool:
    if output_format(args.format, args.out) == "xlsx":
        if not args.out:
            raise PlanAlignError("Excel output needs --out FILE.xlsx.", zh="Excel 格式须用 --out 指定输出文件")
        return True
    return False


def cmd_coverage(args: argparse.Namespace) -> None:
    """Each city item with the district tasks confirmed or proposed for it (the Coverage page);
    without a district, each city item against every district plan under the city."""
    from align.registry import plans_under, plans_without_parent
    from matching.review import (
        COVERAGE_WIDE,
        coverage_overview,
        coverage_pair_note,
        coverage_sheets,
        disputed_beside_status,
        overview_sheet,
        quotas_without_task,
        status_counts,
    )

    settings = settings_from_args(args)
    city = get_document(settings.data_dir, args.city)
    with DecisionStore(settings.db_path) as store:  # read once, for every district plan compared
        current = store.current()
    if args.district is None:
        registered = load_registry(settings.data_dir)
        districts = plans_under(registered, city)
        orphans = plans_without_parent(registered, city)
        # only a plan registered with no parent may be this city's: one under 铜川市 is not to be put under 延安市
        parentless = [m for m in orphans if not m.parent]
        unplaced = (f" Not compared, registered with no parent or one no document is registered for: "
                    f"{', '.join(m.id + (f' ({m.parent})' if m.parent else '') for m in orphans)}"
                    + (f"; if one is {city.jurisdiction}'s, count it with plan-align edit {parentless[0].id} "
                       f"--parent {city.jurisdiction}." if parentless else ".")) if orphans else ""
        if not districts and city.level_rank <= LEVELS.index("district"):
            above = city.parent or "its city"
            raise PlanAlignError(
                f"{city.id} is a {city.level} plan: coverage lists the items of the plan above it. Give that "
                f"plan first: plan-align coverage CITY_DOC {city.id} (the plan of {above}).",
                zh=f"{city.id} 是{LEVEL_NAMES_ZH[city.level]}文档；覆盖情况列出上级文档的条目，请把上级文档放在前面",
            )
        if not districts:
            raise PlanAlignError(
                f"No registered plan names {city.jurisdiction} as its parent, so there is no district to compare "
                f"{city.id} with. Give one: plan-align coverage {city.id} DISTRICT_DOC.{unplaced}",
                zh=f"没有登记上级为{city.jurisdiction}的文档，请指定区级文档",
            )
        tables, unread = {}, []
        for meta in districts:  # a plan whose file cannot be read is named; the others are still compared
            try:
                tables[meta.id] = _coverage(settings, current, city, meta)
            except PlanAlignError as exc:
                if len(districts) == 1:
                    raise
                unread.append((meta, str(exc).rstrip(".")))
        if not tables:
            raise PlanAlignError(f"No plan under {city.jurisdiction} could be read: "
                                 + "; ".join(f"{meta.id} ({why})" for meta, why in unread),
                                 zh=f"{city.jurisdiction}下的文档都无法读取")
        districts = [meta for meta in districts if meta.id in tables]
        unplaced += f" Not read: {'; '.join(f'{meta.id} ({why})' for meta, why in unread)}." if unread else ""
        overview = coverage_overview(tables)
        if _xlsx_out(args):
            sheets = [overview_sheet(overview, {meta.id: f"{meta.jurisdiction} {meta.id}" for meta in districts})]
            left_out = [(meta.id, meta.jurisdiction, f"未能读取 not read: {why}") for meta, why in unread] + [
                (meta.id, meta.jurisdiction, "未登记上级，未对照 no parent registered, not compared") for meta in orphans]
            if left_out:  # the workbook travels without the terminal: it says itself which plans it lacks
                sheets.append(("未对照的文档", pl.DataFrame(left_out, schema=["文档", "辖区", "原因"], orient="row")))
            write_atomic(Path(args.out), lambda tmp: write_workbook(tmp, sheets, wide=("任务", "原因")))
        else:
            write_frame(overview, args.format, args.out)
        nobody = overview.filter(pl.col("served") == 0)
        print(f"{overview.height} city items against {len(districts)} plan{'s' if len(districts) > 1 else ''} ({', '.join(m.id for m in districts)}): "
              f"{nobody.height} served by none.{unplaced}", file=sys.stderr)
        return
    district = get_document(settings.data_dir, args.district)
    place = district.jurisdiction
    table = _coverage(settings, current, city, district)
    if note := coverage_pair_note(city, district, load_registry(settings.data_dir)):
        print(f"note: {note}", file=sys.stderr)
    if _xlsx_out(args):
        sheets = coverage_sheets(table, place)
        write_atomic(Path(args.out), lambda tmp: write_workbook(tmp, sheets, wide=COVERAGE_WIDE))
        print(f"wrote {table.height} city items to {args.out}", file=sys.stderr)
    elif args.out and output_format(args.format, args.out) == "csv":  # for a spreadsheet: the workbook's words
        every = coverage_sheets(table, place)[0][1]
        write_frame(every.with_columns(table["nearest_task"].alias("最接近的区级任务（得分）")), "csv", args.out)
    else:
        write_frame(table.select(
            "item_id", "text", "status", "quota",
            *(pl.col(tasks).list.join("；") for tasks in ("confirmed_tasks", "disputed_tasks", "proposed_tasks")),
            "district_targets", "nearest_task",
        ), args.format, args.out)
    print(f"{table.height} city items: " + ", ".join(f"{n} {s}" for s, n in status_counts(table).items()),
          file=sys.stderr)
    if (beside := disputed_beside_status(table)).height:
        print(f"{beside.height} more have a disputed link beside a confirmed one: " + ", ".join(beside["item_id"]),
              file=sys.stderr)
    unmet, judged = quotas_without_task(table)
    if unmet.height:
        print(f"{unmet.height} give {place} a quota and no district task serves them yet: "
              + ", ".join(unmet["item_id"]), file=sys.stderr)
    if judged.height:
        print(f"{judged.height} give {place} a quota and were judged to have no district task (无对应): "
              + ", ".join(judged["item_id"]), file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> None:
    settings = settings_from_args(args)
    check_out_names_a_file(args.out)
    out = Path(args.out)
    # as every --out reads it (a --format the name contradicts is refused); then what export writes
    fmt = output_format(args.format, args.out) if args.format or out.suffix.lower() in FORMAT_OF_SUFFIX else None
    if fmt not in FORMATS:
        raise ExportError(
            f"Cannot tell the export format from {args.out!r}. Pass --format {'|'.join(FORMATS)} "
            "or end --out in .xlsx, .csv or .parquet.",
            zh="看不出导出格式，请用 --format 指定，或让文件名以 .xlsx、.csv 或 .parquet 结尾",
        )
    load_registry(settings.data_dir)  # checked before the store is opened: opening creates it
    for doc_id in args.pair or ():
        get_document(settings.data_dir, doc_id)
    if args.pair and args.pair[0] == args.pair[1]:  # else "no confirmed links", as if none were made
        raise ExportError(f"--pair {args.pair[0]} {args.pair[1]}: give two different documents.",
                          zh="--pair 须给出两个不同的文档")
    if not settings.db_path.exists():
        raise ExportError(
            f"There are no confirmed links to export: no decision is recorded yet ({settings.db_path} does not "
            "exist). Check PLAN_ALIGN_DB, or confirm links with 'plan-align decide SOURCE_ID TARGET_ID --confirm "
            "--reviewer NAME' first.",
            zh="还没有已确认的链接可导出（审核记录库不存在），请检查 PLAN_ALIGN_DB，或先确认链接",
        )
    with DecisionStore(settings.db_path) as store:
        frame = build_export_frame(
            store, settings, tuple(args.pair) if args.pair else None, include_conflicts=args.include_conflicts
        )
        chosen = tuple(args.pair) if args.pair else (None, None)
        now = current_digests(settings, judged_documents(store.current()))
        held = 0 if args.include_conflicts else store.confirmed_links(*chosen, include_conflicts=True).height \
            - store.confirmed_links(*chosen, digests=now).height
    path = export_links(frame, fmt, out.parent if str(out.parent) else Path("."), out.name,  # type: ignore[arg-type]
                        settings=settings)
    print(f"wrote {frame.height} confirmed link(s) to {path}")
    changed = frame.filter(pl.col("text_changed").is_not_null())
    if changed.height:
        pairs = (changed["source_id"] + " → " + changed["target_id"]).to_list()
        more = f" and {len(pairs) - 10} more" if len(pairs) > 10 else ""
        print(f"warning: {len(pairs)} link(s) were confirmed on text that has since changed or gone (a plan "
              f"re-issued?): {', '.join(pairs[:10])}{more}; the column 决定后文本已改 marks them. Check them again.",
              file=sys.stderr)
    if held:  # as the Export page says: the file alone would read as every confirmed link
        print(f"warning: {held} more confirmed link(s) are disputed by another reviewer and left out; settle them, "
              "or export them marked with --include-conflicts (另有审核意见不一的链接未列入)", file=sys.stderr)
    if fmt == "csv":
        print(f"wrote the documents they join, with each file's SHA-256, to {csv_sources_path(path)}")


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add ``decide``, ``coverage`` and ``export`` to the ``plan-align`` parser."""
    p = command(
        "decide", cmd_decide,
        "Record a review decision on a link (the log is append-only; --undo retracts your latest).",
    )
    p.add_argument("source", metavar="SOURCE_ID", help="source item id, e.g. baqiao-2023:17")
    p.add_argument("target", metavar="TARGET_ID", nargs="?",
                   help="target item id; with --none (or to undo one), the document id without a counterpart")
    action = p.add_mutually_exclusive_group(required=True)
    for flag, const, text in (
        ("--confirm", "confirmed", "the two items are linked"),
        ("--reject", "rejected", "the proposed link is wrong"),
        ("--none", "no_counterpart", "the source item has no counterpart in that document (give its DOC_ID)"),
        ("--unsure", "unsure", "come back to this pair later"),
        ("--undo", "undo", "retract your latest decision on this pair"),
    ):
        action.add_argument(flag, dest="action", action="store_const", const=const, help=text)
    p.add_argument("--reviewer", required=not os.environ.get(ENVIRONMENT["reviewer"], "").strip(),
                   help="who decides (recorded in the log); default: PLAN_ALIGN_REVIEWER, when it is set")
    p.add_argument("--note", help="a short reason, kept with the decision")
    p.add_argument("--score", type=float, help="the matcher's score for the pair, if known")
    p.add_argument("--engine-version", help="the matcher version that proposed the pair, if known")

    p = command("coverage", cmd_coverage,
                "Which district tasks serve each city item, and which city items have none (a quota first).")
    p.add_argument("city", metavar="CITY_DOC", help="the city plan, e.g. xian-2024")
    p.add_argument("district", metavar="DISTRICT_DOC", nargs="?",
                   help="the district's document, e.g. baqiao-2023; without it, every city item against the "
                        "latest plan of each place under the city (registered with it as parent)")
    p.add_argument("--format", choices=["table", "csv", "json", "parquet", "xlsx"],
                   help="default: from the --out file's ending, else a table on screen; xlsx: the Coverage "
                        "page's workbook, Chinese headers")
    p.add_argument("--out", help="write to this file instead of printing")

    p = command("export", cmd_export, "Export confirmed links with provenance (xlsx, csv or parquet).")
    p.add_argument("--pair", nargs=2, metavar=("SOURCE_DOC", "TARGET_DOC"), help="only links between these documents")
    p.add_argument("--format", choices=FORMATS, help="default: from the --out extension")
    p.add_argument("--out", required=True, metavar="FILE", help="file to write, e.g. links.xlsx")
    p.add_argument("--include-conflicts", action="store_true",
                   help="also export links that reviewers disagree on")
