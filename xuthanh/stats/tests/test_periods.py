"""Reporting periods and deadlines (pure): due dates around month and year ends."""

from __future__ import annotations

import datetime as dt

from xuthanh.stats import periods

MONTHLY = {"day": 20, "months_after": 1}
ANNUAL = {"month": 2, "day": 20}


def test_a_monthly_report_is_due_on_the_20th_of_the_next_month_across_the_year_end() -> None:
    assert periods.due_date(MONTHLY, periods.MONTH, dt.date(2026, 11, 1)) == dt.date(2026, 12, 20)
    assert periods.due_date(MONTHLY, periods.MONTH, dt.date(2026, 12, 1)) == dt.date(2027, 1, 20)


def test_an_annual_report_is_due_on_20_february_of_the_next_year() -> None:
    assert periods.due_date(ANNUAL, periods.YEAR, dt.date(2026, 1, 1)) == dt.date(2027, 2, 20)


def test_a_due_day_past_the_end_of_a_short_month_is_its_last_day() -> None:
    assert periods.due_date({"day": 31, "months_after": 1}, periods.MONTH, dt.date(2027, 1, 1)) == dt.date(2027, 2, 28)


def test_days_in_a_period_know_leap_years() -> None:
    assert periods.days_in(periods.MONTH, dt.date(2028, 2, 1)) == 29
    assert periods.days_in(periods.YEAR, dt.date(2028, 1, 1)) == 366


def test_a_period_can_be_reported_only_once_it_is_over() -> None:
    assert not periods.closed(periods.MONTH, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert periods.closed(periods.MONTH, dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert periods.last_closed(periods.MONTH, dt.date(2027, 1, 1)) == dt.date(2026, 12, 1)
    assert periods.last_closed(periods.YEAR, dt.date(2027, 1, 1)) == dt.date(2026, 1, 1)


def test_month_arithmetic_crosses_years_both_ways() -> None:
    assert periods.add_months(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)
    assert periods.add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert periods.quarter_months(2026, 4) == [dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
