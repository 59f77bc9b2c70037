"""Loads the real Thanh Hóa data (catalog/data/thanhhoa/*.toml) into the catalogue.

Records are flattened into the same rows as a CSV import and stored through `importing.import_rows`, so the
data files are validated exactly like an officer's upload. By default only records whose slug is not yet in
the database are added (editors' later changes are kept); `update=True` rewrites them from the files.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from xuthanh.areas.models import Commune
from xuthanh.areas.services import communes_load
from xuthanh.catalog import importing
from xuthanh.catalog.fieldmaps import FIELDMAPS
from xuthanh.catalog.models import Place, Tag
from xuthanh.core.models import Status, TranslationStatus
from xuthanh.orgs.models import Organisation

DATA_DIR = Path(__file__).parent / "data" / "thanhhoa"
Report = Callable[[str], None]


class DataError(ValueError):
    """The data files are inconsistent; the message lists every problem."""


@dataclass
class LoadSummary:
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind → (created, updated)
    skipped: dict[str, int] = field(default_factory=dict)


def read_records(data_dir: Path = DATA_DIR) -> dict[str, list[dict[str, Any]]]:
    records: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(data_dir.glob("*.toml")):
        with path.open("rb") as handle:
            try:
                content = tomllib.load(handle)
            except tomllib.TOMLDecodeError as exc:
                raise DataError(f"{path.name}: {exc}") from exc
        for kind, items in content.items():
            if isinstance(items, list):
                for item in items:
                    item["_file"] = path.name
                records.setdefault(kind, []).extend(items)
    return records


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _translations(record: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    row: dict[str, str] = {}
    languages = [code for code, _label in settings.LANGUAGES]
    for name in names:
        values = record.get(name) or {}
        if isinstance(values, str):
            values = {"vi": values}
        for lang in languages:
            row[f"{name}_{lang}"] = values.get(lang, "")
    reviewed = set(record.get("reviewed", []))
    for lang in languages:
        # The Vietnamese text is the reviewed source; a translation is reviewed when the record lists its
        # language under `reviewed` (checked against the Vietnamese), otherwise it is a draft until a
        # translator reviews it at the translation desk.
        row[f"translation_status_{lang}"] = (
            TranslationStatus.REVIEWED if lang == "vi" or lang in reviewed else TranslationStatus.MACHINE
        )
    return row


_AUDIENCE_WORDS = (
    ("child", "child"),
    ("student", "student"),
    ("pupil", "student"),
    ("senior", "senior"),
    ("elder", "senior"),
    ("foreign", "foreigner"),
    ("group", "group"),
    ("adult", "adult"),
    ("entrance", "adult"),
    ("admission", "adult"),
)


def _tickets(tickets: list[dict[str, Any]]) -> str:
    parts = []
    for ticket in tickets:
        label_en = str(ticket.get("label_en", ""))
        audience = next((a for word, a in _AUDIENCE_WORDS if word in label_en.lower()), "service")
        label = str(ticket.get("label", "")).replace("=", "-").replace(";", ",")
        label_en = label_en.replace("=", "-").replace(";", ",")
        parts.append(
            f"{audience}: {label}{' / ' + label_en if label_en else ''} = {int(ticket['price_vnd'])}"
        )
    return "; ".join(parts)


def place_row(record: dict[str, Any]) -> dict[str, str]:
    row = {
        "slug": record["slug"],
        "kind": record.get("kind", ""),
        "category": record.get("category", ""),
        "commune_code": _text(record.get("commune_code")),
        "former_district": record.get("former_district", ""),
        "address": record.get("address", ""),
        "lat": _text(record.get("lat")),
        "lon": _text(record.get("lon")),
        "location_verified": _text(bool(record.get("coord_verified", False))),
        "location_uncertainty_m": _text(record.get("coord_uncertainty_m")),
        "location_source": record.get("coord_source", ""),
        "location_evidence": record.get("coord_evidence", ""),
        "visit_minutes": _text(record.get("visit_minutes", 60)),
        "popularity": _text(record.get("popularity", 50)),
        "tags": _text(record.get("tags", [])),
        "opening_hours": record.get("hours", ""),
        "tickets": _tickets(record.get("tickets", [])),
        "phone": record.get("phone", ""),
        "email": record.get("email", ""),
        "website": record.get("website", ""),
        "stars": _text(record.get("stars")),
        "rooms": _text(record.get("rooms")),
        "price_from_vnd": _text(record.get("price_from_vnd")),
        "price_to_vnd": _text(record.get("price_to_vnd")),
        "is_sample": _text(bool(record.get("sample", False))),
        "managed_by": record.get("managed_by", ""),
        "operator": record.get("operator", ""),
        "sources": "\n".join(record.get("sources", [])),
        "status": Status.PUBLISHED,
        **_translations(record, ("name", "summary", "description")),
    }
    accessibility = record.get("accessibility")
    if accessibility:
        row["accessibility_vi"] = (
            accessibility if isinstance(accessibility, str) else accessibility.get("vi", "")
        )
    return row


def event_row(record: dict[str, Any], place_communes: dict[str, int]) -> dict[str, str]:
    recurrence = record.get("recurrence", "")
    row = {
        "slug": record["slug"],
        "kind": record.get("kind", "festival"),
        "place": record.get("place", ""),
        "commune_code": _text(record.get("commune_code") or place_communes.get(record.get("place", ""), "")),
        "lat": _text(record.get("lat")),
        "lon": _text(record.get("lon")),
        "recurrence": recurrence,
        "start_date": _text(record.get("start")),
        "end_date": _text(record.get("end")),
        "month": _text(record.get("lunar_month") if recurrence == "lunar" else record.get("month")),
        "day": _text(record.get("lunar_day") if recurrence == "lunar" else record.get("day")),
        "duration_days": _text(record.get("days", 1)),
        "popularity": _text(record.get("popularity", 50)),
        "tags": _text(record.get("tags", [])),
        "sources": "\n".join(record.get("sources", [])),
        "status": Status.PUBLISHED,
        **_translations(record, ("name", "summary", "description")),
    }
    return row


def specialty_row(record: dict[str, Any]) -> dict[str, str]:
    return {
        "slug": record["slug"],
        "kind": record.get("kind", ""),
        "commune_code": _text(record.get("commune_code")),
        "places": _text(record.get("places", [])),
        "popularity": _text(record.get("popularity", 50)),
        "tags": _text(record.get("tags", [])),
        "sources": "\n".join(record.get("sources", [])),
        "status": Status.PUBLISHED,
        **_translations(record, ("name", "summary", "description", "origin")),
    }


def tour_row(record: dict[str, Any]) -> dict[str, str]:
    days = max(1, int(record.get("days", 1)))
    if record.get("itinerary"):
        stops = " | ".join(", ".join(day) for day in record["itinerary"])
    else:
        places = list(record.get("places", []))
        per_day = -(-len(places) // days) if places else 1
        stops = " | ".join(", ".join(places[i : i + per_day]) for i in range(0, len(places), per_day))
    return {
        "slug": record["slug"],
        "operator": record.get("operator", ""),
        "days": str(days),
        "price_vnd": _text(record.get("price_vnd")),
        "stops": stops,
        "is_sample": _text(bool(record.get("sample", False))),
        "popularity": _text(record.get("popularity", 30)),
        "tags": _text(record.get("tags", [])),
        "status": Status.PUBLISHED,
        **_translations(record, ("name", "summary", "description")),
    }


@transaction.atomic
def interests_load(records: list[dict[str, Any]]) -> None:
    for record in records:
        tag, _created = Tag.objects.get_or_create(slug=record["slug"])
        for lang, name in record["name"].items():
            tag.set_current_language(lang)
            tag.name = name
        tag.save()


@transaction.atomic
def organisations_load(records: list[dict[str, Any]], businesses: list[dict[str, Any]]) -> None:
    for record in records:
        org, _created = Organisation.objects.update_or_create(
            slug=record["slug"],
            defaults={
                "name": record["name"],
                "kind": record["kind"],
                "address": record.get("address", ""),
                "website": record.get("website", ""),
            },
        )
        if record.get("commune_names"):
            org.communes.set(Commune.objects.filter(name__in=record["commune_names"]))
    for record in businesses:
        business_type = {"hotel": "accommodation", "restaurant": "restaurant"}.get(
            record.get("kind", ""), "travel_agency"
        )
        org, _created = Organisation.objects.update_or_create(
            slug=record["slug"],
            defaults={
                "name": record["name"],
                "kind": Organisation.Kind.BUSINESS,
                "business_type": business_type,
                "licence_no": record.get("licence_no", ""),
                "phone": record.get("phone", ""),
                "is_sample": bool(record.get("sample", True)),
            },
        )
        if record.get("commune_code"):
            org.communes.set(Commune.objects.filter(code=record["commune_code"]))


def _site_boards(records: list[dict[str, Any]]) -> None:
    for record in records:
        for slug in record.get("sites", []):
            Place.objects.filter(slug=slug, managed_by__isnull=True).update(
                managed_by=Organisation.objects.get(slug=record["slug"])
            )


def _import(
    kind: str, rows: list[dict[str, str]], *, update: bool, summary: LoadSummary, report: Report
) -> None:
    fieldmap = FIELDMAPS[kind]()
    model = fieldmap.model
    if not update:
        existing = set(
            model.objects.filter(slug__in=[r["slug"] for r in rows]).values_list("slug", flat=True)
        )
        summary.skipped[kind] = len(existing)
        rows = [r for r in rows if r["slug"] not in existing]
    if not rows:
        summary.counts[kind] = (0, 0)
        return
    header = sorted({key for row in rows for key in row})
    numbered = [(index + 2, {key: row.get(key, "") for key in header}) for index, row in enumerate(rows)]

    def progress(done: int, total: int) -> None:
        report(f"  {kind}: {100 * done // total:3d}%")

    result = importing.import_rows(
        fieldmap, header, numbered, actor=None, progress=progress, note="load_thanhhoa"
    )
    if not result.ok:
        slugs = {line: row["slug"] for line, row in numbered}
        problems = "\n".join(f"  {slugs.get(e.line, '?')}: {e}" for e in result.errors)
        raise DataError(
            f"{kind} data has {len(result.errors)} problem(s); nothing of it was stored:\n{problems}"
        )
    summary.counts[kind] = (result.created, result.updated)


def load_all(
    *, update: bool = False, data_dir: Path = DATA_DIR, report: Report = lambda line: None
) -> LoadSummary:
    """Communes, interests, organisations, then places, events, specialties and tours."""
    summary = LoadSummary()
    records = read_records(data_dir)
    report("communes…")
    communes_load()
    interests_load(records.get("interest", []))
    organisations_load(records.get("organisation", []), records.get("business", []))
    places = records.get("place", [])
    _import("place", [place_row(r) for r in places], update=update, summary=summary, report=report)
    _site_boards(records.get("organisation", []))
    place_communes = {p.slug: p.commune.code for p in Place.objects.select_related("commune")}
    _import(
        "event",
        [event_row(r, place_communes) for r in records.get("event", [])],
        update=update,
        summary=summary,
        report=report,
    )
    _import(
        "specialty",
        [specialty_row(r) for r in records.get("specialty", [])],
        update=update,
        summary=summary,
        report=report,
    )
    _import(
        "tour", [tour_row(r) for r in records.get("tour", [])], update=update, summary=summary, report=report
    )
    return summary
