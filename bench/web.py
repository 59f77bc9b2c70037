"""Web performance benchmark: the production stack (gunicorn, DEBUG off, whitenoise) under wrk.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python bench/web.py [--db sqlite,postgres] [--sizes real,100000] [--duration 10] [--round 1]
                                  [--connections 16] [--page-cache 0,60] [--out results.csv]

For each database (the embedded SQLite, and PostgreSQL at 127.0.0.1:5432 as user postgres in a dedicated
database created and dropped here) the script migrates, loads the real Thanh Hóa data, serves the app with
gunicorn in a temporary XUTHANH_VAR_DIR and measures each endpoint with wrk for --duration seconds at
--connections connections, after a short warm-up, once per page-cache setting (0 = every request does its
own work; 60 = production). The seconds are split into rounds of --round seconds, each right after a round of
the bare reference page (xuthanh.benchref, enabled by XUTHANH_BENCH_REFERENCE=1): an endpoint's ratio is its
rate over the rate of its own reference rounds, since the shared machine's speed swings within seconds.
Besides single URLs, the "mix" endpoints cycle through thousands of URLs of one page type (every place in
every language, lists with every filter, searches, API calls: bench/web_data.py `urls`), so they measure
what a crowd does, not one page repeated. Then, for each larger size, it adds generated places
(bench/web_data.py) up to that many and measures again. The first load of a place page is weighed in
headless Chromium (Playwright, images excluded), and Lighthouse gives its mobile performance score when
`npm ci --prefix bench` was run. The table goes to stdout,
progress to stderr. Installs nothing: it says what is missing (wrk: `apt-get install -y wrk`).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import stack  # noqa: E402  (the stack's processes, shared with the scale-out test)
from tests.stack import GUNICORN, PYTHON, get, run, say  # noqa: E402

BENCH = Path(__file__).resolve().parent
LUA = BENCH / "web_report.lua"
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PLACE_SLUG = "thanh-nha-ho"  # Thành nhà Hồ, a real place of the Thanh Hóa data

REFERENCE = "reference"
ENDPOINTS = [
    (REFERENCE, "/bench/reference/"),
    ("home", "/vi/"),
    ("places_filtered", "/vi/places/?kind=attraction&tag=history"),
    ("place_detail", f"/vi/places/{PLACE_SLUG}/"),
    ("search_page", "/vi/places/?q=thanh+nha+ho"),
    ("api_search", "/api/v1/search?q=thanh+nha+ho"),
    ("autocomplete", "/api/v1/autocomplete?q=thanh+n"),
    ("api_places", "/api/v1/places?page_size=20"),
    # mixes: a file of paths made by web_data.py `urls` (MIX marks them)
    ("home_mix", "MIX"),
    ("place_mix", "MIX"),
    ("list_mix", "MIX"),
    ("search_mix", "MIX"),
    ("api_mix", "MIX"),
]
MIX = "MIX"
# Targets: (endpoint, sizes it applies to ("*" = all), page cache setting it applies to, description, check)
CACHED = "≥0.8×ref & p99<100ms"
UNCACHED = "≥0.5×ref"
TARGETS = [
    ("place_detail", "real", "on", CACHED, lambda r: r.ratio >= 0.8 and r.p99 < 100),
    ("api_places", "real", "on", CACHED, lambda r: r.ratio >= 0.8 and r.p99 < 100),
    ("autocomplete", "100000", "*", "p95<30ms", lambda r: r.p95 < 30),
    *(
        (endpoint, "*", "off", UNCACHED, lambda r: r.ratio >= 0.5)
        for endpoint in (
            "home", "places_filtered", "place_detail", "search_page", "api_places",
            "home_mix", "place_mix", "list_mix", "search_mix", "api_mix",
        )
    ),
    ("search_page", "100000", "off", "p99<100ms", lambda r: r.p99 < 100),
    ("api_search", "100000", "off", "p99<100ms", lambda r: r.p99 < 100),
    ("search_mix", "100000", "off", "p99<100ms", lambda r: r.p99 < 100),
]
PAGE_WEIGHT_LIMIT_KB = 200


@dataclass
class Row:
    db: str
    size: str
    places: int
    cache: str  # "off" (PAGE_CACHE_SECONDS=0) or "on"
    endpoint: str
    path: str
    rps: float
    p50: float
    p95: float
    p99: float
    max_ms: float
    requests: int
    errors: int
    bytes_per_response: int
    pair_rps: float = 0.0  # the reference page's rate in the rounds interleaved with this endpoint's
    ratio: float = 0.0
    cpu_ms: float = 0.0  # CPU of the app servers and the database per request (Linux /proc; 0 elsewhere)
    cpu_ratio: float = 0.0  # the reference's CPU per request in the interleaved rounds over this one's
    target: str = ""
    result: str = ""


@dataclass
class Extra:
    """Figures that are not a wrk row: page weight and Lighthouse."""

    items: list[tuple[str, str, str, str]] = field(default_factory=list)  # what, value, target, result


# ---- environment (the stack's processes: tests/stack.py) -----------------------------------------------


@contextlib.contextmanager
def database(kind: str, tmp: Path, env: dict[str, str]) -> Iterator[dict[str, str]]:
    """Environment for one database: SQLite in its own var dir, or a dedicated PostgreSQL database."""
    env = {**env, "XUTHANH_VAR_DIR": str(tmp / f"var-{kind}")}
    if kind == "sqlite":
        yield env
        return
    with stack.postgres_database("xuthanh_bench") as url:
        yield {**env, "DATABASE_URL": url}


def server(env: dict[str, str], log: Path, *, workers: int, threads: int) -> contextlib.AbstractContextManager[int]:
    return stack.gunicorn(env, log, workers=workers, threads=threads)


# ---- load --------------------------------------------------------------------------------------------------


def wrk(port: int, path: str, *, duration: float, connections: int, key: str, paths: Path | None = None) -> dict:
    command = [
        "wrk",
        "--threads=1",  # one load thread: the two cores are for the server
        f"--connections={connections}",
        f"--duration={max(1, round(duration))}s",
        "--timeout=5s",
        f"--script={LUA}",
        f"--header=X-API-Key: {key}",
        f"http://127.0.0.1:{port}{path}",
    ]
    if paths is not None:
        command += ["--", str(paths)]
    before = server_cpu()
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    spent = server_cpu() - before
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result for {path}:\n{output}")
    return {**json.loads(line[len("BENCH ") :]), "cpu_s": spent}


def server_cpu() -> float:
    """CPU seconds used so far by the app servers (gunicorn processes) and the database (processes of the
    `postgres` user), from /proc: per request, a cost the host's swings in speed do not change, beside the
    rates that they do. 0 where there is no /proc."""
    try:
        import pwd

        postgres = pwd.getpwnam("postgres").pw_uid
    except (ImportError, KeyError):
        postgres = -1
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if entry.stat().st_uid != postgres and b"gunicorn" not in (entry / "cmdline").read_bytes():
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def interleaved(port: int, path: str, *, rounds: int, seconds: float, connections: int, key: str,
                paths: Path | None = None) -> tuple[list[dict], list[dict]]:
    """`rounds` wrk runs of `path` of `seconds` each, every one right after a run of the reference page: (the
    endpoint's runs, the reference's runs). Each run opens its connections afresh, so which of the server's
    workers takes how many of them (the first awake takes most: seen from 670 to 1,640 req/s for the reference
    between runs) is drawn again every round instead of deciding a whole measurement."""
    runs, paired = [], []
    for _round in range(rounds):
        paired.append(wrk(port, dict(ENDPOINTS)[REFERENCE], duration=seconds, connections=connections, key=key))
        runs.append(wrk(port, path, duration=seconds, connections=connections, key=key, paths=paths))
    return runs, paired


def _combined(runs: list[dict]) -> dict:
    """Several wrk runs of one endpoint as one: summed counts, the median of each run's percentiles."""
    def median(values: list[float]) -> float:
        ordered = sorted(values)
        return ordered[len(ordered) // 2]

    counted = ("requests", "sent", "duration_us", "bytes", "connect_errors", "read_errors", "write_errors",
               "timeouts", "http_errors", "cpu_s")
    out = {key: sum(run[key] for run in runs) for key in counted}
    out.update({key: median([run[key] for run in runs]) for key in ("p50_us", "p95_us", "p99_us")})
    out["max_us"] = max(run["max_us"] for run in runs)
    return out


def measure(
    port: int, db: str, size: str, places: int, cache: str, args: argparse.Namespace, key: str, mixes: Path
) -> list[Row]:
    """Each endpoint in rounds of --round seconds, every round right after a round of the reference page: the
    ratio is the endpoint's rate over the rate of its own reference rounds, so that the machine's speed, which
    on a shared host swings by a factor of two within seconds, cancels out."""
    rounds = max(1, round(args.duration / args.round))
    reference_path = dict(ENDPOINTS)[REFERENCE]
    rows, reference_runs = [], []
    only = {name for name in args.only.split(",") if name}
    for endpoint, path in ENDPOINTS:
        if endpoint == REFERENCE or (only and endpoint not in only):
            continue
        paths = mixes / f"{endpoint}.txt" if path == MIX else None
        samples = paths.read_text(encoding="utf-8").split()[:25] if paths else [path]
        for sample in samples:  # every endpoint (and the first paths of a mix) must answer 200 before the run
            status, body = get(port, sample, {"X-API-Key": key})
            if status != 200:
                raise SystemExit(f"{sample} answered {status} before the run:\n{body[:500]!r}")
        path = "/" if paths else path
        if args.warmup:
            wrk(port, path, duration=args.warmup, connections=4, key=key, paths=paths)
        runs, paired = interleaved(port, path, rounds=rounds, seconds=args.round, connections=args.connections,
                                   key=key, paths=paths)
        reference_runs += paired
        stats, pair = _combined(runs), _combined(paired)
        row = _row(db, size, places, cache, endpoint,
                   f"{len(paths.read_text(encoding='utf-8').split())} paths of {paths.name}" if paths else path, stats)
        row.pair_rps = pair["requests"] / (pair["duration_us"] / 1e6)
        row.ratio = row.rps / row.pair_rps if row.pair_rps else 0.0
        pair_cpu = pair["cpu_s"] * 1000 / max(1, pair["requests"])
        row.cpu_ratio = pair_cpu / row.cpu_ms if row.cpu_ms else 0.0
        rows.append(row)
        say(f"  {db:8} {size:>7} cache {cache:3} {endpoint:16} {row.rps:8.1f} req/s (reference {row.pair_rps:8.1f}) "
            f"×{row.ratio:.2f}  p99 {row.p99:7.1f} ms")
    reference = _row(db, size, places, cache, REFERENCE, reference_path, _combined(reference_runs))
    reference.pair_rps, reference.ratio, reference.cpu_ratio = reference.rps, 1.0, 1.0
    rows.insert(0, reference)
    for row in rows:
        checks = [
            (text, check)
            for endpoint, sizes, cache_setting, text, check in TARGETS
            if endpoint == row.endpoint and sizes in ("*", size) and cache_setting in ("*", cache)
        ]
        if checks:
            row.target = " & ".join(text for text, _check in checks)
            row.result = "PASS" if all(check(row) for _text, check in checks) and not row.errors else "FAIL"
        if row.errors:
            row.result = (row.result + " " if row.result else "") + f"({row.errors} errors)"
    return rows


def _row(db: str, size: str, places: int, cache: str, endpoint: str, path: str, stats: dict) -> Row:
    seconds = stats["duration_us"] / 1e6
    return Row(
        db=db,
        size=size,
        places=places,
        cache=cache,
        endpoint=endpoint,
        path=path,
        rps=stats["requests"] / seconds,
        p50=stats["p50_us"] / 1000,
        p95=stats["p95_us"] / 1000,
        p99=stats["p99_us"] / 1000,
        max_ms=stats["max_us"] / 1000,
        requests=stats["requests"],
        errors=sum(stats[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "http_errors")),
        bytes_per_response=round(stats["bytes"] / max(1, stats["requests"])),
        cpu_ms=stats["cpu_s"] * 1000 / max(1, stats["requests"]),
    )


# ---- first load of a place page ---------------------------------------------------------------------------


def page_weight(port: int, extra: Extra) -> None:
    url = f"http://127.0.0.1:{port}/vi/places/{PLACE_SLUG}/"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        extra.items.append(("place page first load", "n/a: pip install -e '.[bench]'", "≤200 KB", "SKIP"))
        return
    if not Path(CHROMIUM).exists():
        extra.items.append(("place page first load", f"n/a: no {CHROMIUM}", "≤200 KB", "SKIP"))
        return
    sizes: dict[str, int] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context().new_page()

        def route(route) -> None:  # only this server; images are excluded from the budget
            request = route.request
            if not request.url.startswith(f"http://127.0.0.1:{port}/") or request.resource_type == "image":
                route.abort()
            else:
                route.continue_()

        page.route("**/*", route)
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(url, wait_until="networkidle")
        for request in finished:
            s = request.sizes()
            kind = request.resource_type
            sizes[kind] = sizes.get(kind, 0) + s["responseBodySize"] + s["responseHeadersSize"]
        browser.close()
    total = sum(sizes.values())
    detail = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(sizes.items()))
    result = "PASS" if total <= PAGE_WEIGHT_LIMIT_KB * 1024 else "FAIL"
    value = f"{total / 1024:.1f} KB ({detail})"
    extra.items.append(("place page first load (no images)", value, f"≤{PAGE_WEIGHT_LIMIT_KB} KB", result))


