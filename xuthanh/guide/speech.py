"""Narration audio, without Django: a script is cut into sentences, each spoken by a speech engine, joined
with short pauses into one recording, encoded compactly for phones, and described by a WebVTT transcript
whose cues are the sentences at the times they are heard.

The engine sits behind one interface (`SpeechEngine`): `espeak-ng` (Debian's package, GPL-3.0) is the one
shipped; another engine an operator installs (a neural voice, a cloud voice behind its adapter) implements
`voice_for` and `speak` and nothing else changes. Each rendering records its engine, voice and licence, and
its `key` (a digest of the text, the voice and the settings) names the cached file, so an unchanged script is
never spoken twice.

Voices (chosen by measuring, see bench/guide.py): Vietnamese `vi`, English `en-us`, French `fr-fr`. For
Chinese, espeak-ng's Mandarin voice reading characters falls back to spelling English letters for most of
them (`espeak-ng -v cmn -x` shows `(en)` switches); the same text turned into numbered pinyin (pypinyin) and
read by `cmn-latn-pinyin` is read as Mandarin syllables throughout, so Chinese goes through pinyin.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Protocol

SAMPLE_RATE_OUT = 22_050
BITRATE_KBPS = 32  # MP3, mono: 0.24 MB per minute of speech
PAUSE_MS = 350  # between sentences
AUDIO_FORMAT = "mp3"  # plays in every browser and phone (Chromium builds without AAC, older iOS without Opus)
AUDIO_MIME = "audio/mpeg"


class SpeechError(Exception):
    """The engine or the encoder failed; the message says which and why."""


@dataclass(frozen=True)
class Voice:
    engine: str
    name: str
    language: str
    speed: int = 150  # words per minute (espeak-ng's -s)
    pitch: int = 50
    transliterate: str = ""  # "pinyin": the text is read as numbered pinyin
    licence: str = ""


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass
class Rendering:
    """One narration rendered: the encoded audio, its transcript and how it was made."""

    audio: bytes
    transcript: str
    duration: float
    cues: list[Cue]
    voice: Voice
    engine_version: str
    key: str
    sentence_seconds: list[float] = field(default_factory=list)  # wall time spent on each sentence


class SpeechEngine(Protocol):
    name: str
    licence: str

    def version(self) -> str: ...

    def voice_for(self, language: str) -> Voice | None: ...

    def speak(self, text: str, voice: Voice) -> bytes:
        """A WAV file (mono, 16-bit) of `text` read by `voice`; raises SpeechError."""
        ...


@functools.lru_cache(maxsize=4)
def _espeak_version(binary: str) -> str:
    """The installed espeak-ng's version, asked once per process (not once per clip); a failure is not kept."""
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10, check=True)  # noqa: S603
    except (OSError, subprocess.SubprocessError) as exc:
        raise SpeechError(f"espeak-ng is not installed or does not run: {exc}") from exc
    match = re.search(r"text-to-speech: ([\w.\-]+)", out.stdout)
    return match.group(1) if match else out.stdout.strip()[:40]


ESPEAK_LICENCE = "GPL-3.0-or-later (eSpeak NG); the generated audio carries no licence restriction"
ESPEAK_VOICES = {
    "vi": Voice("espeak-ng", "vi", "vi", speed=145),
    "en": Voice("espeak-ng", "en-us", "en", speed=150),
    "fr": Voice("espeak-ng", "fr-fr", "fr", speed=150),
    "zh-hans": Voice("espeak-ng", "cmn-latn-pinyin", "zh-hans", speed=140, transliterate="pinyin"),
    "zh-hant": Voice("espeak-ng", "cmn-latn-pinyin", "zh-hant", speed=140, transliterate="pinyin"),
    "ja": Voice("espeak-ng", "ja", "ja", speed=150),
    "ko": Voice("espeak-ng", "ko", "ko", speed=150),
    "ru": Voice("espeak-ng", "ru", "ru", speed=150),
    "de": Voice("espeak-ng", "de", "de", speed=150),
    "da": Voice("espeak-ng", "da", "da", speed=150),
}


