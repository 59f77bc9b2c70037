"""Search-engine and link-preview metadata: absolute URLs, the language alternates of a page, OpenGraph
locales and schema.org JSON-LD for detail pages (always escaped for a <script> element)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import get_language, to_locale

from xuthanh.catalog.models import Event, Photo, Place, Specialty
from xuthanh.core.hours import Hours, format_hours, format_minutes, normalise

# Query parameters that make a different page (kept in canonical and alternate URLs); filters are not.
CANONICAL_PARAMS = ("month", "page")
OG_LOCALES = {"vi": "vi_VN", "en": "en_US", "zh-hans": "zh_CN", "zh-hant": "zh_TW", "fr": "fr_FR"}

PLACE_TYPES = {
    Place.Kind.ATTRACTION: "TouristAttraction",
    Place.Kind.ACCOMMODATION: "LodgingBusiness",
    Place.Kind.FOOD: "FoodEstablishment",
    Place.Kind.SHOPPING: "Store",
    Place.Kind.TRANSPORT: "Place",
    Place.Kind.SERVICE: "LocalBusiness",
}
CATEGORY_TYPES = {
    "airport": "Airport",
    "railway_station": "TrainStation",
    "bus_station": "BusStation",
    "tourist_info": "TouristInformationCenter",
    "travel_agency": "TravelAgency",
}
_LANG_PREFIX = re.compile(r"^/([a-z]{2,3}(?:-[a-z]{2,4})?)/")
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    """`path` on the public site address (settings.SITE_URL), not on whatever Host the request claimed."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def og_locale(lang: str | None = None) -> str:
    lang = lang or get_language() or settings.LANGUAGE_CODE
    return OG_LOCALES.get(lang, to_locale(lang))


def _page_query(request: HttpRequest) -> str:
    kept = [(key, request.GET[key][:20]) for key in CANONICAL_PARAMS if request.GET.get(key)]
    return "?" + urlencode(kept) if kept else ""


def canonical_url(request: HttpRequest) -> str:
    return absolute(request.path + _page_query(request))


def path_in_language(path: str, code: str) -> str:
    """`path` with its language prefix replaced by `code` ("/vi/places/x/" → "/en/places/x/"); a path
    without a language prefix is returned as it is. The portal's URL patterns are the same in every
    language (no translated patterns), so swapping the prefix is what django.urls.translate_url would
    return, without resolving and reversing the path once per language."""
    match = _LANG_PREFIX.match(path)
    if match is None or all(match[1] != code for code, _name in settings.LANGUAGES):
        return path
    return f"/{code}/{path[match.end():]}"


def alternates(request: HttpRequest) -> list[dict[str, str]]:
    """The page in every configured language: code, name, absolute URL (for hreflang) and the same page
    with the visitor's full query string (for the language switcher)."""
    query = request.GET.urlencode()
    current = get_language()
    page_query = _page_query(request)
    items = []
    for code, name in settings.LANGUAGES:
        path = path_in_language(request.path, code)
        items.append(
            {
                "code": code,
                "name": name,
                "url": absolute(path + page_query),
                "href": path + ("?" + query if query else ""),
                "current": code == current,
                "og_locale": og_locale(code),
            }
        )
    return items


def x_default_url(request: HttpRequest) -> str:
    """The page without a language prefix: LocaleMiddleware redirects it to the visitor's language (the
    same x-default that django.contrib.sitemaps writes in /sitemap.xml)."""
    path = path_in_language(request.path, settings.LANGUAGE_CODE)
    return absolute(path.replace(f"/{settings.LANGUAGE_CODE}/", "/", 1) + _page_query(request))


def photo_url(request: HttpRequest | None, photo: Photo) -> str:
    return absolute(photo.image.url)


