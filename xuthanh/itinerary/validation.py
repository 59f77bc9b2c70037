"""What is checked before anything is planned: a trip request's dates, length, points, places and budget
against the limits and the published catalogue (`trip_request_validate`, a TripError listing every problem),
and how often one address may ask for a plan (`trip_throttle`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Place
from xuthanh.core import ratelimit
from xuthanh.itinerary.errors import TripError, TripRateLimited
from xuthanh.itinerary.schemas import PointIn, TripRequest

MAX_DAYS = 14
MAX_CANDIDATES = 300
FIRST_DATE, LAST_DATE = (
    dt.date(2000, 1, 1),
    dt.date(2199, 12, 31),
)  # the lunar calendar's range, and then some
VIETNAM_BOX = ((8.0, 24.0), (102.0, 110.0))  # (lat range, lon range), as the open API's "near"


def trip_throttle(*, address: str | None, partner: Any = None) -> None:
    """Count one plan or re-plan; TripRateLimited past TRIP_PLANS_PER_MINUTE per address. A partner with an
    API key (a kiosk serves many travellers) is held to its own key's quota instead."""
    if partner is not None:
        return
    wait = ratelimit.hit(f"trips:{address or '-'}", limit=settings.TRIP_PLANS_PER_MINUTE)
    if wait is not None:
        raise TripRateLimited(wait)


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
    if clock_minutes(request.day_end) <= clock_minutes(request.day_start):
        errors.append(_("The day must end after it starts."))
    for day in request.days:
        if day.day > max(days, 1):
            errors.append(_("Day %(day)s is not a day of the trip.") % {"day": day.day})
    for point in request_points(request):
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
        slugs = {p.place for p in request_points(request) if p.place}
        slugs |= set(request.must_see) | set(request.excluded) | set(request.places or ())
        known = set(selectors.published(Place).filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = sorted(slugs - known)
        if unknown:
            errors.append(_("Unknown or unpublished places: %(slugs)s.") % {"slugs": ", ".join(unknown)})
    if errors:
        raise TripError(" ".join(errors))
    return request


def request_points(request: TripRequest) -> list[PointIn]:
    points = [request.start, request.end, request.lodging]
    for day in request.days:
        points += [day.start, day.end]
    return [p for p in points if p is not None]


def _in_vietnam(lat: float, lon: float) -> bool:
    (lat_lo, lat_hi), (lon_lo, lon_hi) = VIETNAM_BOX
    return lat_lo <= lat <= lat_hi and lon_lo <= lon <= lon_hi


def clock_minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute
