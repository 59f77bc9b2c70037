"""Trip planning over the real Thanh Hóa catalogue: the built problem follows the places' opening hours,
tickets and interests, every plan passes the engine's independent checker, and impossible requests are
explained in plain words."""

import datetime as dt

import pytest
from django.utils import translation

from xuthanh.catalog.models import ClosureDate, Event, OpeningRule, Place, Tag, TicketPrice
from xuthanh.core.models import Status
from xuthanh.itinerary import engine, services
from xuthanh.itinerary.schemas import LockedIn, ReplanIn, StartFromIn

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)
TUESDAY = MONDAY + dt.timedelta(days=1)
FAST = 0.3  # seconds of search per plan in these tests


def two_days(**extra) -> dict:
    return {
        "start_date": MONDAY.isoformat(),
        "end_date": TUESDAY.isoformat(),
        "start": {"place": "cang-hang-khong-tho-xuan"},
        "end": {"place": "ga-thanh-hoa"},
        "lodging": {"lat": 19.806, "lon": 105.785},
        "interests": ["history", "spirituality"],
        "lang": "en",
        **extra,
    }


def plan_checked(request: dict, **kwargs) -> tuple[services.TripProblem, engine.Plan, dict]:
    built = services.trip_problem_build(request, **kwargs)
    plan = services.trip_solve(built, time_limit=FAST)
    assert engine.check(built.problem, plan) == []
    return built, plan, services.plan_out(built, plan)


def visits_by_date(out: dict) -> dict[str, list[str]]:
    return {day["date"]: [stop["place"] for stop in day["stops"]] for day in out["days"]}


@pytest.fixture
def monday_museum(commune_other):
    """A much-liked history museum in the city, closed on Mondays, 08:00–17:00 otherwise."""
    place = Place.objects.create(
        slug="bao-tang-dong-cua-thu-hai",
        kind="attraction",
        category="museum",
        commune=commune_other,
        lat=19.807,
        lon=105.776,
        visit_minutes=60,
        popularity=100,
        status=Status.PUBLISHED,
    )
    place.set_current_language("vi")
    place.name = "Bảo tàng đóng cửa thứ Hai"
    place.save()
    place.tags.set(Tag.objects.filter(slug__in=["history", "spirituality", "culture"]))
    OpeningRule.objects.create(place=place, weekdays="123456", opens=dt.time(8), closes=dt.time(17))
    return place


def test_a_two_day_trip_from_the_airport_to_the_station_is_feasible():
    built, plan, out = plan_checked(two_days())
    first, second = out["days"]
    assert (first["date"], second["date"]) == (MONDAY.isoformat(), TUESDAY.isoformat())
    assert first["start"]["place"] == "cang-hang-khong-tho-xuan" and first["start"]["time"] == "08:00"
    assert second["end"]["place"] == "ga-thanh-hoa" and second["end"]["time"] <= "18:00"
    assert first["end"]["place"] is None and second["start"]["lat"] == pytest.approx(19.806)
    assert out["totals"]["visits"] >= 4
    for day in out["days"]:
        assert day["lunch"] is not None
        for stop in day["stops"]:
            assert stop["arrive"] <= stop["start"] < stop["leave"]
            assert stop["name"] and stop["why"]
    assert any(
        "matches your interests: History" in reason for day in out["days"] for s in day["stops"] for reason in s["why"]
    )
    assert out["explanation"] == []


def test_a_place_closed_on_mondays_gets_no_window_on_a_monday_and_is_never_visited_then(monday_museum):
    built, plan, out = plan_checked(two_days(must_see=[monday_museum.slug]))
    candidate = next(c for c in built.problem.candidates if c.id == monday_museum.slug)
    assert candidate.windows[0] == []
    assert candidate.windows[1] == [(8 * 60, 17 * 60 - 60)]  # the latest start leaves time for the visit
    visits = visits_by_date(out)
    assert monday_museum.slug not in visits[MONDAY.isoformat()]
    assert monday_museum.slug in visits[TUESDAY.isoformat()]


