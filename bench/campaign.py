"""Campaigns (xuthanh/campaigns, issue #22): the short link `/go/<code>` under load against the bare reference
page in the same run, every click counted, and a campaign's dashboard over a year of 10 million clicks, on SQLite
and PostgreSQL. One command, one table:

    .venv/bin/python bench/campaign.py                      # both databases, 10 s per load: about 4 minutes
    .venv/bin/python bench/campaign.py --db sqlite,postgres --duration 60 --connections 32

For each database: a fresh one (SQLite in a temporary folder under var/bench, PostgreSQL `xuthanh_bench_<pid>`,
created and dropped: bench/web.py's `database`), migrated; the plan's 11 target markets (the app's loader); a
campaign running for the past year with --year-links links (each market's link channels in turn, one printed link
without a market) and --clicks clicks spread over its 365 × 24 hours (link popularity, the link's first day,
seasons, weekends, the hour of day in the market's own time zone), drawn exactly and written straight into
ClickHour (COPY on PostgreSQL); three more campaigns with --links short links for the load. The production stack
serves it (tests/stack.py: gunicorn gthread 2×4, DEBUG off, the app's log in the server's log).

Redirect: wrk (bench/web.py's runner and web_report.lua, one thread, --connections connections, never following
a redirect) for --duration seconds on the reference page (/bench/reference/) and as long on `/go/<code>`, in
rounds of --round seconds taking turns (bench/web.py's `interleaved`: each round draws afresh which server worker
takes how many connections), each /go/ request the next of 1,000 shuffled paths over the --links codes (popular
links more often), after a light warm-up. Before the load every code is asked once with HEAD (302, not counted)
and once with GET (302, counted). After the server has stopped, the shared counter is folded into ClickHour (what
the minute's job does) and the clicks of those links there are compared with the GETs sent:
web_report.lua counts every request it writes ("sent"), so the requests still in flight when wrk stops (at most
one per connection: wrk's "requests" are the answers it read) are in the expected count; the server still
answers them (and counts them) after wrk has gone.

Dashboard: the campaign's admin page (`/admin/campaigns/campaign/<id>/dashboard/`) asked --calls times through
the stack by a signed-in superuser (session made beforehand, as contest.py does), timed by the client; and
`selectors.figures(campaign)` --calls times in a process of its own, with each query's time and the slowest
one's plan (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite) in the progress log.

Targets (the issue): /go/ ≥ 1 × the reference's requests/s, clicks counted = GETs sent, no error; the dashboard
page p95 < 300 ms. The table goes to stdout, progress to stderr. Installs nothing: wrk comes from
`apt-get install -y wrk`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import stack  # noqa: E402 - the stack's processes, shared with the other benchmarks

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web  # noqa: E402 - bench/web.py: wrk with web_report.lua over a file of paths, a database per run
from contest import percentile, server_problems  # noqa: E402 - bench/contest.py: p-th of timings, server log

REFERENCE = dict(web.ENDPOINTS)[web.REFERENCE]
TARGET_RATIO = 1.0
TARGET_DASHBOARD_P95_MS = 300
ERRORS = ("connect_errors", "read_errors", "write_errors", "timeouts", "http_errors")
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # as services.CODE_ALPHABET: codes as the app makes them
# the plan's target markets (xuthanh/campaigns/data/markets.toml, loaded by the app's loader): the hour of their
# evening in UTC (Vietnam's for a market not listed)
UTC_OFFSETS = {"cn": 8, "tw": 8, "jp": 9, "kr": 9, "fr": 1, "de": 1, "dk": 1, "ru": 3, "us": -5, "vn-north": 7,
               "vn-south": 7}
TARGETS = ["/vi/", "/en/", "/zh-hans/places/?tag=history", "/vi/places/thanh-nha-ho/", "/en/places/?kind=attraction",
           "/fr/places/?tag=beach", "/zh-hans/places/thanh-nha-ho/", "/vi/places/?tag=beach", "/en/places/?tag=nature"]


def say(message: str) -> None:
    print(f"[campaign] {message}", file=sys.stderr, flush=True)


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuthanh.settings")
    django.setup()


# ---- inside the benchmark's environment (run as `campaign.py --setup/--count/--figures`) -----------------------


def _year_clicks(markets: list[str], total: int, days: int):  # noqa: ANN202 - a numpy array
    """`total` clicks (exactly) drawn over the hours of `days` days of links of these markets ("" for none): an
    array of links × hours (from the first day's midnight in Vietnam), most of a link's clicks in its market's
    evening, more on weekends, at Tết, in the beach summer and at the Lam Kinh festival, links of uneven
    popularity, some started during the year."""
    import numpy as np

    rng = np.random.default_rng(2026)
    offsets = [UTC_OFFSETS.get(code, 7) for code in markets]
    day = np.arange(days)
    first = dt.date.today() - dt.timedelta(days=days)
    doy = np.array([(first + dt.timedelta(days=int(d))).timetuple().tm_yday for d in day])
    weekend = np.array([(first + dt.timedelta(days=int(d))).weekday() >= 5 for d in day])
    season = (1.0 + 0.35 * weekend + 1.6 * np.exp(-((doy - 41) / 9.0) ** 2)  # Tết
              + 1.1 * np.exp(-((doy - 195) / 28.0) ** 2)  # summer at the beaches
              + 0.5 * np.exp(-((doy - 265) / 6.0) ** 2))  # Lam Kinh festival
    season *= rng.lognormal(0.0, 0.2, days)
    local = (0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.4, 0.55, 0.6, 0.65, 0.75, 0.9, 0.8, 0.65, 0.6, 0.62, 0.7,
             0.85, 1.0, 1.0, 0.9, 0.6, 0.25)  # a phone's day: lunch and evening peaks
    popularity = rng.lognormal(0.0, 1.0, len(markets))
    starts = np.where(rng.random(len(markets)) < 0.7, 0, rng.integers(0, days - 14, len(markets)))
    weights = np.empty((len(markets), days * 24))
    for n, offset in enumerate(offsets):
        hours = np.array([local[(h + offset - 7) % 24] for h in range(24)])  # h: hours from Vietnam's midnight
        row = np.outer(season, hours).ravel() * popularity[n]
        row[: starts[n] * 24] = 0.0
        weights[n] = row
    return rng.multinomial(total, (weights / weights.sum()).ravel()).reshape(weights.shape)


def setup(args: argparse.Namespace, out: Path) -> None:
    """Markets, the year's campaign with its clicks, the load's campaigns and links, a signed-in superuser."""
    _django()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import timezone

    from xuthanh.campaigns import loader
    from xuthanh.campaigns.models import Campaign, ClickHour, Link, Market
    from xuthanh.orgs.models import Organisation

    rng = random.Random(22)
    started = time.perf_counter()
    codes: set[str] = set()

    def code() -> str:
        while (made := "".join(rng.choice(ALPHABET) for _ in range(7))) in codes:
            pass
        codes.add(made)
        return made

    with transaction.atomic():
        owner = Organisation.objects.create(name="Sở Văn hóa, Thể thao và Du lịch (bench)", slug="bench-campaigns",
                                            kind=Organisation.Kind.DEPARTMENT)
        loader.load()
        markets = {market.code: market for market in Market.objects.all()}
        # each market's networks that are link channels, most used first
        channels = {slug: [n for n in market.networks if n in Link.Channel.values] or ["facebook"]
                    for slug, market in markets.items()}

        def campaign(slug: str, title: str, starts: dt.date, ends: dt.date, chosen: list[str]) -> Campaign:
            made = Campaign(slug=slug, owner=owner, starts=starts, ends=ends, budget_vnd=2_000_000_000,
                            spent_vnd=1_500_000_000, status=Campaign.Status.RUNNING)
            made.set_current_language("vi")
            made.title = title
            made.save()
            made.markets.set([markets[m] for m in chosen if m in markets] or list(markets.values())[:3])
            return made

        today = dt.date.today()
        year = campaign("bench-nam-du-lich", "Năm Du lịch Thanh Hóa (bench)", today - dt.timedelta(days=365), today,
                        list(markets))
        spread = [(None, "print")] + [(m, channels[m][n % len(channels[m])]) for n in range(args.year_links)
                                      for m in markets]
        year_links = Link.objects.bulk_create([
            Link(campaign=year, market=markets[m] if m else None, channel=channel, item=f"bai-{n}", code=code(),
                 target=TARGETS[n % len(TARGETS)])
            for n, (m, channel) in enumerate(spread[: args.year_links])
        ])
        loads = [campaign("bench-tet", "Tết ở Xứ Thanh (bench)", today, today + dt.timedelta(days=60),
                          ["vn-north", "vn-south", "cn", "tw"]),
                 campaign("bench-he-sam-son", "Hè Sầm Sơn (bench)", today, today + dt.timedelta(days=90),
                          ["vn-north", "vn-south", "kr", "ru", "dk"]),
                 campaign("bench-lam-kinh", "Lễ hội Lam Kinh (bench)", today, today + dt.timedelta(days=30),
                          ["vn-north", "jp", "fr", "de", "us"])]
        go = []
        for n in range(args.links):
            load = loads[n % len(loads)]
            chosen = sorted(x.code for x in load.markets.all())
            market = chosen[(n // len(loads)) % len(chosen)] if n % 10 != 9 else None  # a tenth without market
            channel = channels[market][n % len(channels[market])] if market else "print"
            go.append(Link(campaign=load, market=markets[market] if market else None, channel=channel,
                           item=f"post-{n}", code=code(), target=TARGETS[n % len(TARGETS)]))
        go = Link.objects.bulk_create(go)

    # the year: clicks per link and hour (UTC hours from the first day's local midnight), zero hours left out
    say(f"drawing {args.clicks:,} clicks over {len(year_links)} links × {365 * 24} hours…")
    counts = _year_clicks([link.market.code if link.market else "" for link in year_links], args.clicks, 365)
    local_midnight = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=365), dt.time()))
    first = local_midnight.astimezone(dt.UTC)
    hours = [first + dt.timedelta(hours=h) for h in range(365 * 24)]
    table = ClickHour._meta.db_table
    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (link_id, kind, hour, count) FROM STDIN") as copy:
                for n, link in enumerate(year_links):
                    for h in counts[n].nonzero()[0]:
                        copy.write_row((link.pk, "click", hours[h], int(counts[n, h])))
                        rows += 1
        else:  # the ORM's own form of a datetime on SQLite (naive UTC text), as ClickHour.objects would write it
            stored = [connection.ops.adapt_datetimefield_value(h) for h in hours]
            batch = [(link.pk, "click", stored[h], int(counts[n, h])) for n, link in enumerate(year_links)
                     for h in counts[n].nonzero()[0]]
            cursor.executemany(f"INSERT INTO {table} (link_id, kind, hour, count) VALUES (%s, %s, %s, %s)",  # noqa: S608
                               batch)
            rows = len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would soon after such a load
            cursor.execute("VACUUM ANALYZE")
    say(f"{rows:,} ClickHour rows ({args.clicks / rows:.1f} clicks a row) written")
    from xuthanh.campaigns import services as campaign_services

    started = time.perf_counter()  # what the hourly task (campaigns.tasks.rollup_days) keeps done in production
    rolled = campaign_services.rollup_days()
    say(f"{rolled} finished days rolled up into ClickDay in {time.perf_counter() - started:.1f} s")

    user = get_user_model()
    admin = user.objects.create(username="bench-campaign-admin", email="admin@example.org", is_staff=True,
                                is_superuser=True, password=make_password("bench admin password"))
    session = import_module(settings.SESSION_ENGINE).SessionStore()  # what django.contrib.auth.login stores
    session[SESSION_KEY] = str(admin.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    session.create()
    out.write_text(json.dumps({
        "go": [[link.code, link.pk, link.target] for link in go],
        "year_campaign": year.pk,
        "year_rows": rows,
        "dashboard": reverse("admin:campaigns_campaign_dashboard", args=[year.pk]),
        "session": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    }))
    say(f"setup in {time.perf_counter() - started:.1f} s")


def count(data_file: Path) -> None:
    """The clicks stored for the load's links once the shared counter is folded in (what the minute's job does),
    and the (link, hour) pairs stored in more than one row."""
    _django()
    from collections import Counter

    from django.db.models import Sum

    from xuthanh.campaigns import services
    from xuthanh.campaigns.models import ClickHour

    services.fold_counts()
    ids = [pk for _code, pk, _target in json.loads(data_file.read_text())["go"]]
    found = ClickHour.objects.filter(link_id__in=ids, kind="click")
    pairs = Counter(found.values_list("link_id", "hour"))
    print(json.dumps({"clicks": found.aggregate(n=Sum("count"))["n"] or 0, "rows": sum(pairs.values()),
                      "same_hour_rows": sum(n - 1 for n in pairs.values() if n > 1)}))


def figures(data_file: Path, calls: int) -> None:
    """selectors.figures of the year's campaign: each call timed, then one call's queries and the slowest's plan."""
    _django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from xuthanh.campaigns import selectors
    from xuthanh.campaigns.models import Campaign

    campaign = Campaign.objects.get(pk=json.loads(data_file.read_text())["year_campaign"])
    found = selectors.figures(campaign)  # first call: connection, translations
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        selectors.figures(campaign)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        selectors.figures(campaign)
    queries = sorted(((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), reverse=True)
    explain = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(explain + next(sql for _ms, sql in queries if sql.lstrip().upper().startswith("SELECT")))
        plan = "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
    print(json.dumps({"times": times, "total": found.total, "days": len(found.days), "markets": len(found.by_market),
                      "queries": [[round(ms, 1), sql[:400]] for ms, sql in queries], "plan": plan}))


# ---- the load -----------------------------------------------------------------------------------------------


def ask(port: int, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("Location") or "", response.read()
    finally:
        conn.close()


def go_paths(data: dict, rng: random.Random, size: int = 1000) -> list[str]:
    """`size` paths over the codes, each at least once, popular links (a few posts take most clicks) more often."""
    codes = [code for code, _pk, _target in data["go"]]
    weights = [1 / (rank + 1) for rank in range(len(codes))]
    paths = codes + rng.choices(codes, weights, k=max(0, size - len(codes)))
    rng.shuffle(paths)
    return [f"/go/{code}" for code in paths]


def redirect(port: int, data: dict, file: Path, args: argparse.Namespace) -> dict:
    """The reference page and /go/ over the codes in turns; the GETs of /go/ sent, answered and still in flight."""
    for code, _pk, target in data["go"]:  # every code: HEAD (not a click) then GET (a click), each a 302 to its page
        for method in ("HEAD", "GET"):
            status, location, _body = ask(port, method, f"/go/{code}")
            if status != 302 or not location.startswith(target.split("?")[0]):
                raise SystemExit(f"{method} /go/{code} answered {status} → {location!r} before the run")
    status, _location, body = ask(port, "GET", REFERENCE)
    if status != 200:
        raise SystemExit(f"{REFERENCE} answered {status}: is XUTHANH_BENCH_REFERENCE set?\n{body[:300]!r}")
    file.write_text("\n".join(go_paths(data, random.Random(32))) + "\n")
    out = {"gets_before": len(data["go"]), "warmup_sent": 0}
    if args.warmup:
        web.wrk(port, REFERENCE, duration=args.warmup, connections=4, key="")
        out["warmup_sent"] += web.wrk(port, "/", duration=args.warmup, connections=4, key="", paths=file)["sent"]
    rounds = max(1, round(args.duration / args.round))
    say(f"  {rounds} rounds of {args.round:g} s of the reference then /go/, {args.connections} connections")
    runs, paired = web.interleaved(port, "/", rounds=rounds, seconds=args.round, connections=args.connections,
                                   key="", paths=file)
    for n, (ref, go) in enumerate(zip(paired, runs, strict=True), 1):
        say(f"    round {n}: reference {rate(ref):7.1f} req/s, /go/ {rate(go):7.1f} req/s ({go['sent']} sent)")
    out["reference"], out["go"] = web._combined(paired), web._combined(runs)
    for name in ("reference", "go"):
        stats = out[name]
        say(f"  {name}: {rate(stats):.1f} req/s, p50 {stats['p50_us'] / 1000:.1f} ms, p99 "
            f"{stats['p99_us'] / 1000:.1f} ms, {stats['requests']} answered, {stats['sent']} sent, "
            f"errors {sum(stats[k] for k in ERRORS)}")
    return out


def rate(stats: dict) -> float:
    return stats["requests"] / (stats["duration_us"] / 1e6)


def dashboard(port: int, data: dict, calls: int) -> list[float]:
    """The dashboard page, signed in, asked `calls` times after one first time; the client's timings."""
    headers = {"Cookie": data["session"]}
    status, location, body = ask(port, "GET", data["dashboard"], headers)
    if status != 200 or b"chart-clicks" not in body:
        raise SystemExit(f"{data['dashboard']} answered {status} {location} before the run:\n{body[:500]!r}")
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        status, _location, body = ask(port, "GET", data["dashboard"], headers)
        times.append(time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"the dashboard answered {status}")
    return times


# ---- one database -------------------------------------------------------------------------------------------


def measure(db: str, args: argparse.Namespace, tmp: Path) -> list[str]:
    with web.database(db, tmp, stack.base_env(tmp / db)) as env:
        say(f"{db}: migrate, collectstatic")
        stack.run(env, "manage.py", "migrate", "--no-input", "-v0")
        stack.run(env, "manage.py", "collectstatic", "--no-input", "-v0")
        data_file = tmp / f"setup-{db}.json"
        stack.run(env, "bench/campaign.py", "--setup", str(data_file), "--links", str(args.links),
                  "--year-links", str(args.year_links), "--clicks", str(args.clicks))
        data = json.loads(data_file.read_text())
        log = tmp / f"gunicorn-{db}.log"
        with stack.gunicorn(env, log, workers=args.workers, threads=args.threads,
                            options=("--capture-output",)) as port:
            say(f"{db}: redirect, {len(data['go'])} links")
            load = redirect(port, data, tmp / "go.txt", args)
            say(f"{db}: dashboard page, {args.calls} calls")
            page = dashboard(port, data, args.calls)
        problems = server_problems(log)
        counted = json.loads(stack.run(env, "bench/campaign.py", "--count", str(data_file),
                                       capture=True).splitlines()[-1])
        say(f"{db}: selectors.figures in-process, {args.calls} calls")
        inproc = json.loads(stack.run(env, "bench/campaign.py", "--figures", str(data_file), "--calls",
                                      str(args.calls), capture=True).splitlines()[-1])
    ref, go = load["reference"], load["go"]
    sent = load["gets_before"] + load["warmup_sent"] + go["sent"]
    errors = sum(ref[k] + go[k] for k in ERRORS) + problems
    ratio = rate(go) / rate(ref)
    page_p50, page_p95 = percentile(page, 50), percentile(page, 95)
    fig_p50, fig_p95 = percentile(inproc["times"], 50), percentile(inproc["times"], 95)
    say(f"{db}: clicks counted {counted['clicks']} for {sent} GETs sent ({load['gets_before']} checks, "
        f"{load['warmup_sent']} warm-up, {go['sent']} under load of which {go['sent'] - go['requests']} in flight "
        f"at the end); {counted['rows']} ClickHour rows, {counted['same_hour_rows']} for an hour already stored; "
        f"server log problems {problems}")
    say(f"{db}: figures() {fig_p50:.1f}/{fig_p95:.1f} ms (total {inproc['total']:,}, {inproc['days']} days, "
        f"{inproc['markets']} markets), page {page_p50:.1f}/{page_p95:.1f} ms; queries of one call (ms):")
    for ms, sql in inproc["queries"]:
        say(f"    {ms:8.1f}  {sql}")
    say(f"{db}: plan of the slowest:\n" + "\n".join(f"    {line}" for line in inproc["plan"].splitlines()))
    met = [ratio >= TARGET_RATIO, counted["clicks"] == sent, errors == 0, page_p95 < TARGET_DASHBOARD_P95_MS,
           inproc["total"] == args.clicks]
    return [db, f"{rate(ref):.0f}", f"{rate(go):.0f}", f"{ratio:.2f}",
            f"{ref['p50_us'] / 1000:.1f} / {ref['p99_us'] / 1000:.1f}", f"{go['p50_us'] / 1000:.1f} / "
            f"{go['p99_us'] / 1000:.1f}", f"{sent:,} ({go['requests']:,} answered + {go['sent'] - go['requests']} "
            f"in flight)", f"{counted['clicks']:,}", str(errors), f"{data['year_rows']:,}",
            f"{fig_p50:.0f} / {fig_p95:.0f}", f"{page_p50:.0f} / {page_p95:.0f}", "✓" if all(met) else "✗"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite and/or postgres, comma-separated")
    parser.add_argument("--duration", type=float, default=10, help="seconds of wrk on the reference and on /go/")
    parser.add_argument("--round", type=float, default=2,
                        help="seconds of a round: the reference and /go/ take turns (bench/web.py's interleaving)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of light load (4 connections) before each")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--links", type=int, default=50, help="short links under load (over three campaigns)")
    parser.add_argument("--year-links", type=int, default=100, help="links of the year's campaign")
    parser.add_argument("--clicks", type=int, default=10_000_000, help="clicks of the year's campaign")
    parser.add_argument("--calls", type=int, default=20, help="timed calls of the dashboard and of figures()")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2 cores here)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--setup", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--figures", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup(args, args.setup)
        return 0
    if args.count:
        count(args.count)
        return 0
    if args.figures:
        figures(args.figures, args.calls)
        return 0
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    if not dbs or not set(dbs) <= {"sqlite", "postgres"}:
        parser.error("--db takes sqlite and/or postgres")
    if (not 1 <= args.duration <= 600 or not 1 <= args.round <= args.duration or not 0 <= args.warmup <= 30
            or not 1 <= args.connections <= 1000 or not 1 <= args.links <= 10_000
            or not 1 <= args.year_links <= 10_000 or args.clicks < 1 or not 1 <= args.calls <= 1000):
        parser.error("--duration 1..600 s, --round 1..duration s, --warmup 0..30 s, --connections 1..1000, "
                     "--links and --year-links 1..10000, --clicks ≥ 1, --calls 1..1000")
    if shutil.which("wrk") is None:
        say("wrk is missing: install it with `apt-get install -y wrk`, then run again.")
        return 2
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="campaign-", dir=ROOT / "var" / "bench"))
    rows = []
    try:
        for db in dbs:
            if db == "postgres" and not stack.postgres_reachable():
                say("PostgreSQL is not reachable on 127.0.0.1:5432: skipped")
                continue
            rows.append(measure(db, args, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nCampaigns: gunicorn gthread {args.workers}×{args.threads}, {os.cpu_count()} cores; wrk "
          f"{args.connections} connections, {args.duration:g} s on the reference page and {args.duration:g} s on "
          f"/go/ over {args.links} links in turns of {args.round:g} s; dashboard: a year of {args.clicks:,} clicks "
          f"on {args.year_links} links, "
          f"{args.calls} calls. Targets: /go/ ≥ {TARGET_RATIO:g} × the reference, clicks counted = GETs sent, "
          f"no error, dashboard page p95 < {TARGET_DASHBOARD_P95_MS} ms.\n")
    head = ["database", "reference req/s", "/go/ req/s", "/go/ ÷ reference", "reference p50 / p99 ms",
            "/go/ p50 / p99 ms", "GETs of /go/ sent", "clicks counted", "errors", "year's ClickHour rows",
            "figures() p50 / p95 ms", "dashboard page p50 / p95 ms", "targets met"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
