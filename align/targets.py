"""Quantitative commitments (targets) and district quotas read from task text.

A target is a number with a measure unit inside one clause: ``地区生产总值增长7%左右``
gives indicator ``地区生产总值增长``, value 7, unit ``%``, qualifier ``左右``. Numbers that
are dates, ordinals, line numbers or document numbers carry no measure unit from the
list below and are skipped. 万 and 亿 are multiplied out so that ``1.5万个`` and
``15000个`` compare equal.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator

from align.normalize import CN_DIGITS, format_number, normalize_text, parse_number

# Longest first: the regex alternation takes the first that matches.
MEASURE_UNITS = sorted(
    {
        "%", "个百分点", "个", "所", "套", "处", "座", "条", "家", "人次", "人", "名", "户", "项", "批次", "场次",
        "场", "辆", "张", "吨", "台", "间", "栋", "宗", "件", "份", "批", "类", "支", "部", "公里", "千米",
        "平方米", "平米", "平方公里", "公顷", "米", "亩", "元", "美元", "亿元", "万元", "倍", "千瓦", "兆瓦", "床",
        "万人", "门", "路", "次", "天", "个工作日", "工作日", "个月", "小时", "分钟", "微克/立方米", "立方米", "标段", "只", "棵", "株",
        "块", "盏", "册",  # 社会足球场40块, 路灯500盏, 图书10万册
    },
    key=len,
    reverse=True,
)
# Units that measure the same kind of thing, for "same unit family" evidence.
UNIT_FAMILY: dict[str, str] = {
    "%": "percent", "个百分点": "percent",
    "公里": "length", "千米": "length", "米": "length",
    "平方米": "area", "平米": "area", "平方公里": "area", "公顷": "area", "亩": "area",
    "元": "money", "美元": "money", "亿元": "money", "万元": "money",
    "人": "people", "人次": "people", "名": "people", "户": "people", "万人": "people",
    "所": "count", "处": "count", "座": "count", "家": "count", "个": "count", "项": "count", "套": "housing",
    "间": "housing", "栋": "housing",
    "条": "route", "路": "route", "场": "event", "场次": "event", "次": "event", "批次": "event",
    "辆": "vehicle", "台": "device", "吨": "mass", "床": "bed", "张": "bed",
    "天": "time", "个工作日": "time", "工作日": "time", "个月": "time", "小时": "time", "分钟": "time",
}

# 约 and 达 alone are left out: inside 签约 or 下达 they are not qualifiers.
QUALIFIERS_BEFORE = ("不少于", "不低于", "不超过", "不高于", "不到", "至少", "超过", "超", "突破", "达到", "力争", "控制在")
_BOUND_BEFORE = ("不少于", "不低于", "不超过", "不高于", "不到", "至少", "超过", "超", "突破")
QUALIFIERS_AFTER = ("以上", "左右", "以内", "以下", "以里", "之内", "余", "多", "内")
# 内 alone is "within" only after a length of time (1个工作日内办结, 3个月内); 10个内容 is no bound.
_AFTER = "|".join(q if q != "内" else r"(?<=[日月天时钟周])内" for q in QUALIFIERS_AFTER)
# Written between the number and its unit (1000余个, 130多名), as a planner also writes them.
QUALIFIERS_INNER = ("余", "多")
_NUMBER = (rf"(?:\d+(?:\.\d+)?|[{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?)(?:\s*[-~至到—]\s*(?:\d+(?:\.\d+)?|[{CN_DIGITS}]+))?"
           r"\s*(?:(?:余|多)?\s*(?:千(?![米瓦克])|[万亿]))?")  # 3千个 is 3000, 3千米 three km; 20余万平方米 over 200000
_UNITS = "|".join(re.escape(u) for u in MEASURE_UNITS)
# A count of people written as 人口, 群众 or 居民 (提升25万农村人口供水保障水平, 解决5万农村群众饮水安全问题):
# persons, and whom (农村人口) stays in the name; read before 人 alone, which left 口 as the name (覆盖口).
_PEOPLE = r"(?=(?:农村|城镇|城乡|城区|山区|贫困|脱贫|受益|常住|户籍)?(?:人口|群众|居民(?!家庭|户|用户|楼|小区|点|区)))"
_TARGET = re.compile(
    rf"(?P<before>{'|'.join(QUALIFIERS_BEFORE)})?\s*(?:(?P<number>{_NUMBER})\s*(?P<inner>{'|'.join(QUALIFIERS_INNER)})?\s*"
    rf"(?:(?P<people>{_PEOPLE})|(?P<unit>{_UNITS}))|百分之\s*(?P<percent>{_NUMBER}))(?P<after>{_AFTER})?"
)
# "A、B、C分别不少于8家、5家、10家": one number per listed name, in order; a unit may be
# written only on the last number (分别突破50亿、70亿、20亿元).
_EACH_GROUP = re.compile(
    rf"分别(?P<verb>增长|提高|提升|下降|降低|减少|突破|达|为)?\s*(?P<before>{'|'.join(QUALIFIERS_BEFORE)})?\s*"
    rf"(?P<numbers>{_NUMBER}\s*(?:{_UNITS})?(?:\s*[、和及]\s*{_NUMBER}\s*(?:{_UNITS})?)+)"
    rf"(?P<after>{_AFTER})?"
)
_EACH_NUMBER = re.compile(rf"(?P<number>{_NUMBER})\s*(?P<unit>{_UNITS})?")
# Where a list of names starts: a clause boundary, but not a parenthesis (众创空间（孵化器）).
_LIST_START = re.compile(r"[,，;；。:：!！?？]")
# Kept in the indicator as a single target keeps them (地区生产总值增长); 达, 为 and 突破 are not.
_RATE_VERBS = ("增长", "提高", "提升", "下降", "降低", "减少")
# A rate written with no subject of its own (，增长5%, ，同比增长5%): the last target's.
_BARE_RATE = re.compile(rf"(?:同比|年均|比上年|较上年)?(?:{'|'.join(_RATE_VERBS)})")
_LEAD_VERB = re.compile(r"^(?:新增|新建|新认定|认定|引进|新落户|落户|建成|建设|完成|培育|打造|创建|实施|开展|举办|提供|改造)")
_QUOTED_NAME = re.compile(r"“[^”]{1,20}”|\"[^\"]{1,20}\"|《[^》]{1,40}》")
# Policy terms that carry a numeral in their name and are often written without quotes: the
# numeral is part of the name (中央八项规定, 二次供水, 两个维护), not a quantity to deliver.
_FIXED_NAME = re.compile(
    r"八项规定|二次供水|三次分配|两个(?:维护|确立|毫不动摇|结合|大局|健全)|四个(?:意识|自信|全面)"
    r"|三个(?:务必|代表)|五个一百"
    # a span of time that names a kind of thing (24小时自助服务区, 15分钟便民生活圈), not a time to keep within
    # (a time to keep within stays a target: 缩短至12分钟并保持稳定, 30分钟车程内就医, 培训40小时每人)
    r"|\d+\s*(?:小时|分钟)(?=[\u4e00-\u9fff]{0,6}?(?:圈|区|站|点|店|厅|室|馆|中心|窗口|服务|热线|门诊|书房))"
    # … or is followed, in its clause, by the count it qualifies (建成24小时智慧阅读空间3处, 2小时送达率90%)
    # (not a time to reach, 压缩至2小时并…, nor past 并/和/及/、, where another commitment begins)
    r"|(?<![\d.至到在为])\d+\s*(?:小时|分钟)(?=(?!以)[\u4e00-\u9fff][^,，;；。:：!！?？并和及、]*?\d)"
)
_CLAUSE_SPLIT = re.compile(r"[,，;；。:：!！?？()（）]")
# A short aside inside a word (公(专)用充电桩), which a target's clause does not stop at.
_INNER_ASIDE = re.compile(r"(?<=[\u4e00-\u9fff])[(（][^()（）:：;；,，。]{1,8}[)）]$")
_UNIT_ON_BOTH_ENDS = re.compile(rf"(\d(?:\.\d+)?)\s*({_UNITS})\s*([-~—至到]\s*)(?=\d+(?:\.\d+)?\s*\2)")
_LIST_MARK = re.compile(r"^(?:\d{1,3}[.．、](?!\d)|[一二三四五六七八九十]{1,2}是|[(（]\d{1,3}[)）])\s*")
_LEADING_FILLER = re.compile(
    r"^(?:其中|全年|年内|确保|力争|争取|努力|全面|持续|进一步|继续|今年|当年|每年|到\d{4}年底?|\d{4}年底?前?|累计|共|同时)+"
)
_TRAILING_LINK = re.compile(
    r"(?:提高到|提升到|降低到|下降到|增加到|达到|控制在|稳定在|保持在|突破|超过|到|至|达|为|在)?(?:(?<![签节制条预公])大?约|接近|将近|(?<![最附])近)?$"
)
# 约 or 大约 right before a number, not the end of 签约, 节约, 制约 or 条约; 近 (nearly), not 最近 or 附近.
_ABOUT_BEFORE = re.compile(r"(?:(?<![签节制条预公])约|(?<![最附])近)\s*$")
_NOT_A_QUANTITY_BEFORE = re.compile(r"(?:第|前|约\d|\d{4}年|最近|附近)$")
# A list before the name ends at its 等, and the means it names with it (通过新建停车场、错时共享等方式新增停车位:
# 新增停车位, not 方式新增停车位; a tester's 五华区 plan).
_ENUM_END = re.compile(
    r"^.*等(?:(?:多种|多项)?(?:方式方法|方式|方法|办法|模式|途径|渠道|形式|措施|手段|举措|方面|领域|载体)(?!多样)(?=\S))?")
# Whom a number of people serves, written right after it: part of the name, no number of its own
# (1500名0—17岁残疾儿童, 1.2万名13—14岁在校女生, 28万名65岁及以上老年人).
_AGE_OF_WHOM = re.compile(rf"^{_NUMBER}\s*周?岁(?:及?以[上下])?")

# A county-level city (兴平市, 彬州市) is a jurisdiction too, its name two characters or more.
JURISDICTION = r"[\u4e00-\u9fff]{1,8}?(?:新区|开发区|国际港|基地|区|县|(?<=[\u4e00-\u9fff]{2})市)(?:\([^()]{1,8}\))?"
# A list of places, each read once as the longest name it can be (atomic): 高新区 is 高+新区 or 高新+区, and a
# list of twenty tried each both ways when no 各 or 分别 followed (2^20 readings, seconds; forty, hours).
_LISTED_PLACE = r"(?>[\u4e00-\u9fff]{1,8}(?:新区|开发区|国际港|基地|区|县|(?<=[\u4e00-\u9fff]{2})市)(?:\([^()]{1,8}\))?)"
_JURISDICTIONS = rf"{_LISTED_PLACE}(?:\s*[、,，和及与]\s*{_LISTED_PLACE})*"
# Where a quota's place name may start: a clause or list boundary (a filler such as 其中 or
# 全市, or the city's own name before the place, is taken off by _clean_jurisdiction).
_QUOTA_START = r"(?:^|(?<=[,，、;；:：。()（）\s]))"  # also an opening bracket: 300个（其中莲湖区40个、…）
# A verb between the place and its number (灞桥区新建200个, 各建设2个, 分别建设1所).
_QUOTA_VERB_WORDS = ("新建", "建设", "建成", "改造", "完成", "实施", "新增", "增加", "打造", "创建", "培育", "开工", "提供",
                     "安排", "布局", "设置", "推广")
_QUOTA_VERB = rf"(?:{'|'.join(_QUOTA_VERB_WORDS)})?"
_QUOTA_NUMBER = (
    rf"(?:(?P<before>{'|'.join(QUALIFIERS_BEFORE)})\s*)?(?:约|近)?(?P<number>{_NUMBER})\s*(?:{'|'.join(QUALIFIERS_INNER)})?\s*"
    rf"(?P<unit>{_UNITS})"
)
_QUOTA_DIRECT = re.compile(rf"{_QUOTA_START}(?P<jur>{JURISDICTION})\s*[:：]?\s*{_QUOTA_VERB}\s*{_QUOTA_NUMBER}")
# 莲湖区、灞桥区各2个; 灞桥区、高新区分别建设1所: the same number for each place.
# What they build may stand before the number (各建设体育公园2个, 分别建设老年助餐点15个、10个).
_WHAT = r"(?P<what>[\u4e00-\u9fff“”]{2,12}?)"
_QUOTA_EACH = re.compile(
    rf"{_QUOTA_START}(?P<jurs>{_JURISDICTIONS})\s*(?:各|分别)\s*{_QUOTA_VERB}\s*(?:为)?\s*{_WHAT}?\s*{_QUOTA_NUMBER}"
)
# 灞桥区、莲湖区分别为200个、300个: a number per place, in order.
_QUOTA_SPREAD = re.compile(
    rf"{_QUOTA_START}(?P<jurs>{_JURISDICTIONS})\s*分别\s*{_QUOTA_VERB}\s*(?:为|达到)?\s*{_WHAT}?\s*"
    rf"(?P<numbers>{_NUMBER}\s*(?:{_UNITS})?(?:\s*[、和及]\s*{_NUMBER}\s*(?:{_UNITS})?)+)"
)
# 宝塔区建设老年助餐点20个、日间照料中心5个: a place, what it builds, then the number, and more of
# what with its number after a list mark. Each names what it counts, so none is a share of a total.
_QUOTA_NAMED = re.compile(
    rf"{_QUOTA_START}(?P<jur>{JURISDICTION})\s*(?P<verb>{_QUOTA_VERB})\s*{_WHAT}\s*{_QUOTA_NUMBER}"
)
_QUOTA_NAMED_MORE = re.compile(rf"\s*、\s*{_WHAT}\s*{_QUOTA_NUMBER}")
_ONLY_VERBS = re.compile(rf"(?:{_QUOTA_VERB.removeprefix('(?:').removesuffix(')?')})+")
_JURISDICTION_SPLIT = re.compile(r"\s*[、,，和及与]\s*")
# A bare place name and a list mark right before a quota's place: the number after it is the whole
# list's (完成蓝田县、周至县两处 is two for both, not a quota of 周至县's own).
_PLACE_LISTED_BEFORE = re.compile(rf"(?<![\d\u4e00-\u9fff]){JURISDICTION}\s*[、和及与]\s*$|"
                                  rf"[、和及与在对]\s*{JURISDICTION}\s*[、和及与]\s*$")
# The most characters other than whitespace it holds: a mark, a place (8, then 开发区, then a bracket of 8), a mark.
_PLACE_LISTED_WIDTH = 1 + 8 + 3 + 10 + 1


# A long line (a paragraph of 一是…二是…, a city's list of 灞桥区200个、…) holds thousands of numbers. What is looked
# up around each is found here in time that does not grow with the line: a search of the text before a number
# from its start, once per number, made parsing grow with the square of the line's length.


def _search_tail(pattern: re.Pattern[str], text: str, end: int, width: int) -> re.Match[str] | None:
    """``pattern.search(text, 0, end)`` for a pattern anchored at its end (``…$``) that opens with a character
    other than whitespace and holds at most ``width`` such characters: only the last ``width`` of them before
    ``end`` are searched (a lookbehind still sees the text before them)."""
    start, seen = end, 0
    while start > 0 and seen < width:
        start -= 1
        if not text[start].isspace():
            seen += 1
    return pattern.search(text, start, end)


class _Marks:
    """Where a one-character pattern (a clause mark) matches in a text, to find the nearest before or after a
    position by bisection."""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.at = [m.start() for m in pattern.finditer(text)]

    def end_before(self, at: int) -> int:
        """``max(m.end() for m in pattern.finditer(text, 0, at))``, 0 where there is none."""
        index = bisect_left(self.at, at)
        return self.at[index - 1] + 1 if index else 0

    def last_before(self, at: int) -> int:
        """Where the last mark before ``at`` is, -1 where there is none."""
        index = bisect_left(self.at, at)
        return self.at[index - 1] if index else -1

    def first_from(self, at: int) -> int | None:
        """Where the first mark at or after ``at`` is, None where there is none."""
        index = bisect_left(self.at, at)
        return self.at[index] if index < len(self.at) else None


class _Spans:
    """Spans of a text, added in any order, and whether one holds a position or meets a range: a Fenwick tree of
    the furthest end among the spans that start at or before each position."""

    def __init__(self, size: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._tree = [0] * (size + 2)
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        index = start + 1
        while index < len(self._tree):
            if self._tree[index] < end:
                self._tree[index] = end
            index += index & -index

    def _furthest_end(self, last_start: int) -> int:
        index, furthest = min(last_start + 1, len(self._tree) - 1), 0
        while index > 0:
            furthest = max(furthest, self._tree[index])
            index -= index & -index
        return furthest

    def holds(self, at: int) -> bool:
        """Whether a span has ``start <= at < end``."""
        return at >= 0 and self._furthest_end(at) > at

    def meets(self, start: int, end: int) -> bool:
        """Whether a span has ``span_start < end`` and ``start < span_end``."""
        return end > 0 and self._furthest_end(end - 1) > start


class SubstringIndex:
    """Where strings are written in one text, found by the rarest four characters of each: a search of the
    whole text for each of thousands of targets' words made a long line quadratic."""

    _GRAM = 4

    def __init__(self, text: str) -> None:
        self.text = text
        self._grams: dict[str, list[int]] | None = None  # where each four characters are written, made on first use

    def where(self, words: str) -> list[int]:
        """Where ``words`` are written, one after another (as ``re.finditer(re.escape(words), text)`` finds them)."""
        return list(self._where(words))

    def holds(self, words: str) -> bool:
        """Whether ``words`` are written in the text."""
        return not words or next(self._where(words), None) is not None

    def _where(self, words: str) -> Iterator[int]:
        if not words:
            raise ValueError("no words to look for")
        text = self.text
        if len(words) < self._GRAM:
            at = text.find(words)
            while at != -1:
                yield at
                at = text.find(words, at + len(words))
            return
        if self._grams is None:
            self._grams = {}
            for at in range(len(text) - self._GRAM + 1):
                self._grams.setdefault(text[at:at + self._GRAM], []).append(at)
        grams = self._grams
        offset = min(range(len(words) - self._GRAM + 1), key=lambda o: len(grams.get(words[o:o + self._GRAM], ())))
        after = 0  # where the last found ends: the next starts there or later
        for at in grams.get(words[offset:offset + self._GRAM], ()):
            at -= offset
            if at >= after and text.startswith(words, at):
                yield at
                after = at + len(words)


