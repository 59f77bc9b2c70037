"""Writes of the kiosk fleet: a device's one-time enrolment code and its exchange for a device token, a
token revoked, a heartbeat (the device's report stored, its uptime folded, its pending commands handed
over, in one transaction) and a command queued. Views, the admin and the API call these."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xuthanh.core import heartbeats
from xuthanh.core.heartbeats import hash_key
from xuthanh.kiosks.models import Command, Device, Location, UptimeInterval, Use

ENROL_CODE_TTL = dt.timedelta(minutes=30)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: typed on a kiosk's screen


class TokenRevoked(Exception):
    """The device's token was revoked (or the device retired) while its heartbeat was on its way."""


class EnrolError(ValueError):
    """The code is unknown, used or expired; the message says what to do."""


@dataclass(frozen=True)
class Enrolment:
    device: Device
    token: str  # shown once, to the kiosk; only its hash is kept


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def enrol_code_new(device: Device, *, now: dt.datetime | None = None) -> str:
    """A one-time code (8 characters, shown as ABCD-EFGH) an officer gives the kiosk, valid 30 minutes; a new
    code replaces the previous one. The device's current token stays valid until the code is used."""
    now = now or timezone.now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    device.enrol_code_hash, device.enrol_code_expires = hash_key(code), now + ENROL_CODE_TTL
    device.save(update_fields=["enrol_code_hash", "enrol_code_expires"])
    return f"{code[:4]}-{code[4:]}"


@transaction.atomic
def enrol(code: str, *, now: dt.datetime | None = None) -> Enrolment:
    """Exchange a one-time code for the device's token (the code is then spent, any older token revoked)."""
    now = now or timezone.now()
    digest = hash_key(normalise_code(code))
    device = Device.objects.select_for_update().filter(enrol_code_hash=digest, state=Device.State.ACTIVE).first()
    if device is None or len(normalise_code(code)) != 8:
        raise EnrolError(_("This code is not known: ask the back office for a new one."))
    if device.enrol_code_expires is None or device.enrol_code_expires < now:
        raise EnrolError(_("This code has expired: ask the back office for a new one."))
    token, device.token_hash, device.token_prefix = heartbeats.token_new()
    device.enrol_code_hash, device.enrol_code_expires, device.enrolled_at = "", None, now
    device.save(update_fields=["token_hash", "token_prefix", "enrol_code_hash", "enrol_code_expires",
                               "enrolled_at"])
    return Enrolment(device, token)


def revoke(device: Device) -> None:
    """The device's token stops working at once (a stolen or replaced machine), and a code not yet used with
    it; a new code re-enrols it."""
    device.token_hash, device.token_prefix, device.enrol_code_hash, device.enrol_code_expires = None, "", "", None
    device.save(update_fields=["token_hash", "token_prefix", "enrol_code_hash", "enrol_code_expires"])


def device_for_token(token: str) -> Device | None:
    """The active device whose token this is, or None (unknown, revoked or retired)."""
    if not token or len(token) > 200:
        return None
    return Device.objects.filter(token_hash=hash_key(token), state=Device.State.ACTIVE).select_related(
        "location__place").first()


@transaction.atomic
def heartbeat(device: Device, report: dict[str, Any], *, now: dt.datetime | None = None) -> list[Command]:
    """Store a heartbeat (server time `now`): the device's report, its uptime intervals folded (one row
    extended or opened, never a row per beat), its use counts (a batch counted once, whatever the retries),
    the commands it says it carried out (`ack`), and the commands still to carry out, returned (sent again
    at each heartbeat until acknowledged: an answer lost on a cut network loses no command)."""
    now = now or timezone.now()
    # One beat of a device at a time, and only while its token still stands (a revocation may have won the race)
    # (no ordering: the model's default orders by location, whose join would lock the location's row too, so
    # that every kiosk of a location would wait for the others' heartbeats)
    current = (Device.objects.select_for_update(of=("self",)).filter(
        pk=device.pk, token_hash=device.token_hash, state=Device.State.ACTIVE).order_by()
        .values("last_use_id").first())
    if current is None:
        raise TokenRevoked
    heartbeats.interval_fold(UptimeInterval, "device", device, now)
    use, acks = report.pop("use", None), report.pop("ack", None) or []
    fields: dict[str, Any] = {"last_seen_at": now, "last_beat": report, "alerted_at": None}
    batch = str((use or {}).get("id", ""))[:40]
    if use and (not batch or batch != current["last_use_id"]):
        use_add(device, use_clean(use), day=timezone.localtime(now).date())
        fields["last_use_id"] = batch
    Device.objects.filter(pk=device.pk).update(**fields)
    if acks:
        Command.objects.filter(device=device, pk__in=acks[:50], acked_at__isnull=True).update(acked_at=now)
    pending = list(Command.objects.filter(device=device, acked_at__isnull=True).order_by("created_at"))
    Command.objects.filter(pk__in=[c.pk for c in pending], delivered_at__isnull=True).update(delivered_at=now)
    return pending


