"""A spreadsheet cell's value as Excel shows it under the cell's number format.

A reader of .xlsx/.xls gets the stored value: 420.29999999999995 where Excel shows the 420.3 of
``=110.1+310.2``, 1.2 where the format ``0.0"万人"`` shows 1.2万人, 0.06 where ``0%`` shows 6%.
The task text is what the planner sees, so the common number formats are rendered here: the
digits the format keeps (``0``, ``0.0``, ``#,##0.00``), its percent sign, its literal text
(``"万人"``, ``\\个``, ``[$¥-804]``) and its sections for negative numbers, zero and text. What
is not rendered (scientific notation, fractions, conditions such as ``[>100]``) reads as the
General format does: the number with float noise removed. A date under a Chinese date format
(``m"月"d"日"``) is shown as it; under another it stays a date.

No installed library renders number formats (openpyxl and xlrd only tell a date format apart).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

# Excel keeps 15 significant digits; General shows fewer still. 12 removes the noise of float
# arithmetic (420.29999999999995, 0.30000000000000004) and keeps every digit a planner types.
GENERAL_DIGITS = 12

_DATE_LETTERS = set("dmhysDMHYS")
_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"?'  # literal text in quotes (an unclosed quote runs to the end)
    r"|\\(?P<escaped>.)"  # one literal character
    r"|_(?P<skip>.)?"  # the width of a character: a space
    r"|\*(?P<fill>.)?"  # repeat to fill the cell: nothing in text
    r"|\[(?P<bracket>[^\]]*)\]?"  # colour, locale, currency, condition
    r"|(?P<general>general)"
    r"|(?P<exponent>[eE][+-])"
    r"|(?P<char>.)",
    re.IGNORECASE | re.DOTALL,
)


class _Unsupported(Exception):
    """A format this renderer does not draw; the value reads as General."""


def general(value: float) -> int | float:
    """A number as Excel's General format shows it, as a number: float noise removed
    (420.29999999999995 → 420.3), an integer-valued float as an int (200.0 → 200)."""
    if isinstance(value, bool) or not isinstance(value, float):
        return value
    if value != value or value in (float("inf"), float("-inf")):
        return value
    if value.is_integer():
        return int(value) if abs(value) < 1e15 else value
    if abs(value) >= 10 ** GENERAL_DIGITS:  # no digit before the point is dropped
        return round(value)
    rounded = float(f"{value:.{GENERAL_DIGITS}g}")
    return int(rounded) if rounded.is_integer() else rounded


def _general_text(value: float) -> str:
    shown = general(value)
    return str(shown) if isinstance(shown, int) or abs(shown) >= 1e-4 else f"{Decimal(repr(shown)):f}"


@lru_cache(maxsize=256)
def _sections(number_format: str) -> tuple[str, ...]:
    """The format's ``;``-separated sections, a ``;`` in quotes, after ``\\`` or in brackets kept."""
    sections, start = [], 0
    for match in _TOKEN.finditer(number_format):
        if match.group("char") == ";":
            sections.append(number_format[start:match.start()])
            start = match.end()
    sections.append(number_format[start:])
    return tuple(sections)


@lru_cache(maxsize=1024)
def _tokens(section: str) -> tuple[tuple[str, str], ...] | None:
    """(kind, text): kind ``lit`` for text shown as is, ``0`` ``#`` ``?`` for digit places, ``.``,
    ``,``, ``%``, ``@`` and ``general``; None for a section not rendered here."""
    try:
        return tuple(_parse_tokens(section))
    except _Unsupported:
        return None


