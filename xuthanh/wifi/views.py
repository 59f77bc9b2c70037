"""The visitor's side of the public wifi, made for phones' captive-portal browsers (no JavaScript needed,
nothing loaded from elsewhere): the splash page the gateway sends them to (the site in their language, the
terms in plain words, a button; an e-mail for news only with its own unticked box), the wait while a
level-3 gateway lets them through, the welcome page, the withdrawal of a news consent; and for machines,
the RFC 8908 Captive Portal API document and the endpoint openNDS's authmon polls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from xuthanh.core import ratelimit
from xuthanh.core.languages import LANG_CODES
from xuthanh.wifi import fas, selectors, services
from xuthanh.wifi.models import Grant, Hotspot

HANDOFF_PARAMS = ("fas", "iv", "hid", "gatewayname", "gatewayaddress", "clientip", "redir", "authdir")
FORM_AGE = 30 * 60  # a splash page left open longer asks the gateway for a fresh one
WAIT_LIMIT = dt.timedelta(seconds=60)


def refusal_message(code: str) -> str:
    """What a visitor is told when the gateway's hand-off is refused, by the reason's code."""
    return {
        "replayed": _("This connection link was already used. Open any web page again: your phone will bring "
                      "you back here with a fresh one."),
        "expired": _("This page was left open too long. Open any web page again to get a fresh one."),
        "not_active": _("This wifi network is not in service at the moment."),
        "no_fas": _("This wifi network does not use this page to connect."),
        "missing": _("To connect, join the network and open any web page: your phone will bring you here."),
    }.get(code, _("This connection link did not come from this site's wifi gateway, or was altered. Open any "
                  "web page again to get a fresh one."))


def _lang(request: HttpRequest) -> str:
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    if asked in LANG_CODES:
        return asked
    return translation.get_language_from_request(request, check_path=False)


def _handoff_query(request: HttpRequest) -> dict[str, str]:
    source = request.POST if request.method == "POST" else request.GET
    return {name: source[name][:fas.MAX_QUERY] for name in HANDOFF_PARAMS if name in source}


def _hotspot(slug: str) -> Hotspot:
    hotspot = Hotspot.objects.select_related("place").filter(slug=slug).first()
    if hotspot is None:
        raise Http404
    return hotspot


def _page(request: HttpRequest, template: str, hotspot: Hotspot, lang: str, status: int = 200,
          **context: Any) -> HttpResponse:
    languages = [(code, label, selectors.with_lang(request, code)) for code, label in settings.LANGUAGES]
    response = render(request, f"wifi/{template}.html", {
        "hotspot": hotspot, "site": selectors.site_info(hotspot, lang), "lang": lang, "languages": languages,
        "retention_days": settings.WIFI_RETENTION_DAYS, "subscription_months": settings.WIFI_SUBSCRIPTION_MONTHS,
        **context}, status=status)
    response["Cache-Control"] = "no-store"  # a visitor's hand-off is theirs alone
    response["Referrer-Policy"] = "no-referrer"
    return response


@csrf_exempt  # the form carries the gateway's one-time hand-off, checked again and spent on POST (see docs/wifi.md)
@require_http_methods(["GET", "HEAD", "POST"])
def splash(request: HttpRequest, slug: str) -> HttpResponse:
    """/wifi/<hotspot>/: where the gateway sends a visitor who joined the network."""
    hotspot = _hotspot(slug)
    lang = _lang(request)
    with translation.override(lang):
        if request.GET.get("status") == "authenticated":
            return _page(request, "welcome", hotspot, lang, already=True)
        query = _handoff_query(request)
        if not query:
            return _page(request, "refused", hotspot, lang, message=refusal_message("missing"),
                         status=400 if request.method == "POST" else 200)
        try:
            handoff = services.handoff_check(hotspot, query)
        except fas.FasError as exc:
            return _page(request, "refused", hotspot, lang, status=400, message=refusal_message(exc.code))
        if request.method != "POST":
            return _splash_form(request, hotspot, lang, query, handoff)
        return _splash_submit(request, hotspot, lang, query, handoff)


def _splash_form(request: HttpRequest, hotspot: Hotspot, lang: str, query: dict[str, str], handoff: fas.Handoff,
                 *, errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                 status: int = 200) -> HttpResponse:
    stamp = signing.dumps({"h": hotspot.pk, "id": services.hash_key(handoff.hid)[:16]}, salt="wifi-splash")
    return _page(request, "splash", hotspot, lang, status=status, query=query, stamp=stamp, errors=errors or {},
                 values=values or {}, consent_text=selectors.consent_text())


def _splash_submit(request: HttpRequest, hotspot: Hotspot, lang: str, query: dict[str, str],
                   handoff: fas.Handoff) -> HttpResponse:
    try:
        stamp = signing.loads(request.POST.get("stamp", ""), salt="wifi-splash", max_age=FORM_AGE)
    except signing.BadSignature:
        return _page(request, "refused", hotspot, lang, status=400, message=refusal_message("expired"))
    if stamp != {"h": hotspot.pk, "id": services.hash_key(handoff.hid)[:16]}:
        return _page(request, "refused", hotspot, lang, status=400, message=refusal_message("forged"))
    errors: dict[str, str] = {}
    email = request.POST.get("email", "").strip()
    news = request.POST.get("news") == "yes"
    if request.POST.get("terms") != "yes":
        errors["terms"] = _("Tick the box to say you accept the terms of use: the network cannot be opened "
                            "without it.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("This e-mail address is not valid: check it, or leave the field empty.")
        if not news:
            errors["news"] = _("To receive the news, tick the box that says you agree; or leave the e-mail empty.")
    elif news:
        errors["email"] = _("Give the e-mail address for the news, or untick the box.")
    if errors:
        return _splash_form(request, hotspot, lang, query, handoff, errors=errors, status=400,
                            values={"email": email, "news": news, "terms": request.POST.get("terms") == "yes"})
    if email and ratelimit.hit(f"wifi-news:{hotspot.pk}", limit=settings.WIFI_SUBSCRIPTIONS_PER_MINUTE):
        errors["email"] = _("Too many subscriptions at this site just now: try again in a minute.")
        return _splash_form(request, hotspot, lang, query, handoff, errors=errors, status=429,
                            values={"email": email, "news": news, "terms": True})
    try:
        access = services.grant(hotspot, handoff, lang=lang)
    except services.Replayed:
        return _page(request, "refused", hotspot, lang, status=409, message=refusal_message("replayed"))
    if email:
        services.subscribe(email=email, lang=lang, hotspot=hotspot, consent_text=selectors.consent_text())
    welcome = selectors.absolute(reverse("wifi:welcome", kwargs={"slug": hotspot.slug})) + f"?lang={lang}"
    if email:
        welcome += "&news=1"  # "check your e-mail to confirm"
    if handoff.level in (1, 2):
        return HttpResponseRedirect(fas.auth_url(handoff, hotspot.faskey, welcome))
    ticket = signing.dumps(access.pk, salt="wifi-wait")
    return HttpResponseRedirect(reverse("wifi:wait", kwargs={"slug": hotspot.slug, "ticket": ticket})
                                + f"?lang={lang}" + ("&news=1" if email else ""))


@require_http_methods(["GET", "HEAD"])
def wait(request: HttpRequest, slug: str, ticket: str) -> HttpResponse:
    """Level 3: the page refreshes itself (no JavaScript) until the gateway has let the device through."""
    hotspot = _hotspot(slug)
    lang = _lang(request)
    with translation.override(lang):
        try:
            grant_id = signing.loads(ticket, salt="wifi-wait", max_age=15 * 60)
        except signing.BadSignature:
            return _page(request, "refused", hotspot, lang, status=400, message=refusal_message("expired"))
        access = Grant.objects.filter(pk=grant_id, hotspot=hotspot).first()
        if access is None:
            return _page(request, "refused", hotspot, lang, status=400, message=refusal_message("expired"))
        if access.acked_at:
            return HttpResponseRedirect(reverse("wifi:welcome", kwargs={"slug": hotspot.slug}) + f"?lang={lang}"
                                        + ("&news=1" if request.GET.get("news") == "1" else ""))
        timed_out = timezone.now() - access.created_at > WAIT_LIMIT
        return _page(request, "wait", hotspot, lang, timed_out=timed_out)


@require_http_methods(["GET", "HEAD"])
def welcome(request: HttpRequest, slug: str) -> HttpResponse:
    hotspot = _hotspot(slug)
    lang = _lang(request)
    with translation.override(lang):
        return _page(request, "welcome", hotspot, lang, news=request.GET.get("news") == "1")


def _subscription_link(request: HttpRequest, template: str, act: Callable[[str], bool], token: str) -> HttpResponse:
    """A news subscription's link: the page says what a button will do; the button (POST) does it (a mail
    scanner that follows links does nothing)."""
    lang = _lang(request)
    with translation.override(lang):
        done = act(token) if request.method == "POST" else None
        response = render(request, f"wifi/{template}.html", {"lang": lang, "done": done, "languages": []})
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response


@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    """/wifi/withdraw/<token>/: the link in every news message; one button erases the address."""
    return _subscription_link(request, "withdraw", services.withdraw, token)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """/wifi/confirm/<token>/: the link sent to a news address; one button confirms it."""
    return _subscription_link(request, "confirm", services.confirm, token)


@require_http_methods(["GET", "HEAD"])
def capport(request: HttpRequest, slug: str) -> HttpResponse:
    """The RFC 8908 Captive Portal API document of a hotspot, for the phone's operating system."""
    hotspot = Hotspot.objects.select_related("place").filter(slug=slug).exclude(
        state=Hotspot.State.RETIRED).first()
    if hotspot is None:
        raise Http404
    document = selectors.captive_document(hotspot, request.META.get("REMOTE_ADDR", ""), timezone.now(),
                                          lang=_lang(request))
    response = JsonResponse(document, content_type="application/captive+json")
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # a gateway's daemon, not a browser: known by its gateway hash, answers are hashes only
@require_POST
def authmon(request: HttpRequest) -> HttpResponse:
    """openNDS's authmon (level 3) polls here: `auth_get`, `gatewayhash`, `payload` (form-encoded)."""
    wait_s = ratelimit.hit(f"wifi-authmon:{request.META.get('REMOTE_ADDR')}", limit=settings.WIFI_AUTHMON_PER_MINUTE)
    if wait_s is not None:
        return HttpResponse(f"ERROR: too many requests; wait {wait_s} s", status=429, content_type="text/plain")
    action = request.POST.get("auth_get", "")[:20]
    gatewayhash = request.POST.get("gatewayhash", "")[:64]
    payload = request.POST.get("payload", "none")[:20000]
    if not action or not gatewayhash:
        return HttpResponse("ERROR: auth_get and gatewayhash are required", status=400, content_type="text/plain")
    return HttpResponse(services.authmon(gatewayhash, action, payload), content_type="text/plain; charset=utf-8")
