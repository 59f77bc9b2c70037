"""Writes and checks of the registry, for every door (admin, commands, public pages): the import of a register
(all rows or none), the signed verification link of a tour guide card and its public check, the expiry alerts
(once per item and threshold) and the sample register for demonstrations."""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from xuthanh.catalog import importing
from xuthanh.catalog.models import Place
from xuthanh.orgs.models import Organisation
from xuthanh.registry import selectors
from xuthanh.registry.fieldmaps import CARD_NUMBER, CREDENTIAL_COLUMNS, FIELDMAPS, ROW_CHECKS
from xuthanh.registry.models import Credential, ExpiryNotice, GuideCard

log = logging.getLogger(__name__)

TOKEN_SALT = "registry.guidecard"  # noqa: S105 - a signing salt, not a secret
THRESHOLDS = (90, 30, 0)  # days before expiry when an alert goes out; 0: it has expired
ALERT_LOOKBACK_DAYS = 30  # an item expired longer ago than this gets no alert (a register loaded late)
SAMPLES = Path(__file__).resolve().parent / "data" / "samples.toml"
SAMPLE_MARK = "(mẫu)"


# ---- import --------------------------------------------------------------------------------------------


def registry_import(
    *,
    kind: str,
    header: list[str],
    rows: Iterable[tuple[int, dict[str, str]]],
    actor: Any,
    note: str = "",
    progress: importing.Progress | None = None,
) -> importing.ImportResult:
    """Import establishments or guide cards (`kind`: a key of fieldmaps.FIELDMAPS) through the catalogue's
    import, all rows or none; the checks that span several cells (fieldmaps.ROW_CHECKS) are reported with
    the import's own problems, and any of them leaves nothing stored."""
    rows = list(rows)
    if kind == "guidecard":  # card numbers are kept in capitals: a row finds its card whatever the case
        rows = [(line, {**row, "number": row.get("number", "").strip().upper()} if "number" in row else row)
                for line, row in rows]
    fieldmap = FIELDMAPS[kind]()
    check = ROW_CHECKS.get(kind)
    extra = check(header, rows, actor=actor) if check else []
    with transaction.atomic():
        result = importing.import_rows(fieldmap, header, rows, actor=actor, progress=progress, note=note)
        if extra:
            transaction.set_rollback(True)
    if extra:
        result.errors = sorted([*result.errors, *extra], key=lambda e: e.line)
        result.created = result.updated = 0
    return result


# ---- the card's verification link ---------------------------------------------------------------------------


def _signer() -> signing.Signer:
    return signing.Signer(salt=TOKEN_SALT)


def guidecard_token(card: GuideCard) -> str:
    """The signature over the card's number and issue date that its QR code carries."""
    return _signer().signature(f"{card.number}|{card.issued_on.isoformat()}")


def guidecard_verify_path(card: GuideCard) -> str:
    """The verification address of the card, without a language: it opens in the visitor's language."""
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        path = reverse("registry:verify_card", kwargs={"number": card.number, "token": guidecard_token(card)})
    script = get_script_prefix()
    return script + path.removeprefix(f"{script}{language}/")


def guidecard_verify_url(card: GuideCard) -> str:
    """What the card's QR code encodes: the full address on this site."""
    return settings.SITE_URL.rstrip("/") + guidecard_verify_path(card)


@dataclass(frozen=True)
class CardCheck:
    """What the public check of a card found: `state` is valid, expired, revoked, unknown, forged or
    malformed; `card` is set for valid, expired and revoked; `since` the day it expired or was revoked."""

    state: str
    number: str
    card: GuideCard | None = None
    since: dt.date | None = None


def guidecard_check(*, number: str, token: str | None = None, today: dt.date) -> CardCheck:
    """The state of the card with this number (spaces ignored); with `token` (the QR code's), whether the
    department signed it. A QR code naming a number the register does not hold was not made by the department either."""
    number = "".join(number.split())  # "138 000 001" as printed on some cards
    if not CARD_NUMBER.fullmatch(number):
        return CardCheck("malformed", number[:40])
    card = selectors.guidecard_by_number(number)
    if token is not None and (card is None or not constant_time_compare(token, guidecard_token(card))):
        return CardCheck("forged", number)
    if card is None:
        return CardCheck("unknown", number)
    if card.revoked_on and card.revoked_on <= today:
        return CardCheck("revoked", card.number, card, card.revoked_on)
    if card.expires_on and card.expires_on < today:
        return CardCheck("expired", card.number, card, card.expires_on)
    return CardCheck("valid", card.number, card)


# ---- expiry alerts -------------------------------------------------------------------------------------------


