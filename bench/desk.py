"""The translation desk at scale: queue pages over 100,000 translation rows, and an agency's XLIFF batch of
5,000 records out and back in, on SQLite and PostgreSQL. One command, one table:

    .venv/bin/python bench/desk.py --db sqlite,postgres

For each database it migrates a fresh one (SQLite in a temporary folder; PostgreSQL `xuthanh_tbench_<pid>`,
dropped afterwards), loads the Thanh Hóa data and adds generated places until there are 31,000, each with a
Vietnamese row and, for English, Chinese and French, a row three times in four (about 100,000 translation
rows; `--places` changes it): some of them outdated (the Vietnamese edited after them), some machine drafts,
the rest reviewed. Then, in the same process as the desk's views (Django's test client, signed in as a
province-wide translator), it opens queue pages in every language, state and page position (`--requests`)
and reports p50/p95/max; creates a batch of 5,000 places for an agency, exports it as XLIFF 2.0, fills in
every unit as the agency would, and imports it (checked, then stored in one transaction), timing each.
Targets (issue #17): queue page p95 < 200 ms; export and import of 5,000 records ≤ 10 s each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.stack import postgres_database  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable


def say(message: str) -> None:
    print(f"[translate] {message}", file=sys.stderr, flush=True)


# ---- the worker: runs inside one database's environment ----------------------------------------------------


def worker(places: int, requests: int, batch_size: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from translate.storage.xliff2 import Xliff2File

    from xuthanh.areas.models import Commune
    from xuthanh.catalog.models import Place
    from xuthanh.core.models import Status, TranslationStatus
    from xuthanh.core.sourcetrack import stamp_rows
    from xuthanh.core.text import fold
    from xuthanh.orgs.models import Membership, Organisation, Role
    from xuthanh.translations import xliff
    from xuthanh.translations.models import TranslationBatch

    rng = random.Random(17)
    Translation = Place._parler_meta.root_model
    communes = list(Commune.objects.values_list("pk", flat=True))
    have = Place.objects.count()
    started = time.perf_counter()
    words = ["Đền", "Chùa", "Hang", "Bãi", "Làng", "Thác", "Núi", "Đình", "Chợ", "Phủ"]
    syllables = ["Thanh", "Hòa", "Lộc", "Xuân", "Phú", "Quang", "Hưng", "Minh", "An", "Bình", "Sơn", "Hải"]
    made = 0
    while have + made < places:
        chunk = min(2000, places - have - made)
        objects = []
        for i in range(chunk):
            n = have + made + i
            objects.append(
                Place(
                    slug=f"bench-place-{n}",
                    kind="attraction",
                    category="temple",
                    commune_id=rng.choice(communes),
                    lat=19.8 + rng.random() * 0.4,
                    lon=105.5 + rng.random() * 0.3,
                    status=Status.PUBLISHED,
                    search_text="",
                )
            )
        with transaction.atomic():
            Place.objects.bulk_create(objects, batch_size=500)
            rows = []
            for place in objects:
                name = f"{rng.choice(words)} {rng.choice(syllables)} {rng.choice(syllables)} {place.slug[-5:]}"
                summary = f"{name} là một di tích ở xã {rng.choice(syllables)} {rng.choice(syllables)}."
                rows.append(
                    Translation(
                        master_id=place.pk,
                        language_code="vi",
                        name=name,
                        summary=summary,
                        description=summary * 3,
                        translation_status=TranslationStatus.REVIEWED,
                    )
                )
                for lang in ("en", "zh-hans", "fr"):
                    roll = rng.random()
                    if roll < 0.25:
                        continue  # missing
                    status = TranslationStatus.MACHINE if roll < 0.45 else TranslationStatus.REVIEWED
                    rows.append(
                        Translation(
                            master_id=place.pk,
                            language_code=lang,
                            name=f"{lang} {name}",
                            summary=f"{lang} {summary}",
                            translation_status=status,
                        )
                    )
            stamp_rows(rows)
            for row in rows:  # about one in ten translations was made from an older Vietnamese text
                if row.language_code != "vi" and rng.random() < 0.1:
                    row.source_hash = "0" * 16
            Translation.objects.bulk_create(rows, batch_size=1000)
            for place in objects:
                place.search_text = fold(place.slug)
        made += chunk
        say(f"{have + made}/{places} places")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    rows_total = Translation.objects.count()
    generate_s = time.perf_counter() - started

    department = Organisation.objects.get(kind=Organisation.Kind.DEPARTMENT)
    user = get_user_model().objects.create_user("bench_translator")  # signed in by force_login
    Membership.objects.create(user=user, organisation=department, role=Role.TRANSLATOR)
    client = Client()
    client.force_login(user)
    states = ["", "missing", "outdated", "machine", "reviewed"]
    urls = []
    for i in range(requests):
        lang = ("en", "zh-hans", "fr")[i % 3]
        state = states[i % len(states)]
        page = rng.choice([1, 2, 3, 10, 50])
        published = "&published=on" if i % 4 == 0 else ""
        urls.append(f"/admin/desk/?lang={lang}&content=place&state={state}&page={page}{published}")
    client.get(urls[0])  # warm-up
    if os.environ.get("BENCH_SQL"):  # the queries of one queue page and their times, into that file
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured, open(os.environ["BENCH_SQL"], "w") as out:
            client.get("/admin/desk/?lang=en&content=place&state=outdated&page=3")
            for query in captured.captured_queries:
                out.write(f"{query['time']} {query['sql'][:600]}\n")
    times = []
    for url in urls:
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()

    agency = Organisation.objects.create(name="Bench agency", slug="bench-agency", kind=Organisation.Kind.PARTNER)
    Membership.objects.create(user=user, organisation=agency, role=Role.TRANSLATOR)
    pks = list(
        Place.objects.filter(slug__startswith="bench-place-").order_by("pk").values_list("pk", flat=True)[:batch_size]
    )
    batch = TranslationBatch.objects.create(agency=agency, language="fr", items={"place": pks})
    t0 = time.perf_counter()
    data = xliff.export_batch(batch)
    export_s = time.perf_counter() - t0
    store = Xliff2File.parsestring(data)
    units = 0
    for unit in store.unit_iter():
        unit.target = f"[fr] {unit.source}"
        unit.xmlelement.set("state", "final")
        units += 1
    filled = bytes(store)
    from xuthanh.orgs import permissions

    user = get_user_model().objects.get(pk=user.pk)  # memberships read afresh (the agency too)
    permissions.memberships(user)
    t0 = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):  # where an import's time goes, into that file
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        report = profiler.runcall(xliff.import_file, user, filled)
        with open(os.environ["BENCH_PROFILE"], "w") as out:
            stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
            stats.print_stats(40)
            stats.print_callers("_fetch_all")
    else:
        report = xliff.import_file(user, filled)
    import_s = time.perf_counter() - t0
    assert report.ok, report.problems[:5]
    return {
        "vendor": connection.vendor,
        "places": Place.objects.count(),
        "translation_rows": rows_total,
        "generate_s": round(generate_s, 1),
        "queue_requests": len(times),
        "queue_p50_ms": round(statistics.median(times), 1),
        "queue_p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "queue_max_ms": round(times[-1], 1),
        "batch_records": len(pks),
        "batch_units": units,
        "xliff_bytes": len(data),
        "export_s": round(export_s, 2),
        "import_s": round(import_s, 2),
        "import_changed": report.records_changed,
    }


# ---- the orchestrator ------------------------------------------------------------------------------------------


def run_one(db: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory(prefix="xuthanh-tbench-") as var:
        env = {
            **os.environ,
            "XUTHANH_VAR_DIR": var,
            "DEBUG": "1",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "PAGE_CACHE_SECONDS": "0",
            "DJANGO_SETTINGS_MODULE": "xuthanh.settings",
            "REDIS_URL": "",
        }

        def go(database_url: str | None) -> dict:
            if database_url:
                env["DATABASE_URL"] = database_url
            for command in (["migrate", "--no-input", "-v0"], ["load_thanhhoa"]):
                subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            say(f"{db}: migrated and loaded; generating")
            out = subprocess.run(
                [
                    PY,
                    __file__,
                    "--worker",
                    "--places",
                    str(args.places),
                    "--requests",
                    str(args.requests),
                    "--batch",
                    str(args.batch),
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            sys.stderr.write(out.stderr[-3000:])
            if out.returncode:
                raise SystemExit(f"{db}: the worker failed ({out.returncode})")
            return json.loads(out.stdout.strip().splitlines()[-1])

        if db == "postgres":
            with postgres_database("xuthanh_tbench") as url:
                return go(url)
        return go(None)


def table(results: list[dict]) -> str:
    lines = [
        "| database | places | translation rows | queue p50 | queue p95 (target < 200 ms) | queue max | "
        "XLIFF export of 5,000 records (≤ 10 s) | import (≤ 10 s) | units |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['vendor']} | {r['places']:,} | {r['translation_rows']:,} | {r['queue_p50_ms']} ms | "
            f"{r['queue_p95_ms']} ms | {r['queue_max_ms']} ms | {r['export_s']} s ({r['xliff_bytes'] / 1e6:.1f} MB) | "
            f"{r['import_s']} s ({r['import_changed']:,} records) | {r['batch_units']:,} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--places", type=int, default=31_000)
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.places, args.requests, args.batch)))
        return
    results = [run_one(db, args) for db in args.db.split(",")]
    print(table(results))


if __name__ == "__main__":
    main()
