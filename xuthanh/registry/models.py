"""The registry of tourism businesses the department manages: establishments (accommodation by the types of
the Law on Tourism 2017 art. 48, travel agencies, sites, restaurants, shops), their credentials (star rating
decisions, travel licences), agency branches and tour guide cards.

An establishment is a reporting unit of the statistics (stats.Report) and may be (or link to) a catalogue
place. Scope follows orgs.permissions: the business that operates it and the commune where it lies.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xuthanh.areas.models import Commune
from xuthanh.catalog.models import Place
from xuthanh.core.models import TimeStamped
from xuthanh.core.text import fold
from xuthanh.orgs.models import Organisation

_TAX_CODE = re.compile(r"\d{10}(-\d{3})?")


class Establishment(TimeStamped):
    class Kind(models.TextChoices):
        ACCOMMODATION = "accommodation", _("Accommodation establishment")
        TRAVEL = "travel", _("Travel agency")
        SITE = "site", _("Tourist site")
        RESTAURANT = "restaurant", _("Restaurant meeting the tourism service standard")
        SHOP = "shop", _("Shop meeting the tourism service standard")
        OTHER = "other", _("Other tourism service")

    class AccommodationType(models.TextChoices):  # Law on Tourism 2017, art. 48
        HOTEL = "hotel", _("Hotel")
        VILLA = "villa", _("Tourist villa")
        APARTMENT = "apartment", _("Tourist apartment")
        BOAT = "boat", _("Tourist boat with accommodation")
        GUESTHOUSE = "guesthouse", _("Tourist guesthouse")
        HOMESTAY = "homestay", _("Homestay")
        CAMPING = "camping", _("Tourist camping site")
        OTHER = "other", _("Other accommodation")

    class TravelScope(models.TextChoices):  # Law on Tourism 2017, art. 30
        DOMESTIC = "domestic", _("Domestic travel")
        INTERNATIONAL = "international", _("International travel (inbound and outbound)")

    class State(models.TextChoices):
        OPERATING = "operating", _("Operating")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    # The types whose class may be rated 1–5 stars (Law on Tourism 2017, art. 50).
    STAR_TYPES = frozenset({AccommodationType.HOTEL, AccommodationType.VILLA, AccommodationType.APARTMENT,
                            AccommodationType.BOAT})

    SCOPE_COMMUNE = "commune"
    SCOPE_OPERATOR = "operator"
    AUDIT_CHILDREN = ("credentials", "branches")

    code = models.SlugField(
        _("registry code"), max_length=40, unique=True,
        help_text=_("The department's register number (letters, digits and hyphens), the key of imports."),
    )
    name = models.CharField(_("name"), max_length=200)
    tax_code = models.CharField(
        _("tax code"), max_length=14, blank=True, db_index=True,
        help_text=_("Enterprise or household tax code (10 digits, or 10 digits-3 digits for a branch)."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    accommodation_type = models.CharField(
        _("accommodation type"), max_length=12, choices=AccommodationType.choices, blank=True
    )
    rooms = models.PositiveIntegerField(_("rooms"), null=True, blank=True)
    beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    travel_scope = models.CharField(_("travel licence scope"), max_length=16, choices=TravelScope.choices, blank=True)
    operator = models.ForeignKey(
        Organisation, verbose_name=_("operating business"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="establishments", limit_choices_to={"kind": Organisation.Kind.BUSINESS},
    )
    commune = models.ForeignKey(Commune, verbose_name=_("commune/ward"), on_delete=models.PROTECT,
                                related_name="establishments")
    address = models.CharField(_("address"), max_length=300)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    place = models.ForeignKey(
        Place, verbose_name=_("catalogue place"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="establishments",
        help_text=_("The place visitors see on the portal for this establishment, if it is listed."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True, help_text=_("Where expiry alerts and report reminders go."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPERATING,
                             db_index=True)
    state_since = models.DateField(_("in this state since"), null=True, blank=True)
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Invented record for demonstrations; not a real business.")
    )
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("establishment")
        verbose_name_plural = _("establishments")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "state"])]

    def __str__(self) -> str:
        return f"{self.name} ({_('sample')})" if self.is_sample else self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == self.Kind.ACCOMMODATION:
            if not self.accommodation_type:
                errors["accommodation_type"] = _("An accommodation establishment needs its type (art. 48).")
            if not self.rooms:
                errors["rooms"] = _("An accommodation establishment needs its number of rooms.")
            if self.rooms and self.beds is not None and self.beds < self.rooms:
                errors["beds"] = _("Fewer beds than rooms: check both numbers.")
        elif self.accommodation_type or self.rooms or self.beds:
            errors["accommodation_type"] = _("Type, rooms and beds are for accommodation establishments only.")
        if self.kind == self.Kind.TRAVEL and not self.travel_scope:
            errors["travel_scope"] = _("A travel agency needs the scope of its licence.")
        if self.kind != self.Kind.TRAVEL and self.travel_scope:
            errors["travel_scope"] = _("A licence scope is for travel agencies only.")
        if self.tax_code and not _TAX_CODE.fullmatch(self.tax_code):
            errors["tax_code"] = _("A tax code is 10 digits, or 10 digits, a hyphen and 3 digits.")
        if (self.lat is None) != (self.lon is None):
            errors["lat"] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.name} {self.code} {self.tax_code} {self.address}")
        super().save(*args, **kwargs)

    @property
    def star_rated(self) -> bool:
        return self.accommodation_type in self.STAR_TYPES

    def current_stars(self, on: dt.date | None = None) -> int | None:
        from django.utils import timezone

        on = on or timezone.localdate()
        valid = [c for c in self.credentials.all() if c.kind == Credential.Kind.STAR_RATING and c.valid_on(on)]
        return max((c.stars or 0 for c in valid), default=None) or None



class Credential(models.Model):
    """A decision that gives an establishment a right for a time: a star rating or a travel licence."""

    class Kind(models.TextChoices):
        STAR_RATING = "stars", _("Star rating decision")
        TRAVEL_LICENCE = "licence", _("Travel business licence")

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="credentials")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    number = models.CharField(_("decision / licence number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=200)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    deposit_vnd = models.BigIntegerField(_("deposit (VND)"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta:
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__isnull=True) | models.Q(stars__gte=1, stars__lte=5),
                name="credential_stars_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def clean(self) -> None:
        if self.kind == self.Kind.STAR_RATING and not self.stars:
            raise ValidationError({"stars": _("A star rating decision gives 1 to 5 stars.")})
        if self.kind == self.Kind.TRAVEL_LICENCE and self.stars:
            raise ValidationError({"stars": _("A travel licence has no stars.")})
        if self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("It cannot expire before it was issued.")})

    def valid_on(self, day: dt.date) -> bool:
        return (
            self.issued_on <= day
            and (self.expires_on is None or day <= self.expires_on)
            and (self.revoked_on is None or day < self.revoked_on)
        )


class Branch(models.Model):
    """A branch office of a travel agency."""

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="branches")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    commune = models.ForeignKey(Commune, verbose_name=_("commune/ward"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    def __str__(self) -> str:
        return self.name


class GuideCard(TimeStamped):
    """A tour guide card (Law on Tourism 2017, art. 58): its holder, type, languages, validity and employer.
    Only what a traveller needs to check a card is kept: no birth date, no ID number."""

    class CardType(models.TextChoices):
        INTERNATIONAL = "international", _("International tour guide")
        DOMESTIC = "domestic", _("Domestic tour guide")
        SITE = "site", _("On-site tour guide")

    SCOPE_OPERATOR = "employer__operator"

    number = models.CharField(_("card number"), max_length=20, unique=True)
    holder_name = models.CharField(_("holder"), max_length=120)
    card_type = models.CharField(_("card type"), max_length=14, choices=CardType.choices)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("Language codes separated by commas: en, zh, fr…")
    )
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issued by"), max_length=200)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    employer = models.ForeignKey(
        Establishment, verbose_name=_("travel agency"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="guides", limit_choices_to={"kind": Establishment.Kind.TRAVEL},
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    is_sample = models.BooleanField(_("sample"), default=False)

    class Meta:
        verbose_name = _("tour guide card")
        verbose_name_plural = _("tour guide cards")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} – {self.holder_name}"

    def clean(self) -> None:
        if self.card_type in (self.CardType.INTERNATIONAL, self.CardType.DOMESTIC) and not self.expires_on:
            raise ValidationError({"expires_on": _("International and domestic cards are valid for 5 years.")})
        if self.card_type == self.CardType.INTERNATIONAL and not self.language_list:
            raise ValidationError({"languages": _("An international card names the foreign languages.")})
        if self.expires_on and self.expires_on < self.issued_on:
            raise ValidationError({"expires_on": _("It cannot expire before it was issued.")})
        if self.revoked_on and not self.revoked_reason:
            raise ValidationError({"revoked_reason": _("Say why the card was revoked.")})

    def save(self, *args, **kwargs) -> None:
        self.number = self.number.strip().upper()  # one card per number, whatever the letter case typed
        super().save(*args, **kwargs)

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class ExpiryNotice(models.Model):
    """One alert sent: `key` names the credential or card and the threshold, so an alert is sent once."""

    key = models.CharField(max_length=80, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.key
