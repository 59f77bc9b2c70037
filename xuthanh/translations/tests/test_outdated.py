"""A translation remembers the Vietnamese it was made from (core.sourcetrack): editing the source makes it
outdated, editing (or reviewing) the translation makes it current again, whichever door wrote it."""

import pytest

from xuthanh.catalog.models import Event, Place
from xuthanh.catalog.selectors import translation_state, translation_state_counts
from xuthanh.core.models import TranslationStatus
from xuthanh.translations import services

pytestmark = pytest.mark.django_db


def _state(obj, lang="en") -> str:
    return translation_state(obj, lang)


def _edit(obj, lang: str, **values) -> None:
    obj = type(obj).objects.get(pk=obj.pk)
    obj.set_current_language(lang)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()


def test_source_edited_after_the_translation_makes_it_outdated_with_the_old_source_kept():
    place = Place.objects.get(slug="thanh-nha-ho")
    old_summary = place.translations.get(language_code="vi").summary
    services.save_translation(
        None, place, "en", {"name": "Citadel of the Hồ Dynasty", "summary": "Stone capital."}, reviewed=True
    )
    assert _state(place) == "reviewed"
    _edit(place, "vi", summary=old_summary + " Mở cửa cả ngày lễ.")
    assert _state(place) == "outdated"
    assert _state(place, "fr") == "outdated"  # every language made from the old source
    row = place.translations.get(language_code="en")
    assert row.source_snapshot["summary"] == old_summary  # the editor shows the change from this


def test_translation_edited_after_the_source_is_current_again():
    place = Place.objects.get(slug="lam-kinh")
    services.save_translation(None, place, "en", {"name": "Lam Kinh"}, reviewed=False)
    _edit(place, "vi", summary="Quê hương của Lê Lợi.")
    assert _state(place) == "outdated"
    _edit(place, "en", summary="Home region of Lê Lợi.")  # any door: here a plain model save (admin, import)
    assert _state(place) == "machine"  # current, still a draft
    services.save_translation(
        None, place, "en", {"name": "Lam Kinh", "summary": "Home region of Lê Lợi."}, reviewed=True
    )
    assert _state(place) == "reviewed"


def test_both_edited_translation_first_then_source_is_outdated():
    event = Event.objects.filter(status="published").first()
    services.save_translation(None, event, "zh-hans", {"name": "节日", "description": "说明"}, reviewed=True)
    assert _state(event, "zh-hans") == "reviewed"
    _edit(event, "vi", description="Mô tả mới của lễ hội.")
    assert _state(event, "zh-hans") == "outdated"


def test_an_unchanged_source_save_keeps_translations_current():
    place = Place.objects.get(slug="thanh-nha-ho")
    services.save_translation(None, place, "en", {"name": "Citadel of the Hồ Dynasty"}, reviewed=True)
    source = place.translations.get(language_code="vi")
    _edit(place, "vi", name=source.name)
    assert _state(place) == "reviewed"


def test_missing_and_counts():
    place = Place.objects.get(slug="thanh-nha-ho")
    place.translations.filter(language_code="fr").delete()
    assert _state(place, "fr") == "missing"
    counts = translation_state_counts(Place.objects.filter(pk=place.pk), "fr")
    assert counts == {"missing": 1, "outdated": 0, "machine": 0, "reviewed": 0}


def test_a_draft_saved_by_a_person_is_a_draft_not_a_machine_draft():
    place = Place.objects.get(slug="thanh-nha-ho")
    services.save_translation(None, place, "en", {"name": "Citadel"}, reviewed=False)
    row = place.translations.get(language_code="en")
    assert row.translation_status == TranslationStatus.DRAFT and row.engine == ""
    assert _state(place) == "machine"  # the queue of drafts not yet reviewed


def test_translations_saved_before_their_source_are_stamped_when_it_comes():
    """An import or a form may write every language of a new record in any order."""
    from xuthanh.areas.models import Commune

    event = Event.objects.create(slug="le-hoi-moi", commune=Commune.objects.first(), recurrence="solar", month=5, day=1)
    rows = Event._parler_meta.root_model.objects
    rows.create(master=event, language_code="en", name="New festival")
    rows.create(master=event, language_code="vi", name="Lễ hội mới")
    assert _state(event) == "reviewed"  # current (a new row is reviewed by default), not outdated
    assert rows.get(master=event, language_code="en").source_snapshot["name"] == "Lễ hội mới"
