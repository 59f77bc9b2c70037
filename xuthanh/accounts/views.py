"""Sign-up for travellers: a user name and a password, nothing else kept. Rate-limited per address."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

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
