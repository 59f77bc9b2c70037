"""The 360° tours with the database: the shipped scenes loaded with sample panoramas and their hotspots, the
portal's view (flat without scripts, the viewer's import map admitted by its hash), the API, and the back
office: a panorama checked on upload (refused with the reason, nothing stored), hotspots placed in the
viewer, the opening view, and the unit's scope."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xuthanh.core.csp import script_hash
from xuthanh.guide import panorama, services
from xuthanh.guide.models import Hotspot, Scene, Stop, Tour


@pytest.fixture
def scenes(tours: int) -> int:
    return services.scenes_load(width=2048)


@pytest.fixture
def english(client: Any) -> Any:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def jpeg(width: int, height: int, *, gps: bool = False) -> bytes:
    img = Image.new("RGB", (width, height), (120, 140, 90))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (19.0, 55.0, 30.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_the_shipped_scenes_are_loaded_as_samples_with_their_ways_and_notes(scenes: int) -> None:
    assert scenes == 6
    for scene in Scene.objects.select_related("stop"):
        assert scene.is_sample and scene.stop and scene.stop.tour_id == scene.tour_id
        assert (scene.width, scene.height) == (2048, 1024)
        assert default_storage.exists(scene.display.name) and default_storage.exists(scene.preview.name)
        assert set(scene.translations.values_list("language_code", flat=True)) >= {"vi", "en", "zh-hans", "fr"}
    ways = Hotspot.objects.filter(target__isnull=False).select_related("scene", "target")
    assert ways.count() == 8 and all(w.target.tour_id == w.scene.tour_id for w in ways)
    notes = Hotspot.objects.filter(target__isnull=True)
    assert notes.count() == 10 and all(n.has_translation("vi") and n.has_translation("fr") for n in notes)
    assert services.scenes_load(width=2048) == 0  # kept: an officer may have put a photograph in


def test_a_scene_file_naming_a_missing_stop_says_where(tours: int, tmp_path: Path) -> None:
    path = tmp_path / "scenes_bad.toml"
    path.write_text('[[scene]]\ntour = "lam-kinh"\nslug = "x"\nstop = "nowhere"\ntitle = { vi = "X" }\n')
    with pytest.raises(services.GuideDataError, match="scenes_bad.toml, scene lam-kinh/x: no stop nowhere"):
        services.scenes_load([path], width=2048)
    assert not Scene.objects.exists()


def test_a_panorama_loses_the_cameras_position_and_replaces_the_old_files(
        scenes: int, django_capture_on_commit_callbacks: Any) -> None:
    scene = Scene.objects.get(tour__slug="lam-kinh", slug="chinh-dien")
    old = [scene.panorama.name, scene.display.name, scene.preview.name]
    with django_capture_on_commit_callbacks(execute=True):  # the old files go once the change is committed
        services.scene_panorama_set(scene, jpeg(2400, 1200, gps=True), filename="hall.jpg")
    with default_storage.open(scene.panorama.name) as handle, Image.open(handle) as img:
        assert 0x8825 not in img.getexif()
    assert (scene.width, scene.height) == (2400, 1200)
    assert not any(default_storage.exists(name) for name in old)
    with pytest.raises(services.PanoramaRefused, match="twice as wide"):
        services.scene_panorama_set(scene, jpeg(2400, 1600))
    scene.refresh_from_db()
    assert scene.width == 2400 and default_storage.exists(scene.display.name)  # the refusal changed nothing


def test_the_360_page_shows_every_scene_flat_and_admits_only_its_import_map(scenes: int, client: Any) -> None:
    response = client.get("/fr/audio-tours/thanh-nha-ho/360/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="pano-flat"' in page and "preview/thanh-nha-ho-cong-nam" in page  # the first scene, flat
    assert page.count('<li id="scene-') == 3 and "Les dragons de pierre" in page
    assert 'href="?scene=cong-bac"' in page and "<audio" not in page or "transcript" in page
    importmap = re.search(r'<script type="importmap">(.*?)</script>', page, re.S).group(1)
    assert "vendor/psv/virtual-tour-plugin/index.module.js" in importmap
    policy = response["Content-Security-Policy"]
    assert f"'{script_hash(importmap)}'" in policy and "unsafe-inline" not in policy.split(";")[1]
    assert 'aria-current="true"' in client.get("/fr/audio-tours/thanh-nha-ho/360/?scene=cong-bac").content.decode(
    ).split('id="scene-cong-bac"')[1].split(">")[0]
    assert client.get("/vi/audio-tours/thanh-nha-ho/").content.decode().count("/vi/audio-tours/thanh-nha-ho/360/") == 1
    assert client.get("/vi/audio-tours/bien-sam-son/360/").status_code == 404  # no scenes
    assert client.get("/vi/audio-tours/nowhere/360/").status_code == 404


def test_the_360_page_costs_the_same_queries_with_more_hotspots(scenes: int, client: Any,
                                                                  django_assert_max_num_queries: Any) -> None:
    client.get("/vi/audio-tours/lam-kinh/360/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/vi/audio-tours/lam-kinh/360/")
    scene = Scene.objects.get(tour__slug="lam-kinh", slug="ngo-mon")
    for yaw in range(-150, 150, 30):
        services.hotspot_add(scene, yaw=yaw, pitch=0, language="vi", title=f"Điểm {yaw}", text="…")
    with CaptureQueriesContext(connection) as after:
        client.get("/vi/audio-tours/lam-kinh/360/")
    assert len(after) == len(before)


def test_the_api_gives_the_scenes_with_absolute_files_and_the_stops_narration(scenes: int, client: Any) -> None:
    body = client.get("/api/v1/guide/tours/lam-kinh/scenes?lang=zh-hans").json()
    assert body["tour"] == "lam-kinh" and [s["slug"] for s in body["scenes"]] == ["ngo-mon", "chinh-dien", "vinh-lang"]
    first = body["scenes"][0]
    assert first["panorama"].startswith("http://testserver/media/guide/panoramas/view/")
    assert first["title"] == "午门与龙庭" and first["language"] == "zh-hans" and first["sample"] is True
    assert first["links"] == [{"to": "chinh-dien", "yaw": 0.0, "pitch": 0.0, "title": "蓝京正殿"}]
    assert first["info"][0]["title"] == "龙庭" and first["narration"]["language"] == "zh-hans"
    assert first["stop"] == 2 and first["qr"] == "LKI-02"
    japanese = client.get("/api/v1/guide/tours/lam-kinh/scenes?lang=ja").json()["scenes"][0]
    assert japanese["language"] != "ja"  # no Japanese text: served in a fallback, and said so
    assert client.get("/api/v1/guide/tours/nowhere/scenes").status_code == 404


def test_an_unpublished_tours_scenes_are_not_served(scenes: int, client: Any) -> None:
    Tour.objects.filter(slug="lam-kinh").update(status="draft")
    assert client.get("/api/v1/guide/tours/lam-kinh/scenes").status_code == 404
    assert client.get("/vi/audio-tours/lam-kinh/360/").status_code == 404


def test_a_wrong_panorama_is_refused_on_upload_with_the_reason(scenes: int, people: dict, english: Any) -> None:
    english.force_login(people["dept_editor"])
    tour = Tour.objects.get(slug="lam-kinh")
    form = {"tour": tour.pk, "slug": "san-rong", "position": 4, "title": "Sân Rồng", "initial_yaw": 0,
            "initial_pitch": 0, "initial_zoom": 30, "credit": "Sở VHTTDL", "hotspots-TOTAL_FORMS": 0,
            "hotspots-INITIAL_FORMS": 0}
    for name, data, reason in [
        ("wide.jpg", jpeg(3000, 1000), "twice as wide as high"),
        ("small.jpg", jpeg(1200, 600), "at least 2000"),
        ("notes.jpg", b"%PDF-1.4 not an image", "Upload a valid image"),  # Django's own check first
    ]:
        page = english.post("/admin/guide/scene/add/?language=vi",
                            {**form, "panorama": SimpleUploadedFile(name, data, "image/jpeg")})
        assert page.status_code == 200 and reason in page.content.decode(), name
    assert not Scene.objects.filter(slug="san-rong").exists()
    done = english.post("/admin/guide/scene/add/?language=vi",
                        {**form, "panorama": SimpleUploadedFile("yard.jpg", jpeg(2400, 1200, gps=True), "image/jpeg")})
    assert done.status_code == 302
    scene = Scene.objects.get(slug="san-rong")
    assert scene.display and scene.preview and scene.width == 2400 and not scene.is_sample
    with default_storage.open(scene.panorama.name) as handle, Image.open(handle) as img:
        assert 0x8825 not in img.getexif()


def test_hotspots_and_the_opening_view_are_placed_in_the_viewer(scenes: int, people: dict, english: Any) -> None:
    english.force_login(people["dept_editor"])
    scene = Scene.objects.get(tour__slug="thanh-nha-ho", slug="cong-bac")
    url = f"/admin/guide/scene/{scene.pk}/author/"
    page = english.get(url + "?language=fr")
    html = page.content.decode()
    importmap = re.search(r'<script type="importmap">(.*?)</script>', html, re.S).group(1)
    assert page.status_code == 200 and f"'{script_hash(importmap)}'" in page["Content-Security-Policy"]
    assert "La muraille" in html and "guide/pano-author.js" in html
    refused = english.post(url, {"action": "hotspot", "yaw": 12.5, "pitch": 3, "language": "vi", "title": ""})
    assert "needs a title" in refused.content.decode()
    target = Scene.objects.get(tour__slug="thanh-nha-ho", slug="cong-nam")
    english.post(url, {"action": "hotspot", "yaw": -100.25, "pitch": -4, "language": "vi", "target": target.pk})
    english.post(url, {"action": "hotspot", "yaw": 12.5, "pitch": 3, "language": "en", "title": "Moat",
                       "text": "A moat ran about fifty metres from the wall."})
    spots = {(s.yaw, s.target_id) for s in scene.hotspots.all()}
    assert (-100.25, target.pk) in spots and (12.5, None) in spots
    note = scene.hotspots.get(yaw=12.5)
    assert note.safe_translation_getter("title", language_code="en") == "Moat"
    foreign = Scene.objects.get(tour__slug="lam-kinh", slug="ngo-mon")
    wrong = english.post(url, {"action": "hotspot", "yaw": 0, "pitch": 0, "language": "vi", "target": foreign.pk})
    assert wrong.status_code == 200 and not scene.hotspots.filter(target=foreign).exists()
    english.post(url, {"action": "initial", "initial_yaw": -45, "initial_pitch": 10, "initial_zoom": 60,
                       "language": "vi"})
    scene.refresh_from_db()
    assert (scene.initial_yaw, scene.initial_pitch, scene.initial_zoom) == (-45, 10, 60)
    bad = english.post(url, {"action": "initial", "initial_yaw": 400, "initial_pitch": 0, "initial_zoom": 30})
    assert bad.status_code == 200 and "180" in bad.content.decode()


def test_a_commune_cannot_author_another_places_scenes(scenes: int, people: dict, english: Any) -> None:
    english.force_login(people["sam_son_editor"])
    scene = Scene.objects.get(tour__slug="lam-kinh", slug="ngo-mon")
    assert english.get(f"/admin/guide/scene/{scene.pk}/author/").status_code == 404
    assert english.post(f"/admin/guide/scene/{scene.pk}/author/",
                        {"action": "hotspot", "yaw": 0, "pitch": 0, "title": "x"}).status_code == 404
    assert not scene.hotspots.filter(yaw=0, target__isnull=True).exists()


def test_a_sample_is_stamped_so_no_one_takes_it_for_a_photograph() -> None:
    assert panorama.SAMPLE_TEXT == "MẪU · SAMPLE"


def test_the_old_files_stay_while_the_change_may_still_be_rolled_back(scenes: int) -> None:
    scene = Scene.objects.get(tour__slug="lam-kinh", slug="vinh-lang")
    old = scene.display.name
    services.scene_panorama_set(scene, jpeg(2400, 1200), filename="tomb.jpg")  # not committed (test transaction)
    assert default_storage.exists(old)


def test_a_way_to_another_tours_scene_is_refused_even_from_a_new_scene(scenes: int) -> None:
    from django.core.exceptions import ValidationError

    tour = Tour.objects.get(slug="lam-kinh")
    new = Scene(tour=tour, slug="new")  # not saved yet, as in the admin's add page with its hotspots
    elsewhere = Scene.objects.get(tour__slug="thanh-nha-ho", slug="cong-nam")
    with pytest.raises(ValidationError, match="another tour"):
        Hotspot(scene=new, target=elsewhere, yaw=0, pitch=0).clean()


def test_hotspots_are_edited_on_the_scenes_page_and_each_authoring_change_is_audited(
        scenes: int, people: dict, english: Any) -> None:
    from xuthanh.core.models import AuditEntry

    english.force_login(people["dept_editor"])
    scene = Scene.objects.get(tour__slug="lam-kinh", slug="chinh-dien")
    page = english.get(f"/admin/guide/scene/{scene.pk}/change/").content.decode()
    assert 'name="hotspots-TOTAL_FORMS"' in page and "Vĩnh Lăng" in page  # the inline, its targets
    assert "Thành nhà Hồ" not in page.split('name="hotspots-TOTAL_FORMS"')[1]  # no other tour's scenes
    english.post(f"/admin/guide/scene/{scene.pk}/author/", {"action": "hotspot", "yaw": 20, "pitch": 0,
                                                            "language": "vi", "title": "Bậc rồng đá"})
    entry = AuditEntry.objects.filter(object_id=str(scene.pk), content_type__model="scene").latest("pk")
    assert entry.actor == people["dept_editor"] and "Bậc rồng đá" in entry.note
    blank = Scene.objects.create(tour=scene.tour, slug="blank", panorama="guide/panoramas/none.jpg")
    assert english.get(f"/admin/guide/scene/{blank.pk}/author/").status_code == 404  # no copies to show


def test_a_scene_with_its_own_script_is_spoken_and_one_without_plays_its_stop(
        scenes: int, client: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    from xuthanh.guide import tasks
    from xuthanh.guide.models import Clip

    queued: list[int] = []
    monkeypatch.setattr(tasks, "clip_render_task", queued.append)  # the rendering itself: test_audio
    scene = Scene.objects.get(tour__slug="lam-kinh", slug="chinh-dien")
    with django_capture_on_commit_callbacks(execute=True):
        scene.set_current_language("vi")
        scene.script = "Đây là chính điện Lam Kinh, dựng lại từ năm 2010 trên nền cũ."
        scene.save()
    clip = Clip.objects.get(scene=scene, language="vi")
    assert queued == [clip.pk] and clip.state == Clip.State.PENDING
    Clip.objects.filter(pk=clip.pk).update(state=Clip.State.READY, audio="guide/audio/x.mp3", transcript="WEBVTT\n")
    body = client.get("/api/v1/guide/tours/lam-kinh/scenes?lang=vi").json()
    nodes = {n["slug"]: n for n in body["scenes"]}
    own = nodes["chinh-dien"]["narration"]
    assert own["script"].startswith("Đây là chính điện") and own["audio"]["transcript_url"].endswith(
        f"/clips/{clip.pk}/transcript.vtt")
    assert nodes["chinh-dien"]["qr"] == ""  # its own narration: not counted for the stop
    assert nodes["ngo-mon"]["narration"]["script"] == Stop.objects.get(qr="LKI-02").safe_translation_getter(
        "script", language_code="vi")  # no script of its own: the stop's
    assert client.get(f"/api/v1/guide/clips/{clip.pk}/transcript.vtt").status_code == 200
    english = client.get("/api/v1/guide/tours/lam-kinh/scenes?lang=en").json()["scenes"][1]["narration"]
    assert english["language"] == "vi" and english["fallback"]  # said so, never silently another language
