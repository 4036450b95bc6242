"""Parsing a planning document into the plan-item table.

Two general shapes cover Chinese planning documents:

* **Task tables** (任务分解表, 落实情况统计表): tab-separated rows under a header that names
  its columns (序号, 主要任务, 责任单位, 进展情况 …). The header may repeat on every page,
  a row may be broken across lines, a row may hold only the continuation of the one
  before, and a section heading such as ``持续推进 11 项：`` may restart the numbering.
* **Outlines** (工作要点, 为民实事, 政府工作报告): Chinese outline numbering (一、 （一） 1.
  （1） ①). Numbered paragraphs are the items; where a document numbers none, each
  paragraph that opens with a short lead phrase (``扩大投资稳增长。``) is one. An
  attachment (``附件3``) is attached to the item with the same number, unless its title names
  another item (a plan attaching 附件1–4 to four of its twenty items).

Nothing here names a particular document: the rules are the shapes above.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import cn2an
import polars as pl
from rapidfuzz import fuzz

from align.deadlines import read_deadline
from align.exceptions import PROBLEMS_LISTED, DocumentParseError
from align.items import items_frame
from align.normalize import CN_DIGITS, normalize_text, parse_number, spaced_out
from align.readers import DEFAULT_MAX_BYTES, read_document_text, simplified
from align.registry import LEVELS, DocumentMeta, suggest_id
from align.targets import (
    MEASURE_UNITS,
    SubstringIndex,
    extract_quotas,
    extract_targets,
    named_jurisdiction,
    unit_family,
    unit_without_span,
)
from align.units import department_keys, split_units

MAX_LINE_CHARS = 200_000

HEADER_ROLES: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "task": ("主要任务", "工作任务", "目标任务", "重点任务", "任务内容", "任务名称", "任务", "工作内容", "事项", "重点工作",
             "具体工作", "工作事项", "工作要点", "项目名称", "实事项目", "民生实事", "项目内容"),
    "units": ("责任单位", "牵头单位", "责任部门", "牵头部门", "承办单位", "主办单位", "负责单位", "实施单位",
              "责任主体", "承办部门", "主办部门", "负责部门", "实施部门"),
    # Read after the lead units: they serve the task too, and a department key may only appear here.
    "co_units": ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "协办部门"),
    # What the task commits to, when a table writes it beside the task: part of the task's text.
    "detail": ("目标要求", "工作目标", "具体目标", "目标", "工作措施", "具体措施", "主要内容", "建设内容", "实施内容",
               "工作要求", "年度目标", "主要目标", "预期目标", "量化指标", "目标值"),
    # A quantity's unit in a column of its own (目标值 420.3 | 单位 亿元): written after the detail's number.
    # A column headed 单位 that names departments (区住建局) is read as the units it names.
    "measure": ("计量单位", "单位"),
    # When the task is due, as the table writes it (2023年12月底前, 长期坚持): kept as written.
    "deadline": ("完成时限", "完成时间", "时限要求", "完成期限", "时间节点", "截止时间", "时限", "时间要求", "目标时限",
                 "目标时间", "任务时限"),
    "progress": ("进展情况", "完成情况", "落实情况", "推进情况", "进展"),
    # A plan's remarks (市考核指标, 一期已完成): shown with the progress, never read as the task's status (one remark
    # made a plan a progress report, every other task 推进中)
    "remarks": ("备注",),
}
STATUS_WORDS = (("已完成", "done"), ("已经完成", "done"), ("完成情况", None), ("持续推进", "in_progress"),
                ("正在推进", "in_progress"), ("推进中", "in_progress"), ("未完成", "in_progress"))

_CN_NUM = "一二三四五六七八九十百"
_LEVEL1 = re.compile(rf"^([{_CN_NUM}]+)\s*[、.．]\s*(.*)$")
_LEVEL2 = re.compile(rf"^[(（]\s*([{_CN_NUM}]+)\s*[)）]\s*(.*)$")
_LEVEL3 = re.compile(r"^(\d{1,6})\s*[.、．](?:(?!\d)|(?=\d{4}年))\s*(.*)$")
_LEVEL4 = re.compile(r"^[(（]?\s*(\d{1,3})\s*[)）]\s*(.*)$")  # （1） and 1）
# 1.1 / 2.3.1: an outline number, then a space or a mark
_DOTTED = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3}){1,3})(?:\s+|\s*[、．]\s*)(?![\d%])(.*)$")
# … written close up (1.1新建学校3所), where no quantity opens the line: a magnitude (1.5万人次), a measure word of
# two characters or more (1.2公里及配套管网, 3.5平方米), or one of one standing alone or qualified (2.1米以上, 1.5米至2米,
# 1.2米宽), not the first character of a word (1.3人才公寓, 1.2户内改造)
_DOTTED_CLOSE_UP = re.compile(
    r"^\s*(\d{1,3}(?:\.\d{1,3}){1,3})(?=[\u4e00-\u9fff])(?![万亿千百倍]|"
    + "|".join(re.escape(unit) for unit in MEASURE_UNITS if len(unit) > 1) + "|(?:"
    + "|".join(re.escape(unit) for unit in MEASURE_UNITS if len(unit) == 1)
    + r")(?:(?![\u4e00-\u9fff])|以上|以内|以下|左右|的|及|至|到|余|多|宽|高|长|深|厚))(.*)$"
)
# 第一章 … 第一节 … 第一条 …, as rules and some plans number themselves: a chapter is a 一、
# section, a 节 a （一） one and an article a numbered task. A space or mark must follow (第一条道路 opening a sentence is text).
_ARTICLE = re.compile(r"^第\s*([一二三四五六七八九十百零〇]+|\d{1,3})\s*(条|章|节)(?:\s+|\s*[、:：,，.．])\s*(.*)$")
_ATTACHMENT_INDEX = re.compile(r"^附\s*件\s*[:：]\s*(.*)$")
# 附件1, 附件一, 附件1：老旧小区改造实施方案, 附件 2 标题: an attachment begins (its number right after 附件;
# 附件：1.… is the index of them).
_ATTACHMENT_START = re.compile(rf"^附\s*件\s*(\d{{1,3}}|[{_CN_NUM}]{{1,3}})(?:\s*[:：、.．]\s*|\s+|$)(.*)$")
_INDEX_UNITS = re.compile(r"[(（]([^()（）]+)[)）]\s*$")
# A list marker at the start of a line or after a clause (…：1.改造…；2.加装…), Arabic or 一、.
_LIST_MARKER = re.compile(rf"(?:^|(?<=[。；;:：]))\s*(\d{{1,3}}(?=[.．、](?![\d%]))|[{_CN_NUM}]{{1,3}}(?=、))")
# A list run together on one line (…。二、提升医疗服务能力。…, …；4.新建学校3所；5.…): each 一、 or
# 4. after a full stop or semicolon opens a line of its own (4.5% is a number, not an item).
_RUN_ON_ITEM = re.compile(rf"(?<=[。；;:：）)])\s*(?=[{_CN_NUM}]{{1,3}}、)|(?<=[。；;])\s*(?=\d{{1,3}}[.．、](?![\d%]))")
_UNIT_ROLES = r"(?:责任|牵头|配合|协办|主办|承办)(?:单位|部门)"
_LABEL = r"[\u4e00-\u9fff]{2,6}"  # 牵头单位, 完成时限: the label of a part written 标签：内容
_UNITS_LINE = re.compile(rf"^{_UNIT_ROLES}\s*[:：].+$")
# … holding one level of brackets of its own (责任单位：各县（市）区政府: the units were lost and the note left in the text)
_INLINE_UNITS = re.compile(rf"[(（]\s*({_UNIT_ROLES}\s*[:：](?:[^()（）]|[(（][^()（）]*[)）])*)[)）]")
# The same named at the end of a task without brackets: 新建学校3所，责任单位：区教育局。
# The deadline among the labelled parts a task's units are written with (完成时限：2024年6月底前).
_DEADLINE_WORDS = r"(?:完成|截止|办结)?(?:时限|时间|期限|时间节点)(?:要求)?"
_DEADLINE_LABEL = re.compile(rf"^{_DEADLINE_WORDS}$")
_DEADLINE_LINE = re.compile(rf"^{_DEADLINE_WORDS}\s*[:：].+$")
_TRAILING_UNITS = re.compile(  # each part's value stops at ；: text after the units is no unit
    rf"[,，。;；]\s*({_UNIT_ROLES}\s*[:：][^()（）:：;；]+"
    rf"(?:[,，;；]\s*(?:{_UNIT_ROLES}|{_DEADLINE_WORDS})\s*[:：][^()（）:：;；]+)*)[。;；]?$"
)
# A document's sign-off after its last item: a date, the issuing office, a closing exhortation.
_CLOSING_LINE = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*印发)?"
    r"|[\u4e00-\u9fff()（）]{2,30}(?:办公室|办公厅|人民政府|管委会|委员会|领导小组)"
    r"(?:\s*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*(?:印发)?)?"
    # 各部门要…, 各地各部门要高度重视…, 各牵头单位要… (not a task's own words with its dates: 各街道要于6月底前完成选址;
    # one naming amounts is warned of, see _charge_with_numbers)
    # (unless it reports to an office: 各部门要在年底前将全年工作完成情况报区政府办公室)
    r"|各(?:(?![^。]*(?:于|在)\s*(?:\d|年底|年内|今年|本年|[一二三四五六七八九十]+月))"
    r"|(?=[^。]*(?:全年|各项任务|工作完成情况|任务完成情况|任务清单))|(?=[^。,，]{0,16}(?:抓好|狠抓)落实[。!！]?$))"
    r"(?:地|级)?各?"
    r"(?:(?:牵头|责任|承办|配合|相关|有关|成员)?(?:部门|单位)|街道|镇街|级各部门)(?:[、,，]|要|务必|必须).*"
    # … and the places charged with the plan (各区县、各部门要切实加强组织领导…, 请各区县结合实际认真组织实施), not a
    # task's own words about them (各区要于6月底前完成选址, 各区县要进一步加大推进力度，灞桥区、莲湖区分别建设200个、300个)
    r"|请?各(?!.*\d)(?:区县|县区|县\(?市\)?区|县\(市[、,，]区\)|区\(县[、,，]市\)|区|县|市|功能区|开发区)(?:人民)?(?:政府)?"
    r"(?:[、,，]各[\u4e00-\u9fff()（）]{1,8}?)*"
    r"(?:(?:要|务必|必须)?(?:切实|认真|高度重视|加强组织领导|结合实际|进一步|抓好落实|务必|必须)|要对照(?:目标|任务)).*"
    # a report's closing call to its deputies (各位代表，新征程催人奋进……而努力奋斗！): it joined the last item
    # (not 各位代表，我们将努力办好每一件实事！ inside a section)
    r"|各位代表(?:[,，]|[!！](?!.*\d))(?:.*让我们.*|.*(?:奋斗|奋进|前进|前行|进军|篇章|业绩|辉煌|胜利|新局面|新时代|贡献|正当其时|成就未来"
    r"|而(?:努力)?(?:拼搏|奋斗))(?!的?(?:目标|方向))[^。!！]{0,4})[!！])$"
)
def _charge_with_numbers(line: str) -> list[str]:
    """The amounts a closing charge to the units names (各责任单位要加快推进，新开工安置房3000套; 确保满意度达到90%):
    such a line joins no task, as a charge mostly only exhorts, and is named in a warning so nothing goes unread."""
    if not line.startswith(("各", "请各")):
        return []
    return [target["raw"] for target in extract_targets(line) if unit_family(target["unit"]) != "time"]


# Page furniture a PDF or print leaves between the lines of a task: — 5 —, - 6 -, 第 7 页 共 12 页, 3/12.
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]+\s*\d{1,4}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，、/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页)\s*$"
)
# A sentence that goes on: the text before a line ends without a full stop.
_SENTENCE_END = tuple("。！!？?；;")
# A task cell that stops on a comma or enumeration mark goes on in the next line.
_CLAUSE_GOES_ON = tuple("，,、：:")
_ORDINAL_CLAUSE = re.compile(rf"(?:^|(?<=[。；;，,：:]))\s*([{_CN_NUM}]{{1,2}})是")
_ORDINAL_LEAD = re.compile(rf"^[{_CN_NUM}]是[^。]{{1,20}}。")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_REVIEW_HEADING = re.compile(r"回顾|总结|成绩|过去")
# A heading that is itself a look back, its numbered lines what was done or found, not tasks: a noun phrase naming the
# review and nothing else (一、2023年工作总结（摘要）, 回顾2023年工作, 2023年取得的成绩, 二、存在的问题和不足,
# 2023年工作回顾及存在问题, 区政府2023年上半年工作总结, 近三年工作回顾, 工作中存在的问题, 面临的困难和问题), not a task
# about one (认真查摆存在问题, 着力解决存在问题, 做好经验总结, 巩固提升2023年创建成绩,
# 针对存在的问题逐项整改, 深化课程改革，总结推广典型经验), nor 重点任务完成情况, a progress report's tasks
_LOOKING_BACK = re.compile(
    r"回顾.*|(?:[\u4e00-\u9fff]{1,8}?(?:省|市|区|县|街道|镇|乡|政府))?"
    r"(?:\d{4}年度?|过去(?:的)?(?:一|三|五)?年|去年|上年|今年以来|一年来|近年来|近[一二三四五]年|[一二三四五]年来"
    r"|[“\"]?十[一二三四五]五[”\"]?(?:时期)?以来)?(?:上半年|下半年|以来)?的?"
    r"(?:(?:主要)?(?:工作)?(?:情况)?(?:总结|回顾)(?:(?:及|和|与)存在的?(?:主要)?问题)?"
    r"|(?:取得的|主要)?(?:工作)?成[绩效](?:(?:和|与|及)(?:经验|不足))?"
    r"|(?:当前|目前|工作中)?(?:存在|面临)?的?(?:主要)?(?:困难(?:和|与|及))?问题(?:(?:和|与|及)(?:不足|短板|困难))?)")


def _looks_back(heading: str, year: int | None = None) -> bool:
    """Whether a section heading is a look back (see :data:`_LOOKING_BACK`), or one at an earlier year's work (in a
    2024 plan: 2023年工作情况, 2023年重点工作完成情况, 2023年主要工作及成效, 上年度工作完成情况; not 2023年工作总结及
    2024年工作打算, which holds the plan's own)."""
    heading = re.sub(rf"^(?:[{_CN_NUM}]+、|[(（][{_CN_NUM}]+[)）])|[(（][^()（）]*[)）]$", "", heading).strip("。:： ")
    if _LOOKING_BACK.fullmatch(heading):
        return True
    years = [int(y) for y in re.findall(r"(\d{4})\s*年", heading)]
    opens_with_a_year = re.match(r"(?:[\u4e00-\u9fff]{1,8}?(?:区|县|市|政府))?(?:\d{4}\s*年|上年|去年)", heading)
    earlier = bool(opens_with_a_year) and (not years or year is not None and max(years) < year)
    # 2023年工作总结及下一步工作打算, …及今年工作安排: the plan's own work too
    ahead = re.search(r"下一步|下步|明年|今后|(?:今年|本年)度?的?(?:主要|重点)?(?:目标)?(?:工作|安排|任务|打算|计划|重点|目标"
                      r"|努力方向|方向)|打算|思路", heading)  # (not 今年1—2月工作情况, 今年已完成工作: this year's so far)
    return earlier and not ahead and bool(re.search(r"(?:工作|完成|开展|进展)情况|成效|成绩|总结|回顾$", heading))


# Sections that frame the tasks rather than commit to one (二、工作要求, 保障措施): never items
_FRAMEWORK_HEADING = re.compile(r"(?:工作|有关|总体)要求|保障措施|组织保障|组织领导|组织实施|指导思想|基本原则|总体思路|"
                                r"工作机制|实施步骤|职责分工")
_HEADLINE = re.compile(r"主要(?:预期)?目标(?:是|为)?\s*[:：]?")
_COUNT_SUFFIX = re.compile(r"\s*[(（]?\s*(?:共\s*)?\d+\s*项\s*[)）]?$")
_SECTION_LINE = re.compile(r"^(?:#+\s*)?(.{2,24}?)\s*[:：]\s*$")
_COUNT_TOTAL = re.compile(r"共(?:计)?\s*(\d+)\s*项")
_COUNT_STATUS = re.compile(r"(已完成|持续推进|正在推进中?)\s*(\d+)\s*项|(\d+)\s*项(?:任务)?\s*(已完成|正在推进中?)")
_MD_HEADING = re.compile(r"^#+\s*")
_LEAD_MAX = 20


_TITLE_WORDS = re.compile(r"报告|要点|分解表|统计表|方案|计划|规划|清单|实事|通报|实施意见")
# Words that name a list of tasks only beside a year (未央区2024年重点工作任务), not in a body line; and beside a year
# and a place (天河区2025年重点工作, not a report's section 2025年重点工作).
_DATED_TITLE_WORDS = re.compile(r"任务|安排")
_PLACED_TITLE_WORDS = re.compile(r"重点工作")
# A line that is a place's name and nothing else: the first half of a title wrapped after it (碑林区 / 2025年重点工作).
_ONLY_A_PLACE = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:省|市|区|县|新区|新城)(?:人民政府)?")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_HEADING_LINES = 15


