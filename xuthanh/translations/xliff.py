"""Exchange with translation agencies: a batch of records out as one XLIFF 2.0 file, and back in.

Reading and writing go through translate-toolkit (its XLIFF 2.0 storage). A unit is one text field of one
record (`place.12.summary`), its source the Vietnamese at export, its target the current translation if any.
The file's id names the batch (`xuthanh-batch-7`), so a file comes back only to its batch, and only the
batch's agency (or the department) imports it.

Import checks the whole file first and reports every problem by unit and field: not an XLIFF 2.0 file,
another batch or language, unknown ids, a Vietnamese source changed since the export, markup in a
translation, a text too long, a record left without a name. Only a file without problems is stored, in one
transaction (all or nothing), in bulk (services.store_translations). Exporting a batch again after importing
it unchanged gives the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from translate.storage.xliff2 import Xliff2File

from xuthanh.catalog.selectors import translation_main_field
from xuthanh.core.models import TranslationStatus
from xuthanh.orgs import permissions
from xuthanh.translations.models import TranslationBatch
from xuthanh.translations.registry import CONTENT, field_specs, main_field_needed

FILE_ID = re.compile(r"^xuthanh-batch-(\d+)$")
UNIT_ID = re.compile(r"^([a-z]+)\.(\d+)\.([a-z_]+)$")
REVIEWED_STATES = {"reviewed", "final"}


def _records(batch: TranslationBatch) -> list[tuple[str, Any]]:
    """The batch's records with their Vietnamese and target-language rows (the only ones read here)."""
    result = []
    for kind, model in CONTENT.items():
        pks = batch.items.get(kind, [])
        if pks:
            rows = model._parler_meta.root_model.objects.filter(
                language_code__in=[settings.SOURCE_LANGUAGE, batch.language]
            )
            objects = model.objects.filter(pk__in=pks).prefetch_related(Prefetch("translations", queryset=rows))
            result.extend((kind, obj) for obj in objects.order_by("pk"))
    return result


def export_batch(batch: TranslationBatch) -> bytes:
    """The batch's records as XLIFF 2.0: every text field with a Vietnamese source, in a fixed order."""
    store = Xliff2File(sourcelanguage=settings.SOURCE_LANGUAGE, targetlanguage=batch.language)
    units = 0
    for kind, obj in _records(batch):
        rows = {t.language_code: t for t in obj.translations.all()}
        source_row, target_row = rows.get(settings.SOURCE_LANGUAGE), rows.get(batch.language)
        for spec in field_specs(type(obj), batch.language):
            source = getattr(source_row, spec.name, "") if source_row else ""
            if not source:
                continue
            unit = store.addsourceunit(source)
            unit.setid(f"{kind}.{obj.pk}.{spec.name}")
            target = getattr(target_row, spec.name, "") if target_row else ""
            if target:
                unit.target = target
                reviewed = target_row.translation_status == TranslationStatus.REVIEWED
                unit.xmlelement.set("state", "reviewed" if reviewed else "translated")
            units += 1
    file_node = store.document.getroot().find(store.namespaced("file"))
    if file_node is not None:
        file_node.set("id", f"xuthanh-batch-{batch.pk}")
    if batch.units != units:
        TranslationBatch.objects.filter(pk=batch.pk).update(units=units)
        batch.units = units
    return bytes(store)


@dataclass
class Problem:
    where: str  # "place 12 (Thành nhà Hồ), summary" or "file"
    message: str


@dataclass
class ImportReport:
    batch: TranslationBatch | None = None
    problems: list[Problem] = field(default_factory=list)
    records_changed: int = 0
    units_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _parse(data: bytes) -> Xliff2File:
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ValueError(_("The file is not well-formed XML: %(error)s") % {"error": exc}) from exc
    if etree.QName(root).localname != "xliff" or root.get("version") != "2.0":
        raise ValueError(
            _("The file is not XLIFF 2.0 (its root is <%(root)s> version %(version)s); send back the file exported.")
            % {"root": etree.QName(root).localname, "version": root.get("version") or "?"}
        )
    try:
        return Xliff2File.parsestring(data)
    except Exception as exc:  # translate-toolkit raises various errors for broken structure
        raise ValueError(_("The XLIFF file cannot be read: %(error)s") % {"error": exc}) from exc


