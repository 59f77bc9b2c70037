"""Tourism statistics at scale (issue #18): 3,000 registered businesses filing monthly reports for ten years,
on SQLite and PostgreSQL. One command, one table:

    .venv/bin/python bench/mis.py --db sqlite,postgres

For each database it migrates a fresh one (SQLite in a folder under var/bench, removed afterwards; PostgreSQL
`xuthanh_mbench_<pid>`, created and dropped), loads the Thanh Hóa data and the report forms, then generates
`--businesses` synthetic establishments (names start with "[BENCH]", `is_sample` off so they count; they live
only in this database): about 70 % accommodation of the eight types with rooms, beds and, for the star types,
a star-rating credential; 20 % travel agencies; 10 % tourist sites, spread unevenly over the real communes (so
some communes have fewer than three and are suppressed in public). Each files a submitted monthly report for
every month of `--years` full years ending last year, with seasonal figures that pass `stats.checks.check`
under its form (the parts add up, capacity holds; one report in 250 is checked by it during generation, the
import checks a whole year), inserted in bulk. Then every month's roll-up is built with
`services.refresh_month` (timed). Every report is filed under the current version of its form (version 1,
valid from 2022): the years before exist only here, to give the roll-ups ten years of rows; the year that is
exported and imported is within the version's validity, as the import requires.

Measured in the same process as the views (Django's test client; page cache off; the anonymous API limit
raised): the dashboard `/admin/stats/` for a department statistician (years, quarters and months), the roll-up
`selectors.rollup` by total, commune, class and market over years and quarters (public and not), the open API
`/api/v1/statistics/figures?by=commune`, the public page `/en/statistics/`, the XLSX export of the last year
(`exports.year_xlsx`) and its import back (`exports.import_xlsx`: every row checked, stored as corrections,
the year's roll-up rebuilt). Targets (issue #18): pages and roll-ups p95 < 300 ms, export ≤ 10 s, import ≤ 30 s.

`--businesses 300 --years 3` is a quick run (about a minute per database). `BENCH_PROFILE=prefix` writes a
cProfile of each step to `prefix.<db>.<step>.txt` (the timings are then inflated by the profiler).
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stack import postgres_database  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
TARGET_MS = 300.0
TARGET_EXPORT_S = 10.0
TARGET_IMPORT_S = 30.0


def say(message: str) -> None:
    print(f"[mis] {message}", file=sys.stderr, flush=True)


def pct(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, int(round(len(ordered) * q)) - 1))]


# ---- synthetic reports ---------------------------------------------------------------------------------------

ACC_TYPES = [  # type, share, rooms range, beds per room
    ("hotel", 0.38, (15, 220), (1.6, 2.2)),
    ("guesthouse", 0.22, (6, 30), (1.5, 2.0)),
    ("homestay", 0.16, (2, 12), (2.0, 4.0)),
    ("villa", 0.07, (4, 20), (2.0, 3.0)),
    ("apartment", 0.07, (10, 80), (1.8, 2.5)),
    ("boat", 0.02, (4, 24), (2.0, 2.0)),
    ("camping", 0.04, (5, 40), (2.0, 4.0)),
    ("other", 0.04, (3, 20), (1.5, 2.5)),
]
STAR_TYPES = {"hotel", "villa", "apartment", "boat"}
# Thanh Hóa's season: the beaches fill from April to August (Sầm Sơn), Tết in January–February.
SEASON = [0.55, 0.7, 0.5, 0.75, 1.0, 1.3, 1.45, 1.3, 0.7, 0.55, 0.5, 0.6]
MARKET_WEIGHTS = {"CN": 20, "TW": 6, "JP": 5, "KR": 12, "TH": 9, "LA": 14, "KH": 2, "FR": 5, "US": 4, "RU": 2,
                  "DE": 2, "DK": 1, "GB": 3, "AU": 3, "OTHER": 12}


def split(total: int, rng: random.Random, markets: dict[str, float]) -> dict[str, int]:
    """`total` guests over the establishment's usual markets (its shares, varied a little), summing exactly."""
    shares = {m: share * noise(rng) for m, share in markets.items()}
    scale = sum(shares.values())
    out = {m: int(total * s / scale) for m, s in shares.items()}
    first = next(iter(out))
    out[first] += total - sum(out.values())
    return {m: n for m, n in out.items() if n}


