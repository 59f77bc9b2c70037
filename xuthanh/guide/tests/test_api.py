"""/api/v1/guide: tours, a tour's stops with their narration in a language (and the language it falls back
to, said), a stop by its sign's QR id, a place's narration, the WebVTT transcript, and the anonymous
listening count with its limits."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from xuthanh.guide import services
from xuthanh.guide.models import Clip, Listen, Stop, Tour
from xuthanh.guide.tests.conftest import needs_audio


def test_the_tours_are_listed_in_the_language_asked(tours: int, client: Any) -> None:
    body = client.get("/api/v1/guide/tours", {"lang": "fr"}).json()
    assert len(body) == tours
    citadel = next(t for t in body if t["slug"] == "thanh-nha-ho")
    assert citadel["name"].startswith("Citadelle") and citadel["place"] == "thanh-nha-ho" and citadel["stop_count"] == 6


def test_a_tour_gives_each_stop_its_zone_and_whether_it_may_start_by_itself(tours: int, client: Any) -> None:
    body = client.get("/api/v1/guide/tours/ham-rong", {"lang": "en"}).json()
    assert [s["number"] for s in body["stops"]] == [1, 2, 3, 4]
    bridge = next(s for s in body["stops"] if s["slug"] == "cau-ham-rong")
    assert bridge["location_verified"] and bridge["radius_m"] > 0
    assert all(s["auto_play"] is False for s in body["stops"] if not s["location_verified"])
    assert body["stops"][0]["narration"]["language"] == "en" and not body["stops"][0]["narration"]["fallback"]
    assert body["sources"] and body["package_bytes"] == 0  # no audio rendered yet
    assert client.get("/api/v1/guide/tours/no-such-tour").status_code == 404


def test_a_missing_script_falls_back_visibly_never_silently(tours: int, client: Any) -> None:
    stop = Stop.objects.get(qr="LKI-01")
    stop.translations.filter(language_code="fr").delete()
    narration = client.get("/api/v1/guide/stops/LKI-01", {"lang": "fr"}).json()["narration"]
    assert narration["requested"] == "fr" and narration["language"] == "en" and narration["fallback"] is True
    by_code = client.get("/api/v1/guide/stops/lki-01", {"lang": "zh-hans"}).json()
    assert (by_code["tour"], by_code["number"]) == ("lam-kinh", 1)  # a sign's code leads to its tour
    chinese = by_code["narration"]
    assert chinese["language"] == "zh-hans" and not chinese["fallback"]
    assert chinese["machine"] is True  # the shipped translations are machine drafts until reviewed


@needs_audio
def test_the_audio_and_its_transcript_are_served_once_rendered(tours: int, client: Any) -> None:
    stop = Stop.objects.get(qr="HRO-03")
    clip = services.clip_render(Clip.objects.create(stop=stop, language="zh-hans"))
    narration = client.get("/api/v1/guide/stops/HRO-03", {"lang": "zh-hans"}).json()["narration"]
    audio = narration["audio"]
    assert audio["mime"] == "audio/mpeg" and audio["size_bytes"] == clip.size_bytes and audio["origin"] == "engine"
    assert audio["voice"] == "cmn-latn-pinyin" and "GPL" in audio["licence"]
    vtt = client.get(audio["transcript_url"].removeprefix("http://testserver"))
    assert vtt.status_code == 200 and vtt["Content-Type"].startswith("text/vtt") and vtt.content.startswith(b"WEBVTT")
    assert client.get("/api/v1/guide/tours/ham-rong", {"lang": "zh-hans"}).json()["package_bytes"] == clip.size_bytes
    Tour.objects.filter(slug="ham-rong").update(status="draft")  # unpublished: neither the stop nor its text
    assert client.get(audio["transcript_url"].removeprefix("http://testserver")).status_code == 404
    assert client.get("/api/v1/guide/stops/HRO-03").status_code == 404


def test_a_place_narration_is_served_and_an_unknown_place_is_404(db: Any, client: Any) -> None:
    services.narrations_load()
    body = client.get("/api/v1/guide/places/lam-kinh/narration", {"lang": "vi"}).json()
    assert "Lê Lợi" in body["script"] and body["audio"] is None
    assert client.get("/api/v1/guide/places/no-such-place/narration").status_code == 404


def test_listening_is_counted_per_stop_language_and_day_and_nothing_else(tours: int, client: Any) -> None:
    for _ in range(3):
        assert client.post("/api/v1/guide/listens", {"qr": "TNH-02", "language": "fr"},
                           content_type="application/json").status_code == 204
    listen = Listen.objects.get()
    assert (listen.stop.qr, listen.language, listen.count) == ("TNH-02", "fr", 3)
    assert {f.name for f in Listen._meta.fields} == {"id", "stop", "narration", "language", "day", "count"}


@pytest.mark.parametrize(("payload", "status"), [
    ({"qr": "NOPE-99", "language": "fr"}, 404),
    ({"qr": "TNH-01", "language": "xx"}, 422),
    ({"place": "no-such-place", "language": "vi"}, 404),
    ({"qr": "TNH-01"}, 422),
])
def test_a_bad_count_is_refused_with_a_reason(tours: int, client: Any, payload: dict, status: int) -> None:
    answer = client.post("/api/v1/guide/listens", payload, content_type="application/json")
    assert answer.status_code == status and answer.json()["message"] if status != 422 else answer.status_code == 422
    assert not Listen.objects.exists()


@override_settings(GUIDE_LISTENS_PER_MINUTE=2)
def test_counts_from_one_address_are_limited(tours: int, client: Any) -> None:
    codes = [client.post("/api/v1/guide/listens", {"qr": "TNH-01", "language": "vi"},
                         content_type="application/json", REMOTE_ADDR="203.0.113.9").status_code for _ in range(3)]
    assert codes == [204, 204, 429]
