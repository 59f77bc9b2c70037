"""The events calendar: a month grid with lunar dates, festivals on each of their days, and a list."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from xuthanh.catalog.models import Event
from xuthanh.core.lunar import lunar_to_solar

pytestmark = pytest.mark.django_db


def cell(body: str, day: dt.date) -> str:
    return body.split(f'data-date="{day.isoformat()}"', 1)[1].split("</td>", 1)[0]


def calendar_page(client, month: str, lang: str = "en") -> str:
    with translation.override(lang):
        response = client.get(reverse("portal:event_list"), {"month": month})
    assert response.status_code == 200
    return response.content.decode()


def test_the_lam_kinh_festival_is_on_each_of_its_solar_days(client):
    start = lunar_to_solar(2027, 8, 21)  # lunar 21–23/8, three days
    assert Event.objects.get(slug="le-hoi-lam-kinh").occurrences_in(2027) == [(start, start + dt.timedelta(2))]
    body = calendar_page(client, start.strftime("%Y-%m"))
    for offset in range(3):
        assert "Lam Kinh Festival" in cell(body, start + dt.timedelta(offset))
    assert "Lam Kinh Festival" not in cell(body, start + dt.timedelta(3))
    assert "Lam Kinh Festival" not in cell(body, start - dt.timedelta(1))


def test_cells_show_lunar_dates(client):
    start = lunar_to_solar(2027, 8, 21)
    body = calendar_page(client, start.strftime("%Y-%m"))
    assert '<span class="visually-hidden">lunar </span>21</span>' in cell(body, start)
    first_of_lunar_month = lunar_to_solar(2027, 8, 1)
    assert (
        "1/8</span>"
        in calendar_page(client, first_of_lunar_month.strftime("%Y-%m"))
        .split(f'data-date="{first_of_lunar_month.isoformat()}"')[1]
        .split("</td>")[0]
    )


def test_the_grid_is_a_table_of_whole_weeks_with_previous_and_next_links(client):
    body = calendar_page(client, "2027-02")
    assert '<table class="calendar">' in body
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in body
    assert 'data-date="2027-02-01"' in body and 'data-date="2027-02-28"' in body
    assert body.count("<tr>") - body.count("<tr><td>") >= 5
    assert 'href="?month=2027-01"' in body and 'href="?month=2027-03"' in body
    assert 'href="?month=2026-12"' in calendar_page(client, "2027-01")


def test_the_list_of_the_month_shows_lunar_dates_beside_solar_dates(client):
    start = lunar_to_solar(2027, 8, 21)
    body = calendar_page(client, start.strftime("%Y-%m"))
    month_list = body.split('id="month-list"')[1]
    assert start.strftime("%d/%m/%Y") in month_list
    assert "21/8" in month_list
    assert "Lam Kinh Festival" in month_list


def test_a_bad_month_falls_back_to_the_current_month(client):
    with translation.override("en"):
        for month in ("2027-13", "abc", "2027-2", "99999-01"):
            response = client.get(reverse("portal:event_list"), {"month": month})
            assert response.status_code == 200
            assert response.context["month"] == timezone.localdate().replace(day=1)


def test_event_page_answers_in_each_language_and_hides_drafts(client):
    for lang in ("vi", "en", "zh-hans", "fr"):
        with translation.override(lang):
            assert client.get(reverse("portal:event_detail", args=["le-hoi-lam-kinh"])).status_code == 200
    Event.objects.filter(slug="le-hoi-lam-kinh").update(status="draft")
    with translation.override("en"):
        assert client.get(reverse("portal:event_detail", args=["le-hoi-lam-kinh"])).status_code == 404


def _months_ahead(today: dt.date, n: int) -> list[dt.date]:
    months, month = [], today.replace(day=1)
    for _ in range(n):
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def test_the_page_opens_on_what_is_coming_whatever_the_month(client):
    """#15: December opened on "no festival this month" with no way on; the next events now come first."""
    today = timezone.localdate()
    body = calendar_page(client, today.strftime("%Y-%m"))
    coming = body.split('id="h-coming"', 1)[1].split("</section>", 1)[0]
    dates = [dt.date.fromisoformat(d) for d in re.findall(r'<p class="when"><time datetime="([\d-]+)"', coming)]
    assert 1 <= len(dates) <= 6 and dates == sorted(dates)
    ends = re.findall(r'</time> – <time datetime="([\d-]+)"', coming)
    assert all(dt.date.fromisoformat(d) >= today for d in ends)  # nothing already over
    assert body.index('id="h-coming"') < body.index('class="calendar"')


def test_an_empty_month_links_to_the_next_and_the_previous_month_with_events(client):
    today = timezone.localdate()
    from xuthanh.catalog import selectors

    def has_events(month: dt.date) -> bool:
        end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return bool(selectors.event_occurrences(month, end))

    months = _months_ahead(today.replace(day=1) - dt.timedelta(days=365), 36)  # a year back, two ahead
    this_month = months.index(today.replace(day=1))
    empty = next((m for m in months[this_month : this_month + 12] if not has_events(m)), None)
    if empty is None:
        pytest.skip("every month of the coming year has an event in the data")
    following = next(m for m in months if m > empty and has_events(m))
    preceding = max(m for m in months if m < empty and has_events(m))
    body = calendar_page(client, empty.strftime("%Y-%m"))
    assert "No festival or event is listed for this month." in body
    assert f'<a href="?month={following:%Y-%m}">Next month with events: {following:%m/%Y}' in body
    assert f'<a href="?month={preceding:%Y-%m}">← Previous month with events: {preceding:%m/%Y}' in body


def test_a_past_one_off_edition_says_it_is_over(client):
    event = Event.objects.get(slug="le-hoi-du-lich-bien-sam-son-2025")
    assert event.recurrence == Event.Recurrence.ONCE and event.start_date < timezone.localdate()
    with translation.override("en"):
        body = client.get(reverse("portal:event_detail", args=[event.slug])).content.decode()
    assert "This edition is over" in body and 'datetime="2025-04-26"' in body
    assert "No dates announced." not in body


def test_a_lunar_festival_shows_its_lunar_date_as_a_calendar_leaf(client):
    """#15 item 2: the lunar date of a festival as a visual (the text beside it says the same to a reader)."""
    event = Event.objects.get(slug="le-hoi-lam-kinh")
    with translation.override("vi"):
        body = client.get(reverse("portal:event_detail", args=[event.slug])).content.decode()
    leaf = f'<span class="lunar-tile" aria-hidden="true"><b>{event.day}</b><small>tháng {event.month} âm lịch</small>'
    assert leaf in body


def test_coming_events_are_named_in_each_pages_language(client):
    """The coming events are kept per day and language: a page in one language never shows another's names."""
    from xuthanh.catalog import selectors
    from xuthanh.core.languages import translated

    with translation.override("vi"):
        client.get(reverse("portal:home"))  # the Vietnamese list is kept first
        coming = [event for _s, _e, event in selectors.upcoming_events(timezone.localdate(), limit=6)]
    fresh = [Event.objects.get(pk=e.pk) for e in coming]  # with every language's texts
    names = [(translated(e, "name", "vi"), translated(e, "name", "en")) for e in fresh]
    vi_name, en_name = next((vi, en) for vi, en in names if vi != en)  # one with an English name of its own
    with translation.override("en"):
        body = client.get(reverse("portal:home")).content.decode()
    assert en_name in body and vi_name not in body
