"""The scale-out path, run for real: two gunicorn app servers and one `run_huey` worker on one PostgreSQL
database, one Redis and media in an S3 bucket (moto's local S3-compatible server), as separate processes with
production settings (DEBUG off, page cache on). Nothing is shared but those three services, as between machines.

It shows what several machines behind a proxy rely on:
- an officer's edit in the back office of server A is seen on server B at once (the page cache's version is
  shared in Redis, not per process);
- the open API's per-address limit counts the requests made to both servers together;
- a job queued by server A (the small copy of a photo uploaded to S3) waits in Redis while no worker runs, and
  the worker started afterwards does it, reading the photo from S3 and writing the copy there (jobs survive a
  worker restart).

Run with `make scaleout` (CI does); it skips, saying why, where PostgreSQL or Redis is not reachable. Each step
prints what it saw (pytest -s), which is the output quoted in closing notes.
"""

from __future__ import annotations

import io
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests import stack

pytestmark = pytest.mark.stack

REDIS_DB = 13  # the test's own Redis database number, emptied before and after
QUEUE = "huey.redis.xuthanh"  # the Huey queue's list in Redis (HUEY["name"] in settings)
API_LIMIT = 40  # API_ANONYMOUS_PER_MINUTE of both servers
PLACE = "thanh-nha-ho"
PASSWORD = "scale-out officer 2026"  # noqa: S105 - a throwaway account in a throwaway database


def report(line: str) -> None:
    print(f"[scale-out] {line}", flush=True)


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    if not stack.postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 (the scale-out path needs it)")
    if not stack.redis_reachable():
        pytest.skip(f"Redis is not reachable at {stack.REDIS_HOST}:{stack.REDIS_PORT} (the scale-out path needs it)")
    pytest.importorskip("moto", reason="moto is missing: pip install -e '.[dev]' (the local S3 server)")
    pytest.importorskip("storages", reason="django-storages is missing: pip install -e '.[dev]'")
    tmp = tmp_path_factory.mktemp("scaleout")
    with (
        stack.postgres_database("xuthanh_scaleout") as database_url,
        stack.s3_server(tmp / "s3.log", "xuthanh-media") as s3,
    ):
        stack.redis_command("FLUSHDB", db=REDIS_DB)
        env = {
            **stack.base_env(tmp, page_cache_seconds=60),
            **s3,
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://{stack.REDIS_HOST}:{stack.REDIS_PORT}/{REDIS_DB}",
            "MEDIA_ROOT": str(tmp / "no-media-here"),  # must stay empty: the media are in the bucket
            "API_ANONYMOUS_PER_MINUTE": str(API_LIMIT),
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        }
        stack.run(env, "manage.py", "collectstatic", "--no-input", "-v0")
        stack.run(env, "manage.py", "migrate", "--no-input", "-v0")
        stack.run(env, "manage.py", "load_thanhhoa")
        stack.run(env, "manage.py", "createsuperuser", "--no-input", "--username=officer", "--email=o@localhost")
        worker = stack.Worker(env, tmp / "huey.log")
        try:
            with (
                stack.gunicorn(env, tmp / "a.log", workers=1, threads=4) as port_a,
                stack.gunicorn(env, tmp / "b.log", workers=1, threads=4) as port_b,
                worker,
            ):
                report(f"server A on :{port_a}, server B on :{port_b}, one run_huey worker; PostgreSQL, Redis db "
                       f"{REDIS_DB}, S3 at {s3['S3_ENDPOINT_URL']} bucket {s3['S3_BUCKET']}")
                yield {"a": port_a, "b": port_b, "worker": worker, "env": env, "s3": s3}
        finally:
            stack.redis_command("FLUSHDB", db=REDIS_DB)


# ---- a browser-less officer ------------------------------------------------------------------------------------


