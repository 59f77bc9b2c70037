"""Reads of the public wifi: what the splash page shows of its site, the consent's words, the RFC 8908
document for a device, each hotspot's state from its gateway's heartbeats, its daily figures, and the
plan's coverage year by year from 2020 (key sites with working wifi, named kiosk locations with their
kiosks working), which the plan-monitoring reports read too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Max, Min, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xuthanh.catalog.models import Place
from xuthanh.core import uptime
from xuthanh.wifi.models import Day, GatewayInterval, Grant, Hotspot

PLAN_FIRST_YEAR = 2020
PLAN_TARGET_YEAR = 2025
WIFI_SITES_PER_YEAR = 2  # KH 115/KH-UBND item 2.3: public wifi at two key sites a year, 2020–2025
WORKING_WINDOW = dt.timedelta(days=7)  # "working" at a year's end: heard from in its last week


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def with_lang(request: HttpRequest, lang: str) -> str:
    """This page's address in another language, the gateway's hand-off kept (so switching works w/o JS)."""
    query = {k: v for k, v in request.GET.items() if k != "lang"}
    query["lang"] = lang
    return f"{request.path}?{urlencode(query)}"


@dataclass(frozen=True)
class SiteInfo:
    name: str
    summary: str
    url: str  # the site's page on the portal, in the visitor's language


def site_info(hotspot: Hotspot, lang: str) -> SiteInfo:
    place = hotspot.place
    with translation.override(lang):
        place.set_current_language(lang)
        return SiteInfo(name=place.safe_translation_getter("name", any_language=True) or place.slug,
                        summary=place.safe_translation_getter("summary", any_language=True) or "",
                        url=absolute(place.get_absolute_url()))


def consent_text() -> str:
    """The words of the news consent in the active language, stored with each subscription as shown."""
    return _("I agree that the Thanh Hóa tourism department keeps this e-mail address to send me tourism news "
             "of the province, at most twice a month, for %(months)s months at most. I can withdraw at any "
             "time with the link in every message; the address is then erased.") % {
        "months": settings.WIFI_SUBSCRIPTION_MONTHS}


def captive_document(hotspot: Hotspot, remote_ip: str, now: dt.datetime, *, lang: str) -> dict[str, Any]:
    """RFC 8908's JSON for the device asking. The device is known by its address as this server sees it
    (the RFC's first way: it works where the gateway does not hide its clients behind one address, e.g.
    when the API is served to the hotspot's own network; elsewhere the gateway's own API, openNDS's
    status.client, answers). Captive until the platform let this address through and its session lasts."""
    from xuthanh.wifi.services import client_hash

    venue = site_info(hotspot, lang).url
    portal = absolute(reverse("wifi:splash", kwargs={"slug": hotspot.slug}))
    access = None
    if remote_ip and hotspot.state == Hotspot.State.ACTIVE:
        access = (Grant.objects.filter(hotspot=hotspot, ip_hash=client_hash(remote_ip, scope=str(hotspot.pk)),
                                       expires_at__gt=now, ended_at__isnull=True)
                  .exclude(level=3, acked_at__isnull=True).order_by("-created_at").first())
    if access is None:
        return {"captive": True, "user-portal-url": portal, "venue-info-url": venue}
    return {"captive": False, "user-portal-url": portal, "venue-info-url": venue, "can-extend-session": False,
            "seconds-remaining": max(0, int((access.expires_at - now).total_seconds()))}


@dataclass
class HotspotState:
    hotspot: Hotspot
    status: str  # core.uptime.status
    week: float | None  # share of the last 7 days its gateway was up
    today: Day | None


def hotspots(items: list[Hotspot], now: dt.datetime) -> list[HotspotState]:
    """Each hotspot's state from its gateway's heartbeats, its uptime over the last week and today's
    figures (two queries for all)."""
    since = now - dt.timedelta(days=7)
    by_hotspot: dict[int, list[uptime.Interval]] = {}
    for hotspot_id, start, end in GatewayInterval.objects.filter(hotspot__in=items, end__gte=since).values_list(
            "hotspot_id", "start", "end"):
        by_hotspot.setdefault(hotspot_id, []).append(uptime.Interval(start, end))
    today = {d.hotspot_id: d for d in Day.objects.filter(hotspot__in=items, day=timezone.localtime(now).date())}
    return [HotspotState(h, uptime.status(h.last_seen_at, now),
                         uptime.share(by_hotspot.get(h.pk, []), max(since, h.created_at), now)
                         if h.state == Hotspot.State.ACTIVE else None, today.get(h.pk)) for h in items]


def days(items: list[Hotspot], first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Per day over all the given hotspots: accesses, distinct devices (summed over hotspots), the highest
    peak of devices connected at once."""
    rows = (Day.objects.filter(hotspot__in=items, day__range=(first, last)).values("day")
            .annotate(sessions=Sum("sessions"), devices=Sum("devices"), peak=Max("peak_clients")).order_by("day"))
    by_day = {r["day"]: r for r in rows}
    out, day = [], first
    while day <= last:
        row = by_day.get(day, {})
        out.append({"day": day.isoformat(), "sessions": row.get("sessions", 0), "devices": row.get("devices", 0),
                    "peak": row.get("peak", 0)})
        day += dt.timedelta(days=1)
    return out


@dataclass(frozen=True)
class YearCoverage:
    year: int
    measured: bool  # any heartbeat recorded by then; before that the year is "not measured", never 0 %
    wifi_sites: int  # key sites with a hotspot working at the year's end
    key_sites: int
    wifi_share: float | None
    wifi_target: int  # the plan's pace: two sites a year, all by 2025
    kiosk_measured: bool
    kiosk_locations: int  # named locations with all their planned kiosks working at the year's end
    named_locations: int
    kiosk_share: float | None
    kiosk_target: float | None  # the plan's share for that year (100 % in 2025), None before


def _window(year: int, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    end = min(now, dt.datetime(year + 1, 1, 1, tzinfo=zone))
    return end - WORKING_WINDOW, end


def coverage(now: dt.datetime) -> list[YearCoverage]:
    """The plan's two coverage figures for each year from 2020 to now. "Working" comes from heartbeats: a
    hotspot's gateway or a kiosk heard from in the last week of the year (of the last 7 days, this year).
    Years before the platform recorded any heartbeat are not measured. The key sites are today's list."""
    from xuthanh.kiosks import selectors as kiosks

    key_sites = list(Place.objects.filter(key_site=True).values_list("pk", flat=True))
    first_beat = GatewayInterval.objects.aggregate(first=Min("start"))["first"]
    years = []
    this_year = timezone.localtime(now).year
    kiosk_years = kiosks.coverage_years(range(PLAN_FIRST_YEAR, this_year + 1), now)
    for year in range(PLAN_FIRST_YEAR, this_year + 1):
        start, end = _window(year, now)
        measured = first_beat is not None and first_beat < end
        working = set(GatewayInterval.objects.filter(
            hotspot__place__in=key_sites, start__lt=end, end__gte=start).values_list("hotspot__place", flat=True))
        covered = len(working) if measured else 0
        share = round(100 * covered / len(key_sites), 1) if measured and key_sites else None
        target = min(len(key_sites), WIFI_SITES_PER_YEAR * (year - PLAN_FIRST_YEAR + 1))
        if year >= PLAN_TARGET_YEAR:
            target = len(key_sites)
        k = kiosk_years[year]
        years.append(YearCoverage(year, measured, covered, len(key_sites), share, target, k["measured"],
                                  k["complete"], k["named"], k["share"],
                                  100.0 if year >= PLAN_TARGET_YEAR else None))
    return years
