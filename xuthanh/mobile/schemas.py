"""What the mobile app's offline endpoints answer (pydantic; also their OpenAPI documentation)."""

from __future__ import annotations

from pydantic import Field

from xuthanh.api.schemas import Out


class HoursOut(Out):
    always: bool
    rules: list[tuple[str, list[list[int]] | None, list[list[int]]]] = Field(
        description="In override order (later wins): [weekdays 0=Monday…6=Sunday, season [[m, d], [m, d]] or "
        "null, intervals [[start, end] in minutes after midnight; end may pass 1440]]"
    )
    closed: list[str] = Field(description="Closed on these dates (YYYY-MM-DD)")
    text: str = Field(description="OpenStreetMap opening_hours syntax")


class OfflinePlaceOut(Out):
    slug: str
    name: str
    kind: str
    category: str
    tags: list[str]
    lat: float
    lon: float
    commune: int = Field(description="Official commune code")
    commune_name: str
    district: str = Field(description="Former district (before 2025)")
    summary: str
    hours: HoursOut
    adult_vnd: int | None = Field(description="Cheapest adult ticket; null when unknown, 0 when free")
    photo: str | None = Field(description="Reduced photo (WebP)")
    popularity: int
    visit_minutes: int
    text: str = Field(description="Folded search text (core.text.fold) in every language")


class OfflineEventOut(Out):
    slug: str
    name: str
    kind: str
    summary: str
    place: str | None
    commune: int
    commune_name: str
    lat: float | None
    lon: float | None
    lunar: list[int] | None = Field(description="[day, month] of the lunar calendar, when it recurs so")
    dates: list[list[str]] = Field(description="[start, end] of each occurrence in the window")
    edition_end: str | None = Field(
        None, description="For a one-off edition: its last day (ISO); once past, the edition is over"
    )
    tags: list[str]
    photo: str | None
    popularity: int
    text: str


class OfflineSpecialtyOut(Out):
    slug: str
    name: str
    kind: str
    summary: str
    origin: str
    commune: int | None
    places: list[str]
    photo: str | None
    popularity: int
    text: str


class PublishedIdsOut(Out):
    places: list[str]
    events: list[str]
    specialties: list[str]


class CatalogueOut(Out):
    version: int = Field(description="Shape version; the app rebuilds its store when it changes")
    lang: str
    full: bool = Field(description="True: everything; false: only what changed since the cursor")
    cursor: str | None = Field(description="Send back as `since` to get only later changes")
    window: list[str] = Field(description="Event dates cover this range")
    tags: dict[str, str] = Field(description="Names of the interests")
    ids: PublishedIdsOut = Field(description="Every published id: anything else stored is to be removed")
    places: list[OfflinePlaceOut]
    events: list[OfflineEventOut]
    specialties: list[OfflineSpecialtyOut]


class AreaPhotoOut(Out):
    url: str
    bytes: int


class AreaOut(Out):
    kind: str = Field(description="commune or site")
    key: str = Field(description="Commune code or place short id")
    name: str
    bbox: list[float] = Field(description="south, west, north, east")
    places: list[str]
    photos: list[AreaPhotoOut]
    photo_bytes: int
    tile_url: str = Field(description="Tile URL template with {z}, {x}, {y}")
    tiles: list[list[int]] = Field(description="[z, x, y] of each map tile")
    tile_bytes_estimate: int
    total_bytes_estimate: int