def unit_without_span(target: dict) -> str:
    """A target's unit less a rate's span (吨 of 10万吨/日): what its parts and shares are written in (其中历下区5万吨,
    已建成5万吨), which name no span."""
    return target["unit"].split("/")[0]


def unit_family(unit: str | None) -> str:
    """The family of a measure unit (``所`` → facility); unknown units are their own family."""
    if not unit:
        return ""
    return UNIT_FAMILY.get(unit, unit)


# Words that say which way or against what base a rate moves, not what it measures.
_RATE_DIRECTION = re.compile(
    r"增长|下降|降低|提高到?|提升|减少|同比|[比较](?:上年|\d{4}年)|单位GDP|万元GDP|单位地区生产总值|控制在|达到|保持在?|稳定在"
)


def indicator_key(indicator: str | None) -> str:
    """What a rate indicator measures: ``单位GDP碳排放强度降低`` → ``碳排放强度``."""
    key, previous = (indicator or "").strip(), None
    while key != previous:  # removing one word can join the halves of another (提提高高)
        key, previous = _RATE_DIRECTION.sub("", key).strip(), key
    return key


def _number_value(raw: str) -> float | None:
    """The lower bound of a number or range (``2-3`` → 2), 万/亿 applied."""
    return _number_bounds(raw)[0]


