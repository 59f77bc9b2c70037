"""The forms entrants, voters and jurors fill in. Every consent box starts unticked (Decree 356/2025/ND-CP)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from xuthanh.catalog.models import Place
from xuthanh.contests import licences
from xuthanh.contests.models import Contest, Kind
from xuthanh.core.models import Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EntrantForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    credit_name = forms.CharField(label=_("Name to credit under your work"), max_length=150, required=False,
                                  help_text=_("Leave empty to use your full name."))
    phone = forms.CharField(label=_("Telephone (optional)"), max_length=30, required=False)
    minor = forms.BooleanField(label=_("I am under 18"), required=False)
    guardian_name = forms.CharField(label=_("Name of my parent or guardian"), max_length=150, required=False)
    guardian_consent = forms.BooleanField(
        label=_("My parent or guardian agrees to my taking part and to the processing of my data"), required=False)
    privacy_consent = forms.BooleanField(
        label=_("I agree that the organiser processes my name, e-mail and telephone to run this contest, as the "
                "notice above says"), required=False)


class EntryForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    title = forms.CharField(label=_("Title (Vietnamese)"), max_length=200)
    description = forms.CharField(label=_("The story of the work (Vietnamese)"), widget=forms.Textarea(
        attrs={"rows": 4}), required=False, max_length=4000)
    title_en = forms.CharField(label=_("Title in English (optional)"), max_length=200, required=False)
    description_en = forms.CharField(label=_("Story in English (optional)"), widget=forms.Textarea(
        attrs={"rows": 3}), required=False, max_length=4000)
    place = forms.ChoiceField(label=_("Place"), required=False)
    lat = forms.FloatField(label=_("or its latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("and longitude"), required=False, min_value=-180, max_value=180)
    upload = forms.FileField(label=_("File"), required=False)
    video_url = forms.URLField(label=_("or a link to the film (YouTube, Vimeo)"), required=False, assume_scheme="https")
    body = forms.CharField(label=_("Text of the article"), widget=forms.Textarea(attrs={"rows": 14}), required=False,
                           max_length=60_000)
    pictures = forms.FileField(label=_("Pictures of the article"), required=False,
                               widget=MultipleFileInput())
    licence = forms.ChoiceField(label=_("Licence"), widget=forms.RadioSelect)
    licence_accept = forms.BooleanField(label=_("I am the author of this work and grant it under the licence I chose"),
                                        required=False)
    share_with_catalogue = forms.BooleanField(
        label=_("If it wins, the work may join the province's tourism database, with my name and licence"),
        required=False)

    def __init__(self, *args, contest: Contest, lang: str, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.fields["category"].choices = [
            (c.pk, f"{c.safe_translation_getter('name', any_language=True)} ({Kind(c.kind).label})")
            for c in contest.categories.all()
        ]
        limited = contest.places.all()
        places = (limited if limited.exists() else Place.objects.filter(status=Status.PUBLISHED))
        self.fields["place"].choices = [("", _("— a point on the map —"))] + sorted(
            ((p.pk, p.safe_translation_getter("name", language_code=lang, any_language=True) or "")
             for p in places.prefetch_related("translations")), key=lambda c: c[1])
        self.fields["licence"].choices = licences.choices(contest.licences)
        self.fields["upload"].help_text = _("Photos: JPEG, PNG, WebP or HEIC, at least %(side)d pixels on the shorter "
                                            "side, up to %(mb)d MB. Films: MP4, MOV or WebM, up to %(film)d MB and "
                                            "%(seconds)d seconds.") % {
            "side": contest.min_photo_side, "mb": settings.CONTEST_PHOTO_MAX_BYTES // (1024 * 1024),
            "film": contest.max_film_mb, "seconds": contest.max_film_seconds}

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("licence_accept"):
            self.add_error("licence_accept", _("Confirm that you are the author and grant the licence."))
        return data


class AppealForm(forms.Form):
    text = forms.CharField(label=_("Why should the decision change?"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=4000)
