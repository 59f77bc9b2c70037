"""Reads of the news for the public."""

from __future__ import annotations

from django.db.models import QuerySet

from xuthanh.core.models import Status
from xuthanh.news.models import Article


def published_articles(*, lang: str | None = None, commune_code: int | None = None) -> QuerySet:
    """Published articles, newest first; with `lang`, only those written or translated in that language
    (a feed announces one language, so it does not mix in untranslated articles)."""
    qs = Article.objects.filter(status=Status.PUBLISHED, published_at__isnull=False)
    if lang:
        qs = qs.filter(translations__language_code=lang, translations__title__gt="")
    if commune_code:
        qs = qs.filter(commune__code=commune_code)
    return qs.select_related("author", "commune").prefetch_related("translations").order_by("-published_at", "-id")
