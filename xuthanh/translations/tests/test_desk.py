"""The desk in the back office: queues scoped to the user's units and batches, the editor saving drafts and
reviewed translations with glossary flags, the coverage dashboard, and the permissions of each page."""

import pytest
from django.contrib.auth import get_user_model

from xuthanh.catalog.models import Place
from xuthanh.core.models import AuditEntry, TranslationStatus
from xuthanh.orgs.models import Membership, Organisation, Role
from xuthanh.translations import services
from xuthanh.translations.models import CoverageSnapshot, GlossaryTerm, TranslationBatch
from xuthanh.translations.selectors import QueueFilters, queue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_back_office(client):
    """The back office answers in the browser's language (Vietnamese by default): these tests read English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def sam_son_translator(sam_son_unit):
    user = get_user_model().objects.create_user("sam_son_translator", password="correct horse battery")
    Membership.objects.create(user=user, organisation=sam_son_unit, role=Role.TRANSLATOR)
    return user


def test_a_translator_of_one_unit_sees_only_its_records(sam_son_translator, commune_sam_son, client):
    records = queue(sam_son_translator, Place, "en", QueueFilters())
    assert records.exists()
    assert set(records.values_list("commune_id", flat=True)) == {commune_sam_son.pk}
    client.force_login(sam_son_translator)
    outside = Place.objects.exclude(commune=commune_sam_son).first()
    assert client.get(f"/admin/desk/place/{outside.pk}/en/").status_code == 404
    inside = records.first()
    assert client.get(f"/admin/desk/place/{inside.pk}/en/").status_code == 200
    response = client.post(f"/admin/desk/place/{outside.pk}/en/", {"action": "reviewed", "t-name": "x"})
    assert response.status_code == 404


def test_an_agency_sees_only_the_records_of_its_open_batches(people, client):
    agency = Organisation.objects.create(name="Agency", slug="agency", kind=Organisation.Kind.PARTNER)
    user = get_user_model().objects.create_user("agency_user", password="correct horse battery")
    Membership.objects.create(user=user, organisation=agency, role=Role.TRANSLATOR)
    assert not queue(user, Place, "en", QueueFilters()).exists()
    place = Place.objects.get(slug="thanh-nha-ho")
    TranslationBatch.objects.create(agency=agency, language="en", items={"place": [place.pk]})
    assert list(queue(user, Place, "en", QueueFilters()).values_list("pk", flat=True)) == [place.pk]
    client.force_login(user)
    assert client.get("/admin/desk/").status_code == 200


def test_people_without_a_translating_role_are_kept_out(people, client):
    client.force_login(people["statistician"])
    for url in ["/admin/desk/", "/admin/desk/coverage/", "/admin/desk/batches/import/"]:
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get("/admin/desk/").status_code == 302  # to the sign-in page


def test_queue_page_counts_and_filters(people, client):
    client.force_login(people["translator"])
    response = client.get("/admin/desk/?lang=zh-hans&content=place&state=machine&published=on")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Records to translate into 简体中文" in body
    counts = queue(people["translator"], Place, "zh-hans", QueueFilters(state="machine", published_only=True)).count()
    assert f"{counts} records" in body
    assert client.get("/admin/desk/?lang=xx&content=nope").status_code == 200  # reset, with a message


def test_editor_saves_reviewed_audits_and_flags_glossary_terms(people, client):
    GlossaryTerm.objects.create(vi="Thành nhà Hồ", kind="site", renderings={"en": "Citadel of the Hồ Dynasty"})
    place = Place.objects.get(slug="thanh-nha-ho")
    client.force_login(people["translator"])
    page = client.get(f"/admin/desk/place/{place.pk}/en/").content.decode()
    assert '<mark class="term" title="Thành nhà Hồ">Thành nhà Hồ</mark>' in page
    response = client.post(
        f"/admin/desk/place/{place.pk}/en/",
        {
            "action": "reviewed",
            "t-name": "The Ho fortress",
            "t-summary": "A stone citadel.",
            "t-description": "",
            "t-accessibility": "",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Saved as reviewed." in body
    assert "“Thành nhà Hồ” should be “Citadel of the Hồ Dynasty” (dropped)" in body
    row = place.translations.get(language_code="en")
    assert (row.name, row.translation_status) == ("The Ho fortress", TranslationStatus.REVIEWED)
    assert AuditEntry.objects.filter(object_id=str(place.pk), actor=people["translator"]).exists()


def test_editor_refuses_a_translation_without_a_name_and_keeps_the_text(people, client):
    place = Place.objects.get(slug="thanh-nha-ho")
    before = place.translations.get(language_code="en").name
    client.force_login(people["translator"])
    response = client.post(
        f"/admin/desk/place/{place.pk}/en/", {"action": "draft", "t-name": "", "t-summary": "Kept text"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "The name is needed" in body and "Kept text" in body
    assert place.translations.get(language_code="en").name == before


def test_save_and_next_opens_the_next_record_of_the_queue(people, client):
    for slug in ("thanh-nha-ho", "lam-kinh"):
        services.save_translation(None, Place.objects.get(slug=slug), "en", {"name": slug}, reviewed=False)
    client.force_login(people["translator"])
    first = queue(people["translator"], Place, "en", QueueFilters(state="machine")).first()
    response = client.post(
        f"/admin/desk/place/{first.pk}/en/?state=machine",
        {"action": "reviewed-next", "t-name": "Reviewed name"},
    )
    assert response.status_code == 302 and f"/place/{first.pk}/" not in response["Location"]
    assert "/admin/desk/place/" in response["Location"]


def test_sending_a_batch_downloads_its_xliff(people, client):
    agency = Organisation.objects.create(name="Agency", slug="agency", kind=Organisation.Kind.PARTNER)
    place = Place.objects.get(slug="thanh-nha-ho")
    client.force_login(people["dept_editor"])
    response = client.post("/admin/desk/?lang=en&content=place", {"record": [place.pk], "agency": agency.pk})
    assert response["Content-Type"] == "application/xliff+xml"
    batch = TranslationBatch.objects.get()
    assert batch.items == {"place": [place.pk]} and batch.agency == agency and batch.language == "en"
    client.force_login(people["translator"])  # a translator does not send batches
    response = client.post("/admin/desk/?lang=en&content=place", {"record": [place.pk], "agency": agency.pk})
    assert TranslationBatch.objects.count() == 1


def test_coverage_dashboard_records_a_day_and_draws_the_plan(people, client):
    client.force_login(people["translator"])
    assert client.post("/admin/desk/coverage/").status_code == 302
    assert CoverageSnapshot.objects.filter(language="en", content="place").exists()
    body = client.get("/admin/desk/coverage/").content.decode()
    assert 'id="coverage-chart"' in body and 'id="coverage-data"' in body and "plan target" in body


def test_snapshot_counts_published_records_by_state():
    services.snapshot_coverage()
    published = Place.objects.filter(status="published").count()
    row = CoverageSnapshot.objects.get(content="place", language="en")
    assert row.total == published == row.reviewed + row.machine + row.outdated + row.missing


def test_a_record_is_found_by_its_name_without_accents(people):
    found = queue(people["translator"], Place, "en", QueueFilters(q="thanh nha ho"))
    assert "thanh-nha-ho" in found.values_list("slug", flat=True)
