"""Characters and encodings a planner's text arrives in: circled list markers, unit signs, UTF-16,
traditional Chinese."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from align.cli import main
from align.exceptions import DocumentParseError
from align.normalize import normalize_text
from align.parsing import document_heading, heading_metadata, parse_file, parse_text
from align.readers import as_simplified, read_document_text
from align.registry import DocumentMeta
from align.settings import BUNDLED_DATA

META = DocumentMeta(id="t", title="t", jurisdiction="某区", level="district", year=2024, kind="plan", file="t.txt")
CIRCLED = {n: chr(0x2460 + n - 1) for n in range(1, 21)}  # ①..⑳
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


def targets(items) -> list[list[tuple[float, str]]]:
    return [[(t["value"], t["unit"]) for t in row] for row in items["targets"].to_list()]


def test_circled_number_is_a_list_marker_not_a_digit_of_the_target():
    """Non-regression: NFKC made ①10条 into 110条."""
    items = parse_text("一、总体任务\n①10条道路完成改造。\n②5所学校建成投用。\n", META).items
    assert items["text"].to_list() == ["10条道路完成改造。", "5所学校建成投用。"]
    assert targets(items) == [[(10.0, "条")], [(5.0, "所")]]


def test_circled_numbers_inside_a_table_cell_keep_their_targets_apart():
    """Non-regression: ①3个…；②20条… in one cell gave 13 and 220."""
    text = "序号\t主要任务\t责任单位\n1\t①3个口袋公园建成开放；②20条背街小巷完成提升\t区住建局\n"
    assert targets(parse_text(text, META).items) == [[(3.0, "个"), (20.0, "条")]]


def test_circled_number_is_not_part_of_the_title():
    """Non-regression: ①建设公园3个 was titled 1建设公园3个."""
    items = parse_text("一、总体任务\n①建设公园3个\n②建设道路5条\n", META).items
    assert items["title"].to_list() == ["建设公园3个", "建设道路5条"]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 20), text, text)
def test_a_circled_number_normalises_like_the_bracketed_number(n, before, after):
    assert normalize_text(before + CIRCLED[n] + after) == normalize_text(f"{before}（{n}）{after}")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*CIRCLED.values(), "⑴", "⒇", "❶", "➓", "㉑", "㊿"]) | text, max_size=8))
def test_normalising_circled_numbers_is_idempotent(pieces):
    once = normalize_text("".join(pieces))
    assert normalize_text(once) == once


@pytest.mark.parametrize(
    ("line", "value", "unit"),
    [
        ("改造老旧小区100万㎡。", 1_000_000.0, "平方米"),
        ("新增绿地5000m²。", 5000.0, "平方米"),
        ("新建道路3㎞。", 3.0, "公里"),
        ("新增水面2km²。", 2.0, "平方公里"),
        ("新增绿地20万平方米。", 200_000.0, "平方米"),
    ],
)
def test_unit_sign_such_as_square_metre_is_a_target_unit(line, value, unit):
    """Non-regression: NFKC wrote ㎡ and m² as m2 and ㎞ as km, which no target unit reads."""
    items = parse_text(f"一、总体任务\n1.{line}\n", META).items
    assert targets(items) == [[(value, unit)]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["㎡", "㎢", "㎞", "㎥", "m²", "km²", "m³", "c", "k", "m", "²", " ", "5"]) | text, max_size=8))
@example(["<ª", ">"])  # NFKC wrote a tag (<a>) the first pass kept and the second stripped
@example(["<\x08A", ">"])  # so did dropping a control character
def test_normalising_unit_signs_is_idempotent(pieces):
    once = normalize_text("".join(pieces))
    assert normalize_text(once) == once


PLAN = "某区2024年工作要点\r\n一、稳增长\r\n1.新建公园3个。\r\n2.改造道路10条。\r\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_notepad_unicode_file_with_a_byte_order_mark_is_read_as_text(tmp_path, encoding):
    """Non-regression: UTF-16 (Notepad's "Unicode") was refused as a binary file for its NUL bytes."""
    bom = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[encoding]
    path = tmp_path / "plan.txt"
    path.write_bytes(bom + PLAN.encode(encoding))
    items = parse_file(path, META).items
    assert items["text"].to_list() == ["新建公园3个。", "改造道路10条。"]
    assert targets(items) == [[(3.0, "个")], [(10.0, "条")]]
    assert read_document_text(path) == PLAN.replace("\r\n", "\n")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_without_a_byte_order_mark_is_read_as_text(tmp_path, encoding):
    """Non-regression: it was refused as "a binary file (contains NUL bytes)"; each ASCII character puts a NUL
    beside it, at every other byte. 一 (U+4E00) puts one on the other side: the file is still text."""
    plan = PLAN.replace("稳增长", "一手抓稳增长、一手抓惠民生")
    path = tmp_path / "plan.txt"
    path.write_bytes(plan.encode(encoding))
    assert read_document_text(path) == plan.replace("\r\n", "\n")
    assert parse_file(path, META).items["text"].to_list() == ["新建公园3个。", "改造道路10条。"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\xff\xfe\x00garbage", "binary file"),  # a BOM, then bytes that decode to ideographs only
        (codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le"), "empty"),
        (bytes(range(200)) + bytes(200), "binary file"),  # NULs on one side, decoding to control characters
        (b"".join(n.to_bytes(2, "little") for n in range(300)), "binary file"),  # 16-bit numbers
    ],
)
def test_utf16_without_text_stays_refused(tmp_path, content, reason):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentParseError, match=reason):
        parse_file(path, META)