def noise(rng: random.Random) -> float:
    """A month's own variation around the establishment's habits: small, so that the same month a year
    later stays well within the forms' `jump_factor` (3×) and the import asks for few confirmations."""
    return rng.uniform(0.93, 1.07)


def floor(count: float) -> int:
    """Counts under 10 are reported as 0 (a few guests more or less would be a 3× jump)."""
    return int(count) if count >= 10 else 0


def accommodation_month(unit: dict, month: dt.date, rng: random.Random, growth: float) -> tuple[dict, dict]:
    days = calendar.monthrange(month.year, month.month)[1]
    rooms, beds = unit["rooms"], unit["beds"]
    rooms_available = rooms - (1 if rooms > 10 and rng.random() < 0.2 else 0)
    beds_available = min(beds, max(rooms_available, beds - (2 if rng.random() < 0.2 else 0)))
    occupancy = min(0.97, max(0.05, unit["base"] * SEASON[month.month - 1] * growth * noise(rng)))
    room_nights = int(rooms_available * days * occupancy)
    bed_nights = int(beds_available * days * min(0.97, occupancy * unit["bed_use"]))
    guest_days = int(bed_nights * unit["stay_use"])
    overnight = int(guest_days / (unit["stay"] * noise(rng)))
    same_day = floor(overnight * unit["day_share"] * noise(rng))
    total = overnight + same_day
    international = floor(total * unit["intl"] * noise(rng))
    values: dict[str, Any] = {
        "guests_total": total, "guests_overnight": overnight, "guests_day": same_day,
        "guests_international": international, "guests_domestic": total - international,
        "guest_days": guest_days, "rooms_available": rooms_available, "beds_available": beds_available,
        "room_nights_sold": room_nights, "bed_nights_sold": bed_nights,
    }
    if international:
        values["guests_by_market"] = split(international, rng, unit["markets"])
    rate = unit["rate"]
    revenue_international = international * rate * 2
    revenue_domestic = (total - international) * rate + room_nights * rate // 4
    values.update(revenue_total=revenue_international + revenue_domestic,
                  revenue_international=revenue_international, revenue_domestic=revenue_domestic)
    derived: dict[str, float] = {}
    if rooms_available:
        derived["room_occupancy"] = round(room_nights / (rooms_available * days) * 100, 2)
    if beds_available:
        derived["bed_occupancy"] = round(bed_nights / (beds_available * days) * 100, 2)
    if overnight:
        derived["average_stay"] = round(guest_days / overnight, 2)
    return values, derived


def travel_month(unit: dict, month: dt.date, rng: random.Random, growth: float) -> tuple[dict, dict]:
    size = unit["size"] * SEASON[month.month - 1] * growth * noise(rng)
    inbound, outbound, domestic = (floor(size * share * noise(rng)) for share in (unit["intl"], 0.1, 0.8))
    total = inbound + outbound + domestic
    tours = min(total, max(1, round(total / unit["per_tour"]))) if total else 0
    values: dict[str, Any] = {
        "tours": tours, "guests_total": total, "guests_inbound": inbound, "guests_outbound": outbound,
        "guests_domestic": domestic, "guest_days": int(total * unit["stay"] * noise(rng)),
        "revenue_total": total * unit["rate"],
    }
    if inbound:
        values["guests_by_market"] = split(inbound, rng, unit["markets"])
    derived = {"guests_per_tour": round(total / tours, 2)} if tours else {}
    return values, derived