class EspeakEngine:
    """eSpeak NG through its command line (`espeak-ng`), the text on standard input, WAV on standard output."""

    name = "espeak-ng"
    licence = ESPEAK_LICENCE

    def __init__(self, binary: str = "espeak-ng", voices: dict[str, Voice] | None = None) -> None:
        self.binary = binary
        self.voices = {
            k: Voice(**{**asdict(v), "licence": ESPEAK_LICENCE}) for k, v in (voices or ESPEAK_VOICES).items()
        }

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def version(self) -> str:
        return _espeak_version(self.binary)

    def voice_for(self, language: str) -> Voice | None:
        return self.voices.get(language)

    @functools.cached_property
    def installed(self) -> frozenset[str]:
        """The voices this espeak-ng has (`--voices`); an unknown one would silently read with the default."""
        try:
            out = subprocess.run([self.binary, "--voices"], capture_output=True, text=True, timeout=10, check=True)  # noqa: S603
        except (OSError, subprocess.SubprocessError) as exc:
            raise SpeechError(f"espeak-ng could not be run: {exc}") from exc
        return frozenset(line.split()[1].lower() for line in out.stdout.splitlines()[1:] if len(line.split()) > 1)

    def speak(self, text: str, voice: Voice) -> bytes:
        if voice.name.lower() not in self.installed:
            raise SpeechError(f"espeak-ng failed for voice {voice.name}: this voice is not installed")
        spoken = to_pinyin(text) if voice.transliterate == "pinyin" else text
        command = [self.binary, "-v", voice.name, "-s", str(voice.speed), "-p", str(voice.pitch), "--stdout"]
        try:
            out = subprocess.run(command, input=spoken.encode("utf-8"), capture_output=True, timeout=60, check=False)  # noqa: S603
        except (OSError, subprocess.SubprocessError) as exc:
            raise SpeechError(f"espeak-ng could not be run: {exc}") from exc
        if out.returncode != 0 or not out.stdout.startswith(b"RIFF"):
            message = out.stderr.decode("utf-8", "replace").strip() or f"exit status {out.returncode}"
            raise SpeechError(f"espeak-ng failed for voice {voice.name}: {message}")
        return _fix_wav_sizes(out.stdout)


def to_pinyin(text: str) -> str:
    """Chinese text as numbered pinyin syllables (the form `cmn-latn-pinyin` reads), punctuation kept."""
    from pypinyin import Style, lazy_pinyin

    text = text.translate(str.maketrans({"，": ", ", "。": ". ", "；": "; ", "：": ": ", "、": ", ", "！": "! ",
                                         "？": "? ", "“": "", "”": "", "（": ", ", "）": ", ", "《": "", "》": ""}))
    return " ".join(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="default"))


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？；])")


def sentences(text: str) -> list[str]:
    """The script's sentences, in order (full stops, question and exclamation marks, Chinese ones too)."""
    parts = (p.strip() for p in _SENTENCE_END.split(text.replace("\r", " ").replace("\n", " ")))
    return [p for p in parts if p]


