"""Zalo Official Account articles through the queue, against the local server's contract (zalo.py): the
article made with the place's name, a description, the cover's public address and the text, its id kept (or
its token while Zalo still processes it, never made twice); the per-minute limit, the quota and a failing
gateway are retried later; an invalid token or an item without a picture fail with the reason."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from xuthanh.campaigns import publishing, services
from xuthanh.campaigns.models import Item
from xuthanh.campaigns.tests.test_campaigns import campaign  # noqa: F401 - the fixture
from xuthanh.campaigns.tests.test_publishing import later, photographed, scheduled  # noqa: F401 - a fixture
from xuthanh.campaigns.tests.zalo import Zalo
from xuthanh.catalog.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def zalo(settings, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setattr(publishing, "WAITS", ())
    with Zalo() as server:
        settings.ZALO_OA_TOKEN, settings.ZALO_OPENAPI_URL = server.token, server.url
        yield server


def zalo_item(campaign, people, language: str = "vi") -> Item:  # noqa: F811, ANN001
    return scheduled(campaign, people, channel="zalo", language=language)


def test_a_due_item_becomes_one_article_with_its_cover(zalo, campaign, people, photographed, client) -> None:  # noqa: F811, ANN001
    item = zalo_item(campaign, people)
    assert services.publish_due(later(10)) == {"published": 1, "retry": 0, "failed": 0}
    item.refresh_from_db()
    article = zalo.articles[0]
    place = Place.objects.get(slug="thanh-nha-ho")
    place.set_current_language("vi")
    assert item.status == Item.Status.PUBLISHED and item.external_id == "a00000001"
    assert article["title"] == place.safe_translation_getter("name") and article["status"] == "show"
    assert 0 < len(article["description"]) <= 300 and article["author"]
    assert f"/go/{item.link.code}" in article["body"][0]["content"]
    cover = client.get(urlsplit(article["cover"]["photo_url"]).path)  # what Zalo fetches
    assert cover.status_code == 200 and cover["Content-Type"] == "image/jpeg"
    assert services.publish_due(later(20))["published"] == 0 and len(zalo.articles) == 1


def test_an_article_still_processed_keeps_its_token_and_is_not_made_again(zalo, campaign, people,  # noqa: F811, ANN001
                                                                          photographed) -> None:  # noqa: F811, ANN001
    item = zalo_item(campaign, people)
    zalo.processing = True
    assert services.publish_due(later(10))["published"] == 1
    item.refresh_from_db()
    assert item.external_id in zalo.tokens and len(zalo.articles) == 1
    assert services.publish_due(later(30))["published"] == 0 and len(zalo.articles) == 1


def test_the_minute_limit_and_the_quota_are_retried_a_lost_answer_is_not(zalo, campaign, people,  # noqa: F811, ANN001
                                                                          photographed) -> None:  # noqa: F811, ANN001
    item = zalo_item(campaign, people)
    zalo.throttled = True
    assert services.publish_due(later(10)) == {"published": 0, "retry": 1, "failed": 0}
    item.refresh_from_db()
    assert item.error.startswith("Zalo (-32):") and item.next_attempt_at > later(10)
    zalo.throttled, zalo.quota = False, 0
    assert services.publish_due(later(12))["retry"] == 1 and "(-211)" in Item.objects.get(pk=item.pk).error
    zalo.quota = 10
    assert not zalo.articles
    assert services.publish_due(later(40))["published"] == 1 and len(zalo.articles) == 1
    # a gateway error on the creating call: Zalo may have made the article, so it is not made again
    again = zalo_item(campaign, people)
    zalo.fail = True
    assert services.publish_due(later(60)) == {"published": 0, "retry": 0, "failed": 1}
    failed = Item.objects.get(pk=again.pk)
    assert failed.status == Item.Status.FAILED and "may have been made" in failed.error


def test_an_invalid_token_fails_with_the_setting_to_fix(zalo, campaign, people, photographed, settings) -> None:  # noqa: F811, ANN001
    settings.ZALO_OA_TOKEN = "expired-yesterday"
    item = zalo_item(campaign, people)
    assert services.publish_due(later(10))["failed"] == 1
    item.refresh_from_db()
    assert item.status == Item.Status.FAILED and "(-216)" in item.error and "ZALO_OA_TOKEN" in item.error
    assert not zalo.articles


def test_an_item_without_a_picture_fails_without_a_call(zalo, campaign, people) -> None:  # noqa: F811, ANN001
    item = zalo_item(campaign, people)
    assert services.publish_due(later(10))["failed"] == 1
    assert "Zalo needs a picture" in Item.objects.get(pk=item.pk).error and zalo.calls == 0


def test_a_title_too_long_for_zalo_is_cut(zalo, photographed) -> None:  # noqa: F811, ANN001
    account = publishing.ZaloOfficialAccount(zalo.token, zalo.url)
    post = publishing.Post(text="Một đoạn văn.", link="https://example.org/go/abc", title="Ả" * 200,
                           picture=b"\xff\xd8\xff", picture_url="https://example.org/go/-/picture/x.jpg")
    assert account.publish(post).startswith("a")
    article = zalo.articles[0]
    assert article["title"] == "Ả" * 149 + "…" and "example.org/go/abc" in article["body"][0]["content"]