# A lone short sentence (a closing word, a line carried over a page break) made the whole plan one item.

def test_a_closing_sentence_does_not_replace_the_outlines_items():
    text = ("长安区2024年工作要点\n\n一、稳增长\n（一）扩大有效投资。全年实施重点项目100个，完成投资150亿元。\n"
            "（二）促进消费升级。举办促消费活动20场。\n二、惠民生\n（一）稳定就业。新增城镇就业6000人。\n"
            "（二）优化教育。新建改扩建学校4所。\n\n各部门要高度重视。\n\n长安区人民政府办公室\n2024年2月1日\n")
    items = parse_text(text, META).items
    assert items.height == 4 and "各部门要高度重视" not in " ".join(items["text"])
    assert items["text"][3] == "优化教育。新建改扩建学校4所。"


def test_a_line_carried_over_a_page_break_stays_with_its_item():
    text = ("临潼区2024年十件民生实事\n一、新建幼儿园2所，新增学位600个。\n二、改造老旧小区12个。\n"
            "三、新建公共停车位1500个。\n四、新增城镇就业5000人。\n五、建成社区食堂8个，由专业机构持\n续运营。\n")
    items = parse_text(text, META).items
    assert items.height == 5 and items["text"][4].endswith("持续运营。")


def test_sections_without_a_lead_paragraph_keep_their_text_beside_those_with_one():
    text = ("鄠邑区2024年政府工作报告\n一、稳增长\n扩大有效投资。全年实施重点项目80个。\n促进消费升级。举办促消费活动20场。\n"
            "二、惠民生\n全面落实就业优先政策，新增城镇就业6000人。\n三、强治理\n持续深化“放管服”改革，办结率达到98%。\n")
    texts = parse_text(text, META).items["text"].to_list()
    assert len(texts) == 4
    assert any("新增城镇就业6000人" in t for t in texts) and any("办结率达到98%" in t for t in texts)


@pytest.mark.parametrize("numbers", [["（1）", "（2）", "（3）"], ["①", "②", "③"], ["1）", "2）", "3）"], ["1.", "2.", "3."]])
def test_a_task_tables_number_column_may_write_its_numbers_in_brackets_or_circles(numbers):
    """序号 written （1） or ① was refused as 'not a task number'."""
    rows = ["新建口袋公园10个", "改造老旧小区7个", "新增公共停车位300个"]
    text = "序号\t主要任务\t责任单位\n" + "".join(f"{n}\t{task}\t区住建局\n" for n, task in zip(numbers, rows))
    items = parse_text(text, META).items
    assert items["number"].to_list() == ["1", "2", "3"]
    assert items["text"].to_list() == rows


