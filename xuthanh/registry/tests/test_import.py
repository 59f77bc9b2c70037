"""Import and export of the registry through the catalogue's import (all rows or none, every problem named by
line and column): establishments with their current star rating or licence, guide cards with their employer
by registry code, and who may import what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuthanh.catalog import importing
from xuthanh.core.models import AuditEntry
from xuthanh.registry import services
from xuthanh.registry.fieldmaps import establishment_map, guidecard_map
from xuthanh.registry.models import Credential, Establishment, GuideCard
from xuthanh.registry.tests.conftest import add_stars, make_card

pytestmark = pytest.mark.django_db

HEADER = (
    "code,name,kind,accommodation_type,rooms,commune_code,address,"
    "stars,star_decision,star_issued_on,star_issuer,star_expires_on"
)
SAM_SON = 16531


def run(csv: str, actor=None, kind="establishment") -> importing.ImportResult:
    header, rows = importing.read_table("register.csv", csv.encode())
    return services.registry_import(kind=kind, header=header, rows=rows, actor=actor, note="test")


def problems(result) -> set[tuple[int, str]]:
    return {(e.line, e.column) for e in result.errors}


def test_a_register_creates_establishments_with_their_current_star_rating():
    result = run(
        f"{HEADER}\n"
        f"KS-001,Khách sạn Biển Nhớ,accommodation,hotel,40,{SAM_SON},1 Hồ Xuân Hương,3,123/QĐ-SVHTTDL,2023-05-01,"
        "Sở VHTTDL Thanh Hóa,2028-05-01\n"
        f"KS-002,Nhà nghỉ Gió,accommodation,guesthouse,8,{SAM_SON},2 Hồ Xuân Hương,,,,,\n"
    )
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (2, 0)
    hotel = Establishment.objects.get(code="KS-001")
    assert hotel.current_stars(dt.date(2026, 1, 1)) == 3
    credential = hotel.credentials.get()
    assert (credential.number, credential.expires_on) == ("123/QĐ-SVHTTDL", dt.date(2028, 5, 1))
    assert not Establishment.objects.get(code="KS-002").credentials.exists()
    assert AuditEntry.objects.filter(object_repr="Khách sạn Biển Nhớ", action=AuditEntry.Action.CREATE).exists()


def test_the_same_decision_number_updates_the_decision_and_a_new_one_becomes_current(sam_son_hotel):
    add_stars(sam_son_hotel, 3, number="1/QĐ")
    code = sam_son_hotel.code
    line = f"{code},{sam_son_hotel.name},accommodation,hotel,20,{SAM_SON},x"
    assert run(f"{HEADER}\n{line},3,1/QĐ,2022-01-01,Sở VHTTDL,2027-06-30\n").ok
    assert sam_son_hotel.credentials.get().expires_on == dt.date(2027, 6, 30)
    assert run(f"{HEADER}\n{line},4,9/QĐ-CDL,2026-02-01,Cục Du lịch Quốc gia,2031-02-01\n").ok
    assert sam_son_hotel.credentials.count() == 2
    assert sam_son_hotel.current_stars(dt.date(2026, 3, 1)) == 4
    exported = importing.export_csv(establishment_map(), Establishment.objects.filter(pk=sam_son_hotel.pk))
    assert "9/QĐ-CDL" in exported.decode("utf-8-sig") and "1/QĐ" not in exported.decode("utf-8-sig")


def test_a_travel_licence_is_imported_for_an_agency():
    result = run(
        "code,name,kind,travel_scope,commune_code,address,licence_number,licence_issued_on,licence_issuer,"
        "licence_deposit_vnd\n"
        f"LH-001,Lữ hành Sông Chu,travel,international,{SAM_SON},x,38-123/2019/TCDL-GP LHQT,2019-04-10,"
        "Tổng cục Du lịch,250.000.000\n"
    )
    assert result.ok, [str(e) for e in result.errors]
    licence = Establishment.objects.get(code="LH-001").credentials.get()
    assert licence.kind == Credential.Kind.TRAVEL_LICENCE
    assert (licence.deposit_vnd, licence.expires_on) == (250_000_000, None)


def test_bad_rows_are_named_by_line_and_column_and_nothing_is_stored():
    result = run(
        f"{HEADER}\n"
        f"OK-001,Khách sạn Đúng,accommodation,hotel,10,{SAM_SON},x,,,,,\n"
        "BAD-1,Khách sạn Sai,accommodation,hotel,10,99999,x,,,,,\n"
        f"BAD-2,Khách sạn Sai,accommodation,hotel,10,{SAM_SON},x,6,1/QĐ,2023-01-01,Sở,2028-01-01\n"
        f"BAD-3,Khách sạn Sai,accommodation,hotel,10,{SAM_SON},x,3,1/QĐ,01/02/2023,Sở,2028-01-01\n"
        f"BAD-4,Khách sạn Sai,castle,,10,{SAM_SON},x,,,,,\n"
        f"BAD-5,Khách sạn Sai,accommodation,hotel,10,{SAM_SON},x,3,,2023-01-01,,2028-01-01\n"
        f"BAD-6,Khách sạn Sai,accommodation,hotel,10,{SAM_SON},x,3,2/QĐ,2023-01-01,Sở,2020-01-01\n"
        f"BAD-7,Homestay Sai,accommodation,homestay,4,{SAM_SON},x,3,3/QĐ,2023-01-01,Sở,2028-01-01\n"
        f"BAD-8,Khách sạn Sai,accommodation,,10,{SAM_SON},x,,,,,\n"
        f"OK-001,Khách sạn Đúng,accommodation,hotel,10,{SAM_SON},x,,,,,\n"
    )
    assert not result.ok
    assert {
        (3, "commune_code"),
        (4, "stars"),
        (5, "star_issued_on"),
        (6, "kind"),
        (7, "star_decision"),
        (7, "star_issuer"),
        (8, "star_expires_on"),
        (9, "stars"),
        (10, "accommodation_type"),
        (11, "code"),
    } <= problems(result)
    assert not any(e.line == 2 for e in result.errors)
    assert [e.line for e in result.errors] == sorted(e.line for e in result.errors)
    assert "line 4, column “stars”: a star rating is 1 to 5 stars" in [str(e) for e in result.errors]
    assert (result.created, result.updated) == (0, 0)
    assert not Establishment.objects.filter(code__in=["OK-001", "BAD-1"]).exists()


def test_a_problem_only_seen_across_cells_also_stores_nothing():
    result = run(
        f"{HEADER}\n"
        f"OK-002,Khách sạn Đúng,accommodation,hotel,10,{SAM_SON},x,,,,,\n"
        f"BAD-9,Homestay Sai,accommodation,homestay,4,{SAM_SON},x,3,3/QĐ,2023-01-01,Sở,2028-01-01\n"
    )
    assert problems(result) == {(3, "stars")}
    assert (result.created, result.updated) == (0, 0)
    assert not Establishment.objects.filter(code="OK-002").exists()
    assert not AuditEntry.objects.filter(object_repr="Khách sạn Đúng").exists()


def test_an_unknown_column_and_a_missing_key_are_named_on_the_first_line():
    result = run("name,colour\nA,red\n")
    assert problems(result) == {(1, "colour"), (1, "code")}


def test_a_business_updates_its_own_establishments_but_not_anothers(people, agency, sam_son_hotel):
    rep = people["business_rep"]
    header = "code,phone"
    assert run(f"{header}\n{agency.code},0237 000 0099\n", actor=rep).ok
    agency.refresh_from_db()
    assert agency.phone == "0237 000 0099"
    result = run(f"{header}\n{agency.code},0237 000 0098\n{sam_son_hotel.code},0237 000 0097\n", actor=rep)
    assert problems(result) == {(3, "code")}
    agency.refresh_from_db()
    assert agency.phone == "0237 000 0099"


def test_a_business_cannot_give_itself_stars_or_a_licence_or_change_its_state(people, agency):
    rep = people["business_rep"]
    result = run(
        "code,licence_number,licence_issued_on,licence_issuer,state\n"
        f"{agency.code},GP-1,2020-01-01,Sở,suspended\n",
        actor=rep,
    )
    assert problems(result) == {(2, "licence_number"), (2, "state")}
    assert not agency.credentials.exists()


def test_a_business_imports_its_own_export_again_unchanged(people, agency):
    Credential.objects.create(establishment=agency, kind=Credential.Kind.TRAVEL_LICENCE, number="GP-7",
                              issued_on=dt.date(2020, 1, 1), issuer="Sở VHTTDL", deposit_vnd=100_000_000)
    fieldmap = establishment_map()
    data = importing.export_csv(fieldmap, Establishment.objects.filter(pk=agency.pk).prefetch_related("credentials"))
    header, rows = importing.read_table("export.csv", data)
    result = services.registry_import(kind="establishment", header=header, rows=rows, actor=people["business_rep"])
    assert result.ok, [str(e) for e in result.errors]
    assert result.updated == 1
    assert agency.credentials.count() == 1


def test_a_commune_officer_imports_only_inside_its_communes(people, sam_son_hotel, agency):
    editor = people["sam_son_editor"]
    assert run(f"code,phone\n{sam_son_hotel.code},0237 000 0050\n", actor=editor).ok
    result = run(
        f"code,name,kind,accommodation_type,rooms,commune_code,address\n"
        f"{agency.code},x,travel,,,{SAM_SON},x\n"
        f"NEW-1,Khách sạn Ngoài,accommodation,hotel,5,{agency.commune.code},x\n",
        actor=editor,
    )
    assert problems(result) == {(2, "code"), (3, "code")}


def test_the_department_records_decisions_by_import(people, agency):
    result = run(
        "code,licence_number,licence_issued_on,licence_issuer\n"
        f"{agency.code},GP-2,2020-01-01,Sở VHTTDL\n",
        actor=people["dept_editor"],
    )
    assert result.ok
    assert agency.credentials.get().number == "GP-2"


def test_guide_cards_are_imported_with_their_employer_by_registry_code(agency):
    result = run(
        "number,holder_name,card_type,languages,issued_on,issuer,expires_on,employer\n"
        f"138000011,Lê Thị Hoa,international,\"en, ja\",2024-01-05,Sở VHTTDL,2029-01-05,{agency.code}\n"
        "338000012,Vũ Văn Nam,site,,2024-01-05,Sở VHTTDL,,\n",
        kind="guidecard",
    )
    assert result.ok, [str(e) for e in result.errors]
    card = GuideCard.objects.get(number="138000011")
    assert (card.employer, card.language_list) == (agency, ["en", "ja"])
    assert GuideCard.objects.get(number="338000012").employer is None


def test_bad_guide_card_rows_are_named_and_nothing_is_stored(agency, sam_son_hotel):
    result = run(
        "number,holder_name,card_type,languages,issued_on,issuer,expires_on,employer\n"
        "138000021,Đúng,domestic,,2024-01-05,Sở,2029-01-05,\n"
        "13/8,Số sai,domestic,,2024-01-05,Sở,2029-01-05,\n"
        "138000022,Không ngoại ngữ,international,,2024-01-05,Sở,2029-01-05,\n"
        f"138000023,Chủ sai,domestic,,2024-01-05,Sở,2029-01-05,{sam_son_hotel.code}\n"
        "138000024,Chủ lạ,domestic,,2024-01-05,Sở,2029-01-05,KHONG-CO\n"
        "138000025,Không hạn,domestic,,2024-01-05,Sở,,\n"
        "138000026,,domestic,,2024-01-05,Sở,2029-01-05,\n",
        kind="guidecard",
    )
    assert problems(result) == {
        (3, "number"),
        (4, "languages"),
        (5, "employer"),
        (6, "employer"),
        (7, "expires_on"),
        (8, "holder_name"),
    }
    assert not GuideCard.objects.exists()


def test_only_the_department_imports_guide_cards(people, agency):
    rows = "number,holder_name,card_type,issued_on,issuer,expires_on,employer\n" \
           f"238000031,Lê Văn Sơn,domestic,2024-01-05,Sở,2029-01-05,{agency.code}\n"
    assert not run(rows, actor=people["sam_son_editor"], kind="guidecard").ok
    assert run(rows, actor=people["dept_editor"], kind="guidecard").ok


def test_guide_cards_export_and_import_again_exactly(card, agency):
    before = {f.name: getattr(card, f.name) for f in GuideCard._meta.concrete_fields if f.name != "updated_at"}
    data = importing.export_xlsx(guidecard_map(), GuideCard.objects.all())
    header, rows = importing.read_table("cards.xlsx", data)
    assert rows[0][1]["employer"] == agency.code
    result = services.registry_import(kind="guidecard", header=header, rows=rows, actor=None)
    assert (result.ok, result.updated) == (True, 1)
    card.refresh_from_db()
    assert {f: getattr(card, f) for f in before} == before


def test_the_admin_import_page_lists_every_problem_and_stores_nothing(client, people):
    client.force_login(people["admin"])
    url = reverse("admin:registry_establishment_import")
    assert client.get(url).status_code == 200
    bad = (f"{HEADER}\nA-1,Khách sạn A,accommodation,hotel,10,{SAM_SON},x,,,,,\n"
           f"A-2,Khách sạn B,accommodation,homestay,10,{SAM_SON},x,2,1/QĐ,2023-01-01,Sở,\n")
    response = client.post(url, {"file": SimpleUploadedFile("register.csv", bad.encode())}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "line 3, column “stars”" in response.content.decode()
    assert not Establishment.objects.filter(code="A-1").exists()
    good = f"{HEADER}\nA-1,Khách sạn A,accommodation,hotel,10,{SAM_SON},x,,,,,\n"
    response = client.post(url, {"file": SimpleUploadedFile("register.csv", good.encode())})
    assert response.status_code == 302
    assert Establishment.objects.filter(code="A-1").exists()


@pytest.mark.parametrize("model", ["establishment", "guidecard"])
def test_the_import_templates_download(client, people, model):
    client.force_login(people["admin"])
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse(f"admin:registry_{model}_import_template", args=[fmt]))
        assert response.status_code == 200
        assert f"{model}-import-template.{fmt}" in response["Content-Disposition"]


def test_existing_cards_are_found_by_number_for_an_update(card):
    result = run(f"number,holder_name\n{card.number},Nguyễn Văn An Mới\n", kind="guidecard")
    assert (result.ok, result.updated) == (True, 1)
    card.refresh_from_db()
    assert card.holder_name == "Nguyễn Văn An Mới"
    assert make_card("238000041", card_type=GuideCard.CardType.DOMESTIC, languages="").pk


def test_a_commune_cannot_hand_an_establishment_to_a_business_by_import(people, sam_son_hotel):
    business = people["business"]
    result = run(f"code,operator\n{sam_son_hotel.code},{business.slug}\n", actor=people["sam_son_editor"])
    assert problems(result) == {(2, "operator")}
    sam_son_hotel.refresh_from_db()
    assert sam_son_hotel.operator is None
    assert run(f"code,operator\n{sam_son_hotel.code},{business.slug}\n", actor=people["admin"]).ok


def test_a_guide_card_number_is_one_card_whatever_its_letter_case():
    card = make_card(number="ab-1234")
    assert card.number == "AB-1234"
    assert run("number,holder_name\nab-1234,Nguyễn Thị Thử\n", kind="guidecard").ok
    assert GuideCard.objects.filter(number__iexact="ab-1234").count() == 1
