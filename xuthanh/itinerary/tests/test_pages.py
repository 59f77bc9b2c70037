"""The planner's portal pages: the form, a trip with its map data, timeline, QR code and changes (lock, move,
remove, add, replace, indoor), the print view, saving to "my trips", and bad input answered in words."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings

from xuthanh.itinerary import views
from xuthanh.itinerary.models import Trip

pytestmark = pytest.mark.django_db

FORM = {
    "start_date": "2026-12-07",
    "end_date": "2026-12-08",
    "day_start": "08:00",
    "day_end": "18:00",
    "arrival": "cang-hang-khong-tho-xuan",
    "departure": "ga-thanh-hoa",
    "hotel": "khach-san-hac-thanh-mau",
    "interests": ["history", "spirituality"],
    "pace": "normal",
    "mode": "car",
    "lunch": "on",
}


@pytest.fixture(autouse=True)
def quick_plans(monkeypatch):
    monkeypatch.setattr(views, "TIME_LIMIT", 0.3)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def trip(client) -> Trip:
    response = client.post("/en/trips/plan/", FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    token = response["Location"].rstrip("/").split("/")[-1]
    return Trip.objects.get(edit_token=token)  # whoever plans a trip lands on its edit link


def stops(trip: Trip) -> list[tuple[int, str]]:
    return [(day["day"], stop["place"]) for day in trip.plan["days"] for stop in day["stops"]]


def change(client, trip: Trip, **data) -> Trip:
    response = client.post(f"/en/trips/{trip.edit_token}/change/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/en/trips/{trip.edit_token}/#days"
    trip.refresh_from_db()
    return trip


def test_the_form_offers_hubs_hotels_interests_and_attractions(client):
    response = client.get("/en/trips/plan/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="cang-hang-khong-tho-xuan" selected>' in html
    assert 'value="khach-san-hac-thanh-mau"' in html
    assert 'name="interests" value="history"' in html
    assert 'value="thanh-nha-ho"' in html
    assert "no-store" in response["Cache-Control"]


def test_a_place_can_be_preset_as_must_see(client):
    html = client.get("/en/trips/plan/?must_see=thanh-nha-ho").content.decode()
    assert re.search(r'<option value="thanh-nha-ho"[^>]*selected', html)


def test_planning_shows_each_day_with_map_points_timeline_and_qr_code(client, trip):
    response = client.get(f"/en/trips/{trip.token}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # a secret link: never in a shared cache
    assert len(stops(trip)) >= 4
    for day in trip.plan["days"]:
        points = json.loads(
            re.search(rf'id="day-points-{day["day"]}" type="application/json">(.*?)</script>', html).group(1)
        )
        assert [p["n"] for p in points] == ["A", *[str(i) for i in range(1, len(day["stops"]) + 1)], "B"]
        for stop in day["stops"]:
            assert f"{stop['start']}–{stop['leave']}" in html
    assert "<svg" in html and 'class="qr"' in html
    assert f"http://testserver/en/trips/{trip.token}/" in html
    assert f"/api/v1/trips/{trip.token}.ics" in html
    assert f"/app/#/trip/{trip.token}" in html


def test_the_qr_code_encodes_the_share_link(client, trip):
    segno = pytest.importorskip("segno")
    expected = segno.make(f"http://testserver/en/trips/{trip.token}/", error="m").svg_inline(
        scale=4, border=2, dark="#1b1b1b", light="#ffffff"
    )
    assert expected in client.get(f"/en/trips/{trip.token}/").content.decode()


def test_a_kept_stop_stays_on_its_day_and_can_be_moved_to_another(client, trip):
    day, place = stops(trip)[0]
    trip = change(client, trip, action="lock", place=place, day=str(day))
    assert trip.locked == [{"place": place, "day": day}]
    assert (day, place) in stops(trip)
    other = 2 if day == 1 else 1
    trip = change(client, trip, action="move", place=place, day=str(other))
    assert trip.locked == [{"place": place, "day": other}]
    assert (other, place) in stops(trip)
    html = client.get(f"/en/trips/{trip.token}/").content.decode()
    assert "kept" in html and "Unlock" in html
    trip = change(client, trip, action="unlock", place=place)
    assert trip.locked == []


def test_a_removed_stop_is_not_planned_again(client, trip):
    _day, place = stops(trip)[0]
    trip = change(client, trip, action="remove", place=place)
    assert place not in [p for _d, p in stops(trip)]
    assert place in trip.request["excluded"]


def test_a_place_can_be_added_on_a_chosen_day(client, trip):
    planned = {p for _d, p in stops(trip)}
    extra = "ho-yen-my" if "ho-yen-my" not in planned else "den-ba-trieu"
    trip = change(client, trip, action="add", place=extra, day="2")
    assert (2, extra) in stops(trip)


def test_alternatives_are_open_that_day_and_replace_the_stop(client, trip):
    day, place = stops(trip)[0]
    html = client.get(f"/en/trips/{trip.token}/?alternatives={day}:{place}").content.decode()
    assert "Use this instead" in html
    options = re.findall(r'name="place" value="([-a-z0-9]+)"><input type="hidden" name="day"', html)
    assert options and place not in options
    trip = change(client, trip, action="replace", place=options[0], day=str(day), instead=place)
    assert (day, options[0]) in stops(trip)
    assert place not in [p for _d, p in stops(trip)]


def test_rain_keeps_only_indoor_places(client, trip):
    trip = change(client, trip, action="indoor")
    assert trip.request["indoor_only"] is True
    from xuthanh.catalog.models import Place

    categories = set(Place.objects.filter(slug__in=[p for _d, p in stops(trip)]).values_list("category", flat=True))
    assert not categories & {"beach", "nature", "waterfall", "landscape"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "explode", "place": "x"}, "Unknown change."),
        ({"action": "lock", "place": "thanh-nha-ho", "day": "abc"}, "Choose a day of the trip."),
        ({"action": "lock", "place": "<script>", "day": "1"}, "Choose a place."),
        ({"action": "lock", "place": "thanh-nha-ho", "day": "9"}, "Day 9 is not a day of the trip."),
        ({"action": "add", "place": "no-such-place", "day": ""}, "Unknown or unpublished places: no-such-place."),
    ],
)
def test_bad_changes_are_explained_and_change_nothing(client, trip, data, message):
    before = (trip.plan, trip.request, trip.locked)
    response = client.post(f"/en/trips/{trip.edit_token}/change/", data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    trip.refresh_from_db()
    assert (trip.plan, trip.request, trip.locked) == before


def test_impossible_requests_are_explained_on_the_form(client):
    response = client.post("/en/trips/plan/", {**FORM, "start_date": "2026-12-09", "end_date": "2026-12-01"})
    assert response.status_code == 422
    assert "The start date 2026-12-09 is after the end date 2026-12-01." in response.content.decode()
    response = client.post("/en/trips/plan/", {**FORM, "hotel": "__point", "hotel_lat": "", "hotel_lon": ""})
    assert response.status_code == 422
    assert "Give the hotel&#39;s latitude and longitude" in response.content.decode()  # ' as markupsafe escapes it
    response = client.post("/en/trips/plan/", {**FORM, "hotel": "__point", "hotel_lat": "48.85", "hotel_lon": "2.35"})
    assert response.status_code == 422
    assert "outside Vietnam" in response.content.decode()
    assert not Trip.objects.exists()


def test_a_hotel_can_be_a_point_on_the_map(client):
    response = client.post(
        "/en/trips/plan/", {**FORM, "hotel": "__point", "hotel_lat": "19.806", "hotel_lon": "105.785"}
    )
    assert response.status_code == 302
    trip = Trip.objects.get()
    assert trip.plan["days"][0]["end"]["label"] == "19.80600, 105.78500"


@override_settings(TRIP_PLANS_PER_MINUTE=2)
def test_planning_is_rate_limited_per_address(client, monkeypatch):
    monkeypatch.setattr("xuthanh.core.ratelimit.time.time", lambda: 1_800_000_010.0)  # one window throughout
    for _ in range(2):
        assert client.post("/en/trips/plan/", FORM).status_code == 302
    response = client.post("/en/trips/plan/", FORM)
    assert response.status_code == 429
    assert "Too many trip plans from your connection" in response.content.decode()
    assert Trip.objects.count() == 2


def test_unknown_tokens_get_a_plain_404(client):
    for url in ("/en/trips/nope/", "/en/trips/nope/print/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "No trip has this link" in response.content.decode()
    assert client.post("/en/trips/nope/change/", {"action": "replan"}).status_code == 404


def test_the_print_view_lists_every_stop_with_times(client, trip):
    html = client.get(f"/en/trips/{trip.token}/print/").content.decode()
    for day in trip.plan["days"]:
        for stop in day["stops"]:
            assert f"<td>{stop['start']}–{stop['leave']}</td>" in html
    assert "<svg" in html


def test_anonymous_trips_are_listed_in_this_browser_and_saved_after_signing_in(client, trip):
    html = client.get("/en/trips/").content.decode()
    assert f"/en/trips/{trip.edit_token}/" in html  # planned in this browser: its edit link
    response = client.post(f"/en/trips/{trip.edit_token}/save/")
    assert response.status_code == 302 and response["Location"].startswith("/en/account/login/?next=")
    user = get_user_model().objects.create_user("traveller", password="long enough secret 1")
    client.force_login(user)
    client.post(f"/en/trips/{trip.edit_token}/save/")
    trip.refresh_from_db()
    assert trip.owner == user
    assert "Saved trips" in client.get("/en/trips/").content.decode()


def test_a_trip_saved_by_someone_else_is_not_taken_over(client, trip):
    owner = get_user_model().objects.create_user("first", password="long enough secret 1")
    other = get_user_model().objects.create_user("second", password="long enough secret 2")
    Trip.objects.filter(pk=trip.pk).update(owner=owner)
    client.force_login(other)
    response = client.post(f"/en/trips/{trip.edit_token}/save/", follow=True)
    assert "This trip belongs to someone else" in response.content.decode()
    trip.refresh_from_db()
    assert trip.owner == owner


def test_the_page_speaks_the_visitors_language(client):
    response = client.post("/fr/trips/plan/", {**FORM, "interests": ["history"]})
    trip = Trip.objects.get(edit_token=response["Location"].rstrip("/").split("/")[-1])
    assert trip.plan["lang"] == "fr"
    html = client.get(f"/fr/trips/{trip.token}/").content.decode()
    assert "Aéroport de Thọ Xuân" in html


def test_a_shared_trip_reads_in_the_language_of_the_page(client, trip):
    assert trip.plan["lang"] == "en"
    html = client.get(f"/vi/trips/{trip.token}/").content.decode()
    assert "Cảng hàng không Thọ Xuân" in html
    assert "Thọ Xuân Airport" not in html


def test_an_attraction_page_offers_to_plan_a_trip_with_it(client):
    html = client.get("/en/places/thanh-nha-ho/").content.decode()
    assert 'href="/en/trips/plan/?must_see=thanh-nha-ho"' in html


def test_reasons_are_said_again_in_the_language_of_the_page(client, trip):
    stop = trip.plan["days"][0]["stops"][0]
    assert {"code": "interests", "args": ["history"]} in stop["reasons"] or stop["reasons"]
    html = client.get(f"/vi/trips/{trip.token}/").content.decode()
    assert "phù hợp với sở thích của bạn: Lịch sử" in html
    assert "matches your interests" not in html
    assert "Lý do:" in html and "Xuất phát từ Cảng hàng không Thọ Xuân" in html


def test_the_planner_sees_both_links_and_the_share_link_is_read_only(client, trip):
    """#16: the page of the edit link shows the share link (and its QR code) and the edit link; the page of
    the share link shows neither the edit link nor its token, and says a change makes a copy."""
    mine = client.get(f"/en/trips/{trip.edit_token}/").content.decode()
    assert f'id="share-url" type="text" readonly value="http://testserver/en/trips/{trip.token}/"' in mine
    assert f'id="edit-url" type="text" readonly value="http://testserver/en/trips/{trip.edit_token}/"' in mine
    assert f'action="/en/trips/{trip.edit_token}/change/"' in mine
    shared = Client().get(f"/en/trips/{trip.token}/").content.decode()
    assert trip.edit_token not in shared and 'id="edit-url"' not in shared
    assert "a change makes your own copy" in shared
    assert f'action="/en/trips/{trip.token}/change/"' in shared and "/save/" not in shared


def test_a_change_from_the_share_link_makes_the_visitors_own_copy(client, trip):
    before = (trip.plan, trip.request, trip.locked)
    visitor = Client()
    day, place = stops(trip)[0]
    response = visitor.post(f"/en/trips/{trip.token}/change/", {"action": "remove", "place": place})
    copy = Trip.objects.exclude(pk=trip.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/en/trips/{copy.edit_token}/#days"
    assert place not in {slug for _day, slug in stops(copy)}
    trip.refresh_from_db()
    assert (trip.plan, trip.request, trip.locked) == before
    page = visitor.get(response["Location"]).content.decode()
    assert "Re-planned as your own copy" in page
    assert f"/en/trips/{copy.edit_token}/" in visitor.get("/en/trips/").content.decode()
    assert f"/en/trips/{trip.edit_token}/" not in visitor.get("/en/trips/").content.decode()


def test_a_share_link_cannot_save_the_trip_to_an_account(client, trip):
    visitor = Client()
    visitor.force_login(get_user_model().objects.create_user("visitor", password="long enough secret 3"))
    response = visitor.post(f"/en/trips/{trip.token}/save/", follow=True)
    assert "Only the trip&#39;s edit link can save it" in response.content.decode()
    trip.refresh_from_db()
    assert trip.owner is None
