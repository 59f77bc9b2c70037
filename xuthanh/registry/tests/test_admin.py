"""The registry's back office through real requests: pages, scope (a business sees and edits only its own
establishments, a commune's officer only its communes'), the department's decisions read-only for others,
the audit trail, unaccented search, the expiry filter and page, exports and the guide card's QR code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xuthanh.core.models import AuditEntry
from xuthanh.registry import services
from xuthanh.registry.models import Credential, Establishment
from xuthanh.registry.tests.conftest import add_stars, make_card, make_establishment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_back_office(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def login(client, user):
    client.force_login(user)
    return client


def change_url(obj) -> str:
    return reverse(f"admin:registry_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(client, obj, **overrides) -> dict:
    """The change form's current values as POST data (inline management forms included)."""
    response = client.get(change_url(obj))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = str(management[name].value())
        for sub in formset.formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value not in (None, False):
                    data[f"{sub.prefix}-{name}"] = "on" if value is True else str(value)
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:registry_establishment_changelist",
        "admin:registry_establishment_add",
        "admin:registry_establishment_import",
        "admin:registry_establishment_expiring",
        "admin:registry_guidecard_changelist",
        "admin:registry_guidecard_add",
        "admin:registry_guidecard_import",
    ],
)
def test_registry_pages_load_for_the_administrator(client, people, agency, sam_son_hotel, card, url_name):
    add_stars(sam_son_hotel, expires_on=dt.date.today() + dt.timedelta(days=10))
    assert login(client, people["admin"]).get(reverse(url_name)).status_code == 200


def test_change_and_history_pages_load(client, people, agency, card):
    client = login(client, people["admin"])
    for obj in (agency, card):
        assert client.get(change_url(obj)).status_code == 200
        assert client.get(reverse(f"admin:registry_{obj._meta.model_name}_history", args=[obj.pk])).status_code == 200


