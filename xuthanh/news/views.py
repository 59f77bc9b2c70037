"""The public page of one article: where the feeds' links lead."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from xuthanh.news.models import Article
from xuthanh.orgs import permissions


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = Article.objects.select_related("author", "commune").filter(slug=slug).first()
    if article is None or not (article.is_published or permissions.can_view(request.user, Article)):
        raise Http404
    return render(request, "news/article_detail.html", {"article": article})
