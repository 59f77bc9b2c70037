"""A traveller's e-mail address, kept only once its owner has proved it by the link sent to it (contests ask
for it; nothing else does)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailAddress(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_address")
    email = models.EmailField(_("e-mail address"))
    verified_at = models.DateTimeField(_("verified on"))

    class Meta:
        verbose_name = _("verified e-mail address")
        verbose_name_plural = _("verified e-mail addresses")

    def __str__(self) -> str:
        return self.email
