"""Reading a document file into text lines, whatever its encoding or format.

Plain text is decoded as UTF-8 or, failing that, as GB18030 (which covers GBK and
GB2312), the encodings Chinese government files arrive in; behind a byte order mark
(Notepad's "Unicode" saves), or with the NUL bytes of its ASCII characters at every other
position, as UTF-16. Binary, empty and oversized
files are refused with a message naming the file before anything is parsed. A document
written in traditional Chinese, in any format, is handed on in simplified characters: the
parser's words (序号, 个, 工作要点) and the other plans are simplified.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path

from align.exceptions import DocumentParseError
from align.settings import DEFAULT_MAX_FILE_MB

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
DEFAULT_MAX_BYTES = int(DEFAULT_MAX_FILE_MB * 2**20)
_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v"}
# Byte order marks of Notepad's "Unicode" saves, longest first (UTF-32 LE starts as UTF-16 LE does).
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Text a person wrote has line ends, digits or punctuation; bytes that merely begin with
# FF FE decode to a run of ideographs with none of them.
_TEXT_MARKS = set("\n\r\t 0123456789。，、；：.,;:")



class DocumentText(str):
    """A reader's text, with what it left out of the file on purpose (a hidden sheet, a copied
    sheet) said in ``notes``; the parser adds them to its warnings, so a planner learns what was
    not read instead of missing it."""

    notes: tuple[str, ...] = ()

    def __new__(cls, text: str, notes: Iterable[str] = ()) -> DocumentText:
        made = super().__new__(cls, text)
        made.notes = tuple(notes)
        return made


def _from_formats(name: str) -> Callable[[Path], str]:
    """A reader of ``align.formats``, imported on first use so text-only use stays light."""

    def read(path: Path) -> str:
        from align import formats

        return getattr(formats, name)(path)

    read.__name__ = name
    return read


# Readers for other formats (suffix → function returning parser text); sizes are checked
# by ``read_document_text`` before a reader is called.
READERS: dict[str, Callable[[Path], str]] = {
    ".docx": _from_formats("read_docx"),
    ".doc": _from_formats("read_doc"),
    ".xlsx": _from_formats("read_table"),
    ".xlsm": _from_formats("read_table"),
    ".xls": _from_formats("read_table"),
    ".csv": _from_formats("read_table"),
    ".pdf": _from_formats("read_pdf"),
}


def decode_text(data: bytes, *, path: str | Path = "<input>") -> str:
    """Decode bytes of a text file; refuse binary content with a clear message."""
    if not data.strip():
        raise DocumentParseError("the file is empty.", path=path, zh="文件是空的")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        if not data.strip():  # an emptied file Notepad saved as UTF-8 keeps its BOM: it read as a plan with no heading
            raise DocumentParseError("the file is empty.", path=path, zh="文件是空的")
    if (text := _decode_with_bom(data)) is not None:
        if not text.strip():
            raise DocumentParseError("the file is empty.", path=path, zh="文件是空的")
        return _checked_lines(_unquoted_tab_table(text), path)
    if (text := _decode_utf16_without_bom(data)) is not None:
        return _checked_lines(text, path)
    if (nul := data.find(b"\x00")) != -1:  # before decoding: a binary file is no GB18030 text
        raise _nul_error(data[:nul].count(b"\n") + 1, path)
    for encoding in ("utf-8", "gb18030"):
        try:  # GB18030's byte-order mark (84 31 95 33) decodes to U+FEFF, as UTF-8's did before it was cut
            text = data.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _rare_in_gb2312(text) > _BIG5_SIGN:
            text = _as_big5(data, text)
        return _checked_lines(text, path)
    line = data[: _bad_byte(data)].count(b"\n") + 1
    raise DocumentParseError(
        "the file is neither UTF-8 nor GB18030/GBK text; save it as UTF-8 and try again.", path=path, line=line,
        zh="文字编码既不是 UTF-8 也不是 GBK，请另存为 UTF-8 后重试",
    )


def _bad_byte(data: bytes) -> int:
    """Where bytes that neither encoding reads go wrong, in the encoding the file is written in: UTF-8
    where a UTF-8 character comes before its failure, else GB18030 (a GBK file fails as UTF-8 at its
    first Chinese character, not at its bad byte)."""
    try:
        data.decode("utf-8")
        return 0
    except UnicodeDecodeError as exc:
        if not data[: exc.start].isascii():
            return exc.start
    try:
        data.decode("gb18030")
        return 0
    except UnicodeDecodeError as exc:
        return exc.start


#: Share of non-ASCII characters outside GB2312 above which a GB18030 reading is doubted:
#: simplified plans have under 1 % (the bundled five 0.01-0.2 %), Big5 bytes read as GB18030 about 65 %.
_BIG5_SIGN = 0.2


def _rare_in_gb2312(text: str) -> float:
    """Share of the non-ASCII characters (first 64k) that GB2312's 7,445 common characters lack."""
    sample = text[:65536]
    ascii_count = sum(1 for ch in sample if ch < "\x80")
    wide = len(sample) - ascii_count
    if wide < 20:  # a few symbols (•, ✓) in an English table say nothing of the encoding
        return 0.0
    common = (len(sample.encode("gb2312", errors="ignore")) - ascii_count) / 2
    return 1 - common / wide


