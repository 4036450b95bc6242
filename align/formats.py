"""Readers for the files planners actually send: Word, Excel, CSV and PDF.

Each reader returns text in the shape ``align.parsing`` already reads — paragraphs as
lines, table rows as tab-separated lines under a header row — so every format yields
the same item schema through the same parser. Spreadsheets come back with canonical
headers (序号, 主要任务, 责任单位, 进展情况) and one text line per sheet row, so a parse
error's "line N" is row N of the sheet.

Every failure, whatever library raised it, becomes a ``DocumentParseError`` naming the
file; work is bounded by a row limit, a page limit and a limit on unpacked size.
"""

from __future__ import annotations

import csv
import datetime as dt
import operator
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import repeat, zip_longest
from pathlib import Path
from typing import Any, TypeVar

import cn2an

from align.exceptions import PROBLEMS_LISTED, DocumentParseError, Problem
from align.normalize import normalize_text
from align.numfmt import general, render_number_format
from align.parsing import (
    HEADER_ROLES,
    PAGE_NUMBER,
    header_key,
    recognise_columns,
    row_by_role,
    soft_lines,
)
from align.readers import (
    DEFAULT_MAX_BYTES,
    DocumentText,
    check_size,
    decode_text,
    join_broken_lines,
)

MAX_TABLE_ROWS = 200_000
MAX_TABLE_COLUMNS = 100
MAX_PDF_PAGES = 2_000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
HEADER_SEARCH_ROWS = 50

ROLES = ("number", "task", "units", "co_units", "detail", "measure", "status", "deadline", "progress", "remarks")
# Headers each role is recognised by (the parser's, plus a status column); a header matches
# a word exactly or starts with it.
COLUMN_HEADERS: dict[str, tuple[str, ...]] = {
    **{role: words for role, words in HEADER_ROLES.items() if role != "progress"},
    "status": ("完成状态", "状态", "是否完成", "完成进度"),
    "progress": HEADER_ROLES["progress"],
}
# The header written out: a name the parser recognises for each role the table has.
_OUTPUT_NAMES = {"number": "序号", "task": "主要任务", "units": "责任单位", "co_units": "配合单位", "detail": "目标要求",
                 "measure": "计量单位",
                 "deadline": "完成时限", "progress": "进展情况", "remarks": "备注"}
_DONE_WORDS = {"已完成", "完成", "是", "√", "✓", "done", "yes", "y"}
_PENDING_WORDS = {"未完成", "否", "推进中", "进行中", "正在推进", "持续推进", "×", "in progress", "no", "n"}

# A line that opens an outline item (一、 （一） 1. （1）): never joined to the line before.
_OPENS_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,3}\s*[.、．])")

ColumnMap = dict[str, "str | int"]
_T = TypeVar("_T")


# ---------------------------------------------------------------- shared helpers


_OPEN_WITH = {"Word": "Word or WPS", "Excel": "Excel or WPS", "PDF": "a PDF viewer", "CSV": "a text editor"}
_OPEN_WITH_ZH = {"Word": "用 Word 或 WPS 打开", "Excel": "用 Excel 或 WPS 打开", "PDF": "用 PDF 阅读器打开", "CSV": "用文本编辑器打开"}


def _cause(exc: BaseException) -> BaseException:
    """The innermost exception a library wrapped (pdfplumber wraps pdfminer's in its args)."""
    while exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    return exc


def _guard(path: Path, kind: str, read: Callable[[], _T]) -> _T:
    """Run a library reader; any failure becomes one ``DocumentParseError`` naming the file."""
    try:
        return read()
    except DocumentParseError:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader must never leak another exception type
        cause = _cause(exc)
        name = type(cause).__name__
        if "password" in name.lower() or "encrypt" in name.lower() or "is encrypted" in str(cause):  # xlrd: XLRDError
            raise DocumentParseError(
                f"the {kind} file is password-protected; save an unprotected copy and try again.", path=path,
                zh="文件有密码保护，请另存一份无密码的副本后重试",
            ) from exc
        detail = " ".join(str(cause).split())[:200] or name
        raise DocumentParseError(
            f"cannot read this {kind} file ({name}: {detail}). "
            f"Check that it opens in {_OPEN_WITH.get(kind, kind)}, then save it again and retry.",
            path=path,
            zh=f"文件读取出错，请确认能{_OPEN_WITH_ZH.get(kind, f'用 {kind} 打开')}，另存后重试",
        ) from exc


def _check_size(path: Path, max_bytes: int | None) -> None:
    """:func:`align.readers.check_size`, and a table file must not be empty."""
    if check_size(path, max_bytes) == 0:
        raise DocumentParseError("the file is empty.", path=path, zh="文件是空的")


# The first bytes of an OLE compound file: what Office writes for a password-protected .xlsx or
# .docx (its package encrypted inside), and for the old binary .xls and .doc.
_OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # the name of the stream holding an encrypted package


def _check_zip(path: Path, kind: str) -> None:
    """Refuse a file that is not a zip package or that unpacks to more than the limit."""
    if not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            head = handle.read(len(_OLE_HEADER))
        if head == _OLE_HEADER:  # an encrypted package and an old binary file are both OLE containers
            if _ENCRYPTED_STREAM in path.read_bytes():
                raise DocumentParseError(
                    f"the {kind} file is password-protected; open it, remove the password, save it and try again.",
                    path=path, zh="文件设有密码，请打开后取消密码、保存，再重试",
                )
            old, new = {"Word": (".doc", ".docx"), "Excel": (".xls", ".xlsx")}[kind]
            raise DocumentParseError(
                f"this {kind} file may be password-protected (open it, remove the password, save it and try again), "
                f"or it is an old binary {old} file (open it and save it as {new}).",
                path=path,
                zh=f"文件可能设有密码（请打开后取消密码再保存），或是旧版 {old} 格式（请打开后另存为 {new}）",
            )
        raise DocumentParseError(
            f"this is not {'an' if kind[0] in 'AEIOU' else 'a'} {kind} file (not a zip package). If it is an older format, "
            "open it and save it again as the newer one.",
            path=path,
            zh=f"这不是 {kind} 文件；如是旧格式，请打开后另存为新格式",
        )
    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    # NotImplementedError: a damaged header asks for a zip version Python does not read ("zip file version 6.4")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise DocumentParseError(
            f"this {kind} file is damaged ({exc}); open it in {_OPEN_WITH[kind]} and save it again.", path=path,
            zh=f"文件已损坏，请{_OPEN_WITH_ZH[kind]}后另存",
        ) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocumentParseError(
            f"the file unpacks to {unpacked / 1e6:.0f} MB, over the {MAX_UNPACKED_BYTES / 1e6:.0f} MB limit; "
            "split it into smaller files.",
            path=path,
            zh=f"文件解压后 {unpacked / 1e6:.0f} MB，超过上限，请拆成几个小文件",
        )


@dataclass(frozen=True)
class MergedFromAbove:
    """A cell under the top of a vertically merged range, holding the range's value.

    Excel stores the value once, in the top cell; the cells below read empty. A table
    reader decides whether the value belongs to this row too (a 牵头单位 shared by several
    tasks) or the row continues the task above (its 序号 and task merged as well).
    """

    value: Any


@dataclass(frozen=True)
class UncachedFormula:
    """A formula cell whose value was never calculated: a workbook written by a program and
    not saved in Excel or WPS stores the formula alone, which reads as an empty cell."""

    cell: str  # A1-style reference, for the message

    def problem(self) -> tuple[str, str]:
        """Why a read column cannot hold it, in English and Chinese."""
        return (f"cell {self.cell} holds a formula whose value was never calculated (the workbook was written "
                "by a program and not yet saved in Excel or WPS), so it would read as empty; open the file in "
                "Excel or WPS, save it, and add it again.",
                f"单元格 {self.cell} 的公式没有计算结果，请用 Excel 或 WPS 打开并保存后重新添加")


