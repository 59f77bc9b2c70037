"""The one open API of /api/v1/ (django-ninja): its renderer, title and description, and the JSON errors every
endpoint shares. Each domain app brings its own router (`<app>/api.py`); `xuthanh/urls.py` mounts them."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from xuthanh.api.devices import DeviceRefused


class Utf8JSONRenderer(JSONRenderer):
    """Vietnamese and Chinese as characters, not \\u escapes: about a third smaller on the wire."""

    json_dumps_params = {"ensure_ascii": False}


class ObjectParser(Parser):
    """Bodies are JSON objects. Ninja's own parser takes any JSON, and its schemas then read fields off a list
    as attributes, so that `[null, null]` passed as a re-plan with every field at its default; a body that is
    not an object is refused as unparsable (400), as the document says."""

    def parse_body(self, request: HttpRequest) -> dict:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorOut"}
# Answers of every operation that no endpoint declares: the guard middleware's (xuthanh.api.middleware) and
# the body parser's. The document lists them all, so that a client (and the fuzzer) knows every answer.
SHARED_ANSWERS = {
    401: "The X-API-Key is unknown or disabled",
    429: "Too many requests from this key or address; the Retry-After header says in how many seconds to retry",
}
BODY_ANSWERS = {400: "The body is not a JSON object (not JSON, not UTF-8, or an array or a value)"}
TOO_LONG = (
    "The URL is too long (over 4 KB of request line): the app server or the proxy in front refuses it before the "
    "API reads it, with a body of its own"
)
INVALID = (
    "The request breaks a rule: `detail` names each parameter or field (`where`) and what is wrong with it "
    "(`problem`): a type, a range, or a rule across fields (dates in order, a point in Vietnam, a place or its "
    "coordinates but not both, places that exist and are published)"
)


class XuThanhAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document also lists the answers every operation can give (SHARED_ANSWERS, and
    BODY_ANSWERS where a body is read), with the error body's schema, and the server's 414."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                if 422 in operation["responses"]:
                    operation["responses"][422]["description"] = INVALID
                answers = {**SHARED_ANSWERS, **(BODY_ANSWERS if "requestBody" in operation else {})}
                operation["responses"].setdefault(414, {"description": TOO_LONG})  # no body: not ours to shape
                for status, description in answers.items():
                    response = operation["responses"].setdefault(
                        status, {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
                    )
                    if status == 429:
                        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
        return schema


api = XuThanhAPI(
    renderer=Utf8JSONRenderer(),
    parser=ObjectParser(),
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


@api.exception_handler(DeviceRefused)
def _device_refused(request: HttpRequest, exc: DeviceRefused) -> HttpResponse:
    return api.create_response(request, {"detail": exc.detail, "message": exc.message}, status=exc.status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"detail": "not_found", "message": str(exc) or "Not found."}, status=404
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja's own refusals (a body that is not JSON: 400), in the shape of every other error."""
    code = "unparsable_body" if exc.status_code == 400 else "error"
    return api.create_response(request, {"detail": code, "message": str(exc)}, status=exc.status_code)
