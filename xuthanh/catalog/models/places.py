"""Places: attractions, accommodation, food, shopping, transport hubs and services, with their hours and prices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from parler.models import TranslatedFields

from xuthanh.areas.boundary import in_province
from xuthanh.areas.models import Commune
from xuthanh.catalog.models.base import TranslatedContent, translation_status_field
from xuthanh.core import hours as hours_lib
from xuthanh.core.sourcetrack import tracking_fields
from xuthanh.orgs.models import Organisation


class Place(TranslatedContent):
    class Kind(models.TextChoices):
        ATTRACTION = "attraction", _("Attraction")
        ACCOMMODATION = "accommodation", _("Accommodation")
        FOOD = "food", _("Food and drink")
        SHOPPING = "shopping", _("Shopping")
        TRANSPORT = "transport", _("Transport hub")
        SERVICE = "service", _("Tourist service")

    class Category(models.TextChoices):
        HERITAGE = "heritage", _("World / special national heritage")
        RELIC = "relic", _("Historic relic")
        TEMPLE = "temple", _("Temple, pagoda, shrine")
        MUSEUM = "museum", _("Museum")
        BEACH = "beach", _("Beach")
        NATURE = "nature", _("Nature reserve / national park")
        CAVE = "cave", _("Cave")
        WATERFALL = "waterfall", _("Waterfall")
        CRAFT_VILLAGE = "craft_village", _("Craft village")
        COMMUNITY = "community", _("Eco / community tourism")
        LANDSCAPE = "landscape", _("Landscape, lake, island")
        MONUMENT = "monument", _("Monument, square")
        ENTERTAINMENT = "entertainment", _("Entertainment, park")
        HOTEL = "hotel", _("Hotel")
        RESORT = "resort", _("Resort")
        HOMESTAY = "homestay", _("Homestay")
        GUESTHOUSE = "guesthouse", _("Guesthouse")
        RESTAURANT = "restaurant", _("Restaurant")
        STREET_FOOD = "street_food", _("Street food")
        CAFE = "cafe", _("Café")
        MARKET = "market", _("Market")
        SOUVENIR = "souvenir", _("Souvenir shop")
        MALL = "mall", _("Shopping centre")
        AIRPORT = "airport", _("Airport")
        RAILWAY_STATION = "railway_station", _("Railway station")
        BORDER_GATE = "border_gate", _("Border gate")
        BUS_STATION = "bus_station", _("Bus station")
        SEAPORT = "seaport", _("Seaport")
        TOURIST_INFO = "tourist_info", _("Tourist information")
        TRAVEL_AGENCY = "travel_agency", _("Travel agency")
        OTHER = "other", _("Other")

    CATEGORIES_BY_KIND: dict[str, set[str]] = {
        Kind.ATTRACTION: {
            "heritage",
            "relic",
            "temple",
            "museum",
            "beach",
            "nature",
            "cave",
            "waterfall",
            "craft_village",
            "community",
            "landscape",
            "monument",
            "entertainment",
        },
        Kind.ACCOMMODATION: {"hotel", "resort", "homestay", "guesthouse"},
        Kind.FOOD: {"restaurant", "street_food", "cafe", "market"},
        Kind.SHOPPING: {"market", "souvenir", "mall"},
        Kind.TRANSPORT: {"airport", "railway_station", "border_gate", "bus_station", "seaport"},
        Kind.SERVICE: {"tourist_info", "travel_agency", "other"},
    }

    SCOPE_COMMUNE = "commune"
    SCOPE_SITE = "managed_by"
    SCOPE_OPERATOR = "operator"
    SEARCH_TRANSLATED = ("name",)
    AUDIT_CHILDREN = ("opening_rules", "closure_dates", "tickets", "photos")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, db_index=True)
    translations = TranslatedFields(
        name=models.CharField(_("name"), max_length=200),
        summary=models.CharField(_("summary"), max_length=300, blank=True),
        description=models.TextField(_("description"), blank=True),
        accessibility=models.TextField(_("accessibility notes"), blank=True),
        translation_status=translation_status_field(),
        **tracking_fields(),
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune / ward"), on_delete=models.PROTECT, related_name="places"
    )
    former_district = models.CharField(_("former district"), max_length=60, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    location_verified = models.BooleanField(
        _("location checked"),
        default=False,
        help_text=_(
            "The point was checked against a published coordinate, a map or a visit (to ~1 km or better)."
        ),
    )
    location_uncertainty_m = models.PositiveIntegerField(
        _("location uncertainty (m)"),
        null=True,
        blank=True,
        help_text=_(
            "Radius in metres within which the entrance or centre of the place lies, as far as the source allows "
            "(a coordinate given to the minute is ±1,800 m). Empty: unknown."
        ),
    )
    location_source = models.CharField(
        _("location source"), max_length=500, blank=True, help_text=_("Where the coordinate comes from (a URL).")
    )
    location_evidence = models.CharField(
        _("what the source says"),
        max_length=500,
        blank=True,
        help_text=_("E.g. “infobox: 19°54′52″N 105°24′26″E”, or the basis of an estimate."),
    )
    visit_minutes = models.PositiveSmallIntegerField(_("typical visit (minutes)"), default=60)
    always_open = models.BooleanField(_("open 24/7"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    stars = models.PositiveSmallIntegerField(_("official class (stars)"), null=True, blank=True)
    rooms = models.PositiveIntegerField(_("rooms"), null=True, blank=True)
    price_from_vnd = models.PositiveIntegerField(
        _("prices from (VND)"), null=True, blank=True, help_text=_("Lodging: a night; food: a meal per person.")
    )
    price_to_vnd = models.PositiveIntegerField(_("prices up to (VND)"), null=True, blank=True)
    managed_by = models.ForeignKey(
        Organisation,
        verbose_name=_("management board"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_places",
        limit_choices_to={"kind": Organisation.Kind.SITE_BOARD},
    )
    operator = models.ForeignKey(
        Organisation,
        verbose_name=_("business"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="operated_places",
        limit_choices_to={"kind": Organisation.Kind.BUSINESS},
    )
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Invented business for demonstrations.")
    )
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Where the facts come from, one per line.")
    )
    key_site = models.BooleanField(
        _("key tourist site"), default=False, db_index=True,
        help_text=_("On the department's list of key sites (public wifi and kiosks are planned there)."),
    )
    key_site_source = models.CharField(
        _("key site decision"), max_length=300, blank=True,
        help_text=_("The decision that lists it (number, date, issuer)."),
    )

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["-popularity", "slug"]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["lat", "lon"]),
            # The public lists at 100,000 places: a page in the default order, all, of one kind or of one
            # commune, read from the index; the latest change of the published places (the lists' ETag) without a scan.
            models.Index(fields=["status", "-popularity", "slug"], name="place_status_popular_idx"),
            models.Index(fields=["status", "kind", "-popularity", "slug"], name="place_status_kind_pop_idx"),
            models.Index(fields=["commune", "status", "-popularity", "slug"], name="place_commune_pop_idx"),
            models.Index(fields=["status", "updated_at"], name="place_status_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(lat__gte=-90, lat__lte=90), name="place_lat_range"),
            models.CheckConstraint(condition=models.Q(lon__gte=-180, lon__lte=180), name="place_lon_range"),
            models.CheckConstraint(
                condition=models.Q(stars__isnull=True) | models.Q(stars__gte=1, stars__lte=5),
                name="place_stars_range",
            ),
        ]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.kind and self.category and self.category not in self.CATEGORIES_BY_KIND.get(self.kind, set()):
            errors.setdefault("category", []).append(
                _("Category “%(category)s” does not fit kind “%(kind)s”.")
                % {"category": self.get_category_display(), "kind": self.get_kind_display()}
            )
        if self.lat is not None and self.lon is not None:
            if not (-90 <= self.lat <= 90 and -180 <= self.lon <= 180):
                errors.setdefault("lat", []).append(_("Latitude/longitude out of range (WGS84 degrees)."))
            elif not in_province(self.lat, self.lon):
                errors.setdefault("lat", []).append(
                    _(
                        "The point %(lat).5f, %(lon).5f is outside Thanh Hóa province. Check that latitude and "
                        "longitude are not swapped and are in decimal degrees."
                    )
                    % {"lat": self.lat, "lon": self.lon}
                )
        if self.stars is not None and self.kind != self.Kind.ACCOMMODATION:
            errors.setdefault("stars", []).append(_("Only accommodation has an official class."))
        low, high = self.price_from_vnd, self.price_to_vnd
        if low is not None and high is not None and high < low:
            errors.setdefault("price_to_vnd", []).append(_("The highest price is below the lowest."))
        if self.key_site and not self.key_site_source.strip():
            errors.setdefault("key_site_source", []).append(
                _("Name the decision that lists this place as a key site (number, date, issuer).")
            )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:place_detail", args=[self.slug])

    @property
    def location_precise(self) -> bool:
        """May a map show this place as a pin? Only when its point was checked against a source and lies
        within PRECISE_WITHIN_M of the place; otherwise maps show an area and the text says "approximate"."""
        return location_precise(self.location_verified, self.location_uncertainty_m)

    @property
    def approximate_radius_m(self) -> int | None:
        """None for a precise point; else the radius of the area to show instead of a pin."""
        return approximate_radius_m(self.location_verified, self.location_uncertainty_m)

    def extra_search_terms(self) -> list[str]:
        terms = [self.former_district, self.address]
        if self.commune_id:
            terms += [self.commune.name, self.commune.former_districts]
        return terms

    # ---- opening hours ----
    def hours(self) -> hours_lib.Hours:
        return hours_of(
            [r.fields() for r in self.opening_rules.all()], self.always_open, [c.date for c in self.closure_dates.all()]
        )

    def is_open_at(self, moment: dt.datetime | None = None) -> bool:
        moment = timezone.localtime(moment or timezone.now())
        return self.hours().is_open(moment)

    @property
    def hours_text(self) -> str:
        return hours_lib.format_hours(self.hours())


PRECISE_WITHIN_M = 500  # a pin within 500 m still leads a visitor to the right place
APPROXIMATE_DEFAULT_M = 3000  # the area shown for an unchecked point whose uncertainty nobody entered


def location_precise(verified: bool, uncertainty_m: int | None) -> bool:
    return bool(verified) and uncertainty_m is not None and uncertainty_m <= PRECISE_WITHIN_M


def approximate_radius_m(verified: bool, uncertainty_m: int | None) -> int | None:
    if location_precise(verified, uncertainty_m):
        return None
    return max(PRECISE_WITHIN_M, uncertainty_m or APPROXIMATE_DEFAULT_M)


WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


def _validate_weekdays(value: str) -> None:
    if not value or any(ch not in "0123456" for ch in value) or len(set(value)) != len(value):
        raise ValidationError(
            _("Weekdays are digits 0 (Monday) to 6 (Sunday), each at most once, e.g. 01234.")
        )


def _validate_month_day(value: str) -> None:
    try:
        month, day = (int(part) for part in value.split("-"))
        hours_lib.validate_month_day(month, day)
    except (ValueError, hours_lib.HoursError) as exc:
        raise ValidationError(_("“%(value)s” is not a month-day like 04-30.") % {"value": value}) from exc


class OpeningRule(models.Model):
    """One opening interval on some weekdays, all year or in a season; a 'closed' row closes those days."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="opening_rules")
    weekdays = models.CharField(
        _("weekdays"),
        max_length=7,
        default="0123456",
        validators=[_validate_weekdays],
        help_text=_("0 = Monday … 6 = Sunday, e.g. 0123456 for every day, 56 for weekends."),
    )
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(
        _("closes"), null=True, blank=True, help_text=_("Earlier than opening = after midnight.")
    )
    closed = models.BooleanField(_("closed"), default=False)
    season_start = models.CharField(
        _("season from (MM-DD)"), max_length=5, blank=True, validators=[_validate_month_day]
    )
    season_end = models.CharField(
        _("season to (MM-DD)"), max_length=5, blank=True, validators=[_validate_month_day]
    )

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.weekdays} {self.opens}-{self.closes}"

    def clean(self) -> None:
        if bool(self.season_start) != bool(self.season_end):
            raise ValidationError(_("Give both ends of the season, or neither."))
        if not self.closed and (self.opens is None or self.closes is None):
            raise ValidationError(_("Give opening and closing times, or tick “closed”."))
        if not self.closed and self.opens == self.closes:
            raise ValidationError(_("Opening and closing times are the same."))

    def fields(self) -> tuple:
        """The columns `hours_of` reads, in `RULE_COLUMNS` order."""
        return tuple(getattr(self, name) for name in RULE_COLUMNS)


