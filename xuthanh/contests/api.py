"""/api/v1/contests: contests and their accepted entries for partners and the app, each entry with its author,
licence and attribution line (what any reuse must show), its place, and its pictures' addresses."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import NinjaAPI, Path, Query, Router
from pydantic import Field

from xuthanh.api import schemas as api_schemas
from xuthanh.api.schemas import Slug
from xuthanh.contests import licences, selectors
from xuthanh.contests.models import Entry
from xuthanh.core.languages import LANG_CODES, request_language

router = Router(tags=["contests"])
ANSWERS = {404: api_schemas.ErrorOut, 422: api_schemas.ErrorOut}


def mount(api: NinjaAPI) -> None:
    api.add_router("/contests", router)


class ContestOut(api_schemas.Out):
    slug: str
    title: str
    year: int
    phase: str = Field(description="announced, submissions, judging, vote, results, or past (held before this "
                                   "platform, known from a source)")
    sample: bool = Field(description="Made up to show the platform")
    submissions_close: str | None
    results_at: str | None
    categories: list[dict[str, str]]
    source_url: str


class EntryOut(api_schemas.Out):
    id: int
    title: str
    kind: str
    category: int
    author: str
    licence: str = Field(description="SPDX-style code, or 'grant' (a use grant to the department)")
    licence_name: str
    licence_url: str
    attribution: str = Field(description="The line to show with any reuse")
    place: str | None = Field(description="Slug of the catalogue place, if the entry names one")
    lat: float | None
    lon: float | None
    image: str | None = Field(description="The entry's picture (a film's poster), at most 960 pixels")
    votes: int


class EntryPageOut(api_schemas.Out):
    results: list[EntryOut]
    next_before: int | None = Field(description="Pass as `before` for the next page; null at the end")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _contest_out(contest: Any) -> dict[str, Any]:
    return {
        "slug": contest.slug, "title": str(contest), "year": contest.year, "phase": contest.phase(),
        "sample": contest.sample, "submissions_close": _iso(contest.submissions_close),
        "results_at": _iso(contest.results_at), "source_url": contest.source_url,
        "categories": [{"slug": c.slug, "kind": c.kind, "name": str(c)} for c in contest.categories.all()],
    }


@router.get("", response={200: list[ContestOut], 422: api_schemas.ErrorOut}, operation_id="contests_list",
            summary="Contests, the newest first")
def contests(request: HttpRequest, lang: str | None = None) -> Any:
    with translation.override(request_language(request, lang if lang in LANG_CODES else None)):
        return [_contest_out(c) for c in selectors.contests_public()]


@router.get("/{slug}/entries", response={200: EntryPageOut, **ANSWERS}, operation_id="contests_entries",
            summary="A contest's accepted entries, newest first, 48 a page")
def entries(request: HttpRequest, slug: Annotated[Slug, Path()], lang: str | None = None,
            category: Annotated[str, Query(max_length=60)] = "",
            before: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0) -> Any:
    code = request_language(request, lang if lang in LANG_CODES else None)
    contest = selectors.contest(slug, code)
    if contest is None:
        raise Http404
    chosen = next((c for c in contest.categories.all() if c.slug == category), None) if category else None
    cards, more = selectors.gallery(contest, lang=code, category=chosen, before=before or None)
    places = dict(Entry.objects.filter(pk__in=[c.id for c in cards]).values_list("pk", "place__slug"))
    points = {pk: (lat, lon) for pk, lat, lon in Entry.objects.filter(pk__in=[c.id for c in cards])
              .values_list("pk", "lat", "lon")}
    out = []
    for card in cards:
        licence = licences.LICENCES.get(card.licence)
        name = str(licence.name) if licence else card.licence
        out.append({
            "id": card.id, "title": card.title, "kind": card.kind, "category": card.category_id, "author": card.author,
            "licence": card.licence, "licence_name": name, "licence_url": licence.url if licence else "",
            "attribution": f"© {card.author}, {name}", "place": places.get(card.id),
            "lat": points[card.id][0], "lon": points[card.id][1],
            "image": request.build_absolute_uri(card.small_url) if card.small_url else None, "votes": card.votes,
        })
    return {"results": out, "next_before": more}

