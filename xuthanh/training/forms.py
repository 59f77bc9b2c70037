"""The forms the public fills in: registering for a class (the consent box starts unticked, Decree 356/2025/ND-CP),
the feedback survey, and a certificate's verification."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xuthanh.training.models import Audience

MARKS = [(n, str(n)) for n in range(5, 0, -1)]


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Full name (as on the certificate)"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), help_text=_("Your ticket link is sent there."))
    phone = forms.CharField(label=_("Telephone (optional)"), max_length=30, required=False)
    audience = forms.ChoiceField(label=_("Taking part as"), choices=Audience.choices, widget=forms.RadioSelect)
    organisation_name = forms.CharField(label=_("Your unit, business or community (optional)"), max_length=200,
                                        required=False)
    consent = forms.BooleanField(
        label=_("I agree that the organisers process my name, e-mail, telephone and attendance to run this class "
                "and issue its certificate, as the notice says"), required=False)


class FeedbackForm(forms.Form):
    content = forms.TypedChoiceField(label=_("The content of the class"), choices=MARKS, coerce=int,
                                     widget=forms.RadioSelect)
    trainers = forms.TypedChoiceField(label=_("The trainers"), choices=MARKS, coerce=int, widget=forms.RadioSelect)
    organisation = forms.TypedChoiceField(label=_("The organisation (venue, timing, materials)"), choices=MARKS,
                                          coerce=int, widget=forms.RadioSelect)
    usefulness = forms.TypedChoiceField(label=_("How useful it is for my work"), choices=MARKS, coerce=int,
                                        widget=forms.RadioSelect)
    comments = forms.CharField(label=_("What should we keep or change? (optional)"), required=False,
                               max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=40)
    code = forms.CharField(label=_("Check code"), max_length=12)