def test_a_task_tables_sub_numbers_keep_the_mark_they_are_written_with():
    """序号 4.5 became item 4-5, which a planner looking for task 4.5 does not find."""
    text = "序号\t主要任务\t责任单位\n4\t稳投资\t区发改委\n4.5\t新建口袋公园10个\t区住建局\n4-6\t改造老旧小区7个\t区住建局\n"
    assert parse_text(text, META).items["item_id"].to_list() == ["t:4", "t:4.5", "t:4-6"]


def test_numbered_tasks_run_together_in_one_paragraph_are_items_of_their_own():
    """…；4.新建学校3所；5.… was one item, with 4. and 5. read into its indicators."""
    text = ("户县2024年工作要点\n一、稳增长\n1.实施重点项目80个。\n2.新增市场主体3000户。\n二、惠民生\n"
            "3.新增城镇就业5000人；4.新建学校3所；5.改造老旧小区10个，增长4.5%；6.5%的增速不是第6项。\n")
    items = parse_text(text, META).items
    assert items["number"].to_list() == ["1", "2", "3", "4", "5"]
    assert items["text"][3].startswith("新建学校3所") and "6.5%的增速" in items["text"][4]


@pytest.mark.parametrize(
    "line, text, units",
    [
        ("1.新建学校3所，责任单位：区教育局", "新建学校3所", ["区教育局"]),
        ("1.推进老旧小区改造。牵头单位：区住建局；配合单位：区财政局、各街道", "推进老旧小区改造。",
         ["区住建局", "区财政局", "各街道"]),
        ("1.建设智慧城市（牵头单位：区数据局）", "建设智慧城市", ["区数据局"]),
    ],
)
def test_units_named_at_the_end_of_a_task_line_are_its_units(line, text, units):
    """Without brackets, 责任单位：区教育局 stayed in the task's text and the item had no units."""
    item = parse_text(f"未央区2024年重点工作任务\n一、稳增长\n{line}\n", META).items.row(0, named=True)
    assert (item["text"], item["units"]) == (text, units)


def test_articles_numbered_di_yi_tiao_are_tasks_under_their_chapters():
    """第一章 … 第一条 … was 'no plan items found'; a sentence opening 第一条道路 stays text."""
    text = ("某区2024年重点工作任务\n第一章 稳增长\n第一节 抓项目\n第一条 新建学校3所。\n第二条　改造老旧小区10个。\n"
            "第二章 惠民生\n第三条：新建公园2个。\n第一条道路建成后加强管护。\n")
    items = parse_text(text, META).items
    assert items["number"].to_list() == ["1", "2", "3"]
    assert items["section_path"].to_list()[0] == ["一、稳增长", "(一)抓项目"]
    assert items["text"].to_list() == ["新建学校3所。", "改造老旧小区10个。", "新建公园2个。第一条道路建成后加强管护。"]


@pytest.mark.parametrize(
    "progress, status",
    [
        ("已完成前期手续，正在推进主体施工", "in_progress"),  # was done: one step is not the task
        ("已完成80%", "in_progress"),
        ("已完成100%", "done"),  # neither done nor under way: read as under way
        ("全部建成，完成率100%", "done"),  # was under way
        ("超额完成任务", "done"),
        ("已竣工", "done"),
        ("已建成投用", "done"),
        ("已完成。", "done"),
        ("已完成投资5亿元，项目主体封顶", "in_progress"),  # says neither: a progress table's task is under way
        # said in other words, each read as under way (then 年底前 → 年底前 read 推迟12个月)
        ("完成年度目标任务", "done"), ("已按时完成", "done"), ("已顺利完成", "done"), ("按计划完成", "done"),
        ("新增转移就业5230人，完成年度目标的105%", "done"), ("已完成年度任务的120%", "done"),
        ("5个公园全部建成开放", "done"), ("已竣工验收", "done"),
        ("完成年度目标的95%", "in_progress"),
        # a 完成 its clause denies or puts ahead is not done
        ("受土地征收影响，未按计划完成，已完成主体结构", "in_progress"), ("未按时完成，正在推进收尾工作", "in_progress"),
        ("没有按时完成", "in_progress"), ("将按计划完成", "in_progress"), ("预计9月底全部建成开放", "in_progress"),
        ("未按期完成", "in_progress"),
        # a part done and the rest going on in the same sentence is under way (read done: first word won)
        ("提升改造已完成，4A创建申请已上报，正在推进", "in_progress"), ("主体工程已完成，附属工程加快推进", "in_progress"),
        ("已完成，正在验收", "done"), ("已完成。其余6个项目正在加快推进中", "done"),  # a last step; the verdict, then detail
    ],
)
def test_a_progress_cell_is_done_only_when_it_says_the_whole_task_is(progress, status):
    text = f"某区2023年重点任务落实情况\n序号\t主要任务\t责任单位\t进展情况\n1\t新建学校3所\t区教育局\t{progress}\n" \
           "2\t改造老旧小区10个\t区住建局\t已完成\n"
    assert parse_text(text, META).items["status"][0] == status


