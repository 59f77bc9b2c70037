"""What every device that reports to the platform shares (the kiosks, the wifi gateways): a bearer token
kept only as its hash, read from the request's Authorization header; each heartbeat folded into the
device's uptime intervals (core.uptime) so that storage stays one row per stretch of uptime, not per beat;
its state in words for the back office; and one e-mail per outage when it falls silent."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from xuthanh.core import uptime


def hash_key(key: str) -> str:
    """How a token or key is kept: its sha256 (tokens are long and random: no salt or stretching needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_new() -> tuple[str, str, str]:
    """(token shown once to the device, its hash to keep, a prefix to recognise it by)."""
    token = secrets.token_urlsafe(32)
    return token, hash_key(token), token[:6]


def bearer(request: HttpRequest) -> str | None:
    """The token of `Authorization: Bearer <token>`, or None when missing or malformed."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    return token


def interval_fold(model: type[models.Model], owner_field: str, owner: Any, now: dt.datetime) -> str:
    """Fold a beat at server time `now` into the owner's intervals (`model` has the owner's foreign key,
    `start` and `end`): the latest one extended, or a new one opened, or nothing (a repeat). The caller
    holds the owner's row lock, so two beats of one device never fold at once. Returns the change's kind."""
    last = model.objects.filter(**{owner_field: owner}).order_by("-start").first()
    change = uptime.fold(uptime.Interval(last.start, last.end) if last else None, now)
    if change.kind == "extend":
        model.objects.filter(pk=last.pk).update(end=change.interval.end)
    elif change.kind == "open":
        model.objects.create(**{owner_field: owner, "start": change.interval.start, "end": change.interval.end})
    return change.kind


STATUS_WORDS = {"online": _("online"), "late": _("late (> 5 min)"), "offline": _("offline (> 1 h)"),
                "never": _("never seen")}


def status_html(last_seen: dt.datetime | None, now: dt.datetime) -> str:
    """A device's state in words for the back office's lists (core.uptime.status), styled by its class."""
    state = uptime.status(last_seen, now)
    return format_html('<span class="kiosk-{}">{}</span>', state, STATUS_WORDS[state])


@dataclass(frozen=True)
class Alert:
    recipients: list[str]
    subject: str
    body: str


def outage_alerts(silent: models.QuerySet, *, now: dt.datetime, alert: Callable[[Any], Alert | None],
                  log_name: str) -> dict[str, int]:
    """One e-mail per outage for each device of `silent` (a model with `last_seen_at` and `alerted_at`)
    heard from more than an hour ago and not yet alerted: `alert(device)` writes the message, or says None
    when it does not count (a kiosk switched off for the night). The outage is claimed before the message
    leaves (never two alerts, even from two runs at once); a failed sending frees it for the next run; the
    device's next heartbeat clears `alerted_at` and so ends the outage. Returns the counts."""
    import logging

    from django.core.mail import send_mail

    counts = {"sent": 0, "failed": 0, "no_address": 0}
    model = silent.model
    for device in silent.filter(alerted_at__isnull=True, last_seen_at__lt=now - uptime.OFFLINE):
        message = alert(device)
        if message is None:
            continue
        if not message.recipients:
            counts["no_address"] += 1
            continue
        if not model.objects.filter(pk=device.pk, alerted_at__isnull=True,
                                    last_seen_at__lt=now - uptime.OFFLINE).update(alerted_at=now):
            continue  # another run claimed it, or a heartbeat came in meanwhile
        try:
            send_mail(message.subject, message.body, None, message.recipients)
        except Exception:  # SMTP refusal, network: the next run tries again
            logging.getLogger(log_name).exception("offline alert for %s %s not sent", model.__name__, device.pk)
            model.objects.filter(pk=device.pk).update(alerted_at=None)
            counts["failed"] += 1
            continue
        counts["sent"] += 1
    return counts
