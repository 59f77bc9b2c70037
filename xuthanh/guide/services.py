"""Writes of the audio guide: loading the shipped tours and the places' narrations, rendering a script's audio
(cached by its rendering key, retried, never served broken), an officer's recording, and the listening count.
Views, the admin, the API, commands and the background queue all call these."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from xuthanh.catalog.models import Place
from xuthanh.core import images
from xuthanh.core.models import Status, TranslationStatus
from xuthanh.guide import panorama, speech
from xuthanh.guide.models import CLIP_OWNERS, Clip, Hotspot, Listen, Narration, Scene, Stop, Tour
from xuthanh.guide.signals import audio_deferred

DATA = Path(__file__).resolve().parent / "data"
MAX_RECORDING_BYTES = 25 * 1024 * 1024
MAX_RECORDING_SECONDS = 15 * 60


class GuideDataError(ValueError):
    """A tour file breaks the rules; the message names the file, the tour and the stop."""


class PanoramaRefused(ValueError):
    """An uploaded panorama cannot be used; the message says why, for the officer."""


def configured_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def engine() -> speech.SpeechEngine:
    """The speech engine configured by GUIDE_SPEECH_ENGINE (a dotted class path; espeak-ng by default)."""
    return import_string(settings.GUIDE_SPEECH_ENGINE)()


# ---- loading the shipped data -------------------------------------------------------------------------------


def _set_translations(obj: Any, record: dict[str, Any], names: tuple[str, ...], where: str) -> None:
    reviewed = set(record.get("reviewed", []))
    for lang in configured_languages():
        values = {name: (record.get(name) or {}).get(lang, "") for name in names}
        if not any(values.values()):
            continue
        obj.set_current_language(lang)
        for name, value in values.items():
            setattr(obj, name, value)
        obj.translation_status = (
            TranslationStatus.REVIEWED if lang == settings.SOURCE_LANGUAGE or lang in reviewed
            else TranslationStatus.MACHINE
        )
    if not (record.get(names[0]) or {}).get(settings.SOURCE_LANGUAGE):
        raise GuideDataError(_("%(where)s: the Vietnamese %(field)s is missing") % {"where": where, "field": names[0]})


def _records(paths: Iterable[Path] | None, pattern: str, key: str) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Each `[[key]]` record of the data files (`paths`, or those of xuthanh/guide/data/ matching `pattern`)."""
    for path in sorted(DATA.glob(pattern)) if paths is None else list(paths):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        for record in data.get(key, []):
            yield path, record


@transaction.atomic
@audio_deferred()
def tours_load(paths: Iterable[Path] | None = None, *, update: bool = False) -> int:
    """Create the tours of the data files (xuthanh/guide/data/tours*.toml) that are not in the database yet, with
    their stops, all or none; with `update`, tours already there are overwritten from the files too (what
    officers changed in them is lost). Audio is not rendered here: `render_guide_audio` (or the queue) does it.
    Returns the number of tours written."""
    count = 0
    for path, record in _records(paths, "tours*.toml", "tour"):
        where = f"{path.name}, tour {record.get('slug', '?')}"
        place = Place.objects.filter(slug=record.get("place", "")).first()
        if place is None:
            raise GuideDataError(_("%(where)s: no catalogue place %(slug)s") % {
                "where": where, "slug": record.get("place")})
        tour = Tour.objects.filter(slug=record["slug"]).first()
        if tour is not None and not update:
            continue  # an officer may have edited it: kept
        tour = tour or Tour(slug=record["slug"])
        tour.place, tour.sources = place, record.get("sources", [])
        tour.is_sample = bool(record.get("sample", False))
        tour.status = Status.PUBLISHED
        _set_translations(tour, record, ("name", "summary"), where)
        tour.save()
        for item in record.get("stop", []):
            _stop_load(tour, item, f"{where}, stop {item.get('slug', '?')}")
        count += 1
    return count