def _parse_tokens(section: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(section):
        kind = match.lastgroup
        if kind == "quoted":
            tokens.append(("lit", match.group("quoted")))
        elif kind == "escaped":
            tokens.append(("lit", match.group("escaped")))
        elif kind == "skip":
            tokens.append(("lit", " "))
        elif kind == "fill":
            continue
        elif kind == "bracket":
            inner = match.group("bracket")
            if inner[:1] in "<>=":
                raise _Unsupported(section)  # [>100]: which section applies depends on a condition
            if inner.startswith("$"):  # [$¥-804]: a currency sign; [$-804]: a locale alone
                tokens.append(("lit", inner[1:].split("-", 1)[0]))
            # a colour, [DBNum1] (Chinese numerals, read as digits) or an elapsed-time code: nothing shown
        elif kind == "general":
            tokens.append(("general", ""))
        elif kind == "exponent":
            raise _Unsupported(section)
        else:
            char = match.group("char")
            if char in "0#?.,%@":
                tokens.append((char, char))
            elif char == "/" or char in _DATE_LETTERS:
                raise _Unsupported(section)  # a fraction, or a date or time code
            else:
                tokens.append(("lit", char))
    return tokens


def _digits(value: Decimal, places: int) -> tuple[str, str]:
    """The integer and decimal digits of ``value`` rounded half away from zero, as Excel rounds."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    return whole.lstrip("0"), fraction.ljust(places, "0")


def _grouped(digits: str) -> str:
    """'1234567' → '1,234,567'."""
    head = len(digits) % 3 or 3
    return ",".join([digits[:head], *(digits[i:i + 3] for i in range(head, len(digits), 3))])


@lru_cache(maxsize=1024)
def _layout(tokens: tuple[tuple[str, str], ...]) -> tuple[list[int], list[int], int, bool, int]:
    """Where a section's integer and decimal digit places are, where its point is, whether it groups
    thousands, and the power of ten its % and trailing commas scale the number by."""
    places = [i for i, (kind, _) in enumerate(tokens) if kind in "0#?"]
    point = next((i for i, (kind, _) in enumerate(tokens) if kind == "."), len(tokens))
    whole_places = [i for i in places if i < point]
    fraction_places = [i for i in places if i > point]
    grouped = any(kind == "," and whole_places and whole_places[0] < i < whole_places[-1]
                  for i, (kind, _) in enumerate(tokens))
    scale = sum(1 for i, (kind, _) in enumerate(tokens) if kind == "," and places and i > places[-1]) * -3
    scale += 2 * sum(1 for kind, _ in tokens if kind == "%")
    return whole_places, fraction_places, point, grouped, scale


def _render_number(value: float, tokens: tuple[tuple[str, str], ...]) -> str:
    if any(kind == "general" for kind, _ in tokens):
        return "".join(_general_text(value) if kind == "general" else text
                       for kind, text in tokens if kind not in "0#?.,%@")
    whole_places, fraction_places, point, grouped, scale = _layout(tokens)
    if not whole_places and not fraction_places:  # all literal: 'zero' shown for 0, say
        return "".join(text for kind, text in tokens if kind == "lit")
    try:
        exact = Decimal(f"{abs(value):.{GENERAL_DIGITS}g}").scaleb(scale)
        whole, fraction = _digits(Decimal(f"{abs(value):.15g}").scaleb(scale), len(fraction_places))
    except InvalidOperation as exc:  # more digits than a Decimal holds (1e30 under 0)
        raise _Unsupported(str(value)) from exc
    if -min(exact.normalize().as_tuple().exponent, 0) > len(fraction_places):  # type: ignore[operator]
        # the format would round away what was typed (5.5% under 0%, a 6% target; 12.5 under 0): the
        # number in full, with the format's sign and text around it
        first_place = next(i for i, (kind, _) in enumerate(tokens) if kind in ("0", "#", "?", ".", ","))
        return "".join(_general_text(float(exact)) if i == first_place else text if kind in ("lit", "%") else ""
                       for i, (kind, text) in enumerate(tokens))

    shown = [text if kind in ("lit", "%") else "" for kind, text in tokens]
    if point < len(tokens):
        shown[point] = "."
    # the integer part: its digits, padded to its 0 places (a ? place pads with a space)
    padding = "".join("0" if tokens[i][0] == "0" else " " if tokens[i][0] == "?" else ""
                      for i in whole_places[: max(len(whole_places) - len(whole), 0)])
    whole_text = padding + whole
    if grouped:
        unpadded = whole_text.lstrip(" ")
        whole_text = whole_text[: len(whole_text) - len(unpadded)] + _grouped(unpadded)
    if whole_places and any(tokens[i][0] == "lit" for i in range(whole_places[0], whole_places[-1])):
        # literals between the places (000-0000): a digit a place from the right, the rest leftmost
        rest = padding + whole
        for i in reversed(whole_places[1:]):
            shown[i], rest = rest[-1:], rest[:-1]
        shown[whole_places[0]] = rest
    elif whole_places:
        shown[whole_places[0]] = whole_text
    else:  # .00: the integer digits stand before the point
        shown[point] = whole_text + "."
    # decimal places from the left; a # or ? place beyond the last significant digit shows nothing
    significant = len(fraction.rstrip("0"))
    for n, i in enumerate(fraction_places):
        kind = tokens[i][0]
        shown[i] = fraction[n] if n < significant or kind == "0" else " " if kind == "?" else ""
    return "".join(shown)


def render_number_format(value: Any, number_format: str | None) -> Any:
    """``value`` as Excel shows it under ``number_format``: text where the format changes what is
    read (decimals, a percent, literal text); otherwise the value itself, a float noise-free.

    Dates, booleans and empty cells are returned unchanged; so is text under a format with no
    text section.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dt.date) and number_format and re.search("[年月日]", number_format):
        return _render_date(value, number_format)
    if isinstance(value, str):
        return _render_text(value, number_format) if number_format and "@" in number_format else value
    if not isinstance(value, int | float) or not math.isfinite(value):
        return value
    if not number_format or number_format.strip().lower() in ("general", "@", ""):
        return general(float(value)) if isinstance(value, float) else value
    original = value
    if _CONDITION.search(number_format):  # [<0]"减少"0;0: which section applies is the format's own rule
        return general(float(value)) if isinstance(value, float) else value
    try:
        sections = _sections(number_format)
        numeric = sections[:3]
        if len(sections) == 1 and "@" in sections[0]:  # a text-only format: numbers read as General
            return general(float(value)) if isinstance(value, float) else value
        if value < 0 and len(numeric) >= 2:
            section, value, sign = numeric[1], -value, ""  # the negative section writes its own sign
        elif value == 0 and len(numeric) >= 3:
            section, sign = numeric[2], ""
        else:
            section, sign = numeric[0], "-" if value < 0 else ""
            value = abs(value)
        tokens = _tokens(section)
        if tokens is None:
            raise _Unsupported(section)
        text = _render_number(float(value), tokens)
    except _Unsupported:  # the value as stored, its sign kept (a negative section negates it)
        return general(float(original)) if isinstance(original, float) else original
    return sign + text if text.strip() else text


