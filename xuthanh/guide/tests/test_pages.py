"""The portal's audio-tour pages and the place page's "Listen" section: a player with captions once the audio
is ready, the transcript always, a visible note when the narration is in another language, a bounded number
of queries whatever the tour's size."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override as translation_override

from xuthanh.guide import services
from xuthanh.guide.models import Clip, Stop
from xuthanh.guide.tests.conftest import needs_audio


def test_the_tours_are_listed_in_the_pages_language(tours: int, client: Any) -> None:
    page = client.get("/fr/audio-tours/").content.decode()
    assert "Citadelle des Hồ" in page and "/fr/audio-tours/thanh-nha-ho/" in page


@needs_audio
def test_a_tour_page_plays_each_stop_with_captions_and_shows_its_map_and_transcript(tours: int, client: Any) -> None:
    stop = Stop.objects.get(qr="TNH-01")
    clip = services.clip_render(Clip.objects.create(stop=stop, language="en"))
    page = client.get("/en/audio-tours/thanh-nha-ho/").content.decode()
    assert f'src="{clip.audio.url}"' in page and f"/api/v1/guide/clips/{clip.pk}/transcript.vtt" in page
    assert 'data-listen-stop="TNH-01"' in page and 'id="tour-points"' in page
    assert 'href="/app/#/guide/thanh-nha-ho"' in page  # the walk with automatic play is the app's
    assert page.count("<details class=\"transcript\"") == 6  # every stop's text, audio or not
    assert "The audio is not ready yet" in page  # the five stops without audio say so
    assert "position estimated" in page and page.count("Machine translation, not yet reviewed.") == 1  # once


def test_a_stop_without_a_french_script_says_which_language_is_shown(tours: int, client: Any) -> None:
    Stop.objects.get(qr="HRO-02").translations.filter(language_code="fr").delete()
    page = client.get("/fr/audio-tours/ham-rong/").content.decode()
    assert 'class="lang-note"' in page and '<p lang="en">' in page


def test_the_tour_page_costs_the_same_queries_for_a_longer_tour(tours: int, client: Any) -> None:
    with CaptureQueriesContext(connection) as short:
        client.get("/vi/audio-tours/ham-rong/")  # 4 stops
    with CaptureQueriesContext(connection) as long:
        client.get("/vi/audio-tours/lam-kinh/")  # 7 stops
    assert len(long) == len(short)
    assert client.get("/vi/audio-tours/no-such-tour/").status_code == 404


def test_a_place_page_offers_its_narration_and_its_audio_tour(tours: int, client: Any) -> None:
    services.narrations_load()
    page = client.get("/vi/places/lam-kinh/").content.decode()
    assert 'id="h-listen"' in page and "/vi/audio-tours/lam-kinh/" in page
    assert "<details class=\"transcript\" open>" in page  # no audio yet: the text is open
    quiet = client.get("/vi/places/khach-san-muong-thanh-grand-thanh-hoa/")
    assert quiet.status_code in (200, 404) and 'id="h-listen"' not in quiet.content.decode()


def test_the_listen_section_reads_what_the_orm_reads_in_every_language(tours: int) -> None:
    """`place_listen` (prepared reads, on every place page) gives the narration, fallback language, machine flag,
    audio (a recording before the engine's) and tours that `narrated(place_narration(…))` and
    `tours_published()` give."""
    from xuthanh.catalog.models import Place
    from xuthanh.core.models import Status
    from xuthanh.guide import selectors
    from xuthanh.guide.models import Narration

    services.narrations_load()
    lam_kinh = Place.objects.get(slug="lam-kinh")
    narration = Narration.objects.get(place=lam_kinh)
    narration.translations.filter(language_code="fr").delete()  # French falls back
    engine = Clip.objects.create(narration=narration, language="en", state=Clip.State.READY, audio="a/e.mp3")
    recording = Clip.objects.create(narration=narration, language="en", state=Clip.State.READY, audio="a/r.mp3",
                                    origin=Clip.Origin.RECORDING)
    Clip.objects.create(narration=narration, language="vi", state=Clip.State.FAILED, audio="a/f.mp3")
    places = [lam_kinh, *Place.objects.filter(status=Status.PUBLISHED).exclude(pk=lam_kinh.pk)[:12]]
    for place in places:
        for lang in ("vi", "en", "fr", "zh-hans", "ko"):
            found, tours = selectors.place_listen(place.pk, lang)
            orm = selectors.place_narration(place.pk)
            expected = selectors.narrated(orm, lang) if orm else None
            assert found == expected, (place.slug, lang)
            with translation_override(lang):
                names = [(t.slug, t.name) for t in selectors.tours_published().filter(place_id=place.pk)]
            assert [(t.slug, t.name) for t in tours] == names, (place.slug, lang)
    found, tours = selectors.place_listen(lam_kinh.pk, "en")
    assert found.clip == recording and found.clip != engine and [t.slug for t in tours] == ["lam-kinh"]
    assert selectors.place_listen(lam_kinh.pk, "fr")[0].language == "en"
