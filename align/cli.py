"""The ``plan-align`` command line: argument parsing, one call into the core, printing.

Every error the user can cause ends as one line on stderr and exit code 2, never a
traceback.
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

import polars as pl

from align.exceptions import DocumentParseError, OutputError, PlanAlignError
from align.files import write_atomic
from align.formats import ROLES
from align.readers import READERS, TEXT_SUFFIXES
from align.registry import FIELD_NAMES_ZH, KINDS, LEVELS, DocumentMeta
from align.settings import Settings

EXIT_USER_ERROR = 2


def settings_from_args(args: argparse.Namespace, **overrides) -> Settings:
    """The one Settings object for a command: ``--data``, then the environment, then overrides."""
    return Settings.from_env(data_dir=getattr(args, "data", None), **overrides)


def print_table(frame: pl.DataFrame) -> None:
    """A whole table on the terminal: every row and column."""
    with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200, tbl_hide_dataframe_shape=True,
                   tbl_hide_column_data_types=True):
        print(frame)


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns as readable strings, for table and CSV output."""
    converted = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.List):
            converted.append(pl.col(name).map_elements(lambda v: json.dumps(v.to_list() if hasattr(v, "to_list") else list(v), ensure_ascii=False), return_dtype=pl.String))
        elif isinstance(dtype, pl.Struct):
            converted.append(pl.col(name).struct.json_encode())
        else:
            converted.append(pl.col(name))
    return frame.select(converted)


#: What a file name's ending says of the format wanted (``--out items.csv`` without ``--format``).
FORMAT_OF_SUFFIX = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".xlsx": "xlsx", ".txt": "table"}


def check_out_names_a_file(out: str) -> None:
    """Refuse an ``--out`` that names a folder (``Path("exports/")`` is ``exports``, and a file was
    written beside the folder instead of in it), ``-``, or a device or pipe (``/dev/stdout``): an
    export writes ``-.csv`` and ``-.sources.csv``, or a file ``/dev/stdout.csv``, not the screen; nor an empty
    one (``--out ""`` read as the current folder)."""
    if not out.strip():
        raise PlanAlignError("--out is empty. Give a file name such as links.xlsx.",
                             zh="--out 为空，请给出文件名，如 links.xlsx")
    if out.endswith(("/", "\\", os.sep)) or Path(out).is_dir():
        raise PlanAlignError(
            f"--out {out} is a folder. Give a file in it, such as {Path(out) / 'links.xlsx'}.",
            zh=f"--out {out} 是文件夹，请给出其中的文件名，如 {Path(out) / 'links.xlsx'}",
        )
    if out.strip() == "-" or _device(Path(out)):
        raise PlanAlignError(
            f"--out {out} is not a file plan-align can write a table to. Give a file name such as links.xlsx; "
            "to see a table on the screen, leave --out out.",
            zh=f"--out {out} 不是可写入表格的文件，请给出文件名（如 links.xlsx）；要在屏幕上查看，请不加 --out",
        )


def _device(path: Path) -> bool:
    """A path that exists and is not a plain file (a terminal, a pipe, /dev/null), or a name right in
    /dev or /dev/fd (/dev/stdout, which a redirect may make a plain file); /dev/shm is a folder of files."""
    try:
        if path.exists() and not path.is_file():
            return True
        return Path(os.path.abspath(path)).parent in (Path("/dev"), Path("/dev/fd"))
    except OSError:
        return False


def _same_file(path: Path, other: Path) -> bool:
    """Whether two resolved paths name one file (also when a case-insensitive disk spells them apart)."""
    if path == other:
        return True
    try:
        return os.path.samefile(path, other)
    except OSError:  # either does not exist
        return False


