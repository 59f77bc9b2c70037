"""What a trip request, a re-plan and a planned trip look like (pydantic; also the OpenAPI documentation).

Shapes and sizes are checked here (a 422 before anything runs); the rules that need the catalogue or span
several fields (dates in order, known places, points in Vietnam) are in `validation.trip_request_validate`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool, StringConstraints, model_validator

from xuthanh.api.schemas import BodyInt, IsoDate, LocalTime, Out
from xuthanh.core.languages import LANG_CODES
from xuthanh.itinerary.travel import MODES

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_LIST = 1000  # anything longer is refused outright; the meaningful limits are in the services

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=120)]
Interest = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=40)]


class PointIn(Schema):
    """A published place by its short id, or a point (WGS84 degrees)."""

    place: Slug | None = Field(None, description="Short id of a place, e.g. cang-hang-khong-tho-xuan")
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)

    @model_validator(mode="after")
    def _one_of(self) -> PointIn:
        has_point = self.lat is not None or self.lon is not None
        if self.place and has_point:
            raise ValueError("give a place or lat/lon, not both")
        if not self.place and (self.lat is None or self.lon is None):
            raise ValueError("give a place short id, or both lat and lon")
        return self


class DayIn(Schema):
    """Overrides for one day of the trip (1 = the first day); what is not given keeps the trip's value."""

    day: BodyInt = Field(ge=1, le=366)
    start: PointIn | None = None
    end: PointIn | None = None
    start_time: LocalTime | None = None
    end_time: LocalTime | None = None


class TripRequest(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {  # two days from Thọ Xuân airport to Thanh Hóa station, sleeping in the city
                    "start_date": "2030-05-06",
                    "end_date": "2030-05-07",
                    "start": {"place": "cang-hang-khong-tho-xuan"},
                    "end": {"place": "ga-thanh-hoa"},
                    "lodging": {"lat": 19.806, "lon": 105.785},
                    "interests": ["history", "spirituality"],
                    "lang": "en",
                }
            ]
        }
    )

    start_date: IsoDate
    end_date: IsoDate
    day_start: LocalTime = Field(dt.time(8, 0), description="When each day starts (local time)")
    day_end: LocalTime = Field(dt.time(18, 0), description="When each day must end (local time)")
    start: PointIn = Field(description="Where the trip starts, e.g. the airport")
    end: PointIn | None = Field(None, description="Where the trip ends (default: where it starts)")
    lodging: PointIn | None = Field(None, description="Where nights are spent (default: the trip's end)")
    days: list[DayIn] = Field(default_factory=list, max_length=MAX_LIST, description="Per-day overrides")
    interests: list[Interest] = Field(default_factory=list, max_length=50, description="e.g. history")
    pace: Literal["relaxed", "normal", "intense"] = "normal"
    mode: Literal[MODES] = "car"  # type: ignore[valid-type]
    budget_vnd: BodyInt | None = Field(None, description="Ticket budget for the whole trip, per adult (VND)")
    must_see: list[Slug] = Field(default_factory=list, max_length=MAX_LIST)
    excluded: list[Slug] = Field(default_factory=list, max_length=MAX_LIST)
    places: list[Slug] | None = Field(
        None, max_length=MAX_LIST, description="Only consider these places (at most 300); default: all"
    )
    lunch: StrictBool = True
    indoor_only: StrictBool = Field(False, description="Leave out beaches, nature, waterfalls and landscapes")
    lang: Literal[LANG_CODES] | None = None  # type: ignore[valid-type]


class LockedIn(Schema):
    place: Slug
    day: BodyInt = Field(ge=1, le=366, description="Day of the trip (1 = first)")


class StartFromIn(Schema):
    """Re-plan from where the traveller is now."""

    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    day: BodyInt | None = Field(None, ge=1, le=366, description="Day of the trip (default: today's)")
    time: LocalTime | None = Field(None, description="Default: now (local time)")


