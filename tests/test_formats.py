"""Word, Excel, CSV and PDF files built from the bundled documents give the same items as the text."""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path

import polars as pl
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from align.cli import main
from align.exceptions import DocumentParseError
from align.formats import parse_column_spec, read_table_file
from align.parsing import parse_file, parse_text, recognise_columns
from align.readers import read_document_text
from align.registry import DocumentMeta, get_document
from align.settings import BUNDLED_DATA

DOCS = BUNDLED_DATA / "documents"
META = DocumentMeta(id="t", title="t", jurisdiction="灞桥区", level="district", year=2023, kind="task_table", file="t")
COMPARED = ["item_id", "text", "units", "status"]
TITLE = "灞桥区 2023 年《政府工作报告》目标任务落实情况统计表"


def baqiao_rows(count: int = 20) -> list[list[str]]:
    """The header and the first ``count`` task rows of the baqiao-2023 table."""
    lines = (DOCS / "baqiao-2023-task-progress.txt").read_text(encoding="utf-8").split("\n")
    rows = [line.split("\t") for line in lines if "\t" in line]
    header, body = rows[0], [r for r in rows if r != rows[0]]
    return [header, *body[:count]]


def items_of(text: str) -> pl.DataFrame:
    return parse_text(text, META).items.select(COMPARED)


@pytest.fixture(scope="module")
def expected() -> pl.DataFrame:
    rows = baqiao_rows()
    items = items_of(TITLE + "\n" + "\n".join("\t".join(r) for r in rows) + "\n")
    assert items.height == 20
    return items


def write_docx(path: Path, rows: list[list[str]]) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    document.add_paragraph("报：区长、各副区长。")
    document.save(path)
    return path


def write_xlsx(path: Path, rows: list[list], title: str | None = TITLE) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append([int(v) if isinstance(v, str) and v.isdecimal() else v for v in row])
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_pdf(path: Path, lines: list[str], table: list[list[str]] | None = None, password: str = "") -> Path:
    """A PDF with Chinese text; reportlab's built-in CID font STSong-Light needs no font file."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("cn", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    small = ParagraphStyle("cell", fontName="STSong-Light", fontSize=8, leading=10, wordWrap="CJK")
    story: list = [Paragraph(escape(line), body) for line in lines if line.strip()]
    if table:
        grid = Table([[Paragraph(escape(c), small) for c in row] for row in table], colWidths=[30, 160, 80, 200])
        grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story.append(grid)
    SimpleDocTemplate(str(path), encrypt=password or None).build(story)
    return path


def glyph_code_pdf(lines: list[list[str | list[int]]]) -> bytes:
    """A one-page PDF whose text is drawn in a font with a Unicode map (a str) or glyph codes of a font
    without one (a list of CIDs: Identity-H, no ToUnicode), as some PDF printers write Chinese fonts."""
    def shown(piece):
        if isinstance(piece, str):
            return b"/F2 12 Tf <" + piece.encode("utf-16-be").hex().encode() + b"> Tj "
        return b"/F1 12 Tf <" + "".join(f"{c:04X}" for c in piece).encode() + b"> Tj "

    content = b"BT 14 TL 72 760 Td " + b"".join(b"".join(map(shown, line)) + b"T* " for line in lines) + b"ET"
    descriptor = b"/Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 8 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (Identity) /Supplement 0 >> /DW 1000 /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /ABCDEF+SimSun " + descriptor + b" >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [9 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
        b"/Ordering (GB1) /Supplement 2 >> /DW 1000 /FontDescriptor 10 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light " + descriptor + b" >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ---------------------------------------------------------------- same items, every format


def test_docx_table_gives_the_text_items(tmp_path, expected):
    path = write_docx(tmp_path / "baqiao.docx", baqiao_rows())
    text = read_document_text(path)
    assert text.startswith(TITLE)
    assert items_of(text).equals(expected)


def test_xlsx_gives_the_text_items(tmp_path, expected):
    path = write_xlsx(tmp_path / "baqiao.xlsx", baqiao_rows())
    assert items_of(read_document_text(path)).equals(expected)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_gives_the_text_items(tmp_path, expected, encoding):
    path = write_csv(tmp_path / "baqiao.csv", [[TITLE], *baqiao_rows()], encoding=encoding)
    assert items_of(read_document_text(path)).equals(expected)


def test_pdf_outline_gives_the_text_items_and_indicators(tmp_path):
    lines = (DOCS / "xixian-2023-work-points.txt").read_text(encoding="utf-8").split("\n")[:14]
    want = parse_text("\n".join(lines), META)
    assert want.items.height == 4
    path = write_pdf(tmp_path / "xixian.pdf", lines)
    got = parse_text(read_document_text(path), META)
    assert got.items.select(COMPARED).equals(want.items.select(COMPARED))
    assert got.indicators == want.indicators, "a wrapped paragraph is joined again"


def test_pdf_table_gives_the_text_items(tmp_path, expected):
    rows = baqiao_rows(8)
    path = write_pdf(tmp_path / "baqiao.pdf", [TITLE], table=rows)
    assert items_of(read_document_text(path)).equals(expected.head(8))


def test_section_row_in_a_spreadsheet_restarts_numbering(tmp_path):
    rows = [["序号", "主要任务", "责任单位", "完成情况"], ["已完成 2 项："], ["1", "建成公园", "区城管局", "已完成"],
            ["2", "新建学校", "区教育局", "已完成"], ["持续推进 1 项："], ["1", "改造老旧小区", "区住建局", "正在推进"]]
    items = parse_text(read_document_text(write_xlsx(tmp_path / "s.xlsx", rows, title=None)), META).items
    assert items["item_id"].to_list() == ["t:1", "t:2", "t:p1"]
    assert items["status"].to_list() == ["done", "done", "in_progress"]


def test_every_task_sheet_of_a_workbook_is_read_under_its_sheet_name(tmp_path):
    """One table per area on its own sheet, numbered from 1 on each; a cover sheet and a 汇总 of counts are no tasks."""
    import openpyxl

    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "说明"
    cover.append(["灞桥区2024年重点任务分解表"])
    sheets = {"汇总": [["1", "2", "区发改委"], ["2", "1", "区教育局"]],
              "经济发展": [["1", "新建汽车充电站不少于15处", "区发改委"], ["2", "改造老旧小区80个", "区住建局"]],
              "民生保障": [["1", "新建幼儿园5所", "区教育局"]]}
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(["序号", "任务数" if name == "汇总" else "主要任务", "责任单位"])
        for row in rows:
            sheet.append(row)
    book.save(tmp_path / "plan.xlsx")
    items = parse_text(read_document_text(tmp_path / "plan.xlsx"), META).items
    assert items.select("item_id", "section_path", "text", "units").rows() == [
        ("t:1", ["经济发展"], "新建汽车充电站不少于15处", ["区发改委"]),
        ("t:2", ["经济发展"], "改造老旧小区80个", ["区住建局"]),
        ("t:b1", ["民生保障"], "新建幼儿园5所", ["区教育局"]),
    ]


def write_sheets(path: Path, sheets: dict[str, list[list]], hidden: dict[str, str] | None = None) -> Path:
    """A workbook with a sheet per entry of ``sheets``; ``hidden`` gives some a state (hidden, veryHidden)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = (hidden or {}).get(name, "visible")
    book.save(path)
    return path


def task_rows(count: int, word: str = "新建口袋公园") -> list[list]:
    return [["序号", "主要任务", "责任单位"], *[[n, f"{word}{n}个", "区城管局"] for n in range(1, count + 1)]]


def test_a_hidden_sheet_is_not_read_and_is_named_in_a_warning(tmp_path):
    """A visible sheet of 5 tasks and a hidden 旧版草稿 of 7 gave 12 items: the old draft's tasks were read as the plan's."""
    path = write_sheets(tmp_path / "plan.xlsx", {"任务表": task_rows(5), "旧版草稿": task_rows(7, "改造老旧小区"),
                                                  "底稿": task_rows(3, "新建学校")},
                        hidden={"旧版草稿": "hidden", "底稿": "veryHidden"})
    parsed = parse_text(read_document_text(path), META, path=path)
    assert parsed.items["text"].to_list() == [f"新建口袋公园{n}个" for n in range(1, 6)]
    assert parsed.items["section_path"].to_list() == [[]] * 5, "one sheet read: no section named after it"
    assert f"{path}: 隐藏的工作表 旧版草稿、底稿 未读取 hidden sheet(s) '旧版草稿', '底稿' not read" in parsed.warnings[0]


def test_add_with_columns_named_by_hand_says_which_sheets_it_left_out_too(tmp_path, capsys):
    """add --columns read the table again from a mapped copy, and the hidden sheet's warning was lost."""
    import shutil

    from align.cli import main
    from align.settings import BUNDLED_DATA

    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data, ignore=shutil.ignore_patterns(".cache", "decisions.sqlite*"))
    path = write_sheets(tmp_path / "plan.xlsx", {"任务表": task_rows(5), "旧版草稿": task_rows(7, "改造老旧小区")},
                        hidden={"旧版草稿": "hidden"})
    header = task_rows(1)[0]
    assert main(["add", str(path), "--data", str(data), "--id", "lianhu-2024", "--jurisdiction", "莲湖区",
                 "--level", "district", "--year", "2024", "--parent", "西安市",
                 "--columns", f"task={header[1]},units={header[2]}"]) == 0
    assert "隐藏的工作表 旧版草稿 未读取" in capsys.readouterr().err


def test_a_task_table_only_on_a_hidden_sheet_is_named_in_the_error(tmp_path):
    path = write_sheets(tmp_path / "plan.xlsx", {"说明": [["灞桥区2024年重点任务分解表"]], "任务": task_rows(3)},
                        hidden={"任务": "hidden"})
    with pytest.raises(DocumentParseError, match=r"no header row.*Hidden sheet\(s\) '任务' were not read") as raised:
        read_document_text(path)
    assert "隐藏的工作表 任务 未读取" in str(raised.value.zh)


def test_a_copy_of_a_sheet_does_not_count_its_tasks_twice(tmp_path):
    """Excel's "Sheet1 (2)", a copy kept beside the original, doubled every task."""
    path = write_sheets(tmp_path / "plan.xlsx", {"Sheet1": task_rows(5), "民生保障": task_rows(2, "新建学校"),
                                                  "Sheet1 (2)": task_rows(5)})
    parsed = parse_text(read_document_text(path), META, path=path)
    assert parsed.items["text"].to_list() == [*(f"新建口袋公园{n}个" for n in range(1, 6)), "新建学校1个", "新建学校2个"]
    assert parsed.warnings == [f"{path}: 工作表 Sheet1 (2) 与 Sheet1 的任务相同，未读取 sheet 'Sheet1 (2)' repeats the "
                               "tasks of sheet 'Sheet1' and was not read."]


def test_rows_hidden_by_a_filter_are_read_and_named_in_a_warning(tmp_path):
    """A filter on 责任单位 left on showed 3 of 5 tasks; the 2 rows it hid were read as tasks, said nowhere. They
    are read still (left out, a filter's hidden section rows and second rows of merged tasks misfiled the tasks
    shown, and a filtered copy of a sheet read as new tasks), and the planner is told which."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "任务"
    sheet.append(["序号", "主要任务", "责任单位", "完成时限"])
    for row in [(1, "新建充电桩200个", "灞桥区发改局"), (2, "改造老旧小区30个", "莲湖区住建局"), (3, "新增就业5000人", "灞桥区人社局"),
                (4, "新建学校3所", "雁塔区教育局"), (5, "新建公园5个", "灞桥区园林局")]:
        sheet.append([*row, "2024年底"])
    sheet.auto_filter.ref = "A1:D6"
    sheet.auto_filter.add_filter_column(2, ["灞桥区发改局", "灞桥区人社局", "灞桥区园林局"])
    for row in (3, 5, 8):  # row 8, hidden by hand, holds nothing: nothing to say
        sheet.row_dimensions[row].hidden = True
    book.save(tmp_path / "filtered.xlsx")
    parsed = parse_text(read_document_text(tmp_path / "filtered.xlsx"), META, path=tmp_path / "filtered.xlsx")
    assert parsed.items["number"].to_list() == ["1", "2", "3", "4", "5"]
    assert parsed.warnings == [
        f"{tmp_path / 'filtered.xlsx'}: 工作表 任务 中隐藏的第 3、5 行也已读取（筛选或隐藏所致，请核对它们是否属于本文档） "
        "hidden rows 3, 5 of sheet '任务' read as well (hidden by a filter, an outline or by hand: check that they "
        "belong to the plan)."]


# ---------------------------------------------------------------- Word's automatic numbering


def define_list(document, levels: list[tuple[str, str]]) -> str:
    """Add a multi-level list to numbering.xml as Word saves one; its numId.

    ``levels`` holds (numFmt, lvlText) per level, e.g. ("chineseCounting", "%1、").
    """
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    body = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                   f'<w:lvlText w:val="{text}"/><w:suff w:val="nothing"/></w:lvl>'
                   for i, (fmt, text) in enumerate(levels))
    numbering.find(qn("w:num")).addprevious(
        parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{body}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def number_paragraph(paragraph, num_id: str, level: int = 0):
    """Put a paragraph in a list, as Word's numbering button does (w:numPr), leaving its text as it was."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = int(num_id)
    return paragraph


def write_numbered_table(path: Path, tasks: list[tuple[str, str]], number_style: str | None = None,
                         num_id: str | None = None) -> Path:
    """A 序号 / 工作任务 / 牵头单位 table whose 序号 cells hold no typed number, only Word numbering."""
    import docx

    document = docx.Document()
    document.add_paragraph("雁塔区2024年重点工作任务分解表")
    table = document.add_table(rows=1, cols=3)
    for cell, header in zip(table.rows[0].cells, ["序号", "工作任务", "牵头单位"]):
        cell.text = header
    for task, unit in tasks:
        cells = table.add_row().cells
        if number_style:
            cells[0].paragraphs[0].style = document.styles[number_style]
        if num_id:
            number_paragraph(cells[0].paragraphs[0], num_id)
        cells[1].text, cells[2].text = task, unit
    document.save(path)
    return path


TASKS = [("新建口袋公园15个", "区城管局"), ("新增公共停车位3000个", "区交通局"), ("新建普惠托育机构5所", "区卫健委")]


def test_a_table_nested_in_a_word_cell_is_part_of_its_task(tmp_path):
    """python-docx's cell.paragraphs leaves nested tables out: the projects a task lists in a
    small table inside its cell were lost, and with them their amounts."""
    import docx

    document = docx.Document()
    document.add_paragraph("某区2024年重点任务分解表")
    table = document.add_table(rows=2, cols=3)
    for column, name in enumerate(["序号", "主要任务", "责任单位"]):
        table.cell(0, column).text = name
    table.cell(1, 0).text, table.cell(1, 2).text = "1", "区发改委"
    cell = table.cell(1, 1)
    cell.text = "实施重点项目："
    inner = cell.add_table(rows=2, cols=2)
    for row, (name, amount) in enumerate([("丝路欢乐世界", "投资50亿元"), ("灞河左岸道路", "投资3亿元")]):
        inner.cell(row, 0).text, inner.cell(row, 1).text = name, amount
    document.save(tmp_path / "nested.docx")
    item = parse_text(read_document_text(tmp_path / "nested.docx"), META).items.row(0, named=True)
    assert item["text"] == "实施重点项目:丝路欢乐世界投资50亿元;灞河左岸道路投资3亿元"
    assert [t["value"] for t in item["targets"]] == [5e9, 3e8] and item["units"] == ["区发改委"]
    # two quantities in one nested row are two clauses (joined by a space, they read 新建公办幼儿园新增学位 1080个)
    for row, (first, second) in enumerate([("新建公办幼儿园3所", "新增学位1080个"), ("改造老旧小区40个", "惠及居民1.2万户")]):
        inner.cell(row, 0).text, inner.cell(row, 1).text = first, second
    document.save(tmp_path / "nested.docx")
    item = parse_text(read_document_text(tmp_path / "nested.docx"), META).items.row(0, named=True)
    assert [(t["indicator"], t["value"]) for t in item["targets"]] == [
        ("新建公办幼儿园", 3), ("新增学位", 1080), ("改造老旧小区", 40), ("惠及居民", 12000)]


