"""Feeds for partner websites and apps: places as GeoJSON, events as iCalendar, news as RSS and Atom.
Thin views: parse the parameters, select, answer conditionally, shape the result in the requested language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation

from xuthanh.areas.models import Commune
from xuthanh.catalog import selectors
from xuthanh.catalog.cards import CardPhoto, first_photos
from xuthanh.catalog.models import Event, Place
from xuthanh.core.languages import served_language, translated
from xuthanh.feeds.ical import events_calendar
from xuthanh.feeds.news_feeds import NewsAtom, NewsQuery, NewsRss
from xuthanh.feeds.params import Filters, parse
from xuthanh.feeds.responses import absolute, conditional, public_read
from xuthanh.news.selectors import published_articles

# ---- places ----------------------------------------------------------------------------------------------


def place_feature(place: Place, lang: str, photo: CardPhoto | None = None) -> dict:
    """One GeoJSON Feature (coordinates are longitude, latitude), with the place's first photo and its credit
    when it has one. Call inside translation.override(lang)."""
    return {
        "type": "Feature",
        "id": place.slug,
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        "properties": {
            "slug": place.slug,
            "name": translated(place, "name", lang),
            "kind": place.kind,
            "category": place.category,
            "url": absolute(place.get_absolute_url()),
            "lang": served_language(place, lang),
            "is_sample": place.is_sample,  # invented for demonstrations: not a real business
            "photo": (
                {"url": absolute(photo.url), "author": photo.author, "licence": photo.licence} if photo else None
            ),
        },
    }


@public_read
def places_geojson(request: HttpRequest) -> HttpResponse:
    filters = parse(request, kinds=Place.Kind.values, categories=Place.Category.values, former_district=True)
    qs = selectors.place_search(
        kind=filters.kind,
        category=filters.category,
        tag=filters.tag,
        commune_code=filters.commune,
        former_district=filters.former_district,
    ).order_by("slug")

    def render() -> HttpResponse:
        places = list(qs)
        photos = first_photos([p.pk for p in places])
        with translation.override(filters.lang):
            features = [place_feature(place, filters.lang, photos.get(place.pk)) for place in places]
        return JsonResponse(
            {"type": "FeatureCollection", "features": features},
            content_type="application/geo+json",
            json_dumps_params={"ensure_ascii": False},
        )

    return conditional(request, qs, filters, render)


# ---- events ----------------------------------------------------------------------------------------------


def published_events(filters: Filters):  # noqa: ANN201 - QuerySet
    qs = (
        selectors.published(Event)
        .select_related("commune", "place")
        .prefetch_related("translations", "place__translations")
        .order_by("slug")
    )
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    if filters.tag:
        qs = qs.filter(tags__slug=filters.tag)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs


@public_read
def events_ics(request: HttpRequest) -> HttpResponse:
    """Occurrences of this year and the next, all-day."""
    filters = parse(request, kinds=Event.Kind.values)
    qs = published_events(filters)
    year = timezone.localdate().year

    def render() -> HttpResponse:
        with translation.override(filters.lang):
            body = events_calendar(qs, years=(year, year + 1), lang=filters.lang)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="xuthanh-events.ics"'
        return response

    return conditional(request, qs, filters, render, year)


# ---- news ------------------------------------------------------------------------------------------------

_rss, _atom = NewsRss(), NewsAtom()


def _news(request: HttpRequest, feed: NewsRss) -> HttpResponse:
    filters = parse(request)
    qs = published_articles(lang=filters.lang, commune_code=filters.commune)
    commune = Commune.objects.get(code=filters.commune) if filters.commune else None
    query = NewsQuery(filters.lang, commune, qs, absolute(request.get_full_path()))

    def render() -> HttpResponse:
        with translation.override(filters.lang):
            return feed(request, query=query)

    return conditional(request, qs, filters, render, type(feed).__name__)


@public_read
def news_rss(request: HttpRequest) -> HttpResponse:
    return _news(request, _rss)


@public_read
def news_atom(request: HttpRequest) -> HttpResponse:
    return _news(request, _atom)
