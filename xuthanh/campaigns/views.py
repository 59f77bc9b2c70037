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