class FormFields(HTMLParser):
    """The fields one form would submit as it stands: (name, value) pairs, as a browser collects them."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or not a.get("name") and tag not in ("option",):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


class Officer:
    """A back-office user speaking HTTP to one server. The servers run with production settings, whose cookies
    are Secure; over loopback HTTP the client sends them anyway (a proxy would speak HTTPS to the browser)."""

    def __init__(self, port: int) -> None:
        import requests

        self.base = f"http://127.0.0.1:{port}"
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = "vi"

    def _keep_cookies(self) -> None:
        for cookie in self.http.cookies:
            cookie.secure = False

    def get(self, path: str):
        response = self.http.get(self.base + path, allow_redirects=False, timeout=30)
        self._keep_cookies()
        return response

    def post(self, path: str, data: list | dict, files: dict | None = None):
        response = self.http.post(self.base + path, data=data, files=files, allow_redirects=False, timeout=60)
        self._keep_cookies()
        return response

    def sign_in(self, username: str, password: str) -> Officer:
        self.get("/admin/login/")
        token = self.http.cookies["csrftoken"]
        answer = self.post(
            "/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"},
        )
        assert answer.status_code == 302, f"sign-in refused: {answer.status_code} {answer.text[:300]}"
        return self

    def change_form(self, path: str, form_id: str) -> list[tuple[str, str]]:
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        parser = FormFields(form_id)
        parser.feed(page.text)
        assert parser.fields, f"no form #{form_id} at {path}"
        return parser.fields


def replaced(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The fields with some values replaced or added (a name with '-' is given with '__')."""
    values = {k.replace("__", "-"): v for k, v in values.items()}
    out = [(k, values.pop(k) if k in values else v) for k, v in fields]
    return out + list(values.items())


def place_pk(officer: Officer, slug: str) -> int:
    listing = officer.get(f"/admin/catalog/place/?q={slug}")
    found = re.search(r'/admin/catalog/place/(\d+)/change/', listing.text)
    assert found, f"{slug} not in the back office's list"
    return int(found.group(1))


def small_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 110, 160)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def photo_rows(env: dict[str, str], slug: str) -> list[tuple[str, str]]:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as conn:
        return conn.execute(
            "SELECT ph.image, ph.small FROM catalog_photo ph JOIN catalog_place p ON p.id = ph.place_id "
            "WHERE p.slug = %s ORDER BY ph.id",
            (slug,),
        ).fetchall()


# ---- the checks ----------------------------------------------------------------------------------------------


def test_an_officers_edit_on_server_a_is_seen_on_server_b_at_once(platform):
    visitor_b = Officer(platform["b"])
    page = f"/vi/places/{PLACE}/"
    first, second = visitor_b.get(page), visitor_b.get(page)
    assert first.status_code == second.status_code == 200
    assert second.headers.get("X-Page-Cache") == "hit"  # B serves its cached copy, as production does
    report(f"B: {page} 200, second request X-Page-Cache: {second.headers['X-Page-Cache']}")

    officer = Officer(platform["a"]).sign_in("officer", PASSWORD)
    pk = place_pk(officer, PLACE)
    change = f"/admin/catalog/place/{pk}/change/?language=vi"
    fields = officer.change_form(change, "place_form")
    old_name = dict(fields)["name"]
    new_name = f"{old_name} – đổi tên lúc {time.strftime('%H:%M:%S')}"
    saved = officer.post(change, replaced(fields, name=new_name, _save="Lưu"))
    assert saved.status_code == 302, re.findall(r'class="errorlist[^"]*">(.*?)</ul>', saved.text)[:5]
    report(f"A: officer renamed the place: {old_name!r} → {new_name!r} (302)")

    after = visitor_b.get(page)
    assert after.status_code == 200 and new_name in after.text
    assert after.headers.get("X-Page-Cache") == "miss"
    api = visitor_b.get(f"/api/v1/places/{PLACE}?lang=vi")
    assert api.status_code == 200 and api.json()["name"] == new_name
    report(f"B at once: the page shows the new name (X-Page-Cache: {after.headers['X-Page-Cache']}), the API too")