def _number_bounds(raw: str) -> tuple[float | None, float | None]:
    """A number's value and, for a range (``1-2``, ``5至8``, ``两至三``), its upper bound (else None),
    万/亿 applied to both."""
    raw = re.sub(rf"\s|(?<=[\d{CN_DIGITS}])[余多](?=[千万亿])", "", raw)  # 20余万: the 余 is the target's qualifier
    multiplier = ""
    if raw and raw[-1] in "千万亿":
        raw, multiplier = raw[:-1], raw[-1]
    first, *rest = re.split(r"[-~至到—]", raw)
    upper = parse_number(rest[-1] + multiplier) if rest and rest[-1] else None
    return parse_number(first + multiplier), upper


# Where the name written after a number ends: a conjunction, a comma, a later number or a bound.
_NAME_END = re.compile(r"[和及与并,，]|(?<=\D)\d|不少于|不低于|以上")


def _indicator(clause_before: str, clause_after: str) -> str:
    before = _ENUM_END.sub("", clause_before) if "等" in clause_before else clause_before
    before = _LIST_MARK.sub("", before.strip())  # 1.改造老旧小区42个 in an item's own list
    before = _LEADING_FILLER.sub("", before).removeprefix("的")  # 5亿元以上的军民融合项目15个
    before = _TRAILING_LINK.sub("", before).strip().removesuffix("分别")  # 开工率分别不低于50%
    after = clause_after.strip()
    if re.match(rf"{_NUMBER}\s*(?:{_UNITS})", after):  # the next quantity (34户53人): no name after
        after = ""
    else:  # a number opening the name is part of it (1座330千伏变电站), a later one is the next target's
        # (a 、 is left in it only where extract_targets found the name to list more after it: 宫颈癌、乳腺癌筛查)
        whom = age.group(0) if (age := _AGE_OF_WHOM.match(after)) else ""
        rest = after[len(whom):]  # searched for the first end, not split at every one (a line may be long)
        after = whom + (rest[:name_end.start()] if (name_end := _NAME_END.search(rest)) else rest)
    # a long name after a bare verb (any of two characters) is what it does (完成300户特殊困难老年人家庭适老化改造 was 完成)
    if before and after and (len(after) <= 12 or len(before) <= 2 or _LEAD_VERB.fullmatch(before)):
        return f"{before}{after}"
    return before or after


