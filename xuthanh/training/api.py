"""/api/v1/training: the classes open to the public (partners' sites list them and link to the registration
page) and the people trained per year and audience (counts, no names)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import NinjaAPI, Router
from pydantic import Field

from xuthanh.api import schemas as api_schemas
from xuthanh.core.languages import LANG_CODES, request_language
from xuthanh.training import selectors

router = Router(tags=["training"])


def mount(api: NinjaAPI) -> None:
    api.add_router("/training", router)


class ClassOut(api_schemas.Out):
    id: int
    course: str
    summary: str
    audiences: list[str] = Field(description="officials, businesses, communities")
    hours: int
    starts_at: str
    ends_at: str
    venue: str
    online: bool = Field(description="An online link is sent to confirmed participants")
    organiser: str
    places: int
    free: int
    waiting: int
    registration_closes: str
    page: str = Field(description="The class's page, with its registration form")
    sample: bool = Field(description="Made up to show the platform; never counted")


class YearOut(api_schemas.Out):
    year: int
    people: int = Field(description="People who attended a class that year (a person once a year), with the "
                                    "attendance reported by classes held before the platform")
    classes: int
    by_audience: dict[str, int]
    reported: int = Field(description="Of `people`, from the reports of classes held before the platform")
    study_tours: int


@router.get("/classes", response={200: list[ClassOut], 422: api_schemas.ErrorOut}, operation_id="training_classes",
            summary="Classes open to the public that have not ended, the soonest first")
def classes(request: HttpRequest, lang: str | None = None) -> Any:
    with translation.override(request_language(request, lang if lang in LANG_CODES else None)):
        coming, _past = selectors.classes_public()
        return [{
            "id": c.pk, "course": str(c.course), "summary": c.course.safe_translation_getter("summary", default=""),
            "audiences": list(c.course.audiences), "hours": c.course.hours, "starts_at": c.starts_at.isoformat(),
            "ends_at": c.ends_at.isoformat(), "venue": c.venue, "online": bool(c.online_link),
            "organiser": c.organiser.name, "places": c.capacity, "free": max(0, c.capacity - c.confirmed),
            "waiting": c.waiting, "registration_closes": c.registration_closes.isoformat(),
            "page": request.build_absolute_uri(reverse("training:detail", args=[c.pk])), "sample": c.sample,
        } for c in coming]


@router.get("/figures", response={200: list[YearOut]}, operation_id="training_figures",
            summary="People trained and study tours held, per year")
def figures(request: HttpRequest) -> Any:
    tours = selectors.study_tours_by_year()
    years = {t.year: t for t in selectors.trained()}
    return [{"year": year, "people": years[year].people if year in years else 0,
             "classes": years[year].classes if year in years else 0,
             "by_audience": years[year].by_audience if year in years else {},
             "reported": years[year].reported if year in years else 0, "study_tours": tours.get(year, 0)}
            for year in sorted(set(years) | set(tours))]
