"""Documents shaped unlike the five bundled ones parse into the items a planner wrote.

The files in ``fixtures/unseen`` were written for these tests in shapes planners send: other
column names (重点工作, 牵头单位, 配合单位, 目标要求), section rows inside tables, numbering that
restarts in every section, （1） items, a 十件实事 list numbered 一、二、 (also run together on
one line), 一是…二是… clauses in a work report, units written after a task
(（牵头单位：…；配合单位：…）) and a sign-off after the last item.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from align.cli import main
from align.exceptions import DocumentParseError
from align.parsing import document_heading, parse_text
from align.readers import read_document_text
from align.registry import DocumentMeta

UNSEEN = Path(__file__).resolve().parent / "fixtures" / "unseen"
YANTA_SECTIONS = ["稳增长促发展", "城市建设管理", "民生保障", "政府自身建设"]


def parse(name: str):
    path = UNSEEN / name
    meta = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="task_table",
                        file=name)
    return parse_text(read_document_text(path), meta, path=path)


@pytest.mark.parametrize(
    "name, count",
    [
        ("a1_yanta_2024_task_decomposition.txt", 24), ("a2_yanta_2024_task_decomposition.xlsx", 24),
        ("a3_yanta_2024_task_decomposition.csv", 24), ("a4_yanta_2024_task_decomposition_gb18030.txt", 24),
        ("b_xincheng_2024_livelihood_table.docx", 12), ("c1_gaoxin_2024_work_points.docx", 13),
        ("d_weiyang_2024_business_env_points.txt", 15), ("d2_weiyang_2024_business_env_points.pdf", 15),
        ("e_changan_2024_agriculture_points.txt", 13), ("f_lintong_2024_ten_livelihood.txt", 10),
        # gaoling: 13 一是… clauses, and 四、全面加强政府自身建设 with its paragraph and no task below it
        ("g_gaoling_2024_work_report.txt", 14), ("h_huyi_2024_task_list.pdf", 30),
        ("x1_section_rows_numbered.xlsx", 24), ("x4_gbk_excel.csv", 24), ("x5_livelihood_one_paragraph.txt", 10),
        # Word's automatic numbering, Excel's merged cells and a two-row header (align.formats)
        ("c2_gaoxin_2024_work_points_autonumber.docx", 13), ("x3_docx_autonumbered_column.docx", 24),
        ("x2_units_merged_vertically.xlsx", 24), ("x6_two_row_header.xlsx", 24),
        ("yanta_2023_task_decomposition.txt", 18),
    ],
)
def test_every_written_item_is_found_once(name, count):
    items = parse(name).items
    assert items.height == count
    assert items["item_id"].n_unique() == count


@pytest.mark.parametrize("name", ["a1_yanta_2024_task_decomposition.txt", "a2_yanta_2024_task_decomposition.xlsx",
                                  "a3_yanta_2024_task_decomposition.csv", "x1_section_rows_numbered.xlsx"])
def test_a_task_table_with_other_headers_keeps_sections_and_co_operating_units(name):
    """重点工作 / 牵头单位 / 配合单位, and 一、稳增长促发展（6项） rows (or 一 in the 序号 column) as sections."""
    items = parse(name).items
    assert items["section_path"].list.first().unique(maintain_order=True).to_list() == YANTA_SECTIONS
    assert items.row(0, named=True)["units"] == ["区发改委", "区统计局", "各街道办事处"], "lead unit first"


@pytest.mark.parametrize("name", ["a1_yanta_2024_task_decomposition.txt", "a2_yanta_2024_task_decomposition.xlsx",
                                  "a3_yanta_2024_task_decomposition.csv", "x6_two_row_header.xlsx",
                                  "h_huyi_2024_task_list.pdf"])
def test_the_deadline_column_is_read_for_every_task(name):
    parsed = parse(name)
    deadlines = parsed.items["deadline"]
    assert deadlines.null_count() == 0 and deadlines.str.contains(r"^(2024年\d{1,2}月底|长期坚持)$").all()
    assert not any("not read" in w for w in parsed.warnings)


def test_a_target_column_beside_the_task_is_part_of_its_text():
    first = parse("b_xincheng_2024_livelihood_table.docx").items.row(0, named=True)
    assert first["text"].startswith("新建公办幼儿园。新建公办幼儿园3所")
    assert [(t["value"], t["unit"]) for t in first["targets"]][:1] == [(3.0, "所")]


@pytest.mark.parametrize("name, first_ids, last_id", [
    ("c1_gaoxin_2024_work_points.docx", ["1.1.1", "1.1.2", "1.2.1"], "3.2.2"),  # 一、（一）1. restarting
    ("e_changan_2024_agriculture_points.txt", ["1.1", "1.2", "1.3", "2.1"], "4.3"),  # 一、（1） restarting
])
def test_numbers_that_restart_in_each_section_are_qualified_by_it(name, first_ids, last_id):
    numbers = parse(name).items["number"].to_list()
    assert numbers[: len(first_ids)] == first_ids and numbers[-1] == last_id


def test_items_numbered_in_brackets_are_items_without_the_bracket():
    items = parse("e_changan_2024_agriculture_points.txt").items
    assert items.row(2, named=True)["text"].startswith("抓好“菜篮子”产品供给"), "an item without a lead phrase too"
    assert not items["title"].str.starts_with("(").any()


@pytest.mark.parametrize("name", ["d_weiyang_2024_business_env_points.txt", "d2_weiyang_2024_business_env_points.pdf"])
def test_units_after_a_task_become_its_units_and_the_sign_off_is_no_task(name):
    items = parse(name).items
    first, last = items.row(0, named=True), items.row(-1, named=True)
    assert first["units"] == ["区行政审批局", "区市场监管局", "区税务局"]
    assert "牵头单位" not in first["text"]
    assert last["text"].endswith("权重不低于5%。"), "the closing exhortation, office and date are not item 15"


@pytest.mark.parametrize("name", ["f_lintong_2024_ten_livelihood.txt", "x5_livelihood_one_paragraph.txt"])
def test_a_list_numbered_one_two_three_is_a_list_of_items(name):
    items = parse(name).items
    assert items["title"].to_list()[:2] == ["新建改扩建学校", "提升医疗服务能力"]
    assert items.row(3, named=True)["units"] == ["区发改委", "区住建局"]


def test_first_second_third_clauses_of_a_work_report_are_one_task_each():
    items = parse("g_gaoling_2024_work_report.txt").items
    assert items["text"].to_list()[6:8] == ["改造老旧小区30个,惠及居民8000户", "新建公共停车位2000个、充电桩500个"]
    assert items.filter(items["text"].str.contains("地区生产总值增长6.8%")).height == 0, "the review is no task"


NUMERALS = "一二三四五六七八九十"
phrase = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), min_size=2, max_size=10)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(phrase, phrase), min_size=2, max_size=10), st.sampled_from(["\n", "", "\n\n"]))
def test_a_numbered_list_gives_one_item_per_number_on_lines_or_run_together(entries, joiner):
    body = joiner.join(f"{NUMERALS[i]}、{lead}。{detail}10个。（责任单位：区住建局）"
                       for i, (lead, detail) in enumerate(entries))
    meta = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="plan", file="t.txt")
    items = parse_text(f"某区2024年民生实事\n区政府确定办好以下实事：{body}\n", meta).items
    assert items["title"].to_list() == [lead for lead, _ in entries]
    assert items["units"].to_list() == [["区住建局"]] * len(entries)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.lists(phrase, max_size=2), min_size=1, max_size=3), min_size=1, max_size=4),
       st.sampled_from([" ", "、", "．", "  "]))
def test_outline_numbered_tasks_are_one_item_each_with_their_number(sections, mark):
    """1.1 / 1.2 / 1.2.1 / 2.1 lines under 一、 headings: every line is a task, none is lost.

    (2.1 新建公厕15座 was once read as the body of its heading and left out.)"""
    lines, expected = ["某区2024年重点工作任务"], []
    for s, tasks in enumerate(sections, start=1):
        lines.append(f"{NUMERALS[s - 1]}、第{s}部分")
        for t, children in enumerate(tasks, start=1):
            lines.append(f"{s}.{t}{mark}新建公园{s}{t}个。")
            expected.append((f"{s}.{t}", f"新建公园{s}{t}个。"))
            for c, child in enumerate(children, start=1):
                lines.append(f"{s}.{t}.{c}{mark}{child}。")
                expected.append((f"{s}.{t}.{c}", f"{child}。"))
    meta = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="plan", file="t.txt")
    parsed = parse_text("\n".join(lines) + "\n", meta)
    assert parsed.items.select("number", "text").rows() == expected
    assert parsed.warnings == []


def test_an_outline_number_out_of_turn_is_text_with_a_warning_and_half_bracket_tasks_are_kept_beside():
    text = ("一、惠民生\n2.1 新建公厕15座，改造提升公厕22座，\n1.5 万人次参加培训。\n2.3 完成老旧小区改造16个。\n"
            "二、强基础\n1）新建口袋公园10个。\n2）新建停车位500个。\n")
    meta = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="plan", file="t.txt")
    parsed = parse_text(text, meta)
    assert parsed.items.select("number", "text").rows() == [
        ("2.1", "新建公厕15座,改造提升公厕22座,1.5万人次参加培训。2.3完成老旧小区改造16个。"),
        ("1", "新建口袋公园10个。"), ("2", "新建停车位500个。"),  # once left out: the document had numbered tasks
    ]
    assert [w.split(": ", 1)[1][:17] for w in parsed.warnings] == ["编号 1.5 不接续上一条 2.1", "编号 2.3 不接续上一条 2.1"]


def test_half_bracket_numbers_are_tasks():
    text = "一、稳增长\n1）全区生产总值增长6%以上。\n2）新建口袋公园10个。\n二、惠民生\n3）新建公厕15座。\n"
    meta = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="plan", file="t.txt")
    items = parse_text(text, meta).items
    assert items.select("number", "text").rows() == [("1", "全区生产总值增长6%以上。"), ("2", "新建口袋公园10个。"),
                                                     ("3", "新建公厕15座。")]


def test_a_section_with_no_numbered_task_is_an_item_of_its_own_numbered_by_its_heading():
    """Its text was once the body of a heading and left out whenever the plan had numbered tasks."""
    text = ("某区2024年工作要点\n一、稳增长\n1.全区生产总值增长6%以上。\n2.新建口袋公园10个。\n"
            "二、惠民生\n（一）办好民生实事。新建公厕15座，\n改造老旧小区16个。\n（二）兜牢底线\n3.发放救助金2000万元。\n"
            "三、加强自身建设\n全面从严治党，持续改进作风。\n"
            "四、工作要求\n各部门要细化措施，确保按时完成。\n")
    meta = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="plan", file="t.txt")
    items = parse_text(text, meta).items
    assert items.select("number", "section_path", "text").rows() == [
        ("1", ["一、稳增长"], "全区生产总值增长6%以上。"),
        ("2", ["一、稳增长"], "新建口袋公园10个。"),
        ("二(一)", ["二、惠民生"], "办好民生实事。新建公厕15座,改造老旧小区16个。"),
        ("3", ["二、惠民生", "(二)兜牢底线"], "发放救助金2000万元。"),
        ("三", [], "加强自身建设。全面从严治党,持续改进作风。"),
    ]  # 四、工作要求 frames the tasks: not an item
    assert items.filter(pl.col("number") == "二(一)")["targets"].item()[0]["value"] == 15


def test_headings_that_state_a_quantity_are_items_beside_numbered_tasks():
    """（二）改造老旧小区80个 has no sentence after it, but commits to 80 of something."""
    text = ("一、稳增长\n（一）扩大有效投资\n1.全年完成固定资产投资500亿元。\n2.新开工重点项目30个。\n"
            "（二）促进消费增长，社会消费品零售总额增长8%。\n二、惠民生\n（一）新建幼儿园5所，新增学位1500个。\n"
            "（二）改造老旧小区80个。\n三、改造背街小巷20条。\n")
    meta = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="plan", file="t.txt")
    items = parse_text(text, meta).items
    assert items["number"].to_list() == ["1", "2", "一(二)", "二(一)", "二(二)", "三"]
    assert items["text"].to_list()[-1] == "改造背街小巷20条。"
    only_headings = parse_text("二、惠民生\n（一）新建幼儿园5所，新增学位1500个。\n（二）改造老旧小区80个。\n", meta).items
    assert only_headings["text"].to_list() == ["新建幼儿园5所,新增学位1500个。", "改造老旧小区80个。"]


def test_numbered_lines_above_or_below_a_task_table_are_named_in_a_warning():
    """Only the table's rows are tasks; a list in the intro or after the table is said to be left out."""
    table = "序号\t主要任务\t责任单位\n1\t新建公园3个\t区林业局\n2\t改造道路10条\t区住建局\n"
    meta = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="task_table",
                        file="t.txt")
    above = parse_text("某区2024年重点任务\n1.全年完成固定资产投资500亿元。\n" + table, meta)
    below = parse_text("某区2024年重点任务\n" + table + "3.新建学校2所。\n", meta)
    for parsed, line in ((above, 2), (below, 5)):
        assert parsed.items["text"].to_list() == ["新建公园3个", "改造道路10条"]
        assert [w.split(": ", 1)[0] for w in parsed.warnings] == [f"<text>, line {line}"]
        assert "表格外的编号行未读取" in parsed.warnings[0]


OUTLINE = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="plan", file="t.txt")
TABLE = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="task_table",
                     file="t.txt")


@pytest.mark.parametrize("furniture", ["— 5 —", "- 6 -", "第 7 页 共 12 页", "3/12", "某县人民政府"])
def test_page_furniture_between_two_halves_of_a_sentence_is_dropped(furniture):
    """A page number or running header printed inside a task: it went into the text (—5—100亿元 read as a
    range from 5 to 100亿元), or, as a sign-off, ended the item and lost the rest of its sentence."""
    text = f"某县2024年工作要点\n一、产业发展\n1.做强特色产业。产业综合产值突破\n{furniture}\n100亿元。\n2.发展旅游。\n"
    items = parse_text(text, OUTLINE).items
    assert items["text"].to_list() == ["做强特色产业。产业综合产值突破100亿元。", "发展旅游。"]
    assert [(t["value"], t["upper"]) for t in items["targets"][0]] == [(1e10, None)]