def test_a_quota_in_the_items_own_text_is_read_as_in_its_attachment():
    """Quotas were read from an item's 附件 only: written in the item itself, they were lost."""
    text = "西安市2024年为民实事\n1.充电桩建设。建成充电桩1000个，其中，灞桥区200个、莲湖区300个。\n" \
           "2.停车位建设。开工建设停车位5000个，灞桥区：800个。\n"
    city = DocumentMeta(id="c", title="t", jurisdiction="西安市", level="city", year=2024, kind="plan", file="c.txt")
    quotas = parse_text(text, city).items["quotas"].to_list()
    assert [[(q["jurisdiction"], q["value"]) for q in item] for item in quotas] == [
        [("灞桥区", 200.0), ("莲湖区", 300.0)], [("灞桥区", 800.0)]]
    # a district plan's own text gives no district a share: 为全区500个 was read as a quota
    district_text = "某区2024年工作要点\n1.为全区500个企业提供服务，其中灞桥区200个。\n"
    assert parse_text(district_text, META).items["quotas"].to_list() == [[]]


# The tester's outline plan, in traditional characters and as a simplified writer writes it.
TRADITIONAL_PLAN = "新城區2024年工作要點\n\n一、民生\n1.新建充電樁10個。\n2.改造老舊小區5個。\n3.建設學校3所。\n"
SIMPLIFIED_PLAN = "新城区2024年工作要点\n\n一、民生\n1.新建充电桩10个。\n2.改造老旧小区5个。\n3.建设学校3所。\n"
TRADITIONAL_TABLE = ("新城區2024年為民辦實事任務分解表\n\n序號\t主要任務\t責任單位\t完成時限\n"
                     "1\t新建充電樁200個\t區住建局\t2024年底前\n2\t完成老舊小區改造30個\t區住建局\t2024年底前\n"
                     "3\t新增學位2000個\t區教育局\t2024年底前\n")


def test_a_traditional_outline_gives_the_targets_and_kind_of_its_simplified_text(tmp_path):
    """A plan in traditional characters was read silently wrong: 新建充電樁10個 had no target (個 is
    no measure word the parser knows), 工作要點 no kind, and it matched nothing in xian-2024."""
    read = {}
    for name, text in (("traditional", TRADITIONAL_PLAN), ("simplified", SIMPLIFIED_PLAN)):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        parsed = parse_file(path, META)
        heading = heading_metadata(*document_heading(read_document_text(path)), set())
        read[name] = (targets(parsed.items), parsed.items["text"].to_list(), parsed.items["source_lines"].to_list(),
                      heading.kind, heading.jurisdiction)
    assert read["traditional"] == read["simplified"]
    assert read["traditional"][0] == [[(10.0, "个")], [(5.0, "个")], [(3.0, "所")]]
    assert read["traditional"][3:] == ("work_points", "新城区")
    assert read["traditional"][2][0] == [4, 4], "the line numbers are the file's"


def test_a_big5_traditional_task_table_is_read_by_its_header(tmp_path):
    """序號/主要任務/責任單位 was refused as "no plan items found: expected a header row (序号/主要任务/责任单位)"."""
    path = tmp_path / "big5.txt"
    path.write_bytes(TRADITIONAL_TABLE.encode("big5"))
    parsed = parse_file(path, META)
    items = parsed.items
    assert items["number"].to_list() == ["1", "2", "3"]
    assert items["text"].to_list() == ["新建充电桩200个", "完成老旧小区改造30个", "新增学位2000个"]
    assert items["units"].to_list() == [["区住建局"], ["区住建局"], ["区教育局"]]
    assert targets(items) == [[(200.0, "个")], [(30.0, "个")], [(2000.0, "个")]]
    assert any("read as traditional Chinese" in w and "繁体" in w for w in parsed.warnings), parsed.warnings


