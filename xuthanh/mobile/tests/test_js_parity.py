"""The app's JavaScript gives the server's answers: text folding (static/mobile/fold.js against
core.text.fold) and "open now" (static/mobile/hours.js against core.hours), run in Node.js."""

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone

from xuthanh.catalog.models import Place
from xuthanh.core.text import fold
from xuthanh.mobile.offline import hours_out, window_for

STATIC = Path(__file__).resolve().parents[1] / "static" / "mobile"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is missing (make installs it with npm)")

CORPUS = [
    "Thành nhà Hồ", "THÀNH NHÀ HỒ", "Đền Bà Triệu", "đường Đặng Tất", "Đ", "đ", "Pù Luông", "Sầm Sơn",
    "Lễ hội Lam Kinh", "Nem chua Thanh Hóa", "Hải Tiến", "Cẩm Thủy", "Thường Xuân", "Mường Lát",
    "Quảng Xương", "Ngọc Lặc", "Bá Thước", "ủy ban", "Ủy Ban", "thuở", "Khuất", "nguyễn", "ỷ ỹ ỵ ỳ ý",
    "胡朝城", "清化省", "蓝京", "岑山海滩", "簡體 / 繁體", "Citadelle de la dynastie des Hồ", "Fête de l'été",
    "Égypte", "Noël", "garçon", "cœur", "Straße", "ÆØÅ æøå", "Łódź", "Ðakovo", "ƀ", "İstanbul", "ﬁn", "ς",
    "  spaces\tand\nnew lines  ", "a_b-c.d,e;f!g?h", "(Thành) — «nhà» “Hồ” …", "100% 2025/02/10", "x²", "①",
    "", "   ", "___", "#hashtag @user", "café-bar", "Hồ Chí Minh City", "Bãi biển Sầm Sơn (Thanh Hoá)",
    "Thanh Hoá vs Thanh Hóa", "Ꞌ", "ǅemal", "ⅻ", "🙂 emoji", "Ø", "ø",
]


def run_node(script: str, payload: object) -> object:
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def modules(tmp_path_factory) -> Path:
    """The app's ES modules copied beside a package.json that makes Node read them as modules."""
    folder = tmp_path_factory.mktemp("mobile-js")
    for path in STATIC.glob("*.js"):
        shutil.copy(path, folder / path.name)
    (folder / "package.json").write_text('{"type": "module"}')
    return folder


def module(folder: Path, name: str) -> str:
    return (folder / name).as_uri()


READ_STDIN = "let input = ''; for await (const chunk of process.stdin) input += chunk; const data = JSON.parse(input);"


def test_fold_gives_the_same_text_as_the_server_on_the_corpus(modules):
    script = f"""{READ_STDIN}
const {{ fold }} = await import("{module(modules, 'fold.js')}");
console.log(JSON.stringify(data.map((t) => fold(t))));"""
    folded = run_node(script, CORPUS)
    mismatches = [(text, js, fold(text)) for text, js in zip(CORPUS, folded, strict=True) if js != fold(text)]
    assert not mismatches, mismatches


def test_fold_search_ranks_the_name_match_first_without_accents(modules):
    items = [
        {"slug": "a", "name": "Đền Bà Triệu", "text": "den ba trieu", "popularity": 10},
        {"slug": "b", "name": "Thành nhà Hồ", "text": "thanh nha ho vinh loc", "popularity": 90},
        {"slug": "c", "name": "Chợ Vĩnh Lộc", "text": "cho vinh loc thanh hoa", "popularity": 95},
    ]
    script = f"""{READ_STDIN}
const {{ search }} = await import("{module(modules, 'fold.js')}");
const found = data.queries.map((q) => [q, search(data.items, q).map((i) => i.slug)]);
console.log(JSON.stringify(Object.fromEntries(found)));"""
    queries = ["den ba", "DEN BA TRIỆU", "vinh", "vinh loc", "thanh", "xyz"]
    found = run_node(script, {"items": items, "queries": queries})
    assert found["den ba"] == ["a"] and found["DEN BA TRIỆU"] == ["a"]
    assert found["vinh"] == ["c", "b"]  # the name starts with it, then a place whose other words do
    assert found["thanh"][0] == "b" and found["xyz"] == []


