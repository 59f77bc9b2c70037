"""The mobile app (/app/) in a real browser: its service worker installs, the catalogue is stored in IndexedDB,
and with the network cut (`context.set_offline`) the app still starts, searches without accents and opens a
place and a saved trip; back online, an edited place shows updated after the background sync. Also: the
browser's language, a damaged offline store rebuilt, an area downloaded (tiles stored, listed, deleted), a full
phone explained, and the service worker's background sync updating the store while the app is closed."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.e2e.browser import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SYNCED = "body[data-sync='done']"
READY = "body[data-ready='1']"


def in_thread(work: Callable[[], Any]) -> Any:
    """Run ORM code outside the thread that Playwright's event loop holds (Django refuses it there)."""

    def run() -> Any:
        from django.db import connection

        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def app_context(browser, live_server) -> Iterator:
    """A phone-sized context that reaches only the live server (map tiles are aborted); fails the test on a
    script error of the app."""

    def make(locale: str = "en-GB"):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": 412, "height": 860}, service_workers="allow"
        )
        context.set_default_timeout(20_000)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url)
                      else route.abort())
        made.append(context)
        return context

    made: list = []
    errors: list[str] = []
    make.errors = errors  # type: ignore[attr-defined]
    yield make
    for context in made:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


def open_app(context, errors: list[str], path: str = "/app/"):
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path)
    page.wait_for_selector(SYNCED)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_for(page, "navigator.serviceWorker.controller !== null")
    return page


def go(page, hash_path: str) -> None:
    page.evaluate("path => { location.hash = path; }", hash_path)
    wait_for(page, "path => document.body.dataset.route === path", arg=hash_path.split("?")[0][2:])


def plan_trip(page) -> str:
    start = dt.date.today().isoformat()
    response = page.request.post(
        "/api/v1/trips",
        data={"start_date": start, "end_date": start, "start": {"place": "ga-thanh-hoa"}, "lang": "en"},
    )
    assert response.status == 201, response.text()
    return response.json()["token"]


def test_installed_app_searches_opens_a_place_and_a_saved_trip_offline_then_syncs_an_edit(app_context):
    context = app_context()
    page = open_app(context, app_context.errors)
    assert page.locator("h1").inner_text() == "Discover Thanh Hóa"
    stored = page.evaluate(
        "new Promise(r => { const q = indexedDB.open('xuthanh'); q.onsuccess = () => "
        "q.result.transaction('places').objectStore('places').count().onsuccess = e => r(e.target.result); })"
    )
    assert stored >= 50

    # A trip planned in the app is saved on the phone at once; a trip shared by link is saved with a tap.
    go(page, "#/trips")
    page.get_by_label("Number of days").select_option("1")
    page.get_by_role("button", name="Plan my trip").click()
    wait_for(page, "document.body.dataset.route.startsWith('trip/')", timeout=60_000)
    planned = page.evaluate("document.body.dataset.route.slice(5)")
    assert page.get_by_role("button", name=re.compile("Saved")).is_visible()
    token = plan_trip(page)
    page.goto(f"/app/#/trip/{token}")
    page.get_by_role("button", name="Save on this phone").click()
    page.get_by_role("button", name=re.compile("Saved")).wait_for()

    context.set_offline(True)
    page.reload()
    page.wait_for_selector(READY)
    assert page.locator("#net").inner_text() == "Offline"

    go(page, "#/search")
    page.get_by_label("Place, festival or specialty (with or without accents)").fill("thanh nha ho")
    first = page.locator("#results li a").first
    first.wait_for()
    assert "Hồ" in first.inner_text() and "Citadel" in first.inner_text()
    first.click()
    wait_for(page, "document.body.dataset.route === 'place/thanh-nha-ho'")
    assert "Citadel" in page.locator("h1").inner_text()
    assert page.get_by_text("Opening hours").is_visible()
    directions = page.get_by_role("link", name="Directions").get_attribute("href")
    assert "20." in directions and "105." in directions

    go(page, "#/trips")
    assert page.locator("#h-saved + ul li").count() == 2
    page.locator(f"#h-saved + ul a[href='#/trip/{planned}']").wait_for()
    page.locator(f"#h-saved + ul a[href='#/trip/{token}']").click()
    wait_for(page, "t => document.body.dataset.route === 'trip/' + t", arg=token)
    assert page.locator("ol.timeline li").count() >= 1
    assert page.get_by_role("button", name=re.compile("Saved")).is_visible()

    # Back online, an officer edits the place; the app's background sync brings only that change.
    def edit() -> str:
        from django.utils import timezone

        from xuthanh.catalog.models import Place

        place = Place.objects.get(slug="thanh-nha-ho")
        place.set_current_language("en")
        place.name = "Hồ Citadel (edited offline test)"
        place.updated_at = timezone.now()
        place.save()
        return place.name

    new_name = in_thread(edit)
    go(page, "#/place/thanh-nha-ho")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url) if "offline/catalogue" in request.url else None)
    context.set_offline(False)
    wait_for(page, "name => document.querySelector('main h1').textContent === name", arg=new_name)
    assert requests and all("since=" in url for url in requests)  # changes only, not everything again


