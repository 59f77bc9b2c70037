"""Places: location checks, kind/category consistency and "open now" in Vietnam's time zone."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from xuthanh.catalog.models import ClosureDate, OpeningRule, Place

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def museum(commune_other):
    place = Place.objects.create(
        slug="bao-tang-thu",
        kind="attraction",
        category="museum",
        commune=commune_other,
        lat=19.807,
        lon=105.776,
    )
    OpeningRule.objects.create(place=place, weekdays="123456", opens=dt.time(8), closes=dt.time(11, 30))
    OpeningRule.objects.create(place=place, weekdays="123456", opens=dt.time(13, 30), closes=dt.time(17))
    OpeningRule.objects.create(
        place=place,
        weekdays="0123456",
        opens=dt.time(7),
        closes=dt.time(18),
        season_start="06-01",
        season_end="08-31",
    )
    ClosureDate.objects.create(place=place, date=dt.date(2027, 2, 6), reason="Tết")
    return place


def test_open_now_is_computed_in_vietnam_time(museum):
    tuesday_9_local = dt.datetime(2026, 11, 24, 9, 0, tzinfo=HCM)
    assert museum.is_open_at(tuesday_9_local)
    # 02:00 UTC is 09:00 in Vietnam
    assert museum.is_open_at(dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC))
    assert not museum.is_open_at(dt.datetime(2026, 11, 24, 12, 0, tzinfo=HCM))  # lunch
    assert not museum.is_open_at(dt.datetime(2026, 11, 23, 9, 0, tzinfo=HCM))  # Monday


def test_summer_season_and_closure_dates(museum):
    assert museum.is_open_at(dt.datetime(2026, 7, 6, 7, 30, tzinfo=HCM))  # a Monday in summer
    assert not museum.is_open_at(dt.datetime(2027, 2, 6, 9, 0, tzinfo=HCM))  # Tết
    assert museum.hours_text == "Tu-Su 08:00-11:30,13:30-17:00; Jun-Aug Mo-Su 07:00-18:00"


def test_a_point_outside_the_province_is_refused(commune_other):
    place = Place(
        slug="x", kind="attraction", category="temple", commune=commune_other, lat=21.0285, lon=105.8542
    )
    with pytest.raises(ValidationError) as info:
        place.clean()
    assert "outside Thanh Hóa" in " ".join(info.value.message_dict["lat"])


def test_category_must_fit_the_kind_and_stars_only_for_lodging(commune_other):
    place = Place(
        slug="x", kind="food", category="beach", commune=commune_other, lat=19.8, lon=105.78, stars=3
    )
    with pytest.raises(ValidationError) as info:
        place.clean()
    assert {"category", "stars"} <= set(info.value.message_dict)


def test_opening_rule_needs_times_unless_closed(museum):
    rule = OpeningRule(place=museum, weekdays="0", opens=None, closes=None)
    with pytest.raises(ValidationError):
        rule.clean()
    OpeningRule(place=museum, weekdays="0", closed=True).clean()
    with pytest.raises(ValidationError):
        OpeningRule(place=museum, weekdays="79", opens=dt.time(8), closes=dt.time(9)).full_clean()