def test_a_task_table_framed_by_a_one_column_layout_table_is_read_as_a_table(tmp_path):
    """A layout box round the task table (a caption row, then the table in the next row's cell) was read as one
    cell: every task ran into one line and the plan had no items (a bad-input probe)."""
    import docx

    document = docx.Document()
    document.add_paragraph("灞桥区2024年重点工作任务分解表")
    frame = document.add_table(rows=2, cols=1)
    frame.cell(0, 0).text = "任务分解如下"
    inner = frame.cell(1, 0).add_table(rows=3, cols=3)
    for row, values in enumerate([("序号", "主要任务", "责任单位"), ("1", "新建汽车充电站15处", "区发改委"),
                                  ("2", "改造老旧小区40个", "区住建局")]):
        for column, value in enumerate(values):
            inner.cell(row, column).text = value
    document.save(tmp_path / "framed.docx")
    items = parse_text(read_document_text(tmp_path / "framed.docx"), META).items
    assert items.select("text", "units").rows() == [("新建汽车充电站15处", ["区发改委"]), ("改造老旧小区40个", ["区住建局"])]


def test_hidden_text_in_word_is_not_read(tmp_path):
    """Hidden text (Font ▸ Hidden, <w:vanish/>) shows neither on screen nor in print: a hidden task was an item."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    document.add_paragraph("某区2024年工作要点")
    note = document.styles.add_style("起草说明", WD_STYLE_TYPE.CHARACTER)
    note.font.hidden = True
    document.add_paragraph("1. 新建口袋公园15个。")
    hidden_task = document.add_paragraph()
    hidden_task.add_run("2. 新建体育馆1座。").font.hidden = True  # a task struck from the plan, kept hidden
    second = document.add_paragraph("2. 改造老旧小区80个")
    second.add_run("（待区住建局确认）").style = note
    shown = second.add_run("。")
    shown.style = note
    shown.font.hidden = False  # <w:vanish w:val="0"/> on the run outweighs its style
    hidden_style = document.styles.add_style("隐藏段落", WD_STYLE_TYPE.PARAGRAPH)
    hidden_style.font.hidden = True
    document.add_paragraph("3. 新建停车场5个。", style=hidden_style)
    table = document.add_table(rows=2, cols=3)
    for cell, value in zip(table.rows[0].cells, ["序号", "主要任务", "责任单位"]):
        cell.text = value
    row = table.rows[1].cells
    row[0].text, row[2].text = "1", "区城管局"
    row[1].paragraphs[0].add_run("新建公厕10座")
    row[1].paragraphs[0].add_run("、旧址改建3座").font.hidden = True
    document.save(tmp_path / "hidden.docx")
    text = read_document_text(tmp_path / "hidden.docx")
    assert text.split("\n")[:5] == ["某区2024年工作要点", "1. 新建口袋公园15个。", "", "2. 改造老旧小区80个。", ""]
    assert "1\t新建公厕10座\t区城管局" in text
    assert not any(word in text for word in ("体育馆", "待区住建局确认", "停车场", "旧址改建"))


def test_tracked_changes_in_word_read_as_the_document_shows_them(tmp_path):
    """Text inserted with Track Changes on was left out (only the paragraph's own runs were read): 新建学校 lost its 5所."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    paragraph = document.add_paragraph("1. 新建学校")
    for xml in ('<w:ins {ns} w:id="1" w:author="王"><w:r><w:t>5所</w:t></w:r></w:ins>',
                '<w:del {ns} w:id="2" w:author="王"><w:r><w:delText>3所</w:delText></w:r></w:del>',
                '<w:moveFrom {ns} w:id="3" w:author="王"><w:r><w:t>（区教育局）</w:t></w:r></w:moveFrom>',
                '<w:r {ns}><w:t>，</w:t></w:r>',
                '<w:moveTo {ns} w:id="4" w:author="王"><w:r><w:t>由区教育局牵头</w:t></w:r></w:moveTo>'):
        paragraph._p.append(parse_xml(xml.format(ns=nsdecls("w"))))
    document.save(tmp_path / "tracked.docx")
    assert read_document_text(tmp_path / "tracked.docx") == "1. 新建学校5所，由区教育局牵头\n"


def test_text_in_word_content_controls_is_read_as_word_shows_it(tmp_path):
    """A 督查 template's fill-in fields (content controls, w:sdt) were skipped: every 进展情况 cell read
    empty, tasks inside a block control vanished without a word, and a plan all in controls had no items."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def control(inner: str, prompt: str = "") -> str:
        return f'<w:sdt {nsdecls("w")}><w:sdtPr>{prompt}</w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>'

    document = docx.Document()
    document.add_paragraph("1. 全年新建5G基站300个。")
    body = document.element.body
    block = parse_xml(control('<w:p><w:r><w:t>2. 新建汽车充电站15处。</w:t></w:r></w:p>'
                              '<w:p><w:r><w:t>3. 改造老旧小区40个。</w:t></w:r></w:p>'))
    body.insert(body.index(document.paragraphs[-1]._p) + 1, block)
    document.add_paragraph("4. 新建口袋公园4个。")
    table = document.add_table(rows=3, cols=3)
    for cell, value in zip(table.rows[0].cells, ["序号", "主要任务", "进展情况"]):
        cell.text = value
    for number, (row, (task, progress, prompt)) in enumerate(zip(table.rows[1:], [
        ("新建公办幼儿园3所", "已完成。建成3所。", '<w:showingPlcHdr w:val="0"/>'),
        ("改造老旧小区40个", "单击或点击此处输入文字。", "<w:showingPlcHdr/>"),  # a prompt, not yet filled in
    ]), start=1):
        row.cells[0].text = str(number)
        row.cells[1].paragraphs[0]._p.append(parse_xml(control(f"<w:r><w:t>{task}</w:t></w:r>")))  # inline
        row.cells[2].paragraphs[0]._p.append(parse_xml(control(f"<w:r><w:t>{progress}</w:t></w:r>", prompt)))
    document.save(tmp_path / "controls.docx")
    text = read_document_text(tmp_path / "controls.docx")
    assert text.split("\n")[:4] == ["1. 全年新建5G基站300个。", "2. 新建汽车充电站15处。", "3. 改造老旧小区40个。",
                                    "4. 新建口袋公园4个。"]
    assert "1\t新建公办幼儿园3所\t已完成。建成3所。" in text
    assert "2\t改造老旧小区40个" in text and "单击" not in text


def test_words_automatic_table_of_contents_is_no_part_of_the_plan_and_an_empty_cell_control_keeps_its_column(tmp_path):
    """Unwrapping content controls read Word's 目录 (headings and tasks again, with page numbers) and the plan was
    refused for repeated numbers; a whole cell in a control still showing its prompt was dropped, and the cells
    after it moved left (deadline = 区教育局) — a review of this session's change."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("灞桥区2024年工作要点")
    toc = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in ("一、教育提质\t1", "1.新建幼儿园3所\t1", "2.新增学位1080个\t2"))
    document.element.body.append(parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj>'
        f"</w:sdtPr><w:sdtContent>{toc}</w:sdtContent></w:sdt>"))
    for line in ("一、教育提质", "1.新建幼儿园3所。", "2.新增学位1080个。"):
        document.add_paragraph(line)
    document.save(tmp_path / "toc.docx")
    items = parse_text(read_document_text(tmp_path / "toc.docx"), META).items
    assert items["text"].to_list() == ["新建幼儿园3所。", "新增学位1080个。"]

    document = docx.Document()
    table = document.add_table(rows=2, cols=4)
    for cell, value in zip(table.rows[0].cells, ["序号", "主要任务", "完成时限", "责任单位"]):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ["1", "新建幼儿园3所", "", "区教育局"]):
        cell.text = value
    row = table.rows[1]._tr
    blank = row.tc_lst[2]
    control = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent/></w:sdt>')
    row.replace(blank, control)
    blank.append(parse_xml(f'<w:p {nsdecls("w")}><w:r><w:t>单击或点击此处输入日期。</w:t></w:r></w:p>'))
    control[1].append(blank)
    document.save(tmp_path / "cell.docx")
    text = read_document_text(tmp_path / "cell.docx")
    assert "1\t新建幼儿园3所\t\t区教育局" in text and "单击" not in text


def test_a_text_box_is_read_after_the_paragraph_it_is_anchored_in(tmp_path):
    """A 专栏 of tasks 3 and 4 in a text box was dropped without a word (python-docx reads no text in a
    drawing); a box Word writes twice for older versions (mc:Fallback) is read once."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    for line in ("一、稳增长", "1.全年新建5G基站300个。", "2.新增规上工业企业10家。", "二、惠民生"):
        document.add_paragraph(line)
    box = ("<w:p><w:r><w:t>专栏1 民生实事</w:t></w:r></w:p><w:p><w:r><w:t>3.新建公办幼儿园3所。</w:t></w:r></w:p>"
           "<w:p><w:r><w:t>4.改造老旧小区40个。</w:t></w:r></w:p>")
    namespaces = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
                  'xmlns:v="urn:schemas-microsoft-com:vml"')
    document.paragraphs[-1]._p.append(parse_xml(
        f"<w:r {namespaces}><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx><w:txbxContent>{box}"
        f"</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>{box}"
        "</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"))
    document.add_paragraph("5.新建口袋公园4个。")
    document.save(tmp_path / "box.docx")
    text = read_document_text(tmp_path / "box.docx")
    assert [line for line in text.split("\n") if line] == [
        "一、稳增长", "1.全年新建5G基站300个。", "2.新增规上工业企业10家。", "二、惠民生", "专栏1 民生实事",
        "3.新建公办幼儿园3所。", "4.改造老旧小区40个。", "5.新建口袋公园4个。"]
    # two boxes anchored in one task's paragraph read in their order, and a box's label joins no task (a review)
    document = docx.Document()
    task = document.add_paragraph("1.新建幼儿园3所。")
    for label, line in (("专栏1 教育", "2.新增学位1080个。"), ("专栏2 养老", "3.新建社区食堂10个。")):
        task._p.append(parse_xml(
            f"<w:r {namespaces}><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>{label}</w:t></w:r></w:p>"
            f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></w:r>"))
    document.save(tmp_path / "boxes.docx")
    items = parse_text(read_document_text(tmp_path / "boxes.docx"), META).items
    assert items["text"].to_list() == ["新建幼儿园3所。", "新增学位1080个。", "新建社区食堂10个。"]


def test_word_outline_numbered_automatically(tmp_path):
    """Non-regression: paragraph.text leaves out the 一、/（一）/1. that Word draws, so the outline was lost."""
    import docx

    document = docx.Document()
    document.add_paragraph("西安高新区2024年工作要点")
    outline = define_list(document, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")])
    for level, text in [(0, "聚焦科技创新"), (1, "强化创新平台"), (2, "新建研发平台15个。（牵头单位：区科技局）"),
                        (2, "新增孵化载体20万平方米。（牵头单位：区投资合作局）"), (1, "壮大企业集群"),
                        (2, "新增科技型中小企业800家。（牵头单位：区科技局）"), (0, "聚焦产业升级"), (1, "做强制造业"),
                        (2, "半导体产业产值增长15%。（牵头单位：区发改委）")]:
        number_paragraph(document.add_paragraph(text), outline, level)
    document.save(tmp_path / "outline.docx")

    text = read_document_text(tmp_path / "outline.docx")
    assert "\n二、聚焦产业升级\n（一）做强制造业\n1.半导体产业产值增长15%" in text, "deeper levels restart"
    items = parse_text(text, META).items
    assert items["item_id"].to_list() == ["t:1.1.1", "t:1.1.2", "t:1.2.1", "t:2.1.1"]
    assert items["section_path"].to_list()[3] == ["二、聚焦产业升级", "(一)做强制造业"]
    assert items["units"].to_list() == [["区科技局"], ["区投资合作局"], ["区科技局"], ["区发改委"]]


def test_two_word_lists_over_one_definition_count_on_as_word_does(tmp_path):
    """Counters ran per list (numId): two lists over one definition read 1, 2 | 1, 2 where Word shows 1, 2 | 3, 4,
    so `decide t:3` named no task the clerk could see; a list restarting its first level (w:startOverride) then a
    list going on read 1, 2 | 1, 2 | 1, 2 and the plan was refused for repeated numbers (a bad-input probe;
    Word's counting per abstractNum as ECMA-376 §17.9 has it and other readers were mended to)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("灞桥区2024年工作要点")
    first = define_list(document, [("decimal", "%1.")])
    numbering = document.part.numbering_part.element
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="92"><w:abstractNumId w:val="90"/>'
                               '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    paragraphs = [("一、稳增长", None), ("新建5G基站300个。", first), ("新增规上企业10家。", first),
                  ("二、惠民生", None), ("新建幼儿园3所。", "91"), ("改造老旧小区40个。", "91"),
                  ("三、重点项目", None), ("新建学校2所。", "92"), ("新建公园4个。", "92"), ("新建书房5个。", first)]
    for text, num_id in paragraphs:
        paragraph = document.add_paragraph(text)
        if num_id:
            number_paragraph(paragraph, num_id)
    document.save(tmp_path / "lists.docx")
    lines = [line for line in read_document_text(tmp_path / "lists.docx").split("\n") if line[:1].isdigit()]
    assert lines == ["1.新建5G基站300个。", "2.新增规上企业10家。", "3.新建幼儿园3所。", "4.改造老旧小区40个。",
                     "1.新建学校2所。", "2.新建公园4个。", "3.新建书房5个。"]


@pytest.mark.parametrize(
    "number_format, text, position, label",
    [("chineseCountingThousand", "%1、", 11, "十一、"), ("ideographTraditional", "%1.", 2, "乙."),
     ("decimalEnclosedCircle", "%1", 11, "⑪ "), ("decimal", "（%1）", 11, "（11）")],
)
def test_word_list_number_formats(tmp_path, number_format, text, position, label):
    import docx

    document = docx.Document()
    num_id = define_list(document, [(number_format, text)])
    for n in range(1, 12):
        number_paragraph(document.add_paragraph(f"任务{n}"), num_id)
    document.save(tmp_path / "formats.docx")
    assert read_document_text(tmp_path / "formats.docx").split("\n")[position - 1] == f"{label}任务{position}"


def test_word_table_number_column_numbered_automatically(tmp_path):
    """Non-regression: a 序号 column in Word's List Number style read as empty cells: "no plan items found"."""
    path = write_numbered_table(tmp_path / "auto.docx", TASKS, number_style="List Number")
    items = parse_text(read_document_text(path), META).items
    assert items["number"].to_list() == ["1", "2", "3"]
    assert items["text"].to_list() == [task for task, _ in TASKS]
    assert items["units"].to_list() == [[unit] for _, unit in TASKS]