LIGHTHOUSE_TARGETS = {"performance": 90, "accessibility": 100}  # #15: mobile, on each page below


def _trip_path(port: int) -> str:
    """A planned trip's page (the planner result), planned through the API of the server under test."""
    body = json.dumps({
        "start_date": "2030-05-06", "end_date": "2030-05-07", "start": {"place": "cang-hang-khong-tho-xuan"},
        "end": {"place": "ga-thanh-hoa"}, "interests": ["history", "beach"], "lang": "vi",
    })
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/api/v1/trips", body=body, headers={"Content-Type": "application/json"})
        answer = conn.getresponse()
        token = json.loads(answer.read())["token"]
    finally:
        conn.close()
    return f"/vi/trips/{token}/"


def lighthouse(port: int, tmp: Path, extra: Extra) -> None:
    """Lighthouse (mobile, simulated throttling) on the home page, a list, a place page and a planner result:
    performance and accessibility scores with their targets."""
    if not LIGHTHOUSE.exists():
        extra.items.append(("Lighthouse", "n/a: npm ci --prefix bench", "", "SKIP"))
        return
    pages = {"home": "/vi/", "list": "/vi/places/?kind=attraction", "place": f"/vi/places/{PLACE_SLUG}/"}
    try:
        pages["planner result"] = _trip_path(port)
    except (OSError, KeyError, ValueError) as exc:
        extra.items.append(("Lighthouse planner result", f"n/a: no trip planned ({exc!r:.100})", "", "SKIP"))
    for name, path in pages.items():
        report = tmp / f"lighthouse-{name.replace(' ', '-')}.json"
        command = [
            str(LIGHTHOUSE),
            f"http://127.0.0.1:{port}{path}",
            "--only-categories=performance,accessibility",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
            "--chrome-flags=--headless=new --no-sandbox",
        ]
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
        if result.returncode != 0 or not report.exists():
            extra.items.append((f"Lighthouse {name}", f"n/a: {result.stderr.strip()[-200:]}", "", "SKIP"))
            continue
        data = json.loads(report.read_text())
        audits = data["audits"]
        metrics = ", ".join(
            f"{label} {audits[key]['displayValue']}"
            for label, key in (("FCP", "first-contentful-paint"), ("LCP", "largest-contentful-paint"),
                               ("TBT", "total-blocking-time"), ("CLS", "cumulative-layout-shift"))
            if key in audits and audits[key].get("displayValue")
        )
        for category, target in LIGHTHOUSE_TARGETS.items():
            score = round(data["categories"][category]["score"] * 100)
            detail = f" ({metrics})" if category == "performance" else ""
            verdict = "PASS" if score >= target else "FAIL"
            extra.items.append((f"Lighthouse {name} {category}", f"{score}{detail}", f"≥{target}", verdict))


