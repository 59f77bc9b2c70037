"""Contests (xuthanh/contests): the gallery of a contest with 10,000 entries, page cache off and on, and the
public vote under concurrent voters, on SQLite and PostgreSQL. One command, one table:

    .venv/bin/python bench/contest.py                       # both databases, 10 s per measure: about 2 minutes
    .venv/bin/python bench/contest.py --db sqlite,postgres --duration 60 --voters 32 --entries 10000

For each database: a fresh one (SQLite in a temporary folder under var/bench, PostgreSQL
`xuthanh_bench_contest_<pid>`, created and dropped), migrated, and a contest in its vote phase
(`make_contest` of the contests' tests) with `--entries` entries over its three categories (photo 60 %, film
and article 20 % each; 4 % of them submitted, disqualified or withdrawn, so not shown), written in bulk with
their entrants and titles (Vietnamese, and English for half), all sharing one small JPEG. Then
`--voters` × `--accounts` voters with a confirmed e-mail address and a session made beforehand (the session
store's own rows, as a sign-in makes them). The production stack serves it (tests/stack.py: gunicorn gthread
2×4, DEBUG off), with the vote's rate limits (CONTEST_VOTES_PER_MINUTE, per voter and per address) lifted:
every voter here comes from 127.0.0.1.

Gallery: wrk (bench/web.py's runner and web_report.lua) at `--connections` connections for `--duration`
seconds cycles through a shuffled mix of gallery pages in the four languages: each category's and the whole
gallery's first page and pages deeper in them (`?before=`), once with PAGE_CACHE_SECONDS=0 (every request
renders) and once with 60 (production; each page was asked once before, so the mix is served from the cache).

Vote: `--voters` concurrent clients (one asyncio event loop in this process, one keep-alive connection each,
so a request's voter, entry and answer are known), each voting as its own accounts in turn for entries that
account has not voted for, as fast as the server answers, for `--duration` seconds; every request in flight at
the end is awaited. A share (`--duplicates`) are deliberate duplicates: the vote another client has in flight
at that moment (same voter and entry, as from a second tab), else one of its own already counted; each must be
refused with 409. Afterwards the database is checked against the answers: lost = accepted votes (200) without
their Vote row, plus entries counting fewer votes than their rows; double-counted = Vote rows without a 200,
(entry, voter) pairs stored twice or accepted twice, and entries counting more votes than their rows (and
ballots whose `used` differs from their votes count as errors). Errors: any other answer, a connection without
an answer, "database is locked" or a traceback in the server's log.

Targets (the issue): ≥ 200 votes/s, 0 lost, 0 double-counted, gallery p95 < 100 ms with the page cache off.
The table goes to stdout, progress to stderr. Installs nothing: wrk comes from `apt-get install -y wrk`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import stack  # noqa: E402 - the stack's processes, shared with the other benchmarks

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web  # noqa: E402 - bench/web.py: wrk with web_report.lua over a file of paths

SLUG = "bench-contest"
TARGET_VOTES_PER_S = 200
TARGET_GALLERY_P95_MS = 100
PAGE = 48  # cards on a gallery page (selectors.gallery)
KINDS = (("di-san", 0.6), ("phim", 0.2), ("bai-viet", 0.2))  # make_contest's categories: photo, film, article
DEEP_PAGES = 6  # pages deeper than the first, per language and gallery (whole or one category)

Pair = tuple[int, int]  # (entry id, voter id)


def say(message: str) -> None:
    print(f"[contest] {message}", file=sys.stderr, flush=True)


# ---- inside the benchmark's environment: the data, then the check (run as `contest.py --setup/--check`) ------


def setup(entries: int, voters: int, out: Path) -> None:
    """The contest, its entries and the voters with their sessions; what the load needs, as JSON in `out`."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuthanh.settings")
    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection, transaction
    from django.utils import timezone

    from xuthanh.accounts.models import EmailAddress
    from xuthanh.contests import licences, services
    from xuthanh.contests.models import Entrant, Entry, EntryTranslation
    from xuthanh.contests.tests.conftest import make_contest, picture

    rng = random.Random(2026)
    started = time.perf_counter()
    now = timezone.now()
    words = ["Sầm Sơn", "Pù Luông", "Bến En", "Hàm Rồng", "Lam Kinh", "Thành nhà Hồ", "Hải Tiến", "Cẩm Lương",
             "Nga Sơn", "Bá Thước", "Quảng Xương", "Hoằng Hóa", "sông Mã", "chợ quê", "mùa lúa", "bình minh"]
    with transaction.atomic():
        contest = make_contest("vote", slug=SLUG, votes_per_category=10_000)
        categories = {c.slug: c for c in contest.categories.all()}
        small = default_storage.save("contests/s/bench/entry.jpg", ContentFile(picture(1, (320, 213))))
        entrants = Entrant.objects.bulk_create([
            Entrant(contest=contest, full_name=f"Người dự thi {n}", credit_name=f"{rng.choice(words)} {n}",
                    email=f"entrant{n}@example.org", privacy_consent_at=now,
                    privacy_version=services.PRIVACY_VERSION)
            for n in range(max(1, entries // 3))
        ], batch_size=2000)
        hidden = [Entry.State.SUBMITTED, Entry.State.DISQUALIFIED, Entry.State.WITHDRAWN]
        rows = []
        for _n in range(entries):
            category = categories[rng.choices([s for s, _w in KINDS], [w for _s, w in KINDS])[0]]
            code = rng.choice(contest.licences)
            rows.append(Entry(
                contest=contest, category=category, entrant=rng.choice(entrants), kind=category.kind,
                licence=code, licence_version=licences.LICENCES[code].version, licence_at=now,
                state=rng.choice(hidden) if rng.random() < 0.04 else Entry.State.ACCEPTED, small=small,
                width=320, height=213,
            ))
        made = Entry.objects.bulk_create(rows, batch_size=2000)
        titles = []
        for entry in made:
            place = rng.choice(words)
            titles.append(EntryTranslation(master_id=entry.pk, language_code="vi", title=f"{place} số {entry.pk}"))
            if entry.pk % 2:
                titles.append(EntryTranslation(master_id=entry.pk, language_code="en", title=f"{place} no. {entry.pk}"))
        EntryTranslation.objects.bulk_create(titles, batch_size=2000)

        user = get_user_model()
        hashed = make_password("bench voter password")  # hashed once: the hash is slow on purpose
        users = user.objects.bulk_create([
            user(username=f"bench-voter-{n:05d}", email=f"voter{n}@example.org", password=hashed)
            for n in range(voters)
        ], batch_size=2000)
        EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified_at=now) for u in users],
                                         batch_size=2000)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = []
    for user in users:  # what django.contrib.auth.login stores
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append([user.pk, session.session_key])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as autovacuum would soon after such a load
            cursor.execute("ANALYZE")
    out.write_text(json.dumps({
        "slug": SLUG,
        "languages": [code for code, _name in settings.LANGUAGES][:4],
        "categories": list(categories),
        "entries": [[e.pk, e.category.slug, e.state == Entry.State.ACCEPTED] for e in made],
        "voters": sessions,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_header": "-".join(p.capitalize() for p in settings.CSRF_HEADER_NAME.removeprefix("HTTP_").split("_")),
    }))
    say(f"{entries} entries, {len(users)} voters with sessions in {time.perf_counter() - started:.1f} s")


