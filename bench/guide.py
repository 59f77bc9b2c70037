"""The audio guide's narration (issue #19): every stop of every shipped tour spoken in Vietnamese, English,
Chinese and French by espeak-ng and encoded by ffmpeg, through the same service the back office's queue uses
(`guide.services.clips_render_all`, two workers). One command, one table:

    .venv/bin/python bench/guide.py

It migrates a fresh SQLite database and media folder under var/bench (removed afterwards), loads the Thanh Hóa
catalogue and the tours, then measures: the cold rendering of every clip (synthesis, joining, MP3 encoding,
storage); the same again with no script changed (every clip found by its rendering key); the engine alone per
sentence (espeak-ng's time for each sentence of every script); the audio bytes per minute of speech; each
tour's offline package per language (the audio a phone downloads, with its 360° panoramas and the viewer's
files); the preparation of an uploaded 8000×4000 panorama; and, for Chinese, how many times espeak-ng
leaves Mandarin to spell English letters when it reads the characters (`cmn`) against the same scripts as
pinyin (`cmn-latn-pinyin`), the measure behind the choice of the Chinese voice. Targets (issue #19): all
tours in four languages < 60 s from cold, < 2 s when nothing changed, ≤ 0.5 MB per minute, a tour's package
≤ 10 MB per language. `--narrations` renders the places' narrations too (a row of its own, no target).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LANGUAGES = ["vi", "en", "zh-hans", "fr"]
TARGET_COLD_S, TARGET_WARM_S, TARGET_MB_PER_MIN, TARGET_PACKAGE_MB = 60.0, 2.0, 0.5, 10.0


def say(message: str) -> None:
    print(f"[guide] {message}", file=sys.stderr, flush=True)


def setup(work: Path) -> None:
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "xuthanh.settings", "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}", "MEDIA_ROOT": str(work / "media"),
        "XUTHANH_VAR_DIR": str(work),
    })
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_thanhhoa", verbosity=0)
    call_command("load_guide", verbosity=0)


def english_switches(voice: str, text: str) -> int:
    out = subprocess.run([shutil.which("espeak-ng"), "-q", "-x", "-v", voice], input=text.encode(),  # noqa: S603
                         capture_output=True, check=True)
    return out.stdout.decode().count("(en)")


def camera_like(data: bytes) -> bytes:
    """The sample with a photograph's grain, saved as a camera does (JPEG quality 90): the size and decoding
    cost of a real 8000×4000 panorama, which a flat generated picture lacks."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        grain = Image.effect_noise(img.size, 48).convert("RGB")
        out = io.BytesIO()
        Image.blend(img.convert("RGB"), grain, 0.3).save(out, format="JPEG", quality=90)
    return out.getvalue()


def measure(args: argparse.Namespace) -> dict:
    from xuthanh.guide import selectors, services, speech
    from xuthanh.guide.models import Clip, Stop, Tour

    result: dict = {"workers": args.workers}
    started = time.perf_counter()
    counts = services.clips_render_all(languages=LANGUAGES, kinds=("stop",), workers=args.workers)
    result["cold_s"] = round(time.perf_counter() - started, 1)
    result["counts"] = counts
    started = time.perf_counter()
    services.clips_render_all(languages=LANGUAGES, kinds=("stop",), workers=args.workers)
    result["warm_s"] = round(time.perf_counter() - started, 2)

    clips = list(Clip.objects.filter(stop__isnull=False, state=Clip.State.READY))
    seconds = sum(c.duration_s for c in clips)
    result["clips"] = len(clips)
    result["speech_min"] = round(seconds / 60, 1)
    result["mb_per_min"] = round(sum(c.size_bytes for c in clips) / 1048576 / (seconds / 60), 3)

    engine = speech.EspeakEngine()
    per_sentence: dict[str, list[float]] = {}
    for language in LANGUAGES:
        voice = engine.voice_for(language)
        for stop in Stop.objects.all():
            for sentence in speech.sentences(services.script_of(stop, language)):
                t0 = time.perf_counter()
                engine.speak(sentence, voice)
                per_sentence.setdefault(language, []).append((time.perf_counter() - t0) * 1000)
    result["sentence_ms"] = {k: (len(v), round(statistics.median(v), 1), round(max(v), 1))
                             for k, v in per_sentence.items()}

    from django.contrib.staticfiles import finders

    from xuthanh.core import images
    from xuthanh.guide import panorama, views

    upload = camera_like(panorama.sample("bench", width=8000, seed=1))  # a camera's 8000×4000 panorama
    started = time.perf_counter()
    panorama.check(upload, max_bytes=10**9)
    panorama.renditions(upload)
    images.strip_gps(upload)
    result["panorama_s"] = (round(len(upload) / 1048576, 1), round(time.perf_counter() - started, 2))
    viewer = sum(Path(finders.find(name)).stat().st_size for name in views.VIEWER_FILES)
    result["viewer_mb"] = round(viewer / 1048576, 2)
    result["packages"], result["scenes"] = {}, {}
    for tour in Tour.objects.order_by("slug"):
        found = selectors.tour_published(tour.slug)
        count, scene_bytes = selectors.scenes_summary(tour.pk)
        extra = scene_bytes + viewer if count else 0  # what the app keeps to show the 360° scenes offline
        result["scenes"][tour.slug] = (count, round(scene_bytes / 1048576, 2))
        result["packages"][tour.slug] = {
            lang: round((selectors.tour_package_bytes(found, lang) + extra) / 1048576, 2) for lang in LANGUAGES}

    chinese = [services.script_of(stop, "zh-hans") for stop in Stop.objects.all()]
    syllables = sum(len(speech.to_pinyin(t).split()) for t in chinese)
    result["zh"] = {
        "scripts": len(chinese), "syllables": syllables,
        "cmn": sum(english_switches("cmn", t) for t in chinese),
        "pinyin": sum(english_switches("cmn-latn-pinyin", speech.to_pinyin(t)) for t in chinese),
    }
    if args.narrations:
        started = time.perf_counter()
        services.narrations_load()
        n = services.clips_render_all(languages=LANGUAGES, kinds=("narration",), workers=args.workers)
        result["narrations"] = (n["ready"], round(time.perf_counter() - started, 1))
    return result


