"""The place page tells opening hours in words: open now, today, and each of the next seven days (seasons and
closure dates applied); a place whose hours nobody entered says so instead of "closed"."""

import datetime as dt

import pytest
from django.utils import timezone

from xuthanh.catalog.models import ClosureDate, Place

pytestmark = pytest.mark.django_db


def test_the_next_seven_days_are_listed_by_weekday_with_closures(client):
    place = Place.objects.get(slug="thanh-nha-ho")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    ClosureDate.objects.create(place=place, date=tomorrow)
    html = client.get("/en/places/thanh-nha-ho/").content.decode()
    assert "The next 7 days" in html
    week = html.split('<details class="week">')[1].split("</details>")[0]
    assert week.count("<li>") == 7
    assert f'<span class="day-name">{tomorrow:%A}</span> closed' in week
    assert "<code>" not in html  # no raw opening-hours syntax for visitors


def test_a_place_without_hours_says_they_are_not_known(client):
    place = Place.objects.get(slug="bao-tang-tinh-thanh-hoa")
    assert not place.opening_rules.exists() and not place.always_open
    html = client.get("/en/places/bao-tang-tinh-thanh-hoa/").content.decode()
    assert "Opening hours not entered yet: check before going." in html
    assert "The next 7 days" not in html


def test_travel_times_are_said_in_the_page_language(client):
    html = client.get("/vi/places/thanh-nha-ho/").content.decode()
    travel = html.split('id="h-travel"')[1].split("</section>")[0]
    assert "khoảng 1 giờ" in travel or "phút bằng đường bộ" in travel, travel
    assert " min " not in travel
