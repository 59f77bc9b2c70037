"""The plan's monitoring (xuthanh/plan, issue #23): the Steering Committee's dashboard and the department's
consolidated yearly report over 10 years of synthetic reports from 200 units, on SQLite and PostgreSQL. One
command, one table:

    .venv/bin/python bench/plan.py                          # both databases, 200 dashboard calls: about 4 minutes
    .venv/bin/python bench/plan.py --db sqlite --calls 40 --runs 1      # while developing, about 1 minute

For each database: a fresh one (SQLite in a temporary folder under var/bench, PostgreSQL `xuthanh_bench_<pid>`,
created and dropped: bench/web.py's `database`), migrated, the real Thanh Hóa data (`load_thanhhoa`: the
department, and what the plan's targets are computed from) and the real plan (`load_plan`: KH 115/KH-UBND, 13
tasks). Then synthetic data, all drawn from one seed (`--seed`) and written in bulk:

- **Years**: the plan runs 2020–2025; for 10 years (2020–2029) every task running into 2024–2025 is extended to
  2029 (`end_year`), and the two tasks held in some years only continue their rhythm (contests 2026, 2028; study
  tours 2026, 2029). The plan's funding is then spread over more years (what "planned" shows per year).
- **Units**: `--units` (200) organisations marked `is_sample`, slugs `bench-plan-*`: 4 in 5 commune people's
  committees, 1 in 5 site management boards. The services let a unit report only on the tasks it leads
  (`check_report`, `expected`, `lateness`, `tasks_led`) and a task has one lead, so each unit leads
  `--tasks-per-unit` (2) **synthetic tasks** of its own (codes `B.<unit>.<k>`, titles ending "(bench)", in the
  plan's sections, 2020–2029, a fifth starting in 2021–2022; no budget line of the plan, so the plan still adds up:
  their money comes from the communes' budgets and socialised sources, as for the plan's items without a figure).
  The real district-led task II.1 gets a site board as its current lead and every unit as a cooperating unit;
  the other real tasks 3–15 cooperating units; the department leads its own tasks as the loader sets them.
- **Money**: per task, year it runs and source (the real tasks' sources with planned funding; the synthetic
  ones' district budget, and socialised sources for 2 in 5), 9 times in 10: one or two allocations (the real
  tasks' around their yearly planned share) and one to three payments spending 50–100 % of them (never beyond:
  what `record_money` allows), each with its document number and date, recorded for the task's lead unit.
- **Reports**: per led task and year it runs, the lead unit's report: 75 % sent before the deadline, 12 % sent
  late (up to two months after 15 December), 6 % left as drafts, 7 % never written; what was done, difficulties
  for half, proposals for 2 in 5, the spent amounts of the year's payments, progress growing over the years.
  Years after this one are synthetic like the others (sent in their own December).
- **Amendments**: a proposal on 8 % of the tasks, in every state (proposed, reviewed, accepted, refused).

A superuser with a session made beforehand (as contest.py does). The production stack serves it (tests/stack.py:
gunicorn gthread 2×4, DEBUG off, `--capture-output`):

- **Dashboard**: `admin:plan_dashboard` with `?year=` going through the 10 years in turn (the page's year
  selector), `--calls` (200) times after one first call per year, timed by the client; the page must answer 200
  with its chart data and one row per task.
- **Report**: `/admin/plan/plan/report/?year=<last>&number=…&format=docx|pdf|xlsx`, `--runs` (3) times each,
  timed by the client (the maximum is judged); each file must open (python-docx `Document`, openpyxl
  `load_workbook`, the PDF from `%PDF` to `%%EOF`), and the DOCX and the XLSX hold the year's sent reports.
- **In-process** (a process of its own, DEBUG off, `gc.freeze()` after the first request as xuthanh/wsgi.py does
  in a worker): one dashboard request through Django's test client under `CaptureQueriesContext` (queries, their
  time), the parts of the page (selectors, services, targets) and of the report timed, the page with the targets
  as a cache hit (what if it read `targets.current()`), and a cProfile of one dashboard request, in the progress
  log.

Targets (the issue): dashboard page p95 < 300 ms; each report (DOCX, PDF, XLSX) < 5 s. The table goes to stdout,
progress to stderr. Installs nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import http.client
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import stack  # noqa: E402 - the stack's processes, shared with the other benchmarks

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web  # noqa: E402 - bench/web.py: a database per run
from contest import percentile, server_problems  # noqa: E402 - bench/contest.py: p-th of timings, server log

TARGET_DASHBOARD_P95_MS = 300
TARGET_REPORT_S = 5.0
FIRST_YEAR = 2020
FORMATS = ("docx", "pdf", "xlsx")
TASK_LINK = re.compile(rb"/admin/plan/task/\d+/change/")  # one per row of the dashboard's task table
DONE_LINE = re.compile(r"\S+\. .*\(\d+%\): ")  # document.content: "<code>. <title> (<progress>%): <done>"
# (section, vi, en): what a commune or a site board does under the plan, one synthetic task each
WORK = [
    ("I", "Cập nhật dữ liệu điểm đến, cơ sở dịch vụ du lịch trên hệ thống", "Keep the destinations and services "
     "data up to date"),
    ("II", "Lắp đặt, duy trì wifi miễn phí tại các điểm du lịch", "Free wifi at the tourist sites"),
    ("II", "Thuyết minh tự động, mã QR tại di tích, điểm du lịch", "Audio narration and QR codes at the sites"),
    ("III", "Quảng bá du lịch địa phương trên mạng xã hội và cổng thông tin", "Promote local tourism online"),
    ("IV", "Bồi dưỡng kỹ năng số cho người làm du lịch", "Digital skills for the people working in tourism"),
    ("II", "Vé điện tử, thanh toán không dùng tiền mặt tại điểm tham quan", "E-tickets and cashless payment"),
]
PLACES = ["Sầm Sơn", "Pù Luông", "Bến En", "Hàm Rồng", "Lam Kinh", "Thành nhà Hồ", "Hải Tiến", "Cẩm Lương",
          "Nga Sơn", "Bá Thước", "Quảng Xương", "Hoằng Hóa", "Vĩnh Lộc", "Thọ Xuân", "Ngọc Lặc", "Quan Hóa",
          "Mường Lát", "Như Thanh", "Tĩnh Gia", "Hậu Lộc"]
DONE = ["Đã cập nhật {n} điểm du lịch, cơ sở lưu trú và ăn uống lên hệ thống.",
        "Đã lắp đặt, duy trì {n} điểm phát wifi miễn phí tại khu vực {place}.",
        "Đã gắn {n} mã QR thuyết minh tại di tích, điểm tham quan.",
        "Đã đăng {n} bài viết, video quảng bá du lịch {place} trên mạng xã hội.",
        "Đã tổ chức {n} lớp bồi dưỡng kỹ năng số cho {m} người làm du lịch.",
        "Đã phối hợp với Sở Văn hóa, Thể thao và Du lịch kiểm tra dữ liệu {n} điểm đến.",
        "Đã triển khai bán vé điện tử tại {n} điểm tham quan, {m} lượt khách sử dụng."]
HARD = ["Kinh phí bố trí chưa kịp thời, một số hạng mục phải lùi sang năm sau.",
        "Thiếu cán bộ có chuyên môn về công nghệ thông tin.",
        "Đường truyền internet tại khu vực miền núi chưa ổn định.",
        "Sau sắp xếp đơn vị hành chính, việc bàn giao hồ sơ còn chậm.",
        "Doanh nghiệp chưa tích cực cập nhật thông tin lên hệ thống."]
ASKS = ["Đề nghị tỉnh bổ sung kinh phí duy trì hệ thống.",
        "Đề nghị Sở tổ chức tập huấn cho cán bộ cấp xã.",
        "Đề nghị hỗ trợ thiết bị cho các điểm du lịch mới.",
        "Đề nghị hướng dẫn thống nhất biểu mẫu báo cáo."]
AMEND = [("Điều chỉnh thời gian thực hiện sang năm sau.", "Chưa được bố trí kinh phí."),
         ("Bổ sung nội dung thuyết minh bằng tiếng Hàn.", "Khách Hàn Quốc tăng nhanh."),
         ("Chuyển một phần kinh phí sang nguồn xã hội hóa.", "Có doanh nghiệp tài trợ."),
         ("Giao đơn vị chủ trì mới sau khi sắp xếp đơn vị hành chính.", "Huyện không còn tổ chức.")]


def say(message: str) -> None:
    print(f"[plan] {message}", file=sys.stderr, flush=True)


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuthanh.settings")
    django.setup()


# ---- inside the benchmark's environment (run as `plan.py --setup/--inprocess`) --------------------------------


def _extend(task: object, last: int) -> dict:
    """The task's years reaching `last`: its own rhythm continued, else its period to `last` (if it ran on to
    the plan's end)."""
    if task.years:
        years = list(task.years)
        step = years[-1] - years[-2] if len(years) > 1 else 1
        while years[-1] + step <= last:
            years.append(years[-1] + step)
        return {"years": years, "end_year": years[-1]}
    return {"end_year": last} if task.end_year >= 2024 else {}