def _as_big5(data: bytes, fallback: str) -> str:
    """Traditional-Chinese text in Big5 reads as GB18030 without error, as rare characters and kana."""
    try:
        return data.decode("big5hkscs")
    except UnicodeDecodeError:  # GBK text of traditional characters: the GB18030 reading is right
        return fallback


def _decode_with_bom(data: bytes) -> str | None:
    """UTF-16 or UTF-32 text behind its byte order mark; ``None`` where the bytes are not that."""
    for bom, encoding in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                return None
            return text if not text.strip() or _TEXT_MARKS.intersection(text) else None
    return None


def _unquoted_tab_table(text: str) -> str:
    """A sheet Excel saved as Unicode 文本 (UTF-16, tab-separated) quotes a cell holding a quote or a line
    break as CSV does ("打造""红色物业""示范小区"): its quotes are undone and each break in a cell joins as an
    Alt+Enter does (:func:`cell_break`). Read as written, the quote marks hid the cell's targets and a
    break cut its row in two. Text that is not such a table comes back as it was."""
    if not any(cell.startswith('"') for line in text.splitlines() for cell in line.split("\t")):
        return text
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", strict=True))
    except csv.Error:
        return text
    filled = [row for row in rows if any(cell.strip() for cell in row)]
    if not filled or sum(len(row) > 1 for row in filled) < 0.8 * len(filled):  # a table's rows, told once its
        return text  # quoted cells are read (a cell's four paragraphs are one row's, not four lines without a tab)
    return "".join("\t".join(join_broken_lines([(part, True) for part in re.split(r"\r?\n", cell)]) for cell in row) + "\n"
                   for row in rows)


def _decode_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte order mark; ``None`` where the bytes are not that.

    Each ASCII character (a line end, a digit) puts a NUL byte beside it: at odd positions in
    little-endian text, at even ones in big-endian. A few NULs fall on the other side (一 is
    U+4E00); binary data has them anywhere, or decodes to control characters or broken surrogates.
    """
    sample = data[:65536]
    if len(data) % 2 or b"\x00" not in sample:
        return None
    at_odd, at_even = sample[1::2].count(0), sample[0::2].count(0)
    if max(at_odd, at_even) < 4 * min(at_odd, at_even) + 2:
        return None
    try:
        text = data.decode("utf-16-le" if at_odd > at_even else "utf-16-be")
    except UnicodeDecodeError:
        return None
    if not text.strip() or not _TEXT_MARKS.intersection(text) or _control_characters(text[:32768]) > 0:
        return None
    return text


def _checked_lines(text: str, path: str | Path) -> str:
    """Decoded text, refused if it holds control characters or a NUL anywhere (in UTF-16 too: it reached the
    items' text and a CSV export), with every line ending as ``\\n``."""
    _refuse_control_characters(text, path)
    if (nul := text.find("\x00")) != -1:
        raise _nul_error(text.count("\n", 0, nul) + 1, path)
    # Word's line break (\v) and Unicode's line and paragraph separators end a line of text, as \r does; in a
    # table's row (cells apart by tabs) they break a cell's text and leave the row whole (新建学校\v3所 | 区教育局)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_LINE_BREAKS.sub(_break_in_a_cell, line) if "\t" in line else _LINE_BREAKS.sub("\n", line)
                     for line in lines)


_LINE_BREAKS = re.compile("[\v\u2028\u2029]+")
# A line that goes on into a quantity (新建学校 | 3所, 完成投资 | 1.5亿元); not a list's 2. or 2、, nor a date
QUANTITY_GOES_ON = re.compile(r"(?!\d{4}\s*[年.\-/])\d+(?:\.\d+)?\s*(?![.．、)）]|\d)")


def _break_in_a_cell(found: re.Match[str]) -> str:
    return cell_break(found.string[:found.start()], found.string[found.end():], clause_by_default=False)