class ReplanIn(Schema):
    locked: list[LockedIn] = Field(
        default_factory=list,
        max_length=MAX_LIST,
        description="Stops to keep on a day (remembered with the trip; locking a place again moves it)",
    )
    unlock: list[Slug] = Field(default_factory=list, max_length=MAX_LIST, description="Stops no longer kept")
    done: list[Slug] = Field(default_factory=list, max_length=MAX_LIST, description="Places already visited")
    exclude: list[Slug] = Field(default_factory=list, max_length=MAX_LIST)
    add_must_see: list[Slug] = Field(default_factory=list, max_length=MAX_LIST)
    indoor_only: StrictBool = False
    start_from: StartFromIn | None = None


# ---- answers ----------------------------------------------------------------------------------------------


class EndpointOut(Out):
    label: str
    place: str | None
    lat: float
    lon: float
    time: str = Field(description="HH:MM")


class ReasonOut(Out):
    code: Literal["kept", "must_see", "interests", "festival", "popular", "hours_unknown"]
    args: list[str] = Field(description="Interest (tag) short ids for interests, the event's short id for festival")


class StopOut(Out):
    place: str
    name: str
    lat: float
    lon: float
    arrive: str
    start: str
    leave: str
    travel_minutes: int = Field(description="From the previous stop")
    ticket_vnd: int
    why: list[str] = Field(description="Why this place, in the plan's language")
    reasons: list[ReasonOut] = Field(
        default_factory=list, description="The same reasons as codes, to say them in another language"
    )


class LunchOut(Out):
    place: str | None = Field(description="A food place, or null for a break where the traveller is")
    name: str
    start: str
    leave: str
    travel_minutes: int


class DayOut(Out):
    day: int
    date: dt.date
    start: EndpointOut
    end: EndpointOut
    stops: list[StopOut]
    lunch: LunchOut | None
    travel_minutes: int


class UnplacedOut(Out):
    place: str
    name: str
    reason: str
    code: Literal["excluded", "budget", "closed", "unreachable", "full", ""] = Field(
        "", description="The reason as a code (empty in trips planned before codes were stored)"
    )
    args: list[int] = Field(default_factory=list, description="For budget: the ticket and the budget, in VND")


class NoteOut(Out):
    code: Literal["closed_day", "travel_only", "no_lunch", "unplaced", "interest_none_near", "interest_no_fit"] = Field(
        description="interest_none_near: no place of a chosen interest is open near the trip on its dates; "
        "interest_no_fit: there is one, but it does not fit in the days"
    )
    day: int | None = Field(None, description="The trip day (from 1), for a day's note")
    date: str | None = Field(None, description="That day's date (ISO), for a day's note")
    place: str | None = Field(None, description="The must-see left out, for unplaced")
    interest: str | None = Field(None, description="The interest (tag id), for interest_none_near and interest_no_fit")


class TotalsOut(Out):
    visits: int
    ticket_vnd: int
    travel_minutes: int
    score: float


class PlanOut(Out):
    lang: str
    days: list[DayOut]
    totals: TotalsOut
    unplaced: list[UnplacedOut]
    notes: list[NoteOut] = Field(default_factory=list, description="What could not fit, as codes")
    explanation: list[str] = Field(description="Plain sentences on what could not fit, and why (the notes, said)")


class TripOut(Out):
    token: str = Field(
        description="The share token (view link): whoever has it can see the trip; a re-plan with it makes a new trip"
    )
    edit_token: str | None = Field(
        None,
        description="The edit token: whoever has it can re-plan this trip itself. Given to whoever planned the trip "
        "(or holds this token, or owns the trip signed in), null otherwise; keep it private",
    )
    created_at: dt.datetime
    updated_at: dt.datetime
    request: dict
    locked: list[LockedIn] = Field(description="Stops kept on their day through re-plans")
    plan: PlanOut