def _own_files(settings: Settings, *, writes_weights: bool) -> list[tuple[Path, str, str]]:
    """The files plan-align reads or keeps, each resolved and with what it is, in English and Chinese."""
    from align.registry import document_path, load_registry, registry_lock_path, registry_path
    from align.settings import ADOPTED_WEIGHTS_FILE, DICTIONARY_FILE, SHIPPED_WEIGHTS, SYNONYMS_FILE

    data_dir = Path(settings.data_dir)
    registry = registry_path(data_dir)
    own = [
        (registry, f"the document registry of {data_dir}", "文档登记表"),
        (registry_lock_path(data_dir), "the registry's lock file", "登记表的锁文件"),
        (data_dir / DICTIONARY_FILE, "the data folder's word list", "数据文件夹的词表"),
        (data_dir / SYNONYMS_FILE, "the data folder's synonym list", "数据文件夹的同义词表"),
    ]
    if not writes_weights:  # fit-weights writes the models, and only there are they an --out
        own += [(data_dir / ADOPTED_WEIGHTS_FILE, "the link model adopted for the data folder", "数据文件夹采用的匹配模型"),
                (SHIPPED_WEIGHTS, "the link model plan-align ships", "内置的匹配模型")]
    store = Path(settings.db_path)
    for name in {store, store.resolve()}:  # SQLite keeps its journal beside the file the link points at
        own.append((name, "the decision store", "审核记录库"))
        own += [(name.with_name(name.name + suffix), f"the decision store's {kind}", "审核记录库的日志文件")
                for suffix, kind in (("-wal", "write-ahead log"), ("-shm", "shared-memory file"),
                                     ("-journal", "journal"))]
    try:
        docs = load_registry(data_dir)
    except PlanAlignError:  # the command itself says what is wrong with the registry
        docs = []
    own += [(document_path(data_dir, meta), f"the file of the registered document {meta.id}", f"已登记文档 {meta.id} 的文件")
            for meta in docs]
    return [(path.resolve(), what, what_zh) for path, what, what_zh in own]


def check_out_is_not_ours(args: argparse.Namespace) -> None:
    """Refuse a command's ``--out`` that resolves (symlinks followed) to a file plan-align reads or keeps:
    a registered document, the decision store and its journals, the registry, the word list, a link model
    (except where fit-weights writes one), anything in the cache, the documents folder or the gold. Each
    was replaced without a word (``items X --format csv --out data/decisions.sqlite``: every decision
    gone), and exit 0."""
    out = getattr(args, "out", None)
    if not out:
        return
    settings = settings_from_args(args)
    data_dir = Path(settings.data_dir)
    own = _own_files(settings, writes_weights=args.command == "fit-weights")
    folders = [(Path(settings.cache_dir), "the cache folder {}, which plan-align keeps", "plan-align 管理的缓存文件夹 {} "),
               (data_dir / "documents", "the documents folder {} (the plans, and those removed)", "文档文件夹 {} "),
               (data_dir / "gold", "the folder of hand-labelled links {}", "人工标注文件夹 {} ")]
    written = [(name, Path(name).resolve()) for name in _written_by_out(args.command, out)]

    def refuse(name: str, what: str, what_zh: str) -> None:
        said = f"--out {out}" if name == out else f"--out {out} also writes {name}, which"
        said_zh = f"--out {out} " if name == out else f"--out {out} 还会写入 {name}，它"
        raise OutputError(f"{said} is {what}; choose another file.", zh=f"{said_zh}{what_zh}，请另选一个文件")

    for name, path in written:  # the file itself first: its own name says most
        for file, what, what_zh in own:
            if _same_file(path, file):
                refuse(name, what, f"是{what_zh}")
    for name, path in written:
        for folder, what, what_zh in folders:
            if path.is_relative_to(folder.resolve()):
                refuse(name, "in " + what.format(folder), f"在{what_zh.format(folder)}中")


