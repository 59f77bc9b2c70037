"""The 360° tours (and the app's map of a tour's stops) in a real browser (Debian's Chromium, WebGL through its
software renderer): the tour loads in PhotoSphereViewer with nothing blocked by the page's policy, a way drawn
in the panorama leads to the next scene (the page and its address follow), the page's own scene links move the
viewer, an information spot opens its text; without WebGL the flat pictures remain and the links swap them;
the app shows a downloaded tour's scenes offline; in the back office a click in the panorama gives a
hotspot's direction; axe finds no serious violation on the page with the viewer."""

from __future__ import annotations

import pytest

from tests.e2e.browser import wait_for
from tests.e2e.test_accessibility import describe, serious_violations, with_axe
from tests.e2e.test_app_offline import in_thread
from tests.e2e.test_audio_guide import phone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PAGE = "/en/audio-tours/thanh-nha-ho/360/"
NODE = "() => window.xuthanhPano && window.xuthanhPano.tour.getCurrentNode()?.id"


@pytest.fixture
def scenes() -> int:
    def make() -> int:
        from xuthanh.guide import services

        services.tours_load()
        return services.scenes_load(width=2048)

    return in_thread(make)


def test_a_way_in_the_panorama_leads_to_the_next_scene(scenes, page):
    page.goto(PAGE)
    wait_for(page, f"() => ({NODE})() === 'cong-nam'")
    assert page.get_attribute("#pano", "data-mode") == "viewer"
    way = page.locator('#pano button[data-to="trung-tam"]')
    way.wait_for(state="visible")
    way.click()
    wait_for(page, f"() => ({NODE})() === 'trung-tam'")
    wait_for(page, "() => document.getElementById('scene-trung-tam').getAttribute('aria-current') === 'true'")
    assert "scene=trung-tam" in page.url
    assert page.get_attribute("#scene-cong-nam", "aria-current") is None
    page.click('#scene-cong-bac a[data-scene="cong-bac"]')  # the page's own link moves the viewer
    wait_for(page, f"() => ({NODE})() === 'cong-bac'")
    note = page.locator('[id^="psv-marker-info-"]').first
    note.wait_for(state="visible")
    note.click()
    wait_for(page, "() => document.querySelector('.psv-panel-content')?.textContent.includes('Thổ Tượng hill')")


def test_without_webgl_the_flat_pictures_remain_and_the_links_swap_them(scenes, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.add_init_script(
        "const get = HTMLCanvasElement.prototype.getContext;"
        "HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {"
        "  return /webgl/.test(kind) ? null : get.call(this, kind, ...rest); };")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(PAGE)
    wait_for(page, "() => document.getElementById('pano').dataset.mode === 'flat'")
    assert "preview/thanh-nha-ho-cong-nam" in page.get_attribute("img.pano-flat", "src")
    page.click('a[data-scene="cong-bac"]')
    wait_for(page, "() => document.querySelector('img.pano-flat').src.includes('thanh-nha-ho-cong-bac')")
    assert page.get_attribute("#scene-cong-bac", "aria-current") == "true" and "scene=cong-bac" in page.url
    context.close()
    assert not errors, errors


def test_a_click_in_the_authoring_viewer_gives_the_hotspots_direction(scenes, page):
    def officer() -> int:
        from django.contrib.auth import get_user_model

        from xuthanh.guide.models import Scene
        from xuthanh.orgs.models import Membership, Organisation, Role

        user = get_user_model().objects.create_user("scene_editor", password="correct horse battery")
        Membership.objects.create(user=user, role=Role.EDITOR,
                                  organisation=Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT))
        return Scene.objects.get(tour__slug="lam-kinh", slug="chinh-dien").pk

    pk = in_thread(officer)
    page.goto(f"/admin/login/?next=/admin/guide/scene/{pk}/author/")
    page.fill("#id_username", "scene_editor")
    page.fill("#id_password", "correct horse battery")
    page.click("input[type=submit]")
    page.wait_for_url(f"**/admin/guide/scene/{pk}/author/**")
    wait_for(page, "() => window.xuthanhPano && window.xuthanhPano.viewer.state.ready")  # clicks count once loaded
    box = page.locator("#pano").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the centre: the opening view
    wait_for(page, "() => document.querySelector('[name=yaw]').value !== ''")
    assert abs(float(page.input_value("[name=yaw]"))) < 3 and abs(float(page.input_value("[name=pitch]"))) < 3
    page.fill("[name=title]", "Cầu thang rồng đá")
    page.click("form.author-form input[type=submit]")
    page.wait_for_selector("ul.messagelist li.success")
    assert "Cầu thang rồng đá" in page.content()


def test_the_360_page_with_its_viewer_passes_axe(scenes, page, axe_source):
    with_axe(page, axe_source)
    page.goto(PAGE)
    wait_for(page, f"() => ({NODE})() === 'cong-nam'")
    page.locator('#pano button[data-to="trung-tam"]').wait_for(state="visible")
    found = serious_violations(page)
    assert not found, [describe(PAGE, v) for v in found]


def test_the_app_shows_a_downloaded_tours_scenes_offline(scenes, browser, live_server):
    context, page, errors = phone(browser, live_server)  # the app, on the Thành nhà Hồ tour's screen
    wait_for(page, "navigator.serviceWorker.controller !== null")
    page.wait_for_selector("#g-360")
    wait_for(page, "() => document.querySelectorAll('#g-map path').length === 6")  # the stops' map
    page.click("#g-download")
    wait_for(page, "() => document.getElementById('g-save').textContent.includes('Saved on this phone')")
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#g-360")
    page.click("#g-360")
    wait_for(page, "() => document.getElementById('pano')?.dataset.mode === 'viewer'")
    way = page.locator('#pano button[data-to="trung-tam"]')
    way.wait_for(state="visible")
    way.click()
    wait_for(page, "() => document.getElementById('pano').dataset.scene === 'trung-tam'")
    assert page.get_attribute("#p-scene-trung-tam", "aria-current") == "true"
    context.close()
    assert not errors, errors


def test_the_apps_360_screen_passes_axe(scenes, browser, live_server, axe_source):
    context, page, errors = phone(browser, live_server)
    with_axe(page, axe_source)
    page.evaluate("() => { location.hash = '#/pano/thanh-nha-ho'; }")
    page.reload()
    wait_for(page, "() => document.getElementById('pano')?.dataset.mode === 'viewer'")
    page.locator('#pano button[data-to="trung-tam"]').wait_for(state="visible")
    found = serious_violations(page)
    assert not found, [describe("#/pano/thanh-nha-ho", v) for v in found]
    context.close()
    assert not errors, errors
