"""/api/v1/guide: the audio guide for the app, kiosks and partners: tours with their stops (position, trigger
zone, whether the zone may start the narration by itself), the narration of a stop or a place in a language
(its audio and WebVTT transcript, or the language it falls back to), a stop found by its sign's QR id, and
the anonymous listening count."""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Router, Schema
from ninja import Status as Answer
from pydantic import Field

from xuthanh.api import schemas as api_schemas
from xuthanh.api.schemas import Slug, Text
from xuthanh.catalog.api import photo_out
from xuthanh.catalog.models import Place
from xuthanh.catalog.schemas import PhotoOut
from xuthanh.core import ratelimit
from xuthanh.core.languages import LANG_CODES, request_language, translated
from xuthanh.core.models import Status
from xuthanh.guide import selectors, services, speech
from xuthanh.guide.models import Clip, Narration, Stop, Tour

router = Router(tags=["guide"])
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9\-]{0,19}$"
Code = Annotated[str, Path(..., pattern=CODE_PATTERN, description="The id in a stop's QR code, e.g. TNH-01")]
ClipId = Annotated[int, Path(..., ge=1, le=2**31 - 1)]
ANSWERS = {404: api_schemas.ErrorOut, 422: api_schemas.ErrorOut}


def mount(api: NinjaAPI) -> None:
    """Attach the guide's endpoints to the open API (`xuthanh/urls.py` does, once)."""
    api.add_router("/guide", router)


class GuideAudioOut(api_schemas.Out):
    url: str = Field(description="The audio file (MP3, mono, 32 kb/s)")
    mime: str
    duration_s: float
    size_bytes: int
    transcript_url: str = Field(description="WebVTT captions, one cue per sentence")
    origin: str = Field(description="engine (text-to-speech) or recording (a person)")
    engine: str
    voice: str
    licence: str


class GuideNarrationOut(api_schemas.Out):
    requested: str = Field(description="The language asked for")
    language: str = Field(description="The language of the script and audio served")
    fallback: bool = Field(description="True when the script is missing in the language asked for")
    machine: bool = Field(description="A machine translation not yet reviewed")
    script: str
    audio: GuideAudioOut | None = Field(description="None while the audio is being made or has failed")


class GuideStopOut(api_schemas.Out):
    tour: str = Field(description="Slug of the stop's tour")
    number: int = Field(description="Keypad number on the stop's sign")
    qr: str = Field(description="Id in the QR code on the stop's sign")
    slug: str
    name: str
    lat: float
    lon: float
    radius_m: int = Field(description="Trigger zone around the point")
    auto_play: bool = Field(description="May the zone start the narration by itself (the point is checked "
                                        "to within the zone); otherwise QR, keypad or a tap")
    location_verified: bool
    location_uncertainty_m: int | None
    photos: list[PhotoOut] = Field(description="Photos of the stop (of the tour's place), the first to show")
    narration: GuideNarrationOut | None


class GuidedTourOut(api_schemas.Out):
    slug: str
    name: str
    summary: str
    place: str = Field(description="Slug of the catalogue place")
    stop_count: int
    sample: bool


class GuidedTourDetailOut(GuidedTourOut):
    language: str
    package_bytes: int = Field(description="Audio to download to take the tour offline in this language")
    scene_count: int = Field(description="360° scenes (GET /guide/tours/{slug}/scenes)")
    scenes_bytes: int = Field(description="Panoramas to download to see the 360° scenes offline")
    sources: list[str]
    stops: list[GuideStopOut]


class GuideViewOut(Schema):
    yaw: float = Field(description="Degrees, 0 at the panorama's centre, growing to the right (−180…180)")
    pitch: float = Field(description="Degrees above the horizon (−90…90)")
    zoom: int = Field(description="0 (widest) to 100")


class GuideSceneLinkOut(Schema):
    to: str = Field(description="Slug of the scene this way leads to")
    yaw: float
    pitch: float
    title: str


class GuideSceneInfoOut(Schema):
    id: int
    yaw: float
    pitch: float
    title: str
    text: str
    language: str = Field(description="The language of the text served")


