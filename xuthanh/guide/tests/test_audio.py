"""Rendering a stop's narration in the back office's queue: stored with its engine, voice and licence, cached
by its rendering key (an unchanged script is not spoken again), made again when the script changes, marked
failed (and never served) when the engine fails, and replaced by an officer's recording."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.core.files.storage import default_storage

from xuthanh.guide import selectors, services, speech
from xuthanh.guide.models import Clip, Stop
from xuthanh.guide.tests.conftest import needs_audio

pytestmark = needs_audio


class CountingEngine(speech.EspeakEngine):
    """The real espeak-ng, counting the sentences it is asked to speak."""

    def __init__(self) -> None:
        super().__init__()
        self.spoken = 0

    def speak(self, text: str, voice: speech.Voice) -> bytes:
        self.spoken += 1
        return super().speak(text, voice)


@pytest.fixture
def stop(tours: int) -> Stop:
    return Stop.objects.get(qr="TNH-01")


def clip_of(stop: Stop, language: str) -> Clip:
    return Clip.objects.get_or_create(stop=stop, language=language, origin=Clip.Origin.ENGINE)[0]


def test_a_rendered_clip_is_stored_with_its_engine_voice_licence_and_transcript(stop: Stop) -> None:
    clip = services.clip_render(clip_of(stop, "fr"))
    assert clip.state == Clip.State.READY and clip.error == ""
    assert clip.engine.startswith("espeak-ng ") and clip.voice == "fr-fr" and clip.licence.startswith("GPL-3.0")
    assert default_storage.exists(clip.audio.name) and clip.audio.name.endswith(".mp3")
    cues = speech.parse_webvtt(clip.transcript)
    assert [c.text for c in cues] == speech.sentences(services.script_of(stop, "fr"))
    assert 20 < clip.duration_s < 120 and clip.size_bytes / clip.duration_s * 60 <= 0.5 * 1024 * 1024


def test_an_unchanged_script_is_not_spoken_again_and_a_changed_one_is(
        stop: Stop, django_capture_on_commit_callbacks: Any) -> None:
    engine = CountingEngine()
    first = services.clip_render(clip_of(stop, "vi"), speaker=engine)
    spoken = engine.spoken
    assert spoken == len(speech.sentences(services.script_of(stop, "vi")))
    again = services.clip_render(Clip.objects.get(pk=first.pk), speaker=engine)
    assert engine.spoken == spoken and again.key == first.key  # cached
    stop.set_current_language("vi")
    stop.script = "Cổng Nam. Đây là câu mới."
    with django_capture_on_commit_callbacks(execute=True):
        stop.save()  # the signal queues it again once committed (at once, in tests): a new key, a new file
    changed = Clip.objects.get(pk=first.pk)
    assert changed.state == Clip.State.READY and changed.key != first.key
    assert [c.text for c in speech.parse_webvtt(changed.transcript)] == ["Cổng Nam.", "Đây là câu mới."]


def test_a_failing_engine_marks_the_clip_failed_and_no_audio_is_served(stop: Stop, client: Any) -> None:
    services.clip_render(clip_of(stop, "en"))
    broken = speech.EspeakEngine(binary="/nonexistent/espeak-ng")
    stop.set_current_language("en")
    stop.script = "A changed script the engine cannot speak."
    stop.translations.filter(language_code="en").update(script=stop.script)
    clip = services.clip_render(Clip.objects.get(stop=stop, language="en"), speaker=broken)
    assert clip.state == Clip.State.FAILED and "espeak-ng" in clip.error and clip.attempts == 1
    body = client.get("/api/v1/guide/stops/TNH-01", {"lang": "en"}).json()
    assert body["narration"]["audio"] is None  # the old audio no longer matches the script: not served
    assert body["narration"]["script"] == "A changed script the engine cannot speak."
    clip = services.clip_render(clip)  # the queue tries again with the working engine
    assert clip.state == Clip.State.READY


def test_a_language_the_engine_has_no_voice_for_fails_with_a_reason(stop: Stop) -> None:
    engine = speech.EspeakEngine(voices={"vi": speech.ESPEAK_VOICES["vi"]})
    clip = services.clip_render(clip_of(stop, "fr"), speaker=engine)
    assert clip.state == Clip.State.FAILED and "no voice" in clip.error


def test_an_officers_recording_wins_over_the_engine(stop: Stop, tmp_path: Any) -> None:
    services.clip_render(clip_of(stop, "vi"))
    wav = tmp_path / "officer.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=4", str(wav)],  # noqa: S607
                   check=True)
    recording = services.recording_upload(stop, "vi", wav.read_bytes())
    assert recording.origin == Clip.Origin.RECORDING and recording.duration_s == pytest.approx(4, abs=0.2)
    assert speech.parse_webvtt(recording.transcript)
    played = selectors.narrated(selectors.stop_by_code("TNH-01"), "vi")
    assert played.clip.pk == recording.pk


@pytest.mark.parametrize(("data", "message"), [
    (b"<html>not audio</html>", "not a sound recording"),
    (b"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\nfile:///etc/hostname\n#EXT-X-ENDLIST\n",
     "not a sound recording"),  # a playlist naming another file is never opened
    (b"\x00" * (services.MAX_RECORDING_BYTES + 1), "larger than 25 MB"),
])
def test_a_file_that_is_not_a_usable_recording_is_refused_with_a_message(stop: Stop, data: bytes,
                                                                          message: str) -> None:
    with pytest.raises(ValueError, match=message):
        services.recording_upload(stop, "vi", data)
    assert not Clip.objects.filter(origin=Clip.Origin.RECORDING).exists()


def test_render_all_reports_progress_and_counts(tours: int) -> None:
    seen: list[tuple[int, int]] = []
    Stop.objects.exclude(tour__slug="ham-rong").delete()
    counts = services.clips_render_all(languages=["vi"], progress=lambda done, total: seen.append((done, total)),
                                       workers=1)
    assert counts["ready"] == 4 and counts["failed"] == 0
    assert seen[-1] == (4, 4) and len(seen) == 4


def test_a_script_changed_while_it_was_spoken_keeps_the_clip_waiting_for_the_newer_rendering(stop: Stop) -> None:
    class ChangingEngine(speech.EspeakEngine):
        def speak(self, text: str, voice: speech.Voice) -> bytes:
            Stop.translations.field.model.objects.filter(master=stop, language_code="vi").update(script="Mới.")
            return super().speak(text, voice)

    clip = services.clip_render(clip_of(stop, "vi"), speaker=ChangingEngine())
    assert Clip.objects.get(pk=clip.pk).state == Clip.State.PENDING  # never ready with the old text's audio


def test_queueing_a_clip_again_stops_serving_its_old_audio_until_it_is_rendered(stop: Stop, monkeypatch: Any) -> None:
    from xuthanh.guide import tasks

    done = services.clip_render(clip_of(stop, "en"))
    monkeypatch.setattr(tasks, "clip_render_task", lambda clip_id: None)  # a worker that has not run yet
    services.clips_queue(stop_ids=[stop.pk], languages=["en"])
    assert Clip.objects.get(pk=done.pk).state == Clip.State.PENDING
    assert selectors.narrated(selectors.stop_by_code("TNH-01"), "en").clip is None
