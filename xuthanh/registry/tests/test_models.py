"""The registry's records and data: current star ratings among several decisions, the card's signed token,
and the sample register (marked, linked only to sample places and businesses, loaded idempotently)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import signing
from django.core.management import CommandError, call_command

from xuthanh.catalog.models import Place
from xuthanh.registry import services
from xuthanh.registry.fieldmaps import current_credential
from xuthanh.registry.models import Credential, Establishment, GuideCard
from xuthanh.registry.tests.conftest import add_stars, make_card

pytestmark = pytest.mark.django_db


def test_the_current_stars_are_those_of_a_valid_decision(sam_son_hotel):
    add_stars(sam_son_hotel, 2, issued_on=dt.date(2018, 1, 1), expires_on=dt.date(2023, 1, 1))
    add_stars(sam_son_hotel, 3, issued_on=dt.date(2023, 1, 1), expires_on=dt.date(2028, 1, 1),
              revoked_on=dt.date(2025, 6, 1))
    assert sam_son_hotel.current_stars(dt.date(2020, 1, 1)) == 2
    assert sam_son_hotel.current_stars(dt.date(2024, 1, 1)) == 3
    assert sam_son_hotel.current_stars(dt.date(2025, 7, 1)) is None
    assert current_credential(sam_son_hotel, Credential.Kind.STAR_RATING).stars == 2  # the newest not revoked


def test_the_card_token_signs_the_number_and_the_issue_date_with_its_own_salt():
    card = make_card("138000101")
    token = services.guidecard_token(card)
    assert token == services.guidecard_token(GuideCard.objects.get(pk=card.pk))
    assert token == signing.Signer(salt="registry.guidecard").signature("138000101|2023-03-01")
    assert token != signing.Signer().signature("138000101|2023-03-01")
    other = make_card("138000102")
    assert services.guidecard_token(other) != token


def load() -> str:
    out = StringIO()
    call_command("load_registry_samples", stdout=out)
    return out.getvalue()


def test_the_sample_register_is_marked_as_invented_and_loads_idempotently():
    assert "establishment: 7 created" in load()
    samples = Establishment.objects.filter(code__startswith="MAU-")
    assert samples.count() == 7
    assert all(e.is_sample and e.name.endswith("(mẫu)") for e in samples)
    cards = GuideCard.objects.filter(number__startswith="MAU-")
    assert cards.count() == 5
    assert all(c.is_sample and c.holder_name.endswith("(mẫu)") for c in cards)
    credentials = Credential.objects.filter(establishment__in=samples).count()
    assert credentials == 5
    assert not any(e.email for e in samples)  # no alert ever writes to anyone about a sample
    before = {(e.code, e.updated_at) for e in samples}
    assert "establishment: 0 created, 7 updated" in load()
    assert Establishment.objects.filter(code__startswith="MAU-").count() == 7
    assert Credential.objects.filter(establishment__in=samples).count() == credentials
    assert {e.code for e in samples} == {code for code, _at in before}


def test_sample_accommodation_is_linked_to_sample_places_and_sample_agencies_to_sample_businesses():
    load()
    hotel = Establishment.objects.get(code="MAU-KS-001")
    assert hotel.place.slug == "khach-san-bien-xanh-sam-son-mau" and hotel.place.is_sample
    assert hotel.current_stars(dt.date(2026, 1, 1)) == 3
    agency = Establishment.objects.get(code="MAU-LH-001")
    assert agency.operator.slug == "lu-hanh-song-ma-mau" and agency.operator.is_sample
    assert GuideCard.objects.get(number="MAU-138-0001").employer == agency
    assert hotel.commune.code == 16531


def test_a_place_that_is_not_a_sample_is_never_linked_to_a_sample(monkeypatch):
    Place.objects.filter(slug="khach-san-bien-xanh-sam-son-mau").update(is_sample=False)
    load()
    assert Establishment.objects.get(code="MAU-KS-001").place is None


def test_a_sample_file_breaking_the_rules_loads_nothing(tmp_path):
    path = tmp_path / "samples.toml"
    path.write_text('[[establishment]]\ncode = "X-1"\nname = "Khách sạn Thật"\nis_sample = true\n')
    with pytest.raises(services.SampleError, match="ends with"):
        services.registry_samples_load(path)
    path.write_text('[[guide_card]]\nnumber = "MAU-1"\nholder_name = "A (mẫu)"\n')
    with pytest.raises(services.SampleError, match="is_sample = true"):
        services.registry_samples_load(path)


def test_a_sample_file_with_a_bad_row_stores_neither_table(tmp_path):
    path = tmp_path / "samples.toml"
    path.write_text(
        '[[establishment]]\ncode = "MAU-X-1"\nname = "Lữ hành X (mẫu)"\nkind = "travel"\ntravel_scope = "domestic"\n'
        'commune_code = 16531\naddress = "x"\nis_sample = true\n\n'
        '[[guide_card]]\nnumber = "MAU-X-2"\nholder_name = "B (mẫu)"\ncard_type = "domestic"\n'
        'issued_on = 2024-01-01\nissuer = "Sở (mẫu)"\nis_sample = true\n'
    )
    results = services.registry_samples_load(path)
    assert [str(e) for e in results["guidecard"].errors] == [
        "line 2, column “expires_on”: International and domestic cards are valid for 5 years."
    ]
    assert not Establishment.objects.filter(code="MAU-X-1").exists()


def test_the_load_command_fails_loudly_on_a_bad_sample_file(monkeypatch, tmp_path):
    path = tmp_path / "samples.toml"
    path.write_text('[[establishment]]\ncode = "X-1"\nname = "Thật"\nis_sample = false\n')
    monkeypatch.setattr(services, "SAMPLES", path)
    monkeypatch.setattr(services.registry_samples_load, "__defaults__", (path,))
    with pytest.raises(CommandError):
        call_command("load_registry_samples", stdout=StringIO())
