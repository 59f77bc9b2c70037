"""The shipped guided tours: at least six key sites with 3–8 stops, every script in Vietnamese, English,
Chinese and French with its sources, every point either checked or marked as an estimate, and loading is
repeatable and all-or-nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from xuthanh.catalog.models import Place
from xuthanh.guide import services
from xuthanh.guide.models import Narration, Stop, Tour


def test_six_key_sites_are_shipped_with_three_to_eight_stops_in_four_languages(tours: int) -> None:
    assert tours >= 6
    for tour in Tour.objects.prefetch_related("stops__translations"):
        stops = list(tour.stops.all())
        assert 3 <= len(stops) <= 8, tour.slug
        assert [s.number for s in stops] == list(range(1, len(stops) + 1))
        assert tour.sources
        for stop in stops:
            scripts = {t.language_code: t.script for t in stop.translations.all() if t.script}
            assert {"vi", "en", "zh-hans", "fr"} <= set(scripts), stop
            assert 60 <= len(scripts["vi"].split()) <= 160, stop
            assert stop.sources, stop
            assert stop.location_verified or stop.location_evidence, stop  # checked, or an estimate with its basis
            assert stop.location_uncertainty_m, stop


def test_only_a_checked_point_may_start_its_narration_by_itself(tours: int) -> None:
    for stop in Stop.objects.all():
        precise = stop.location_verified and stop.location_uncertainty_m <= min(500, stop.radius_m)
        assert stop.auto_play == precise
    estimated = Stop.objects.filter(location_verified=False).first()
    estimated.location_verified, estimated.location_uncertainty_m = True, estimated.radius_m
    assert estimated.auto_play  # an officer took the point on site


def test_loading_again_changes_nothing_and_keeps_the_ids(tours: int) -> None:
    ids = sorted(Stop.objects.values_list("pk", flat=True))
    services.tours_load()
    assert sorted(Stop.objects.values_list("pk", flat=True)) == ids


def test_a_tour_of_an_unknown_place_is_refused_whole_with_where(tmp_path: Path, db: Any) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[tour]]\nslug = "x"\nplace = "no-such-place"\nname = { vi = "X" }\n', encoding="utf-8")
    with pytest.raises(services.GuideDataError, match="bad.toml, tour x: no catalogue place no-such-place"):
        services.tours_load([*sorted(services.DATA.glob("*.toml")), bad])
    assert not Tour.objects.exists()  # the good files before it are not half-loaded


def test_a_stop_with_a_bad_radius_is_refused_with_where(tmp_path: Path, db: Any) -> None:
    bad = tmp_path / "radius.toml"
    bad.write_text(
        '[[tour]]\nslug = "t"\nplace = "lam-kinh"\nname = { vi = "T" }\n'
        '[[tour.stop]]\nslug = "s"\nnumber = 1\nqr = "T-01"\nlat = 19.9\nlon = 105.4\nradius_m = 5000\n'
        'name = { vi = "S" }\nscript = { vi = "Một." }\n', encoding="utf-8")
    with pytest.raises(services.GuideDataError, match="radius.toml, tour t, stop s"):
        services.tours_load([bad])


def test_every_attraction_gets_a_narration_and_an_officers_is_kept(db: Any) -> None:
    services.narrations_load()
    lam_kinh = Narration.objects.get(place__slug="lam-kinh")
    lam_kinh.set_current_language("vi")
    assert "Lê Lợi" in lam_kinh.script
    lam_kinh.script = "Lời thuyết minh của cán bộ."
    lam_kinh.save()
    services.narrations_load()
    lam_kinh = Narration.objects.get(place__slug="lam-kinh")
    lam_kinh.set_current_language("vi")
    assert lam_kinh.script == "Lời thuyết minh của cán bộ."
    attractions = Place.objects.filter(kind="attraction", status="published").exclude(translations__description="")
    assert Narration.objects.count() >= attractions.distinct().count() - 1


def test_loading_again_keeps_what_officers_changed_unless_asked_to_update(tours: int) -> None:
    stop = Stop.objects.get(qr="DBT-01")
    stop.set_current_language("vi")
    stop.script = "Lời của cán bộ."
    stop.save()
    assert services.tours_load() == 0
    assert services.script_of(Stop.objects.get(qr="DBT-01"), "vi") == "Lời của cán bộ."
    assert services.tours_load(update=True) == tours
    assert services.script_of(Stop.objects.get(qr="DBT-01"), "vi") != "Lời của cán bộ."


@pytest.mark.parametrize("sources", [["https://example.org", "Wikipedia vi: Lam Kinh"], []])
def test_sources_are_a_list_of_texts(tours: int, sources: list) -> None:
    tour = Tour.objects.get(slug="lam-kinh")
    tour.sources = sources
    tour.full_clean()


@pytest.mark.parametrize("sources", [[1], {"a": "b"}, "https://example.org", [""]])
def test_sources_of_another_shape_are_refused(tours: int, sources: object) -> None:
    from django.core.exceptions import ValidationError

    tour = Tour.objects.get(slug="lam-kinh")
    tour.sources = sources
    with pytest.raises(ValidationError, match="list of texts"):
        tour.full_clean()
