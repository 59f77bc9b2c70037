"""The trip planner's portal pages: the planning form, a trip (map and timeline per day, with move / lock /
remove / add / replace and re-plan in place), its print view, and the traveller's trips.

Thin views over `itinerary.services`. A trip is reached by one of its two secret links: the share link shows
it, the edit link (or the signed-in owner) changes it; a change asked from a share link makes the visitor's own
copy. Every page here is `never_cache` (neither the page cache nor a proxy may keep it). Works without
JavaScript: each change is a small form that posts and comes back to the trip (trip-planner.js only makes it
happen in place).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Place
from xuthanh.core import attribution
from xuthanh.core.languages import LANG_CODES, translated
from xuthanh.core.qrcode import qr_svg
from xuthanh.itinerary import services
from xuthanh.itinerary.errors import TripError, TripNotFound, TripRateLimited
from xuthanh.itinerary.forms import PlanForm
from xuthanh.itinerary.models import Trip
from xuthanh.itinerary.schemas import SLUG_PATTERN, LockedIn, ReplanIn
from xuthanh.itinerary.validation import trip_throttle
from xuthanh.itinerary.wording import plan_in_language

TIME_LIMIT = 1.0  # as the API: at most 1 s of search, the whole answer within ANSWER_SECONDS
ANSWER_SECONDS = 0.9
RECENT_KEY = "recent_trips"  # edit tokens of the trips planned in this browser (anonymous "my trips")
RECENT_MAX = 20
ACTIONS = ("lock", "unlock", "remove", "move", "add", "replace", "indoor", "replan")


def _lang(request: HttpRequest) -> str:
    lang = get_language() or ""
    return lang if lang in LANG_CODES else LANG_CODES[0]


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _remember(request: HttpRequest, trip: Trip) -> None:
    recent = [t for t in request.session.get(RECENT_KEY, []) if t != trip.edit_token]
    request.session[RECENT_KEY] = [trip.edit_token, *recent][:RECENT_MAX]


def _with_trip(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Open the trip of the link for `view(request, access)`; an unknown token gets the plain 404 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        try:
            access = services.trip_open(token=token, user=request.user)
        except TripNotFound:
            return render(request, "itinerary/not_found.html", status=404)
        return view(request, access)

    return wrapper


def _link(trip: Trip, editable: bool) -> str:
    """The token of the page's own links and forms: the edit link for whoever may change the trip."""
    return trip.edit_token if editable else trip.token


@never_cache
def plan(request: HttpRequest) -> HttpResponse:
    """GET: the form (must-see places may be preset with ?must_see=slug). POST: plan, store, show the trip."""
    lang = _lang(request)
    status = 200
    if request.method == "POST":
        form = PlanForm(request.POST, lang=lang)
        if form.is_valid():
            try:
                trip_throttle(address=_address(request))
                trip = services.trip_create(
                    request=form.trip_request(),
                    owner=request.user,
                    time_limit=TIME_LIMIT,
                    answer_seconds=ANSWER_SECONDS,
                )
            except TripRateLimited as exc:
                form.add_error(None, str(exc))
                status = 429
            except TripError as exc:
                form.add_error(None, str(exc))
                status = 422
            else:
                _remember(request, trip)
                attribution.note(request, "trip")  # for the campaign the visit came by, if any
                return redirect("trips:detail", token=trip.edit_token)  # the planner holds the edit link
        else:
            status = 422
    else:
        preset = [s for s in request.GET.getlist("must_see") if s]
        form = PlanForm(lang=lang, initial={"must_see": preset} if preset else None)
    return render(request, "itinerary/plan.html", {"form": form}, status=status)


def _share_url(request: HttpRequest, trip: Trip) -> str:
    """The view link: what the page offers to share, and its QR code."""
    return request.build_absolute_uri(reverse("trips:detail", kwargs={"token": trip.token}))


