"""The guide's back office: tours with the share of their audio ready, scoped like the catalogue (a commune
edits the guides of its own places), a recording uploaded or refused with a message, clips rendered again."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xuthanh.guide.models import Clip, Stop, Tour
from xuthanh.guide.tests.conftest import needs_audio


@pytest.fixture
def english(client: Any) -> Any:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_department_sees_every_tour_with_its_audio_progress(tours: int, people: dict, english: Any) -> None:
    stop = Stop.objects.get(qr="SSO-01")
    Clip.objects.create(stop=stop, language="vi", state=Clip.State.READY)
    Clip.objects.create(stop=stop, language="en", state=Clip.State.FAILED, error="engine down")
    english.force_login(people["dept_editor"])
    page = english.get("/admin/guide/tour/").content.decode()
    assert page.count('<progress max="2" value="1">') == 1 and "1 failed" in page
    assert "Thành nhà Hồ" in page or "Citadel" in page


def test_a_commune_edits_only_the_guides_of_its_own_places(tours: int, people: dict, english: Any) -> None:
    english.force_login(people["sam_son_editor"])
    listed = english.get("/admin/guide/stop/").content.decode()
    assert "SSO-01" in listed and "TNH-01" not in listed
    other = Stop.objects.get(qr="TNH-01")
    assert english.get(f"/admin/guide/stop/{other.pk}/recording/").status_code == 404
    own = Stop.objects.get(qr="SSO-02")
    sign = english.get(f"/admin/guide/stop/{own.pk}/recording/").content.decode()
    assert "<svg" in sign and "/app/#/stop/SSO-02" in sign  # the sign to print: its QR code opens the stop
    change = english.get(f"/admin/guide/stop/{own.pk}/change/?language=fr")
    assert change.status_code == 200 and f"/admin/guide/stop/{own.pk}/recording/" in change.content.decode()
    assert Tour.objects.filter(slug="bien-sam-son").exists()


@needs_audio
def test_a_file_that_is_not_audio_is_refused_on_the_upload_page(tours: int, people: dict, english: Any) -> None:
    english.force_login(people["dept_editor"])
    stop = Stop.objects.get(qr="DBT-01")
    page = english.post(f"/admin/guide/stop/{stop.pk}/recording/", {
        "language": "vi", "file": SimpleUploadedFile("notes.mp3", b"%PDF-1.4 not audio", "audio/mpeg")})
    assert page.status_code == 200 and "not a sound recording that can be read" in page.content.decode()
    assert not Clip.objects.filter(origin=Clip.Origin.RECORDING).exists()


def test_failed_clips_are_queued_again_from_the_clip_list(tours: int, people: dict, english: Any,
                                                          monkeypatch: Any) -> None:
    from xuthanh.guide import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks, "clip_render_task", queued.append)  # the queue itself is tried in test_audio
    stop = Stop.objects.get(qr="SCC-01")
    clip = Clip.objects.create(stop=stop, language="fr", state=Clip.State.FAILED, error="engine down")
    english.force_login(people["admin"])
    answer = english.post("/admin/guide/clip/", {"action": "render_again", "_selected_action": [clip.pk]})
    assert answer.status_code == 302 and queued == [clip.pk]


def test_officers_see_the_listening_counts_per_stop_language_and_day(tours: int, people: dict, english: Any) -> None:
    from xuthanh.guide import services

    services.listen_record(stop=Stop.objects.get(qr="LKI-03"), language="zh-hans")
    services.listen_record(stop=Stop.objects.get(qr="LKI-03"), language="zh-hans")
    english.force_login(people["dept_editor"])
    page = english.get("/admin/guide/listen/").content.decode()
    assert "zh-hans" in page and '<td class="field-count">2</td>' in page
    assert english.get("/admin/guide/listen/add/").status_code == 403


def test_a_commune_sees_and_renders_only_the_clips_of_its_own_places(tours: int, people: dict, english: Any,
                                                                     monkeypatch: Any) -> None:
    from xuthanh.guide import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks, "clip_render_task", queued.append)
    own = Clip.objects.create(stop=Stop.objects.get(qr="SSO-03"), language="vi", state=Clip.State.FAILED)
    other = Clip.objects.create(stop=Stop.objects.get(qr="TNH-03"), language="vi", state=Clip.State.FAILED)
    english.force_login(people["sam_son_editor"])
    listed = english.get("/admin/guide/clip/").content.decode()
    assert f"/admin/guide/clip/{own.pk}/" in listed and f"/admin/guide/clip/{other.pk}/" not in listed
    english.post("/admin/guide/clip/", {"action": "render_again", "_selected_action": [own.pk, other.pk]})
    assert queued == [own.pk]  # the other unit's clip is not in its list, nor rendered
    assert english.get("/admin/guide/listen/").status_code == 200


def test_the_clip_list_costs_the_same_queries_for_more_clips(tours: int, people: dict, english: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    english.force_login(people["dept_editor"])
    stops = list(Stop.objects.order_by("pk")[:8])
    for stop in stops[:2]:
        Clip.objects.create(stop=stop, language="vi", state=Clip.State.READY)
    english.get("/admin/guide/clip/")
    with CaptureQueriesContext(connection) as few:
        english.get("/admin/guide/clip/")
    for stop in stops[2:]:
        Clip.objects.create(stop=stop, language="vi", state=Clip.State.READY)
    with CaptureQueriesContext(connection) as many:
        page = english.get("/admin/guide/clip/").content.decode()
    assert page.count('class="action-select"') == 8
    assert len(many) == len(few)


@needs_audio
def test_an_uploaded_recording_is_audited(tours: int, people: dict, english: Any, tmp_path: Any) -> None:
    import subprocess

    from xuthanh.core.models import AuditEntry

    wav = tmp_path / "voice.wav"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=2",  # noqa: S607
                    str(wav)], check=True)
    english.force_login(people["dept_editor"])
    stop = Stop.objects.get(qr="DBT-02")
    answer = english.post(f"/admin/guide/stop/{stop.pk}/recording/", {
        "language": "vi", "file": SimpleUploadedFile("voice.wav", wav.read_bytes(), "audio/wav")})
    assert answer.status_code == 302
    clip = Clip.objects.get(stop=stop, language="vi", origin=Clip.Origin.RECORDING)
    entry = AuditEntry.objects.filter(object_id=str(clip.pk), content_type__model="clip").latest("pk")
    assert entry.actor == people["dept_editor"] and "Recording uploaded (vi)" in entry.note
