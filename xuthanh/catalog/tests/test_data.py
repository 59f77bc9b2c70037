"""The real Thanh Hóa data loaded by `make run`: counts, the places the issue names, samples marked."""

import pytest

from xuthanh.areas.boundary import in_province
from xuthanh.catalog.loader import read_records
from xuthanh.catalog.models import Event, Place, Specialty, Tour

pytestmark = pytest.mark.django_db

NAMED = [
    "thanh-nha-ho",
    "lam-kinh",
    "bien-sam-son",
    "pu-luong",
    "vuon-quoc-gia-ben-en",
    "suoi-ca-cam-luong",
    "hang-con-moong",
    "ham-rong",
    "den-ba-trieu",
    "den-song-son",
    "den-doc-cuoc",
    "bien-hai-tien",
    "xuan-lien",
]


def test_at_least_60_real_attractions_and_the_named_ones():
    attractions = Place.objects.filter(kind="attraction", is_sample=False)
    assert attractions.count() >= 60
    assert set(NAMED) <= set(attractions.values_list("slug", flat=True))


def test_transport_hubs_and_the_le_loi_monument_exist():
    categories = set(Place.objects.filter(kind="transport").values_list("category", flat=True))
    assert {"airport", "railway_station", "border_gate"} <= categories
    assert Place.objects.filter(category="monument", translations__name__icontains="Lê Lợi").exists()


def test_festivals_and_specialties():
    assert Event.objects.count() >= 15
    assert Event.objects.filter(recurrence="lunar").count() >= 10
    assert Specialty.objects.count() >= 15


def test_samples_are_marked_as_samples():
    assert not Place.objects.filter(kind__in=["accommodation", "food"], is_sample=False).exists()
    assert Tour.objects.exists() and not Tour.objects.filter(is_sample=False).exists()


def test_every_record_in_the_files_cites_sources_and_every_point_is_in_the_province():
    records = read_records()
    for kind in ("place", "event", "specialty"):
        for record in records[kind]:
            assert record.get("sources"), record["slug"]
            if "lat" in record:
                assert in_province(record["lat"], record["lon"]), record["slug"]


def test_the_twenty_best_known_places_speak_four_languages():
    multilingual = Place.objects.filter(is_sample=False, translations__language_code="zh-hans").filter(
        translations__language_code="fr"
    )
    assert multilingual.distinct().count() >= 20


def test_loading_again_keeps_editors_changes_unless_asked_to_update():
    from xuthanh.catalog.loader import load_all

    citadel = Place.objects.get(slug="thanh-nha-ho")
    citadel.visit_minutes = 999
    citadel.save()
    summary = load_all()
    assert all(created == 0 and updated == 0 for created, updated in summary.counts.values())
    assert Place.objects.get(slug="thanh-nha-ho").visit_minutes == 999
    load_all(update=True)
    assert Place.objects.get(slug="thanh-nha-ho").visit_minutes != 999


def test_a_bad_data_file_is_refused_whole_with_the_record_and_reason(tmp_path):
    from xuthanh.catalog.loader import DataError, load_all

    (tmp_path / "bad.toml").write_text(
        """
[[place]]
slug = "hop-le"
kind = "attraction"
category = "temple"
commune_code = 14797
lat = 19.807
lon = 105.776
name = { vi = "Hợp lệ", en = "Valid" }
sources = ["test"]

[[place]]
slug = "sai-toa-do"
kind = "attraction"
category = "temple"
commune_code = 14797
lat = 21.03
lon = 105.85
name = { vi = "Sai tọa độ", en = "Wrong point" }
sources = ["test"]
""",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_all(data_dir=tmp_path)
    assert "sai-toa-do" in str(info.value) and "outside Thanh Hóa" in str(info.value)
    assert not Place.objects.filter(slug="hop-le").exists()