def test_a_sign_off_after_the_last_task_still_ends_it():
    text = "某县2024年工作要点\n1.新建学校3所。\n2.改造道路10条\n某县人民政府办公室    2024年2月1日印发\n"
    assert parse_text(text, OUTLINE).items["text"].to_list() == ["新建学校3所。", "改造道路10条"]
    signed = "某县2024年工作要点\n1.新建学校3所。\n某县人民政府\n2024年2月1日\n抄送：县委办。\n"
    assert parse_text(signed, OUTLINE).items["text"].to_list() == ["新建学校3所。"]


def test_a_task_cell_wrapped_onto_a_line_without_tabs_goes_on_in_its_row():
    """The wrapped half (惠及居民8000户) was dropped without a word."""
    text = ("序号\t重点任务\t牵头单位\n1\t实施城市更新项目12个，完成投资35亿元，\t区住建局\n惠及居民8000户。\n"
            "2\t新增城镇就业1.2万人。\t区人社局\n")
    items = parse_text(text, TABLE).items
    assert items["text"].to_list() == ["实施城市更新项目12个,完成投资35亿元,惠及居民8000户。", "新增城镇就业1.2万人。"]
    assert [t["value"] for t in items["targets"][0]][-1] == 8000


CITY = DocumentMeta(id="c", title="t", jurisdiction="某市", level="city", year=2025, kind="livelihood_plan", file="c.txt")
CITY_ITEMS = "某市2025年为民办实事实施方案\n一、老旧小区改造。全市改造老旧小区300个。\n二、充电设施建设。全市新建充电桩2000个。\n"


def test_a_table_inside_an_attachment_of_a_numbered_plan_is_part_of_that_attachment():
    """A 附件's task split by district made the whole plan a table: its two items were dropped with a
    warning and the table's rows (秦都区 5) became items 1 and 2."""
    text = ("某市2024年为民实事实施方案\n1.新建公办幼儿园。新建公办幼儿园20所。\n2.改造老旧小区。改造老旧小区120个。\n"
            "附件1\n新建公办幼儿园实施方案\n一、任务分解\n序号\t区县\t任务数（所）\n1\t秦都区\t5\n2\t渭城区\t4\n")
    items = parse_text(text, CITY).items
    assert items["text"].to_list() == ["新建公办幼儿园。新建公办幼儿园20所。", "改造老旧小区。改造老旧小区120个。"]
    assert items["attachment"][0][0]["heading"] == "任务分解"
    # its rows are the quotas by district the table gives (a table by district gave none)
    assert [(q["jurisdiction"], q["value"], q["unit"], q["raw"]) for q in items["quotas"][0]] == [
        ("秦都区", 5.0, "所", "新建公办幼儿园：秦都区5所"), ("渭城区", 4.0, "所", "新建公办幼儿园：渭城区4所")]
    notice = "关于印发重点任务分解表的通知\n附件\n序号\t重点任务\t牵头单位\n1\t新建公园3个\t区林业局\n"
    assert parse_text(notice, TABLE).items["text"].to_list() == ["新建公园3个"], "a notice whose attachment is the table"


@pytest.mark.parametrize(
    "first, second",
    [
        ("附件1：老旧小区改造实施方案\n全市改造老旧小区300个，其中莲湖区40个。", "附件2：充电设施建设实施方案\n其中莲湖区200个。"),
        ("附件一\n老旧小区改造实施方案\n其中莲湖区40个。", "附件二\n充电设施建设实施方案\n其中莲湖区200个。"),
        ("附件1\n老旧小区改造任务分配：莲湖区40个。", "附件2\n充电桩任务分配：莲湖区200个。"),  # one line each
    ],
)
def test_each_attachment_gives_its_own_item_its_quotas_however_it_is_headed(first, second):
    """附件1：标题 and 附件一 were not read as attachments: both were pasted into the last item, with all
    four quotas; a one-line attachment's quotas were lost."""
    items = parse_text(f"{CITY_ITEMS}{first}\n{second}\n", CITY).items
    assert items["text"].to_list() == ["老旧小区改造。全市改造老旧小区300个。", "充电设施建设。全市新建充电桩2000个。"]
    assert [[(q["jurisdiction"], q["value"]) for q in quotas] for quotas in items["quotas"]] == [
        [("莲湖区", 40.0)], [("莲湖区", 200.0)]
    ]


SOME_ITEMS = ("1.幼儿园建设。新建公办幼儿园2所。\n2.中小学建设。新建中小学3所。\n3.老旧小区改造。改造城镇老旧小区10个。\n"
              "4.充电设施建设。新建充电桩500个。\n")


def test_attachments_numbered_in_their_own_order_go_to_the_item_their_title_names():
    """A plan attaching two of its four items numbers them 附件1–2: the number alone hung 老旧小区改造's
    quotas on 幼儿园建设 and 充电设施's index units on 中小学建设."""
    text = (SOME_ITEMS + "附件：1.老旧小区改造实施方案（市住建局）\n2.充电设施建设实施方案（市发改委）\n"
            "附件1\n城镇老旧小区改造实施方案\n其中，汉滨区4个、旬阳市6个。\n附件2\n充电设施建设工作方案\n其中，汉滨区300个。\n")
    parsed = parse_text(text, CITY)
    items = parsed.items
    assert [[(q["jurisdiction"], q["value"]) for q in quotas] for quotas in items["quotas"]] == [
        [], [], [("汉滨区", 4.0), ("旬阳市", 6.0)], [("汉滨区", 300.0)]]
    assert items["units"].to_list() == [[], [], ["市住建局"], ["市发改委"]]
    assert not parsed.warnings


def test_an_item_keeps_the_attachment_of_its_number_and_a_title_naming_no_item_says_nothing():
    """附件3 details item 3 whatever else is attached; 附件1's title names no item (监督考核办法), and a
    quota table's generic title (各县区目标任务分配表) none either: each stays with its number, unwarned (a
    warning on every 附件 of a plan whose tables are all so titled said nothing a planner could act on)."""
    text = SOME_ITEMS + "附件1\n监督考核办法\n其中，汉滨区1所。\n附件3\n老旧小区改造实施方案\n其中，汉滨区4个。\n"
    parsed = parse_text(text, CITY)
    assert [[q["value"] for q in quotas] for quotas in parsed.items["quotas"]] == [[1.0], [], [4.0], []]
    generic = parse_text(SOME_ITEMS + "".join(f"附件{n}\n各县区目标任务分配表\n其中，汉滨区{n}个。\n" for n in range(1, 5)), CITY)
    assert [[q["value"] for q in quotas] for quotas in generic.items["quotas"]] == [[1.0], [2.0], [3.0], [4.0]]
    assert not parsed.warnings and not generic.warnings


@pytest.mark.parametrize(
    ("attached", "expected"),
    [  # each title names another item; moving one frees the number another names
        ("附件1\n中小学建设实施方案\n其中，汉滨区2所。\n附件2\n充电设施建设工作方案\n其中，汉滨区300个。\n",
         [[], [2.0], [], [300.0]]),  # 汉滨区2所 was hung on 幼儿园建设, silently
        ("附件1\n老旧小区改造实施方案\n其中，汉滨区4个。\n附件2\n幼儿园建设实施方案\n其中，汉滨区1所。\n",
         [[1.0], [], [4.0], []]),  # the 幼儿园 quota was filed under 中小学建设
    ],
)
def test_attachments_whose_titles_name_each_others_numbers_all_go_where_their_titles_say(attached, expected):
    parsed = parse_text(SOME_ITEMS + attached, CITY)
    assert [[q["value"] for q in quotas] for quotas in parsed.items["quotas"]] == expected
    assert not parsed.warnings


def test_an_attachment_goes_to_the_item_its_dated_title_or_the_items_text_names():
    """A plan attaching three of its four items as 附件1–3: 2025年中小学建设任务分解表 (the year kept the title
    from naming 中小学建设) and 公共充电桩建设任务分解表 (named in item 4's text, not its heading 充电设施建设)
    stayed with items 1 and 3, hanging the charging piles' quotas on 老旧小区改造, silently."""
    text = (SOME_ITEMS.replace("新建充电桩500个", "新建公共充电桩500个") + "附件1\n2025年中小学建设任务分解表\n其中，汉滨区2所。\n"
            "附件2\n2024—2025年老旧小区改造实施方案\n其中，汉滨区4个。\n附件3\n公共充电桩建设任务分解表\n其中，汉滨区300个。\n")
    parsed = parse_text(text, CITY)
    assert [[q["value"] for q in quotas] for quotas in parsed.items["quotas"]] == [[], [2.0], [4.0], [300.0]]
    assert not parsed.warnings


def test_an_attachment_stays_with_its_item_when_another_item_only_mentions_its_title():
    """附件3 老旧小区综合整治实施方案 went to item 4, whose text says 结合老旧小区综合整治 in passing, though item 3
    (城镇老旧小区改造) is what it details."""
    text = ("1.幼儿园建设。新建公办幼儿园2所。\n2.中小学建设。新建中小学3所。\n3.城镇老旧小区改造。改造老旧小区10个。\n"
            "4.充电设施建设。结合老旧小区综合整治，新建充电桩500个。\n附件3\n老旧小区综合整治实施方案\n其中，汉滨区4个、旬阳市6个。\n")
    parsed = parse_text(text, CITY)
    assert [[q["value"] for q in quotas] for quotas in parsed.items["quotas"]] == [[], [], [4.0, 6.0], []]
    assert not parsed.warnings


def test_a_table_by_city_and_county_gives_the_counties_quotas_and_a_project_list_gives_none():
    """序号 | 市 | 县（区） | 任务数: the city column was taken for the places (西安市2所 for two counties); a list of
    projects with the district each is in (所在区县) is no district's quota."""
    by_county = (SOME_ITEMS + "附件2\n中小学建设任务分解表\n序号\t市\t县（区）\t任务数（所）\n1\t西安市\t周至县\t2\n"
                 "2\t西安市\t蓝田县\t2\n3\t咸阳市\t礼泉县\t1\n")
    assert [(q["jurisdiction"], q["value"]) for q in parse_text(by_county, CITY).items["quotas"][1]] == [
        ("周至县", 2.0), ("蓝田县", 2.0), ("礼泉县", 1.0)]
    county_first = by_county.replace("序号\t市\t县（区）", "序号\t区县\t市").replace("\t西安市\t周至县", "\t周至县\t西安市") \
        .replace("\t西安市\t蓝田县", "\t蓝田县\t西安市").replace("\t咸阳市\t礼泉县", "\t礼泉县\t咸阳市")
    assert [(q["jurisdiction"], q["value"]) for q in parse_text(county_first, CITY).items["quotas"][1]] == [
        ("周至县", 2.0), ("蓝田县", 2.0), ("礼泉县", 1.0)], "the county's column, wherever it stands"
    projects = (SOME_ITEMS + "附件2\n中小学建设项目表\n序号\t项目名称\t所在区县\t建设规模（所）\n1\t甲小学\t新城区\t1\n"
                "2\t乙小学\t新城区\t1\n3\t丙中学\t碑林区\t1\n")
    assert parse_text(projects, CITY).items["quotas"][1].to_list() == []
    # … nor one with a plain 区 column beside the projects' names (two 1-school rows of 汉滨区 read as its quota 1所)
    named = (SOME_ITEMS + "附件2\n中小学建设项目表\n序号\t项目名称\t区\t建设规模（所）\n1\t甲小学\t汉滨区\t1\n"
             "2\t乙小学\t汉滨区\t1\n")
    assert parse_text(named, CITY).items["quotas"][1].to_list() == []
    # … nor after a table of quotas, whose columns it was read by (项目名称汉滨区1 and 旬阳市1所 added; a code review)
    after_quotas = (SOME_ITEMS + "附件2\n中小学建设任务分解表\n一、任务分配\n序号\t区\t任务数（所）\n1\t汉滨区\t2\n2\t旬阳市\t1\n"
                    "二、项目清单\n序号\t区\t建设规模（所）\t项目名称\n1\t汉滨区\t1\t甲小学\n2\t旬阳市\t1\t乙中学\n")
    assert [(q["jurisdiction"], q["value"]) for q in parse_text(after_quotas, CITY).items["quotas"][1]] == [
        ("汉滨区", 2.0), ("旬阳市", 1.0)]


@pytest.mark.parametrize("header", ["区", "县（市、区）", "县区名称", "区名", "县（市）区"])  # 县（市）区: Anhui's (a probe)
def test_a_district_table_gives_its_quotas_whatever_its_place_column_is_called(header):
    """序号 | 区 | 任务数（所）: a place column headed 区 (or 区名) was not known, and the table's quotas were
    lost without a word; a row's place is its named district where the header names none."""
    text = (SOME_ITEMS + f"附件2\n中小学建设任务分解表\n序号\t{header}\t任务数（所）\n1\t江宁区\t5\n2\t浦口区\t3\n"
            "3\t合计\t8\n")
    quotas = parse_text(text, CITY).items["quotas"][1]
    assert [(q["jurisdiction"], q["value"], q["unit"]) for q in quotas] == [("江宁区", 5.0, "所"), ("浦口区", 3.0, "所")]


def test_an_attachment_whose_title_names_an_item_that_keeps_its_own_stays_and_is_named():
    """附件2's title names item 1, which has its own 附件1: 附件2 stays with item 2, and the planner is told."""
    text = SOME_ITEMS + "附件1\n幼儿园建设实施方案\n其中，汉滨区1所。\n附件2\n幼儿园建设工作方案\n其中，汉滨区2所。\n"
    parsed = parse_text(text, CITY)
    assert [[q["value"] for q in quotas] for quotas in parsed.items["quotas"]] == [[1.0], [2.0], [], []]
    assert any("附件 2 的标题像是另一条目的" in warning for warning in parsed.warnings)