@pytest.mark.django_db
def test_open_now_in_the_app_agrees_with_the_server_for_every_place_at_many_moments(modules):
    today = timezone.localdate()
    window = window_for(today)
    places = list(Place.objects.prefetch_related("opening_rules", "closure_dates"))
    tz = timezone.get_default_timezone()
    moments = [
        dt.datetime.combine(today + dt.timedelta(days=d), dt.time(h, m), tzinfo=tz)
        for d in range(0, 7)
        for h, m in ((0, 30), (6, 59), (7, 0), (11, 45), (12, 0), (17, 29), (17, 30), (21, 0), (23, 59))
    ]
    payload = {
        "places": [hours_out(p, window) for p in places],
        "moments": [m.astimezone(dt.UTC).isoformat() for m in moments],
    }
    script = f"""{READ_STDIN}
const {{ isOpen }} = await import("{module(modules, 'hours.js')}");
console.log(JSON.stringify(data.places.map((h) => data.moments.map((m) => isOpen(h, new Date(m))))));"""
    answers = run_node(script, payload)
    problems = []
    for place, hours, row in zip(places, payload["places"], answers, strict=True):
        known = hours["always"] or hours["rules"]
        for moment, js in zip(moments, row, strict=True):
            expected = place.hours().is_open(moment) if known else None
            if js != expected:
                problems.append((place.slug, moment.isoformat(), js, expected))
    assert not problems, problems[:10]


def test_the_browser_languages_pick_a_configured_language(modules):
    script = f"""{READ_STDIN}
const {{ matchLanguage }} = await import("{module(modules, 'i18n.js')}");
console.log(JSON.stringify(data.cases.map((wanted) => matchLanguage(wanted, data.configured, "vi"))));"""
    configured = [{"code": code} for code in ("vi", "en", "zh-hans", "fr")]
    cases = [["fr-CA", "en"], ["zh-CN"], ["zh"], ["zh-Hans-CN"], ["de-DE", "en-US"], ["ja"], ["VI"], []]
    assert run_node(script, {"cases": cases, "configured": configured}) == [
        "fr", "zh-hans", "zh-hans", "zh-hans", "en", "vi", "vi", "vi",
    ]


def test_the_timeline_highlights_the_next_stop_and_when_to_leave_for_it(modules):
    script = f"""{READ_STDIN}
const trips = await import("{module(modules, 'trips.js')}");
const day = data.day;
console.log(JSON.stringify(data.moments.map((m) => trips.timeline(day, new Date(m)))));"""
    day = {
        "date": "2026-03-10",
        "stops": [
            {"arrive": "08:20", "leave": "09:30", "travel_minutes": 20},
            {"arrive": "10:05", "leave": "11:00", "travel_minutes": 35},
            {"arrive": "13:30", "leave": "15:00", "travel_minutes": 25},
        ],
    }
    moments = ["2026-03-10T01:45:00Z", "2026-03-10T02:30:00Z", "2026-03-10T05:00:00Z", "2026-03-10T09:00:00Z",
               "2026-03-09T05:00:00Z"]  # 08:45, 09:30, 12:00, 16:00 in Thanh Hóa; the day before
    now, after, lunch, evening, before = run_node(script, {"day": day, "moments": moments})
    assert (now["current"], now["next"], now["leaveAt"]) == (0, 1, "09:30")
    assert (after["current"], after["next"], after["leaveAt"]) == (-1, 1, "09:30")
    assert (lunch["current"], lunch["next"], lunch["leaveAt"]) == (-1, 2, "13:05")
    assert (evening["current"], evening["next"], evening["leaveAt"]) == (-1, -1, None)
    assert before["today"] is False and before["next"] == 0
