"""Public pages: thin views over catalog.selectors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Place, Specialty
from xuthanh.catalog.models.events import lunar_of
from xuthanh.orgs import permissions


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    highlights = selectors.place_search(kind=Place.Kind.ATTRACTION).prefetch_related("tags")[:12]
    return render(
        request,
        "portal/home.html",
        {"highlights": highlights, "events": selectors.upcoming_events(today, limit=6), "today": today},
    )


def place_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    kind = request.GET.get("kind", "")
    if kind not in Place.Kind.values:
        kind = ""
    tag = request.GET.get("tag", "")[:40]
    page = Paginator(selectors.place_search(query=query, kind=kind, tag=tag), 24).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/place_list.html",
        {"page": page, "query": query, "kind": kind, "kinds": Place.Kind.choices},
    )


def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = (
        Place.objects.select_related("commune")
        .prefetch_related("translations", "tags", "tickets", "opening_rules", "closure_dates", "photos")
        .filter(slug=slug)
        .first()
    )
    if place is None or not (place.is_published or permissions.can_view(request.user, Place)):
        raise Http404
    now = timezone.localtime()
    return render(
        request,
        "portal/place_detail.html",
        {
            "place": place,
            "open_now": place.is_open_at(now),
            "today_hours": place.hours().intervals_on(now.date()),
        },
    )


def event_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    events = [
        (start, end, event, lunar_of(start)) for start, end, event in selectors.upcoming_events(today, 200)
    ]
    return render(request, "portal/event_list.html", {"events": events, "today": today})


def specialty_list(request: HttpRequest) -> HttpResponse:
    specialties = selectors.published(Specialty).prefetch_related("translations").select_related("commune")
    return render(request, "portal/specialty_list.html", {"specialties": specialties})