def site_month(unit: dict, month: dt.date, rng: random.Random, growth: float) -> tuple[dict, dict]:
    total = int(unit["size"] * SEASON[month.month - 1] * growth * noise(rng))
    international = floor(total * unit["intl"] * noise(rng))
    return {"visitors_total": total, "visitors_international": international,
            "visitors_domestic": total - international, "revenue_total": total * unit["rate"]}, {}


MONTHLY = {"accommodation": accommodation_month, "travel": travel_month, "site": site_month}


# ---- the worker: runs inside one database's environment --------------------------------------------------------


def profiled(name: str, fn: Callable[[], Any]) -> Any:
    """Run `fn`, under cProfile into `$BENCH_PROFILE.<db>.<name>.txt` when BENCH_PROFILE is set."""
    prefix = os.environ.get("BENCH_PROFILE")
    if not prefix:
        return fn()
    import cProfile
    import pstats

    from django.db import connection

    profiler = cProfile.Profile()
    result = profiler.runcall(fn)
    with open(f"{prefix}.{connection.vendor}.{name}.txt", "w") as out:
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    return result


def timed_calls(calls: list[Callable[[], Any]]) -> list[float]:
    calls[0]()  # warm-up (first use of templates, translations, prepared statements)
    times = []
    for call in calls:
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def generate(businesses: int, years: list[int], rng: random.Random) -> dict:
    from django.db import connection, transaction

    from xuthanh.areas.models import Commune
    from xuthanh.core.text import fold
    from xuthanh.registry.models import Credential, Establishment
    from xuthanh.stats import checks, periods
    from xuthanh.stats.models import Report, ReportForm

    started = time.perf_counter()
    communes = list(Commune.objects.values_list("pk", flat=True))
    rng.shuffle(communes)
    # uneven: a few towns hold many businesses, many rural communes one or two
    commune_weights = [1.0 / (i + 1) ** 0.9 for i in range(len(communes))]
    forms = {f.kind: f for f in ReportForm.objects.filter(period=periods.MONTH, valid_to__isnull=True)}
    units, credentials = [], []
    meta: list[dict] = []
    for n in range(businesses):
        roll = rng.random()
        kind = "accommodation" if roll < 0.7 else "travel" if roll < 0.9 else "site"
        fields: dict[str, Any] = {}
        usual = list(dict.fromkeys(rng.choices(list(MARKET_WEIGHTS), weights=list(MARKET_WEIGHTS.values()),
                                               k=rng.randint(1, 6))))
        info: dict[str, Any] = {"kind": kind, "intl": rng.choice([0.0, 0.02, 0.05, 0.1, 0.2, 0.35]),
                                "markets": {m: rng.uniform(0.2, 1.0) for m in usual}}
        if kind == "accommodation":
            acc, _share, (low, high), (bpr_low, bpr_high) = rng.choices(ACC_TYPES, weights=[t[1] for t in ACC_TYPES])[0]
            rooms = int(low + (high - low) * rng.random() ** 2)
            beds = max(rooms, int(rooms * rng.uniform(bpr_low, bpr_high)))
            fields = {"accommodation_type": acc, "rooms": rooms, "beds": beds}
            stars = None
            if acc in STAR_TYPES:
                stars = rng.choices([None, 1, 2, 3, 4, 5], weights=[20, 15, 30, 20, 10, 5])[0]
            info.update(rooms=rooms, beds=beds, acc=acc, stars=stars, base=rng.uniform(0.25, 0.7),
                        rate=rng.choice([150_000, 300_000, 500_000, 900_000, 1_500_000]) * (stars or 1),
                        bed_use=rng.uniform(0.8, 1.0), stay_use=rng.uniform(0.85, 1.0), stay=rng.uniform(1.2, 2.6),
                        day_share=rng.uniform(0.0, 0.15))
            label, prefix = f"{acc.capitalize()} {n:05d}", "LT"
        elif kind == "travel":
            fields = {"travel_scope": rng.choice(["domestic", "international"])}
            info.update(size=rng.uniform(50, 2500), rate=rng.choice([800_000, 2_000_000, 5_000_000]),
                        per_tour=rng.uniform(12, 30), stay=rng.uniform(1.1, 3.5))
            label, prefix = f"Lữ hành {n:05d}", "LH"
        else:
            info.update(size=rng.uniform(500, 60_000), rate=rng.choice([0, 20_000, 50_000, 150_000]))
            label, prefix = f"Điểm du lịch {n:05d}", "DL"
        code = f"bench-{prefix.lower()}-{n:05d}"
        name = f"[BENCH] {label}"
        address = f"Số {n % 300 + 1} đường Thử nghiệm"
        units.append(Establishment(
            code=code, name=name, kind=kind, commune_id=rng.choices(communes, weights=commune_weights)[0],
            address=address, is_sample=False, search_text=fold(f"{name} {code}  {address}"), **fields,
        ))
        meta.append(info)
    with transaction.atomic():
        Establishment.objects.bulk_create(units, batch_size=500)
        for unit, info in zip(units, meta, strict=True):
            info["pk"], info["commune_id"] = unit.pk, unit.commune_id
            if info.get("stars"):
                credentials.append(Credential(
                    establishment_id=unit.pk, kind="stars", number=f"QĐ-{unit.code}", stars=info["stars"],
                    issued_on=dt.date(years[0] - 1, 6, 1), issuer="Sở VHTTDL Thanh Hóa (bench)",
                    expires_on=dt.date(years[-1] + 5, 6, 1),
                ))
        Credential.objects.bulk_create(credentials, batch_size=1000)
    say(f"{businesses} establishments ({sum(m['kind'] == 'accommodation' for m in meta)} accommodation, "
        f"{len(credentials)} star ratings)")

    # The reports are written with one parametrised INSERT per row, sent together (bulk_create spent ~0.3 ms
    # of Python per report); each value goes through its field's own conversion (JSON, dates).
    columns = ["establishment", "form", "period", "period_start", "state", "values", "derived", "confirmed",
               "submitted_at", "late", "corrections", "commune", "kind", "accommodation_type", "stars",
               "created_at", "updated_at"]
    quote = connection.ops.quote_name
    insert = (f"INSERT INTO {quote(Report._meta.db_table)} "  # noqa: S608 - the model's own table and columns
              f"({', '.join(quote(Report._meta.get_field(c).column) for c in columns)}) "
              f"VALUES ({', '.join(['%s'] * len(columns))})")

    def prep(name: str, value: Any) -> Any:
        return Report._meta.get_field(name).get_db_prep_save(value, connection)

    created = prep("created_at", dt.datetime.now(dt.UTC))
    empty_list = prep("confirmed", [])
    moments: dict[dt.date, Any] = {}
    checked = 0
    reports = 0
    for year in years:
        for m in range(1, 13):
            month = dt.date(year, m, 1)
            growth = 1.06 ** (year - years[0])
            due = periods.due_date(forms["accommodation"].definition["due"], periods.MONTH, month)
            rows = []
            stamp = prep("period_start", month)
            for info in meta:
                form = forms[info["kind"]]
                values, derived = MONTHLY[info["kind"]](info, month, rng, growth)
                if rng.random() < 0.004:  # the generator keeps the forms' rules: check some against them
                    context: dict[str, float] = {"days": periods.days_in(periods.MONTH, month)}
                    if info["kind"] == "accommodation":
                        context.update(registered_rooms=info["rooms"], registered_beds=info["beds"])
                    outcome = checks.check(form.definition, values, context=context)
                    assert outcome.ok and outcome.derived == derived, (info, values, outcome)
                    checked += 1
                late = rng.random() < 0.12
                day = due + dt.timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 18))
                if day not in moments:
                    moments[day] = prep("submitted_at", dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC))
                rows.append((
                    info["pk"], form.pk, periods.MONTH, stamp, Report.State.SUBMITTED, prep("values", values),
                    prep("derived", derived), empty_list, moments[day], late, 0, info["commune_id"], info["kind"],
                    info.get("acc", ""), info.get("stars"), created, created,
                ))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(insert, rows)
            reports += len(rows)
        say(f"{year}: {reports:,} reports")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"generate_s": round(time.perf_counter() - started, 1), "reports": reports, "checked": checked}