RULE_COLUMNS = ("weekdays", "opens", "closes", "closed", "season_start", "season_end")


def _rule(
    weekdays: str, opens: dt.time | None, closes: dt.time | None, closed: bool, season_start: str, season_end: str
) -> tuple[frozenset[int], tuple | None, tuple[int, int] | None]:
    """One stored opening rule as `hours.merge_rows` takes it: weekdays, season, interval (None when closed)."""
    season = None
    if season_start:
        start = tuple(int(p) for p in season_start.split("-"))
        end = tuple(int(p) for p in season_end.split("-"))
        season = (start[0], start[1]), (end[0], end[1])
    interval = None
    if not closed:
        first, last = opens.hour * 60 + opens.minute, closes.hour * 60 + closes.minute
        interval = (first, last if last > first else last + hours_lib.MINUTES_PER_DAY)
    return frozenset(int(ch) for ch in weekdays), season, interval


def hours_of(rules: Iterable[tuple], always_open: bool, closed_dates: Iterable[dt.date]) -> hours_lib.Hours:
    """A place's hours from its stored rules (rows of RULE_COLUMNS), always-open flag and closure dates: what
    `Place.hours` reads from loaded objects and the API's list reads from flat rows."""
    merged = hours_lib.merge_rows([_rule(*row) for row in rules])
    return hours_lib.Hours(rules=merged.rules, always_open=always_open, closed_dates=frozenset(closed_dates))


class ClosureDate(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="closure_dates")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closed on")
        verbose_name_plural = _("closed on (exceptions)")
        constraints = [models.UniqueConstraint(fields=["place", "date"], name="unique_closure_date")]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class TicketPrice(models.Model):
    class Audience(models.TextChoices):
        ADULT = "adult", _("Adult")
        CHILD = "child", _("Child")
        STUDENT = "student", _("Student")
        SENIOR = "senior", _("Senior")
        FOREIGNER = "foreigner", _("Foreign visitor")
        GROUP = "group", _("Group")
        SERVICE = "service", _("Service / activity")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="tickets")
    audience = models.CharField(_("for"), max_length=10, choices=Audience.choices, default=Audience.ADULT)
    label = models.CharField(
        _("label"), max_length=120, blank=True, help_text=_("Optional detail in Vietnamese.")
    )
    label_en = models.CharField(_("label (English)"), max_length=120, blank=True)
    price_vnd = models.PositiveIntegerField(_("price (VND)"))

    class Meta:
        verbose_name = _("ticket price")
        verbose_name_plural = _("ticket prices")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} {self.price_vnd:,} ₫"