def test_the_app_opens_in_the_browser_language_and_remembers_the_chosen_one(app_context):
    context = app_context("fr-FR")
    page = open_app(context, app_context.errors)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Découvrir Thanh Hóa"
    assert page.locator("link[rel=manifest]").get_attribute("href") == "/app/manifest.fr.webmanifest"
    go(page, "#/settings")
    page.get_by_label("Langue").select_option("vi")
    wait_for(page, "document.querySelector('main h1').textContent === 'Cài đặt'")  # Settings, in Vietnamese
    page.wait_for_selector(SYNCED)
    go(page, "#/")
    assert page.locator("h1").inner_text() == "Khám phá Thanh Hóa"
    page.reload()
    page.wait_for_selector(READY)
    assert page.locator("h1").inner_text() == "Khám phá Thanh Hóa"
    page.wait_for_selector(SYNCED)
    go(page, "#/search")
    page.locator("#q").fill("thanh nha ho")
    assert page.locator("#results li a").first.inner_text() == "Thành nhà Hồ"


def test_a_damaged_offline_store_is_rebuilt_and_never_leaves_a_blank_app(app_context):
    context = app_context()
    page = open_app(context, app_context.errors)
    page.evaluate(
        "new Promise(r => { const q = indexedDB.open('xuthanh'); q.onsuccess = () => { const tx = "
        "q.result.transaction('places', 'readwrite'); tx.objectStore('places').delete('thanh-nha-ho'); "
        "tx.oncomplete = () => { q.result.close(); r(true); }; }; })"
    )
    page.reload()
    page.wait_for_selector(READY)
    assert page.evaluate("document.body.dataset.store") == "damaged"
    assert "downloaded again" in page.locator("#toast").inner_text()
    assert page.locator("h1").inner_text() == "Discover Thanh Hóa"
    page.wait_for_selector(SYNCED)
    go(page, "#/place/thanh-nha-ho")
    assert "Citadel" in page.locator("h1").inner_text()


@pytest.fixture
def local_tiles(settings, live_server) -> str:
    """Map tiles from the live server itself (the app icon stands in for a tile): this browser reaches nothing
    else, and the download must store real answers."""
    settings.MAP_TILE_URL = f"{live_server.url}/app/icons/icon-192.png?z={{z}}&x={{x}}&y={{y}}"
    return settings.MAP_TILE_URL


def check_site_size(page) -> int:
    go(page, "#/place/thanh-nha-ho")
    page.get_by_role("link", name="Download this site").click()
    page.get_by_role("button", name=re.compile("Check the size of")).click()
    tiles = page.get_by_text(re.compile(r"map tiles \(about"))
    tiles.wait_for()
    assert page.get_by_text(re.compile(r"Total about")).is_visible()
    return int(tiles.inner_text().split()[0])


