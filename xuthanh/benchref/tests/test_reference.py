"""The benchmark's reference page exists only when XUTHANH_BENCH_REFERENCE=1 (bench/web.py sets it)."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import Resolver404, resolve


def test_it_is_absent_by_default():
    assert settings.BENCH_REFERENCE is False
    assert "xuthanh.benchref" not in settings.INSTALLED_APPS
    with pytest.raises(Resolver404):
        resolve("/bench/reference/")


@pytest.mark.django_db
def test_its_url_answers_404_by_default(client):
    assert client.get("/bench/reference/").status_code == 404


def test_it_renders_twenty_rows_without_the_database(settings):
    # No django_db mark: pytest-django fails any query, so this also proves the page needs no database.
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "xuthanh.benchref"]
    from xuthanh.benchref.views import reference

    response = reference(RequestFactory().get("/bench/reference/"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr class=") == 20
