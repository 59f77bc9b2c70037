"""Trip planning over the catalogue: validate a request, build the engine's Problem from the places' real
opening hours, tickets, interests and festivals, solve it, and store, re-plan and share the result.

Times inside the engine are minutes after midnight of each trip day; travel times come from
`travel.provider_for(settings.OSRM_URL)`. Every sentence a traveller may read is in English source text
through gettext.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Event, Place, Tag, TicketPrice
from xuthanh.core import hours as hours_lib
from xuthanh.core import ratelimit
from xuthanh.core.geo import haversine_km
from xuthanh.core.languages import LANG_CODES, translated
from xuthanh.itinerary import engine, travel
from xuthanh.itinerary.models import Trip
from xuthanh.itinerary.schemas import DayIn, LockedIn, PointIn, ReplanIn, TripRequest

MAX_DAYS = 14
MAX_CANDIDATES = 300
MAX_TIME_LIMIT = 2.0  # seconds the engine may search, whatever the caller asks
ANSWER_MARGIN = 0.05  # seconds kept after the search for writing the plan out and storing it
FIRST_DATE, LAST_DATE = (
    dt.date(2000, 1, 1),
    dt.date(2199, 12, 31),
)  # the lunar calendar's range, and then some
VIETNAM_BOX = ((8.0, 24.0), (102.0, 110.0))  # (lat range, lon range), as the open API's "near"
PACE_VISIT = {"relaxed": 1.3, "normal": 1.0, "intense": 0.8}
PACE_DAY = {"relaxed": 0.9, "normal": 1.0, "intense": 1.1}
LATEST_DAY_END = 23 * 60
OUTDOOR_CATEGORIES = frozenset({"beach", "nature", "waterfall", "landscape"})
FESTIVAL_RADIUS_KM = 3.0
DAYTIME_IF_UNKNOWN = (8 * 60, 17 * 60)  # assumed opening of a place with no hours entered
LUNCH = {"duration": 60, "earliest": 11 * 60, "latest": 13 * 60 + 30}
PLACE_PREFETCH = (
    "translations",
    "tags",
    "opening_rules",
    "closure_dates",
    Prefetch("tickets", queryset=TicketPrice.objects.filter(audience=TicketPrice.Audience.ADULT)),
)


class TripError(ValueError):
    """The request cannot be planned; the message says why, in plain words."""


class TripNotFound(LookupError):
    pass


class TripRateLimited(RuntimeError):
    """Too many plans from one address; `wait` is the number of seconds until the next is accepted."""

    def __init__(self, wait: int) -> None:
        super().__init__(_("Too many trip plans from your connection; try again in %(wait)s s.") % {"wait": wait})
        self.wait = wait


def trip_throttle(*, address: str | None, partner: Any = None) -> None:
    """Count one plan or re-plan; TripRateLimited past TRIP_PLANS_PER_MINUTE per address. A partner with an
    API key (a kiosk serves many travellers) is held to its own key's quota instead."""
    if partner is not None:
        return
    wait = ratelimit.hit(f"trips:{address or '-'}", limit=settings.TRIP_PLANS_PER_MINUTE)
    if wait is not None:
        raise TripRateLimited(wait)


# ---- validation ---------------------------------------------------------------------------------------


