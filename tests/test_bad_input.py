"""Bad input through the command line: one line on stderr naming the file, exit code 2, nothing else touched."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.cli import main
from align.exceptions import DocumentParseError, UnknownDocumentError
from align.ingest import load_items
from align.parsing import parse_text
from align.readers import decode_text
from align.registry import DocumentMeta
from align.settings import Settings

GOOD = "序号\t主要任务\t责任单位\t进展情况\n1\t新建口袋公园10个\t区城管局\t已完成。\n2\t改造老旧小区7个\t区住建局\t正在推进。\n"


def register(settings: Settings, doc_id: str, content: bytes, suffix: str = ".txt") -> Path:
    """Put a file in the data folder and append its registry entry by hand (no parse check)."""
    path = settings.data_dir / "documents" / f"{doc_id}{suffix}"
    path.write_bytes(content)
    with (settings.data_dir / "registry.toml").open("a", encoding="utf-8") as handle:
        handle.write(
            f'\n[[document]]\nid = "{doc_id}"\ntitle = "t"\njurisdiction = "灞桥区"\nlevel = "district"\n'
            f'year = 2023\nkind = "task_table"\nfile = "documents/{doc_id}{suffix}"\n'
        )
    return path


def snapshot(settings: Settings) -> dict[str, bytes]:
    """The registry and every cached table of the other documents, byte for byte."""
    files = {"registry.toml": (settings.data_dir / "registry.toml").read_bytes()}
    files.update({p.name: p.read_bytes() for p in sorted(Path(settings.cache_dir).glob("*"))})
    return files


@pytest.fixture()
def warm(data_copy, capsys) -> Settings:
    """A data copy whose bundled documents are ingested, so their cache exists to be left alone."""
    assert main(["ingest", "--data", str(data_copy.data_dir)]) == 0
    capsys.readouterr()
    return data_copy


def items_error(settings: Settings, doc_id: str, capsys) -> str:
    before = snapshot(settings)
    assert main(["items", doc_id, "--data", str(settings.data_dir)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert err.startswith("error: ") and len(err.splitlines()) == 1 and "Traceback" not in err
    assert snapshot(settings) == before, "registry and other documents' cache untouched"
    return err


@pytest.mark.parametrize(
    ("addition", "message", "chinese"),
    [
        ('\n[[documents]]\nid = "lianhu-2024"\n', "unknown section(s) 'documents'; each document is a [[document]] table",
         "未知的表 documents"),
        ('\n[[document]]\nid = "lianhu-2024"\ntitel = "t"\njurisdiction = "莲湖区"\nlevel = "district"\n'
         'year = 2024\nkind = "plan"\nfile = "documents/x.txt"\n', "entry 6: unknown field(s) 'titel'",
         "第 6 条有未知字段 titel"),
        ('\n[[document]]\nid = "lianhu-2024"\ntitle = "t"\njurisdiction = "莲湖区"\nlevel = "town"\n'
         'year = 2024\nkind = "plan"\nfile = "documents/x.txt"\n', "entry 6 (lianhu-2024): The 'level' must be one of",
         "第 6 条（lianhu-2024）层级只能是 county、district"),
        ('\n[[document]]\nid = "lianhu-2024"\ntitle = "t"\n', "entry 6: missing field(s) jurisdiction, level", "第 6 条缺少字段 jurisdiction、level、year、kind、file"),
        # an unquoted id or file was a TypeError traceback
        ('\n[[document]]\nid = 2024\ntitle = "t"\njurisdiction = "莲湖区"\nlevel = "district"\n'
         'year = 2024\nkind = "plan"\nfile = 7\n', "entry 6 (2024): 'id', 'file' must be text in quotes. Got 2024, 7",
         "第 6 条（2024）id、file 应是加引号的文字"),
    ],
)
def test_a_misspelt_registry_section_or_field_is_named_not_ignored(data_copy, capsys, addition, message, chinese):
    registry = data_copy.data_dir / "registry.toml"
    registry.write_text(registry.read_text(encoding="utf-8") + addition, encoding="utf-8")
    assert main(["docs", "--data", str(data_copy.data_dir)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err and len(captured.err.strip().splitlines()) == 1
    assert f"（文档登记有误：登记表 registry.toml：{chinese}" in captured.err


@pytest.mark.parametrize(
    ("argv", "english", "chinese"),
    [
        (["match", "baqiao-2023", "xian-2024", "--threshold", "2"], "must be in [0, 1]",
         "无法完成：阈值 --threshold 应在 0 到 1 之间，现为 2.0"),
        (["export", "--out", "links.txt"], "Cannot tell the export format", "无法导出：看不出导出格式，请用 --format 指定，或让文件名以 .xlsx、.csv 或 .parquet 结尾"),
        (["decide", "baqiao-2023:1", "--confirm", "--reviewer", "王"], "--confirm needs a TARGET_ID",
         "无法完成：--confirm 需要给出目标条目编号"),
        (["decide", "baqiao-2023:1", "xian-2024:99", "--confirm", "--reviewer", "王"], "Unknown item id(s): xian-2024:99",
         "没有这个条目：xian-2024:99 不在所登记的文档里，可用 plan-align items 列出条目编号"),
        (["decide", "17", "xian-2024:4", "--confirm", "--reviewer", "王"], "'17' is not an item id",
         "没有这个条目：“17”不是条目编号，应写作“文档:序号”，如 baqiao-2023:17"),
        (["decide", "baqiao-2023", "xian-2024", "--none", "--reviewer", "王"], "that is a document id; the item's "
         "number is missing", "没有这个条目：“baqiao-2023”不是条目编号，应写作“文档:序号”，如 baqiao-2023:17"),
        (["decide", "baqiao-2023:1", "xian-2024:4", "--undo", "--reviewer", "王"], "Nothing to undo",
         "审核记录库出错：王 在这对条目上没有可撤销的结论"),
        (["evolve", "baqiao-2023", "baqiao-2020"], "Evolution runs forward in time",
         "无法完成：逐年对比按时间先后：baqiao-2023（2023 年）晚于 baqiao-2020（2020 年），请先给较早的文档"),
        (["match", "baqiao-2023", "baqiao-2023"], "Choose two different documents",
         "无法完成：请选择两个不同的文档：baqiao-2023 同时被作为源文档和目标文档"),
        (["evolve", "baqiao-2023", "baqiao-2023"], "Choose two different documents",
         "无法完成：请选择两个不同的文档：baqiao-2023 同时被作为源文档和目标文档"),
        (["coverage", "xian-2024", "xian-2024"], "Choose two different documents",
         "无法完成：请选择两个不同的文档：xian-2024 同时被作为源文档和目标文档"),
        (["decide", "baqiao-2023:1", "baqiao-2023:2", "--confirm", "--reviewer", "王"], "A link joins items of two documents",
         "审核记录库出错：链接须连接两个文档的条目：baqiao-2023:1 与 baqiao-2023:2 同属 baqiao-2023"),
        (["coverage", "baqiao-2023", "xian-2024"], "Swap them: plan-align coverage xian-2024 baqiao-2023",
         "无法完成：覆盖情况列出上级文档的条目，上级文档应在前：baqiao-2023 是区级文档（灞桥区），xian-2024 是市级文档（西安市），请交换两者"),
        (["coverage", "baqiao-2023"], "Give that plan first: plan-align coverage CITY_DOC baqiao-2023",
         "无法完成：baqiao-2023 是区级文档；覆盖情况列出上级文档的条目，请把上级文档放在前面"),
        (["evolve", "baqiao-2023", "xian-2024"], "compares documents of one jurisdiction",
         "辖区不同：逐年对比只比较同一辖区的文档，现为baqiao-2023（灞桥区）、xian-2024（西安市）"),
    ],
)
def test_a_mistake_on_the_command_line_is_told_in_chinese_too(warm, capsys, argv, english, chinese):
    """A planner at the command line reads what went wrong in Chinese, on the one error line."""
    assert main([*argv, "--data", str(warm.data_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and english in err
    assert err.endswith(f" （{chinese}）")


@pytest.mark.parametrize(
    "argv",
    [
        ["items", "baqiao-2023", "--format", "csv", "--out"],
        ["match", "baqiao-2023", "xian-2024", "--out"],
        ["evolve", "baqiao-2020", "baqiao-2023", "--out"],
        ["coverage", "xian-2024", "baqiao-2023", "--out"],
    ],
)
def test_an_output_file_that_cannot_be_written_is_one_line_and_leaves_nothing_behind(warm, capsys, tmp_path, argv):
    """--out into a file where a folder should be: the path and what to check, exit 2, no temporary file left."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file, not a folder")
    out = blocker / ("result.xlsx" if argv[0] in ("evolve", "coverage") else "result.csv")
    assert main([*argv, str(out), "--data", str(warm.data_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"error: Could not write {out}: ") and err.endswith("磁盘是否已满）")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "not-a-folder"]


def test_unknown_document_id(warm, capsys):
    err = items_error(warm, "no-such-doc", capsys)
    assert "Unknown document id 'no-such-doc'" in err and "baqiao-2023" in err


def test_missing_file(warm, capsys):
    path = register(warm, "gone", b"")
    path.unlink()
    err = items_error(warm, "gone", capsys)
    assert str(path) in err and "no such file" in err


def test_empty_file(warm, capsys):
    path = register(warm, "empty", b"  \n\n")
    err = items_error(warm, "empty", capsys)
    assert f"{path}: the file is empty" in err
    assert err.endswith("（文件无法解析：文件是空的）"), "the reason in Chinese too, on the same line"


@pytest.mark.parametrize("suffix", [".txt", ".csv"])
@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n \r\n"])
def test_a_file_holding_only_a_bom_is_empty(data_copy, tmp_path, capsys, suffix, content):
    """Non-regression: Notepad's UTF-8 BOM alone was a plan whose heading 'does not say its jurisdiction' (a
    .csv: 'no header row found'); it is an empty file, as one of 0 bytes is."""
    path = tmp_path / f"上报材料{suffix}"
    path.write_bytes(content)
    assert main(["add", str(path), "--data", str(data_copy.data_dir)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {path}: the file is empty. （文件无法解析：文件是空的）"


def test_a_broken_registered_document_reaches_the_app_as_its_own_error_in_chinese(warm):
    path = register(warm, "empty", b"  \n\n")
    with pytest.raises(DocumentParseError) as raised:
        load_items(warm, "empty")
    shown = raised.value.for_planner()
    assert shown.startswith(f"文件无法解析（{path}）：文件是空的。") and shown.endswith(f"{path}: the file is empty.")
    with pytest.raises(UnknownDocumentError) as unknown:
        load_items(warm, "no-such-doc")
    assert unknown.value.for_planner().startswith("没有这个文档：编号“no-such-doc”未登记。 Unknown document id")


def test_binary_file(warm, capsys):
    path = register(warm, "binary", bytes(range(256)) * 8)
    err = items_error(warm, "binary", capsys)
    assert f"{path}, line 1: this is a binary file" in err
    # a stray NUL in a text file is named where it is (it was "line 1", whatever line held it)
    path = register(warm, "stray", (GOOD + "3\t建成学校\x00\t区教育局\t已完成\n").encode("utf-8"))
    assert f"{path}, line 4: this is a binary file, not text (it contains NUL bytes, the first on line 4)" in \
        items_error(warm, "stray", capsys)
    # … past the first 64 KB too, and in UTF-16 (both were read, the NUL kept in the task's text and a CSV export)
    far = GOOD + "".join(f"{n}\t建成学校{n}所\t区教育局\t已完成\n" for n in range(3, 3003)) + "3003\t建成\x00学校\t区教育局\t已完成\n"
    path = register(warm, "far", far.encode("utf-8"))
    assert f"{path}, line 3004: this is a binary file" in items_error(warm, "far", capsys)
    path = register(warm, "wide16", (GOOD + "3\t建成学校\x00\t区教育局\t已完成\n").encode("utf-16"))
    assert f"{path}, line 4: this is a binary file" in items_error(warm, "wide16", capsys)


def test_wrong_column_count_names_file_and_line(warm, capsys):
    path = register(warm, "wide", (GOOD + "3\t建成学校\t区教育局\t已完成\t多余\n").encode("utf-8"))
    err = items_error(warm, "wide", capsys)
    assert f"{path}, line 4: this row has 5 columns but the header at line 1 has 4" in err


def test_undecodable_text_names_the_line(warm, capsys):
    path = register(warm, "latin", GOOD.encode("utf-8") + b"3\t\xff\xfe\xfa\xfb\n")
    err = items_error(warm, "latin", capsys)
    assert f"{path}, line 4: the file is neither UTF-8 nor GB18030" in err


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_undecodable_gb_text_names_the_line_of_the_bad_byte(warm, capsys, encoding):
    """Non-regression: the line was taken from the UTF-8 reading, which fails at the first Chinese character (line 1)."""
    path = register(warm, "gbk", GOOD.encode(encoding) + "3\t建成学校\t区教育局\t".encode(encoding) + b"\xff\n")
    err = items_error(warm, "gbk", capsys)
    assert f"{path}, line 4: the file is neither UTF-8 nor GB18030" in err


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_gb_encoded_file_gives_the_same_items_as_utf8(warm, capsys, encoding):
    register(warm, "utf8", GOOD.encode("utf-8"))
    register(warm, "gb", GOOD.encode(encoding))
    results = {}
    for doc_id in ("utf8", "gb"):
        assert main(["items", doc_id, "--format", "json", "--data", str(warm.data_dir)]) == 0
        rows = json.loads(capsys.readouterr().out)
        results[doc_id] = [(r["number"], r["text"], r["units"], r["status"]) for r in rows]
    assert results["gb"] == results["utf8"]
    assert results["gb"][0] == ("1", "新建口袋公园10个", ["区城管局"], "done")


def test_a_gb18030_files_byte_order_mark_is_no_part_of_its_heading(data_copy, tmp_path, capsys):
    """Its mark (84 31 95 33) decoded to an invisible U+FEFF before the heading: `add` said the heading named no
    jurisdiction, and with --jurisdiction the registered title kept the mark (a bad-input probe)."""
    text = "灞桥区2024年工作要点\n1.新建口袋公园4个。\n2.改造老旧小区40个。\n"
    assert decode_text(b"\x841\x953" + text.encode("gb18030")) == text
    path = tmp_path / "要点.txt"
    path.write_bytes(b"\x841\x953" + text.encode("gb18030"))
    assert main(["add", str(path), "--id", "bq-2024", "--parent", "西安市", "--data", str(data_copy.data_dir)]) == 0
    capsys.readouterr()
    assert main(["docs", "--data", str(data_copy.data_dir)]) == 0
    listed = capsys.readouterr().out
    assert "灞桥区2024年工作要点" in listed and "\ufeff" not in listed


def test_a_sheet_excel_saved_as_unicode_text_reads_as_the_sheet():
    """Excel's Unicode 文本 (UTF-16, tab-separated) quotes a cell holding a quote or a line break as CSV does: the
    quote marks hid 示范小区5个 from the targets, and a break in a cell cut its row, refused as 'the number column
    holds 新增学位1080个' (a bad-input probe). Prose in UTF-16 keeps its quotes."""
    sheet = ("灞桥区2024年重点工作任务分解表\t\t\t\r\n序号\t主要任务\t责任单位\t完成时限\r\n"
             "1\t\"新建公办幼儿园3所\r\n新增学位1080个\"\t区教育局\t2024年8月底前\r\n"
             "2\t\"改造老旧小区40个，打造\"\"红色物业\"\"示范小区5个\"\t\"区住建局\r\n各街道\"\t2024年10月底前\r\n")
    meta = DocumentMeta(id="t", title="t", jurisdiction="灞桥区", level="district", year=2024, kind="plan", file="t")
    items = parse_text(decode_text(codecs.BOM_UTF16_LE + sheet.encode("utf-16-le")), meta).items
    assert items.select("text", "units").rows() == [
        ("新建公办幼儿园3所;新增学位1080个", ["区教育局"]), ('改造老旧小区40个,打造"红色物业"示范小区5个', ["区住建局", "各街道"])]
    assert [t["value"] for t in items["targets"][1]] == [40.0, 5.0]
    prose = '1. 打造"红色物业"示范小区5个。\n"2. 新建学校3所。\n'
    assert decode_text(codecs.BOM_UTF16_LE + prose.encode("utf-16-le")) == prose
    # a progress cell of four paragraphs in every row: its lines without a tab outnumbered the rows (a review)
    rows = "".join(f'{n}\t"新建幼儿园{n}所\r\n新增学位100个"\t区教育局\t"一是…；\r\n二是…；\r\n三是…；\r\n四是…。"\r\n'
                   for n in range(1, 6))
    table = "灞桥区2024年重点任务落实情况\t\t\t\r\n序号\t主要任务\t责任单位\t进展情况\r\n" + rows
    items = parse_text(decode_text(codecs.BOM_UTF16_LE + table.encode("utf-16-le")), meta).items
    assert items.height == 5 and items["progress"][0] == "一是...;二是...;三是...;四是...。"  # NFKC: … is ...


TRADITIONAL = "1. 新建公共充電樁200個，完成年度目標。\n2. 改造老舊小區80個，惠及居民1.2萬戶。\n"


def test_a_big5_file_reads_as_its_traditional_text_not_as_no_plan_items(warm, capsys):
    """Big5 bytes decode as GB18030 without error, into kana and rare characters; the traditional
    text is then read in simplified characters, as the other plans are."""
    register(warm, "utf8", TRADITIONAL.encode("utf-8"))
    register(warm, "big5", TRADITIONAL.encode("big5"))
    texts = {}
    for doc_id in ("utf8", "big5"):
        assert main(["items", doc_id, "--format", "json", "--data", str(warm.data_dir)]) == 0
        texts[doc_id] = [row["text"] for row in json.loads(capsys.readouterr().out)]
    assert texts["big5"] == texts["utf8"]
    assert len(texts["big5"]) == 2 and texts["big5"][0].startswith("新建公共充电桩200个")


def test_a_few_symbols_outside_gb2312_do_not_make_a_file_big5():
    text = "No.\tArea\n1\t5000㎡\n2\t300㎡\n"  # ㎡ is GBK, not GB2312, and its bytes are also valid Big5
    assert decode_text(text.encode("gb18030")) == text


def test_traditional_characters_in_gbk_stay_gbk():
    """GBK also holds traditional characters; such a file is not taken for Big5."""
    assert decode_text(TRADITIONAL.encode("gbk")) == TRADITIONAL


@given(st.text(alphabet=st.sampled_from("新建改造老旧小区充电桩个所公里万人一二三（）、，。：；%.0123456789\n\t abc"),
               min_size=1))
def test_simplified_text_in_gb18030_reads_back_unchanged(text):
    text = "一、" + text  # 、 is not UTF-8, as in any real GB file (a few GB bytes alone can be valid UTF-8)
    assert decode_text(text.encode("gb18030")) == text


def test_more_than_21_restarted_sections_give_unique_ids():
    """Non-regression: after the 21 letter prefixes, 's2'+'114' collided with 's21'+'14'."""
    rows = "".join(f"{n}\t任务{n}\t区发改委\n" for n in range(1, 120))
    text = "序号\t主要任务\t责任单位\n" + "".join(f"第{k}部分：\n{rows}" for k in range(1, 26))
    meta = DocumentMeta(id="t", title="t", jurisdiction="x", level="district", year=2023, kind="plan", file="t")
    items = parse_text(text, meta).items
    assert items.height == 25 * 119
    assert items["item_id"].n_unique() == items.height


@pytest.mark.parametrize("layout", ["prose", "table"])
def test_a_list_longer_than_999_tasks_keeps_every_task(layout):
    """Non-regression: numbers stopped at three digits, so tasks 1000 to 1200 were one 20,000-character task 999."""
    tasks = [f"{n}. 新建口袋公园{n}个" for n in range(1, 1201)]
    text = "# 某区重点任务清单\n" + "\n".join(tasks) if layout == "prose" else \
        "主要任务\t责任单位\n" + "".join(f"{task}\t区城管局\n" for task in tasks)
    meta = DocumentMeta(id="t", title="t", jurisdiction="x", level="district", year=2023, kind="plan", file="t")
    items = parse_text(text, meta).items
    assert items.height == 1200
    assert items.tail(1).select("number", "text").row(0) == ("1200", "新建口袋公园1200个")


def test_a_table_of_more_than_9999_numbered_tasks_keeps_every_task():
    """Non-regression: the 序号 column took four digits, so task 10000 stopped the file with an error."""
    text = "序号\t主要任务\t责任单位\n" + "".join(f"{n}\t新建口袋公园{n}个\t区城管局\n" for n in range(1, 10003))
    meta = DocumentMeta(id="t", title="t", jurisdiction="x", level="district", year=2023, kind="plan", file="t")
    items = parse_text(text, meta).items
    assert items.height == 10002 and items["number"][-1] == "10002"


def test_a_long_paragraph_of_ordinal_clauses_keeps_every_target():
    """Non-regression: each number on a line searched the line from its start, so a 40,000-character paragraph of
    一是…；二是… took 18 s (2,000 clauses here; the time is in benchmarks/parse_long_lines.py, not tested)."""
    clauses = "".join(f"{'一二三四五六七八九'[(n - 1) % 9]}是新建充电桩{n}个；" for n in range(1, 2001))
    meta = DocumentMeta(id="t", title="t", jurisdiction="雁塔区", level="district", year=2024, kind="plan", file="t")
    items = parse_text(f"雁塔区2024年重点工作要点\n一、重点任务\n{clauses}\n", meta).items
    targets = [target for row in items["targets"].to_list() for target in row]
    assert [(t["indicator"], t["value"], t["unit"]) for t in targets] == [("新建充电桩", n, "个") for n in range(1, 2001)]


def test_a_long_list_of_district_quotas_on_one_line_keeps_every_quota():
    """Non-regression: each quota of a city item's list was compared with every other, so a long list on one line
    took minutes."""
    places = ["新城区", "碑林区", "莲湖区", "灞桥区", "未央区", "雁塔区", "阎良区", "临潼区", "长安区", "高陵区", "鄠邑区", "蓝田县"]
    quotas = "、".join(f"{places[n % len(places)]}{n}个" for n in range(1, 2001))
    meta = DocumentMeta(id="t", title="t", jurisdiction="西安市", level="city", year=2024, kind="plan", file="t")
    items = parse_text(f"西安市2024年为民实事实施方案\n一、重点任务\n1.新建公共充电桩。{quotas}\n", meta).items
    assert items.height == 1 and items["targets"][0].to_list() == []  # each number is a district's share
    assert [(q["jurisdiction"], q["value"], q["unit"], q["raw"]) for q in items["quotas"][0].to_list()] == [
        (places[n % len(places)], n, "个", f"{places[n % len(places)]}{n}个") for n in range(1, 2001)]


def test_a_long_list_of_zones_reads_its_each_quota_and_gives_none_without_one():
    """A list of places ending in 新区 (高+新区 or 高新+区) was tried every way from each 、 when no 各 followed:
    twenty places took seconds, forty hours (the time is in benchmarks/parse_long_lines.py, not tested)."""
    from align.targets import extract_quotas

    zones = ["高新区", "经开区", "曲江新区", "浐灞生态区", "西咸新区", "航天基地", "国际港务区"]
    listed = "、".join(zones[n % len(zones)] for n in range(60))
    assert extract_quotas(f"覆盖{listed}。") == []
    each = extract_quotas(f"其中{'、'.join(zones)}各建设2个。")
    assert [(q["jurisdiction"], q["value"]) for q in each] == [(zone, 2.0) for zone in zones]


def test_a_line_opening_with_a_year_stays_in_its_task():
    text = "1. 新建口袋公园10个\n2. 推进老旧小区改造，\n2023.年底前完成16个小区\n3. 新建公厕15座\n"
    meta = DocumentMeta(id="t", title="t", jurisdiction="x", level="district", year=2023, kind="plan", file="t")
    items = parse_text(text, meta).items
    assert items["number"].to_list() == ["1", "2", "3"]
    assert items["text"][1].endswith("2023.年底前完成16个小区")


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"\xff\xfe\x00garbage", "binary file"), (b"", "the file is empty")],
)
def test_adding_a_bad_file_names_the_planners_file_and_registers_nothing(data_copy, tmp_path, capsys, content, reason):
    bad = tmp_path / "上报材料.txt"
    bad.write_bytes(content)
    before = snapshot(data_copy)
    args = ["add", str(bad), "--id", "lianhu-2024", "--jurisdiction", "莲湖区", "--level", "district", "--year", "2024"]
    assert main([*args, "--data", str(data_copy.data_dir)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: {bad}") and reason in err, "the error names the file given, not the copy checked"
    assert snapshot(data_copy) == before
    assert not list((data_copy.data_dir / "documents").glob("lianhu-2024*")), "the copy is removed"


def test_every_error_raised_on_purpose_gives_its_reason_in_chinese():
    """The app shows a planner the Chinese reason first; an error raised without one shows only its
    kind (无法完成) and then English. Reads the source, so a new error cannot forget it."""
    import ast
    import inspect

    from align import exceptions

    root = Path(__file__).resolve().parent.parent
    kinds = {
        name: cls for name, cls in vars(exceptions).items()
        if isinstance(cls, type) and issubclass(cls, exceptions.PlanAlignError)
    }
    # A kind whose constructor takes no zh writes its own (UnknownDocumentError: 编号“…”未登记).
    self_said = {name for name, cls in kinds.items() if "zh" not in inspect.signature(cls).parameters}
    assert "UnknownDocumentError" in self_said and "PlanAlignError" not in self_said
    files = [*root.glob("align/*.py"), *root.glob("matching/*.py"), *root.glob("views/*.py"), root / "app_support.py"]
    silent = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in kinds and name not in self_said and not any(k.arg == "zh" for k in node.exc.keywords):
                silent.append(f"{path.relative_to(root)}:{node.lineno} {name}")
    assert len(files) > 30 and not silent, f"raised without a Chinese reason (zh=…): {silent}"


def test_a_registry_written_as_one_document_table_is_named_not_read_letter_by_letter(data_copy, capsys):
    """[document] for [[document]]: 'entry 1: unknown field(s) 'd', 'i'…', from the letters of its keys."""
    registry = data_copy.data_dir / "registry.toml"
    registry.write_text('[document]\nid = "lianhu-2024"\ntitle = "t"\n', encoding="utf-8")
    assert main(["docs", "--data", str(data_copy.data_dir)]) == 2
    assert "'document' must be a list of [[document]] tables" in capsys.readouterr().err


def test_a_registry_saved_as_gbk_by_notepad_reads_and_is_written_back_as_utf8(data_copy, capsys):
    """The README says it reads as UTF-8 or GBK; a GBK file stopped every page ('not valid TOML')."""
    registry = data_copy.data_dir / "registry.toml"
    registry.write_bytes(registry.read_text(encoding="utf-8").encode("gbk"))
    assert main(["docs", "--data", str(data_copy.data_dir)]) == 0
    assert "灞桥区" in capsys.readouterr().out
    assert main(["edit", "xixian-2023", "--parent", "", "--data", str(data_copy.data_dir)]) == 0
    assert "灞桥区" in registry.read_text(encoding="utf-8")


def test_a_registry_linked_into_the_data_folder_is_written_where_it_lives(data_copy, tmp_path, capsys):
    """A registry shared between folders by a symlink: add replaced the link with a file of its own and
    said 'registered', while the shared registry never got the entry."""
    shared = tmp_path / "shared" / "registry.toml"
    shared.parent.mkdir()
    link = data_copy.data_dir / "registry.toml"
    link.rename(shared)
    link.symlink_to(shared)
    source = data_copy.data_dir / "documents" / "xixian-2023-work-points.txt"
    assert main(["add", str(source), "--id", "xixian-copy", "--data", str(data_copy.data_dir)]) == 0
    assert link.is_symlink() and "xixian-copy" in shared.read_text(encoding="utf-8")
    # two folders linking one registry take one lock, beside it (each folder's own let two adds lose one)
    from align.registry import registry_lock_path

    assert registry_lock_path(data_copy.data_dir) == shared.with_name("registry.toml.lock")


def test_spaces_around_a_place_typed_in_the_registry_are_no_part_of_it(data_copy, capsys):
    """灞桥区 and "灞桥区 " were two jurisdictions: evolution refused 2020 → 2023 as two places."""
    registry = data_copy.data_dir / "registry.toml"
    registry.write_text(registry.read_text(encoding="utf-8").replace('jurisdiction = "灞桥区"', 'jurisdiction = "灞桥区 "', 1),
                        encoding="utf-8")
    assert main(["evolve", "baqiao-2020", "baqiao-2023", "--summary", "--data", str(data_copy.data_dir)]) == 0


def test_a_registry_saved_by_notepad_reads_and_keeps_its_line_ends(data_copy, capsys):
    """A BOM and CRLF line ends (Windows Notepad) are no error; a correction keeps every line's CRLF."""
    registry = data_copy.data_dir / "registry.toml"
    text = registry.read_text(encoding="utf-8").replace("\n", "\r\n")
    registry.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert main(["docs", "--data", str(data_copy.data_dir)]) == 0
    assert "xixian-2023" in capsys.readouterr().out
    assert main(["edit", "xixian-2023", "--parent", "", "--data", str(data_copy.data_dir)]) == 0
    assert main(["edit", "xixian-2023", "--parent", "西安市", "--data", str(data_copy.data_dir)]) == 0
    lines = registry.read_bytes().split(b"\n")[:-1]
    assert lines and all(line.endswith(b"\r") for line in lines), "the re-added parent line ends as the others do"
    source = data_copy.data_dir / "documents" / "xixian-2023-work-points.txt"
    assert main(["add", str(source), "--id", "xixian-copy", "--data", str(data_copy.data_dir)]) == 0
    lines = registry.read_bytes().split(b"\n")[:-1]
    assert "xixian-copy" in lines[-2].decode() and all(line.endswith(b"\r") for line in lines), "so do added entries"


@pytest.mark.parametrize("argv", [["docs"], ["items", "baqiao-2023"], ["edit", "xixian-2023", "--parent", ""],
                                  ["add", "documents/xixian-2023-work-points.txt", "--id", "lianhu-2024"]])
def test_a_registry_that_is_a_folder_is_one_line(data_copy, capsys, argv):
    """Non-regression: data/registry.toml made a folder was an IsADirectoryError traceback from _registry_text."""
    data = data_copy.data_dir
    registry = data / "registry.toml"
    registry.unlink()
    registry.mkdir()
    argv = [str(data / arg) if arg.startswith("documents/") else arg for arg in argv]
    assert main([*argv, "--data", str(data)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"error: {registry}: a folder, not a file.") and "登记表 registry.toml 是一个文件夹" in err
    assert list(registry.iterdir()) == [] and not list((data / "documents").glob("lianhu-2024*"))


def test_a_word_list_that_is_a_folder_is_one_line(data_copy, capsys):
    """Non-regression: data/dictionary.txt made a folder was an IsADirectoryError traceback from load_dictionary
    (and from the app's cache key, which reads the same file)."""
    from align.exceptions import PlanAlignError
    from matching.text import dictionary_path

    data = data_copy.data_dir
    words = data / "dictionary.txt"
    words.unlink()
    words.mkdir()
    assert main(["match", "baqiao-2023", "xian-2024", "--data", str(data)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"error: {words}: a folder, not a file.") and "是一个文件夹" in err
    with pytest.raises(PlanAlignError, match="a folder, not a file"):
        dictionary_path(data)


def test_a_paragraph_pasted_into_the_word_list_is_named_and_matching_goes_on(data_copy, capsys):
    """Non-regression: one 300,000-character line in data/dictionary.txt exhausted memory in jieba (its cost is
    the square of a word's length; 1,000 characters here, to stay cheap before the fix). It is skipped, named."""
    data = data_copy.data_dir
    words = data / "dictionary.txt"
    with words.open("a", encoding="utf-8") as handle:
        handle.write("词" * 1000 + "\n")
    line = len(words.read_text(encoding="utf-8").splitlines())
    assert main(["match", "baqiao-2023", "xian-2024", "--data", str(data)]) == 0
    out, err = capsys.readouterr()
    assert f"warning: {words}, line {line}: 词表第 {line} 行的词超过 40 个字，未采用" in err
    assert f"the word list's line {line} (1,000 characters) holds a name longer than 40 characters, skipped" in err
    assert "links proposed" in out


def test_an_unreadable_synonym_list_is_the_matchers_own_error_in_the_app_too(data_copy, monkeypatch):
    """The app hashed the list's bytes for its cache key: a file it may not read was a PermissionError traceback
    on the Review page (a review), where the command line said "cannot read the synonym list"."""
    from align.exceptions import PlanAlignError
    from app_support import lists_digest

    synonyms = data_copy.data_dir / "synonyms.txt"
    before = lists_digest(data_copy)
    synonyms.write_text("口袋公园 街角游园\n", encoding="utf-8")
    assert lists_digest(data_copy) != before, "a changed list is a new key"
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                        if path.name == "synonyms.txt" else real(path))
    with pytest.raises(PlanAlignError, match="cannot read the synonym list"):
        lists_digest(data_copy)


def test_a_synonym_line_that_equates_nothing_is_named_and_matching_goes_on(data_copy, capsys):
    """A planner's synonym list with a line of one term, or a sentence pasted in: skipped and named, the rest read."""
    synonyms = data_copy.data_dir / "synonyms.txt"
    synonyms.write_text("口袋公园 街角游园\n菜市场\n" + "词" * 100 + " 农贸市场\n", encoding="utf-8")
    assert main(["match", "baqiao-2023", "xian-2024", "--data", str(data_copy.data_dir)]) == 0
    out, err = capsys.readouterr()
    assert f"warning: {synonyms}: the synonym list's line 2: 菜市场 alone, no synonym to read as it" in err
    assert "line 3: “" + "词" * 20 + "…” skipped, a term is 2 to 16 characters" in err and "Traceback" not in err
    assert "links proposed" in out


@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".xls", ".pdf", ".txt"])
def test_a_file_of_no_bytes_is_said_to_be_empty_whatever_its_name(data_copy, tmp_path, capsys, suffix):
    """A 0-byte 空文件.docx (a failed download or copy from a share) was told it is no Word file and to save it in the
    new format (a browser probe)."""
    path = tmp_path / f"空文件{suffix}"
    path.write_bytes(b"")
    assert main(["add", str(path), "--data", str(data_copy.data_dir)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {path}: the file is empty (0 bytes). （文件无法解析：文件是空的（0 字节））"