def _days(trip: Trip, plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The days of `plan` (the trip's plan in the page's language) with what the templates need: the timeline
    in order (legs, stops, lunch) and map points."""
    locked = {item["place"]: item["day"] for item in trip.locked}
    days = []
    for day in plan.get("days", []):
        events = [("stop", stop) for stop in day["stops"]]
        if day.get("lunch"):
            events.append(("lunch", day["lunch"]))
        events.sort(key=lambda item: item[1]["start"])
        timeline = [
            {"kind": kind, "item": item, "locked": kind == "stop" and item["place"] in locked} for kind, item in events
        ]
        start, end = day["start"], day["end"]
        points = [
            {"lat": start["lat"], "lon": start["lon"], "label": start["label"], "n": "A"},
            *(
                {"lat": s["lat"], "lon": s["lon"], "label": s["name"], "n": str(i)}
                for i, s in enumerate(day["stops"], start=1)
            ),
            {"lat": end["lat"], "lon": end["lon"], "label": end["label"], "n": "B"},
        ]
        days.append(
            {
                **day,
                "date": dt.date.fromisoformat(day["date"]),
                "timeline": timeline,
                "points": points,
                "points_id": f"day-points-{day['day']}",
            }
        )
    return days


def _trip_context(request: HttpRequest, access: services.TripAccess, lang: str) -> dict[str, Any]:
    """What the trip page and its print view both show, in the page's language: dates, the plan and its days,
    the share (view) link and its QR code, and the edit link to whoever may change the trip."""
    trip = access.trip
    first, last = trip.dates or (None, None)
    share_url = _share_url(request, trip)
    plan = plan_in_language(trip.plan, lang)
    return {
        "trip": trip,
        "editable": access.editable,
        "link": _link(trip, access.editable),
        "edit_url": request.build_absolute_uri(reverse("trips:detail", kwargs={"token": trip.edit_token}))
        if access.editable
        else "",
        "plan": plan,
        "first_day": first,
        "last_day": last,
        "days": _days(trip, plan),
        "share_url": share_url,
        "qr_svg": qr_svg(share_url),
    }


def _candidates_to_add(trip: Trip, lang: str) -> list[tuple[str, str]]:
    planned = {s["place"] for d in trip.plan.get("days", []) for s in d["stops"]}
    places = (
        selectors.published(Place)
        .filter(kind=Place.Kind.ATTRACTION)
        .exclude(slug__in=planned)
        .prefetch_related("translations")
    )
    return sorted(((p.slug, translated(p, "name", lang)) for p in places), key=lambda c: c[1].casefold())


@never_cache
@require_safe
@_with_trip
def detail(request: HttpRequest, access: services.TripAccess) -> HttpResponse:
    trip = access.trip
    lang = _lang(request)
    alternatives = None
    wanted = request.GET.get("alternatives", "")  # "<day>:<place>"
    if ":" in wanted:
        day_text, _sep, slug = wanted.partition(":")
        if day_text.isdigit() and len(slug) <= 120:
            try:
                options = services.trip_alternatives(trip=trip, day=int(day_text), place=slug)
                alternatives = {"day": int(day_text), "place": slug, "options": options}
            except TripError as exc:
                messages.error(request, str(exc))
    context = {
        **_trip_context(request, access, lang),
        "alternatives": alternatives,
        "addable": _candidates_to_add(trip, lang),
        "is_owner": request.user.is_authenticated and trip.owner_id == request.user.pk,
        "app_url": f"/app/#/trip/{trip.token}",
        "ics_url": f"/api/v1/trips/{trip.token}.ics",
        "gpx_url": f"/api/v1/trips/{trip.token}.gpx",
    }
    return render(request, "itinerary/trip.html", context)


def _changes(post: Any) -> ReplanIn:
    """The re-plan asked by one of the trip page's small forms. ValueError when malformed."""
    action = post.get("action", "")
    place = post.get("place", "")
    day_text = post.get("day", "")
    if action not in ACTIONS:
        raise ValueError(_("Unknown change."))
    if action in ("indoor", "replan"):
        return ReplanIn(indoor_only=action == "indoor")
    if not re.match(SLUG_PATTERN, place or "") or len(place) > 120:
        raise ValueError(_("Choose a place."))
    if action == "unlock":
        return ReplanIn(unlock=[place])
    if action == "remove":
        return ReplanIn(exclude=[place], unlock=[place])
    if action == "add" and not day_text:
        return ReplanIn(add_must_see=[place])
    if not day_text.isdigit() or not 1 <= int(day_text) <= 366:
        raise ValueError(_("Choose a day of the trip."))
    day = int(day_text)
    if action == "replace":
        instead = post.get("instead", "")
        if not re.match(SLUG_PATTERN, instead or "") or len(instead) > 120:
            raise ValueError(_("Choose a place."))
        return ReplanIn(exclude=[instead], unlock=[instead], locked=[LockedIn(place=place, day=day)])
    return ReplanIn(locked=[LockedIn(place=place, day=day)])  # lock, move, add on a day


@never_cache
@require_POST
@_with_trip
def change(request: HttpRequest, access: services.TripAccess) -> HttpResponse:
    """Apply one change (lock, unlock, remove, move to a day, add, replace, indoor only) and re-plan: the trip
    itself from its edit link, a new trip of the visitor's own from its share link (the shared one stays)."""
    trip = access.trip
    link = _link(trip, access.editable)
    try:
        changes = _changes(request.POST)
        trip_throttle(address=_address(request))
        planned = services.trip_replan(
            link, user=request.user, changes=changes, time_limit=TIME_LIMIT, answer_seconds=ANSWER_SECONDS
        )
    except (ValueError, TripError, TripRateLimited) as exc:
        message = exc.errors()[0]["msg"] if hasattr(exc, "errors") else str(exc)
        messages.error(request, message)
    else:
        if planned.pk == trip.pk:
            messages.success(request, _("Re-planned."))
        else:
            _remember(request, planned)
            link = planned.edit_token
            messages.success(request, _("Re-planned as your own copy; the shared trip stays as it was."))
    return HttpResponseRedirect(f"{reverse('trips:detail', kwargs={'token': link})}#days")


@never_cache
@require_safe
@_with_trip
def print_view(request: HttpRequest, access: services.TripAccess) -> HttpResponse:
    return render(request, "itinerary/print.html", _trip_context(request, access, _lang(request)))


@never_cache
@require_POST
@_with_trip
def save(request: HttpRequest, access: services.TripAccess) -> HttpResponse:
    """Keep a trip in the signed-in traveller's trips (anonymous: sign in first, then come back); only from
    its edit link (a share link's holder makes a copy by changing it)."""
    trip = access.trip
    here = reverse("trips:detail", kwargs={"token": _link(trip, access.editable)})
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={here}")
    if not access.editable:
        messages.error(request, _("Only the trip's edit link can save it; change the plan to make your own copy."))
    elif services.trip_claim(trip=trip, user=request.user):
        messages.success(request, _("Saved in your trips."))
    else:
        messages.error(request, _("This trip belongs to someone else; plan your own copy from it."))
    return redirect(here)


@never_cache
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in traveller's saved trips, and the trips planned in this browser."""
    saved = services.trips_of(user=request.user)
    saved_tokens = {t.edit_token for t in saved}
    tokens = [t for t in request.session.get(RECENT_KEY, []) if t not in saved_tokens]
    by_token = {t.edit_token: t for t in Trip.objects.filter(edit_token__in=tokens)}
    recent = [by_token[t] for t in tokens if t in by_token]
    return render(request, "itinerary/mine.html", {"saved": saved, "recent": recent})
