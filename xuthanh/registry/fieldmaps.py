"""Column maps for importing and exporting the registry (establishments, tour guide cards) as CSV or XLSX,
through the catalogue's one import mechanism (`catalog.importing`: every row checked, all stored or none).

An establishment row may carry its current star rating decision (`stars`, `star_decision`, …) and its current
travel licence (`licence_number`, …): a decision number already on record is updated, a new one is added
(the newest decision is the current one). Checks that span several cells of those groups, which the model
cannot see, are `establishment_row_checks`, run by `services.registry_import` beside the import's own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from xuthanh.catalog.fieldmaps import _boolean, _choice, _commune, _date, _number, _plain, _reference
from xuthanh.catalog.importing import CellError, Column, FieldMap, RowError, Staged
from xuthanh.catalog.models import Place
from xuthanh.orgs import permissions
from xuthanh.orgs.models import Organisation, Role
from xuthanh.registry.models import Credential, Establishment, GuideCard

# What a card number may be: it is part of the verification address the card's QR code encodes.
CARD_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{2,19}")

# The cells of each credential group: column → Credential field.
CREDENTIAL_COLUMNS: dict[str, dict[str, str]] = {
    Credential.Kind.STAR_RATING: {
        "stars": "stars",
        "star_decision": "number",
        "star_issued_on": "issued_on",
        "star_issuer": "issuer",
        "star_expires_on": "expires_on",
    },
    Credential.Kind.TRAVEL_LICENCE: {
        "licence_number": "number",
        "licence_issued_on": "issued_on",
        "licence_issuer": "issuer",
        "licence_expires_on": "expires_on",
        "licence_deposit_vnd": "deposit_vnd",
    },
}
_NUMBER_COLUMN = {Credential.Kind.STAR_RATING: "star_decision", Credential.Kind.TRAVEL_LICENCE: "licence_number"}


def _required(column: Column) -> Column:
    return dataclasses.replace(column, required_for_new=True)


def _optional_choice(name: str, choices: type[models.TextChoices]) -> Column:
    """A choice that may be left empty (the catalogue's `_choice` needs a value or a default)."""
    strict = _choice(name, choices)

    def read(text: str, staged: Staged) -> None:
        if text:
            strict.read(text, staged)
        else:
            staged.fields[name] = ""

    return Column(name, read, strict.write)


def current_credential(establishment: Establishment, kind: str) -> Credential | None:
    """The newest decision of `kind` not revoked (from the prefetched credentials)."""
    found = [c for c in establishment.credentials.all() if c.kind == kind and c.revoked_on is None]
    return max(found, key=lambda c: (c.issued_on, c.pk), default=None)


def _credential_cell(column: str, kind: str, field: str) -> Column:
    def read(text: str, staged: Staged) -> None:
        group = staged.children.setdefault("credentials", {}).setdefault(kind, {})
        if field in ("issued_on", "expires_on"):
            try:
                group[field] = dt.date.fromisoformat(text[:10]) if text else None
            except ValueError as exc:
                raise CellError(_("“%(text)s” is not a date (YYYY-MM-DD)") % {"text": text}) from exc
        elif field in ("stars", "deposit_vnd"):
            if not text:
                group[field] = None
                return
            try:
                value = int(text.replace(".", "").replace(" ", "")) if field == "deposit_vnd" else int(text)
            except ValueError as exc:
                raise CellError(_("“%(text)s” is not a number") % {"text": text}) from exc
            if field == "stars" and not 1 <= value <= 5:
                raise CellError(_("a star rating is 1 to 5 stars"))
            if field == "deposit_vnd" and value < 0:
                raise CellError(_("a deposit cannot be negative"))
            group[field] = value
        else:
            group[field] = text

    def write(obj: Establishment) -> str:
        credential = current_credential(obj, kind)
        value = getattr(credential, field, None) if credential else None
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    return Column(column, read, write)


def _credential_columns() -> list[Column]:
    return [
        _credential_cell(column, kind, field)
        for kind, columns in CREDENTIAL_COLUMNS.items()
        for column, field in columns.items()
    ]


def _given(group: dict[str, Any]) -> bool:
    return any(value not in (None, "") for value in group.values())


def _unchanged(establishment: Establishment | None, kind: str, group: dict[str, Any]) -> bool:
    """Whether the cells say what the decision with their number already says (an export imported again)."""
    if establishment is None:
        return False
    same = [c for c in establishment.credentials.all() if c.kind == kind and c.number == group.get("number")]
    return bool(same) and all(getattr(same[0], name) == value for name, value in group.items())


def _save_credentials(establishment: Establishment, staged: Staged) -> None:
    """One current decision per kind: the one with the row's number, updated, or a new one."""
    for kind, group in staged.children.get("credentials", {}).items():
        if not _given(group):
            continue
        credential = establishment.credentials.filter(kind=kind, number=group["number"]).first()
        credential = credential or Credential(establishment=establishment, kind=kind)
        for name, value in group.items():
            setattr(credential, name, value)
        credential.full_clean()
        credential.save()


def establishment_map() -> FieldMap:
    return FieldMap(
        model=Establishment,
        key="code",
        columns=[
            _plain("code"),
            _required(_plain("name")),
            _plain("tax_code"),
            _choice("kind", Establishment.Kind, required=True),
            _optional_choice("accommodation_type", Establishment.AccommodationType),
            _number("rooms", nullable=True),
            _number("beds", nullable=True),
            _optional_choice("travel_scope", Establishment.TravelScope),
            _reference("operator", Organisation, filters={"kind": Organisation.Kind.BUSINESS}),
            _commune(),
            _required(_plain("address")),
            _number("lat", float, nullable=True),
            _number("lon", float, nullable=True),
            _reference("place", Place),
            _plain("phone"),
            _plain("email"),
            _choice("state", Establishment.State, default=Establishment.State.OPERATING),
            _date("state_since"),
            _boolean("is_sample"),
            *_credential_columns(),
        ],
        save_children=_save_credentials,
        prefetch=("credentials",),
    )


DEPARTMENT_COLUMNS = ("state", "state_since", "is_sample")  # the department's to set, as in the admin


def _department_cells(
    fieldmap: FieldMap, line: int, row: dict[str, str], current: Establishment | None, actor: Any = None
) -> list[RowError]:
    """A cell of DEPARTMENT_COLUMNS that would change the record (or a new one's default), for other units;
    and the operating business, which only the department changes (a business names itself on a new one)."""
    errors = []
    if "operator" in row:
        staged = Staged()
        try:
            fieldmap.column("operator").read(row["operator"].strip(), staged)
        except CellError:
            staged.fields["operator"] = None
        chosen = staged.fields.get("operator")
        own = {m.organisation_id for m in permissions.memberships(actor) if m.role == Role.BUSINESS}
        allowed = {current.operator_id} if current is not None else {None, *own}
        if getattr(chosen, "pk", None) not in allowed:
            errors.append(RowError(line, "operator", _("only the department changes the operating business")))
    for name in DEPARTMENT_COLUMNS:
        if name not in row:
            continue
        staged = Staged()
        try:
            fieldmap.column(name).read(row[name].strip(), staged)
        except CellError:
            continue
        if staged.fields[name] != getattr(current or Establishment(), name):
            errors.append(RowError(line, name, _("only the department changes this")))
    return errors


def establishment_row_checks(
    header: Iterable[str], rows: Iterable[tuple[int, dict[str, str]]], *, actor: Any
) -> list[RowError]:
    """What a star rating or licence group of cells needs as a whole: its number, issue date and issuer (and
    the stars), an expiry after the issue, a type that is rated (art. 50) or a travel agency, and the right
    to record it (the department's decisions: its administrators and editors), as for the state and the
    sample mark (DEPARTMENT_COLUMNS). Cells that cannot be read at all are left to the import, which names
    them."""
    fieldmap = establishment_map()
    groups = {column for columns in CREDENTIAL_COLUMNS.values() for column in columns}
    header, rows = set(header), list(rows)
    department = actor is None or permissions.can_publish(actor, Establishment())
    if not groups & header and (department or not header & {*DEPARTMENT_COLUMNS, "operator"}):
        return []
    codes = [row.get("code", "").strip() for _line, row in rows]
    existing = {e.code: e for e in Establishment.objects.filter(code__in=codes).prefetch_related("credentials")}
    errors: list[RowError] = []
    for line, row in rows:
        if not department:
            errors += _department_cells(fieldmap, line, row, existing.get(row.get("code", "").strip()), actor)
        staged = Staged()
        for name in groups & set(row):
            try:
                fieldmap.column(name).read(row[name].strip(), staged)
            except CellError:
                continue
        current = existing.get(row.get("code", "").strip())
        kind = row.get("kind", "").strip() or (current.kind if current else "")
        accommodation_type = row.get("accommodation_type", "").strip() if "accommodation_type" in row else (
            current.accommodation_type if current else ""
        )
        for credential_kind, group in staged.children.get("credentials", {}).items():
            if not _given(group):
                continue
            number_column = _NUMBER_COLUMN[credential_kind]
            names = {field: column for column, field in CREDENTIAL_COLUMNS[credential_kind].items()}
            if not department and not _unchanged(current, credential_kind, group):
                errors.append(
                    RowError(line, number_column, _("only the department records star ratings and licences"))
                )
                continue
            for field in ("number", "issued_on", "issuer"):
                if not group.get(field):
                    errors.append(RowError(line, names[field], _("needed with the other cells of this decision")))
            if credential_kind == Credential.Kind.STAR_RATING:
                if not group.get("stars"):
                    errors.append(RowError(line, "stars", _("a star rating decision gives 1 to 5 stars")))
                if kind != Establishment.Kind.ACCOMMODATION or accommodation_type not in Establishment.STAR_TYPES:
                    rated = _("only hotels, tourist villas, apartments and boats are rated in stars")
                    errors.append(RowError(line, "stars", rated))
            elif kind != Establishment.Kind.TRAVEL:
                errors.append(RowError(line, number_column, _("a travel licence is for travel agencies only")))
            issued, expires = group.get("issued_on"), group.get("expires_on")
            if issued and expires and expires < issued:
                errors.append(RowError(line, names["expires_on"], _("it cannot expire before it was issued")))
    return errors


# ---- tour guide cards -------------------------------------------------------------------------------------


def _card_number() -> Column:
    def read(text: str, staged: Staged) -> None:
        if not CARD_NUMBER.fullmatch(text):
            raise CellError(_("a card number is 3 to 20 letters, digits or hyphens"))
        staged.fields["number"] = text.upper()

    return Column("number", read, lambda obj: obj.number)


def _employer() -> Column:
    """The travel agency by its registry code."""

    def read(text: str, staged: Staged) -> None:
        if not text:
            staged.fields["employer"] = None
            return
        employer = Establishment.objects.filter(code=text).first()
        if employer is None:
            raise CellError(_("no establishment with the registry code “%(text)s”") % {"text": text})
        if employer.kind != Establishment.Kind.TRAVEL:
            raise CellError(_("“%(text)s” is not a travel agency") % {"text": text})
        staged.fields["employer"] = employer

    def write(obj: GuideCard) -> str:
        return obj.employer.code if obj.employer else ""

    return Column("employer", read, write)


def guidecard_map() -> FieldMap:
    return FieldMap(
        model=GuideCard,
        key="number",
        columns=[
            _card_number(),
            _required(_plain("holder_name")),
            _choice("card_type", GuideCard.CardType, required=True),
            _plain("languages"),
            _required(_date("issued_on")),
            _required(_plain("issuer")),
            _date("expires_on"),
            _employer(),
            _date("revoked_on"),
            _plain("revoked_reason"),
            _boolean("is_sample"),
        ],
        prefetch=("employer",),
    )


FIELDMAPS: dict[str, Callable[[], FieldMap]] = {"establishment": establishment_map, "guidecard": guidecard_map}
ROW_CHECKS: dict[str, Callable[..., list[RowError]]] = {"establishment": establishment_row_checks}