@dataclass
class AlertReport:
    sent: list[str] = field(default_factory=list)  # the notices' keys
    no_address: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def alert_threshold(days_left: int) -> int | None:
    """The smallest threshold the item has reached (90, 30 or 0 days), or None when it is further away."""
    reached = [t for t in THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


def alert_key(expiry: selectors.Expiry, threshold: int) -> str:
    """Names the item, its expiry date (a renewal gets alerts again) and the threshold."""
    return f"{expiry.kind}:{expiry.item.pk}:{expiry.expires_on.isoformat()}:{threshold}"


def _recipients(expiry: selectors.Expiry) -> list[str]:
    establishment = expiry.establishment
    addresses = [establishment.email if establishment else "", getattr(settings, "REGISTRY_ALERT_EMAIL", "")]
    return list(dict.fromkeys(a.strip() for a in addresses if a and a.strip()))


def _admin_url(expiry: selectors.Expiry) -> str:
    if isinstance(expiry.item, GuideCard):
        path = reverse("admin:registry_guidecard_change", args=[expiry.item.pk])
    else:
        path = reverse("admin:registry_establishment_change", args=[expiry.item.establishment_id])
    return settings.SITE_URL.rstrip("/") + path


def _message(expiry: selectors.Expiry, threshold: int) -> tuple[str, str]:
    item = expiry.item
    if isinstance(item, GuideCard):
        what = _("Tour guide card %(number)s of %(holder)s") % {"number": item.number, "holder": item.holder_name}
        if item.employer:
            what += " – " + _("travel agency %(name)s (%(code)s)") % {"name": item.employer.name,
                                                                        "code": item.employer.code}
    else:
        what = _("%(credential)s of %(name)s (%(code)s)") % {
            "credential": f"{item.get_kind_display()} {item.number}",
            "name": item.establishment.name,
            "code": item.establishment.code,
        }
    date = expiry.expires_on.strftime("%d/%m/%Y")
    if threshold == 0:
        subject = _("Expired on %(date)s: %(what)s") % {"date": date, "what": what}
        lead = _("%(what)s expired on %(date)s.") % {"what": what, "date": date}
    else:
        subject = _("Expires on %(date)s: %(what)s") % {"date": date, "what": what}
        lead = _("%(what)s expires on %(date)s, in %(days)s days.") % {
            "what": what, "date": date, "days": expiry.days_left
        }
    body = "\n\n".join([
        lead,
        _("Please apply for its renewal in time, or tell the Department of Culture, Sports and Tourism of "
          "Thanh Hóa if it is no longer needed."),
        _("Record in the back office: %(url)s") % {"url": _admin_url(expiry)},
        _("This message is sent automatically by Xứ Thanh, once for each step (90 days, 30 days, expiry)."),
    ])
    return subject[:200], body


def expiry_alerts_send(*, today: dt.date, dry_run: bool = False) -> AlertReport:
    """Send one e-mail per expiring item and threshold (90, 30, 0 days) to the establishment (the agency for
    a guide card) and to `settings.REGISTRY_ALERT_EMAIL`, each recorded in ExpiryNotice before it leaves so
    that it is never sent twice, even by two runs at once (a failed sending frees it for the next run).
    Sample records and items expired more than ALERT_LOOKBACK_DAYS ago get none."""
    report = AlertReport()
    since = today - dt.timedelta(days=ALERT_LOOKBACK_DAYS)
    for expiry in selectors.expiring(max(THRESHOLDS), today, expired_since=since):
        threshold = alert_threshold(expiry.days_left)
        if threshold is None or expiry.is_sample:
            continue
        key = alert_key(expiry, threshold)
        if ExpiryNotice.objects.filter(key=key).exists():
            continue
        recipients = _recipients(expiry)
        if not recipients:
            report.no_address.append(key)
            continue
        if dry_run:
            report.sent.append(key)
            continue
        try:
            with transaction.atomic():
                notice = ExpiryNotice.objects.create(key=key, recipients=", ".join(recipients))
        except IntegrityError:  # another run claimed it a moment ago
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = _message(expiry, threshold)
        try:
            send_mail(subject, body, None, recipients)
        except Exception:  # SMTP refusals, network errors: free the notice for the next run
            log.exception("expiry alert %s could not be sent", key)
            notice.delete()
            report.failed.append(key)
            continue
        report.sent.append(key)
    return report


# ---- samples ----------------------------------------------------------------------------------------------


class SampleError(ValueError):
    """The sample file says something a sample may not (a real-looking record, an unknown reference)."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _sample_checked(record: dict[str, Any], name_key: str) -> None:
    label = record.get("code") or record.get("number") or "?"
    if record.get("is_sample") is not True:
        raise SampleError(f"{label}: every sample record says is_sample = true")
    if not str(record.get(name_key, "")).endswith(SAMPLE_MARK):
        raise SampleError(f"{label}: a sample's {name_key} ends with “{SAMPLE_MARK}”")


def establishment_sample_row(record: dict[str, Any]) -> dict[str, str]:
    """The import row of a sample establishment. A catalogue place or an operating business is linked only
    when it is itself a sample: a demonstration never lends an invented licence to a real business."""
    _sample_checked(record, "name")
    row = {k: _text(v) for k, v in record.items() if k not in ("credential", "place", "operator")}
    place = record.get("place", "")
    row["place"] = place if place and Place.objects.filter(slug=place, is_sample=True).exists() else ""
    operator = record.get("operator", "")
    row["operator"] = (
        operator
        if operator and Organisation.objects.filter(slug=operator, is_sample=True,
                                                    kind=Organisation.Kind.BUSINESS).exists()
        else ""
    )
    for credential in record.get("credential", []):
        columns = {f: c for c, f in CREDENTIAL_COLUMNS[Credential.Kind(credential["kind"])].items()}
        for name, value in credential.items():
            if name != "kind":
                row[columns[name]] = _text(value)
    return row


def registry_samples_load(path: Path = SAMPLES) -> dict[str, importing.ImportResult]:
    """Load (or bring up to date) the sample register; running it again changes nothing. Raises SampleError
    when the file breaks the rules of samples, and returns each import's result (the errors, if any)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    establishments = [establishment_sample_row(r) for r in data.get("establishment", [])]
    cards = []
    for record in data.get("guide_card", []):
        _sample_checked(record, "holder_name")
        cards.append({k: _text(v) for k, v in record.items()})
    results = {}
    with transaction.atomic():  # the cards name their agencies: both tables or neither
        for kind, rows in (("establishment", establishments), ("guidecard", cards)):
            header = list(dict.fromkeys(name for row in rows for name in row))
            numbered = [(line, {h: row.get(h, "") for h in header}) for line, row in enumerate(rows, start=2)]
            results[kind] = registry_import(kind=kind, header=header, rows=numbered, actor=None, note="samples")
        if any(result.errors for result in results.values()):
            transaction.set_rollback(True)
    return results