@pytest.mark.parametrize(
    "foot",
    ["合计\t3项\t\n", "备注：时限均为年底前\t\t\n",
     "附：主要预期指标\n指标\t目标\t\n地区生产总值增长\t6%\t\n"],  # a second table after the task table
)
def test_a_total_a_note_or_a_second_table_after_the_task_table_is_named_not_refused(foot):
    """Each refused the whole file: 'the number column holds 合计, not a task number'."""
    text = "序号\t重点任务\t牵头单位\n1\t新建公园3个\t区林业局\n2\t改造道路10条\t区住建局\n" + foot
    parsed = parse_text(text, TABLE)
    assert parsed.items["text"].to_list() == ["新建公园3个", "改造道路10条"]
    said = "任务表之后的行未读取" if foot.startswith("附") else "合计、说明等行未读取"  # (a 小计 between sections: a probe)
    assert any(said in warning for warning in parsed.warnings)


def test_a_row_whose_number_is_not_a_number_inside_the_table_is_still_refused():
    text = "序号\t重点任务\t牵头单位\n1\t新建公园3个\t区林业局\n二O\t改造道路10条\t区住建局\n3\t新建学校2所\t区教育局\n"
    with pytest.raises(DocumentParseError, match="not a task number"):
        parse_text(text, TABLE)


@pytest.mark.parametrize("next_number", ["2", "4"])
def test_an_items_own_numbered_list_stays_in_it(next_number):
    """1.…重点做好：1.改造老旧小区42个；2.加装电梯100部。 was cut at ；2.: the file was refused (number 2
    twice), or, where the numbers did not collide, the item lost its list to two items of its own."""
    text = (f"某区2024年工作要点\n一、城市更新\n1.实施老旧小区改造。重点做好：1.改造老旧小区42个；2.加装电梯100部。\n"
            f"{next_number}.加快道路建设。打通断头路6条。\n")
    items = parse_text(text, OUTLINE).items
    assert items["number"].to_list() == ["1", next_number]
    assert [t["indicator"] for t in items["targets"][0]] == ["改造老旧小区", "加装电梯"]  # not 1.改造老旧小区
    run_on = parse_text("某区十件实事\n1.新建学校3所；2.改造道路10条；3.新建公园2个。\n", OUTLINE).items
    assert run_on["number"].to_list() == ["1", "2", "3"], "a list run together on one line is still one item each"


def test_a_deadline_written_beside_a_tasks_units_is_its_deadline_and_no_unit():
    """完成时限 beside the units was dropped with them, read as a unit (完成时限:12月底前), or kept the
    units in the text when written after them without brackets."""
    text = ("某区2024年工作要点\n1.网上可办率达到98%。（牵头单位：区行政审批局；完成时限：2024年6月底前）\n"
            "2.新增市场主体1.5万户。（责任单位：区市场监管局，完成时限：12月底前）\n"
            "3.建成人才公寓2000套。责任单位：区住建局；完成时限：2024年第三季度\n")
    items = parse_text(text, OUTLINE).items
    assert items.select("text", "units", "deadline").rows() == [
        ("网上可办率达到98%。", ["区行政审批局"], "2024年6月底前"),
        ("新增市场主体1.5万户。", ["区市场监管局"], "12月底前"),
        ("建成人才公寓2000套。", ["区住建局"], "2024年第三季度"),
    ]


def test_a_plan_with_every_character_spaced_apart_gives_its_heading_and_targets():
    text = "高 陵 区 2 0 2 4 年 工 作 要 点\n一 、 扩 大 有 效 投 资\n1 . 实 施 重 点 项 目 1 2 0 个 。\n"
    assert document_heading(text) == ("高陵区2024年工作要点", 2024), "add could not read its year"
    assert [t["value"] for t in parse_text(text, OUTLINE).items["targets"][0]] == [120.0]


def test_what_follows_a_tasks_units_stays_its_text_unless_it_is_a_deadline():
    """A 工作目标：… after the units was cut from the text with its targets; text after the units ；-separated
    became a unit."""
    text = ("某区2024年工作要点\n1.改造老旧小区。责任单位：区住建局；工作目标：改造老旧小区42个，惠及居民1200户。\n"
            "2.新建学校。牵头单位：区教育局；配合单位：各街道；加装电梯100部。\n")
    items = parse_text(text, OUTLINE).items
    assert [t["value"] for t in items["targets"][0]] == [42.0, 1200.0]
    assert "加装电梯100部" in items["text"][1] and "加装电梯100部" not in items["units"][1]


def test_a_notices_numbered_requirements_leave_its_attached_task_table_the_plan():
    """1. 2. requirements of a covering notice, then 附件1 and the task table: the table was read as the attachment
    of requirement 1 and its tasks lost."""
    text = ("各街道办事处，区政府各工作部门：\n1.提高思想认识。各单位要高度重视。\n2.强化督查考核。区督查办定期通报。\n"
            "附件1\n某区2024年重点任务分解表\n序号\t重点任务\t牵头单位\t完成时限\n1\t新建学校3所\t区教育局\t年底前\n"
            "2\t改造道路10条\t区住建局\t年底前\n")
    items = parse_text(text, TABLE).items
    assert items.select("text", "units").rows() == [("新建学校3所", ["区教育局"]), ("改造道路10条", ["区住建局"])]


def test_a_line_inside_a_table_then_a_bad_number_is_still_an_error_not_the_end_of_the_table():
    """续表 and then 3★ dropped every later row as 'after the task table' (it was, and is, an error)."""
    text = "序号\t重点任务\t牵头单位\n1\t新建公园3个\t区林业局\n续表\n3★\t新建学校3所\t区教育局\n4\t修路2条\t区住建局\n"
    with pytest.raises(DocumentParseError, match="not a task number"):
        parse_text(text, TABLE)


def test_a_sign_off_after_a_last_task_without_a_full_stop_ends_it():
    """The office line was taken for a running header: （此件公开发布） and 抄送 joined the last task."""
    for tail in ("某县人民政府办公室\n（此件公开发布）\n", "某县人民政府办公室 2024年3月5日印发\n抄送：县委办，县人大办。\n"):
        text = "某县2024年工作要点\n1.新建学校3所。\n2.新建学校。新建学校3所，幼儿园2所\n" + tail
        assert parse_text(text, OUTLINE).items["text"].to_list()[-1] == "新建学校。新建学校3所,幼儿园2所"


def test_a_district_tables_quota_is_its_first_count_and_a_task_cells_wrap_takes_no_sign_off():
    text = (CITY_ITEMS + "附件1\n老旧小区改造实施方案\n序号\t区县\t任务数（个）\t其中：新建（个）\t2023年已完成（个）\n"
            "1\t秦都区\t5\t3\t6\n")
    assert [(q["jurisdiction"], q["value"]) for q in parse_text(text, CITY).items["quotas"][0]] == [("秦都区", 5.0)]
    table = ("序号\t重点任务\t牵头单位\n1\t实施重点项目120个，\t区发改委\n某区人民政府办公室\n"
             "2\t新建学校3所、\t区教育局\n注：本表任务完成情况按季度报送\n")
    assert parse_text(table, TABLE).items["text"].to_list() == ["实施重点项目120个,", "新建学校3所、"]


def test_a_district_tables_count_in_a_measure_word_of_its_own_is_a_second_quota_of_what_it_names():
    """区 | 公共充电桩（个） | 超充站（座）: only the first count was read, so 洪山区's 10 超充站 were lost, also from the
    item's text (a tester's 武汉 plan); a later column in the first one's measure word still splits it up."""
    text = ("1.充电设施建设。新建公共充电桩8000个、超充站50座。\n2.公园建设。新建口袋公园30个、绿道100公里。\n"
            "附件1\n充电设施建设任务分解表\n序号\t区\t公共充电桩（个）\t超充站（座）\t其中：新建（座）\n"
            "1\t洪山区\t1200\t10\t4\n2\t江岸区\t800\t6\t2\n"
            "附件2\n公园建设任务分解表\n序号\t区\t口袋公园（个）\t绿道（公里）\t2024年已完成（公里）\n1\t洪山区\t10\t8\t5\n")
    quotas = parse_text(text, CITY).items["quotas"]
    assert [(q["jurisdiction"], q["value"], q["unit"]) for q in quotas[0]] == [
        ("洪山区", 1200.0, "个"), ("洪山区", 10.0, "座"), ("江岸区", 800.0, "个"), ("江岸区", 6.0, "座")]
    assert [q["raw"] for q in quotas[1]] == ["新建口袋公园：洪山区10个", "绿道：洪山区8公里"]
    # named by its own column where the city item counts no such thing (labelled 新建公共充电桩：洪山区10座; a probe)
    alone = text.replace("、超充站50座", "")
    assert [q["raw"] for q in parse_text(alone, CITY).items["quotas"][0]][:2] == ["新建公共充电桩：洪山区1200个", "超充站：洪山区10座"]
    # a share, a sum of money, an area or a total beside the count is none (each read as a quota; a review)
    sizes = ("1.学校建设。新建学校10所，新增学位9000个，完成投资3亿元。\n附件1\n学校建设任务分解表\n"
             "序号\t区\t新建学校（所）\t占比（%）\t投资（万元）\t面积（平方米）\t总数（个）\n1\t洪山区\t3\t30\t9000\t12000\t4\n")
    assert [(q["value"], q["unit"]) for q in parse_text(sizes, CITY).items["quotas"][0]] == [(3.0, "所")]


def test_a_table_with_a_column_per_district_gives_each_district_its_quota_from_each_row():
    """项目 | 单位 | 新城区 | 碑林区 | 灞桥区 | 合计: read down the 区县 column only, it gave no quota at all."""
    with_unit_column = ("序号\t项目\t单位\t新城区\t碑林区\t灞桥区\t合计\n1\t新建充电桩\t个\t200\t150\t200\t550\n"
                        "2\t口袋公园（个）\t\t3\t\t4\t7\n3\t备注\t\t—\t—\t—\t\n4\t合计\t个\t203\t150\t204\t\n")
    unit_in_label = "项目\t新城区\t兴平市\n充电桩（个）\t200\t150\n说明\t以下为参考\n往年\t50\t60\n"
    # (filed under 附件1's item 1, a row of 充电桩 gives item 2's quotas: that item names it, item 1 does not)
    for table, expected in ((with_unit_column, [[("新城区", 3.0), ("灞桥区", 4.0)],
                                                [("新城区", 200.0), ("碑林区", 150.0), ("灞桥区", 200.0)]]),
                            (unit_in_label, [[], [("新城区", 200.0), ("兴平市", 150.0)]])):
        items = parse_text(CITY_ITEMS + "附件1\n任务分配表\n" + table, CITY).items
        assert [[(q["jurisdiction"], q["value"]) for q in quotas] for quotas in items["quotas"]] == expected, \
            "no 合计, nor a later table"
    # each quota says what its row counts (a review found every row labelled with the item's own total)
    items = parse_text(CITY_ITEMS + "附件1\n任务分配表\n" + with_unit_column, CITY).items
    assert [[q["raw"] for q in quotas] for quotas in items["quotas"]] == [
        ["口袋公园：新城区3个", "口袋公园：灞桥区4个"], ["新建充电桩：新城区200个", "新建充电桩：碑林区150个", "新建充电桩：灞桥区200个"]]


def test_a_city_ending_in_cheng_shi_is_a_row_or_a_column_of_a_table_by_district():
    """韩城市's row and column were refused as a kind of city: its quota was lost, and the next row's read
    "韩城市：富平县6个" (weinan-2024:2, a tester's document)."""
    by_row = "区县\t小区数（个）\n华阴市\t5\n韩城市\t7\n富平县\t6\n"
    by_column = "项目\t华阴市\t韩城市\t富平县\n老旧小区（个）\t5\t7\t6\n"
    for table in (by_row, by_column):
        quotas = parse_text(CITY_ITEMS + "附件1\n任务分配表\n" + table, CITY).items["quotas"][0]
        assert [(q["jurisdiction"], q["value"]) for q in quotas] == [("华阴市", 5.0), ("韩城市", 7.0), ("富平县", 6.0)]
        assert not any("韩城市" in q["raw"] for q in quotas if q["jurisdiction"] != "韩城市")


def test_a_target_column_beside_a_measures_column_is_the_one_read_and_a_bare_number_takes_the_tasks_name():
    text = ("序号\t重点任务\t工作措施\t年度目标\t量化指标\t牵头单位\n"
            "1\t改造老旧小区\t加强统筹\t完成改造42个小区\t\t区住建局\n")
    assert [t["value"] for t in parse_text(text, TABLE).items["targets"][0]] == [42.0]
    bare = "序号\t重点任务\t量化指标\t牵头单位\n1\t改造老旧小区\t42个\t区住建局\n2\t推进营商环境改革\t—\t区发改委\n"
    items = parse_text(bare, TABLE).items
    assert items["text"].to_list() == ["改造老旧小区42个", "推进营商环境改革"]
    assert [t["indicator"] for t in items["targets"][0]] == ["改造老旧小区"]


def test_a_section_named_in_the_number_cell_of_a_tab_separated_row_opens_a_section():
    """一、经济发展 pasted from a merged row into the 序号 cell refused the whole file."""
    text = "序号\t重点任务\t牵头单位\n一、经济发展\t\t\n1\t地区生产总值增长6%左右。\t区发改委\n"
    items = parse_text(text, TABLE).items
    assert items.select("number", "section_path").rows() == [("1", ["经济发展"])]


