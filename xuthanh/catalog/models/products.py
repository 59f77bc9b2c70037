"""Local specialties (dishes, products, drinks) and tourism products (tours) of registered businesses."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatedFields

from xuthanh.areas.models import Commune
from xuthanh.catalog.models.base import TranslatedContent, translation_status_field
from xuthanh.catalog.models.places import Place
from xuthanh.core.sourcetrack import tracking_fields
from xuthanh.orgs.models import Organisation


class Specialty(TranslatedContent):
    class Kind(models.TextChoices):
        DISH = "dish", _("Dish")
        PRODUCT = "product", _("Product")
        DRINK = "drink", _("Drink")

    SCOPE_COMMUNE = "commune"

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        summary=models.CharField(_("summary"), max_length=300, blank=True),
        description=models.TextField(_("description"), blank=True),
        origin=models.CharField(_("place of origin"), max_length=200, blank=True),
        translation_status=translation_status_field(),
        **tracking_fields(),
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune of origin"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="specialties",
    )
    places = models.ManyToManyField(
        Place, verbose_name=_("where to find it"), blank=True, related_name="specialties"
    )
    sources = models.TextField(_("sources"), blank=True)

    class Meta:
        verbose_name = _("specialty")
        verbose_name_plural = _("specialties")
        ordering = ["-popularity", "slug"]

    def extra_search_terms(self) -> list[str]:
        terms = [t.origin for t in self.translations.all()]
        if self.commune_id:
            terms += [self.commune.name, self.commune.former_districts]
        return terms


class Tour(TranslatedContent):
    SCOPE_OPERATOR = "operator"
    AUDIT_CHILDREN = ("stops",)

    operator = models.ForeignKey(
        Organisation,
        verbose_name=_("travel business"),
        on_delete=models.PROTECT,
        related_name="tours",
        limit_choices_to={"kind": Organisation.Kind.BUSINESS},
    )
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        summary=models.CharField(_("summary"), max_length=300, blank=True),
        description=models.TextField(_("description"), blank=True),
        translation_status=translation_status_field(),
        **tracking_fields(),
    )
    days = models.PositiveSmallIntegerField(_("days"), default=1)
    price_vnd = models.PositiveIntegerField(_("price from (VND)"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample"), default=False)

    class Meta:
        verbose_name = _("tour")
        verbose_name_plural = _("tours")
        ordering = ["-popularity", "slug"]
        constraints = [
            models.CheckConstraint(condition=models.Q(days__gte=1, days__lte=60), name="tour_days")
        ]

    def clean(self) -> None:
        if self.operator_id and self.operator.kind != Organisation.Kind.BUSINESS:
            raise ValidationError({"operator": _("A tour is offered by a registered tourism business.")})


class TourStop(models.Model):
    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops")
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="tour_stops"
    )
    day = models.PositiveSmallIntegerField(_("day"), default=1)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("tour stop")
        verbose_name_plural = _("tour stops")
        ordering = ["day", "position", "id"]

    def __str__(self) -> str:
        return f"{self.day}.{self.position} {self.place}"
