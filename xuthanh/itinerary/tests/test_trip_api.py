"""/api/v1/trips: plan, read back by the share token, re-plan, download as iCalendar and GPX; errors are
JSON sentences, never server errors."""

import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.core.cache import cache

from xuthanh.itinerary import api as trips_api
from xuthanh.itinerary.models import Trip

pytestmark = pytest.mark.django_db

GPX = "{http://www.topografix.com/GPX/1/1}"
REQUEST = {
    "start_date": "2026-12-07",
    "end_date": "2026-12-08",
    "start": {"place": "cang-hang-khong-tho-xuan"},
    "end": {"place": "ga-thanh-hoa"},
    "lodging": {"lat": 19.806, "lon": 105.785},
    "interests": ["history", "spirituality"],
    "lang": "en",
}


@pytest.fixture(autouse=True)
def quick_plans(monkeypatch):
    monkeypatch.setattr(trips_api, "TIME_LIMIT", 0.3)
    cache.clear()  # the anonymous rate limit counts per address
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def english_client(client):
    """The API answers in the caller's language (Accept-Language); these tests read its English sentences."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def trip(client) -> dict:
    response = post(client, "/api/v1/trips", REQUEST)
    assert response.status_code == 201, response.content
    return response.json()


def stops(plan: dict) -> list[tuple[int, str]]:
    return [(day["day"], stop["place"]) for day in plan["days"] for stop in day["stops"]]


def test_planning_returns_the_trip_with_an_unguessable_share_token(trip):
    assert len(trip["token"]) >= 40
    assert trip["request"]["start"] == {"place": "cang-hang-khong-tho-xuan", "lat": None, "lon": None}
    assert trip["plan"]["totals"]["visits"] == len(stops(trip["plan"])) >= 4
    assert trip["plan"]["days"][1]["end"]["label"] == "Thanh Hóa railway station"


def test_the_share_token_round_trips(client, trip):
    response = client.get(f"/api/v1/trips/{trip['token']}")
    assert response.status_code == 200
    assert response.json()["plan"] == trip["plan"]
    assert Trip.objects.get(token=trip["token"]).owner is None


def test_an_unknown_token_is_a_json_404(client):
    response = client.get("/api/v1/trips/not-a-real-token")
    assert response.status_code == 404
    assert response.json()["message"] == "No trip with this share link."
    for suffix in (".ics", ".gpx", "/replan"):
        method = client.post if suffix == "/replan" else client.get
        assert method(f"/api/v1/trips/not-a-real-token{suffix}", content_type="application/json").status_code == 404


def test_a_signed_in_traveller_owns_the_trip(client, people):
    client.force_login(people["outsider"])
    response = post(client, "/api/v1/trips", REQUEST)
    assert Trip.objects.get(token=response.json()["token"]).owner == people["outsider"]


def test_the_language_follows_accept_language_when_not_given(client):
    request = {key: value for key, value in REQUEST.items() if key != "lang"}
    response = client.post("/api/v1/trips", request, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["plan"]["lang"] == "fr"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start_date": "2026-12-09"}, "The start date 2026-12-09 is after the end date 2026-12-08."),
        ({"end_date": "2027-02-04"}, "The trip is 60 days long; plan at most 14 days at a time."),
        ({"start": {"lat": 48.85, "lon": 2.35}}, "outside Vietnam"),
        ({"excluded": ["khong-co"]}, "Unknown or unpublished places: khong-co."),
        ({"budget_vnd": -5}, "The ticket budget cannot be negative."),
    ],
)
def test_impossible_requests_are_a_422_with_a_message(client, change, message):
    response = post(client, "/api/v1/trips", {**REQUEST, **change})
    assert response.status_code == 422
    assert message in response.json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        {**REQUEST, "must_see": ["thanh-nha-ho"] * 5000},
        {**REQUEST, "interests": ["x" * 500]},
        {**REQUEST, "start": {"lat": 19.8}},
        {**REQUEST, "pace": "sprint"},
        {**REQUEST, "indoor_only": 0},  # a JSON boolean, not a number or a string that could mean one
        {**REQUEST, "lunch": "no"},
        {**REQUEST, "start_date": 0},  # not 1 January 1970
        {**REQUEST, "end_date": "20300507"},
        {**REQUEST, "budget_vnd": False},  # not 0
        {**REQUEST, "days": [{"day": "2"}]},
        {**REQUEST, "day_start": 0},  # not midnight UTC
        {**REQUEST, "day_end": "18:00:00Z"},
        {"start_date": "tomorrow"},
    ],
)
def test_oversized_or_malformed_requests_are_refused_with_a_message(client, body):
    response = post(client, "/api/v1/trips", body)
    assert response.status_code == 422
    assert response.json()["message"].startswith("Invalid request")


@pytest.mark.parametrize(
    "change",
    [
        {"places": []},
        {"lunch": False, "mode": "walking", "pace": "intense"},
        {"day_start": "21:00", "day_end": "23:30"},
        {"start": {"lat": 21.028, "lon": 105.854}, "end": None, "lodging": None},  # from Hà Nội and back
        {"end_date": "2026-12-20", "pace": "relaxed"},
        {"days": [{"day": 2, "end": {"place": "thanh-nha-ho"}, "end_time": "16:00"}]},
    ],
)
def test_odd_but_valid_requests_get_a_plan_with_visits_or_an_explanation(client, change):
    response = post(client, "/api/v1/trips", {**REQUEST, **change})
    assert response.status_code == 201, response.content
    plan = response.json()["plan"]
    assert plan["totals"]["visits"] > 0 or plan["explanation"]


def test_a_body_over_the_upload_limit_is_a_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, "/api/v1/trips", {**REQUEST, "must_see": ["thanh-nha-ho"] * 200})
    assert response.status_code == 413
    assert response.json()["message"] == "The request is too large to plan."


def test_replan_keeps_locked_stops_and_excludes(client, trip):
    (day1, keep), (_day2, drop) = stops(trip["plan"])[0], stops(trip["plan"])[-1]
    body = {"locked": [{"place": keep, "day": day1}], "exclude": [drop]}
    response = post(client, f"/api/v1/trips/{trip['edit_token']}/replan", body)
    assert response.status_code == 200, response.content
    new = stops(response.json()["plan"])
    assert (day1, keep) in new
    assert drop not in [place for _day, place in new]
    assert client.get(f"/api/v1/trips/{trip['token']}").json()["plan"] == response.json()["plan"]


@pytest.mark.parametrize("body", ["[null, null]", "[]", "\"replan\"", "1", "null"])  # raw JSON texts
def test_a_body_that_is_not_a_json_object_is_refused_not_read_as_defaults(client, trip, body):
    """Ninja's schemas would read the fields of a list as missing attributes: a re-plan with every default."""
    for url in ("/api/v1/trips", f"/api/v1/trips/{trip['edit_token']}/replan"):
        response = post(client, url, body)
        assert response.status_code == 400, (url, body, response.content)
        assert response.json()["detail"] == "unparsable_body"
    assert Trip.objects.count() == 1


