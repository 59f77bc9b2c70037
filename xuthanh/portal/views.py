"""Public pages: thin views over catalog.selectors. Query strings are parsed defensively: an unknown or
malformed value means "no filter", never an error page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from xuthanh.catalog import artwork, selectors
from xuthanh.catalog.cards import place_cards
from xuthanh.catalog.models import Event, Place, Specialty
from xuthanh.catalog.models.events import lunar_of
from xuthanh.core.qrcode import qr_svg
from xuthanh.orgs import permissions
from xuthanh.portal import calendar_grid, extensions, seo
from xuthanh.search import services as search

PAGE_SIZE = 24
COMING_UP = 6  # events listed first on the calendar page
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _text_param(request: HttpRequest, name: str, max_length: int) -> str:
    # NUL never means anything in a filter, and PostgreSQL text cannot hold it
    return request.GET.get(name, "").replace("\x00", "")[:max_length].strip()


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) <= 9 else None


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    highlights = selectors.top_places(kind=Place.Kind.ATTRACTION, limit=12, lang=get_language())
    app_url = settings.SITE_URL.rstrip("/") + reverse("mobile:shell")
    return render(
        request,
        "portal/home.html",
        {
            "highlights": highlights,
            "events": selectors.upcoming_events(today, limit=6),
            "today": today,
            "app_url": app_url,
            "app_qr": qr_svg(app_url),
        },
    )


@require_safe
def place_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    price = request.GET.get("price", "")
    filters = {
        "query": _text_param(request, "q", 100),
        "kind": kind if kind in Place.Kind.values else "",
        "tag": _text_param(request, "tag", 40),
        "commune_code": _int_param(request, "commune"),
        "former_district": _text_param(request, "district", 60),
        "price": price if price in (selectors.PRICE_FREE, selectors.PRICE_PAID) else "",
        "accessible": request.GET.get("accessible") == "1",
        "open_at": timezone.localtime() if request.GET.get("open") == "1" else None,
    }
    lang = get_language()
    page = _page_of_ids(filters, request.GET.get("page"))  # one page of ids, then its cards
    page.object_list = place_cards(list(page.object_list), lang, photos=True)
    options = selectors.place_filter_options(lang)
    return render(
        request,
        "portal/place_list.html",
        {
            "page": page,
            "filters": filters,
            "kinds": Place.Kind.choices,
            "tag_options": options.tags,
            "commune_options": options.communes,
            "district_options": options.former_districts,
            "filtered": any(value for value in filters.values()),
        },
    )


_SIMPLE_FILTERS = ("kind", "tag", "commune_code")


class _KnownPage:
    """The ids of a list as a Paginator reads them, from a page already read with the list's size."""

    def __init__(self, page: selectors.IdPage, start: int) -> None:
        self.page, self.start = page, start

    def __len__(self) -> int:
        return self.page.count

    def __getitem__(self, part: slice) -> list[int]:
        if part.start != self.start:
            raise IndexError(f"only the ids from {self.start} were read")
        return self.page.ids