def test_a_one_day_monday_trip_explains_why_the_must_see_is_missing(monday_museum):
    request = two_days(end_date=MONDAY.isoformat(), must_see=[monday_museum.slug])
    _built, _plan, out = plan_checked(request)
    assert monday_museum.slug not in visits_by_date(out)[MONDAY.isoformat()]
    assert out["unplaced"] == [
        {
            "place": monday_museum.slug,
            "name": "Bảo tàng đóng cửa thứ Hai",
            "reason": "it is closed on every day of the trip",
            "code": "closed",
            "args": [],
        }
    ]
    assert any("could not be placed: it is closed on every day" in line for line in out["explanation"])


def test_a_must_see_far_away_is_placed_or_explained():
    _built, _plan, out = plan_checked(two_days(must_see=["thanh-nha-ho"]))
    placed = [s for day in out["days"] for s in day["stops"] if s["place"] == "thanh-nha-ho"]
    if placed:
        assert "on your must-see list" in placed[0]["why"]
    else:
        assert [u["place"] for u in out["unplaced"]] == ["thanh-nha-ho"]


def test_the_ticket_budget_is_respected():
    expensive = list(Place.objects.filter(kind="attraction", status=Status.PUBLISHED).order_by("-popularity")[:10])
    for place in expensive:
        TicketPrice.objects.create(place=place, audience="adult", price_vnd=40_000)
    _built, plan, out = plan_checked(two_days(budget_vnd=100_000))
    assert out["totals"]["ticket_vnd"] == plan.cost <= 100_000
    assert sum(s["ticket_vnd"] for day in out["days"] for s in day["stops"]) == out["totals"]["ticket_vnd"]
    assert out["totals"]["ticket_vnd"] > 0


def test_pace_scales_visit_lengths_and_the_day():
    relaxed = services.trip_problem_build(two_days(pace="relaxed"))
    intense = services.trip_problem_build(two_days(pace="intense"))
    by_id = {c.id: c for c in intense.problem.candidates}
    citadel = next(c for c in relaxed.problem.candidates if c.id == "thanh-nha-ho")
    assert citadel.service > by_id["thanh-nha-ho"].service
    assert relaxed.problem.days[0].end_time < 18 * 60 < intense.problem.days[0].end_time


def test_indoor_only_leaves_out_beaches_nature_waterfalls_and_landscapes():
    _built, _plan, out = plan_checked(two_days(indoor_only=True, interests=["beach", "nature"]))
    categories = set(
        Place.objects.filter(slug__in=[s["place"] for d in out["days"] for s in d["stops"]]).values_list(
            "category", flat=True
        )
    )
    assert not categories & services.OUTDOOR_CATEGORIES


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start_date": "2026-12-09"}, "The start date 2026-12-09 is after the end date 2026-12-08."),
        ({"end_date": "2027-02-04"}, "The trip is 60 days long; plan at most 14 days at a time."),
        ({"lodging": {"lat": 48.85, "lon": 2.35}}, "The point 48.85, 2.35 is outside Vietnam"),
        ({"must_see": ["no-such-place"]}, "Unknown or unpublished places: no-such-place."),
        ({"budget_vnd": -1}, "The ticket budget cannot be negative."),
        ({"places": [f"place-{i}" for i in range(301)]}, "301 candidate places were given; at most 300"),
        ({"day_end": "07:00"}, "The day must end after it starts."),
        ({"start_date": "0001-01-01"}, "Plan trips between 2000-01-01 and 2199-12-31."),
        ({"days": [{"day": 3, "start_time": "09:00"}]}, "Day 3 is not a day of the trip."),
    ],
)
def test_impossible_requests_are_refused_with_a_reason(change, message):
    with pytest.raises(services.TripError, match=message.replace(".", r"\.")):
        services.trip_plan(two_days(**change), time_limit=FAST)


