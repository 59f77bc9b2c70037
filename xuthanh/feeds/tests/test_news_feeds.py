"""/feeds/news.rss and /feeds/news.atom: published articles, one language per feed, optionally one commune."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings

from xuthanh.core.models import Status
from xuthanh.news.tests.factories import make_article

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own feed, in a test


@pytest.fixture
def articles(commune_sam_son):
    return {
        "vi_only": make_article("tin-noi-bo", {"vi": "Tin chỉ tiếng Việt"}),
        "both": make_article(
            "mua-du-lich-bien",
            {"vi": "Mùa du lịch biển", "en": "Beach season opens"},
            commune=commune_sam_son,
        ),
        "draft": make_article("nhap", {"vi": "Bản nháp", "en": "Draft"}, status=Status.DRAFT),
    }


def rss_items(client, **params):
    response = client.get("/feeds/news.rss", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse_xml(response.content).find("channel")
    return channel, channel.findall("item")


def test_rss_has_the_published_articles_of_each_language(client, articles):
    channel, items = rss_items(client, lang="en")
    assert channel.findtext("language") == "en"
    assert [i.findtext("title") for i in items] == ["Beach season opens"]
    assert items[0].findtext("link") == f"{settings.SITE_URL}/en/news/mua-du-lich-bien/"
    assert items[0].findtext("description") == "Beach season opens (summary en)"
    assert items[0].findtext("pubDate")
    channel, items = rss_items(client, lang="vi")
    assert {i.findtext("title") for i in items} == {"Tin chỉ tiếng Việt", "Mùa du lịch biển"}
    assert rss_items(client, lang="fr")[1] == []


def test_rss_per_commune(client, articles, commune_sam_son, commune_other):
    channel, items = rss_items(client, lang="vi", commune=str(commune_sam_son.code))
    assert [i.findtext("title") for i in items] == ["Mùa du lịch biển"]
    assert commune_sam_son.name in channel.findtext("title")
    assert rss_items(client, lang="vi", commune=str(commune_other.code))[1] == []


def test_atom_is_valid_xml_with_entries(client, articles):
    response = client.get("/feeds/news.atom", {"lang": "vi"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = parse_xml(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert {e.findtext(f"{ATOM}title") for e in entries} == {"Tin chỉ tiếng Việt", "Mùa du lịch biển"}
    ids = {e.findtext(f"{ATOM}id") for e in entries}
    assert len(ids) == 2 and all(i.startswith("tag:") for i in ids)
    assert all(e.find(f"{ATOM}author") is not None for e in entries)
    english = parse_xml(client.get("/feeds/news.atom", {"lang": "en"}).content)
    assert [e.findtext(f"{ATOM}title") for e in english.findall(f"{ATOM}entry")] == ["Beach season opens"]
