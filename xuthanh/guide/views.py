"""Public pages of the audio guide: the list of guided tours, a tour's page (its map of stops and a player per
stop, with captions and the transcript), a tour's 360° view (the panorama viewer over a page that already
shows every scene flat, with its notes, ways and narration) and the narration section of a place's page.
Thin: selectors read, templates show."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from xuthanh.core import csp
from xuthanh.guide import selectors

VIEWER_MODULES = {
    "three": "vendor/three/three.module.min.js",
    "@photo-sphere-viewer/core": "vendor/psv/core/index.module.js",
    "@photo-sphere-viewer/markers-plugin": "vendor/psv/markers-plugin/index.module.js",
    "@photo-sphere-viewer/virtual-tour-plugin": "vendor/psv/virtual-tour-plugin/index.module.js",
    "@photo-sphere-viewer/gyroscope-plugin": "vendor/psv/gyroscope-plugin/index.module.js",
}
VIEWER_STYLES = ["vendor/psv/core/index.css", "vendor/psv/markers-plugin/index.css",
                 "vendor/psv/virtual-tour-plugin/index.css", "guide/pano.css"]
# Every file the viewer loads (three.module imports three.core by a relative path): what a phone keeps to
# show a downloaded tour's scenes offline.
VIEWER_FILES = [*VIEWER_MODULES.values(), "vendor/three/three.core.min.js", "guide/tour-viewer.js", *VIEWER_STYLES]


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
        "has_360": selectors.scenes_summary(tour.pk)[0] > 0,
    })


def viewer_importmap(url: Callable[[str], str] = static) -> SafeString:
    """The import map naming the viewer's ES modules (the packages import each other by name): JSON of our
    static URLs only (made by `url`: hashed for the portal, plain for the app, which keeps them offline),
    `<` escaped; the page's policy admits it by its hash (core.csp.allow_inline_script). A package missing
    from the collected files (npm not run) is left out: the pages then stay flat instead of failing."""
    imports = {}
    for name, path in VIEWER_MODULES.items():
        try:
            imports[name] = url(path)
        except ValueError:  # not in the static files manifest
            continue
    text = json.dumps({"imports": imports})
    return mark_safe(text.replace("<", "\\u003c"))  # noqa: S308 - our static URLs, `<` escaped


def viewer_labels() -> dict[str, str]:
    """The viewer's button names and messages in the page's language (PhotoSphereViewer's `lang`)."""
    return {
        "zoom": _("Zoom"), "zoomOut": _("Zoom out"), "zoomIn": _("Zoom in"), "moveUp": _("Look up"),
        "moveDown": _("Look down"), "moveLeft": _("Look left"), "moveRight": _("Look right"),
        "fullscreen": _("Full screen"), "gyroscope": _("Turn the phone to look around"),
        "loadError": _("The panorama could not be loaded."), "twoFingers": _("Use two fingers to move the view"),
        "ctrlZoom": _("Use Ctrl and scroll to zoom"), "menu": _("Menu"), "close": _("Close"),
        "sample": _("Sample picture, not a photograph"), "goTo": _("Go to"),
    }


def viewer_data(nodes: list[dict[str, Any]], start: str) -> dict[str, Any]:
    """What tour-viewer.js reads from a page's JSON block: the scenes (their narration is a player in the
    page, not data), the scene to open, and the viewer's labels in the page's language."""
    return {"nodes": [{**n, "narration": None} for n in nodes], "start": start, "labels": viewer_labels()}


@require_safe
def tour_360(request: HttpRequest, slug: str) -> HttpResponse:
    found = selectors.tour_scenes(slug)
    if found is None or not found[1]:
        raise Http404
    tour, scenes = found
    nodes = selectors.scene_nodes(scenes, _lang(), url=lambda u: u)
    start = next((n for n in nodes if n["slug"] == request.GET.get("scene")), nodes[0])
    points = [
        {"n": i, "name": n["title"], "lat": n["lat"], "lon": n["lon"], "r": 15, "href": f"?scene={n['slug']}"}
        for i, n in enumerate(nodes, 1) if n["lat"] is not None
    ]
    importmap = viewer_importmap()
    response = render(request, "guide/tour_360.html", {
        "tour": tour, "nodes": nodes, "start": start, "points": points, "importmap": importmap,
        "viewer": viewer_data(nodes, start["slug"]),
        "sample": any(n["sample"] for n in nodes),
    })
    return csp.allow_inline_script(response, str(importmap), fetch_media=True)


def place_section(request: HttpRequest, place: Any) -> str | None:
    """The place page's "Listen" section (portal.extensions): its narration and its guided tours."""
    found, tours = selectors.place_listen(place.pk, _lang())
    if found is None and not tours:
        return None
    return render_to_string("guide/place_section.html", {"narration": found, "place": place, "tours": tours},
                            request=request)
