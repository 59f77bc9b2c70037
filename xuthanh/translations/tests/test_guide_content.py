"""The audio guide's texts in the translation desk like the catalogue's: guided tours, stops (name and
narration script), place narrations, 360° scenes and their information spots, each with its queues
(missing by its own main field, outdated when the Vietnamese changed, published only through its tour),
the editor, the memory, agencies' XLIFF batches; a ways' hotspot has no text and is never queued; a stop's
script translated in the desk is queued for speaking."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from xuthanh.core.models import TranslationStatus
from xuthanh.guide import services as guide_services
from xuthanh.guide.models import Clip, Hotspot, Narration, Scene, Stop, Tour
from xuthanh.orgs.models import Membership, Organisation, Role
from xuthanh.translations import memory, services, xliff
from xuthanh.translations.models import TranslationBatch
from xuthanh.translations.selectors import QueueFilters, queue, queue_counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(db: Any) -> None:
    guide_services.tours_load()
    guide_services.scenes_load(width=2048)


@pytest.fixture
def translator(people: dict) -> Any:
    user = get_user_model().objects.create_user("guide_translator", password="correct horse battery")
    Membership.objects.create(user=user, role=Role.TRANSLATOR,
                              organisation=Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT))
    return user


def test_the_guides_texts_have_queues_of_their_own(guide: None, translator: Any, client: Any) -> None:
    counts = queue_counts(translator, "ja", QueueFilters())
    assert sum(counts["stop"].values()) == Stop.objects.count() == counts["stop"]["missing"]  # no Japanese yet
    assert sum(counts["scene"].values()) == 6
    assert sum(counts["hotspot"].values()) == Hotspot.objects.filter(target__isnull=True).count() == 10
    assert sum(counts["guided_tour"].values()) == Tour.objects.count()
    english = queue_counts(translator, "en", QueueFilters())
    assert english["stop"]["machine"] == Stop.objects.count()  # the shipped English scripts are machine drafts
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(translator)
    page = client.get("/admin/desk/?lang=fr&content=stop").content.decode()
    assert "Cổng Nam" in page and "Porte sud" in page
    stop = Stop.objects.get(qr="TNH-01")
    assert client.get(f"/admin/desk/stop/{stop.pk}/fr/").status_code == 200
    note = Hotspot.objects.filter(target__isnull=True).first()
    assert client.get(f"/admin/desk/hotspot/{note.pk}/en/").status_code == 200
    way = Hotspot.objects.filter(target__isnull=False).first()
    assert client.get(f"/admin/desk/hotspot/{way.pk}/en/").status_code == 404  # nothing to translate


def test_a_stop_translated_in_the_desk_is_reviewed_remembered_and_spoken(
        guide: None, translator: Any, django_capture_on_commit_callbacks: Any) -> None:
    stop = Stop.objects.get(qr="TNH-01")
    script = stop.safe_translation_getter("script", language_code="en")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.save_translation(translator, stop, "en", {"name": "The South Gate", "script": script},
                                           reviewed=True)
    assert result.saved
    row = stop.translations.get(language_code="en")
    assert row.translation_status == TranslationStatus.REVIEWED and row.name == "The South Gate"
    assert memory.suggest("en", stop.safe_translation_getter("name", language_code="vi"))
    assert Clip.objects.filter(stop=stop, language="en", origin=Clip.Origin.ENGINE).exists()  # queued anew
    named = services.save_translation(translator, stop, "zh-hans", {"name": "南门", "script": ""}, reviewed=False)
    assert named.saved  # a stop needs its name; without a script its narration falls back, and says so
    narration = Narration.objects.create(place=stop.tour.place)
    narration.set_current_language("vi")
    narration.script = "Thành nhà Hồ được xây năm 1397."
    narration.save()
    empty = services.save_translation(translator, narration, "en", {"script": " "}, reviewed=True)
    assert not empty.saved and "script is needed" in empty.errors["script"]


def test_a_stop_whose_vietnamese_changed_is_outdated_and_published_follows_its_tour(guide: None,
                                                                                     translator: Any) -> None:
    stop = Stop.objects.get(qr="LKI-01")
    services.save_translation(translator, stop, "en", {
        "name": "Ngọc River and Bạch Bridge", "script": stop.safe_translation_getter("script", language_code="en")},
        reviewed=True)
    stop.set_current_language("vi")
    stop.script = stop.script + " Cầu Bạch bắc qua sông Ngọc."
    stop.save()
    outdated = queue(translator, Stop, "en", QueueFilters(state="outdated"))
    assert list(outdated.values_list("pk", flat=True)) == [stop.pk]
    Tour.objects.filter(slug="lam-kinh").update(status="draft")
    published = queue(translator, Stop, "en", QueueFilters(published_only=True))
    assert not published.filter(tour__slug="lam-kinh").exists() and published.exists()
    found = queue(translator, Scene, "en", QueueFilters(q="Cổng"))
    assert set(found.values_list("slug", flat=True)) == {"cong-nam", "cong-bac"}


def test_an_agency_translates_a_tours_notes_through_xliff(guide: None, people: dict) -> None:
    agency = Organisation.objects.create(name="Agency", slug="agency", kind=Organisation.Kind.PARTNER)
    user = get_user_model().objects.create_user("agency_guide", password="correct horse battery")
    Membership.objects.create(user=user, organisation=agency, role=Role.TRANSLATOR)
    notes = sorted(Hotspot.objects.filter(target__isnull=True, scene__tour__slug="lam-kinh").values_list(
        "pk", flat=True))
    batch = TranslationBatch.objects.create(agency=agency, language="fr", items={"hotspot": notes},
                                            created_by=people["dept_editor"])
    data = xliff.export_batch(batch).decode()
    assert f'id="hotspot.{notes[0]}.title"' in data and "Sân Rồng" in data
    from translate.storage.xliff2 import Xliff2File

    store = Xliff2File.parsestring(data.encode())
    for unit in store.unit_iter():
        unit.target = "Cour du Dragon (revue)" if unit.getid().endswith(".title") else "La cour mesure 58,5 m."
        unit.xmlelement.set("state", "final")
    report = xliff.import_file(user, bytes(store))
    assert not report.problems, report.problems
    spot = Hotspot.objects.get(pk=notes[0])
    assert spot.safe_translation_getter("title", language_code="fr") == "Cour du Dragon (revue)"
    assert spot.translations.get(language_code="fr").translation_status == TranslationStatus.REVIEWED
