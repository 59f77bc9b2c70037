"""Widgets: framable only where meant to be, self-contained, escaped, limited; the loader and its help page."""

import pytest

from xuthanh.catalog.models import Event
from xuthanh.core.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def malicious_event(commune_sam_son):
    event = Event(
        slug="xss",
        kind=Event.Kind.EVENT,
        commune=commune_sam_son,
        recurrence=Event.Recurrence.SOLAR,
        month=1,
        day=1,
        status=Status.PUBLISHED,
        popularity=100,
    )
    event.set_current_language("en")
    event.name = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    event.save()
    return event


def test_events_widget_escapes_titles_and_can_be_framed(client, malicious_event, commune_sam_son):
    response = client.get("/widgets/events", {"lang": "en", "commune": commune_sam_son.code, "limit": 20})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html  # escaped as markupsafe writes it
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]  # no requests elsewhere
    assert response["Access-Control-Allow-Origin"] == "*"


def test_events_widget_lists_upcoming_events_within_the_limit(client):
    html = client.get("/widgets/events", {"lang": "en", "limit": 3}).content.decode()
    assert html.count("<li>") == 3 and '<html lang="en">' in html
    assert 'target="_blank"' in html and "http" not in html.split("<body>")[0].replace("http-equiv", "")
    vietnamese = client.get("/widgets/events", {"lang": "vi", "kind": "festival"}).content.decode()
    assert vietnamese.count("<li>") == 5 and "Lễ hội" in vietnamese


def test_places_widget_filters_and_speaks_the_language(client, commune_sam_son):
    response = client.get(
        "/widgets/places", {"lang": "en", "commune": commune_sam_son.code, "kind": "attraction"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "X-Frame-Options" not in response
    assert "Sầm Sơn Beach" in html and "/en/places/bien-sam-son/" in html
    assert "Citadel" not in html
    assert (
        "Hồ" in client.get("/widgets/places", {"lang": "en", "tag": "history", "limit": 20}).content.decode()
    )


def test_other_pages_still_refuse_framing(client):
    for url in ("/widgets/", "/feeds/places.geojson", "/widgets/embed.js"):
        assert client.get(url)["X-Frame-Options"] == "DENY", url


def test_embed_script_and_help_page(client):
    script = client.get("/widgets/embed.js")
    assert script.status_code == 200 and script["Content-Type"].startswith("text/javascript")
    body = script.content.decode()
    assert "document.currentScript" in body and "iframe" in body and "/widgets/" in body
    page = client.get("/widgets/", {"lang": "en"}).content.decode()
    assert "http://127.0.0.1:8000/widgets/embed.js" in page or "/widgets/embed.js" in page
    assert "&lt;script src=" in page and 'data-kind="events"' in page