def cell_break(before: str, after: str, *, clause_by_default: bool = True) -> str:
    """What a line break typed in a table cell becomes between the text before and after it: nothing where the text
    runs on over it (新建学校 | 3所 or 三所, 覆盖率达到 | 百分之九十, 2024年6月 | 底前, 污水处理厂 | 二期工程) or a mark
    already ends the clause; ``；`` where what comes before is whole, a department or a quantity (区教育局 | 区财政局,
    实施项目50个 | 完成投资80亿元), or a department or a clause of its own comes after (各街道 | 区教育局, 区住建局牵头 |
    区财政局配合, 完善社区养老服务体系 | 新建社区食堂10个). Else
    ``clause_by_default`` decides: Excel's Alt+Enter and a Word cell's second paragraph end a clause as a rule, a
    text table's \\v (Word's Shift+Enter, copied out) mostly wraps a phrase (完成老旧小区 | 改造30个 read 改造 30个 once it
    ended one)."""
    if not before or before[-1] in "\t" + _CLAUSE_ENDS or not after or after[0] == "\t" or QUANTITY_GOES_ON.match(after) \
            or _RUNS_ON.match(after) or re.search(r"[年月\d]$", before):
        return ""
    whole = _WHOLE_BEFORE_A_BREAK.search(before) or _DEPARTMENT_AFTER_A_BREAK.match(after) \
        or _CLAUSE_AFTER_A_BREAK.match(after)
    return "；" if whole or clause_by_default else ""


def join_broken_lines(lines: Sequence[tuple[str, bool]]) -> str:
    """The lines of one cell, each with whether a break after it ends a clause by default (``clause_by_default`` of
    :func:`cell_break`), joined as each break reads; empty lines drop out."""
    kept = [(line, clause) for line, clause in lines if line]
    return "".join(line + (cell_break(line, kept[i + 1][0], clause_by_default=clause) if i < len(kept) - 1 else "")
                   for i, (line, clause) in enumerate(kept))


_CLAUSE_ENDS = "。；;，,、：:！!？?"
_RUNS_ON = re.compile(r"[零〇一二两三四五六七八九十百千万]|百分之|[底前止日]")
_DEPARTMENTS = r"(?:局|委|办|中心|政府|管委会|院|会|部|处|组|队|公司|集团)"
_WHOLE_BEFORE_A_BREAK = re.compile(rf"{_DEPARTMENTS}$|\d\s*[\u4e00-\u9fff]{{0,3}}$")
# A clause of its own after the break: an action's verbs, then an object (加快建设社区食堂10个, 建设安置房2000套,
# 开展整治行动5次); not 完成改造30个, 改造项目30个, 整治行动: verbs naming what the words before them count
_ACTION = r"(?:新建|建设(?!工程|项目)|建成|推进|打造|加强|完善|实施|开展|完成|新增|创建|培育|深化|优化|强化|做好|落实|推动|加快|持续|全面|健全|组织|举办)"
_VERBS = rf"(?:{_ACTION}|改造|提升|整治|治理|修复|更新)"
_CLAUSE_AFTER_A_BREAK = re.compile(rf"{_ACTION}{_VERBS}*+[\u4e00-\u9fff]{{2}}")
_DEPARTMENT_AFTER_A_BREAK = re.compile(rf"[\u4e00-\u9fff]{{1,12}}?{_DEPARTMENTS}(?:牵头|配合|负责)?(?:$|[、,，;；\t])")


def _nul_error(line: int, path: str | Path) -> DocumentParseError:
    """A NUL byte, named at its line: a stray one in a text file is findable."""
    return DocumentParseError(f"this is a binary file, not text (it contains NUL bytes, the first on line {line}).",
                              path=path, line=line, zh=f"这不是文本文件（第 {line} 行起含空字符 NUL）")


def _control_characters(sample: str) -> int:
    return sum(1 for ch in sample if ord(ch) < 32 and ch not in _CONTROL_OK)