def test_a_row_numbered_in_chinese_with_its_unit_and_deadline_is_a_task_not_a_section():
    """五 | 治理黑臭水体5条 | 区水务局 | 2024年底前 among rows numbered 1 2 3. (4) opened a section and the task
    was lost without a warning; a table numbered 一 二 三 四 throughout was refused as having no table (a
    tester's 鄠邑区 and 周至县 tables). A heading spans its row: 一 | 稳增长促发展 fills nothing else."""
    header = "序号\t主要任务\t责任单位\t完成时限\n"
    mixed = (header + "１\t新建充电桩200个\t区住建局\t2024年底前\n２\t改造老旧小区30个\t区住建局\t2024年底前\n3.\t新增学位2000个\t区教育局\t2024年底前\n"
             "（4）\t建设社区食堂10个\t区民政局\t2024年底前\n五\t治理黑臭水体5条\t区水务局\t2024年底前\n"
             "6\t新增绿地100亩\t区林业局\t2024年底前\n")
    items = parse_text(mixed, TABLE).items
    assert items["number"].to_list() == ["1", "2", "3", "4", "5", "6"]
    fifth = items.row(4, named=True)
    assert (fifth["text"], fifth["units"], fifth["deadline"]) == ("治理黑臭水体5条", ["区水务局"], "2024年底前")
    assert items["section_path"].to_list() == [[]] * 6
    chinese = header + "".join(f"{n}\t新建公园{i}个\t区林业局\t2024年底前\n" for i, n in enumerate("一二三四", start=1))
    assert parse_text(chinese, TABLE).items["number"].to_list() == ["1", "2", "3", "4"]
    sections = header + "一\t经济发展\t\t\n1\t新建公园3个\t区林业局\t2024年底前\n（二）\t民生保障\t（1项）\t\n" \
        "2\t新建学校2所\t区教育局\t2024年底前\n"
    assert parse_text(sections, TABLE).items.select("number", "section_path").rows() == [
        ("1", ["经济发展"]), ("2", ["民生保障"])]
    # a heading that names its lead unit is still a heading: the tasks under it start again at 1, or go
    # on from the last task's number (read as tasks, the numbers repeated and the plan was refused)
    for tasks in (("1", "1"), ("1", "2")):
        led = header + f"一\t稳增长促发展\t区发改委\t\n{tasks[0]}\t新建学校3所\t区教育局\t2024年底前\n" \
            f"二\t民生保障\t区民政局\t\n{tasks[1]}\t新建养老院2所\t区民政局\t2024年底前\n"
        assert parse_text(led, TABLE).items["section_path"].to_list() == [["稳增长促发展"], ["民生保障"]]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.booleans(), phrase), min_size=1, max_size=12),
       st.sampled_from(["{}", "{}、", "（{}）", "{}."]))
def test_any_row_numbered_in_chinese_that_fills_a_unit_and_a_deadline_is_an_item(rows, mark):
    """Rows numbered 一 二 三 … with a unit and a deadline are one item each, whatever heading rows
    (a numeral and a name, nothing else) come between them: each opens the section of those below."""
    lines, expected, section, sections = ["序号\t主要任务\t责任单位\t完成时限"], [], [], 0
    for heading, name in rows:
        if heading:
            sections += 1
            lines.append(f"{mark.format(NUMERALS[sections - 1] if sections <= 10 else '十')}\t{name}\t\t")
            section = [name]
            continue
        number = len(expected) + 1
        numeral = NUMERALS[number - 1] if number <= 10 else f"十{NUMERALS[number - 11]}"
        lines.append(f"{mark.format(numeral)}\t新建{name}{number}个\t区住建局\t2024年底前")
        expected.append((str(number), f"新建{name}{number}个", section))
    assume(expected)
    items = parse_text("\n".join(lines) + "\n", TABLE).items
    assert items.select("number", "text", "section_path").rows() == expected
    assert items["units"].to_list() == [["区住建局"]] * len(expected)


@pytest.mark.parametrize("name", ["x2_units_merged_vertically.xlsx", "x6_two_row_header.xlsx"])
def test_every_task_of_a_spreadsheet_has_its_units(name):
    """A 牵头单位 merged down over several tasks, or named in a second header row under 责任分工."""
    assert parse(name).items.filter(pl.col("units").list.len() == 0).height == 0


# The truth for yanta 2023 → 2024, written with the 2023 file: (old number, new number, relation).
YANTA_TRUTH = [
    ("1", "1", "lowered"), ("2", "2", "continued"), ("3", "3", "raised"), ("4", "4", "lowered"),
    ("5", "5", "continued"), ("6", "6", "raised"), ("7", "7", "raised"), ("8", "8", "raised"),
    ("10", "11", "raised"), ("12", "14", "raised"), ("13", "15", "raised"), ("14", "18", "lowered"),
    ("15", None, "dropped"), ("16", "21", "raised"), ("17", "22", "continued"), ("18", "23", "continued"),
]


def test_two_years_of_an_unseen_district_evolve_as_written(data_copy, tmp_path, capsys):
    """Carried, raised, lowered and dropped tasks of a district the matcher has never seen.

    Left out: 2023 task 9 (打通断头路4条 → 2024 task 9, which now also holds 道路微改造, shown as
    merged) and task 11 (小寨片区棚户区改造, dropped, but proposed as merged into 9 through the
    place name 小寨, 改造 and the same 区住建局: a weak best candidate the README describes).
    """
    data = str(data_copy.data_dir)
    for name, doc_id, year in [("yanta_2023_task_decomposition.txt", "yanta-2023", "2023"),
                               ("a1_yanta_2024_task_decomposition.txt", "yanta-2024", "2024")]:
        assert main(["add", str(UNSEEN / name), "--id", doc_id, "--jurisdiction", "雁塔区", "--level", "district",
                     "--year", year, "--parent", "西安市", "--data", data]) == 0
    out = tmp_path / "evolution.csv"
    assert main(["evolve", "yanta-2023", "yanta-2024", "--out", str(out), "--data", data]) == 0
    table = pl.read_csv(out)
    found = {(o.split(":")[1], n.split(":")[1] if n else None, r.split()[-1])  # 延续 continued → continued
             for o, n, r in table.select("上期条目", "本期条目", "变化").iter_rows() if o}  # the CSV's Chinese headers
    assert set(YANTA_TRUTH) <= found
    new_items = set(table.filter(pl.col("变化") == "新增 new")["本期条目"].to_list())
    assert {f"yanta-2024:{n}" for n in ("10", "12", "13", "16", "17", "19", "20", "24")} == new_items


def test_a_plan_numbered_by_its_headings_keeps_a_project_that_states_no_number():
    """二、开通运营地铁7号线一期、8号线一期。 between two items with a quantity was dropped without a word: 2 of
    the 3 实事 the plan announces."""
    text = ("郑州市2025年重点民生实事\n市政府决定2025年实施3件重点民生实事。\n\n一、新建改扩建中小学校20所。\n\n"
            "二、开通运营地铁7号线一期、8号线一期。\n\n三、新增公共停车泊位3万个。\n\n四、工作要求\n")
    items = parse_text(text, CITY).items
    assert items["number"].to_list() == ["1", "2", "3"]
    assert items["text"][1] == "开通运营地铁7号线一期、8号线一期。"


@pytest.mark.parametrize(
    ("written", "target", "quotas"),
    [
        ("新建社区老年助餐服务点200个，武侯区、成华区各15个。", ("新建社区老年助餐服务点", 200.0), [("武侯区", 15.0), ("成华区", 15.0)]),
        ("既有住宅加装电梯600部，金水区、二七区分别为60部、80部。", ("既有住宅加装电梯", 600.0), [("金水区", 60.0), ("二七区", 80.0)]),
        ("打通断头路100条，其中成都市武侯区40条。", ("打通断头路", 100.0), [("武侯区", 40.0)]),
        # … with a verb after 各 or 分别 (a tester's 佛山市 plan: 南海区、顺德区各新建 was a target of 3所)
        ("新建公办幼儿园12所，南海区、顺德区各新建3所。", ("新建公办幼儿园", 12.0), [("南海区", 3.0), ("顺德区", 3.0)]),
        ("新建社区体育公园40个，其中南海区、顺德区分别建设15个、12个。", ("新建社区体育公园", 40.0),
         [("南海区", 15.0), ("顺德区", 12.0)]),
        # … and what it builds (a tester's 长沙市 plan: each share was a target of the city item too)
        ("新建体育公园10个，其中岳麓区、开福区各新建体育公园2个。", ("新建体育公园", 10.0), [("岳麓区", 2.0), ("开福区", 2.0)]),
        ("新建口袋公园50个，其中芙蓉区、岳麓区、雨花区分别新建口袋公园5个、8个、6个。", ("新建口袋公园", 50.0),
         [("芙蓉区", 5.0), ("岳麓区", 8.0), ("雨花区", 6.0)]),
    ],
)
def test_a_districts_share_written_with_each_or_its_city_is_no_target_of_the_city_item(written, target, quotas):
    """武侯区、成华区各15个 was also a target named 武侯区、成华区各 (and 金水区 60部, 成都市武侯区 40条) beside the
    quotas: the city item seemed to commit to a second number, which matching and evolution compared."""
    items = parse_text(f"某市2025年民生实事\n1.民生实事。{written}\n", CITY).items
    assert [(t["indicator"], t["value"]) for t in items["targets"][0]] == [target]
    assert [(q["jurisdiction"], q["value"]) for q in items["quotas"][0]] == quotas


def test_a_progress_cell_saying_done_in_other_words_is_done():
    """已完成（2023年10月投入使用）, 已开通运营, 已交付使用 read neither done nor under way, so a progress table counted
    them 推进中 and the next year's plan listed them as 推迟 (a bad-input probe)."""
    said = ["已完成（2023年10月投入使用）", "已完成(6月底)", "已开通运营", "已交付使用", "已投入使用", "已通车", "已通过验收",
            "已验收", "已圆满完成", "已开业", "已全部完工。", "已完工", "全部完工", "均已完工"]  # 完工 too (a tester's 历下区)
    rows = "".join(f"{n}\t建成区文化中心\t区文旅局\t2023年12月底前\t{progress}\n" for n, progress in enumerate(said, start=1))
    items = parse_text("序号\t重点任务\t牵头单位\t完成时限\t进展情况\n" + rows, TABLE).items
    assert items["status"].to_list() == ["done"] * len(said)
    # … but not a part handed over with the rest still building, nor a hand-over to come
    later = parse_text("序号\t重点任务\t牵头单位\t完成时限\t进展情况\n1\t新建学校5所\t区教育局\t2023年12月底前\t"
                       "已交付使用3所，其余正在建设\n2\t新建学校5所\t区教育局\t2023年12月底前\t将于年底交付使用\n", TABLE).items
    assert later["status"].to_list() == ["in_progress", "in_progress"]
    # … nor a part, named or short of the task's amount (each read done once hand-overs were read; a review), while
    # the whole amount, or done as planned in other words, is done
    for task, progress, status in (
            ("新建学校3所", "其中2所已完工，其余正在装修", "in_progress"), ("新开公交线路5条", "2条线路已开通运营", "in_progress"),
            ("改造老旧小区10个", "6个小区已通过验收", "in_progress"), ("新建城市道路1条", "部分路段已通车", "in_progress"),
            ("新建公厕3座", "主体已完工，正在进行附属工程", "in_progress"), ("新建学校3所", "两所已投用，一所正在装修", "in_progress"),
            ("新建学校2所", "一期已交付使用", "in_progress"), ("新建学校5所", "5所学校已全部建成", "done"),
            ("新建学校2所", "按序时计划已完成", "done"), ("新建学校2所", "按照计划已全部建成", "done"),
            ("新建学校2所", "已建成并交付使用", "done"), ("新建学校2所", "已超计划完成", "done"),
            ("新建学校2所", "提前完成计划任务", "done"), ("新建学校2所", "项目已通过竣工验收", "done"),
            ("新建学校2所", "已试运营", "done"),
            # (a second bad-input probe: each read the other way)
            ("开通运营地铁10号线一期灞桥段", "10号线一期已开通运营", "done"), ("建成灞河公园一期、二期", "一期、二期均已完工", "done"),
            ("改造老旧小区30个", "已全部完成改造", "done"), ("新建学校3所", "已于2025年8月交付使用", "done"),
            ("新开公交线路80条", "已开通80条", "done"), ("新建学校3所", "完成率达100%", "done"),
            ("新建学校3所", "主体已封顶，确保年底前全部建成", "in_progress"),
            ("新建学校3所", "主体结构已封顶，年底前全部完工", "in_progress"), ("新建学校3所", "目标年底前全部建成", "in_progress"),
            ("新建学校3所", "已于6月底前全部完成", "done"),
            # (a review of the rules above: each read the other way)
            ("新建公办幼儿园3所", "年度目标任务已全部完成。", "done"), ("新建学校3所", "按目标全部建成", "done"),
            ("新建学校3所", "6月底前已全部完成。", "done"), ("新建学校3所", "截至11月底前全部完工。", "done"),
            ("新建学校3所", "年底前如期建成", "done"), ("新建学校3所", "日前全部完工并投入使用", "done"),
            ("建设地铁8号线一期、二期工程", "一期已开通运营。", "in_progress"),
            ("完成主体工程及附属设施建设", "主体已完工", "in_progress"),
            ("新建学校5所，其中小学3所", "其中小学已完工", "in_progress"),
            ("分三批交付安置房2000套，首批500套", "首批已交付", "in_progress"),
            # (a third review: each read the other way)
            ("新建学校3所", "目标：年底全部建成", "in_progress"), ("新建学校3所", "目标是全部建成投用", "in_progress"),
            ("新建学校3所", "已开工，年底前全部建成", "in_progress"), ("新建学校3所", "装修中，年底前全部完工", "in_progress"),
            ("新建学校3所", "主体已封顶，定于年底前全部完工", "in_progress"),
            ("开通地铁10号线一期，其中高架段5公里", "10号线一期已开通运营", "done"),
            # (a fourth review: each read the other way)
            ("新建学校3所", "年度目标已全部完成", "done"), ("新建学校3所", "全年目标提前完成", "done"),
            ("新建学校3所", "目标今年年底前全部建成", "in_progress"), ("新建学校3所", "目标12月31日前全部建成", "in_progress"),
            ("新建学校3所", "项目于3月开工，于10月底前全部完工并投入使用", "done"),
            ("新建学校3所", "9月开工，年底前如期建成", "done"),
            ("新建学校3所", "年初完成选址，6月开工，11月底前全部建成并交付使用", "done"),
            ("建设安置房3000套，其中一期1000套", "一期已交付使用", "in_progress"),
            # (a fifth review: each read the other way)
            ("新建学校3所", "施工进度过半，年底前全部完工", "in_progress"),
            ("新建学校3所", "完成选址和招标，年底前全部建成", "in_progress"),
            ("新建学校3所", "主体已封顶，有望于年底前全部完工", "in_progress"),
            ("新建学校3所", "主体已封顶，年底前可如期建成", "in_progress"),
            ("建设保障性租赁住房2000套，其中一期800套、二期1200套", "一期、二期均已交付使用", "done"),
            # (a sixth review: each read the other way)
            ("新建学校3所", "一季度开工，年底前全部完工", "done"), ("新建学校3所", "开工后，年底前全部完工", "done"),
            ("新建学校3所", "年底前全部完成施工", "done"), ("新建学校3所", "年底前全部建成投用，施工期间未发生安全事故", "done"),
            ("实施城市更新项目12个，其中一期工程3个、二期工程4个", "一期、二期已全部完工", "in_progress"),
            # (a seventh review: each read the other way)
            ("新建学校3所", "年底前全部完工，目前正在进行主体施工", "in_progress"),
            ("新建学校3所", "今年主体已封顶，年底前全部完工", "in_progress"),
            ("新建学校3所", "已完成桩基础，年底前全部建成", "in_progress"),
            ("新建道路5公里，其中东段3000米、西段2000米", "东段、西段均已通车", "done")):
        row = f"1\t{task}\t区教育局\t2023年12月底前\t{progress}\n2\t新建公园2个\t区城管局\t2023年12月底前\t已完成\n"
        assert parse_text("序号\t重点任务\t牵头单位\t完成时限\t进展情况\n" + row, TABLE).items["status"][0] == status, progress


