"""Values kept per content version (core.derived): worked out once, again after any content write, in every
process the same; the version is read from the shared cache once per request, again after a write."""

from __future__ import annotations

from unittest import mock

import pytest

from xuthanh.catalog.models import Place
from xuthanh.core import pagecache
from xuthanh.core.derived import per_content_version
from xuthanh.core.models import Status


def test_a_value_is_kept_until_the_content_version_changes():
    calls = []

    @per_content_version
    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    assert (double(2), double(2), double(3)) == (4, 4, 6)
    assert calls == [2, 3]
    pagecache.bump_content_version()
    assert double(2) == 4 and calls == [2, 3, 2]


def test_values_kept_per_version_are_bounded(monkeypatch):
    """Arguments come from query strings: past MAX_VALUES new ones are computed each time, not kept."""
    from xuthanh.core import derived

    monkeypatch.setattr(derived, "MAX_VALUES", 3)
    calls = []

    @per_content_version
    def square(x: int) -> int:
        calls.append(x)
        return x * x

    assert [square(x) for x in (1, 2, 3, 4, 4, 1)] == [1, 4, 9, 16, 16, 1]
    assert calls == [1, 2, 3, 4, 4]


def test_the_version_is_read_once_per_request_and_again_after_a_write():
    pagecache.request_started()  # what the request_started signal calls
    try:
        with mock.patch.object(pagecache.cache, "get", wraps=pagecache.cache.get) as get:
            first = pagecache.content_version()
            assert pagecache.content_version() == first and get.call_count == 1
            pagecache.bump_content_version()
            assert pagecache.content_version() == first + 1 and get.call_count == 2
    finally:
        pagecache.request_finished()
    with mock.patch.object(pagecache.cache, "get", wraps=pagecache.cache.get) as get:
        pagecache.content_version(), pagecache.content_version()
        assert get.call_count == 2  # outside a request (a command, a task), every call reads


@pytest.mark.django_db
def test_the_list_page_offers_a_commune_as_soon_as_a_place_there_is_published(client, commune_sam_son):
    draft = Place.objects.exclude(commune=commune_sam_son).filter(status=Status.PUBLISHED).first()
    others = Place.objects.filter(commune=draft.commune, status=Status.PUBLISHED).exclude(pk=draft.pk)
    others.update(status=Status.DRAFT)  # a bulk write: no signal
    draft.status = Status.DRAFT
    draft.save()  # a write through the model: the version moves
    option = f'<option value="{draft.commune.code}"'
    assert option not in client.get("/en/places/").content.decode()
    draft.status = Status.PUBLISHED
    draft.save()
    assert option in client.get("/en/places/").content.decode()
