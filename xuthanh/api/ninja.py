"""The one open API of /api/v1/ (django-ninja): its renderer, title and description, and the JSON errors every
endpoint shares. Each domain app brings its own router (`<app>/api.py`); `xuthanh/urls.py` mounts them."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer


class Utf8JSONRenderer(JSONRenderer):
    """Vietnamese and Chinese as characters, not \\u escapes: about a third smaller on the wire."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="Xứ Thanh open API",
    version="1",
    description=(
        "Places, festivals, specialties and tours of Thanh Hóa province, in Vietnamese, English, Chinese, "
        "French and more. Send `lang` (or Accept-Language); partners send their key as `X-API-Key`. "
        "Lists answer `If-None-Match` with 304 when nothing changed."
    ),
    urls_namespace="api-v1",
)


# ---- errors: always JSON, always a sentence ------------------------------------------------------------


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = [
        {"where": ".".join(str(p) for p in error.get("loc", [])), "problem": error.get("msg", "")}
        for error in exc.errors
    ]
    sentence = "; ".join(f"{d['where']}: {d['problem']}" for d in details)
    return api.create_response(
        request, {"detail": details, "message": f"Invalid request: {sentence}"}, status=422
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"detail": "not_found", "message": str(exc) or "Not found."}, status=404
    )