def test_a_progress_cell_reporting_the_whole_amount_done_is_done():
    """已完成5所 of a task to build 5 schools (or 已完成312户 of 300户) read under way: the later year's table then
    listed it as 推迟, and the counts of done tasks disagreed with the report's own (a tester's 南海区 2024)."""
    text = ("序号\t重点任务\t牵头单位\t完成时限\t完成情况\n1\t新建公办幼儿园5所\t区教育局\t2024年12月底\t已完成5所。\n"
            "2\t改造老旧小区300户\t区住建局\t2024年12月底\t已完成312户\n3\t新建学校4所\t区教育局\t2024年12月底\t已完成3所\n"
            "4\t完成投资10亿元\t区发改委\t2024年12月底\t已完成投资5亿元\n"
            "5\t新增污水处理能力10万吨/日\t区水务局\t2024年12月底\t5万吨已建成投用\n")  # half a rate's amount (a review)
    assert parse_text(text, TABLE).items["status"].to_list() == ["done", "done", "in_progress", "in_progress", "in_progress"]
    # … but only an amount of the task's own thing: a step of its own, or part built and part still being built, is
    # under way (each read done, and a slipped task left the list of those now due later; a code review)
    steps = ("序号\t重点任务\t牵头单位\t完成时限\t完成情况\n1\t新建学校5所\t区教育局\t2024年12月底\t完成5所学校前期手续\n"
             "2\t新建学校5所\t区教育局\t2024年12月底\t新建5所，其中2所已投用，3所主体在建\n"
             "3\t新建学校5所\t区教育局\t2024年12月底\t新增5所学校的选址工作\n4\t新建学校5所\t区教育局\t2024年12月底\t已建成5所学校\n"
             "5\t新建学校5所\t区教育局\t2024年12月底\t已完成选址5所\n6\t新建学校5所\t区教育局\t2024年12月底\t完成5所学校主体施工\n"
             "7\t新建学校5所\t区教育局\t2024年12月底\t已完成5所中的3所\n")  # 5–7 read done too (a probe)
    assert parse_text(steps, TABLE).items["status"].to_list() == ["in_progress", "in_progress", "in_progress", "done",
                                                                   "in_progress", "in_progress", "in_progress"]
    for early in ("已完成开工建设5所", "已完成选址工作5所", "已完成立项的5所", "已完成主体封顶5所", "完成5所学校土建施工",
                  "完成5所学校主体封顶并力争年底交付使用",  # each read done after a mend (a last review)
                  "已完成5所学校主体施工并计划年底交付", "已完成5所学校主体施工待竣工验收",
                  "已完成5所学校主体施工和竣工验收前准备工作"):  # a hand-over planned, pending or prepared for (a review)
        row = f"序号\t重点任务\t牵头单位\t完成时限\t完成情况\n1\t新建学校5所\t区教育局\t2024年12月底\t{early}\n"
        assert parse_text(row, TABLE).items["status"].to_list() != ["done"], early
    # … while the whole amount done, said in words of its own, is done (a review of the rule above read these under way)
    whole = "".join(f"{n}\t{task}\t区教育局\t2024年12月底\t{progress}\n" for n, (task, progress) in enumerate(
        [("新建学校5所", "已建成5所学校并投入使用"), ("新建学校5所", "完成5所学校建设"),
         ("改造老旧小区300户", "已完成300户老旧小区改造"), ("新建学校5所", "已完成5所学校建设任务"),
         ("新建学校5所", "已完成5所学校施工并交付使用"), ("新建学校5所", "已建成规划的5所学校"),
         ("新建学校5所", "已建成启动区5所学校"),  # the last three read under way (a review)
         ("提升5万农村人口饮水质量", "已完成5万农村人口饮水提升"),  # its amount apart from its unit
         ("新建学校5所", "已完成5所学校主体施工和竣工验收"), ("新建学校5所", "计划内5所已全部建成")], start=1))
    assert set(parse_text("序号\t重点任务\t牵头单位\t完成时限\t完成情况\n" + whole, TABLE).items["status"]) == {"done"}


def test_an_attachment_without_a_number_is_glued_to_no_item_and_named():
    """附件 alone, then a table of district quotas by item: its rows were glued onto the last item's text
    (新增公共停车泊位3万个。附件重点民生实事区县任务分解表项目单位金水区…), without a word."""
    text = ("郑州市2025年重点民生实事\n1.打通断头路。打通断头路30条。\n2.新增公共停车泊位。新增公共停车泊位3万个。\n\n附件\n\n"
            "重点民生实事区县任务分解表\n\n项目\t单位\t金水区\t中原区\n打通断头路\t条\t3\t4\n新增公共停车泊位\t个\t5000\t4000\n")
    parsed = parse_text(text, CITY)
    assert parsed.items["text"].to_list() == ["打通断头路。打通断头路30条。", "新增公共停车泊位。新增公共停车泊位3万个。"]
    assert any("第 5 行的附件没有编号" in warning for warning in parsed.warnings)


@pytest.mark.parametrize("gap", [" ", ""])
def test_numbered_headings_over_a_decimal_outline_are_its_sections(gap):
    """1.民生保障 over 1.1 and 1.2 read as an item without a target, its tasks without a section; written close up
    (1.1新建学校3所) the tasks were glued onto 1 and 2 (a bad-input probe). A numbered line that commits to
    something of its own stays a task, and a quantity opening a wrapped line (1.5万个) is no outline number."""
    text = (f"1.民生保障\n1.1{gap}新建学校3所。\n1.2{gap}新建公园5个。\n2.城市建设\n2.1{gap}新建道路8条。\n"
            f"2.2{gap}改造老旧小区10个。\n")
    items = parse_text(text, TABLE).items
    assert items.select("number", "text", "section_path").rows() == [
        ("1.1", "新建学校3所。", ["民生保障"]), ("1.2", "新建公园5个。", ["民生保障"]),
        ("2.1", "新建道路8条。", ["城市建设"]), ("2.2", "改造老旧小区10个。", ["城市建设"])]
    own = parse_text(f"1.新建学校3所，分两批：\n1.1{gap}一批2所。\n1.2{gap}二批1所。\n", TABLE).items
    assert own["number"].to_list() == ["1", "1.1", "1.2"]
    wrapped = parse_text("1.扩大就业，新增就业岗位\n1.5万个。\n2.新建公园3个。\n", TABLE).items
    assert wrapped["text"].to_list() == ["扩大就业,新增就业岗位1.5万个。", "新建公园3个。"]
    # close up, a task opening with a measure word's first character is a task (公共, 人才, 家庭, 小区: all four were
    # glued onto 1.1, with targets 1.3人 and 1.4家; a probe)
    close = parse_text("1.民生保障\n1.1新建学校3所。\n1.2公共充电桩建设，新建充电桩500个。\n1.3人才公寓建设，筹集房源200套。\n"
                       "1.4家庭医生签约服务覆盖率达到75%。\n", TABLE).items
    assert close["number"].to_list() == ["1.1", "1.2", "1.3", "1.4"]
    inside = parse_text("1.燃气改造\n1.1户内燃气设施改造。\n1.2场内交通组织优化。\n", TABLE).items  # 户内, 场内: words
    assert inside["number"].to_list() == ["1.1", "1.2"]
    # … while a line wrapped before a qualified quantity (2.1米以上, 1.2公里的) stays in its sentence (tasks 2.1; a review)
    for wrapped_line in ("1.改造背街小巷，人行道宽度不低于\n2.1米以上，完成改造20条。\n", "1.推动工业增速高于全市\n2.1个百分点以上。\n",
                         "1.道路建设，新建全长约\n1.2公里的主干道路3条。\n"):
        assert parse_text(wrapped_line + "2.新建公园3个。\n", TABLE).items["number"].to_list() == ["1", "2"], wrapped_line
    # … and before a quantity in a measure word of two characters, whatever follows it (1.2公里及…: task 1.2 took the
    # wrapped line and swallowed the real 1.2; a code review)
    wrapped = parse_text("一、城市建设\n1.1新建道路5条，其中纺织城路改造\n1.2公里及配套管网同步实施。\n1.2新建公园3个。\n"
                         "1.3改造管网，更换\n1.4米至2米管道。\n1.4拓宽人行道至\n1.5米宽。\n", TABLE).items
    assert wrapped.select("number", "text").rows() == [("1.1", "新建道路5条,其中纺织城路改造1.2公里及配套管网同步实施。"),
                                                       ("1.2", "新建公园3个。"), ("1.3", "改造管网,更换1.4米至2米管道。"),
                                                       ("1.4", "拓宽人行道至1.5米宽。")]


@pytest.mark.parametrize("between", ["：", " ", "\u2028", "\v"])
def test_a_heading_and_its_first_task_on_one_line_are_a_heading_and_a_task(tmp_path, between):
    """一、民生保障：1.新建学校3所。 swallowed task 1 into the heading, and a line or paragraph separator (Word's
    \\v, U+2028) did the same in a text file (a bad-input probe)."""
    path = tmp_path / "t.txt"
    path.write_text(f"某区2024年工作要点\n一、民生保障{between}1.新建学校3所。\n2.新建公园5个。\n"
                    f"二、城市建设{between}1.新建道路8条。\n", encoding="utf-8")
    items = parse_text(read_document_text(path), TABLE).items
    assert items.select("number", "text").rows() == [("1.1", "新建学校3所。"), ("1.2", "新建公园5个。"), ("2.1", "新建道路8条。")]
    # numbering run on across sections, and a heading counting its tasks (task 3 went into the heading; a probe)
    run_on = parse_text("某区2024年工作要点\n一、民生保障（2项）：1.新建学校3所。\n2.新建公园5个。\n"
                        "二、城市建设：3.新建道路10条。\n", TABLE).items
    assert run_on.select("number", "text").rows() == [("1", "新建学校3所。"), ("2", "新建公园5个。"), ("3", "新建道路10条。")]
    # … but inside a table's row a break is part of a cell (a Word table copied as text: the row was cut in two)
    path.write_text("序号\t主要任务\t责任单位\t完成时限\n1\t新建学校\v3所\t区教育局\v区财政局\t2024年\u20286月底前\n", encoding="utf-8")
    assert parse_text(read_document_text(path), TABLE).items.select("text", "units", "deadline").rows() == [
        ("新建学校3所", ["区教育局", "区财政局"], "2024年6月底前")]  # two units, not 区教育局区财政局 (a review)
    path.write_text("序号\t主要任务\t责任单位\t完成时限\n1\t覆盖率达到\v百分之九十\t区卫健局\t2024年6月\v底前\n"
                    "2\t推进城东污水处理厂\v二期工程建设\t区住建局\t2024年\n3\t实施项目50个\v完成投资80亿元\t区发改委\t2024年\n",
                    encoding="utf-8")  # runs on, but after a quantity a clause ends (each read with ; once; a last review)
    assert parse_text(read_document_text(path), TABLE).items.select("text", "deadline").rows() == [
        ("覆盖率达到百分之九十", "2024年6月底前"), ("推进城东污水处理厂二期工程建设", "2024年"), ("实施项目50个;完成投资80亿元", "2024年")]
    # … and a break after a unit not named like a department, or after 牵头, still parts two units (read 各街道区教育局;
    # a code review), as the same cell typed in Excel reads
    path.write_text("序号\t主要任务\t责任单位\t完成时限\n1\t新建学校3所\t各街道\v区教育局\t2024年\n"
                    "2\t新建公园5个\t区住建局牵头\v区财政局配合\t2024年\n", encoding="utf-8")
    assert parse_text(read_document_text(path), TABLE).items["units"].to_list() == [["各街道", "区教育局"],
                                                                                   ["区住建局", "区财政局"]]
    # … while a phrase wrapped by hand runs on (改造 30个 and 书房 5个 once every break ended a clause; a review)
    path.write_text("序号\t主要任务\t责任单位\t完成时限\n1\t完成老旧小区\v改造30个\t区住建局\t2024年\n"
                    "2\t新建城市\v书房5个\t区文旅局\t2024年\n3\t完善社区养老服务体系\v新建社区食堂10个\t区民政局\t2024年\n",
                    encoding="utf-8")  # … but a task's verb and object after it is a clause of its own (glued; a review)
    assert [[t["indicator"] for t in targets] for targets in parse_text(read_document_text(path), TABLE).items[
        "targets"]] == [["完成老旧小区改造"], ["新建城市书房"], ["新建社区食堂"]]
    path.write_text("序号\t主要任务\t责任单位\t完成时限\n1\t完成老旧小区\v改造提升30个\t区住建局\t2024年\n"
                    "2\t保障住房需求\v建设安置房2000套\t区住建局\t2024年\n3\t优化城市交通\v实施改造提升主干道5条\t区住建局\t2024年\n",
                    encoding="utf-8")  # (the last two glued once 改造 after a verb ran on; a review)
    assert [targets[0]["indicator"] for targets in parse_text(read_document_text(path), TABLE).items["targets"]] == [
        "完成老旧小区改造提升", "建设安置房", "实施改造提升主干道"]
    path.write_text("序号\t主要任务\t责任单位\t完成时限\n1\t完成城镇老旧小区\v改造项目30个\t区住建局\t2024年\n"
                    "2\t实施老旧小区\v完成改造30个\t区住建局\t2024年\n", encoding="utf-8")  # (split off; reviews)
    assert [targets[0]["indicator"] for targets in parse_text(read_document_text(path), TABLE).items["targets"]] == [
        "完成城镇老旧小区改造项目", "实施老旧小区完成改造"]
    path.write_text("序号\t主要任务\t责任单位\t完成时限\n1\t实施城市更新\v建设项目20个\t区住建局\t2024年\n", encoding="utf-8")
    assert parse_text(read_document_text(path), TABLE).items["targets"][0][0]["indicator"] == "实施城市更新建设项目"


