"""Schemas every app's endpoints share (they are also the OpenAPI documentation): the error answer, a page
of results, paging and language parameters, and the text, slug and point formats of query parameters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from ninja import Path, Schema
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, StrictInt

from xuthanh.core.languages import LANG_CODES

T = TypeVar("T")


class Out(BaseModel):
    """Base of every answer's schema: plain pydantic, validated from the dicts the endpoints build. (Ninja's
    Schema reads each value through a Django attribute getter, made for model instances; over a list of 20
    places that was about a fifth of the answer's time.)"""


class ErrorOut(Out):
    detail: str | list = Field(description="What is wrong, and where")
    message: str = Field(description="A plain sentence for people")


class PageOut(Out, Generic[T]):
    count: int
    page: int
    page_size: int
    results: list[T]


MAX_PAGE_SIZE = 100
# "lat,lon" with at most three integer digits: no overflow to infinity before the range check.
NEAR_PATTERN = r"^$|^-?\d{1,3}(\.\d{1,15})?,-?\d{1,3}(\.\d{1,15})?$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def _no_nul(value: str) -> str:
    if "\x00" in value:  # never meaningful, and PostgreSQL text cannot hold it
        raise ValueError("must not contain the NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Dates as written in the document (YYYY-MM-DD): pydantic would also take a number as seconds since 1970,
    so that `from=0` meant 1 January 1970 and `"start_date": 0` planned a trip then."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("use a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

_LOCAL_TIME = re.compile(r"\d{2}:\d{2}(:\d{2})?")


def _local_time(value: Any) -> Any:
    """Times of day as HH:MM (or HH:MM:SS), local: not a number of seconds, nor a time with a zone."""
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    if not isinstance(value, str) or not _LOCAL_TIME.fullmatch(value):
        raise ValueError("use a local time written HH:MM")
    return value


LocalTime = Annotated[dt.time, BeforeValidator(_local_time)]
# Whole numbers in JSON bodies: not `false` (pydantic reads a boolean as 0 or 1) nor "12" (a string).
BodyInt = StrictInt
Slug = Annotated[
    str, Path(..., pattern=SLUG_PATTERN, max_length=120, description="Short id, e.g. thanh-nha-ho")
]


class Paging(Schema):
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)
    # An enum in the OpenAPI document, so clients (and the fuzzer) know the codes; others are a 422.
    lang: Literal[LANG_CODES] | None = Field(None, description=f"One of {', '.join(LANG_CODES)}")  # type: ignore[valid-type]