@dataclass(frozen=True)
class ErrorValue:
    """A cell whose formula ended in an Excel error (#N/A, #REF!, #VALUE!): read as text it became a
    responsible unit '#NA'."""

    cell: str  # A1-style reference, for the message
    shown: str  # the error as Excel shows it

    def problem(self) -> tuple[str, str]:
        """Why a read column cannot hold it, in English and Chinese."""
        return (f"cell {self.cell} shows the Excel error {self.shown} (its formula failed), which would be read as "
                "text; correct it in Excel or WPS, save, and add the file again.",
                f"单元格 {self.cell} 显示 Excel 错误 {self.shown}（公式出错），请在 Excel 或 WPS 中改正并保存后重新添加")


def _cell_text(value: Any, *, hard_breaks: bool = False) -> str:
    """One cell as a single line: numbers without '.0', newlines and tabs as spaces.

    ``hard_breaks``: a line break typed in the cell (Alt+Enter in Excel, a second paragraph in a
    Word cell) ends a clause as :func:`align.readers.cell_break` reads it (实施重点项目50个 | 完成投资80亿元 read as
    one indicator, 实施重点项目完成投资). A PDF's breaks are where the text wrapped, and stay spaces.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    text = str(value)
    if hard_breaks and any(c in text for c in "\r\n\x0b"):
        # (a typed break, \v, mostly wraps a phrase; a new line or paragraph ends a clause as a rule)
        pieces = re.split(r"([\r\n\x0b]+)", text)
        lines = [(" ".join(line.replace("\t", " ").split()), "\x0b" not in (pieces[i + 1] if i + 1 < len(pieces) else ""))
                 for i, line in enumerate(pieces) if i % 2 == 0]
        return join_broken_lines(lines)
    return " ".join(text.replace("\t", " ").split()) if any(c in text for c in "\t\r\n\x0b\x0c") else text.strip()


# ---------------------------------------------------------------- tables (xlsx, xls, csv)


def parse_column_spec(spec: str) -> ColumnMap:
    """``"task=主要任务,units=3"`` → ``{"task": "主要任务", "units": 2}``.

    Numbers count from 1, as a spreadsheet user counts columns; the map returned holds
    0-based indices, as ``read_table_file`` takes them.
    """
    mapping: ColumnMap = {}
    problems: list[Problem] = []
    for part in [p for p in spec.replace("，", ",").split(",") if p.strip()]:
        role, sep, column = part.partition("=")
        role, column = role.strip(), column.strip()
        if (plain := unicodedata.normalize("NFKC", column)).isdecimal():  # ② and ２ are column 2 (int('②') fails)
            column = plain
        if not sep or not column:
            problems.append((f"{part.strip()!r} is not ROLE=COLUMN", f"“{part.strip()}”不是“角色=列”的写法"))
        elif role not in ROLES:
            problems.append((f"the role {role!r} is not one of {', '.join(ROLES)}",
                             f"没有 {role} 这个角色（可用 {'、'.join(ROLES)}）"))
        elif role in mapping:
            problems.append((f"the role {role} is given twice", f"角色 {role} 给了两次"))
        elif (column.isdecimal() and int(column) - 1 in mapping.values()) or column in mapping.values():
            problems.append((f"column {column} is given two roles",
                             f"第 {column} 列被指定了两个角色" if column.isdecimal() else f"“{column}”列被指定了两个角色"))
        elif column.isdecimal():
            if int(column) < 1:
                problems.append((f"column numbers count from 1; got {column}", f"列号从 1 数起，不能是 {column}"))
            else:
                mapping[role] = int(column) - 1
        else:
            mapping[role] = column
    if problems:
        raise DocumentParseError(
            "The '--columns' option must look like task=主要任务,units=牵头单位 (or task=2 for the 2nd column): "
            + "; ".join(en for en, _ in problems) + ".",
            zh="列的指定写法应为 task=主要任务,units=牵头单位（或用 task=2 指第 2 列）：" + "；".join(zh for _, zh in problems),
        )
    return mapping


def _resolve_header(cells: list[str], column_map: ColumnMap | None) -> tuple[dict[int, str] | None, list[Problem]]:
    """The roles of a candidate header row (None if it is not one), and what the hand map missed."""
    keys = [header_key(c) for c in cells]
    roles: dict[int, str] = {}
    problems: list[Problem] = []
    for role, column in (column_map or {}).items():
        if isinstance(column, int):
            if column >= MAX_TABLE_COLUMNS:
                problems.append((f"the {role!r} column is number {column + 1}, past the {MAX_TABLE_COLUMNS} columns "
                                 "a table is read to", f"{role} 指定为第 {column + 1} 列，超出了读取的 {MAX_TABLE_COLUMNS} 列"))
            elif column < 0:
                problems.append((f"the {role!r} column index {column} is outside 0..{MAX_TABLE_COLUMNS - 1}",
                                 f"{role} 的列号 {column} 不在 0 到 {MAX_TABLE_COLUMNS - 1} 之间"))
            elif column >= len(cells):  # an empty column past the last header: every task would be blank
                problems.append((f"the {role!r} column is number {column + 1}, but this row has {len(cells)} column(s)",
                                 f"{role} 指定为第 {column + 1} 列，但表头只有 {len(cells)} 列"))
            else:
                roles[column] = role
        elif header_key(str(column)) in keys:
            roles[keys.index(header_key(str(column)))] = role
        else:
            problems.append((f"no column is headed {column!r}", f"没有标题为“{column}”的列"))
    if problems:
        return None, problems
    for index, role in recognise_columns(cells, COLUMN_HEADERS).items():
        if index not in roles and role not in roles.values():
            roles[index] = role
    if "task" in roles.values() and (len(roles) >= 2 or column_map):
        return roles, []
    return None, []


def _status_word(value: str) -> str:
    key = normalize_text(value).lower()
    if key in _DONE_WORDS:
        return "已完成"
    if key in _PENDING_WORDS:
        return "推进中"
    return value


def _written_roles(roles: dict[int, str]) -> list[str]:
    """The roles a table is written out with, in the canonical header's order."""
    return [r for r in _OUTPUT_NAMES if r in ("number", "task", "units", "progress") or r in roles.values()]


def _header_line(written: list[str], header_cells: list[str], roles: dict[int, str]) -> str:
    """The canonical header, then the names of the columns not read (empty in every row written).

    The parser names those columns in a warning, as it does for a text table, so a planner
    learns that 完成时限 was not read instead of finding it silently gone.
    """
    unread = [name[:16] for i, name in enumerate(header_cells) if name and i not in roles]
    return "\t".join([*(_OUTPUT_NAMES[r] for r in written), *unread])


def _roles_below_header(cells: list[str], roles: dict[int, str]) -> dict[int, str]:
    """Roles a second header row names under columns the first left unmapped.

    Many 分解表 head two columns with one merged cell (责任分工) and name them in the row
    below (牵头单位 | 配合单位). A row with text in the number or task column is a task,
    not a header; a role the first row already maps stays where it is.
    """
    if any(cells[i] for i, role in roles.items() if role in ("number", "task") and i < len(cells)):
        return {}
    return {i: role for i, role in recognise_columns(cells, COLUMN_HEADERS).items() if i not in roles and role not in roles.values()}


