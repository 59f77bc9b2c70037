"""The planner page's form: what a traveller fills in, turned into the same TripRequest the API takes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Place, Tag
from xuthanh.core.languages import served_language, translated
from xuthanh.core.text import fold
from xuthanh.itinerary.travel import MODES

POINT = "__point"  # the hotel is a point chosen on the map (hotel_lat/hotel_lon)
MODE_LABELS = {
    "car": _("Car"),
    "motorbike": _("Motorbike"),
    "bicycle": _("Bicycle"),
    "walking": _("On foot"),
}


def _place_choices(kinds: list[str], lang: str, shown_in: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(slug, name) of published places of `kinds`, by name; `shown_in` receives the language of each name
    that is not `lang` (a place not yet translated is named in its fallback language)."""
    places = selectors.published(Place).filter(kind__in=kinds).prefetch_related("translations")
    named = []
    for place in places:
        named.append((place.slug, translated(place, "name", lang)))
        if shown_in is not None and (code := served_language(place, lang)) != lang:
            shown_in[place.slug] = code
    return sorted(named, key=lambda choice: fold(choice[1]))


class _LanguageMarked:
    """A select whose options in another language than the page's say so (lang="en"), as the portal's
    texts do, so that a screen reader reads them right and nothing passes off as translated."""

    shown_in: dict[str, str]

    def create_option(self, name: str, value: Any, label: Any, selected: Any, index: int, *args: Any, **kwargs: Any):
        option = super().create_option(name, value, label, selected, index, *args, **kwargs)
        code = getattr(self, "shown_in", {}).get(str(value))
        if code:
            option["attrs"]["lang"] = code
        return option


class LanguageMarkedSelect(_LanguageMarked, forms.Select):
    pass


class LanguageMarkedSelectMultiple(_LanguageMarked, forms.SelectMultiple):
    pass


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class PlanForm(forms.Form):
    start_date = forms.DateField(label=_("First day"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput)
    day_start = forms.TimeField(label=_("Start each day at"), initial=dt.time(8, 0), widget=TimeInput)
    day_end = forms.TimeField(label=_("End each day by"), initial=dt.time(18, 0), widget=TimeInput)
    arrival = forms.ChoiceField(label=_("Arriving at"), widget=LanguageMarkedSelect)
    departure = forms.ChoiceField(label=_("Leaving from"), widget=LanguageMarkedSelect)
    hotel = forms.ChoiceField(label=_("Staying at"), required=False, widget=LanguageMarkedSelect)
    hotel_lat = forms.FloatField(label=_("Hotel latitude"), required=False, min_value=-90, max_value=90)
    hotel_lon = forms.FloatField(label=_("Hotel longitude"), required=False, min_value=-180, max_value=180)
    interests = forms.MultipleChoiceField(
        label=_("Interests"), required=False, widget=forms.CheckboxSelectMultiple
    )
    pace = forms.ChoiceField(
        label=_("Pace"),
        choices=[("relaxed", _("Relaxed")), ("normal", _("Normal")), ("intense", _("Intense"))],
        initial="normal",
        widget=forms.RadioSelect,
    )
    mode = forms.ChoiceField(label=_("Travelling by"), initial="car")
    budget_vnd = forms.IntegerField(
        label=_("Ticket budget per adult (VND)"), required=False, min_value=0, max_value=1_000_000_000
    )
    must_see = forms.MultipleChoiceField(
        label=_("Must-see places"),
        required=False,
        widget=LanguageMarkedSelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    lunch = forms.BooleanField(label=_("Plan a lunch break"), required=False, initial=True)
    indoor_only = forms.BooleanField(label=_("Indoor places only (rain)"), required=False)

    def __init__(self, *args: Any, lang: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lang = lang
        shown_in: dict[str, str] = {}
        hubs = _place_choices([Place.Kind.TRANSPORT], lang, shown_in)
        lodgings = _place_choices([Place.Kind.ACCOMMODATION], lang, shown_in)
        self.fields["arrival"].choices = hubs
        self.fields["departure"].choices = hubs
        self.fields["hotel"].choices = [
            ("", _("No hotel: each day ends where the trip ends")),
            *lodgings,
            (POINT, _("Another place: the point below")),
        ]
        tags = Tag.objects.prefetch_related("translations")
        self.fields["interests"].choices = sorted(
            ((t.slug, translated(t, "name", lang)) for t in tags), key=lambda choice: fold(choice[1])
        )
        self.fields["mode"].choices = [(m, MODE_LABELS.get(m, m)) for m in MODES]
        self.fields["must_see"].choices = _place_choices([Place.Kind.ATTRACTION], lang, shown_in)
        for name in ("arrival", "departure", "hotel", "must_see"):
            self.fields[name].widget.shown_in = shown_in
        today = timezone.localdate()
        self.fields["start_date"].initial = today + dt.timedelta(days=1)
        self.fields["end_date"].initial = today + dt.timedelta(days=2)
        slugs = [slug for slug, _name in hubs]
        for name, preferred in (("arrival", "cang-hang-khong-tho-xuan"), ("departure", "ga-thanh-hoa")):
            self.fields[name].initial = preferred if preferred in slugs else (slugs[0] if slugs else None)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("hotel") == POINT and (data.get("hotel_lat") is None or data.get("hotel_lon") is None):
            self.add_error("hotel_lat", _("Give the hotel's latitude and longitude, or choose it in the list."))
        return data

    def trip_request(self) -> dict[str, Any]:
        """The API's TripRequest (as a dict) for the cleaned data; services validate it further."""
        data = self.cleaned_data
        lodging: dict[str, Any] | None = None
        if data["hotel"] == POINT:
            lodging = {"lat": data["hotel_lat"], "lon": data["hotel_lon"]}
        elif data["hotel"]:
            lodging = {"place": data["hotel"]}
        return {
            "start_date": data["start_date"].isoformat(),
            "end_date": data["end_date"].isoformat(),
            "day_start": data["day_start"].strftime("%H:%M"),
            "day_end": data["day_end"].strftime("%H:%M"),
            "start": {"place": data["arrival"]},
            "end": {"place": data["departure"]},
            "lodging": lodging,
            "interests": data["interests"],
            "pace": data["pace"],
            "mode": data["mode"],
            "budget_vnd": data["budget_vnd"],
            "must_see": data["must_see"],
            "lunch": data["lunch"],
            "indoor_only": data["indoor_only"],
            "lang": self.lang,
        }