def test_replan_refusals_are_json(client):
    future = post(client, "/api/v1/trips", {**REQUEST, "start_date": "2030-03-04", "end_date": "2030-03-05"})
    assert future.status_code == 201  # today is not one of its days, whatever the clock says
    token = future.json()["edit_token"]
    response = post(client, f"/api/v1/trips/{token}/replan", {"start_from": {"lat": 19.8, "lon": 105.8}})
    assert response.status_code == 422
    assert response.json()["message"] == "Today is not a day of this trip; say which day to re-plan from."


def test_the_ics_has_one_event_per_stop(client, trip):
    response = client.get(f"/api/v1/trips/{trip['token']}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(stops(trip["plan"]))
    first = trip["plan"]["days"][0]["stops"][0]
    assert str(events[0]["summary"]) == first["name"]
    start = events[0].decoded("dtstart").astimezone(trips_api.TZ)
    assert (start.date().isoformat(), start.strftime("%H:%M")) == (trip["plan"]["days"][0]["date"], first["start"])


def test_the_gpx_has_the_stops_as_waypoints_in_order(client, trip):
    response = client.get(f"/api/v1/trips/{trip['token']}.gpx")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer, not untrusted input
    assert root.tag == f"{GPX}gpx" and root.get("version") == "1.1"
    names = [w.find(f"{GPX}name").text for w in root.findall(f"{GPX}wpt")]
    assert names == [s["name"] for day in trip["plan"]["days"] for s in day["stops"]]
    first = root.find(f"{GPX}wpt")
    assert float(first.get("lat")) == pytest.approx(trip["plan"]["days"][0]["stops"][0]["lat"])


def test_the_openapi_document_lists_the_trip_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/trips",
        "/api/v1/trips/{token}",
        "/api/v1/trips/{token}/replan",
        "/api/v1/trips/{token}.ics",
        "/api/v1/trips/{token}.gpx",
    } <= set(paths)
    assert "post" in paths["/api/v1/trips"]


def test_trip_answers_are_never_kept_by_shared_caches(client, trip):
    for url in (f"/api/v1/trips/{trip['token']}", f"/api/v1/trips/{trip['token']}.ics"):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_locked_stops_are_remembered_until_unlocked(client, trip):
    day, place = stops(trip["plan"])[0]
    other = 2 if day == 1 else 1
    response = post(client, f"/api/v1/trips/{trip['edit_token']}/replan", {"locked": [{"place": place, "day": other}]})
    assert response.json()["locked"] == [{"place": place, "day": other}]
    response = post(client, f"/api/v1/trips/{trip['edit_token']}/replan", {"exclude": []})
    assert response.json()["locked"] == [{"place": place, "day": other}]
    assert (other, place) in stops(response.json()["plan"])
    response = post(client, f"/api/v1/trips/{trip['edit_token']}/replan", {"unlock": [place]})
    assert response.json()["locked"] == []


