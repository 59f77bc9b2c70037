"""The kiosk fleet's heartbeats under load (issue #20): the production stack (gunicorn gthread 2×4, DEBUG
off) on SQLite and on PostgreSQL, 200 and then 1,000 enrolled devices, each wrk request the next device's
heartbeat (token checked, report stored, uptime folded, commands read) as fast as the server answers. One
command, one table:

    .venv/bin/python bench/kiosk.py            # about 2 minutes; --seconds 20 per run

Measured: heartbeats per second, p50 and p99, errors (any answer but 200, and "database is locked" in the
server's log), every device seen afterwards (no heartbeat lost), the headroom over the target load (1,000
devices at one beat a minute: 16.7 a second; target ≥ 10×), the kiosk's first screen from a cold and a warm
server, and the storage of a device-year of uptime intervals (one interval a day, as a kiosk switched off at
night; measured by inserting them). Kiosks come from many addresses: the anonymous API rate limit per
address is lifted for the load (one address here)."""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import stack  # noqa: E402 - the stack's processes, shared with the web benchmark

LUA = Path(__file__).resolve().parent / "kiosk_beat.lua"
TARGET_RPS = 1000 / 60
SETUP = """
import json
from xuthanh.kiosks import services
from xuthanh.kiosks.models import Device, Location
services.locations_load()
location = Location.objects.get(slug="tho-xuan")
tokens = []
for n in range({n}):
    device, _ = Device.objects.get_or_create(location=location, name=f"B-{{n:04d}}")
    tokens.append(services.enrol(services.enrol_code_new(device)).token)
print(json.dumps(tokens))
"""
CHECK = """
from xuthanh.kiosks.models import Device
print(Device.objects.filter(name__startswith="B-", last_seen_at__isnull=False).count())
"""
STORAGE = """
import datetime as dt
from django.db import connection
from xuthanh.kiosks.models import Device, UptimeInterval
devices = list(Device.objects.filter(name__startswith="B-")[:1000])
start = dt.datetime(2025, 1, 1, 6, tzinfo=dt.UTC)
rows = [UptimeInterval(device=d, start=start + dt.timedelta(days=i), end=start + dt.timedelta(days=i, hours=16))
        for d in devices for i in range(365)]
def size():
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SELECT pg_total_relation_size('kiosks_uptimeinterval')")
            return c.fetchone()[0]
    import os
    return os.path.getsize(connection.settings_dict["NAME"])  # the file grows by the rows and their index
before = size()
UptimeInterval.objects.bulk_create(rows, batch_size=5000)
print((size() - before) / len(devices))
"""


def say(message: str) -> None:
    print(f"[kiosk] {message}", file=sys.stderr, flush=True)


def manage_shell(env: dict[str, str], code: str) -> str:
    return stack.run(env, "manage.py", "shell", "-c", code, capture=True).splitlines()[-1]


def wrk(port: int, tokens: Path, seconds: int, connections: int) -> dict:
    output = subprocess.run(["wrk", "--threads=1", f"--connections={connections}", f"--duration={seconds}s",
                             "--timeout=5s", f"--script={LUA}", f"http://127.0.0.1:{port}/", "--", str(tokens)],
                            check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return json.loads(line[len("BENCH "):])


def first_screen(port: int) -> tuple[float, float]:
    times = []
    for _ in range(11):
        started = time.perf_counter()
        status, _body = stack.get(port, "/kiosk/en/tho-xuan/")
        assert status == 200, status
        times.append((time.perf_counter() - started) * 1000)
    return round(times[0], 1), round(statistics.median(times[1:]), 1)


def run(db: str, devices: list[int], args: argparse.Namespace, tmp: Path) -> list[list[str]]:
    rows = []
    env = {**stack.base_env(tmp / db), "API_ANONYMOUS_PER_MINUTE": str(10**9)}
    with stack.postgres_database("xuthanh_bench_kiosk") if db == "postgres" else _nothing() as url:
        if url:
            env["DATABASE_URL"] = url
        say(f"{db}: migrate, load the catalogue")
        stack.run(env, "manage.py", "migrate", "--no-input", "-v0")
        stack.run(env, "manage.py", "load_thanhhoa", "-v0")
        stack.run(env, "manage.py", "collectstatic", "--no-input", "-v0")
        for n in devices:
            tokens = json.loads(manage_shell(env, SETUP.format(n=n)))
            token_file = tmp / f"tokens-{db}-{n}.txt"
            token_file.write_text("\n".join(tokens) + "\n")
            log = tmp / f"gunicorn-{db}-{n}.log"
            with stack.gunicorn(env, log, workers=2, threads=4) as port:
                cold, warm = first_screen(port)
                say(f"{db}: {n} devices, {args.seconds} s of heartbeats")
                result = wrk(port, token_file, args.seconds, args.connections)
            locked = log.read_text().count("database is locked") if log.exists() else 0
            seen = int(manage_shell(env, CHECK))
            rows.append([db, str(n), f"{result['rps']:.0f}", f"{result['p50']:.1f}", f"{result['p99']:.1f}",
                         str(result["errors"] + locked), f"{seen}/{n}", f"{result['rps'] / TARGET_RPS:.0f}×",
                         f"{cold} / {warm}"])
        per_device = float(manage_shell(env, STORAGE))
        rows.append([db, "storage", f"{per_device / 1024:.1f} KB per device-year (365 intervals)", "", "", "", "",
                     "", ""])
    return rows


class _nothing:
    def __enter__(self) -> str:
        return ""

    def __exit__(self, *exc: object) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-", dir=ROOT / "var" / "bench"))
    rows: list[list[str]] = []
    try:
        for db in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
            if db == "postgres" and not stack.postgres_reachable():
                say("PostgreSQL is not reachable on 127.0.0.1:5432: skipped")
                continue
            rows += run(db, [200, 1000], args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    head = ["database", "devices", "heartbeats/s", "p50 ms", "p99 ms", "errors", "devices seen",
            "headroom over 1,000/min", "first screen ms (cold / warm)"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
