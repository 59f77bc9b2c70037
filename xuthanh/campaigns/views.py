"""/go/<code>: a campaign's short link. Counts the click (nothing about the visitor) and sends the visitor to
the page an officer chose, with a cookie holding only the link's code so that what the visit does next is
counted for the link (core.attribution); an unknown, switched-off or expired code gets a friendly page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from xuthanh.campaigns import selectors, services
from xuthanh.core import attribution


@require_safe
def go(request: HttpRequest, code: str) -> HttpResponse:
    hop = selectors.links().get(code.lower())
    if hop is None or (hop.expires_at is not None and hop.expires_at <= timezone.now()):
        return render(request, "campaigns/gone.html", status=404)
    answer = HttpResponseRedirect(hop.to)
    if request.method == "GET":  # a HEAD (link previews of chat apps) is not a visit
        services.count(hop.code)
        attribution.remember(answer, hop.code, secure=request.is_secure())
    answer["Cache-Control"] = "no-store"
    answer["Referrer-Policy"] = "no-referrer"
    return answer


@csrf_exempt
@require_POST
def installed(request: HttpRequest) -> HttpResponse:
    """The app's `appinstalled` beacon: an install counted for the campaign link the visit came by, if any
    (nothing is stored otherwise). Without a form, so without a CSRF token: it can only add one to a count, and
    an address's beacons are limited."""
    from xuthanh.core import ratelimit

    address = request.META.get("REMOTE_ADDR") or "-"  # the visitor's, behind PROXY_COUNT proxies
    if attribution.code_of(request) and ratelimit.hit(f"installed:{address}", limit=5, period=3600) is None:
        attribution.note(request, "install")
    return HttpResponse(status=204)


@require_safe
def landing(request: HttpRequest, slug: str, market: str) -> HttpResponse:
    """A campaign's page for one market, in the page's language: its places (with photos and credits) and
    festivals first, and a trip suggested with those places preset in the planner."""
    from urllib.parse import urlencode

    from django.db.models import Q
    from django.http import Http404
    from django.utils.translation import get_language

    from xuthanh.campaigns.models import Campaign
    from xuthanh.catalog import cards
    from xuthanh.catalog.models import Event, Place
    from xuthanh.core.models import Status

    campaign = (Campaign.objects.filter(slug=slug, status__in=[Campaign.Status.APPROVED, Campaign.Status.RUNNING])
                .prefetch_related("translations").first())
    chosen = campaign.markets.filter(code=market).first() if campaign else None
    if chosen is None:
        raise Http404
    lang = get_language() or "vi"
    items = campaign.items.filter(Q(market=chosen) | Q(market=None)).order_by("scheduled_at", "id")
    place_ids = list(dict.fromkeys(i.place_id for i in items if i.place_id))
    event_ids = list(dict.fromkeys(i.event_id for i in items if i.event_id))
    places = cards.place_cards(place_ids, lang, photos=True)
    events = Event.objects.filter(pk__in=event_ids, status=Status.PUBLISHED).prefetch_related("translations")
    slugs = [p.slug for p in places if p.kind == Place.Kind.ATTRACTION]
    return render(request, "campaigns/landing.html", {
        "campaign": campaign, "market": chosen, "places": places, "events": list(events),
        "trip_query": urlencode([("must_see", s) for s in slugs]),
    })


@require_safe
def picture(request: HttpRequest, token: str) -> HttpResponse:
    """/go/-/picture/<token>.jpg: an item's picture cut to its channel's shape, for the networks that fetch it
    from an address given when publishing (Instagram, Zalo). The token is signed for the item and its photo
    (campaigns.publishing.picture_url), so the address cannot be guessed; a bad one, or an item that no longer
    has that photo, answers 404."""
    import hashlib

    from django.core.cache import cache
    from django.http import Http404

    from xuthanh.campaigns import publishing

    item = publishing.picture_item(token)  # checked on every request: a stale address answers 404 at once
    if item is None:
        raise Http404
    cut = f"{token}|{item.channel}|{item.photo.image.name}"  # a new file or shape: a new cut
    key = "campaigns:picture:" + hashlib.sha256(cut.encode()).hexdigest()
    data = cache.get(key)
    if data is None:
        data = publishing.picture_of(item)
        if data is None:
            raise Http404
        cache.set(key, data, 86400)  # a network may fetch it several times: cut once a day at most
    answer = HttpResponse(data, content_type="image/jpeg")
    answer["Cache-Control"] = "public, max-age=86400"
    return answer
