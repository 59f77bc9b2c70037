"""The kiosk fleet with the database and the API: enrolment by a one-time code (spent once, expiring), the
device token on every heartbeat (missing, wrong, revoked or retired → 401, nothing changed), heartbeats
folded into uptime intervals (a row per stretch, not per beat), commands handed to their own device once,
malformed and oversized reports refused with a reason, and the back office's actions, scoped and audited."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone

from xuthanh.core.models import AuditEntry
from xuthanh.kiosks import services
from xuthanh.kiosks.models import Command, Device, Location, UptimeInterval

pytestmark = pytest.mark.django_db
BEAT = {"version": "1.0.0", "uptime_s": 3600, "content_version": "abc", "free_mb": 2048, "screen_on": True}


@pytest.fixture
def airport(db: Any) -> Location:
    from xuthanh.catalog.models import Place

    location = Location(slug="tho-xuan", kind=Location.Kind.AIRPORT, named_in_plan=True,
                        place=Place.objects.get(slug="cang-hang-khong-tho-xuan"))
    location.set_current_language("vi")
    location.name = "Cảng hàng không Thọ Xuân"
    location.save()
    return location


@pytest.fixture(autouse=True)
def english(client: Any) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the API's messages in English (Vietnamese by default)


@pytest.fixture
def kiosk(airport: Location) -> Device:
    return Device.objects.create(location=airport, name="TX-1")


def enrolled(client: Any, device: Device) -> str:
    code = services.enrol_code_new(device)
    answer = client.post("/api/v1/kiosks/enrol", {"code": code.lower()}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


def beat(client: Any, token: str | None, body: Any = BEAT) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post("/api/v1/kiosks/heartbeat", data, content_type="application/json", **headers)


def test_a_kiosk_enrols_once_with_its_code_and_beats_with_its_token(client: Any, kiosk: Device) -> None:
    code = services.enrol_code_new(kiosk)
    first = client.post("/api/v1/kiosks/enrol", {"code": code}, content_type="application/json")
    body = first.json()
    assert first.status_code == 200 and body["settings"]["location"] == "tho-xuan"
    assert body["settings"]["idle_seconds"] == 90 and body["settings"]["screen_off"] == "22:00"
    kiosk.refresh_from_db()
    assert kiosk.token_hash and body["token"] not in json.dumps(kiosk.__dict__, default=str)  # only its hash
    again = client.post("/api/v1/kiosks/enrol", {"code": code}, content_type="application/json")
    assert again.status_code == 404 and "not known" in again.json()["message"]  # spent
    answer = beat(client, body["token"])
    assert answer.status_code == 200 and answer.json()["commands"] == []
    kiosk.refresh_from_db()
    assert kiosk.last_seen_at is not None and kiosk.last_beat["version"] == "1.0.0"


def test_an_expired_code_is_refused(client: Any, kiosk: Device) -> None:
    code = services.enrol_code_new(kiosk, now=timezone.now() - dt.timedelta(hours=1))
    answer = client.post("/api/v1/kiosks/enrol", {"code": code}, content_type="application/json")
    assert answer.status_code == 404 and "expired" in answer.json()["message"]
    assert Device.objects.get(pk=kiosk.pk).token_hash is None


@pytest.mark.parametrize("how", ["missing", "wrong", "revoked", "retired", "basic"])
def test_a_heartbeat_without_a_valid_token_changes_nothing(client: Any, kiosk: Device, how: str) -> None:
    token = enrolled(client, kiosk)
    if how == "revoked":
        services.revoke(kiosk)
    if how == "retired":
        Device.objects.filter(pk=kiosk.pk).update(state=Device.State.RETIRED)
    if how == "basic":
        answer = client.post("/api/v1/kiosks/heartbeat", BEAT, content_type="application/json",
                             HTTP_AUTHORIZATION=f"Basic {token}")
    else:
        answer = beat(client, {"missing": None, "wrong": "x" * 43}.get(how, token))
    assert answer.status_code == 401 and answer.json()["message"]
    assert not UptimeInterval.objects.exists() and Device.objects.get(pk=kiosk.pk).last_seen_at is None


@pytest.mark.parametrize("body", ["not json", {"uptime_s": -5}, {**BEAT, "padding": "y" * 17000}])
def test_without_a_valid_token_any_body_gets_401(client: Any, kiosk: Device, body: Any) -> None:
    enrolled(client, kiosk)
    for token in (None, "x" * 43):
        answer = beat(client, token, body)
        assert answer.status_code == 401, answer.content  # the token first: nothing said about the body
    assert Device.objects.get(pk=kiosk.pk).last_seen_at is None


def test_a_replaced_kiosk_gets_a_new_token_and_the_old_one_stops(client: Any, kiosk: Device) -> None:
    old = enrolled(client, kiosk)
    new = enrolled(client, kiosk)
    assert beat(client, old).status_code == 401 and beat(client, new).status_code == 200


@pytest.mark.parametrize(("body", "status"), [
    ("not json", 400),
    ({"version": "1", "uptime_s": -5}, 422),
    ({"uptime_s": 5}, 422),
    ({**BEAT, "version": "v" * 41}, 422),
    ({**BEAT, "content_version": "x" * 64, "padding": "y" * 17000}, 413),
    ({**BEAT, "ack": ["x"]}, 422),
])
def test_a_malformed_or_oversized_heartbeat_is_refused_with_a_reason(client: Any, kiosk: Device, body: Any,
                                                                     status: int) -> None:
    token = enrolled(client, kiosk)
    answer = beat(client, token, body)
    assert answer.status_code == status and answer.json()["message"]
    assert Device.objects.get(pk=kiosk.pk).last_seen_at is None


def test_heartbeats_fold_into_intervals(kiosk: Device) -> None:
    t0 = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)
    for minute in (0, 1, 2, 2, 3, 15, 16):  # a repeat at 2; a cut between 3 and 15
        services.heartbeat(kiosk, BEAT, now=t0 + dt.timedelta(minutes=minute))
    rows = list(UptimeInterval.objects.filter(device=kiosk).order_by("start").values_list("start", "end"))
    assert rows == [(t0, t0 + dt.timedelta(minutes=3)), (t0 + dt.timedelta(minutes=15), t0 + dt.timedelta(minutes=16))]


def test_commands_go_to_their_own_kiosk_until_it_says_they_are_done(client: Any, airport: Location,
                                                                     kiosk: Device) -> None:
    other = Device.objects.create(location=airport, name="TX-2")
    mine, theirs = enrolled(client, kiosk), enrolled(client, other)
    command = services.command_queue(kiosk, Command.Kind.MESSAGE, {"text": "Bảo trì lúc 22:00"})
    assert beat(client, theirs, {**BEAT, "ack": [command.pk]}).json()["commands"] == []  # not its command
    first = beat(client, mine).json()["commands"]
    assert [(c["kind"], c["payload"]["text"]) for c in first] == [("message", "Bảo trì lúc 22:00")]
    assert len(beat(client, mine).json()["commands"]) == 1  # the answer may have been lost: sent again
    assert beat(client, mine, {**BEAT, "ack": [command.pk]}).json()["commands"] == []
    command.refresh_from_db()
    assert command.delivered_at and command.acked_at


def test_enrolment_guesses_are_rate_limited(client: Any, kiosk: Device, settings: Any) -> None:
    import random

    settings.KIOSK_ENROLS_PER_MINUTE = 3
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"  # noqa: S311
    answers = [client.post("/api/v1/kiosks/enrol", {"code": f"AAAA-AAA{n}"}, content_type="application/json",
                           REMOTE_ADDR=address).status_code for n in range(5)]
    assert answers[:3] == [404, 404, 404] and answers[3:] == [429, 429]


def test_the_fleet_page_shows_each_kiosks_state_and_the_actions_are_audited(client: Any, people: dict,
                                                                             kiosk: Device) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    enrolled(client, kiosk)
    Device.objects.filter(pk=kiosk.pk).update(last_seen_at=timezone.now() - dt.timedelta(minutes=8))
    client.force_login(people["admin"])
    page = client.get("/admin/kiosks/device/").content.decode()
    assert "late (&gt; 5 min)" in page
    answer = client.post("/admin/kiosks/device/", {"action": "new_enrol_code", "_selected_action": [kiosk.pk]},
                         follow=True)
    assert "Enrolment code for" in answer.content.decode()
    client.post("/admin/kiosks/device/", {"action": "revoke_token", "_selected_action": [kiosk.pk]})
    notes = set(AuditEntry.objects.filter(content_type__model="device").values_list("note", flat=True))
    assert {"enrolment code given", "token revoked"} <= notes


def test_the_plans_four_locations_load_once_run_by_the_promotion_centre(db: Any) -> None:
    assert services.locations_load() == 4
    assert services.locations_load() == 0  # kept
    named = Location.objects.filter(named_in_plan=True).select_related("operator", "place")
    assert {loc.kind for loc in named} == {"airport", "station", "border", "city"}
    assert all(loc.operator and loc.operator.kind == "promotion" for loc in named)
    border = named.get(slug="na-meo")
    assert border.point == (border.place.lat, border.place.lon)


def test_uptime_counts_opening_hours_and_the_plans_target_counts_working_kiosks(db: Any) -> None:
    from zoneinfo import ZoneInfo

    from xuthanh.kiosks import selectors

    services.locations_load()
    airport = Location.objects.get(slug="tho-xuan")
    one = Device.objects.create(location=airport, name="TX-1")  # screen 06:00–22:00
    two = Device.objects.create(location=airport, name="TX-2")
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    for minute in range(0, 4 * 60 + 1):  # up 08:00–12:00 local
        services.heartbeat(one, BEAT, now=dt.datetime(2026, 12, 7, 8, tzinfo=zone) + dt.timedelta(minutes=minute))
    now = dt.datetime(2026, 12, 7, 14, tzinfo=zone)
    services.heartbeat(two, BEAT, now=now - dt.timedelta(minutes=2))
    Device.objects.filter(pk=one.pk).update(last_seen_at=now - dt.timedelta(minutes=3))
    states = {s.device.name: s for s in selectors.fleet(list(Device.objects.order_by("name")), now, days=3)}
    assert states["TX-1"].today == pytest.approx((4 * 3600 + 30) / (8 * 3600), abs=0.001)  # of 06:00–14:00
    assert states["TX-1"].daily[:2] == [0.0, 0.0] and states["TX-1"].status == "online"
    cover = selectors.coverage(list(states.values()), list(Location.objects.all()))
    assert (cover["complete"], cover["named"], cover["share"]) == (1, 4, 25.0)


def test_the_fleet_dashboard_draws_the_target_the_chart_and_the_map(client: Any, people: dict, kiosk: Device) -> None:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    services.heartbeat(kiosk, BEAT)
    client.force_login(people["admin"])
    page = client.get("/admin/kiosks/device/dashboard/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="chart-uptime"' in html and 'id="fleet-data"' in html
    assert "0 of 1 named locations" in html and "Thọ Xuân" in html
    client.force_login(people["outsider"])
    assert client.get("/admin/kiosks/device/dashboard/").status_code in (302, 403)


def test_anonymous_use_is_added_per_day_once_per_batch_and_cleaned(client: Any, kiosk: Device) -> None:
    from xuthanh.kiosks.models import Use

    token = enrolled(client, kiosk)
    use = {"id": "b1", "sessions": 2, "handoffs": 1, "languages": {"en": 1, "zh-hans": 1}, "searches": {"Lam Kinh": 1}}
    assert beat(client, token, {**BEAT, "use": use}).status_code == 200
    assert beat(client, token, {**BEAT, "use": use}).status_code == 200  # the same batch again (a lost answer)
    assert beat(client, token, {**BEAT, "use": {**use, "id": "b2", "searches": {"lam  kinh": 2}}}).status_code == 200
    day = Use.objects.get(device=kiosk)
    assert (day.sessions, day.handoffs, day.languages, day.searches) == (4, 2, {"en": 2, "zh-hans": 2},
                                                                         {"lam kinh": 3})
    nonsense = {"id": "b3", "sessions": -1, "handoffs": "x", "languages": {"xx": 1, "fr": 1},
                "searches": {f"query {chr(97 + n % 26)}{chr(97 + n // 26)}": 1 for n in range(80)} | {"x" * 101: 1}}
    assert beat(client, token, {**BEAT, "use": nonsense}).status_code == 200  # the beat goes through
    day.refresh_from_db()
    assert day.sessions == 4 and day.languages == {"en": 2, "zh-hans": 2, "fr": 1} and len(day.searches) == 50
    kiosk.refresh_from_db()
    assert kiosk.last_seen_at is not None


def test_a_revoked_token_loses_the_race_and_a_retired_kiosk_keeps_no_token(client: Any, people: dict,
                                                                            kiosk: Device) -> None:
    token = enrolled(client, kiosk)
    device = services.device_for_token(token)
    services.revoke(kiosk)  # between the token's check and the heartbeat's write
    with pytest.raises(services.TokenRevoked):
        services.heartbeat(device, BEAT)
    token = enrolled(client, kiosk)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["admin"])
    form = {"location": kiosk.location_id, "name": "TX-1", "orientation": "portrait", "languages": '["en"]',
            "idle_seconds": 90, "group": "", "screen_on": "06:00", "screen_off": "22:00", "state": "retired"}
    assert client.post(f"/admin/kiosks/device/{kiosk.pk}/change/", form).status_code == 302
    kiosk.refresh_from_db()
    assert kiosk.token_hash is None and beat(client, token).status_code == 401
    bad = client.post(f"/admin/kiosks/device/{kiosk.pk}/change/", {**form, "languages": '["en-us"]'})
    assert bad.status_code == 200 and "language codes" in bad.content.decode()


def test_the_audit_log_never_holds_a_token_or_code_hash(client: Any, people: dict, kiosk: Device) -> None:
    enrolled(client, kiosk)
    kiosk.refresh_from_db()
    client.force_login(people["admin"])
    client.post("/admin/kiosks/device/", {"action": "new_enrol_code", "_selected_action": [kiosk.pk]})
    client.post("/admin/kiosks/device/", {"action": "revoke_token", "_selected_action": [kiosk.pk]})
    entries = list(AuditEntry.objects.filter(content_type__model="device"))
    assert len(entries) == 2
    text = json.dumps([[e.changes, e.snapshot] for e in entries])
    assert kiosk.token_hash not in text and "enrol_code_hash" in text  # named as changed, never its value


def png(width: int = 1080, height: int = 1920) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_a_kiosks_screenshot_is_kept_small_one_per_device_and_at_most_hourly(client: Any, kiosk: Device,
                                                                             admin_client: Any) -> None:
    token = enrolled(client, kiosk)
    url = "/api/v1/kiosks/screenshot"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.post(url, png(), content_type="image/png").status_code == 401
    assert client.post(url, png(), content_type="image/png", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert client.post(url, b"{}", content_type="application/json", **auth).status_code == 415
    refused = client.post(url, b"not an image", content_type="image/jpeg", **auth)
    assert refused.status_code == 415 and "not a readable image" in refused.json()["message"]
    assert client.post(url, b"x" * (2 * 1024 * 1024), content_type="image/jpeg", **auth).status_code == 413
    first = client.post(url, png(), content_type="image/png", **auth)
    assert first.status_code == 200, first.content
    kiosk.refresh_from_db()
    name = kiosk.screenshot.name
    assert name.startswith("kiosks/screens/") and name.endswith(".jpg")
    assert client.post(url, png(), content_type="image/png", **auth).status_code == 429
    services.screenshot_store(kiosk, png(), now=timezone.now() + dt.timedelta(hours=1))
    kiosk.refresh_from_db()
    assert kiosk.screenshot.name != name and not kiosk.screenshot.storage.exists(name)  # replaced, not piled up
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    shown = admin_client.get(f"/admin/kiosks/device/{kiosk.pk}/screenshot/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert b"/screenshot/" in admin_client.get(f"/admin/kiosks/device/{kiosk.pk}/change/").content
    client.logout()
    assert client.get(f"/admin/kiosks/device/{kiosk.pk}/screenshot/").status_code == 302


def test_a_heartbeat_locks_its_own_kiosk_row_only(client: Any, kiosk: Device) -> None:
    """The lock is taken on the device alone: joined by the model's ordering, the location's row would be
    locked too, and every kiosk of a location would wait for the others (PostgreSQL: half the throughput)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = enrolled(client, kiosk)
    with CaptureQueriesContext(connection) as queries:
        assert beat(client, token).status_code == 200
    locking = [q["sql"] for q in queries.captured_queries
               if q["sql"].startswith('SELECT "kiosks_device"."last_use_id"')]  # services.heartbeat's lock
    assert locking and all("JOIN" not in sql for sql in locking), locking
