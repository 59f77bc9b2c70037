"""A planned trip: what was asked, what was planned, and its two unguessable links: the view link that shares
it (read only) and the edit link that changes it."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuthanh.core.models import TimeStamped


def new_share_token() -> str:
    """32 random bytes, URL-safe: a key to an anonymous trip (its view link or its edit link)."""
    return secrets.token_urlsafe(32)


class Trip(TimeStamped):
    token = models.CharField(_("share token"), max_length=64, unique=True, default=new_share_token, editable=False)
    edit_token = models.CharField(
        _("edit token"),
        max_length=64,
        unique=True,
        default=new_share_token,
        editable=False,
        help_text=_("The key of the edit link: whoever holds it may change the trip. The share token only shows it."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trips",
    )
    request = models.JSONField(_("request"), default=dict)
    plan = models.JSONField(_("plan"), default=dict)
    locked = models.JSONField(
        _("locked stops"), default=list, blank=True, help_text=_("Stops the traveller keeps: [{place, day}]")
    )

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        ordering = ["-created_at"]

    @property
    def dates(self) -> tuple[dt.date, dt.date] | None:
        """First and last day, or None for a malformed request."""
        try:
            return dt.date.fromisoformat(self.request["start_date"]), dt.date.fromisoformat(self.request["end_date"])
        except (KeyError, TypeError, ValueError):
            return None

    def __str__(self) -> str:
        return f"{self.request.get('start_date', '?')} – {self.request.get('end_date', '?')}"
