"""The kiosk screen (/kiosk/<lang>/<location>/…): big, touchable, in any configured language at every
moment; what a traveller at that spot needs (near here, today and this week, onward travel, search, help);
links out of the kiosk are QR codes for the phone, never navigation. Thin: selectors read, templates show;
kiosk.js adds the idle reset, the attract loop, the on-screen keyboard and the heartbeat; sw.js keeps the
pages for network cuts."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from xuthanh.catalog import selectors as catalog
from xuthanh.core import csp
from xuthanh.core.languages import LANG_CODES
from xuthanh.core.qrcode import qr_svg
from xuthanh.kiosks import selectors
from xuthanh.kiosks.models import Location

SECTIONS = ("home", "near", "events", "onward", "search", "help")


def qr(url: str) -> SafeString:
    return mark_safe(qr_svg(url))  # noqa: S308 - segno's SVG of our own URL


def site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def kiosk_page(view: Callable[..., dict[str, Any]]) -> Callable[..., HttpResponse]:
    """A kiosk section: the language of the URL, the location, and the template of the same name."""

    @require_safe
    @wraps(view)
    def page(request: HttpRequest, lang: str, location: str, **kwargs: Any) -> HttpResponse:
        if lang not in LANG_CODES:
            raise Http404
        with translation.override(lang):  # objects read inside take the page's language (parler)
            found = selectors.location_shown(location)
            if found is None:
                raise Http404
            context = view(request, found, lang, **kwargs)
            name = context.pop("template", view.__name__)
            url_name = context.pop("url_name", name)  # the same page in another language
            languages = [(code, label, reverse(f"kiosks:{url_name}", kwargs={
                "lang": code, "location": found.slug, **kwargs})) for code, label in settings.LANGUAGES]
            response = render(request, f"kiosks/{name}.html", {
                "location": found, "lang": lang, "languages": languages, "section": name,
                "home": reverse("kiosks:home", kwargs={"lang": lang, "location": found.slug}),
                "sections": {s: reverse(f"kiosks:{s}", kwargs={"lang": lang, "location": found.slug})
                             for s in SECTIONS}, **context})
        if request.GET:  # a visitor's search: kept by no cache, on the machine or between
            response["Cache-Control"] = "no-store"
        inline = getattr(request, "_xt_inline_script", None)
        return csp.allow_inline_script(response, inline, fetch_media=True) if inline else response

    return page


@kiosk_page
def home(request: HttpRequest, location: Location, lang: str) -> dict[str, Any]:
    today = timezone.localdate()
    now, week = selectors.on_now(today)
    return {"loop_places": catalog.top_places(kind="attraction", limit=8, lang=lang), "loop_events": (now + week)[:6],
            "features": selectors.features(today, lang)}


@kiosk_page
def near(request: HttpRequest, location: Location, lang: str, kind: str = "") -> dict[str, Any]:
    """Near here, all kinds or one (sights, food, where to stay, shopping): a path, not a query, so that the
    kiosk keeps each list for network cuts."""
    from xuthanh.catalog.models import Place

    if kind and kind not in selectors.NEAR_KINDS:
        raise Http404
    places = selectors.near(location, lang, kind=kind)
    here = location.point
    points = [{"n": i, "name": card.name, "lat": card.lat, "lon": card.lon} for i, (card, _km) in enumerate(places, 1)]
    kinds = [("", _("Everything"), reverse("kiosks:near", kwargs={"lang": lang, "location": location.slug}))] + [
        (k, Place.Kind(k).label,
         reverse("kiosks:near_kind", kwargs={"lang": lang, "location": location.slug, "kind": k}))
        for k in selectors.NEAR_KINDS]
    return {"template": "near", "url_name": "near_kind" if kind else "near", "places": places, "kind": kind,
            "kinds": kinds,
            "points": {"here": {"lat": here[0], "lon": here[1]}, "places": points}}


@kiosk_page
def events(request: HttpRequest, location: Location, lang: str) -> dict[str, Any]:
    today, week = selectors.on_now(timezone.localdate())
    return {"today": today, "week": week}


@kiosk_page
def onward(request: HttpRequest, location: Location, lang: str) -> dict[str, Any]:
    return {"estimates": selectors.onward(location, lang)}


@kiosk_page
def search(request: HttpRequest, location: Location, lang: str) -> dict[str, Any]:
    from xuthanh.search import services as search_services

    query = (request.GET.get("q") or "").strip()[:100]
    hits = search_services.search(query, kinds=["place", "event", "specialty"], limit=12).hits if query else []
    return {"query": query, "hits": search_services.hit_texts(hits, lang)}


@kiosk_page
def place(request: HttpRequest, location: Location, lang: str, slug: str) -> dict[str, Any]:
    found = catalog.place_page(slug, lang)
    if found is None or not found.is_published:  # a kiosk is public: drafts never show
        raise Http404
    from xuthanh.core.geo import haversine_km
    from xuthanh.guide import selectors as guide_selectors

    here = location.point
    tours = [t for t in guide_selectors.tours_published().filter(place_id=found.pk)
             if guide_selectors.scenes_summary(t.pk)[0]]
    now = timezone.localtime()
    hours = found.hours()
    return {
        "place": found, "km": haversine_km(here[0], here[1], found.lat, found.lon), "tours_360": tours,
        "open_now": hours.is_open(now), "today_hours": hours.intervals_on(now.date()),
        "hours_known": found.always_open or bool(hours.rules), "tickets": list(found.tickets.all()),
        "app_qr": qr(site(f"/app/#/place/{found.slug}")),
        "web_qr": qr(found.website) if found.website else None,
    }


@kiosk_page
def tour_360(request: HttpRequest, location: Location, lang: str, tour: str) -> dict[str, Any]:
    """A tour's 360° scenes full screen on the kiosk (the portal's viewer, guide/pano.js), no way out."""
    from xuthanh.guide import selectors as guide_selectors
    from xuthanh.guide import views as guide_views

    found = guide_selectors.tour_scenes(tour)
    if found is None or not found[1]:
        raise Http404
    guided, scenes = found
    nodes = guide_selectors.scene_nodes(scenes, lang, url=lambda u: u)
    start = next((n for n in nodes if n["slug"] == request.GET.get("scene")), nodes[0])
    importmap = guide_views.viewer_importmap()
    request._xt_inline_script = str(importmap)  # admitted by its hash (kiosk_page sets the policy)
    return {"template": "tour_360", "tour": guided, "nodes": nodes, "start": start, "importmap": importmap,
            "viewer": guide_views.viewer_data(nodes, start["slug"])}


@kiosk_page
def help(request: HttpRequest, location: Location, lang: str) -> dict[str, Any]:  # noqa: A001 - the section's name
    return {}


def start(request: HttpRequest) -> HttpResponse:
    """/kiosk/: the enrolment screen of a new machine; an enrolled one goes straight to its location."""
    return render(request, "kiosks/start.html", {"locations": Location.objects.order_by("slug")})


def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(render_to_string("kiosks/sw.js", {"static": settings.STATIC_URL}),
                            content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