def _batch_of(store: Xliff2File, user: Any, report: ImportReport) -> TranslationBatch | None:
    """The batch the file names, if the user may import it and the languages agree (else a problem)."""
    file_node = store.document.getroot().find(store.namespaced("file"))
    match = FILE_ID.match(file_node.get("id", "") if file_node is not None else "")
    batch = TranslationBatch.objects.filter(pk=int(match.group(1))).first() if match else None
    if batch is None:
        report.problems.append(
            Problem(_("file"), _("The file does not come from a batch of this desk (its file id is unknown)."))
        )
        return None
    member = any(m.organisation_id == batch.agency_id for m in permissions.memberships(user))
    if not (member or permissions.is_platform_admin(user)):
        report.problems.append(Problem(_("file"), _("Only the agency the batch was sent to may import it.")))
        return None
    if store.gettargetlanguage() != batch.language:
        report.problems.append(
            Problem(
                _("file"),
                _("The file is in %(found)s, the batch in %(wanted)s.")
                % {"found": store.gettargetlanguage() or "?", "wanted": batch.language},
            )
        )
        return None
    return batch


def import_file(user: Any, data: bytes) -> ImportReport:
    """Check an agency's XLIFF file against its batch and store its translations, all or nothing."""
    report = ImportReport()
    try:
        store = _parse(data)
    except ValueError as exc:
        report.problems.append(Problem(_("file"), str(exc)))
        return report
    batch = report.batch = _batch_of(store, user, report)
    if batch is None:
        return report

    objects = {(kind, obj.pk): obj for kind, obj in _records(batch)}
    specs_of = {
        kind: {spec.name: spec for spec in field_specs(model, batch.language)} for kind, model in CONTENT.items()
    }
    wanted: dict[tuple[str, int], dict[str, tuple[str, bool]]] = {}
    target_tag = store.namespaced("target")
    for unit in store.unit_iter():
        report.units_read += 1
        unit_id = unit.getid() or ""
        found = UNIT_ID.match(unit_id)
        if not found or found.group(1) not in CONTENT:
            report.problems.append(Problem(unit_id or "?", _("Unknown unit id.")))
            continue
        kind, pk, name = found.group(1), int(found.group(2)), found.group(3)
        obj = objects.get((kind, pk))
        specs = specs_of[kind]
        where = f"{CONTENT[kind]._meta.verbose_name} {pk}" + (f" ({obj})" if obj else "") + f", {name}"
        if obj is None:
            report.problems.append(Problem(where, _("This record is not part of the batch.")))
            continue
        if name not in specs:
            report.problems.append(Problem(where, _("This field is not translated.")))
            continue
        source_row = next((t for t in obj.translations.all() if t.language_code == settings.SOURCE_LANGUAGE), None)
        if (unit.source or "") != (getattr(source_row, name, "") if source_row else ""):
            report.problems.append(
                Problem(where, _("The Vietnamese text changed after the export; export the record again."))
            )
            continue
        target_node = unit.xmlelement.find(target_tag)
        if target_node is not None and len(target_node):
            tags = ", ".join(sorted({etree.QName(child).localname for child in target_node}))
            report.problems.append(
                Problem(where, _("The translation holds markup (%(tags)s) that the source has not.") % {"tags": tags})
            )
            continue
        target = unit.target or ""
        if not target.strip():
            continue
        spec = specs[name]
        if spec.max_length and len(target) > spec.max_length:
            report.problems.append(
                Problem(
                    where,
                    _("At most %(max)s characters (this has %(n)s).") % {"max": spec.max_length, "n": len(target)},
                )
            )
            continue
        reviewed = (unit.xmlelement.get("state") or "") in REVIEWED_STATES
        wanted.setdefault((kind, pk), {})[name] = (target, reviewed)
    if report.problems:
        return report

    changed = []
    for key, fields in wanted.items():
        obj = objects[key]
        row = next((t for t in obj.translations.all() if t.language_code == batch.language), None)
        current = {name: (getattr(row, name, "") if row else "") for name in specs_of[key[0]]}
        values = {**current, **{name: text for name, (text, _reviewed) in fields.items()}}
        reviewed = all(r for _text, r in fields.values())
        was_reviewed = row is not None and row.translation_status == TranslationStatus.REVIEWED
        if row is not None and values == current and was_reviewed == reviewed:
            continue  # unchanged: nothing written, the next export is the same bytes
        main = translation_main_field(type(obj))
        if not values.get(main, "").strip():
            report.problems.append(
                Problem(f"{obj._meta.verbose_name} {obj.pk} ({obj}), {main}", main_field_needed(type(obj)))
            )
            continue
        changed.append((obj, values, reviewed))
    if report.problems:
        return report

    from xuthanh.translations.services import store_translations

    with transaction.atomic():
        report.records_changed = store_translations(user, batch.language, changed, note=f"XLIFF batch {batch.pk}")
        TranslationBatch.objects.filter(pk=batch.pk).update(
            state=TranslationBatch.State.IMPORTED, imported_at=timezone.now()
        )
    return report