def _page_of_ids(filters: dict[str, Any], number: Any) -> Page:
    """The page `number` of the places the filters list (an unknown or past-the-end number: as Paginator's
    get_page, the first or the last). Kind, interest and commune alone are one prepared query; words (the
    search index ranks, tolerating typos and missing spaces) and the other filters read every id first."""
    if not any(value for name, value in filters.items() if name not in _SIMPLE_FILTERS):
        try:
            wanted = min(max(1, int(number)), 1_000_000)  # a larger one is past the end of any list
        except (TypeError, ValueError):
            wanted = 1
        simple = {name: filters[name] for name in _SIMPLE_FILTERS}
        found = selectors.place_id_page(start=(wanted - 1) * PAGE_SIZE, size=PAGE_SIZE, **simple)
        if not found.ids and wanted > 1:  # past the end (or nothing listed): the last page, as get_page
            wanted = max(1, -(-found.count // PAGE_SIZE))
            found = selectors.place_id_page(start=(wanted - 1) * PAGE_SIZE, size=PAGE_SIZE, **simple)
        return Paginator(_KnownPage(found, (wanted - 1) * PAGE_SIZE), PAGE_SIZE).page(wanted)
    query = filters["query"]
    ranked = None
    if query:
        hits = search.search(query, kinds=["place"], limit=search.MAX_CANDIDATES).hits
        ranked = [hit.object_id for hit in hits]
    if ranked is not None and not any(value for name, value in filters.items() if name != "query"):
        ids: Any = ranked  # the index holds published places only: the ranking is the list
    else:
        places = selectors.place_browse(**{**filters, "query": ""}, ranked_ids=ranked)
        ids = places.values_list("pk", flat=True) if ranked is None else selectors.in_rank_order(places, ranked)
    return Paginator(ids, PAGE_SIZE).get_page(number)


def _visible_or_404(request: HttpRequest, qs: QuerySet, slug: str) -> Any:
    """The item with `slug`: published ones for everyone, drafts only for back-office members (preview)."""
    item = qs.filter(slug=slug).first()
    if item is None or not (item.is_published or permissions.can_view(request.user, qs.model)):
        raise Http404
    return item


def _place_or_404(request: HttpRequest, slug: str) -> Place:
    """The place page's place: published for everyone, drafts only for back-office members (preview)."""
    place = selectors.place_page(slug, get_language())
    if place is None or not (place.is_published or permissions.can_view(request.user, Place)):
        raise Http404
    return place


@require_safe
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = _place_or_404(request, slug)
    now = timezone.localtime()
    photos = list(place.photos.all())
    hours = place.hours()
    week = [now.date() + dt.timedelta(days=i) for i in range(7)]
    approx = place.approximate_radius_m
    return render(
        request,
        "portal/place_detail.html",
        {
            "place": place,
            "photos": photos,
            "art": artwork.place_art(place.category),
            "art_credit": artwork.CREDIT,
            "open_now": hours.is_open(now),
            "today_hours": hours.intervals_on(now.date()),
            "hours_known": place.always_open or bool(hours.rules),
            "week_hours": [(day, hours.intervals_on(day)) for day in week],
            "nearby": selectors.places_nearby(place, radius_km=10),
            "travel": selectors.travel_from_hubs(place),
            "jsonld": seo.place_jsonld(place, request=request, photos=photos),
            "og_image": seo.photo_url(request, photos[0]) if photos else "",
            "lat6": f"{place.lat:.6f}",
            "lon6": f"{place.lon:.6f}",
            "approx_m": approx,
            "approx_km": number_format(approx / 1000, 1) if approx else "",
            "sections": extensions.place_sections(request, place),
        },
    )


def _month(request: HttpRequest, today: dt.date) -> dt.date:
    match = _MONTH_RE.match(request.GET.get("month", ""))
    if match:
        year, month = int(match[1]), int(match[2])
        if 1900 <= year <= 2199 and 1 <= month <= 12:
            return dt.date(year, month, 1)
    return today.replace(day=1)


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    """Month view (a grid, ?month=YYYY-MM) and, below it, the same month as a list."""
    today = timezone.localdate()
    month = _month(request, today)
    grid = calendar_grid.month_grid(month, today=today)
    occurrences = selectors.event_occurrences(grid.first_day, grid.last_day)
    calendar_grid.place_events(grid, occurrences)
    month_items = [
        (start, end, event, lunar_of(start))
        for start, end, event in occurrences
        if end >= month and start <= grid.month_end
    ]
    # What is coming (the page opens on it, whatever the month shown), and where the next and the previous
    # months with events are when this one has none.
    coming = selectors.upcoming_events(today, limit=COMING_UP)  # as the home page (kept per day, language)
    next_month = previous_month = None
    if not month_items:
        previous_month, next_month = selectors.event_months_around(month, grid.month_end)
    return render(
        request,
        "portal/event_list.html",
        {
            "grid": grid,
            "events": month_items,
            "today": today,
            "month": month,
            "coming": coming,
            "next_month": next_month,
            "previous_month": previous_month,
        },
    )


@require_safe
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = _visible_or_404(
        request,
        Event.objects.select_related("commune", "place").prefetch_related(
            "translations", "tags", "photos__translations"
        ),
        slug,
    )
    today = timezone.localdate()
    span = event.next_occurrence(today)
    photos = list(event.photos.all())
    return render(
        request,
        "portal/event_detail.html",
        {
            "event": event,
            "span": span,
            "today": today,
            "art": artwork.event_art(),
            "art_credit": artwork.CREDIT,
            "lunar": lunar_of(span[0]) if span else "",
            "photos": photos,
            "jsonld": seo.event_jsonld(event, span, request=request, photos=photos),
            "og_image": seo.photo_url(request, photos[0]) if photos else "",
        },
    )


@require_safe
def specialty_list(request: HttpRequest) -> HttpResponse:
    specialties = selectors.published(Specialty).prefetch_related("translations").select_related("commune")
    return render(request, "portal/specialty_list.html", {"specialties": specialties})


@require_safe
def specialty_detail(request: HttpRequest, slug: str) -> HttpResponse:
    item = _visible_or_404(
        request,
        Specialty.objects.select_related("commune").prefetch_related(
            "translations", "places__translations", "photos__translations"
        ),
        slug,
    )
    photos = list(item.photos.all())
    return render(
        request,
        "portal/specialty_detail.html",
        {
            "item": item,
            "art": artwork.specialty_art(item.kind),
            "art_credit": artwork.CREDIT,
            "photos": photos,
            "places": [p for p in item.places.all() if p.is_published],
            "jsonld": seo.specialty_jsonld(item, request=request, photos=photos),
            "og_image": seo.photo_url(request, photos[0]) if photos else "",
        },
    )


@require_safe
def place_map(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in Place.Kind.values else ""
    return render(
        request,
        "portal/map.html",
        {"points": selectors.map_points(kind=kind), "kind": kind, "kinds": Place.Kind.choices},
    )


@require_safe
def map_points_json(request: HttpRequest) -> JsonResponse:
    """Compact points for the map page's script, in the page's language."""
    kind = request.GET.get("kind", "")
    points = selectors.map_points(kind=kind if kind in Place.Kind.values else "")
    response = JsonResponse(
        {"count": len(points), "places": points}, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/about.html", {"bodies": selectors.public_bodies()})


# Short codes people type or guess for a language, to the platform's prefix (when that language is on).
LANGUAGE_ALIASES = {
    "zh": ("zh-hans",), "cn": ("zh-hans",), "zh-cn": ("zh-hans",), "zh-sg": ("zh-hans",),
    "tw": ("zh-hant", "zh-hans"), "zh-tw": ("zh-hant", "zh-hans"), "zh-hk": ("zh-hant", "zh-hans"),
    "jp": ("ja",), "kr": ("ko",), "vn": ("vi",), "en-us": ("en",), "en-gb": ("en",), "fr-fr": ("fr",),
}


def language_alias(request: HttpRequest, alias: str, rest: str = "") -> HttpResponse:
    """/zh/places/… → /zh-hans/places/…: the first language of the alias that is switched on; 404 else."""
    enabled = {code for code, _name in settings.LANGUAGES}
    target = next((code for code in LANGUAGE_ALIASES.get(alias.lower(), ()) if code in enabled), None)
    if target is None:
        raise Http404
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"/{target}/{rest}" + (f"?{query}" if query else ""))
