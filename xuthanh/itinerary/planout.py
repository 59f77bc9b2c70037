"""The engine's Plan written out as the stored, JSON-serialisable plan (see schemas.PlanOut): per day the
stops with their times, tickets and reasons (as codes and as sentences), the lunch break and the travel; the
totals; the must-see places left out with the engine's reason; and the notes on what could not fit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from xuthanh.core.languages import translated
from xuthanh.itinerary import engine
from xuthanh.itinerary.problem import Endpoint, TripProblem, adult_ticket_vnd
from xuthanh.itinerary.wording import notes_text, reason_text, reasons_text


def plan_out(built: TripProblem, plan: engine.Plan) -> dict[str, Any]:
    lang = built.lang
    places = built.places
    must_see = built.problem.must_visit
    locked = {lock.candidate_id for lock in built.problem.locked}
    days_out = []
    total_travel = 0
    notes: list[dict[str, Any]] = []  # what could not fit, as codes: said in any language by `notes_text`
    for day_plan in plan.days:
        d = day_plan.day
        date = built.dates[d]
        start_ep, end_ep = built.endpoints[d]
        stops, lunch = [], None
        previous = day_plan.departure
        travelled = 0
        for stop in day_plan.stops:
            minutes = stop.arrival - previous
            travelled += minutes
            previous = stop.departure
            if stop.kind == "lunch":
                place = places.get(stop.candidate_id) if stop.candidate_id else None
                lunch = {
                    "place": stop.candidate_id,
                    "name": translated(place, "name", lang) if place else _("Lunch break"),
                    "start": _hhmm(stop.start),
                    "leave": _hhmm(stop.departure),
                    "travel_minutes": minutes,
                }
                continue
            place = places[stop.candidate_id]
            reasons = _reasons(built, place.slug, date, must_see=must_see, locked=locked)
            stops.append(
                {
                    "place": place.slug,
                    "name": translated(place, "name", lang),
                    "lat": place.lat,
                    "lon": place.lon,
                    "arrive": _hhmm(stop.arrival),
                    "start": _hhmm(stop.start),
                    "leave": _hhmm(stop.departure),
                    "travel_minutes": minutes,
                    "ticket_vnd": adult_ticket_vnd(place),
                    "why": reasons_text(reasons, lang),
                    "reasons": reasons,
                }
            )
        travelled += day_plan.arrival - previous
        total_travel += travelled
        days_out.append(
            {
                "day": d + 1,
                "date": date.isoformat(),
                "start": {**_endpoint_out(start_ep), "time": _hhmm(day_plan.departure)},
                "end": {**_endpoint_out(end_ep), "time": _hhmm(day_plan.arrival)},
                "stops": stops,
                "lunch": lunch,
                "travel_minutes": travelled,
            }
        )
        if d in built.closed_days:
            notes.append({"code": "closed_day", "day": d + 1, "date": date.isoformat()})
        elif not stops:
            notes.append({"code": "travel_only", "day": d + 1, "date": date.isoformat()})
    unplaced = []
    for item in plan.unplaced:
        if item.id.startswith("lunch:"):
            day = int(item.id.split(":")[1])
            notes.append({"code": "no_lunch", "day": day + 1, "date": built.dates[day].isoformat()})
            continue
        place = places[item.id]
        reason = _reason(item, built)
        unplaced.append(
            {"place": item.id, "name": translated(place, "name", lang), "reason": reason_text(reason), **reason}
        )
        notes.append({"code": "unplaced", "place": item.id})
    visited = {s["place"] for d in days_out for s in d["stops"]}
    served = {tag for slug in visited for tag in built.why.get(slug, ())}
    for interest, lead in sorted(built.interest_leads.items()):
        if interest not in served:  # every chosen interest is in the plan, or the plan says why not
            notes.append({"code": "interest_none_near" if lead is None else "interest_no_fit", "interest": interest})
    explanation = notes_text(notes, {u["place"]: u for u in unplaced})
    return {
        "lang": lang,
        "days": days_out,
        "totals": {
            "visits": sum(len(d["stops"]) for d in days_out),
            "ticket_vnd": plan.cost,
            "travel_minutes": total_travel,
            "score": round(plan.score, 3),
        },
        "unplaced": unplaced,
        "notes": notes,
        "explanation": explanation,
    }


def _reason(item: engine.Unplaced, built: TripProblem) -> dict[str, Any]:
    """Why a must-see is not in the plan, as a code with its amounts (the engine's own sentence is English)."""
    if item.code == "budget":
        ticket = next((c.cost for c in built.problem.candidates if c.id == item.id), 0)
        return {"code": "budget", "args": [ticket, built.problem.budget]}
    return {"code": item.code, "args": []}


def _reasons(
    built: TripProblem, slug: str, date: dt.date, *, must_see: frozenset[str], locked: set[str]
) -> list[dict[str, Any]]:
    """Why a stop is in the plan, as codes with arguments (tag and event slugs), so that any language can
    say it (`reasons_text`)."""
    reasons: list[dict[str, Any]] = []
    if slug in locked:
        reasons.append({"code": "kept", "args": []})
    if slug in must_see:
        reasons.append({"code": "must_see", "args": []})
    matching = built.why.get(slug, [])
    if matching:
        reasons.append({"code": "interests", "args": list(matching)})
    for event in built.festivals.get(slug, {}).get(date, []):
        reasons.append({"code": "festival", "args": [event]})
    if not reasons:
        reasons.append({"code": "popular", "args": []})
    if slug in built.unknown_hours:
        reasons.append({"code": "hours_unknown", "args": []})
    return reasons


def _endpoint_out(endpoint: Endpoint) -> dict[str, Any]:
    return {"label": endpoint.label, "place": endpoint.place, "lat": endpoint.lat, "lon": endpoint.lon}


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
