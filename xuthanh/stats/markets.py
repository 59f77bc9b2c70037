"""The source markets the forms count guests by (ISO 3166 codes; OTHER for the rest): the plan's target
markets first, then the neighbours and the other markets Thanh Hóa's statistics name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MARKETS = {
    "CN": _("China"),
    "TW": _("Taiwan"),
    "JP": _("Japan"),
    "KR": _("South Korea"),
    "TH": _("Thailand"),
    "LA": _("Laos"),
    "KH": _("Cambodia"),
    "FR": _("France"),
    "US": _("United States"),
    "RU": _("Russia"),
    "DE": _("Germany"),
    "DK": _("Denmark"),
    "GB": _("United Kingdom"),
    "AU": _("Australia"),
    "OTHER": _("Other countries"),
}


def market_name(code: str) -> str:
    return str(MARKETS.get(code, code))