_CONDITION = re.compile(r"\[[<>=]")


def _render_text(value: str, number_format: str) -> str:
    sections = _sections(number_format)
    section = sections[3] if len(sections) >= 4 else sections[-1]
    if "@" not in section:
        return value
    tokens = _tokens(section)
    if tokens is None:
        return value
    return "".join(value if kind == "@" else text for kind, text in tokens if kind in ("lit", "@"))


_DATE_TOKEN = re.compile(r'"(?P<quoted>[^"]*)"?|\\(?P<escaped>.)|\[[^\]]*\]?|(?P<year>[yYeE]+)|(?P<month>[mM]+)|(?P<day>[dD]+)'
                         r"|(?P<time>[hHsS])|(?P<weekday>[aA]{3,4})|(?P<other>[^yYmMdD])", re.DOTALL)


def _render_date(value: dt.date, number_format: str) -> str:
    """A date as a Chinese date format shows it (yyyy"年"m"月"d"日" → 2024年6月30日, m"月"d"日" → 12月31日): the cell's
    stored year is no part of what a planner typed under a format without one (12月31日, typed in December for next
    year's plan, read 2023-12-31)."""
    shown = []
    for token in _DATE_TOKEN.finditer(number_format.split(";")[0]):
        if token.group("time"):
            break  # a time after the date is no part of a deadline (its minutes read as the month)
        if token.group("quoted") is not None or token.group("escaped") is not None:
            shown.append(token.group("quoted") if token.group("quoted") is not None else token.group("escaped"))
        elif token.group("year"):
            shown.append(str(value.year))  # yy"年" too: a deadline's year read whole (25年6月30日 read no year)
        elif month := token.group("month"):
            shown.append(f"{value.month:02d}" if len(month) == 2 else str(value.month))
        elif day := token.group("day"):
            shown.append(f"{value.day:02d}" if len(day) == 2 else str(value.day))
        elif other := token.group("other"):  # (a weekday, aaa, is left out)
            shown.append(other)
    return re.sub(r"[（(]\s*[)）]", "", "".join(shown)).strip()  # a weekday's brackets, emptied

