"""The app's own JavaScript rules, run in Node.js: the plural rule read without `new Function` (CSP), the
language of a browser the platform does not speak, the time to leave once it has passed, and the sentences
shown for a failed request (never a raw browser message, the service worker's "offline" answer understood)."""

import pytest

from xuthanh.mobile.tests.test_js_parity import NODE, READ_STDIN, module, modules, run_node  # noqa: F401

pytestmark = pytest.mark.skipif(NODE is None, reason="node is missing (make installs it with npm)")


def test_plural_rules_are_read_without_eval_and_code_is_refused(modules):  # noqa: F811
    script = f"""{READ_STDIN}
const {{ compilePlural }} = await import("{module(modules, 'i18n.js')}");
const outcome = ([rule, ns]) => {{ const f = compilePlural(rule); return f ? ns.map(f) : null; }};
console.log(JSON.stringify(data.map(outcome)));"""
    russian = "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"
    cases = [
        ["(n > 1)", [0, 1, 2]],  # French
        ["(n != 1)", [0, 1, 2]],  # English
        ["0", [1, 5]],  # Vietnamese, Chinese
        [russian, [1, 2, 5, 11, 21, 22, 25]],
        ["alert(1)", [1]],
        ["n; fetch('/x')", [1]],
        ["constructor.constructor('return this')()", [1]],
    ]
    assert run_node(script, cases) == [[0, 0, 1], [1, 0, 1], [0, 0], [0, 1, 2, 2, 0, 1, 2], None, None, None]
    source = (modules / "i18n.js").read_text()
    assert "new Function(" not in source and "eval(" not in source


def test_a_browser_in_a_language_the_platform_lacks_gets_the_fallback_not_vietnamese(modules, client):  # noqa: F811
    html = client.get("/app/").content.decode()
    assert '"fallback": "en"' in html
    script = f"""{READ_STDIN}
const {{ matchLanguage }} = await import("{module(modules, 'i18n.js')}");
console.log(JSON.stringify(data.cases.map((wanted) => matchLanguage(wanted, data.configured, "en"))));"""
    configured = [{"code": code} for code in ("vi", "en", "zh-hans", "fr")]
    cases = [["ja-JP"], ["ko-KR", "ko"], ["vi-VN", "en"], ["ja-JP", "fr"]]
    assert run_node(script, {"cases": cases, "configured": configured}) == ["en", "en", "vi", "fr"]


def test_a_time_to_leave_that_has_passed_says_leave_now(modules):  # noqa: F811
    script = f"""{READ_STDIN}
const trips = await import("{module(modules, 'trips.js')}");
console.log(JSON.stringify(data.moments.map((m) => trips.timeline(data.day, new Date(m)))));"""
    day = {
        "date": "2026-03-10",
        "stops": [
            {"arrive": "08:20", "leave": "09:30", "travel_minutes": 20},
            {"arrive": "10:05", "leave": "11:00", "travel_minutes": 35},
        ],
    }
    # 09:00, 09:30 and 09:50 in Thanh Hóa (UTC+7), whatever the phone's own time zone
    moments = ["2026-03-10T02:00:00Z", "2026-03-10T02:30:00Z", "2026-03-10T02:50:00Z"]
    early, on_time, late = run_node(script, {"day": day, "moments": moments})
    assert (early["next"], early["leaveAt"], early["late"]) == (1, "09:30", False)
    assert (on_time["next"], on_time["late"]) == (1, True)
    assert (late["current"], late["next"], late["leaveAt"], late["late"]) == (-1, 1, "09:30", True)


