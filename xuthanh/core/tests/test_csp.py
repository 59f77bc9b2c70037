"""The Content-Security-Policy of the HTML pages (core.csp): scripts from the site only, no inline script, the
map tiles' origin allowed for images and downloads; widgets keep their own policy; JSON answers carry none."""

import re

import pytest

from xuthanh.core.csp import policy, tile_origin


def test_the_tile_origin_comes_from_the_tile_template():
    assert tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"
    assert tile_origin("https://{s}.tiles.example.vn:8443/{z}/{x}/{y}.png") == "https://*.tiles.example.vn:8443"
    assert tile_origin("/tiles/{z}/{x}/{y}.png") == ""  # our own server: 'self' covers it


def test_the_policy_allows_no_inline_script():
    text = policy("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    directives = dict(part.split(" ", 1) for part in text.split("; "))
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in directives["script-src"] and "unsafe-eval" not in text
    assert "https://tile.openstreetmap.org" in directives["img-src"] and "https://tile.openstreetmap.org" in directives[
        "connect-src"
    ]
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_photos_on_another_origin_are_allowed_as_images_only():
    """Media on an S3 bucket are served from its origin: images may come from there, nothing else may."""
    text = policy("/tiles/{z}/{x}/{y}.png", "https://media.example.vn")
    directives = dict(part.split(" ", 1) for part in text.split("; "))
    assert directives["img-src"] == "'self' data: blob: https://media.example.vn"
    assert "media.example.vn" not in directives["connect-src"] + directives["script-src"]


def test_the_media_origin_is_where_the_storage_serves_files(settings):
    from xuthanh.core.csp import media_origin

    assert media_origin() == ""  # local media: this site
    pytest.importorskip("storages", reason="django-storages is missing: pip install -e '.[dev]'")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "media", "endpoint_url": "https://s3.example.vn:9000", "region_name": "x",
                        "access_key": "k", "secret_key": "s", "querystring_auth": False},
        },
    }
    assert media_origin() == "https://s3.example.vn:9000"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/vi/", "/en/places/thanh-nha-ho/", "/app/", "/admin/login/"])
def test_every_html_page_carries_the_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    if path == "/app/":  # the app's shell admits its import map (the 360° viewer's packages) by its hash
        assert re.match(r"default-src 'self'; script-src 'self' 'sha256-[A-Za-z0-9+/=]+';", policy), policy
    else:
        assert policy.startswith("default-src 'self'; script-src 'self';")


@pytest.mark.django_db
def test_widgets_keep_their_own_policy_and_json_gets_none(client):
    assert client.get("/widgets/events")["Content-Security-Policy"].startswith("default-src 'none'")
    assert "Content-Security-Policy" not in client.get("/api/v1/places")


def test_an_inline_script_is_admitted_by_its_hash_only():
    """The 360° viewer's import map: that exact text runs, no other inline script; panoramas on the media
    origin may be downloaded by its scripts."""
    import base64
    import hashlib

    from xuthanh.core.csp import allow_inline_script

    text = '{"imports": {"three": "/static/vendor/three/three.module.min.js"}}'
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    directives = dict(part.split(" ", 1) for part in policy("/t/{z}/{x}/{y}.png", "https://m.example.vn", (text,),
                                                            fetch_media=True).split("; "))
    assert directives["script-src"] == f"'self' 'sha256-{digest}'"
    assert "https://m.example.vn" in directives["connect-src"]

    from django.http import HttpResponse

    response = allow_inline_script(HttpResponse("<p>x</p>"), text)
    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
