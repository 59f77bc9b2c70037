"""Fixtures of the registry's tests: establishments on every side of a permission (one operated by the business
of the `people` fixture in Hạc Thành, one in Sầm Sơn that the Sầm Sơn unit oversees), their decisions and a
tour guide card employed by the business's agency."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from xuthanh.registry.models import Credential, Establishment, GuideCard

TODAY = dt.date(2026, 12, 7)
_codes = itertools.count(1)


def make_establishment(commune, **fields) -> Establishment:
    n = next(_codes)
    defaults = {
        "code": f"T-{n:04d}",
        "name": f"Khách sạn Thử {n}",
        "kind": Establishment.Kind.ACCOMMODATION,
        "accommodation_type": Establishment.AccommodationType.HOTEL,
        "rooms": 20,
        "address": "Số 1, phố Thử",
        "commune": commune,
    }
    if fields.get("kind") == Establishment.Kind.TRAVEL:
        defaults.update(accommodation_type="", rooms=None, travel_scope=Establishment.TravelScope.DOMESTIC)
    establishment = Establishment(**{**defaults, **fields})
    establishment.full_clean()
    establishment.save()
    return establishment


def add_stars(establishment, stars=3, issued_on=dt.date(2022, 1, 1), expires_on=dt.date(2027, 1, 1), **fields):
    values = {"number": f"QĐ-{stars}-{issued_on}", "issuer": "Sở VHTTDL Thanh Hóa", **fields}
    return Credential.objects.create(
        establishment=establishment, kind=Credential.Kind.STAR_RATING, stars=stars, issued_on=issued_on,
        expires_on=expires_on, **values,
    )


def make_card(number="138000001", **fields) -> GuideCard:
    defaults = {
        "holder_name": "Nguyễn Văn An",
        "card_type": GuideCard.CardType.INTERNATIONAL,
        "languages": "en, fr",
        "issued_on": dt.date(2023, 3, 1),
        "issuer": "Sở VHTTDL Thanh Hóa",
        "expires_on": dt.date(2028, 3, 1),
    }
    card = GuideCard(number=number, **{**defaults, **fields})
    card.full_clean()
    card.save()
    return card


@pytest.fixture
def agency(people, commune_other) -> Establishment:
    """A travel agency in Hạc Thành operated by the business of `people["business_rep"]`."""
    return make_establishment(
        commune_other, name="Lữ hành Thử Nghiệm", kind=Establishment.Kind.TRAVEL, operator=people["business"],
        email="agency@example.com",
    )


@pytest.fixture
def sam_son_hotel(commune_sam_son) -> Establishment:
    """A hotel in Sầm Sơn that no business of the fixtures operates."""
    return make_establishment(commune_sam_son, name="Khách sạn Sóng Biển", email="hotel@example.com")


@pytest.fixture
def card(agency) -> GuideCard:
    return make_card(employer=agency)


@pytest.fixture
def own_address(client):
    """A client address of its own for the test, so rate-limit counts of other tests never mix in."""
    client.defaults["REMOTE_ADDR"] = f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"
    return client