class GuideSceneOut(api_schemas.Out):
    slug: str
    title: str
    language: str = Field(description="The language of the title served")
    panorama: str = Field(description="Equirectangular JPEG, 2:1, at most 4096 pixels wide")
    preview: str = Field(description="A flat 1024×512 copy (thumbnails; the view without WebGL)")
    width: int = Field(description="Of the original upload")
    height: int
    initial: GuideViewOut
    lat: float | None
    lon: float | None
    sample: bool = Field(description="A generated picture standing in for a photograph")
    credit: str
    stop: int | None = Field(description="Keypad number of the stop where it was taken (its narration plays)")
    qr: str
    narration: GuideNarrationOut | None
    links: list[GuideSceneLinkOut]
    info: list[GuideSceneInfoOut]


class GuideScenesOut(api_schemas.Out):
    tour: str
    language: str
    scenes: list[GuideSceneOut]


class GuideListenIn(Schema):
    qr: Text = Field("", max_length=20, description="The stop's QR id, or")
    place: Text = Field("", max_length=120, description="the place whose narration was played")
    language: Text = Field(max_length=10)


def _lang(request: HttpRequest, lang: str | None) -> str:
    return request_language(request, lang if lang in LANG_CODES else None)


def _audio(request: HttpRequest, clip: Clip) -> dict[str, Any]:
    return {
        "url": request.build_absolute_uri(clip.audio.url), "mime": speech.AUDIO_MIME,
        "duration_s": clip.duration_s or 0, "size_bytes": clip.size_bytes or 0,
        "transcript_url": request.build_absolute_uri(clip.transcript_path),
        "origin": clip.origin, "engine": clip.engine, "voice": clip.voice, "licence": clip.licence,
    }


def narration_out(request: HttpRequest, owner: Stop | Narration, lang: str) -> dict[str, Any] | None:
    return narrated_out(request, selectors.narrated(owner, lang))


def narrated_out(request: HttpRequest, found: selectors.Narrated | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "requested": found.requested, "language": found.language, "fallback": found.fallback,
        "machine": found.machine, "script": found.script,
        "audio": _audio(request, found.clip) if found.clip else None,
    }


def stop_out(request: HttpRequest, stop: Stop, lang: str) -> dict[str, Any]:
    return {
        "tour": stop.tour.slug, "number": stop.number, "qr": stop.qr, "slug": stop.slug,
        "name": translated(stop, "name", lang),
        "lat": stop.lat, "lon": stop.lon, "radius_m": stop.radius_m, "auto_play": stop.auto_play,
        "location_verified": stop.location_verified, "location_uncertainty_m": stop.location_uncertainty_m,
        "photos": [photo_out(p, lang) for p in stop.photos.all()],
        "narration": narration_out(request, stop, lang),
    }


def _tour_out(tour: Tour, lang: str, stop_count: int) -> dict[str, Any]:
    return {
        "slug": tour.slug, "name": translated(tour, "name", lang), "summary": translated(tour, "summary", lang),
        "place": tour.place.slug, "stop_count": stop_count, "sample": tour.is_sample,
    }


@router.get("/tours", response={200: list[GuidedTourOut], 422: api_schemas.ErrorOut}, operation_id="guide_tours",
            summary="Published guided tours")
def tours(request: HttpRequest, lang: str | None = None) -> Any:
    lang = _lang(request, lang)
    return [_tour_out(t, lang, t.stop_count) for t in selectors.tours_published()]


@router.get("/tours/{slug}", response={200: GuidedTourDetailOut, **ANSWERS}, operation_id="guide_tour",
            summary="A tour with its stops and each stop's narration in a language")
def tour(request: HttpRequest, slug: Slug, lang: str | None = None) -> Any:
    lang = _lang(request, lang)
    found = selectors.tour_published(slug)
    if found is None:
        raise Http404(f"No published guided tour “{slug}”.")
    stops = list(found.stops.all())
    scene_count, scenes_bytes = selectors.scenes_summary(found.pk)
    return {
        **_tour_out(found, lang, len(stops)), "language": lang, "sources": found.sources,
        "scene_count": scene_count, "scenes_bytes": scenes_bytes,
        "package_bytes": selectors.tour_package_bytes(found, lang),
        "stops": [stop_out(request, s, lang) for s in stops],
    }