# ---- output ---------------------------------------------------------------------------------------------


def table(rows: list[Row], extra: Extra) -> str:
    lines = []
    header = (
        f"{'db':8} {'size':>7} {'places':>7} {'cache':5} {'endpoint':16} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'ref/s':>8} {'×ref':>5} {'cpu ms':>6} {'cpu×ref':>7}  {'target':22} result"
    )
    lines += [header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r.db:8} {r.size:>7} {r.places:>7} {r.cache:5} {r.endpoint:16} {r.rps:8.1f} {r.p50:7.1f} "
            f"{r.p95:7.1f} {r.p99:7.1f} {r.pair_rps:8.1f} {r.ratio:5.2f} {r.cpu_ms:6.2f} {r.cpu_ratio:7.2f}  "
            f"{r.target:22} {r.result}"
        )
    sizes = list(dict.fromkeys(r.size for r in rows))
    if "real" in sizes and len(sizes) > 1:
        lines += ["", "Scaling from the real data (req/s, p95 ms):"]
        real = {(r.db, r.cache, r.endpoint): r for r in rows if r.size == "real"}
        for r in rows:
            base = real.get((r.db, r.cache, r.endpoint))
            if r.size == "real" or base is None or r.endpoint == REFERENCE:
                continue
            lines.append(
                f"  {r.db:8} cache {r.cache:3} {r.endpoint:16} real→{r.size:>7}: {base.rps:8.1f} → {r.rps:8.1f} req/s "
                f"(×{r.rps / base.rps:.2f}), p95 {base.p95:7.1f} → {r.p95:7.1f} ms"
            )
    if extra.items:
        lines += ["", "Page weight and Lighthouse:"]
        for what, value, target, result in extra.items:
            lines.append(f"  {what}: {value}  {('target ' + target) if target else ''} {result}".rstrip())
    return "\n".join(lines)


