"""The events calendar as iCalendar (RFC 5545): one all-day VEVENT per occurrence, with a UID that stays
the same from one download to the next so subscribed calendars update events instead of duplicating them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from xuthanh.catalog.models import Event
from xuthanh.core.languages import translated
from xuthanh.core.lunar import solar_to_lunar
from xuthanh.feeds.responses import absolute


def occurrence_uid(event: Event, start: dt.date) -> str:
    """Stable per occurrence: the event's id and the year it belongs to (the lunar year for lunar
    festivals), so correcting a date updates the entry rather than adding another."""
    if event.recurrence == Event.Recurrence.ONCE:
        key = "once"
    elif event.recurrence == Event.Recurrence.LUNAR:
        key = f"l{solar_to_lunar(start)[0]}"
    else:
        key = str(start.year)
    host = urlsplit(settings.SITE_URL).hostname or "xuthanh"
    return f"event-{event.pk}-{key}@{host}"


def _location(event: Event, lang: str) -> str:
    parts = [translated(event.place, "name", lang)] if event.place_id else []
    parts.append(event.commune.name)
    return ", ".join(p for p in parts if p) + ", Thanh Hóa"


def _description(event: Event, lang: str, url: str) -> str:
    text = translated(event, "summary", lang) or translated(event, "description", lang)
    lines = [text] if text else []
    if event.recurrence == Event.Recurrence.LUNAR:
        lines.append(str(event.lunar_label()))  # "21/8 lunar": the rule, in the requested language
    lines.append(url)
    return "\n\n".join(lines)


def events_calendar(events: Iterable[Event], *, years: Iterable[int], lang: str) -> bytes:
    """Call inside translation.override(lang): labels and links follow the active language."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Xứ Thanh//Thanh Hóa events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Xứ Thanh – festivals and events in Thanh Hóa"))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    years = list(years)
    for event in events:
        url = absolute(reverse("portal:event_detail", args=[event.slug]))
        summary = translated(event, "name", lang)
        description = _description(event, lang, url)
        location = _location(event, lang)
        point = event.location
        for year in years:
            for start, end in event.occurrences_in(year):
                entry = icalendar.Event()
                entry.add("uid", occurrence_uid(event, start))
                entry.add("dtstamp", event.updated_at)
                entry.add("last-modified", event.updated_at)
                entry.add("dtstart", start)
                entry.add("dtend", end + dt.timedelta(days=1))  # exclusive for all-day events
                entry.add("summary", summary)
                entry.add("description", description)
                entry.add("location", location)
                if point is not None:
                    entry.add("geo", point)
                entry.add("url", url)
                entry.add("categories", [event.get_kind_display()])
                entry.add("transp", "TRANSPARENT")
                cal.add_component(entry)
    return cal.to_ical()