def trip_request_validate(*, request: TripRequest | dict[str, Any]) -> TripRequest:
    """The request, parsed, or TripError listing every problem (dates, length, points, places, budget)."""
    if not isinstance(request, TripRequest):
        try:
            request = TripRequest.model_validate(request)
        except ValueError as exc:
            raise TripError(_("The trip request is not valid: %(error)s") % {"error": exc}) from exc
    errors: list[str] = []
    days = (request.end_date - request.start_date).days + 1
    outside = [d for d in (request.start_date, request.end_date) if not FIRST_DATE <= d <= LAST_DATE]
    if outside:
        errors.append(_("Plan trips between %(first)s and %(last)s.") % {"first": FIRST_DATE, "last": LAST_DATE})
    elif request.start_date > request.end_date:
        errors.append(
            _("The start date %(start)s is after the end date %(end)s.")
            % {"start": request.start_date, "end": request.end_date}
        )
    elif days > MAX_DAYS:
        errors.append(
            _("The trip is %(days)s days long; plan at most %(max)s days at a time.") % {"days": days, "max": MAX_DAYS}
        )
    if _minutes(request.day_end) <= _minutes(request.day_start):
        errors.append(_("The day must end after it starts."))
    for day in request.days:
        if day.day > max(days, 1):
            errors.append(_("Day %(day)s is not a day of the trip.") % {"day": day.day})
    for point in _points(request):
        if point.lat is not None and not _in_vietnam(point.lat, point.lon):
            errors.append(
                _("The point %(lat)s, %(lon)s is outside Vietnam; check that latitude and longitude are not swapped.")
                % {"lat": point.lat, "lon": point.lon}
            )
    if request.budget_vnd is not None and request.budget_vnd < 0:
        errors.append(_("The ticket budget cannot be negative."))
    if request.places is not None and len(request.places) > MAX_CANDIDATES:
        errors.append(
            _("%(count)s candidate places were given; at most %(max)s can be considered.")
            % {"count": len(request.places), "max": MAX_CANDIDATES}
        )
    if len(request.must_see) > MAX_CANDIDATES:
        errors.append(_("At most %(max)s must-see places.") % {"max": MAX_CANDIDATES})
    if len(request.excluded) > MAX_CANDIDATES:
        errors.append(_("At most %(max)s excluded places.") % {"max": MAX_CANDIDATES})
    if not errors:
        slugs = {p.place for p in _points(request) if p.place}
        slugs |= set(request.must_see) | set(request.excluded) | set(request.places or ())
        known = set(selectors.published(Place).filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = sorted(slugs - known)
        if unknown:
            errors.append(_("Unknown or unpublished places: %(slugs)s.") % {"slugs": ", ".join(unknown)})
    if errors:
        raise TripError(" ".join(errors))
    return request


def _points(request: TripRequest) -> list[PointIn]:
    points = [request.start, request.end, request.lodging]
    for day in request.days:
        points += [day.start, day.end]
    return [p for p in points if p is not None]


def _in_vietnam(lat: float, lon: float) -> bool:
    (lat_lo, lat_hi), (lon_lo, lon_hi) = VIETNAM_BOX
    return lat_lo <= lat <= lat_hi and lon_lo <= lon <= lon_hi


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ---- building the engine's problem -----------------------------------------------------------------------


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
    qs = selectors.published(Place).prefetch_related(*PLACE_PREFETCH)
    if request.places is not None:
        pool = list(qs.filter(slug__in=set(request.places) | forced))
    else:
        kinds = [Place.Kind.ATTRACTION] + ([Place.Kind.FOOD] if request.lunch else [])
        pool = list(qs.filter(kind__in=kinds)) + list(qs.filter(slug__in=forced).exclude(kind__in=kinds))
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
    endpoint_slugs = [q.place for q in _points(request) if q.place]
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
        start_time = _minutes((override and override.start_time) or request.day_start)
        end_time = _minutes((override and override.end_time) or request.day_end)
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
        service = max(10, round(place.visit_minutes * visit_factor))
        hours = _planning_hours(place)
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
        ticket = min((t.price_vnd for t in place.tickets.all()), default=0)
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

    try:
        seconds = travel.provider_for(settings.OSRM_URL).matrix(points, request.mode)
    except travel.TravelError as exc:
        raise TripError(_("Travel times are not available: %(error)s") % {"error": exc}) from exc
    matrix = [[math.ceil(value / 60) for value in row] for row in seconds]

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
    )


def _planning_hours(place: Place) -> hours_lib.Hours:
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


# ---- planning ---------------------------------------------------------------------------------------------


def trip_plan(
    request: TripRequest | dict[str, Any],
    *,
    time_limit: float = 1.0,
    seed: int = 0,
    locked: Sequence[LockedIn] = (),
    lang: str | None = None,
    deadline: float | None = None,
) -> dict[str, Any]:
    """Plan the trip; a JSON-serialisable plan (see schemas.PlanOut). Raises TripError.

    `deadline` (a `time.perf_counter()` value) bounds the whole answer: the search gets at most `time_limit`
    and never more than what is left after building the problem (minus ANSWER_MARGIN)."""
    built = trip_problem_build(request, locked=locked, lang=lang)
    if deadline is not None:
        time_limit = min(time_limit, deadline - time.perf_counter() - ANSWER_MARGIN)
    plan = trip_solve(built, time_limit=time_limit, seed=seed)
    with translation.override(built.lang):  # the plan speaks the traveller's language, as its place names
        return plan_out(built, plan)