def jsonld_script(data: dict[str, Any]) -> SafeString:
    """A <script type="application/ld+json"> element; <, > and & are escaped so the text cannot end the
    element or open a comment whatever the content says."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))


def _geo(lat: float, lon: float) -> dict[str, Any]:
    return {"@type": "GeoCoordinates", "latitude": round(lat, 6), "longitude": round(lon, 6)}


def _address(street: str, commune: Any) -> dict[str, Any]:
    address = {"@type": "PostalAddress", "addressRegion": "Thanh Hóa", "addressCountry": "VN"}
    if street:
        address["streetAddress"] = street
    if commune is not None:
        address["addressLocality"] = commune.name
    return address


def opening_hours(place: Place) -> list[str]:
    """schema.org `openingHours` strings ("Mo-Fr 07:00-17:00"); seasonal rules cannot be said in that form
    and are left out (the page shows the full OpenStreetMap text)."""
    hours = place.hours()
    if hours.always_open:
        return ["Mo-Su"]
    texts = []
    for rule in normalise(hours.rules):
        if rule.season is None and rule.intervals:
            days = format_hours(Hours(rules=(rule,))).split(" ")[0]  # the weekday part, e.g. Mo-Fr
            texts.extend(f"{days} {format_minutes(s)}-{format_minutes(e)}" for s, e in rule.intervals)
    return texts


def _images(photos: list[Photo]) -> list[str]:
    return [photo_url(None, photo) for photo in photos]


def place_jsonld(place: Place, *, request: HttpRequest, photos: list[Photo]) -> SafeString:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": CATEGORY_TYPES.get(place.category, PLACE_TYPES.get(place.kind, "Place")),
        "name": place.name,
        "description": place.summary or place.description[:300],
        "url": absolute(place.get_absolute_url()),
        "geo": _geo(place.lat, place.lon),
        "address": _address(place.address, place.commune),
    }
    hours = opening_hours(place)
    if hours:
        data["openingHours"] = hours
    if photos:
        data["image"] = _images(photos)
    if place.phone:
        data["telephone"] = place.phone
    if place.website:
        data["sameAs"] = place.website
    if place.stars:
        data["starRating"] = {"@type": "Rating", "ratingValue": place.stars}
    tickets = list(place.tickets.all())
    if tickets:
        data["isAccessibleForFree"] = not any(t.price_vnd > 0 for t in tickets)
    if place.tags.all():
        data["keywords"] = ", ".join(str(tag) for tag in place.tags.all())
    return jsonld_script(data)


def event_jsonld(
    event: Event, span: tuple[dt.date, dt.date] | None, *, request: HttpRequest, photos: list[Photo]
) -> SafeString:
    from django.urls import reverse

    location: dict[str, Any] = {
        "@type": "Place",
        "name": event.place.name if event.place_id else event.commune.name,
        "address": _address(event.place.address if event.place_id else "", event.commune),
    }
    if event.location:
        location["geo"] = _geo(*event.location)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Festival" if event.kind == Event.Kind.FESTIVAL else "Event",
        "name": event.name,
        "description": event.summary or event.description[:300],
        "url": absolute(reverse("portal:event_detail", args=[event.slug])),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": location,
    }
    if span:
        data["startDate"], data["endDate"] = span[0].isoformat(), span[1].isoformat()
    if event.managed_by_id:
        data["organizer"] = {"@type": "Organization", "name": event.managed_by.name}
    if photos:
        data["image"] = _images(photos)
    return jsonld_script(data)


def specialty_jsonld(item: Specialty, *, request: HttpRequest, photos: list[Photo]) -> SafeString:
    from django.urls import reverse

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": item.name,
        "description": item.summary or item.description[:300],
        "url": absolute(reverse("portal:specialty_detail", args=[item.slug])),
        "category": str(item.get_kind_display()),
        "countryOfOrigin": {"@type": "Country", "name": "VN"},
    }
    origin = item.safe_translation_getter("origin", default="")
    if origin or item.commune_id:
        data["additionalProperty"] = {
            "@type": "PropertyValue",
            "name": "origin",
            "value": origin or item.commune.name,
        }
    if photos:
        data["image"] = _images(photos)
    return jsonld_script(data)
