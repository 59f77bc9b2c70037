"""WeChat Official Account through the queue, against the local server's contract (wechat.py): the stable
access token fetched once and kept, the cover uploaded as permanent material, a draft with the title, digest,
HTML content, the short link as the original's address and the cover, then submitted for publication and its
publish_id kept; an expired token fetched anew once (a refused one: then failed with the settings to fix);
"system busy" and the daily quota retried later; an API not authorised, an address not whitelisted or an item
without a picture failed with the reason."""

from __future__ import annotations

import pytest

from xuthanh.campaigns import publishing, services
from xuthanh.campaigns.models import Item
from xuthanh.campaigns.tests.test_campaigns import campaign  # noqa: F401 - the fixture
from xuthanh.campaigns.tests.test_publishing import later, photographed, scheduled  # noqa: F401 - a fixture
from xuthanh.campaigns.tests.wechat import WeChat
from xuthanh.catalog.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def wechat(settings):  # noqa: ANN001, ANN201
    publishing._WECHAT_TOKENS.clear()  # a token kept by an earlier test's server (its port may come again)
    with WeChat() as server:
        settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = server.app_id, server.secret
        settings.WECHAT_API_URL = server.url
        yield server
    publishing._WECHAT_TOKENS.clear()


def wechat_item(campaign, people) -> Item:  # noqa: F811, ANN001
    return scheduled(campaign, people, channel="wechat", language="zh-hans")


def test_a_due_item_is_drafted_with_its_cover_and_submitted_once(wechat, campaign, people, photographed) -> None:  # noqa: F811, ANN001
    item = wechat_item(campaign, people)
    assert services.publish_due(later(10)) == {"published": 1, "retry": 0, "failed": 0}
    item.refresh_from_db()
    article = wechat.published[0]["articles"][0]
    place = Place.objects.get(slug="thanh-nha-ho")
    place.set_current_language("zh-hans")
    name = place.safe_translation_getter("name")
    assert item.status == Item.Status.PUBLISHED and item.external_id == "2247483648"
    assert article["title"] == name[:32] and article["content_source_url"].endswith(f"/go/{item.link.code}")
    assert article["content"].startswith("<p>") and len(article["digest"]) <= 128 and article["author"]
    cover = wechat.materials[article["thumb_media_id"]]
    assert cover["content_type"] == "image/jpeg" and cover["data"] == publishing.picture_of(item)
    assert name.encode() in wechat.draft_bodies[0] and b"\\u" not in wechat.draft_bodies[0]  # UTF-8, not escapes
    assert wechat.calls == ["/cgi-bin/stable_token", "/cgi-bin/material/add_material", "/cgi-bin/draft/add",
                            "/cgi-bin/freepublish/submit"]
    assert not wechat.drafts  # out of the draft box once published
    assert services.publish_due(later(20))["published"] == 0 and len(wechat.published) == 1


def test_the_token_is_kept_and_an_expired_one_fetched_again_once(wechat, campaign, people, photographed) -> None:  # noqa: F811, ANN001
    wechat_item(campaign, people)
    wechat_item(campaign, people)
    assert services.publish_due(later(10))["published"] == 2 and wechat.token_fetches == 1
    wechat.expire()
    third = wechat_item(campaign, people)
    assert services.publish_due(later(20))["published"] == 1 and wechat.token_fetches == 2
    assert Item.objects.get(pk=third.pk).status == Item.Status.PUBLISHED and len(wechat.published) == 3


def test_a_refused_token_is_fetched_again_once_then_fails(wechat, campaign, people, photographed) -> None:  # noqa: F811, ANN001
    item = wechat_item(campaign, people)
    wechat.refuse_tokens = True
    assert services.publish_due(later(10)) == {"published": 0, "retry": 0, "failed": 1}
    item.refresh_from_db()
    assert item.status == Item.Status.FAILED and item.error.startswith("WeChat (40001):")
    assert "WECHAT_APP_SECRET" in item.error and wechat.token_fetches == 2 and not wechat.materials


def test_system_busy_and_the_daily_quota_are_retried_with_back_off(wechat, campaign, people,  # noqa: F811, ANN001
                                                                   photographed) -> None:  # noqa: F811, ANN001
    item = wechat_item(campaign, people)
    wechat.busy = True
    assert services.publish_due(later(10)) == {"published": 0, "retry": 1, "failed": 0}
    item.refresh_from_db()
    assert item.error.startswith("WeChat (-1):") and item.next_attempt_at > later(10)
    wechat.busy, wechat.quota_reached = False, True
    assert services.publish_due(later(12))["retry"] == 1 and "(45009)" in Item.objects.get(pk=item.pk).error
    assert not wechat.published
    wechat.quota_reached = False
    assert services.publish_due(later(60))["published"] == 1 and len(wechat.published) == 1


@pytest.mark.parametrize(("switch", "code", "words"), [("unauthorised", "(48001)", "verified account"),
                                                       ("whitelisted", "(40164)", "IP whitelist"),
                                                       ("check_fails", "(53503)", "")])
def test_refusals_that_waiting_will_not_mend_fail_at_once(wechat, campaign, people, photographed,  # noqa: F811, ANN001
                                                          switch, code, words) -> None:  # noqa: ANN001
    setattr(wechat, switch, not getattr(wechat, switch))
    item = wechat_item(campaign, people)
    assert services.publish_due(later(10))["failed"] == 1
    item.refresh_from_db()
    assert item.status == Item.Status.FAILED and code in item.error and words in item.error
    assert not wechat.published


def test_wrong_credentials_name_the_setting(wechat, campaign, people, photographed, settings) -> None:  # noqa: F811, ANN001
    settings.WECHAT_APP_SECRET = "not-the-secret"
    item = wechat_item(campaign, people)
    assert services.publish_due(later(10))["failed"] == 1
    error = Item.objects.get(pk=item.pk).error
    assert "(40125)" in error and "WECHAT_APP_SECRET" in error and wechat.token_fetches == 0


def test_an_item_without_a_picture_fails_without_a_call(wechat, campaign, people) -> None:  # noqa: F811, ANN001
    item = wechat_item(campaign, people)
    assert services.publish_due(later(10))["failed"] == 1
    assert "WeChat needs a picture" in Item.objects.get(pk=item.pk).error and wechat.calls == []


def test_texts_are_cut_to_wechat_s_limits(wechat) -> None:  # noqa: ANN001
    account = publishing.WeChatOfficialAccount(wechat.app_id, wechat.secret, wechat.url)
    post = publishing.Post(text="清化省\n\n" + "胡朝城堡。" * 100, link="https://example.org/go/abc", title="胡" * 40,
                           picture=b"\xff\xd8\xff\xe0fake-jpeg")
    assert account.publish(post) == "2247483648"
    article = wechat.published[0]["articles"][0]
    assert article["title"] == "胡" * 31 + "…" and len(article["digest"]) == 120
