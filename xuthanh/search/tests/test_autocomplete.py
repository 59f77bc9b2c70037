"""Autocomplete's prefix index (NameEntry): consecutive typed words from any word of any language's name,
kept in step with catalogue writes; the full-text fallback for scattered words and typos."""

import pytest

from xuthanh.catalog.models import Place
from xuthanh.catalog.services import content_set_status
from xuthanh.search import services
from xuthanh.search.models import NameEntry

pytestmark = pytest.mark.django_db


def suggested(prefix: str, **kwargs) -> list[str]:
    return [hit.slug for hit in services.autocomplete(prefix, **kwargs)]


def test_names_are_indexed_from_each_word_to_the_end():
    place = Place.objects.get(slug="thanh-nha-ho")
    phrases = set(NameEntry.objects.filter(kind="place", object_id=place.pk).values_list("phrase", flat=True))
    assert {"thanh nha ho", "nha ho", "ho"} <= phrases
    assert all(p == p.lower() and "à" not in p for p in phrases)  # folded like the search index


def test_a_name_that_starts_with_the_typed_words_comes_first():
    assert suggested("lam kinh")[0] == "lam-kinh"
    assert suggested("Thành nhà")[0] == "thanh-nha-ho"
    assert suggested("thanh n")[0] == "thanh-nha-ho"


def test_it_completes_the_middle_of_a_name_and_every_language():
    assert "thanh-nha-ho" in suggested("nha h")
    assert "thanh-nha-ho" in suggested("胡朝")
    assert suggested("citadelle de la dyn")[0] == "thanh-nha-ho"


def test_kinds_and_limit_are_respected():
    places = services.autocomplete("den", kinds=["place"], limit=3)
    assert len(places) == 3 and {hit.kind for hit in places} == {"place"}


def test_scattered_words_and_typos_fall_back_to_the_full_text_index():
    assert not services._phrase_rows("citadel dynasty", [], 8)  # not consecutive in any name
    assert suggested("citadel dynasty")[0] == "thanh-nha-ho"
    assert "pu-luong" in suggested("pu luogn")


def test_a_renamed_place_is_suggested_at_once_and_its_old_name_is_gone(people):
    place = Place.objects.get(slug="lam-kinh")
    place.set_current_language("en")
    place.name = "Blue Dragon Relic"
    place.save()
    place.refresh_search_text()
    assert suggested("blue dra") == ["lam-kinh"]
    place.name = "Green Phoenix Relic"
    place.save()
    place.refresh_search_text()
    assert "lam-kinh" not in suggested("blue dra") and suggested("green pho") == ["lam-kinh"]
    content_set_status(actor=people["dept_editor"], obj=place, status="archived")
    assert suggested("green pho") == []
    assert not NameEntry.objects.filter(kind="place", object_id=place.pk).exists()


def test_reindex_rebuilds_the_prefix_index():
    before = set(NameEntry.objects.values_list("kind", "object_id", "phrase"))
    NameEntry.objects.all().delete()
    services.reindex()
    assert set(NameEntry.objects.values_list("kind", "object_id", "phrase")) == before
    assert suggested("thanh n")[0] == "thanh-nha-ho"
