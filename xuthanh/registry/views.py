"""The public check of a tour guide card: a traveller types the card's number, or scans the QR code printed on
it (a link signed by the department). Thin views over `services.guidecard_check`; every lookup counts in a
per-address rate limit, and no answer is ever cached (a card may be revoked at any moment)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_info
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from xuthanh.core import ratelimit
from xuthanh.registry import services

LOOKUPS_PER_MINUTE = 20  # per client address; settings.REGISTRY_VERIFY_PER_MINUTE overrides it
# The national tour guide register (VNAT's online database, with QR checks since 4 June 2018:
# https://dkn.news/khac/quet-ma-qr-de-biet-huong-dan-vien-du-lich-that-hay-gia.html).
NATIONAL_REGISTER_URL = "https://huongdanvien.vn"
STATUS = {"valid": 200, "expired": 200, "revoked": 200, "forged": 200, "unknown": 404, "malformed": 400}


def _language_names(codes: list[str]) -> list[str]:
    """Each language of a card by its own name (English, Français, 中文…); an unknown code as it is."""
    names = []
    for code in codes:
        code = {"zh": "zh-hans"}.get(code.lower(), code.lower())
        name = settings.KNOWN_LANGUAGES.get(code)
        if name is None:
            try:
                name = get_language_info(code)["name_local"]
            except KeyError:
                name = code
        names.append(name)
    return names


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context = {"national_register_url": NATIONAL_REGISTER_URL, "number": "", "check": None, **context}
    return render(request, "registry/verify.html", context, status=status)


def _throttled(request: HttpRequest) -> HttpResponse | None:
    limit = getattr(settings, "REGISTRY_VERIFY_PER_MINUTE", LOOKUPS_PER_MINUTE)
    wait = ratelimit.hit(f"guides:{request.META.get('REMOTE_ADDR') or '-'}", limit=limit)
    if wait is None:
        return None
    response = _render(request, {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _answer(request: HttpRequest, number: str, token: str | None) -> HttpResponse:
    throttled = _throttled(request)
    if throttled is not None:
        return throttled
    check = services.guidecard_check(number=number, token=token, today=timezone.localdate())
    context = {"check": check, "number": "" if check.state == "malformed" else check.number}
    if check.card is not None:
        context["languages"] = _language_names(check.card.language_list)
    return _render(request, context, status=STATUS[check.state])


@never_cache
@require_safe
def verify(request: HttpRequest) -> HttpResponse:
    """The form (a card number); with `?number=`, the card's state below it."""
    if "number" not in request.GET:
        return _render(request, {})
    return _answer(request, request.GET["number"][:100], None)


@never_cache
@require_safe
def verify_card(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """What a card's QR code opens: the card's state, or a warning that the code was not made by the
    department."""
    return _answer(request, number[:100], token[:200])
