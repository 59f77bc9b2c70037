"""/api/v1/offline: the mobile app's offline catalogue (ETag/304 and a "changed since" cursor) and the
contents of an area to download. Mounted on the one open API in `xuthanh/urls.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from ninja import NinjaAPI, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from xuthanh.api import schemas as api_schemas
from xuthanh.api.services import add_validators, not_modified
from xuthanh.core.languages import LANG_CODES, request_language
from xuthanh.mobile import offline
from xuthanh.mobile.schemas import AreaOut, CatalogueOut

router = Router(tags=["offline"])
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def mount(api: NinjaAPI) -> None:
    """Attach the offline endpoints to the open API (`xuthanh/urls.py` does, once)."""
    api.add_router("/offline", router)


class CatalogueParams(Schema):
    lang: Literal[LANG_CODES] | None = Field(None, description=f"One of {', '.join(LANG_CODES)}")  # type: ignore[valid-type]
    since: dt.datetime | None = Field(
        None, description="The `cursor` of an earlier answer: only items changed since then are sent"
    )


def _invalid(where: str, message: str) -> NinjaValidationError:
    return NinjaValidationError([{"loc": ["query", where], "msg": message}])


@router.get(
    "/catalogue",
    response={200: CatalogueOut, 304: None, 422: api_schemas.ErrorOut},
    summary="Everything the app keeps offline in one language, or what changed since a cursor",
)
def catalogue(request: HttpRequest, response: HttpResponse, params: Query[CatalogueParams]) -> Any:
    lang = request_language(request, params.lang)
    since = params.since
    if since is not None:
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        if not EARLIEST <= since <= timezone.now() + dt.timedelta(days=1):
            raise _invalid("since", "use the cursor of an earlier answer")
    prepared = offline.catalogue_prepare(lang=lang, since=since, today=timezone.localdate())
    if not_modified(request, prepared.etag, prepared.last_modified):
        return HttpResponseNotModified(headers={"ETag": prepared.etag})
    add_validators(response, prepared.etag, prepared.last_modified, max_age=0)
    return offline.catalogue_build(prepared)


class AreaParams(Schema):
    lang: Literal[LANG_CODES] | None = None  # type: ignore[valid-type]
    commune: int | None = Field(None, ge=1, le=999_999, description="Official code of a commune or ward")
    place: str | None = Field(None, pattern=SLUG_PATTERN, max_length=120, description="A site: a place's short id")


@router.get(
    "/area",
    response={200: AreaOut, 404: api_schemas.ErrorOut, 422: api_schemas.ErrorOut},
    summary="What downloading a commune or a site for offline use takes: places, photos, map tiles",
)
def area(request: HttpRequest, params: Query[AreaParams]) -> Any:
    if (params.commune is None) == (params.place is None):
        raise _invalid("commune", "give either a commune code or a place short id")
    lang = request_language(request, params.lang)
    try:
        return offline.area_contents(lang=lang, commune=params.commune, place=params.place)
    except offline.AreaNotFound as exc:
        raise Http404(str(exc)) from exc
