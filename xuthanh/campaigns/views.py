"""/go/<code>: a campaign's short link. Counts the click (no cookie, nothing about the visitor) and sends the
visitor to the page an officer chose; an unknown, switched-off or expired code gets a friendly page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from xuthanh.campaigns import selectors, services


@require_safe
def go(request: HttpRequest, code: str) -> HttpResponse:
    hop = selectors.links().get(code.lower())
    if hop is None or (hop.expires_at is not None and hop.expires_at <= timezone.now()):
        return render(request, "campaigns/gone.html", status=404)
    if request.method == "GET":  # a HEAD (link previews of chat apps) is not a visit
        services.count_click(hop.link_id)
    answer = HttpResponseRedirect(hop.to)
    answer["Cache-Control"] = "no-store"
    answer["Referrer-Policy"] = "no-referrer"
    return answer


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