def test_attachments_go_to_the_item_their_title_or_their_table_names_and_a_span_of_years_is_no_quota():
    """A tester's 长沙市 plan: 全市新建改扩建中小学… stayed with item 1 (新建改扩建公办幼儿园: the words every heading
    shares decided), 全市公共充电基础设施… with item 2 (no heading close, though its table counts 公共充电桩), and of
    2024—2025年改造任务 | 2024年已完成 | 2025年改造任务 | 2025年加装电梯 the two years' total was the quota, the lifts lost."""
    text = ("1.新建改扩建公办幼儿园。新建、改扩建公办幼儿园15所。\n2.中小学学位建设。新建、改扩建中小学20所，新增学位3.2万个。\n"
            "3.新能源汽车充电设施建设。新建公共充电桩8000个、超充站100座。\n4.城镇老旧小区改造。改造城镇老旧小区150个，"
            "完成既有住宅加装电梯300台。\n"
            "附件1\n2025年全市新建改扩建中小学任务分解表\n序号\t区\t学校（所）\t新增学位（个）\n1\t岳麓区\t4\t6000\n"
            "附件2\n2025年全市公共充电基础设施建设任务分解表\n序号\t区\t公共充电桩（个）\t超充站（座）\n1\t岳麓区\t1200\t15\n"
            "附件3\n2024—2025年城镇老旧小区改造任务分解表\n序号\t区\t2024—2025年改造任务（个）\t2024年已完成（个）\t"
            "2025年改造任务（个）\t2025年加装电梯（台）\n1\t岳麓区\t40\t18\t22\t60\n")
    parsed = parse_text(text, CITY)
    assert [[(q["value"], q["unit"]) for q in quotas] for quotas in parsed.items["quotas"]] == [
        [], [(4.0, "所"), (6000.0, "个")], [(1200.0, "个"), (15.0, "座")], [(22.0, "个"), (60.0, "台")]]
    assert not parsed.warnings
    # of one measure word, the plan's own year's column, or the total of parts (2024年's and 新建 alone were taken)
    for header, row, quota in (("2024年任务（个）\t2025年任务（个）", "1200\t1500", 1500.0), ("新建（个）\t改造（个）\t合计（个）", "3\t5\t8", 8.0),
                               ("合计（个）\t新建（个）\t改造（个）", "8\t3\t5", 8.0),
                               ("老旧小区总数（个）\t2025年改造任务（个）", "120\t30", 30.0),  # what there is: 120 (a review)
                               ("新建（个）\t改造（个）\t总数（个）", "2\t3\t5", 5.0)):  # 总数 alone sums the parts
        table = f"1.充电设施建设。新建公共充电桩8000个。\n附件1\n充电设施建设任务分解表\n序号\t区\t{header}\n1\t岳麓区\t{row}\n"
        assert [q["value"] for q in parse_text(table, CITY).items["quotas"][0]] == [quota], header


def test_numbered_lines_under_a_review_of_last_year_are_no_tasks_of_the_plan():
    """一、2023年工作总结 / 1.新建学校3所，已全部建成投用 and 二、存在的问题和不足 / 1.财政收支矛盾突出 were items of the
    2024 plan beside its own tasks (a probe)."""
    text = ("莲湖区2023年工作总结暨2024年工作计划\n一、2023年工作总结\n1.新建学校3所，已全部建成投用。\n二、存在的问题和不足\n"
            "1.财政收支矛盾突出。\n三、2024年工作计划\n1.新建学校5所。\n2.新建公园2个。\n")
    assert parse_text(text, TABLE).items["text"].to_list() == ["新建学校5所。", "新建公园2个。"]
    # … but a heading that only mentions a look back, or a progress report's tasks, keeps its tasks (lost; a review)
    for heading in ("二、针对存在的问题逐项整改", "二、深化课程改革，总结推广典型经验", "一、重点任务完成情况"):
        kept = parse_text(f"某区2024年工作要点\n{heading}\n1.完成散煤治理1000户。\n2.新建污水管网5公里。\n", TABLE).items
        assert kept["text"].to_list() == ["完成散煤治理1000户。", "新建污水管网5公里。"], heading
    # … and a look back written otherwise is one too (each read as tasks; a last review)
    for heading in ("2023年取得的成绩", "回顾2023年工作", "2023年工作总结（摘要）", "2023年工作回顾及存在问题", "存在的问题与短板",
                    # … and as offices write them too (each read as tasks once a look back had to be a noun phrase;
                    # a review)
                    "2023年上半年工作总结", "区政府2023年工作总结", "2023年工作情况回顾", "工作中存在的问题", "问题与不足",
                    "近三年工作总结", "“十四五”以来工作回顾", "面临的困难和问题", "2023年工作成绩"):
        plan = parse_text(f"某区2024年工作要点\n一、{heading}\n1.新建学校3所，已全部建成。\n二、2024年工作安排\n1.新建学校5所。\n"
                          "2.新建公园2个。\n", TABLE).items
        assert plan["text"].to_list() == ["新建学校5所。", "新建公园2个。"], heading
    # … and so is a heading at an earlier year's work, or a （一） one under a heading of both (each read as tasks; a
    # second bad-input probe), while a heading of the plan's own year is not
    since = parse_text("某区2024年工作要点\n一、2023年及今年以来工作开展情况\n1.新建学校3所，已全部建成。\n"
                       "二、2024年重点工作\n1.新建学校5所。\n", TABLE).items  # (今年以来 read as looking ahead; a review)
    assert since["text"].to_list() == ["新建学校5所。"]
    for so_far in ("2023年工作完成情况及今年1—2月工作进展情况", "2023年工作成效及今年已完成工作"):  # (a seventh review)
        plan = parse_text(f"某区2024年工作要点\n一、{so_far}\n1.新建学校3所，已全部建成。\n二、2024年重点工作\n"
                          "1.新建学校5所。\n", TABLE).items
        assert plan["text"].to_list() == ["新建学校5所。"], so_far
    for both in ("2023年工作总结及下一步工作打算", "2023年工作总结及今年工作安排", "上年工作总结及本年度工作安排",
                 "2023年工作完成情况及今年主要任务", "2023年工作开展情况和今年的工作安排"):
        ahead = parse_text(f"某区2024年工作要点\n一、{both}\n1.新建学校5所。\n", TABLE).items
        assert ahead["text"].to_list() == ["新建学校5所。"], both  # looking back and ahead: its tasks kept (reviews)
    for heading in ("2023年工作情况", "2023年重点工作完成情况", "上年度工作完成情况", "2023年主要工作及成效",
                    "2023年计划完成情况", "2023年民生实事安排完成情况"):  # (计划, 安排 read as looking ahead; a review)
        plan = parse_text(f"某区2024年工作要点\n一、{heading}\n1.新建学校3所，已全部建成。\n二、2024年重点工作\n"
                          "1.新建学校5所。\n2.新建公园2个。\n", TABLE).items
        assert plan["text"].to_list() == ["新建学校5所。", "新建公园2个。"], heading
    nested = parse_text("某区2024年工作要点\n一、总体情况\n（一）2023年工作回顾\n1.新建学校3所，已全部建成。\n（二）存在的问题\n"
                        "1.项目推进缓慢。\n（三）2024年重点工作\n1.新建学校5所。\n", TABLE).items
    assert nested["text"].to_list() == ["新建学校5所。"]
    report = DocumentMeta(id="r", title="t", jurisdiction="某区", level="district", year=2023, kind="task_table",
                          file="r.txt")
    own = parse_text("某区2023年重点任务落实情况\n一、2023年重点任务完成情况\n1.新建学校3所，已全部建成。\n", report).items
    assert own["text"].to_list() == ["新建学校3所,已全部建成。"]
    # … and the warnings say which lines were read as work done
    assert any("第 2 行（1 条）、第 4 行（1 条）" in w for w in parse_text(text, TABLE).warnings)


def test_a_task_heading_naming_a_review_word_keeps_its_tasks():
    """二、认真查摆存在问题, 三、做好宣传和总结: a heading that does something about problems or a summary is a task
    heading; its numbered tasks were dropped without a word as a look back (a code review)."""
    for heading in ("认真查摆存在问题", "做好宣传和总结", "着力解决存在问题", "全面整改存在问题", "梳理存在问题",
                    "切实解决群众反映的问题和困难", "做好经验总结", "巩固提升2023年创建成绩", "2023年工作回顾和2024年工作安排"):
        parsed = parse_text(f"碑林区2024年重点工作任务\n一、推进城市更新\n1.改造老旧小区30个。\n二、{heading}\n"
                            "2.完成审计发现问题整改20项。\n3.化解信访积案15件。\n", TABLE)
        assert parsed.items["text"].to_list() == ["改造老旧小区30个。", "完成审计发现问题整改20项。", "化解信访积案15件。"], heading
        assert not parsed.warnings, heading


def test_units_written_after_a_task_may_hold_brackets_of_their_own():
    """（牵头单位：市教育局；责任单位：各县（市）区政府、开发区管委会）: no unit was read and the note stayed in the task's
    text (a tester's 合肥市 plan)."""
    text = ("1.新建学校。新建学校10所。（牵头单位：市教育局；责任单位：各县（市）区政府、开发区管委会）\n"
            "2.新建公园。新建公园5个。（牵头单位：市林园局）\n")
    items = parse_text(text, CITY).items
    assert items.select("text", "units").rows() == [("新建学校。新建学校10所。", ["市教育局", "各县(市)区政府", "开发区管委会"]),
                                                    ("新建公园。新建公园5个。", ["市林园局"])]
    # … or open their bracket at the end of the line before (the task kept a stray '(')
    wrapped = parse_text("1.新建学校。新建学校10所。（\n牵头单位：市教育局）\n2.新建公园。新建公园5个。\n", CITY).items
    assert wrapped.select("text", "units").rows()[0] == ("新建学校。新建学校10所。", ["市教育局"])
    # … a unit's own other name last (组织部(人才办 lost its bracket), and a company named beside offices (港华燃气各街道
    # was one unit; a tester's 苏州工业园区 and 姑苏区 plans)
    own = parse_text("1.人才。新增人才5万人。（牵头单位：园区党工委组织部（人才办））\n2.燃气。改造燃气管道25公里。"
                     "（责任单位：港华燃气、各街道）\n", CITY).items
    assert own["units"].to_list() == [["园区党工委组织部(人才办)"], ["港华燃气", "各街道"]]


def test_a_plans_one_attachment_without_a_number_goes_to_the_item_its_title_names():
    """附件：标题 in the index, then 附件 alone over the table, as a document with one attachment is laid out: the table
    was dropped without a word, and 老旧小区改造's district quotas with it (a tester's 合肥市 plan)."""
    text = ("合肥市2025年民生实事\n1.新建学校。新建学校10所。\n2.老旧小区改造。改造老旧小区100个。\n"
            "附件：合肥市2025年老旧小区改造任务分解表\n\n附件\n合肥市2025年老旧小区改造任务分解表\n序号\t区县\t任务数（个）\n"
            "1\t蜀山区\t20\n2\t包河区\t30\n")
    parsed = parse_text(text, CITY)
    assert [[(q["jurisdiction"], q["value"]) for q in quotas] for quotas in parsed.items["quotas"]] == [
        [], [("蜀山区", 20.0), ("包河区", 30.0)]]
    assert not parsed.warnings


def test_a_bare_attachment_line_over_numbered_titles_then_numbered_attachments_is_their_index():
    """附件 on its own line, 1.标题 and 2.标题 under it, then 附件1 and 附件2 with their tables: the quotas were read, but
    a warning said the unnumbered attachment's 2 lines were not read (a code review)."""
    text = ("某市2025年民生实事\n1.老旧小区改造。改造老旧小区300个。\n2.充电设施建设。新建公共充电桩8000个。\n附件\n"
            "1.某市老旧小区改造任务分配表\n2.某市充电设施建设任务分配表\n附件1\n某市老旧小区改造任务分配表\n区县\t改造任务（个）\n"
            "灞桥区\t40\n莲湖区\t60\n附件2\n某市充电设施建设任务分配表\n区县\t公共充电桩（个）\n灞桥区\t200\n莲湖区\t300\n")
    parsed = parse_text(text, CITY)
    assert [[(q["jurisdiction"], q["value"]) for q in quotas] for quotas in parsed.items["quotas"]] == [
        [("灞桥区", 40.0), ("莲湖区", 60.0)], [("灞桥区", 200.0), ("莲湖区", 300.0)]]
    assert not parsed.warnings


@pytest.mark.parametrize("header", ["区、县（市）", "区、县（市、区）", "区县（市、区）", "县（市、区）名称", "区县（功能区）",
                                    "各区县（市）", "区县（含功能区）", "区县、功能区",
                                    # (each still read no quota; a review)
                                    "区县、高新区", "各区县（含西咸新区）", "区县及开发区", "区县/开发区", "区县（园区）",
                                    "区县（管委会）", "区县（市）、高新区", "市（州）", "市州"])
def test_an_attachments_place_column_is_read_as_plans_head_it(header):
    """区、县（市）, the header of Zhejiang's plans, and 区县（功能区）, 济南's, were no place column: every district's quota
    of the table was lost without a word (two testers' 杭州市 and 济南市 plans)."""
    text = (f"某市2025年为民办实事项目\n1.建设公共充电设施。新建公共充电桩5000个。\n附件1\n公共充电桩建设任务分解表\n"
            f"{header}\t公共充电桩（个）\n历下区\t400\n高新区\t600\n合计\t1000\n")
    assert [(q["jurisdiction"], q["value"]) for q in parse_text(text, CITY).items["quotas"][0]] == [
        ("历下区", 400.0), ("高新区", 600.0)]


