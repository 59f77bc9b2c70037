"""Declarative column maps for importing and exporting places, events, specialties and tours.

Each column says how to read its cell into a staged row and how to write it back, so that an export can be
edited in a spreadsheet and imported again. Translated columns exist for every configured language
(`name_vi`, `name_en`, `name_zh-hans`, …).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _

from xuthanh.areas.models import Commune
from xuthanh.catalog.importing import CellError, Column, FieldMap, Staged
from xuthanh.catalog.models import (
    ClosureDate,
    Event,
    OpeningRule,
    Place,
    Specialty,
    Tag,
    TicketPrice,
    Tour,
    TourStop,
)
from xuthanh.core import hours as hours_lib
from xuthanh.core.models import Status, TranslationStatus
from xuthanh.orgs.models import Organisation

# ---- cell readers -------------------------------------------------------------------------------------


def _plain(name: str) -> Column:
    def read(text: str, staged: Staged) -> None:
        staged.fields[name] = text

    return Column(name, read, lambda obj: str(getattr(obj, name) or ""))


def _number(name: str, kind: type = int, *, nullable: bool = False, required: bool = False) -> Column:
    def read(text: str, staged: Staged) -> None:
        if not text:
            if nullable:
                staged.fields[name] = None
                return
            raise CellError(_("a number is needed"))
        try:
            value = kind(text.replace(",", ".") if kind is float else text)
        except ValueError as exc:
            raise CellError(_("“%(text)s” is not a number") % {"text": text}) from exc
        staged.fields[name] = value

    def write(obj: models.Model) -> str:
        value = getattr(obj, name)
        return "" if value is None else str(value)

    return Column(name, read, write, required_for_new=required)


def _boolean(name: str) -> Column:
    def read(text: str, staged: Staged) -> None:
        lowered = text.lower()
        if lowered in ("1", "true", "yes", "x", "có", "co"):
            staged.fields[name] = True
        elif lowered in ("", "0", "false", "no", "không", "khong"):
            staged.fields[name] = False
        else:
            raise CellError(_("“%(text)s” is not yes/no (1/0)") % {"text": text})

    return Column(name, read, lambda obj: "1" if getattr(obj, name) else "0")


def _choice(
    name: str, choices: type[models.TextChoices], *, required: bool = False, default: str = ""
) -> Column:
    def read(text: str, staged: Staged) -> None:
        if not text and default:
            staged.fields[name] = default
            return
        if text not in choices.values:
            raise CellError(
                _("“%(text)s” is not one of: %(values)s")
                % {"text": text, "values": ", ".join(choices.values)}
            )
        staged.fields[name] = text

    return Column(name, read, lambda obj: str(getattr(obj, name)), required_for_new=required,
                  keep_if_empty=bool(default))


def _date(name: str) -> Column:
    def read(text: str, staged: Staged) -> None:
        if not text:
            staged.fields[name] = None
            return
        try:
            staged.fields[name] = dt.date.fromisoformat(text[:10])
        except ValueError as exc:
            raise CellError(_("“%(text)s” is not a date (YYYY-MM-DD)") % {"text": text}) from exc

    return Column(name, read, lambda obj: getattr(obj, name).isoformat() if getattr(obj, name) else "")


def _translated(name: str, lang: str, *, required: bool = False) -> Column:
    def read(text: str, staged: Staged) -> None:
        staged.translations.setdefault(lang, {})[name] = text

    def write(obj: models.Model) -> str:
        translation = next((t for t in obj.translations.all() if t.language_code == lang), None)
        return getattr(translation, name, "") if translation else ""

    return Column(f"{name}_{lang}", read, write, required_for_new=required)


def _translation_status(lang: str) -> Column:
    def read(text: str, staged: Staged) -> None:
        value = text or TranslationStatus.REVIEWED
        if value not in TranslationStatus.values:
            raise CellError(_("use one of: %(values)s") % {"values": ", ".join(TranslationStatus.values)})
        staged.translations.setdefault(lang, {})["translation_status"] = value

    def write(obj: models.Model) -> str:
        translation = next((t for t in obj.translations.all() if t.language_code == lang), None)
        return translation.translation_status if translation else ""

    return Column(f"translation_status_{lang}", read, write)


def _translated_group(*names: str) -> list[Column]:
    columns = []
    for code, _label in settings.LANGUAGES:
        for name in names:
            columns.append(_translated(name, code, required=(name == "name" and code == "vi")))
        columns.append(_translation_status(code))
    return columns


def _commune(name: str = "commune", *, required: bool = True) -> Column:
    def read(text: str, staged: Staged) -> None:
        if not text:
            if required:
                raise CellError(_("the official commune/ward code is needed"))
            staged.fields[name] = None
            return
        try:
            staged.fields[name] = Commune.objects.get(code=int(text))
        except (ValueError, Commune.DoesNotExist) as exc:
            raise CellError(
                _("“%(text)s” is not the code of a commune or ward of the province") % {"text": text}
            ) from exc

    def write(obj: models.Model) -> str:
        commune = getattr(obj, name)
        return str(commune.code) if commune else ""

    return Column("commune_code", read, write, required_for_new=required)


def _reference(name: str, model: type[models.Model], *, filters: dict[str, Any] | None = None) -> Column:
    def read(text: str, staged: Staged) -> None:
        if not text:
            staged.fields[name] = None
            return
        try:
            staged.fields[name] = model.objects.get(slug=text, **(filters or {}))
        except model.DoesNotExist as exc:
            raise CellError(
                _("no %(what)s with id “%(text)s”") % {"what": model._meta.verbose_name, "text": text}
            ) from exc

    def write(obj: models.Model) -> str:
        value = getattr(obj, name)
        return value.slug if value else ""

    return Column(name, read, write)


def _slug_list(
    name: str, model: type[models.Model], *, create: Callable[[str], models.Model] | None = None
) -> Column:
    def read(text: str, staged: Staged) -> None:
        slugs = [s.strip() for s in re.split(r"[,;]", text) if s.strip()]
        found = {o.slug: o for o in model.objects.filter(slug__in=slugs)}
        missing = [s for s in slugs if s not in found]
        if missing and create is None:
            raise CellError(_("unknown ids: %(ids)s") % {"ids": ", ".join(missing)})
        for slug in missing:
            found[slug] = create(slug)
        staged.m2m[name] = [found[s] for s in slugs]

    def write(obj: models.Model) -> str:
        return ", ".join(o.slug for o in getattr(obj, name).all())

    return Column(name, read, write)


INTEREST_SLUGS = (
    "history",
    "culture",
    "spirituality",
    "beach",
    "nature",
    "adventure",
    "food",
    "craft",
    "festival",
    "family",
    "architecture",
    "archaeology",
    "photography",
    "relaxation",
    "community",
    "shopping",
)


def _tag_for(slug: str) -> Tag:
    if slug not in INTEREST_SLUGS:
        raise CellError(
            _("unknown interest “%(slug)s”; known: %(known)s")
            % {"slug": slug, "known": ", ".join(INTEREST_SLUGS)}
        )
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise CellError(
            _("the interest “%(slug)s” is not set up yet; run load_thanhhoa first") % {"slug": slug}
        )
    return tag


def _tags() -> Column:
    return _slug_list("tags", Tag, create=_tag_for)


# ---- places ------------------------------------------------------------------------------------------------


def _opening_hours() -> Column:
    def read(text: str, staged: Staged) -> None:
        try:
            parsed = hours_lib.parse(text)
        except hours_lib.HoursError as exc:
            raise CellError(str(exc)) from exc
        staged.fields["always_open"] = parsed.always_open
        staged.children["hours"] = parsed.rules

    return Column("opening_hours", read, lambda obj: obj.hours_text)


def _closed_dates() -> Column:
    def read(text: str, staged: Staged) -> None:
        days = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            try:
                days.append(dt.date.fromisoformat(part))
            except ValueError as exc:
                raise CellError(_("“%(text)s” is not a date (YYYY-MM-DD)") % {"text": part}) from exc
        staged.children["closed_dates"] = days

    return Column(
        "closed_dates", read, lambda obj: ", ".join(c.date.isoformat() for c in obj.closure_dates.all())
    )


_TICKET = re.compile(r"^(?:(?P<audience>[a-z]+)\s*:\s*)?(?P<label>[^=]*?)\s*=\s*(?P<price>[\d.\s]+)$")


def _tickets() -> Column:
    """`adult: Người lớn / Adult = 40000; child: Trẻ em / Child = 20000`; empty = free or unknown."""

    def read(text: str, staged: Staged) -> None:
        tickets = []
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            match = _TICKET.match(part)
            if not match:
                raise CellError(
                    _("“%(text)s” is not like “adult: Người lớn / Adult = 40000”") % {"text": part}
                )
            audience = match["audience"] or TicketPrice.Audience.ADULT
            if audience not in TicketPrice.Audience.values:
                raise CellError(_("unknown audience “%(a)s”") % {"a": audience})
            label, _sep, label_en = match["label"].partition(" / ")
            tickets.append(
                (audience, label.strip(), label_en.strip(), int(re.sub(r"[.\s]", "", match["price"])))
            )
        staged.children["tickets"] = tickets

    def write(obj: Place) -> str:
        return "; ".join(
            f"{t.audience}: {t.label}{' / ' + t.label_en if t.label_en else ''} = {t.price_vnd}"
            for t in obj.tickets.all()
        )

    return Column("tickets", read, write)


def _save_place_children(place: Place, staged: Staged) -> None:
    if "hours" in staged.children:
        place.opening_rules.all().delete()
        rules = []
        for rule in staged.children["hours"]:
            season = rule.season
            weekdays = "".join(str(d) for d in sorted(rule.weekdays))
            common = {
                "place": place,
                "weekdays": weekdays,
                "season_start": f"{season[0][0]:02d}-{season[0][1]:02d}" if season else "",
                "season_end": f"{season[1][0]:02d}-{season[1][1]:02d}" if season else "",
            }
            if not rule.intervals:
                rules.append(OpeningRule(closed=True, **common))
            for start, end in rule.intervals:
                rules.append(OpeningRule(opens=_time(start), closes=_time(end), **common))
        OpeningRule.objects.bulk_create(rules)
    if "closed_dates" in staged.children:
        place.closure_dates.all().delete()
        ClosureDate.objects.bulk_create(
            ClosureDate(place=place, date=d) for d in staged.children["closed_dates"]
        )
    if "tickets" in staged.children:
        place.tickets.all().delete()
        TicketPrice.objects.bulk_create(
            TicketPrice(place=place, audience=a, label=label, label_en=label_en, price_vnd=price)
            for a, label, label_en, price in staged.children["tickets"]
        )


def _time(minutes: int) -> dt.time:
    minutes %= hours_lib.MINUTES_PER_DAY
    return dt.time(minutes // 60, minutes % 60)


def _common_tail(*, sources: bool = True) -> list[Column]:
    columns = [_number("popularity"), _tags(), _choice("status", Status, default=Status.DRAFT)]
    return [*columns, _plain("sources")] if sources else columns


def place_map() -> FieldMap:
    return FieldMap(
        model=Place,
        key="slug",
        columns=[
            _plain("slug"),
            _choice("kind", Place.Kind, required=True),
            _choice("category", Place.Category, required=True),
            *_translated_group("name", "summary", "description", "accessibility"),
            _commune(),
            _plain("former_district"),
            _plain("address"),
            _number("lat", float, required=True),
            _number("lon", float, required=True),
            _boolean("location_verified"),
            _number("location_uncertainty_m", nullable=True),
            _plain("location_source"),
            _plain("location_evidence"),
            _number("visit_minutes"),
            _opening_hours(),
            _closed_dates(),
            _tickets(),
            _plain("phone"),
            _plain("email"),
            _plain("website"),
            _number("stars", nullable=True),
            _number("rooms", nullable=True),
            _number("price_from_vnd", nullable=True),
            _number("price_to_vnd", nullable=True),
            _reference("managed_by", Organisation, filters={"kind": Organisation.Kind.SITE_BOARD}),
            _reference("operator", Organisation, filters={"kind": Organisation.Kind.BUSINESS}),
            _boolean("is_sample"),
            *_common_tail(),
        ],
        save_children=_save_place_children,
        prefetch=("translations", "tags", "opening_rules", "closure_dates", "tickets"),
    )


def event_map() -> FieldMap:
    return FieldMap(
        model=Event,
        key="slug",
        columns=[
            _plain("slug"),
            _choice("kind", Event.Kind, default=Event.Kind.FESTIVAL),
            *_translated_group("name", "summary", "description"),
            _reference("place", Place),
            _commune(),
            _number("lat", float, nullable=True),
            _number("lon", float, nullable=True),
            _choice("recurrence", Event.Recurrence, required=True),
            _date("start_date"),
            _date("end_date"),
            _number("month", nullable=True),
            _number("day", nullable=True),
            _number("duration_days"),
            _reference("managed_by", Organisation),
            *_common_tail(),
        ],
        prefetch=("translations", "tags"),
    )


def specialty_map() -> FieldMap:
    return FieldMap(
        model=Specialty,
        key="slug",
        columns=[
            _plain("slug"),
            _choice("kind", Specialty.Kind, required=True),
            *_translated_group("name", "summary", "description", "origin"),
            _commune(required=False),
            _slug_list("places", Place),
            *_common_tail(),
        ],
        prefetch=("translations", "tags", "places"),
    )


def _stops() -> Column:
    """Days separated by `|`, places of a day by `,`: `thanh-nha-ho, lam-kinh | pu-luong`."""

    def read(text: str, staged: Staged) -> None:
        days = [[s.strip() for s in day.split(",") if s.strip()] for day in text.split("|")]
        slugs = {s for day in days for s in day}
        found = {p.slug: p for p in Place.objects.filter(slug__in=slugs)}
        missing = sorted(slugs - set(found))
        if missing:
            raise CellError(_("unknown places: %(ids)s") % {"ids": ", ".join(missing)})
        staged.children["stops"] = [
            (n, i, found[s]) for n, day in enumerate(days, 1) for i, s in enumerate(day)
        ]

    def write(obj: Tour) -> str:
        days: dict[int, list[str]] = {}
        for stop in obj.stops.all():
            days.setdefault(stop.day, []).append(stop.place.slug)
        return " | ".join(", ".join(days[d]) for d in sorted(days))

    return Column("stops", read, write)


def _save_tour_children(tour: Tour, staged: Staged) -> None:
    if "stops" in staged.children:
        tour.stops.all().delete()
        TourStop.objects.bulk_create(
            TourStop(tour=tour, day=day, position=pos, place=place)
            for day, pos, place in staged.children["stops"]
        )


def tour_map() -> FieldMap:
    return FieldMap(
        model=Tour,
        key="slug",
        columns=[
            _plain("slug"),
            _reference("operator", Organisation, filters={"kind": Organisation.Kind.BUSINESS}),
            *_translated_group("name", "summary", "description"),
            _number("days"),
            _number("price_vnd", nullable=True),
            _stops(),
            _boolean("is_sample"),
            *_common_tail(sources=False),
        ],
        save_children=_save_tour_children,
        prefetch=("translations", "tags", "stops__place"),
    )


FIELDMAPS: dict[str, Callable[[], FieldMap]] = {
    "place": place_map,
    "event": event_map,
    "specialty": specialty_map,
    "tour": tour_map,
}
