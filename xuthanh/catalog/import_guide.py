"""Templates for the catalogue import: what each column of a field map means, whether a new record needs it, the
values it takes and an example from the database; as a table for the import page, an XLSX workbook (the empty
sheet to fill, then sheets explaining the columns and listing the commune codes and interests) and a CSV header.

The guide is worked out from the field map and the models (verbose names, help texts, choices, field types),
so that a column added to a field map is explained without more code; the few composite columns (hours,
tickets, lists) have their format written here, next to the readers in `fieldmaps`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from xuthanh.catalog.importing import FieldMap
from xuthanh.core.cells import cell_out, csv_bytes
from xuthanh.core.models import Status, TranslationStatus


@dataclass(frozen=True)
class ColumnGuide:
    name: str
    required: bool  # for a new record
    meaning: str
    values: str  # what the cell may hold
    example: str  # from a record of the database ("" when none)


def _composite() -> dict[str, tuple[str, str]]:
    """Columns that are not one model field: (meaning, values)."""
    return {
        "commune_code": (
            _("Commune or ward (2025 map) where it is"),
            _("the official code of the commune or ward: see the sheet “communes”"),
        ),
        "tags": (_("Interests"), _("interest ids separated by commas: see the sheet “interests”")),
        "opening_hours": (
            _("Opening hours"),
            _("OpenStreetMap syntax, e.g. “Mo-Su 07:00-11:30,13:30-17:00; Apr-Sep Mo-Su 06:00-18:00”; empty: unknown"),
        ),
        "closed_dates": (_("Days closed"), _("dates YYYY-MM-DD separated by commas")),
        "tickets": (
            _("Ticket prices"),
            _("“audience: Vietnamese label / English label = price in VND”, separated by “;”, e.g. “adult: Người "
              "lớn / Adult = 40000; child: Trẻ em / Child = 20000”; audiences: %(audiences)s"),
        ),
        "stops": (_("Places of each day"), _("place ids, days separated by “|”, places by “,”")),
        "places": (_("Where to find it"), _("place ids separated by commas")),
        "sources": (_("Sources of the facts"), _("addresses or titles of the sources, one per line")),
    }


def _field(model: type[models.Model], name: str) -> models.Field | None:
    for candidate in (model, getattr(model, "_parler_meta", None) and model._parler_meta.root_model):
        if candidate is None:
            continue
        try:
            return candidate._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def _values_of(field: models.Field) -> str:
    if field.choices:
        return "; ".join(f"{code} = {label}" for code, label in field.choices)
    if isinstance(field, models.BooleanField):
        return _("1 (yes) or 0 (no)")
    if isinstance(field, models.DateField):
        return _("a date YYYY-MM-DD")
    if isinstance(field, models.FloatField):
        return _("a number with a decimal point, e.g. 19.8071")
    if isinstance(field, models.IntegerField):
        return _("a whole number")
    if isinstance(field, models.ForeignKey):
        return _("the id (slug) of a %(what)s") % {"what": field.related_model._meta.verbose_name}
    if getattr(field, "max_length", None):
        return _("text, at most %(n)s characters") % {"n": field.max_length}
    return _("text")


def column_guide(fieldmap: FieldMap, example: models.Model | None = None) -> list[ColumnGuide]:
    """One line per column of `fieldmap`, in its order; `example` (a record) gives the examples."""
    composite = _composite()
    languages = dict(settings.LANGUAGES)
    rows = []
    for column in fieldmap.columns:
        name, language = column.name, ""
        if name.startswith("translation_status_"):
            language = name.removeprefix("translation_status_")
            meaning = _("State of the %(language)s translation") % {"language": languages.get(language, language)}
            values = "; ".join(f"{code} = {label}" for code, label in TranslationStatus.choices)
        elif name in composite:
            meaning, values = composite[name]
            if name == "tickets":
                from xuthanh.catalog.models import TicketPrice

                values %= {"audiences": ", ".join(TicketPrice.Audience.values)}
        else:
            base = name
            for code in languages:
                if name.endswith(f"_{code}"):
                    base, language = name.removesuffix(f"_{code}"), code
                    break
            field = _field(fieldmap.model, base)
            meaning = str(field.verbose_name).capitalize() if field is not None else name
            if field is not None and field.help_text:
                meaning += f" ({field.help_text})"
            if language:
                meaning += f" — {languages[language]}"
            values = _values_of(field) if field is not None else _("text")
            if name == "status":
                values = "; ".join(f"{code} = {label}" for code, label in Status.choices) + ". " + _(
                    "Publishing needs the right to publish; an editor's rows stay drafts or go to review."
                )
        rows.append(
            ColumnGuide(
                name=name,
                required=column.required_for_new or name == fieldmap.key,
                meaning=meaning,
                values=values,
                example=column.write(example) if example is not None else "",
            )
        )
    return rows


def template_csv(fieldmap: FieldMap) -> bytes:
    """The header row alone (UTF-8 with the mark spreadsheets need to read Vietnamese)."""
    return csv_bytes([[c.name for c in fieldmap.columns]])


def template_xlsx(fieldmap: FieldMap, example: models.Model | None, communes: list, interests: list) -> bytes:
    """The sheet to fill (the header, frozen), then the guide of each column, then the commune codes and the
    interests the cells refer to. Every text cell is written so that a spreadsheet cannot run it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    data = workbook.active
    data.title = str(fieldmap.model._meta.verbose_name_plural)[:31]
    data.append([c.name for c in fieldmap.columns])
    data.freeze_panes = "A2"
    for cell in data[1]:
        cell.font = Font(bold=True)

    guide = workbook.create_sheet("guide")  # sheet names are ids the guide refers to: not translated
    guide.append([_("column"), _("needed for a new record"), _("meaning"), _("values"), _("example")])
    for line in column_guide(fieldmap, example):
        guide.append([cell_out(v) for v in (line.name, _("yes") if line.required else "", line.meaning,
                                             line.values, line.example)])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (24, 12, 48, 60, 40), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    guide.freeze_panes = "A2"

    sheet = workbook.create_sheet("communes")
    sheet.append(["commune_code", _("name"), _("former districts")])
    for code, name, former in communes:
        sheet.append([code, cell_out(name), cell_out(former)])
    sheet = workbook.create_sheet("interests")
    sheet.append(["tags", _("name")])
    for slug, name in interests:
        sheet.append([cell_out(slug), cell_out(name)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