def rendering_key(text: str, voice: Voice, engine_version: str) -> str:
    """The digest naming a rendering: same text, voice, engine version and settings → same audio."""
    payload = json.dumps(
        [text, asdict(voice), engine_version, AUDIO_FORMAT, BITRATE_KBPS, SAMPLE_RATE_OUT, PAUSE_MS],
        ensure_ascii=False, sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def render(text: str, voice: Voice, engine: SpeechEngine) -> Rendering:
    """Speak `text` sentence by sentence, join the sentences, encode, and write the transcript."""
    import time

    parts = sentences(text)
    if not parts:
        raise SpeechError("the script is empty")
    frames: list[bytes] = []
    cues: list[Cue] = []
    timings: list[float] = []
    params = None
    position = 0.0
    for i, sentence in enumerate(parts):
        started = time.perf_counter()
        wav = engine.speak(sentence, voice)
        timings.append(time.perf_counter() - started)
        with wave.open(io.BytesIO(wav)) as reader:
            if params is None:
                params = reader.getparams()
            elif (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) != params[:3]:
                raise SpeechError("the engine changed its audio format between sentences")
            data = reader.readframes(reader.getnframes())
            seconds = reader.getnframes() / reader.getframerate()
        if i:
            pause = int(params.framerate * PAUSE_MS / 1000) * params.sampwidth * params.nchannels
            frames.append(b"\x00" * pause)
            position += PAUSE_MS / 1000
        frames.append(data)
        cues.append(Cue(round(position, 3), round(position + seconds, 3), sentence))
        position += seconds
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(params.nchannels)
        writer.setsampwidth(params.sampwidth)
        writer.setframerate(params.framerate)
        writer.writeframes(b"".join(frames))
    version = engine.version()
    return Rendering(
        audio=encode(out.getvalue()), transcript=webvtt(cues), duration=round(position, 3), cues=cues,
        voice=voice, engine_version=version, key=rendering_key(text, voice, version), sentence_seconds=timings,
    )


# The clips' format, on standard output: mono, 22.05 kHz, constant bit rate; LAME's "fast" search
# (compression level 7) is a third quicker than its default for the same size.
_MP3_OUT = ["-ac", "1", "-ar", str(SAMPLE_RATE_OUT), "-c:a", "libmp3lame", "-b:a", f"{BITRATE_KBPS}k",
            "-compression_level", "7", "-f", "mp3", "pipe:1"]


def encode(wav: bytes) -> bytes:
    """WAV → MP3, mono, 22.05 kHz, constant 32 kb/s, through ffmpeg."""
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0", *_MP3_OUT]
    try:
        out = subprocess.run(command, input=wav, capture_output=True, timeout=300, check=False)  # noqa: S603
    except (OSError, subprocess.SubprocessError) as exc:
        raise SpeechError(f"ffmpeg could not be run: {exc}") from exc
    if out.returncode != 0 or not out.stdout:
        raise SpeechError("ffmpeg failed: " + (out.stderr.decode("utf-8", "replace").strip() or "no output"))
    return out.stdout


# Containers an officer's recording may come in. ffprobe and ffmpeg also read playlists (HLS, concat) that
# name other files: such a "recording" is refused before anything opens it.
RECORDING_FORMATS = {"mp3", "wav", "ogg", "flac", "aac", "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"}


def probe_seconds(data: bytes) -> float:
    """The duration of an audio file in one of RECORDING_FORMATS (an officer's recording, an encoded clip)."""
    with _on_disk(data) as path:
        command = ["ffprobe", "-v", "error", "-protocol_whitelist", "file", "-show_entries",
                   "format=duration,format_name", "-of", "json", path]
        try:
            out = subprocess.run(command, capture_output=True, timeout=60, check=False)  # noqa: S603
            found = json.loads(out.stdout or b"{}").get("format", {})
            if found.get("format_name") not in RECORDING_FORMATS:
                raise SpeechError(f"not an accepted audio format: {found.get('format_name') or 'unknown'}")
            return float(found["duration"])
        except (OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
            raise SpeechError("the file is not audio that ffmpeg can read") from exc


def transcode(data: bytes) -> bytes:
    """An uploaded recording (any format ffmpeg reads: MP3, M4A, WAV, Ogg…) in the clips' format."""
    with _on_disk(data) as path:
        command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file", "-i", path, "-vn",
                   *_MP3_OUT]
        try:
            out = subprocess.run(command, capture_output=True, timeout=300, check=False)  # noqa: S603
        except (OSError, subprocess.SubprocessError) as exc:
            raise SpeechError(f"ffmpeg could not be run: {exc}") from exc
    if out.returncode != 0 or not out.stdout:
        raise SpeechError("the file is not audio that ffmpeg can read")
    return out.stdout


@contextlib.contextmanager
def _on_disk(data: bytes) -> Iterator[str]:
    """`data` in a temporary file (containers such as M4A cannot be read from a pipe)."""
    with tempfile.NamedTemporaryFile(prefix="xuthanh-audio-") as handle:
        handle.write(data)
        handle.flush()
        yield handle.name


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def webvtt(cues: list[Cue]) -> str:
    """A WebVTT file: one numbered cue per sentence (text escaped as the format requires)."""
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(cues, 1):
        text = cue.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [str(number), f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}", text, ""]
    return "\n".join(lines)


_TIMING = re.compile(r"^(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})$")


def parse_webvtt(text: str) -> list[Cue]:
    """The cues of a WebVTT file; raises ValueError where the file breaks the format (header, timings in
    order, a text per cue)."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    if not blocks or not (blocks[0] == "WEBVTT" or blocks[0].startswith(("WEBVTT ", "WEBVTT\t", "WEBVTT\n"))):
        raise ValueError("a WebVTT file starts with the line WEBVTT")
    cues: list[Cue] = []
    for block in blocks[1:]:
        lines = [line for line in block.split("\n") if line != ""]
        if not lines:
            continue
        if "-->" not in lines[0]:
            lines = lines[1:]  # the cue's identifier
        if not lines or not (match := _TIMING.match(lines[0])):
            raise ValueError(f"bad cue timing: {lines[:1]}")
        g = [int(x) for x in match.groups()]
        start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
        end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
        if end <= start or (cues and start < cues[-1].start):
            raise ValueError(f"cue times out of order at {lines[0]}")
        if len(lines) < 2:
            raise ValueError(f"cue without text at {lines[0]}")
        cues.append(Cue(start, end, "\n".join(lines[1:])))
    return cues


def _fix_wav_sizes(data: bytes) -> bytes:
    """espeak-ng writing to a pipe cannot seek back to fill in the RIFF and data sizes; fill them in."""
    if len(data) < 44 or data[:4] != b"RIFF":
        return data
    out = bytearray(data)
    out[4:8] = (len(data) - 8).to_bytes(4, "little")
    index = out.find(b"data", 12)
    if index != -1:
        out[index + 4 : index + 8] = (len(data) - index - 8).to_bytes(4, "little")
    return bytes(out)