def correct(data: bytes, year: int) -> tuple[bytes, int]:
    """The year's export with every report corrected (revenue 1 VND more, its parts still adding up), as an
    officer would send it back: with the column `confirmed` naming, on each line, the figures more than the
    form's `jump_factor` apart from the same month a year before (the import asks for that confirmation).
    Written as a spreadsheet program saves it, with the sheet's size recorded (Excel and LibreOffice do;
    openpyxl's write-only mode does not, and reading such a file costs openpyxl a second pass)."""
    from openpyxl import load_workbook

    from xuthanh.stats import checks
    from xuthanh.stats.models import Report, ReportForm

    definitions = {(f.code, f.version): f.definition for f in ReportForm.objects.all()}
    before = {
        (code, f"{start:%Y-%m}"): values
        for code, start, values in Report.objects.filter(
            period="month", period_start__year=year - 1, state=Report.State.SUBMITTED
        ).values_list("establishment__code", "period_start", "values")
    }
    rows = load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)
    header = list(next(rows))
    at = {name: i for i, name in enumerate(header)}
    lines: list[list[Any]] = [[*header, "confirmed"]]
    confirmations = 0
    for row in rows:
        row = list(row)
        definition = definitions[(row[at["form"]], row[at["version"]])]
        values: dict[str, Any] = {}
        for indicator in definition["indicators"]:
            code = indicator["code"]
            if indicator.get("by_market"):
                markets = {m: row[at[f"{code}:{m}"]] for m in definition["markets"] if row[at[f"{code}:{m}"]]}
                if markets:
                    values[code] = markets
            elif row[at[code]] is not None:
                values[code] = row[at[code]]
        factor = definition.get("jump_factor", 0)
        same_month_before = (row[at["code"]], f"{year - 1}{row[at['month']][4:]}")
        then = checks.flat(definition, before.get(same_month_before) or {})
        jumps = [code for code, now in checks.flat(definition, values).items()
                 if then.get(code) and now and (now > then[code] * factor or now * factor < then[code])]
        confirmations += len(jumps)
        row[at["revenue_total"]] += 1
        part = "revenue_domestic" if row[at["revenue_domestic"]] is not None else None
        if part:
            row[at[part]] += 1
        lines.append([*row, ",".join(jumps)])
    from xuthanh.stats.exports import _workbook

    return _workbook(str(year), lines), confirmations


