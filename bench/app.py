"""Mobile app benchmark (/app/): first download, offline catalogue size, offline cold start and Lighthouse.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python bench/app.py [--runs 5] [--out app.csv]

Serves the app as in production, as bench/web.py does (its helpers are reused): gunicorn, DEBUG off, static
files collected and compressed by whitenoise, the embedded SQLite with the real Thanh Hóa data, in a temporary
folder removed afterwards. Then measures:

- shell first load: the compressed bytes (headers + body, `Accept-Encoding: br, gzip` as a phone sends) of
  every file the service worker precaches (page, ES modules, CSS, UI strings and manifests of every
  language, icons, Leaflet), and of the part the first screen itself needs;
- offline catalogue: /api/v1/offline/catalogue for each required language, raw JSON and gzip-compressed;
- cold start offline: headless Chromium visits /app/ once online (service worker installed, catalogue
  stored), then with the network cut opens /app/ in a new tab and times navigation → first screen drawn
  (the app's `app-ready` mark); median of --runs, without and with 4× CPU slowdown (an older phone);
- Lighthouse mobile performance of /app/ (simulated throttling), with LCP, when `npm ci --prefix bench` was run.

The table goes to stdout, progress to stderr. Installs nothing.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web  # noqa: E402 - bench/web.py: production-like server helpers

SHELL_LIMIT_KB = 150
CATALOGUE_LIMIT_MB = 5
COLD_START_LIMIT_MS = 1000
LCP_LIMIT_S = 2.5
LANGS = ("vi", "en", "zh-hans", "fr")


def fetch(port: int, path: str, *, compressed: bool = True) -> tuple[int, int, bytes, dict[str, str]]:
    """(status, bytes on the wire (headers + body), body, headers) of one GET."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Accept-Encoding": "br, gzip"} if compressed else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        head = sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + 17
        return response.status, head + len(body), body, dict(response.getheaders())
    finally:
        conn.close()


def shell_weight(port: int) -> list[tuple[str, str, str, str]]:
    status, _size, body, _h = fetch(port, "/app/sw.js", compressed=False)
    if status != 200:
        raise SystemExit(f"/app/sw.js answered {status}")
    text = body.decode()
    precache = json.loads(text.split("const PRECACHE = ")[1].split(";\n")[0])
    sizes = {}
    for url in ["/app/sw.js", *precache]:
        code, wire, _body, headers = fetch(port, url)
        if code != 200:
            raise SystemExit(f"{url} answered {code}")
        sizes[url] = (wire, headers.get("Content-Encoding", "identity"))
    total = sum(wire for wire, _e in sizes.values())
    first_screen = [
        url for url in sizes
        if url in ("/app/", "/app/i18n/en.json", "/app/manifest.en.webmanifest", "/app/icons/icon-192.png")
        or (url.startswith("/static/mobile/"))
    ]
    first = sum(sizes[url][0] for url in first_screen)
    uncompressed = [url for url, (_w, enc) in sizes.items() if enc == "identity" and not url.endswith(".png")]
    return [
        ("shell first load, all precached files", f"{total / 1024:.1f} KB ({len(sizes)} files)",
         f"≤{SHELL_LIMIT_KB} KB", "PASS" if total <= SHELL_LIMIT_KB * 1024 else "FAIL"),
        ("  of which the first screen needs", f"{first / 1024:.1f} KB ({len(first_screen)} files)", "", ""),
        ("  sent uncompressed", ", ".join(uncompressed) or "none", "", ""),
    ]


def catalogue_size(port: int) -> list[tuple[str, str, str, str]]:
    rows, raw_total = [], 0
    for lang in LANGS:
        status, _wire, body, _h = fetch(port, f"/api/v1/offline/catalogue?lang={lang}", compressed=False)
        if status != 200:
            raise SystemExit(f"catalogue {lang} answered {status}")
        data = json.loads(body)
        raw_total += len(body)
        rows.append((
            f"offline catalogue {lang}",
            f"{len(body) / 1024:.1f} KB raw, {len(gzip.compress(body)) / 1024:.1f} KB gzip "
            f"({len(data['places'])} places, {len(data['events'])} events, {len(data['specialties'])} specialties)",
            "", "",
        ))
    rows.append(("offline catalogue, 4 languages", f"{raw_total / 1e6:.2f} MB raw", f"≤{CATALOGUE_LIMIT_MB} MB",
                 "PASS" if raw_total <= CATALOGUE_LIMIT_MB * 1e6 else "FAIL"))
    return rows


