"""Registered API clients (partners, kiosks, the app): a hashed key, allowed browser origins, a rate limit."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuthanh.core.heartbeats import hash_key  # noqa: F401 - one way to keep keys, shared with the devices
from xuthanh.orgs.models import Organisation


class ApiClient(models.Model):
    name = models.CharField(_("name"), max_length=150)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.CASCADE
    )
    key_prefix = models.CharField(_("key prefix"), max_length=8, editable=False, db_index=True)
    key_hash = models.CharField(max_length=64, editable=False, unique=True)
    origins = models.TextField(
        _("allowed origins"), blank=True, help_text=_("One per line, e.g. https://xa-tay-do.thanhhoa.gov.vn")
    )
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def origin_list(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.origins.splitlines() if line.strip()]

    def issue_key(self) -> str:
        """A new secret key; only its hash is stored, so it is shown once."""
        key = "xt_" + secrets.token_urlsafe(24)
        self.key_prefix = key[:8]
        self.key_hash = hash_key(key)
        return key
