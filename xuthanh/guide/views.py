"""Public pages of the audio guide: the list of guided tours, a tour's page (its map of stops and a player per
stop, with captions and the transcript) and the narration section of a place's page. Thin: selectors read,
templates show."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from xuthanh.guide import selectors


def _lang() -> str:
    return get_language() or "vi"


@require_safe
def tour_list(request: HttpRequest) -> HttpResponse:
    return render(request, "guide/tour_list.html", {"tours": list(selectors.tours_published())})


@require_safe
def tour_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tour = selectors.tour_published(slug)
    if tour is None:
        raise Http404
    lang = _lang()
    stops = [(stop, selectors.narrated(stop, lang)) for stop in tour.stops.all()]
    points = [
        {"n": s.number, "name": s.safe_translation_getter("name", any_language=True), "lat": s.lat, "lon": s.lon,
         "r": s.radius_m, "approx": None if s.auto_play else max(s.location_uncertainty_m or 0, s.radius_m)}
        for s, _n in stops
    ]
    return render(request, "guide/tour_detail.html", {
        "tour": tour, "stops": stops, "points": points, "machine": any(n and n.machine for _s, n in stops),
        "package_bytes": selectors.tour_package_bytes(tour, lang),
    })


def place_section(request: HttpRequest, place: Any) -> str | None:
    """The place page's "Listen" section (portal.extensions): its narration and its guided tours."""
    narration = selectors.place_narration(place.pk)
    found = selectors.narrated(narration, _lang()) if narration else None
    tours = [t for t in selectors.tours_published() if t.place_id == place.pk]
    if found is None and not tours:
        return None
    return render_to_string("guide/place_section.html", {"narration": found, "place": place, "tours": tours},
                            request=request)
