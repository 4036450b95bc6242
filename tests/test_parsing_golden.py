"""Golden facts about the five bundled documents, each read from the text by hand."""

from __future__ import annotations

import polars as pl
import pytest

from align.parsing import document_heading, heading_jurisdiction, heading_kind, heading_metadata
from align.readers import read_document_text
from align.registry import document_path, get_document
from align.settings import BUNDLED_DATA


def item(parsed, item_id: str) -> dict:
    rows = parsed.items.filter(pl.col("item_id") == item_id).to_dicts()
    assert rows, f"{item_id} missing"
    return rows[0]


def targets_of(row: dict) -> list[tuple]:
    return [(t["indicator"], t["value"], t["unit"], t["qualifier"]) for t in row["targets"]]


@pytest.mark.parametrize(
    "doc_id, count",
    [("baqiao-2023", 111), ("baqiao-2020", 107), ("xian-2024", 30), ("xixian-2023", 42), ("xianyang-2023", 33)],
)
def test_item_counts(parsed_docs, doc_id, count):
    items = parsed_docs(doc_id).items
    assert items.height == count
    assert items["item_id"].n_unique() == count
    assert items["item_id"].str.starts_with(f"{doc_id}:").all()


def test_baqiao_2023_statuses_match_the_preamble(parsed_docs):
    items = parsed_docs("baqiao-2023").items
    counts = dict(items.group_by("status").len().iter_rows())
    assert counts == {"done": 74, "in_progress": 37}
    assert [n for n in items["number"]] == [str(i) for i in range(1, 112)]


def test_baqiao_2023_rows(parsed_docs):
    parsed = parsed_docs("baqiao-2023")
    first = item(parsed, "baqiao-2023:1")
    assert first["text"] == "地区生产总值增长7%左右"
    assert first["units"] == ["区发改委"]
    assert targets_of(first) == [("地区生产总值增长", 7.0, "%", "左右")]
    charging = item(parsed, "baqiao-2023:75")
    assert targets_of(charging) == [("新建汽车充电站", 15.0, "处", "不少于")]
    assert charging["status"] == "done"
    assert charging["units"] == ["灞河新区市政公用事业部"]
    assert item(parsed, "baqiao-2023:19")["units"] == ["灞河新区高铁东城服务中心", "区城棚改中心"]
    assert item(parsed, "baqiao-2023:21")["units"] == ["区发改委", "资源规划灞桥分局", "区农业农村局"]
    assert item(parsed, "baqiao-2023:62")["units"][:3] == ["区交通局", "区秦岭保护执法局", "区发改委"]
    assert item(parsed, "baqiao-2023:25")["status"] == "in_progress", "正在推进中 before 已完成 in the text"
    assert item(parsed, "baqiao-2023:1")["status"] == "in_progress", "no status word: not reported done"
    old_compounds = item(parsed, "baqiao-2023:54")
    assert ("老旧小区改造", 7.0, "个", "") in targets_of(old_compounds)
    assert item(parsed, "baqiao-2023:13")["source_lines"] == [47, 47], "after a repeated header row"
    assert "<p>" not in item(parsed, "baqiao-2023:25")["progress"]
    assert "<p>" in item(parsed, "baqiao-2023:25")["raw_text"]


def test_baqiao_2020_sections_and_restarted_numbering(parsed_docs):
    parsed = parsed_docs("baqiao-2020")
    items = parsed.items
    done = items.filter(pl.col("status") == "done")
    assert done.height == 96
    assert done["section_path"].to_list()[0] == ["已完成"]
    pending = items.filter(pl.col("status") == "in_progress")
    assert pending["item_id"].to_list() == [f"baqiao-2020:p{i}" for i in range(1, 12)]
    assert pending["section_path"].to_list()[0] == ["持续推进"]
    assert any("98" in w for w in parsed.warnings), "the preamble's inconsistent count is reported"


def test_baqiao_2020_broken_rows_are_joined(parsed_docs):
    parsed = parsed_docs("baqiao-2020")
    row89 = item(parsed, "baqiao-2020:89")
    assert "重点行业安全生产执法监察" in row89["text"]
    assert row89["units"] == ["区交通局", "区市场监管局", "区应急管理局", "交警灞桥大队"]
    assert row89["source_lines"] == [108, 110]
    p7 = item(parsed, "baqiao-2020:p7")
    assert p7["text"].endswith("力争西安国际文创城项目早日落地。")
    row96 = item(parsed, "baqiao-2020:96")
    assert "区审计局依法履行审计监督职责" in row96["progress"], "a continuation-only row joins the row before"
    row32 = item(parsed, "baqiao-2020:32")
    assert row32["text"].startswith("2021年4月底前"), "a number followed by a year is still a task number"