def _stop_load(tour: Tour, item: dict[str, Any], where: str) -> Stop:
    stop = Stop.objects.filter(tour=tour, slug=item["slug"]).first() or Stop(tour=tour, slug=item["slug"])
    stop.number, stop.qr = int(item["number"]), str(item["qr"]).upper()
    stop.lat, stop.lon, stop.radius_m = float(item["lat"]), float(item["lon"]), int(item.get("radius_m", 40))
    stop.location_verified = bool(item.get("coord_verified", False))
    stop.location_uncertainty_m = item.get("coord_uncertainty_m")
    stop.location_source = str(item.get("coord_source", ""))[:500]
    stop.location_evidence = str(item.get("coord_evidence", ""))[:600]
    stop.sources = item.get("sources", [])
    _set_translations(stop, item, ("name", "script"), where)
    try:
        stop.full_clean(exclude=["tour"], validate_unique=False)
    except Exception as exc:  # ValidationError: its messages, with where
        raise GuideDataError(f"{where}: {exc}") from exc
    stop.save()
    return stop


@transaction.atomic
@audio_deferred()
def narrations_load() -> int:
    """A narration for every published attraction that has none yet, from its summary and description in each
    language (with their translation status); an officer's narration is never replaced."""
    have = set(Narration.objects.values_list("place_id", flat=True))
    created = 0
    places = Place.objects.filter(status=Status.PUBLISHED, kind=Place.Kind.ATTRACTION).exclude(pk__in=have)
    for place in places.prefetch_related("translations"):
        narration = Narration(place=place)
        for row in place.translations.all():
            text = " ".join(t for t in (row.summary, row.description) if t).strip()
            if not text:
                continue
            narration.set_current_language(row.language_code)
            narration.script = text
            narration.translation_status = row.translation_status
        if not narration.has_translation(settings.SOURCE_LANGUAGE):
            continue
        narration.save()
        created += 1
    return created


# ---- audio ---------------------------------------------------------------------------------------------------


def _owner(clip: Clip) -> Stop | Narration | Scene:
    return clip.owner


def script_of(owner: Stop | Narration, language: str) -> str:
    """The owner's script in exactly `language` (no fallback: another language's text is never spoken as
    this one)."""
    row = owner.translations.filter(language_code=language).values_list("script", flat=True).first()
    return (row or "").strip()


def clips_queue(*, stop_ids: Iterable[int] = (), narration_ids: Iterable[int] = (), scene_ids: Iterable[int] = (),
                languages: Iterable[str] | None = None) -> list[int]:
    """Mark the engine clips of these scripts as waiting (creating them where missing) and hand each to the
    background queue; returns the clips' ids. A script missing in a language has no clip there."""
    from xuthanh.guide import tasks

    wanted = list(languages or configured_languages())
    ids: list[int] = []
    wanted_ids = {"stop": stop_ids, "narration": narration_ids, "scene": scene_ids}
    owners: list[tuple[str, Any]] = [
        (field, owner) for field, model in CLIP_OWNERS.items()
        for owner in model.objects.filter(pk__in=list(wanted_ids[field]))
    ]
    for field, owner in owners:
        present = set(owner.translations.exclude(script="").values_list("language_code", flat=True))
        for language in wanted:
            if language not in present:
                Clip.objects.filter(**{field: owner}, language=language, origin=Clip.Origin.ENGINE).delete()
                continue
            clip, _created = Clip.objects.get_or_create(**{field: owner}, language=language, origin=Clip.Origin.ENGINE)
            # Waiting from now: the audio of the old text is no longer served (selectors.narrated reads ready
            # clips only) and the retries start again.
            Clip.objects.filter(pk=clip.pk).update(state=Clip.State.PENDING, attempts=0)
            ids.append(clip.pk)
    for clip_id in ids:
        tasks.clip_render_task(clip_id)
    return ids


