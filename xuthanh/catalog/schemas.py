"""What the catalogue's endpoints answer: places, events, specialties and tours (also the OpenAPI
documentation)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from xuthanh.api.schemas import Out


class CommuneOut(Out):
    code: int = Field(description="Official code of the commune/ward (since 1 July 2025)")
    name: str
    former_districts: str


class TicketOut(Out):
    audience: str
    label: str
    price_vnd: int


class PhotoOut(Out):
    url: str
    small_url: str | None
    author: str
    licence: str
    caption: str
    alt_text: str


class FirstPhotoOut(Out):
    url: str = Field(description="Its reduced copy (at most 960 px), or the original while the copy is made")
    width: int
    height: int
    author: str
    licence: str


class PlaceOut(Out):
    slug: str
    kind: str
    category: str
    name: str
    summary: str
    lang: str = Field(description="Language of the texts returned (after fallback)")
    commune: CommuneOut
    former_district: str
    address: str
    lat: float
    lon: float
    location_verified: bool
    location_uncertainty_m: int | None = Field(
        None, description="Radius in metres within which the place lies (null: not known)"
    )
    location_precise: bool = Field(
        description="Checked against a source and within 500 m: maps may show a pin; otherwise show an area"
    )
    visit_minutes: int
    popularity: int
    tags: list[str]
    opening_hours: str = Field(description="OpenStreetMap opening_hours syntax")
    open_now: bool
    is_sample: bool
    url: str
    updated_at: dt.datetime
    distance_km: float | None = None
    photo: FirstPhotoOut | None = Field(None, description="The place's first photo, with its credit (none yet: null)")


class PlaceDetailOut(PlaceOut):
    description: str
    accessibility: str
    tickets: list[TicketOut]
    phone: str
    email: str
    website: str
    stars: int | None
    rooms: int | None
    photos: list[PhotoOut]
    translations: dict[str, str] = Field(description="Status per language: reviewed, machine or missing")


class OccurrenceOut(Out):
    start: dt.date
    end: dt.date


class EventOut(Out):
    slug: str
    kind: str
    name: str
    summary: str
    lang: str
    recurrence: str
    lunar_month: int | None
    lunar_day: int | None
    next: OccurrenceOut | None
    place: str | None = Field(description="Slug of the place, if any")
    commune: CommuneOut
    lat: float | None
    lon: float | None
    tags: list[str]
    updated_at: dt.datetime


class EventDetailOut(EventOut):
    description: str
    occurrences: list[OccurrenceOut] = Field(description="This year's and next year's dates")


class SpecialtyOut(Out):
    slug: str
    kind: str
    name: str
    summary: str
    description: str
    origin: str
    lang: str
    commune: CommuneOut | None
    places: list[str]
    tags: list[str]
    updated_at: dt.datetime


class TourStopOut(Out):
    day: int
    place: str


class TourOut(Out):
    slug: str
    name: str
    summary: str
    description: str
    lang: str
    operator: str
    operator_is_sample: bool
    days: int
    price_vnd: int | None
    is_sample: bool
    stops: list[TourStopOut]
    updated_at: dt.datetime
