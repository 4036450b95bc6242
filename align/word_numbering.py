"""The list numbers Word draws itself (一、 （一） 1.), which ``paragraph.text`` leaves out.

A planner who numbers an outline or a table's 序号 column with Word's automatic
numbering stores no number in the text: the paragraph only points (``w:numPr``, directly
or through its style) at a list in ``numbering.xml``. :class:`ListNumbers` replays Word's
counters in document order and gives each numbered paragraph the label Word shows, so the
parser sees the same outline a reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import cn2an
from docx.oxml.ns import qn

_LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PARENTHESISED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULL_STOPPED = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _chinese(n: int) -> str:
    return cn2an.an2cn(n) if n > 0 else "〇"


def _from_table(table: str) -> Callable[[int], str]:
    """A format with a glyph per number (①, ⑴, ⒈), decimal beyond its last glyph as Word does."""
    return lambda n: table[n - 1] if 1 <= n <= len(table) else str(n)


def _cycle(table: str) -> Callable[[int], str]:
    return lambda n: table[(n - 1) % len(table)] if n > 0 else str(n)


def _letters(n: int) -> str:
    """A…Z, then AA…ZZ: Word repeats the letter rather than counting in base 26."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, glyph in _ROMAN:
        count, n = divmod(n, value)
        out += glyph * count
    return out


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "taiwaneseCounting": _chinese,
    "taiwaneseCountingThousand": _chinese,
    "japaneseCounting": _chinese,
    "ideographLegalTraditional": lambda n: cn2an.an2cn(n, "up") if n > 0 else "零",
    "chineseLegalSimplified": lambda n: cn2an.an2cn(n, "up") if n > 0 else "零",
    "ideographDigital": lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n)),
    "ideographTraditional": _cycle(_HEAVENLY_STEMS),
    "ideographZodiac": _cycle(_EARTHLY_BRANCHES),
    "decimalEnclosedCircle": _from_table(_CIRCLED),
    "decimalEnclosedCircleChinese": _from_table(_CIRCLED),
    "ideographEnclosedCircle": _from_table(_CIRCLED),
    "decimalEnclosedParen": _from_table(_PARENTHESISED),
    "decimalEnclosedFullstop": _from_table(_FULL_STOPPED),
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "none": lambda n: "",
}
# Bullets carry no number a planner could cite; their glyph is often a private Symbol-font character.
_NOT_NUMBERS = {"bullet"}


@dataclass(frozen=True)
class _Level:
    start: int
    number_format: str
    text: str
    legal: bool  # w:isLgl: every placeholder in decimal (1.1.1 under 第一章)
    separator: str  # what Word puts after the number (w:suff); a tab would split a table line


def _val(element: Any, tag: str, default: str | None = None) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    value = child.get(qn("w:val")) if child is not None else None
    return default if value is None else value


def _level(lvl: Any) -> _Level:
    start = _val(lvl, "w:start", "0")
    return _Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 0,
        number_format=_val(lvl, "w:numFmt", "decimal") or "decimal",
        text=_val(lvl, "w:lvlText", "") or "",
        legal=lvl.find(qn("w:isLgl")) is not None and _val(lvl, "w:isLgl", "1") not in ("0", "false", "off"),
        separator=" " if _val(lvl, "w:suff", "tab") == "space" else "",
    )


