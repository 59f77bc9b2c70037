"""Province and commune-level units, keyed by their official (GSO) codes rather than names."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xuthanh.core.text import fold

THANH_HOA_CODE = 38


class Province(models.Model):
    code = models.PositiveIntegerField(_("official code"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "xa", _("Commune")
        WARD = "phuong", _("Ward")
        SPECIAL = "dac_khu", _("Special zone")

    code = models.PositiveIntegerField(_("official code"), unique=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    codename = models.CharField(max_length=100)
    former_districts = models.CharField(
        _("former district(s)"), max_length=200, blank=True, help_text=_("District(s) before 1 July 2025.")
    )
    former_communes = models.TextField(_("former communes"), blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("commune / ward")
        verbose_name_plural = _("communes / wards")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(" ".join([self.name, self.former_districts, self.former_communes]))
        super().save(*args, **kwargs)

    @property
    def short_name(self) -> str:
        for prefix in ("Phường ", "Xã ", "Đặc khu "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name