def test_a_simplified_plan_naming_qianxian_is_read_unchanged_and_a_traditional_one_converted(tmp_path):
    """OpenCC's t2s turns 乾县 into 干县 and 乾坤 into 干坤: a simplified plan is never converted."""
    simplified = ("咸阳市2024年工作要点\n一、县域经济\n1.支持乾县、武功、礼泉经济总量向200亿元迈进，扭转乾坤。\n"
                  "2.蓝田县洩湖中学新建教学楼1栋。\n")
    traditional = simplified.replace("咸阳市2024年工作要点", "咸陽市2024年工作要點") + TRADITIONAL_PLAN
    for name, text in (("simplified", simplified), ("traditional", traditional)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    read = read_document_text(tmp_path / "simplified.txt")
    assert read == simplified and not getattr(read, "notes", ())
    assert "1.新建充电桩10个。" in read_document_text(tmp_path / "traditional.txt").split("\n")


def _bundled_characters() -> list[str]:
    """Every character the five bundled (simplified) plans write, 乾 峯 洩 灝 among them."""
    documents = sorted((BUNDLED_DATA / "documents").glob("*.txt"))
    return sorted(set("".join(read_document_text(path) for path in documents)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_bundled_characters()), max_size=400))
@example("乾县乾坤乾县乾坤")
@example("蓝田县洩湖中学")
@example("正荣紫阙峯著灝乾洩")
def test_simplified_text_from_the_bundled_plans_characters_is_never_converted(text):
    read = as_simplified(text)
    assert read == text and not getattr(read, "notes", ())


def test_add_says_a_traditional_plan_was_converted(data_copy, tmp_path, capsys):
    path = tmp_path / "trad.txt"
    path.write_text(TRADITIONAL_PLAN, encoding="utf-8")
    args = ["add", str(path), "--jurisdiction", "新城区", "--parent", "西安市", "--data", str(data_copy.data_dir)]
    assert main(args) == 0
    said = capsys.readouterr()
    assert "registered 'xincheng-2024'" in said.out and "work_points" in said.out
    warned = [line for line in said.err.splitlines() if "read as traditional Chinese" in line]
    assert warned and "converted to simplified (简体) for matching" in warned[0], said.err
    assert "the file itself is unchanged" in warned[0] and "按繁体中文读取" in warned[0]
    assert (data_copy.data_dir / "documents" / "xincheng-2024.txt").read_text(encoding="utf-8") == TRADITIONAL_PLAN


def test_a_share_a_city_item_gives_a_district_is_its_quota_not_a_target_named_after_the_place():
    """改造村卫生室150个，其中宝塔区30个 gave the city item a second target, indicator 宝塔区, 30个, which
    target comparisons then read as one of its commitments."""
    meta = DocumentMeta(id="yanan-2024", title="t", jurisdiction="延安市", level="city", year=2024,
                        kind="livelihood_plan", file="a.txt")
    item = parse_text("延安市2024年为民办实事项目\n1. 改造提升标准化村卫生室150个，其中宝塔区30个、安塞区20个。\n",
                      meta).items.row(0, named=True)
    assert [(t["indicator"], t["value"]) for t in item["targets"]] == [("改造提升标准化村卫生室", 150.0)]
    other = parse_text("延安市2024年为民办实事项目\n1. 新建充电桩500个，其中宝塔区新建200个、安塞区新建100个。\n",
                       meta).items.row(0, named=True)
    assert [t["raw"] for t in other["targets"]] == ["新建充电桩500个"], "nor 宝塔区新建200个, named 宝塔区新建"
    assert [(q["jurisdiction"], q["value"]) for q in item["quotas"]] == [("宝塔区", 30.0), ("安塞区", 20.0)]


