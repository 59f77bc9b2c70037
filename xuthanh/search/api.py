"""/api/v1/search and /autocomplete: everything ranked, with facets, and names as you type, in the requested
language. Operation ids are those the endpoints were published with."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import NinjaAPI, Query, Router
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from xuthanh.api import schemas as api_schemas
from xuthanh.api.schemas import NEAR_PATTERN, Paging, Text
from xuthanh.core.languages import LANG_CODES, request_language
from xuthanh.search import schemas

router = Router()


def mount(api: NinjaAPI) -> None:
    """Attach the search endpoints to the open API (`xuthanh/urls.py` does, once)."""
    api.add_router("", router)


class SearchParams(Paging):
    q: Text = Field(..., min_length=1, max_length=200, description="Any language, with or without accents")
    kind: list[Literal["place", "event", "specialty", "tour"]] = Field(default_factory=list)
    category: list[Text] = Field(default_factory=list, description="Place kind or event/specialty kind")
    near: str = Field("", pattern=NEAR_PATTERN, description="lat,lon")
    radius_km: float = Field(20, gt=0, le=300)


def _hit_out(hit: Any, text: dict[str, str]) -> dict:
    return {
        "kind": hit.kind,
        "slug": hit.slug,
        "name": text["name"],
        "summary": text.get("summary", ""),
        "category": hit.category,
        "score": round(hit.score, 3),
        "distance_km": None if hit.distance_km is None else round(hit.distance_km, 2),
    }


@router.get(
    "/search",
    response={200: schemas.SearchOut, 422: api_schemas.ErrorOut},
    tags=["search"],
    summary="Search everything, ranked",
    operation_id="xuthanh_api_views_search_all",
)
def search_all(request: HttpRequest, params: Query[SearchParams]) -> Any:
    from xuthanh.search import services as search

    lang = request_language(request, params.lang)
    near = None
    if params.near:
        near = tuple(float(v) for v in params.near.split(","))
        if not (8 <= near[0] <= 24 and 102 <= near[1] <= 110):
            raise NinjaValidationError([{"loc": ["query", "near"], "msg": "the point is not in Vietnam"}])
    results = search.search(
        params.q,
        kinds=params.kind,
        categories=params.category,
        near=near,
        radius_km=params.radius_km if near else None,
        offset=(params.page - 1) * params.page_size,
        limit=params.page_size,
    )
    return {
        "count": results.total,
        "page": params.page,
        "page_size": params.page_size,
        "facets": results.facets,
        "interpreted": [" | ".join(group) for group in results.expanded],
        "results": [_hit_out(hit, text) for hit, text in search.hit_texts(results.hits, lang)],
    }


@router.get(
    "/autocomplete",
    response={200: list[schemas.HitOut], 422: api_schemas.ErrorOut},
    tags=["search"],
    summary="Names as you type",
    operation_id="xuthanh_api_views_autocomplete",
)
def autocomplete(
    request: HttpRequest,
    q: Annotated[Text, Query(..., min_length=1, max_length=100)],
    lang: str | None = None,
) -> Any:
    from xuthanh.search import services as search

    lang = request_language(request, lang if lang in LANG_CODES else None)
    return [_hit_out(hit, text) for hit, text in search.hit_texts(search.autocomplete(q), lang)]
