"""/feeds/events.ics: occurrences of this year and the next, all-day, with stable UIDs, lunar dates right."""

import datetime as dt

import icalendar
import pytest
from django.utils import timezone

from xuthanh.catalog.models import Event
from xuthanh.core.models import Status

pytestmark = pytest.mark.django_db
URL = "/feeds/events.ics"


def calendar(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def entries(cal) -> list:
    return list(cal.walk("VEVENT"))


def test_lam_kinh_falls_on_the_right_solar_dates_next_year(client):
    lam_kinh = Event.objects.get(slug="le-hoi-lam-kinh")
    assert (lam_kinh.recurrence, lam_kinh.month) == ("lunar", 8)
    next_year = timezone.localdate().year + 1
    expected = lam_kinh.occurrences_in(next_year)
    assert expected
    found = [
        e
        for e in entries(calendar(client, lang="en"))
        if str(e["SUMMARY"]) == "Lam Kinh Festival" and e.decoded("DTSTART").year == next_year
    ]
    assert [(e.decoded("DTSTART"), e.decoded("DTEND") - dt.timedelta(days=1)) for e in found] == expected
    entry = found[0]
    assert isinstance(entry.decoded("DTSTART"), dt.date) and not isinstance(
        entry.decoded("DTSTART"), dt.datetime
    )
    assert (
        entry.decoded("DTEND") - entry.decoded("DTSTART")
    ).days == lam_kinh.duration_days  # DTEND exclusive
    assert "21/8" in str(entry["DESCRIPTION"]) and "lunar" in str(entry["DESCRIPTION"])
    assert "Lê Lợi" in str(entry["DESCRIPTION"])
    lat, lon = lam_kinh.location
    assert (entry["GEO"].latitude, entry["GEO"].longitude) == (pytest.approx(lat), pytest.approx(lon))
    assert "Lam Kinh" in str(entry["LOCATION"])
    assert str(entry["URL"]).endswith("/en/events/le-hoi-lam-kinh/")


def test_it_covers_this_year_and_next_in_the_requested_language(client):
    today = timezone.localdate()
    cal = calendar(client, lang="vi")
    years = {e.decoded("DTSTART").year for e in entries(cal)}
    assert years == {today.year, today.year + 1}
    assert "Lễ hội Lam Kinh" in {str(e["SUMMARY"]) for e in entries(cal)}
    expected = sum(
        len(e.occurrences_in(y)) for e in Event.objects.filter(status=Status.PUBLISHED) for y in years
    )
    assert len(entries(cal)) == expected


def test_it_filters_by_commune_tag_and_kind(client):
    lam_kinh = Event.objects.get(slug="le-hoi-lam-kinh")
    commune = lam_kinh.commune
    local = entries(calendar(client, commune=str(commune.code), lang="en"))
    assert "Lam Kinh Festival" in {str(e["SUMMARY"]) for e in local}
    local_ids = set(
        Event.objects.filter(commune=commune, status=Status.PUBLISHED).values_list("pk", flat=True)
    )
    assert {int(str(e["UID"]).split("-")[1]) for e in local} == local_ids
    assert len(local) < len(entries(calendar(client)))
    spiritual = entries(calendar(client, tag="spirituality"))
    assert spiritual and len(spiritual) < len(entries(calendar(client)))
    sports = entries(calendar(client, kind="sport"))
    sport_ids = set(Event.objects.filter(kind="sport", status=Status.PUBLISHED).values_list("pk", flat=True))
    assert {int(str(e["UID"]).split("-")[1]) for e in sports} == sport_ids


def test_uids_are_unique_and_stable_across_downloads_and_edits(client):
    first = [str(e["UID"]) for e in entries(calendar(client))]
    assert len(first) == len(set(first))
    lam_kinh = Event.objects.get(slug="le-hoi-lam-kinh")
    lam_kinh.popularity = 99
    lam_kinh.save()
    second = [str(e["UID"]) for e in entries(calendar(client, lang="fr"))]
    assert sorted(first) == sorted(second)


def test_a_corrected_date_keeps_the_uid(client):
    event = Event.objects.get(slug="le-hoi-lam-kinh")
    before = {str(e["UID"]) for e in entries(calendar(client, commune=str(event.commune.code)))}
    event.day = 22
    event.save()
    after = {str(e["UID"]) for e in entries(calendar(client, commune=str(event.commune.code)))}
    assert before == after