def test_anonymous_planning_is_rate_limited_with_retry_after(client, settings, monkeypatch):
    monkeypatch.setattr("xuthanh.core.ratelimit.time.time", lambda: 1_800_000_010.0)  # one window throughout
    settings.TRIP_PLANS_PER_MINUTE = 1
    assert post(client, "/api/v1/trips", REQUEST).status_code == 201
    response = post(client, "/api/v1/trips", REQUEST)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["detail"] == "rate_limited"
    assert "Too many trip plans" in response.json()["message"]


def test_a_shared_trip_can_be_read_in_another_language(client, trip):
    assert trip["plan"]["lang"] == "en"
    plan = client.get(f"/api/v1/trips/{trip['token']}", {"lang": "vi"}).json()["plan"]
    assert plan["lang"] == "vi"
    assert plan["days"][0]["start"]["label"] == "Cảng hàng không Thọ Xuân"
    first = plan["days"][0]["stops"][0]
    assert first["place"] == trip["plan"]["days"][0]["stops"][0]["place"]
    assert any(
        reason.startswith("phù hợp với sở thích của bạn: ") for s in plan["days"][0]["stops"] for reason in s["why"]
    )
    times = [(s["place"], s["start"]) for d in plan["days"] for s in d["stops"]]
    assert times == [(s["place"], s["start"]) for d in trip["plan"]["days"] for s in d["stops"]]  # same plan
    unknown = client.get(f"/api/v1/trips/{trip['token']}", {"lang": "xx"}).json()["plan"]
    assert unknown["days"][0]["start"]["label"] == "Thọ Xuân Airport (THD)"  # unknown language: the caller's


def test_a_trip_has_a_view_token_to_share_and_an_edit_token_for_its_planner(client, trip):
    """#16: the share link is not a key to change the trip. Whoever plans gets both tokens; the share token
    reads the trip without its edit token; only the edit token reads it back."""
    assert len(trip["edit_token"]) >= 40 and trip["edit_token"] != trip["token"]
    shared = client.get(f"/api/v1/trips/{trip['token']}").json()
    assert shared["edit_token"] is None and shared["token"] == trip["token"]
    kept = client.get(f"/api/v1/trips/{trip['edit_token']}").json()
    assert kept["edit_token"] == trip["edit_token"] and kept["token"] == trip["token"]
    assert client.get(f"/api/v1/trips/{trip['edit_token']}.ics").status_code == 200


def test_a_replan_from_the_share_token_is_a_new_trip_and_the_shared_one_stays(client, trip):
    before = Trip.objects.get(token=trip["token"])
    place = stops(trip["plan"])[0][1]
    response = post(client, f"/api/v1/trips/{trip['token']}/replan", {"exclude": [place]})
    assert response.status_code == 201
    copy = response.json()
    assert copy["token"] not in (trip["token"], trip["edit_token"]) and copy["edit_token"]
    assert place not in {slug for _day, slug in stops(copy["plan"])}
    after = Trip.objects.get(pk=before.pk)
    assert (after.plan, after.request, after.locked, after.updated_at) == (
        before.plan, before.request, before.locked, before.updated_at
    )
    assert Trip.objects.get(token=copy["token"]).owner is None
    again = post(client, f"/api/v1/trips/{copy['edit_token']}/replan", {"exclude": []})
    assert again.status_code == 200 and again.json()["token"] == copy["token"]


def test_the_signed_in_owner_changes_the_trip_from_either_link(client, people):
    client.force_login(people["outsider"])
    mine = post(client, "/api/v1/trips", REQUEST).json()
    response = post(client, f"/api/v1/trips/{mine['token']}/replan", {"indoor_only": True})
    assert response.status_code == 200 and response.json()["token"] == mine["token"]
    assert client.get(f"/api/v1/trips/{mine['token']}").json()["edit_token"] == mine["edit_token"]
    client.logout()
    assert client.get(f"/api/v1/trips/{mine['token']}").json()["edit_token"] is None
    copy = post(client, f"/api/v1/trips/{mine['token']}/replan", {"indoor_only": False})
    assert copy.status_code == 201 and Trip.objects.get(token=copy.json()["token"]).owner is None


def test_a_trip_planned_after_a_campaign_link_is_announced_for_it(client) -> None:
    """core.attribution: the campaigns app counts it for the link; the planner only says it happened."""
    from xuthanh.core import attribution

    heard = []
    attribution.outcome.connect(receiver := lambda sender, **kw: heard.append((kw["code"], kw["kind"])))
    try:
        assert post(client, "/api/v1/trips", REQUEST).status_code == 201
        client.cookies[attribution.COOKIE] = "abcdefg"
        assert post(client, "/api/v1/trips", REQUEST).status_code == 201
        assert post(client, "/api/v1/trips", {**REQUEST, "end_date": "x"}).status_code == 422
    finally:
        attribution.outcome.disconnect(receiver)
    assert heard == [("abcdefg", "trip")]