def clip_render(clip: Clip, *, speaker: speech.SpeechEngine | None = None) -> Clip:
    """Render the clip's script with the configured engine, unless the same text, voice and settings were
    rendered already (the file is named by its rendering key, so identical scripts share one file). A failure
    marks the clip failed with the engine's message and serves no audio; the queue tries again."""
    speaker = speaker or engine()
    owner = _owner(clip)
    text = script_of(owner, clip.language)
    voice = speaker.voice_for(clip.language)
    if not text or voice is None:
        reason = _("no script in this language") if not text else _("the speech engine has no voice for this language")
        return _clip_fail(clip, reason)
    try:
        version = speaker.version()
        key = speech.rendering_key(text, voice, version)
        name = f"guide/audio/{key}.{speech.AUDIO_FORMAT}"
        ready = Clip.objects.filter(key=key, state=Clip.State.READY, origin=Clip.Origin.ENGINE)
        unchanged = clip.state == Clip.State.READY and clip.key == key and clip.audio
        if unchanged and default_storage.exists(clip.audio.name):
            return clip
        twin = ready.exclude(pk=clip.pk).first()
        if twin is not None and default_storage.exists(twin.audio.name):
            clip.audio.name, clip.transcript = twin.audio.name, twin.transcript
            clip.duration_s, clip.size_bytes = twin.duration_s, twin.size_bytes
        else:
            rendering = speech.render(text, voice, speaker)
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(rendering.audio))
            clip.audio.name, clip.transcript = name, rendering.transcript
            clip.duration_s, clip.size_bytes = rendering.duration, len(rendering.audio)
    except Exception as exc:  # noqa: BLE001 - any engine's, the encoder's or the storage's failure: marked, retried
        return _clip_fail(clip, str(exc) or type(exc).__name__)
    if script_of(owner, clip.language) != text:
        return clip  # the script changed while it was spoken: the newer rendering (queued by the change) wins
    clip.key, clip.state, clip.error, clip.attempts = key, Clip.State.READY, "", 0
    clip.engine, clip.voice, clip.licence = f"{speaker.name} {version}", voice.name, voice.licence
    clip.save(update_fields=["key", "state", "error", "attempts", "engine", "voice", "licence", "audio", "transcript",
                             "duration_s", "size_bytes", "updated_at"])
    return clip


def _clip_fail(clip: Clip, message: str) -> Clip:
    clip.state, clip.error, clip.attempts = Clip.State.FAILED, message[:2000], clip.attempts + 1
    clip.save(update_fields=["state", "error", "attempts", "updated_at"])
    return clip


