"""The engine's Problem built from the catalogue for a validated request: the published attractions (and
food places for lunch) with each one's opening hours on each trip date, visit time by pace, adult ticket,
score from the interests and the festivals at or near it; the days' endpoints and times; the travel-time
matrix from `travel.provider_for(settings.OSRM_URL)`. Times inside the engine are minutes after midnight of
each trip day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Event, Place, TicketPrice
from xuthanh.core import hours as hours_lib
from xuthanh.core.geo import haversine_km
from xuthanh.core.languages import LANG_CODES, translated
from xuthanh.itinerary import engine, travel
from xuthanh.itinerary.errors import TripError
from xuthanh.itinerary.schemas import LockedIn, PointIn, TripRequest
from xuthanh.itinerary.validation import MAX_CANDIDATES, clock_minutes, request_points, trip_request_validate

PACE_VISIT = {"relaxed": 1.3, "normal": 1.0, "intense": 0.8}
PACE_DAY = {"relaxed": 0.9, "normal": 1.0, "intense": 1.1}
# The shortest visit worth the stop at each pace (minutes): a "normal" day of nine 20-minute stops is a race.
PACE_MIN_VISIT = {"relaxed": 45, "normal": 30, "intense": 20}
# Every chosen interest gets a place when the trip's area has one: the lead place of each interest (the most
# popular open one near the trip's start, end or lodging) that no forced stop already serves scores this much
# more, which outweighs any number of other matches; if it still cannot fit, the plan says so.
INTEREST_LEAD_BONUS = 100.0
LEAD_RADIUS_KM = 60.0
LATEST_DAY_END = 23 * 60
OUTDOOR_CATEGORIES = frozenset({"beach", "nature", "waterfall", "landscape"})
FESTIVAL_RADIUS_KM = 3.0
DAYTIME_IF_UNKNOWN = (8 * 60, 17 * 60)  # assumed opening of a place with no hours entered
LUNCH = {"duration": 60, "earliest": 11 * 60, "latest": 13 * 60 + 30}
PLACE_RELATIONS = ("tags", "tickets", "opening_rules", "closure_dates")  # what planning reads of a place


def planning_places(qs: QuerySet, lang: str) -> list[Place]:
    """The places of `qs`, in its order, with their translations in `lang` (and fallbacks) and what planning
    reads: one prepared query per relation (`selectors.places_by_id`), not a prefetch of every language."""
    return selectors.places_by_id(list(qs.values_list("pk", flat=True)), lang, PLACE_RELATIONS)


def adult_ticket_vnd(place: Place) -> int:
    """The cheapest adult ticket of a place loaded by `planning_places` (0: free or not known)."""
    return min((t.price_vnd for t in place.tickets.all() if t.audience == TicketPrice.Audience.ADULT), default=0)


@dataclass(frozen=True)
class Endpoint:
    label: str
    place: str | None
    lat: float
    lon: float


@dataclass
class TripProblem:
    """The engine's Problem and what is needed to read its plan back: dates, endpoints, places, reasons."""

    problem: engine.Problem
    dates: list[dt.date]
    endpoints: list[tuple[Endpoint, Endpoint]]  # per day: (start, end)
    places: dict[str, Place]
    lang: str
    why: dict[str, list[str]] = field(default_factory=dict)
    festivals: dict[str, dict[dt.date, list[str]]] = field(default_factory=dict)
    closed_days: list[int] = field(default_factory=list)  # days on which no candidate is open
    unknown_hours: set[str] = field(default_factory=set)  # places planned with DAYTIME_IF_UNKNOWN
    interest_leads: dict[str, str | None] = field(default_factory=dict)  # interest_leads()