def _ilvl(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() and int(value) < _LEVELS else None


class ListNumbers:
    """Word's list labels for the paragraphs of one document, counted in document order.

    Parameters
    ----------
    document : a ``docx.Document``. Its numbering definitions are read once; a document
        without them numbers nothing.

    Counters run per list definition (``abstractNum``) and level, as Word keeps them: two lists
    (``numId``) over one definition continue one count (1, 2 | 3, 4), and a list that restarts a level
    (``w:startOverride``) starts it again where the list is first used at that level, then goes on
    counting for all. A level restarts at its start value when a shallower level advances, and a
    ``%1`` for a level not yet reached shows that level's start value, as Word shows it.
    """

    def __init__(self, document: Any) -> None:
        self._lists: dict[str, dict[int, _Level]] = {}
        self._definition: dict[str, str] = {}  # numId → the abstractNum whose counters it shares
        self._restarts: dict[str, set[int]] = {}  # numId → the levels its w:startOverride restarts
        self._entered: set[tuple[str, int]] = set()  # (numId, level) already counted once
        self._level_of_style: dict[tuple[str, str], int] = {}  # (numId, styleId) → the level a style is bound to
        self._style_lists: dict[str, tuple[str, int | None]] = {}
        self._counters: dict[str, list[int | None]] = {}
        styles = {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}
        for style_id in styles:
            found = self._style_numbering(styles, style_id)
            if found is not None:
                self._style_lists[style_id] = found
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):  # python-docx cannot create the part it lacks
            return
        abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.iter(qn("w:abstractNum"))}
        for num in numbering.iter(qn("w:num")):
            abstract = abstracts.get(_val(num, "w:abstractNumId"))
            linked = _val(abstract, "w:numStyleLink")
            if linked and linked in self._style_lists:  # a list style: its levels live in another abstractNum
                target = numbering.find(f"{qn('w:num')}[@{qn('w:numId')}='{self._style_lists[linked][0]}']")
                abstract = abstracts.get(_val(target, "w:abstractNumId")) if target is not None else None
            if abstract is None:
                continue
            num_id = num.get(qn("w:numId"))
            self._definition[num_id] = abstract.get(qn("w:abstractNumId")) or num_id
            levels = {}
            for lvl in abstract.iter(qn("w:lvl")):
                if (ilvl := _ilvl(lvl.get(qn("w:ilvl")))) is not None:
                    levels[ilvl] = _level(lvl)
                    if (style_id := _val(lvl, "w:pStyle")) is not None:
                        self._level_of_style[(num_id, style_id)] = ilvl
            for override in num.iter(qn("w:lvlOverride")):
                ilvl = _ilvl(override.get(qn("w:ilvl")))
                if ilvl is None:
                    continue
                if (lvl := override.find(qn("w:lvl"))) is not None:
                    levels[ilvl] = _level(lvl)
                start = _val(override, "w:startOverride")
                if start is not None and start.isdigit() and ilvl in levels:
                    levels[ilvl] = replace(levels[ilvl], start=int(start))
                    self._restarts.setdefault(num_id, set()).add(ilvl)
            self._lists[num_id] = levels

    @staticmethod
    def _style_numbering(styles: dict[str, Any], style_id: str | None) -> tuple[str, int | None] | None:
        """The list a paragraph style numbers with, following ``basedOn`` (a style may inherit it)."""
        seen: set[str] = set()
        while style_id is not None and style_id in styles and style_id not in seen:
            seen.add(style_id)
            style = styles[style_id]
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None and (num_id := _val(num_pr, "w:numId")) is not None:
                return num_id, _ilvl(_val(num_pr, "w:ilvl"))
            style_id = _val(style, "w:basedOn")
        return None

    def labels(self, body: Any) -> dict[Any, str]:
        """Each numbered ``w:p`` under ``body`` (tables included) → its label, counted in document order."""
        return {p: label for p in body.iter(qn("w:p")) if (label := self.label(p))}

    def label(self, p: Any) -> str:
        """The label Word draws before paragraph ``p`` (``一、``, ``（一）``, ``1.``), or ``""``; advances the count."""
        found = self._list_of(p)
        if found is None:
            return ""
        num_id, ilvl = found
        levels = self._lists[num_id]
        counters = self._counters.setdefault(self._definition[num_id], [None] * _LEVELS)
        if (num_id, ilvl) not in self._entered:
            self._entered.add((num_id, ilvl))
            if ilvl in self._restarts.get(num_id, ()):
                counters[ilvl] = None  # the list's own start, here where it is first used
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl].start if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            counters[deeper] = None
        level = levels[ilvl]
        if level.number_format in _NOT_NUMBERS:
            return ""

        def number(match: re.Match[str]) -> str:
            shown = int(match.group(1)) - 1
            value = counters[shown]
            if value is None:
                value = levels[shown].start if shown in levels else 0
            number_format = "decimal" if level.legal else levels.get(shown, level).number_format
            return _FORMATS.get(number_format, str)(value)

        label = _PLACEHOLDER.sub(number, level.text).strip()
        if not label:
            return ""
        return label + (" " if level.separator or label[-1].isalnum() else "")

    def _list_of(self, p: Any) -> tuple[str, int] | None:
        """The (numId, level) paragraph ``p`` is numbered in, from its own ``w:numPr`` or its style's."""
        p_pr = p.find(qn("w:pPr"))
        style_id = _val(p_pr, "w:pStyle")
        num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
        num_id = _val(num_pr, "w:numId")
        ilvl = _ilvl(_val(num_pr, "w:ilvl"))
        if num_id is None and style_id in self._style_lists:
            num_id, style_level = self._style_lists[style_id]
            ilvl = ilvl if ilvl is not None else style_level
        if num_id is None or num_id not in self._lists:  # numId 0 switches numbering off
            return None
        if ilvl is None:
            ilvl = self._level_of_style.get((num_id, style_id or ""), 0)
        return (num_id, ilvl) if ilvl in self._lists[num_id] else None

