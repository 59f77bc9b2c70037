"""Sign-up for travellers: a user name and a password, nothing else kept (rate-limited per address); and the
verification of an e-mail address, asked only where a feature needs one (contests)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache

from xuthanh.accounts import email
from xuthanh.core import ratelimit


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "trips:mine"


@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    status = 200
    form = UserCreationForm(request.POST or None)
    if request.method == "POST":
        wait = ratelimit.hit(
            f"signup:{request.META.get('REMOTE_ADDR', '-')}", limit=settings.SIGNUPS_PER_HOUR, period=3600
        )
        if wait is not None:
            form.add_error(None, _("Too many new accounts from your connection; try again later."))
            status = 429
        elif form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next(request))
        else:
            status = 422
    return render(request, "accounts/signup.html", {"form": form, "next": _next(request)}, status=status)


class EmailForm(forms.Form):
    email = forms.EmailField(label=_lazy("E-mail address"), max_length=254)


@never_cache
@login_required
def email_start(request: HttpRequest) -> HttpResponse:
    """Ask for the address to verify; the link goes to it."""
    form = EmailForm(request.POST or None)
    status, sent = 200, False
    if request.method == "POST":
        if form.is_valid():
            try:
                email.send_link(
                    request.user, form.cleaned_data["email"], base_url=request.build_absolute_uri("/")[:-1],
                    address=request.META.get("REMOTE_ADDR", "-"), next_url=_next(request),
                )
                sent = True
            except email.VerificationError as exc:
                form.add_error(None, str(exc))
                status = 429
        else:
            status = 422
    return render(request, "accounts/email.html", {
        "form": form, "sent": sent, "current": email.verified_email(request.user), "next": _next(request),
    }, status=status)


@never_cache
@login_required
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link's page: a button (a mail scanner opening the link must not confirm it)."""
    error = ""
    if request.method == "POST":
        try:
            email.confirm(token, request.user)
            target = _next(request)
            return redirect(target if target != "trips:mine" else "accounts:email")
        except email.VerificationError as exc:
            error = str(exc)
    return render(request, "accounts/email_confirm.html", {"error": error, "next": _next(request)},
                  status=400 if error else 200)