def test_the_api_rate_limit_counts_requests_to_both_servers(platform):
    while time.time() % 60 > 40:  # a fresh minute window ahead: the limit is per address and minute
        time.sleep(1)
    stack.redis_command("FLUSHDB", db=REDIS_DB)  # no count left from the checks before: both start at zero
    answers = {"a": [], "b": []}
    first_refusal = None
    for n in range(1, API_LIMIT + 6):
        server = "a" if n % 2 else "b"
        status, _body = stack.get(platform[server], "/api/v1/places?page_size=1")
        answers[server].append(status)
        if status == 429 and first_refusal is None:
            first_refusal = (n, server)
    served = {s: statuses.count(200) for s, statuses in answers.items()}
    n, server = first_refusal or (0, "-")
    report(f"{API_LIMIT} per minute: served A {served['a']}, B {served['b']}; first 429 at request {n} (server "
           f"{server.upper()})")
    assert served["a"] + served["b"] == API_LIMIT  # one count for both, not API_LIMIT each
    assert first_refusal == (API_LIMIT + 1, "b" if (API_LIMIT + 1) % 2 == 0 else "a")
    assert all(s == 429 for statuses in answers.values() for s in statuses[API_LIMIT // 2 + 1 :])


def test_a_job_queued_by_server_a_waits_for_a_worker_and_survives_its_restart(platform):
    worker: stack.Worker = platform["worker"]
    worker.stop()
    report("worker stopped")
    stack.redis_command("DEL", QUEUE, db=REDIS_DB)

    officer = Officer(platform["a"]).sign_in("officer", PASSWORD)
    slug = "bien-sam-son"
    pk = place_pk(officer, slug)
    change = f"/admin/catalog/place/{pk}/change/?language=vi"
    fields = officer.change_form(change, "place_form")
    index = int(dict(fields)["photos-INITIAL_FORMS"])
    upload = replaced(
        fields,
        photos__TOTAL_FORMS=str(index + 1),
        **{
            f"photos__{index}__author": "Nguyễn Văn A",
            f"photos__{index}__licence": "CC-BY-4.0",
            f"photos__{index}__position": "0",
            f"photos__{index}__caption": "Biển Sầm Sơn",
        },
        _save="Lưu",
    )
    files = {f"photos-{index}-image": ("sam-son.jpg", small_jpeg(), "image/jpeg")}
    saved = officer.post(change, upload, files=files)
    assert saved.status_code == 302, re.findall(r'class="errorlist[^"]*">(.*?)</ul>', saved.text, re.S)[:5]
    queued = int(stack.redis_command("LLEN", QUEUE, db=REDIS_DB).split(b"\r\n")[0].lstrip(b":"))
    rows = photo_rows(platform["env"], slug)
    assert queued == 1 and rows and not rows[-1][1]
    report(f"A: photo uploaded; {queued} job in Redis ({QUEUE}), no small copy yet")
    status, body = stack.get(platform["b"], "/readyz")
    ready = json.loads(body)
    assert status == 200 and ready["checks"]["queue"]["pending"] == 1 and ready["checks"]["database"]["ok"]
    report(f"B /readyz: database {ready['checks']['database']['vendor']}, cache "
           f"{ready['checks']['cache']['backend']}, queue {ready['checks']['queue']['mode']} pending "
           f"{ready['checks']['queue']['pending']}")

    time.sleep(1)
    assert not photo_rows(platform["env"], slug)[-1][1]  # nothing does the job while no worker runs
    worker.start()
    started = time.monotonic()
    while not (small := photo_rows(platform["env"], slug)[-1][1]) and time.monotonic() - started < 60:
        time.sleep(0.25)
    assert small and small.endswith(".webp"), "the worker did not make the small copy within 60 s"
    bucket = stack.s3_client(platform["s3"])
    stored = bucket.get_object(Bucket=platform["s3"]["S3_BUCKET"], Key=small)["Body"].read()
    from PIL import Image

    with Image.open(io.BytesIO(stored)) as image:
        assert max(image.size) == 960 and image.format == "WEBP"
    left = int(stack.redis_command("LLEN", QUEUE, db=REDIS_DB).split(b"\r\n")[0].lstrip(b":"))
    assert left == 0
    assert not Path(platform["env"]["MEDIA_ROOT"]).exists()  # nothing went to a local folder
    keys = [o["Key"] for o in bucket.list_objects_v2(Bucket=platform["s3"]["S3_BUCKET"])["Contents"]]
    report(f"worker restarted: did the job in {time.monotonic() - started:.1f} s → s3://"
           f"{platform['s3']['S3_BUCKET']}/{small} ({len(stored)} bytes, {image.size[0]}×{image.size[1]}); queue "
           f"empty; bucket holds {sorted(keys)}")

    page = Officer(platform["b"]).get(f"/vi/places/{slug}/")
    origin = platform["s3"]["S3_ENDPOINT_URL"]
    sources = re.findall(r'<img src="([^"]+)"', page.text)
    assert f"{origin}/{platform['s3']['S3_BUCKET']}/{small}" in sources
    img_src = next(d for d in page.headers["Content-Security-Policy"].split("; ") if d.startswith("img-src"))
    assert origin in img_src.split()
    report(f"B: the place page shows the copy from the bucket ({sources[0]}); CSP {img_src}")
