"""Publishing from the queue at the scheduled time, against a local server speaking the Graph API's documented
contract: posted with the short link; throttling and server errors retried later with back-off; an expired
token, a duplicate or a text too long failed with the network's reason; never lost, never posted twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xuthanh.campaigns import publishing, services
from xuthanh.campaigns.models import Item
from xuthanh.campaigns.tests.graph import Graph
from xuthanh.campaigns.tests.test_campaigns import campaign  # noqa: F401 - the fixture
from xuthanh.catalog.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(settings):  # noqa: ANN001, ANN201
    with Graph() as server:
        settings.FACEBOOK_PAGE_ID, settings.FACEBOOK_PAGE_TOKEN = server.page_id, server.token
        settings.FACEBOOK_GRAPH_URL = server.url
        yield server


def scheduled(campaign, people, *, text: str | None = None) -> Item:  # noqa: F811, ANN001
    item = services.make_item(campaign, people["dept_editor"], channel="facebook", language="en",
                              place=Place.objects.get(slug="thanh-nha-ho"))
    if text is not None:
        Item.objects.filter(pk=item.pk).update(text=text)
        item.refresh_from_db()
    services.approve(item, people["admin"])
    return services.schedule(Item.objects.get(pk=item.pk), people["admin"], timezone.now() + dt.timedelta(minutes=5))


def later(minutes: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_nothing_is_sent_without_credentials(campaign, people, settings) -> None:  # noqa: F811, ANN001
    settings.FACEBOOK_PAGE_TOKEN = ""
    item = scheduled(campaign, people)
    assert publishing.publisher_for("facebook") is None
    assert services.publish_due(later(10)) == {"published": 0, "retry": 0, "failed": 0}
    assert Item.objects.get(pk=item.pk).status == Item.Status.SCHEDULED  # waits for the officer's package


def test_a_due_item_is_posted_once_with_its_short_link(graph, campaign, people) -> None:  # noqa: F811, ANN001
    item = scheduled(campaign, people)
    assert services.publish_due(later(1))["published"] == 0  # not yet its time
    assert services.publish_due(later(10))["published"] == 1
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED and item.external_id == f"{graph.page_id}_1"
    assert graph.posts[0]["link"].endswith(f"/go/{item.link.code}") and graph.posts[0]["message"] == item.text
    assert item.published_text == item.text
    assert services.publish_due(later(20))["published"] == 0 and len(graph.posts) == 1


def test_throttling_and_server_errors_are_retried_with_back_off(graph, campaign, people) -> None:  # noqa: F811, ANN001
    item = scheduled(campaign, people)
    graph.fail = True
    assert services.publish_due(later(10)) == {"published": 0, "retry": 1, "failed": 0}
    item.refresh_from_db()
    assert item.status == Item.Status.SCHEDULED and "retry" in item.error.lower() or "(2)" in item.error
    assert item.next_attempt_at > later(10)
    assert services.publish_due(later(10))["retry"] == 0  # waiting for its next attempt
    graph.fail, graph.limit = False, 0
    assert services.publish_due(later(12))["retry"] == 1 and "(4)" in Item.objects.get(pk=item.pk).error
    graph.limit = 10
    assert services.publish_due(later(60))["published"] == 1


def test_an_expired_token_fails_with_the_reason(graph, campaign, people) -> None:  # noqa: F811, ANN001
    graph.token = "renewed-elsewhere"
    item = scheduled(campaign, people)
    assert services.publish_due(later(10))["failed"] == 1
    item.refresh_from_db()
    assert item.status == Item.Status.FAILED and "FACEBOOK_PAGE_TOKEN" in item.error and "(190)" in item.error


def test_too_many_attempts_end_in_failed(graph, campaign, people, settings) -> None:  # noqa: F811, ANN001
    settings.CAMPAIGN_PUBLISH_ATTEMPTS = 2
    graph.fail = True
    item = scheduled(campaign, people)
    services.publish_due(later(10))
    services.publish_due(later(30))
    item.refresh_from_db()
    assert item.status == Item.Status.FAILED and item.attempts == 2


def test_a_campaign_edited_after_publishing_keeps_what_was_published(graph, campaign, people) -> None:  # noqa: F811, ANN001
    item = scheduled(campaign, people)
    services.publish_due(later(10))
    campaign.set_current_language("vi")
    campaign.title = "Đổi tên"
    campaign.save()
    item.refresh_from_db()
    assert item.published_text == graph.posts[0]["message"]
