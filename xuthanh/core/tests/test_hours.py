import datetime as dt

import pytest

from xuthanh.core import hours
from xuthanh.core.hours import Hours, HoursError, Rule


def at(y, m, d, hh, mm=0):
    return dt.datetime(y, m, d, hh, mm)


def test_it_parses_split_days_and_is_open_inside_intervals():
    h = hours.parse("Mo-Su 07:00-11:30,13:30-17:00")
    assert h.is_open(at(2026, 11, 26, 8))
    assert not h.is_open(at(2026, 11, 26, 12))  # lunch break
    assert h.is_open(at(2026, 11, 26, 16, 59))
    assert not h.is_open(at(2026, 11, 26, 17, 0))  # closing minute is closed


def test_weekday_rules_close_a_museum_on_mondays():
    h = hours.parse("Tu-Su 08:00-17:00")
    monday = dt.date(2026, 11, 23)
    assert h.intervals_on(monday) == []
    assert h.intervals_on(monday + dt.timedelta(days=1)) == [(480, 1020)]


def test_a_season_overrides_the_all_year_hours():
    h = hours.parse("Apr-Sep Mo-Su 06:00-18:00; Mo-Su 07:00-17:00")
    assert h.intervals_on(dt.date(2026, 7, 1)) == [(360, 1080)]
    assert h.intervals_on(dt.date(2026, 11, 1)) == [(420, 1020)]


def test_a_season_can_wrap_over_new_year():
    h = Hours(rules=(Rule(intervals=((480, 960),), season=((11, 1), (3, 31))),))
    assert h.intervals_on(dt.date(2026, 1, 15)) == [(480, 960)]
    assert h.intervals_on(dt.date(2026, 6, 15)) == []


def test_off_rule_closes_matching_days():
    h = hours.parse("Mo-Su 08:00-17:00; Sa off")
    assert h.is_closed_all_day(dt.date(2026, 11, 28))  # Saturday


def test_intervals_past_midnight_count_for_the_night_after():
    h = hours.parse("Fr 18:00-02:00")
    assert h.is_open(at(2026, 11, 27, 23))  # Friday night
    assert h.is_open(at(2026, 11, 28, 1, 30))  # early Saturday
    assert not h.is_open(at(2026, 11, 28, 2, 30))


def test_always_open_and_closed_dates():
    h = Hours(always_open=True, closed_dates=frozenset({dt.date(2027, 2, 6)}))
    assert h.is_open(at(2026, 11, 26, 3))
    assert not h.is_open(at(2027, 2, 6, 12))


@pytest.mark.parametrize(
    "text",
    ["Mo-Su 25:00-26:00", "Mo-Su 08:00", "Xx 08:00-10:00", "Foo-Bar Mo 08:00-09:00", "Mo-Su 10:00-10:00"],
)
def test_it_rejects_bad_text_saying_which_rule(text):
    with pytest.raises(HoursError, match="rule 1"):
        hours.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "24/7",
        "Mo-Su 07:00-11:30,13:30-17:00",
        "Tu-Su 08:00-17:00",
        "Mo-Fr,Su 08:00-17:00; Sa off",
        "Apr 15-Sep 30 Mo-Su 06:00-18:00",
        "Fr 18:00-02:00",
    ],
)
def test_format_round_trips(text):
    parsed = hours.parse(text)
    assert hours.parse(hours.format_hours(parsed)) == parsed


def test_daily_spans_all_day_same_day_and_past_midnight() -> None:
    import datetime as dt

    from xuthanh.core.hours import DAY, daily_spans, within_daily

    t = dt.time
    h = lambda n: dt.timedelta(hours=n)  # noqa: E731
    assert daily_spans(t(6), t(6)) == [(dt.timedelta(0), DAY)]  # equal times: all day
    assert daily_spans(t(6), t(22)) == [(h(6), h(22))]
    assert daily_spans(t(5), t(1)) == [(dt.timedelta(0), h(1)), (h(5), DAY)]  # wraps past midnight
    assert within_daily(t(6), t(22), t(6)) and not within_daily(t(6), t(22), t(22))  # [from, to)
    assert within_daily(t(5), t(1), t(0, 30)) and within_daily(t(5), t(1), t(23)) and not within_daily(t(5), t(1), t(3))