def test_a_date_when_everything_is_closed_is_explained():
    for place in Place.objects.filter(status=Status.PUBLISHED):
        ClosureDate.objects.create(place=place, date=MONDAY, reason="test")
    _built, _plan, out = plan_checked(two_days())
    monday, tuesday = out["days"]
    assert monday["stops"] == [] and tuesday["stops"]
    assert out["explanation"][0] == (
        "On Monday Dec. 7, 2026 none of the places to visit is open, so day 1 has no visits."
    )


def test_a_festival_at_a_place_that_day_raises_its_score_and_is_given_as_the_reason(commune_other):
    citadel = Place.objects.get(slug="thanh-nha-ho")
    plain = services.trip_problem_build(two_days())
    event = Event.objects.create(
        slug="le-hoi-thu",
        place=citadel,
        commune=citadel.commune,
        recurrence=Event.Recurrence.ONCE,
        start_date=MONDAY,
        status=Status.PUBLISHED,
    )
    event.set_current_language("en")
    event.name = "Test festival"
    event.save()
    built, _plan, out = plan_checked(two_days(must_see=["thanh-nha-ho"], end_date=MONDAY.isoformat()))
    score = {c.id: c.score for c in plain.problem.candidates}["thanh-nha-ho"]
    assert {c.id: c.score for c in built.problem.candidates}["thanh-nha-ho"] > score
    stop = next(s for s in out["days"][0]["stops"] if s["place"] == "thanh-nha-ho")
    assert "festival that day: Test festival" in stop["why"]


def test_the_engine_never_searches_longer_than_the_cap(monkeypatch):
    asked = []
    monkeypatch.setattr(services.engine, "solve", lambda problem, **kw: asked.append(kw["time_limit"]) or 1 / 0)
    built = services.trip_problem_build(two_days())
    with pytest.raises(ZeroDivisionError):
        services.trip_solve(built, time_limit=600)
    assert asked == [services.MAX_TIME_LIMIT] and services.MAX_TIME_LIMIT <= 2


def test_names_come_in_the_requested_language():
    for lang, airport, citadel in (
        ("vi", "Cảng hàng không Thọ Xuân", "Thành nhà Hồ"),
        ("fr", "Aéroport de Thọ Xuân", "Citadelle de la dynastie des Hồ"),
    ):
        request = two_days(lang=lang, must_see=["thanh-nha-ho"], end_date=MONDAY.isoformat())
        _built, _plan, out = plan_checked(request)
        assert out["lang"] == lang
        assert out["days"][0]["start"]["label"] == airport
        assert citadel in [s["name"] for s in out["days"][0]["stops"]]


def test_replan_keeps_locked_stops_and_leaves_out_what_is_excluded():
    trip = services.trip_create(request=two_days(), time_limit=FAST)
    first_day = trip.plan["days"][0]["stops"]
    second_day = trip.plan["days"][1]["stops"]
    keep, drop = first_day[-1]["place"], second_day[0]["place"]
    changes = ReplanIn(locked=[LockedIn(place=keep, day=1)], exclude=[drop])
    replanned = services.trip_replan(trip.edit_token, changes=changes, time_limit=FAST)
    visits = visits_by_date(replanned.plan)
    assert keep in visits[MONDAY.isoformat()]
    assert all(drop not in places for places in visits.values())
    assert drop in replanned.request["excluded"]
    assert "kept as you asked" in next(s for s in replanned.plan["days"][0]["stops"] if s["place"] == keep)["why"]


def test_replan_from_here_now_keeps_the_past_days_and_starts_where_the_traveller_is():
    trip = services.trip_create(request=two_days(), time_limit=FAST)
    done = trip.plan["days"][1]["stops"][0]["place"]
    here = StartFromIn(lat=19.74, lon=105.9, day=2, time=dt.time(13, 0))
    replanned = services.trip_replan(trip.edit_token, changes=ReplanIn(start_from=here, done=[done]), time_limit=FAST)
    old_first = [s["place"] for s in trip.plan["days"][0]["stops"]]
    new_first, new_second = replanned.plan["days"]
    assert [s["place"] for s in new_first["stops"]] == old_first
    assert new_second["start"]["lat"] == 19.74 and new_second["start"]["time"] == "13:00"
    assert all(s["start"] >= "13:00" for s in new_second["stops"])
    assert done not in [s["place"] for s in new_second["stops"]]