def trip_solve(built: TripProblem, *, time_limit: float = 1.0, seed: int = 0) -> engine.Plan:
    """Run the engine within MAX_TIME_LIMIT seconds; its refusals become TripError."""
    try:
        return engine.solve(built.problem, time_limit=min(max(time_limit, 0.05), MAX_TIME_LIMIT), seed=seed)
    except ValueError as exc:
        raise TripError(_("The trip cannot be planned: %(error)s.") % {"error": exc}) from exc


def plan_out(built: TripProblem, plan: engine.Plan) -> dict[str, Any]:
    lang = built.lang
    places = built.places
    must_see = built.problem.must_visit
    locked = {lock.candidate_id for lock in built.problem.locked}
    days_out = []
    total_travel = 0
    notes: list[dict[str, Any]] = []  # what could not fit, as codes: said in any language by `notes_text`
    for day_plan in plan.days:
        d = day_plan.day
        date = built.dates[d]
        start_ep, end_ep = built.endpoints[d]
        stops, lunch = [], None
        previous = day_plan.departure
        travelled = 0
        for stop in day_plan.stops:
            minutes = stop.arrival - previous
            travelled += minutes
            previous = stop.departure
            if stop.kind == "lunch":
                place = places.get(stop.candidate_id) if stop.candidate_id else None
                lunch = {
                    "place": stop.candidate_id,
                    "name": translated(place, "name", lang) if place else _("Lunch break"),
                    "start": _hhmm(stop.start),
                    "leave": _hhmm(stop.departure),
                    "travel_minutes": minutes,
                }
                continue
            place = places[stop.candidate_id]
            reasons = _reasons(built, place.slug, date, must_see=must_see, locked=locked)
            stops.append(
                {
                    "place": place.slug,
                    "name": translated(place, "name", lang),
                    "lat": place.lat,
                    "lon": place.lon,
                    "arrive": _hhmm(stop.arrival),
                    "start": _hhmm(stop.start),
                    "leave": _hhmm(stop.departure),
                    "travel_minutes": minutes,
                    "ticket_vnd": min((t.price_vnd for t in place.tickets.all()), default=0),
                    "why": reasons_text(reasons, lang),
                    "reasons": reasons,
                }
            )
        travelled += day_plan.arrival - previous
        total_travel += travelled
        days_out.append(
            {
                "day": d + 1,
                "date": date.isoformat(),
                "start": {**_endpoint_out(start_ep), "time": _hhmm(day_plan.departure)},
                "end": {**_endpoint_out(end_ep), "time": _hhmm(day_plan.arrival)},
                "stops": stops,
                "lunch": lunch,
                "travel_minutes": travelled,
            }
        )
        if d in built.closed_days:
            notes.append({"code": "closed_day", "day": d + 1, "date": date.isoformat()})
        elif not stops:
            notes.append({"code": "travel_only", "day": d + 1, "date": date.isoformat()})
    unplaced = []
    for item in plan.unplaced:
        if item.id.startswith("lunch:"):
            day = int(item.id.split(":")[1])
            notes.append({"code": "no_lunch", "day": day + 1, "date": built.dates[day].isoformat()})
            continue
        place = places[item.id]
        reason = _reason(item, built)
        unplaced.append(
            {"place": item.id, "name": translated(place, "name", lang), "reason": reason_text(reason), **reason}
        )
        notes.append({"code": "unplaced", "place": item.id})
    explanation = notes_text(notes, {u["place"]: u for u in unplaced})
    return {
        "lang": lang,
        "days": days_out,
        "totals": {
            "visits": sum(len(d["stops"]) for d in days_out),
            "ticket_vnd": plan.cost,
            "travel_minutes": total_travel,
            "score": round(plan.score, 3),
        },
        "unplaced": unplaced,
        "notes": notes,
        "explanation": explanation,
    }


def _reason(item: engine.Unplaced, built: TripProblem) -> dict[str, Any]:
    """Why a must-see is not in the plan, as a code with its amounts (the engine's own sentence is English)."""
    if item.code == "budget":
        ticket = next((c.cost for c in built.problem.candidates if c.id == item.id), 0)
        return {"code": "budget", "args": [ticket, built.problem.budget]}
    return {"code": item.code, "args": []}


def reason_text(reason: dict[str, Any]) -> str:
    """A must-see's reason code said in the active language."""
    code, args = reason.get("code"), reason.get("args") or []
    if code == "excluded":
        return _("it is both a must-see and excluded")
    if code == "budget" and len(args) == 2:
        return _("its ticket (%(ticket)s VND) alone is over the budget (%(budget)s VND)") % {
            "ticket": number_format(args[0], force_grouping=True),
            "budget": number_format(args[1], force_grouping=True),
        }
    if code == "closed":
        return _("it is closed on every day of the trip")
    if code == "unreachable":
        return _("no day is long enough to reach it while it is open and get back in time")
    return _("no room left: the other must-see places, kept stops and lunch breaks fill the days")