def test_baqiao_2020_targets(parsed_docs):
    parsed = parsed_docs("baqiao-2020")
    assert targets_of(item(parsed, "baqiao-2020:4")) == [("地区生产总值增长", 7.5, "%", "以上")]
    assert ("城镇新增就业", 8000.0, "人", "不少于") in targets_of(item(parsed, "baqiao-2020:71"))
    assert ("老旧小区改造", 16.0, "个", "") in targets_of(item(parsed, "baqiao-2020:28"))
    assert item(parsed, "baqiao-2020:12")["units"] == ["区秦岭保护执法局", "资源规划灞桥分局"]


def test_xian_2024_categories_and_attachments(parsed_docs):
    parsed = parsed_docs("xian-2024")
    items = parsed.items
    categories = items["section_path"].list.get(1).unique(maintain_order=True).to_list()
    assert len(categories) == 10
    assert categories[0] == "(一)交通出行方面" and categories[-1] == "(十)便民服务方面"
    charging = item(parsed, "xian-2024:4")
    headings = [s["heading"] for s in charging["attachment"]]
    assert headings == ["总体目标", "落实措施", "具体项目", "资金来源", "进度计划"]
    assert charging["units"] == ["市发改委", "市住建局"]
    baqiao = [q for q in charging["quotas"] if q["jurisdiction"] == "灞桥区"]
    assert {(q["value"], q["unit"]) for q in baqiao} == {(200.0, "个"), (800.0, "个")}
    assert ("建成投运充电桩", 4700.0, "个", "") in targets_of(charging)
    assert ("开工建设公共停车位", 15000.0, "个", "") in targets_of(charging), "1.5万 multiplied out"
    compounds = item(parsed, "xian-2024:15")
    assert {"jurisdiction": "灞桥区", "value": 7.0, "unit": "个"} in [
        {k: q[k] for k in ("jurisdiction", "value", "unit")} for q in compounds["quotas"]
    ]
    assert item(parsed, "xian-2024:1")["units"] == ["市轨道集团"]
    assert "通用头部" not in " ".join(items["text"].to_list())
    assert not any(t.endswith("实施方案(市轨道集团)") for t in items["text"].to_list()), "attachment index is no item"


def test_xixian_2023_sections_and_headline(parsed_docs):
    parsed = parsed_docs("xixian-2023")
    items = parsed.items
    assert items["section_path"].list.get(0).n_unique() == 9
    first = item(parsed, "xixian-2023:1")
    assert first["title"] == "不断优化创新生态"
    assert first["section_path"] == ["一、坚持创新驱动发展,加快推进秦创原总窗口由势转能"]
    assert ("新增骨干数字企业", 30.0, "家", "以上") in targets_of(item(parsed, "xixian-2023:14"))
    headline = {(t["indicator"], t["value"], t["qualifier"]) for t in parsed.indicators}
    assert ("GDP增长", 20.0, "以上") in headline
    assert ("固投增长", 12.0, "以上") in headline


def test_xianyang_2023_lead_phrase_paragraphs(parsed_docs):
    parsed = parsed_docs("xianyang-2023")
    items = parsed.items
    titles = items["title"].to_list()
    assert titles[0] == "扩大投资稳增长"
    assert "激活消费促增长" in titles
    assert titles[-1] == "四是严纪律,永葆清廉之风"
    assert all(not t.startswith("一年来") for t in titles), "the 2022 review is not a task"
    assert all("数据皮皮侠" not in t for t in items["text"].to_list()), "watermark dropped"
    assert items["section_path"].list.get(0).unique().sort().to_list() == ["三、2023年重点工作", "四、全面加强政府自身建设"]
    headline = {(t["indicator"], t["value"], t["qualifier"]) for t in parsed.indicators}
    assert ("生产总值增长", 6.0, "左右") in headline


