"""Deadlines as written in a task table (完成时限), read into months to compare two years.

A 督查办 asks of a carried-forward task whether its deadline moved. Deadlines are free
text (2024年12月底, 6月底前, 上半年, 三季度, 长期坚持), so reading one gives the latest month
it names, or nothing for an open-ended one.

Two deadlines are compared in like terms. One inside its plan's year (年底前, 6月底前, or
2023年底 in the 2023 plan) is a point in that year: 年底前 in each year's table is the
same deadline, not a year late, for most such tasks recur. One beyond its plan's year
(2025年底 in the 2023 plan) is a point on the calendar, and so is every deadline of a task
the earlier plan reports unfinished: due 2023年底 and still open, the task due
2024年6月底 is six months late. A task the earlier plan reports done has not slipped: a
later deadline is its next stage's (开工 done, 建成 due next June).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_MONTH_NAMES = {
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
    "十一": 11, "十二": 12, "元": 1, "正": 1,
}
_QUARTER_NAMES = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONTH = r"(?:(?:1[0-2]|0?[1-9])\s*[-—–~至到]\s*)?(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九元正])\s*月"
_PART = (
    rf"{_MONTH}|(?P<quarter>第?[一二三四1-4])\s*季度|(?P<first_half>上半年)|(?P<second_half>下半年)"
    r"|(?<![\d一二三四五六七八九十两几])(?P<year_end>年底|年末|年内|全年|年终)"  # not 三年内 (within three years)
    r"|(?P<spring>春节)"  # 春节前: by February
)
# Years counted from the plan's own: 次年3月底 in the 2023 plan is March 2024.
_YEARS_AHEAD = {"次年": 1, "明年": 1, "翌年": 1, "下一年": 1, "下年": 1, "后年": 2}
_DATE = re.compile(
    rf"(?P<iso_year>(?:19|20)\d{{2}})[-./](?P<iso_month>1[0-2]|0?[1-9])(?!\d)"  # 2024-06-30, 2024.6
    rf"|(?:(?P<year>(?:19|20)\d{{2}})\s*年\s*|(?P<ahead>{'|'.join(_YEARS_AHEAD)})\s*)?(?:{_PART})?"  # 2024年6月, 6月底前, 次年3月
)


_CHINESE_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")
_CHINESE_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")


class Deadline(NamedTuple):
    """The latest month a deadline names; ``year`` is None when it names none (within the plan's year,
    or ``ahead`` years after it: 次年 1)."""

    year: int | None
    month: int
    ahead: int = 0


def read_deadline(text: str | None) -> Deadline | None:
    """The latest month a deadline text names, or None for an open-ended one (长期坚持, 持续推进)."""
    if not text:
        return None
    text = unicodedata.normalize("NFKC", text)
    # a year written in Chinese digits (二〇二四年十二月 lost its year, a slipped project then read 推迟12个月)
    text = _CHINESE_YEAR.sub(lambda m: m.group(1).translate(_CHINESE_DIGITS) + "年", text)
    found: list[Deadline] = []
    for match in _DATE.finditer(text):
        parts = match.groupdict()
        year = parts["year"] or parts["iso_year"]
        month = _month_of(parts)
        ahead = _YEARS_AHEAD.get(parts["ahead"] or "", 0)
        if year is None and month is None and not ahead:
            continue
        found.append(Deadline(int(year) if year else None, month or 12, 0 if year else ahead))
    if not found:
        return None
    dated = [d for d in found if d.year is not None]
    if dated:  # 2024年完成主体，6月底前验收: the months without a year follow the last year named
        last_year = max(d.year or 0 for d in dated)
        return max((Deadline(d.year or last_year + d.ahead, d.month) for d in found), key=_months)
    return max(found, key=_months)


def _month_of(parts: dict[str, str | None]) -> int | None:
    if parts["month"]:
        name = parts["month"]
        return int(name) if name.isdigit() else _MONTH_NAMES[name]
    if parts["iso_month"]:
        return int(parts["iso_month"])
    if parts["quarter"]:
        return 3 * _QUARTER_NAMES[parts["quarter"].lstrip("第")]
    if parts["first_half"]:
        return 6
    if parts["second_half"] or parts["year_end"]:
        return 12
    if parts["spring"]:
        return 2
    return None


def _months(deadline: Deadline) -> int:
    return ((deadline.year or 0) + deadline.ahead) * 12 + deadline.month - 1


def deadline_shift(
    old: str | None,
    new: str | None,
    *,
    old_year: int | None = None,
    new_year: int | None = None,
    unfinished: bool = False,
    finished: bool = False,
    reported: bool = True,
) -> int | None:
    """Months the new deadline is later than the old (negative: earlier), in like terms (module doc).

    ``unfinished``: the earlier plan reports the task still under way; ``finished``: it reports
    the task done, so a later deadline is a next stage's, not a slip (None); ``reported``: it reports
    the task's progress at all. None when either deadline is missing or open-ended, or a
    year-less one has no plan year to be placed in, or when nothing was reported and both name
    their year, the months reading earlier and the calendar later (2023年底前 → 2024年3月底前 is
    late for a project still open, and earlier in its year for a yearly task done and set again).
    """
    shift = _shift(old, new, old_year=old_year, new_year=new_year, unfinished=unfinished, reported=reported)
    return None if finished and shift is not None and shift > 0 else shift


def _shift(old: str | None, new: str | None, *, old_year: int | None, new_year: int | None, unfinished: bool,
           reported: bool) -> int | None:
    before, after = read_deadline(old), read_deadline(new)
    if before is None and after is None and _open_ended(old) and _open_ended(new):
        return 0  # 长期坚持 → 长期坚持: carried forward as open as it was (the change read blank)
    if before is None or after is None:
        return None
    within_years = (before.year in (None, old_year) and after.year in (None, new_year)
                    and not before.ahead and not after.ahead)
    if within_years and not unfinished:
        in_the_year = after.month - before.month
        written = before.year is not None and after.year is not None
        if not reported and written and in_the_year < 0 < _months(after) - _months(before):
            return None  # 2023年底前 → 2024年3月底前 with no word of progress: earlier in its year, or late?
        return in_the_year
    before, after = _on_calendar(before, old_year), _on_calendar(after, new_year)
    if before is None or after is None:
        return None
    return _months(after) - _months(before)


# A deadline that names no month because the work has none, and says nothing else (长期坚持, 持续推进, 常态化开展;
# not “十四五”期间持续推进, a period that moves, nor 暂停实施（持续关注）).
_OPEN_ENDED = re.compile(r"(?:长期|持续|常态化?|长效)[\u4e00-\u9fff]{0,4}")


def _open_ended(text: str | None) -> bool:
    return bool(text and _OPEN_ENDED.fullmatch(text.strip()))


def _on_calendar(deadline: Deadline, plan_year: int | None) -> Deadline | None:
    if deadline.year is not None:
        return deadline
    return Deadline(plan_year + deadline.ahead, deadline.month) if plan_year else None


def describe_shift(months: int | None) -> str | None:
    """推迟3个月 (later), 提前2个月 (earlier), 不变 (same), for the evolution table."""
    if months is None:
        return None
    if months == 0:
        return "不变"
    return f"{'推迟' if months > 0 else '提前'}{abs(months)}个月"
