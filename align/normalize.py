"""Text normalisation for Chinese planning documents.

PDF and web extraction leave the same defects in every document: full-width forms,
spaces between Chinese characters and numbers (``增长 7%左右``), HTML inside table
cells and numbers written as ``1.5万`` or ``十四``. Everything downstream (targets,
matching, diffs) reads text through these functions so that it sees one spelling.
"""

from __future__ import annotations

import html
import re
import unicodedata
import warnings

import cn2an

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef“”‘’、。，；：！？（）《》【】…—·"
_SPACE_NEXT_TO_CJK = re.compile(f"(?<=[{CJK}{CJK_PUNCT}])[ \\t\\u00a0\\u3000]+|[ \\t\\u00a0\\u3000]+(?=[{CJK}{CJK_PUNCT}])")
_SPACE_AROUND_ASCII_PUNCT = re.compile(r"[ \t\u00a0]+(?=[,;:!?)%])|(?<=[(])[ \t\u00a0]+")
_MULTISPACE = re.compile(r"[ \t\u00a0\u3000]+")
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ol|ul|tr|td|th|table|h[1-6])\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_SEPARATOR_PUNCT = "。；;，,、:：！!？?"

# List markers NFKC would turn into bare digits glued to the task's own number (①10条 →
# 110条); written as (n), the parser reads them as the （1） markers they stand for.
_CIRCLED_RUNS = (
    (0x2460, 1, 20),  # ①..⑳
    (0x2474, 1, 20),  # ⑴..⒇
    (0x24EB, 11, 10),  # ⓫..⓴
    (0x24F5, 1, 10),  # ⓵..⓾
    (0x2776, 1, 10),  # ❶..❿
    (0x2780, 1, 10),  # ➀..➉
    (0x278A, 1, 10),  # ➊..➓
    (0x3251, 21, 15),  # ㉑..㉟
    (0x32B1, 36, 15),  # ㊱..㊿
)
_LIST_MARKERS = {
    chr(start + i): f"({first + i})" for start, first, count in _CIRCLED_RUNS for i in range(count)
}
# Unit signs NFKC would write as m2, km or m3, which no target unit reads; m² after
# another letter (cm²) is left alone.
_UNIT_SIGNS = {"㎡": "平方米", "㎢": "平方公里", "㎞": "公里", "㎥": "立方米"}
_BEFORE_NFKC = str.maketrans(_LIST_MARKERS | _UNIT_SIGNS)
_SUPERSCRIPT_UNITS = {"km²": "平方公里", "m²": "平方米", "m³": "立方米"}
_SUPERSCRIPT_UNIT = re.compile(r"(?<![A-Za-zＡ-Ｚａ-ｚ])(?:km²|m²|m³)")


# 12,000套 as a statistics table writes it: the comma groups digits and is no clause break
# (the targets read 000套). Only an ASCII comma, and only in groups of three.
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")
_COMMA_BETWEEN_NUMBERS = re.compile(r"(?<=\d)[，﹐](?=\d)")
# … but a full-width comma groups digits where no list could be meant: after a single digit (1，500个), before a
# group opening with 0 (2，000个 read 0个), or between full-width digits (１，２００个).
_FULL_WIDTH_THOUSANDS = re.compile(
    r"(?<![\d.,，﹐])(?:\d(?:[，﹐]\d{3})+|\d{1,3}(?:[，﹐]0\d{2})+|[０-９]{1,3}(?:[，﹐][０-９]{3})+)(?![\d,，﹐])"
)


def _grouped_unless_listed(match: re.Match[str]) -> str:
    """The digits without their full-width commas, unless the clause shares them out respectively over names it lists
    and only the list gives each name its number (一期、二期分别建成安置房5，300套 is 5 and 300; 一期和二期分别建成
    1，200套、3，500套 and 城镇和农村居民收入分别达到52，000元、18，000元 are two numbers grouped, one per name;
    在各街道新建充电桩1，500个, 城区、农村各新建1，100所 (each the same) and 分别建成1，200套、3，500套 list no names)."""
    clause = re.split(r"[。；;:：,，]", match.string[:match.start()])[-1]
    if not (listed_names := re.search(r"[、和及与][^、]*分别", clause)):
        return _GROUPING_COMMA.sub("", match.group(0))
    names = len(_NAMES_APART.split(clause[:listed_names.end() - 2]))
    run = _RESPECTIVE_NUMBERS.match(match.string, match.start())
    numbers = _ASIDE.sub("", run.group(0) if run else match.group(0))  # 52，000元（增长6%）: not one of them
    as_list = len(_NUMBER.findall(numbers))
    as_groups = len(_NUMBER.findall(_FULL_WIDTH_THOUSANDS.sub(lambda m: _GROUPING_COMMA.sub("", m.group(0)), numbers)))
    return _GROUPING_COMMA.sub("", match.group(0)) if as_groups == names != as_list else match.group(0)


# The numbers a 分别 clause gives out, over the commas between them (52，000元、18，000元), up to a clause of words or
# of a year (，2025年分别达到…)
_RESPECTIVE_NUMBERS = re.compile(r"[^。；;，,﹐]*(?:[，,﹐](?=\d)(?!\d{4}\s*年)[^。；;，,﹐]*)*")
_ASIDE = re.compile(r"[(（][^()（）]*[)）]")
# Between two names a list shares out: 、, or 和 / 与 / 及 standing between words (not inside 参与, 和美, 及时)
_NAMES_APART = re.compile(r"、|(?<=[\u4e00-\u9fff]{2})(?<!参)(?:和|与|及)(?![美谐时])(?=[\u4e00-\u9fff]{2})")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_GROUPING_COMMA = re.compile("[，﹐]")