def test_xian_2024_more_hand_read_facts(parsed_docs):
    parsed = parsed_docs("xian-2024")
    childcare = item(parsed, "xian-2024:5")
    assert ("托位总数", 51900.0, "个", "达到") in targets_of(childcare), "5.19万 multiplied out exactly"
    assert childcare["units"] == ["市卫生健康委"]
    assert item(parsed, "xian-2024:13")["title"] == "推进回迁安置项目建设"
    assert item(parsed, "xian-2024:27")["units"] == ["市农业农村局", "市生态环境局", "市城管执法局"]
    assert item(parsed, "xian-2024:30")["units"] == ["市数据局"]

    def baqiao_quotas(item_id):
        return [(q["value"], q["unit"]) for q in item(parsed, item_id)["quotas"] if q["jurisdiction"] == "灞桥区"]

    assert baqiao_quotas("xian-2024:26") == [(15.0, "个")], "和美乡村示范村: 灞桥区15个"
    assert baqiao_quotas("xian-2024:28") == [(2.0, "个")], "各2个 distributes to every listed district"
    assert baqiao_quotas("xian-2024:7") == [(1.0, "所")]
    assert item(parsed, "xian-2024:1")["source_lines"] == [13, 13, 167, 197], "its own line, then its attachment's"


def test_xixian_2023_more_hand_read_facts(parsed_docs):
    parsed = parsed_docs("xixian-2023")
    education = targets_of(item(parsed, "xixian-2023:29"))
    assert ("新建改扩建学校", 20.0, "所", "") in education
    assert ("新增学位", 15420.0, "个", "") in education
    assert ("新增城镇就业", 9000.0, "人", "") in targets_of(item(parsed, "xixian-2023:27"))
    assert ("征迁储备土地", 8000.0, "亩", "") in targets_of(item(parsed, "xixian-2023:10"))
    assert ("粮食播种面积", 329000.0, "亩", "以上") in targets_of(item(parsed, "xixian-2023:33"))
    assert targets_of(item(parsed, "xixian-2023:8"))[0][0] != "坚决落实“毫不动摇”", "a numeral in a quoted slogan is no target"
    last = item(parsed, "xixian-2023:42")
    assert last["title"] == "持续加强党风廉政建设"
    assert last["section_path"][0].startswith("九、深化党的自我革命")
    assert item(parsed, "xixian-2023:21")["title"] == "加快推进新轴线建设"
    assert item(parsed, "xixian-2023:1")["source_lines"] == [7, 7]
    assert parsed.items["units"].list.len().sum() == 0, "工作要点 name no responsible units"
    headline = {(t["indicator"], t["value"], t["qualifier"]) for t in parsed.indicators}
    assert ("社会消费品零售总额增长", 10.0, "以上") in headline
    assert len(parsed.indicators) >= 12


def test_xianyang_2023_more_hand_read_facts(parsed_docs):
    parsed = parsed_docs("xianyang-2023")
    innovation = item(parsed, "xianyang-2023:8")
    assert innovation["title"] == "育强创新主体"
    assert ("新培育科技型中小企业", 200.0, "家", "") in targets_of(innovation)
    assert ("高新技术企业", 100.0, "家", "") in targets_of(innovation)
    manufacturing = item(parsed, "xianyang-2023:4")
    assert manufacturing["title"] == "加快建设制造强市"
    assert manufacturing["section_path"][1].startswith("(二)做大做强实体经济")
    assert item(parsed, "xianyang-2023:29")["title"] == "大道至简、实干为要"
    assert item(parsed, "xianyang-2023:1")["source_lines"] == [49, 49]
    subsections = parsed.items.filter(pl.col("section_path").list.len() == 2)["section_path"].list.get(1).n_unique()
    assert subsections == 9, "(一) … (九) under 三、2023年重点工作"
    headline = {(t["indicator"], t["value"], t["qualifier"]) for t in parsed.indicators}
    assert ("规模以上工业增加值增长", 7.0, "左右") in headline
    assert ("全社会固定资产投资增长", 8.0, "左右") in headline


@pytest.mark.parametrize(
    ("doc_id", "title", "year"),
    [
        ("baqiao-2020", "《灞桥区 2020 年政府工作报告》工作任务分解表", 2020),
        ("baqiao-2023", "2023 年《政府工作报告》目标任务落实情况 通 报", 2023),  # after a 督查专报 masthead
        ("xian-2024", "西安市人民政府办公厅关于印发2024年为民实事实施方案的通知", 2024),
        ("xianyang-2023", "2023年政府工作报告", 2023),  # after three lines of a download site's banner
        ("xixian-2023", "西咸新区2023年工作要点", 2023),
    ],
)
def test_each_bundled_document_names_its_own_title_and_year(doc_id, title, year):
    """xian-2024's notice keeps its whole line: the plan it issues (2024年为民实事实施方案) names no place."""
    meta = get_document(BUNDLED_DATA, doc_id)
    assert document_heading(read_document_text(document_path(BUNDLED_DATA, meta))) == (title, year)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("宝鸡市人民政府办公室关于印发宝鸡市2024年为民办实事实施方案的通知\n\n各县、区人民政府：", "宝鸡市2024年为民办实事实施方案"),
        ("咸阳市人民政府关于印发《咸阳市2024年为民实事实施方案》的通知\n", "咸阳市2024年为民实事实施方案"),
    ],
)
def test_a_notice_issuing_a_plan_gives_the_plans_title(text, title):
    """`add` registered 宝鸡市…关于印发…的通知 as the plan's title, which the registry then warned of."""
    assert document_heading(text) == (title, 2024)


