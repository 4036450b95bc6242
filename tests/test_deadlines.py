"""Reading a task table's 完成时限 and how far a carried-forward task's deadline moved."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from align.deadlines import Deadline, deadline_shift, describe_shift, read_deadline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年12月底前", Deadline(2024, 12)),
        ("2025年9月底", Deadline(2025, 9)),
        ("2024年底", Deadline(2024, 12)),
        ("2024年上半年", Deadline(2024, 6)),
        ("2024年第三季度", Deadline(2024, 9)),
        ("2025年1-6月", Deadline(2025, 6)),
        ("2024-06-30", Deadline(2024, 6)),
        ("2024.6", Deadline(2024, 6)),
        ("２０２４年６月", Deadline(2024, 6)),  # full-width digits, as some tables write them
        ("二〇二四年十二月", Deadline(2024, 12)),  # a year in Chinese digits (it lost its year; a bad-input probe)
        ("2024—2025年", Deadline(2025, 12)),
        ("2024年底前完成主体，2025年6月底前竣工", Deadline(2025, 6)),  # the latest month named
        ("2024年完成主体，6月底前验收", Deadline(2024, 12)),  # a month without a year follows the year named
        ("6月底前", Deadline(None, 6)),
        ("十月底", Deadline(None, 10)),
        ("年底前", Deadline(None, 12)),
        ("三季度", Deadline(None, 9)),
        ("下半年", Deadline(None, 12)),
    ],
)
def test_a_deadline_is_read_as_the_latest_month_it_names(text, expected):
    assert read_deadline(text) == expected


@pytest.mark.parametrize("text", ["长期坚持", "持续推进", "三年内", "5年内完成", "10个月内", "", None])
def test_open_ended_deadlines_and_spans_of_time_name_no_month(text):
    """三年内 is within three years, not 年内 (within this year)."""
    assert read_deadline(text) is None


def test_an_open_ended_deadline_carried_forward_is_unchanged():
    """长期坚持 → 长期坚持 left 时限变化 blank, where every other task carried forward said 不变 (a matcher probe)."""
    years = {"old_year": 2024, "new_year": 2025}
    assert describe_shift(deadline_shift("长期坚持", "长期坚持", **years)) == "不变"
    assert describe_shift(deadline_shift("长期坚持", "持续推进", **years)) == "不变"
    assert deadline_shift("长期坚持", "2025年12月底前", **years) is None, "a month set where none was: no shift to tell"
    assert deadline_shift("按计划推进", "按计划推进", **years) is None
    # … only where the deadline says nothing else: a plan period moved, or work paused (a review)
    assert deadline_shift("“十四五”期间持续推进", "“十五五”期间持续推进", **years) is None
    assert deadline_shift("持续推进", "暂停实施（持续关注）", **years) is None


def test_the_shift_compares_like_with_like():
    years = {"old_year": 2023, "new_year": 2024}
    assert deadline_shift("年底前", "年底前", **years) == 0  # the same point in each plan's year, not a year late
    assert deadline_shift("2023年9月底前", "2024年9月底前", **years) == 0
    assert deadline_shift("6月底前", "9月底前") == 3
    assert deadline_shift("2023年底前", "2024年6月底", **years) == -6  # due earlier in its year
    assert deadline_shift("2023年底前", "2024年6月底", **years, unfinished=True) == 6  # still open: six months late
    # a plan that reports no progress: a one-off project six months late, or a yearly task due earlier?
    assert deadline_shift("2023年底前", "2024年6月底", **years, reported=False) is None  # was 提前6个月
    assert deadline_shift("年底前", "年底前", **years, reported=False) == 0
    assert deadline_shift("年底前", "年底前", **years, unfinished=True) == 12
    # reported done: the new deadline is the next stage's (开工 done, 建成 due the June after), no slip
    assert deadline_shift("2023年12月底", "2025年6月底", **years, finished=True) is None
    assert deadline_shift("2023年6月底", "2024年12月底", **years, finished=True) is None  # later in its year too
    assert deadline_shift("2023年12月底", "2024年6月底", **years, finished=True) == -6  # earlier is still said
    assert deadline_shift("2023年12月底", "2025年6月底", **years) == 18
    assert deadline_shift("2024年底前", "2025年6月底", **years) == 6  # beyond the plan's year: the calendar
    assert deadline_shift("年底前", "2026年底", **years) == 36
    assert deadline_shift("2024年12月", "2024年9月") == -3  # no plan years given: written years are the calendar
    assert deadline_shift("年底前", "2026年底") is None  # which year's 年底?
    assert deadline_shift("长期坚持", "2024年底") is None
    assert [describe_shift(m) for m in (3, -2, 0, None)] == ["推迟3个月", "提前2个月", "不变", None]


@given(st.text(max_size=40))
def test_any_text_reads_as_a_real_month_or_nothing(text):
    deadline = read_deadline(text)
    assert deadline is None or (1 <= deadline.month <= 12 and (deadline.year is None or 1900 <= deadline.year < 2100))


@given(st.integers(1990, 2090), st.integers(1, 12), st.integers(0, 40))
def test_a_written_date_round_trips_and_shifts_by_the_months_between(year, month, later):
    new_year, new_month = divmod(year * 12 + month - 1 + later, 12)
    assert read_deadline(f"{year}年{month}月底前") == Deadline(year, month)
    assert deadline_shift(f"{year}年{month}月底前", f"{new_year}年{new_month + 1}月") == later
    assert deadline_shift(f"{month}月底前", f"{new_month + 1}月底前", old_year=year, new_year=new_year,
                          unfinished=True) == later


@pytest.mark.parametrize(("text", "expected"), [
    ("次年3月底", Deadline(None, 3, 1)), ("明年3月底前", Deadline(None, 3, 1)), ("次年", Deadline(None, 12, 1)),
    ("2023年完成主体，次年6月底前验收", Deadline(2024, 6)), ("2025年春节前", Deadline(2025, 2)),
    ("春节前", Deadline(None, 2)),
])
def test_years_counted_from_the_plans_own_and_the_spring_festival(text, expected):
    """次年3月底 was March of the plan's own year, 2025年春节前 December: shifts came out a year wrong."""
    assert read_deadline(text) == expected


def test_a_deadline_in_the_next_year_is_placed_after_the_plans_year():
    assert deadline_shift("年底前", "次年3月底前", old_year=2023, new_year=2024) == 15
    assert deadline_shift("次年3月底前", "年底前", old_year=2023, new_year=2024) == 9
    assert deadline_shift("次年3月底前", "次年3月底前", old_year=2023, new_year=2024) == 12
