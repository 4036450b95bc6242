"""No input breaks the readers or the parser: a result or a DocumentParseError, never another error.

Random bytes and text, random bytes saved under every supported suffix, real files
with bytes flipped or cut, and the bundled documents mutated the way real files go
wrong (lines dropped, repeated or shuffled, stray tabs, HTML, a cut mid-line, GB18030).
Sizes are bounded so each case is quick; no case is timed (a parse that runs away hangs the run,
which the CI's own time limit ends), so a loaded machine fails nothing.
"""

from __future__ import annotations

import io
import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from align.exceptions import DocumentParseError
from align.parsing import ParsedDocument, parse_text
from align.readers import decode_text, read_document_text
from align.registry import DocumentMeta
from align.settings import BUNDLED_DATA

META = DocumentMeta(id="fuzz", title="fuzz", jurisdiction="灞桥区", level="district", year=2023, kind="plan", file="f")
DOCUMENTS = sorted((BUNDLED_DATA / "documents").glob("*.txt"))
TEXTS = {path.stem: path.read_text(encoding="utf-8") for path in DOCUMENTS}
LINES = sorted({line for text in TEXTS.values() for line in text.split("\n") if line.strip()})
SUFFIXES = [".txt", ".csv", ".docx", ".xlsx", ".xls", ".pdf", ".doc"]
# Characters that steer the parser into its branches: outline numbers, tabs, header words, HTML.
PLAN_ALPHABET = "一二三四五六七八九十、.．（）()①②\t\n 0123456789%个项已完成推进中序号主要任务责任单位进展情况区局委附件:：。，<p>&"

# PLAN_ALIGN_FUZZ_SCALE=20 runs twenty times as many cases (for a hunt; the default keeps CI quick).
SCALE = max(1, int(os.environ.get("PLAN_ALIGN_FUZZ_SCALE", "1")))
FUZZ = settings(
    max_examples=300 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def tally(report, label: str) -> None:
    """Count one fuzz case under its label and keep the running total as a figure."""
    report.count(label)
    total = sum(n for name, n in report.counts.items() if name.startswith("fuzz cases:"))
    report.figure("fuzz cases run in all", f"{total:,}")


def outcome(read, path: str | Path):
    """Run ``read``; a DocumentParseError must name ``path``, any other exception fails the test."""
    try:
        return read()
    except DocumentParseError as exc:
        assert str(path) in str(exc), f"the error does not name the file: {exc}"
        assert "\n" not in str(exc).strip(), f"the error is not one line: {exc!r}"
        assert exc.zh and re.search(r"[\u4e00-\u9fff]", exc.zh), f"no Chinese reason for the planner: {exc}"
        return exc


def parse_checked(text: str, name: str = "fuzz.txt"):
    result = outcome(lambda: parse_text(text, META, path=name), name)
    if isinstance(result, ParsedDocument):
        assert result.items.height > 0
        assert result.items["item_id"].n_unique() == result.items.height
    return result


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# ---------------------------------------------------------------- unstructured


@FUZZ
@given(data=st.binary(max_size=4096))
def test_decode_text_any_bytes(robustness_report, data):
    tally(robustness_report, "fuzz cases: decode_text: random bytes")
    result = outcome(lambda: decode_text(data, path="fuzz.bin"), "fuzz.bin")
    assert isinstance(result, (str, DocumentParseError))


@FUZZ
@given(text=st.text(max_size=3000) | st.text(alphabet=PLAN_ALPHABET, max_size=3000))
def test_parse_text_any_text(robustness_report, text):
    tally(robustness_report, "fuzz cases: parse_text: random text")
    parse_checked(text)


@FUZZ
@given(
    lines=st.lists(
        st.sampled_from(LINES) | st.text(alphabet=PLAN_ALPHABET, max_size=80) | st.text(max_size=40), max_size=60
    )
)
def test_parse_text_real_lines_recombined(robustness_report, lines):
    tally(robustness_report, "fuzz cases: parse_text: real lines recombined")
    parse_checked("\n".join(lines))


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_any_bytes_as_a_file(robustness_report, workdir, suffix):
    @settings(FUZZ, max_examples=60 * SCALE)
    @given(data=st.binary(max_size=2048))
    def check(data):
        tally(robustness_report, f"fuzz cases: read_document_text: random bytes as {suffix}")
        path = workdir / f"random{suffix}"
        path.write_bytes(data)
        result = outcome(lambda: read_document_text(path), path)
        if isinstance(result, str):
            parse_checked(result, str(path))

    check()


# ---------------------------------------------------------------- real files, damaged


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("灞桥区2023年任务落实情况统计表", level=1)
    rows = [line.split("\t") for line in TEXTS["baqiao-2023-task-progress"].split("\n") if "\t" in line][:8]
    table = document.add_table(rows=len(rows), cols=4)
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for line in TEXTS["baqiao-2023-task-progress"].split("\n")[:60]:
        book.active.append(line.split("\t"))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _pdf_bytes() -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    buffer = io.BytesIO()
    lines = TEXTS["xixian-2023-work-points"].split("\n")[:10]
    SimpleDocTemplate(buffer).build([Paragraph(escape(line), style) for line in lines if line.strip()])
    return buffer.getvalue()


@pytest.fixture(scope="module")
def real_files() -> dict[str, bytes]:
    files = {".docx": _docx_bytes(), ".xlsx": _xlsx_bytes(), ".pdf": _pdf_bytes()}
    files[".csv"] = TEXTS["baqiao-2023-task-progress"].replace("\t", ",").encode("gb18030")[:20000]
    return files


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf", ".csv"])
def test_real_file_with_damaged_bytes(robustness_report, workdir, real_files, suffix):
    original = real_files[suffix]

    @settings(FUZZ, max_examples=80 * SCALE)
    @given(
        flips=st.lists(st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)), max_size=8),
        cut=st.none() | st.integers(0, len(original)),
    )
    def check(flips, cut):
        tally(robustness_report, f"fuzz cases: read_document_text: damaged real {suffix}")
        data = bytearray(original)
        for position, value in flips:
            data[position] = value
        path = workdir / f"damaged{suffix}"
        path.write_bytes(bytes(data[:cut] if cut is not None else data))
        result = outcome(lambda: read_document_text(path), path)
        if isinstance(result, str):
            parse_checked(result, str(path))

    check()