def table(r: dict) -> str:
    def mark(ok: bool) -> str:
        return "✓" if ok else "✗"

    biggest = max(mb for langs in r["packages"].values() for mb in langs.values())
    lines = ["| measure | value | target | met |", "|---|---|---|---|",
             f"| cold: {r['clips']} clips (every stop × vi, en, zh-hans, fr; {r['speech_min']} min of speech), "
             f"{r['workers']} workers | {r['cold_s']} s | < {TARGET_COLD_S:.0f} s | "
             f"{mark(r['cold_s'] < TARGET_COLD_S)} |",
             f"| again, no script changed (rendering keys) | {r['warm_s']} s | < {TARGET_WARM_S:.0f} s | "
             f"{mark(r['warm_s'] < TARGET_WARM_S)} |",
             f"| audio per minute of speech (MP3 32 kb/s mono) | {r['mb_per_min']} MB | ≤ {TARGET_MB_PER_MIN} MB | "
             f"{mark(r['mb_per_min'] <= TARGET_MB_PER_MIN)} |",
             f"| largest tour package (one language) | {biggest} MB | ≤ {TARGET_PACKAGE_MB:.0f} MB | "
             f"{mark(biggest <= TARGET_PACKAGE_MB)} |"]
    for language, (n, median, worst) in r["sentence_ms"].items():
        lines.append(f"| espeak-ng per sentence, {language} ({n} sentences) | median {median} ms, max {worst} ms | | |")
    for slug, langs in r["packages"].items():
        scenes, mb = r["scenes"][slug]
        with_360 = f" (with {scenes} 360° scenes, {mb} MB, and the viewer)" if scenes else ""
        lines.append(f"| package `{slug}`{with_360} | " + ", ".join(f"{k} {v} MB" for k, v in langs.items())
                     + " | | |")
    lines.append(f"| 360° viewer's files (three.js, PhotoSphereViewer, ours), uncompressed | {r['viewer_mb']} MB | | |")
    mb, secs = r["panorama_s"]
    lines.append(f"| a camera's 8000×4000 panorama ({mb} MB) checked, copied for the viewer and the preview, GPS "
                 f"removed | {secs} s | | |")
    zh = r["zh"]
    lines.append(f"| Chinese, {zh['scripts']} scripts ({zh['syllables']} syllables): switches to English letters | "
                 f"`cmn` reading characters {zh['cmn']}, `cmn-latn-pinyin` reading pinyin {zh['pinyin']} | | |")
    if "narrations" in r:
        lines.append(f"| place narrations: {r['narrations'][0]} clips | {r['narrations'][1]} s | | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--narrations", action="store_true")
    args = parser.parse_args()
    if not (shutil.which("espeak-ng") and shutil.which("ffmpeg")):
        sys.exit("espeak-ng and ffmpeg are needed: apt-get install espeak-ng ffmpeg")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="guide-", dir=ROOT / "var" / "bench"))
    try:
        say(f"setting up in {work}")
        setup(work)
        say("rendering")
        result = measure(args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(table(result))


if __name__ == "__main__":
    main()