def test_word_table_number_column_numbered_by_a_missing_list(tmp_path):
    """Numbering whose definition is missing cannot be rendered: an all-empty 序号 column is numbered in row order."""
    path = write_numbered_table(tmp_path / "lost.docx", TASKS, num_id="42")
    items = parse_text(read_document_text(path), META).items
    assert items["number"].to_list() == ["1", "2", "3"]
    assert items["units"].to_list() == [[unit] for _, unit in TASKS]


# ---------------------------------------------------------------- merged cells and two-row headers


def write_merged_xlsx(path: Path, rows: list[list], merged: list[str]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["雁塔区2024年重点工作任务分解表"])
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def test_a_cell_formatted_as_a_percentage_reads_as_excel_shows_it(tmp_path):
    """Excel shows 6% and stores 0.06: the task read 地区生产总值增长。0.06, with no target."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["序号", "重点任务", "目标值", "牵头单位"], [1, "地区生产总值增长", 0.06, "区发改委"],
                [2, "居民人均可支配收入增长", 0.065, "区发改委"], [3, "新建学校", 3, "区教育局"]):
        sheet.append(row)
    sheet["C2"].number_format, sheet["C3"].number_format = "0%", "0.0%"
    sheet["C4"].number_format = '0"%"'  # a % written into the format as text follows the number unscaled
    book.save(tmp_path / "t.xlsx")
    items = parse_text(read_document_text(tmp_path / "t.xlsx"), META).items
    assert [[(t["value"], t["unit"]) for t in targets] for targets in items["targets"]] == [
        [(6.0, "%")], [(6.5, "%")], [(3.0, "%")]]


def write_target_xlsx(path: Path, targets: list[tuple[object, str | None]]) -> Path:
    """A task table whose 目标值 column holds each (value, number format); row n is task n."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "重点任务", "目标值", "牵头单位"])
    for number, (value, number_format) in enumerate(targets, start=1):
        sheet.append([number, "任务" + "甲乙丙丁戊己庚辛"[number - 1], value, "区发改委"])
        if number_format is not None:
            sheet.cell(number + 1, 3).number_format = number_format
    book.save(path)
    return path


def target_cells(path: Path) -> list[str]:
    """The 目标值 cell of each task row as read."""
    lines = [line.split("\t") for line in read_table_file(path).splitlines()]
    header = next(row for row in lines if "目标要求" in row)  # the column's name as read
    return [row[header.index("目标要求")] for row in lines[lines.index(header) + 1:] if len(row) > 1]


def test_a_cached_formula_value_reads_as_excel_shows_it(tmp_path):
    """The cached value of =110.1+310.2, which Excel shows as 420.3, read 完成固定资产投资。420.29999999999995."""
    import xlsxwriter

    path = tmp_path / "formula.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("任务")
    sheet.write_row(0, 0, ["序号", "重点任务", "目标值", "牵头单位"])
    sheet.write_row(1, 0, [1, "完成固定资产投资"])
    sheet.write_formula(1, 2, "=110.1+310.2", None, 110.1 + 310.2)
    sheet.write(1, 3, "区发改委")
    book.close()
    assert target_cells(path) == ["420.3"]
    assert parse_text(read_document_text(path), META).items["text"].to_list() == ["完成固定资产投资。420.3"]


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [(1.2, '0.0"万人"', "1.2万人"), (200, '0"个"', "200个"), (200.0, '0"个"', "200个"),
     (1234567, '#,##0"元"', "1,234,567元"), (5, '0"%"', "5%"), (3, '0\\个', "3个"), (1.25, "0.0", "1.25"),
     (7.5, "0.00", "7.50"), (2.0, "#,##0.00", "2.00"), ("新建", '@"学校"', "新建学校"),
     (-3, '0"个";"减少"0"个"', "减少3个"), (0.06, "0%", "6%"), (0.065, "0.0%", "6.5%")],
)
def test_a_number_format_reads_as_excel_shows_it(tmp_path, value, number_format, shown):
    """The text of a number format was lost: 1.2 under 0.0"万人" (shown 1.2万人) read 1.2, with no unit."""
    assert target_cells(write_target_xlsx(tmp_path / "t.xlsx", [(value, number_format)])) == [shown]


def test_a_number_format_unit_makes_the_target(tmp_path):
    """城镇新增就业 with 1.2 under 0.0"万人" is a target of 12,000 人; 200 under 0"个" one of 200 个."""
    path = write_target_xlsx(tmp_path / "t.xlsx", [(1.2, '0.0"万人"'), (200, '0"个"'), (1234567, '#,##0"元"')])
    items = parse_text(read_document_text(path), META).items
    assert [[(t["value"], t["unit"]) for t in targets] for targets in items["targets"]] == [
        [(12000.0, "人")], [(200.0, "个")], [(1234567.0, "元")]]


@pytest.mark.parametrize(("value", "shown"), [(200.0, "200"), (200, "200"), (0.1 + 0.2, "0.3"), (7.25, "7.25"),
                                              (110.1 + 310.2, "420.3"), (12345678901234.0, "12345678901234")])
def test_a_general_number_reads_without_float_noise_or_point_zero(tmp_path, value, shown):
    """A value stored with its float noise, as Excel stores a formula's result, reads as Excel shows it.
    (A formula's cached value is the one number xlsxwriter writes to all 17 digits; openpyxl rounds.)"""
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["序号", "重点任务", "目标值", "牵头单位"])
    sheet.write_row(1, 0, [1, "任务甲", None, "区发改委"])
    sheet.write_formula(1, 2, "=C1", None, value)
    book.close()
    assert target_cells(path) == [shown]


def test_date_and_percent_cells_read_as_before(tmp_path):
    """A date cell reads as its ISO date, or as a Chinese date format shows it, a percentage as Excel shows it; neither
    goes through General."""
    import datetime

    path = write_target_xlsx(tmp_path / "t.xlsx", [(datetime.datetime(2024, 6, 30), "yyyy-mm-dd"),
                                                    (datetime.datetime(2024, 12, 31), "yyyy\"年\"m\"月\"d\"日\""),
                                                    (0.06, "0%"), (0.065, "0.0%"), (95, '0"%"')])
    assert target_cells(path) == ["2024-06-30", "2024年12月31日", "6%", "6.5%", "95%"]


@given(st.floats(min_value=-1e11, max_value=1e11, allow_nan=False, allow_infinity=False))
def test_a_general_number_parses_back_to_its_value_to_12_digits(value):
    """The shown value of a float under General is the float to 12 significant digits, written plainly."""
    from align.formats import _cell_text, _shown_value

    text = _cell_text(_shown_value(value, "General"))
    assert float(text) == float(f"{value:.12g}")
    assert not text.endswith(".0")


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_a_number_under_a_unit_format_shows_its_decimals_and_unit(value):
    """Under 0.0"万人" every number shows at least one decimal and the unit, and reads back as the value
    the cell holds (to 12 significant digits): the format never rounds away what was typed."""
    from align.formats import _shown_value

    text = _shown_value(value, '0.0"万人"')
    assert text.endswith("万人")
    number = text.removesuffix("万人")
    assert len(number.partition(".")[2]) >= 1
    assert float(number) == pytest.approx(float(f"{value:.12g}"), rel=1e-11, abs=1e-12)


def test_an_xls_number_reads_without_float_noise():
    """The legacy .xls reader: xlrd's stored 420.29999999999995 reads 420.3 (its number format is not
    drawn: reading it made a bordered template 70 times slower), a whole float 200.0 reads 200."""
    from types import SimpleNamespace

    import xlrd

    from align.formats import _xls_value

    def cell(value: object) -> SimpleNamespace:
        return SimpleNamespace(ctype=xlrd.XL_CELL_NUMBER, value=value, xf_index=0)

    assert _xls_value(cell(110.1 + 310.2), 0, (0, 0)) == 420.3
    assert str(_xls_value(cell(200.0), 0, (0, 0))) == "200"


def test_units_merged_down_over_several_tasks(tmp_path):
    """Non-regression: read-only openpyxl has no merged ranges, so only the first task of a merged 牵头单位 had units."""
    rows = [["序号", "工作任务", "牵头单位"], [1, "新建口袋公园15个", "区城管局"], [2, "新增城市绿地30万平方米", None],
            [3, "推进生活垃圾分类", None], [4, "新增公共停车位3000个", "区交通局"]]
    path = write_merged_xlsx(tmp_path / "units.xlsx", rows, merged=["C3:C5"])
    items = parse_text(read_document_text(path), META).items
    assert items["number"].to_list() == ["1", "2", "3", "4"]
    assert items["units"].to_list() == [["区城管局"], ["区城管局"], ["区城管局"], ["区交通局"]]


def test_a_task_merged_over_rows_stays_one_item(tmp_path):
    """A 序号 and task merged over two rows is one task whose rows name two units; its merged target is said once."""
    rows = [["序号", "工作任务", "目标要求", "牵头单位"], [1, "建设口袋公园", "建成15个", "区城管局"],
            [None, None, None, "区住建局"], [2, "新增公共停车位", "新增3000个", "区交通局"]]
    path = write_merged_xlsx(tmp_path / "task.xlsx", rows, merged=["A3:A4", "B3:B4", "C3:C4"])
    items = parse_text(read_document_text(path), META).items
    assert items["number"].to_list() == ["1", "2"]
    assert items["text"][0].count("建成15个") == 1
    assert items["units"].to_list() == [["区城管局", "区住建局"], ["区交通局"]]


def test_a_task_merged_over_rows_numbered_apart_is_each_rows_task(tmp_path):
    """Non-regression: a task cell merged over tasks 4 and 5 (B6:B7), each with its own 序号, read as task 5
    with no text; Excel shows the task beside both numbers, and so do the items."""
    rows = [["序号", "工作任务", "牵头单位"], [1, "新建学校2所", "区教育局"], [2, "新建公园5个", "区城管局"],
            [3, "改造老旧小区10个", "区住建局"], [4, "新增公共停车位3000个", "区交通局"], [5, None, "区城管局"],
            [6, "新建口袋公园15个", "区城管局"]]
    path = write_merged_xlsx(tmp_path / "merged.xlsx", rows, merged=["B6:B7"])
    parsed = parse_text(read_document_text(path), META)
    assert parsed.items["number"].to_list() == ["1", "2", "3", "4", "5", "6"]
    assert parsed.items["text"][3:5].to_list() == ["新增公共停车位3000个", "新增公共停车位3000个"]
    assert parsed.items["units"][3:5].to_list() == [["区交通局"], ["区城管局"]]
    assert parsed.warnings == []


def write_merged_docx(path: Path, rows: list[list], merged: list[str]) -> Path:
    """The table ``write_merged_xlsx`` writes, as a Word table under the same title; ``merged`` names
    the ranges as in the sheet (A3:A4, the title in row 1), each merged as Word's Merge Cells does."""
    import docx
    from openpyxl.utils.cell import range_boundaries

    document = docx.Document()
    document.add_paragraph("雁塔区2024年重点工作任务分解表")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(table.rows, rows):
        for cell, value in zip(row.cells, values):
            cell.text = "" if value is None else str(value)
    for cells in merged:
        min_col, min_row, max_col, max_row = range_boundaries(cells)
        top = table.cell(min_row - 2, min_col - 1)
        text = top.text
        top.merge(table.cell(max_row - 2, max_col - 1)).text = text
    document.save(path)
    return path


MERGED_TASK = [["序号", "主要任务", "目标要求", "责任单位"], [1, "新建充电桩", "新建充电桩200个", "区发改委"],
               [None, None, "新建换电站10座", "区工信局"], [2, "改造老旧小区", "改造小区30个", "区住建局"],
               [3, "新增就业", "新增就业5000人", None]]


def test_a_task_merged_over_rows_in_word_is_one_item_as_in_excel(tmp_path):
    """python-docx gives each row under a vertical merge the top cell's text: a 序号 and task merged over two
    rows read as task 1 twice, and the Word table was refused (task numbers repeat without a new section)
    while the same table in Excel read as 3 tasks. A unit merged over two tasks stays each task's."""
    merged = ["A3:A4", "B3:B4", "D5:D6"]
    word = parse_text(read_document_text(write_merged_docx(tmp_path / "t.docx", MERGED_TASK, merged)), META)
    excel = parse_text(read_document_text(write_merged_xlsx(tmp_path / "t.xlsx", MERGED_TASK, merged)), META)
    assert word.items.select(COMPARED).equals(excel.items.select(COMPARED))
    assert word.items["number"].to_list() == ["1", "2", "3"]
    assert word.items["text"][0].count("新建充电桩200个") == 1 and "新建换电站10座" in word.items["text"][0]
    assert word.items["units"].to_list() == [["区发改委", "区工信局"], ["区住建局"], ["区住建局"]]
    assert word.warnings == excel.warnings == []


EMPTY_TASK = [["序号", "主要任务", "责任单位"], ["1", "新建学校2所", "区教育局"], ["2", "", "区城管局"],
              ["3", "新建公园5个", "区城管局"]]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_numbered_row_without_task_text_is_kept_and_named_in_a_warning(tmp_path, data_copy, capsys, suffix):
    """Non-regression: 2 | | 区城管局 silently became item 2 with text ''. It is kept (its number and unit are
    what the row says; dropping it would lose them) and the planner is told which line to fill in."""
    path = (write_csv(tmp_path / "e.csv", EMPTY_TASK) if suffix == ".csv"
            else write_xlsx(tmp_path / "e.xlsx", [[v or None for v in row] for row in EMPTY_TASK], title=None))
    data = str(data_copy.data_dir)
    assert main(["add", str(path), "--data", data, "--id", "lianhu-2024", "--jurisdiction", "莲湖区",
                 "--level", "district", "--year", "2024", "--parent", "西安市"]) == 0
    capsys.readouterr()
    assert main(["items", "lianhu-2024", "--format", "json", "--data", data]) == 0
    out, err = capsys.readouterr()
    items = json.loads(out)
    assert [(item["number"], item["text"], item["units"]) for item in items] == [
        ("1", "新建学校2所", ["区教育局"]), ("2", "", ["区城管局"]), ("3", "新建公园5个", ["区城管局"])]
    assert "lianhu-2024.{}, line 3: 第 2 项的任务一栏是空的（第 3 行）".format(suffix[1:]) in err
    assert "task 2 (line 3) has no task text" in err


def test_many_rows_without_task_text_are_one_warning(tmp_path):
    rows = [["序号", "主要任务", "责任单位"], *[[str(n), "" if n > 1 else "新建学校2所", "区教育局"] for n in range(1, 15)]]
    parsed = parse_text(read_document_text(write_csv(tmp_path / "e.csv", rows)), META)
    assert len(parsed.warnings) == 1
    assert "tasks 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more (lines 3, 4," in parsed.warnings[0]
    assert "等 13 项的任务一栏是空的" in parsed.warnings[0]


TWO_ROW_HEADER = [["序号", "工作任务", "责任分工", None, "完成时限"], [None, None, "牵头单位", "配合单位", None],
                  [1, "新建口袋公园15个", "区城管局", "区住建局、各街道办事处", "2024年12月底"],
                  [2, "新增公共停车位3000个", "区交通局", "区城管局", "2024年10月底"]]


def test_two_row_header_in_a_spreadsheet(tmp_path):
    """Non-regression: 责任分工 merged over 牵头单位 | 配合单位 in the row below gave no units at all."""
    path = write_merged_xlsx(tmp_path / "two.xlsx", TWO_ROW_HEADER, merged=["A2:A3", "B2:B3", "C2:D2", "E2:E3"])
    items = parse_text(read_document_text(path), META).items
    assert items["number"].to_list() == ["1", "2"]
    assert items["units"].to_list() == [["区城管局", "区住建局", "各街道办事处"], ["区交通局", "区城管局"]]