# The level each ending of a place name stands for, longest first so 高新区 is not read as 区.
# A development zone (高新区, 经开区) is governed at district level: not a 新区 although it ends in one.
_PLACE_LEVEL = {"高新区": "district", "经开区": "district", "开发区": "district", "新区": "new-area", "自治县": "county",
                "区": "district", "县": "county", "市": "city", "省": "province"}
_PLACE_ENDING = "|".join(_PLACE_LEVEL)
_LEVEL_ENDING = re.compile(f"({_PLACE_ENDING})$")
# A place opens the title when a year, a government body or a quoted name follows it; a county's name
# may be one character (眉县, 礼县), unless it is a word for a county (全县, 我县, 区县).
_TITLE_PLACE = re.compile(
    rf"^[《“]?\s*((?!关于)[\u4e00-\u9fff]{{2,6}}?(?:{_PLACE_ENDING})|(?![全本我该各每区市某])[\u4e00-\u9fff]县)"
    rf"(?=\s*(?:\d|人民政府|政府|委|《|“))"
)


def soft_lines(parts: list[str]) -> list[str]:
    """The lines of a paragraph broken by typed line breaks (Word's Shift+Enter): a part opening with a number or a
    heading mark (1.新建学校3所, 二、城市建设), or after one that ends a sentence, starts a line; any other continues
    the one before, as a title wrapped by hand (莲湖区2024年⏎重点工作任务分解方案 lost its place and year)."""
    lines: list[str] = []
    for part in parts:
        clean = normalize_text(part)
        starts = not lines or not lines[-1].strip() or lines[-1].rstrip().endswith((*_SENTENCE_END, "：", ":")) or bool(
            _LEVEL1.match(clean) or _LEVEL2.match(clean) or _LEVEL4.match(clean) or _numbered_line(clean, None)
            or _DOTTED.match(part) or _ATTACHMENT_START.match(clean))
        if starts:
            lines.append(part)
        else:
            lines[-1] += part
    return lines


def _numbered_line(text: str, previous: str | None) -> re.Match[str] | None:
    """A ``12.`` or ``12、`` task line. Four or more digits count only where they continue the
    list (``1000.`` right after ``999.``): a line that opens with a year (``2023.``) is text."""
    match = _LEVEL3.match(text)
    if match and len(match.group(1)) >= 4 and not (previous and previous.isdigit()
                                                   and int(previous) + 1 == int(match.group(1))):
        return None
    return match


def _dotted_line(raw: str, previous: str | None) -> tuple[str, str, bool] | None:
    """(number, text, whether it continues the outline) of a line that opens with an outline number (``2.1 新建公厕15座``),
    read from the line as written (normalising drops the space after the number). Written close up (1.1新建学校3所),
    only where it continues the outline and no quantity opens the line (1.5万人次, a line wrapped in a sentence)."""
    if match := _DOTTED.match(raw):
        return match.group(1), normalize_text(match.group(2)), _next_in_outline(match.group(1), previous)
    if (match := _DOTTED_CLOSE_UP.match(raw)) and _next_in_outline(match.group(1), previous):
        return match.group(1), normalize_text(match.group(2)), True
    return None


def _next_in_outline(number: str, previous: str | None) -> bool:
    """Whether outline number ``number`` can come right after ``previous`` (1.2 → 1.3, 1.2.1 or
    2.1; 3 → 3.1), so a wrapped line that opens with a quantity (1.5 万人次) is not a task."""
    parts = [int(part) for part in number.split(".")]
    before = [int(part) for part in previous.split(".")] if previous and re.fullmatch(r"\d+(?:\.\d+)*", previous) else []
    if not before:
        return parts[-1] == 1  # the first of a list (1.1, or 2.1 where the list starts in part 二)
    if parts[:len(before)] == before and len(parts) > len(before):
        return all(part == 1 for part in parts[len(before):])  # a first child
    for depth in range(min(len(parts), len(before))):
        if parts[:depth] == before[:depth] and parts[depth] == before[depth] + 1:
            return all(part == 1 for part in parts[depth + 1:])
    return False


def jurisdiction_level(place: str | None) -> str | None:
    """The level a place name ends with: 雁塔区 → district, 西咸新区 → new-area, 西安高新区 → district."""
    found = _LEVEL_ENDING.search((place or "").strip())
    return _PLACE_LEVEL[found.group(1)] if found else None


# The province and city a title may name before the place itself (陕西省西安市雁塔区), when a
# place of at least two characters follows them.
_PARENT_PLACES = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}?省)?(?:[\u4e00-\u9fff]{2,3}?市)?(?=[\u4e00-\u9fff]{2,})")


# How a notice's title opens before the plan it issues (关于印发…的通知), or a plan's own 关于 before its place
# (关于莲湖区…的实施方案; 关于加快推进莲湖区… names no place first).
_NOTICE_LEAD = re.compile(r"^(?:关于(?:印发|转发|下达|(?=[\u4e00-\u9fff]{2,4}?(?:省|市|区|县)))|印发|转发|下达)")


def heading_jurisdiction(title: str | None) -> tuple[str | None, str | None]:
    """The jurisdiction a title opens with and its level: ``西咸新区2023年工作要点`` gives
    ``("西咸新区", "new-area")``, and ``西安市雁塔区…`` gives 雁塔区; ``(None, None)`` when the title
    names no place first."""
    place = _heading_places(title)[1]
    return place, jurisdiction_level(place) if place else None


def heading_parent(title: str | None) -> str | None:
    """The city a title writes before its own place, the plan's parent: ``西安市莲湖区2024年…`` gives
    西安市; None when it writes none. A province is left out (陕西省西咸新区…: the registry keeps a new
    area or a county-level city under a city, and a plan compared under a province is rare)."""
    cities = re.findall(r"[\u4e00-\u9fff]{2,3}?市", re.sub(r"^[\u4e00-\u9fff]{2,3}?省", "", _heading_places(title)[0]))
    return cities[-1] if cities else None


def _heading_places(title: str | None) -> tuple[str, str | None]:
    """What a title writes before its place (西安市 in 西安市莲湖区…), and the place itself."""
    found = _TITLE_PLACE.match(_NOTICE_LEAD.sub("", title or ""))  # 关于印发雁塔区2024年… names 雁塔区
    if not found:
        return "", None
    place = _PARENT_PLACES.sub("", found.group(1)) or found.group(1)  # 西安市雁塔区 is 雁塔区
    return found.group(1)[:len(found.group(1)) - len(place)], place


# What kind of plan a title names, first match wins: a table of a 政府工作报告's tasks (分解表,
# 落实情况) is a task table, not a report.
_TITLE_KINDS = (
    (re.compile(r"分解表|分解及|统计表|任务表|情况表|清单|台账|落实情况"), "task_table"),  # …任务分解及推进情况表
    (re.compile(r"实事"), "livelihood_plan"),
    (re.compile(r"要点|工作任务|工作安排|重点任务|重点工作$"), "work_points"),
    (re.compile(r"工作报告"), "work_report"),
    (re.compile(r"规划|方案|计划|意见"), "plan"),
)


def heading_kind(title: str | None) -> str | None:
    """The registry kind a title names (``…工作任务分解表`` → ``task_table``, ``…为民实事实施方案``
    → ``livelihood_plan``); None when it names none of them."""
    return next((kind for pattern, kind in _TITLE_KINDS if pattern.search(title or "")), None)


def _plan_year(title: str) -> re.Match[str] | None:
    """The year a title's plan is for: 2023年工作总结暨（和）2024年工作计划 is the plan for 2024, the year of the part
    that is no review of a year."""
    parts = [part for part in re.split(r"暨|[和及](?=\d{4}\s*年)", title) if not re.search(r"总结|回顾", part)]
    return next((found for part in parts if (found := _TITLE_YEAR.search(part))), None) or _TITLE_YEAR.search(title)


def document_heading(text: str) -> tuple[str | None, int | None]:
    """The title a document gives itself and the year in it, to prefill its registration.

    The first short line, among the first few, that names a kind of plan (报告, 要点,
    分解表, 方案 …): ``西咸新区2023年工作要点`` gives that title and 2023. Either is None
    when no line qualifies; the planner confirms both before registering.
    """
    lines = (_MD_HEADING.sub("", line).strip() for line in text.split("\n"))
    lines = (normalize_text(line) if spaced_out(line) else line for line in lines)  # 高 陵 区 2 0 2 4 年
    heading_lines = [line for line in lines if line][:_HEADING_LINES]
    for at, line in enumerate(heading_lines):
        if len(line) > 60 or line.endswith(("：", ":", "，", ",")):
            continue
        year = _plan_year(line)
        if any(level.match(line) for level in (_LEVEL1, _LEVEL2, _LEVEL3)):  # 二、2025年重点工作: a section, no title
            continue
        if _TITLE_WORDS.search(line) or (year and _DATED_TITLE_WORDS.search(line)) or (
                year and _PLACED_TITLE_WORDS.search(line) and (heading_jurisdiction(line)[0] or at and _ONLY_A_PLACE.fullmatch(
                    heading_lines[at - 1]) and heading_jurisdiction(heading_lines[at - 1] + line)[0])):
            before = heading_lines[at - 1] if at else ""
            if not heading_jurisdiction(line)[0] and before and not before.endswith(_SENTENCE_END + ("：", ":", "，", ",")) \
                    and len(before + line) <= 80 and heading_jurisdiction(
                        (found.group("title") if (found := _NOTICE_OF.fullmatch(before + line)) else before + line))[0]:
                # a title wrapped over two lines (…关于印发合肥市2025年 / 民生实事项目实施方案的通知): both
                line = before + line
                year = _plan_year(line)
            # the plan a notice issues is the document's title, when it names its place
            if (notice := _NOTICE_OF.fullmatch(line)) and heading_jurisdiction(notice.group("title"))[0]:
                line = notice.group("title")
            if not heading_jurisdiction(line)[0] and (session := _congress_session(heading_lines[at + 1:at + 3])):
                place, held = session  # 政府工作报告 / ——2024年1月9日在西安市灞桥区第十八届人民代表大会…
                line = place + (f"{held}年" if not year and held else "") + line.lstrip("《").replace("》", "", 1)
                year = year or _TITLE_YEAR.search(line)
            return re.sub(r"\s+", " ", line), int(year.group(1)) if year else None
    return None, None


# The line under a report's title: ——2024年1月9日在西安市灞桥区第十八届人民代表大会第四次会议上.
_CONGRESS_SESSION = re.compile(
    rf"^[（(]?\s*[—\-－–―─]*\s*(?:((?:19|20)\d{{2}})\s*年.{{0,12}}?)?在\s*([\u4e00-\u9fff]{{2,12}}?(?:{_PLACE_ENDING}))"
    r"\s*第?[一二三四五六七八九十]{1,3}届人(?:民代表)?大"
)


def _congress_session(lines: list[str]) -> tuple[str, str | None] | None:
    """The place and year of the congress a report was delivered to, from the lines under its title,
    for a report whose title names no place (政府工作报告, 2023年政府工作报告)."""
    for line in lines:
        if found := _CONGRESS_SESSION.match(line):
            return found.group(2), found.group(1)
    return None


# 某市人民政府办公室关于印发《某市2024年为民办实事实施方案》的通知: the plan it issues, named inside.
_NOTICE_OF = re.compile(r".*?关于印发\s*《?(?P<title>[^《》]{4,}?)》?\s*的\s*通知")


@dataclass(frozen=True)
class HeadingMetadata:
    """A new document's registration as far as its heading gives it; None where it says nothing."""

    title: str | None
    jurisdiction: str | None
    level: str | None
    year: int | None
    kind: str | None
    id: str | None  # in the registry's style, never one already taken
    parent: str | None = None  # the place the title writes before its own (西安市 in 西安市莲湖区…)


def heading_metadata(
    title: str | None, year: int | None, taken: set[str], *, jurisdiction: str | None = None,
    parent: str | None = None, cities: Collection[str] = (),
) -> HeadingMetadata:
    """The registration a heading (:func:`document_heading`) suggests: ``西咸新区2023年工作要点``
    gives 西咸新区, new-area, 2023, work_points, ``xixian-2023``.

    A ``jurisdiction`` or ``parent`` the planner gives wins over the heading's, and the level and id
    follow from them, so ``plan-align add`` and the Add page fill a registration the same way: a 市 under
    one of the registered city plans' ``cities`` (神木市 under 榆林市) is a county-level city.
    """
    written = heading_jurisdiction(title)[0]
    place = jurisdiction or written
    # the heading's parent is of the heading's place, not of another the planner gave
    above = parent or (heading_parent(title) if place == written else None)
    level = jurisdiction_level(place)
    return HeadingMetadata(
        title=title, jurisdiction=place, level="county" if level == "city" and above in cities else level, year=year,
        kind=heading_kind(title), id=suggest_id(place, year, taken) if place and year else None, parent=above,
    )


@dataclass
class ParsedDocument:
    """The parse of one document: its items, headline indicators and warnings."""

    meta: DocumentMeta
    items: pl.DataFrame
    indicators: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Draft:
    number: str
    section_path: list[str]
    first_line: int
    last_line: int
    task: str = ""
    raw_lines: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    progress: str = ""
    deadline: str = ""
    status: str | None = None
    prefix: str = ""
    attachment: list[dict] = field(default_factory=list)
    quota_text: str = ""
    title: str = ""
    attachment_lines: list[int] = field(default_factory=list)  # [first, last] of its 附件, far below the item
    outline: list[str] = field(default_factory=list)  # the 一、/（一） ordinals it sits under, as digits
    remarks: str = ""  # a 备注 cell, read as progress only where the column reports it


def parse_document(path: str | Path, meta: DocumentMeta, *, max_bytes: int = DEFAULT_MAX_BYTES) -> pl.DataFrame:
    """The item table of one document file."""
    return parse_file(path, meta, max_bytes=max_bytes).items