def worker(businesses: int, years: int, requests: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from xuthanh.orgs.models import Membership, Organisation, Role
    from xuthanh.stats import exports, selectors, services
    from xuthanh.stats.models import Aggregate, Report

    rng = random.Random(18)
    last_year = dt.date.today().year - 1
    year_list = list(range(last_year - years + 1, last_year + 1))
    result: dict[str, Any] = {"vendor": connection.vendor, "businesses": businesses, "years": len(year_list)}
    result.update(generate(businesses, year_list, rng))

    months = [dt.date(y, m, 1) for y in year_list for m in range(1, 13)]
    per_month = []

    def refresh_all() -> None:
        for month in months:
            t0 = time.perf_counter()
            services.refresh_month(month)
            per_month.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    profiled("refresh", refresh_all)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE stats_aggregate")
    result.update(refresh_s=round(time.perf_counter() - t0, 1),
                  refresh_month_ms=round(statistics.mean(per_month) * 1000),
                  refresh_month_max_ms=round(max(per_month) * 1000), aggregates=Aggregate.objects.count())
    say(f"roll-up of {len(months)} months: {result['refresh_s']} s, {result['aggregates']:,} cells")

    department = Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT)
    user = get_user_model().objects.create_user("bench_statistician")
    Membership.objects.create(user=user, organisation=department, role=Role.STATISTICIAN)
    user = get_user_model().objects.get(pk=user.pk)
    client = Client()
    client.force_login(user)
    anonymous = Client()

    def get(c: Client, url: str) -> Callable[[], None]:
        def call() -> None:
            response = c.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
        return call

    periods_q = []  # (year, "&quarter=.."/"&month=..") varied over the years generated
    for i in range(requests):
        year = year_list[-1 - (i % min(len(year_list) - 1, 8))] if len(year_list) > 1 else year_list[0]
        extra = ["", f"&quarter={i % 4 + 1}", "", f"&month={i % 12 + 1}"][i % 4]
        periods_q.append((year, extra))

    # (1) the dashboard
    calls = [get(client, f"/admin/stats/?year={y}{e}") for y, e in periods_q]
    times = profiled("dashboard", lambda: timed_calls(calls))
    result["dashboard"] = times

    # (2) the roll-ups
    specs = [("accommodation:revenue_total", "total"), ("travel:guests_total", "total"),
             ("accommodation:guests_total", "commune"), ("accommodation:room_occupancy", "class"),
             ("accommodation:guests_by_market", "market")]
    rollups, dimensions = [], []
    for i, (year, _extra) in enumerate(periods_q[: max(4, requests // 4)]):
        for quarter in (None, i % 4 + 1):
            for indicator, dimension in specs:
                for public in (True, False):
                    rollups.append(lambda ind=indicator, d=dimension, y=year, q=quarter, p=public:
                                   selectors.rollup(ind, d, selectors.months_of(y, q), public=p))
                    dimensions.append(dimension)
    result["rollup"] = profiled("rollup", lambda: timed_calls(rollups))
    slowest: dict[str, float] = {}
    for dimension, t in zip(dimensions, result["rollup"], strict=True):
        slowest[dimension] = round(max(slowest.get(dimension, 0.0), t), 1)
    result["rollup_max_by_dimension"] = slowest

    # (3) the open API by commune
    api_calls = [get(anonymous, f"/api/v1/statistics/figures?year={y}&by=commune{e}") for y, e in periods_q]
    result["api"] = profiled("api", lambda: timed_calls(api_calls))

    # (6) the public page
    result["public"] = profiled("public", lambda: timed_calls([get(anonymous, "/en/statistics/")] * requests))

    # (4) the export of the last year
    year = year_list[-1]
    t0 = time.perf_counter()
    data = profiled("export", lambda: exports.year_xlsx(year))
    result["export_s"] = round(time.perf_counter() - t0, 2)
    result["export_mb"] = round(len(data) / 1e6, 1)
    result["year_reports"] = Report.objects.filter(period_start__year=year).count()
    say(f"export of {year}: {result['export_s']} s, {result['export_mb']} MB")

    # (5) that year imported back as corrections (every report's revenue 1 VND more)
    t0 = time.perf_counter()
    corrected, confirmations = correct(data, year)
    say(f"corrections of {year} written in {time.perf_counter() - t0:.1f} s ({confirmations} figures confirmed)")
    t0 = time.perf_counter()
    outcome = profiled("import", lambda: exports.import_xlsx(corrected, actor=user))
    result["import_s"] = round(time.perf_counter() - t0, 2)
    assert outcome.ok, [str(e) for e in outcome.errors[:5]]
    result["imported"], result["confirmed"] = outcome.stored, confirmations
    assert Report.objects.filter(period_start__year=year, corrections=1).count() == outcome.stored
    say(f"import of {year}: {result['import_s']} s, {outcome.stored:,} reports")

    for key in ("dashboard", "rollup", "api", "public"):
        times = result.pop(key)
        result[key] = {"n": len(times), "p50": round(statistics.median(times), 1), "p95": round(pct(times, 0.95), 1),
                       "max": round(max(times), 1)}
    return result


# ---- the orchestrator ------------------------------------------------------------------------------------------


def run_one(db: str, args: argparse.Namespace) -> dict:
    var = ROOT / "var" / "bench" / f"mis-{os.getpid()}-{db}"
    var.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "XUTHANH_VAR_DIR": str(var),
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "PAGE_CACHE_SECONDS": "0",
        "API_ANONYMOUS_PER_MINUTE": "1000000",
        "DJANGO_SETTINGS_MODULE": "xuthanh.settings",
        "REDIS_URL": "",
    }

    def go(database_url: str | None) -> dict:
        if database_url:
            env["DATABASE_URL"] = database_url
        else:
            env.pop("DATABASE_URL", None)
        t0 = time.perf_counter()
        for command in (["migrate", "--no-input", "-v0"], ["load_thanhhoa"], ["load_report_forms"]):
            subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        say(f"{db}: migrated and loaded in {time.perf_counter() - t0:.0f} s; generating")
        out = subprocess.run(
            [PY, __file__, "--worker", "--businesses", str(args.businesses), "--years", str(args.years),
             "--requests", str(args.requests)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        )
        if out.returncode:
            raise SystemExit(f"{db}: the worker failed ({out.returncode})")
        return json.loads(out.stdout.strip().splitlines()[-1])

    try:
        if db == "postgres":
            with postgres_database("xuthanh_mbench") as url:
                return go(url)
        return go(None)
    finally:
        shutil.rmtree(var, ignore_errors=True)


def table(results: list[dict]) -> str:
    lines = ["| database | measure | n | p50 | p95 / time | target | met |", "|---|---|---|---|---|---|---|"]

    def mark(ok: bool | None) -> str:
        return "" if ok is None else "✓" if ok else "✗"

    for r in results:
        db = r["vendor"]
        lines.append(f"| {db} | generate {r['businesses']:,} businesses × {r['years']} years: {r['reports']:,} reports "
                     f"({r['checked']} checked by the form's rules) | | | {r['generate_s']} s | | |")
        lines.append(f"| {db} | roll-up of every month (`refresh_month` × {r['years'] * 12}), "
                     f"{r['aggregates']:,} cells | {r['years'] * 12} | {r['refresh_month_ms']} ms/month | "
                     f"{r['refresh_s']} s (max {r['refresh_month_max_ms']} ms) | | |")
        for key, label in (("dashboard", "dashboard `/admin/stats/?year=…` (quarters, months)"),
                           ("rollup", "`selectors.rollup` total/commune/class/market, year and quarter, public or not"),
                           ("api", "API `/api/v1/statistics/figures?year=…&by=commune`"),
                           ("public", "public page `/en/statistics/`")):
            s = r[key]
            lines.append(f"| {db} | {label} | {s['n']} | {s['p50']} ms | {s['p95']} ms | p95 < {TARGET_MS:.0f} ms | "
                         f"{mark(s['p95'] < TARGET_MS)} |")
        lines.append(f"| {db} | `exports.year_xlsx` of a year: {r['year_reports']:,} reports ({r['export_mb']} MB) "
                     "| | | "
                     f"{r['export_s']} s | ≤ {TARGET_EXPORT_S:.0f} s | {mark(r['export_s'] <= TARGET_EXPORT_S)} |")
        lines.append(f"| {db} | `exports.import_xlsx` of that file: {r['imported']:,} corrections | | | "
                     f"{r['import_s']} s | "
                     f"≤ {TARGET_IMPORT_S:.0f} s | {mark(r['import_s'] <= TARGET_IMPORT_S)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--businesses", type=int, default=3_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=40, help="requests per page or API measure")
    parser.add_argument("--out", help="also write the results as JSON to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.businesses, args.years, args.requests)))
        return
    started = time.perf_counter()
    results = [run_one(db, args) for db in args.db.split(",")]
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2))
    print(table(results))
    print(f"\n({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
