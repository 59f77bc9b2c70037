"""Batches for agencies as XLIFF 2.0 (translate-toolkit): the round trip is byte-stable for unchanged
records; translations come back stamped and audited; every problem of a file is named by unit and field,
and a file with any problem stores nothing."""

import pytest
from django.contrib.auth import get_user_model

from xuthanh.catalog.models import Place
from xuthanh.core.models import AuditEntry, TranslationStatus
from xuthanh.orgs.models import Membership, Organisation, Role
from xuthanh.translations import xliff
from xuthanh.translations.models import TranslationBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return Organisation.objects.create(
        name="Công ty Dịch thuật Hàm Rồng (mẫu)", slug="dich-thuat-ham-rong", kind=Organisation.Kind.PARTNER
    )


@pytest.fixture
def agency_translator(agency):
    user = get_user_model().objects.create_user("agency_translator", password="correct horse battery")
    Membership.objects.create(user=user, organisation=agency, role=Role.TRANSLATOR)
    return user


@pytest.fixture
def batch(agency, people):
    places = list(Place.objects.filter(slug__in=["thanh-nha-ho", "lam-kinh"]).values_list("pk", flat=True))
    return TranslationBatch.objects.create(
        agency=agency, language="fr", items={"place": sorted(places)}, created_by=people["dept_editor"]
    )


def _fill(data: bytes, translations: dict[str, str], state: str = "final") -> bytes:
    from translate.storage.xliff2 import Xliff2File

    store = Xliff2File.parsestring(data)
    for unit in store.unit_iter():  # the agency reviewed the whole file
        if unit.getid() in translations:
            unit.target = translations[unit.getid()]
        if unit.target:
            unit.xmlelement.set("state", state)
    return bytes(store)


def test_export_is_xliff_2_naming_the_batch_and_every_field(batch):
    data = xliff.export_batch(batch).decode()
    assert 'version="2.0"' in data and 'srcLang="vi"' in data and 'trgLang="fr"' in data
    assert f'<file id="xuthanh-batch-{batch.pk}">' in data
    place = Place.objects.get(slug="thanh-nha-ho")
    assert f'<unit id="place.{place.pk}.name">' in data and "<source>Thành nhà Hồ</source>" in data
    batch.refresh_from_db()
    assert batch.units == data.count("<unit ")


def test_round_trip_of_unchanged_records_is_byte_stable(batch, agency_translator):
    first = xliff.export_batch(batch)
    report = xliff.import_file(agency_translator, first)
    assert report.ok and report.records_changed == 0
    assert xliff.export_batch(batch) == first


def test_an_agencys_translation_comes_back_reviewed_stamped_and_audited(batch, agency_translator):
    place = Place.objects.get(slug="thanh-nha-ho")
    data = _fill(xliff.export_batch(batch), {f"place.{place.pk}.name": "Citadelle des Hồ"})
    report = xliff.import_file(agency_translator, data)
    assert report.ok, report.problems
    row = place.translations.get(language_code="fr")
    assert row.name == "Citadelle des Hồ" and row.translation_status == TranslationStatus.REVIEWED
    assert row.source_hash == place.translations.get(language_code="vi").source_hash
    entry = AuditEntry.objects.filter(object_id=str(place.pk)).latest("pk")
    assert entry.actor == agency_translator and f"XLIFF batch {batch.pk}" in entry.note
    batch.refresh_from_db()
    assert batch.state == TranslationBatch.State.IMPORTED


def test_every_problem_is_named_and_nothing_is_half_imported(batch, agency_translator):
    place = Place.objects.get(slug="thanh-nha-ho")
    lam_kinh = Place.objects.get(slug="lam-kinh")
    data = xliff.export_batch(batch).decode()
    data = data.replace(f'id="place.{lam_kinh.pk}.summary"', 'id="place.999999.summary"')  # not in the batch
    data = data.replace(f'id="place.{lam_kinh.pk}.name"', 'id="nonsense"')  # unknown id
    data = _fill(
        data.encode(),
        {
            f"place.{place.pk}.name": "Citadelle des Hồ",  # good on its own
            f"place.{place.pk}.summary": "x" * 400,  # too long
        },
    )
    data = data.replace(
        b"<source>Th\xc3\xa0nh nh\xc3\xa0 H\xe1\xbb\x93</source>", b"<source>Th\xc3\xa0nh c\xc5\xa9</source>"
    )
    report = xliff.import_file(agency_translator, data)
    problems = {(p.where, p.message) for p in report.problems}
    assert not report.ok
    assert ("nonsense", "Unknown unit id.") in problems
    assert any(w.startswith("place 999999") and m == "This record is not part of the batch." for w, m in problems)
    assert any(w.endswith(", name") and "Vietnamese text changed after the export" in m for w, m in problems)
    assert any(w.endswith(", summary") and "At most 300 characters" in m for w, m in problems)
    assert place.translations.get(language_code="fr").name != "Citadelle des Hồ"  # nothing stored


def test_markup_in_a_translation_is_refused(batch, agency_translator):
    place = Place.objects.get(slug="thanh-nha-ho")
    data = _fill(xliff.export_batch(batch), {f"place.{place.pk}.name": "PLACEHOLDER"}).decode()
    data = data.replace("<target>PLACEHOLDER</target>", '<target>Citadelle <pc id="1">des Hồ</pc></target>')
    report = xliff.import_file(agency_translator, data.encode())
    assert [p.message for p in report.problems] == ["The translation holds markup (pc) that the source has not."]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not xml at all", "not well-formed XML"),
        (b'<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>', "not XLIFF 2.0"),
        (
            b'<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="vi" '
            b'trgLang="fr"><file id="other-file"></file></xliff>',
            "does not come from a batch",
        ),
    ],
    ids=["not xml", "xliff 1.2", "unknown file id"],
)
def test_wrong_files_are_named(agency_translator, data, message):
    report = xliff.import_file(agency_translator, data)
    assert not report.ok and message in report.problems[0].message


def test_only_the_batchs_agency_imports_it(batch, people):
    other = Organisation.objects.create(name="Đơn vị khác", slug="don-vi-khac", kind=Organisation.Kind.PARTNER)
    stranger = get_user_model().objects.create_user("stranger", password="correct horse battery")
    Membership.objects.create(user=stranger, organisation=other, role=Role.TRANSLATOR)
    report = xliff.import_file(stranger, xliff.export_batch(batch))
    assert [p.message for p in report.problems] == ["Only the agency the batch was sent to may import it."]


def test_a_file_in_another_language_is_refused(batch, agency_translator):
    data = xliff.export_batch(batch).replace(b'trgLang="fr"', b'trgLang="en"')
    report = xliff.import_file(agency_translator, data)
    assert [p.message for p in report.problems] == ["The file is in en, the batch in fr."]


def test_xml_entities_are_not_expanded(agency_translator):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"><file id="x">&b;</file></xliff>'
    )
    report = xliff.import_file(agency_translator, bomb)
    assert not report.ok