def test_a_years_重点工作_is_a_title_and_a_sections_is_not():
    """`add` refused 天河区2025年重点工作.xlsx: its heading 'does not say its jurisdiction, level and year' (a tester)."""
    assert document_heading("天河区2025年重点工作\n1.新建公园3个。") == ("天河区2025年重点工作", 2025)
    assert heading_kind("天河区2025年重点工作") == "work_points"
    assert document_heading("一、重点工作\n1.新建公园3个。") == (None, None)
    # a report's section is no title, numbered or not (both prefilled the Add page; a review)
    assert document_heading("历下区城市更新三年行动\n一、2024年工作回顾\n二、2025年重点工作\n1.新建幼儿园3所。") == (None, None)
    assert document_heading("关于2024年工作情况的汇报\n2025年重点工作\n1.新建幼儿园3所。") == (None, None)
    # … while a title wrapped after its place still is one (a review), not a report's title before a section (another)
    assert document_heading("碑林区\n2025年重点工作\n1.新建学校3所。") == ("碑林区2025年重点工作", 2025)
    assert document_heading("碑林区人民政府\n2025年重点工作\n1.新建学校3所。") == ("碑林区人民政府2025年重点工作", 2025)
    assert document_heading("关于碑林区2024年工作情况的汇报\n2025年重点工作\n1.新建学校3所。") == (None, None)


@pytest.mark.parametrize(
    ("text", "title", "year", "place", "parent"),
    [
        ("政府工作报告\n——2024年1月9日在西安市灞桥区第十八届人民代表大会第四次会议上\n灞桥区人民政府区长\n各位代表：",
         "西安市灞桥区2024年政府工作报告", 2024, "灞桥区", "西安市"),
        ("2023年政府工作报告\n\n——2023年1月10日在咸阳市第九届人民代表大会第二次会议上", "咸阳市2023年政府工作报告",
         2023, "咸阳市", None),
        ("政府工作报告\n2025年1月8日在商州区十八届人大五次会议上", "商州区2025年政府工作报告", 2025, "商州区", None),
        ("政府工作报告\n（2024年1月9日在西安市灞桥区第十八届人民代表大会第四次会议上）", "西安市灞桥区2024年政府工作报告", 2024,
         "灞桥区", "西安市"),  # in brackets, as many reports print it
        ("政府工作报告\n――2024年1月9日在灞桥区第十八届人民代表大会第四次会议上", "灞桥区2024年政府工作报告", 2024, "灞桥区", None),
    ],
)
def test_a_report_titled_without_its_place_takes_it_from_the_congress_line_below(text, title, year, place, parent):
    """A report's own title is often only 政府工作报告; the line under it names the congress it was
    delivered to, and so the place (and the year) the Add page and `add` prefill."""
    assert document_heading(text) == (title, year)
    heading = heading_metadata(title, year, set())
    assert (heading.jurisdiction, heading.year, heading.kind, heading.parent) == (place, year, "work_report", parent)


@pytest.mark.parametrize(
    ("text", "year", "place"),
    [("关于莲湖区2024年重点工作的实施方案\n", 2024, "莲湖区"), ("莲湖区2023年工作总结暨2024年工作计划\n", 2024, "莲湖区"),
     ("莲湖区2024年工作要点暨2023年工作总结\n", 2024, "莲湖区"), ("关于西安市莲湖区2024年重点工作的实施方案\n", 2024, "莲湖区"),
     ("莲湖区2023年工作总结和2024年工作计划\n", 2024, "莲湖区"), ("关于西安市莲湖区2024年重点工作的实施意见\n", 2024, "莲湖区")],
)
def test_a_plan_titled_about_its_place_or_after_a_review_of_last_year_gives_its_own_place_and_year(text, year, place):
    """`add` registered 关于莲湖区 (id guanyulianhu-2024), and the plan for 2024 as lianhu-2023 (a bad-input probe)."""
    title, found_year = document_heading(text)
    heading = heading_metadata(title, found_year, set())
    assert (heading.jurisdiction, heading.year) == (place, year)


