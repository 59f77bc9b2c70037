"""Recurrence: lunar festivals get the right solar dates every year; solar and one-off events too."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xuthanh.catalog.models import Event
from xuthanh.core.lunar import solar_to_lunar

pytestmark = pytest.mark.django_db


def lunar_event(month: int, day: int, days: int = 1) -> Event:
    return Event(slug="x", recurrence=Event.Recurrence.LUNAR, month=month, day=day, duration_days=days)


def test_lam_kinh_festival_follows_the_eighth_lunar_month():
    event = Event.objects.get(slug="le-hoi-lam-kinh")
    assert (event.recurrence, event.month) == ("lunar", 8)
    for year in (2026, 2027, 2030):
        [(start, end)] = event.occurrences_in(year)
        assert solar_to_lunar(start)[1:3] == (8, event.day)
        assert (end - start).days == event.duration_days - 1


def test_known_solar_dates_of_lunar_days():
    # 22/8 lunar (Lê Lợi's death anniversary) fell on 2 October 2026 and 22 September 2027 (Vietnamese calendar).
    assert lunar_event(8, 22).occurrences_in(2026) == [(dt.date(2026, 10, 2), dt.date(2026, 10, 2))]
    assert lunar_event(8, 22).occurrences_in(2027) == [(dt.date(2027, 9, 22), dt.date(2027, 9, 22))]


def test_a_twelfth_month_festival_lands_in_the_next_solar_year():
    event = lunar_event(12, 23)  # Ông Công Ông Táo, always January/February of the next solar year
    [(start, _end)] = event.occurrences_in(2027)
    assert start.year == 2027 and start.month in (1, 2)
    assert solar_to_lunar(start)[0] == 2026


def test_next_occurrence_skips_past_dates():
    event = lunar_event(1, 1, days=3)
    assert event.next_occurrence(dt.date(2026, 2, 18)) == (dt.date(2026, 2, 17), dt.date(2026, 2, 19))
    assert event.next_occurrence(dt.date(2026, 3, 1))[0] == dt.date(2027, 2, 6)


def test_solar_and_one_off_events():
    solar = Event(slug="s", recurrence="solar", month=4, day=30, duration_days=2)
    assert solar.occurrences_in(2027) == [(dt.date(2027, 4, 30), dt.date(2027, 5, 1))]
    once = Event(slug="o", recurrence="once", start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 5, 3))
    assert once.occurrences_in(2026) == [(dt.date(2026, 5, 1), dt.date(2026, 5, 3))]
    assert once.occurrences_in(2027) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"recurrence": "lunar", "month": 13, "day": 1}, "month"),
        ({"recurrence": "lunar", "month": 1, "day": 31}, "day"),
        ({"recurrence": "solar", "month": 2, "day": 30}, "day"),
        ({"recurrence": "once"}, "start_date"),
        (
            {"recurrence": "once", "start_date": dt.date(2026, 5, 2), "end_date": dt.date(2026, 5, 1)},
            "end_date",
        ),
    ],
)
def test_impossible_rules_are_explained(fields, field, commune_other):
    event = Event(slug="bad", commune=commune_other, **fields)
    with pytest.raises(ValidationError) as info:
        event.clean()
    assert field in info.value.message_dict