def _milli(value: int) -> Decimal:
    return Decimal(value).scaleb(-3)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` thousandths in `parts` positive pieces (fewer if too small)."""
    parts = max(1, min(parts, total))
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def setup(args: argparse.Namespace, out: Path) -> None:
    """Extend the plan to 10 years; units, their tasks, money, reports and amendments; a signed-in superuser."""
    _django()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.urls import reverse

    from xuthanh.core.text import fold
    from xuthanh.orgs.models import Organisation
    from xuthanh.plan import services
    from xuthanh.plan.models import Amendment, Money, Plan, Report, Source, Task

    rng = random.Random(args.seed)
    started = time.perf_counter()
    years = list(range(FIRST_YEAR, FIRST_YEAR + args.years))
    last = years[-1]
    translation_model = Task._parler_meta.root_model
    with transaction.atomic():
        plan = Plan.objects.get()
        admin = get_user_model().objects.create(username="bench-plan-admin", email="admin@example.org",
                                                is_staff=True, is_superuser=True,
                                                password=make_password("bench admin password"))
        department = Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).order_by("pk").first()
        for task in plan.tasks.all():
            if changes := _extend(task, last):
                Task.objects.filter(pk=task.pk).update(**changes)

        kinds = [Organisation.Kind.COMMUNE if n % 5 else Organisation.Kind.SITE_BOARD for n in range(args.units)]
        units = []
        for n, kind in enumerate(kinds, 1):
            place = PLACES[n % len(PLACES)]
            name = (f"UBND xã {place} {n:03d}" if kind == Organisation.Kind.COMMUNE
                    else f"Ban quản lý khu du lịch {place} {n:03d}")
            slug = f"bench-plan-{n:03d}"
            units.append(Organisation(name=name, slug=slug, kind=kind, email=f"{slug}@example.org", is_sample=True,
                                      search_text=fold(f"{name} {slug} ")))
        units = Organisation.objects.bulk_create(units, batch_size=1000)

        # the real tasks: a site board now leads the district-led II.1, every unit takes part; cooperating units
        real = list(plan.tasks.order_by("position"))
        boards = [u for u in units if u.kind == Organisation.Kind.SITE_BOARD]
        through = Task.cooperating.through
        links = []
        for task in real:
            if task.district_led and task.lead_id is None:
                Task.objects.filter(pk=task.pk).update(lead=boards[0])
                chosen = units
            else:
                chosen = rng.sample(units, rng.randint(3, 15))
            links += [through(task_id=task.pk, organisation_id=u.pk) for u in chosen]
        statuses = [Task.Status.ON_TRACK] * 6 + [Task.Status.LATE] * 2 + [Task.Status.DONE, Task.Status.NOT_STARTED]
        for task in real:
            Task.objects.filter(pk=task.pk).update(status=rng.choice(statuses[:-1]), progress=rng.randint(40, 95))

        # the units' own tasks
        sections = {s.code: s for s in plan.sections.all()}
        made, titles = [], []
        position = len(real)
        for n, unit in enumerate(units, 1):
            for k, (section, vi, en) in enumerate(rng.sample(WORK, args.tasks_per_unit), 1):
                start = FIRST_YEAR if rng.random() < 0.8 else rng.choice((FIRST_YEAR + 1, FIRST_YEAR + 2))
                status = rng.choice(statuses)
                made.append(Task(plan=plan, section=sections[section], code=f"B.{n}.{k}", start_year=start,
                                 end_year=last, lead_original="UBND cấp xã; Ban quản lý các khu, điểm du lịch (bench)",
                                 district_led=True, lead=unit, status=status, position=position,
                                 progress=100 if status == Task.Status.DONE else rng.randint(0, 90)))
                titles.append((vi, en, unit))
                position += 1
        made = Task.objects.bulk_create(made, batch_size=1000)
        translation_model.objects.bulk_create(
            [translation_model(master_id=task.pk, language_code="vi", title=f"{vi} – {unit.name} (bench)"[:300])
             for task, (vi, _en, unit) in zip(made, titles, strict=True)]
            + [translation_model(master_id=task.pk, language_code="en", title=f"{en} – {unit.name} (bench)"[:300])
               for task, (_vi, en, unit) in zip(made, titles, strict=True)], batch_size=1000)
        through.objects.bulk_create(links, batch_size=2000)

        # money, reports and amendments of every task
        tasks = list(plan.tasks.select_related("lead").order_by("position"))
        money, reports, amendments = [], [], []
        sent_by_year = dict.fromkeys(years, 0)
        counts = {"sent": 0, "late": 0, "draft": 0, "missing": 0}
        for task in tasks:
            synthetic = task.code.startswith("B.")
            running = [y for y in task.running_years() if y in years]
            if synthetic:
                sources = [Source.DISTRICT] + ([Source.SOCIALISED] if rng.random() < 0.4 else [])
            else:
                sources = [s for s in Source.values if getattr(task, s)] or [Source.PROVINCIAL]
            unit = task.lead or department
            for year in running:
                spent_by_source = dict.fromkeys(Source.values, Decimal(0))
                for source in sources:
                    if rng.random() >= 0.9:
                        continue
                    share = getattr(task, source) / len(task.running_years()) if not synthetic else 0
                    allocated = int((share * rng.uniform(0.6, 1.1) if share else rng.uniform(20, 300)) * 1000) + 1
                    for amount in _split(allocated, rng.choice((1, 1, 2)), rng):
                        money.append(Money(task_id=task.pk, year=year, kind=Money.Kind.ALLOCATED, source=source,
                                           amount=_milli(amount), document=f"{rng.randint(1, 4999)}/QĐ-UBND",
                                           document_date=dt.date(year, rng.randint(1, 4), rng.randint(1, 28)),
                                           unit=unit, recorded_by=admin))
                    for amount in _split(int(allocated * rng.uniform(0.5, 1.0)), rng.randint(1, 3), rng):
                        money.append(Money(task_id=task.pk, year=year, kind=Money.Kind.SPENT, source=source,
                                           amount=_milli(amount), document=f"{rng.randint(1, 999)}/HĐ",
                                           document_date=dt.date(year, rng.randint(5, 12), rng.randint(1, 28)),
                                           unit=unit, recorded_by=admin))
                        spent_by_source[source] += _milli(amount)
                if task.lead_id is None:
                    continue  # no unit owes a report on it
                draw = rng.random()
                if draw >= 0.93:
                    counts["missing"] += 1
                    continue
                due = services.deadline(year)
                if draw < 0.75:
                    state, sent_at = Report.State.SENT, due - dt.timedelta(minutes=rng.randint(60, 40 * 24 * 60))
                    counts["sent"] += 1
                    sent_by_year[year] += 1
                elif draw < 0.87:
                    state, sent_at = Report.State.SENT, due + dt.timedelta(minutes=rng.randint(60, 60 * 24 * 60))
                    counts["late"] += 1
                    sent_by_year[year] += 1
                else:
                    state, sent_at = Report.State.DRAFT, None
                    counts["draft"] += 1
                place = rng.choice(PLACES)
                done = " ".join(line.format(n=rng.randint(2, 60), m=rng.randint(20, 400), place=place)
                                for line in rng.sample(DONE, rng.randint(2, 4)))
                step = (year - task.start_year + 1) / max(1, task.end_year - task.start_year + 1)
                reports.append(Report(
                    task_id=task.pk, unit=unit, year=year, done=done, state=state, sent_at=sent_at,
                    difficulties=" ".join(rng.sample(HARD, 2)) if rng.random() < 0.5 else "",
                    proposals=rng.choice(ASKS) if rng.random() < 0.4 else "",
                    progress=min(100, int(100 * step * rng.uniform(0.8, 1.05))), updated_by=admin,
                    **{f"spent_{s}": v for s, v in spent_by_source.items()}))
            if rng.random() < 0.08:
                proposal, reason = rng.choice(AMEND)
                state = rng.choice(Amendment.State.values)
                decided = state in (Amendment.State.ACCEPTED, Amendment.State.REFUSED)
                amendments.append(Amendment(
                    task_id=task.pk, unit=unit, proposal=proposal, reason=reason, state=state,
                    review="Sở Văn hóa, Thể thao và Du lịch đề nghị chấp thuận." if state != "proposed" else "",
                    decision=f"{rng.randint(1, 4999)}/QĐ-UBND" if decided else "",
                    decision_date=dt.date(rng.choice(years[:7]), rng.randint(1, 12), rng.randint(1, 28))
                    if decided else None))
        Money.objects.bulk_create(money, batch_size=2000)
        Report.objects.bulk_create(reports, batch_size=2000)
        Amendment.objects.bulk_create(amendments, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would soon after such a load
            cursor.execute("VACUUM ANALYZE")
    session = import_module(settings.SESSION_ENGINE).SessionStore()  # what django.contrib.auth.login stores
    session[SESSION_KEY] = str(admin.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
    session.create()
    out.write_text(json.dumps({
        "years": years, "units": len(units), "tasks": len(tasks), "synthetic_tasks": len(made),
        "reports": len(reports), "money": len(money), "amendments": len(amendments), **counts,
        "sent_by_year": sent_by_year, "admin": admin.pk,
        "dashboard": reverse("admin:plan_dashboard"), "report": reverse("admin:plan_report_file"),
        "session": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    }))
    say(f"{len(units)} units, {len(tasks)} tasks ({len(made)} synthetic), {len(money):,} money rows, "
        f"{len(reports):,} reports (sent on time {counts['sent']:,}, late {counts['late']:,}, drafts "
        f"{counts['draft']:,}; {counts['missing']:,} never written), {len(amendments)} amendments in "
        f"{time.perf_counter() - started:.1f} s")


def _timed(fn: object, calls: int) -> tuple[float, float]:
    """(median, max) ms of `calls` calls."""
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[-1]


def inprocess(data_file: Path, calls: int) -> None:
    """One dashboard request's queries, the page's and the report's parts timed, a cProfile of the page."""
    _django()
    import cProfile
    import pstats

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xuthanh.plan import document, selectors, services, targets

    data = json.loads(data_file.read_text())
    last = data["years"][-1]
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = data["session"].split("=", 1)[1]
    url = f"{data['dashboard']}?year={last}"
    assert client.get(url).status_code == 200  # first call: connection, templates, translations
    gc.freeze()  # as xuthanh/wsgi.py does in each server worker: full collections leave what is loaded alone
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        answer = client.get(url)
        page_ms = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200
    queries = sorted(((float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries), reverse=True)
    plan = selectors.current_plan()
    parts = {
        "dashboard page (test client)": lambda: client.get(url),
        "selectors.budget": lambda: selectors.budget(plan),
        "selectors.task_rows": lambda: selectors.task_rows(plan, last),
        "services.lateness": lambda: services.lateness(last),
        "selectors.adds_up": lambda: selectors.adds_up(plan),
        "selectors.status_counts": lambda: selectors.status_counts(plan),
        "targets.compute": targets.compute,
    }
    timings = {name: _timed(fn, calls) for name, fn in parts.items()}
    # what if: the page reading the targets as of the last five minutes (targets.current, a cache hit) instead of
    # computing them on every request (plan/admin.py calls targets.compute)
    measured, compute = targets.compute(), targets.compute
    targets.compute = lambda now=None: measured
    try:
        timings["page, targets as a cache hit"] = _timed(lambda: client.get(url), calls)
    finally:
        targets.compute = compute
    found = selectors.consolidated(plan, last)
    report_queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: report_queries.append(sql) or execute(sql, *rest)):
        selectors.consolidated(plan, last)
    report_parts = {
        "selectors.consolidated": lambda: selectors.consolidated(plan, last),
        "document.docx_bytes": lambda: document.docx_bytes(found, "1"),
        "document.pdf_bytes": lambda: document.pdf_bytes(found, "1"),
        "document.xlsx": lambda: document.xlsx(found),
    }
    timings.update({name: _timed(fn, max(1, calls // 10)) for name, fn in report_parts.items()})
    profile = cProfile.Profile()
    profile.enable()
    client.get(url)
    profile.disable()
    text = io.StringIO()
    # the app's own functions and the template's rendering, not the middleware around them
    pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(
        r"xuthanh/(?!core/|api/)|template/response.py|query.py:\d+\(_fetch_all|prefetch_related_objects", 30)
    print(json.dumps({
        "page_ms": page_ms, "queries": [[round(ms, 2), sql[:300]] for ms, sql in queries],
        "consolidated_queries": len(report_queries), "timings": timings,
        "profile": text.getvalue(), "rows": len(found.rows), "with_report": sum(1 for r in found.rows if r["report"]),
    }))


# ---- through the stack --------------------------------------------------------------------------------------


def ask(port: int, path: str, cookie: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def dashboard(port: int, data: dict, calls: int) -> tuple[list[float], dict[int, list[float]]]:
    """The dashboard for each year once (checked), then `calls` times over the years in turn: all timings, and
    per year."""
    for year in data["years"]:
        status, _headers, body = ask(port, f"{data['dashboard']}?year={year}", data["session"])
        rows = len(TASK_LINK.findall(body))
        if status != 200 or b"budget-data" not in body or rows != data["tasks"]:
            raise SystemExit(f"the dashboard for {year} answered {status} with {rows} task rows "
                             f"({data['tasks']} tasks):\n{body[:500]!r}")
    say(f"  page of {len(body) / 1024:.0f} KB, {rows} task rows")
    times, per_year = [], {year: [] for year in data["years"]}
    for n in range(calls):
        year = data["years"][n % len(data["years"])]
        started = time.perf_counter()
        status, _headers, _body = ask(port, f"{data['dashboard']}?year={year}", data["session"])
        elapsed = time.perf_counter() - started
        if status != 200:
            raise SystemExit(f"the dashboard for {year} answered {status}")
        times.append(elapsed)
        per_year[year].append(elapsed)
    return times, per_year


def check_file(fmt: str, body: bytes, sent: int) -> str:
    """What is wrong with the file (empty: it opens and holds the year's `sent` reports)."""
    if fmt == "pdf":
        return "" if body.startswith(b"%PDF") and b"%%EOF" in body[-1024:] else "not a PDF"
    if fmt == "docx":
        from docx import Document

        doc = Document(io.BytesIO(body))
        text = "\n".join(p.text for p in doc.paragraphs)
        if "BÁO CÁO" not in text:
            return "no title"
        told = sum(1 for p in doc.paragraphs if DONE_LINE.match(p.text))
        return "" if told == sent else f"{told} tasks reported in the text, {sent} sent"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    if set(book.sheetnames) != {"money", "reports", "targets"}:
        return f"sheets {book.sheetnames}"
    rows = sum(1 for _row in book["reports"].iter_rows(values_only=True)) - 1
    return "" if rows == sent else f"{rows} reports in the workbook, {sent} sent"


def reports(port: int, data: dict, runs: int) -> dict[str, list[float]]:
    """The latest year's consolidated report in each format, `runs` times, each file checked."""
    year = data["years"][-1]
    sent = data["sent_by_year"][str(year)]
    out = {}
    for fmt in FORMATS:
        out[fmt] = []
        for _ in range(runs):
            started = time.perf_counter()
            status, headers, body = ask(port, f"{data['report']}?year={year}&number=115&format={fmt}", data["session"])
            out[fmt].append(time.perf_counter() - started)
            if status != 200 or not headers.get("content-disposition", "").endswith(f'.{fmt}"'):
                raise SystemExit(f"the {fmt} report answered {status} {headers.get('location', '')}:\n{body[:300]!r}")
            if problem := check_file(fmt, body, sent):
                raise SystemExit(f"the {fmt} report for {year}: {problem}")
        say(f"  {fmt}: {len(body) / 1024:.0f} KB, opens, {sent} sent reports; "
            + ", ".join(f"{s:.2f}" for s in out[fmt]) + " s")
    return out


# ---- one database -------------------------------------------------------------------------------------------


def measure(db: str, args: argparse.Namespace, tmp: Path) -> list[str]:
    with web.database(db, tmp, stack.base_env(tmp / db)) as env:
        say(f"{db}: migrate, collectstatic, load_thanhhoa, load_plan")
        stack.run(env, "manage.py", "migrate", "--no-input", "-v0")
        stack.run(env, "manage.py", "collectstatic", "--no-input", "-v0")
        stack.run(env, "manage.py", "load_thanhhoa", capture=True)
        say("  " + stack.run(env, "manage.py", "load_plan", capture=True))
        data_file = tmp / f"setup-{db}.json"
        say(f"{db}: synthetic data, seed {args.seed}")
        stack.run(env, "bench/plan.py", "--setup", str(data_file), "--units", str(args.units), "--years",
                  str(args.years), "--tasks-per-unit", str(args.tasks_per_unit), "--seed", str(args.seed))
        data = json.loads(data_file.read_text())
        log = tmp / f"gunicorn-{db}.log"
        try:
            with stack.gunicorn(env, log, workers=args.workers, threads=args.threads,
                                options=("--capture-output",)) as port:
                say(f"{db}: dashboard, {args.calls} calls over {len(data['years'])} years (load average "
                    f"{os.getloadavg()[0]:.1f})")
                page, per_year = dashboard(port, data, args.calls)
                say(f"{db}: consolidated report for {data['years'][-1]}, {args.runs} runs per format")
                files = reports(port, data, args.runs)
        except SystemExit as exc:  # what the server said about it
            raise SystemExit(f"{exc}\n\nthe server's log ends with:\n{log.read_text()[-3000:]}") from None
        problems = server_problems(log)
        say(f"{db}: in-process: queries, parts, profile")
        inproc = json.loads(stack.run(env, "bench/plan.py", "--inprocess", str(data_file), "--calls",
                                      str(args.inprocess_calls), capture=True).splitlines()[-1])
    p50, p95, worst = percentile(page, 50), percentile(page, 95), max(page) * 1000
    say(f"{db}: dashboard p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {worst:.0f} ms; per year p95: "
        + ", ".join(f"{y} {percentile(t, 95):.0f}" for y, t in per_year.items()))
    sql_ms = sum(ms for ms, _sql in inproc["queries"])
    say(f"{db}: one dashboard request in-process: {inproc['page_ms']:.0f} ms, {len(inproc['queries'])} queries "
        f"({sql_ms:.0f} ms of SQL); the slowest:")
    for ms, sql in inproc["queries"][:8]:
        say(f"    {ms:8.2f}  {sql}")
    say(f"{db}: parts (median / max ms of {args.inprocess_calls} calls, the report's of "
        f"{max(1, args.inprocess_calls // 10)}):")
    for name, (median, most) in inproc["timings"].items():
        say(f"    {name:30} {median:8.1f} / {most:8.1f}")
    say(f"{db}: consolidated: {inproc['consolidated_queries']} queries, {inproc['rows']} tasks, "
        f"{inproc['with_report']} with a sent report")
    say(f"{db}: cProfile of one dashboard request (the profiler slows it about twofold):\n" + "\n".join(
        f"    {line}" for line in inproc["profile"].strip().splitlines()[:40]))
    most = {fmt: max(times) for fmt, times in files.items()}
    met = [p95 < TARGET_DASHBOARD_P95_MS, all(s < TARGET_REPORT_S for s in most.values()), problems == 0]
    return [db, str(data["units"]), f"{data['tasks']} ({data['synthetic_tasks']} synthetic)",
            f"{data['years'][0]}–{data['years'][-1]}", f"{data['reports']:,} ({data['sent'] + data['late']:,} sent, "
            f"{data['late']:,} late; {data['draft']:,} drafts)", f"{data['money']:,}", str(data["amendments"]),
            f"{p50:.0f} / {p95:.0f} / {worst:.0f}", str(len(inproc["queries"])),
            *(f"{most[fmt]:.2f}" for fmt in FORMATS), str(problems), "✓" if all(met) else "✗"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite and/or postgres, comma-separated")
    parser.add_argument("--units", type=int, default=200, help="reporting units (communes and site boards)")
    parser.add_argument("--years", type=int, default=10, help="years of data from 2020")
    parser.add_argument("--tasks-per-unit", type=int, default=2, help="synthetic tasks each unit leads")
    parser.add_argument("--calls", type=int, default=200, help="timed dashboard calls (over the years in turn)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the report in each format")
    parser.add_argument("--inprocess-calls", type=int, default=20, help="calls of each part timed in-process")
    parser.add_argument("--seed", type=int, default=115)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2 cores here)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--setup", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--inprocess", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not 1 <= args.units <= 5000 or not 6 <= args.years <= 30 or not 1 <= args.tasks_per_unit <= len(WORK):
        parser.error(f"--units 1..5000, --years 6..30, --tasks-per-unit 1..{len(WORK)}")
    if not 1 <= args.calls <= 10_000 or not 1 <= args.runs <= 50 or not 1 <= args.inprocess_calls <= 1000:
        parser.error("--calls 1..10000, --runs 1..50, --inprocess-calls 1..1000")
    if args.setup:
        setup(args, args.setup)
        return 0
    if args.inprocess:
        inprocess(args.inprocess, args.inprocess_calls)
        return 0
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    if not dbs or not set(dbs) <= {"sqlite", "postgres"}:
        parser.error("--db takes sqlite and/or postgres")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="plan-", dir=ROOT / "var" / "bench"))
    rows = []
    try:
        for db in dbs:
            if db == "postgres" and not stack.postgres_reachable():
                say("PostgreSQL is not reachable on 127.0.0.1:5432: skipped")
                continue
            rows.append(measure(db, args, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nPlan monitoring: gunicorn gthread {args.workers}×{args.threads}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the end; {args.units} units × {args.tasks_per_unit} tasks of their own, "
          f"{args.years} years; dashboard: {args.calls} calls over the years in turn, one client; report: the last "
          f"year, {args.runs} runs per format (the slowest shown). Targets: dashboard p95 < "
          f"{TARGET_DASHBOARD_P95_MS} ms, each report < {TARGET_REPORT_S:g} s.\n")
    head = ["db", "units", "tasks", "years", "reports", "money rows", "amendments", "dashboard p50 / p95 / max ms",
            "queries", "docx s", "pdf s", "xlsx s", "server errors", "target met"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
