"""Small template filters for the portal."""

from django import template

from xuthanh.core.hours import format_minutes

register = template.Library()


@register.filter
def hhmm(minutes: int) -> str:
    return format_minutes(int(minutes))


@register.filter
def vnd(amount: int | None) -> str:
    return "" if amount is None else f"{int(amount):,}".replace(",", ".") + " ₫"