def test_two_row_header_in_a_csv(tmp_path):
    """The same header saved as CSV, where nothing is merged: the second row still names the unit columns."""
    path = write_csv(tmp_path / "two.csv", [[c or "" for c in row] for row in TWO_ROW_HEADER])
    items = parse_text(read_document_text(path), META).items
    assert items["units"].to_list() == [["区城管局", "区住建局", "各街道办事处"], ["区交通局", "区城管局"]]


def test_a_word_header_merged_down_over_a_second_header_row_still_names_the_units(tmp_path):
    """The 序号 and 工作任务 merged down beside 牵头单位 | 配合单位 are a header said twice, not a task continued."""
    path = write_merged_docx(tmp_path / "two.docx", TWO_ROW_HEADER, merged=["A2:A3", "B2:B3", "C2:D2", "E2:E3"])
    items = parse_text(read_document_text(path), META).items
    assert items["number"].to_list() == ["1", "2"]
    assert items["units"].to_list() == [["区城管局", "区住建局", "各街道办事处"], ["区交通局", "区城管局"]]
    assert items["deadline"].to_list() == ["2024年12月底", "2024年10月底"]


def test_empty_number_column_in_a_spreadsheet_is_numbered_in_row_order(tmp_path):
    """A Word table's automatic 序号 pasted into Excel arrives as an empty column; its rows were not items."""
    rows = [["序号", "工作任务", "牵头单位"], *[[None, task, unit] for task, unit in TASKS]]
    items = parse_text(read_document_text(write_merged_xlsx(tmp_path / "empty.xlsx", rows, merged=[])), META).items
    assert items["number"].to_list() == ["1", "2", "3"]
    assert items["units"].to_list() == [[unit] for _, unit in TASKS]


# ---------------------------------------------------------------- deadlines


DEADLINES = [["序号", "主要任务", "责任单位", "完成时限"],
             ["1", "新建幼儿园3所", "区教育局", "2025年9月底前"],
             ["2", "改造老旧小区20个", "区住建局", "2025年12月底"],
             ["", "（含配套管网）", "", ""],
             ["3", "持续优化营商环境", "区发改委", ""]]


@pytest.mark.parametrize("write", ["txt", "xlsx", "csv"])
def test_deadline_column_is_read_as_written(tmp_path, write):
    """A 分解表's 完成时限 is what a 督查办 checks tasks against; it was named as not read and dropped."""
    if write == "txt":
        path = tmp_path / "d.txt"
        path.write_text("\n".join("\t".join(row) for row in DEADLINES) + "\n", encoding="utf-8")
        parsed = parse_text(path.read_text(encoding="utf-8"), META)
    else:
        path = write_xlsx(tmp_path / "d.xlsx", DEADLINES, title=None) if write == "xlsx" else write_csv(
            tmp_path / "d.csv", DEADLINES)
        parsed = parse_text(read_document_text(path), META)
    assert parsed.items["deadline"].to_list() == ["2025年9月底前", "2025年12月底", None]
    assert parsed.items["text"][1] == "改造老旧小区20个(含配套管网)", "a continuation row joins its task and keeps its deadline"
    assert not any("完成时限" in w for w in parsed.warnings), "the column is read, so it is not named as unread"


@pytest.mark.parametrize(("header", "role"), [("目标时限", "deadline"), ("目标任务", "task"), ("目标", "detail"),
                                             ("工作目标", "detail"), ("完成时间", "deadline"), ("完成情况", "progress"),
                                             ("年度目标", "detail"), ("预期目标", "detail"), ("量化指标", "detail")])
def test_a_header_takes_the_role_of_its_most_specific_word(header, role):
    """目标时限 starts with 目标 (a target column) but names when the task is due."""
    assert recognise_columns(["序号", header])[1] == role


def test_a_second_task_column_is_read_as_the_first_ones_detail():
    """工作任务 | 目标任务: the 目标任务 column was named as unread, and its targets lost."""
    text = "序号\t工作任务\t目标任务\t责任单位\n1\t推进城市更新\t改造老旧小区42个\t区住建局\n"
    assert parse_text(text, META).items["text"].to_list() == ["推进城市更新。改造老旧小区42个"]


@pytest.mark.parametrize("write", ["txt", "xlsx"])
def test_a_column_plan_align_does_not_read_is_named(tmp_path, write):
    rows = [[*row, "区级财政" if row[0].isdigit() else ""] for row in DEADLINES]
    rows[0][-1] = "资金来源"
    if write == "txt":
        text = "\n".join("\t".join(row) for row in rows) + "\n"
    else:
        text = read_document_text(write_xlsx(tmp_path / "f.xlsx", rows, title=None))
    assert any("资金来源 not read" in w for w in parse_text(text, META).warnings)


def test_deadline_column_mapped_by_hand(tmp_path):
    rows = [["No.", "督办内容摘要", "负责处室", "办结日期"], [1, "建成口袋公园10个", "区城管局", "6月底前"]]
    path = write_xlsx(tmp_path / "m.xlsx", rows, title=None)
    items = parse_text(read_table_file(path, column_map={"task": "督办内容摘要", "deadline": "办结日期"}), META).items
    assert items["deadline"].to_list() == ["6月底前"]


# ---------------------------------------------------------------- columns by hand


UNUSUAL = [["No.", "督办内容摘要", "负责处室", "目前进度", "完成状态"],
           [1, "建成口袋公园10个", "区城管局 区住建局", "已建成10个", "完成"],
           [2, "新增停车位2000个", "区交通局", "建成1200个", "未完成"]]


def test_unrecognised_headers_are_refused_with_a_hint(tmp_path):
    path = write_xlsx(tmp_path / "u.xlsx", UNUSUAL, title=None)
    with pytest.raises(DocumentParseError, match=r"u\.xlsx.*no header row.*--columns"):
        read_document_text(path)


def test_columns_mapped_by_hand(tmp_path):
    path = write_xlsx(tmp_path / "u.xlsx", UNUSUAL, title=None)
    column_map = {"number": "No.", "task": "督办内容摘要", "units": 2, "progress": "目前进度"}
    items = parse_text(read_table_file(path, column_map=column_map), META).items
    assert items["item_id"].to_list() == ["t:1", "t:2"]
    assert items["text"].to_list() == ["建成口袋公园10个", "新增停车位2000个"]
    assert items["units"].to_list() == [["区城管局", "区住建局"], ["区交通局"]]
    assert items["status"].to_list() == ["done", "in_progress"], "完成状态 is recognised as the status column"
    assert items["progress"].to_list() == ["已完成。已建成10个", "推进中。建成1200个"]


def test_a_mapped_header_that_is_missing_is_named(tmp_path):
    path = write_xlsx(tmp_path / "u.xlsx", UNUSUAL, title=None)
    with pytest.raises(DocumentParseError, match="no column is headed '工作任务'.*'督办内容摘要'"):
        read_table_file(path, column_map={"task": "工作任务"})


def test_a_mapped_column_past_the_tables_last_is_named(tmp_path):
    """task=99 on a four-column table would give every task a blank text."""
    path = write_xlsx(tmp_path / "u.xlsx", UNUSUAL, title=None)
    with pytest.raises(DocumentParseError, match="the 'task' column is number 99, but this row has"):
        read_table_file(path, column_map={"task": 98})


@pytest.mark.parametrize(("spec", "english", "chinese"), [
    ("task=99", "the columns named by hand do not match the table: the 'task' column is number 99, but this row "
     "has 3 column(s); the headers in row 1 are '序号', '主要任务', '责任单位'",
     "所指定的列（--columns）与表格对不上：task 指定为第 99 列，但表头只有 3 列；第 1 行的表头是 序号、主要任务、责任单位"),
    ("task=工作任务", "no column is headed '工作任务'", "没有标题为“工作任务”的列；第 1 行的表头是 序号、主要任务、责任单位"),
    ("task=101", "the 'task' column is number 101, past the 100 columns", "task 指定为第 101 列，超出了读取的 100 列"),
    ("owner=3,task", "the role 'owner' is not one of number, task", "没有 owner 这个角色（可用 number、task、units"),
])
def test_a_column_named_by_hand_that_does_not_fit_is_said_in_chinese_too(tmp_path, data_copy, capsys, spec, english,
                                                                         chinese):
    """task=99 was told in Chinese as 前 50 行里没有表头: the header is there, the column number is wrong."""
    path = write_csv(tmp_path / "f.csv", [["序号", "主要任务", "责任单位"], ["1", "建设项目1", "区教育局"]])
    assert cli_add(path, data_copy.data_dir, "f-2024", "--columns", spec) == 2
    err = capsys.readouterr().err
    assert english in err and chinese in err and "前 50 行里没有表头" not in err


@pytest.mark.parametrize(
    "spec, problem",
    [("task", "not ROLE=COLUMN"), ("owner=责任单位", "'owner' is not one of"), ("task=0", "count from 1"),
     ("task=主要任务,task=2", "the role task is given twice"), ("task=2,units=2", "column 2 is given two roles"),
     ("task=主要任务,units=主要任务", "column 主要任务 is given two roles")],
)
def test_bad_column_spec(spec, problem):
    with pytest.raises(DocumentParseError, match=problem):
        parse_column_spec(spec)


def test_column_spec_counts_from_one():
    assert parse_column_spec("task=主要任务, units=3") == {"task": "主要任务", "units": 2}
    # a circled or full-width digit, as a Chinese user writes one, is the column it numbers (② was a traceback)
    assert parse_column_spec("task=②，units=３") == {"task": 1, "units": 2}


# ---------------------------------------------------------------- broken files


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".pdf", ".xls"])
def test_corrupt_file_is_a_parse_error_naming_it(tmp_path, suffix):
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50 if suffix != ".pdf" else b"%PDF-1.4\n garbage")
    with pytest.raises(DocumentParseError, match=f"broken\\{suffix}"):
        read_document_text(path)


def test_zip_with_a_damaged_central_directory(tmp_path):
    """Non-regression (found by fuzzing): zipfile.is_zipfile passed, then ZipFile raised BadZipFile."""
    path = write_xlsx(tmp_path / "cd.xlsx", baqiao_rows(2))
    data = bytearray(path.read_bytes())
    data[data.index(b"PK\x01\x02")] = 0
    path.write_bytes(bytes(data))
    with pytest.raises(DocumentParseError, match=r"cd\.xlsx: this Excel file is damaged"):
        read_document_text(path)


def test_a_docx_that_is_an_xlsx_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "table.xlsx", baqiao_rows(2))
    wrong = path.rename(tmp_path / "table.docx")
    with pytest.raises(DocumentParseError, match=r"table\.docx: cannot read this Word file"):
        read_document_text(wrong)


@pytest.mark.parametrize(("name", "zh"), [
    ("broken.docx", "文件读取出错，请确认能用 Word 或 WPS 打开，另存后重试"),
    ("broken.pdf", "文件读取出错，请确认能用 PDF 阅读器打开，另存后重试"),
    ("cd.xlsx", "文件已损坏，请用 Excel 或 WPS 打开后另存"),
])
def test_a_broken_files_chinese_reason_is_wholly_chinese(tmp_path, name, zh):
    """It read 请确认能用 Word or WPS 打开 and 能用 a PDF viewer 打开."""
    path = tmp_path / name
    if name == "broken.docx":
        write_xlsx(path, baqiao_rows(2))  # an Excel package under a Word name
    elif name == "broken.pdf":
        path.write_bytes(b"%PDF-1.4\n garbage")
    else:
        data = bytearray(write_xlsx(path, baqiao_rows(2)).read_bytes())
        data[data.index(b"PK\x01\x02")] = 0
        path.write_bytes(bytes(data))
    with pytest.raises(DocumentParseError) as raised:
        read_document_text(path)
    assert raised.value.zh == zh


def test_an_unsupported_file_type_lists_the_types_read_in_chinese_punctuation(tmp_path):
    path = tmp_path / "plan.rtf"
    path.write_text("1. 新建学校5所", encoding="utf-8")
    with pytest.raises(DocumentParseError, match=r"plan\.rtf: unsupported file type '\.rtf'\. Supported: \.csv, \.doc") as raised:
        read_document_text(path)
    assert raised.value.zh.startswith("不支持 .rtf 文件，可读取 .csv、.doc、.docx、")


def test_encrypted_pdf_is_refused(tmp_path):
    locked = write_pdf(tmp_path / "locked.pdf", ["一、总体要求", "1.建成口袋公园10个。"], password="secret")
    with pytest.raises(DocumentParseError, match=r"locked\.pdf: the PDF file is password-protected"):
        read_document_text(locked)


@pytest.mark.parametrize("lines", [[[[2169, 3361, 1200, 55]], [[3000 + n for n in range(12)]]],
                                   [["1.", [2169, 3361, 1200]], ["2.", [3000, 3001, 3002, 3003]]]])
def test_a_pdf_whose_text_reads_as_glyph_codes_is_refused_with_the_reason(tmp_path, lines):
    """Fonts without a Unicode map: items titled (cid:2169)(cid:3361)… were registered, or, all text coded,
    the file was refused as holding "no plan items"."""
    path = tmp_path / "coded.pdf"
    path.write_bytes(glyph_code_pdf(lines))
    with pytest.raises(DocumentParseError, match=r"coded\.pdf: the PDF's text cannot be extracted: its fonts have no "
                       r"Unicode map.*\(cid:2169\)\. Export it again as text or Word") as raised:
        parse_file(path, META)
    assert raised.value.zh.startswith("PDF 的文字无法提取")


def test_a_few_glyph_codes_in_a_pdf_are_named_in_a_warning(tmp_path):
    path = tmp_path / "bullet.pdf"
    path.write_bytes(glyph_code_pdf([["某区2024年工作要点"], ["1.新建口袋公园10个。", [2169]], ["2.改造老旧小区5个。"]]))
    parsed = parse_file(path, META)
    assert parsed.items.height == 2
    assert parsed.warnings == [f"{path}: 1 个字符无法提取，读作字形编码（如 (cid:2169)），请核对含有它们的条目 1 character(s) "
                               "could not be extracted and read as glyph codes such as (cid:2169); check the items that "
                               "hold them."]


def test_glyph_codes_are_counted_as_the_glyphs_they_stand_for():
    """Each (cid:8226) was counted as its ten characters, so codes for a fifth of the glyphs refused a readable PDF."""
    from align.formats import _glyph_code_notes

    assert "200 个字符无法提取" in _glyph_code_notes("(cid:8226)(cid:8226)新建幼儿园3所\n" * 100, Path("x.pdf"))[0]
    with pytest.raises(DocumentParseError, match="cannot be extracted"):
        _glyph_code_notes("(cid:1)(cid:2)(cid:3)(cid:4)新建\n" * 10, Path("x.pdf"))


def ole_file(*streams: str) -> bytes:
    """The bytes of an OLE compound file (the container of an encrypted .xlsx/.docx and of an old .xls/.doc):
    its header, then a directory naming ``streams``."""
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") + bytes(64) for name in ("Root Entry", *streams))
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + directory.ljust(4096, b"\x00")