def cold_start(port: int, runs: int) -> list[tuple[str, str, str, str]]:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=web.CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(base_url=base, locale="en-GB", viewport={"width": 412, "height": 860})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        page = context.new_page()
        page.goto("/app/")
        page.wait_for_selector("body[data-sync='done']", timeout=60_000)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.close()
        context.set_offline(True)
        for slowdown in (1, 4):
            times = []
            for _ in range(runs):
                tab = context.new_page()
                cdp = context.new_cdp_session(tab)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
                tab.goto("/app/")
                tab.wait_for_selector("body[data-ready='1']", timeout=30_000)
                if tab.locator("main h1").inner_text() != "Discover Thanh Hóa":
                    raise SystemExit("the offline start did not show the home screen")
                times.append(tab.evaluate("performance.getEntriesByName('app-ready')[0].startTime"))
                tab.close()
            median = statistics.median(times)
            label = "cold start offline → home screen" + (f", CPU ÷{slowdown}" if slowdown > 1 else "")
            rows.append((label, f"{median:.0f} ms median of {runs} (min {min(times):.0f}, max {max(times):.0f})",
                         f"≤{COLD_START_LIMIT_MS} ms", "PASS" if median <= COLD_START_LIMIT_MS else "FAIL"))
        browser.close()
    return rows


def lighthouse(port: int, tmp: Path) -> list[tuple[str, str, str, str]]:
    if not web.LIGHTHOUSE.exists():
        return [("Lighthouse mobile performance /app/", "n/a: npm ci --prefix bench", "≥90", "SKIP")]
    report = tmp / "lighthouse-app.json"
    command = [
        str(web.LIGHTHOUSE), f"http://127.0.0.1:{port}/app/", "--only-categories=performance", "--output=json",
        f"--output-path={report}", "--quiet", "--chrome-flags=--headless=new --no-sandbox",
    ]
    result = subprocess.run(command, env={**os.environ, "CHROME_PATH": web.CHROMIUM}, capture_output=True,
                            text=True, timeout=240)
    if result.returncode != 0 or not report.exists():
        return [("Lighthouse mobile performance /app/", f"n/a: {result.stderr.strip()[-200:]}", "≥90", "SKIP")]
    data = json.loads(report.read_text())
    score = round(data["categories"]["performance"]["score"] * 100)
    audits = data["audits"]
    lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
    metrics = ", ".join(
        f"{name} {audits[key]['displayValue']}"
        for name, key in (("FCP", "first-contentful-paint"), ("LCP", "largest-contentful-paint"),
                          ("TBT", "total-blocking-time"), ("CLS", "cumulative-layout-shift"))
        if audits.get(key, {}).get("displayValue")
    )
    return [
        ("Lighthouse mobile performance /app/", f"{score} ({metrics})", "≥90", "PASS" if score >= 90 else "FAIL"),
        ("  LCP (simulated slow 4G, 4× CPU)", f"{lcp:.2f} s", f"≤{LCP_LIMIT_S} s",
         "PASS" if lcp <= LCP_LIMIT_S else "FAIL"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="offline cold starts to time (median)")
    parser.add_argument("--out", type=Path, help="also write the rows as CSV")
    args = parser.parse_args()
    if not 1 <= args.runs <= 50:
        parser.error("--runs 1..50")
    if not Path(web.CHROMIUM).exists():
        web.say(f"{web.CHROMIUM} is missing: apt-get install -y chromium")
        return 2
    rows: list[tuple[str, str, str, str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="xuthanh-bench-app-"))
    try:
        env = web.stack.base_env(tmp, page_cache_seconds=60)
        web.say("collectstatic…")
        web.run(env, "manage.py", "collectstatic", "--no-input", "-v0")
        with web.database("sqlite", tmp, env) as db_env:
            web.say("migrate, load_thanhhoa…")
            web.run(db_env, "manage.py", "migrate", "--no-input", "-v0")
            web.run(db_env, "manage.py", "load_thanhhoa")
            with web.server(db_env, tmp / "gunicorn.log", workers=2, threads=4) as port:
                web.say(f"gunicorn on 127.0.0.1:{port}")
                for step in (shell_weight, catalogue_size, lambda p: cold_start(p, args.runs),
                             lambda p: lighthouse(p, tmp)):
                    rows += step(port)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(f"\nXứ Thanh mobile app benchmark: gunicorn, DEBUG off, whitenoise, SQLite, real data, "
          f"{os.cpu_count()} cores\n")
    print(f"{'what':{width}}  {'value':60} {'target':10} result")
    print("-" * (width + 82))
    for what, value, target, result in rows:
        print(f"{what:{width}}  {value:60} {target:10} {result}".rstrip())
    if args.out:
        with args.out.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["what", "value", "target", "result"])
            writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
