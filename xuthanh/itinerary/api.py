"""/api/v1/trips: plan a trip, read it back by its share or edit token, re-plan it (in place with the edit token,
as a new trip with the share token), and download it as iCalendar or GPX.

Thin endpoints over `itinerary.services`; errors are JSON with a "message", never a server error.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zoneinfo
from typing import Annotated, Any

import icalendar
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Router, Status

from xuthanh.api import schemas as api_schemas
from xuthanh.core import attribution
from xuthanh.core.languages import LANG_CODES, request_language
from xuthanh.itinerary import services
from xuthanh.itinerary.errors import TripError, TripNotFound, TripRateLimited
from xuthanh.itinerary.models import Trip
from xuthanh.itinerary.schemas import SLUG_PATTERN, ReplanIn, TripOut, TripRequest
from xuthanh.itinerary.validation import trip_throttle
from xuthanh.itinerary.wording import plan_in_language

TIME_LIMIT = 1.0  # seconds of search per plan at most (services caps any value at MAX_TIME_LIMIT)
ANSWER_SECONDS = 0.9  # the whole plan (problem build + search + write-out) aims to answer within this
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
GPX_NS = "http://www.topografix.com/GPX/1/1"

router = Router(tags=["trips"])

Token = Annotated[
    str, Path(..., pattern=SLUG_PATTERN, max_length=64, description="The trip's share token or its edit token")
]
ERRORS = {404: api_schemas.ErrorOut, 413: api_schemas.ErrorOut, 422: api_schemas.ErrorOut}
WRITE_ERRORS = {**ERRORS, 429: api_schemas.ErrorOut}


def mount(api: NinjaAPI) -> None:
    """Attach the trip endpoints and their JSON error answers to the open API (`xuthanh/urls.py` does, once)."""

    def error(status: int, detail: str, message: str | None = None):  # noqa: ANN202 - an exception handler
        def handler(request: HttpRequest, exc: Exception) -> HttpResponse:
            return api.create_response(request, {"detail": detail, "message": message or str(exc)}, status=status)

        return handler

    def rate_limited(request: HttpRequest, exc: TripRateLimited) -> HttpResponse:
        response = api.create_response(request, {"detail": "rate_limited", "message": str(exc)}, status=429)
        response["Retry-After"] = str(exc.wait)
        return response

    api.add_router("/trips", router)
    api.add_exception_handler(TripRateLimited, rate_limited)
    api.add_exception_handler(TripError, error(422, "invalid_trip"))
    api.add_exception_handler(TripNotFound, error(404, "not_found"))
    api.add_exception_handler(RequestDataTooBig, error(413, "too_large", "The request is too large to plan."))


def trip_out(trip: Trip, *, editable: bool) -> dict[str, Any]:
    """A trip as the API answers it; its edit token only to whoever may change it."""
    return {
        "token": trip.token,
        "edit_token": trip.edit_token if editable else None,
        "created_at": trip.created_at,
        "updated_at": trip.updated_at,
        "request": trip.request,
        "locked": trip.locked,
        "plan": trip.plan,
    }


def _private(response: HttpResponse) -> None:
    # A trip is reached by its secret token: no shared cache (nor the page cache) may keep it.
    response["Cache-Control"] = "private, no-store"


def _throttle(request: HttpRequest) -> None:
    trip_throttle(address=request.META.get("REMOTE_ADDR"), partner=getattr(request, "api_client", None))


@router.post("", response={201: TripOut, **WRITE_ERRORS}, summary="Plan a trip")
def create_trip(request: HttpRequest, response: HttpResponse, payload: TripRequest) -> Any:
    """Plan and store a trip. Anonymous callers may plan TRIP_PLANS_PER_MINUTE trips a minute (429 after)."""
    _private(response)
    _throttle(request)
    if payload.lang is None:
        payload = payload.model_copy(update={"lang": request_language(request, None)})
    trip = services.trip_create(
        request=payload, owner=request.user, time_limit=TIME_LIMIT, answer_seconds=ANSWER_SECONDS
    )
    attribution.note(request, "trip")  # for the campaign the visit came by, if any
    return Status(201, trip_out(trip, editable=True))


def _moments(day: dict, hhmm: str) -> dt.datetime:
    date = dt.date.fromisoformat(day["date"])
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return dt.datetime.combine(date, dt.time(hours, minutes), tzinfo=TZ)


@router.get(
    "/{token}.ics",
    response={200: None, **ERRORS},
    summary="The trip as iCalendar (one event per stop)",
    openapi_extra={"responses": {200: {"description": "iCalendar", "content": {"text/calendar": {}}}}},
)
def trip_ics(request: HttpRequest, token: Token) -> HttpResponse:
    trip = services.trip_get(token=token)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Xứ Thanh//trip planner//EN")
    calendar.add("version", "2.0")
    stamp = trip.updated_at.astimezone(dt.UTC)
    for day in trip.plan.get("days", []):
        for number, stop in enumerate(day["stops"], start=1):
            event = icalendar.Event()
            event.add("uid", f"{trip.pk}-{day['day']}-{number}-{stop['place']}@xuthanh")
            event.add("dtstamp", stamp)
            event.add("dtstart", _moments(day, stop["start"]).astimezone(dt.UTC))
            event.add("dtend", _moments(day, stop["leave"]).astimezone(dt.UTC))
            event.add("summary", stop["name"])
            event.add("geo", (stop["lat"], stop["lon"]))
            event.add("description", "; ".join(stop["why"]))
            calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    _private(response)
    response["Content-Disposition"] = 'attachment; filename="trip.ics"'
    return response


@router.get(
    "/{token}.gpx",
    response={200: None, **ERRORS},
    summary="The trip as GPX (one waypoint per stop, in order)",
    openapi_extra={"responses": {200: {"description": "GPX 1.1", "content": {"application/gpx+xml": {}}}}},
)
def trip_gpx(request: HttpRequest, token: Token) -> HttpResponse:
    trip = services.trip_get(token=token)
    ET.register_namespace("", GPX_NS)
    root = ET.Element(f"{{{GPX_NS}}}gpx", {"version": "1.1", "creator": "Xứ Thanh"})
    for day in trip.plan.get("days", []):
        for stop in day["stops"]:
            point = ET.SubElement(root, f"{{{GPX_NS}}}wpt", {"lat": f"{stop['lat']:.6f}", "lon": f"{stop['lon']:.6f}"})
            moment = _moments(day, stop["start"]).astimezone(dt.UTC)
            ET.SubElement(point, f"{{{GPX_NS}}}time").text = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
            ET.SubElement(point, f"{{{GPX_NS}}}name").text = stop["name"]
            ET.SubElement(point, f"{{{GPX_NS}}}desc").text = f"{day['date']} {stop['start']}–{stop['leave']}"
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    response = HttpResponse(body, content_type="application/gpx+xml; charset=utf-8")
    _private(response)
    response["Content-Disposition"] = 'attachment; filename="trip.gpx"'
    return response


# After the .ics/.gpx paths: Django tries URL patterns in order, and “{token}” alone would match “abc.ics”.
@router.get("/{token}", response={200: TripOut, **ERRORS}, summary="A trip by its share token")
def get_trip(request: HttpRequest, response: HttpResponse, token: Token, lang: str | None = None) -> Any:
    """The trip; with `lang`, its place names, reasons and explanation are given in that language (a trip
    shared with someone who reads another language)."""
    _private(response)
    access = services.trip_open(token=token, user=request.user)
    trip = access.trip
    out = trip_out(trip, editable=access.editable)
    if lang is not None:
        out["plan"] = plan_in_language(
            trip.plan, request_language(request, lang if lang in LANG_CODES else None)
        )
    return out


@router.post("/{token}/replan", response={200: TripOut, 201: TripOut, **WRITE_ERRORS}, summary="Re-plan a trip")
def replan_trip(request: HttpRequest, response: HttpResponse, token: Token, payload: ReplanIn) -> Any:
    """Re-plan: `locked` stops are remembered with the trip until `unlock`ed; counted like a new plan. With the
    edit token (or as the trip's signed-in owner) the trip itself changes: 200. With the share token the shared
    trip stays as it is and the re-plan is a new trip, with its own tokens: 201."""
    _private(response)
    _throttle(request)
    trip = services.trip_replan(
        token, user=request.user, changes=payload, time_limit=TIME_LIMIT, answer_seconds=ANSWER_SECONDS
    )
    copied = token not in (trip.token, trip.edit_token)  # a new trip, made from a share link
    return Status(201 if copied else 200, trip_out(trip, editable=True))