@pytest.mark.parametrize("suffix, kind", [(".xlsx", "Excel"), (".docx", "Word")])
def test_a_password_protected_office_file_says_so(tmp_path, suffix, kind):
    """Office encrypts a protected .xlsx or .docx into an OLE container: it was "not a zip package … an older format"."""
    path = tmp_path / f"locked{suffix}"
    path.write_bytes(ole_file("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"))
    with pytest.raises(DocumentParseError, match=rf"locked\{suffix}: the {kind} file is password-protected; open it, "
                       "remove the password") as raised:
        read_document_text(path)
    assert raised.value.zh == "文件设有密码，请打开后取消密码、保存，再重试"


def test_a_password_protected_xls_says_so(tmp_path, monkeypatch):
    """xlrd says "Workbook is encrypted" in an XLRDError, which the password check, by the error's name, missed."""
    import xlrd

    def encrypted(*args, **kwargs):
        raise xlrd.XLRDError("Workbook is encrypted")

    monkeypatch.setattr(xlrd, "open_workbook", encrypted)
    path = tmp_path / "locked.xls"
    path.write_bytes(ole_file("Workbook"))
    with pytest.raises(DocumentParseError, match=r"locked\.xls: the Excel file is password-protected"):
        read_document_text(path)


@pytest.mark.parametrize("suffix, old, new", [(".xlsx", ".xls", ".xlsx"), (".docx", ".doc", ".docx")])
def test_an_ole_file_under_a_new_office_name_may_be_protected_or_old(tmp_path, suffix, old, new):
    path = tmp_path / f"report{suffix}"
    path.write_bytes(ole_file("Workbook" if old == ".xls" else "WordDocument"))
    with pytest.raises(DocumentParseError, match=rf"may be password-protected \(open it, remove the password, save it "
                       rf"and try again\), or it is an old binary \{old} file \(open it and save it as \{new}\)"):
        read_document_text(path)


def test_old_word_doc_says_save_as_docx(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(DocumentParseError, match=r"old\.doc: .*save it as \.docx"):
        read_document_text(path)


def test_wrong_column_count_names_the_row(tmp_path):
    rows = [["序号", "主要任务", "责任单位"], [1, "建成公园", "区城管局"], [2, "新建学校", "区教育局", "多余"]]
    with pytest.raises(DocumentParseError, match=r"w\.xlsx \(sheet 'Sheet'\), line 3: row 3 has 4 columns"):
        read_document_text(write_xlsx(tmp_path / "w.xlsx", rows, title=None))


def test_csv_with_a_broken_quote_is_a_parse_error(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('序号,主要任务,责任单位\n1,"建成公园\x00,区城管局\n', encoding="utf-8")
    with pytest.raises(DocumentParseError, match=r"q\.csv"):
        read_document_text(path)


@pytest.mark.parametrize(("content", "line"), [
    ("序号,主要任务,责任单位\n1,\"建设项目1,区教育局\n2,建设项目2,区教育局\n", 2),
    ("序号,主要任务,责任单位\n1,\"建设项目1\n（一期）\",区教育局\n2,建设项目2,\"区教育局\n3,建设项目3,区教育局\n", 4),
    # the last line, no line end after it: read as task 新建公园5个,区城 with no unit, and no error
    ("序号,主要任务,责任单位,完成时限\n1,新建学校2所,区教育局,2024年底\n2,\"新建公园5个,区城", 3),
])
def test_a_quote_never_closed_in_a_csv_is_an_error_naming_its_line(tmp_path, content, line):
    """csv reads an unclosed quote to the end of the file: the rows after it were one cell, two tasks one item."""
    path = tmp_path / "q.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DocumentParseError, match=rf"q\.csv, line {line}: a quote \(\"\) opens a cell in this line and is "
                       "never closed") as raised:
        read_document_text(path)
    assert "引号" in raised.value.zh


def test_quoted_cells_over_several_lines_close_and_read_as_written(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text('序号,主要任务,责任单位\n1,"建设项目1，\n一期",区教育局\n2,"建设""智慧校园""项目","区教育局、\n区财政局"',
                    encoding="utf-8")
    items = parse_text(read_document_text(path), META).items
    assert items["text"].to_list() == ["建设项目1,一期", '建设"智慧校园"项目']
    assert items["units"].to_list() == [["区教育局"], ["区教育局", "区财政局"]]


COMMAS_IN_CELLS = [["序号", "主要任务", "责任单位", "完成时限"],
                   ["1", "新建充电桩200个", "区发改委,区住建局,区城管局,区交通局,区供电分局", "2024年底"],
                   ["2", "改造老旧小区30个", "区住建局,区城管局,区财政局,区发改委,各街道", "2024年10月底"],
                   ["3", "新增就业5000人", "区人社局,区财政局,区商务局,区发改委,各街道", "2024年底"]]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_a_csv_split_by_tabs_or_semicolons_reads_its_columns_though_its_cells_hold_commas(tmp_path, delimiter):
    """Non-regression: the delimiter was the character counted most in the first lines; the commas between a
    task's units outnumbered the tabs, the file read as one column and was refused (no header row found)."""
    path = tmp_path / "t.csv"
    path.write_text("\n".join(delimiter.join(row) for row in COMMAS_IN_CELLS) + "\n", encoding="utf-8")
    items = parse_text(read_document_text(path), META).items
    assert items.select("number", "text", "deadline").rows() == [
        ("1", "新建充电桩200个", "2024年底"), ("2", "改造老旧小区30个", "2024年10月底"), ("3", "新增就业5000人", "2024年底")]
    assert items["units"].to_list() == [row[2].split(",") for row in COMMAS_IN_CELLS[1:]]


def test_a_task_merged_down_over_stages_is_due_when_its_last_stage_is(tmp_path):
    """序号 and task merged over three rows due 3月底, 6月底 and 12月底: the task read due in March, and evolve would
    have compared the wrong deadline (a second bad-input probe)."""
    rows = [["序号", "主要任务", "牵头单位", "完成时限"], ["1", "新建公园3个，分三批建成", "区林业局", "2024年3月底"],
            ["", "", "区林业局", "2024年6月底"], ["", "", "区林业局", "2024年12月底"], ["2", "新建学校2所", "区教育局", "2024年8月底"]]
    path = tmp_path / "t.csv"
    path.write_text("\n".join("\t".join(row) for row in rows) + "\n", encoding="utf-8")
    items = parse_text(read_document_text(path), META).items
    assert items.select("number", "deadline").rows() == [("1", "2024年12月底"), ("2", "2024年8月底")]
    # … and a deadline cell wrapped onto the next line is one deadline (it was its fragment 底前, no date at all)
    wrapped = [["序号", "主要任务", "牵头单位", "完成时限"], ["1", "新建公园3个，改造道路", "区住建局", "2023年12月"],
               ["", "5条", "", "底前"]]
    path.write_text("\n".join("\t".join(row) for row in wrapped) + "\n", encoding="utf-8")
    items = parse_text(read_document_text(path), META).items
    assert items.select("text", "deadline").rows() == [("新建公园3个,改造道路5条", "2023年12月底前")]
    for first, second, deadline in (("2024年", "12月底前", "2024年12月底前"), ("2024年1", "2月底前", "2024年12月底前"),
                                     ("2024年12月底", "长期", "2024年12月底;长期"),  # 2月底前 and 12月底前 replaced them
                                     ("2024年9月", "2024年12月", "2024年12月"), ("2024.6", "2024.12", "2024.12"),
                                     ("2024年3月", "长期坚持", "2024年3月;长期坚持"),  # a stage's date, then words (glued)
                                     ("2024年6月底", "前", "2024年6月底前"),  # …;前 (a review)
                                     # an earlier stage's date is no later deadline (it replaced 12月; a code review)
                                     ("2024年12月底前", "2024年6月底前", "2024年12月底前"), ("12月底", "3月底", "12月底"),
                                     ("2024年6月底前", "12月底前", "2024年12月底前")):  # its year kept (a review)
        wrapped[1][3], wrapped[2][3] = first, second
        path.write_text("\n".join("\t".join(row) for row in wrapped) + "\n", encoding="utf-8")
        assert parse_text(read_document_text(path), META).items["deadline"].to_list() == [deadline]


def test_a_tab_csv_after_notes_holding_commas_reads_its_table(tmp_path):
    """Notes above the table, each split at a comma into two, with rows whose one unit cell holds a comma, counted
    more rows of one width than the table's own rows at its tabs: refused, no header row (a second probe)."""
    notes = [f"说明{n}：本表由区政府办编制,请各单位核对" for n in range(6)]
    rows = [["序号", "主要任务", "责任单位", "完成时限"]] + [[str(n), f"新建项目{n}个", "区发改委,区住建局", "2024年底"]
                                                          for n in range(1, 9)]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(notes + ["\t".join(row) for row in rows]) + "\n", encoding="utf-8")
    items = parse_text(read_document_text(path), META).items
    assert items.height == 8 and items["units"][0].to_list() == ["区发改委", "区住建局"]


def test_a_comma_csv_whose_cells_hold_tabs_and_semicolons_still_splits_at_commas(tmp_path):
    """The other way round: quoted cells full of tabs and semicolons leave the commas the table's delimiter."""
    rows = [[cell.replace(",", ";") if i == 2 else cell for i, cell in enumerate(row)] for row in COMMAS_IN_CELLS]
    rows[1][1] = "新建充电桩200个\t（含;快充;桩）"
    items = parse_text(read_document_text(write_csv(tmp_path / "c.csv", rows)), META).items
    assert items["number"].to_list() == ["1", "2", "3"]
    assert items["deadline"].to_list() == ["2024年底", "2024年10月底", "2024年底"]


def test_row_limit(tmp_path, monkeypatch):
    import align.formats

    monkeypatch.setattr(align.formats, "MAX_TABLE_ROWS", 10)
    path = write_csv(tmp_path / "long.csv", baqiao_rows(20))
    with pytest.raises(DocumentParseError, match=r"long\.csv: the table has more than 10 rows"):
        read_document_text(path)


TEN_TASKS = [["序号", "主要任务", "责任单位"], *[[str(n), f"新建学校{n}所", "区教育局"] for n in range(1, 11)]]


def test_blank_rows_below_a_csv_table_do_not_count_toward_the_row_limit(tmp_path, monkeypatch):
    """Non-regression: 250,000 trailing ,, lines under 10 tasks were 'more than 200,000 rows; split it'."""
    import align.formats

    monkeypatch.setattr(align.formats, "MAX_TABLE_ROWS", 11)  # the header and 10 tasks: rows with text
    path = write_csv(tmp_path / "t.csv", [*TEN_TASKS[:6], ["", "", ""], *TEN_TASKS[6:], *[["", "", ""]] * 500])
    text = read_document_text(path)
    items = parse_text(text, META).items
    assert items["number"].to_list() == [str(n) for n in range(1, 11)]
    assert items["source_lines"][5].to_list() == [8, 8], "a blank row between tasks keeps the line numbers right"
    assert text.count("\n") == 12, "the trailing blank rows are left out, not held as 500 empty lines"


def test_blank_bordered_rows_below_an_xlsx_table_do_not_count_toward_the_row_limit(tmp_path, monkeypatch):
    """Non-regression: cells B12:B300000 with borders and no values made a 10-task sheet 'more than 200,000 rows'."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Border, Side

    import align.formats

    monkeypatch.setattr(align.formats, "MAX_TABLE_ROWS", 11)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("任务")
    for row in TEN_TASKS:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    side = Side(style="thin")
    for _ in range(12, 500):
        cell = WriteOnlyCell(sheet)
        cell.border = Border(left=side, right=side, top=side, bottom=side)
        sheet.append([None, cell])
    book.save(tmp_path / "t.xlsx")
    items = parse_text(read_document_text(tmp_path / "t.xlsx"), META).items
    assert items["number"].to_list() == [str(n) for n in range(1, 11)]
    monkeypatch.setattr(align.formats, "MAX_TABLE_ROWS", 10)  # one row with text too many
    with pytest.raises(DocumentParseError, match=r"the table has more than 10 rows with text \(blank rows are not"):
        read_document_text(tmp_path / "t.xlsx")


# ---------------------------------------------------------------- plan-align add


def cli_add(path: Path, data: Path, doc_id: str, *extra: str) -> int:
    return main(["add", str(path), "--id", doc_id, "--jurisdiction", "灞桥区", "--level", "district",
                 "--year", "2023", "--kind", "task_table", "--data", str(data), *extra])


def test_cli_adds_an_xlsx(tmp_path, data_copy, capsys, expected):
    data = data_copy.data_dir
    path = write_xlsx(tmp_path / "baqiao.xlsx", baqiao_rows())
    assert cli_add(path, data, "baqiao-xlsx") == 0
    assert "parsed 20 items" in capsys.readouterr().out
    registry = tomllib.loads((data / "registry.toml").read_text(encoding="utf-8"))
    assert registry["document"][-1]["file"] == "documents/baqiao-xlsx.xlsx"
    assert main(["items", "baqiao-xlsx", "--format", "csv", "--data", str(data)]) == 0
    assert capsys.readouterr().out.count("baqiao-xlsx:") == 20


def test_cli_add_reads_what_the_planner_leaves_out_from_the_documents_heading(tmp_path, data_copy, capsys):
    data = data_copy.data_dir
    path = tmp_path / "plan.txt"
    path.write_text("西咸新区2024年工作要点\n1. 新建学校5所。\n2. 改造老旧小区10个。\n", encoding="utf-8")
    assert main(["add", str(path), "--data", str(data)]) == 0
    assert "registered 'xixian-2024' (documents/xixian-2024.txt): 西咸新区, new-area, 2024, work_points" in \
        capsys.readouterr().out
    added = get_document(data, "xixian-2024")
    assert (added.title, added.kind) == ("西咸新区2024年工作要点", "work_points")
    assert main(["add", str(path), "--data", str(data), "--year", "2025"]) == 0, "what is given wins"
    assert get_document(data, "xixian-2025").year == 2025


def test_cli_add_reads_the_parent_a_heading_writes_before_its_place(tmp_path, data_copy, capsys):
    """西安市莲湖区2024年… registered 莲湖区 with no parent and a warning to give 西安市, which the heading says."""
    data = data_copy.data_dir
    path = tmp_path / "plan.txt"
    path.write_text("西安市莲湖区2024年民生实事工作方案\n1. 新建学校5所。\n", encoding="utf-8")
    assert main(["add", str(path), "--data", str(data)]) == 0
    assert get_document(data, "lianhu-2024").parent == "西安市"
    said = capsys.readouterr()
    assert "registered 'lianhu-2024' (documents/lianhu-2024.txt): 莲湖区, district, 2024, livelihood_plan, under 西安市" \
        in said.out, "a parent read from the heading is said, to be checked"
    assert "no parent" not in said.err
    assert main(["add", str(path), "--data", str(data), "--jurisdiction", "雁塔区"]) == 0
    assert get_document(data, "yanta-2024").parent == "", "the heading's parent is its own place's, not another's"


def test_cli_add_registers_a_city_under_a_registered_city_as_a_county_level_city(tmp_path, data_copy, capsys):
    """神木市 under 榆林市 was registered a city plan: coverage refused it as 'both city plans', the
    overview left it out, and `edit --parent` warned that no document was of the parent registered."""
    data = data_copy.data_dir
    path = tmp_path / "plan.txt"
    path.write_text("周至市2024年重点工作任务\n1. 新建学校5所。\n", encoding="utf-8")
    assert main(["add", str(path), "--data", str(data), "--parent", "西安市"]) == 0
    assert ": 周至市, county, 2024, work_points, under 西安市" in capsys.readouterr().out
    assert main(["add", str(path), "--data", str(data), "--id", "zhouzhi-city", "--level", "city", "--parent", "西安市"]) == 0
    said = capsys.readouterr().err
    assert "西安市, the parent given for zhouzhi-city, is registered at its level (city)" in said
    assert "plan-align edit zhouzhi-city --level county" in said
    assert main(["coverage", "xian-2024", "zhouzhi-city", "--data", str(data)]) == 2
    assert "if it is a county-level city, plan-align edit zhouzhi-city --level county." in capsys.readouterr().err


def test_cli_add_reads_a_heading_that_names_its_tasks_and_year(tmp_path, data_copy, capsys):
    """未央区2024年重点工作任务 gives place, level and year (no 报告/要点 in it): it was refused."""
    path = tmp_path / "plan.txt"
    path.write_text("未央区2024年重点工作任务\n1. 新建学校5所\n2. 改造老旧小区10个\n", encoding="utf-8")
    assert main(["add", str(path), "--data", str(data_copy.data_dir)]) == 0
    assert "registered 'weiyang-2024' (documents/weiyang-2024.txt): 未央区, district, 2024, work_points" in \
        capsys.readouterr().out


def test_cli_add_reads_a_county_with_a_one_character_name_from_the_heading(tmp_path, data_copy, capsys):
    """眉县2024年…分解表 (a tester's) was refused for want of --jurisdiction: a place needed two characters before 县."""
    path = tmp_path / "plan.txt"
    path.write_text("眉县2024年《政府工作报告》重点工作任务分解表\n序号\t重点任务\t牵头单位\n1\t新建学校5所\t县教育局\n",
                    encoding="utf-8")
    assert main(["add", str(path), "--data", str(data_copy.data_dir), "--parent", "宝鸡市"]) == 0
    assert "registered 'meixian-2024' (documents/meixian-2024.txt): 眉县, county, 2024, task_table" in \
        capsys.readouterr().out


def test_cli_add_names_what_the_heading_does_not_say(tmp_path, data_copy, capsys):
    data = data_copy.data_dir
    before = (data / "registry.toml").read_bytes()
    path = tmp_path / "plan.txt"
    path.write_text("1. 新建学校5所\n2. 改造老旧小区10个\n", encoding="utf-8")
    assert main(["add", str(path), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "its heading does not say its jurisdiction, level and year; give --jurisdiction, --level and --year" in err
    assert main(["add", str(path), "--data", str(data), "--jurisdiction", "莲湖区", "--year", "2024"]) == 0
    assert get_document(data, "lianhu-2024").level == "district", "the level read from 区"
    assert (data / "registry.toml").read_bytes() != before


def test_adding_a_document_keeps_the_registry_as_the_user_wrote_it(tmp_path, data_copy, capsys):
    data = data_copy.data_dir
    before = (data / "registry.toml").read_text(encoding="utf-8").replace("# The bundled", "# 我们的注释 The bundled")
    (data / "registry.toml").write_text(before, encoding="utf-8")
    assert cli_add(write_xlsx(tmp_path / "b.xlsx", baqiao_rows()), data, "baqiao-xlsx") == 0
    after = (data / "registry.toml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n")), "comments and existing entries unchanged"
    assert [d["id"] for d in tomllib.loads(after)["document"]][-1] == "baqiao-xlsx"


def test_correcting_an_entry_changes_that_entry_only_and_keeps_the_users_comments(data_copy, capsys):
    data = data_copy.data_dir
    before = (data / "registry.toml").read_text(encoding="utf-8").replace("# The bundled", "# 我们的注释 The bundled")
    (data / "registry.toml").write_text(before, encoding="utf-8")
    assert main(["edit", "xixian-2023", "--year", "2022", "--title", "西咸新区工作要点", "--data", str(data)]) == 0
    assert capsys.readouterr().out == "updated 'xixian-2023': title: 西咸新区2023年工作要点 → 西咸新区工作要点; year: 2023 → 2022\n"
    after = (data / "registry.toml").read_text(encoding="utf-8")
    assert after.startswith("# 我们的注释 The bundled"), "the user's comment stays"
    moved = [(old, new) for old, new in zip(before.splitlines(), after.splitlines(), strict=True) if old != new]
    assert moved == [('title = "西咸新区2023年工作要点"', 'title = "西咸新区工作要点"'), ("year = 2023", "year = 2022")]
    old_entries = tomllib.loads(before)["document"]
    new_entries = tomllib.loads(after)["document"]
    assert [e for e in new_entries if e["id"] != "xixian-2023"] == [e for e in old_entries if e["id"] != "xixian-2023"]
    assert get_document(data, "xixian-2023").year == 2022
    assert get_document(data, "xixian-2023").title == "西咸新区工作要点"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--parent", "西咸新区"], "The 'parent' is the government one level up, not 西咸新区 itself."),
        (["--year", "1800"], "The 'year' must be an integer between 1949 and 2100. Got 1800 instead."),
        (["--title", " "], "The 'title' must not be empty."),
        ([], "Nothing to change: give one or more of --title, --jurisdiction, --level, --parent, --year, --kind."),
    ],
)
def test_a_correction_that_would_not_be_valid_changes_nothing(data_copy, capsys, argv, message):
    data = data_copy.data_dir
    before = (data / "registry.toml").read_bytes()
    assert main(["edit", "xixian-2023", *argv, "--data", str(data)]) == 2
    assert message in capsys.readouterr().err
    assert (data / "registry.toml").read_bytes() == before


def test_an_empty_parent_removes_the_field_and_a_new_one_is_added(data_copy):
    from align.registry import update_document

    data = data_copy.data_dir
    assert update_document(data, "xixian-2023", parent="").parent == ""
    entry = next(e for e in tomllib.loads((data / "registry.toml").read_text(encoding="utf-8"))["document"]
                 if e["id"] == "xixian-2023")
    assert "parent" not in entry, "no parent = \"\" left behind"
    assert update_document(data, "xixian-2023", parent="西安市").parent == "西安市"
    assert get_document(data, "xixian-2023").parent == "西安市"


def test_removing_a_document_keeps_its_file_aside_and_refuses_while_decisions_judge_it(data_copy, tmp_path,
                                                                                       monkeypatch, capsys):
    from align.store import DecisionStore

    data = data_copy.data_dir
    monkeypatch.setenv("PLAN_ALIGN_DB", str(tmp_path / "d.sqlite"))
    with DecisionStore(tmp_path / "d.sqlite") as store:
        store.record("王", "xixian-2023:3", "xian-2024:1", "rejected")
    before = (data / "registry.toml").read_bytes()
    assert main(["remove", "xixian-2023", "--data", str(data)]) == 2
    assert "1 decision(s) in effect judge items of xixian-2023" in capsys.readouterr().err
    assert (data / "registry.toml").read_bytes() == before

    with DecisionStore(tmp_path / "d.sqlite") as store:
        store.undo("王", "xixian-2023:3", "xian-2024:1")
    assert main(["remove", "xixian-2023", "--data", str(data)]) == 0
    kept = data / "documents" / ".removed" / "xixian-2023-work-points.txt"
    assert capsys.readouterr().out == f"removed 'xixian-2023' from the registry; its file is kept in {kept}\n"
    assert kept.is_file() and not (data / "documents" / "xixian-2023-work-points.txt").exists()
    assert [d["id"] for d in tomllib.loads((data / "registry.toml").read_text(encoding="utf-8"))["document"]] == [
        "baqiao-2023", "baqiao-2020", "xian-2024", "xianyang-2023"]
    assert (data / "registry.toml").read_text(encoding="utf-8").startswith("# The bundled documents."), "comments stay"


def test_a_file_removed_twice_under_one_name_keeps_both_copies(data_copy):
    from align.registry import add_document, remove_document

    data = data_copy.data_dir
    source = data / "documents" / "xixian-2023-work-points.txt"
    first = remove_document(data, "xixian-2023")
    meta = DocumentMeta(id="xixian-2023", title="t", jurisdiction="西咸新区", level="new-area", year=2023,
                        kind="work_points", file="x.txt")
    add_document(data, first, meta)  # added again, under the id's own name this time
    second = remove_document(data, "xixian-2023")
    add_document(data, second, meta)
    third = remove_document(data, "xixian-2023")
    assert [p.name for p in (first, second, third)] == ["xixian-2023-work-points.txt", "xixian-2023.txt",
                                                        "xixian-2023-2.txt"]
    assert all(p.is_file() for p in (first, second, third)) and not source.exists()


def test_cli_adds_an_xlsx_with_columns_by_hand(tmp_path, data_copy, capsys):
    data = data_copy.data_dir
    path = write_xlsx(tmp_path / "u.xlsx", UNUSUAL, title=None)
    assert cli_add(path, data, "unusual", "--columns", "number=1,task=督办内容摘要,units=负责处室") == 0
    assert main(["items", "unusual", "--format", "json", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert '"item_id": "unusual:2"' in out and "区交通局" in out


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"\x00\x01\x02" * 100])
def test_cli_does_not_register_a_file_that_does_not_parse(tmp_path, data_copy, capsys, content):
    data = data_copy.data_dir
    before = (data / "registry.toml").read_bytes()
    documents = sorted(p.name for p in (data / "documents").iterdir())
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    assert cli_add(path, data, "broken") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "broken.xlsx" in err and "Traceback" not in err
    assert "this is not an Excel file" in err and "这不是 Excel 文件" in err
    assert len(err.strip().splitlines()) == 1
    assert (data / "registry.toml").read_bytes() == before
    assert sorted(p.name for p in (data / "documents").iterdir()) == documents


def test_cli_refuses_unmapped_headers_and_registers_nothing(tmp_path, data_copy, capsys):
    data = data_copy.data_dir
    before = (data / "registry.toml").read_bytes()
    path = write_xlsx(tmp_path / "u.xlsx", UNUSUAL, title=None)
    assert cli_add(path, data, "unusual", "--columns", "task=工作任务") == 2
    assert "no column is headed '工作任务'" in capsys.readouterr().err
    assert (data / "registry.toml").read_bytes() == before


def test_items_json_has_the_schemas_fields_and_a_deadline_only_where_the_table_has_one(tmp_path, data_copy, capsys):
    import json

    from align.items import SCHEMA_FIELDS

    data = data_copy.data_dir
    assert main(["items", "baqiao-2023", "--format", "json", "--data", str(data)]) == 0
    assert list(json.loads(capsys.readouterr().out)[0]) == SCHEMA_FIELDS
    path = write_xlsx(tmp_path / "d.xlsx", DEADLINES, title="灞桥区2025年重点任务分解表")
    assert main(["add", str(path), "--data", str(data), "--id", "due-2025", "--jurisdiction", "灞桥区",
                 "--level", "district", "--year", "2025"]) == 0
    capsys.readouterr()
    assert main(["items", "due-2025", "--format", "json", "--data", str(data)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert list(rows[0]) == [*SCHEMA_FIELDS, "deadline"]
    assert [row["deadline"] for row in rows] == ["2025年9月底前", "2025年12月底", None]


def _with_cached_values(path: Path, values: dict[str, str]) -> Path:
    """The workbook as Excel saves it: each formula cell keeps its calculated text in a <v>."""
    import re
    import zipfile

    copy = path.with_name("saved-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode("utf-8")
                for ref, value in values.items():  # openpyxl writes <c r="B3"><f>…</f><v></v></c>
                    xml, count = re.subn(rf'<c r="{ref}"><f>(.*?)</f><v></v></c>',
                                         rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v></c>', xml)
                    assert count == 1, ref
                data = xml.encode("utf-8")
            target.writestr(entry, data)
    return copy


def test_a_task_cell_with_an_uncalculated_formula_is_an_error_naming_the_cell(tmp_path):
    """A script-written workbook stores formulas without values: the task read empty and joined the row above."""
    rows = [["序号", "主要任务", "责任单位"], [1, "新建口袋公园15个", "区城管局"],
            [2, '="新增公共停车位"&"3000个"', "区交通局"], [3, "推进生活垃圾分类", "区城管局"]]
    path = write_xlsx(tmp_path / "formulas.xlsx", rows, title=None)
    with pytest.raises(DocumentParseError, match=r"line 3: cell B3 holds a formula whose value was never calculated"):
        read_document_text(path)
    saved = _with_cached_values(path, {"B3": "新增公共停车位3000个"})
    items = parse_text(read_document_text(saved), META).items
    assert items["text"].to_list()[1] == "新增公共停车位3000个"


def test_an_uncalculated_formula_in_a_column_not_read_does_not_stop_the_file(tmp_path):
    rows = [["序号", "主要任务", "责任单位"], [1, "新建口袋公园15个", "区城管局"], [2, "推进生活垃圾分类", "区城管局"],
            [None, None, None, "=COUNTA(B2:B3)"]]
    path = write_xlsx(tmp_path / "total.xlsx", rows, title=None)
    assert parse_text(read_document_text(path), META).items["number"].to_list() == ["1", "2"]


def test_a_line_break_typed_in_a_cell_ends_a_clause_and_keeps_the_indicators_apart(tmp_path):
    """Alt+Enter in Excel: 实施重点项目50个 | 完成投资80亿元 read as one indicator 实施重点项目完成投资."""
    rows = [["序号", "主要\n任务", "责任\n单位"], [1, "实施重点项目50个\n完成投资80亿元", "区发改委"],
            [2, "新增城镇就业5000人，\n其中高校毕业生1000人", "区人社局"],
            [3, "新建学校\n3所", "区教育局"]]  # … but a break before the quantity it names runs on (read 新建学校;3所: no name)
    path = write_xlsx(tmp_path / "breaks.xlsx", rows, title=None)
    items = parse_text(read_document_text(path), META).items
    assert items["text"].to_list() == ["实施重点项目50个;完成投资80亿元", "新增城镇就业5000人,其中高校毕业生1000人", "新建学校3所"]
    indicators = [t["indicator"] for t in items["targets"][0]]
    assert len(indicators) == 2 and not any("项目完成" in i for i in indicators)
    assert items["units"].to_list() == [["区发改委"], ["区人社局"], ["区教育局"]], "a header cell broken over two lines names it"


def test_a_word_file_whose_zip_header_asks_for_an_unknown_version_is_called_damaged(tmp_path):
    """One damaged byte in the package's directory ('zip file version 6.4') raised NotImplementedError,
    a traceback instead of the damaged-file line (found by the fuzz test)."""
    import struct

    import docx

    path = tmp_path / "plan.docx"
    document = docx.Document()
    document.add_paragraph("1.新建学校3所。")
    document.save(path)
    data = bytearray(path.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:  # each central-directory entry's "version needed"
        data[at + 6:at + 8] = struct.pack("<H", 64)
        at += 4
    path.write_bytes(bytes(data))
    with pytest.raises(DocumentParseError, match="this Word file is damaged") as caught:
        read_document_text(path)
    assert str(path) in str(caught.value) and caught.value.zh


TRADITIONAL_TABLE = [["新城區2024年為民辦實事任務分解表"], [], ["序號", "主要任務", "責任單位", "完成時限"],
                     ["1", "新建充電樁200個", "區住建局", "2024年底前"], ["2", "新增學位2000個", "區教育局", "2024年底前"]]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_traditional_spreadsheet_is_read_by_its_header(tmp_path, suffix):
    """A table's header is looked for by its reader, before the text is read as traditional: 序號 | 主要任務
    was refused as "no header row found"."""
    path = tmp_path / f"trad{suffix}"
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(TRADITIONAL_TABLE)
    else:
        import openpyxl

        book = openpyxl.Workbook()
        for row in TRADITIONAL_TABLE:
            book.active.append(row)
        book.save(path)
    parsed = parse_file(path, META)
    assert parsed.items["text"].to_list() == ["新建充电桩200个", "新增学位2000个"]
    assert parsed.items["units"].to_list() == [["区住建局"], ["区教育局"]]
    assert parsed.items["deadline"].to_list() == ["2024年底前", "2024年底前"]
    assert any("read as traditional Chinese" in warning for warning in parsed.warnings)
    assert read_table_file(path, {"task": "主要任務", "units": "責任單位"}).count("充電樁") == 1, "a header named as written"


def test_an_excel_error_in_a_read_column_is_refused_with_its_cell(tmp_path):
    """A 牵头单位 whose formula failed (#N/A) was read as the unit '#NA', without a word."""
    import openpyxl

    path = tmp_path / "errors.xlsx"
    book = openpyxl.Workbook()
    for row in (["序号", "主要任务", "牵头单位", "填表人"], [1, "新建充电桩200个", "区住建局", "#REF!"],  # a column not read
                [2, "改造老旧小区30个", "#N/A", ""]):
        book.active.append(row)
    book.save(path)
    assert book.active["C3"].data_type == "e", "openpyxl stores #N/A as an error value"
    with pytest.raises(DocumentParseError, match="cell C3 shows the Excel error #N/A") as caught:
        read_document_text(path)
    assert str(path) in str(caught.value) and "C3" in caught.value.zh


def test_an_excel_error_in_a_legacy_xls_is_refused_with_its_cell_as_in_xlsx():
    """A .xls whose 目标要求 showed #REF! was read with that cell empty (the task's target lost), exit 0, where
    the same table as .xlsx is refused by cell. The fixture was written by xlwt: 序号 | 主要任务 | 目标要求 | …"""
    path = Path(__file__).parent / "fixtures" / "excel_error.xls"
    with pytest.raises(DocumentParseError, match="cell C3 shows the Excel error #REF!") as caught:
        read_document_text(path)
    assert "C3" in caught.value.zh


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (0.055, "0%", "5.5%"),  # read 6%: a 6% target where the planner typed 5.5%
        (0.0725, "0.0%", "7.25%"),
        (12.5, "0", "12.5"),
        (1.25, '0.0"万人"', "1.25万人"),
        (-3.5, "0;-0", "-3.5"),
    ],
)
def test_a_format_never_rounds_away_digits_the_cell_holds(value, number_format, shown):
    from align.numfmt import render_number_format

    assert render_number_format(value, number_format) == shown


@pytest.mark.parametrize(
    "number_format", ['[<0]"减少"0;0', '[>0]"增"0;[<0]"降"0;0', "0.0%;[Red]0.00E+00"],
)
def test_a_negative_number_keeps_its_sign_under_a_format_not_drawn(number_format):
    """A conditional or scientific negative section fell back to the number it had negated: -5 read 5."""
    from align.numfmt import render_number_format

    assert float(str(render_number_format(-5, number_format)).rstrip("%")) < 0


def test_a_unit_of_measure_in_a_column_of_its_own_joins_its_number(tmp_path):
    """目标值 420.3 | 单位 亿元 read 完成固定资产投资。420.3, with no unit and so no target; a 单位 column that
    names departments is read as the units it names."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "重点任务", "目标值", "单位", "牵头单位"])
    sheet.append([1, "完成固定资产投资", 420.3, "亿元", "区发改委"])
    sheet.append([2, "城镇新增就业", 1.2, "万人", "区人社局"])
    book.save(tmp_path / "measure.xlsx")
    items = parse_text(read_document_text(tmp_path / "measure.xlsx"), META).items
    assert [[(t["value"], t["unit"]) for t in row] for row in items["targets"].to_list()] == [
        [(4.203e10, "元")], [(12000.0, "人")]]
    assert items["units"].to_list() == [["区发改委"], ["区人社局"]]
    text = "序号\t主要任务\t单位\t完成时限\n1\t新建公园5个\t区林业局\t年底前\n2\t改造道路10条\t区住建局、区交通局\t6月底前\n"
    assert parse_text(text, META).items["units"].to_list() == [["区林业局"], ["区住建局", "区交通局"]]


@pytest.mark.parametrize("kind", ["xlsx", "docx", "txt"])
def test_a_header_merged_across_two_columns_reads_both_into_its_column(tmp_path, kind):
    """主要任务 over 新建学校 | 3所: the column without a header of its own was dropped, and every target with it,
    without a word (a bad-input probe); the units beside it stay units."""
    rows = [["序号", "主要任务", "", "责任单位"], ["1", "新建学校", "3所", "区教育局"], ["2", "新建公园", "5个", "区住建局"]]
    path = tmp_path / f"t.{kind}"
    if kind == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        for row in rows:
            book.active.append([cell or None for cell in row])
        book.active.merge_cells("B1:C1")
        book.save(path)
    elif kind == "docx":
        import docx

        document = docx.Document()
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                table.cell(i, j).text = value
        table.cell(0, 1).merge(table.cell(0, 2)).text = "主要任务"
        document.save(path)
    else:
        path.write_text("\n".join("\t".join(row) for row in rows) + "\n", encoding="utf-8")
    items = parse_text(read_document_text(path), META).items
    assert items.select("text", "units").rows() == [("新建学校3所", ["区教育局"]), ("新建公园5个", ["区住建局"])]
    assert [[target["value"] for target in targets] for targets in items["targets"]] == [[3.0], [5.0]]


def test_a_line_break_typed_in_a_word_paragraph_ends_a_line(tmp_path):
    """Shift+Enter between 1.新建学校3所 and 2.新建公园5个 ran them into one task (indicator 新建学校2.新建公园), and
    a heading's first task was swallowed into the heading (a bad-input probe)."""
    import docx

    document = docx.Document()
    document.add_paragraph("莲湖区2024年工作要点")
    for heading, tasks in (("一、民生保障", ["1.新建学校3所", "2.新建公园5个"]), ("二、城市建设", ["1.新建道路8条。"])):
        paragraph = document.add_paragraph(heading)
        for task in tasks:
            paragraph.add_run().add_break()
            paragraph.add_run(task)
    path = tmp_path / "t.docx"
    document.save(path)
    items = parse_text(read_document_text(path), META).items
    assert items.select("number", "text").rows() == [("1.1", "新建学校3所"), ("1.2", "新建公园5个"), ("2.1", "新建道路8条。")]



def test_a_line_break_typed_in_a_word_cell_wraps_a_phrase_and_a_paragraph_ends_a_clause(tmp_path):
    """完成老旧小区 Shift+Enter 改造30个 in a Word table cell read 完成老旧小区；改造30个 (the target named 改造; a probe),
    while a second paragraph in the cell, or a break before a department, still ends a clause."""
    import docx

    document = docx.Document()
    document.add_paragraph("莲湖区2024年重点任务分解表")
    table = document.add_table(rows=3, cols=3)
    for cell, value in zip(table.rows[0].cells, ["序号", "主要任务", "责任单位"]):
        cell.text = value
    for number, row, (first, second, units) in zip("12", table.rows[1:], [("完成老旧小区", "改造30个", ("各街道", "区住建局")),
                                                                       ("实施项目50个", "完成投资80亿元", ("区发改委", ""))]):
        row.cells[0].text = number
        paragraph = row.cells[1].paragraphs[0]
        paragraph.add_run(first).add_break()
        paragraph.add_run(second)
        row.cells[2].paragraphs[0].add_run(units[0])
        if units[1]:
            row.cells[2].paragraphs[0].add_run().add_break()
            row.cells[2].paragraphs[0].add_run(units[1])
    path = tmp_path / "t.docx"
    document.save(path)
    items = parse_text(read_document_text(path), META).items
    assert items.select("text", "units").rows() == [("完成老旧小区改造30个", ["各街道", "区住建局"]),
                                                    ("实施项目50个;完成投资80亿元", ["区发改委"])]


def test_each_sheet_of_a_workbook_names_its_own_unread_columns(tmp_path):
    """Sheet 2's unread column was said nowhere, only sheet 1's (a bad-input probe); 承办部门 is a units column."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["序号", "主要任务", "责任单位", "完成时限"])
    book.active.append([1, "新建学校3所", "区教育局", "2024年底"])
    second = book.create_sheet("二")
    second.append(["序号", "主要任务", "承办部门", "经办人", "完成时限"])
    second.append([2, "新建公园5个", "区住建局", "张三", "2024年底"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    parsed = parse_text(read_document_text(path), META)
    assert parsed.items["units"].to_list() == [["区教育局"], ["区住建局"]]
    assert [w for w in parsed.warnings if "未读取的列" in w and "经办人" in w]


@pytest.mark.parametrize("header", ["目标（个）", "目标值（个）", "目标任务（个）"])
def test_a_bare_number_under_a_header_naming_its_unit_is_a_target_in_that_unit(tmp_path, header):
    """主要任务 新建公园 | 目标（个） 5 read 新建公园。5, no target (a bad-input probe)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["序号", "主要任务", "责任单位", header])
    book.active.append([1, "新建公园", "区住建局", 5])
    path = tmp_path / "t.xlsx"
    book.save(path)
    for text in (read_document_text(path), f"序号\t主要任务\t责任单位\t{header}\n1\t新建公园\t区住建局\t5\n"):
        items = parse_text(text, META).items
        assert items["text"].to_list() == ["新建公园5个"]
        assert [(t["value"], t["unit"]) for t in items["targets"][0]] == [(5.0, "个")]
    # written with a thousands comma (read 新建公园。1500, no target), and said again beside a task that states it
    for task, cell, text in (("新建充电桩", "1,500", "新建充电桩1500个"), ("新建充电桩", "1，500", "新建充电桩1500个"),
                             ("新建公园5个", "5", "新建公园5个"),  # was 新建公园5个5个: two targets, one no longer quantified
                             ("新建公园", "1.5万", "新建公园1.5万个")):
        items = parse_text(f"序号\t主要任务\t责任单位\t{header}\n1\t{task}\t区住建局\t{cell}\n", META).items
        assert items["text"].to_list() == [text]


def test_a_blank_column_holding_no_quantity_stays_out_of_the_task_and_the_units():
    """A contact beside the units, a name beside the task, 已完成 beside the deadline: merged into them once blank
    columns were read as merged headers (a review)."""
    text = ("序号\t主要任务\t\t责任单位\t\t完成时限\t\n1\t新建学校3所\t张三\t区教育局\t张三 13800138000\t2024年12月底\t已完成\n")
    parsed = parse_text(text, META)
    assert parsed.items.select("text", "units", "deadline").rows() == [("新建学校3所", ["区教育局"], "2024年12月底")]
    # … and said: their text was dropped without a word (a probe)
    assert any("第 3、5、7 列没有表头" in warning for warning in parsed.warnings)


def test_a_spreadsheet_column_under_a_merged_header_holding_text_is_named_not_dropped_unsaid(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["序号", "主要任务", None, "责任单位"])
    book.active.merge_cells("B1:C1")
    book.active.append([1, "新建公园", "改造提升公园绿地", "区住建局"])
    book.active.append([2, "新建学校", "3所", "区教育局"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    parsed = parse_text(read_document_text(path), META)
    assert parsed.items["text"].to_list() == ["新建公园", "新建学校3所"]
    assert any("第3列（无表头）" in warning for warning in parsed.warnings)


def test_a_title_wrapped_by_hand_in_word_stays_one_title(tmp_path):
    """莲湖区2024年⏎重点工作任务分解方案 (Shift+Enter) lost its place and year once a typed break ended a line (a review)."""
    import docx

    from align.parsing import document_heading

    document = docx.Document()
    paragraph = document.add_paragraph("莲湖区2024年")
    paragraph.add_run().add_break()
    paragraph.add_run("重点工作任务分解方案")
    document.add_paragraph("1.新建学校3所。")
    path = tmp_path / "t.docx"
    document.save(path)
    assert document_heading(read_document_text(path)) == ("莲湖区2024年重点工作任务分解方案", 2024)


def test_a_magnitude_in_the_cell_is_not_doubled_by_the_headers():
    """目标（万元） over 1.5亿 read 1.5亿万元, 1.5e8 万元 (a review)."""
    items = parse_text("序号\t主要任务\t责任单位\t目标（万元）\n1\t完成投资\t区发改委\t1.5亿\n", META).items
    assert "亿万元" not in items["text"][0]


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_a_remarks_column_is_shown_with_the_progress_and_gives_no_status(tmp_path, writer):
    """备注 was read as progress: one remark (一期已完成) read its task done, and made the plan a progress report, every
    other task 推进中 and listed as 推迟 in the next year's (a bad-input probe)."""
    rows = [["序号", "重点任务", "牵头单位", "完成时限", "备注"], ["1", "新建口袋公园5个", "区住建局", "年内", ""],
            ["2", "新增城镇就业8000人", "区人社局", "年内", "市考核指标"],
            ["3", "建成区人民医院新院区二期", "区卫健局", "2023年12月底前", "一期已完成"]]
    items = parse_text(read_document_text(writer(tmp_path / f"t.{writer.__name__[6:]}", rows)), META).items
    assert items["status"].to_list() == [None, None, None]
    assert items["progress"].to_list() == [None, "备注:市考核指标", "备注:一期已完成"]
    # … beside a progress column, the status is the progress column's
    rows = [[*row[:4], "进展情况", row[4]] for row in rows]
    rows[1:] = [[*rows[1][:4], "已完成", ""], [*rows[2][:4], "", "市考核指标"], [*rows[3][:4], "正在建设", "一期已完成"]]
    items = parse_text(read_document_text(writer(tmp_path / f"p.{writer.__name__[6:]}", rows)), META).items
    assert items["status"].to_list() == ["done", "in_progress", "in_progress"]
    assert items["progress"].to_list() == ["已完成", "备注:市考核指标", "正在建设;备注:一期已完成"]


def test_a_page_number_is_no_part_of_the_text_it_falls_in(tmp_path):
    """A bare page number in a PDF's footer was joined onto the line wrapped over the page break (…新增学位12 | 540个
    read 新增学位12540个) and ended the next page's last task (改造老旧小区20个。13); the same number between blank
    lines of a text file was glued the same way (a bad-input probe)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "p.pdf"
    pages = [["灞桥区2023年重点工作任务", "1.新建城市书房3个。", "2.新建公办幼儿园2所，新增公办幼儿园学位，新增学位"],
             ["540个。", "3.改造老旧小区20个。"]]
    sheet = canvas.Canvas(str(path))
    for number, lines in enumerate(pages, start=12):
        sheet.setFont("STSong-Light", 12)
        for row, line in enumerate(lines):
            sheet.drawString(72, 760 - 20 * row, line)
        sheet.drawString(290, 40, str(number))
        sheet.showPage()
    sheet.save()
    items = parse_text(read_document_text(path), META).items
    assert items["text"].to_list() == ["新建城市书房3个。", "新建公办幼儿园2所,新增公办幼儿园学位,新增学位540个。",
                                       "改造老旧小区20个。"]
    for between in ("\n\n12\n\n", "\n12\n", "\n\n12\n\f"):  # without blank lines, or before pdftotext's \f (a review)
        text = f"灞桥区2023年重点工作任务\n1.新建城市书房3个。\n2.新建公办幼儿园2所，新增学位{between}540个。\n3.改造老旧小区20个。\n13\n"
        items = parse_text(text, META).items
        assert [t["value"] for t in items["targets"][1]] == [2.0, 540.0], repr(between)
        assert items["text"][2] == "改造老旧小区20个。", "the last page's number after the sentence"


def test_a_pdfs_running_head_and_foot_are_no_part_of_the_text(tmp_path):
    """A head repeated over every page (the plan's title) and a foot (— 1 — 第 1 页 共 2 页) were read into the
    task wrapped over the page break: 高校毕业生就灞桥区2024年工作要点业率, its indicator too (a bad-input probe).
    The head's first appearance is the plan's title and stays."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "p.pdf"
    pages = [["1.新建城市书房3个。", "2.全年新增城镇就业1.2万人，城镇调查失业率控制在5.5%以内，高校毕业生就"],
             ["业率保持在90%以上。", "3.改造老旧小区20个。"]]
    sheet = canvas.Canvas(str(path))
    for number, lines in enumerate(pages, start=1):
        sheet.setFont("STSong-Light", 12)
        sheet.drawString(200, 810, "灞桥区2024年工作要点")
        for row, line in enumerate(lines):
            sheet.drawString(72, 740 - 20 * row, line)
        sheet.drawString(230, 30, f"— {number} — 第 {number} 页 共 2 页")
        sheet.showPage()
    sheet.save()
    text = read_document_text(path)
    assert text.startswith("灞桥区2024年工作要点\n") and text.count("工作要点") == 1 and "页" not in text
    items = parse_text(text, META).items
    assert items["text"].to_list() == ["新建城市书房3个。", "全年新增城镇就业1.2万人,城镇调查失业率控制在5.5%以内,高校毕业生就业率保持在90%以上。",
                                       "改造老旧小区20个。"]
    # body lines low on each page that differ only in their numbers are no foot (both deadlines were lost), and a
    # head first met on the second page (the first page's 红头 differs) goes everywhere (a review)
    sheet = canvas.Canvas(str(path))
    for number, (task, deadline) in enumerate([("1.新建城市书房3个，新增学位", "540个。完成时限：2025年6月底前。"),
                                                ("2.改造老旧小区20个。", "完成时限：2025年12月底前。"),
                                                ("3.新建口袋公园4个。", "完成时限：2025年9月底前。")]):
        sheet.setFont("STSong-Light", 12)
        if number:
            sheet.drawString(200, 815, "灞桥区人民政府办公室")
        else:
            sheet.drawString(200, 780, "灞桥区2024年工作要点")
        sheet.drawString(72, 740, task)
        sheet.drawString(72, 85, deadline)  # the last body line, 0.90 down the page
        sheet.showPage()
    sheet.save()
    text = read_document_text(path)
    assert "人民政府办公室" not in text and text.count("完成时限") == 3
    # Word's own header and footer places on A4 (10.5 pt, 1.5 cm from the top, 1.75 cm from the bottom) straddle the
    # outer 6 %: they are running lines still (read wholly inside it only, both were read into the tasks; a review)
    # … and on a landscape page, where 1.5 cm from the top is 7 % of it (task tables are often landscape; a review)
    for width, height in ((595.3, 841.9), (841.9, 595.3)):
        sheet = canvas.Canvas(str(path), pagesize=(width, height))
        for number in range(3):
            sheet.setFont("STSong-Light", 10.5)
            sheet.drawString(width / 2 - 100, height - 53, "历下区人民政府办公室文件")
            sheet.drawString(width / 2 - 100, 49.6, "历下区发展和改革委员会印制")
            sheet.setFont("STSong-Light", 12)
            sheet.drawString(72, height - 150, f"{number + 1}.改造老旧小区20个。")
            sheet.showPage()
        sheet.save()
        text = read_document_text(path)
        assert text.count("人民政府办公室文件") == 1 and "印制" not in text, (width, height)


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_tasks_numbered_in_chinese_that_restart_in_each_section_are_all_read(tmp_path, writer):
    """（一）（二） under 一、经济发展, then （一）（二）（三） under 二、民生保障: 新建口袋公园 was lost and 新建公厕5座
    read as a section heading, without a word (a bad-input probe)."""
    rows = [["序号", "重点任务", "牵头单位", "完成时限"], ["一", "经济发展", "", ""],
            ["（一）", "新建学校2所", "区教育局", "9月底前"], ["（二）", "改造老旧小区40个", "区住建局", "年底前"],
            ["二", "民生保障", "", ""], ["（一）", "新建口袋公园5个", "区城管局", "年底前"],
            ["（二）", "新建公厕5座", "区城管局", "年底前"], ["（三）", "新建绿道5公里", "区城管局", "年底前"]]
    items = parse_text(read_document_text(writer(tmp_path / f"t.{writer.__name__[6:]}", rows)), META).items
    assert [(path[-1], text) for path, text in items.select("section_path", "text").rows()] == [
        ("经济发展", "新建学校2所"), ("经济发展", "改造老旧小区40个"), ("民生保障", "新建口袋公园5个"),
        ("民生保障", "新建公厕5座"), ("民生保障", "新建绿道5公里")]


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_sums_notes_and_section_labels_in_the_task_column_are_no_part_of_a_task(tmp_path, writer):
    """小计 | 5所, 合计 | 6项 and 说明：… in the task column of an unnumbered row were glued onto the task above (its
    indicator 新建学校小计, 5所 a unit, 新增就业3000人 a target of 改造老旧小区), and 民生保障类（2项） was dropped
    first and glued on after (a bad-input probe)."""
    rows = [["序号", "重点任务", "牵头单位", "完成时限"], ["", "民生保障类（2项）", "", ""],
            ["1", "新建幼儿园3所", "区教育局", "年底前"], ["2", "新建学校2所，注重", "区教育局", "年底前"],
            ["", "实效", "", ""], ["", "小计", "5所", ""], ["", "城市建设类（1项）", "", ""],
            ["3", "改造老旧小区40个", "区住建局", "年底前"], ["", "合计", "3项", ""],
            ["", "说明：新增就业3000人以上的按季度调度", "", ""]]
    parsed = parse_text(read_document_text(writer(tmp_path / f"t.{writer.__name__[6:]}", rows)), META)
    assert [(path[-1], text, units, [t["value"] for t in targets]) for path, text, units, targets in
            parsed.items.select("section_path", "text", "units", "targets").rows()] == [
        ("民生保障类", "新建幼儿园3所", ["区教育局"], [3.0]), ("民生保障类", "新建学校2所,注重实效", ["区教育局"], [2.0]),
        ("城市建设类", "改造老旧小区40个", ["区住建局"], [40.0])]
    assert sum("合计、说明等行未读取" in warning for warning in parsed.warnings) == 3


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_a_remarks_column_that_reports_progress_is_the_progress(tmp_path, writer):
    """备注（进展情况）, or a 备注 column whose cells say 已完成 and 正在推进, read as remarks once 备注 was: every status was
    lost from a 落实情况统计表 (a review)."""
    for header in ("备注（进展情况）", "备注"):
        rows = [["序号", "重点任务", "牵头单位", "完成时限", header], ["1", "新建口袋公园5个", "区住建局", "年内", "已完成"],
                ["2", "新增城镇就业8000人", "区人社局", "年内", "正在推进"], ["3", "改造老旧小区40个", "区住建局", "年内", "已完成"]]
        items = parse_text(read_document_text(writer(tmp_path / f"t.{writer.__name__[6:]}", rows)), META).items
        assert items["status"].to_list() == ["done", "in_progress", "done"], header
        assert items["progress"].to_list() == ["已完成", "正在推进", "已完成"], header


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_a_section_label_in_the_number_column_opens_a_section(tmp_path, writer):
    """经济发展类（2项） in the 序号 column of a row of its own refused a text table (no task number) and, merged across
    an .xlsx row, dropped every section; 城市建设类 2项 without brackets was glued onto the task above (a review)."""
    rows = [["序号", "重点任务", "牵头单位", "完成时限"], ["经济发展类（2项）", "", "", ""],
            ["1", "新建学校2所", "区教育局", "年底前"], ["2", "改造老旧小区40个", "区住建局", "年底前"],
            ["城市建设类 1项", "", "", ""], ["3", "新建绿道5公里", "区城管局", "年底前"]]
    items = parse_text(read_document_text(writer(tmp_path / f"t.{writer.__name__[6:]}", rows)), META).items
    assert [(path[-1] if path else None, text) for path, text in items.select("section_path", "text").rows()] == [
        ("经济发展类", "新建学校2所"), ("经济发展类", "改造老旧小区40个"), ("城市建设类", "新建绿道5公里")]


def test_a_section_label_merged_across_an_xlsx_row_opens_a_section(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["序号", "重点任务", "牵头单位", "完成时限"], ["民生保障类（2项）"], [1, "新建学校2所", "区教育局", "年底前"],
                [2, "改造老旧小区40个", "区住建局", "年底前"], ["城市建设类（1项）"], [3, "新建绿道5公里", "区城管局", "年底前"]]:
        sheet.append(row)
    sheet.merge_cells("A2:D2")
    sheet.merge_cells("A5:D5")
    book.save(tmp_path / "m.xlsx")
    items = parse_text(read_document_text(tmp_path / "m.xlsx"), META).items
    assert [path[-1] if path else None for path in items["section_path"].to_list()] == ["民生保障类", "民生保障类", "城市建设类"]


def test_a_date_cell_is_read_as_its_chinese_date_format_shows_it(tmp_path):
    """A 完成时限 cell showing 12月31日 (format m"月"d"日", stored 2023-12-31 as typed in December for next year's plan)
    was read 2023-12-31: the export showed another deadline than the sheet and evolution put it in the wrong year (a
    bad-input probe)."""
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "主要任务", "责任单位", "完成时限"])
    for number, (date, shown) in enumerate([(dt.datetime(2023, 12, 31), 'm"月"d"日"'),
                                            (dt.datetime(2024, 6, 30), 'yyyy"年"m"月"'),
                                            (dt.datetime(2024, 6, 30), "yyyy-mm-dd"),
                                            # a year of two digits, a time after it (25年6月30日 read no year, and
                                            # minutes as the month; a review)
                                            (dt.datetime(2025, 6, 30, 9, 15), 'yy"年"m"月"d"日" hh:mm'),
                                            (dt.datetime(2025, 6, 30), '[$-zh-CN]m"月"d"日"')], start=1):  # (empty)
        sheet.append([number, f"新建学校{number}所", "区教育局", date])
        sheet.cell(row=number + 1, column=4).number_format = shown
    book.save(tmp_path / "d.xlsx")
    items = parse_text(read_document_text(tmp_path / "d.xlsx"), META).items
    assert items["deadline"].to_list() == ["12月31日", "2024年6月", "2024-06-30", "2025年6月30日", "6月30日"]


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_circled_numbers_under_a_task_are_its_sub_tasks(tmp_path, writer):
    """2 | 城市更新, then ① | 改造老旧小区40个 and ② | 新建口袋公园5个: the plan was refused, task numbers 1 and 2
    repeating without a new section (a bad-input probe); a table numbered （1）（2） throughout keeps its numbers."""
    rows = [["序号", "重点任务", "牵头单位", "完成时限"], ["1", "新建学校2所", "区教育局", "年底前"],
            ["2", "城市更新", "区住建局", "年底前"], ["①", "改造老旧小区40个", "区住建局", "年底前"],
            ["②", "新建口袋公园5个", "区城管局", "年底前"], ["3", "新建绿道5公里", "区城管局", "年底前"]]
    items = parse_text(read_document_text(writer(tmp_path / f"t.{writer.__name__[6:]}", rows)), META).items
    assert items.select("number", "text").rows() == [("1", "新建学校2所"), ("2", "城市更新"), ("2-1", "改造老旧小区40个"),
                                                     ("2-2", "新建口袋公园5个"), ("3", "新建绿道5公里")]
    # … written 1) 2) too; and under a new section, （1）（2） are its own tasks (b2-1 under the last section's task 2;
    # a review)
    written = [rows[0], *rows[1:3], ["1)", *rows[3][1:]], ["2)", *rows[4][1:]], rows[5]]
    items = parse_text(read_document_text(writer(tmp_path / f"w.{writer.__name__[6:]}", written)), META).items
    assert items["number"].to_list() == ["1", "2", "2-1", "2-2", "3"]
    sections = [rows[0], ["一", "稳增长", "", ""], *rows[1:3], ["二", "惠民生", "", ""], ["（1）", *rows[3][1:]],
                ["（2）", *rows[4][1:]]]
    items = parse_text(read_document_text(writer(tmp_path / f"s.{writer.__name__[6:]}", sections)), META).items
    assert items["number"].to_list() == ["1", "2", "b1", "b2"]
    rows = [rows[0]] + [[f"（{n}）", *row[1:]] for n, row in enumerate(rows[1:3], start=1)]
    items = parse_text(read_document_text(writer(tmp_path / f"p.{writer.__name__[6:]}", rows)), META).items
    assert items["number"].to_list() == ["1", "2"]


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_a_section_row_naming_its_lead_unit_over_bracketed_tasks_is_a_section(tmp_path, writer):
    """一 | 经济发展 | 区发改委, then （一） | 地区生产总值增长6%左右: the section rows became tasks 1, 2, 3 and the tasks
    under them were lost or made headings, without a word (a second bad-input probe)."""
    rows = [["序号", "重点任务", "牵头单位", "完成时限"], ["一", "经济发展", "区发改委", ""],
            ["（一）", "地区生产总值增长6%左右", "区发改委", "2024年12月底"], ["二", "民生保障", "区民政局", ""],
            ["（一）", "新建公办幼儿园3所", "区教育局", "2024年8月底"], ["（二）", "改造老旧小区30个", "区住建局", "2024年11月底"]]
    items = parse_text(read_document_text(writer(tmp_path / f"t.{writer.__name__[6:]}", rows)), META).items
    assert [(path[-1], text) for path, text in items.select("section_path", "text").rows()] == [
        ("经济发展", "地区生产总值增长6%左右"), ("民生保障", "新建公办幼儿园3所"), ("民生保障", "改造老旧小区30个")]


def test_a_status_column_is_not_overruled_by_the_progress_beside_it(tmp_path):
    """完成状态 已完成 beside 3所幼儿园已建成，正在推进验收工作 read under way: the status word was joined to the progress
    with ；, and 正在推进 later in that sentence won (a second bad-input probe)."""
    rows = [["序号", "重点任务", "责任单位", "进展情况", "完成状态"],
            ["1", "新建公办幼儿园3所", "区教育局", "3所幼儿园已建成，正在推进验收工作", "已完成"]]
    items = parse_text(read_document_text(write_xlsx(tmp_path / "s.xlsx", rows)), META).items
    assert items["status"].to_list() == ["done"]


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_a_continuation_row_counting_its_items_is_no_section(tmp_path, writer):
    """实施重点项目60个，… then an unnumbered 其中省市重点项目（12项）: the task lost its clause and every later task was
    filed under a section of that name (a second bad-input probe)."""
    rows = [["序号", "重点任务", "责任单位", "完成时限"], ["1", "实施重点项目60个，完成投资120亿元，", "区发改委", "2024年12月底"],
            ["", "其中省市重点项目（12项）", "", ""], ["2", "新建公办幼儿园3所", "区教育局", "2024年8月底"]]
    items = parse_text(read_document_text(writer(tmp_path / f"t.{writer.__name__[6:]}", rows)), META).items
    assert items.select("text", "section_path").rows() == [("实施重点项目60个,完成投资120亿元,其中省市重点项目(12项)", []),
                                                           ("新建公办幼儿园3所", [])]
