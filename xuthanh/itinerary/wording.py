"""What a traveller reads about a plan, said in any language from the codes stored in it: why each stop is
there, why a must-see was left out, the notes on what could not fit, and a whole stored plan said again in the
reader's language (`plan_in_language`). Every sentence is English source text through gettext."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Event, Place, Tag
from xuthanh.core.languages import translated


def reason_text(reason: dict[str, Any]) -> str:
    """A must-see's reason code said in the active language."""
    code, args = reason.get("code"), reason.get("args") or []
    if code == "excluded":
        return _("it is both a must-see and excluded")
    if code == "budget" and len(args) == 2:
        return _("its ticket (%(ticket)s VND) alone is over the budget (%(budget)s VND)") % {
            "ticket": number_format(args[0], force_grouping=True),
            "budget": number_format(args[1], force_grouping=True),
        }
    if code == "closed":
        return _("it is closed on every day of the trip")
    if code == "unreachable":
        return _("no day is long enough to reach it while it is open and get back in time")
    return _("no room left: the other must-see places, kept stops and lunch breaks fill the days")


def notes_text(notes: Sequence[dict[str, Any]], unplaced: dict[str, dict[str, Any]]) -> list[str]:
    """What could not fit, as sentences in the active language; `unplaced` gives the places' names and reasons
    (already in that language) by slug."""
    sentences = []
    interests = {n["interest"] for n in notes if n["code"].startswith("interest_")}
    lang = translation.get_language() or "vi"
    tags = Tag.objects.filter(slug__in=interests) if interests else []
    tag_names = {t.slug: translated(t, "name", lang) for t in tags}
    for note in notes:
        code = note["code"]
        if code.startswith("interest_"):
            name = tag_names.get(note["interest"], note["interest"])
            if code == "interest_none_near":
                sentences.append(
                    _("No place for “%(interest)s” is open on your dates near where you travel.") % {"interest": name}
                )
            else:
                sentences.append(
                    _("No place for “%(interest)s” fits in these days; add a day or remove a must-see to make room.")
                    % {"interest": name}
                )
            continue
        if code == "unplaced":
            item = unplaced.get(note["place"])
            if item:
                sentences.append(
                    _("%(name)s could not be placed: %(reason)s.") % {"name": item["name"], "reason": item["reason"]}
                )
            continue
        args = {"day": note["day"], "date": _date_text(dt.date.fromisoformat(note["date"]))}
        if code == "closed_day":
            sentences.append(_("On %(date)s none of the places to visit is open, so day %(day)s has no visits.") % args)
        elif code == "travel_only":
            sentences.append(
                _("Day %(day)s (%(date)s) has no visit: the time between its start and end is taken by travel.") % args
            )
        elif code == "no_lunch":
            sentences.append(_("No lunch break fits on day %(day)s (%(date)s).") % args)
    return sentences


def reasons_text(reasons: Sequence[dict[str, Any]], lang: str) -> list[str]:
    """The reasons of a stop as sentences in `lang`, with interests and festivals by their names there."""
    tag_slugs = {a for r in reasons if r["code"] == "interests" for a in r["args"]}
    event_slugs = {a for r in reasons if r["code"] == "festival" for a in r["args"]}
    tags = {t.slug: translated(t, "name", lang) for t in Tag.objects.filter(slug__in=tag_slugs)} if tag_slugs else {}
    events = (
        {e.slug: translated(e, "name", lang) for e in Event.objects.filter(slug__in=event_slugs)} if event_slugs else {}
    )
    sentences = []
    with translation.override(lang):
        for reason in reasons:
            code, args = reason["code"], reason["args"]
            if code == "kept":
                sentences.append(_("kept as you asked"))
            elif code == "must_see":
                sentences.append(_("on your must-see list"))
            elif code == "interests":
                names = ", ".join(tags.get(a, a) for a in args)
                sentences.append(_("matches your interests: %(tags)s") % {"tags": names})
            elif code == "festival":
                sentences.append(_("festival that day: %(name)s") % {"name": events.get(args[0], args[0])})
            elif code == "popular":
                sentences.append(_("popular and open on the way"))
            elif code == "hours_unknown":
                sentences.append(_("opening hours not known: check them before going"))
    return sentences


def plan_in_language(plan: dict[str, Any], lang: str) -> dict[str, Any]:
    """A stored plan as read in `lang`: place names (stops, lunch, start and end points, unplaced) from the
    catalogue, and the stops' reasons, the must-see places left out and what could not fit said again from their
    codes. Places no longer published keep the names they were planned with; plans stored before the codes
    existed keep their sentences."""
    if plan.get("lang") == lang or not plan.get("days"):
        return plan
    days = plan["days"]
    slugs = {s["place"] for d in days for s in d["stops"]} | {u["place"] for u in plan.get("unplaced", [])}
    slugs |= {d["lunch"]["place"] for d in days if d.get("lunch") and d["lunch"].get("place")}
    slugs |= {p for d in days for p in (d["start"].get("place"), d["end"].get("place")) if p}
    places = selectors.published(Place).filter(slug__in=slugs).prefetch_related("translations")
    names = {p.slug: translated(p, "name", lang) for p in places}

    def renamed(item: dict[str, Any], key: str = "name") -> dict[str, Any]:
        return {**item, key: names.get(item.get("place") or "", item[key])}

    out_days = []
    for day in days:
        stops = []
        for stop in day["stops"]:
            stop = renamed(stop)
            if stop.get("reasons"):
                stop["why"] = reasons_text(stop["reasons"], lang)
            stops.append(stop)
        lunch = day.get("lunch")
        if lunch:
            lunch = renamed(lunch) if lunch.get("place") else {**lunch, "name": _lunch_break_name(lang)}
        out_days.append(
            {
                **day,
                "start": renamed(day["start"], "label"),
                "end": renamed(day["end"], "label"),
                "stops": stops,
                "lunch": lunch,
            }
        )
    out = {**plan, "lang": lang, "days": out_days}
    with translation.override(lang):
        unplaced = [renamed(u) for u in plan.get("unplaced", [])]
        unplaced = [{**u, "reason": reason_text(u)} if u.get("code") else u for u in unplaced]
        out["unplaced"] = unplaced
        if "notes" in plan:
            out["explanation"] = notes_text(plan["notes"], {u["place"]: u for u in unplaced})
    return out


def _lunch_break_name(lang: str) -> str:
    with translation.override(lang):
        return _("Lunch break")


def _date_text(day: dt.date) -> str:
    """A trip date in the active language: weekday and date (Monday Dec. 7, 2026; lundi 7 décembre 2026…)."""
    return f"{date_format(day, 'l')} {date_format(day, 'DATE_FORMAT')}"
