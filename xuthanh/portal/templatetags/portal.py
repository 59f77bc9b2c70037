"""Small template filters and tags for the portal."""

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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
    """A travel time in the active language: "1 h 35 min", "1 giờ 35 phút", "1小时35分钟"…"""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return gettext("%(m)s min") % {"m": rest}
    if not rest:
        return gettext("%(h)s h") % {"h": hours}
    return gettext("%(h)s h %(m)s min") % {"h": hours, "m": f"{rest:02d}"}


@register.simple_tag
def select_options(choices: list[tuple[Any, Any]], selected: Any) -> SafeString:
    """The <option> elements of a filter's <select>: (value, label) pairs, the one equal to `selected`
    marked; values and labels escaped. One Python loop instead of a template loop of nodes per option."""
    chosen = "" if selected is None else str(selected)
    return mark_safe(  # noqa: S308 - every value and label is escaped here
        "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == chosen and chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )


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
