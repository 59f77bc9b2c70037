"""Embeddable widgets: small self-contained HTML pages for a partner's iframe (upcoming festivals, places),
the loader script partners paste, and a page showing them the snippet."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.clickjacking import xframe_options_exempt

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Event, Place
from xuthanh.core.languages import LANG_CODES, served_language, translated
from xuthanh.feeds.params import Filters, parse
from xuthanh.feeds.responses import absolute, conditional, public_read
from xuthanh.feeds.views import published_events

WIDGET_LIMIT = (5, 20)  # default, maximum
# No scripts, no requests elsewhere; any site may frame it.
WIDGET_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors *"
)


def _widget_response(template: str, context: dict, filters: Filters) -> HttpResponse:
    with translation.override(filters.lang):
        body = render_to_string(template, {**context, "lang": filters.lang, "site_url": settings.SITE_URL})
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = WIDGET_CSP
    return response


@xframe_options_exempt
@public_read
def events_widget(request: HttpRequest) -> HttpResponse:
    filters = parse(request, kinds=Event.Kind.values, limit=WIDGET_LIMIT)
    qs = published_events(filters)
    today = timezone.localdate()

    def render_widget() -> HttpResponse:
        with translation.override(filters.lang):
            items = [
                {
                    "start": start,
                    "end": end,
                    "name": translated(event, "name", filters.lang),
                    "lang": served_language(event, filters.lang),
                    "lunar": event.lunar_label(),
                    "where": event.commune.name,
                    "url": absolute(reverse("portal:event_detail", args=[event.slug])),
                }
                for start, end, event in selectors.upcoming_events(today, filters.limit, qs=qs)
            ]
            more = absolute(reverse("portal:event_list"))
        return _widget_response("feeds/events_widget.html", {"items": items, "more": more}, filters)

    return conditional(request, qs, filters, render_widget, today)


@xframe_options_exempt
@public_read
def places_widget(request: HttpRequest) -> HttpResponse:
    filters = parse(request, kinds=Place.Kind.values, categories=Place.Category.values, limit=WIDGET_LIMIT)
    qs = selectors.place_search(
        kind=filters.kind, category=filters.category, tag=filters.tag, commune_code=filters.commune
    ).order_by("-popularity", "slug")

    def render_widget() -> HttpResponse:
        with translation.override(filters.lang):
            items = [
                {
                    "name": translated(place, "name", filters.lang),
                    "lang": served_language(place, filters.lang),
                    "category": place.get_category_display(),
                    "where": place.commune.name,
                    "url": absolute(place.get_absolute_url()),
                }
                for place in qs[: filters.limit]
            ]
            more = absolute(reverse("portal:place_list"))
        return _widget_response("feeds/places_widget.html", {"items": items, "more": more}, filters)

    return conditional(request, qs, filters, render_widget)


@public_read
def embed_js(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(render_to_string("feeds/embed.js"), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@public_read
def widget_help(request: HttpRequest) -> HttpResponse:
    """For partners: the snippet to copy and what each attribute does."""
    filters = parse(request)
    with translation.override(filters.lang):
        return render(
            request,
            "feeds/widget_help.html",
            {
                "lang": filters.lang,
                "languages": LANG_CODES,
                "embed_url": absolute(reverse("feeds:embed_js")),
                "event_kinds": Event.Kind.choices,
                "place_kinds": Place.Kind.choices,
                "feeds": [
                    absolute(reverse(f"feeds:{name}"))
                    for name in ("places_geojson", "events_ics", "news_rss", "news_atom")
                ],
            },
        )
