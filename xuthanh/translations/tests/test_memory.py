"""The translation memory: segments of reviewed translations, offered for identical and nearly identical
sources (never applied), fed by every reviewed save."""

import pytest

from xuthanh.catalog.models import Place
from xuthanh.translations import memory
from xuthanh.translations.models import MemoryEntry
from xuthanh.translations.segments import pairs, sentences


def test_sentences_are_paired_only_when_both_sides_have_as_many():
    assert sentences("Một. Hai! Ba?") == ["Một.", "Hai!", "Ba?"]
    assert sentences("一。二。") == ["一。", "二。"]
    assert pairs("Một. Hai.", "One. Two.") == [("Một. Hai.", "One. Two."), ("Một.", "One."), ("Hai.", "Two.")]
    assert pairs("Một. Hai.", "One and two.") == [("Một. Hai.", "One and two.")]


@pytest.mark.django_db
def test_identical_and_near_sources_are_offered_best_first():
    memory.remember("en", "Mở cửa từ 7 giờ đến 17 giờ hằng ngày.", "Open daily from 7 am to 5 pm.", "place:1:summary")
    exact = memory.suggest("en", "Mở cửa từ 7 giờ đến 17 giờ hằng ngày.")
    assert [(s.score, s.target) for s in exact] == [(100, "Open daily from 7 am to 5 pm.")]
    near = memory.suggest("en", "Mở cửa từ 7 giờ đến 18 giờ hằng ngày.")
    assert near and 75 <= near[0].score < 100
    assert memory.suggest("en", "Một câu hoàn toàn khác về bãi biển.") == []
    assert memory.suggest("zh-hans", "Mở cửa từ 7 giờ đến 17 giờ hằng ngày.") == []  # per language
    # a record's own field is not offered to itself
    assert memory.suggest("en", "Mở cửa từ 7 giờ đến 17 giờ hằng ngày.", exclude_origin="place:1:summary") == []


@pytest.mark.django_db
def test_a_reviewed_translation_feeds_the_memory_a_draft_does_not(people):
    from xuthanh.translations import services

    place = Place.objects.get(slug="thanh-nha-ho")
    MemoryEntry.objects.all().delete()
    services.save_translation(people["translator"], place, "en", {"name": "Draft name"}, reviewed=False)
    assert not MemoryEntry.objects.filter(target="Draft name").exists()
    services.save_translation(people["translator"], place, "en", {"name": "Citadel of the Hồ Dynasty"}, reviewed=True)
    entry = MemoryEntry.objects.get(target="Citadel of the Hồ Dynasty")
    assert entry.source == "Thành nhà Hồ" and entry.origin == f"place:{place.pk}:name"
