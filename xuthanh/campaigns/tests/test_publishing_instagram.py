"""Instagram through the queue, against the local Graph server's content-publishing contract (graph.py): a
container made from the picture's public address and the caption, published when FINISHED, the media id kept;
throttling, the 24-hour publishing limit, a picture Instagram could not fetch and a container not ready are
retried later; an expired token, a container in ERROR or an item without a picture fail with the reason."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image

from xuthanh.campaigns import publishing, services
from xuthanh.campaigns.models import Item
from xuthanh.campaigns.tests.graph import Graph
from xuthanh.campaigns.tests.test_campaigns import campaign  # noqa: F401 - the fixture
from xuthanh.campaigns.tests.test_publishing import later, photographed, scheduled  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(settings, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setattr(publishing, "WAITS", ())  # no pause between looks at a container
    with Graph() as server:
        settings.INSTAGRAM_USER_ID, settings.INSTAGRAM_TOKEN = server.ig_user_id, server.ig_token
        settings.FACEBOOK_GRAPH_URL = server.url
        yield server


def instagram_item(campaign, people) -> Item:  # noqa: F811, ANN001
    return scheduled(campaign, people, channel="instagram")


def test_a_due_item_is_published_once_from_its_picture_address(graph, campaign, people, photographed,  # noqa: F811, ANN001
                                                                client) -> None:  # noqa: ANN001
    item = instagram_item(campaign, people)
    assert services.publish_due(later(10)) == {"published": 1, "retry": 0, "failed": 0}
    item.refresh_from_db()
    container = graph.media[0]
    assert item.status == Item.Status.PUBLISHED and item.external_id == "18000000000000001"
    assert container["caption"] == item.text and container["status_code"] == "PUBLISHED"
    assert f"/go/{item.link.code}" in container["caption"]  # the short link, as text: captions have no links
    fetched = client.get(urlsplit(container["image_url"]).path)  # what Instagram would cURL
    assert fetched.status_code == 200 and Image.open(io.BytesIO(fetched.content)).size == (1200, 1500)
    assert services.publish_due(later(20))["published"] == 0 and len(graph.media) == 1 and len(graph.containers) == 1


def test_throttling_and_the_publishing_limit_are_retried_with_back_off(graph, campaign, people,  # noqa: F811, ANN001
                                                                        photographed) -> None:  # noqa: F811, ANN001
    item = instagram_item(campaign, people)
    graph.throttle = 613
    assert services.publish_due(later(10)) == {"published": 0, "retry": 1, "failed": 0}
    item.refresh_from_db()
    assert item.error.startswith("Instagram (613):") and item.next_attempt_at > later(10)
    assert services.publish_due(later(10))["retry"] == 0  # waits for its next attempt
    graph.throttle, graph.ig_limit = None, 0
    assert services.publish_due(later(12))["retry"] == 1
    item.refresh_from_db()
    assert "(9/2207042)" in item.error and "24 hours" in item.error and item.attempts == 2
    assert not graph.media
    graph.ig_limit = 100
    assert services.publish_due(later(60))["published"] == 1 and len(graph.media) == 1


def test_an_expired_token_fails_with_the_setting_to_fix(graph, campaign, people, photographed) -> None:  # noqa: F811, ANN001
    graph.ig_token = "renewed-elsewhere"
    item = instagram_item(campaign, people)
    assert services.publish_due(later(10))["failed"] == 1
    item.refresh_from_db()
    assert item.status == Item.Status.FAILED and "(190)" in item.error and "INSTAGRAM_TOKEN" in item.error
    assert not graph.containers


def test_an_item_without_a_picture_fails_without_a_call(graph, campaign, people) -> None:  # noqa: F811, ANN001
    item = instagram_item(campaign, people)
    assert item.photo is None
    assert services.publish_due(later(10)) == {"published": 0, "retry": 0, "failed": 1}
    item.refresh_from_db()
    assert item.status == Item.Status.FAILED and "needs a picture" in item.error and graph.calls == 0


def test_a_container_not_finished_is_tried_again_and_one_in_error_fails(graph, campaign, people,  # noqa: F811, ANN001
                                                                        photographed) -> None:  # noqa: F811, ANN001
    item = instagram_item(campaign, people)
    graph.container_status = "IN_PROGRESS"
    assert services.publish_due(later(10))["retry"] == 1
    assert "IN_PROGRESS" in Item.objects.get(pk=item.pk).error and not graph.media
    graph.container_status = "FINISHED"
    assert services.publish_due(later(15))["published"] == 1 and len(graph.media) == 1
    other = instagram_item(campaign, people)
    graph.container_status = "ERROR"
    assert services.publish_due(later(20))["failed"] == 1
    assert "ERROR" in Item.objects.get(pk=other.pk).error and len(graph.media) == 1


def test_a_picture_instagram_cannot_fetch_is_retried_and_names_site_url(graph, campaign, people,  # noqa: F811, ANN001
                                                                        photographed) -> None:  # noqa: F811, ANN001
    item = instagram_item(campaign, people)
    graph.fetchable = False
    assert services.publish_due(later(10))["retry"] == 1
    error = Item.objects.get(pk=item.pk).error
    assert "(9004/2207052)" in error and "SITE_URL" in error