def parse_file(path: str | Path, meta: DocumentMeta, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    text = read_document_text(path, max_bytes=max_bytes)
    return parse_text(text, meta, path=path)


def parse_text(text: str, meta: DocumentMeta, *, path: str | Path = "<text>") -> ParsedDocument:
    """Parse document text; raises ``DocumentParseError`` naming the file and line."""
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise DocumentParseError(
                f"the line is {len(line)} characters long (limit {MAX_LINE_CHARS}); is this really a plan?",
                path=path,
                line=number,
                zh=f"这一行有 {len(line)} 个字符（上限 {MAX_LINE_CHARS}），不像是规划文本",
            )
    if not any(line.strip() for line in lines):
        raise DocumentParseError("the file is empty.", path=path, zh="文件是空的")
    lines = ["" if PAGE_NUMBER.match(line) or _bare_page_number(lines, number) else line
             for number, line in enumerate(lines)]  # blank, so line numbers stay
    header_line = _find_table_header(lines)
    if header_line is not None:
        drafts, warnings = _parse_table(lines, path)
        indicators: list[dict] = []
    else:
        drafts, indicators, warnings = _parse_outline(lines, path, year=meta.year)
    if not drafts:
        raise DocumentParseError(
            "no plan items found: expected numbered tasks (1. …), a task table with a header row "
            "(序号/主要任务/责任单位), or paragraphs opening with a short lead phrase.",
            path=path,
            zh="没有找到条目：应有编号的任务（1. …）、带表头（序号/主要任务/责任单位）的任务表，或以短句开头的段落",
        )
    items = _to_frame(drafts, meta)
    notes = [f"{path}: {note}" for note in getattr(text, "notes", ())]  # what the file's reader left out
    return ParsedDocument(meta=meta, items=items, indicators=indicators,
                          warnings=[*notes, *warnings, *_run_together(lines, path)])


def _bare_page_number(lines: list[str], at: int) -> bool:
    """Whether line ``at`` is a page number standing alone (…新增学位 | 12 | 540个。 read 新增学位12540个): a number
    between blank lines, at a page break (\\f), after a sentence, or inside one that goes on over it. A quantity
    wrapped onto a line of its own keeps its unit, and a table's row its tabs."""
    if not re.fullmatch(r"\s*\d{1,3}\s*", lines[at].replace("\f", "")):
        return False
    before, after = (lines[at - 1] if at else ""), (lines[at + 1] if at + 1 < len(lines) else "")
    if "\f" in lines[at] or after.startswith("\f") or before.endswith("\f") or not before.strip() and not after.strip():
        return True
    if before.rstrip().endswith(_SENTENCE_END):
        return True  # a sentence ended above it: no quantity of it (…改造老旧小区20个。 | 13 read 。13)
    return bool(before.strip() and after.strip()) and not before.rstrip().endswith(_CLAUSE_GOES_ON) \
        and not _OPENS_A_LINE_OF_ITS_OWN.match(after.strip())


# A line that opens an item or heading of its own (1. 一、 （一） 附件): no sentence runs on into it
_OPENS_A_LINE_OF_ITS_OWN = re.compile(rf"\d{{1,3}}\s*[.、．]|[{_CN_NUM}]+、|[(（]|附\s*件")


# A task's opening inside a running line: after a full stop, an outline number (（三）, 四、, 5.) or
# an ordinal clause (二是); many in one line are paragraphs whose line breaks were lost.
_OPENING_INSIDE = re.compile(rf"[。；;]\s*(?:[（(][{_CN_NUM}]{{1,3}}[)）]|[{_CN_NUM}]{{1,3}}、|\d{{1,3}}[.．、](?!\d)|[{_CN_NUM}]是)")
_RUN_TOGETHER_CHARS = 2000
_RUN_TOGETHER_OPENINGS = 5


def _run_together(lines: list[str], path: str | Path) -> list[str]:
    """A warning naming lines that hold many paragraphs run together: text copied from a PDF or a web
    page without its line breaks read as 3 items instead of 33, without a word."""
    long = [(number, len(line), len(_OPENING_INSIDE.findall(line))) for number, line in enumerate(lines, start=1)
            if len(line) > _RUN_TOGETHER_CHARS and "\t" not in line]  # a table row's progress cell may be long
    found = [(number, size, count) for number, size, count in long if count >= _RUN_TOGETHER_OPENINGS]
    if not found:
        return []
    shown = "、".join(str(number) for number, _, _ in found[:PROBLEMS_LISTED])
    most = max(count for _, _, count in found)
    return [f"{path}: 第 {shown} 行很长且含多达 {most} 处段落或编号的开头，像是丢失了换行的多段文字，条目可能被合并，"
            f"请用原文件或按段落分行后再读入 line(s) {', '.join(str(n) for n, _, _ in found[:PROBLEMS_LISTED])} "
            f"run up to {most} paragraphs or numbered tasks together, as text whose line breaks were lost; items "
            "may be merged: read the original file, or put each paragraph on its own line."]


# ---------------------------------------------------------------- task tables


def header_key(cell: str) -> str:
    """A header cell as compared with the vocabulary: normalised, in simplified characters (a spreadsheet's
    序號 is 序号: its header is looked for before its text is read as traditional), without spaces (nor the ；
    a line break typed inside the cell is read as: 责任 | 单位 is 责任单位)."""
    return simplified(normalize_text(cell)).replace(" ", "").replace(";", "")


def recognise_columns(cells: list[str], vocabulary: dict[str, tuple[str, ...]] = HEADER_ROLES) -> dict[int, str]:
    """The role of each header cell that names one (equal to a word, or starting with it).

    A cell takes the role of the longest word it matches, the earlier role on a tie, so
    目标任务 is a task and 目标时限 a deadline, not target columns. A role goes to its first
    column only; a second task column (工作任务 | 目标任务) is read as the first one's detail. The
    text parser and the spreadsheet readers share it (the readers' vocabulary adds a status column).
    """
    roles: dict[int, str] = {}
    for index, cell in enumerate(cells):
        name = header_key(cell)
        matches = [(len(word), -order, role) for order, (role, words) in enumerate(vocabulary.items())
                   for word in words if name and (name == word or (len(word) > 1 and name.startswith(word)))]
        if matches and not name.startswith(("任务数", "任务量")):  # 任务数（所）: a count, not the task
            role = max(matches)[2]
            if role == "remarks" and any(word in name for word in vocabulary.get("progress", ())):
                role = "progress"  # 备注（进展情况）: the progress, headed as a remark
            if role == "task" and "task" in roles.values() and "detail" in vocabulary:
                role = "detail"  # 工作任务 | 目标任务: the second says what the first commits to
            if role == "detail" and re.search("目标|指标", name):  # 工作措施 | 年度目标: the targets win
                roles = {i: r for i, r in roles.items() if r != "detail" or re.search("目标|指标", header_key(cells[i]))}
            if role not in roles.values():
                roles[index] = role
    return roles


def row_by_role(cells: list[str], roles: dict[int, str], header: list[str], left_out: set[int] | None = None
                ) -> dict[str, str]:
    """A table row's cells by role, a bare number under a header naming its unit (目标（个）) with that unit. A
    quantity in a column without a header of its own after the task is the task's: a header cell merged across two
    columns (主要任务 over 新建学校 | 3所) leaves the second unnamed, and the target was dropped without a word. Any
    other text in a column without a header is not read: its column goes into ``left_out``, to be named."""
    row = {role: cells[i] if i < len(cells) else "" for i, role in roles.items()}
    for i, role in roles.items():  # 目标（个） | 5: the count's unit is in the header (5 alone gave no target)
        if role == "detail" and i < len(header) and (unit := _HEADER_UNIT.search(normalize_text(header[i]))) \
                and re.fullmatch(r"\d+(?:\.\d+)?[万亿]?", number := normalize_text(row[role])) \
                and not (number[-1] in "万亿" and unit.group(1)[0] in "万亿"):  # 1,500 or 1，500 too; not 1.5亿 | 万元
            # said again beside a task that states it (新建学校5所 | 5) it is no second target
            row[role] = "" if re.search(rf"(?<![\d.]){re.escape(number)}\s*{re.escape(unit.group(1))}",
                                        normalize_text(row.get("task", ""))) else number + unit.group(1)
    owner = None
    for i, name in enumerate(header):
        if name.strip():
            owner = roles.get(i) if roles.get(i) in ("task", "detail") else None
        elif i < len(cells) and (more := cells[i].strip()):
            if owner is not None and extract_targets(more):
                row[owner] += more  # a quantity only: a contact (张三 138…) or a note is no part of the task
            elif left_out is not None and i not in roles:
                left_out.add(i)
    return row


def _unnamed_columns_note(columns: set[int]) -> str:
    """The warning for columns without a header whose text was not read (改造提升公园绿地 beside 新建公园, co-units
    beside the units: left out without a word)."""
    shown = "、".join(str(i + 1) for i in sorted(columns))
    return (f"第 {shown} 列没有表头，其中的文字未读取，请给这些列加上表头 column(s) {shown} have no header, so their text "
            "was not read; give them a header (such as 具体内容 or 配合单位).")


def _header_roles(cells: list[str]) -> dict[int, str] | None:
    """Column roles if this row is a header row (short cells naming the columns), else None."""
    if any(len(cell.strip()) > 16 for cell in cells):
        return None  # a data row: header cells are short, task cells are not
    roles = recognise_columns(cells)
    if "task" in roles.values() and len(roles) >= 2:
        return roles
    return None


def _find_table_header(lines: list[str]) -> int | None:
    """The line of the task table's header, if the document is a task table.

    A table inside a 附件 of a numbered plan (a city item's 任务分解 by district) is part of
    that attachment, not the document's task table, unless it names responsible units or
    deadlines: a notice numbers its requirements and attaches the task table itself.
    """
    numbered_before = False
    in_attachment = False
    for number, line in enumerate(lines):
        clean = line.strip()
        if "\t" in line and (roles := _header_roles(line.split("\t"))) is not None:
            owned = in_attachment and numbered_before and not {"units", "deadline"} & set(roles.values())
            return None if owned else number  # a notice's 1. 2. requirements, then its task table: the table
        if _ATTACHMENT_START.match(clean) or _ATTACHMENT_INDEX.match(clean):
            in_attachment = True
        elif not in_attachment and _numbered_line(normalize_text(clean), None):
            numbered_before = True
    return None


# What a progress cell says of its task as a whole: 已完成, 全部建成, 超额完成任务, 完成率100% are
# done; 已完成前期手续 or 已完成投资5亿元 is one step of it, and 已完成80% is not all of it.
_WHOLLY = r"(?:全部|全面|超额|按期|如期|按时|按(?:照|年度|序时)?计划|超计划|顺利|提前|圆满)"
_AT_LEAST_ALL = r"(?:[1-9]\d{2,}(?:\.\d+)?|一百)\s*%"  # 100% or more: 完成年度目标的105%
_HAND_OVER = r"(?:交付使用|交付|投入使用|投入运营|投用|投运|开通运营|开通|通车|开放|试运营|运营|通过(?:竣工)?验收|验收|开业|落地)"
_DONE_PROGRESS = re.compile(
    rf"(?:(?:已经?|均已)(?:于[^,，。;；]{{1,12}}?)?{_WHOLLY}?|{_WHOLLY})(?:完成|建成|竣工|完工|办结)"
    r"(?:全年|年度|既定|建设|目标|计划|改造|提升|整治|施工|安装)*(?:任务)?"
    rf"(?:并?{_HAND_OVER})?(?=$|[,，。;；!！、)）(（])"
    # a hand-over done said alone (已交付使用, 已开通运营, 已通过验收, 已于8月交付使用; each read neither, so the task
    # read 推进中)
    rf"|(?:已经?|均已)(?:于[^,，。;；]{{1,12}}?)?{_WHOLLY}?{_HAND_OVER}(?=$|[,，。;；!！、)）(（])"
    rf"|完成(?:率|进度)?(?:达到?|为)?\s*{_AT_LEAST_ALL}|完成(?:全年|年度)?(?:目标|任务|计划)+的\s*{_AT_LEAST_ALL}"
    r"|^(?:完成|办结|已办结|完成(?:全年|年度)(?:目标)?任务)(?=$|[,，。;；!！])"
)
_TIME_TO_COME = r"(?:今年|本年|明年|\d{4}年)?(?:年?底前?|年内|\d{1,2}月(?:底|\d{1,2}日)?前?)"
# A 完成 its clause denies or puts ahead: 未按计划完成, 没有按时完成, 将按计划完成, 预计9月底全部建成, 计划年底交付 (not
# 按序时计划已完成, 按照计划已全部建成).
_NOT_YET = re.compile(r"未|没有|没能|不能|无法|将|预计|(?<![按照时超度])计划(?=于|在|年|今|明|下半|上半|\d|[一二三四五六七八九十]{1,2}月)"
                      r"|力争|争取|拟|待|确保"
                      # 目标：…, 目标是…, 目标今年年底前… (not 年度目标已全部完成)
                      rf"|(?<![按照])目标(?:(?:\s*[:：]|是|为)\s*(?:{_TIME_TO_COME})?|\s*{_TIME_TO_COME})\s*$")
# … or sets a time still to come after a stage is reported (主体结构已封顶，年底前全部完工; not 6月底前已全部完成,
# 截至11月底前全部完工, 年底前如期建成)
_BY_A_TIME = re.compile(r"(?:年底|年内|月底?|\d日|季度)前")
# (a stage reported: 主体结构已封顶, 已开工, 施工进度过半, 完成选址和招标, 装修中; not one dated in a timeline, 6月开工)
_STAGE_REPORTED = re.compile(r"主体|封顶|在建|正在|收尾|中$|前期|施工|选址|开工|招标|(?:桩|地)基础")
_DATED = re.compile(r"\d{1,2}\s*月|[一二三四五六七八九十]{1,2}月|[一二三四]季度|\d{4}年|今年(?!以来)|去年|年初|年中|上半年|下半年|春节"
                    r"|节后")
# Said before a done word, a part of the task, not all of it: 其中2所已完工, 一期已交付使用, 主体已完工, 东段已通车
_PART_DONE = re.compile(r"其中|部分|[一二三]期|首批|首期|主体|土建|[东西南北中]段|路段|附属|局部|分期|第[一二三]批")
# Said after a part done, the task goes on (not 正在验收, a done task's last step, nor 持续推进, a yearly task's going on).
_STILL_GOING = re.compile(r"正在推进|推进中|进行中|正在实施|正在建设|在建|尚未|未完成|加快推进")
_UNDER_WAY_PROGRESS = re.compile(r"未完成|尚未|正在|推进中|进行中|(?:主体|仍|尚)?在建|(?:持续|加快|有序|稳步)推进|已完成\d{1,2}(?:\.\d+)?%")


def _progress_status(text: str, task: str = "") -> str | None:
    """The status a progress cell gives its task: done, under way, or None when it says neither
    (a table that reports progress then counts the task as under way). The first word that
    says either wins: 已完成，正在验收 is done; 已完成前期手续，正在推进施工 is under way; but a
    part done and the rest said to go on is under way (主体工程已完成，附属工程加快推进; 提升改造已完成，
    4A创建正在推进 read as done). A cell that opens by reporting amounts done is done when they reach
    each of the ``task``'s targets in their units (已完成312户 of 改造300户; 已完成5所 of 5所 read under way)."""
    clean = normalize_text(text)
    if (status := _worded_status(clean, task)) is not None:
        return status
    return "done" if task and _DONE_AMOUNT.match(clean) and _amounts_reach(clean, task) else None


# A progress cell that opens by reporting what was done, in amounts: 已完成5所, 已建成312户, 累计新增1050个.
_DONE_AMOUNT = re.compile(r"^(?:已经?|均已|累计|共)?(?:完成|建成|新建|新增|改造|实现|开展|举办|培训|服务|开通|交付使用|交付"
                          r"|投入使用|投用)")


# The stages of a project before it is built: an amount of these is no amount of the work done.
_EARLY_STEP = re.compile(r"前期|手续|选址|立项|可研|设计|招标|审批|征地|拆迁|规划|方案|开工|启动|签约|主体|封顶|土建")
# … named right before the amount (已完成选址工作5所, 开工建设5所, 立项的5个; not 已建成规划的5所, 启动区5所), and a
# stage the work ends with
_EARLY_STEP_BEFORE = re.compile(r"(?:前期|手续|选址|立项|可研|设计|招标|审批|征地|拆迁|开工|签约|封顶)"
                                r"(?:工作|建设|方案|手续|项目)?的?\s*$")
# (itself done, not what is prepared for: 竣工验收前准备工作)
_HANDED_OVER = re.compile(r"(?:交付|投用|投入使用|验收|竣工|建成)++(?!前|准备)")


def _amounts_reach(progress: str, task: str) -> bool:
    """Whether every target of ``task`` whose unit the progress reports an amount in is reached by it, and
    there is one. An amount of an early step of the work (完成5所学校前期手续, 新增5所学校的选址工作 read done) is not
    the work done; 已建成5所学校并投入使用 is."""
    done: dict[str, float] = {}
    for target in extract_targets(progress):
        amount = re.search(rf"[\d{CN_DIGITS}][\d{CN_DIGITS}.]*\s*(?:[万亿千百]\s*)?(?:余|多)?\s*{re.escape(target['unit'])}",
                           target["raw"])
        # (an amount written apart from its unit, 5万农村人口, has no stage around it to read)
        before, after = (target["raw"][:amount.start()], target["raw"][amount.end():]) if amount else ("", "")
        handed = _HANDED_OVER.search(after)
        handed = handed if handed and not _NOT_YET.search(after[:handed.start()]) else None  # 力争年底交付: not yet
        if _EARLY_STEP.search(after) and not handed or _EARLY_STEP_BEFORE.search(before) \
                or after.lstrip().startswith("中的"):
            continue  # 完成5所学校主体施工, 已完成选址工作5所, 已完成5所中的3所; not …施工并交付使用
        done[unit_without_span(target)] = max(done.get(unit_without_span(target), 0.0), target["value"])
    measured = [t for t in extract_targets(task) if unit_without_span(t) in done]
    return bool(measured) and all(done[unit_without_span(t)] >= (t.get("upper") or t["value"]) for t in measured)



def _worded_status(clean: str, task: str = "") -> str | None:
    done = next((m for m in _DONE_PROGRESS.finditer(clean)
                 if not _not_yet(_clause_before(clean, m.start()), m, clean)
                 and not _a_part_before(_clause_before(clean, m.start()), task)), None)
    # in the same sentence only: 已完成。…其余6个项目正在加快推进中 is the table's verdict, then detail
    if done and _STILL_GOING.search(clean, done.end(), _sentence_end(clean, done.end())):
        return "in_progress"
    found = [(m.start(), status) for m, status in ((done, "done"), (_UNDER_WAY_PROGRESS.search(clean), "in_progress"))
             if m]
    return min(found)[1] if found else None


def _the_whole_task(parts: set[str], task: str) -> bool:
    """Whether the parts named in progress are all the task is (一期 of 开通地铁10号线一期, 一期、二期 of 建成灞河公园
    一期、二期), not some of the parts it names (一期 of 建设地铁8号线一期、二期, 主体 of 主体工程及附属设施, 首批 of
    分三批交付)."""
    head, _, listed_text = task.partition("其中")  # (其中一期1000套: a part of the task, not all it is)
    whole = set(_PART_DONE.findall(head))
    if not whole and len(listed := set(_PART_DONE.findall(listed_text)) - {"其中"}) > 1:
        # 其中一期800套、二期1200套: all its parts, where they add up to it (no total, or parts in another unit: not
        # judged short)
        totals = extract_targets(normalize_text(head))
        alike = [t["value"] for t in extract_targets(normalize_text(listed_text))
                 if totals and t["unit"] == totals[0]["unit"]]
        whole = listed if not alike or sum(alike) >= totals[0]["value"] else set()
    return "其中" not in parts and parts >= whole > set() and not re.search(r"分[两二三四五]?[批期段]", task)


def _not_yet(before: str, done: re.Match[str], cell: str) -> bool:
    """Whether the words before a done word put it ahead (将, 力争, 确保, 计划年底), or a time to come beside a stage the
    cell reports (主体结构已封顶，年底前全部完工; 年底前全部完工，目前正在进行主体施工)."""
    said = before + done.group(0)
    said_done = re.search(r"已|截至|截止", said) or not re.search(r"有望|可以?|需要?|要求|预期|定于|拟于", before) \
        and re.search(r"如期|按期|于", said)  # (于10月底前全部建成; not 有望于年底前, 年底前可如期建成)
    return bool(_NOT_YET.search(before)) or bool(_BY_A_TIME.search(before)) and not said_done and any(
        _stage_reported(clause.group(0), after=clause.start() >= done.end())
        for clause in re.finditer(r"[^,，。;；]+", cell) if not clause.start() <= done.start() < clause.end())


def _stage_reported(clause: str, *, after: bool) -> bool:
    """Whether a clause of a progress cell reports a stage the work is at: before the done word undated (施工进度过半,
    主体已封顶; not 6月开工, a timeline, nor 开工后), after it as the present (目前正在进行主体施工; not 施工期间未发生
    安全事故)."""
    if not (stage := _STAGE_REPORTED.search(clause)):
        return False
    if after:
        return bool(re.search(r"目前|现|正在|已|处于", clause))
    return "已" in clause or not _DATED.search(clause, 0, stage.start()) and not clause.endswith("后")


def _a_part_before(before: str, task: str) -> bool:
    """Whether the words before a done word say only a part was done: a part named (一期, 主体, 东段) or an amount short
    of the task's in its unit (2条线路已开通运营 of 5条, 两所已投用 of 3所); 5所学校已全部建成 of 5所 is all of it."""
    if _PART_DONE.search(before) and not _the_whole_task(set(_PART_DONE.findall(before)), task):
        return True
    units = {unit_without_span(target) for target in extract_targets(before)}
    return any(unit_without_span(target) in units for target in extract_targets(task)) and not _amounts_reach(before, task)


def _sentence_end(text: str, at: int) -> int:
    end = text.find("。", at)
    return len(text) if end == -1 else end


def _clause_before(text: str, at: int) -> str:
    return re.split(r"[,，。;；]", text[:at])[-1]


def _status_of(text: str) -> str | None:
    """The status a section heading gives its tasks (已完成 12 项, 持续推进 11 项)."""
    head = normalize_text(text)[:16]
    found = [(head.find(word), status) for word, status in STATUS_WORDS if word in head]
    return min(found, key=lambda hit: hit[0])[1] if found else None


def _parse_table(lines: list[str], path: str | Path) -> tuple[list[_Draft], list[str]]:
    drafts: list[_Draft] = []
    warnings: list[str] = []
    roles: dict[int, str] = {}
    header_cells: list[str] = []
    unread_said: set[str] = set()
    unnamed_text: set[int] = set()  # columns without a header whose text was not read
    header_width = 0
    header_at = 0
    section: list[str] = []
    section_status: str | None = None
    section_prefix = ""
    max_number = 0
    section_first = True
    used_prefixes: set[str] = set()
    preamble: list[tuple[int, str]] = []
    parent_number: str | None = None  # the last task numbered 1, 2, 3: ① ② under it are its sub-tasks
    in_sub_list = False
    table_started = False
    text_since_row = False  # a line of text after the last row: the task table may have ended

    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if "\t" not in line:
            text_since_row = bool(drafts)
            clean = normalize_text(_MD_HEADING.sub("", line))
            # (or a kind of task merged across a row: 民生保障类（2项）)
            heading = _SECTION_LINE.match(clean) or _table_section(clean) or _SECTION_LABEL.fullmatch(clean)
            is_section = bool(heading) and len(clean) <= 30
            if is_section and heading:
                name = _COUNT_SUFFIX.sub("", heading.group(1) if heading.re is not _SECTION_LABEL else clean).strip()
                section = [name]
                section_status = _status_of(name)
                section_prefix = ""
                section_first = True
                parent_number = None
                preamble.append((lineno, clean))
            elif not table_started or not drafts:
                preamble.append((lineno, clean))
            # A numbered line above the table (an intro's own list) or below it is not a row: say so.
            if not is_section and (drafts or not table_started) \
                    and _numbered_line(clean, drafts[-1].number if drafts else None):
                warnings.append(
                    f"{path}, line {lineno}: 表格外的编号行未读取 a numbered line outside the table was ignored: "
                    f"{clean[:40]}"
                )
            elif not is_section and drafts and drafts[-1].task.rstrip().endswith(_CLAUSE_GOES_ON) \
                    and not _CLOSING_LINE.match(clean) and not _TABLE_FOOT.match(clean):
                drafts[-1].task += clean  # a task cell wrapped onto a line of its own (…完成投资35亿元，| 惠及…)
                drafts[-1].raw_lines.append(line)
                drafts[-1].last_line = lineno
            continue
        cells = line.split("\t")
        candidate_roles = _header_roles(cells)
        if candidate_roles is not None:
            # each sheet of a workbook has its header: its own unread columns are said too (承办部门 on sheet 2)
            unread = [c.strip() for i, c in enumerate(cells) if c.strip() and i not in candidate_roles
                      and c.strip() not in unread_said]
            if unread:
                unread_said.update(unread)
                warnings.append(f"{path}, line {lineno}: 未读取的列 column(s) {'、'.join(unread)} not read "
                                "(plan-align reads the task, its units, targets, deadline and progress).")
            roles, header_width, header_at, table_started = candidate_roles, len(cells), lineno, True
            header_cells, parent_number = cells, None
            continue
        if not table_started:
            continue
        if all(re.fullmatch(r"\s*[-—:|]*\s*", c) for c in cells):
            continue
        while len(cells) > header_width and not cells[-1].strip():
            cells.pop()
        if len(cells) > header_width:
            raise DocumentParseError(
                f"this row has {len(cells)} columns but the header at line {header_at} has {header_width}; "
                "check for a stray tab in the row.",
                path=path,
                line=lineno,
                zh=f"这一行有 {len(cells)} 列，表头（第 {header_at} 行）有 {header_width} 列，请检查多余的制表符",
            )
        cells += [""] * (header_width - len(cells))
        row = row_by_role(cells, roles, header_cells, unnamed_text)
        task_cell = row.get("task", "")
        number = None
        chinese_number = _chinese_task_number(row.get("number", ""), cells, roles, drafts=drafts,
                                              following=partial(_next_arabic_number, lines, lineno, roles),
                                              section_opened=section_first and bool(section))
        if chinese_number is None and (section_name := _section_row(row.get("number", ""), cells, roles)) is not None:
            section = [section_name]
            section_status, section_prefix, section_first = _status_of(section_name), "", True
            parent_number = None  # （1）（2） under a new section are its tasks, no sub-tasks of the last one
            continue
        table_ended, text_since_row = text_since_row, False
        if row.get("number", "").strip():
            # 1, 1. and 1-1, also written （1）, 1） or ① (NFKC and the circled-number rule make them (1)),
            # and 五 of a row with its unit and deadline (五 | 治理黑臭水体5条 | 区水务局 | 2024年底前) is 5
            written = chinese_number or normalize_text(row["number"])
            number_match = re.fullmatch(r"\s*\(?\s*(\d{1,6}(?:\s*[-.]\s*\d{1,3})*)\s*\)?\s*[.、]?\s*", written)
            another_table = table_ended and _header_like(cells)
            if not number_match and (_TABLE_FOOT.match(normalize_text(row["number"])) or another_table):
                # 合计 | 3项, 备注：…, or a second table after the task table (附：主要预期指标 | 指标 | 目标); a 小计 between
                # sections is no row "after the table" (an ordinary table read as losing rows)
                said = "任务表之后的行未读取 a row after the task table was not read" if another_table else \
                    "合计、说明等行未读取 a total or note row was not read"
                warnings.append(f"{path}, line {lineno}: {said}: {normalize_text(line)[:40]}")
                if another_table:
                    break
                continue
            if not number_match:
                raise DocumentParseError(
                    f"the number column holds {row['number'].strip()[:20]!r}, not a task number.", path=path, line=lineno,
                    zh="序号列里不是任务编号",
                )
            number = re.sub(r"\s+", "", number_match.group(1))  # 1-1 or 4.5: a sub-task keeps its number as written
            if re.fullmatch(r"\s*\(?\s*\d{1,2}\s*\)\s*", written) and parent_number and (number == "1" or in_sub_list):
                number, in_sub_list = f"{parent_number}-{number}", True  # 2, then ① ②: sub-tasks 2-1, 2-2 (refused as
                # numbers repeating)
            elif "-" not in number:
                parent_number, in_sub_list = number if "(" not in written else None, False
        else:
            lead = _numbered_line(task_cell.strip(), drafts[-1].number if drafts else None)
            if lead:
                number, task_cell = lead.group(1), lead.group(2)
        if number is None and _ROW_OF_SUMS_OR_NOTES.match(normalize_text(task_cell)):
            # 小计 | 5所, 合计 | 6项 or 说明：… in the task column: the table's sums and notes (glued onto the task above,
            # 小计 its indicator's name and 5所 a unit)
            warnings.append(f"{path}, line {lineno}: 合计、说明等行未读取 a total or note row was not read: "
                            f"{normalize_text(line)[:40]}")
            continue
        if number is None:
            if not drafts:
                warnings.append(
                    f"{path}, line {lineno}: 第一个任务之前无编号的行未读取 "
                    "a row without a task number before the first task was ignored"
                )
                continue
            _continue_row(drafts[-1], task_cell, row, line, lineno)
            continue
        value = int(re.split(r"[-.]", number)[0])
        if section_first and drafts and value <= max_number:
            section_prefix = _section_prefix(section_status, used_prefixes)
            used_prefixes.add(section_prefix)
        section_first = False
        max_number = max(max_number, value)
        progress = row.get("progress", "")
        remarks = row.get("remarks", "").strip()
        drafts.append(
            _Draft(
                number=f"{section_prefix}{number}",
                section_path=list(section),
                first_line=lineno,
                last_line=lineno,
                task=_with_detail(task_cell.strip(), _row_detail(row)),
                raw_lines=[line],
                units=_row_units(row),
                progress="；".join(text for text in (progress.strip(), f"备注：{remarks}" if remarks else "") if text),
                deadline=row.get("deadline", "").strip(),
                status=section_status or _progress_status(progress, task_cell),
                remarks=remarks,
            )
        )
    if not any(draft.progress and not draft.progress.startswith("备注：") for draft in drafts):
        _remarks_as_progress(drafts)  # no progress column, or an empty one (a spreadsheet is written with one)
    if any(d.status for d in drafts):
        # In a progress report a task not reported as done is still under way.
        for draft in drafts:
            draft.status = draft.status or "in_progress"
    if drafts:
        warnings.extend(_check_counts(preamble, drafts, path))
    if unnamed_text:
        warnings.append(f"{path}: {_unnamed_columns_note(unnamed_text)}")
    warnings.extend(_without_task_text(drafts, path))
    _check_duplicates(drafts, path)
    return drafts, warnings


def _header_like(cells: list[str]) -> bool:
    """A row of short names without numbers (指标 | 目标): the header of another table."""
    named = [normalize_text(cell) for cell in cells if cell.strip()]
    return len(named) >= 2 and all(len(cell) <= 8 and not re.search(r"\d", cell) for cell in named)


# A table's foot: a total or a note in the 序号 column, not a task.
_TABLE_FOOT = re.compile(r"^(?:合\s*计|总\s*计|小\s*计|共\s*计|备\s*注|注|说\s*明)\s*[:：]?")
# … in the task column of an unnumbered row (not 注重实效, 说明书 going on from the task above)
_ROW_OF_SUMS_OR_NOTES = re.compile(r"^(?:合\s*计|总\s*计|小\s*计|共\s*计)(?![\u4e00-\u9fff])|^(?:备\s*注|注|说\s*明)\s*[:：]")


def _table_section(text: str) -> re.Match[str] | None:
    """A section heading inside a table (一、稳增长促发展（6项）, or 一 and its name in two cells)."""
    found = re.match(rf"^(?:[{_CN_NUM}]+(?:\s*[、.．]|\s)|[(（]\s*[{_CN_NUM}]+\s*[)）])\s*(\S.{{0,28}})$", text)
    return found if found and not re.search(r"[。；;]", found.group(1)) else None


def _section_row(number_cell: str, cells: list[str], roles: dict[int, str]) -> str | None:
    """The section a table row opens (一 | 稳增长促发展（6项）, or 一、稳增长促发展 in one cell), else None.

    A row :func:`_chinese_task_number` reads as a task is asked first.
    """
    number_cell = number_cell.strip()
    others = [c.strip() for i, c in enumerate(cells) if c.strip() and roles.get(i) != "number"]
    if others and _CN_NUMBER_CELL.fullmatch(number_cell):
        name = normalize_text(others[0])
    elif not number_cell and len(others) == 1 and (found := _table_section(normalize_text(others[0]))):
        name = found.group(1)
    elif not others and (found := _table_section(normalize_text(number_cell))):  # 一、经济发展 in the 序号 cell
        name = found.group(1)
    elif not number_cell and len(others) == 1 and _SECTION_LABEL.fullmatch(name := normalize_text(others[0])):
        pass  # 民生保障类（2项） alone in the task cell (the first was dropped, the next glued onto a task)
    elif not others and _SECTION_LABEL.fullmatch(name := normalize_text(number_cell)):
        pass  # … or in the 序号 cell, a row merged across (the plan was refused: no task number)
    else:
        return None
    return _COUNT_SUFFIX.sub("", name).strip() or None


# A section's name without a numeral: a kind of task with or without their count (民生保障类（2项）, 城市建设类), or any
# short name with it (重点项目（3项）)
_SECTION_LABEL = re.compile(r"(?!其中|含|包括)[\u4e00-\u9fff]{2,14}类(?:\s*[(（]?\s*(?:共\s*)?\d+\s*项\s*[)）]?)?"
                            r"|(?!其中|含|包括)[\u4e00-\u9fff]{2,14}\s*[(（]\s*(?:共\s*)?\d+\s*项\s*[)）]")
# 五, 五、 or （五） alone in the 序号 cell: a section's numeral, or a task's written in Chinese.
_CN_NUMBER_CELL = re.compile(rf"[(（]?\s*([{_CN_NUM}]+)\s*[)）、.．]?")


def _fills_task_cells(cells: list[str], roles: dict[int, str]) -> bool:
    """Whether a row fills what only a task has: its units, deadline, detail or progress. A section's
    name goes in the task cell, and the count of its tasks (（6项）) may stand in any other."""
    return any(cell.strip() and not _COUNT_SUFFIX.fullmatch(cell.strip())
               for index, cell in enumerate(cells) if roles.get(index) not in (None, "number", "task"))


def _chinese_task_number(number_cell: str, cells: list[str], roles: dict[int, str], *, drafts: list[_Draft],
                         following: Callable[..., int | str | None], section_opened: bool = False) -> str | None:
    """五 → 5 in the 序号 cell of a task's row written in Chinese numerals, else None.

    The row fills a task's other cells (区水务局 | 2024年底前) and continues the numbering: the task
    before it is one less (五 after 4), or it opens the table or, as （一）, a section just opened, and the next
    row numbered in digits is one more (6). A heading names its lead unit too in many tables (一 | 稳增长促发展 |
    区发改委, then tasks 1, 2 under it, or 2, 3 going on): read as a task it made the numbers repeat and the plan
    was refused.
    """
    found = _CN_NUMBER_CELL.fullmatch(number_cell.strip())
    if not found or not _fills_task_cells(cells, roles):
        return None
    if not re.match(r"[(（]", number_cell.strip()) and re.fullmatch(rf"[(（]\s*[{_CN_NUM}]+\s*[)）]",
                                                                    str(following(raw=True) or "")):
        return None  # 一 | 经济发展 | 区发改委, then （一） rows: a section naming its lead unit (its tasks were lost)
    number = _ordinal(found.group(1))
    if not number.isdigit():
        return None
    previous = drafts[-1].number if drafts else ""
    if previous.isdigit() and int(number) != int(previous) + 1 and not (section_opened and number == "1"):
        return None  # (（一） under a second section restarts: 新建口袋公园 was lost, 新建公厕 read as a section)
    after = following()
    return number if after is None or not isinstance(after, int) or after == int(number) + 1 else None


def _next_arabic_number(lines: list[str], lineno: int, roles: dict[int, str], *, raw: bool = False) -> int | str | None:
    """The number of the next numbered row after line ``lineno`` (1-based) when written in Arabic digits; with
    ``raw``, that row's number cell as written."""
    column = next((index for index, role in roles.items() if role == "number"), None)
    if column is None:
        return None
    for line in lines[lineno:]:
        cells = line.split("\t")
        cell = cells[column].strip() if "\t" in line and len(cells) > column else ""
        if cell:
            if raw:
                return cell
            found = re.fullmatch(r"\(?\s*(\d{1,6})\s*\)?\s*[.、]?", normalize_text(cell))
            return int(found.group(1)) if found else None
    return None


def _row_units(row: dict[str, str]) -> list[str]:
    """The lead units, then the co-operating ones, each once; a 单位 column that names departments counts."""
    named = [] if _measure_word(row.get("measure", "")) else split_units(row.get("measure", ""))
    return list(dict.fromkeys(split_units(row.get("units", "")) + split_units(row.get("co_units", "")) + named))


@lru_cache(maxsize=256)  # asked twice a row (detail, units), of a few distinct words
def _measure_word(cell: str) -> bool:
    """Whether a cell is a unit of measure (亿元, 万人, %, 个), as a quantity written with it reads."""
    cell = normalize_text(cell)
    found = extract_targets(f"1{cell}") if cell and len(cell) <= 6 else []
    return len(found) == 1 and not found[0]["indicator"] and found[0]["raw"] == f"1{cell}"


def _row_detail(row: dict[str, str]) -> str:
    """What the table writes beside the task, its number followed by the unit a column gives apart
    (目标值 420.3 | 单位 亿元 is 420.3亿元: the unit was lost, and with it the target)."""
    detail, measure = row.get("detail", "").strip(), row.get("measure", "").strip()
    if measure and detail and detail[-1].isdigit() and _measure_word(measure):
        return detail + normalize_text(measure)
    return detail


def _with_detail(task: str, detail: str) -> str:
    """The task followed by what its table writes beside it (目标要求: 新建幼儿园3所); a bare
    quantity (量化指标: 42个) is the task's own number, and a dash or 无 says nothing."""
    detail = detail.strip()
    if not detail or re.fullmatch(r"[-—–/、]+|无|暂无", detail):
        return task
    found = extract_targets(detail)
    if len(found) == 1 and not found[0]["indicator"]:  # a number with no name of its own
        return f"{task.rstrip('。；; ')}{detail}"  # 改造老旧小区42个, not a nameless 42个
    return f"{task}{'' if not task or task[-1] in '。；;' else '。'}{detail}"


def _continue_row(draft: _Draft, task_cell: str, row: dict[str, str], line: str, lineno: int) -> None:
    """A row without a number continues the task before it (a row broken across lines, even mid-word, or a
    task merged down over rows, whose deadline is the stage due last: 3月底, 6月底, then 12月底 is due 12月底; a
    deadline cell broken across lines, 2023年12月 then 底前, is one)."""
    if task_cell.strip() or row.get("detail", "").strip():
        draft.task = _with_detail(draft.task + task_cell.strip(), _row_detail(row))
    for unit in _row_units(row):
        if unit not in draft.units:
            draft.units.append(unit)
    if row.get("progress", "").strip():
        separator = "" if not draft.progress or draft.progress[-1] in "。；;，," else " "
        draft.progress += separator + row["progress"].strip()
    if deadline := row.get("deadline", "").strip():
        draft.deadline = _deadline_continued(draft.deadline, deadline)
    draft.raw_lines.append(line)
    draft.last_line = lineno


def _deadline_continued(before: str, cell: str) -> str:
    """A task's deadline with the next row's cell: a date cut short goes on (2023年12月 | 底前, 2024年 | 12月底前,
    2024年1 | 2月底前); a later stage's date replaces it (3月底, then 12月底, or 2024年9月 then 2024年12月: due when
    the last stage is), an earlier one does not (2024年12月底前, then a stage due 2024年6月底前); words without a date
    are added after it (2024年12月底；长期坚持)."""
    if not before:
        return cell
    if (before.endswith(("年", "月")) or before[-1].isdigit()) and re.match(r"[\d底前日止号]", cell) \
            and not (re.search(r"\d{4}", cell) and read_deadline(cell) is not None) \
            or cell.startswith(("底", "前", "日", "止")):  # 2024年6月底 | 前
        return before + cell
    if (dated := read_deadline(cell)) is None:
        return f"{before}；{cell}"
    last = read_deadline(f"{before}；{cell}")
    if last == read_deadline(before) != dated:
        return before
    year = re.search(r"\d{4}\s*年", before)  # 2024年6月底前, then 12月底前: of the same year
    return f"{year.group(0)}{cell}" if year and not re.search(r"\d{4}", cell) else cell


def _remarks_as_progress(drafts: list[_Draft]) -> None:
    """A 备注 column that reports progress (已完成, 正在推进 in at least half its cells) is the table's progress column;
    a plan's remarks (市考核指标) are not (one remark made a plan a progress report)."""
    remarked = [draft for draft in drafts if draft.remarks]
    read = [_progress_status(draft.remarks, draft.task) for draft in remarked]
    if remarked and 2 * sum(status is not None for status in read) >= len(remarked):
        for draft, status in zip(remarked, read):
            draft.status, draft.progress = draft.status or status, draft.remarks


def _section_prefix(status: str | None, used: set[str]) -> str:
    preferred = {"in_progress": "p", "done": "d"}.get(status or "", "")
    if preferred and preferred not in used:
        return preferred
    for letter in "bcdefghjkmnqrstuvwxyz":
        if letter not in used:
            return letter
    return f"s{len(used)}-"  # the dash keeps s2 + 114 apart from s21 + 14


def _check_counts(preamble: list[tuple[int, str]], drafts: list[_Draft], path: str | Path) -> list[str]:
    """Compare the counts a preamble claims with the items found; report, never trust."""
    found_total = len(drafts)
    found = Counter(d.status for d in drafts)
    claims: list[tuple[int, str, int]] = []
    for lineno, text in preamble:
        for match in _COUNT_TOTAL.finditer(text):
            claims.append((lineno, "total", int(match.group(1))))
        for match in _COUNT_STATUS.finditer(text):
            word = match.group(1) or match.group(4)
            count = int(match.group(2) or match.group(3))
            claims.append((lineno, "done" if "完成" in word else "in_progress", count))
    warnings = []
    by_kind: dict[str, set[int]] = {}
    for lineno, kind, count in claims:
        by_kind.setdefault(kind, set()).add(count)
        actual = found_total if kind == "total" else found.get(kind, 0)
        if count != actual:
            label = {"total": "items in all", "done": "done items", "in_progress": "items in progress"}[kind]
            label_zh = {"total": "共", "done": "已完成", "in_progress": "正在推进"}[kind]
            warnings.append(
                f"{path}, line {lineno}: 文中说{label_zh} {count} 项，实际找到 {actual} 项，按找到的计 "
                f"the document says {count} {label}, but {actual} were found; the items found are used."
            )
    for kind, counts in by_kind.items():
        if len(counts) > 1:
            warnings.append(f"{path}: 文中的项数前后不一 the document's own counts disagree ({kind}: {sorted(counts)}).")
    return warnings


def _without_task_text(drafts: list[_Draft], path: str | Path) -> list[str]:
    """A numbered row whose task cell is empty (2 | | 区城管局) became an item with no text, said nowhere.

    It is kept, not dropped: its number, units, deadline and progress are what the row does say, the
    numbers after it stay as written, and a planner told where it is fills the task in.
    """
    empty = [draft for draft in drafts if not draft.task.strip()]
    if not empty:
        return []
    listed = empty[:PROBLEMS_LISTED]
    more_en = f" and {len(empty) - len(listed)} more" if len(empty) > len(listed) else ""
    more_zh = f"等 {len(empty)} 项" if len(empty) > len(listed) else ""
    numbers = [draft.number for draft in listed]
    lines = [str(draft.first_line) for draft in listed]
    one = len(empty) == 1
    return [f"{path}, line {empty[0].first_line}: 第 {'、'.join(numbers)} 项{more_zh}的任务一栏是空的（第 {'、'.join(lines)} 行），"
            f"已保留其编号和责任单位，请补上任务内容 {'task' if one else 'tasks'} {', '.join(numbers)}{more_en} "
            f"({'line' if one else 'lines'} {', '.join(lines)}) {'has' if one else 'have'} no task text (the task cell "
            "is empty); kept with number and units so nothing is lost: fill in the task."]


def _check_duplicates(drafts: list[_Draft], path: str | Path) -> None:
    seen: dict[str, _Draft] = {}
    problems, in_one_section = [], []  # a repeat within one section is the one to fix: named first, alone if any
    first_repeat: int | None = None
    first_in_section: int | None = None
    one_line = True  # every repeat within one line: tasks run together, not numbered twice
    for draft in drafts:
        if (before := seen.get(draft.number)) is not None:
            problem = f"number {draft.number} at lines {before.first_line} and {draft.first_line}"
            problems.append(problem)
            if before.section_path == draft.section_path:
                in_one_section.append(problem)
                first_in_section = first_in_section or draft.first_line
            first_repeat = first_repeat or draft.first_line
            one_line = one_line and before.first_line == draft.first_line
        seen[draft.number] = draft
    problems, first_repeat = (in_one_section, first_in_section) if in_one_section else (problems, first_repeat)
    if problems and one_line:
        raise DocumentParseError(
            "the line holds many tasks numbered alike, as text whose line breaks were lost does. Read the original "
            "file, or put each task on its own line.", path=path, line=first_repeat,
            zh="这一行含多条编号相同的任务，像是丢失了换行的文字；请用原文件，或每条任务各占一行",
        )
    if problems:
        raise DocumentParseError(
            "task numbers repeat without a new section: " + "; ".join(problems[:5]), path=path, line=first_repeat,
            zh="任务编号重复，而中间没有新的章节",
        )


# ---------------------------------------------------------------- outlines


def _heading_text(text: str) -> str:
    """A section heading without its body: cut at the first full stop."""
    text = normalize_text(text)
    return text.split("。")[0][:60]


# A lead of two short phrases (坚持创新驱动，加快发展新质生产力): as reports write them, without a number
_TWO_PHRASE_LEAD = re.compile(r"[^\d,，:：;；]{2,12}[,，][^\d,，:：;；]{2,14}")
# A lead, of one phrase or two, frames the year's work rather than opening a task (做好今年工作，要把握好以下几点。
# 今年是关键之年，意义重大。今年是全面贯彻党的二十大精神的关键之年。; not 牢牢把握首要任务，全力推动…, a task's lead):
# a sentence of one phrase only when it speaks of the year itself (今年是…之年, 2025年是…, 做好2024年工作…; not
# 打好收官之年攻坚战, 办好具有标志意义的重大活动, 把人口自然增长率控制在5‰以下)
_FRAMING_SENTENCE = re.compile(r"^(?:今年是|明年是|\d{4}年是|新的一年|做好(?:今年|全年|明年|新一年|\d{4}年)的?"
                               r"(?:经济社会发展|经济|政府|各项|全区|全市|全县)?工作"
                               r"|面对)|以下几|如下"
                               r"|[几一二三四五六七八九十]个方面")
_COUNTS_THE_PARTS = re.compile(r"(?:以下|如下)?[几一二三四五六七八九十\d]+个?方面(?:的)?工作|(?:以下|如下)[几一二三四五六七八九十\d]*(?:项|点)(?:重点)?工作")
_FRAMING_LEAD = re.compile(r"以下|如下|几点|[几一二三四五六七八九十]个方面|意义|之年|把握好|关键在于|总体要求|指导思想|做好今年"
                           r"|做好全年")


def _lead_phrase(text: str) -> str | None:
    """The lead phrase of a paragraph (``扩大投资稳增长``), or None if it has none.

    A lead phrase opens a paragraph: a short sentence alone on its line (各部门要高度重视。,
    or 续运营。 carried over a page break) is a closing word or a continuation, not a task.
    """
    text = normalize_text(text)
    ordinal = _ORDINAL_LEAD.match(text)
    if ordinal:
        return ordinal.group(0).rstrip("。")
    sentence, stop, rest = text.partition("。")
    if stop and rest.strip() and 2 <= len(sentence) <= _LEAD_MAX and not _FRAMING_SENTENCE.search(sentence) and (
            not re.search(r"[,，:：;；]", sentence)
            or _TWO_PHRASE_LEAD.fullmatch(sentence) and not _FRAMING_LEAD.search(sentence)
            and not sentence.startswith(("同志们", "各位代表")) and not rest.lstrip().startswith("让我们")):
        return sentence  # a report's closing words (各位代表，奋斗创造历史。让我们…) lead nothing
    return None


def _commits_to_a_quantity(text: str) -> bool:
    """Whether a paragraph without a lead phrase still commits to a quantity (我们将…年内完成12家…).

    A report in prose opens many paragraphs so; read only by their lead phrase, 8 of 16 commitments
    of a tester's 榆阳区 report were left out without a word. They are named in a warning, not made
    items: an item's id is its place among the paragraphs, and new items would renumber every later
    one, and every decision on them.
    """
    return len(text) >= _LEAD_MAX and bool(extract_targets(normalize_text(text)))


def _parse_outline(lines: list[str], path: str | Path, *, year: int | None = None
                   ) -> tuple[list[_Draft], list[dict], list[str]]:
    warnings: list[str] = []
    counts = Counter(line.strip() for line in lines if line.strip())
    watermark = {line for line, n in counts.items() if n >= 2 and _URL.search(line)}
    if watermark:
        repeated = sum(counts[w] for w in watermark)
        warnings.append(f"{path}: 已略去 {repeated} 行重复的水印 ignored {repeated} repeated watermark line(s).")

    numbered: list[_Draft] = []
    paragraphs: list[_Draft] = []
    unread: list[int] = []  # lines of paragraphs that state a quantity but open with no lead phrase
    indicators: list[dict] = []
    attachments: dict[str, dict] = {}
    index_units: dict[str, list[str]] = {}
    index_titles: dict[str, str] = {}
    level1 = level2 = ""
    review_section = looking_back = False  # a section reviewing last year; one whose heading is only a look back
    back_at = 0  # the line of the heading that looks back
    section_back, section_at = False, 0  # whether the 一、 heading over the lines looks back, and its line
    looked_back: dict[int, int] = {}  # a look-back heading's line → its numbered lines, read as no tasks
    in_attachments = False
    current_attachment: dict | None = None
    current: _Draft | None = None

    headings: dict[int, list[_Draft]] = {1: [], 2: []}  # 一、 and （一） lines, items where nothing is numbered below
    listed: list[_Draft] = []  # （1） lines
    heading: _Draft | None = None
    ordinals: list[str] = ["", ""]
    section_starts: list[int] = []  # where each 一、 and （一） line is, review sections included
    subsection_starts: list[int] = []
    for lineno, raw in _run_on_split(lines):
        line = raw.strip()
        if not line or line in watermark:
            continue
        if article := _ARTICLE.match(line):  # 第三章 总则 → 三、总则; 第一节 → （一）; 第五条 … → 5. …
            number, kind, rest = article.groups()
            if kind == "条":
                line = f"{_ordinal(number)}.{rest}"
            elif not number.isdigit():
                line = f"{number}、{rest}" if kind == "章" else f"（{number}）{rest}"
        clean = normalize_text(line)
        if not clean:
            continue
        index_match = _ATTACHMENT_INDEX.match(clean)
        start_match = _ATTACHMENT_START.match(clean)
        if clean == "附件" and current_attachment is None:  # a plan's one attachment, without a number (after its
            # index, 附件：标题, too): filed under the item its title names, else under none, and named
            in_attachments, current = True, None
            current_attachment = attachments[_UNNUMBERED] = {
                "number": _UNNUMBERED, "year": year, "title": "", "units": [], "sections": [], "lines": [lineno, lineno],
                "text": [], "entries": []}
            continue
        if start_match:
            in_attachments = True
            current = None
            if (bare := attachments.get(_UNNUMBERED)) is current_attachment and bare and bare["entries"]:
                del attachments[_UNNUMBERED]  # 附件 over 1.标题 2.标题, then 附件1: it was the index of them
                for entry in bare["entries"]:
                    _index_entry(entry, index_units, index_titles)
            number = _ordinal(start_match.group(1))
            current_attachment = {"number": number, "year": year, "title": "", "units": [], "sections": [],
                                  "lines": [lineno, lineno], "text": []}
            attachments[number] = current_attachment
            if start_match.group(2).strip():  # 附件1：老旧小区改造实施方案
                _attachment_line(current_attachment, start_match.group(2).strip(), lineno)
            continue
        if index_match and not in_attachments:
            in_attachments = True
            current = None
            entry = _numbered_line(index_match.group(1), None)
            if entry:
                _index_entry(entry, index_units, index_titles)
            continue
        if in_attachments:
            if current_attachment is None:
                entry = _numbered_line(clean, None)
                if entry:
                    _index_entry(entry, index_units, index_titles)
                continue
            if current_attachment.get("entries") is not None:  # an index so far while every line is numbered
                entry = None if "\t" in raw else _numbered_line(clean, None)
                current_attachment["entries"] = current_attachment["entries"] + [entry] if entry else None
            if "\t" in raw:  # a table in the attachment: its cells apart, and its rows by district as quotas
                clean = _attachment_row(current_attachment, [normalize_text(cell) for cell in raw.split("\t")])
            _attachment_line(current_attachment, clean, lineno)
            continue

        if (units_line := _UNITS_LINE.match(clean)) or _DEADLINE_LINE.match(clean):
            # 牵头单位：区发改委 or 完成时限：2024年9月底前 on a line of its own (the deadline was lost, or
            # left in the task's text)
            owner = current or heading
            if owner is not None and units_line:
                owner.units.extend(u for u in _units_in(clean) if u not in owner.units)
            if owner is not None:
                owner.deadline = owner.deadline or _deadline_in(clean)
                owner.task = re.sub(r"\s*[(（]\s*$", "", owner.task)  # its bracket opened at the end of the line before
            continue
        if match := _LEVEL1.match(clean):
            level1, level2 = _heading_text(clean), ""
            section_back, section_at = _looks_back(level1, year), lineno
            looking_back, back_at = section_back, lineno
            review_section = bool(_REVIEW_HEADING.search(level1)) or looking_back
            ordinals = [_ordinal(match.group(1)), ""]
            section_starts.append(lineno)
            heading = _Draft(number=ordinals[0], section_path=[], first_line=lineno, last_line=lineno,
                             task=match.group(2), raw_lines=[raw])
            if not review_section:
                headings[1].append(heading)
            current = None
            continue
        if match := _LEVEL2.match(clean):
            level2 = _heading_text(clean)
            ordinals[1] = _ordinal(match.group(1))
            subsection_starts.append(lineno)
            sub_back = _looks_back(level2, year)  # 一、总体情况 / （一）2023年工作回顾: its lines, and it, no tasks
            looking_back, back_at = section_back or sub_back, section_at if section_back else lineno
            heading = _Draft(number=ordinals[1], section_path=[level1] if level1 else [], first_line=lineno,
                             last_line=lineno, task=match.group(2), raw_lines=[raw], outline=ordinals[:1])
            if not review_section and not sub_back:
                headings[2].append(heading)
            current = None
            continue
        section_path = [s for s in (level1, level2) if s]
        outline = [o for o in ordinals if o]
        if (match := _LEVEL4.match(clean)) and not clean.startswith(("(", "（")) and numbered \
                and numbered[-1].number.isdigit() and int(match.group(1)) == int(numbered[-1].number) + 1 \
                and not re.search(r"(?<!\d)1\s*[)）]", numbered[-1].task):  # (not 1．… 1)… 2)…, its own list)
            clean, match = f"{match.group(1)}.{match.group(2)}", None  # 4．… then 5)…: task 5 with a stray mark
        if match := _LEVEL4.match(clean):
            if current is not None and numbered and current is numbered[-1]:
                current.task += clean  # （1）… under a numbered item is part of it
                current.raw_lines.append(raw)
                current.last_line = lineno
                continue
            current = _Draft(number=match.group(1), section_path=section_path, first_line=lineno, last_line=lineno,
                             task=match.group(2), raw_lines=[raw], outline=outline)
            listed.append(current)
            heading = None
            continue
        if _BOX_LABEL.match(clean):  # 专栏1 民生实事: a box's label, no part of the task before it (what the box
            continue  # holds is: its numbered tasks are items, a line of its own goes on the task it is set beside)
        if _CLOSING_LINE.match(clean):  # 2024年3月5日, 某某领导小组办公室: the document's sign-off
            if counted := _charge_with_numbers(clean):
                warnings.append(f"{path}, line {lineno}: 第 {lineno} 行是对各单位的要求，未归入任何条目，但写有数量"
                                f"（{'、'.join(counted[:3])}），请核对 line {lineno} charges the units and was read into no "
                                f"item, though it names amounts ({', '.join(counted[:3])}); check it.")
            owner = current or heading
            running = not re.search(r"[。，,；;\d]", clean)  # an office's name: no exhortation, no date
            if running and (counts[line] > 1 or owner is not None and _sentence_goes_on(owner.task, lines, lineno)):
                continue  # a running page header (某县人民政府) between two halves of a sentence
            current = heading = None
            continue
        if _HEADLINE.search(clean) and not numbered:
            body = _HEADLINE.split(clean, maxsplit=1)[-1]
            # …城乡居民收入增长与经济增长同步。重点抓好以下六个方面工作: the count of the report's parts, no target
            indicators.extend(t for t in extract_targets(body) if not _COUNTS_THE_PARTS.search(t["raw"]))
            current = None
            continue
        if looking_back and (_dotted_line(raw, None) or _numbered_line(clean, None)):
            current = None  # 一、2023年工作总结 then 1.新建学校3所，已全部建成: what was done, not a task of the plan
            _extend_body(heading, clean, raw, lineno)
            looked_back[back_at] = looked_back.get(back_at, 0) + 1
            continue
        previous = numbered[-1].number if numbered else None
        if dotted := _dotted_line(raw, previous):
            if dotted[2]:
                current = _Draft(number=dotted[0], section_path=section_path, first_line=lineno,
                                 last_line=lineno, task=dotted[1], raw_lines=[raw], outline=outline)
                numbered.append(current)
                heading = None
                continue
            warnings.append(f"{path}, line {lineno}: 编号 {dotted[0]} 不接续上一条 {previous or '—'}，按上一条的正文读入 "
                            f"the outline number {dotted[0]} does not follow {previous or 'nothing'}: read as text")
        if match := _numbered_line(clean, previous):
            current = _Draft(number=match.group(1), section_path=section_path, first_line=lineno,
                             last_line=lineno, task=match.group(2), raw_lines=[raw], outline=outline)
            numbered.append(current)
            heading = None
            continue
        if current is not None and (numbered and current is numbered[-1] or listed and current is listed[-1]):
            current.task += clean
            current.raw_lines.append(raw)
            current.last_line = lineno
            continue
        clauses = _ordinal_clauses(clean)
        if len(clauses) >= 2 and level1 and not review_section:  # 一是…；二是…: one task each
            for clause in clauses:
                paragraphs.append(_Draft(number=str(len(paragraphs) + 1), section_path=section_path, first_line=lineno,
                                         last_line=lineno, task=clause, raw_lines=[raw]))
            _extend_body(heading, clean, raw, lineno)
            current = None
            continue
        lead = _lead_phrase(clean)
        if not lead and level1 and not review_section and _commits_to_a_quantity(clean):
            unread.append(lineno)  # said below when paragraphs are the items: it is not one of them
        if lead and level1 and not review_section:
            current = _Draft(number=str(len(paragraphs) + 1), section_path=section_path, first_line=lineno,
                             last_line=lineno, task=clean, raw_lines=[raw], title=lead)
            paragraphs.append(current)
            _extend_body(heading, clean, raw, lineno)
            continue
        current = None
        _extend_body(heading, clean, raw, lineno)  # used if nothing is numbered below the heading

    # The items are the deepest numbered lines; paragraphs with a lead phrase where nothing is
    # numbered; and where neither, 一、/（一） lines that carry a commitment of their own.
    # （1） lines under a numbered task were read into it; any others are tasks of their own.
    # A section with no numbered task or lead paragraph below it is an item of its own
    # (五、加强自身建设 and its paragraph), numbered by its heading: its text would be lost otherwise.
    numbered = _dotted_parents_as_sections(numbered)
    tasks = _qualify_restarted_numbers(sorted(numbered + listed, key=lambda d: d.first_line))
    if not tasks and paragraphs and unread:
        shown = "、".join(map(str, unread[:PROBLEMS_LISTED])) + ("等" if len(unread) > PROBLEMS_LISTED else "")
        warnings.append(f"{path}: 第 {shown} 行的段落写有数量目标，但不以短句开头（如“扩大投资稳增长。”），未作为任务读入，"
                        f"请核对 {len(unread)} paragraph(s) state a quantity but open with no lead phrase, so they "
                        f"were not read as tasks (lines {', '.join(map(str, unread[:PROBLEMS_LISTED]))}"
                        f"{' …' if len(unread) > PROBLEMS_LISTED else ''}); give each a short lead sentence to read it.")
    if looked_back:
        shown = "、".join(f"第 {at} 行（{n} 条）" for at, n in looked_back.items())
        warnings.append(f"{path}: {shown}的标题是回顾，其下编号行按已做的工作读、未作为任务读入 the numbered lines under a "
                        f"heading that looks back (line(s) {', '.join(map(str, looked_back))}) were read as work done, "
                        "not as tasks of the plan.")
    tasks = tasks or _qualify_restarted_numbers(paragraphs)
    if tasks:
        drafts = sorted(tasks + _sections_without_tasks(headings, tasks, section_starts, subsection_starts),
                        key=lambda d: d.first_line)
    else:
        drafts = _qualify_restarted_numbers(_committed(headings[2]) or _committed(headings[1]))
    warnings += _file_attachments(drafts, attachments, index_units, index_titles, path, numbered=bool(numbered))
    _check_duplicates(drafts, path)
    return drafts, indicators, warnings


def _file_attachments(drafts: list[_Draft], attachments: dict[str, dict], index_units: dict[str, list[str]],
                      index_titles: dict[str, str], path: str | Path, *, numbered: bool) -> list[str]:
    """Give each item its 附件 (sections, units, quota text, lines), and the warnings about attachments that
    could not be filed: one without a number, one whose title names another item, one matching no item."""
    warnings: list[str] = []
    attachments, index_units, doubtful = _attachments_by_item(attachments, index_units, index_titles, drafts)
    doubtful = [number for number in doubtful if number != _UNNUMBERED]
    unfiled = attachments.pop(_UNNUMBERED, None)  # its title named no item
    if unfiled and (lost := len(unfiled["text"]) + sum(1 for section in unfiled["sections"] if section["heading"])):
        at = unfiled["lines"][0]
        warnings.append(f"{path}: 第 {at} 行的附件没有编号，其 {lost} 行未归入任何条目、未读取"
                        f"（如各区县任务分解表的配额），请核对 the attachment at line {at} has no number, so its "
                        f"{lost} line(s) were filed under no item and not read (a table of district quotas, "
                        "say); number it 附件1, 附件2 … as its item.")
    for draft in drafts:
        attachment = attachments.get(draft.number)
        if attachment:
            draft.attachment = attachment["sections"]
            draft.units = attachment["units"] or index_units.get(draft.number, [])
            draft.quota_text = " ".join(attachment["text"])
            if _ITEM_UNIT in draft.quota_text or _ITEM_TARGET in draft.quota_text:
                # the item's count the table is about: its unit where the table names none, its name as the label
                # where the item counts more than one thing (公(专)用充电桩…分解表 of 充电桩5000个，停车位2万个)
                by_table = _table_target(draft.task, attachment["title"] + " ".join(attachment.get("counted", [])))
                unit = by_table[0]["unit"] if by_table else ""
                label = f"{by_table[0]['indicator']}：" if len(by_table) > 1 and by_table[0]["indicator"] else ""
                draft.quota_text = draft.quota_text.replace(_ITEM_UNIT, unit).replace(_ITEM_TARGET, label)
                draft.attachment = [{**section, "text": section["text"].replace(_ITEM_UNIT, unit)
                                     .replace(_ITEM_TARGET, "")} for section in draft.attachment]
            draft.attachment_lines = list(attachment["lines"])
        elif draft.number in index_units:
            draft.units = index_units[draft.number]
    _quotas_to_the_items_they_name(drafts)
    if doubtful:
        warnings.append(f"{path}: 附件 {'、'.join(doubtful)} 的标题像是另一条目的，仍按编号归入，请核对 the title of "
                        f"attachment(s) {', '.join(doubtful)} names another item than the one of its number, but "
                        "not one it could be filed under alone; filed under the number.")
    if numbered:
        orphan = sorted(set(attachments) - {d.number for d in drafts}, key=_number_order)
        if orphan:
            warnings.append(f"{path}: 附件 {'、'.join(orphan)} 没有对应的编号条目 attachment(s) {', '.join(orphan)} match no numbered item.")
    return warnings


# What a quota's words say besides the thing it counts: the action, 其中, the number (改造老旧小区：其中和平区42个 and
# 老旧小区改造：和平区42个 both count 老旧小区).
_NOT_THE_COUNTED = re.compile(r"新建|新增|改扩建|扩建|改建|改造|提升|建设|建成|完成|开工|实施|其中|各|[\d.]+|[:：,，、。\s]")


def _said_once(quotas: list[dict], in_text: list[dict]) -> list[dict]:
    """An item's quotas (read from its text and its table together, so a table's quota is labelled by the item's
    count), less those of its table its own text gives already (和平区42个 was shown twice on the Coverage page):
    the same place, number and measure word for the same thing, one name holding the other. Never two of one
    source: two things counted alike for one district (社区食堂3个、养老服务站3个) are two."""
    left = Counter((q["jurisdiction"], q["value"], q["unit"]) for q in in_text)
    from_text: list[dict] = []
    from_table: list[dict] = []
    for quota in quotas:
        key = (quota["jurisdiction"], quota["value"], quota["unit"])
        (from_text if left[key] > 0 else from_table).append(quota)
        left[key] -= 1

    def thing(quota: dict) -> str:
        return _NOT_THE_COUNTED.sub("", quota["raw"].replace(quota["jurisdiction"], "").replace(quota["unit"], ""))

    def said(quota: dict) -> bool:  # one name within the other: 既有住宅加装电梯 in 新开工既有住宅加装电梯
        return any((q["jurisdiction"], q["value"], q["unit"]) == (quota["jurisdiction"], quota["value"], quota["unit"])
                   and (thing(q) in thing(quota) or thing(quota) in thing(q)) for q in from_text)

    dropped = [id(q) for q in from_table if said(q)]
    return [quota for quota in quotas if id(quota) not in dropped]


_LABELLED_QUOTA = re.compile(r"([^。：]{2,20})：[^。]*。?")


def _quotas_to_the_items_they_name(drafts: list[_Draft]) -> None:
    """A district table of several items' counts filed under one (附件1 任务分解表 | 老旧小区改造（个） | 既有住宅加装电梯（部）
    | 口袋公园（个）: every column went to item 1, a tester's 沈阳市 plan): a column's quota goes to the one other item
    that counts what it names in its measure word (新开工既有住宅加装电梯200部), unless its own item counts a like thing in
    that measure word (改造老旧小区 for 老旧小区改造) — an item naming it in passing (结合老旧小区改造，加装电梯) takes nothing."""
    if not any(_LABELLED_QUOTA.search(draft.quota_text) for draft in drafts):
        return  # no table's labelled quota: every item's counts need not be read
    counts = [[(t["unit"], t["indicator"] or "") for t in extract_targets(normalize_text(draft.task))] for draft in drafts]
    moved: dict[int, list[str]] = {}
    for at, draft in enumerate(drafts):
        kept, gone = [], False
        for written in _LABELLED_QUOTA.finditer(draft.quota_text):
            name = normalize_text(written.group(1)).strip()
            unit = next((q["unit"] for q in extract_quotas(written.group(0))), None)
            own = any(u == unit and len(set(name) & set(indicator)) * 2 >= len(set(name)) for u, indicator in counts[at])
            owners = [i for i, theirs in enumerate(counts) if i != at and any(u == unit and name in indicator
                                                                                for u, indicator in theirs)]
            if unit and not own and len(owners) == 1:
                moved.setdefault(owners[0], []).append(written.group(0))
                gone = True
            else:
                kept.append(written.group(0))
        if gone:
            draft.quota_text = _LABELLED_QUOTA.sub("", draft.quota_text) + "".join(kept)
    for at, quotas in moved.items():
        drafts[at].quota_text = f"{drafts[at].quota_text} {''.join(quotas)}".strip()


# The label of a box of tasks set apart (a Word text box or a framed table): 专栏1 民生实事, 专栏二：重大项目.
_BOX_LABEL = re.compile(rf"^专栏\s*[\d{CN_DIGITS}]+\s*[:：]?\s*[\u4e00-\u9fff\d()（）]{{0,20}}$")


def _dotted_parents_as_sections(numbered: list[_Draft]) -> list[_Draft]:
    """1.民生保障 over 1.1 and 1.2: a numbered line whose outline children follow it is their section, not a task
    (it was an item without a target, and its children items without a section), unless it commits to something of
    its own (a target, or more than a heading's words)."""
    latest: dict[str, _Draft] = {}
    parent_of: dict[int, _Draft] = {}
    for draft in numbered:
        if "." in draft.number and (parent := latest.get(draft.number.rsplit(".", 1)[0])) is not None:
            parent_of[id(draft)] = parent
        latest[draft.number] = draft
    heads = {id(parent): parent for parent in parent_of.values()
             if len(normalize_text(parent.task)) <= 30 and not extract_targets(parent.task)}
    if not heads:
        return numbered
    for draft in numbered:
        above: list[str] = []
        parent = parent_of.get(id(draft))
        while parent is not None and id(parent) in heads:
            above.insert(0, normalize_text(parent.task).rstrip("。:："))
            parent = parent_of.get(id(parent))
        draft.section_path = [*draft.section_path, *above]
    return [draft for draft in numbered if id(draft) not in heads]


# What follows a sign-off, never the rest of a sentence: （此件公开发布）, 抄送：…, 印发.
_AFTER_SIGN_OFF = re.compile(r"^(?:[(（]|抄\s*送|印\s*发|主\s*送|附\s*件)")


def _sentence_goes_on(text: str, lines: list[str], lineno: int) -> bool:
    """Whether the text before line ``lineno`` stops mid-sentence and the next line finishes it
    (no number, heading or sign-off of its own): a line between them is page furniture."""
    text = re.sub(r"[(（][^()（）]*[)）]$", "", normalize_text(text))  # （牵头单位：…） after the full stop
    if not text or text.endswith(_SENTENCE_END):
        return False
    following = next((normalize_text(line) for line in lines[lineno:] if line.strip()), "")
    return bool(following) and not (
        _LEVEL1.match(following) or _LEVEL2.match(following) or _LEVEL4.match(following)
        or _numbered_line(following, None) or _CLOSING_LINE.match(following) or _ATTACHMENT_START.match(following)
        or _AFTER_SIGN_OFF.match(following)
    )


# After a colon any task number (numbering may run on across sections: 二、城市建设：3.新建道路10条。), after a space
# only the first; the heading may count its tasks (一、民生保障（3项）：1.…).
_HEADING_THEN_TASK = re.compile(
    rf"^(\s*(?:[{_CN_NUM}]{{1,3}}、|[(（][{_CN_NUM}]{{1,3}}[)）])[^。；;:：\d\s]{{2,20}}(?:[(（]\s*\d{{1,3}}\s*[项条个]\s*[)）])?)"
    r"(?:\s*[:：]\s*(?=\d{1,3}[.．、](?![\d%])|[(（]\d{1,3}[)）])|\s+(?=1[.．、](?![\d%])|[(（]1[)）]))"
)


def _run_on_split(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line, a run-on list (一、…。二、…) cut into one line per item;
    an item's own sub-list (3.实施老旧小区改造。重点做好：1.…；2.…) stays in it."""
    for lineno, raw in enumerate(lines, start=1):
        if heading := _HEADING_THEN_TASK.match(raw):  # 一、民生保障：1.新建学校3所。 is a heading, then its first task
            yield lineno, heading.group(1)
            raw = raw[heading.end():]
        markers = [m.group(1) for m in _LIST_MARKER.finditer(raw)]
        numbers = [int(parse_number(m) or 0) for m in markers if m.isdigit() == markers[0].isdigit()]
        if len(numbers) > 1 and _LIST_MARKER.match(raw) and min(numbers[1:]) <= numbers[0]:
            yield lineno, raw  # numbering restarts inside an item's line: its own list, not the next items
            continue
        for part in _RUN_ON_ITEM.split(raw):
            yield lineno, part


def _ordinal(numeral: str) -> str:
    """二 → 2, 十二 → 12 (the numeral itself if it is not one)."""
    value = parse_number(numeral)
    return str(int(value)) if value is not None else numeral


def _units_in(text: str) -> list[str]:
    """Units named as 牵头单位：A；配合单位：B、C, lead units first (a 完成时限：… beside them is no unit)."""
    found = [value for label, value in _labelled_parts(text) if re.fullmatch(_UNIT_ROLES, label)]
    return list(dict.fromkeys(u for part in found for u in split_units(part)))


def _labelled_parts(text: str) -> list[tuple[str, str]]:
    """(label, value) of each 标签：内容 part of ``牵头单位：A、B；完成时限：6月底前``."""
    starts = list(re.finditer(rf"(?:^|(?<=[,，;；(（\s]))\s*({_LABEL})\s*[:：]", text))
    parts = []
    for here, after in zip(starts, [*starts[1:], None]):
        value = re.split(r"[;；]", text[here.end():after.start() if after else len(text)])[0]  # a part ends at ；
        value = value.strip(" ,，。")
        while value.endswith((")", "）")) and value.count("(") + value.count("（") < value.count(")") + value.count("）"):
            value = value[:-1].rstrip(" ,，。")  # the bracket closing the aside, not 组织部（人才办）'s own
        parts.append((here.group(1), value))
    return parts


def _deadline_in(text: str) -> str:
    return next((value for label, value in _labelled_parts(text) if _DEADLINE_LABEL.match(label)), "")


def _ordinal_clauses(text: str) -> list[str]:
    """The clauses of ``…一是A；二是B；三是C`` (A, B, C), or [] unless they count up from 一是."""
    expected = 1
    kept = []
    for marker in _ORDINAL_CLAUSE.finditer(text):
        if parse_number(marker.group(1)) == expected:
            kept.append(marker)
            expected += 1
    if len(kept) < 2:
        return []
    ends = [m.start() for m in kept[1:]] + [len(text)]
    return [text[m.end():end].strip(" ；;，,。") for m, end in zip(kept, ends) if text[m.end():end].strip(" ；;，,。")]


def _extend_body(heading: _Draft | None, clean: str, raw: str, lineno: int) -> None:
    """Add a line to the body of the 一、 or （一） line above it (nothing when a task came between)."""
    if heading is not None:
        if len(heading.raw_lines) == 1 and heading.task and heading.task[-1] not in "。；;：:！!？?，," \
                and not re.search(r"[,，;；]", heading.task):
            # 三、加强自身建设 | 全面从严治党…: the title is a sentence of its own; a line with a
            # comma is a sentence carried on to the next line (…由专业机构持 | 续运营。)
            heading.task += "。"
        heading.task += clean
        heading.raw_lines.append(raw)
        heading.last_line = lineno


def _sections_without_tasks(headings: dict[int, list[_Draft]], tasks: list[_Draft],
                            section_starts: list[int], subsection_starts: list[int]) -> list[_Draft]:
    """The 一、 and （一） sections that commit to something but have no task below them, numbered 五 and 五(二).

    A section runs to the next heading of its level or above. A 一、 section whose （一）
    subsections are items is not one itself: its body is their preamble. Sections that frame
    the tasks (工作要求, 保障措施) are not items.
    """
    task_lines = [d.first_line for d in tasks]

    def end_of(first: int, starts: list[int]) -> float:
        """Where a section that starts at line ``first`` ends: the next of ``starts``."""
        return min((s for s in starts if s > first), default=float("inf"))

    def has_task(first: int, starts: list[int]) -> bool:
        end = end_of(first, starts)
        return any(first < line < end for line in task_lines)

    def frames(draft: _Draft) -> bool:
        return bool(_FRAMEWORK_HEADING.search(" ".join([*draft.section_path, _heading_text(draft.task)])))

    every_start = sorted(section_starts + subsection_starts)
    bare = [d for d in headings[2] if _commits(d) and not frames(d) and not has_task(d.first_line, every_start)]
    for draft in bare:
        parent = _numeral(draft.outline[0]) if draft.outline else ""
        draft.number = f"{parent}({_numeral(draft.number)})"
    for draft in headings[1]:
        end = end_of(draft.first_line, section_starts)
        if _commits(draft) and not frames(draft) and not has_task(draft.first_line, section_starts) \
                and not any(draft.first_line < d.first_line < end for d in bare):
            draft.number = _numeral(draft.number)
            bare.append(draft)
    return bare


def _numeral(ordinal: str) -> str:
    """2 → 二, 12 → 十二: a section's number as its heading writes it."""
    return cn2an.an2cn(ordinal) if ordinal.isdigit() else ordinal


def _committed(headings: list[_Draft]) -> list[_Draft]:
    """The 一、 (or （一）) lines of a plan numbered by them alone that are its items: each that commits
    (:func:`_commits`), and a sentence of its own among them that states no number (二、开通运营地铁7号线
    一期、8号线一期。 between two quantities is a 实事 too: it was dropped without a word)."""
    committing = [i for i, draft in enumerate(headings) if _commits(draft)]
    if not committing:
        return []
    return [draft for i, draft in enumerate(headings) if committing[0] <= i <= committing[-1]
            and (_commits(draft) or normalize_text(draft.task).endswith("。") and not _FRAMEWORK_HEADING.search(draft.task))]


def _commits(draft: _Draft) -> bool:
    """Whether a 一、 or （一） line is a commitment: a body, or a quantity (（二）改造老旧小区80个)."""
    return _has_body(draft) or bool(extract_targets(normalize_text(draft.task)))


def _has_body(draft: _Draft) -> bool:
    """Whether a 一、 line says more than its heading: a sentence after the first, or lines below."""
    text = normalize_text(draft.task).rstrip("。")
    return len(draft.raw_lines) > 1 or "。" in text


def _qualify_restarted_numbers(drafts: list[_Draft]) -> list[_Draft]:
    """Numbers that restart in each section (一、 1. 2. 二、 1. 2.) become 1.1, 1.2, 2.1 …

    Only when they repeat and the section ordinals make them unique; otherwise they are left
    for :func:`_check_duplicates` to report.
    """
    numbers = [d.number for d in drafts]
    if len(set(numbers)) == len(numbers):
        return drafts
    qualified = [".".join([*d.outline, d.number]) for d in drafts]
    if len(set(qualified)) == len(qualified):
        for draft, number in zip(drafts, qualified):
            draft.number = number
    return drafts


def _attachments_by_item(attachments: dict[str, dict], index_units: dict[str, list[str]], index_titles: dict[str, str],
                         drafts: list[_Draft]) -> tuple[dict[str, dict], dict[str, list[str]], list[str]]:
    """The attachments and the index's units keyed by the item each details (:func:`_attachment_owner`),
    and the numbers of attachments left under their number although their title names another item.

    Each attachment first goes where its title says; where two would then detail one item (two
    titles naming it, or a title naming an item whose own attachment stays), the movers keep their
    numbers and are named in a warning (附件1 中小学建设实施方案 and 附件2 幼儿园建设实施方案 trade places,
    to items 2 and 1; 附件2 naming item 1, which keeps its own 附件1, stays and is named)."""
    numbers = sorted(set(attachments) | set(index_titles), key=_number_order)
    wanted: dict[str, str] = {}
    doubtful: list[str] = []
    for number in numbers:
        title = attachments[number]["title"] if number in attachments else ""
        wanted[number], doubt = _attachment_owner(number, title or index_titles.get(number, ""), drafts,
                                                  attachments.get(number, {}).get("counted", ()))
        doubtful += [number] if doubt and number in attachments else []
    owner_of = dict(wanted)
    while clash := next((n for n in numbers if owner_of[n] != n
                         and sum(owner == owner_of[n] for owner in owner_of.values()) > 1), None):
        owner_of[clash] = clash  # one at a time: a number given back may clash with another mover
        doubtful += [clash] if clash in attachments and clash not in doubtful else []
    return ({owner_of[number]: attachment for number, attachment in attachments.items()},
            {owner_of.get(number, number): units for number, units in index_units.items()},
            sorted(doubtful, key=_number_order))


def _number_order(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", number)) or (0,)


def _index_entry(entry: re.Match[str], index_units: dict[str, list[str]], index_titles: dict[str, str]) -> None:
    units = _INDEX_UNITS.search(entry.group(2))
    index_titles[entry.group(1)] = _INDEX_UNITS.sub("", entry.group(2)).strip()
    if units:
        index_units[entry.group(1)] = [u for u in re.split(r"[、,，]", units.group(1)) if u.strip()]


_UNNUMBERED = "附件"  # the key of an attachment without a number: no item is numbered so

# What an attachment's title adds to the item it details: 老旧小区改造实施方案 is about 老旧小区改造.
_PLAN_SUFFIX = re.compile(r"(?:的)?(?:实施|工作|建设|行动)?(?:方案|计划|细则|清单|任务分解表?|分解表)$")
_YEAR_IN_TITLE = re.compile(r"\d{4}\s*[-—~至]\s*\d{4}\s*年度?|\d{4}\s*年度?")  # 2025年中小学建设…: the year names no item
# Words for where and how a thing is built, which headings share whatever they build: compared without them.
_COMMON_WORDS = re.compile(r"全市|全区|全县|本市|本区|新建|改扩建|改建|扩建|建设")
_TITLE_MATCH = 80  # a title this close to an item's names it (rapidfuzz partial ratio, 0–100)
_TITLE_MARGIN = 15  # … when no other item comes this close
_TITLE_UNLIKE = 50  # an item's text this far from a title does not hold what it details


def _attachment_owner(number: str, title: str, drafts: list[_Draft], counted: Collection[str] = ()) -> tuple[str, bool]:
    """The number of the item an attachment (or an entry of the 附件 index) details, and whether
    its title leaves that in doubt.

    Most plans number each item's attachment as the item (附件3 for item 3), but a plan attaching
    only four of its twenty items numbers them 附件1–4: the title (城镇老旧小区改造实施方案) then
    names item 11, and the number alone hung its quotas on item 1. The number stands unless the
    title plainly names another item and not this one; it is in doubt where the title names some other
    item about as well as a third. A title names an item by its heading, or where no heading comes close by
    its text (公共充电桩 names 充电设施建设。新建公共充电桩8000个), whatever year it carries (2025年中小学建设…), and
    without the words most headings share (全市新建改扩建中小学 named 新建改扩建公办幼儿园, not 中小学学位建设). What the
    attachment's table counts (``counted``: 公共充电桩（个）) names its item as well as its title.
    """
    names = [about for name in (title, *counted)
             if len(about := _COMMON_WORDS.sub("", _PLAN_SUFFIX.sub("", _YEAR_IN_TITLE.sub("", normalize_text(name))))
                    .strip("《》“”")) >= 3]
    if not names:
        return number, False

    def close(text: str) -> float:
        return max(fuzz.partial_ratio(name, _COMMON_WORDS.sub("", text)) for name in names)

    closeness = {d.number: close(d.title or _title(d.task)) for d in drafts}
    unlike = _TITLE_MATCH
    if max(closeness.values(), default=0.0) < _TITLE_MATCH:  # no heading comes close: the items' texts, and
        # then only from an item of the number the title has next to nothing in common with (老旧小区综合整治
        # stays with 城镇老旧小区改造, though another item's text mentions it in passing)
        closeness = {d.number: max(closeness[d.number], close(normalize_text(d.task))) for d in drafts}
        unlike = _TITLE_UNLIKE
    own = closeness.get(number, 0.0)
    ranked = sorted(closeness.items(), key=lambda pair: -pair[1])
    best_number, best = ranked[0] if ranked else (number, 0.0)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if own < unlike and _TITLE_MATCH <= best and best - max(own, second) >= _TITLE_MARGIN:
        return best_number, False
    # in doubt only where another item comes as close as a title can (两个条目都像) and this one does
    # not: a title naming no item (各县区目标任务分配表) leaves the number to say
    return number, own < unlike and _TITLE_MATCH <= best


# A district table in an attachment: the column naming the places, and a count's unit in its header.
# (区县, 各区县（市）, 区、县（市、区）, 县（市）区, 区县（含功能区）, 区县、功能区, 县（市、区）名称, 区县及开发区,
# 各区县（含西咸新区）, 区县（管委会）, 市（州）, as plans head it)
_PLACE_COLUMN = re.compile(r"^(?:各?[区县市州](?:、?[区县市州]){0,2}"
                           r"(?:\((?:含)?(?:[区县市州、]|功能区|开发区|新区|园区|管委会|[\u4e00-\u9fff]{2,6}(?:新区|开发区))+\)[区县市]?)?"
                           r"(?:[、/及和](?:功能区|开发区|高新区|园区|新区|管委会))?(?:名|名称)?|地区|区域|辖区)$")
# A column naming each row's project, school or site: a list of them by place (项目名称 | 区县 | 建设规模（所）), whose
# rows are projects, not a district's share (two 1-school rows of one district read as its quota of 1所).
_LISTED_THING = re.compile(r"^(?:(?:建设|重点)?项目|(?:项目|工程|学校|单位|站点|点位)?名称)$")
_HEADER_UNIT = re.compile(r"[(（]\s*(" + "|".join(re.escape(u) for u in MEASURE_UNITS) + r")\s*[)）]$")


def _attachment_row(attachment: dict, cells: list[str]) -> str:
    """A table row of an attachment as a line of text; under a header naming the places and a count's
    unit (序号 | 区县 | 任务数（所）), each row is written as the quota it gives (秦都区5所), which is
    how the city plan would say it in words. A table with a column per place is read across."""
    if (across := _row_across_places(attachment, cells)) is not None:
        return across
    # the most local of several (序号 | 市 | 县（区） | 任务数, or 区县 | 市: the county's, not its city's)
    named = [i for i, cell in enumerate(cells) if _PLACE_COLUMN.match(cell)]
    places = next((i for i in reversed(named) if re.search(r"[区县]", cells[i])), named[-1] if named else None)
    if places is not None and (units := _quota_columns(cells, attachment.get("year"))):
        attachment.pop("across", None)  # a new table: of quotas, or a list of projects, which gives none
        attachment.pop("table", None)
        if not any(_LISTED_THING.match(cell) for cell in cells):
            attachment["table"] = (places, units)
            attachment.setdefault("counted", []).extend(_HEADER_UNIT.sub("", cells[i]) for i in units)  # names its item
        return " ".join(cell for cell in cells if cell) + "。"  # a clause of its own, no quota's total
    if attachment.get("table"):
        places, units = attachment["table"]
        place = cells[places] if places < len(cells) else ""
        if _PLACES_SUM.fullmatch(place):
            return ""  # 合计 | 10 or 全市 | 1000: the places' sum, no quota (its word labelled every quota: 合计：渭滨区3所)
        given = [f"{name}：{place}{number}{unit}" if name else f"{_ITEM_TARGET}{place}{number}{unit}"
                 for i, (unit, name) in units.items()
                 if place and i < len(cells) and (number := _quota_number(cells[i], unit))]
        if given:  # a sentence each: a second count's own name labels it (超充站：洪山区10座, not 充电桩's)
            return "。".join(given) + "。"
        return " ".join(cell for cell in cells if cell) + "。"  # a row of the table read as none: no part of the next
    return " ".join(cell for cell in cells if cell)


def _table_target(task: str, about: str) -> list[dict]:
    """The item's counts, the one its attachment's table is about first (老旧小区改造任务分解表 | 任务数 of 惠及居民3万户，
    改造老旧小区300个: 改造老旧小区, not 惠及居民; 学校数量 of 新增学位1.2万个，新建学校10所: 新建学校); of counts alike,
    the first."""
    counts = [target for target in extract_targets(normalize_text(task))
              if unit_family(target["unit"]) not in ("percent", "money", "area")]
    if not counts:
        return []
    shared = [len(set(target["indicator"] or "") & set(about)) for target in counts]
    best = shared.index(max(shared))
    return [counts[best], *counts[:best], *counts[best + 1:]]


def _quota_number(cell: str, unit: str) -> str | None:
    """The count a district table's cell gives, as the quota is written: 5, or written 5个, 约1200, 1.2万, 各5,
    500（其中超充站5座） (each read as no quota at all, without a word)."""
    found = re.fullmatch(rf"(各)?\s*(?:约|近|超过|不少于|不低于|≥)?\s*(\d+(?:\.\d+)?\s*[万亿]?)\s*(?:{re.escape(unit)})?\s*"
                         r"(?:以上|左右)?\s*(?:[(（][^()（）]*[)）])?", normalize_text(cell))
    return f"{found.group(1) or ''}{found.group(2)}" if found and float(re.sub(r"[^\d.]", "", found.group(2))) else None


def _quota_columns(header: list[str], year: int | None = None) -> dict[int, tuple[str, str]]:
    """The columns of a district table's header that give quotas: each column's unit, and the thing a second one
    counts. Of the counts in one measure word the quota is the total where parts are summed (新建 | 改造 | 合计), else
    the plan's own year's (2024年任务 | 2025年任务 in a 2025 plan), else the first that neither looks back (2024年已完成),
    splits (其中：新建（所）) nor sums a span of years (2024—2025年改造任务); one in a measure word of its own counts a
    second thing the city allots (区 | 公共充电桩（个） | 超充站（座）: 超充站10座 is the district's too), unless it is a
    split, a look back, or a share, a sum of money or an area sizing the count (占比（%）, 投资（万元）, 面积（平方米））."""
    counts = [(i, match.group(1), cell[:match.start()].strip())
              for i, cell in enumerate(header) if (match := _HEADER_UNIT.search(cell))]
    if not any(unit_family(unit) not in ("percent", "money", "area") for _, unit, _ in counts):
        # 区县 | 任务数, 2025年任务 (beside 补助资金（万元） too): counted in the item's unit, set when the attachment is
        # filed under it; a table of areas or shares alone (新增绿地（平方米）, 目标值（%）) is read as before
        counts = [(i, _ITEM_UNIT, cell.strip()) for i, cell in enumerate(header)
                  if _UNITLESS_COUNT.search(cell) and not _HEADER_UNIT.search(cell)
                  and not _PLACE_COLUMN.match(cell)] or counts
    if not counts:
        return {}
    apart = [count for count in counts if not _NO_QUOTA_HEADER.search(count[2])]
    usable = [count for count in apart if not _SPAN_OF_YEARS.search(count[2])] or apart or counts
    first = usable[0]
    alike = [count for count in usable if count[1] == first[1]]
    first = next((count for count in alike if len(alike) > 1 and _TOTAL_HEADER.search(count[2])), None) or next(
        (count for count in alike if year and re.search(rf"{year}\s*年", count[2])), first)
    columns: dict[int, tuple[str, str]] = {first[0]: (first[1], "")}
    for i, unit, name in usable:  # (after a sum of money, an area or a share too: 投资（万元） | 新增绿地（公顷）)
        if unit not in {taken for taken, _ in columns.values()} and not _TOTAL_HEADER.search(name) \
                and (unit_family(unit) not in ("percent", "money", "area") or unit_family(first[1]) == "money"):
            columns[i] = (unit, name)  # a share, a sum of money or a floor area sizes the count: no quota
    # two things counted in one measure word (公共停车泊位（个） | 公共充电桩（个）): a quota each, labelled by its
    # column, not stages or years of one count (新建（所） | 改扩建（所）, 2024年任务 | 2025年任务); the second was lost
    things = [count for count in alike if _names_a_thing(count[2])]
    if len(things) > 1 and first in things:
        columns.update({i: (unit, name) for i, unit, name in things})
    # a part in a measure word of its own (2024年任务（个） | 其中：超充站（座）): a second thing the district builds
    taken = {unit for unit, _ in columns.values()}
    for i, unit, name in counts:
        if (part := re.match(r"其中\s*[:：]?\s*", name)) and unit not in taken and _names_a_thing(name[part.end():]) \
                and unit_family(unit) not in ("percent", "money", "area"):
            columns[i] = (unit, name[part.end():])
            taken.add(unit)
    return columns


def _names_a_thing(name: str) -> bool:
    """Whether a count column's name says what it counts (公共充电桩), not only how (新建, 改扩建) or when (2025年任务)."""
    return not re.search(r"\d{4}\s*年", name) and not _TOTAL_HEADER.search(name) and len(re.sub(
        r"^(?:新建|改建|扩建|改扩建|改造|提升|新增|续建|完成|建设|年度|任务|目标)+|(?:任务|目标|数量|数)+$", "", name)) >= 2


_PLACES_SUM = re.compile(r"(?:合\s*计|总\s*计|小\s*计|全市|全区|全县|全省)(?:[(（].*)?")
_ITEM_TARGET = "〔条目〕"  # the item's count a table's first column gives quotas of, named when the item is filed
_ITEM_UNIT = "〔单位〕"  # a count column without its unit: the item's, written in when the attachment is filed
_UNITLESS_COUNT = re.compile(r"任务|数量|目标|计划数|合计|累计|已完成|已建成|新建|新增")
_TOTAL_HEADER = re.compile(r"合计|小计|总计|^(?:任务)?总数$")  # 总数 alone sums the parts; 老旧小区总数 is what there is
_NO_QUOTA_HEADER = re.compile(r"^其中|已|累计|占比|比例|现有|存量|.(?<!任务)总数")
_SPAN_OF_YEARS = re.compile(r"\d{4}\s*[-—–~至到]\s*\d{4}")


def _row_across_places(attachment: dict, cells: list[str]) -> str | None:
    """A table with a column per place (项目 | 单位 | 新城区 | 灞桥区): a row of counts gives each place its
    quota (充电桩（个） | 200 | 150 → 充电桩：新城区200个；灞桥区150个), the unit in the row's label or in a
    单位 column. None where the table is not such a table."""
    places = {i: place for i, cell in enumerate(cells) if (place := named_jurisdiction(cell))}
    counts = any(re.fullmatch(r"\d+(?:\.\d+)?", cell) for cell in cells)
    if len(places) >= 2 and not counts:
        unit_column = next((i for i, cell in enumerate(cells) if cell in ("单位", "计量单位")), None)
        attachment["across"] = (places, unit_column)
        attachment.pop("table", None)  # a new table
        return " ".join(cell for cell in cells if cell) + "。"
    if not attachment.get("across"):
        return None
    if not counts:  # a row of words: a new heading or table, no longer this one
        attachment.pop("across")
        return None
    places, unit_column = attachment["across"]
    label = next((cell for i, cell in enumerate(cells) if cell and i not in places and i != unit_column
                  and not re.fullmatch(r"\d+[.、]?", cell)), "")
    if re.fullmatch(r"(?:合\s*计|总\s*计|小\s*计|全市|全区|全县)(?:[(（].*)?", label):
        return " ".join(cell for cell in cells if cell) + "。"  # the places' sum, no place's quota
    unit_match = _HEADER_UNIT.search(label)
    unit = unit_match.group(1) if unit_match else (
        cells[unit_column] if unit_column is not None and unit_column < len(cells) else "")
    given = [f"{place}{cells[i]}{unit}" for i, place in places.items()
             if i < len(cells) and re.fullmatch(r"\d+(?:\.\d+)?", cells[i])]
    if not given or unit not in MEASURE_UNITS:
        return None
    name = label[:unit_match.start()] if unit_match else label
    return f"{name}：" + "；".join(given) + "。"


def _attachment_line(attachment: dict, clean: str, lineno: int) -> None:
    attachment["lines"][1] = lineno
    if responsible := _INLINE_UNITS.fullmatch(clean):  # （责任单位：市住建局、市城管局） on a line of its own
        attachment["units"] = _units_in(responsible.group(1))
        return
    if not attachment["title"] and not _LEVEL1.match(clean):
        attachment["title"] = clean
        # its quotas count where an attachment is one line (任务分配：莲湖区40个); a bare title ends its clause
        attachment["text"].append(clean if clean.endswith(_SENTENCE_END) else f"{clean}。")
        return
    if match := _LEVEL1.match(clean):
        attachment["sections"].append({"heading": _heading_text(match.group(2)), "text": ""})
        return
    if not attachment["sections"]:
        attachment["sections"].append({"heading": "", "text": ""})
    section = attachment["sections"][-1]
    section["text"] = f"{section['text']}\n{clean}".strip()
    attachment["text"].append(clean)


# ---------------------------------------------------------------- to the table


def _title(task: str) -> str:
    text = normalize_text(task)
    sentence = text.split("。")[0]
    if len(sentence) > 40:
        sentence = re.split(r"[,，;；]", sentence)[0]
    return sentence


_PLACE_LIST_SPLIT = re.compile(r"[、,，和及与]")
# 各新建, 分别建设, 各新建体育公园: a verb, and what it builds, may follow
_PLACE_LIST_END = re.compile(r"(?:(?:各|分别)[\u4e00-\u9fff]{0,10}|均为|为)$")


def _own_targets(text: str, quotas: list[dict]) -> list[dict]:
    """The item's targets less the quotas its text gives (改造村卫生室150个，其中宝塔区30个: 30个 is
    宝塔区's share, not a second target of the city item named 宝塔区; nor is 宝塔区新建200个 one
    named 宝塔区新建): a target whose words a quota holds and whose name opens with its place."""
    # a target is looked for among the quotas of the places its name opens with, in their words written one to a
    # line (a target's words hold no line break: normalize_text writes none), not in each quota of a long list
    words_by_place: dict[str, list[str]] = {}
    for quota in quotas:
        words_by_place.setdefault(quota["jurisdiction"], []).append(quota["raw"])
    lines_by_place = {place: SubstringIndex("\n".join(words)) for place, words in words_by_place.items()}
    lengths = sorted({len(place) for place in words_by_place})

    values_by_place: dict[str, set[float]] = {}
    for quota in quotas:
        values_by_place.setdefault(quota["jurisdiction"], set()).add(quota["value"])

    def place_of(part: str) -> str | None:  # 成都市武侯区 is 武侯区, as its quota names it
        return next((part[-length:] for length in lengths if part[-length:] in values_by_place), None)

    def names_only_places(target: dict) -> bool:
        """武侯区、成华区各15个, 金水区、二七区分别为60部、80部, 其中成都市武侯区40条: a name of places alone,
        one of which a quota gives this number (they were read as targets of the city item beside its quotas)."""
        parts = [part for part in _PLACE_LIST_SPLIT.split(_PLACE_LIST_END.sub("", target["indicator"] or "")) if part]
        places = [place_of(part) for part in parts]
        return bool(places) and None not in places and any(target["value"] in values_by_place[p] for p in places if p)

    def given_as_a_quota(target: dict) -> bool:
        name = re.sub(r"^(?:分别为|分别是)", "", target["indicator"] or "")  # 分别为鼓楼区4个
        for place in (name[:length] for length in lengths if length <= len(name)):
            if place in lines_by_place and (lines_by_place[place].holds(target["raw"]) if "\n" not in target["raw"]
                                            else any(target["raw"] in words for words in words_by_place[place])):
                return True
        return names_only_places(target)

    targets = [target for target in extract_targets(text) if not given_as_a_quota(target)]
    asides = [aside.group(0) for aside in _INCLUDED_ASIDE.finditer(text)]
    return [target for n, target in enumerate(targets) if not _share_of_an_earlier_total(target, targets[:n], asides)]


# The words of a count that only say where a part of a total goes: an area or a place within (其中主城区30个,
# 含三墩镇50个; not 城镇, a kind of people: 新增就业5000人，其中城镇3000人; nor a kind of place counted: 示范县1个,
# 其中住宅小区2000个, 旅游景区, 特色小镇, 产业园区, 绿色社区, 超市; a district's own share is a quota), the rest
# (其余18个由长清区、章丘区结合实际建设) or each place's floor (各区县（功能区）至少建设1处)
_SHARE_NAME = re.compile(r"(?:其中|含|包括)(?![城乡村]镇\d)[\u4e00-\u9fff]{0,8}?(?:城区|片区|新区|新城|街道|(?<![小集城乡村])镇|乡)\s*\d"
                         r"|其余|各(?:区县|县区|区|县|市|镇|乡|街道|镇街|县\(市\)区|区县\([^)]*\))")


def _share_of_an_earlier_total(target: dict, before: list[dict], asides: Sequence[str] = ()) -> bool:
    """Whether ``target`` is a part of a larger count in its unit written before it, named by where it goes (not by
    what: 新建学校10所，其中小学6所 is a target of its own), or one of what an aside says it includes (新建中小学4所
    （含九年一贯制学校1所、高中1所）: counts it holds, each read as a target of its own and listed beside the 4所 in
    coverage); it was a second target of the city item, compared in matching and evolution."""
    raw = target["raw"] or ""
    return bool(_SHARE_NAME.match(raw) or any(raw in aside for aside in asides)) and any(
        earlier["unit"] == target["unit"] and earlier["value"] > target["value"] for earlier in before)


# An aside in brackets naming what a total includes: （含九年一贯制学校1所、高中1所）.
_INCLUDED_ASIDE = re.compile(r"[(（](?:含|包括|包含)[^()（）]*[)）]")


def _to_frame(drafts: list[_Draft], meta: DocumentMeta) -> pl.DataFrame:
    rows = []
    gives_quotas = meta.level not in LEVELS or meta.level_rank > LEVELS.index("district")
    for draft in drafts:
        text = normalize_text(draft.task)
        named = _INLINE_UNITS.findall(text)  # …0.5个工作日以内。（牵头单位：区行政审批局；配合单位：…）
        text = _INLINE_UNITS.sub("", text).strip()
        if trailing := _TRAILING_UNITS.search(text):
            named.append(trailing.group(1).rstrip("。;；"))
            text = text[:trailing.start()] + ("。" if text[trailing.start()] == "。" else "")
        for part in named:  # and the deadline written beside them (完成时限：2024年6月底前)
            draft.units = list(dict.fromkeys([*draft.units, *_units_in(part)]))
            draft.deadline = draft.deadline or _deadline_in(part)
        title = draft.title or _title(text)
        # a city plan writes quotas in the item or its 附件; below it, an item's own text names
        # no district it gives a share to (为全区500个, 实现全区42个 read as quotas)
        quotas = extract_quotas(f"{text} {draft.quota_text}" if gives_quotas else draft.quota_text)
        if gives_quotas and draft.quota_text:
            quotas = _said_once(quotas, extract_quotas(text))
        rows.append(
            {
                "doc_id": meta.id,
                "item_id": f"{meta.id}:{draft.number}",
                "number": draft.number,
                "section_path": draft.section_path,
                "title": title,
                "text": text,
                "raw_text": "\n".join(draft.raw_lines),
                "units": draft.units,
                "status": draft.status,
                "progress": normalize_text(draft.progress) or None,
                "deadline": normalize_text(draft.deadline) or None,
                "targets": (targets := _own_targets(text, quotas)),
                # a sum of money by district only where the item states one (补助资金 under 建设社区食堂40个 is none)
                "quotas": [q for q in quotas if unit_family(q["unit"]) != "money"
                           or any(unit_family(t["unit"]) == "money" for t in targets)],
                "source_lines": [draft.first_line, draft.last_line, *draft.attachment_lines],
                "attachment": draft.attachment,
                "unit_keys": department_keys(draft.units),
            }
        )
    return items_frame(rows)
