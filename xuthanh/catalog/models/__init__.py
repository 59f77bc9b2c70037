"""Catalogue models, one module per domain: places, events, products (specialties, tours), media."""

from xuthanh.catalog.models.base import Tag, TranslatedContent
from xuthanh.catalog.models.events import Event
from xuthanh.catalog.models.media import Photo
from xuthanh.catalog.models.places import ClosureDate, OpeningRule, Place, TicketPrice
from xuthanh.catalog.models.products import Specialty, Tour, TourStop

__all__ = [
    "ClosureDate",
    "Event",
    "OpeningRule",
    "Photo",
    "Place",
    "Specialty",
    "Tag",
    "TicketPrice",
    "Tour",
    "TourStop",
    "TranslatedContent",
]
