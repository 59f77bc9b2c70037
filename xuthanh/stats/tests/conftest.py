"""Fixtures of the statistics tests: the forms loaded, and registered establishments in two communes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from xuthanh.registry.models import Credential, Establishment
from xuthanh.stats import services


@pytest.fixture
def forms(db: Any) -> None:
    services.forms_load()


def make_unit(code: str, commune: Any, *, operator: Any = None, kind: str = "accommodation",
              acc: str = "hotel", rooms: int = 40, beds: int = 80, stars: int | None = 3,
              sample: bool = False) -> Establishment:
    fields: dict[str, Any] = {}
    if kind == "accommodation":
        fields = {"accommodation_type": acc, "rooms": rooms, "beds": beds}
    elif kind == "travel":
        fields = {"travel_scope": "international"}
    unit = Establishment.objects.create(code=code, name=f"Cơ sở {code}", kind=kind, operator=operator,
                                        commune=commune, address="1 Đường Thử", email=f"{code.lower()}@example.org",
                                        is_sample=sample, **fields)
    if stars and kind == "accommodation":
        Credential.objects.create(establishment=unit, kind="stars", number=f"QĐ-{code}", stars=stars,
                                  issued_on=dt.date(2020, 1, 1), issuer="Sở VHTTDL Thanh Hóa",
                                  expires_on=dt.date(2030, 1, 1))
    return unit


def month_values(scale: int = 1, markets: dict[str, int] | None = None) -> dict[str, Any]:
    """A consistent month of a 40-room hotel (30 days), all counts multiplied by `scale` where they can be."""
    markets = markets if markets is not None else {"CN": 60, "KR": 50, "FR": 40}
    intl = sum(markets.values())
    return {
        "guests_total": 1000 * scale, "guests_overnight": 800 * scale, "guests_day": 1000 * scale - 800 * scale,
        "guests_international": intl, "guests_domestic": 1000 * scale - intl, "guests_by_market": markets,
        "guest_days": 1000 * scale, "rooms_available": 40, "beds_available": 80,
        "room_nights_sold": 900, "bed_nights_sold": max(1500, 1000 * scale),
        "revenue_total": 900_000_000, "revenue_international": 200_000_000, "revenue_domestic": 700_000_000,
    }


@pytest.fixture
def units(forms: None, people: dict[str, Any], commune_sam_son: Any, commune_other: Any) -> dict[str, Establishment]:
    """Three hotels in Sầm Sơn (one the business representative's), one in Hạc Thành, a travel agency."""
    return {
        "own": make_unit("LT-001", commune_sam_son, operator=people["business"]),
        "sam_son_2": make_unit("LT-002", commune_sam_son),
        "sam_son_3": make_unit("LT-003", commune_sam_son, stars=4),
        "other": make_unit("LT-004", commune_other),
        "agency": make_unit("LH-001", commune_other, kind="travel"),
    }
