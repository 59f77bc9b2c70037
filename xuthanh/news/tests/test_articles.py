"""News articles: workflow dates, translations, scope in the back office, the audit trail, the public page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xuthanh.areas.models import Commune
from xuthanh.catalog import services
from xuthanh.core import images
from xuthanh.core.models import AuditEntry, Status
from xuthanh.core.tests.test_images import jpeg_with_exif
from xuthanh.news.models import Article
from xuthanh.news.selectors import published_articles
from xuthanh.news.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_publishing_stamps_the_first_publication_date_once():
    article = make_article("a", {"vi": "Tin A"}, status=Status.DRAFT)
    assert article.published_at is None
    article.status = Status.PUBLISHED
    article.save()
    first = article.published_at
    assert first is not None
    article.save()
    assert Article.objects.get(pk=article.pk).published_at == first


def test_translation_statuses_use_the_title():
    article = make_article("b", {"vi": "Tin B", "en": "News B"})
    assert article.translation_statuses() == {"vi": "reviewed", "en": "reviewed", "zh-hans": "missing", "fr": "missing"}


def test_published_articles_per_language_and_commune(commune_sam_son):
    make_article("vi-only", {"vi": "Chỉ tiếng Việt"})
    make_article("both", {"vi": "Hai thứ tiếng", "en": "Both languages"}, commune=commune_sam_son)
    make_article("draft", {"vi": "Bản nháp", "en": "Draft"}, status=Status.DRAFT)
    assert [a.slug for a in published_articles(lang="en")] == ["both"]
    assert {a.slug for a in published_articles(lang="vi")} == {"vi-only", "both"}
    assert [a.slug for a in published_articles(commune_code=commune_sam_son.code)] == ["both"]


def test_the_workflow_service_publishes_articles_with_audit(people):
    article = make_article("c", {"vi": "Tin C"}, status=Status.REVIEW)
    services.content_set_status(actor=people["dept_editor"], obj=article, status=Status.PUBLISHED)
    article.refresh_from_db()
    assert article.is_published and article.published_at is not None
    assert AuditEntry.objects.filter(object_id=str(article.pk), action=AuditEntry.Action.STATUS).exists()


def test_admin_lists_and_scopes_articles(client, people, commune_sam_son, sam_son_unit):
    own = make_article("sam-son-news", {"vi": "Tin Sầm Sơn"}, commune=commune_sam_son, author=sam_son_unit)
    other = make_article("other-news", {"vi": "Tin khác"}, commune=Commune.objects.get(name="Phường Hạc Thành"))
    client.force_login(people["admin"])
    assert client.get(reverse("admin:news_article_changelist")).status_code == 200
    assert client.get(reverse("admin:news_article_add")).status_code == 200
    assert client.get(reverse("admin:news_article_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:news_article_changelist") + "?q=sam son").context["cl"].result_count == 1
    client.force_login(people["sam_son_editor"])
    assert client.get(reverse("admin:news_article_change", args=[own.pk])).status_code == 200
    response = client.get(reverse("admin:news_article_change", args=[other.pk]))
    assert response.status_code == 302  # not in the list of what this unit may see: "does not exist"
    assert client.get(reverse("admin:news_article_changelist")).status_code == 200
    client.force_login(people["outsider"])
    assert client.get(reverse("admin:news_article_changelist")).status_code in (302, 403)


def test_commune_editor_writes_for_own_unit_and_cannot_publish(client, people, commune_sam_son, sam_son_unit):
    client.force_login(people["sam_son_editor"])
    add_url = reverse("admin:news_article_add")
    form = client.get(add_url).context["adminform"].form
    assert list(form.fields["author"].queryset) == [sam_son_unit]
    assert form.initial["author"] == sam_son_unit.pk
    data = {
        "slug": "le-hoi-banh-chung",
        "title": "Lễ hội bánh chưng",
        "summary": "",
        "body": "Nội dung",
        "author": sam_son_unit.pk,
        "commune": commune_sam_son.pk,
        "cover_author": "",
        "cover_licence": "",
        "status": Status.PUBLISHED,
        "translation_status": "reviewed",
    }
    response = client.post(add_url + "?language=vi", data)
    assert response.status_code == 200  # refused: only the department publishes
    assert not Article.objects.filter(slug="le-hoi-banh-chung").exists()
    response = client.post(add_url + "?language=vi", {**data, "status": Status.DRAFT})
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="le-hoi-banh-chung")
    assert article.search_text and "banh" in article.search_text
    assert AuditEntry.objects.filter(object_id=str(article.pk), action=AuditEntry.Action.CREATE).exists()


def test_public_page_shows_published_articles_only(client):
    published = make_article("open", {"vi": "Tin mở", "en": "Open news"})
    draft = make_article("closed", {"vi": "Tin nháp"}, status=Status.DRAFT)
    response = client.get(published.get_absolute_url().replace("/vi/", "/en/"))
    assert response.status_code == 200 and "Open news" in response.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_cover_upload_loses_its_gps_position_and_needs_credit(client, people):
    client.force_login(people["admin"])
    data = {
        "slug": "anh-bia",
        "title": "Ảnh bìa",
        "summary": "",
        "body": "",
        "author": people["admin"].memberships.first().organisation_id,
        "commune": "",
        "cover_alt": "Bãi biển",
        "cover_author": "",
        "cover_licence": "",
        "status": Status.DRAFT,
        "translation_status": "reviewed",
    }
    url = reverse("admin:news_article_add") + "?language=vi"
    cover = SimpleUploadedFile("cover.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(url, {**data, "cover": cover})
    assert response.status_code == 200  # no author and licence for the photo
    cover = SimpleUploadedFile("cover.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = client.post(url, {**data, "cover": cover, "cover_author": "Sở VHTTDL", "cover_licence": "own"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="anh-bia")
    with article.cover.open("rb") as handle:
        assert not images.inspect(io.BytesIO(handle.read()), max_bytes=10**8).has_gps
