"""/sitemap.xml: the portal's lists and every published place, event and specialty, in every language with
hreflang alternates, on the public address (settings.SITE_URL)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Event, Place, Specialty


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    @property
    def protocol(self) -> str:  # type: ignore[override]
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:  # noqa: ANN001 - Django's signature
        return urlsplit(settings.SITE_URL).netloc


class PageSitemap(PortalSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "portal:home",
            "portal:place_list",
            "portal:place_map",
            "portal:event_list",
            "portal:specialty_list",
            "portal:about",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class PlaceSitemap(PortalSitemap):
    changefreq = "weekly"

    def items(self):  # noqa: ANN201 - a queryset
        return selectors.published(Place).order_by("slug")

    def lastmod(self, item: Place):  # noqa: ANN201
        return item.updated_at


class EventSitemap(PortalSitemap):
    changefreq = "monthly"

    def items(self):  # noqa: ANN201
        return selectors.published(Event).order_by("slug")

    def location(self, item: Event) -> str:
        return reverse("portal:event_detail", args=[item.slug])

    def lastmod(self, item: Event):  # noqa: ANN201
        return item.updated_at


class SpecialtySitemap(PortalSitemap):
    changefreq = "monthly"

    def items(self):  # noqa: ANN201
        return selectors.published(Specialty).order_by("slug")

    def location(self, item: Specialty) -> str:
        return reverse("portal:specialty_detail", args=[item.slug])

    def lastmod(self, item: Specialty):  # noqa: ANN201
        return item.updated_at


SITEMAPS = {
    "pages": PageSitemap,
    "places": PlaceSitemap,
    "events": EventSitemap,
    "specialties": SpecialtySitemap,
}