# ---------------------------------------------------------------- structured mutations of the bundled documents


MUTATIONS = ("drop", "duplicate", "shuffle", "tab", "html", "truncate", "gb18030", "crlf", "blank")
HTML_SNIPPETS = ("<p>", "</p>", "<br/>", "<td>1</td>", "&nbsp;", "<script>x</script>", "<<", "&#x4e00;", "<div class='a'")


def mutate(text: str, operations: list[tuple[str, int]]) -> bytes:
    """Apply mutations driven by integers (so hypothesis can shrink them); return file bytes."""
    lines = text.split("\n")
    encoding = "utf-8"
    for name, seed in operations:
        rng = random.Random(seed)
        index = rng.randrange(len(lines)) if lines else 0
        if name == "drop" and lines:
            del lines[index]
        elif name == "duplicate" and lines:
            lines.insert(index, lines[index])
        elif name == "shuffle" and lines:
            end = min(len(lines), index + rng.randint(2, 12))
            block = lines[index:end]
            rng.shuffle(block)
            lines[index:end] = block
        elif name == "tab" and lines:
            line = lines[index]
            at = rng.randint(0, len(line))
            lines[index] = line[:at] + "\t" * rng.randint(1, 3) + line[at:]
        elif name == "html" and lines:
            line = lines[index]
            at = rng.randint(0, len(line))
            lines[index] = line[:at] + rng.choice(HTML_SNIPPETS) + line[at:]
        elif name == "truncate":
            joined = "\n".join(lines)
            lines = joined[: rng.randint(0, len(joined))].split("\n")
        elif name == "gb18030":
            encoding = "gb18030"
        elif name == "crlf":
            lines = [line + "\r" for line in lines]
        elif name == "blank" and lines:
            lines.insert(index, rng.choice(["", "   ", "\t", "\t\t\t"]))
    return "\n".join(lines).encode(encoding)


@FUZZ
@given(
    doc=st.sampled_from(sorted(TEXTS)),
    operations=st.lists(st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 2**16)), min_size=1, max_size=6),
)
def test_mutated_bundled_documents(robustness_report, doc, operations):
    tally(robustness_report, "fuzz cases: decode_text + parse_text: mutated bundled documents")
    data = mutate(TEXTS[doc], operations)
    name = f"{doc}.txt"
    text = outcome(lambda: decode_text(data, path=name), name)
    if isinstance(text, str):
        parse_checked(text, name)


@pytest.mark.parametrize("doc", sorted(TEXTS))
def test_gb18030_copy_gives_the_same_items(robustness_report, doc):
    """Re-encoding alone changes nothing the parser sees."""
    tally(robustness_report, "fuzz cases: decode_text + parse_text: GB18030 copies")
    utf8 = parse_text(decode_text(TEXTS[doc].encode("utf-8")), META)
    gb = parse_text(decode_text(TEXTS[doc].encode("gb18030")), META)
    assert gb.items.equals(utf8.items)
