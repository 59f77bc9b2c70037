"""The app's own files: the shell page, the service worker and its precache, manifests per language, icons
and the UI strings."""

import json

import pytest
from django.test import override_settings
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_shell_is_one_small_cacheable_page_with_the_app_config(client):
    response = client.get("/app/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200 and "max-age" in response["Cache-Control"]
    html = response.content.decode()
    assert '<html lang="fr">' in html and 'href="/app/manifest.fr.webmanifest"' in html
    assert 'type="module"' in html and "<noscript>" in html
    config = json.loads(html.split('id="app-config" type="application/json">')[1].split("</script>")[0])
    assert [lang["code"] for lang in config["languages"]][:4] == ["vi", "en", "zh-hans", "fr"]
    assert config["sw"] == "/app/sw.js" and config["api"] == "/api/v1/"
    assert len(response.content) < 10_000


@pytest.mark.parametrize("path", ["/app/", "/app/sw.js", "/app/manifest.en.webmanifest"])
def test_the_app_files_answer_head_like_get_and_refuse_writes(client, path):
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == client.get(path)["Content-Type"]
    assert client.post(path).status_code == 405


def test_the_service_worker_precaches_the_shell_under_a_content_version(client):
    response = client.get("/app/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/app/" and response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    version = body.split('const VERSION = "')[1].split('"')[0]
    assert len(version) == 16
    precache = json.loads(body.split("const PRECACHE = ")[1].split(";\n")[0])
    assert "/app/" in precache and "/static/mobile/app.js" in precache and "/app/i18n/zh-hans.json" in precache
    for url in precache:  # every precached file exists, or the worker would never install
        if url.startswith("/static/"):
            continue  # served by the static files app in the browser tests
        assert client.get(url).status_code == 200, url


def test_the_worker_is_a_module_with_background_sync_or_a_classic_script_without(client):
    module = client.get("/app/sw.js").content.decode()
    assert module.count('import ') == 2 and '"/static/mobile/sync.js"' in module
    assert 'addEventListener("sync"' in module and 'addEventListener("periodicsync"' in module
    classic = client.get("/app/sw.js", {"classic": "1"}).content.decode()
    assert "import " not in classic and '"use strict";' in classic and "periodicsync" not in classic
    assert classic.split("const PRECACHE = ")[1].split(";\n")[0] == module.split("const PRECACHE = ")[1].split(";\n")[0]


def test_the_version_changes_when_an_app_file_changes(tmp_path, settings):
    from xuthanh.mobile import views

    views.shell_version.cache_clear()
    before = views.shell_version()
    with override_settings(MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png"):
        views.shell_version.cache_clear()
        assert views.shell_version() != before
    views.shell_version.cache_clear()


@pytest.mark.parametrize("lang", ["vi", "en", "zh-hans", "fr"])
def test_a_manifest_per_language(client, lang):
    response = client.get(f"/app/manifest.{lang}.webmanifest")
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["lang"] == lang and data["scope"] == "/app/" and data["display"] == "standalone"
    assert data["start_url"].startswith("/app/") and data["name"] and data["short_name"] and data["description"]
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_the_manifest_is_translated_from_the_apps_catalogue(client):
    names = {lang: client.get(f"/app/manifest.{lang}.webmanifest").json()["description"] for lang in ("en", "fr", "vi")}
    assert names["fr"] != names["en"] and names["vi"] != names["en"]


def test_an_unknown_language_or_icon_is_404(client):
    assert client.get("/app/manifest.xx.webmanifest").status_code == 404
    assert client.get("/app/i18n/xx.json").status_code == 404
    assert client.get("/app/icons/nope.png").status_code == 404


@pytest.mark.parametrize(("name", "size"), [("icon-192", 192), ("icon-512", 512), ("maskable-512", 512)])
def test_icons_are_pngs_of_their_size(client, name, size):
    import io

    response = client.get(f"/app/icons/{name}.png")
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (size, size) and image.format == "PNG"


def test_ui_strings_come_from_the_djangojs_catalogue(client):
    fr = client.get("/app/i18n/fr.json").json()
    assert fr["catalog"]["Search"] == "Rechercher"
    assert "plural" in fr
    assert client.get("/app/i18n/en.json").json()["catalog"] == {}