def test_replan_indoors_and_with_a_new_must_see():
    trip = services.trip_create(request=two_days(), time_limit=FAST)
    replanned = services.trip_replan(
        trip.edit_token, changes=ReplanIn(indoor_only=True, add_must_see=["thanh-nha-ho"]), time_limit=FAST
    )
    assert replanned.request["indoor_only"] is True
    assert "thanh-nha-ho" in replanned.request["must_see"]


def test_replan_refuses_to_lock_an_excluded_place():
    trip = services.trip_create(request=two_days(), time_limit=FAST)
    place = trip.plan["days"][0]["stops"][0]["place"]
    changes = ReplanIn(locked=[LockedIn(place=place, day=1)], exclude=[place])
    with pytest.raises(services.TripError, match="Locked stops cannot also be excluded"):
        services.trip_replan(trip.edit_token, changes=changes, time_limit=FAST)


def test_an_unknown_token_is_not_found():
    with pytest.raises(services.TripNotFound):
        services.trip_replan("not-a-token", time_limit=FAST)


def test_a_place_without_entered_hours_is_planned_in_the_daytime_with_a_caveat():
    place = Place.objects.get(slug="bao-tang-tinh-thanh-hoa")
    assert not place.always_open and not place.opening_rules.exists()
    built, plan, out = plan_checked(two_days(must_see=[place.slug]))
    candidate = next(c for c in built.problem.candidates if c.id == place.slug)
    service = candidate.service
    assert candidate.windows == [[(8 * 60, 17 * 60 - service)]] * 2
    stop = next(s for d in out["days"] for s in d["stops"] if s["place"] == place.slug)
    assert "opening hours not known: check them before going" in stop["why"]


def test_a_lock_on_a_day_outside_the_trip_is_explained():
    with pytest.raises(services.TripError, match="Day 5 is not a day of the trip."):
        services.trip_problem_build(two_days(), locked=[LockedIn(place="thanh-nha-ho", day=5)])


def test_a_must_see_over_the_budget_is_explained_with_both_amounts():
    place = Place.objects.get(slug="thanh-nha-ho")
    place.tickets.all().delete()
    TicketPrice.objects.create(place=place, audience="adult", price_vnd=40_000)
    _built, _plan, out = plan_checked(two_days(must_see=["thanh-nha-ho"], budget_vnd=30_000))
    assert out["unplaced"] == [
        {
            "place": "thanh-nha-ho",
            "name": "Citadel of the Hồ Dynasty",
            "reason": "its ticket (40,000 VND) alone is over the budget (30,000 VND)",
            "code": "budget",
            "args": [40_000, 30_000],
        }
    ]


def test_the_answer_deadline_bounds_the_search_after_the_problem_is_built(monkeypatch):
    import time

    seen = []
    real_solve = services.trip_solve

    def recording_solve(built, *, time_limit, seed=0):
        seen.append((time_limit, time.perf_counter()))
        return real_solve(built, time_limit=time_limit, seed=seed)

    monkeypatch.setattr(services, "trip_solve", recording_solve)
    deadline = time.perf_counter() + 0.4
    out = services.trip_plan(two_days(), time_limit=5.0, deadline=deadline)
    (limit, at) = seen[0]
    assert limit <= deadline - at - services.ANSWER_MARGIN + 1e-3  # what is left, not the 5 s asked
    assert out["totals"]["visits"] >= 1
    services.trip_plan(two_days(), time_limit=0.2, deadline=time.perf_counter() + 60)
    assert seen[1][0] == 0.2  # a far deadline leaves the time limit as it is