def _own_number(cells: list[str], merged: set[int], roles: dict[int, str] | None) -> bool:
    """Whether a table row has a 序号 of its own, not merged from above: a task merged down over it
    (B6:B7 over tasks 4 and 5) is that task's too, as Excel shows it; it read as task 5 with no text."""
    column = next((i for i, role in (roles or {}).items() if role == "number"), None)
    return column is not None and column not in merged and column < len(cells) and bool(cells[column])


def _say_merged_once(cells: list[str], merged: set[int], roles: dict[int, str] | None) -> None:
    """Empty, in place, the cells of a row merged down from the row above (``merged``: their columns)
    where the value is said once: a title or header above the table (``roles`` None), or a row that
    continues the task above (its 序号 or task merged, no 序号 of its own). A value merged down over
    several tasks (a 牵头单位) stays in each of them."""
    if merged and (roles is None or any(roles.get(i) in ("number", "task") for i in merged)) \
            and not _own_number(cells, merged, roles):
        for i in merged:
            cells[i] = ""


# How the two errors of a sheet without a task table begin: a workbook's other sheets are read on.
_NO_HEADER = "no header row found"
_NOT_AS_NAMED = "the columns named by hand do not match the table"


def table_rows_to_text(
    rows: Iterable[list[Any]], *, path: Path, column_map: ColumnMap | None = None, where: str = ""
) -> str:
    """A task table (rows of cells) as parser text: canonical header, one line per row.

    Rows before the header are kept as plain lines (titles, the preamble with its
    counts). A row holding only a heading (``持续推进 11 项：``) becomes a plain line, so the
    parser reads it as a section. A table without a number column, or whose number column
    is empty in every row (a Word table's automatic numbers pasted into Excel), is numbered
    in row order.
    A second header row naming columns the first left unnamed (牵头单位 | 配合单位 under a
    merged 责任分工) completes the header; a value merged down over several tasks belongs to
    each of them.
    Only rows with text count toward ``MAX_TABLE_ROWS`` (the limit bounds memory, which blank rows do
    not fill): a sheet formatted far below its last task is read, its trailing blank rows left out.
    """
    label = f"{path}{where}"
    lines: list[str] = []
    roles: dict[int, str] | None = None
    written: list[str] = []  # the roles written out, in the header's order
    header_cells: list[str] = []
    header_line = 0  # the header's place among the lines written
    unnamed_text: set[int] = set()  # columns without a header whose text is not read: named in the header written
    width = 0
    header_row = 0
    mapping_problems: list[Problem] = []
    wide_rows: list[str] = []
    unnumbered: list[int] = []  # lines of task rows without a number: numbered in order if no row has one
    numbered = False
    blank = 0  # blank rows not yet written: written only when a row with text follows, so trailing ones cost nothing
    counted = 0  # rows with text, which the limit is on
    for row_number, raw in enumerate(rows, start=1):
        values = raw[:MAX_TABLE_COLUMNS]
        merged = {i for i, v in enumerate(values) if isinstance(v, MergedFromAbove)}
        unreadable = {i: v for i, v in enumerate(values) if isinstance(v, UncachedFormula | ErrorValue)}
        cells = [_cell_text(None if i in unreadable else v.value if isinstance(v, MergedFromAbove) else v,
                            hard_breaks=roles is not None) for i, v in enumerate(values)]  # titles above the header wrap
        _say_merged_once(cells, merged, roles)
        while cells and not cells[-1]:
            cells.pop()
        if not cells:  # borders formatted down to row 300,000 of a 10-task sheet, or trailing ,, lines of a CSV
            blank += 1
            if roles is None and row_number >= HEADER_SEARCH_ROWS:
                break
            continue
        counted += 1
        if counted > MAX_TABLE_ROWS:
            raise DocumentParseError(
                f"the table has more than {MAX_TABLE_ROWS:,} rows with text (blank rows are not counted); "
                "split it into smaller files.", path=label,
                zh=f"表格中有内容的行超过 {MAX_TABLE_ROWS:,} 行（空行不计），请拆成几个小文件",
            )
        lines.extend([""] * blank)  # one line per sheet row, so a row number in an error stays right
        blank = 0
        if roles is None:
            if row_number <= HEADER_SEARCH_ROWS and cells:
                found, problems = _resolve_header(cells, column_map)
                if found is not None:
                    roles, width, header_row = found, max(len(cells), max(found) + 1), row_number
                    written, header_cells = _written_roles(roles), cells
                    header_line = len(lines)
                    lines.append(_header_line(written, header_cells, roles))
                    continue
                if problems and not mapping_problems and len([c for c in cells if c]) >= 2:
                    shown = ", ".join(repr(c) for c in cells if c)[:200]
                    mapping_problems = [*problems, (f"the headers in row {row_number} are {shown}",
                                                    f"第 {row_number} 行的表头是 {'、'.join(c for c in cells if c)[:200]}")]
            lines.append(" ".join(c for c in cells if c))
            if row_number >= HEADER_SEARCH_ROWS:
                break
            continue
        if row_number == header_row + 1 and (below := _roles_below_header(cells, roles)):
            roles = {**roles, **below}
            width = max(width, len(cells))
            written = _written_roles(roles)
            header_cells = [below or above for above, below in zip_longest(header_cells, cells, fillvalue="")]
            lines[-1] = _header_line(written, header_cells, roles)
            lines.append("")  # one line per sheet row, so a row number in an error stays right
            continue
        # an uncalculated formula is said before an error value, each kind from the left
        if unread := sorted((isinstance(v, ErrorValue), i) for i, v in unreadable.items() if i in roles):
            message, zh = unreadable[unread[0][1]].problem()
            raise DocumentParseError(message, path=label, line=row_number, zh=zh)
        if len(cells) > width:
            wide_rows.append(f"row {row_number} has {len(cells)} columns")
            continue
        filled = [i for i, c in enumerate(cells) if c]
        content = {i for i, r in roles.items() if r != "number"}
        if len(filled) == 1 and filled[0] not in content:
            lines.append(cells[filled[0]])
            continue
        row = row_by_role(cells, roles, header_cells, unnamed_text)
        row["number"] = row.get("number", "")
        if row["number"]:
            numbered = True
        elif row.get("task"):
            unnumbered.append(len(lines))
        # the status column's word a sentence of its own: 已完成；…正在推进验收工作 read under way, its later words winning
        row["progress"] = "。".join(p for p in (_status_word(row.get("status", "")), row.get("progress", "")) if p)
        lines.append("\t".join(row.get(r, "") for r in written))
    if not numbered:
        for number, index in enumerate(unnumbered, start=1):
            lines[index] = f"{number}{lines[index]}"  # the number is the first column written, and empty
    if roles is None and mapping_problems:  # the header may be there: the columns named for it are not
        raise DocumentParseError(
            f"{_NOT_AS_NAMED}: {'; '.join(en for en, _ in mapping_problems)}. Name each column as its header reads "
            "(--columns task=主要任务, or column_map={'task': '主要任务'}) or by its number (task=2 for the 2nd column).",
            path=label,
            zh=f"所指定的列（--columns）与表格对不上：{'；'.join(zh for _, zh in mapping_problems)}",
        )
    if roles is None:
        raise DocumentParseError(
            f"{_NO_HEADER} in the first {HEADER_SEARCH_ROWS} rows. "
            "Expected a header such as 序号 / 主要任务 / 责任单位 / 进展情况; name the columns by hand with "
            "plan-align add FILE --columns task=<header>,units=<header> (or column_map={'task': <header or index>}).",
            path=label,
            zh=f"前 {HEADER_SEARCH_ROWS} 行里没有表头（如 序号 / 主要任务 / 责任单位 / 进展情况）",
        )
    if unnamed_text:  # named among the columns not read, so the parser says so (their text was dropped unsaid)
        lines[header_line] = _header_line(written, [name or (f"第{i + 1}列（无表头）" if i in unnamed_text else "")
                                                    for i, name in enumerate(header_cells)], roles)
    if wide_rows:
        raise DocumentParseError(
            f"{'; '.join(wide_rows[:5])}{' …' if len(wide_rows) > 5 else ''}, but the header at row "
            f"{header_row} has {width}; give the extra columns a header or remove them.",
            path=label,
            zh=f"有的行比表头（第 {header_row} 行，{width} 列）多出几列，请给多出的列加表头或删去",
            line=int(wide_rows[0].split()[1]),
        )
    return "\n".join(lines) + "\n"