def test_a_closing_charge_to_the_places_is_no_part_of_the_last_item():
    """各区县、各部门要切实加强组织领导…。 after the last item was read into its text, and so into exports (a tester's
    济南市 plan); a task's own words about the districts stay."""
    for closing in ("各区县、各部门要切实加强组织领导，压实工作责任，确保各项实事按期完成。", "请各区县结合实际认真组织实施。",
                    # (a tester's 福州市 plan: each joined the last item)
                    "各地各部门要高度重视，细化工作方案，倒排工期，确保按时保质完成。\n福州市人民政府办公厅"):
        text = (f"某市2025年为民办实事项目\n1.新建学校。新建学校10所。\n2.新建改造城市公厕。新建改造城市公厕100座。\n{closing}\n"
                "附件：公厕建设任务分解表\n")
        assert parse_text(text, CITY).items["text"].to_list() == ["新建学校。新建学校10所。",
                                                                  "新建改造城市公厕。新建改造城市公厕100座。"], closing
    for closing in ("各部门要在年底前将全年工作完成情况报区政府办公室。", "各部门要在年底前抓好落实。"):
        reports = parse_text(f"某市2025年为民办实事项目\n1.新建学校。新建学校10所。\n{closing}\n", CITY).items
        assert reports["text"].to_list() == ["新建学校。新建学校10所。"], closing  # closes the plan (glued; reviews)
    for own in ("各区要于6月底前完成选址。", "各街道要于6月底前完成选址，9月底前全部开工建设。",  # (dropped; a probe)
                "各街道要于年底前完成选址并启动建设。", "各街道要在6月底前完成选址。",  # (dropped; a review)
                "各街道要于6月底前完成选址，并将选址结果报区教育局备案。"):
        kept = parse_text(f"某市2025年为民办实事项目\n1.新建学校。新建学校10所，\n{own}\n", CITY).items
        assert kept["text"].to_list() == [f"新建学校。新建学校10所,{own.replace('，', ',')}"], own
    # … nor a charge giving the districts their numbers (each ended its item, and its quotas were lost; a review)
    charged = parse_text("某市2025年为民办实事项目\n1.老旧小区改造。改造老旧小区300个。\n各区县要结合实际制定改造计划，"
                         "其中灞桥区40个、莲湖区60个。\n2.充电设施建设。新建公共充电桩8000个。\n各区县要进一步加大推进力度，"
                         "灞桥区、莲湖区分别建设200个、300个。\n", CITY).items
    assert [[q["value"] for q in quotas] for quotas in charged["quotas"]] == [[40.0, 60.0], [200.0, 300.0]]


@pytest.mark.parametrize(("written", "targets"), [
    ("建设口袋公园50个，其中主城区30个、西湖区5个。", [50.0]), ("新建口袋公园400个，其中西湖区350个（含三墩镇50个）。", [400.0]),
    ("新建口袋公园50个，历下区、市中区、槐荫区各5个，其余18个由长清区、章丘区结合实际建设。", [50.0]),
    ("新建泉城书房20处，各区县（功能区）至少建设1处。", [20.0]),
    # … or by what the total includes, in an aside (a matcher probe: listed in coverage beside the 4所)
    ("新建中小学4所（含九年一贯制学校1所），新增学位6000个。", [4.0, 6000.0]),
    ("改造老旧小区30个（包括加装电梯小区5个）。", [30.0]),
    ("新建中小学3所（含九年一贯制学校1所、高中1所）。", [3.0]),  # every part the aside lists (a review)
    ("新建学校10所，包括小学6所、初中4所。", [10.0, 6.0, 4.0]),  # as 其中小学6所: parts by what, outside an aside
    # … while a part named by what it is, or by whom it counts, is a target
    ("新建学校10所，其中小学6所。", [10.0, 6.0]), ("新增城镇就业5000人，其中城镇3000人。", [5000.0, 3000.0]),
    # … and a kind of place counted (each dropped as a share by place; a review)
    ("新建公共充电桩8000个，其中住宅小区2000个。", [8000.0, 2000.0]), ("新建公厕100座，其中旅游景区30座。", [100.0, 30.0]),
    ("创建示范社区30个，其中绿色社区10个。", [30.0, 10.0]), ("改造提升农贸市场20个，其中超市5个。", [20.0, 5.0]),
    ("培育小镇10个，其中特色小镇3个。", [10.0, 3.0])])
def test_a_part_of_a_city_total_named_by_where_it_goes_is_no_target_of_its_own(written, targets):
    """其中主城区30个, 含三墩镇50个, 其余18个由…建设 and 各区县至少建设1处 were second targets of the city item beside
    its total, compared in matching and evolution (testers' 杭州市 and 济南市 plans)."""
    items = parse_text(f"某市2025年民生实事\n1.民生实事。{written}\n", CITY).items
    assert [t["value"] for t in items["targets"][0]] == targets


def test_two_things_counted_in_one_measure_word_are_a_quota_each():
    """区县 | 公共停车泊位（个） | 公共充电桩（个）: the chargers were dropped and the parking spaces labelled as chargers,
    the item's last target in 个 (a tester's 杭州市 plan); stages or years of one count stay one quota."""
    item = "1.缓解停车充电难。新建公共充电桩5000个，新增公共停车泊位1.2万个。\n附件1\n停车泊位和充电桩任务分解表\n"
    quotas = parse_text(item + "区县\t公共停车泊位（个）\t公共充电桩（个）\n西湖区\t1200\t600\n", CITY).items["quotas"][0]
    assert [(q["raw"], q["value"]) for q in quotas] == [("公共停车泊位：西湖区1200个", 1200.0), ("公共充电桩：西湖区600个", 600.0)]
    for header, row, value in (("新建（个）\t改扩建（个）", "10\t20", 10.0), ("2024年任务（个）\t2025年任务（个）", "10\t20", 20.0)):
        quotas = parse_text(item + f"区县\t{header}\n西湖区\t{row}\n", CITY).items["quotas"][0]
        assert [q["value"] for q in quotas] == [value], header


def test_a_sum_row_labels_no_quota_and_a_part_in_its_own_measure_word_is_one():
    """A district table opening with 合计 | 10 or 全市 | 1000 labelled every quota 合计：渭滨区3所, and 其中：超充站（座）
    was dropped without a word (a bad-input probe)."""
    text = ("1.幼儿园建设。新建、改扩建公办幼儿园10所。\n2.公共充电桩建设。新建公共充电桩1000个。\n附件1\n幼儿园建设任务分解表\n"
            "序号\t区县\t任务数（所）\n\t合计\t10\n1\t渭滨区\t3\n附件2\n公共充电桩建设任务分解表\n"
            "区县\t2024年任务（个）\t其中：超充站（座）\n全市\t1000\t20\n渭滨区\t300\t5\n")
    assert [[q["raw"] for q in quotas] for quotas in parse_text(text, CITY).items["quotas"]] == [
        ["新建、改扩建公办幼儿园：渭滨区3所"], ["新建公共充电桩：渭滨区300个", "超充站：渭滨区5座"]]


def test_a_zero_in_a_table_by_district_is_no_quota():
    """中小学 | 历下区 2 | 钢城区 0: 钢城区's 0所 was a quota, shown as one no task served (a tester's 济南市 plan)."""
    text = ("1.中小学建设。新建中小学10所。\n附件1\n中小学建设任务表\n项目\t单位\t历下区\t钢城区\n中小学\t所\t2\t0\n")
    assert [(q["jurisdiction"], q["value"]) for q in parse_text(text, CITY).items["quotas"][0]] == [("历下区", 2.0)]


def test_a_total_before_a_bracketed_district_list_and_a_list_after_fen_bie_wei_give_named_quotas():
    """整治城区易涝点20处（鼓楼区3处、…） gave a place 整治城区 a quota of 20处 and the item no target, and 分别为鼓楼区4个 a place
    分别为鼓楼区, which coverage matched to no district (a tester's 福州市 plan)."""
    items = parse_text("某市2025年民生实事\n1.排水防涝。整治城区易涝点20处（鼓楼区3处、仓山区5处）。\n"
                       "2.口袋公园。新建口袋公园30个，分别为鼓楼区4个、仓山区6个。\n", CITY).items
    assert [[(q["jurisdiction"], q["value"]) for q in quotas] for quotas in items["quotas"]] == [
        [("鼓楼区", 3.0), ("仓山区", 5.0)], [("鼓楼区", 4.0), ("仓山区", 6.0)]]
    assert [[t["value"] for t in targets] for targets in items["targets"]] == [[20.0], [30.0]]
    # … nor an old town after a verb (治理老城区积水点15处 gave 老城区 the city's total; a review), while 约为 names no place
    old_town = parse_text("某市2025年民生实事\n1.排水。治理老城区积水点15处，其中鼓楼区5处。\n2.住房。筹集房源3000套，"
                          "约为灞桥区1200套。\n3.改造。其中灞桥区近2个月完成100户。\n", CITY).items
    assert [[(q["jurisdiction"], q["value"]) for q in quotas] for quotas in old_town["quotas"]] == [
        [("鼓楼区", 5.0)], [("灞桥区", 1200.0)], []]
    old_streets = parse_text("某市2025年民生实事\n1.街巷。改造背街小巷100条，其中旧城区60条、灞桥区10条。\n", CITY).items
    assert [(q["jurisdiction"], q["value"]) for q in old_streets["quotas"][0]] == [("灞桥区", 10.0)]  # (a review)
    luoyang = parse_text("某市2025年民生实事\n1.公园。新建口袋公园20个，其中老城区5个、西工区3个。\n2.充电。新建充电桩2000个，"
                         "其中灞桥区近500个、莲湖区约300个。\n", CITY).items  # (a real 老城区 and 近500个 lost; a review)
    assert [[(q["jurisdiction"], q["value"]) for q in quotas] for quotas in luoyang["quotas"]] == [
        [("老城区", 5.0), ("西工区", 3.0)], [("灞桥区", 500.0), ("莲湖区", 300.0)]]
    # … and a district's share said to be about a number (no quota, and a second target of the city item; a probe)
    about = parse_text("某市2025年民生实事\n1.充电桩。新建公共充电桩5000个，其中灞桥区约1200个。\n", CITY).items
    assert [(q["jurisdiction"], q["value"]) for q in about["quotas"][0]] == [("灞桥区", 1200.0)]
    assert [t["value"] for t in about["targets"][0]] == [5000.0]


def test_a_citys_industrial_park_zone_gets_its_quota_and_its_registered_name():
    """其中姑苏区30个、工业园区6个: every 工业园区 quota of a tester's 苏州市 plan was lost (a name ending in 园区 read as a
    kind of area), so 苏州工业园区's plan had no quota evidence at all, nor a line on the Coverage page."""
    items = parse_text("某市2025年民生实事\n1.老旧小区。改造老旧小区120个，其中姑苏区30个、工业园区6个。\n"
                       "2.园区。新建工业园区2个，其中姑苏区1个、省级工业园区1个。\n"
                       "3.企业。新增企业100家，其中入驻工业园区60家、全市工业园区20家、苏州高新区10家。\n"
                       "4.托育。新增托位800个，其中姑苏区200个、苏州工业园区300个。\n", CITY).items
    assert [[(q["jurisdiction"], q["value"]) for q in quotas] for quotas in items["quotas"]] == [
        [("姑苏区", 30.0), ("工业园区", 6.0)], [("姑苏区", 1.0)], [("苏州高新区", 10.0)],
        [("姑苏区", 200.0), ("苏州工业园区", 300.0)]], \
        "parks counted, of a kind, or where firms settle are no zone, a place's own is (two reviews)"
    from align.items import quotas_renamed
    from align.registry import DocumentMeta

    zone = DocumentMeta(id="sip-2025", title="t", jurisdiction="苏州工业园区", level="district", year=2025,
                        kind="work_points", file="x.txt", parent="苏州市")
    suzhou = DocumentMeta(id="suzhou-2025", title="t", jurisdiction="苏州市", level="city", year=2025, kind="plan",
                          file="x.txt", parent="江苏省")
    renamed = quotas_renamed(items, zone, suzhou)["quotas"][0]
    assert [q["jurisdiction"] for q in renamed] == ["姑苏区", "苏州工业园区"]


def test_a_district_tables_cell_written_with_its_unit_or_a_qualifier_gives_its_quota():
    """5个, 约120, 1.2万, 50（其中超充站5座） and 各5 in a table by district gave no quota, without a word, and a row read
    as none was glued onto the next, losing its quota too (a second bad-input probe)."""
    text = ("1.口袋公园。新建口袋公园20000个。\n附件1\n口袋公园建设任务分解表\n序号\t区县\t任务数（个）\n1\t新城区\t5个\n"
            "2\t灞桥区\t约120\n3\t碑林区\t1.2万\n4\t莲湖区\t50（其中超充站5座）\n5\t雁塔区、未央区\t各5\n6\t长安区\t3\n")
    for item, header, row, quota in (("1.绿化。新增绿地面积100万平方米，建设口袋公园20个。", "新增绿地（平方米）", "50000",
                                       "新增绿地面积：灞桥区50000平方米"),
                                      ("1.垃圾分类。生活垃圾回收利用率达到40%。", "目标值（%）", "40", "生活垃圾回收利用率：灞桥区40%")):
        table = f"{item}\n附件1\n任务分解表\n区县\t{header}\n灞桥区\t{row}\n"  # (read as 个 or lost; a review)
        assert [q["raw"] for q in parse_text(table, CITY).items["quotas"][0]] == [quota], header
    money = "1.社区食堂。建设社区食堂40个。\n附件1\n补助资金分配表\n区县\t补助资金（万元）\n灞桥区\t200\n"
    assert parse_text(money, CITY).items["quotas"].to_list() == [[]], "a sum of money is no quota (a review)"
    green = "1.绿地。新增城市绿地100公顷。\n附件1\n城市绿地建设任务分解表\n区县\t投资（万元）\t新增绿地（公顷）\n鼓楼区\t3000\t20\n"
    assert [q["raw"] for q in parse_text(green, CITY).items["quotas"][0]] == ["新增绿地：鼓楼区20公顷"]  # (lost; a review)
    subsidy = ("1.就业补贴。安排就业补贴资金5000万元。\n附件1\n就业补贴分配表\n区县\t补贴资金（万元）\t补贴人数（人）\n"
               "鼓楼区\t2000\t4000\n")  # (the money lost once money came last; a seventh review)
    assert [q["raw"] for q in parse_text(subsidy, CITY).items["quotas"][0]] == ["安排就业补贴资金：鼓楼区2000万元",
                                                                                 "补贴人数：鼓楼区4000人"]
    loans = "1.创业担保贷款。发放创业担保贷款5亿元。\n附件1\n贷款任务分解表\n区县\t贷款任务（万元）\n灞桥区\t2000\n"
    assert [q["value"] for q in parse_text(loans, CITY).items["quotas"][0]] == [2e7], "… but of an item of money"
    bounded = ("1.社区食堂。建设社区食堂40个。\n附件1\n社区食堂建设任务分解表\n区县\t任务数\t补助资金（万元）\n灞桥区\t4\t200\n"
               "莲湖区\t5个以上\t100\n雁塔区\t≥6\t100\n")  # a bound, and a count beside money (a review)
    assert [q["raw"] for q in parse_text(bounded, CITY).items["quotas"][0]] == [
        "建设社区食堂：灞桥区4个", "建设社区食堂：莲湖区5个", "建设社区食堂：雁塔区6个"]
    quotas = parse_text(text, CITY).items["quotas"][0]
    assert sorted((q["jurisdiction"], q["value"]) for q in quotas) == sorted([
        ("新城区", 5.0), ("灞桥区", 120.0), ("碑林区", 12000.0), ("莲湖区", 50.0), ("雁塔区", 5.0), ("未央区", 5.0),
        ("长安区", 3.0)])