def check(answers: Path) -> None:
    """The database against the votes the clients were answered 200 for (and those without an answer)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuthanh.settings")
    django.setup()
    from django.db.models import Count

    from xuthanh.contests.models import Ballot, Entry, Vote

    told = json.loads(answers.read_text())
    accepted = {tuple(p) for p in told["accepted"]}
    unknown = {tuple(p) for p in told["unknown"]}
    stored = Counter(Vote.objects.filter(entry__contest__slug=SLUG).values_list("entry_id", "voter_id"))
    rows = Counter()
    for (entry_id, _voter), n in stored.items():
        rows[entry_id] += n
    counters = dict(Entry.objects.filter(contest__slug=SLUG).values_list("pk", "votes"))
    under = sum(max(0, rows[e] - v) for e, v in counters.items())
    over = sum(max(0, v - rows[e]) for e, v in counters.items())
    used = {(b.category_id, b.voter_id): b.used for b in Ballot.objects.filter(category__contest__slug=SLUG)}
    cast = {(r["category_id"], r["voter_id"]): r["n"] for r in Vote.objects.filter(entry__contest__slug=SLUG)
            .values("category_id", "voter_id").annotate(n=Count("id"))}
    print(json.dumps({
        "vote_rows": sum(stored.values()),
        "counted": sum(counters.values()),
        "missing": len(accepted - set(stored)),  # answered 200, no row
        "unacknowledged": len(set(stored) - accepted - unknown),  # a row without a 200
        "twice": sum(n - 1 for n in stored.values() if n > 1),
        "entries_under": under,
        "entries_over": over,
        "ballots_off": sum(1 for k in set(used) | set(cast) if used.get(k, 0) != cast.get(k, 0)),
    }))


# ---- the gallery ------------------------------------------------------------------------------------------


def gallery_paths(data: dict, rng: random.Random) -> list[str]:
    """First pages of the whole gallery and of each category, and pages deeper in them, in four languages."""
    shown = sorted((e for e in data["entries"] if e[2]), key=lambda e: -e[0])
    lists = {"": [e[0] for e in shown]}
    for slug in data["categories"]:
        lists[slug] = [e[0] for e in shown if e[1] == slug]
    paths = []
    for lang in data["languages"]:
        base = f"/{lang}/contests/{data['slug']}/gallery/"
        for slug, ids in lists.items():
            query = [f"category={slug}"] if slug else []
            paths.append(base + ("?" + "&".join(query) if query else ""))
            pages = max(1, (len(ids) - 1) // PAGE)  # page k (k ≥ 1) continues before the k × 48th card
            for k in rng.sample(range(1, pages + 1), min(DEEP_PAGES, pages)) if len(ids) > PAGE else []:
                paths.append(base + "?" + "&".join([*query, f"before={ids[k * PAGE - 1]}"]))
    rng.shuffle(paths)
    return paths


def page_cache_state(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.getheader("X-Page-Cache") or "not stored"
    finally:
        conn.close()


@dataclass
class Gallery:
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    cache: str  # what the page cache said on asking a page again (X-Page-Cache)


def gallery(port: int, paths: list[str], file: Path, args: argparse.Namespace) -> Gallery:
    for path in paths:  # each must answer 200; with the page cache on, this also stores each page once
        status, body = stack.get(port, path)
        if status != 200:
            raise SystemExit(f"{path} answered {status} before the run:\n{body[:500]!r}")
    state = page_cache_state(port, paths[0])
    file.write_text("\n".join(paths) + "\n")
    stats = web.wrk(port, "/", duration=args.duration, connections=args.connections, key="", paths=file)
    errors = sum(stats[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "http_errors"))
    return Gallery(stats["requests"] / (stats["duration_us"] / 1e6), stats["p50_us"] / 1000, stats["p95_us"] / 1000,
                   stats["p99_us"] / 1000, errors, state)


# ---- the vote ---------------------------------------------------------------------------------------------


@dataclass
class Votes:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    accepted: Counter = field(default_factory=Counter)  # pair → 200 answers
    sent: Counter = field(default_factory=Counter)  # pair → requests
    unknown: set = field(default_factory=set)  # pairs whose request got no answer
    duplicates: int = 0  # deliberate duplicates sent
    samples: list[str] = field(default_factory=list)  # a few unexpected answers, for the log
    client_cpu: float = 0.0  # this process's CPU seconds during the run
    before: list[Pair] = field(default_factory=list)  # the first vote, counted before the run


class Ballots:
    """What each client votes next: its own accounts in turn, each for entries it has not voted for (every
    account walks the shuffled accepted entries from its own starting point), or now and then a deliberate
    duplicate."""

    def __init__(self, data: dict, clients: int, duplicates: float, rng: random.Random) -> None:
        self.entries = [e[0] for e in data["entries"] if e[2]]
        rng.shuffle(self.entries)
        self.voters = data["voters"]
        self.clients, self.share, self.rng = clients, duplicates, rng
        self.next = {voter: 0 for voter, _key in self.voters}
        self.start = {voter: rng.randrange(len(self.entries)) for voter, _key in self.voters}
        self.turn = [0] * clients
        self.inflight: list[Pair | None] = [None] * clients
        self.counted: list[list[Pair]] = [[] for _ in range(clients)]

    def mine(self, client: int) -> list[int]:
        return [voter for n, (voter, _key) in enumerate(self.voters) if n % self.clients == client]

    def take(self, client: int, accounts: list[int]) -> tuple[Pair, bool] | None:
        if self.rng.random() < self.share:
            other = self.inflight[(client + 1) % self.clients]
            if other is not None:
                return other, True
            if self.counted[client]:
                return self.rng.choice(self.counted[client]), True
        for _ in range(len(accounts)):
            voter = accounts[self.turn[client] % len(accounts)]
            self.turn[client] += 1
            n = self.next[voter]
            if n < len(self.entries):
                self.next[voter] = n + 1
                return (self.entries[(self.start[voter] + n) % len(self.entries)], voter), False
        return None  # every account of this client voted for every entry


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _sep, v in (line.partition(":") for line in head[1:] if line)}
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while size := int((await reader.readline()).split(b";")[0], 16):
            body += await reader.readexactly(size)
            await reader.readline()
        await reader.readline()
    else:
        body = await reader.read()
    return status, body, headers.get("connection", "").lower() != "close"


async def _client(n: int, port: int, data: dict, ballots: Ballots, votes: Votes, deadline: float) -> None:
    accounts = ballots.mine(n)
    keys = dict(data["voters"])
    token = secrets.token_hex(16)  # a CSRF secret of 32 characters: the cookie, and the header repeats it
    languages = data["languages"]
    reader = writer = None
    try:
        while time.perf_counter() < deadline:
            chosen = ballots.take(n, accounts)
            if chosen is None:
                break
            pair, duplicate = chosen
            if not duplicate:
                ballots.inflight[n] = pair
            votes.duplicates += duplicate
            votes.sent[pair] += 1
            lang = languages[votes.sent.total() % len(languages)]
            request = (
                f"POST /{lang}/contests/{data['slug']}/entries/{pair[0]}/vote/ HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{port}\r\nAccept: application/json\r\n"
                f"Cookie: {data['session_cookie']}={keys[pair[1]]}; {data['csrf_cookie']}={token}\r\n"
                f"{data['csrf_header']}: {token}\r\nContent-Length: 0\r\n\r\n"
            ).encode()
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(request)
                status, body, keep = await _answer(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                votes.unknown.add(pair)
                votes.statuses["no answer"] += 1
                if len(votes.samples) < 5:
                    votes.samples.append(f"no answer: {exc!r}")
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            finally:
                ballots.inflight[n] = None
            votes.latencies.append(time.perf_counter() - started)
            votes.statuses[status] += 1
            if status == 200:
                votes.accepted[pair] += 1
                ballots.counted[n].append(pair)
            elif status != 409 and len(votes.samples) < 5:
                votes.samples.append(f"{status}: {body[:300]!r}")
            if not keep:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def _vote(port: int, data: dict, ballots: Ballots, votes: Votes, seconds: float) -> None:
    started = time.perf_counter()
    await asyncio.gather(*(_client(n, port, data, ballots, votes, started + seconds)
                           for n in range(ballots.clients)))
    votes.seconds = time.perf_counter() - started


def vote(port: int, data: dict, args: argparse.Namespace) -> Votes:
    # one vote first, by the last account (no client's), for one entry: it must be counted, else stop here
    one, votes = next(e for e in data["entries"] if e[2]), Votes()
    first = Ballots({**data, "entries": [one], "voters": data["voters"][-1:]}, 1, 0.0, random.Random(1))
    asyncio.run(_vote(port, data, first, votes, 60))
    if votes.statuses[200] != 1:
        raise SystemExit(f"the first vote was not counted: {dict(votes.statuses)} {votes.samples}")
    votes = Votes(before=list(votes.accepted))
    ballots = Ballots({**data, "voters": data["voters"][:-1]}, args.voters, args.duplicates, random.Random(20))
    cpu = time.process_time()
    asyncio.run(_vote(port, data, ballots, votes, args.duration))
    votes.client_cpu = time.process_time() - cpu
    return votes


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] * 1000 if ordered else 0.0


# ---- one database ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def database(db: str, env: dict[str, str]) -> Iterator[dict[str, str]]:
    if db == "sqlite":
        yield env
        return
    with stack.postgres_database("xuthanh_bench_contest") as url:
        yield {**env, "DATABASE_URL": url}


def server_problems(log: Path) -> int:
    text = log.read_text() if log.exists() else ""
    return text.count("database is locked") + text.count("Traceback")


def measure(db: str, args: argparse.Namespace, tmp: Path) -> list[str]:
    env = {**stack.base_env(tmp / db), "CONTEST_VOTES_PER_MINUTE": str(10**9)}
    with database(db, env) as env:
        say(f"{db}: migrate, collectstatic")
        stack.run(env, "manage.py", "migrate", "--no-input", "-v0")
        stack.run(env, "manage.py", "collectstatic", "--no-input", "-v0")
        say(f"{db}: {args.entries} entries, {args.voters} × {args.accounts} voters")
        setup_file, answers_file = tmp / f"setup-{db}.json", tmp / f"answers-{db}.json"
        stack.run(env, "bench/contest.py", "--setup", str(setup_file), "--entries", str(args.entries),
                  "--voters", str(args.voters * args.accounts + 1))
        data = json.loads(setup_file.read_text())
        paths = gallery_paths(data, random.Random(48))
        results: dict[str, Gallery] = {}
        errors = 0
        for seconds in (0, 60):
            cache = "on" if seconds else "off"
            log = tmp / f"gunicorn-{db}-{seconds}.log"
            # --capture-output: the app's own log (a 409 is a warning, a 500 a traceback) goes to the log file
            with stack.gunicorn({**env, "PAGE_CACHE_SECONDS": str(seconds)}, log, workers=args.workers,
                                threads=args.threads, options=("--capture-output",)) as port:
                say(f"{db}: gallery, page cache {cache}: {len(paths)} pages, {args.duration:g} s")
                results[cache] = gallery(port, paths, tmp / "gallery.txt", args)
                say(f"  {results[cache].rps:.1f} pages/s, p50 {results[cache].p50:.1f} ms, "
                    f"p95 {results[cache].p95:.1f} ms (page cache: {results[cache].cache})")
                if seconds:
                    say(f"{db}: vote, {args.voters} voters, {args.duration:g} s")
                    votes = vote(port, data, args)
            errors += server_problems(log)
        answers_file.write_text(json.dumps({"accepted": [*votes.accepted, *votes.before],
                                            "unknown": list(votes.unknown)}))
        found = json.loads(stack.run(env, "bench/contest.py", "--check", str(answers_file),
                                     capture=True).splitlines()[-1])
    accepted = sum(votes.accepted.values())
    lost = found["missing"] + found["entries_under"]
    double = (found["unacknowledged"] + found["twice"] + found["entries_over"]
              + sum(n - 1 for n in votes.accepted.values() if n > 1))
    refused = votes.statuses[409]
    expected_refusals = sum(n - 1 for n in votes.sent.values())  # every send of a pair after its first
    errors += sum(n for s, n in votes.statuses.items() if s not in (200, 409)) + found["ballots_off"]
    errors += abs(refused - expected_refusals)  # a vote refused that was not a duplicate, or a duplicate counted
    rate = accepted / votes.seconds
    p99 = percentile(votes.latencies, 99)
    say(f"{db}: {accepted} votes in {votes.seconds:.1f} s ({rate:.1f}/s), answers {dict(votes.statuses)}, "
        f"vote p50 {percentile(votes.latencies, 50):.1f} ms, p99 {p99:.1f} ms; database {found}; "
        f"client CPU {votes.client_cpu:.1f} s ({100 * votes.client_cpu / votes.seconds:.0f} % of a core)")
    for sample in votes.samples:
        say(f"  unexpected answer: {sample}")
    met = [rate >= TARGET_VOTES_PER_S, results["off"].p95 < TARGET_GALLERY_P95_MS, lost == 0, double == 0]
    return [db, f"{len(data['entries']):,}", f"{results['off'].rps:.0f}", f"{results['off'].p50:.1f}",
            f"{results['off'].p95:.1f}", f"{results['on'].p95:.1f}", f"{rate:.0f}",
            f"{percentile(votes.latencies, 50):.1f}", f"{p99:.1f}", str(lost), str(double),
            f"{refused}/{votes.duplicates}", str(errors + results["off"].errors + results["on"].errors),
            "✓" if all(met) else "✗"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite and/or postgres, comma-separated")
    parser.add_argument("--duration", type=float, default=10, help="seconds of each gallery run and of the vote")
    parser.add_argument("--voters", type=int, default=32, help="concurrent voters (one connection each)")
    parser.add_argument("--accounts", type=int, default=4, help="accounts each concurrent voter votes as in turn")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--duplicates", type=float, default=0.02, help="share of deliberate duplicate votes")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections for the gallery")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2 cores here)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--setup", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--check", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup(args.entries, args.voters, args.setup)
        return 0
    if args.check:
        check(args.check)
        return 0
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    if not dbs or not set(dbs) <= {"sqlite", "postgres"}:
        parser.error("--db takes sqlite and/or postgres")
    if not 1 <= args.duration <= 600 or not 1 <= args.voters <= 1000 or args.accounts < 1 or args.entries < PAGE:
        parser.error(f"--duration 1..600 s, --voters 1..1000, --accounts ≥ 1, --entries ≥ {PAGE}")
    if not 0 <= args.duplicates < 0.5:
        parser.error("--duplicates takes a share from 0 to 0.5")
    if shutil.which("wrk") is None:
        say("wrk is missing: install it with `apt-get install -y wrk`, then run again.")
        return 2
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="contest-", dir=ROOT / "var" / "bench"))
    rows = []
    try:
        for db in dbs:
            if db == "postgres" and not stack.postgres_reachable():
                say("PostgreSQL is not reachable on 127.0.0.1:5432: skipped")
                continue
            rows.append(measure(db, args, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nContests: gunicorn gthread {args.workers}×{args.threads}, {os.cpu_count()} cores; gallery: wrk "
          f"{args.connections} connections, {args.duration:g} s per page-cache setting; vote: {args.voters} "
          f"concurrent voters × {args.accounts} accounts, {args.duration:g} s, {args.duplicates:.0%} deliberate "
          f"duplicates. Targets: ≥ {TARGET_VOTES_PER_S} votes/s, gallery p95 < {TARGET_GALLERY_P95_MS} ms with "
          f"the page cache off, 0 lost, 0 double-counted.\n")
    head = ["database", "entries", "gallery pages/s (cache off)", "gallery p50 ms (off)", "gallery p95 ms (off)",
            "gallery p95 ms (cache on)", "votes/s", "vote p50 ms", "vote p99 ms", "lost", "double-counted",
            "duplicates refused (409 / sent)", "errors", "targets met"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