def test_a_deadline_on_a_line_of_its_own_is_the_items_deadline():
    """完成时限：2024年9月底前 under an item stayed in its text, and with 牵头单位 on one line it was lost."""
    meta = DocumentMeta(id="yl-2024", title="t", jurisdiction="榆林市", level="city", year=2024,
                        kind="livelihood_plan", file="a.txt")
    text = ("榆林市2024年为民办实事项目\n一、新建改扩建公办幼儿园20所\n新建改扩建公办幼儿园20所，新增学位4800个。\n"
            "责任单位：市教育局\n完成时限：2024年9月底前\n二、改造城镇老旧小区100个\n改造城镇老旧小区100个。\n"
            "牵头单位：市住建局；完成时限：2024年12月底前。\n")
    items = parse_text(text, meta).items
    assert items["deadline"].to_list() == ["2024年9月底前", "2024年12月底前"]
    assert not items["text"].str.contains("完成时限").any() and items["units"].to_list() == [["市教育局"], ["市住建局"]]


def test_a_prose_paragraph_with_a_quantity_but_no_lead_phrase_is_named_not_lost_unseen():
    """8 of 16 commitments of a tester's report in prose were left out without a word (only paragraphs
    opening with a lead sentence are tasks); they are named, and the tasks' ids stay as they were."""
    meta = DocumentMeta(id="yy-2024", title="t", jurisdiction="榆阳区", level="district", year=2024,
                        kind="work_report", file="a.txt")
    text = ("榆阳区2024年政府工作报告\n一、今年工作安排\n做强煤炭清洁高效利用。确保煤炭产量稳定在1.2亿吨左右。\n"
            "我们将坚定不移推进兰炭产业转型升级，年内完成12家兰炭企业超低排放改造。\n"
            "激发消费潜力。发放消费券2000万元。\n")
    parsed = parse_text(text, meta)
    assert parsed.items["title"].to_list() == ["做强煤炭清洁高效利用", "激发消费潜力"]
    assert any("lines 4" in warning and "未作为任务读入" in warning for warning in parsed.warnings)


def test_a_reports_closing_call_to_its_deputies_joins_no_item():
    """各位代表，新征程催人奋进……而努力奋斗！ was read into the last section's task (the README says sign-offs
    join no item); a paragraph to the deputies that commits to something (今年，我们将办好10件实事) is not a sign-off."""
    meta = DocumentMeta(id="yy-2024", title="t", jurisdiction="榆阳区", level="district", year=2024,
                        kind="work_report", file="a.txt")
    text = ("榆阳区2024年政府工作报告\n一、今年工作安排\n（一）加强政府自身建设\n始终把政治建设摆在首位，全年办结建议提案100%。\n"
            "各位代表，新征程催人奋进，新使命重任在肩。让我们团结一心，为谱写榆阳高质量发展新篇章而努力奋斗！\n")
    items = parse_text(text, meta).items
    assert not items["text"].str.contains("各位代表").any()
    assert items["text"].str.contains("办结建议提案100%").any()


def test_a_report_whose_line_breaks_were_lost_is_warned_of_and_a_table_run_together_named():
    """The bundled xianyang report with its body on one line (copied from a web page) read as 3 items
    instead of 33, without a word; a numbered list on one line said 'number 2 at lines 2 and 2'."""
    from align.registry import document_path, get_document

    meta = get_document(BUNDLED_DATA, "xianyang-2023")
    lines = [line for line in read_document_text(document_path(BUNDLED_DATA, meta)).split("\n") if line.strip()]
    whole = parse_text("\n".join(lines), meta)
    assert not any("丢失了换行" in w for w in whole.warnings)
    run_together = parse_text(lines[0] + "\n" + "".join(lines[1:]), meta)
    assert run_together.items.height < whole.items.height
    [warning] = [w for w in run_together.warnings if "丢失了换行" in w]
    assert "第 2 行" in warning and "line breaks were lost" in warning
    table = get_document(BUNDLED_DATA, "baqiao-2023")  # the task table's rows run together the same way
    rows = [line for line in read_document_text(document_path(BUNDLED_DATA, table)).split("\n") if line.strip()]
    with pytest.raises(DocumentParseError, match="line breaks were lost") as raised:
        parse_text(rows[0] + "\n" + "".join(rows[1:]), table)
    assert raised.value.line == 2