def write_csv(path: Path, rows: list[Row], extra: Extra) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(asdict(rows[0])) if rows else ["db"])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: round(v, 2) if isinstance(v, float) else v for k, v in asdict(row).items()})
        for what, value, target, result in extra.items:
            writer.writerow({"db": "browser", "endpoint": what, "path": value, "target": target, "result": result})


# ---- main ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both (comma-separated)")
    parser.add_argument("--sizes", default="real,100000", help="real and/or total place counts, e.g. 100000")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per endpoint (≤ 120)")
    parser.add_argument(
        "--round", type=float, default=1, help="seconds of each round; the reference page runs as long before each"
    )
    parser.add_argument("--warmup", type=float, default=2, help="seconds of light load before each endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2 cores here)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument(
        "--page-cache",
        default="0,60",
        help="PAGE_CACHE_SECONDS settings to serve with, comma-separated (0: every request does its own work; "
        "60: production)",
    )
    parser.add_argument("--out", type=Path, help="also write the rows as CSV")
    parser.add_argument("--only", default="", help="measure only these endpoints (comma-separated names of the "
                        "table, e.g. place_mix,api_mix; the reference always runs): while working on one path")
    parser.add_argument(
        "--fail-on-errors",
        action="store_true",
        help="exit 1 if any request failed or answered an error (CI's short load test: speed targets are "
        "reported, not enforced, on a shared machine)",
    )
    args = parser.parse_args()
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if not set(dbs) <= {"sqlite", "postgres"} or not dbs:
        parser.error("--db takes sqlite and/or postgres")
    if any(s != "real" and not s.isdigit() for s in sizes) or not sizes:
        parser.error("--sizes takes 'real' and/or numbers of places")
    try:
        caches = [int(c) for c in args.page_cache.split(",") if c.strip()]
    except ValueError:
        caches = []
    if not caches or any(c < 0 for c in caches):
        parser.error("--page-cache takes seconds ≥ 0, comma-separated (e.g. 0,60)")
    if not 0 < args.duration <= 120 or not 0 <= args.warmup <= 30 or not 1 <= args.connections <= 1000:
        parser.error("--duration 1..120 s, --warmup 0..30 s, --connections 1..1000")
    unknown = {name for name in args.only.split(",") if name} - {name for name, _path in ENDPOINTS}
    if unknown:
        parser.error(f"--only: no endpoint {', '.join(sorted(unknown))} (see the table's names)")
    if not 1 <= args.round <= args.duration:
        parser.error("--round takes 1 s up to --duration")
    sizes = sorted(set(sizes), key=lambda s: -1 if s == "real" else int(s))  # each size builds on the last
    if shutil.which("wrk") is None:
        say("wrk is missing: install it with `apt-get install -y wrk` (Debian/Ubuntu), then run again.")
        return 2
    if not Path(GUNICORN).exists():
        say(f"gunicorn is missing in {Path(PYTHON).parent}: pip install -e '.[bench]'")
        return 2

    rows: list[Row] = []
    extra = Extra()
    tmp = Path(tempfile.mkdtemp(prefix="xuthanh-bench-"))
    try:
        env = stack.base_env(tmp)
        say("collectstatic…")
        run(env, "manage.py", "collectstatic", "--no-input", "-v0")
        for db in dbs:
            with database(db, tmp, env) as db_env:
                say(f"{db}: migrate, load_thanhhoa, load_guide…")
                run(db_env, "manage.py", "migrate", "--no-input", "-v0")
                run(db_env, "manage.py", "load_thanhhoa")
                run(db_env, "manage.py", "load_guide")  # the place pages' narrations and tours, as `make run`
                key = run(db_env, "bench/web_data.py", "client", capture=True)
                for size in sizes:
                    if size != "real":
                        run(db_env, "bench/web_data.py", "synthetic", size)
                    places = int(run(db_env, "bench/web_data.py", "count", capture=True))
                    mixes = tmp / f"urls-{db}-{size}"
                    run(db_env, "bench/web_data.py", "urls", str(mixes))
                    for seconds in caches:
                        cache = "on" if seconds else "off"
                        log = tmp / f"gunicorn-{db}-{size}-{seconds}.log"
                        cache_env = {**db_env, "PAGE_CACHE_SECONDS": str(seconds)}
                        with server(cache_env, log, workers=args.workers, threads=args.threads) as port:
                            say(f"{db} / {size} ({places} places), page cache {seconds} s: port {port}")
                            rows += measure(port, db, size, places, cache, args, key, mixes)
                            if size == "real" and db == dbs[0] and seconds == caches[-1]:
                                for weigh in (page_weight, lambda p, e: lighthouse(p, tmp, e)):
                                    try:
                                        weigh(port, extra)
                                    except Exception as exc:  # a browser problem must not lose the wrk figures
                                        extra.items.append(("browser measurement", f"n/a: {exc!r:.200}", "", "SKIP"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\nXứ Thanh web benchmark: gunicorn gthread {args.workers}×{args.threads}, wrk {args.connections} "
        f"connections, {args.duration:g} s per endpoint in rounds of {args.round:g} s, each after {args.round:g} s "
        f"of the reference page (ref/s: its rate in those rounds; ×ref: the endpoint's rate over it), "
        f"{os.cpu_count()} cores, "
        f"page cache {' and '.join(f'{c} s' for c in caches)}\n"
    )
    print(table(rows, extra))
    if args.out:
        write_csv(args.out, rows, extra)
        say(f"wrote {args.out}")
    failed = [f"{r.db}/{r.size}/{r.cache}/{r.endpoint}: {r.errors}" for r in rows if r.errors]
    if args.fail_on_errors and failed:
        say("requests failed or answered an error: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