def _name_split(between: str) -> tuple[int, int] | None:
    """Where the first of two quantities in one clause ends its name and the second begins.

    The text between ``27所`` and ``7所县级医院`` is ``二级医院对口帮扶``: the noun ends the
    first name and the verb begins the second (二级医院 | 对口帮扶县级医院). A conjunction
    divides them and belongs to neither (道路建设和6条高压线迁改 → 道路建设 | 高压线迁改).
    ``None`` leaves the text as it reads: no verb or conjunction (16所三级医院27所二级医院),
    or an opening 的, where the first quantity qualifies the noun after it
    (5亿元以上的军民融合项目15个).
    """
    tags = _pos_tags(between)
    if not tags or tags[0][0] == "的":
        return None
    starts = [0]
    for word, _ in tags:
        starts.append(starts[-1] + len(word))
    conjunctions = [i for i, (_, flag) in enumerate(tags) if flag[:1] == "c"]
    if conjunctions:
        last = conjunctions[-1]
        return starts[last], starts[last + 1]
    verb = next((i for i, (_, flag) in enumerate(tags) if flag[:1] in ("v", "p")), None)
    return None if verb is None else (starts[verb], starts[verb])


def _pos_tags(text: str) -> list[tuple[str, str]]:
    """jieba's part-of-speech tags, imported on first use (loading its model takes a second)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return [(pair.word, pair.flag) for pair in jieba.posseg.cut(text)]


# 城乡居民…收入/消费 is two: 城镇… and 农村…, in that order (the statistical yearbooks' and every report's).
# Not a scheme that is one for both (城乡居民基本医疗保险…参保率) nor two things joined by 和 (…补助标准和个人缴费标准).
_URBAN_AND_RURAL = re.compile(r"^城乡(居民[^和及与、]*(?:收入|消费支出|消费))$")


def _listed_names(names_text: str) -> list[str]:
    """The names of ``A、B、C`` before 分别, each whole.

    A verb that opens the first name opens every one (新增概念认证中心、小试中试基地 →
    新增小试中试基地), and short first names share the last one's tail
    (城镇、农村居民人均可支配收入 → 城镇居民人均可支配收入); 城乡居民…收入 alone is 城镇… and 农村….
    """
    names = [_LEADING_FILLER.sub("", n.strip()) if i == 0 else n.strip() for i, n in enumerate(names_text.split("、"))]
    if len(names) == 1 and (both := _URBAN_AND_RURAL.match(names[0])):  # 城乡居民人均可支配收入分别增长6.5%、8%
        return [f"城镇{both.group(1)}", f"农村{both.group(1)}"]
    if len(names) < 2 or not all(names):
        return []
    verb = _LEAD_VERB.match(names[0])
    if verb:
        names = [names[0], *(n if _LEAD_VERB.match(n) else verb.group(0) + n for n in names[1:])]
    head, last = names[:-1], names[-1]
    own = len(head[0])
    if all(len(n) <= 4 for n in head) and len(last) >= 2 * own + 2 and all(len(n) == own for n in head):
        names = [n + last[own:] for n in head] + [last]
    return names


def _units_of_list(numbers: list[re.Match[str]]) -> list[str]:
    """The unit of each number of a list, in order; a number written without one takes the next
    one's (分别突破50亿、70亿、20亿元 are all 亿元)."""
    units: list[str] = []
    unit = numbers[-1].group("unit")
    for number in reversed(numbers):
        unit = number.group("unit") or unit
        units.insert(0, unit)
    return units


def _distributed_targets(text: str) -> list[tuple[int, int, list[dict]]]:
    """Every ``A、B分别…x、y`` in ``text``: the span it covers and one target per name."""
    groups: list[tuple[int, int, list[dict]]] = []
    list_marks = _Marks(_LIST_START, text)
    for group in _EACH_GROUP.finditer(text):
        list_start = list_marks.end_before(group.start())
        names = _listed_names(text[list_start:group.start()])
        numbers = list(_EACH_NUMBER.finditer(group.group("numbers")))
        if not names or len(names) != len(numbers) or not numbers[-1].group("unit"):
            continue
        units = _units_of_list(numbers)
        before, after = group.group("before") or "", group.group("after") or ""
        qualifier = before if before in _BOUND_BEFORE else (after or before)
        values = [_number_value(number.group("number")) for number in numbers]
        if None in values:
            continue
        verb = group.group("verb") if group.group("verb") in _RATE_VERBS else ""
        raw = text[list_start:group.end()].strip()
        targets = [{"indicator": name + verb, "value": value, "unit": unit, "qualifier": qualifier, "raw": raw,
                    "upper": None}
                   for name, value, unit in zip(names, values, units)]
        groups.append((list_start, group.end(), targets))
    return groups