def _written_by_out(command: str, out: str) -> list[str]:
    """Every file an ``--out`` may write: the file, and for an export also the name with its format's
    ending added (``--format csv --out links`` writes links.csv) and a CSV's list of sources beside it
    (``links.sources.csv``)."""
    written = [out]
    if command == "export":
        from align.export import FORMATS, csv_sources_path

        written += [f"{out}.{fmt}" for fmt in FORMATS]
        written += [str(csv_sources_path(name)) for name in written if name.lower().endswith(".csv")]
    return written


def output_format(fmt: str | None, out: str | None) -> str:
    """The format asked for: ``--format``, else the ending of ``--out``, else a table on screen.

    A format the file's ending contradicts (``--format csv --out items.parquet``) is refused,
    as is an ending that names none: a planner would open the file as what its name says.
    """
    if not out:
        return fmt or "table"
    check_out_names_a_file(out)
    suffix = Path(out).suffix.lower()
    implied = FORMAT_OF_SUFFIX.get(suffix)
    if fmt is None and implied is None:
        raise PlanAlignError(
            f"Cannot tell the format from {out!r}. Pass --format csv|json|parquet|xlsx|table, or end --out in "
            f"{', '.join(FORMAT_OF_SUFFIX)}.",
            zh="看不出输出格式，请用 --format 指定，或让文件名以 .csv、.json、.parquet、.xlsx 或 .txt 结尾",
        )
    if fmt is not None and implied is not None and implied != fmt:
        raise PlanAlignError(
            f"--format {fmt} does not fit {out!r}, whose name says {implied}. Change one of them.",
            zh=f"--format {fmt} 与文件名 {out} 所示的格式（{implied}）不符，请改其一",
        )
    return fmt or implied  # type: ignore[return-value]


def write_frame(frame: pl.DataFrame, fmt: str | None, out: str | None) -> None:
    """Write a table as table/csv/json/parquet/xlsx to ``out`` or stdout (:func:`output_format`).

    A CSV file is written for a spreadsheet (BOM, formula-like cells quoted); CSV on stdout is
    left as it is, for the program it is piped to. A table written to a file is written whole.
    """
    _write_frame(frame, output_format(fmt, out), out)
    if out:  # said, as evolve and export say it (a file in a folder made for it appeared without a word)
        print(f"wrote {frame.height} rows to {out}")