def test_a_business_sees_only_its_own_establishments(client, people, agency, sam_son_hotel):
    client = login(client, people["business_rep"])
    listing = client.get(reverse("admin:registry_establishment_changelist"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert change_url(agency) in body
    assert change_url(sam_son_hotel) not in body
    response = client.get(change_url(sam_son_hotel))
    assert response.status_code == 302  # the admin's "does not exist" redirect: nothing shown
    assert sam_son_hotel.name not in client.get(response["Location"]).content.decode()


def test_a_business_edits_its_own_establishment_and_the_change_is_audited(client, people, agency):
    client = login(client, people["business_rep"])
    response = client.post(change_url(agency), form_data(client, agency, phone="0237 000 0077"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    agency.refresh_from_db()
    assert agency.phone == "0237 000 0077"
    entry = AuditEntry.objects.filter(object_id=str(agency.pk), action=AuditEntry.Action.UPDATE).latest("pk")
    assert "phone" in entry.changes


def test_a_business_cannot_change_anothers_establishment(client, people, agency, sam_son_hotel):
    client = login(client, people["business_rep"])
    data = form_data(login(client, people["admin"]), sam_son_hotel, phone="0237 000 0066")
    client = login(client, people["business_rep"])
    response = client.post(change_url(sam_son_hotel), data)
    assert response.status_code in (302, 403, 404)
    sam_son_hotel.refresh_from_db()
    assert sam_son_hotel.phone == ""


def test_a_business_cannot_hand_its_establishment_to_another_business(client, people, agency):
    from xuthanh.orgs.models import Organisation

    other = Organisation.objects.filter(kind=Organisation.Kind.BUSINESS).exclude(pk=people["business"].pk).first()
    client = login(client, people["business_rep"])
    response = client.post(change_url(agency), form_data(client, agency, operator=str(other.pk)))
    assert response.status_code in (200, 302)  # the operating business is read-only for it: ignored
    agency.refresh_from_db()
    assert agency.operator == people["business"]


def test_a_commune_officer_edits_an_establishment_without_detaching_its_business(client, people, agency):
    from xuthanh.registry.models import Establishment

    hotel = Establishment.objects.create(
        code="T-KEEP", name="Khách sạn Giữ", kind="accommodation", accommodation_type="hotel", rooms=10, beds=20,
        commune=people["sam_son_editor"].memberships.get().organisation.communes.get(), address="1 Biển",
        operator=people["business"],
    )
    client = login(client, people["admin"])
    data = form_data(client, hotel, phone="0237 123 4567")
    data.pop("operator", None)  # the read-only field is not in the commune officer's form
    client = login(client, people["sam_son_editor"])
    assert client.post(change_url(hotel), data).status_code == 302
    hotel.refresh_from_db()
    assert hotel.phone == "0237 123 4567" and hotel.operator == people["business"]


def test_a_business_sees_its_decisions_but_does_not_change_them(client, people, agency):
    licence = Credential.objects.create(establishment=agency, kind=Credential.Kind.TRAVEL_LICENCE, number="GP-1",
                                        issued_on=dt.date(2020, 1, 1), issuer="Sở VHTTDL")
    client = login(client, people["business_rep"])
    response = client.get(change_url(agency))
    body = response.content.decode()
    assert "GP-1" in body
    assert 'name="credentials-0-number"' not in body  # shown, not editable
    assert 'name="state"' not in body and 'name="is_sample"' not in body
    data = form_data(client, agency, **{"credentials-TOTAL_FORMS": "1", "credentials-0-number": "GP-FAKE"})
    client.post(change_url(agency), data)
    licence.refresh_from_db()
    assert licence.number == "GP-1"


def test_the_department_records_a_star_rating_inline(client, people, sam_son_hotel):
    client = login(client, people["dept_editor"])
    data = form_data(
        client,
        sam_son_hotel,
        **{
            "credentials-TOTAL_FORMS": "1",
            "credentials-0-kind": "stars",
            "credentials-0-number": "55/QĐ-SVHTTDL",
            "credentials-0-stars": "2",
            "credentials-0-issued_on": "2025-01-10",
            "credentials-0-issuer": "Sở VHTTDL Thanh Hóa",
            "credentials-0-expires_on": "2030-01-10",
        },
    )
    response = client.post(change_url(sam_son_hotel), data)
    assert response.status_code == 302
    assert sam_son_hotel.current_stars(dt.date(2026, 1, 1)) == 2
    entry = AuditEntry.objects.filter(object_id=str(sam_son_hotel.pk)).latest("pk")
    assert "credentials" in entry.changes


def test_a_commune_officer_sees_and_edits_only_its_communes(client, people, agency, sam_son_hotel):
    client = login(client, people["sam_son_editor"])
    body = client.get(reverse("admin:registry_establishment_changelist")).content.decode()
    assert change_url(sam_son_hotel) in body
    assert change_url(agency) not in body
    assert client.get(change_url(agency)).status_code == 302
    response = client.post(change_url(sam_son_hotel), form_data(client, sam_son_hotel, rooms="25"))
    assert response.status_code == 302
    sam_son_hotel.refresh_from_db()
    assert sam_son_hotel.rooms == 25


def test_a_commune_officer_cannot_move_an_establishment_out_of_its_communes(
    client, people, sam_son_hotel, commune_other
):
    client = login(client, people["sam_son_editor"])
    response = client.post(change_url(sam_son_hotel), form_data(client, sam_son_hotel, commune=str(commune_other.pk)))
    assert response.status_code == 200
    sam_son_hotel.refresh_from_db()
    assert sam_son_hotel.commune.name == "Phường Sầm Sơn"


def test_people_without_a_role_are_kept_out(client, people, agency):
    client = login(client, people["outsider"])
    for name in ("admin:registry_establishment_changelist", "admin:registry_establishment_expiring"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get(change_url(agency)).status_code == 302


def test_the_unaccented_search_finds_an_establishment(client, people, sam_son_hotel):
    body = login(client, people["admin"]).get(
        reverse("admin:registry_establishment_changelist"), {"q": "song bien"}
    ).content.decode()
    assert change_url(sam_son_hotel) in body


def test_guide_cards_are_found_by_number_holder_or_agency(client, people, card):
    client = login(client, people["admin"])
    for q in ("13800", "Văn An", "thu nghiem"):
        body = client.get(reverse("admin:registry_guidecard_changelist"), {"q": q}).content.decode()
        assert change_url(card) in body, q
    body = client.get(reverse("admin:registry_guidecard_changelist"), {"q": "zzz"}).content.decode()
    assert change_url(card) not in body


def test_the_expiry_filter_lists_what_expires_within_90_days_and_what_has_expired(
    client, people, sam_son_hotel, commune_sam_son
):
    today = dt.date.today()
    add_stars(sam_son_hotel, expires_on=today + dt.timedelta(days=40))
    later = make_establishment(commune_sam_son, name="Khách sạn Xa")
    add_stars(later, expires_on=today + dt.timedelta(days=400))
    gone = make_establishment(commune_sam_son, name="Khách sạn Cũ")
    add_stars(gone, issued_on=dt.date(2015, 1, 1), expires_on=today - dt.timedelta(days=3))
    renewed = make_establishment(commune_sam_son, name="Khách sạn Mới")
    add_stars(renewed, issued_on=dt.date(2015, 1, 1), expires_on=today - dt.timedelta(days=3))
    add_stars(renewed, issued_on=today - dt.timedelta(days=30), expires_on=today + dt.timedelta(days=1800))
    client = login(client, people["admin"])
    url = reverse("admin:registry_establishment_changelist")
    soon = client.get(url, {"expiry": "soon"}).content.decode()
    assert change_url(sam_son_hotel) in soon
    assert change_url(later) not in soon and change_url(gone) not in soon
    expired = client.get(url, {"expiry": "expired"}).content.decode()
    assert change_url(gone) in expired
    assert change_url(renewed) not in expired and change_url(sam_son_hotel) not in expired


def test_the_card_expiry_filter(client, people, card):
    today = dt.date.today()
    soon = make_card("138000051", expires_on=today + dt.timedelta(days=20), issued_on=today - dt.timedelta(days=1800))
    client = login(client, people["admin"])
    body = client.get(reverse("admin:registry_guidecard_changelist"), {"expiry": "soon"}).content.decode()
    assert change_url(soon) in body and change_url(card) not in body


def test_the_expiring_page_lists_decisions_and_cards_within_the_users_scope(
    client, people, sam_son_hotel, agency, commune_other
):
    today = dt.date.today()
    add_stars(sam_son_hotel, number="QĐ-SOON", expires_on=today + dt.timedelta(days=15))
    elsewhere = make_establishment(commune_other, name="Khách sạn Hạc")
    add_stars(elsewhere, number="QĐ-ELSEWHERE", expires_on=today + dt.timedelta(days=15))
    make_card("138000061", expires_on=today + dt.timedelta(days=5), issued_on=today - dt.timedelta(days=1800),
              employer=agency)
    url = reverse("admin:registry_establishment_expiring")
    body = login(client, people["admin"]).get(url).content.decode()
    assert "QĐ-SOON" in body and "QĐ-ELSEWHERE" in body and "138000061" in body
    body = login(client, people["sam_son_editor"]).get(url).content.decode()
    assert "QĐ-SOON" in body
    assert "QĐ-ELSEWHERE" not in body and "138000061" not in body


def test_export_actions_download_the_selected_establishments(client, people, agency, sam_son_hotel):
    client = login(client, people["admin"])
    response = client.post(
        reverse("admin:registry_establishment_changelist"),
        {"action": "export_csv", "_selected_action": [agency.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="establishments.csv"'
    body = response.content.decode("utf-8-sig")
    assert agency.code in body and sam_son_hotel.code not in body


def test_a_guide_card_page_shows_the_qr_code_of_its_verification_address(client, people, card):
    body = login(client, people["admin"]).get(change_url(card)).content.decode()
    assert "<svg" in body
    assert services.guidecard_verify_url(card) in body


def test_the_agency_sees_its_guides_cards_but_only_the_department_changes_them(client, people, card, agency):
    other = make_card("138000071")
    client = login(client, people["business_rep"])
    listing = client.get(reverse("admin:registry_guidecard_changelist")).content.decode()
    assert change_url(card) in listing and change_url(other) not in listing
    assert client.get(change_url(card)).status_code == 200
    assert client.post(change_url(card), {"holder_name": "Ai đó"}).status_code == 403
    assert client.get(reverse("admin:registry_guidecard_add")).status_code == 403
    assert client.get(reverse("admin:registry_guidecard_import")).status_code == 403


def test_the_department_revokes_a_card_and_its_check_says_so(client, people, card):
    client = login(client, people["dept_editor"])
    data = form_data(client, card, revoked_on="2026-01-05", revoked_reason="Vi phạm")
    assert client.post(change_url(card), data).status_code == 302
    check = services.guidecard_check(number=card.number, today=dt.date(2026, 2, 1))
    assert (check.state, check.since) == ("revoked", dt.date(2026, 1, 5))


def test_a_business_adds_an_establishment_it_operates_and_no_one_elses(client, people):
    from xuthanh.orgs.models import Organisation

    commune = people["business"].communes.first()  # the scope mixin offers a unit its own communes
    client = login(client, people["business_rep"])
    data = {
        "code": "HS-NEW-1", "name": "Homestay Mới", "kind": "accommodation", "accommodation_type": "homestay",
        "rooms": "4", "beds": "8", "operator": str(people["business"].pk), "commune": str(commune.pk),
        "address": "x", "credentials-TOTAL_FORMS": "0", "credentials-INITIAL_FORMS": "0",
        "branches-TOTAL_FORMS": "0", "branches-INITIAL_FORMS": "0",
    }
    other = Organisation.objects.filter(kind=Organisation.Kind.BUSINESS).exclude(pk=people["business"].pk).first()
    response = client.post(reverse("admin:registry_establishment_add"), {**data, "operator": str(other.pk)})
    assert response.status_code == 200
    assert not Establishment.objects.filter(code="HS-NEW-1").exists()
    response = client.post(reverse("admin:registry_establishment_add"), data)
    assert response.status_code == 302
    created = Establishment.objects.get(code="HS-NEW-1")
    assert (created.operator, created.state, created.is_sample) == (people["business"], "operating", False)


def test_a_card_number_that_cannot_be_part_of_its_qr_address_is_refused(client, people, card):
    client = login(client, people["dept_editor"])
    response = client.post(change_url(card), form_data(client, card, number="138/000 001"))
    assert response.status_code == 200
    assert "letters, digits or hyphens" in response.content.decode()
    card.refresh_from_db()
    assert card.number == "138000001"
