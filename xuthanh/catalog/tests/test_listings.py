"""The API list's flat listings (`cards.place_listings`: five queries, no model instances) say exactly what the
loaded place says (`cards.listing_of`, from the model with its translations, tags and hours), for every
shipped place in every language; they keep the order asked for and leave out unpublished places."""

from __future__ import annotations

import datetime as dt

import pytest

from xuthanh.catalog import selectors
from xuthanh.catalog.cards import listing_of, place_listings
from xuthanh.catalog.models import ClosureDate, Place
from xuthanh.core.models import Status


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["vi", "en", "zh-hans", "fr"])
def test_flat_listings_equal_what_the_loaded_place_says(lang):
    ids = list(Place.objects.order_by("pk").values_list("pk", flat=True))
    place = Place.objects.filter(opening_rules__isnull=False).first()
    ClosureDate.objects.create(place=place, date=dt.date(2027, 2, 6), reason="Tết")
    flat = {listing.pk: listing for listing in place_listings(ids, lang, published_only=False)}
    loaded = selectors.places_by_id(ids, lang)
    assert len(flat) == len(loaded) == len(ids)
    for item in loaded:
        assert flat[item.pk] == listing_of(item, lang), item.slug
    assert dt.date(2027, 2, 6) in flat[place.pk].hours.closed_dates


@pytest.mark.django_db
def test_listings_keep_the_order_asked_and_leave_out_unpublished_places():
    first, second, third = Place.objects.filter(status=Status.PUBLISHED).order_by("pk")[:3]
    Place.objects.filter(pk=second.pk).update(status=Status.DRAFT)
    assert [p.pk for p in place_listings([third.pk, second.pk, first.pk], "en")] == [third.pk, first.pk]
    assert [p.pk for p in place_listings([third.pk, second.pk], "en", published_only=False)] == [third.pk, second.pk]
    assert place_listings([], "en") == []