def extract_targets(text: str | None) -> list[dict]:
    """Every quantitative commitment in ``text``, in reading order.

    Returns dicts with ``indicator, value, unit, qualifier, raw``; empty text gives ``[]``.
    ``A、B分别不少于8家、5家`` gives one target per name.
    """
    text = _UNIT_ON_BOTH_ENDS.sub(r"\1\3", normalize_text(text))  # 6%-6.5% is the range 6-6.5%
    text = text.replace("≥", "不低于").replace("≤", "不超过")  # 覆盖率≥90% read 覆盖率≥ with no bound
    found: list[dict] = []
    # where each target's number is written (None: a group's), to share a qualifier along a list
    spans: list[tuple[int, int, str, str] | None] = []
    # where the last target ends; where its clause starts and the name before its number (-1: a group's)
    previous_end, previous_start, previous_before = 0, 0, ""
    quoted = _Spans(len(text), (m.span() for m in (*_QUOTED_NAME.finditer(text), *_FIXED_NAME.finditer(text))))
    groups = _distributed_targets(text)
    group_ends = [g_end for _, g_end, _ in groups]  # in reading order, as are their starts
    clause_marks, list_marks = _Marks(_CLAUSE_SPLIT, text), _Marks(_LIST_OR_CLAUSE_MARK, text)
    emitted: set[int] = set()  # groups whose targets are already in ``found``
    for match in _TARGET.finditer(text):
        start, end = match.span()
        number = match.group("number") or match.group("percent")  # 百分之八 is 8%
        unit = _unit_of(match)
        per_time_after = ""
        if match.group("unit") and unit != "%" and not match.group("after") and (per := _PER_TIME.match(text, end)):
            # 10万吨/日, 4次/月: a rate, its span part of the unit (4次/月 is no 4次/年), none of the name
            unit, end = f"{unit}/{_PER_TIME_NAMES.get(per.group(1), per.group(1))}", per.end()
            if qualified := _AFTER_PER_TIME.match(text, end):  # 5万吨/日以上
                per_time_after, end = qualified.group(1), qualified.end()
        inside = bisect_right(group_ends, start)  # the first group that ends after the number
        if inside < len(groups) and groups[inside][0] <= start:  # the group's own targets, once, where its first number is
            if inside not in emitted:
                emitted.add(inside)
                found.extend(groups[inside][2])
                spans.extend([None] * len(groups[inside][2]))
            previous_end, previous_start = groups[inside][1], -1  # a group's targets keep their names
            continue
        if quoted.holds(start):
            continue  # “两个确立”, 八项规定: a number inside a quoted or fixed name is part of the name
        if unit == "部" and text.startswith("门", end):
            continue  # 十八部门: departments, not a count of 部
        if re.fullmatch(rf"[{CN_DIGITS}]+", number.strip()) and (
            unit in ("路", "门", "类", "批", "支") or number.strip() == "一"
            or unit == "部" and len(number.strip()) == 1
        ):
            continue  # 一部, 一路, 两类, 十二类, 一次办: words, not quantities (加装电梯五十部 is one)
        if _search_tail(_NOT_A_QUANTITY_BEFORE, text, start, 5) or number[0] in "十百千" and text[:start].endswith("数"):
            continue  # (数十个, 数百家: some tens or hundreds, no figure; 参训人数500人 is one)
        if start and _search_tail(_TOKEN_END, text, start, 1):
            continue  # part of a longer token such as 5G or 4+7
        value, upper = _number_bounds(number)
        if value is None:
            continue
        clause_start = _clause_start(text, start, clause_marks)
        # the previous number was in an aside that closes just before this one (新建学校（含幼儿园2所）10所):
        # this one's name is the words before the aside, not its closing bracket
        aside = -1
        if found and re.fullmatch(r"\s*[)）]\s*", text[previous_end:start]):  # a long aside's bracket is a clause mark
            aside = max(text.rfind("(", 0, previous_end), text.rfind("（", 0, previous_end))
            clause_start = _clause_start(text, aside, clause_marks) if aside > 0 else clause_start
        if found and previous_end > clause_start and aside <= clause_start:  # the previous number is in this clause: its noun
            # runs to the first 、 (16所三级医院、27所二级医院 → 二级医院 27所, not 三级医院、二级医院)
            tail_end = text.find("、", previous_end, start)
            clause_start = previous_end if tail_end == -1 else tail_end
            split = _name_split(text[previous_end:start]) if tail_end == -1 else None
            if split is not None:  # 27所二级医院对口帮扶7所县级医院: the verb starts the next one's name
                first_end, clause_start = previous_end + split[0], previous_end + split[1]
                if previous_start >= 0 and first_end > previous_end:
                    found[-1]["indicator"] = _indicator(previous_before, text[previous_end:first_end])
                if previous_start >= 0:
                    found[-1]["raw"] = text[previous_start:first_end].strip()
        while clause_start < start and text[clause_start] in "、,， ":
            clause_start += 1
        clause_end = clause_marks.first_from(end)
        if clause_end is None:
            clause_end = len(text)
        enumeration = text.find("、", end, clause_end)
        if enumeration > end and _lists_inside_the_name(text, start, enumeration, clause_end, list_marks):
            enumeration = -1  # 为3万名适龄妇女免费开展宫颈癌、乳腺癌筛查: one name
        raw_end = enumeration if enumeration != -1 else clause_end
        before, after = match.group("before") or "", match.group("after") or match.group("inner") or per_time_after
        if not after and (approx := re.search(rf"(?<=[\d{CN_DIGITS}])\s*([余多])\s*[千万亿]", number)):
            after = approx.group(1)  # 20余万平方米: over 200000, as 1000余个 is over 1000
        if not before and (about := _search_tail(_ABOUT_BEFORE, text, start, 1)):
            if about.group(0).startswith("近") and unit_family(unit) == "time":
                continue  # 近5个月: a span of time, not a quantity
            before = about.group(0).strip()  # 完成投资约50亿元, 近5000人: about 50, nearly 5000
        qualifier = before if before in _BOUND_BEFORE else (after or before)
        if _is_size_class(text, end, clause_end, unit, qualifier, ranged=upper is not None and upper > value):
            continue  # 10亿元以上项目2个: the sum says which projects count; the count is the target
        indicator = _indicator(text[clause_start:aside if aside > clause_start else start], text[end:raw_end])
        size_class = _SIZE_CLASS_OF.match(text, clause_start)
        if size_class and size_class.end() <= start and found and found[-1]["indicator"]:
            indicator = f"{found[-1]['indicator']}({indicator})"  # 其中10亿元以上不少于2个: of the last target's
        previous_start, previous_before = clause_start, text[clause_start:start]
        if _BARE_RATE.fullmatch(indicator) and found and found[-1]["indicator"] and previous_end == clause_start - 1:
            indicator = found[-1]["indicator"] + indicator  # 一般公共预算收入达到12.5亿元，增长5%: its growth
        if not indicator and found and (previous_end == clause_start - 1
                                        or previous_end == clause_start and not text[previous_end:start].strip()):
            # 分别增长7%、8%, 惠及居民1200户3600人: the second shares the first's indicator
            indicator = found[-1]["indicator"]
        previous_end = end
        found.append(
            {
                "indicator": indicator,
                "value": value,
                "unit": unit,
                "qualifier": qualifier,
                "raw": text[clause_start:raw_end].strip(),
                "upper": upper if upper is not None and upper > value else None,
            }
        )
        spans.append((start, end, match.group("before") or "", match.group("after") or match.group("inner") or ""))
    _share_qualifiers_along_lists(text, found, spans)
    return found


# Per a span of time after a unit (10万吨/日, 20万吨/天, 2次/年): part of the unit, no part of the count's name. Not a
# slash before more words (200个/年底前完成, 3个/日间照料中心2个, 2所/年度: the name goes on).
_AFTER_PER_TIME = re.compile(rf"\s*({_AFTER})")
_PER_TIME = re.compile(rf"\s*[/／]\s*(日|天|年|月|小时|时|d)(?=$|[^\u4e00-\u9fffA-Za-z]|\s*(?:{_AFTER}))")
_PER_TIME_NAMES = {"天": "日", "d": "日", "时": "小时"}


def _lists_inside_the_name(text: str, start: int, mark: int, clause_end: int, marks: _Marks | None = None) -> bool:
    """Whether the 、 at ``mark``, after the name written after a number at ``start``, lists more of that
    name (为3万名适龄妇女免费开展宫颈癌、乳腺癌筛查) rather than starting the next item: not where another
    quantity follows in the clause (新建口袋公园30个、城市绿道50公里), nor where the number's own words are an
    item of a list (11家企业完成搬迁、4条高压线完成迁改落地、教学楼建成)."""
    if _TARGET.search(text, mark, clause_end):
        return False
    mark_before = (marks or _Marks(_LIST_OR_CLAUSE_MARK, text)).last_before(start)
    return mark_before == -1 or text[mark_before] != "、"


_LIST_OR_CLAUSE_MARK = re.compile(r"[、,，;；。:：!！?？]")
# The end of a longer token a number is part of (5G, 4+7).
_TOKEN_END = re.compile(r"[\dA-Za-z.]$")


def _unit_of(match: re.Match[str]) -> str:
    """The unit a quantity is measured in: 百分之八 is %, 25万农村人口 persons."""
    if match.group("people") is not None:
        return "人"
    return match.group("unit") or "%"


# A share of the last target, sized by a sum: 项目10个，其中10亿元以上不少于2个.
_SIZE_CLASS_OF = re.compile(rf"其中\s*{_NUMBER}\s*(?:亿元|万元|元|美元)\s*以上")