def test_a_long_progress_cell_in_a_task_table_is_no_run_together_text():
    """A table row whose 进展情况 cell tells its progress in 一是…五是 over 2,000 characters was warned of as
    paragraphs whose line breaks were lost, though its table read whole."""
    progress = "。".join(f"{n}是完成道路改造{i}公里，推进各项工作落实落细，确保按期完成任务目标，取得了明显成效" for i, n in
                        enumerate("一二三四五六七八九十" * 5, start=1))
    text = f"序号\t主要任务\t责任单位\t进展情况\n1\t改造道路10条\t区住建局\t{progress}。\n2\t新建公园3个\t区林业局\t已完成。\n"
    assert len(text.split("\n")[1]) > 2000
    parsed = parse_text(text, META)
    assert parsed.items.height == 2 and not any("丢失了换行" in w for w in parsed.warnings)


def test_repeated_task_numbers_are_named_within_their_section():
    """The refusal named 'number 1 at lines 3 and 6', though 二、 starts a new section between them; the repeats
    to fix are 6/8 and 7/9 (a bad-input probe)."""
    text = ("灞桥区2024年工作要点\n一、稳增长促发展\n1.全年新建5G基站300个。\n2.新增规上工业企业10家。\n二、惠民生补短板\n"
            "1.新建公办幼儿园3所。\n2.改造老旧小区40个。\n1.新建汽车充电站15处。\n2.新建口袋公园4个。\n")
    with pytest.raises(DocumentParseError) as raised:
        parse_text(text, META)
    assert raised.value.line == 8
    assert str(raised.value).endswith("task numbers repeat without a new section: number 1 at lines 6 and 8; "
                                      "number 2 at lines 7 and 9")


@pytest.mark.parametrize("charge", [
    "各牵头单位要高度重视，确保按期完成，每月向区政府督查室报送进展情况。", "各责任单位要高度重视，确保按期完成。",
    "各相关部门要高度重视，确保按期完成。", "各部门要高度重视，确保按期完成。",
    # … numbers or not (a review: 12项, 90%, 500万人次 in a charge joined item 2 as its targets)
    "各牵头单位要倒排工期、挂图作战，确保全年12项重点任务全部完成。", "各牵头单位要高度重视，每月5日前向区政府督查室报送进展情况。",
    "各街道要高度重视，确保按期完成，群众知晓率达到90%以上。", "各部门要加强宣传，力争全年接待游客突破500万人次。",
])
def test_a_closing_charge_to_the_lead_units_joins_no_item(charge):
    """各牵头单位要… after the last task was read into it (各部门要… was not; a tester's 郑州市 plan)."""
    text = f"某区2025年工作要点\n一、教育\n1.新建学校3所。\n2.新增一件事重点事项13项。\n{charge}\n某区人民政府\n2025年2月20日\n"
    assert parse_text(text, META).items["text"].to_list() == ["新建学校3所。", "新增一件事重点事项13项。"]


def test_a_charge_to_the_units_that_names_amounts_is_warned_of_and_a_boxs_lines_are_kept():
    """各责任单位要加快推进，新开工安置房3000套 after a task was dropped as a closing line with its amounts and no word; a
    charge joins no task (most only exhort, 确保满意度达到90%), so it is named in a warning. The line under a 专栏 label
    was in no item (reviews of this session's rules)."""
    text = ("历下区2025年重点工作任务\n一、城市更新\n1.推进城中村改造。\n各责任单位要加快推进，2025年新开工安置房3000套。\n"
            "2.推进学前教育扩容。新建幼儿园3所。\n专栏1 2025年教育重点项目\n实验幼儿园新建工程，新增学位360个。\n")
    parsed = parse_text(text, META)
    assert [[t["value"] for t in targets] for targets in parsed.items["targets"]] == [[], [3.0, 360.0]]
    assert "专栏" not in " ".join(parsed.items["text"])
    [warning] = [w for w in parsed.warnings if "charges the units" in w]
    assert "line 4" in warning and "新开工安置房3000套" in warning
