"""Publishing from the queue at the scheduled time, against a local server speaking the Graph API's documented
contract: posted with the short link; throttling and server errors retried later with back-off; an expired
token, a duplicate or a text too long failed with the network's reason; never lost, never posted twice. And
what every adapter is given: a `Post` with the title, the picture and its signed public address, served at
/go/-/picture/<token>.jpg (a forged or stale token: 404). Instagram, Zalo and WeChat: test_publishing_*.py."""

from __future__ import annotations

import datetime as dt
import io
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from xuthanh.campaigns import publishing, services
from xuthanh.campaigns.models import Item
from xuthanh.campaigns.tests.graph import Graph
from xuthanh.campaigns.tests.test_campaigns import campaign  # noqa: F401 - the fixture
from xuthanh.catalog.models import Photo, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def graph(settings):  # noqa: ANN001, ANN201
    with Graph() as server:
        settings.FACEBOOK_PAGE_ID, settings.FACEBOOK_PAGE_TOKEN = server.page_id, server.token
        settings.FACEBOOK_GRAPH_URL = server.url
        yield server


@pytest.fixture
def photographed() -> Photo:
    """Thành nhà Hồ with a landscape photo (4:3), so that items built from it have a picture to cut."""
    return add_photo(Place.objects.get(slug="thanh-nha-ho"))


def add_photo(place: Place, colour: tuple[int, int, int] = (150, 140, 120)) -> Photo:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), colour).save(out, format="JPEG")
    photo = Photo(place=place, author="Lê Văn Ảnh", licence=Photo.Licence.CC_BY, width=1600, height=1200)
    photo.set_current_language("vi")
    photo.caption = "Cổng Nam"
    photo.image.save("cong-nam.jpg", ContentFile(out.getvalue()), save=False)
    photo.save()
    return photo


