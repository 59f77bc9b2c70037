"""Organisations, the business registry and memberships (user × organisation × role)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuthanh.areas.models import Commune
from xuthanh.core.models import TimeStamped
from xuthanh.core.text import fold


class Organisation(TimeStamped):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department of Culture, Sports and Tourism")
        PROMOTION_CENTRE = "promotion", _("Investment, Trade and Tourism Promotion Centre")
        COMMUNE = "commune", _("Commune / ward people's committee")
        SITE_BOARD = "site_board", _("Site management board")
        BUSINESS = "business", _("Tourism business")
        PARTNER = "partner", _("Partner organisation")

    class BusinessType(models.TextChoices):
        TRAVEL_AGENCY = "travel_agency", _("Travel agency")
        ACCOMMODATION = "accommodation", _("Accommodation")
        RESTAURANT = "restaurant", _("Restaurant")
        TRANSPORT = "transport", _("Tourist transport")
        OTHER = "other", _("Other service")

    AUDIT_CHILDREN = ("memberships",)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short id"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    communes = models.ManyToManyField(
        Commune,
        verbose_name=_("area (communes/wards)"),
        blank=True,
        related_name="organisations",
        help_text=_("For a commune or a site board: the communes whose content its editors may edit."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    business_type = models.CharField(
        _("business type"), max_length=16, choices=BusinessType.choices, blank=True
    )
    licence_no = models.CharField(_("licence number"), max_length=60, blank=True)
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Invented record for demonstrations; not a real business.")
    )
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({_('sample')})" if self.is_sample else self.name

    @property
    def province_wide(self) -> bool:
        return self.kind in (self.Kind.DEPARTMENT, self.Kind.PROMOTION_CENTRE)

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.name} {self.slug} {self.licence_no}")
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    EDITOR = "editor", _("Editor")
    TRANSLATOR = "translator", _("Translator")
    STATISTICIAN = "statistician", _("Statistician")
    BUSINESS = "business", _("Business representative")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        if not self.user.is_staff:  # members work in the back office
            type(self.user).objects.filter(pk=self.user_id).update(is_staff=True)
            self.user.is_staff = True