SEARCHES_KEPT = 50  # a day's most frequent searches per kiosk


def use_clean(use: dict[str, Any]) -> dict[str, Any]:
    """The counts of a use report that make sense (whole numbers 0–10,000, configured languages, at most
    SEARCHES_KEPT searches of at most 100 characters); the rest is dropped, not refused: a kiosk cannot
    correct what its visitors did, and its heartbeat must go through."""
    from xuthanh.core.languages import LANG_CODES

    def count(value: Any) -> int:
        return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10_000 else 0

    languages = use.get("languages") if isinstance(use.get("languages"), dict) else {}
    searches = use.get("searches") if isinstance(use.get("searches"), dict) else {}
    return {
        "sessions": count(use.get("sessions")), "handoffs": count(use.get("handoffs")),
        "languages": {code: count(n) for code, n in list(languages.items())[:20] if code in LANG_CODES},
        "searches": {text: count(n) for text, n in list(searches.items())[:SEARCHES_KEPT]
                     if isinstance(text, str) and 0 < len(text) <= 100},
    }


def use_add(device: Device, use: dict[str, Any], *, day: dt.date) -> None:
    """Add a heartbeat's use counts (since the previous beat) to the device's day (caller's transaction)."""
    from django.db.models import F

    from xuthanh.core.text import fold

    row, _created = Use.objects.select_for_update().get_or_create(device=device, day=day)
    languages = dict(row.languages)
    for code, n in (use.get("languages") or {}).items():
        languages[code] = languages.get(code, 0) + n
    searches = dict(row.searches)
    for text, n in (use.get("searches") or {}).items():
        key = " ".join(fold("".join(ch for ch in text if not ch.isdigit())).split())[:60]  # no numbers kept
        if key:
            searches[key] = searches.get(key, 0) + n
    searches = dict(sorted(searches.items(), key=lambda kv: -kv[1])[:SEARCHES_KEPT])
    Use.objects.filter(pk=row.pk).update(sessions=F("sessions") + use.get("sessions", 0),
                                         handoffs=F("handoffs") + use.get("handoffs", 0),
                                         languages=languages, searches=searches)


def command_queue(device: Device, kind: str, payload: dict[str, Any] | None = None, *, user: Any = None) -> Command:
    """A command for the device's next heartbeat."""
    return Command.objects.create(device=device, kind=kind, payload=payload or {},
                                  created_by=user if getattr(user, "is_authenticated", False) else None)


PLAN_SOURCE = "KH 115/KH-UBND (2019), mục 2.2"
DATA = Path(__file__).resolve().parent / "data"


@transaction.atomic
def locations_load(path: Any = None) -> int:
    """The locations the plan names (data/locations.toml), run by the promotion centre; new ones only (an
    officer's edits are kept). Returns how many were created."""
    import tomllib

    from xuthanh.catalog.models import Place
    from xuthanh.orgs.models import Organisation

    with Path(path or DATA / "locations.toml").open("rb") as handle:
        records = tomllib.load(handle).get("location", [])
    centre = Organisation.objects.filter(kind=Organisation.Kind.PROMOTION_CENTRE).first()
    created = 0
    for record in records:
        if Location.objects.filter(slug=record["slug"]).exists():
            continue
        place = Place.objects.filter(slug=record["place"]).first()
        if place is None:
            raise ValueError(f"locations.toml, {record['slug']}: no catalogue place {record['place']}")
        location = Location(slug=record["slug"], kind=record["kind"], place=place, operator=centre,
                            named_in_plan=True, source=PLAN_SOURCE, note_source=record.get("note_source", ""))
        for lang, name in record["name"].items():
            location.set_current_language(lang)
            location.name, location.note = name, record.get("note", {}).get(lang, "")
        location.save()
        created += 1
    return created