def notes_text(notes: Sequence[dict[str, Any]], unplaced: dict[str, dict[str, Any]]) -> list[str]:
    """What could not fit, as sentences in the active language; `unplaced` gives the places' names and reasons
    (already in that language) by slug."""
    sentences = []
    for note in notes:
        code = note["code"]
        if code == "unplaced":
            item = unplaced.get(note["place"])
            if item:
                sentences.append(
                    _("%(name)s could not be placed: %(reason)s.") % {"name": item["name"], "reason": item["reason"]}
                )
            continue
        args = {"day": note["day"], "date": _date_text(dt.date.fromisoformat(note["date"]))}
        if code == "closed_day":
            sentences.append(_("On %(date)s none of the places to visit is open, so day %(day)s has no visits.") % args)
        elif code == "travel_only":
            sentences.append(
                _("Day %(day)s (%(date)s) has no visit: the time between its start and end is taken by travel.") % args
            )
        elif code == "no_lunch":
            sentences.append(_("No lunch break fits on day %(day)s (%(date)s).") % args)
    return sentences


def _reasons(
    built: TripProblem, slug: str, date: dt.date, *, must_see: frozenset[str], locked: set[str]
) -> list[dict[str, Any]]:
    """Why a stop is in the plan, as codes with arguments (tag and event slugs), so that any language can
    say it (`reasons_text`)."""
    reasons: list[dict[str, Any]] = []
    if slug in locked:
        reasons.append({"code": "kept", "args": []})
    if slug in must_see:
        reasons.append({"code": "must_see", "args": []})
    matching = built.why.get(slug, [])
    if matching:
        reasons.append({"code": "interests", "args": list(matching)})
    for event in built.festivals.get(slug, {}).get(date, []):
        reasons.append({"code": "festival", "args": [event]})
    if not reasons:
        reasons.append({"code": "popular", "args": []})
    if slug in built.unknown_hours:
        reasons.append({"code": "hours_unknown", "args": []})
    return reasons


def reasons_text(reasons: Sequence[dict[str, Any]], lang: str) -> list[str]:
    """The reasons of a stop as sentences in `lang`, with interests and festivals by their names there."""
    tag_slugs = {a for r in reasons if r["code"] == "interests" for a in r["args"]}
    event_slugs = {a for r in reasons if r["code"] == "festival" for a in r["args"]}
    tags = {t.slug: translated(t, "name", lang) for t in Tag.objects.filter(slug__in=tag_slugs)} if tag_slugs else {}
    events = (
        {e.slug: translated(e, "name", lang) for e in Event.objects.filter(slug__in=event_slugs)} if event_slugs else {}
    )
    sentences = []
    with translation.override(lang):
        for reason in reasons:
            code, args = reason["code"], reason["args"]
            if code == "kept":
                sentences.append(_("kept as you asked"))
            elif code == "must_see":
                sentences.append(_("on your must-see list"))
            elif code == "interests":
                names = ", ".join(tags.get(a, a) for a in args)
                sentences.append(_("matches your interests: %(tags)s") % {"tags": names})
            elif code == "festival":
                sentences.append(_("festival that day: %(name)s") % {"name": events.get(args[0], args[0])})
            elif code == "popular":
                sentences.append(_("popular and open on the way"))
            elif code == "hours_unknown":
                sentences.append(_("opening hours not known: check them before going"))
    return sentences