def _nfkc(text: str) -> str:
    """NFKC, after list markers and unit signs are given the spelling the parser reads."""
    text = _SUPERSCRIPT_UNIT.sub(lambda m: _SUPERSCRIPT_UNITS[m.group(0)], text.translate(_BEFORE_NFKC))
    return unicodedata.normalize("NFKC", text)


CN_DIGITS = "零〇一二两三四五六七八九十百千"
_CN_NUMERAL = re.compile(f"[{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?[万亿]?")
_ARABIC_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*([千万亿]?)")


def strip_html(text: str) -> str:
    """Remove HTML tags, keeping block and list boundaries as separators.

    A boundary (``<p>``, ``<li>``, ``<br>``) becomes ``；`` unless the text before it
    already ends in punctuation, so paragraphs and list items stay distinguishable.
    """
    if "<" not in text and "&" not in text:
        return text
    pieces = [_ANY_TAG.sub(" ", piece).strip() for piece in _BLOCK_TAG.split(text)]
    joined = ""
    for piece in pieces:
        if not piece:
            continue
        if joined and joined[-1] not in _SEPARATOR_PUNCT:
            joined += "；"
        joined += piece
    return html.unescape(joined)


def spaced_out(text: str) -> bool:
    """Whether nearly every character stands apart (实 施 重 点 项 目 1 2 0 个), as some PDFs extract."""
    shown = len(text) - text.count(" ")
    return shown >= 6 and len(_SPACED.findall(text)) >= 0.8 * (shown - 1)


_SPACED = re.compile(r"\S (?=\S)")


def normalize_text(text: str | None) -> str:
    """NFKC (① read as (1), ㎡ as 平方米), HTML stripped, extraction spaces next to Chinese removed, whitespace
    collapsed, digits grouped by thousands joined (12,000 → 12000).

    Idempotent: ``normalize_text(normalize_text(s)) == normalize_text(s)``. ``None``
    and empty text give ``""``.
    """
    if not text:
        return ""
    text = _normalize_once(text)
    for _ in range(2):  # a pass can leave markup the next would strip (NFKC turns <ª> into <a>, a control character dropped from <A>)
        if "<" not in text and "&" not in text or (again := _normalize_once(text)) == text:
            break
        text = again
    return text


def _normalize_once(text: str) -> str:
    """One pass of :func:`normalize_text`."""
    text = strip_html(text)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)
    text = _FULL_WIDTH_THOUSANDS.sub(_grouped_unless_listed, text)
    # another full-width comma between numbers (300，200户) is a list: NFKC makes it ASCII, and a later pass
    # would read 300,200 as thousands, so it keeps a space
    text = _nfkc(_COMMA_BETWEEN_NUMBERS.sub(", ", text))
    if spaced_out(_MULTISPACE.sub(" ", text)):  # 1 2 0 个 from a PDF that spaces every character
        text = re.sub(r"(?<=\S)[ \t\u00a0\u3000]+(?=\S)", "", text)
    text = text.replace("\r", " ").replace("\n", " ")
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf") or ch == "\t")
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    text = _SPACE_AROUND_ASCII_PUNCT.sub("", text)
    text = _MULTISPACE.sub(" ", text)
    return text.strip()


def chinese_to_number(numeral: str) -> float | None:
    """``十四`` → 14, ``1.5万`` → 15000, ``两`` → 2; ``None`` where it is not a number."""
    numeral = numeral.strip()
    if not numeral:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = cn2an.cn2an(numeral, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return float(value)


def parse_number(text: str) -> float | None:
    """Parse one quantity written in Arabic or Chinese numerals with 千/万/亿 multipliers.

    ``"1.5万"`` → 15000.0, ``"3千"`` → 3000.0, ``"2.1 万"`` → 21000.0, ``"十四"`` → 14.0, ``"abc"`` → None.
    """
    text = unicodedata.normalize("NFKC", text or "").strip().replace(",", "")
    if not text:
        return None
    match = _ARABIC_NUMBER.fullmatch(text)
    if match:
        value = float(match.group(1)) * {"": 1, "千": 1e3, "万": 1e4, "亿": 1e8}[match.group(2)]
        return round(value, 6)  # 5.19万 is 51900, not 51900.00000000001
    if _CN_NUMERAL.fullmatch(text):
        return chinese_to_number(text)
    return None


def format_number(value: float) -> str:
    """15000.0 → '15000', 7.5 → '7.5' (no trailing zeros)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def convert_numerals(text: str) -> str:
    """Write every quantity in Arabic digits with 万/亿 multiplied out.

    ``"1.5万个"`` → ``"15000个"``, ``"新建两所"`` → ``"新建2所"``. A Chinese numeral is
    converted only where a measure word follows it, so words such as ``一体化`` or
    ``十四五`` keep their meaning.
    """
    text = _nfkc(text or "")

    def arabic(match: re.Match[str]) -> str:
        if not match.group(2):
            return match.group(0)
        value = parse_number(match.group(1) + match.group(2))
        return format_number(value) if value is not None else match.group(0)

    text = _ARABIC_NUMBER.sub(arabic, text)

    def chinese(match: re.Match[str]) -> str:
        token = match.group(0)
        end = match.end()
        following = text[end : end + 1]
        if not following or not _MEASURE_START.match(following):
            return token
        value = chinese_to_number(token)
        return format_number(value) if value is not None else token

    return _CN_NUMERAL.sub(chinese, text)


# First characters of measure words after which a Chinese numeral is a quantity.
_MEASURE_START = re.compile("[个所套处座条家人名项批次场辆户张吨台间栋件份类支部公千米亩平元亿万倍%]")