def trip_problem_build(
    request: TripRequest | dict[str, Any], *, locked: Sequence[LockedIn] = (), lang: str | None = None
) -> TripProblem:
    """Turn a (validated) request into an engine Problem over the published attractions (and food places
    for lunch), with each place's opening hours on each date of the trip."""
    request = trip_request_validate(request=request)
    lang = lang or request.lang or settings.LANGUAGE_CODE
    lang = lang if lang in LANG_CODES else settings.LANGUAGE_CODE
    n_days = (request.end_date - request.start_date).days + 1
    dates = [request.start_date + dt.timedelta(days=i) for i in range(n_days)]
    interests = set(request.interests)
    visit_factor, day_factor = PACE_VISIT[request.pace], PACE_DAY[request.pace]

    forced = set(request.must_see) | {item.place for item in locked}
    qs = selectors.published(Place)
    if request.places is not None:
        pool = planning_places(qs.filter(slug__in=set(request.places) | forced), lang)
    else:
        kinds = [Place.Kind.ATTRACTION] + ([Place.Kind.FOOD] if request.lunch else [])
        pool = planning_places(qs.filter(kind__in=kinds), lang) + planning_places(
            qs.filter(slug__in=forced).exclude(kind__in=kinds), lang
        )
    if len(pool) > MAX_CANDIDATES:
        raise TripError(
            _("%(count)s candidate places; at most %(max)s can be considered. Choose fewer places.")
            % {"count": len(pool), "max": MAX_CANDIDATES}
        )
    for item in locked:
        if item.day > n_days:
            raise TripError(_("Day %(day)s is not a day of the trip.") % {"day": item.day})
    missing_locks = sorted({item.place for item in locked} - {p.slug for p in pool})
    if missing_locks:
        raise TripError(_("Unknown or unpublished places: %(slugs)s.") % {"slugs": ", ".join(missing_locks)})
    excluded = set(request.excluded)
    if request.indoor_only:
        excluded |= {p.slug for p in pool if p.category in OUTDOOR_CATEGORIES}
    clash = sorted({item.place for item in locked} & excluded)
    if clash:
        raise TripError(_("Locked stops cannot also be excluded: %(slugs)s.") % {"slugs": ", ".join(clash)})

    # Endpoints per day, then the candidates: location indices into one list of points.
    endpoint_slugs = [q.place for q in request_points(request) if q.place]
    named = {
        p.slug: p for p in selectors.published(Place).prefetch_related("translations").filter(slug__in=endpoint_slugs)
    }
    overrides = {d.day: d for d in request.days}
    end = request.end or request.start
    lodging = request.lodging or end
    day_specs = []
    for i in range(n_days):
        override = overrides.get(i + 1)
        start_point = (override and override.start) or (request.start if i == 0 else lodging)
        end_point = (override and override.end) or (end if i == n_days - 1 else lodging)
        start_time = clock_minutes((override and override.start_time) or request.day_start)
        end_time = clock_minutes((override and override.end_time) or request.day_end)
        if not (override and override.end_time):
            scaled = start_time + round((end_time - start_time) * day_factor)
            end_time = min(scaled, max(end_time, LATEST_DAY_END))  # an intense day ends by 23:00 at the latest
        if end_time <= start_time:
            raise TripError(_("Day %(day)s (%(date)s) ends before it starts.") % {"day": i + 1, "date": dates[i]})
        day_specs.append((_endpoint(start_point, named, lang), _endpoint(end_point, named, lang), start_time, end_time))

    points: list[tuple[float, float]] = []
    days = []
    endpoints = []
    for start_ep, end_ep, start_time, end_time in day_specs:
        points += [(start_ep.lat, start_ep.lon), (end_ep.lat, end_ep.lon)]
        days.append(engine.Day(len(points) - 2, len(points) - 1, start_time, end_time))
        endpoints.append((start_ep, end_ep))

    festivals = _festivals(pool, dates)
    lunch_window = (LUNCH["earliest"], LUNCH["latest"] + LUNCH["duration"])
    candidates = []
    why: dict[str, list[str]] = {}
    unknown_hours: set[str] = set()
    for place in pool:
        is_food = place.kind == Place.Kind.FOOD
        tags = {t.slug for t in place.tags.all()}
        service = round(place.visit_minutes * visit_factor)
        service = max(10, service) if is_food else max(PACE_MIN_VISIT[request.pace], service)
        hours = planning_hours(place)
        windows = []
        for day in dates:
            day_windows = []
            for opens, closes in hours.intervals_on(day):
                latest_start = closes - service
                if latest_start >= opens:
                    day_windows.append((opens, latest_start))
            windows.append(day_windows)
        matching = sorted(tags & interests)
        festival_dates = festivals.get(place.slug, {})
        score = 10.0 * len(matching) + place.popularity / 10 + (8.0 if festival_dates else 0.0)
        if interests and not matching:
            score = place.popularity / 20
        engine_tags: frozenset[str] = frozenset()
        if is_food and request.lunch:
            # Lunch at a food place only when it is open over the whole lunch window on every date.
            open_for_lunch = all(
                any(o <= lunch_window[0] and c >= lunch_window[1] for o, c in hours.intervals_on(d)) for d in dates
            )
            engine_tags = frozenset({"food"}) if open_for_lunch else frozenset()
            if "food" not in interests and place.slug not in forced:
                windows = [[] for _ in dates]  # a lunch option, not a sight
        ticket = adult_ticket_vnd(place)
        points.append((place.lat, place.lon))
        candidates.append(
            engine.Candidate(
                id=place.slug,
                location=len(points) - 1,
                score=round(score, 3),
                service=service,
                windows=windows,
                cost=ticket,
                tags=engine_tags,
            )
        )
        why[place.slug] = matching
        if hours is not None and not place.always_open and not place.opening_rules.all():
            unknown_hours.add(place.slug)

    leads = interest_leads(request, pool, candidates, excluded, [ep for pair in endpoints for ep in pair])
    candidates = [
        dataclasses.replace(c, score=c.score + INTEREST_LEAD_BONUS) if c.id in leads.values() else c for c in candidates
    ]

    try:
        seconds = travel.provider_for(settings.OSRM_URL).matrix(points, request.mode)
    except travel.TravelError as exc:
        raise TripError(_("Travel times are not available: %(error)s") % {"error": exc}) from exc
    matrix = (-(-np.asarray(seconds, dtype=np.int64) // 60)).tolist()  # whole minutes, rounded up

    locks = [engine.LockedStop(item.place, item.day - 1) for item in locked]
    problem = engine.Problem(
        candidates=candidates,
        days=days,
        travel=matrix,
        must_visit=frozenset(request.must_see),
        excluded=frozenset(excluded),
        budget=request.budget_vnd,
        lunch=engine.LunchBreak(LUNCH["duration"], LUNCH["earliest"], LUNCH["latest"]) if request.lunch else None,
        locked=locks,
    )
    closed_days = [d for d in range(n_days) if not any(c.windows[d] for c in candidates if c.id not in excluded)]
    return TripProblem(
        problem=problem,
        dates=dates,
        endpoints=endpoints,
        places={p.slug: p for p in pool},
        lang=lang,
        why=why,
        festivals=festivals,
        closed_days=closed_days,
        unknown_hours=unknown_hours,
        interest_leads=leads,
    )


def interest_leads(
    request: TripRequest,
    pool: Sequence[Place],
    candidates: Sequence[engine.Candidate],
    excluded: set[str],
    endpoints: Sequence[Endpoint],
) -> dict[str, str | None]:
    """{interest: the slug of its lead place, or None when no place of it is open on the trip's dates within
    LEAD_RADIUS_KM of the trip's endpoints}; interests a forced stop already serves are left out."""
    forced = set(request.must_see)
    tags = {p.slug: {t.slug for t in p.tags.all()} for p in pool}
    by_slug = {p.slug: p for p in pool}
    open_some_day = {c.id for c in candidates if any(c.windows)}
    leads: dict[str, str | None] = {}
    for interest in sorted(set(request.interests)):
        if any(interest in tags.get(slug, ()) for slug in forced):
            continue
        options = []
        for slug, place_tags in tags.items():
            place = by_slug[slug]
            if interest not in place_tags or slug in excluded or slug not in open_some_day:
                continue
            if place.kind != Place.Kind.ATTRACTION and interest != "food":
                continue
            km = min(haversine_km(place.lat, place.lon, e.lat, e.lon) for e in endpoints)
            if km <= LEAD_RADIUS_KM:
                options.append((-place.popularity + km, slug))
        leads[interest] = min(options)[1] if options else None
    return leads


def planning_hours(place: Place) -> hours_lib.Hours:
    """The place's opening hours; a place whose hours nobody has entered is assumed open in the daytime
    (DAYTIME_IF_UNKNOWN) rather than closed, and its stops say "check the hours before going"."""
    hours = place.hours()
    if place.always_open or hours.rules:
        return hours
    return dataclasses.replace(hours, rules=(hours_lib.Rule(intervals=(DAYTIME_IF_UNKNOWN,)),))


def _endpoint(point: PointIn, named: dict[str, Place], lang: str) -> Endpoint:
    if point.place:
        place = named[point.place]
        return Endpoint(translated(place, "name", lang), place.slug, place.lat, place.lon)
    return Endpoint(f"{point.lat:.5f}, {point.lon:.5f}", None, float(point.lat), float(point.lon))


def _festivals(pool: Sequence[Place], dates: Sequence[dt.date]) -> dict[str, dict[dt.date, list[str]]]:
    """Per place slug: the dates of the trip on which a published festival happens at or near it (event slugs)."""
    first, last = dates[0], dates[-1]
    happening = []
    events = selectors.published(Event).select_related("place").prefetch_related("translations")
    for event in events:
        location = event.location
        if location is None:
            continue
        days = {d for start, end in event.occurrences_overlapping(first, last) for d in dates if start <= d <= end}
        if days:
            happening.append((event, location, days))
    result: dict[str, dict[dt.date, list[str]]] = {}
    for event, (lat, lon), days in happening:
        for place in pool:
            if event.place_id == place.id or haversine_km(lat, lon, place.lat, place.lon) <= FESTIVAL_RADIUS_KM:
                for day in days:
                    result.setdefault(place.slug, {}).setdefault(day, []).append(event.slug)
    return result