def _write_frame(frame: pl.DataFrame, fmt: str, out: str | None) -> None:
    if fmt == "xlsx":
        if not out:
            raise PlanAlignError("Excel output needs --out FILE.xlsx.", zh="Excel 格式须用 --out 指定输出文件")
        from align.export import write_workbook

        # the links' writer: text never a formula, a cell past Excel's 32,767 characters cut with a note
        plain = _plain(frame)
        write_atomic(Path(out), lambda tmp: write_workbook(tmp, [("数据", plain)]))
        return
    if fmt == "parquet":
        if not out:
            raise PlanAlignError("Parquet output needs --out FILE.parquet.", zh="Parquet 格式须用 --out 指定输出文件")
        write_atomic(Path(out), frame.write_parquet)
        return
    if fmt == "csv" and out:
        from align.export import write_spreadsheet_csv

        plain = _plain(frame)
        write_atomic(Path(out), lambda tmp: write_spreadsheet_csv(plain, tmp))
        return
    if fmt == "json":
        text = json.dumps(frame.to_dicts(), ensure_ascii=False, indent=1)
    elif fmt == "csv":
        text = _plain(frame).write_csv()
    else:
        if out:
            with pl.Config(tbl_rows=-1, tbl_cols=-1, fmt_str_lengths=10_000, tbl_width_chars=60_000):
                text = str(_plain(frame))
        else:
            print_table(_plain(frame))
            return
    if out:
        write_atomic(Path(out), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


# ---------------------------------------------------------------- commands


def cmd_docs(args: argparse.Namespace) -> None:
    from align.registry import registry_frame

    print_table(registry_frame(settings_from_args(args).data_dir))


def cmd_add(args: argparse.Namespace) -> None:
    from align.parsing import parse_text
    from align.readers import DocumentText, read_document_text
    from align.registry import add_document, registration_warnings

    settings = settings_from_args(args)
    source = Path(args.file)
    max_bytes = settings.max_bytes
    mapped_text = None
    if args.columns:  # columns named by hand: the table is registered as text with its columns mapped
        from align.formats import parse_column_spec, read_table_file

        mapped_text = read_table_file(source, parse_column_spec(args.columns), max_bytes=max_bytes)
    meta = _meta_for_add(args, settings, source, mapped_text)

    def check(path: Path, meta: DocumentMeta) -> None:
        text = read_document_text(path, max_bytes=max_bytes)
        if mapped_text is not None:  # read again from its mapped copy: what the table's reader left out is said
            text = DocumentText(text, (*getattr(text, "notes", ()), *getattr(mapped_text, "notes", ())))
        try:
            parsed = parse_text(text, meta, path=source)
        except DocumentParseError as exc:  # name the file the planner gave, not the copy being checked
            raise DocumentParseError(exc.message, path=source, line=exc.line, zh=exc.zh) from exc
        print(f"parsed {parsed.items.height} items from {source}")
        for warning in parsed.warnings:
            print(f"warning: {warning}", file=sys.stderr)

    def said(warning: tuple[str, str]) -> None:  # a leftover of an interrupted add, moved aside
        print(f"warning: {warning[0]}", file=sys.stderr)

    if mapped_text is not None:
        with tempfile.TemporaryDirectory() as tmp:
            mapped = Path(tmp) / f"{source.stem}.txt"
            mapped.write_text(mapped_text, encoding="utf-8")
            added = add_document(settings.data_dir, mapped, meta, check=check, on_warning=said)
    else:
        added = add_document(settings.data_dir, source, meta, check=check, on_warning=said)
    under = f", under {added.parent}" if added.parent else ""  # read from the heading, maybe: said, to be checked
    print(f"registered '{added.id}' ({added.file}): {added.jurisdiction}, {added.level}, {added.year}, {added.kind}{under}")
    for warning, _ in registration_warnings(settings.data_dir, added.id):
        print(f"warning: {warning}", file=sys.stderr)


def cmd_edit(args: argparse.Namespace) -> None:
    from align.registry import EDITABLE_FIELDS, get_document, registration_warnings, update_document

    changes = {name: getattr(args, name) for name in EDITABLE_FIELDS if getattr(args, name) is not None}
    if not changes:
        raise PlanAlignError(
            f"Nothing to change: give one or more of {', '.join('--' + name for name in EDITABLE_FIELDS)}.",
            zh="没有要修改的内容，请给出要改的字段",
        )
    data_dir = settings_from_args(args).data_dir
    before = get_document(data_dir, args.doc)
    after = update_document(data_dir, args.doc, **changes)
    changed = [f"{name}: {getattr(before, name) or '—'} → {getattr(after, name) or '—'}"
               for name in EDITABLE_FIELDS if getattr(before, name) != getattr(after, name)]
    print(f"updated '{after.id}': {'; '.join(changed)}" if changed else f"'{after.id}' already reads so; nothing changed")
    for warning, _ in registration_warnings(data_dir, after.id) if changed else ():
        print(f"warning: {warning}", file=sys.stderr)


def cmd_remove(args: argparse.Namespace) -> None:
    from align.registry import document_path, get_document, in_data_folder, remove_document
    from align.store import DecisionStore, decisions_on

    settings = settings_from_args(args)
    meta = get_document(settings.data_dir, args.doc)
    decided = 0
    if settings.db_path.exists():  # no store yet: nothing decided, and none is created to say so
        with DecisionStore(settings.db_path) as store:
            decided = decisions_on(store.current(), meta.id)
    if decided:
        raise PlanAlignError(
            f"{decided} decision(s) in effect judge items of {meta.id}; removing it would leave them without "
            f"their text. Undo them first (plan-align decide ... --undo), or keep the document.",
            zh=f"{meta.id} 的条目上有 {decided} 条有效的审核结论，移除会使其失去原文；请先撤销，或保留该文档",
        )
    outside = not in_data_folder(settings.data_dir, meta)
    moved = remove_document(settings.data_dir, meta.id)
    if outside:
        kept = f"; its file {document_path(settings.data_dir, meta)} is outside the data folder and was left where it is"
    else:
        kept = f"; its file is kept in {moved}" if moved else ""
    print(f"removed '{meta.id}' from the registry{kept}")


def _listed(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _meta_for_add(args: argparse.Namespace, settings: Settings, source: Path, mapped_text: str | None) -> DocumentMeta:
    """The new document's metadata: what the planner gave, the rest read from its own heading.

    ``西咸新区2023年工作要点`` alone gives jurisdiction 西咸新区, level new-area, year 2023,
    kind work_points and id xixian-2023 (in the registry's style, never one already taken);
    what the heading does not say must be given, and the error names the option.
    """
    from align.parsing import document_heading, heading_metadata
    from align.readers import as_simplified, read_document_text
    from align.registry import load_registry, registry_path

    given = (args.id, args.jurisdiction, args.level, args.year, args.title)
    title, year = None, None
    if any(value is None or value == "" for value in given):  # --year 0 is given, and refused below
        text = as_simplified(mapped_text) if mapped_text is not None else read_document_text(source, max_bytes=settings.max_bytes)
        title, year = document_heading(text)
    registered = load_registry(settings.data_dir) if registry_path(settings.data_dir).exists() else []
    taken = {d.id for d in registered}
    heading = heading_metadata(title, year if args.year is None else args.year, taken, jurisdiction=args.jurisdiction,
                               parent=args.parent, cities={d.jurisdiction for d in registered if d.level == "city"})
    jurisdiction, level, year = heading.jurisdiction, args.level or heading.level, heading.year
    parent = heading.parent or ""
    if not (jurisdiction and level and year is not None):
        missing = [option for option, value in (("--jurisdiction", jurisdiction), ("--level", level), ("--year", year))
                   if not value and value != 0]
        said = [option.lstrip("-") for option in missing]
        raise PlanAlignError(
            f"{source}: its heading does not say its {_listed(said)}; give {_listed(missing)}.",
            zh=f"文件标题看不出{'、'.join(FIELD_NAMES_ZH[option] for option in said)}，请用 {' '.join(missing)} 给出",
        )
    return DocumentMeta(
        id=args.id or heading.id or "", title=args.title or title or source.stem,
        jurisdiction=jurisdiction, level=level, year=year, kind=args.kind or heading.kind or "plan",
        file=source.name, parent=parent,
    )


def cmd_ingest(args: argparse.Namespace) -> None:
    from align.ingest import ingest

    settings = settings_from_args(args)

    def progress(index: int, total: int, doc_id: str) -> None:
        print(f"[{index}/{total}] {doc_id}", file=sys.stderr, flush=True)

    reports = ingest(settings, args.ids or None, progress=progress)
    failed = 0
    for report in reports:
        if report.error:
            failed += 1
            print(error_line(report.error), file=sys.stderr)
            continue
        state = "parsed" if report.parsed else "unchanged"
        print(f"{report.doc_id}: {report.items} items ({state})")
        for warning in report.warnings:
            print(f"  warning: {warning}")
    if failed:
        raise SystemExit(EXIT_USER_ERROR)


def cmd_items(args: argparse.Namespace) -> None:
    from align.ingest import document_warnings, load_items
    from align.items import SCHEMA_FIELDS, filled_columns

    settings = settings_from_args(args)
    items = load_items(settings, args.doc)
    # The schema, exactly; a table with a 完成时限 column adds its deadlines.
    write_frame(items.select(SCHEMA_FIELDS + filled_columns(items, ["deadline"])), args.format, args.out)
    for warning in document_warnings(settings, args.doc):  # counts the document gives that disagree, lines not read
        print(f"warning: {warning}", file=sys.stderr)


def cmd_indicators(args: argparse.Namespace) -> None:
    from align.ingest import load_indicators
    from align.items import TARGET_STRUCT

    indicators = load_indicators(settings_from_args(args), args.doc)
    frame = pl.DataFrame(indicators, schema=dict(TARGET_STRUCT.to_schema()))
    if frame.is_empty():  # said beside the output, which stays a table (an empty one) for what reads it
        print(f"note: {args.doc}: no headline indicators (no 主要预期目标 paragraph).", file=sys.stderr)
    write_frame(frame, args.format, args.out)


# ---------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors (--top-k abc, a missing argument) say in Chinese too what every
    other plan-align error says in both languages; the subcommands' parsers are of this class."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message} （命令参数有误，用法见 {self.prog} --help）\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="plan-align",
        description="Align Chinese government plans: parse each document into plan items, propose the links "
        "between two plans with the evidence behind them, record review decisions and export what was confirmed.",
        epilog="A typical run: plan-align docs; plan-align match baqiao-2023 xian-2024; "
        "plan-align decide baqiao-2023:75 xian-2024:4 --confirm --reviewer 王; plan-align export --out links.xlsx. "
        "The review app (see README) does the same on screen.",
    )
    common = _Parser(add_help=False)
    common.add_argument("--data", help="data folder (registry.toml plus files); default: bundled data/ or $PLAN_ALIGN_DATA")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, func: Callable[[argparse.Namespace], None], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    command("docs", cmd_docs, "List the registered documents.")

    p = command("add", cmd_add, "Copy a document into the data folder and register it.")
    p.add_argument("file", help=f"the plan file ({' '.join(sorted(TEXT_SUFFIXES - {''} | set(READERS)))})")
    p.add_argument("--id", help="a short id used everywhere else (default: place and year in pinyin, e.g. yanta-2024)")
    p.add_argument("--jurisdiction", help="the government that issued it, e.g. 雁塔区 (default: from the heading)")
    p.add_argument("--level", choices=LEVELS, help="default: from the jurisdiction's name (区 district, 市 city …)")
    p.add_argument("--year", type=int, help="the plan's year (default: from the heading)")
    p.add_argument("--kind", choices=KINDS, help="default: from the heading (分解表 task_table, 实事 livelihood_plan …)")
    p.add_argument("--title", help="default: the document's heading, else the file name")
    p.add_argument("--parent", help="the jurisdiction one level up, e.g. 西安市")
    p.add_argument("--columns", help="spreadsheet columns by hand, e.g. task=主要任务,units=牵头单位 (or task=2: the 2nd "
                   f"column); roles: {', '.join(ROLES)}")

    p = command("edit", cmd_edit, "Correct a registered document's metadata (its parent, year, title …).")
    p.add_argument("doc", help="a document id (see: plan-align docs)")
    p.add_argument("--title")
    p.add_argument("--jurisdiction", help="the government that issued it, e.g. 雁塔区")
    p.add_argument("--level", choices=LEVELS)
    p.add_argument("--parent", help="the jurisdiction one level up, e.g. 西安市 (\"\" removes it)")
    p.add_argument("--year", type=int)
    p.add_argument("--kind", choices=KINDS)

    p = command("remove", cmd_remove, "Take a document added by mistake out of the registry (its file is kept aside).")
    p.add_argument("doc", help="a document id (see: plan-align docs)")

    p = command("ingest", cmd_ingest, "Parse registered documents into the Parquet cache (only what changed).")
    p.add_argument("ids", nargs="*", help="document ids (default: all)")

    for name, func, help_text in (
        ("items", cmd_items, "Show one document's plan items."),
        ("indicators", cmd_indicators, "Show a document's headline indicators (主要预期目标)."),
    ):
        p = command(name, func, help_text)
        p.add_argument("doc", help="a document id (see: plan-align docs)")
        p.add_argument("--format", choices=["table", "csv", "json", "parquet", "xlsx"],
                       help="default: from the --out file's ending, else a table on screen")
        p.add_argument("--out", help="write to this file instead of printing")

    register_more_commands(command)
    return parser


def register_more_commands(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Commands of the matching, evolution, review and export modules."""
    for module_name in ("matching.cli", "align.evolution_cli", "align.review_cli"):
        try:
            module = __import__(module_name, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(command)


def error_line(exc: PlanAlignError) -> str:
    """One line on stderr: the English message, then its Chinese reason (still one line, for scripts)."""
    chinese = f" （{exc.TITLE_ZH}：{exc.zh}）" if exc.zh else ""
    return f"error: {exc}{chinese}"


class _OutputLost(Exception):
    """Writing to stdout failed (``error``: the OSError). Told apart from an OSError anywhere else, which
    is a bug to see, not a disk or a pipe to blame."""

    def __init__(self, error: OSError):
        super().__init__(error)
        self.error = error


class _GuardedStdout:
    """``sys.stdout`` while a command runs: a write or flush that fails (a full disk, a closed pipe) raises
    :class:`_OutputLost`, so :func:`main` can say it in one line instead of a traceback."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise _OutputLost(exc) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _OutputLost(exc) from exc

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _output_error(error: OSError) -> OutputError:
    """Stdout that could not be written, said as a file that could not be (a full disk in the store's words)."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError("Could not write the output to standard output: the disk is full. Free some space and try "
                           "again.", zh="写入标准输出时磁盘已满，请腾出空间后重试")
    reason = " ".join(str(error.strerror or error).split())
    return OutputError(f"Could not write the output to standard output: {reason}.",
                       zh=f"写入标准输出失败（{reason}）")


def _discard_stdout(stream) -> None:
    """Point stdout's file at /dev/null: Python flushes what is left in its buffer at exit, and failing
    again there printed "Exception ignored … BrokenPipeError" and exited 120."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no file behind it (a test's capture): nothing flushes it at exit
        pass


class _WarningLines(logging.Handler):
    """What plan-align logs as a warning (a decision store row read as missing, a store written back)
    said as the CLI's other warnings: ``warning: …``, one line on stderr, once per command (a command
    may open the store twice)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        line = f"warning: {' '.join(record.getMessage().split())}"
        if line not in self.said:
            self.said.add(line)
            print(line, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings = _WarningLines()
    logging.getLogger("align").addHandler(warnings)
    stdout = sys.stdout
    sys.stdout = _GuardedStdout(stdout)  # type: ignore[assignment]  # a stream to print, which is all it is used as
    try:
        check_out_is_not_ours(args)  # every command's --out, before it reads or writes anything
        args.func(args)
        sys.stdout.flush()  # output still buffered fails here, where it can be said, not at exit
    except PlanAlignError as exc:
        print(error_line(exc), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:  # any other is a bug to see, not the user's path to blame
            raise
        # a path the user gave (a name past the file system's 255 bytes: 86 Chinese characters) fails in pathlib's
        # own checks (is_dir, exists) before any of ours can word it
        print(error_line(PlanAlignError(
            f"{exc.filename or 'a path given'}: the file name is too long for the file system (a name of 255 bytes "
            "at most, about 85 Chinese characters); give a shorter one.",
            zh="文件名太长（一级名称最多 255 字节，约 85 个汉字），请改短")), file=sys.stderr)
        return EXIT_USER_ERROR
    except _OutputLost as lost:
        _discard_stdout(stdout)
        if isinstance(lost.error, BrokenPipeError):  # the reader took what it wanted (| head -1): no error, as Unix tools
            return 0
        print(error_line(_output_error(lost.error)), file=sys.stderr)
        return EXIT_USER_ERROR
    finally:
        sys.stdout = stdout
        logging.getLogger("align").removeHandler(warnings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