def _clause_start(text: str, at: int, marks: _Marks | None = None) -> int:
    """Where the clause holding position ``at`` starts: after the last clause mark, but not inside a
    word written with a short aside (新建公(专)用充电桩, 众创空间(孵化器)10家: the bracket is no clause mark)."""
    marks = marks or _Marks(_CLAUSE_SPLIT, text)
    start = marks.end_before(at)
    while start > 0 and (_CJK_CHAR.match(text, start) or start == at) and (aside := _search_tail(_INNER_ASIDE, text, start, 10)):
        start = marks.end_before(aside.start())
    return start


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _is_size_class(text: str, end: int, clause_end: int, unit: str, qualifier: str, *, ranged: bool) -> bool:
    """Whether a sum only sizes what the clause then measures (签约10亿元以上项目不少于2个, 投资10-50亿元的
    产业项目50个, 10亿元以上项目开工率80%): a floor, a range or a 的 after it, and another measure later
    in the clause with no 、 or conjunction between, so the sum says which projects count and is no
    target itself (完成投资200亿元以上增长10% keeps both: the rate is the sum's own growth, and so does
    争取资金10亿元以上支持项目20个: a verb starts what follows)."""
    if unit_family(unit) != "money":
        return False
    if not (qualifier in ("以上", "超过", "超") or ranged or text.startswith("的", end)):
        return False
    following = _TARGET.search(text, end, clause_end)
    if not following or unit_family(_unit_of(following)) == "money":
        return False
    between = text[end:following.start()].strip()
    if between.startswith(_RATE_VERBS) or re.search(r"[、和及与并]", between):
        return False
    first = _pos_tags(between)[:1] if between else []
    return not (first and first[0][1].startswith("v"))  # 资金10亿元以上支持项目20个: a verb, so two targets


_LIST_JOIN = re.compile(r"^\s*[、和及与]\s*$")


def _share_qualifiers_along_lists(text: str, found: list[dict], spans: list[tuple[int, int, str, str] | None]) -> None:
    """A qualifier written once for a list of numbers holds for each: 分别增长7%、8%左右 is 7%左右 and
    8%左右, 开工率分别不低于50%、80%和100% is 不低于 each (the others read as exact figures)."""
    runs: list[list[int]] = []
    for index, span in enumerate(spans):
        previous = spans[index - 1] if index else None
        if span and previous and _LIST_JOIN.match(text[previous[1]:span[0]]):
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in (run for run in runs if len(run) > 1):
        if len({unit_family(found[i]["unit"]) for i in run}) > 1:  # 示范村8个、100万元以上…: no list of one measure
            continue
        befores, afters = [spans[i][2] for i in run], [spans[i][3] for i in run]  # type: ignore[index]
        if befores[0] and not any(befores[1:]) and not any(afters):
            shared = befores[0] if befores[0] in _BOUND_BEFORE else found[run[0]]["qualifier"]
        elif afters[-1] and not any(afters[:-1]) and not any(befores):
            shared = afters[-1]
        else:
            continue
        for i in run:
            found[i]["qualifier"] = shared


def extract_quotas(text: str | None) -> list[dict]:
    """District quotas written in a city plan: ``灞桥区200个``, ``其中灞桥区200个``,
    ``莲湖区、灞桥区各2个``, ``灞桥区、高新区分别建设1所``, ``灞桥区、莲湖区分别为200个、300个``."""
    text = normalize_text(text)
    quotas: list[dict] = []
    taken = _Spans(len(text))  # spans read as lists, not read again one place at a time
    spans: list[tuple[int, int]] = []  # where each quota was read, to find what it is a share of
    read = _Spans(len(text))  # the same spans, to find whether one meets a range
    names_itself: set[int] = set()  # quotas that say what they count (宝塔区建设老年助餐点20个)

    def add(names: list[str], values: list[float | None], units: list[str], raw: str, span: tuple[int, int],
            what: str | None = None) -> None:
        if raw.startswith(("含", "包括", "包含")):
            return  # 阎良区500个(含航空基地200个): part of another place's quota, not one of its own
        for name, value, unit in zip(names, values, units, strict=True):
            jurisdiction = _clean_jurisdiction(name)
            if value and jurisdiction is not None and unit_family(unit) != "time":  # (钢城区0所: none given; 近2个月: when)
                # a list (莲湖区、灞桥区各2个) gives each place its own words: 灞桥区2个, 灞桥区体育公园2个
                own = raw if len(names) == 1 else f"{jurisdiction}{what or ''}{format_number(value)}{unit}"
                if what:
                    names_itself.add(len(quotas))
                quotas.append({"jurisdiction": jurisdiction, "value": value, "unit": unit, "raw": own})
                spans.append(span)
                read.add(*span)

    for match in _near_each(_QUOTA_SPREAD, text):
        names = _JURISDICTION_SPLIT.split(match.group("jurs"))
        numbers = list(_EACH_NUMBER.finditer(match.group("numbers")))
        if len(names) != len(numbers) or not numbers[-1].group("unit"):
            continue
        add(names, [_number_value(n.group("number")) for n in numbers], _units_of_list(numbers), match.group(0).strip(" ,，、:："),
            match.span(), match.group("what"))
        taken.add(*match.span())
    for match in _near_each(_QUOTA_EACH, text):
        if taken.holds(match.start()):
            continue
        if match.group("what") and _QUOTA_NAMED_MORE.match(text, match.end()):
            continue  # 分别建设老年助餐点15个、日间照料中心10个: one number each, not 15 for both
        names = _JURISDICTION_SPLIT.split(match.group("jurs"))
        value = _number_value(match.group("number"))
        add(names, [value] * len(names), [match.group("unit")] * len(names), match.group(0).strip(" ,，、:："),
            match.span(), match.group("what"))
        taken.add(*match.span())
    named = []  # 宝塔区建设老年助餐点20个: read last, and only among other places' quotas (below)
    for match in _QUOTA_NAMED.finditer(text):
        place, what, verb = match.group("jur"), match.group("what"), match.group("verb")
        name = _clean_jurisdiction(place) or ""
        if (not _NAMED_PLACE.fullmatch(name) or taken.holds(match.start())
                or _ONLY_VERBS.fullmatch(what) or _opens_with_a_place(what)
                or _search_tail(_PLACE_LISTED_BEFORE, text, match.start(), _PLACE_LISTED_WIDTH)):
            continue  # 灞桥区新建200个 is read below; 灞桥区、莲湖区各… above; 指导宝塔区, 农村地区 are no names
        if not verb and (len(name) < 3 or place.endswith("市") and what.startswith(_CITY_WORD_ENDS)):
            continue  # 城区道路20条 names a kind of area; in 提供市场化… 市 opens a word (市场, 市级), it ends no name
        found = [(match.group("number"), match.group("unit"), match.group(0).strip(" ,，、:："), match.span())]
        while (more := _QUOTA_NAMED_MORE.match(text, found[-1][3][1])) and not _ends_the_list(more.group("what")):
            found.append((more.group("number"), more.group("unit"),
                          f"{_clean_jurisdiction(place) or place}{more.group(0).strip(' 、')}", more.span()))
        named.append((place, what, found))
    for match in _QUOTA_DIRECT.finditer(text):
        if taken.holds(match.start()):
            continue
        if _search_tail(_PLACE_LISTED_BEFORE, text, match.start(), _PLACE_LISTED_WIDTH):  # 在新城区、…、周至县建成8个
            continue  # the list's total
        add([match.group("jur")], [_number_value(match.group("number"))], [match.group("unit")],
            match.group(0).strip(" ,，、:："), match.span())
    # A place, a verb and a noun also open a plain sentence (创建市级示范村400个 read as a quota of 创建市,
    # 针对新区确定的3条 of 针对新区): one is a quota where 其中 leads it or its sentence gives another
    # place one too (宝塔区建设老年助餐点20个；安塞区、延安新区分别建设…).
    sentences = _Marks(_SENTENCE_END, text)
    # the places given a quota in each sentence (by where it starts), and those named by a place in it
    in_sentence: dict[int, set[str | None]] = {}
    named_in_sentence: dict[int, set[str | None]] = {}

    def note(quota: dict, start: int) -> None:
        if (sentence := _sentence_key(text, sentences, start)) is not None:
            in_sentence.setdefault(sentence, set()).add(quota["jurisdiction"])

    for quota, (start, _) in zip(quotas, spans, strict=True):
        note(quota, start)
    for p, _, f in named:
        if (sentence := _sentence_key(text, sentences, f[0][3][0])) is not None:
            named_in_sentence.setdefault(sentence, set()).add(_clean_jurisdiction(p))
    for place, what, found in named:
        if read.meets(found[0][3][0], found[-1][3][1]):
            continue  # read above (灞桥区新建不少于200个)
        sentence = _sentence_key(text, sentences, found[0][3][0])
        others = in_sentence.get(sentence, set()) | named_in_sentence.get(sentence, set()) if sentence is not None else set()
        if not found[0][2].startswith("其中") and not others - {_clean_jurisdiction(place), None}:
            continue
        first_new = len(quotas)
        for number, unit, raw, span in found:
            add([place], [_number_value(number)], [unit], raw, span, what)
        for quota, (start, _) in zip(quotas[first_new:], spans[first_new:], strict=True):
            note(quota, start)
    _name_what_each_is_a_share_of(text, quotas, spans, names_itself)
    # an item's text and its 附件 often say the same quota: once is enough
    return list({(q["jurisdiction"], q["value"], q["unit"], q["raw"]): q for q in quotas}.values())