def scheduled(campaign, people, *, text: str | None = None, channel: str = "facebook",  # noqa: F811, ANN001
              language: str = "en") -> Item:
    item = services.make_item(campaign, people["dept_editor"], channel=channel, language=language,
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


def test_every_network_needs_all_its_credentials(settings) -> None:  # noqa: ANN001
    settings.INSTAGRAM_USER_ID, settings.INSTAGRAM_TOKEN = "178414", ""
    settings.ZALO_OA_TOKEN = ""
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET = "wx1", ""
    assert [publishing.publisher_for(c) for c in ("instagram", "zalo", "wechat", "qq")] == [None] * 4
    settings.INSTAGRAM_TOKEN, settings.ZALO_OA_TOKEN, settings.WECHAT_APP_SECRET = "t", "z", "s"
    assert isinstance(publishing.publisher_for("instagram"), publishing.InstagramAccount)
    assert isinstance(publishing.publisher_for("zalo"), publishing.ZaloOfficialAccount)
    assert isinstance(publishing.publisher_for("wechat"), publishing.WeChatOfficialAccount)
    assert publishing.publisher_for("qq") is None  # no official publishing API: by hand


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
    assert item.status == Item.Status.SCHEDULED and item.error.startswith("Facebook (2):")
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


def test_an_address_that_is_not_http_fails_without_a_call(graph, campaign, people, settings) -> None:  # noqa: F811, ANN001
    settings.FACEBOOK_GRAPH_URL = "file:///etc"
    item = scheduled(campaign, people)
    assert services.publish_due(later(10))["failed"] == 1
    assert "FACEBOOK_GRAPH_URL" in Item.objects.get(pk=item.pk).error and graph.calls == 0


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


class Recorder:
    """A publisher that keeps what it is given."""

    name = "recorder"

    def __init__(self) -> None:
        self.posts: list[publishing.Post] = []

    def publish(self, post: publishing.Post) -> str:
        self.posts.append(post)
        return "rec-1"


def test_a_publisher_is_given_the_title_the_picture_and_its_address(campaign, people, photographed, client,  # noqa: F811, ANN001
                                                                     monkeypatch) -> None:  # noqa: ANN001
    recorder = Recorder()
    monkeypatch.setattr(publishing, "publisher_for", lambda channel: recorder)
    item = scheduled(campaign, people, channel="instagram", language="fr")
    assert services.publish_due(later(10))["published"] == 1
    post = recorder.posts[0]
    place = Place.objects.get(slug="thanh-nha-ho")
    place.set_current_language("fr")
    assert post.title == place.safe_translation_getter("name") and post.text == item.text
    assert post.link.endswith(f"/go/{item.link.code}")
    assert Image.open(io.BytesIO(post.picture)).size == (1200, 1500)  # Instagram's 4:5, as JPEG
    fetched = client.get(urlsplit(post.picture_url).path)
    assert fetched.status_code == 200 and fetched["Content-Type"] == "image/jpeg"
    assert fetched["Cache-Control"] == "public, max-age=86400" and fetched.content == post.picture
    assert Item.objects.get(pk=item.pk).external_id == "rec-1"


def test_an_item_without_a_photo_is_given_no_picture(campaign, people, monkeypatch) -> None:  # noqa: F811, ANN001
    recorder = Recorder()
    monkeypatch.setattr(publishing, "publisher_for", lambda channel: recorder)
    scheduled(campaign, people)
    services.publish_due(later(10))
    assert recorder.posts[0].picture is None and recorder.posts[0].picture_url is None


def test_the_picture_address_cannot_be_forged_nor_outlive_its_photo(campaign, people, photographed, client) -> None:  # noqa: F811, ANN001, E501
    item = scheduled(campaign, people, channel="zalo")
    path = urlsplit(publishing.picture_url(item)).path
    assert path.startswith("/go/-/picture/") and path.endswith(".jpg")
    answer = client.get(path)
    assert answer.status_code == 200 and Image.open(io.BytesIO(answer.content)).format == "JPEG"
    token = path.removeprefix("/go/-/picture/").removesuffix(".jpg")
    other = Item.objects.exclude(pk=item.pk).first() or item
    forged = [f"{item.pk}-{item.photo_id}.AAAA", f"{other.pk + 1}-{item.photo_id}.{token.split('.')[-1]}",
              signing.Signer(salt="another", sep=".").sign(f"{item.pk}-{item.photo_id}"), "x" * 60]
    for bad in forged:
        assert client.get(f"/go/-/picture/{bad}.jpg").status_code == 404
    Item.objects.filter(pk=item.pk).update(photo=add_photo(item.place, (10, 20, 30)))
    assert client.get(path).status_code == 404  # signed for the photo it had


def test_an_unreadable_photo_does_not_stop_the_queue(graph, campaign, people, photographed) -> None:  # noqa: F811, ANN001
    item = scheduled(campaign, people)
    photographed.image.storage.delete(photographed.image.name)
    assert services.publish_due(later(10))["published"] == 1  # Facebook does not need the picture
    assert Item.objects.get(pk=item.pk).status == Item.Status.PUBLISHED


def test_a_lost_answer_on_the_posting_call_is_not_posted_again(campaign, people, settings) -> None:  # noqa: F811, ANN001
    """No connection (or a timeout) on the call that makes the post: it may have been made, so the item fails
    and says so, rather than being posted twice by a retry."""
    from xuthanh.core.tests.localserver import LocalServer

    with LocalServer(BaseHTTPRequestHandler) as closed:  # a port that was ours a moment ago: now refusing
        port = closed.server_address[1]
    settings.FACEBOOK_PAGE_ID, settings.FACEBOOK_PAGE_TOKEN = "1234567890", "page-token"
    settings.FACEBOOK_GRAPH_URL = f"http://127.0.0.1:{port}"
    item = scheduled(campaign, people)
    assert services.publish_due(later(10)) == {"published": 0, "retry": 0, "failed": 1}
    item.refresh_from_db()
    assert item.status == Item.Status.FAILED and "may have been made" in item.error
    assert item.text and not item.published_text  # its text kept; not marked published