def test_what_could_not_fit_is_said_again_in_the_readers_language(monday_museum):
    """A trip planned in Vietnamese and shared: its notes, the left-out must-see and its reason read in English."""
    for place in Place.objects.filter(status=Status.PUBLISHED).exclude(pk=monday_museum.pk):
        ClosureDate.objects.create(place=place, date=MONDAY, reason="test")
    request = two_days(lang="vi", end_date=MONDAY.isoformat(), must_see=[monday_museum.slug])
    with translation.override("vi"):
        _built, _plan, out = plan_checked(request)
    assert out["notes"] == [
        {"code": "closed_day", "day": 1, "date": MONDAY.isoformat()},
        {"code": "unplaced", "place": monday_museum.slug},
    ]
    assert out["explanation"][0].startswith("Vào ") and "không có" in out["explanation"][0]
    english = services.plan_in_language(out, "en")
    assert english["explanation"] == [
        "On Monday Dec. 7, 2026 none of the places to visit is open, so day 1 has no visits.",
        f"{english['unplaced'][0]['name']} could not be placed: it is closed on every day of the trip.",
    ]
    assert english["unplaced"][0]["reason"] == "it is closed on every day of the trip"
    assert services.plan_in_language(out, "fr")["explanation"][0].startswith("Le lundi 7 décembre 2026")
    assert out["explanation"][0].startswith("Vào ")  # the stored plan is not changed


def test_plans_stored_before_the_codes_keep_their_sentences():
    _built, _plan, out = plan_checked(two_days(lang="en"))
    old = {**out, "explanation": ["An old sentence."], "unplaced": [{"place": "x", "name": "X", "reason": "old"}]}
    del old["notes"]
    again = services.plan_in_language(old, "vi")
    assert again["explanation"] == ["An old sentence."] and again["unplaced"][0]["reason"] == "old"


def test_every_chosen_interest_is_served_when_the_area_has_it():
    """#15 item 6: History and Beaches from a hotel at Sầm Sơn gave 16 history stops and no beach."""
    sam_son = Place.objects.get(slug="bien-sam-son")
    request = two_days(interests=["history", "beach"], lodging={"lat": sam_son.lat + 0.003, "lon": sam_son.lon})
    built, _plan, out = plan_checked(request)
    assert built.interest_leads["beach"] and built.interest_leads["history"]
    tags = {p.slug: {t.slug for t in p.tags.all()} for p in built.places.values()}
    visited = [s["place"] for d in out["days"] for s in d["stops"]]
    assert any("beach" in tags[slug] for slug in visited), visited
    assert any("history" in tags[slug] for slug in visited), visited
    assert not [n for n in out["notes"] if n["code"].startswith("interest_")]


def test_an_interest_without_places_nearby_is_said_not_skipped_silently():
    request = two_days(interests=["history", "beach"], places=["thanh-nha-ho", "lam-kinh", "den-ba-trieu"])
    with translation.override("en"):
        built, _plan, out = plan_checked(request)
    assert built.interest_leads["beach"] is None
    assert {"code": "interest_none_near", "interest": "beach"} in out["notes"]
    beach = Tag.objects.get(slug="beach")
    beach.set_current_language("en")
    assert any(f"No place for “{beach.name}”" in sentence for sentence in out["explanation"])


@pytest.mark.parametrize(("pace", "shortest"), [("relaxed", 45), ("normal", 30), ("intense", 20)])
def test_the_pace_keeps_each_visit_at_a_sensible_length(pace, shortest):
    built, _plan, out = plan_checked(two_days(pace=pace))
    sights = [c for c in built.problem.candidates if built.places[c.id].kind == Place.Kind.ATTRACTION]
    assert min(c.service for c in sights) >= shortest
    for day in out["days"]:
        for stop in day["stops"]:
            start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (stop["arrive"], stop["leave"]))
            assert end - start >= shortest, stop