# Characters that make 市 the start of a word (市场, 市级, 市民, 市政, 市区), not the end of a city's name.
_CITY_WORD_ENDS = tuple("场级民政区域容貌值内直属委")
# A place whose quota names what it builds is a short name (宝塔区, 延安新区, 兴平市, 眉县), never a phrase
# that ends in one (指导宝塔区, 带动周边县) nor a kind of area (城区, 农村地区).
_NAMED_PLACE = re.compile(r"(?![城市郊辖]区$)(?!.*地区$)[\u4e00-\u9fff]{1,3}(?:新区|开发区|国际港|基地|区|县|市)(?:\([^()]{1,8}\))?")


_EACH_WORD = re.compile(r"各|分别")
# How far before its 各 or 分别 a list of places may start (a hundred places), and how far after the numbers run.
_LIST_BEFORE, _NUMBERS_AFTER = 2000, 400


def _near_each(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a list of places that ends at 各 or 分别, searched only around those
    words: tried from every 、 of a long list without one (覆盖高新区、经开区、… in a city item), each try ran
    to the list's end, and a list of 10,000 places took seconds to find nothing."""
    windows: list[list[int]] = []
    for word in _EACH_WORD.finditer(text):
        start, end = max(0, word.start() - _LIST_BEFORE), min(len(text), word.end() + _NUMBERS_AFTER)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def _ends_the_list(what: str) -> bool:
    """Whether an item after 、 is no longer the place's own: another place's (秦汉新城2000套, 其余县区各5个)
    or a part of the one before (其中退耕还林5000亩)."""
    return _opens_with_a_place(what) or what.startswith(("其中", "含", "包括", "其余", "各", "全", "每")) \
        or what.endswith("新城")


_SENTENCE_END = re.compile(r"[。\n]")


def _sentence_key(text: str, sentences: _Marks, at: int) -> int | None:
    """Where the sentence (to a 。 or a line's end) holding position ``at`` starts; None where ``at`` is the
    mark that ends one (it is in none: a sentence runs from after one mark to the next)."""
    if at < len(text) and text[at] in "。\n":
        return None
    return sentences.end_before(at)


def _opens_with_a_place(text: str) -> bool:
    """Whether ``text`` starts with a named jurisdiction (灞桥区新建充电桩: another place's quota)."""
    opening = re.match(JURISDICTION, text)
    return opening is not None and _clean_jurisdiction(opening.group(0)) is not None


def _name_what_each_is_a_share_of(
    text: str, quotas: list[dict], spans: list[tuple[int, int]], names_itself: set[int]
) -> None:
    """Put in front of each quota's words the city target it is a share of: the nearest before it
    of the same unit family and at least as large (新建公(专)用充电桩4700个。其中…灞桥区200个), so an item
    giving a district two quotas (200 charging piles, 800 parking spaces) says which is which; of
    those, one counted in the quota's own measure word where there is one (临渭区3所 is a share of
    公办幼儿园12所, not of 新增学位3600个 written after it)."""
    if not quotas:
        return
    read = _Spans(len(text), spans)
    totals: list[tuple[int, dict]] = []  # (where it is written, target); an item's text and its 附件 may both write it
    written_at: dict[str, list[int]] = {}  # where each target's words are written, but in a quota's
    index = SubstringIndex(text)
    for target in extract_targets(text):
        if (target["indicator"] or "").startswith(_PART_OF):  # 宝塔区8条（含打通断头路2条）: a share's own part
            continue
        if not (target["raw"] and target["indicator"]):
            continue
        if target["raw"] not in written_at:
            written_at[target["raw"]] = [at for at in index.where(target["raw"]) if not read.holds(at)]
        totals.extend((at, target) for at in written_at[target["raw"]])
    sentences = _Marks(_SENTENCE_END, text)
    shares: list[tuple[dict, int]] = []  # the quotas named by the target they are a share of, and where they start
    for number, (quota, (start, end)) in enumerate(zip(quotas, spans, strict=True)):
        if number in names_itself:
            continue
        row = _ROW_LABEL.match(text, sentences.end_before(start))  # 充电桩：新城区200个；灞桥区150个 (a table by district, a row)
        if row and row.end() <= start and row.group("label") not in _NOT_A_LABEL \
                and named_jurisdiction(row.group("label")) is None:
            quota["raw"] = f"{row.group('label')}：{quota['raw']}"
            continue
        named_after = _NAMED_AFTER.match(text, end)  # 分别建设1所公办托育机构: the thing is named right after
        if named_after and not named_after.group(0).startswith(_NOT_NAMED_AFTER):
            quota["raw"] = f"{named_after.group(0)}：{quota['raw']}"
            continue
        shares.append((quota, start))
    for (quota, _), total in zip(shares, _shares_of(totals, shares), strict=True):
        if total is not None:
            quota["raw"] = f"{total['indicator']}：{quota['raw']}"


def _shares_of(totals: list[tuple[int, dict]], shares: list[tuple[dict, int]]) -> list[dict | None]:
    """For each quota starting where given, the target written nearest before it (the first listed of those
    written there) among those at least as large and in the quota's measure word, or else in its unit family;
    None where there is none.

    The quotas are taken from the largest down, each after every target at least as large is filed by where
    it is written: a look among all targets for each quota made a long list of quotas quadratic."""
    found: list[dict | None] = [None] * len(shares)
    by_value = sorted(range(len(totals)), key=lambda i: -totals[i][1]["value"])
    by_unit: dict[str, list[tuple[int, int]]] = {}  # (where, -which) of the targets filed, in order
    by_family: dict[str, list[tuple[int, int]]] = {}
    filed = 0
    for which in sorted(range(len(shares)), key=lambda j: -shares[j][0]["value"]):
        quota, start = shares[which]
        while filed < len(by_value) and totals[by_value[filed]][1]["value"] >= quota["value"]:
            at, target = totals[by_value[filed]]
            unit = unit_without_span(target)  # a rate's total (50万吨/日) is shared out in its unit (历下区5万吨)
            insort(by_unit.setdefault(unit, []), (at, -by_value[filed]))
            insort(by_family.setdefault(unit_family(unit), []), (at, -by_value[filed]))
            filed += 1
        for pool in (by_unit.get(quota["unit"]), by_family.get(unit_family(quota["unit"]))):
            before = bisect_left(pool, (start, -len(totals))) if pool else 0
            if pool and before:  # the last written before it, of those written there the first listed
                found[which] = totals[-pool[before - 1][1]][1]
                break
    return found


_PART_OF = ("含", "包括", "包含")
# A sentence that opens with what its quotas count, then the places (充电桩：新城区200个；灞桥区150个).
_ROW_LABEL = re.compile(r"\s*(?P<label>[\u4e00-\u9fff“”()（）]{2,20})\s*[:：]")
_NOT_A_LABEL = {"其中", "包括", "具体", "分别", "任务分配", "分配", "任务", "目标任务", "分解", "任务分解"}
# The noun a quota's number counts, when written right after it (各建设1所公办托育机构).
_NAMED_AFTER = re.compile(r"[\u4e00-\u9fff“”]{2,16}(?=[,，;；。、:：]|$)")
# A noun after the number that opens with one of these is no name of what is counted.
_NOT_NAMED_AFTER = (*_QUOTA_VERB_WORDS, "其中", "以上", "左右")


# What the pattern can take in before a place name (完成高陵区40个 → 高陵区); a verb, never
# a real name's first character (向阳区 and 于都县 exist, so 向 and 于 are not listed).
_VERB_BEFORE_PLACE = re.compile(
    r"^(?:完成|建成|新建|建设|改造|实施|推进|开展|给予|支持|实现|覆盖|惠及|按照|依照|指导|督促|推动|引导|鼓励|带动|整治|治理|提升"
    r"|在|对|由|为)+")
# Words before a place that are no part of its name (其中灞桥区, 全市灞桥区; 即 and 含 only before a name of three
# characters at least: 即墨区 and 含山县 are names), and the province or city a place may be written under (西安市灞桥区
# is 灞桥区).
_FILLER_BEFORE_PLACE = re.compile(r"^(?:其中|包括|(?:即|含)(?=[\u4e00-\u9fff]{3}|城区|郊区|矿区)|以及|分别为|分别是|约为|全市|全省|年内|今年|全年)+|^(?:[\u4e00-\u9fff]{2,3}?省)?(?:[\u4e00-\u9fff]{2,3}?市)(?=[\u4e00-\u9fff]{2,})")
# Characters that make 城市 a kind or a count of cities (大城市, 新城市, 两城市), not a city's name (韩城市, 聊城市).
_CITY_MODIFIERS = "大小中新老旧古名主副省县多此各该本一二两三四五六七八九十百千万"
# A kind of place, not a named one (区县、开发区10万元; 各区, 全县): no quota of one jurisdiction.
_NOT_A_NAMED_PLACE = re.compile(
    r"^(?:各|全|每|本|该|相关|有关|其他|其余|周边|周围|附近)|每|^(?:区县|县区|新区|开发区|国际港|基地|区|县)$|等"
    # a kind of area, not a jurisdiction (启动片区16条, 主城区20公里, 示范县1个); 新城区 is one
    r"|(?:片区|主城区|中心城区|社区|园区|景区|小区|街区|示范区|示范县|先行区|试验区|集聚区|棚户区)$|片区|^(?:旧)?城区$"
    # a mountain area (山区, 秦巴山区), not a district named after one mountain (横山区)
    r"|^(?:[\u4e00-\u9fff]{2,})?山区$"
    # half of a bracket a list split (其余县（市、区）各1个 gave a place 区))
    r"|^[^(]*\)|\([^)]*$"
    # a kind of city, a market or a listing, not a named city (县级市, 示范城市, 便民超市, 力争上市2家, 全市); a city's
    # name is two or three characters (兴平市, 张家港市), never a phrase (科学规划布局全市)
    r"|(?:级市|范市|超市|夜市|集市|早市|菜市|门市|全市|本市|上市|县市|股市|街市|花市)$|^[\u4e00-\u9fff]{4,}市$"
    # a kind of city is a word before 城市 (智慧城市, 大城市); one character that is no such word names one (韩城市, 晋城市)
    rf"|^(?:[\u4e00-\u9fff]{{2,}}|[{_CITY_MODIFIERS}])?城市$"
)


# 工业园区 names a zone as 高新区 does, alone in a list of shares (苏州市 writes its 苏州工业园区 so: 其中姑苏区30个、
# 工业园区6个) or after a place's name (苏州工业园区6个: jieba tags 苏州 a place); after any other word it is parks of a
# kind or a count (新建, 省级, 入驻, 全市工业园区: two reviews).
_INDUSTRIAL_PARK = re.compile(r"(?:其中|包括|以及|分别为|分别是)?(?P<place>[\u4e00-\u9fff]{2,3}?)?工业园区")


def named_jurisdiction(text: str) -> str | None:
    """``text`` when it is one named jurisdiction and nothing else (a district table's column
    header: 新城区, 兴平市), else None (合计, 全市, 区县)."""
    text = text.strip()
    return _clean_jurisdiction(text) if re.fullmatch(JURISDICTION, text) else None


def _clean_jurisdiction(name: str) -> str | None:
    """The named jurisdiction in a quota's lead, or None where it names a kind of place."""
    name = re.sub(r"\(.*?\)$", "", name.strip())
    if park := _INDUSTRIAL_PARK.fullmatch(name):
        place = park["place"]
        if not place:
            return "工业园区"
        named = not _VERB_BEFORE_PLACE.match(place) and _pos_tags(place) == [(place, "ns")]
        return f"{place}工业园区" if named else None
    previous, verb = None, False
    while name != previous:  # 其中西安市灞桥区: both come off
        verb = verb or bool(_VERB_BEFORE_PLACE.match(name))
        previous, name = name, _FILLER_BEFORE_PLACE.sub("", _VERB_BEFORE_PLACE.sub("", name))
    if verb and re.fullmatch(r"[老旧主]城区", name):
        return None  # 治理老城区积水点15处: the old town, not 洛阳市老城区 (其中老城区5个)
    return None if not name or _NOT_A_NAMED_PLACE.search(name) else name


def describe_quantity(target: dict | None) -> str | None:
    """``不少于8000人``, ``7%左右``, ``23.41万平方米``: the number as a planner writes it."""
    if target is None or target.get("value") is None:
        return None
    value = float(target["value"])
    upper = target.get("upper")
    unit, qualifier = target.get("unit") or "", target.get("qualifier") or ""
    scale, suffix = (1e8, "亿") if value >= 1e8 and unit not in ("亿元",) else \
        (1e4, "万") if value >= 1e4 and unit not in ("万元", "万人") else (1.0, "")
    number = format_number(value / scale)
    if upper is not None:  # 1-2个, 1.5-2万人
        number += f"-{format_number(float(upper) / scale)}"
    number += suffix
    if qualifier in QUALIFIERS_BEFORE or qualifier in ("约", "近"):
        return f"{qualifier}{number}{unit}"
    if qualifier in QUALIFIERS_INNER:
        return f"{number}{qualifier}{unit}"
    return f"{number}{unit}{qualifier}"


def describe_target(target: dict) -> str:
    """``地区生产总值增长 7.5%以上``, ``新建汽车充电站 不少于15处``: a target for display."""
    return f"{target.get('indicator') or ''} {describe_quantity(target) or '?'}".strip()
