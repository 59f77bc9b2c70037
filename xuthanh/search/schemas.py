"""What the search endpoints answer: ranked hits with their facets (also the OpenAPI documentation)."""

from __future__ import annotations

from pydantic import Field

from xuthanh.api.schemas import Out


class HitOut(Out):
    kind: str
    slug: str
    name: str
    summary: str
    category: str
    score: float
    distance_km: float | None


class SearchOut(Out):
    count: int
    page: int
    page_size: int
    facets: dict[str, dict[str, int]]
    interpreted: list[str] = Field(description="How the words were read (corrections, split words)")
    results: list[HitOut]
