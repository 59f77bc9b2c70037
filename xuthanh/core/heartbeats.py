"""What every device that reports to the platform shares (the kiosks, the wifi gateways): a bearer token
kept only as its hash, read from the request's Authorization header, and each heartbeat folded into the
device's uptime intervals (core.uptime) so that storage stays one row per stretch of uptime, not per beat."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
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
