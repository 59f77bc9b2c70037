"""Reads of the audio guide: published tours with their stops, and for a stop or a place the narration to play
in a language: its script, and its audio (an officer's recording before the engine's, ready clips only).
A script missing in the language falls back along the content fallbacks (French → English → Vietnamese) and
says so: the visitor sees which language will be heard before it plays."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum

from xuthanh.catalog.models import Photo
from xuthanh.core.languages import fallback_chain, first_in_chain, served_language, translated
from xuthanh.core.models import Status
from xuthanh.core.prepared import Prepared, PreparedObjects, batch
from xuthanh.guide.models import Clip, Hotspot, Listen, Narration, Scene, Stop, Tour


@dataclass(frozen=True)
class Narrated:
    """What plays for one stop or place in one requested language."""

    requested: str
    language: str  # the language of the script (and audio) served; differs from `requested` on a fallback
    script: str
    machine: bool  # a machine draft, not reviewed by a translator
    clip: Clip | None  # None: no audio ready (waiting, failed or never rendered): the transcript is shown

    @property
    def fallback(self) -> bool:
        return self.language != self.requested


def tours_published() -> QuerySet[Tour]:
    return (
        Tour.objects.filter(status=Status.PUBLISHED, place__status=Status.PUBLISHED)
        .select_related("place")
        .prefetch_related("translations")
        .annotate(stop_count=Count("stops"))
        .order_by("slug")
    )


def tour_published(slug: str) -> Tour | None:
    """The tour with its stops, their translations, ready clips and photos (six queries, any tour size)."""
    return (
        Tour.objects.filter(slug=slug, status=Status.PUBLISHED, place__status=Status.PUBLISHED)
        .select_related("place")
        .prefetch_related(
            "translations",
            Prefetch("stops", queryset=Stop.objects.order_by("number").prefetch_related(
                "translations", Prefetch("clips", queryset=Clip.objects.filter(state=Clip.State.READY)),
                Prefetch("photos", queryset=Photo.objects.order_by("position", "pk").prefetch_related("translations")),
            )),
        )
        .first()
    )


def stop_by_code(code: str) -> Stop | None:
    """The stop whose sign carries this QR id (any case, spaces ignored), on a published tour."""
    return (
        Stop.objects.filter(qr=code.strip().upper().replace(" ", ""), tour__status=Status.PUBLISHED,
                            tour__place__status=Status.PUBLISHED)
        .select_related("tour")
        .prefetch_related(
            "translations", Prefetch("clips", queryset=Clip.objects.filter(state=Clip.State.READY)),
            Prefetch("photos", queryset=Photo.objects.order_by("position", "pk").prefetch_related("translations")),
        )
        .first()
    )


def place_narration(place_id: int) -> Narration | None:
    return (
        Narration.objects.filter(place_id=place_id)
        .prefetch_related("translations", Prefetch("clips", queryset=Clip.objects.filter(state=Clip.State.READY)))
        .first()
    )


_NARRATION_SCRIPTS = Prepared(
    lambda place, chain: Narration._parler_meta.root_model.objects.filter(
        master__place_id=place, language_code__in=chain).exclude(script="")
    .values_list("master_id", "language_code", "script", "translation_status"),
    place=int, chain=list[str],
)
_READY_CLIPS = PreparedObjects(
    Clip, lambda place, chain, state: Clip.objects.filter(
        narration__place_id=place, language__in=chain, state=state).exclude(audio="").order_by("pk"),
    place=int, chain=list[str], state=str,
)
_PLACE_TOURS = Prepared(
    lambda place, chain, status, place_status: Tour._parler_meta.root_model.objects.filter(
        master__place_id=place, master__status=status, master__place__status=place_status, language_code__in=chain)
    .exclude(name="").values_list("master__slug", "language_code", "name"),
    place=int, chain=list[str], status=str, place_status=str,
)


@dataclass(frozen=True)
class TourLink:
    slug: str
    name: str


def place_listen(place_id: int, lang: str) -> tuple[Narrated | None, list[TourLink]]:
    """What the place page's "Listen" section shows: the place's narration in `lang` (or its fallback) with
    its audio, and the published audio tours of the place with their names in `lang` (or fallback). The
    same answer as `narrated(place_narration(…))` and `tours_published()`, in three prepared reads and
    one round trip (each page of a place makes them)."""
    chain = fallback_chain(lang)
    script_rows, clip_rows, tour_rows = batch(
        (_NARRATION_SCRIPTS, {"place": place_id, "chain": chain}),
        (_READY_CLIPS.query, {"place": place_id, "chain": chain, "state": Clip.State.READY}),
        (_PLACE_TOURS,
         {"place": place_id, "chain": chain, "status": Status.PUBLISHED, "place_status": Status.PUBLISHED}),
    )  # one round trip
    scripts = {code: (script, status) for _narration, code, script, status in script_rows}
    names = first_in_chain(tour_rows, lang)
    return (_narrated(lang, scripts, _READY_CLIPS.from_rows(clip_rows)),
            [TourLink(slug, names[slug][1]) for slug in sorted(names)])


def narrated(owner: Stop | Narration | Scene, lang: str) -> Narrated | None:
    """The script and audio to play for `lang` (uses the prefetched translations and ready clips)."""
    scripts = {t.language_code: (t.script, t.translation_status) for t in owner.translations.all()}
    return _narrated(lang, scripts, owner.clips.all())


def _narrated(lang: str, scripts: dict[str, tuple[str, str]], clips: Iterable[Clip]) -> Narrated | None:
    """The script ({language: (script, translation status)}) the first language of `lang`'s chain with a text
    has, and its audio among `clips` (ready, a person's recording before the engine's)."""
    language = next((code for code in fallback_chain(lang) if (scripts.get(code, ("",))[0] or "").strip()), None)
    if language is None:
        return None
    ready = [c for c in clips if c.state == Clip.State.READY and c.language == language and c.audio]
    ready.sort(key=lambda c: c.origin != Clip.Origin.RECORDING)  # a person's recording first
    script, status = scripts[language]
    return Narrated(requested=lang, language=language, script=script.strip(), machine=status == "machine",
                    clip=ready[0] if ready else None)


def tour_scenes(slug: str) -> tuple[Tour, list[Scene]] | None:
    """A published tour and its 360° scenes with their hotspots, narrations and their stops' (a few queries,
    any number of scenes)."""
    tour = (Tour.objects.filter(slug=slug, status=Status.PUBLISHED, place__status=Status.PUBLISHED)
            .select_related("place").prefetch_related("translations").first())
    if tour is None:
        return None
    return tour, list(_scenes().filter(tour=tour))


def tour_scenes_any(tour_id: int) -> list[Scene]:
    """A tour's scenes, published or not (the back office's preview), prefetched as in `tour_scenes`."""
    return list(_scenes().filter(tour_id=tour_id))


def _scenes() -> QuerySet[Scene]:
    return (
        Scene.objects.exclude(display="")
        .select_related("stop")
        .prefetch_related(
            "translations",
            Prefetch("hotspots", queryset=Hotspot.objects.prefetch_related("translations")),
            Prefetch("stop__translations"),
            Prefetch("stop__clips", queryset=Clip.objects.filter(state=Clip.State.READY)),
            Prefetch("clips", queryset=Clip.objects.filter(state=Clip.State.READY)),
        )
    )


def scene_nodes(scenes: list[Scene], lang: str, url: Callable[[str], str]) -> list[dict[str, Any]]:
    """The scenes as the viewer and the API read them, texts in `lang` (with their fallback) and file URLs
    made by `url`: each with its panorama, preview, initial view, point, narration (its stop's) and its
    hotspots: ways to the other scenes (to the scenes shown only) and information spots."""
    shown = {scene.pk: scene for scene in scenes}
    nodes = []
    for scene in scenes:
        own = narrated(scene, lang)  # the scene's own script, else its stop's narration
        heard = own or (narrated(scene.stop, lang) if scene.stop_id else None)
        links, info = [], []
        for spot in scene.hotspots.all():
            if spot.target_id:
                if spot.target_id in shown:
                    links.append({"to": shown[spot.target_id].slug, "yaw": spot.yaw, "pitch": spot.pitch,
                                  "title": translated(shown[spot.target_id], "title", lang)})
            elif (title := translated(spot, "title", lang)) or translated(spot, "text", lang):
                info.append({"id": spot.pk, "yaw": spot.yaw, "pitch": spot.pitch, "title": title,
                             "text": translated(spot, "text", lang),
                             "language": served_language(spot, lang, field="title")})
        point = scene.point
        nodes.append({
            "slug": scene.slug, "title": translated(scene, "title", lang),
            "language": served_language(scene, lang, field="title"),
            "panorama": url(scene.display.url), "preview": url(scene.preview.url) if scene.preview else "",
            "width": scene.width, "height": scene.height,
            "initial": {"yaw": scene.initial_yaw, "pitch": scene.initial_pitch, "zoom": scene.initial_zoom},
            "lat": point[0] if point else None, "lon": point[1] if point else None,
            "sample": scene.is_sample, "credit": scene.credit,
            "stop": scene.stop.number if scene.stop_id else None,
            "qr": scene.stop.qr if scene.stop_id and not own else "",  # counts go to the stop heard
            "narration": heard, "links": links, "info": info,
        })
    return nodes


def scenes_summary(tour_id: int) -> tuple[int, int]:
    """How many 360° scenes a tour shows, and the bytes a phone downloads to see them offline."""
    found = Scene.objects.filter(tour_id=tour_id).exclude(display="").aggregate(n=Count("id"), b=Sum("package_bytes"))
    return found["n"] or 0, found["b"] or 0


def tour_package_bytes(tour: Tour, lang: str) -> int:
    """Bytes a phone downloads to take the tour offline in `lang`: the audio of every stop (the page and
    the data are a few kilobytes more)."""
    return sum(n.clip.size_bytes or 0 for stop in tour.stops.all() if (n := narrated(stop, lang)) and n.clip)


def audio_progress(tour_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Per tour: how many of its stops' engine clips are ready, waiting or failed (the back office's bars)."""
    rows = Clip.objects.filter(stop__isnull=False)
    if tour_ids is not None:
        rows = rows.filter(stop__tour_id__in=tour_ids)
    out: dict[int, dict[str, int]] = {}
    for tour_id, state, n in rows.values_list("stop__tour_id", "state").annotate(n=Count("id")).order_by():
        out.setdefault(tour_id, dict.fromkeys(Clip.State.values, 0))[state] += n
    return out


def listen_totals(tour: Tour) -> list[dict[str, Any]]:
    """Listenings per stop and language of a tour, all days together (anonymous counts)."""
    return list(
        Listen.objects.filter(stop__tour=tour)
        .values("stop__number", "language")
        .annotate(total=Sum("count"))
        .order_by("stop__number", "language")
    )