@pytest.mark.parametrize("column", ["任务数", "任务数（个）"])
def test_a_district_table_of_one_of_its_items_counts_is_labelled_by_the_one_its_title_names(column):
    """公(专)用充电桩建设任务分解表 under 建成投运充电桩5000个，开工建设公共停车位2万个 gave 开工建设公共停车位：灞桥区350个,
    the item's last count in 个, hiding the chargers' shortfall (a browser probe)."""
    text = ("1.充电停车。建成投运充电桩5000个，开工建设公共停车位2万个。\n附件1\n公(专)用充电桩建设任务分解表\n"
            f"区、县（市）\t{column}\n灞桥区\t350\n")
    assert [q["raw"] for q in parse_text(text, CITY).items["quotas"][0]] == ["建成投运充电桩：灞桥区350个"]


@pytest.mark.parametrize(("header", "row"), [("县（市）区\t任务数", "6"), ("县（市）区\t2025年任务", "6"),
                                           ("地区\t2024年已建成\t2025年新建任务\t累计", "3\t6\t9"),
                                           ("县（市）区\t2024—2025年任务\t2024年已完成\t2025年任务", "10\t4\t6")])
def test_a_district_tables_count_without_a_unit_is_counted_in_the_items(header, row):
    """县（市）区 | 任务数, or the README's 2024—2025年任务 | 2024年已完成 | 2025年任务 without （个）: no quota at all and
    no word of it (a tester's 福州市 plan); the count is in the unit of the item it is filed under."""
    text = f"1.社区食堂。建设社区食堂40个。\n附件1\n社区食堂建设任务分解表\n{header}\n鼓楼区\t{row}\n"
    parsed = parse_text(text, CITY)
    assert [q["raw"] for q in parsed.items["quotas"][0]] == ["建设社区食堂：鼓楼区6个"]
    assert "〔" not in str(parsed.items["attachment"][0])
    # … the count the table is about, by its title or column (惠及居民 户 was taken, the item's first; a review)
    for item, title, column, quota in (("惠及居民3万户，改造老旧小区300个", "老旧小区改造任务分解表", "任务数", "改造老旧小区：鼓楼区6个"),
                                       ("新增学位1.2万个，新建学校10所", "学校建设任务表", "学校数量", "新建学校：鼓楼区6所")):
        text = f"1.民生实事。{item}。\n附件1\n{title}\n区县\t{column}\n鼓楼区\t6\n"
        assert [q["raw"] for q in parse_text(text, CITY).items["quotas"][0]] == [quota], item


def test_a_task_numbered_with_a_stray_mark_that_goes_on_with_the_list_is_a_task():
    """4．… then 5)新建停车位500个。: task 5 was glued into task 4, its unit with it (a bad-input probe); a list of 1) 2)
    inside a task stays its own."""
    text = "某区2024年工作要点\n1．新建学校3所。\n2．新建公园2个。\n3．新建绿道8公里。\n4)新建停车位500个。\n5．新建公厕10座。\n"
    assert parse_text(text, TABLE).items["number"].to_list() == ["1", "2", "3", "4", "5"]
    inner = parse_text("某区2024年工作要点\n1．新建学校3所：\n1)小学2所；\n2)中学1所。\n2．新建公园2个。\n", TABLE).items
    assert inner.select("number", "text").rows() == [("1", "新建学校3所:1)小学2所;2)中学1所。"), ("2", "新建公园2个。")]


def test_a_report_paragraph_led_by_two_short_phrases_is_a_task():
    """坚持创新驱动，加快发展新质生产力。 and its commitments were left out (with a warning): a lead held no comma, though
    reports write them so four times in six (a tester's 蜀山区 report)."""
    meta = DocumentMeta(id="r", title="t", jurisdiction="某区", level="district", year=2025, kind="work_report", file="r.txt")
    text = ("某区2025年政府工作报告\n一、2025年重点工作\n坚持创新驱动，加快发展新质生产力。全年新增高新技术企业50家，建设孵化器3个。\n"
            "扩大有效投资。实施重点项目120个，完成投资300亿元。\n")
    parsed = parse_text(text + "各位代表，奋斗创造历史。让我们团结一心，谱写新篇章！\n新征程催人奋进，新使命呼唤担当。让我们携手并进。\n", meta)
    # … and an exclamation to the deputies inside a section ends no item (the paragraph after it was lost; a review)
    for closing in ("各位代表，让我们努力创造无愧于时代、无愧于人民的新业绩！", "各位代表，让我们坚定信心、勇毅前行！",
                    "各位代表，我们要续写榆阳高质量发展新辉煌！", "各位代表，我们要为建设美丽榆阳而努力拼搏！",  # (glued; reviews)
                    "各位代表，蓝图已经绘就，奋斗正当其时！", "各位代表，我们要以时不我待的紧迫感，努力开创高质量发展新局面！",
                    "各位代表！新征程催人奋进。让我们勇毅前行，为加快建设现代化中心城区而努力奋斗！",  # (a tester's 小店区)
                    "各县(市、区)政府、各责任单位要对照目标任务，细化工作措施，确保年底前全部完成。"):  # (a tester's 太原市)
        ended = parse_text(text + closing + "\n", meta).items
        assert ended["text"][-1] == "扩大有效投资。实施重点项目120个,完成投资300亿元。", closing
    for exclaimed in ("各位代表，民生无小事，枝叶总关情！", "各位代表，民生无小事，我们将努力办好每一件实事！",
                      "各位代表，人民对美好生活的向往，就是我们的奋斗目标！"):
        inside = parse_text("某区2025年政府工作报告\n一、2025年重点工作\n（二）坚持民生优先，办好民生实事。新建学校5所。\n"
                            f"{exclaimed}\n我们将新建社区食堂10个。\n", meta).items
        assert inside["text"][0].endswith("我们将新建社区食堂10个。"), exclaimed
    # … nor a district's own charge, nor a commitment said to the deputies (both lost, with their numbers; a review)
    for own, end in (("各区县对照目标任务建设口袋公园，确保年底前全部建成开放。", "全部建成开放。"),
                     ("各位代表！今年我们将新建口袋公园8个、改造背街小巷15条！", "改造背街小巷15条!")):
        kept = parse_text(f"某区2025年政府工作报告\n一、2025年重点工作\n（一）办好民生实事。新建学校5所。\n{own}\n", meta).items
        assert kept["text"][0].endswith(end), own
    assert parsed.items["text"].to_list() == ["坚持创新驱动,加快发展新质生产力。全年新增高新技术企业50家,建设孵化器3个。",
                                              "扩大有效投资。实施重点项目120个,完成投资300亿元。"], "the closing words lead nothing"
    assert not parsed.warnings


def test_a_sentence_framing_the_years_work_leads_no_task():
    """做好今年工作，要把握好以下几点。 and 今年是关键之年，做好工作意义重大。 were read as two-phrase leads: a task
    without a commitment came first and every later item was renumbered, so decisions on them pointed elsewhere (a code
    review)."""
    meta = DocumentMeta(id="r", title="t", jurisdiction="某市", level="city", year=2024, kind="work_report", file="r.txt")
    tasks = "坚持创新驱动，加快发展新质生产力。新建创新平台10个。\n扩大有效投资。实施重点项目300个，完成投资1500亿元。\n"
    for frame in ("做好今年工作，要把握好以下几点。必须坚持稳中求进，必须坚持以进促稳。",
                  "今年是关键之年，做好工作意义重大。我们要奋发有为。", "面对新形势新任务，重点抓好八个方面工作。我们要奋发有为。",
                  "今年是全面贯彻党的二十大精神的关键之年。做好今年工作意义重大。",  # one phrase too (a probe)
                  "2025年是“十四五”规划收官之年。做好政府工作，要坚持稳中求进。", "做好2024年工作意义重大。我们要奋发有为。",
                  "做好2024年经济社会发展工作意义重大。我们要奋发有为。"):  # (a review)
        parsed = parse_text(f"某市2024年政府工作报告\n二、2024年工作安排\n{frame}\n{tasks}", meta).items
        assert parsed.select("number", "text").rows() == [("1", "坚持创新驱动,加快发展新质生产力。新建创新平台10个。"),
                                                          ("2", "扩大有效投资。实施重点项目300个,完成投资1500亿元。")], frame
    # … while a task's lead holding 把握 or 必须, or 之年, 意义, 以下 of its own, leads its task (lost with its targets once
    # they framed; two reviews)
    for lead in ("牢牢把握首要任务，全力推动经济高质量发展。", "办好民生实事，必须尽力而为量力而行。", "打好收官之年攻坚战。",
                 "办好具有标志意义的重大活动。", "把人口自然增长率控制在5‰以下。", "做好2024年民生实事。",
                 "做好全年安全生产工作。"):
        parsed = parse_text(f"某市2024年政府工作报告\n二、2024年工作安排\n{lead}全年实施重点项目120个。\n{tasks}", meta).items
        assert parsed["text"][0].startswith(lead.replace("，", ",")), lead


def test_the_count_of_a_reports_parts_is_no_headline_target_and_a_means_is_no_name():
    """主要预期目标是：…。重点抓好以下六个方面工作 gave a headline target 重点抓好以下方面工作 = 6个, and 通过新建停车场、错时共享等
    方式新增停车位1200个 a target named 方式新增停车位 (a tester's 东湖区 and 五华区 plans)."""
    meta = DocumentMeta(id="r", title="t", jurisdiction="东湖区", level="district", year=2025, kind="work_report",
                        file="r.txt")
    parsed = parse_text("东湖区2025年政府工作报告\n今年经济社会发展的主要预期目标是：地区生产总值增长5.5%左右，城镇登记失业率"
                        "4.5%以下，完成省下达的10项重点工作任务。重点抓好以下六个方面工作。\n一、完善城市功能\n"
                        "通过新建停车场、挖潜错时共享等方式新增停车位1200个。\n", meta)
    assert [(t["indicator"], t["value"]) for t in parsed.indicators] == [
        ("地区生产总值增长", 5.5), ("城镇登记失业率", 4.5), ("完成省下达的重点工作任务", 10.0)], "a ceiling is a target (a review)"
    assert [t["indicator"] for t in parsed.items["targets"][0]] == ["新增停车位"]


def test_a_district_table_of_several_items_gives_each_item_its_own_column():
    """附件1 任务分解表 | 老旧小区改造（个） | 既有住宅加装电梯（部） | 口袋公园（个）: every column's quotas went to item 1, which
    a district's lift task then met by its number (a wrong link at 0.43), and 和平区42个 was its quota twice (a tester's
    沈阳市 plan)."""
    text = ("沈阳市2025年民生实事\n1.老旧小区改造。改造老旧小区300个，其中和平区42个。\n2.加装电梯。新开工既有住宅加装电梯200部。\n"
            "3.公园。新建口袋公园50个。\n附件1\n民生实事部分项目任务分解表\n区县\t老旧小区改造（个）\t既有住宅加装电梯（部）\t口袋公园（个）\n"
            "和平区\t42\t30\t6\n沈河区\t40\t25\t5\n")
    items = parse_text(text, CITY).items
    assert [sorted((q["jurisdiction"], q["value"], q["unit"]) for q in quotas) for quotas in items["quotas"]] == [
        [("和平区", 42.0, "个"), ("沈河区", 40.0, "个")], [("和平区", 30.0, "部"), ("沈河区", 25.0, "部")],
        [("和平区", 6.0, "个"), ("沈河区", 5.0, "个")]]
    # … not to an item naming it in passing, nor through a word in common, and two things counted alike are two (a review)
    passing = parse_text("某市2025年民生实事\n1.改造老旧小区120个。\n2.结合老旧小区改造，推进既有住宅加装电梯300部。\n"
                         "3.新建口袋公园20个。\n附件1\n任务分解表\n序号\t地区\t老旧小区改造（个）\t口袋公园（个）\n1\t和平区\t42\t6\n",
                         CITY).items
    assert [[q["raw"] for q in quotas] for quotas in passing["quotas"]] == [["老旧小区改造：和平区42个"], [],
                                                                           ["口袋公园：和平区6个"]]
    toilets = parse_text("某市2025年民生实事\n1.新建改造公共厕所200座。\n2.推进农村生活污水治理，完成治理行政村50个。\n附件1\n"
                         "任务分解表\n地区\t城区（座）\t农村（座）\n和平区\t5\t5\n", CITY).items
    assert [len(quotas) for quotas in toilets["quotas"]] == [2, 0]
    alike = parse_text("某市2025年民生实事\n1.养老。新建社区食堂10个、养老服务站10个，其中和平区社区食堂3个、养老服务站3个。\n"
                       "2.幼儿园。新建幼儿园10所、改扩建幼儿园8所。\n附件2\n任务分解表\n序号\t地区\t新建幼儿园（所）\t改扩建幼儿园（所）\n"
                       "1\t和平区\t1\t1\n", CITY).items
    assert [len(quotas) for quotas in alike["quotas"]] == [2, 2]