def plan_in_language(plan: dict[str, Any], lang: str) -> dict[str, Any]:
    """A stored plan as read in `lang`: place names (stops, lunch, start and end points, unplaced) from the
    catalogue, and the stops' reasons, the must-see places left out and what could not fit said again from their
    codes. Places no longer published keep the names they were planned with; plans stored before the codes
    existed keep their sentences."""
    if plan.get("lang") == lang or not plan.get("days"):
        return plan
    days = plan["days"]
    slugs = {s["place"] for d in days for s in d["stops"]} | {u["place"] for u in plan.get("unplaced", [])}
    slugs |= {d["lunch"]["place"] for d in days if d.get("lunch") and d["lunch"].get("place")}
    slugs |= {p for d in days for p in (d["start"].get("place"), d["end"].get("place")) if p}
    places = selectors.published(Place).filter(slug__in=slugs).prefetch_related("translations")
    names = {p.slug: translated(p, "name", lang) for p in places}

    def renamed(item: dict[str, Any], key: str = "name") -> dict[str, Any]:
        return {**item, key: names.get(item.get("place") or "", item[key])}

    out_days = []
    for day in days:
        stops = []
        for stop in day["stops"]:
            stop = renamed(stop)
            if stop.get("reasons"):
                stop["why"] = reasons_text(stop["reasons"], lang)
            stops.append(stop)
        lunch = day.get("lunch")
        if lunch:
            lunch = renamed(lunch) if lunch.get("place") else {**lunch, "name": _lunch_break_name(lang)}
        out_days.append(
            {
                **day,
                "start": renamed(day["start"], "label"),
                "end": renamed(day["end"], "label"),
                "stops": stops,
                "lunch": lunch,
            }
        )
    out = {**plan, "lang": lang, "days": out_days}
    with translation.override(lang):
        unplaced = [renamed(u) for u in plan.get("unplaced", [])]
        unplaced = [{**u, "reason": reason_text(u)} if u.get("code") else u for u in unplaced]
        out["unplaced"] = unplaced
        if "notes" in plan:
            out["explanation"] = notes_text(plan["notes"], {u["place"]: u for u in unplaced})
    return out


def _lunch_break_name(lang: str) -> str:
    with translation.override(lang):
        return _("Lunch break")


def _endpoint_out(endpoint: Endpoint) -> dict[str, Any]:
    return {"label": endpoint.label, "place": endpoint.place, "lat": endpoint.lat, "lon": endpoint.lon}


def _date_text(day: dt.date) -> str:
    """A trip date in the active language: weekday and date (Monday Dec. 7, 2026; lundi 7 décembre 2026…)."""
    return f"{date_format(day, 'l')} {date_format(day, 'DATE_FORMAT')}"


# ---- stored trips -----------------------------------------------------------------------------------------


def trip_create(
    *,
    request: TripRequest | dict[str, Any],
    owner: Any = None,
    time_limit: float = 1.0,
    seed: int = 0,
    answer_seconds: float | None = None,
) -> Trip:
    """Plan and store a trip; its share token is the only way to it unless it has an owner. With
    `answer_seconds`, the whole call (building the problem included) aims to finish within that time."""
    deadline = time.perf_counter() + answer_seconds if answer_seconds else None
    request = trip_request_validate(request=request)
    plan = trip_plan(request, time_limit=time_limit, seed=seed, deadline=deadline)
    owner = owner if owner is not None and owner.is_authenticated else None
    return Trip.objects.create(owner=owner, request=request.model_dump(mode="json"), plan=plan)


def trip_get(*, token: str) -> Trip:
    trip = Trip.objects.filter(token=token).first() if token else None
    if trip is None:
        raise TripNotFound(_("No trip with this share link."))
    return trip


def trip_replan(
    plan_id: str,
    *,
    changes: ReplanIn | None = None,
    now: dt.datetime | None = None,
    time_limit: float = 1.0,
    seed: int = 0,
    answer_seconds: float | None = None,
) -> Trip:
    """Re-plan a stored trip (by its share token): keep locked stops in their days, leave out what is
    excluded or already done, add must-sees, keep indoors, or start again from where the traveller is now.

    Starting from a point on day N keeps days before N as they were planned (their visits are locked)."""
    deadline = time.perf_counter() + answer_seconds if answer_seconds else None
    trip = trip_get(token=plan_id)
    changes = changes or ReplanIn()
    request = TripRequest.model_validate(trip.request)
    kept = trip_locks_merge(trip.locked, changes)
    locked = list(kept)
    locked_slugs = {item.place for item in locked}
    excluded = list(dict.fromkeys([*request.excluded, *changes.exclude]))
    must_see = [s for s in dict.fromkeys([*request.must_see, *changes.add_must_see]) if s not in excluded]
    days_override = {d.day: d for d in request.days}
    if changes.start_from is not None:
        start = changes.start_from
        moment = timezone.localtime(now or timezone.now())
        n_days = (request.end_date - request.start_date).days + 1
        day = start.day or (moment.date() - request.start_date).days + 1
        if not 1 <= day <= n_days:
            raise TripError(_("Today is not a day of this trip; say which day to re-plan from."))
        when = start.time or moment.time().replace(second=0, microsecond=0)
        previous = days_override.get(day)
        days_override[day] = previous.model_copy() if previous else DayIn(day=day)
        days_override[day].start = PointIn(lat=start.lat, lon=start.lon)
        days_override[day].start_time = when
        # The days already lived stay as they were planned.
        for past in trip.plan.get("days", [])[: day - 1]:
            for stop in past["stops"]:
                if stop["place"] not in locked_slugs and stop["place"] not in excluded:
                    locked.append(LockedIn(place=stop["place"], day=past["day"]))
                    locked_slugs.add(stop["place"])
    done = [s for s in changes.done if s not in locked_slugs]
    excluded = list(dict.fromkeys([*excluded, *done]))
    request = request.model_copy(
        update={
            "excluded": excluded,
            "must_see": [s for s in must_see if s not in done],
            "indoor_only": request.indoor_only or changes.indoor_only,
            "days": [days_override[k] for k in sorted(days_override)],
        }
    )
    request = trip_request_validate(request=request.model_dump(mode="json"))
    locked.sort(key=lambda item: item.day)
    plan = trip_plan(request, locked=locked, time_limit=time_limit, seed=seed, deadline=deadline)
    trip.request = request.model_dump(mode="json")
    trip.plan = plan
    trip.locked = [item.model_dump() for item in kept if item.place not in excluded]
    trip.save(update_fields=["request", "plan", "locked", "updated_at"])
    return trip