def read_table_file(
    path: str | Path, column_map: ColumnMap | None = None, *, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> str:
    """The task table in an .xlsx, .xls or .csv file as parser text.

    Parameters
    ----------
    path : the spreadsheet or CSV file.
    column_map : columns named by hand, ``{role: header text or 0-based column index}``
        with roles ``number, task, units, co_units, detail, status, deadline, progress``; roles not given are still
        recognised from the headers.
    max_bytes : larger files are refused before reading; ``None`` when the caller
        (``read_document_text``) has checked the size already.
    """
    path = Path(path)
    _check_size(path, max_bytes)
    if column_map:
        unknown = sorted(set(column_map) - set(ROLES))
        if unknown:
            raise DocumentParseError(
                f"The column_map roles must be among {', '.join(ROLES)}. Got {', '.join(unknown)} instead.", path=path,
                zh=f"列的角色只能是 {'、'.join(ROLES)}",
            )
    suffix = path.suffix.lower()
    if suffix == ".xlsx" or suffix == ".xlsm":
        return _read_xlsx(path, column_map)
    if suffix == ".xls":
        return _read_xls(path, column_map)
    if suffix == ".csv":
        return _read_csv(path, column_map)
    raise DocumentParseError(
        f"not a table file (expected .xlsx, .xls or .csv, got '{suffix}').", path=path, zh="不是表格文件（应为 .xlsx、.xls 或 .csv）"
    )


# A sheet as the workbook readers give it: its name, whether the sheet is hidden, its rows, and which
# of its rows holding values are hidden (a filter, an outline, Hide Rows), which are read all the same.
_Sheet = tuple[str, bool, Callable[[], Iterable[list[Any]]], list[int]]


def _table_sheets(sheets: Iterator[_Sheet], path: Path, column_map: ColumnMap | None) -> DocumentText:
    """Every visible sheet that holds a task table, as one text; the first sheet's error if none does.

    A workbook often keeps one table per area (经济发展, 民生保障) on its own sheet: with more
    than one, each sheet's rows open with a section named after the sheet, so tasks numbered
    again from 1 stay apart. A sheet whose task column holds only numbers (a 汇总 of counts
    per unit under 任务数) is a summary, not tasks, and is left out. So are a hidden sheet (an old
    draft kept out of sight; ``sheets`` yields it with ``hidden`` true) and a sheet holding the
    same tasks as one before it (Excel's copy "Sheet1 (2)"), else every task would count twice;
    both are named in the notes, so the planner knows. The hidden rows of a sheet read (a filter left on,
    an outline collapsed) are named too but read: a filter also hides section rows and the second row of a
    merged task, and leaving them out misfiled what was shown.
    """
    first_error: DocumentParseError | None = None
    tables: list[tuple[str, str]] = []
    hidden: list[str] = []
    notes: list[str] = []
    hidden_rows: dict[str, list[int]] = {}
    for name, is_hidden, rows, rows_hidden in sheets:
        if is_hidden:
            hidden.append(name)
            continue
        try:
            text = table_rows_to_text(rows(), path=path, column_map=column_map, where=f" (sheet '{name}')")
        except DocumentParseError as exc:
            if not exc.message.startswith((_NO_HEADER, _NOT_AS_NAMED)):
                raise
            first_error = first_error or exc
            continue
        if (original := next((earlier for earlier, seen in tables if seen == text), None)) is not None:
            notes.append(f"工作表 {name} 与 {original} 的任务相同，未读取 sheet '{name}' repeats the tasks of "
                         f"sheet '{original}' and was not read.")
            continue
        tables.append((name, text))
        if rows_hidden:
            hidden_rows[name] = rows_hidden
    if hidden:
        notes.insert(0, f"隐藏的工作表 {'、'.join(hidden)} 未读取 hidden sheet(s) {', '.join(map(repr, hidden))} "
                        "not read (unhide a sheet in Excel or WPS to have its tasks read).")
    if not tables:
        if first_error is None:
            raise DocumentParseError(
                "the workbook has no visible sheets." if hidden else "the workbook has no sheets.", path=path,
                zh="工作簿里没有可见的工作表" if hidden else "工作簿里没有工作表",
            )
        if hidden:  # the tasks may be on the sheet hidden: say so, not only that the visible one has none
            raise DocumentParseError(
                f"{first_error.message} Hidden sheet(s) {', '.join(map(repr, hidden))} were not read; unhide the "
                "sheet that holds the tasks.",
                path=first_error.path, line=first_error.line,
                zh=f"{first_error.zh}；隐藏的工作表 {'、'.join(hidden)} 未读取，如任务在其中，请取消隐藏",
            ) from first_error
        raise first_error
    tables = [table for table in tables if _has_task_words(table[1])] or tables[:1]
    after = 1 if hidden else 0  # after the hidden sheets' note, before the copies'
    notes[after:after] = [_hidden_rows_note(name, hidden_rows[name]) for name, _ in tables if name in hidden_rows]
    if len(tables) == 1:
        return DocumentText(tables[0][1], notes)
    return DocumentText("".join(_under_section(text, order, name) for order, (name, text) in enumerate(tables, start=1)),
                        notes)


def _hidden_rows_note(sheet: str, rows: list[int]) -> str:
    """The note naming the hidden rows of a sheet (holding values), which are read all the same."""
    listed = [str(row) for row in rows[:PROBLEMS_LISTED]]
    more_en = f" and {len(rows) - len(listed)} more" if len(rows) > len(listed) else ""
    more_zh = f"等 {len(rows)} 行" if len(rows) > len(listed) else "行"
    return (f"工作表 {sheet} 中隐藏的第 {'、'.join(listed)} {more_zh}也已读取（筛选或隐藏所致，请核对它们是否属于本文档） "
            f"hidden row{'s' if len(rows) > 1 else ''} {', '.join(listed)}{more_en} of sheet '{sheet}' read as well "
            "(hidden by a filter, an outline or by hand: check that they belong to the plan).")


def _table_lines(text: str) -> tuple[int, list[str]]:
    """The index of a table text's header line (the first with a tab), and its lines."""
    lines = text.split("\n")
    return next((i for i, line in enumerate(lines) if "\t" in line), len(lines)), lines


def _has_task_words(text: str) -> bool:
    """Whether some row's task cell (the second column written) says something in words."""
    header, lines = _table_lines(text)
    return any(re.search(r"[^\W\d_]{2}", (line.split("\t") + ["", ""])[1]) for line in lines[header + 1:])


def _under_section(text: str, order: int, name: str) -> str:
    """A sheet's table text with a section row named after the sheet right below its header."""
    header, lines = _table_lines(text)
    heading = f"{cn2an.an2cn(order)}\t{' '.join(name.split()) or f'Sheet{order}'}"
    return "\n".join([*lines[: header + 1], heading, *lines[header + 1:]]).rstrip("\n") + "\n"


def _read_xlsx(path: Path, column_map: ColumnMap | None) -> str:
    _check_zip(path, "Excel")

    def read() -> str:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            def sheets() -> Iterator[_Sheet]:
                for sheet in book.worksheets:
                    if not hasattr(sheet, "iter_rows"):
                        continue  # a chart sheet
                    if sheet.sheet_state != "visible":  # hidden or very hidden
                        yield sheet.title, True, lambda: iter(()), []
                        continue
                    merged, uncached, hidden = _sheet_layout(path, sheet)
                    yield (sheet.title, False, partial(_xlsx_rows, sheet, merged, uncached),
                           [row for row, holds_values in hidden.items() if holds_values])

            return _table_sheets(sheets(), path, column_map)
        finally:
            book.close()

    return _guard(path, "Excel", read)


def _read_xls(path: Path, column_map: ColumnMap | None) -> str:
    try:
        import xlrd
    except ImportError:
        raise DocumentParseError(
            "old Excel .xls files need the 'xlrd' package, which is not installed; "
            "open the file in Excel or WPS and save it as .xlsx.",
            path=path,
            zh="旧版 .xls 文件请用 Excel 或 WPS 另存为 .xlsx",
        ) from None

    def read() -> str:
        # values alone: with formatting_info a sheet whose template borders 65,535 rows read 70 times
        # slower; a float's noise is still removed (420.29999999999995 reads 420.3), its format not drawn
        book = xlrd.open_workbook(str(path), on_demand=True)
        try:
            def sheets() -> Iterator[_Sheet]:
                for index in range(book.nsheets):
                    sheet = book.sheet_by_index(index)
                    if sheet.visibility:  # 1 hidden, 2 very hidden
                        yield sheet.name, True, lambda: iter(()), []
                        continue
                    # hidden rows are not known: xlrd reads them only with formatting_info, 70 times slower
                    yield sheet.name, False, partial(_xls_rows, sheet, book.datemode), []

            return _table_sheets(sheets(), path, column_map)
        finally:
            book.release_resources()

    return _guard(path, "Excel", read)


def _sheet_layout(
    path: Path, sheet: Any
) -> tuple[list[tuple[int, int, int, int]], dict[int, list[int]], dict[int, bool]]:
    """A sheet's merged ranges as (min_col, min_row, max_col, max_row), its formula cells
    without a calculated value as {row: [columns]}, and its hidden rows (a filter's, or hidden
    by hand) as {row: whether it holds a value}, read from its XML.

    openpyxl's read-only mode, which keeps memory bounded on large sheets, leaves merges
    and hidden rows out and reads an uncalculated formula as an empty cell; the sheet XML is
    streamed once more and only ``mergeCell`` refs, formula cells without a value and hidden
    rows are kept.
    """
    from lxml import etree
    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    sheet_path = getattr(sheet, "_worksheet_path", None)
    if not sheet_path:
        return [], {}, {}
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ranges: list[tuple[int, int, int, int]] = []
    uncached: dict[int, list[int]] = {}
    hidden: dict[int, bool] = {}
    row_number = 0
    with zipfile.ZipFile(path) as package, package.open(sheet_path.lstrip("/")) as xml:
        for _, element in etree.iterparse(xml, tag=(f"{main}row", f"{main}mergeCell"), resolve_entities=False,
                                          no_network=True, huge_tree=False):
            if element.tag == f"{main}row":
                row_number = int(element.get("r") or row_number + 1)
                if element.get("hidden") in ("1", "true"):
                    hidden[row_number] = any(cell.find(f"{main}is") is not None or cell.findtext(f"{main}v")
                                             for cell in element.iterchildren(f"{main}c"))
                for position, cell in enumerate(element.iterchildren(f"{main}c"), start=1):
                    value = cell.find(f"{main}v")
                    # openpyxl writes an empty <v/>; Excel writes one only for a text result of "" (t="str")
                    if cell.find(f"{main}f") is not None and (
                        value is None or not value.text and cell.get("t") != "str"
                    ):
                        try:
                            at, column = coordinate_to_tuple(cell.get("r", ""))
                        except (TypeError, ValueError):  # r is optional: the cell's place in its row
                            at, column = row_number, position
                        uncached.setdefault(at, []).append(column)
            elif element.tag == f"{main}mergeCell":
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                except (TypeError, ValueError):
                    continue
                if min_col and min_row and max_col and max_row:  # whole rows or columns are no table cells
                    ranges.append((min_col, min_row, max_col, max_row))
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return ranges, uncached, hidden


def _xlsx_rows(
    sheet: Any, merged: list[tuple[int, int, int, int]], uncached: dict[int, list[int]]
) -> Iterator[list[Any]]:
    """Rows of cell values; under the top of a vertically merged range, ``MergedFromAbove`` of
    its value; an uncalculated formula as ``UncachedFormula``."""
    from openpyxl.utils.cell import get_column_letter

    starts = sorted((r for r in merged if r[3] > r[1] and r[0] <= MAX_TABLE_COLUMNS), key=lambda r: r[1])
    open_ranges: list[tuple[int, int, Any]] = []  # (column index, last row, value)
    next_start = 0
    rows = sheet.iter_rows(max_col=MAX_TABLE_COLUMNS)
    for row_number, padded in enumerate(rows, start=1):
        cells = _stored_cells(padded)
        row = [ErrorValue(f"{get_column_letter(index)}{row_number}", str(cell.value))
               if getattr(cell, "data_type", None) == "e" and cell.value is not None
               else _shown_value(cell.value, getattr(cell, "number_format", None)) for index, cell in enumerate(cells, 1)]
        for column in uncached.get(row_number, ()):
            if column <= MAX_TABLE_COLUMNS:
                row.extend([None] * (column - len(row)))
                row[column - 1] = UncachedFormula(f"{get_column_letter(column)}{row_number}")
        open_ranges = [r for r in open_ranges if r[1] >= row_number]
        for column, _, value in open_ranges:
            row.extend([None] * (column + 1 - len(row)))
            row[column] = MergedFromAbove(value)
        while next_start < len(starts) and starts[next_start][1] <= row_number:
            min_col, min_row, _, max_row = starts[next_start]
            if min_row == row_number:
                value = row[min_col - 1] if min_col - 1 < len(row) else None
                open_ranges.append((min_col - 1, max_row, value))
            next_start += 1
        yield row


def _stored_cells(cells: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row's cells up to the last one the sheet stores. Read-only openpyxl pads every row to 100 columns
    with one empty cell object: looked at one by one, the blank rows of a sheet bordered down to row 300,000
    took 28 s to read, counted in C, 6 s."""
    from openpyxl.cell.read_only import EMPTY_CELL

    stored = len(cells) - sum(map(operator.is_, cells, repeat(EMPTY_CELL)))
    for end, cell in enumerate(cells, start=1):
        if stored == 0:
            return cells[:end - 1]
        stored -= cell is not EMPTY_CELL
    return cells


def _shown_value(value: Any, number_format: str | None) -> Any:
    """A cell's value as Excel shows it (see ``align.numfmt``): a cached 420.29999999999995 as 420.3,
    1.2 under 0.0"万人" as 1.2万人, 0.06 under 0% as 6% (read as 0.06 it was 地区生产总值增长0.06, with
    no target); a % written into the format as text (0.0"%", 0.0\\%) follows the number unscaled."""
    return render_number_format(value, number_format)


def _xls_rows(sheet: Any, datemode: int) -> Iterator[list[Any]]:
    return ([_xls_value(cell, datemode, (i, j)) for j, cell in enumerate(sheet.row(i))] for i in range(sheet.nrows))


def _xls_value(cell: Any, datemode: int, at: tuple[int, int]) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_ERROR:  # #REF! read as an empty cell lost the task's target, silently
        return ErrorValue(xlrd.cellname(*at), xlrd.error_text_from_code.get(cell.value, "#ERROR"))
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return general(cell.value)  # 420.29999999999995 as Excel's General shows it: 420.3
    return cell.value


def _read_csv(path: Path, column_map: ColumnMap | None) -> str:
    text = decode_text(path.read_bytes(), path=path)
    delimiter = _csv_delimiter([line for line in text[:65536].split("\n")[:20] if line.strip()])
    csv.field_size_limit(1_000_000)
    lines = text.split("\n")
    reader = csv.reader(lines, delimiter=delimiter)

    def rows() -> Iterator[list[str]]:
        last = 1  # the line the last row read began on
        while True:
            begins = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise DocumentParseError(
                    f"this is not a valid CSV file ({exc}).", path=path, line=reader.line_num, zh="CSV 文件格式有误"
                ) from exc
            last = begins
            yield row
        # csv reads a quote never closed to the end of the file, every row after it one cell: no error of its own.
        # Asked of the last row too: on the file's last line (no line end after it) the cell swallowed only the
        # rest of that line, 新建公园5个,区城 read as the task, its unit gone.
        if (opened := _unclosed_quote(lines, last, delimiter)) is not None:
            raise DocumentParseError(
                "a quote (\") opens a cell in this line and is never closed, so everything after it would be read "
                "into that one cell; close the quote or remove it.",
                path=path, line=opened,
                zh="这一行有个引号（\"）没有配对，其后的内容都会被读进同一个单元格，请补上或删去这个引号",
            )

    return _guard(path, "CSV", lambda: table_rows_to_text(rows(), path=path, column_map=column_map))


def _csv_delimiter(sample: list[str]) -> str:
    """The delimiter (tab, comma or semicolon) that splits the most of the sample's rows into one
    number of cells (three or more): a table's rows all have its columns. Counted in all, a tab-separated
    file's commas inside its unit cells (区发改委,区住建局) outnumbered its tabs, and it read as a
    comma CSV with no header. Where rows agree as often, the one used most, then the comma."""
    def consistent(delimiter: str) -> int:
        try:
            widths = Counter(len(row) for row in csv.reader(sample, delimiter=delimiter))
        except csv.Error:  # a cell too large, a stray NUL: not this delimiter's fault alone, so no vote
            return 0
        # of three cells or more, as a task table's rows are (序号 | 任务 | 单位): notes split at a comma into two
        # (说明：…，…) or tasks holding one ; do not outvote the table's own rows
        return max((rows for width, rows in widths.items() if width > 2), default=0)

    return max(("\t", ",", ";"),
               key=lambda d: (consistent(d), sum(line.count(d) for line in sample), d == ","))


def _unclosed_quote(lines: list[str], first: int, delimiter: str) -> int | None:
    """The line (from 1) where a quoted cell opens that no quote closes, reading from line ``first``
    by csv's rules: a quote opens a cell only as its first character, ``""`` inside it is a quote."""
    opened: int | None = None
    for number, line in enumerate(lines[first - 1:], start=first):
        at_start = opened is None  # a line outside quotes begins a row
        i = 0
        while i < len(line):
            char = line[i]
            if opened is not None:
                if char == '"' and line[i + 1:i + 2] == '"':
                    i += 1
                elif char == '"':
                    opened, at_start = None, False
            elif char == delimiter:
                at_start = True
            else:
                if char == '"' and at_start:
                    opened = number
                at_start = False
            i += 1
    return opened


def read_table(path: Path) -> str:
    """Reader for ``READERS`` (.xlsx, .xls, .csv): a task table with recognised headers."""
    return read_table_file(path, max_bytes=None)


# ---------------------------------------------------------------- Word


def read_docx(path: Path) -> str:
    """Paragraphs and tables of a .docx in document order; table rows as tab-separated lines.

    Numbers Word draws itself (automatic list numbering, absent from the paragraph's
    text) are written in front of their paragraph, as the reader sees them. A row that is
    one merged cell across the table (a section heading) becomes a plain line; a cell
    spanning several columns is written once, the spanned columns left empty.
    """
    path = Path(path)
    _check_zip(path, "Word")

    def read() -> str:
        import docx
        from docx.table import Table

        from align.word_numbering import ListNumbers

        document = docx.Document(str(path))
        _unwrap_content_controls(document.element.body)
        _place_text_boxes(document.element.body)
        labels = ListNumbers(document).labels(document.element.body)
        hidden = _HiddenText(document)

        def text(paragraph: Any) -> str:
            """The paragraph as Word shows it: its number, then its runs but those hidden; nothing at all
            where every run is hidden (a note to the drafter, a task struck from the plan)."""
            runs = paragraph._p.xpath(_SHOWN_RUNS)
            shown = [run for run in runs if not hidden(run, paragraph._p)]
            if runs and not shown:
                return ""
            # a break typed in the paragraph (Shift+Enter, w:br) is \v, apart from a new paragraph's \n
            return labels.get(paragraph._p, "") + "".join(run.text for run in shown).replace("\n", "\v")

        def cell_text(cell: Any) -> str:
            """A cell's paragraphs are its clauses; so is each row of a table nested in it, which python-docx's
            ``cell.paragraphs`` leaves out: its cells run on (新建公办幼儿园 | 3所) or end a clause (新建公办幼儿园3所 |
            新增学位1080个) as a break typed in a cell does (joined by a space, the two read 新建公办幼儿园新增学位)."""
            parts: list[str] = []
            for inner in cell.iter_inner_content():
                if isinstance(inner, Table):
                    parts.extend(_run_on([cell_text(c) for c in _distinct_cells(row)]) for row in inner.rows)
                else:
                    parts.append(text(inner))
            return _cell_text("\n".join(parts), hard_breaks=True)

        def blocks(container: Any) -> Iterator[Any]:
            """The paragraphs and tables in reading order, a one-column table framing a table (a layout box
            round the task table, its caption in the row above) opened: read as a cell, its tasks ran into one
            line and none was found. A task table has two columns at least."""
            for block in container.iter_inner_content():
                frame = [_distinct_cells(row) for row in block.rows] if isinstance(block, Table) else []
                if frame and all(len(cells) == 1 for cells in frame) and any(
                        isinstance(inner, Table) for cells in frame for inner in cells[0].iter_inner_content()):
                    for cells in frame:
                        yield from blocks(cells[0])
                else:
                    yield block

        lines: list[str] = []
        for block in blocks(document):
            if isinstance(block, Table):
                lines.extend(_docx_table_lines(block, cell_text))
            else:  # a line break typed in a paragraph (Shift+Enter) before a numbered task or a heading ends a
                # line: it ran two numbered tasks, or a heading and its first task, into one
                lines.extend(_cell_text(line) for line in soft_lines(re.split(r"[\r\n\x0b\u2028]+", text(block))))
        if not any(line.strip() for line in lines):
            raise DocumentParseError("the Word file holds no text.", path=path, zh="Word 文件里没有文字")
        return "\n".join(lines) + "\n"

    return _guard(path, "Word", read)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"  # WordprocessingML's namespace


_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _unwrap_content_controls(body: Any) -> None:
    """Put what each content control (``w:sdt``) shows in its place: a 督查 template's fill-in
    fields (its 进展情况 cells, a block of tasks, a run inside a paragraph) hold text Word shows as
    any other, which python-docx skips. A control still showing its placeholder prompt
    (单击或点击此处输入文字) holds nothing yet; Word's automatic 目录 is no part of the plan."""
    for control in reversed(list(body.iter(_W + "sdt"))):  # innermost first
        properties, content = control.find(_W + "sdtPr"), control.find(_W + "sdtContent")
        shows_prompt = properties.find(_W + "showingPlcHdr") if properties is not None else None
        prompt = shows_prompt is not None and _on(shows_prompt.get(_W + "val"))
        parent = control.getparent()
        if properties is not None and any(gallery.get(_W + "val", "").startswith("Table of Contents")
                                          for gallery in properties.iter(_W + "docPartGallery")):
            parent.remove(control)  # Word's 目录: the headings again, with page numbers; read, they repeated the tasks
            continue
        at = parent.index(control)
        for child in [] if content is None else list(content):
            if prompt:  # a cell or paragraph still showing its prompt stays, empty: the cells after it keep their columns
                for text in child.iter(_W + "t"):
                    text.text = ""
            parent.insert(at, child)
            at += 1
        parent.remove(control)


def _place_text_boxes(body: Any) -> None:
    """Read each text box's paragraphs and tables (a 专栏 of tasks) right after the paragraph it
    is anchored in, where a reader meets it; python-docx reads no text inside a drawing. A box
    written twice for older Word (``mc:Fallback``) is read once."""
    placed: dict[int, Any] = {}  # per anchor, the last block placed after it: two boxes read in their order
    for box in list(body.iter(_W + "txbxContent")):
        if any(ancestor.tag == _MC + "Fallback" for ancestor in box.iterancestors()):
            continue
        anchor = next((a for a in box.iterancestors(_W + "p") if a.getparent().tag in (_W + "body", _W + "tc")), None)
        if anchor is None:
            continue
        for child in [c for c in box if c.tag in (_W + "p", _W + "tbl")]:
            previous = placed.get(id(anchor), anchor)
            previous.addnext(child)
            placed[id(anchor)] = child


def _on(value: str | None) -> bool:
    """An on/off attribute (``w:val`` of ``<w:vanish/>``, ``w:default``): absent or 1/true/on is on."""
    return value is None or value.lower() not in ("0", "false", "off")


# A paragraph's runs as Word shows them: python-docx's ``paragraph.text`` reads only ``w:r`` and
# ``w:hyperlink``, so a tracked deletion (``w:del``, ``w:moveFrom``) is left out as it should be, but
# so was a tracked insertion (``w:ins``, ``w:moveTo``), text the document shows.
_SHOWN_RUNS = ("w:r | w:hyperlink/w:r | w:ins/w:r | w:moveTo/w:r | w:ins/w:hyperlink/w:r | w:moveTo/w:hyperlink/w:r"
               " | w:hyperlink/w:ins/w:r")


class _HiddenText:
    """Whether a run is hidden text (``w:vanish``, Word's Hidden font effect, shown neither on screen
    nor in print): set on the run itself, else on its character style, else on its paragraph's
    style (the document's default paragraph style when it names none), a style inheriting from
    the one it is based on."""

    def __init__(self, document: Any) -> None:
        self._styles = {s.get(_W + "styleId"): s for s in document.styles.element.iter(_W + "style")}
        self._default = next((style_id for style_id, s in self._styles.items() if s.get(_W + "type") == "paragraph"
                              and s.get(_W + "default") is not None and _on(s.get(_W + "default"))), None)
        self._known: dict[str | None, bool | None] = {}

    def __call__(self, run: Any, paragraph: Any) -> bool:
        direct = _vanish(run.find(_W + "rPr"))
        if direct is not None:
            return direct
        character = self._style(_val(run.find(_W + "rPr"), "rStyle"))
        if character is not None:
            return character
        return bool(self._style(_val(paragraph.find(_W + "pPr"), "pStyle") or self._default))

    def _style(self, style_id: str | None) -> bool | None:
        """A style's hidden setting, or the nearest one it is based on that has one."""
        if style_id not in self._known:
            found, seen, at = None, set(), style_id
            while found is None and at in self._styles and at not in seen:
                seen.add(at)
                found = _vanish(self._styles[at].find(_W + "rPr"))
                at = _val(self._styles[at], "basedOn")
            self._known[style_id] = found
        return self._known[style_id]


def _vanish(properties: Any) -> bool | None:
    """The hidden setting of run properties (``w:rPr``); ``None`` where they set none."""
    vanish = properties.find(_W + "vanish") if properties is not None else None
    return None if vanish is None else _on(vanish.get(_W + "val"))


def _val(element: Any, tag: str) -> str | None:
    """The ``w:val`` of ``element``'s child ``tag`` (a style id), if both are there."""
    child = element.find(_W + tag) if element is not None else None
    return child.get(_W + "val") if child is not None else None


def _run_on(cells: list[str]) -> str:
    """A nested table row's cells as one clause or several, as :func:`align.readers.cell_break` joins a cell's lines."""
    return join_broken_lines([(cell, False) for cell in cells])


def _distinct_cells(row: Any) -> list[Any]:
    """A Word table row's cells, a cell spanning several columns once."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _docx_table_lines(table: Any, text: Callable[[Any], str]) -> list[str]:
    """A Word table's rows as tab-separated lines.

    python-docx gives a cell merged down from the row above (``w:vMerge`` continuing) the top
    cell's text, so a 序号 and task merged over two rows read as task 1 twice; those cells are
    said once as the spreadsheet readers say ``MergedFromAbove`` (see ``_say_merged_once``).
    """
    rows: list[list[str] | str] = []  # a str is a row that is one merged cell: a section heading
    merged_rows: list[set[int]] = []  # per row, the columns merged down from the row above
    for row in table.rows:
        cells = []
        previous = None
        own = [tc for tc in row._tr.tc_lst for _ in range(tc.grid_span)]  # row.cells gives the top cell's
        merged = {at for at, tc in enumerate(own) if tc.vMerge == "continue"}
        for cell in row.cells:
            cells.append("" if cell._tc is previous else text(cell))
            previous = cell._tc
        if len({id(c._tc) for c in row.cells}) == 1 and len(row.cells) > 1:
            rows.append(next((c for c in cells if c), ""))
        else:
            rows.append(cells)
        merged_rows.append(merged)
    at, roles = _docx_table_header(rows)
    for index, (written, merged) in enumerate(zip(rows, merged_rows)):
        # a task table's only (another table is read as before); a header row merged down (序号 over a
        # second header row of 牵头单位 | 配合单位) stays a header, as the parser reads it
        if roles is not None and isinstance(written, list) and merged and _resolve_header(written, None)[0] is None:
            _say_merged_once(written, {i for i in merged if i < len(written)}, roles if index > at else None)
    _number_an_empty_number_column(rows, at, roles)
    return [row if isinstance(row, str) else "\t".join(row).rstrip("\t") for row in rows]


def _docx_table_header(rows: list[list[str] | str]) -> tuple[int, dict[int, str] | None]:
    """The index of a Word table's header row and its columns' roles; (row count, None) without one."""
    headers = ((at, found) for at, row in enumerate(rows)
               if isinstance(row, list) and (found := _resolve_header(row, None)[0]) is not None)
    return next(headers, (len(rows), None))


def _number_an_empty_number_column(rows: list[list[str] | str], at: int, roles: dict[int, str] | None) -> None:
    """Number the task rows in order when the 序号 column under the header (row ``at``) is empty in every row.

    Such a column was numbered by Word in a way not rendered (a list definition missing
    from the file); the reader sees 1, 2, 3 there, and the parser needs a number to open
    an item.
    """
    if roles is None or "number" not in roles.values():
        return
    column = {role: index for index, role in roles.items()}
    body = [row for row in rows[at + 1:] if isinstance(row, list)]
    if any(column["number"] < len(row) and row[column["number"]] for row in body):
        return
    tasks = [row for row in body if column["task"] < len(row) and row[column["task"]]]
    for number, row in enumerate(tasks, start=1):
        row[column["number"]] = str(number)


def read_doc(path: Path) -> str:
    """Old binary Word files are not read: say how to convert them."""
    raise DocumentParseError(
        "old Word .doc files cannot be read; open it in Word or WPS and save it as .docx.", path=path,
        zh="旧版 .doc 文件请用 Word 或 WPS 另存为 .docx",
    )


# ---------------------------------------------------------------- PDF


def read_pdf(path: Path) -> str:
    """The text of a PDF, lines in reading order and ruled tables as tab-separated rows.

    A line that runs to the right margin is joined with the next unless the next opens
    a numbered item, so a wrapped paragraph is one line as in the source text.
    """
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF" not in head:
        raise DocumentParseError("this is not a PDF file (no %PDF header).", path=path, zh="这不是 PDF 文件")

    def read() -> str:
        import pdfplumber

        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise DocumentParseError(
                    f"the PDF has {len(pdf.pages)} pages, over the {MAX_PDF_PAGES} limit; split it.", path=path,
                    zh=f"PDF 有 {len(pdf.pages)} 页，超过 {MAX_PDF_PAGES} 页的上限，请拆分",
                )
            running = _running_heads(pdf.pages)
            lines: list[str] = []
            for number, page in enumerate(pdf.pages):
                lines.extend(_pdf_page_lines(page, {text for text, first in running.items() if first < number}))
                page.close()
        if not any(line.strip() for line in lines):
            raise DocumentParseError(
                "the PDF holds no text (a scanned image?); run OCR on it or ask for the text version.", path=path,
                zh="PDF 里没有文字（是扫描件吗？），请先做文字识别或索取文字版",
            )
        text = "\n".join(lines) + "\n"
        return DocumentText(text, _glyph_code_notes(text, path))

    return _guard(path, "PDF", read)


# A character of a font without a Unicode map (no ToUnicode, a custom encoding): pdfminer can
# only name its glyph, as (cid:2169).
_GLYPH_CODE = re.compile(r"\(cid:\d+\)")


def _glyph_code_notes(text: str, path: Path) -> list[str]:
    """Refuse a PDF whose text is mostly glyph codes (its items would be titled (cid:2169)(cid:3361)…);
    a few, a bullet in a symbol font, are named in a note."""
    codes = _GLYPH_CODE.findall(text)
    if not codes:
        return []
    # each code is one glyph of the page: counted as one character, not as the ten of "(cid:2169)"
    glyphs = len("".join(_GLYPH_CODE.sub("#", text).split()))
    if len(codes) * 2 > glyphs:
        raise DocumentParseError(
            f"the PDF's text cannot be extracted: its fonts have no Unicode map, so the characters read as glyph "
            f"codes such as {codes[0]}. Export it again as text or Word from the original document, or copy the "
            "text out of the original and save it as .txt.",
            path=path,
            zh=f"PDF 的文字无法提取：字体缺少 Unicode 对照表，文字只能读出字形编码（如 {codes[0]}）。"
               "请从原始文件重新导出为文本或 Word 文件，或把原文复制出来另存为 .txt 文件",
        )
    return [f"{len(codes)} 个字符无法提取，读作字形编码（如 {codes[0]}），请核对含有它们的条目 {len(codes)} character(s) "
            f"could not be extracted and read as glyph codes such as {codes[0]}; check the items that hold them."]


# The top and bottom margins of a page, as shares of its height: where page numbers go; a running head or foot,
# text that could be the body's, only in the outer 6 %.
_TOP_MARGIN, _BOTTOM_MARGIN, _RUNNING_MARGIN = 0.08, 0.88, 0.06
_RUNNING_EDGE_POINTS = 56  # 2 cm: Word's header (1.5 cm) and footer (1.75 cm) lie within it, a body (2.54 cm) never
_SENTENCE_END = re.compile(r"[。；;！!？?]\s*$")


def _in_margin(line: dict, page: Any) -> bool:
    return bool(line["bottom"] > _BOTTOM_MARGIN * page.height or line["top"] < _TOP_MARGIN * page.height)


def _page_free(text: str) -> str:
    """A margin line with its numbers masked: — 1 — 第 1 页 and — 2 — 第 2 页 are one running foot."""
    return re.sub(r"\d+", "#", "".join(text.split()))


def _running_heads(pages: list[Any]) -> dict[str, int]:
    """Margin lines repeated on at least half the pages, two at least (灞桥区人民政府办公室文件 over each
    page, — 1 — 第 1 页 共 2 页 under it), each with the page it first appears on: a wrapped line was
    joined with the next page's head (高校毕业生就灞桥区2024年工作要点业率). A head's first appearance on the
    first page stays (-1: none does), since a plan's title is often its running head too."""
    seen: dict[str, list[int]] = {}
    feet: set[str] = set()
    for number, page in enumerate(pages):
        # a page's own margin, where body text never runs (its last line sat at 0.90 with Word's 2.54 cm), and no
        # sentence: 完成时限：2025年6月底前。 on two pages' last lines is no running foot. Only bands round the
        # margins are read, a line counted where it starts or ends in the margin (Word's header at 1.5 cm spans 5.4–6.6 %).
        edge = max(_RUNNING_MARGIN * page.height, _RUNNING_EDGE_POINTS)  # a landscape page's header sits at 7 %
        band = 2 * edge
        for head, margin in ((True, (0, 0, page.width, band)), (False, (0, page.height - band, page.width, page.height))):
            for line in page.crop(margin).extract_text_lines():
                if (line["top"] < edge if head else line["bottom"] > page.height - edge) \
                        and not _SENTENCE_END.search(line["text"]):
                    seen.setdefault(_page_free(line["text"]), []).append(number)
                    if not head:
                        feet.add(_page_free(line["text"]))
    needed = max(2, (len(pages) + 1) // 2)
    # a head first met on the first page may be the plan's title, and stays there; one from the second page on
    # (the first page's 红头 differs) is a running head throughout
    return {text: on[0] if on[0] == 0 and text not in feet else -1
            for text, on in seen.items() if len(set(on)) >= needed}


def _pdf_page_lines(page: Any, running: Collection[str] = ()) -> list[str]:
    tables = page.find_tables()
    blocks: list[tuple[float, str, bool]] = []  # (top, text, wraps)
    rest = page
    for table in tables:
        rest = rest.outside_bbox(table.bbox)
        for index, row in enumerate(table.extract()):
            cells = [_cell_text(c) for c in row]
            top = table.rows[index].bbox[1] if index < len(table.rows) else table.bbox[1]
            blocks.append((top, "\t".join(cells).rstrip("\t"), False))
    text_lines = rest.extract_text_lines(return_chars=True)
    # a page number in the top or bottom margin (12, — 12 —, 第12页) is no text: it was joined onto the line it
    # followed (…新增学位12 | 540个 read 12540个)
    text_lines = [line for line in text_lines if not (_in_margin(line, page) and (
        PAGE_NUMBER.match(line["text"]) or re.fullmatch(r"\s*\d{1,4}\s*", line["text"])
        or _page_free(line["text"]) in running))]
    if text_lines:
        right = max(line["x1"] for line in text_lines)
        for line in text_lines:
            widths = [c["x1"] - c["x0"] for c in line["chars"]] or [0.0]
            wraps = right - line["x1"] < 1.5 * max(widths)
            blocks.append((line["top"], _cell_text(line["text"]), wraps))
    blocks.sort(key=lambda block: block[0])
    lines: list[str] = []
    joining = False
    for _, text, wraps in blocks:
        opens_item = bool(_OPENS_ITEM.match(text))
        if joining and lines and not opens_item and "\t" not in text:
            lines[-1] += text
        else:
            lines.append(text)
        joining = wraps and "\t" not in text
    return lines
