"""Content translations: fallback per language, status per translation, coverage counts."""

import pytest
from django.test import override_settings
from django.utils import translation

from xuthanh.catalog import selectors
from xuthanh.catalog.models import Event, Place, Specialty

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(commune_other):
    place = Place(
        slug="den-dich-thu", kind="attraction", category="temple", commune=commune_other, lat=19.8, lon=105.78
    )
    place.set_current_language("vi")
    place.name = "Đền dịch thử"
    place.set_current_language("en")
    place.name = "Translation test temple"
    place.translation_status = "machine"
    place.save()
    return place


def test_chinese_falls_back_to_english_then_vietnamese(place):
    fresh = Place.objects.get(pk=place.pk)
    with translation.override("zh-hans"):
        fresh.set_current_language("zh-hans")
        assert fresh.safe_translation_getter("name") == "Translation test temple"
    place.translations.filter(language_code="en").delete()
    fresh = Place.objects.get(pk=place.pk)
    fresh.set_current_language("fr")
    assert fresh.safe_translation_getter("name") == "Đền dịch thử"


def test_english_falls_back_to_vietnamese(place):
    place.translations.filter(language_code="en").delete()
    fresh = Place.objects.get(pk=place.pk)
    fresh.set_current_language("en")
    assert fresh.safe_translation_getter("name") == "Đền dịch thử"


def test_each_translation_has_a_status(place):
    statuses = Place.objects.get(pk=place.pk).translation_statuses()
    assert statuses == {"vi": "reviewed", "en": "machine", "zh-hans": "missing", "fr": "missing"}


def test_coverage_counts_reviewed_machine_and_missing(place):
    coverage = selectors.translation_coverage(Place)
    total = Place.objects.count()
    for code in ("vi", "en", "zh-hans", "fr"):
        row = coverage[code]
        assert row["total"] == total
        assert row["reviewed"] + row["machine"] + row["missing"] == total
    assert coverage["vi"]["reviewed"] == total  # the source language is complete


def test_the_real_data_has_english_everywhere_and_chinese_french_for_the_best_known():
    for model in (Place, Event, Specialty):
        coverage = selectors.translation_coverage(model)
        assert coverage["en"]["missing"] == 0, model
    assert (
        selectors.translation_coverage(Place)["zh-hans"]["machine"]
        + selectors.translation_coverage(Place)["zh-hans"]["reviewed"]
        >= 20
    )
    assert selectors.translation_coverage(Place)["fr"]["missing"] <= Place.objects.count() - 20


@override_settings(
    LANGUAGES=[
        ("vi", "Tiếng Việt"),
        ("en", "English"),
        ("zh-hans", "简体中文"),
        ("fr", "Français"),
        ("ja", "日本語"),
    ]
)
def test_coverage_includes_configured_extra_languages(place):
    assert selectors.translation_coverage(Place)["ja"]["missing"] == Place.objects.count()