def _refuse_control_characters(text: str, path: str | Path) -> None:
    sample = text[:65536]
    if _control_characters(sample) > max(8, len(sample) // 100):
        first = next(i for i, ch in enumerate(sample) if ord(ch) < 32 and ch not in _CONTROL_OK)
        raise DocumentParseError(
            "this looks like a binary file, not text (control characters).",
            zh="这不像文本文件（含控制字符）",
            path=path,
            line=sample[:first].count("\n") + 1,
        )


def check_size(path: Path, max_bytes: int | None) -> int:
    """Refuse a missing path, a folder or a file over ``max_bytes`` before reading any of it; the size."""
    if not path.exists():
        raise DocumentParseError("no such file.", path=path, zh="找不到这个文件")
    if not path.is_file():
        raise DocumentParseError("not a file.", path=path, zh="这不是文件")
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise DocumentParseError(
            f"the file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:g} MB limit "
            f"(to read it, raise the limit: set the environment variable PLAN_ALIGN_MAX_FILE_MB, e.g. to "
            f"{math.ceil(size / 2**20) + 1}, before starting plan-align).",
            path=path,
            zh=f"文件 {size / 2**20:.1f} MB，超过 {max_bytes / 2**20:g} MB 的上限；如需读取，请先设置环境变量 "
               f"PLAN_ALIGN_MAX_FILE_MB（如 {math.ceil(size / 2**20) + 1}）再启动 plan-align",
        )
    return size


def read_document_text(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The text of a document file, ready for the parser.

    Tables in other formats come back as tab-separated rows, so every format feeds the
    same parser; traditional Chinese, in any of them, comes back simplified (``as_simplified``).
    """
    path = Path(path)
    if check_size(path, max_bytes) == 0:  # a failed download or copy: said so, not "this is no Word file"
        raise DocumentParseError("the file is empty (0 bytes).", path=path, zh="文件是空的（0 字节）")
    suffix = path.suffix.lower()
    if suffix in READERS:
        return as_simplified(READERS[suffix](path))
    if suffix not in TEXT_SUFFIXES:
        known = ", ".join(sorted(TEXT_SUFFIXES - {""} | set(READERS)))
        raise DocumentParseError(
            f"unsupported file type '{suffix}'. Supported: {known}.", path=path,
            zh=f"不支持 {suffix} 文件，可读取 {known.replace(', ', '、')}",
        )
    return as_simplified(decode_text(path.read_bytes(), path=path))


# ---------------------------------------------------------------- traditional Chinese

#: A text is read as traditional Chinese when OpenCC's t2s changes at least this share of its
#: Chinese characters, and at least ``_TRADITIONAL_KINDS`` different ones. t2s also changes
#: characters a simplified plan writes on purpose: a variant kept in a name (蓝田县洩湖中学,
#: 正荣紫阙峯著) and 乾 (乾县 would become 干县). Measured: the five bundled plans 0-0.03 % of their
#: Chinese characters, 2 kinds at most (灝; 峯 洩; 乾), 4 over all five; traditional text 30-38 %
#: (a tester's three files 30-34 %, the bundled plans converted with s2t 35-38 %). 10 % leaves a
#: factor of three below traditional text and of 300 above the bundled plans; one short line of a
#: simplified plan can reach it (蓝田县洩湖中学: 1 of 7), the five kinds it cannot.
_TRADITIONAL_SHARE = 0.10
_TRADITIONAL_KINDS = 5


@cache
def _to_simplified() -> Callable[[str], str]:
    """OpenCC's traditional-to-simplified converter, with its phrase dictionaries (乾隆 stays, 乾燥 → 干燥)."""
    import opencc

    return opencc.OpenCC("t2s").convert


def simplified(text: str) -> str:
    """``text`` in simplified characters, whatever its share of traditional ones: for comparing a short
    text (a table's header cell) with simplified words, never for the text read."""
    return _to_simplified()(text)


def _is_chinese(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\U00020000" <= char <= "\U0003134f"


def _changed_share(lines: list[str], converted: list[str]) -> tuple[float, int]:
    """The share of the Chinese characters of ``lines`` their t2s conversion changes, and how many
    different ones it changes."""
    convert = _to_simplified()
    chinese, changed, kinds = 0, 0, set()
    for line, simple in zip(lines, converted):
        if len(simple) != len(line):  # a phrase of another length: count the characters one by one
            simple = "".join(convert(char) for char in line)
        for before, after in zip(line, simple):
            if _is_chinese(before):
                chinese += 1
                if before != after:
                    changed += 1
                    kinds.add(before)
    return (changed / chinese if chinese else 0.0), len(kinds)


def as_simplified(text: str) -> str:
    """A text written predominantly in traditional Chinese, converted to simplified line by line (its line
    numbers stay those of the file) and said so in a note; any other text as it is."""
    lines = text.split("\n")
    convert = _to_simplified()
    converted = [convert(line) for line in lines]  # once: measured, then handed on if it is traditional
    share, kinds = _changed_share(lines, converted)
    if share < _TRADITIONAL_SHARE or kinds < _TRADITIONAL_KINDS:
        return text
    note = (f"按繁体中文读取，已转为简体以便匹配，文件本身未改动 read as traditional Chinese ({share:.0%} of its Chinese "
            "characters are traditional forms) and converted to simplified (简体) for matching; the file itself is unchanged.")
    return DocumentText("\n".join(converted),
                        (note, *getattr(text, "notes", ())))
