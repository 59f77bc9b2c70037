"""The narration pipeline alone (xuthanh/guide/speech.py, no Django): sentences, WebVTT, the rendering key,
and real espeak-ng and ffmpeg speaking Vietnamese, English, French and Chinese (through pinyin)."""

from __future__ import annotations

import io
import math
import shutil
import struct
import subprocess
import wave

import pytest

from xuthanh.guide import speech

needs_audio = pytest.mark.skipif(
    not (shutil.which("espeak-ng") and shutil.which("ffmpeg")),
    reason="espeak-ng and ffmpeg are not installed (apt-get install espeak-ng ffmpeg; .ci/run installs them)",
)


def test_a_script_is_cut_into_its_sentences_in_any_script() -> None:
    assert speech.sentences("Cổng Nam. Xây năm 1397!  Ai xây?\nHồ Quý Ly.") == [
        "Cổng Nam.", "Xây năm 1397!", "Ai xây?", "Hồ Quý Ly."]
    chinese = "胡朝城又称西都城。城墙用巨大的青石块砌成！"
    assert speech.sentences(chinese) == ["胡朝城又称西都城。", "城墙用巨大的青石块砌成！"]
    assert speech.sentences("   ") == []


def test_the_transcript_is_valid_webvtt_and_escapes_markup() -> None:
    cues = [speech.Cue(0, 2.5, "Cổng <Nam> & --> bắc"), speech.Cue(2.85, 3661.2, "Hết.")]
    text = speech.webvtt(cues)
    assert text.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\nCổng &lt;Nam&gt; &amp; --&gt; bắc\n")
    assert "01:01:01.200" in text
    assert [c.start for c in speech.parse_webvtt(text)] == [0, 2.85]


@pytest.mark.parametrize("broken", ["", "WEBVT\n\n1\n00:00:00.000 --> 00:00:01.000\nx",
                                    "WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nbackwards",
                                    "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n",
                                    "WEBVTT\n\n0:00.000 --> 0:01.000\nshort"])
def test_a_broken_transcript_is_refused(broken: str) -> None:
    with pytest.raises(ValueError):
        speech.parse_webvtt(broken)


def test_the_rendering_key_changes_with_the_text_the_voice_and_the_engine() -> None:
    voice = speech.ESPEAK_VOICES["vi"]
    key = speech.rendering_key("Cổng Nam.", voice, "1.51")
    assert key == speech.rendering_key("Cổng Nam.", voice, "1.51")
    assert len({key, speech.rendering_key("Cổng Bắc.", voice, "1.51"),
                speech.rendering_key("Cổng Nam.", speech.ESPEAK_VOICES["en"], "1.51"),
                speech.rendering_key("Cổng Nam.", voice, "1.52")}) == 4


class ToneEngine:
    """Another engine behind the same interface (what an operator's neural voice would be): a tone per word."""

    name = "tone"
    licence = "public domain"

    def version(self) -> str:
        return "1"

    def voice_for(self, language: str) -> speech.Voice | None:
        return speech.Voice("tone", "beep", language, licence=self.licence)

    def speak(self, text: str, voice: speech.Voice) -> bytes:
        rate, out = 16_000, io.BytesIO()
        samples = b"".join(struct.pack("<h", int(8000 * math.sin(i / 8))) for i in range(rate // 4 * len(text.split())))
        with wave.open(out, "wb") as w:
            w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate), w.writeframes(samples)
        return out.getvalue()


@needs_audio
def test_any_engine_behind_the_interface_is_rendered_encoded_and_captioned() -> None:
    engine = ToneEngine()
    rendering = speech.render("Một hai ba. Bốn năm.", engine.voice_for("vi"), engine)
    assert rendering.duration == pytest.approx(0.75 + 0.35 + 0.5, abs=0.01)
    assert [(c.start, c.end) for c in rendering.cues] == [(0, 0.75), (1.1, 1.6)]
    assert speech.probe_seconds(rendering.audio) == pytest.approx(rendering.duration, abs=0.15)


@needs_audio
@pytest.mark.parametrize(("language", "text"), [
    ("vi", "Trước mặt quý khách là cổng Nam. Cổng được xây năm 1397 bằng những khối đá xanh lớn."),
    ("en", "Before you stands the South Gate. It was built in 1397 of huge blocks of limestone."),
    ("fr", "Devant vous se dresse la porte sud. Elle fut bâtie en 1397 en énormes blocs de calcaire."),
    ("zh-hans", "您面前是南门。它建于1397年，用巨大的青石块砌成。"),
])
def test_espeak_speaks_each_language_into_a_compact_clip_with_its_transcript(language: str, text: str) -> None:
    engine = speech.EspeakEngine()
    rendering = speech.render(text, engine.voice_for(language), engine)
    assert 3 < rendering.duration < 15  # two short sentences: seconds, not milliseconds or minutes
    assert rendering.audio[:3] == b"ID3" or rendering.audio[0] == 0xFF  # an MP3 stream
    assert len(rendering.audio) / rendering.duration * 60 <= 0.5 * 1024 * 1024  # ≤ 0.5 MB per minute
    cues = speech.parse_webvtt(rendering.transcript)
    assert [c.text for c in cues] == speech.sentences(text)
    assert cues[-1].end == pytest.approx(rendering.duration, abs=0.01)
    assert speech.probe_seconds(rendering.audio) == pytest.approx(rendering.duration, abs=0.2)
    assert rendering.voice.licence.startswith("GPL-3.0")


@needs_audio
def test_chinese_is_read_as_mandarin_through_pinyin_and_not_spelled_as_english_letters() -> None:
    text = "胡朝城又称西都城，由胡季犛于1397年修建。"

    def english_switches(voice: str, words: str) -> int:
        out = subprocess.run([shutil.which("espeak-ng"), "-q", "-x", "-v", voice], input=words.encode(),
                             capture_output=True, check=True)
        return out.stdout.decode().count("(en)")
    assert english_switches("cmn", text) >= 3  # the characters espeak-ng's dictionary lacks are spelled out
    pinyin = speech.to_pinyin(text)
    assert pinyin.startswith("hu2 chao2 cheng2")
    assert english_switches("cmn-latn-pinyin", pinyin) == 0


@needs_audio
def test_an_engine_that_fails_says_why() -> None:
    with pytest.raises(speech.SpeechError, match="could not be run"):
        speech.EspeakEngine(binary="/nonexistent/espeak-ng").speak("x", speech.ESPEAK_VOICES["vi"])
    with pytest.raises(speech.SpeechError, match="failed for voice"):
        speech.EspeakEngine().speak("x", speech.Voice("espeak-ng", "no-such-voice", "vi"))
    with pytest.raises(speech.SpeechError):
        speech.transcode(b"not audio at all")