def test_an_area_shows_its_size_downloads_with_progress_and_can_be_deleted(app_context, local_tiles):
    context = app_context()
    page = open_app(context, app_context.errors)
    count = check_site_size(page)
    page.get_by_role("button", name="Download", exact=True).click()
    page.get_by_text("Saved for offline use.").wait_for()
    progress = page.locator("progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == str(count)
    stored = page.evaluate("caches.open('area:site:thanh-nha-ho').then(c => c.keys()).then(k => k.map(r => r.url))")
    assert len(stored) == count and all("icon-192.png?z=" in url for url in stored)
    saved = page.locator("#h-areas + div li")
    saved.first.wait_for()
    assert "Citadel" in saved.first.inner_text()
    page.get_by_role("button", name=re.compile("^Delete")).first.click()
    page.get_by_text("No area downloaded yet.").wait_for()
    assert page.evaluate("caches.keys().then(keys => keys.filter(k => k.startsWith('area:')).length)") == 0


def test_a_full_phone_is_explained_when_an_area_does_not_fit(app_context, local_tiles, live_server):
    context = app_context()
    page = open_app(context, app_context.errors)
    usage = page.evaluate("navigator.storage.estimate().then(e => e.usage)")
    cdp = context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": live_server.url, "quotaSize": usage + 1024})
    check_site_size(page)
    page.get_by_role("button", name="Download", exact=True).click()
    page.get_by_text(re.compile("no storage space left")).wait_for()
    assert page.get_by_role("button", name="Download", exact=True).is_enabled()  # free space, then try again
    go(page, "#/search")
    page.locator("#q").fill("ba trieu")
    assert "Triệu" in page.locator("#results li a").first.inner_text()  # the offline data is still usable


def test_the_service_worker_updates_the_offline_data_in_the_background_with_the_app_closed(app_context, live_server):
    context = app_context()
    app = open_app(context, app_context.errors)
    assert app.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/app/sw.js")  # the module worker
    app.close()  # the app is closed; an officer edits a place

    def edit() -> str:
        from django.utils import timezone

        from xuthanh.catalog.models import Place

        place = Place.objects.get(slug="den-ba-trieu")
        place.set_current_language("en")
        place.name = "Lady Triệu Temple (edited in the background test)"
        place.updated_at = timezone.now()
        place.save()
        return place.name

    new_name = in_thread(edit)
    observer = context.new_page()  # same origin, outside the app's scope: reads the store, runs no app code
    observer.goto("/healthz")
    read = (
        "() => new Promise(r => { const q = indexedDB.open('xuthanh'); q.onsuccess = () => "
        "q.result.transaction('places').objectStore('places').get('den-ba-trieu').onsuccess = "
        "e => { r(e.target.result.name); q.result.close(); }; })"
    )
    assert observer.evaluate(read) != new_name
    cdp = context.new_cdp_session(observer)
    registrations: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        if any(r["scopeURL"].endswith("/app/") for r in registrations):
            break
        observer.wait_for_timeout(100)
    registration = next(r for r in registrations if r["scopeURL"].endswith("/app/") and not r["isDeleted"])
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {"origin": live_server.url, "registrationId": registration["registrationId"], "tag": "catalogue",
         "lastChance": False},
    )
    wait_for(observer, f"async () => (await ({read})()) === {json.dumps(new_name)}")



def test_private_trip_answers_never_go_into_the_shared_cache(app_context):
    context = app_context()
    page = open_app(context, app_context.errors)
    go(page, "#/place/thanh-nha-ho")
    page.locator("#more p").first.wait_for()  # the description, read online through the worker
    token = plan_trip(page)
    go(page, f"#/trip/{token}")
    assert page.locator("ol.timeline li").count() >= 1
    kept = page.evaluate("caches.open('api').then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))")
    assert "/api/v1/places/thanh-nha-ho" in kept  # public answers: the offline fallback
    assert not [url for url in kept if url.startswith("/api/v1/trips")]  # a trip is private (no-store)

    # Offline, a trip that was only looked at is not on the phone; one saved is (IndexedDB, this phone only).
    context.set_offline(True)
    go(page, "#/trips")
    go(page, f"#/trip/{token}")
    assert "not saved on this phone" in page.locator("main .notice").inner_text()