def screen_time(device: Device, moment: dt.time) -> bool:
    """Should the device's screen be on at `moment` (local)? (core.hours.daily_spans: equal times all day,
    an end before the start wraps past midnight; kiosk.js reads them the same way.)"""
    from xuthanh.core.hours import within_daily

    return within_daily(device.screen_on, device.screen_off, moment)


def offline_alerts(now: dt.datetime | None = None) -> dict[str, int]:
    """One e-mail per outage for each enrolled kiosk that is offline (no heartbeat for an hour) while its
    screen should be on: to the unit that runs its location and to KIOSK_ALERT_EMAIL (core.heartbeats:
    claimed before sending, never twice, retried after a failed sending)."""
    from django.conf import settings
    from django.utils import translation

    now = now or timezone.now()
    local = timezone.localtime(now)

    def alert(device: Device) -> heartbeats.Alert | None:
        if not screen_time(device, local.time()):
            return None  # switched off for the night: not an outage
        recipients = [a for a in (getattr(device.location.operator, "email", ""), settings.KIOSK_ALERT_EMAIL) if a]
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Kiosk offline: %(kiosk)s") % {"kiosk": device}
            body = _("The kiosk %(kiosk)s has sent no heartbeat since %(seen)s, during its opening hours "
                     "(%(on)s–%(off)s). Check its power and network; the fleet's dashboard shows its state.") % {
                "kiosk": device, "seen": timezone.localtime(device.last_seen_at).strftime("%d/%m/%Y %H:%M"),
                "on": device.screen_on.strftime("%H:%M"), "off": device.screen_off.strftime("%H:%M")}
        return heartbeats.Alert(recipients, subject, body)

    silent = Device.objects.filter(state=Device.State.ACTIVE, token_hash__isnull=False).select_related(
        "location__operator")
    return heartbeats.outage_alerts(silent, now=now, alert=alert, log_name=__name__)


SEARCHES_RETAINED_DAYS = 365


def use_searches_purge(today: dt.date) -> int:
    """The searches typed at kiosks are kept a year, then forgotten (the other counts stay)."""
    return Use.objects.filter(day__lt=today - dt.timedelta(days=SEARCHES_RETAINED_DAYS)).exclude(
        searches={}).update(searches={})


SCREENSHOT_MAX_BYTES = 1024 * 1024  # what the kiosk sends (a JPEG of the screen)
SCREENSHOT_WIDTH = 480  # what is kept: enough to see what shows, too small to read a half-typed word
SCREENSHOT_EVERY = dt.timedelta(minutes=30)  # the kiosk sends one an hour; more often is refused


class ScreenshotRefused(ValueError):
    """The image is refused; `status` is the HTTP answer (413, 415, 422 or 429) and the message says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def screenshot_store(device: Device, data: bytes, *, now: dt.datetime | None = None) -> None:
    """Keep a kiosk's screenshot, reduced to SCREENSHOT_WIDTH (its metadata dropped), in place of the
    previous one (one per device: storage stays bounded). At most one every SCREENSHOT_EVERY."""
    import uuid

    from django.core.files.base import ContentFile

    from xuthanh.core import images

    now = now or timezone.now()
    if len(data) > SCREENSHOT_MAX_BYTES:
        raise ScreenshotRefused(413, f"A screenshot is at most {SCREENSHOT_MAX_BYTES // 1024} KB.")
    try:
        images.inspect(data, max_bytes=SCREENSHOT_MAX_BYTES, max_side=8000)
    except images.ImageCheckError as exc:
        raise ScreenshotRefused(415, f"Not an acceptable screenshot: {exc}.") from exc
    small = images.rendition(data, width=SCREENSHOT_WIDTH, fmt="JPEG", quality=70)
    from django.db.models import Q

    # the turn is claimed first: of two uploads at once, one is stored and the other refused
    if not Device.objects.filter(Q(screenshot_at__isnull=True) | Q(screenshot_at__lte=now - SCREENSHOT_EVERY),
                                 pk=device.pk).update(screenshot_at=now):
        raise ScreenshotRefused(429, f"One screenshot every {SCREENSHOT_EVERY.seconds // 60} minutes at most.")
    old = Device.objects.filter(pk=device.pk).values_list("screenshot", flat=True).first() or ""
    device.screenshot.save(f"{uuid.uuid4().hex}.jpg", ContentFile(small), save=False)
    device.screenshot_at = now
    Device.objects.filter(pk=device.pk).update(screenshot=device.screenshot.name)
    if old:
        device.screenshot.storage.delete(old)
