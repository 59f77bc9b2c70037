"""RSS 2.0 and Atom feeds of published news, one language per feed (`?lang=`), optionally one commune."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from xuthanh.areas.models import Commune
from xuthanh.feeds.responses import absolute
from xuthanh.news.models import Article

FEED_SIZE = 50


@dataclass(frozen=True)
class NewsQuery:
    lang: str
    commune: Commune | None
    articles: QuerySet
    self_url: str


class NewsRss(Feed):
    """Called as `feed(request, query=NewsQuery(...))` inside translation.override(query.lang)."""

    feed_type = Rss201rev2Feed
    item_guid_is_permalink = False

    def get_object(self, request, query: NewsQuery) -> NewsQuery:  # noqa: ANN001 - Feed API
        return query

    def title(self, obj: NewsQuery) -> str:
        title = _("Xứ Thanh – Thanh Hóa tourism news")
        return f"{title} – {obj.commune.name}" if obj.commune else title

    def description(self, obj: NewsQuery) -> str:
        return _("News from the Thanh Hóa Department of Culture, Sports and Tourism and its partners.")

    subtitle = description

    def link(self, obj: NewsQuery) -> str:
        return absolute(reverse("portal:home"))

    def feed_url(self, obj: NewsQuery) -> str:
        return obj.self_url

    def items(self, obj: NewsQuery) -> list[Article]:
        articles = list(obj.articles[:FEED_SIZE])
        for article in articles:
            article.set_current_language(obj.lang)
        return articles

    def item_title(self, item: Article) -> str:
        return item.safe_translation_getter("title", default="")

    def item_description(self, item: Article) -> str:
        summary = item.safe_translation_getter("summary", default="")
        return summary or Truncator(item.safe_translation_getter("body", default="")).words(60)

    def item_link(self, item: Article) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item: Article) -> str:
        host = urlsplit(settings.SITE_URL).hostname or "xuthanh"
        return f"tag:{host},2025:news-{item.pk}-{item.get_current_language()}"

    def item_pubdate(self, item: Article):  # noqa: ANN201 - datetime
        return item.published_at

    def item_updateddate(self, item: Article):  # noqa: ANN201 - datetime
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author.name

    def item_categories(self, item: Article) -> list[str]:
        return [item.commune.name] if item.commune_id else []

    def item_enclosure_url(self, item: Article) -> str | None:
        return absolute(item.cover.url) if item.cover else None

    def item_enclosure_length(self, item: Article) -> int:
        try:
            return item.cover.size
        except (OSError, ValueError):
            return 0

    def item_enclosure_mime_type(self, item: Article) -> str:
        return mimetypes.guess_type(item.cover.name)[0] or "image/jpeg"


class NewsAtom(NewsRss):
    feed_type = Atom1Feed
