"""Small template filters and tags for the portal."""

from django import template

from xuthanh.core.hours import format_minutes
from xuthanh.portal import seo

register = template.Library()


@register.filter
def hhmm(minutes: int) -> str:
    return format_minutes(int(minutes))


@register.filter
def vnd(amount: int | None) -> str:
    return "" if amount is None else f"{int(amount):,}".replace(",", ".") + " ₫"


@register.filter
def duration(minutes: int) -> str:
    """1 h 35 min style, language-neutral."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


@register.simple_tag(takes_context=True)
def page_seo(context: template.Context) -> dict:
    """Canonical URL, hreflang alternates (every language, and x-default: the unprefixed address that
    redirects to the visitor's language) and OpenGraph locale of the page being rendered."""
    request = context.get("request")
    if request is None:
        return {}
    return {
        "canonical": seo.canonical_url(request),
        "alternates": seo.alternates(request),
        "x_default": seo.x_default_url(request),
        "og_locale": seo.og_locale(),
    }