def clips_render_all(*, languages: Iterable[str] | None = None, progress: Callable[[int, int], None] | None = None,
                     workers: int = 2, kinds: Iterable[str] = tuple(CLIP_OWNERS)) -> dict[str, int]:
    """Every script of the tours' stops, the places' narrations and the 360° scenes (`kinds`) in the given
    languages, rendered
    (unchanged ones skipped), on `workers` threads; `progress(done, total)` after each clip. Returns the count
    per clip state."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import close_old_connections

    wanted = list(languages or configured_languages())
    kinds = set(kinds)
    for field, model in CLIP_OWNERS.items():
        if field not in kinds:
            continue
        for owner_id, language in model._parler_meta.root_model.objects.exclude(script="").filter(
                language_code__in=wanted).values_list("master_id", "language_code"):
            Clip.objects.get_or_create(**{f"{field}_id": owner_id}, language=language, origin=Clip.Origin.ENGINE)
    owned = Q(pk__in=[])
    for field in kinds:
        owned |= Q(**{f"{field}__isnull": False})
    clips = list(
        Clip.objects.filter(owned, origin=Clip.Origin.ENGINE, language__in=wanted).values_list("pk", flat=True))
    speaker = engine()
    done = 0

    def one(pk: int) -> None:
        try:
            clip = Clip.objects.select_related(*CLIP_OWNERS).get(pk=pk)
            clip_render(clip, speaker=speaker)
        finally:
            close_old_connections()

    def rendered(_result: None) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(clips))

    if workers <= 1:  # in this thread, on this connection (and inside the caller's transaction)
        for pk in clips:
            rendered(clip_render(Clip.objects.select_related(*CLIP_OWNERS).get(pk=pk), speaker=speaker))
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(one, clips):
                rendered(result)
    counts = dict.fromkeys(Clip.State.values, 0)
    for state in Clip.objects.filter(pk__in=clips).values_list("state", flat=True):
        counts[state] += 1
    return counts


def recording_upload(owner: Stop | Narration, language: str, data: bytes) -> Clip:
    """An officer's recording of the script in `language`: checked (audio ffmpeg reads, at most 25 MB and 15
    minutes), converted to the clips' format and stored; it is played instead of the engine's from now on.
    Raises ValueError with a message for the officer."""
    if language not in configured_languages():
        raise ValueError(_("Unknown language: %(code)s") % {"code": language})
    if len(data) > MAX_RECORDING_BYTES:
        raise ValueError(_("The recording is larger than 25 MB."))
    try:
        seconds = speech.probe_seconds(data)
        audio = speech.transcode(data)
    except speech.SpeechError as exc:
        raise ValueError(_("The file is not a sound recording that can be read.")) from exc
    if not 1 <= seconds <= MAX_RECORDING_SECONDS:
        raise ValueError(_("A recording lasts between 1 second and 15 minutes."))
    text = script_of(owner, language)
    field = next(name for name, model in CLIP_OWNERS.items() if isinstance(owner, model))
    import hashlib

    key = hashlib.sha256(audio).hexdigest()[:32]
    name = default_storage.save(f"guide/recordings/{key}.{speech.AUDIO_FORMAT}", ContentFile(audio))
    with transaction.atomic():
        clip, _created = Clip.objects.get_or_create(**{field: owner}, language=language, origin=Clip.Origin.RECORDING)
        clip.audio.name, clip.key, clip.state, clip.error = name, key, Clip.State.READY, ""
        clip.duration_s, clip.size_bytes = round(seconds, 3), len(audio)
        clip.transcript = speech.webvtt(spread_cues(text, seconds)) if text else ""
        clip.engine, clip.voice = "", _("human recording")
        clip.licence = _("Recorded for the Thanh Hóa tourism department")
        clip.save()
    return clip


def spread_cues(text: str, seconds: float) -> list[speech.Cue]:
    """Cues for a recording whose sentence times are unknown: each sentence gets a share of the time in
    proportion to its length (captions close enough to follow, not exact)."""
    parts = speech.sentences(text)
    total = sum(len(p) for p in parts) or 1
    cues, position = [], 0.0
    for part in parts:
        length = seconds * len(part) / total
        cues.append(speech.Cue(round(position, 3), round(position + length, 3), part))
        position += length
    return cues


def listen_record(*, stop: Stop | None = None, narration: Narration | None = None, language: str,
                  day: dt.date | None = None) -> None:
    """Count one listening of a stop or a place narration in a language today (nothing about the listener)."""
    day = day or timezone.localdate()
    owner = {"stop": stop} if stop is not None else {"narration": narration}
    updated = Listen.objects.filter(**owner, language=language, day=day).update(count=F("count") + 1)
    if not updated:
        with transaction.atomic():
            listen, created = Listen.objects.select_for_update().get_or_create(
                **owner, language=language, day=day, defaults={"count": 1})
            if not created:
                Listen.objects.filter(pk=listen.pk).update(count=F("count") + 1)


# ---- 360° scenes --------------------------------------------------------------------------------------------


def scene_panorama_set(scene: Scene, data: bytes, *, filename: str = "panorama.jpg", save: bool = True) -> Scene:
    """Store `data` as the scene's panorama (checked; the camera's GPS position removed before it is
    written), with the viewer's copy and the flat preview; the scene is saved unless `save` is false (the
    admin saves it). The files of the panorama it replaces go once the transaction commits. Raises
    PanoramaRefused with the reason."""
    try:
        found = panorama.check(data, max_bytes=settings.GUIDE_PANORAMA_MAX_BYTES)
        display, preview = panorama.renditions(data)
        clean = images.strip_gps(data)
    except (panorama.PanoramaError, OSError) as exc:
        raise PanoramaRefused(_("Panorama rejected: %(reason)s.") % {"reason": str(exc)}) from exc
    stem = Path(filename).stem[:40] or "panorama"
    stored = Scene.objects.filter(pk=scene.pk).values_list("panorama", "display", "preview").first() or ()
    scene.panorama.save(f"{stem}.{images.ALLOWED_FORMATS[found.format]}", ContentFile(clean), save=False)
    scene.display.save(f"{stem}.jpg", ContentFile(display), save=False)
    scene.preview.save(f"{stem}.jpg", ContentFile(preview), save=False)
    scene.width, scene.height = found.width, found.height
    scene.package_bytes = len(display) + len(preview)
    if save:
        scene.save()
    kept = {scene.panorama.name, scene.display.name, scene.preview.name}
    old = [name for name in stored if name and name not in kept]

    def forget() -> None:  # the files of the panorama it replaces, once the change is committed
        for name in old:
            default_storage.delete(name)

    transaction.on_commit(forget)
    return scene


@transaction.atomic
def scenes_load(paths: Iterable[Path] | None = None, *, update: bool = False,
                width: int = panorama.DISPLAY_WIDTH) -> int:
    """The 360° scenes of the data files (xuthanh/guide/data/scenes.toml) for the tours in the database, with
    generated sample panoramas and their hotspots, all or none; scenes already there are kept (an officer may
    have put a photograph in) unless `update`. The samples are `width` pixels wide. Returns the number of
    scenes written."""
    written: dict[tuple[str, str], Scene] = {}
    records: list[tuple[Scene, dict[str, Any], str]] = []
    for path, record in _records(paths, "scenes*.toml", "scene"):
        where = f"{path.name}, scene {record.get('tour', '?')}/{record.get('slug', '?')}"
        tour = Tour.objects.filter(slug=record.get("tour", "")).first()
        if tour is None:
            raise GuideDataError(_("%(where)s: no guided tour %(slug)s") % {
                "where": where, "slug": record.get("tour")})
        scene = Scene.objects.filter(tour=tour, slug=record["slug"]).first()
        if scene is not None and not update:
            continue
        scene = scene or Scene(tour=tour, slug=record["slug"])
        scene.position = int(record.get("position", 0))
        scene.stop = Stop.objects.filter(tour=tour, slug=record["stop"]).first() if record.get("stop") else None
        if record.get("stop") and scene.stop is None:
            raise GuideDataError(_("%(where)s: no stop %(slug)s in the tour") % {
                "where": where, "slug": record["stop"]})
        scene.initial_yaw = float(record.get("initial_yaw", 0))
        scene.initial_pitch = float(record.get("initial_pitch", 0))
        scene.is_sample, scene.credit = True, _("Generated sample, not a photograph")
        _set_translations(scene, record, ("title",), where)
        scene.save()
        written[(tour.slug, scene.slug)] = scene
        records.append((scene, record, where))
    for scene, record, where in records:
        scene.hotspots.all().delete()
        features = []
        for link in record.get("link", []):
            target = written.get((scene.tour.slug, link["to"])) or Scene.objects.filter(
                tour=scene.tour, slug=link["to"]).first()
            if target is None:
                raise GuideDataError(_("%(where)s: no scene %(slug)s to lead to") % {
                    "where": where, "slug": link["to"]})
            Hotspot.objects.create(scene=scene, target=target, yaw=float(link["yaw"]),
                                   pitch=float(link.get("pitch", 0)))
            features.append((float(link["yaw"]), _source_title(target)))
        for item in record.get("info", []):
            spot = Hotspot(scene=scene, yaw=float(item["yaw"]), pitch=float(item.get("pitch", 0)))
            _set_translations(spot, item, ("title", "text"), f"{where}, information spot")
            spot.save()
        seed = int.from_bytes(f"{scene.tour.slug}/{scene.slug}".encode()[:8], "big")
        scene_panorama_set(scene, panorama.sample(_source_title(scene), seed=seed, features=features, width=width),
                           filename=f"{scene.tour.slug}-{scene.slug}.jpg")
    return len(records)


def _source_title(scene: Scene) -> str:
    title = scene.safe_translation_getter("title", language_code=settings.SOURCE_LANGUAGE, any_language=True)
    return title or scene.slug


def scene_initial_view_set(scene: Scene, *, yaw: float, pitch: float, zoom: int) -> Scene:
    """Where the scene's view opens (set from the authoring viewer)."""
    scene.initial_yaw, scene.initial_pitch, scene.initial_zoom = round(yaw, 2), round(pitch, 2), int(zoom)
    scene.full_clean(exclude=["panorama"])
    scene.save(update_fields=["initial_yaw", "initial_pitch", "initial_zoom"])
    return scene


def hotspot_add(scene: Scene, *, yaw: float, pitch: float, target: Scene | None = None, language: str = "",
                title: str = "", text: str = "") -> Hotspot:
    """A hotspot placed in the authoring view: a way to `target`, or an information spot with its title and
    text in `language` (a machine draft until a translator reviews it, unless it is the source language)."""
    spot = Hotspot(scene=scene, target=target, yaw=round(yaw, 2), pitch=round(pitch, 2))
    if target is None:
        spot.set_current_language(language or settings.SOURCE_LANGUAGE)
        spot.title, spot.text = title, text
        spot.translation_status = TranslationStatus.REVIEWED  # written by a person in that language
    spot.full_clean()
    spot.save()
    return spot