def trip_locks_merge(stored: Sequence[dict[str, Any]], changes: ReplanIn) -> list[LockedIn]:
    """The stops kept after this change: the stored ones, minus `unlock`, with `locked` added or moved to
    the day they now name (one lock per place)."""
    by_place = {item["place"]: LockedIn.model_validate(item) for item in stored}
    for slug in changes.unlock:
        by_place.pop(slug, None)
    for item in changes.locked:
        by_place[item.place] = item
    return sorted(by_place.values(), key=lambda item: (item.day, item.place))


def trip_claim(*, trip: Trip, user: Any) -> bool:
    """Save an anonymous trip to a signed-in user's trips; False when it already belongs to someone else."""
    if not user.is_authenticated:
        return False
    claimed = Trip.objects.filter(pk=trip.pk, owner__isnull=True).update(owner=user)
    if claimed:
        trip.owner = user
    return bool(claimed) or trip.owner_id == user.pk


def trip_alternatives(*, trip: Trip, day: int, place: str, limit: int = 5) -> list[dict[str, Any]]:
    """Places that could replace `place` on `day`: open that date, not already in the plan, not excluded,
    matching the trip's interests first, then nearest to the place they would replace."""
    request = TripRequest.model_validate(trip.request)
    days = trip.plan.get("days", [])
    if not 1 <= day <= len(days):
        raise TripError(_("Day %(day)s is not a day of the trip.") % {"day": day})
    date = dt.date.fromisoformat(days[day - 1]["date"])
    planned = {stop["place"] for d in days for stop in d["stops"]}
    origin = selectors.published(Place).filter(slug=place).first()
    if origin is None:
        raise TripError(_("Unknown or unpublished places: %(slugs)s.") % {"slugs": place})
    interests = set(request.interests)
    lang = trip.plan.get("lang") or request.lang or settings.LANGUAGE_CODE
    options = []
    qs = selectors.published(Place).filter(kind=Place.Kind.ATTRACTION).prefetch_related(*PLACE_PREFETCH)
    for candidate in qs.exclude(slug__in=planned | set(request.excluded) | {place}):
        if request.indoor_only and candidate.category in OUTDOOR_CATEGORIES:
            continue
        hours = _planning_hours(candidate)
        if not hours.intervals_on(date):
            continue
        matching = sorted({t.slug for t in candidate.tags.all()} & interests)
        distance = haversine_km(origin.lat, origin.lon, candidate.lat, candidate.lon)
        options.append(
            (
                -len(matching),
                distance,
                {
                    "place": candidate.slug,
                    "name": translated(candidate, "name", lang),
                    "km": round(distance, 1),
                    "matching": matching,
                    "hours": hours_lib.format_hours(hours) if not candidate.always_open else "24/7",
                },
            )
        )
    options.sort(key=lambda option: (option[0], option[1]))
    return [option[2] for option in options[:limit]]


def trips_of(*, user: Any) -> list[Trip]:
    """A signed-in traveller's saved trips, newest first."""
    if not user.is_authenticated:
        return []
    return list(Trip.objects.filter(owner=user).order_by("-updated_at"))