def test_failed_requests_are_explained_in_the_travellers_words(modules):  # noqa: F811
    script = f"""{READ_STDIN}
globalThis.navigator = {{ onLine: true }};
const ui = await import("{module(modules, 'ui.js')}");
const outcome = async (response) => {{
  try {{ return {{ data: await ui.answer(response) }}; }}
  catch (error) {{
    return {{ name: error.name, status: error.status, offline: error.offline, says: ui.explain(error) }};
  }}
}};
const headers = {{ "Content-Type": "application/json" }};
const json = (status, body) => new Response(JSON.stringify(body), {{ status, headers }});
const results = [
  await outcome(json(200, {{ ok: 1 }})),
  await outcome(json(503, {{ detail: "offline", message: "You are offline and this was not saved on the device." }})),
  await outcome(json(404, {{ detail: "not_found", message: "No trip with this share link." }})),
  await outcome(new Response("<html>Hotel Wi-Fi login</html>", {{ status: 200 }})),
  await outcome(new Response("", {{ status: 502 }})),
  {{ says: ui.explain(new TypeError("Failed to fetch")) }},
];
console.log(JSON.stringify(results));"""
    ok, offline, missing, captive, bad_gateway, no_network = run_node(script, {})
    assert ok == {"data": {"ok": 1}}
    assert offline["offline"] is True and offline["says"] == "You are offline. This needs an internet connection."
    assert missing["status"] == 404 and missing["says"] == "No trip with this share link."
    connection = "The connection failed or is too weak. Check your signal and try again."
    assert captive["name"] == "SyntaxError" and captive["says"] == connection
    assert bad_gateway["status"] == 502 and bad_gateway["says"] == "Something went wrong. Please try again."
    assert no_network["says"] == connection


def test_opening_hours_are_written_for_people_in_their_language(modules):  # noqa: F811
    """#15 item 7: the app showed the stored rule, "Mo-Su 07:00-17:30"."""
    script = f"""{READ_STDIN}
const {{ weekHours }} = await import("{module(modules, 'hours.js')}");
console.log(JSON.stringify(data.cases.map(([hours, lang]) => weekHours(hours, lang, new Date(data.now)))));"""
    every_day = {"rules": [["0123456", None, [[420, 1050]]]], "closed": []}
    weekdays_only = {"rules": [["01234", None, [[480, 690], [810, 1020]]]], "closed": ["2026-03-11"]}
    now = "2026-03-10T01:00:00Z"  # Tuesday 10 March, 08:00 in Thanh Hóa
    simple, week, unknown = run_node(
        script, {"now": now, "cases": [[every_day, "zh-hans"], [weekdays_only, "fr"], [{"rules": []}, "en"]]}
    )
    assert simple["everyDay"] == ["07:00–17:30"]
    assert week["everyDay"] is None and len(week["days"]) == 7
    tuesday, wednesday, *_rest, monday = week["days"]
    assert (tuesday["weekday"], tuesday["today"]) == ("mar.", True)
    assert tuesday["intervals"] == ["08:00–11:30", "13:30–17:00"]
    assert wednesday["intervals"] == []  # a closed date
    assert monday["weekday"] == "lun." and unknown is None


def test_a_day_reads_in_time_order_road_then_stop_and_lunch_at_its_time(modules):  # noqa: F811
    """#15 item 7: lunch came after the last stop, and each "min on the road" sat under the stop it leads to."""
    script = f"""{READ_STDIN}
globalThis.document = undefined;
const {{ dayTimeline }} = await import("{module(modules, 'screens.js')}");
const label = (i) => i.kind === "stop" ? i.stop.place : i.kind === "leg" ? `road ${{i.minutes}}` : "lunch";
console.log(JSON.stringify(dayTimeline(data).map(label)));"""
    day = {
        "stops": [
            {"place": "a", "arrive": "08:30", "leave": "10:00", "travel_minutes": 30},
            {"place": "b", "arrive": "10:20", "leave": "11:30", "travel_minutes": 20},
            {"place": "c", "arrive": "13:40", "leave": "15:00", "travel_minutes": 25},
        ],
        "lunch": {"start": "11:45", "leave": "13:00", "name": "Quán ăn"},
    }
    assert run_node(script, day) == ["road 30", "a", "road 20", "b", "lunch", "road 25", "c"]


def test_a_past_one_off_edition_is_said_to_be_over(modules):  # noqa: F811
    """#15 item 4: the app offered "Sầm Sơn Sea Tourism Festival 2025 — No date in the next 12 months"."""
    script = f"""{READ_STDIN}
const {{ isOver }} = await import("{module(modules, 'screens.js')}");
console.log(JSON.stringify(data.map((e) => isOver(e, "2026-12-07"))));"""
    events = [{"edition_end": "2025-04-26"}, {"edition_end": "2027-04-26"}, {"edition_end": None}, {}]
    assert run_node(script, events) == [True, False, False, False]
