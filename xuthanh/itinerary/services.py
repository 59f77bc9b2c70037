"""Trip services, the one door for the open API, the planner pages and the benchmarks: plan a request
(validate it, build the engine's problem, search within the time cap, write the plan out) and store, read,
re-plan, claim and list trips, and find alternatives to a stop.

The steps live in their own modules: `validation` (the request, the throttle), `problem` (the engine's
Problem from the catalogue), `planout` (the plan as stored), `wording` (what the traveller reads, in any
language) and `errors`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Place
from xuthanh.core import hours as hours_lib
from xuthanh.core.geo import haversine_km
from xuthanh.core.languages import translated
from xuthanh.itinerary import engine
from xuthanh.itinerary.errors import TripError, TripNotFound
from xuthanh.itinerary.models import Trip
from xuthanh.itinerary.planout import plan_out
from xuthanh.itinerary.problem import (
    OUTDOOR_CATEGORIES,
    TripProblem,
    planning_hours,
    planning_places,
    trip_problem_build,
)
from xuthanh.itinerary.schemas import DayIn, LockedIn, PointIn, ReplanIn, TripRequest
from xuthanh.itinerary.validation import trip_request_validate
from xuthanh.itinerary.wording import plan_in_language  # noqa: F401 - read here by the tests of these services

MAX_TIME_LIMIT = 2.0  # seconds the engine may search, whatever the caller asks
ANSWER_MARGIN = 0.05  # seconds kept after the search for writing the plan out and storing it


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


@dataclass(frozen=True)
class TripAccess:
    """A trip as one of its links opens it: `editable` when the link is its edit link, or when the signed-in
    traveller owns it; the share (view) link only shows it."""

    trip: Trip
    editable: bool


def trip_open(*, token: str, user: Any = None) -> TripAccess:
    """The trip that `token` (its share link or its edit link) opens for `user`; TripNotFound otherwise."""
    trip = Trip.objects.filter(Q(token=token) | Q(edit_token=token)).first() if token else None
    if trip is None:
        raise TripNotFound(_("No trip with this share link."))
    owner = user is not None and user.is_authenticated and trip.owner_id == user.pk
    return TripAccess(trip=trip, editable=owner or trip.edit_token == token)


def trip_get(*, token: str) -> Trip:
    """The trip of a share or edit link, to read."""
    return trip_open(token=token).trip


def trip_replan(
    plan_id: str,
    *,
    user: Any = None,
    changes: ReplanIn | None = None,
    now: dt.datetime | None = None,
    time_limit: float = 1.0,
    seed: int = 0,
    answer_seconds: float | None = None,
) -> Trip:
    """Re-plan a stored trip: keep locked stops in their days, leave out what is excluded or already done,
    add must-sees, keep indoors, or start again from where the traveller is now.

    `plan_id` is the trip's edit link (or any of its links for its signed-in owner `user`): the trip changes
    and is returned. From a share (view) link the trip stays as it is and the re-plan is a new trip, with its
    own links, belonging to `user` when signed in: the returned trip is then not the one asked for.
    Starting from a point on day N keeps days before N as they were planned (their visits are locked)."""
    deadline = time.perf_counter() + answer_seconds if answer_seconds else None
    access = trip_open(token=plan_id, user=user)
    trip = access.trip
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
    stored = {
        "request": request.model_dump(mode="json"),
        "plan": plan,
        "locked": [item.model_dump() for item in kept if item.place not in excluded],
    }
    if not access.editable:  # a view link: the shared trip stays as it is, the change is a copy
        owner = user if user is not None and user.is_authenticated else None
        return Trip.objects.create(owner=owner, **stored)
    for name, value in stored.items():
        setattr(trip, name, value)
    trip.save(update_fields=[*stored, "updated_at"])
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
    qs = selectors.published(Place).filter(kind=Place.Kind.ATTRACTION)
    for candidate in planning_places(qs.exclude(slug__in=planned | set(request.excluded) | {place}), lang):
        if request.indoor_only and candidate.category in OUTDOOR_CATEGORIES:
            continue
        hours = planning_hours(candidate)
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