@router.get("/tours/{slug}/scenes", response={200: GuideScenesOut, **ANSWERS}, operation_id="guide_tour_scenes",
            summary="A tour's 360° scenes: panoramas, opening views, ways between them, information spots")
def tour_scenes(request: HttpRequest, slug: Slug, lang: str | None = None) -> Any:
    lang = _lang(request, lang)
    found = selectors.tour_scenes(slug)
    if found is None:
        raise Http404(f"No published guided tour “{slug}”.")
    nodes = selectors.scene_nodes(found[1], lang, url=request.build_absolute_uri)
    return {"tour": slug, "language": lang,
            "scenes": [{**n, "narration": narrated_out(request, n["narration"])} for n in nodes]}


@router.get("/stops/{qr}", response={200: GuideStopOut, **ANSWERS}, operation_id="guide_stop",
            summary="The stop whose sign carries this QR id (or the tour's code and keypad number)")
def stop_by_code(request: HttpRequest, qr: Code, lang: str | None = None) -> Any:
    found = selectors.stop_by_code(qr)
    if found is None:
        raise Http404(f"No stop with the code “{qr}”.")
    return stop_out(request, found, _lang(request, lang))


@router.get("/places/{slug}/narration", response={200: GuideNarrationOut, **ANSWERS},
            operation_id="guide_place_narration", summary="A place's short narration in a language")
def place_narration(request: HttpRequest, slug: Slug, lang: str | None = None) -> Any:
    place = Place.objects.filter(slug=slug, status=Status.PUBLISHED).only("pk").first()
    narration = selectors.place_narration(place.pk) if place else None
    out = narration_out(request, narration, _lang(request, lang)) if narration else None
    if out is None:
        raise Http404(f"No narration for “{slug}”.")
    return out


@router.get("/clips/{clip_id}/transcript.vtt", response={200: str, **ANSWERS},
            operation_id="guide_transcript", summary="A clip's WebVTT transcript",
            openapi_extra={"responses": {200: {"content": {"text/vtt": {"schema": {"type": "string"}}}}}})
def transcript(request: HttpRequest, clip_id: ClipId) -> HttpResponse:
    published = Q(stop__tour__status=Status.PUBLISHED, stop__tour__place__status=Status.PUBLISHED) | Q(
        narration__place__status=Status.PUBLISHED) | Q(scene__tour__status=Status.PUBLISHED,
                                                       scene__tour__place__status=Status.PUBLISHED)
    clip = Clip.objects.filter(published, pk=clip_id, state=Clip.State.READY).exclude(transcript="").first()
    if clip is None:
        raise Http404("No transcript.")
    response = HttpResponse(clip.transcript, content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


@router.post("/listens", response={204: None, 404: api_schemas.ErrorOut, 422: api_schemas.ErrorOut,
                                    429: api_schemas.ErrorOut},
             operation_id="guide_listen", summary="Count one listening (anonymous: nothing about the listener)")
def listen(request: HttpRequest, payload: GuideListenIn) -> Any:
    address = request.META.get("REMOTE_ADDR")
    wait = ratelimit.hit(f"guide-listen:{address}", limit=settings.GUIDE_LISTENS_PER_MINUTE)
    if wait is not None:
        return Answer(429, {"detail": "rate_limited", "message": f"Too many counts; try again in {wait} s."})
    if payload.language not in LANG_CODES:
        return Answer(422, {"detail": [{"loc": ["body", "language"], "msg": "unknown language"}],
                            "message": f"Unknown language “{payload.language}”."})
    if payload.qr:
        found = selectors.stop_by_code(payload.qr)
        if found is None:
            raise Http404(f"No stop with the code “{payload.qr}”.")
        services.listen_record(stop=found, language=payload.language)
        return Answer(204, None)
    narration = Narration.objects.filter(place__slug=payload.place, place__status=Status.PUBLISHED).first()
    if narration is None:
        return Answer(404, {"detail": "not_found", "message": "Give the stop's qr or a place with a narration."})
    services.listen_record(narration=narration, language=payload.language)
    return Answer(204, None)
