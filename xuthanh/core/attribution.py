"""What followed a campaign's short link, without knowing who: `/go/<code>` leaves a cookie holding only the
link's code (the same value for everyone who followed that link: nothing about the visitor), and the visit's
next steps — pages viewed, a trip planned, the app installed, a contest entry — are announced with the
`outcome` signal, which the campaigns app counts for that link. Apps that see such a step call `note(request,
kind)`; they need not know that campaigns exist (core sits below every app)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse

from xuthanh.core import languages

COOKIE = "xt_via"
MAX_AGE = 7 * 24 * 3600  # a week: a visit planned from a post on Monday and made at the weekend still counts
CODE = re.compile(r"[a-z0-9]{4,12}")

# sent with code= (the link's code from the cookie) and kind= (one of campaigns.models.Outcome's values)
outcome = Signal()


def code_of(request: HttpRequest) -> str | None:
    """The campaign link's code the visitor came by, when well formed."""
    code = request.COOKIES.get(COOKIE, "")
    return code if CODE.fullmatch(code) else None


def note(request: HttpRequest, kind: str) -> None:
    """The visit did `kind` (view, trip, install, entry): counted for its campaign link, if it came by one."""
    code = code_of(request)
    if code is not None:
        outcome.send(sender=None, code=code, kind=kind)


def remember(response: HttpResponse, code: str, *, secure: bool) -> None:
    """Set on a short link's redirect: the visit keeps its campaign for MAX_AGE."""
    response.set_cookie(COOKIE, code, max_age=MAX_AGE, httponly=True, samesite="Lax", secure=secure)


class AttributionMiddleware:
    """Counts the portal's pages a visit that came by a campaign link views (an HTML page of a language prefix
    answered 200, the landing page included; not the back office, the API or files); placed before the page
    cache, so a page served from the cache counts too. A visit without the cookie costs one dictionary lookup."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefixes = languages.prefixes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (COOKIE in request.COOKIES and request.method == "GET" and response.status_code == 200
                and request.path.startswith(self.prefixes)
                and response.get("Content-Type", "").startswith("text/html")):
            note(request, "view")
        return response
