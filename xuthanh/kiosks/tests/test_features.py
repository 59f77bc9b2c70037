"""Content scheduling: what a content group of kiosks features between two dates (published places and
events only), on the home screen and in the attract loop, tagged with its group for kiosk.js to keep its
own; the rules of a schedule (one place or one event, a span of at most a year, the end after the start)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from xuthanh.catalog.models import Event, Place
from xuthanh.kiosks import selectors, services
from xuthanh.kiosks.models import Feature

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locations() -> None:
    services.locations_load()


def feature(group: str, *, place: str = "", event: Event | None = None, days: tuple[int, int] = (-1, 5)) -> Feature:
    today = timezone.localdate()
    return Feature.objects.create(group=group, place=Place.objects.get(slug=place) if place else None, event=event,
                                  starts_on=today + dt.timedelta(days[0]), ends_on=today + dt.timedelta(days[1]))


def test_the_home_screen_features_each_groups_items_while_scheduled(client: Any) -> None:
    festival = Event.objects.filter(status="published").first()
    feature("airport", place="lam-kinh")
    feature("", event=festival)
    feature("station", place="ham-rong", days=(3, 9))  # not yet
    feature("station", place="pu-luong", days=(-9, -2))  # over
    html = client.get("/kiosk/en/tho-xuan/").content.decode()
    assert 'data-group="airport"' in html and "Lam Kinh" in html
    assert 'data-group=""' in html and festival.safe_translation_getter("name", language_code="en") in html
    featured = html.split('class="kiosk-featured"')[1].split("</section>")[0]
    assert "Lam Kinh" in featured and "Hàm Rồng" not in featured and "Pù Luông" not in featured
    assert 'data-group="station"' not in html
    assert html.count('data-group="airport"') == 2  # on the screen and in the attract loop


def test_drafts_are_never_featured() -> None:
    feature("airport", place="lam-kinh")
    Place.objects.filter(slug="lam-kinh").update(status="draft")
    assert selectors.features(timezone.localdate(), "en") == []


def test_a_schedule_features_one_thing_for_at_most_a_year() -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        Feature(group="airport", starts_on=today, ends_on=today - dt.timedelta(1)).full_clean()
    assert {"place", "ends_on"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError):
        Feature(place=Place.objects.get(slug="lam-kinh"), starts_on=today,
                ends_on=today + dt.timedelta(400)).full_clean()
    with pytest.raises(IntegrityError):
        Feature.objects.create(starts_on=today, ends_on=today)  # neither place nor event, even past the form


def test_the_promotion_centre_schedules_and_a_site_board_does_not(client: Any) -> None:
    from django.contrib.auth import get_user_model

    from xuthanh.orgs.models import Membership, Organisation, Role

    users = {}
    for kind in (Organisation.Kind.PROMOTION_CENTRE, Organisation.Kind.SITE_BOARD):
        user = get_user_model().objects.create_user(f"u-{kind}", password="correct horse battery", is_staff=True)
        Membership.objects.create(user=user, role=Role.EDITOR,
                                  organisation=Organisation.objects.filter(kind=kind).first())
        users[kind] = user
    feature("airport", place="lam-kinh")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(users[Organisation.Kind.PROMOTION_CENTRE])
    assert client.get("/admin/kiosks/feature/").status_code == 200
    assert client.get("/admin/kiosks/feature/add/").status_code == 200
    client.force_login(users[Organisation.Kind.SITE_BOARD])
    listing = client.get("/admin/kiosks/feature/")
    assert listing.status_code == 403 or "Lam Kinh" not in listing.content.decode()
    assert client.get("/admin/kiosks/feature/add/").status_code == 403