def test_a_notice_title_wrapped_over_two_lines_gives_the_plans_title():
    """…关于印发合肥市2025年 / 民生实事项目实施方案的通知: `add` asked for the place, level and year, and registered the
    title 民生实事项目实施方案的通知 (a tester's 合肥市 plan)."""
    text = "合肥市人民政府办公室关于印发合肥市2025年\n民生实事项目实施方案的通知\n各县（市）区人民政府：\n"
    assert document_heading(text) == ("合肥市2025年民生实事项目实施方案", 2025)
    assert document_heading("莲湖区2023年工作总结暨\n2024年工作计划\n") == ("莲湖区2023年工作总结暨2024年工作计划", 2024)


def test_a_title_about_work_on_a_place_names_no_place_first():
    """关于加快推进莲湖区… gave the place 加快推进莲湖区 once 关于 alone was taken for a notice's lead (a review)."""
    from align.parsing import heading_jurisdiction

    assert heading_jurisdiction("关于加快推进莲湖区2024年重点项目建设的实施方案") == (None, None)
    assert heading_jurisdiction("关于全区2024年重点工作的实施方案") == (None, None), "registered as 关于全区 (a probe)"


def test_a_congress_line_far_below_the_title_or_a_title_with_a_place_is_left_as_written():
    """Only the two lines right under the title speak for it, and a title naming its place keeps it."""
    assert document_heading("政府工作报告\n各位代表：\n现在，我代表区政府向大会报告工作。\n在灞桥区第十八届人民代表大会上") == (
        "政府工作报告", None)
    assert document_heading("雁塔区2024年政府工作报告\n——2024年1月在西安市灞桥区第十八届人民代表大会上")[0] == "雁塔区2024年政府工作报告"


@pytest.mark.parametrize("doc_id", ["baqiao-2020", "baqiao-2023", "xian-2024", "xianyang-2023", "xixian-2023"])
def test_each_bundled_heading_names_the_kind_and_place_it_was_registered_with(doc_id):
    """What the Add page and `plan-align add` prefill reproduces the bundled registry, id included."""
    meta = get_document(BUNDLED_DATA, doc_id)
    title, year = document_heading(read_document_text(document_path(BUNDLED_DATA, meta)))
    heading = heading_metadata(title, year, set())
    if heading.jurisdiction is None:  # xianyang's 2023年政府工作报告 names no place: the planner gives it
        heading = heading_metadata(title, year, set(), jurisdiction=meta.jurisdiction)
    assert (heading.jurisdiction, heading.level, heading.year, heading.kind, heading.id) == (
        meta.jurisdiction, meta.level, meta.year, meta.kind, doc_id)
    assert heading_metadata(title, year, {doc_id}, jurisdiction=meta.jurisdiction).id == f"{doc_id}-2", "never taken"


@pytest.mark.parametrize(
    ("title", "place"),
    [
        ("西咸新区2023年工作要点", ("西咸新区", "new-area")),
        ("西安高新区2024年工作要点", ("西安高新区", "district")),  # a development zone, though it ends in 新区
        ("《灞桥区 2020 年政府工作报告》工作任务分解表", ("灞桥区", "district")),
        ("西安市人民政府办公厅关于印发2024年为民实事实施方案的通知", ("西安市", "city")),
        ("2023年政府工作报告", (None, None)),  # xianyang's report names no place in its title
        ("关于推进城市更新的实施方案", (None, None)),  # 关于推进城市 is not a city
        ("西安市雁塔区2023年工作要点", ("雁塔区", "district")),  # was 西安市雁塔区: a jurisdiction of its own
        ("陕西省西安市2024年为民实事实施方案", ("西安市", "city")),
        ("陕西省2024年政府工作报告", ("陕西省", "province")),
        # a county named in one character (眉县 was no place: its plan could not be added without --jurisdiction)
        ("眉县2024年《政府工作报告》重点工作任务分解表", ("眉县", "county")),
        ("宝鸡市眉县2024年工作要点", ("眉县", "county")),
        ("全县2024年重点工作任务", (None, None)),  # the whole county, or our county: no name
        ("我县2024年工作要点", (None, None)),
    ],
)
def test_a_title_names_its_jurisdiction_and_level_only_when_it_opens_with_one(title, place):
    assert heading_jurisdiction(title) == place