def test_a_first_download_that_fails_is_explained_and_tried_again_in_english_for_a_japanese_phone(app_context):
    context = app_context("ja-JP")
    context.route("**/api/v1/offline/catalogue*", lambda route: route.abort("connectionreset"))
    page = context.new_page()
    page.on("pageerror", lambda error: app_context.errors.append(str(error)))
    page.goto("/app/")
    page.wait_for_selector("body[data-sync='failed']")
    assert page.locator("html").get_attribute("lang") == "en"  # not Vietnamese: the platform has no Japanese
    notice = page.locator("#no-data")
    assert "could not be downloaded yet" in notice.inner_text() and "signal" in notice.inner_text()
    context.unroute("**/api/v1/offline/catalogue*")
    page.get_by_role("button", name="Try again now").click()
    page.wait_for_selector(SYNCED)
    wait_for(page, "!document.getElementById('no-data')")
    go(page, "#/search")
    page.locator("#q").fill("ham rong")
    assert "Hàm Rồng" in page.locator("#results li a").first.inner_text()


@pytest.fixture
def new_deploy(settings):
    """Call to make the server answer as a new version of the app would (its files' hash changes)."""
    from xuthanh.mobile import views

    def deploy() -> str:
        settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"  # part of the version's hash
        views.shell_version.cache_clear()
        return views.shell_version()

    yield deploy
    views.shell_version.cache_clear()


def test_a_new_version_takes_over_at_the_next_screen_change_without_mixing_files(app_context, new_deploy):
    context = app_context()
    page = open_app(context, app_context.errors)
    old = page.evaluate("JSON.parse(document.getElementById('app-config').textContent).version")
    go(page, "#/trips")
    page.get_by_label("Number of days").select_option("2")  # something typed is never lost to an update
    version = new_deploy()
    assert version != old
    page.evaluate("navigator.serviceWorker.getRegistration('/app/').then(r => r.update())")
    page.wait_for_selector("body[data-update='ready']")
    assert "updated" in page.locator("#toast").inner_text()
    assert page.get_by_label("Number of days").input_value() == "2"
    # the old files are deleted as the new worker activates...
    wait_for(page, "async (old) => !(await caches.keys()).includes(old)", arg=f"shell-{old}")
    page.evaluate("location.hash = '#/search'")  # ...so the next tap loads the new version
    wait_for(page, "v => JSON.parse(document.getElementById('app-config').textContent).version === v", arg=version)
    wait_for(page, "document.body.dataset.route === 'search'")
    assert not page.evaluate("document.body.dataset.update")
    assert page.evaluate("caches.keys()").count(f"shell-{version}") == 1


def test_an_interrupted_area_download_resumes_with_only_the_missing_files(app_context, local_tiles):
    context = app_context()
    page = open_app(context, app_context.errors)
    count = check_site_size(page)
    page.get_by_role("button", name="Download", exact=True).click()
    page.get_by_text("Saved for offline use.").wait_for()
    # As if the signal had dropped half way: two files are missing; one kept file is marked.
    kept, first_missing = page.evaluate(
        "caches.open('area:site:thanh-nha-ho').then(async (c) => { const keys = await c.keys();"
        " await c.put(keys[0], new Response('kept from the first download'));"
        " await c.delete(keys[1]); await c.delete(keys[2]); return [keys[0].url, keys[1].url]; })"
    )
    check_site_size(page)
    page.get_by_role("button", name="Download", exact=True).click()
    page.get_by_text("Saved for offline use.").wait_for()
    stored = page.evaluate(
        "urls => caches.open('area:site:thanh-nha-ho').then(async (c) => [(await c.keys()).length,"
        " await (await c.match(urls[0])).text(), Boolean(await c.match(urls[1]))])",
        [kept, first_missing],
    )
    assert stored == [count, "kept from the first download", True]
