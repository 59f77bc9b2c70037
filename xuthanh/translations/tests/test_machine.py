"""Machine drafts through the LibreTranslate provider, against a local server speaking its documented API:
stored as machine drafts naming the engine; an engine that is down, slow, refusing or failing leaves the
record untouched and says why."""

import socket

import pytest
from django.test import override_settings

from xuthanh.catalog.models import Place
from xuthanh.core.models import TranslationStatus
from xuthanh.translations import machine, services
from xuthanh.translations.tests.engine import Engine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_back_office(client):
    """The back office answers in the browser's language (Vietnamese by default): these tests read English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _row(place, lang):
    return place.translations.filter(language_code=lang).values("name", "translation_status", "engine").first()


def test_a_draft_is_stored_as_a_machine_draft_naming_the_engine(people):
    place = Place.objects.get(slug="thanh-nha-ho")
    place.translations.filter(language_code="fr").delete()
    with Engine(api_key="k") as engine:
        provider = machine.LibreTranslate(engine.url, api_key="k")
        services.machine_draft(people["translator"], place, "fr", provider)
        sent = engine.requests[-1]
    assert sent["source"] == "vi" and sent["target"] == "fr" and sent["api_key"] == "k" and sent["format"] == "text"
    row = place.translations.get(language_code="fr")
    assert row.name == "[fr] Thành nhà Hồ"
    assert row.translation_status == TranslationStatus.MACHINE
    assert row.engine.startswith("LibreTranslate (127.0.0.1:")


def test_chinese_goes_by_the_engines_own_code(people):
    place = Place.objects.get(slug="lam-kinh")
    place.translations.filter(language_code="zh-hans").delete()
    with Engine() as engine:
        services.machine_draft(people["translator"], place, "zh-hans", machine.LibreTranslate(engine.url))
        assert engine.requests[-1]["target"] == "zh-Hans"


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda e: setattr(e, "api_key", "other"), "refused the key"),
        (lambda e: setattr(e, "limit", 0), "busy (too many requests)"),
        (lambda e: setattr(e, "fail", True), "answered 500: Cannot translate text"),
        (lambda e: setattr(e, "delay", 2.0), "did not answer within 0.5 seconds"),
    ],
    ids=["wrong key", "rate limited", "engine fails", "too slow"],
)
def test_an_engine_error_leaves_the_record_untouched(people, setup, message):
    place = Place.objects.get(slug="thanh-nha-ho")
    place.translations.filter(language_code="fr").delete()
    with Engine() as engine:
        setup(engine)
        with pytest.raises(machine.MachineError, match=message.replace("(", r"\(").replace(")", r"\)")):
            services.machine_draft(people["translator"], place, "fr", machine.LibreTranslate(engine.url, timeout=0.5))
    assert _row(place, "fr") is None


def test_an_engine_that_is_down_leaves_the_record_untouched(people):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    place = Place.objects.get(slug="thanh-nha-ho")
    services.save_translation(None, place, "en", {"name": "Old draft"}, reviewed=False)
    before = _row(place, "en")
    with pytest.raises(machine.MachineError, match="cannot be reached"):
        services.machine_draft(people["translator"], place, "en", machine.LibreTranslate(f"http://127.0.0.1:{port}"))
    assert _row(place, "en") == before


def test_a_language_the_engine_lacks_is_named(people):
    with Engine() as engine, pytest.raises(machine.MachineError, match="no model for de"):
        machine.LibreTranslate(engine.url).translate(["x"], "vi", "de")


def test_a_reviewed_current_translation_is_never_replaced(people):
    place = Place.objects.get(slug="thanh-nha-ho")
    services.save_translation(None, place, "en", {"name": "Citadel of the Hồ Dynasty"}, reviewed=True)
    with Engine() as engine, pytest.raises(machine.MachineError, match="reviewed and current"):
        services.machine_draft(people["translator"], place, "en", machine.LibreTranslate(engine.url))
    assert _row(place, "en")["name"] == "Citadel of the Hồ Dynasty"


def test_no_engine_by_default_and_the_environment_configures_one(people):
    assert machine.configured_provider() is None
    place = Place.objects.get(slug="thanh-nha-ho")
    with pytest.raises(machine.MachineError, match="No machine translation engine is configured"):
        services.machine_draft(people["translator"], place, "en")
    with override_settings(MACHINE_TRANSLATION_URL="http://mt.internal:5000/", MACHINE_TRANSLATION_KEY="s"):
        provider = machine.configured_provider()
    assert provider.url == "http://mt.internal:5000" and provider.api_key == "s"


def test_the_editor_shows_the_engines_message_and_stores_nothing(client, people):
    place = Place.objects.get(slug="thanh-nha-ho")
    place.translations.filter(language_code="fr").delete()
    client.force_login(people["translator"])
    with Engine() as engine:
        engine.fail = True
        with override_settings(MACHINE_TRANSLATION_URL=engine.url):
            response = client.post(f"/admin/desk/place/{place.pk}/fr/", {"action": "machine"}, follow=True)
    assert response.status_code == 200
    assert "Cannot translate text" in response.content.decode()
    assert _row(place, "fr") is None
