"""Articles for tests: published unless told otherwise, with a title per language given."""

from __future__ import annotations

from typing import Any

from xuthanh.core.models import Status
from xuthanh.news.models import Article
from xuthanh.orgs.models import Organisation


def make_article(slug: str, titles: dict[str, str], *, status: str = Status.PUBLISHED, **fields: Any) -> Article:
    fields.setdefault("author", Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT))
    article = Article(slug=slug, status=status, **fields)
    for lang, title in titles.items():
        article.set_current_language(lang)
        article.title = title
        article.summary = f"{title} (summary {lang})"
        article.body = f"{title}: body in {lang}."
    article.save()
    article.refresh_search_text()
    return article
