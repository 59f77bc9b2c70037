"""Schemathesis over the OpenAPI document, against the API as it is deployed: gunicorn, DEBUG off, the Thanh Hóa
data, the real planner (1 s of search per plan).

Usage (CI runs it; `make fuzz`)::

    .venv/bin/python tests/fuzz_live_api.py [--examples 25] [--db sqlite|postgres]

It serves the app, issues a partner API key (sent as X-API-Key on every request, so the fuzzer is not the
anonymous client the rate limit stops) and plans one trip, whose edit token fills the `{token}` of the
operations that re-plan or read a stored trip. Then `st run` generates up to --examples cases per operation
(positive and negative, deterministic) with every check that applies to a read-mostly public API: no server
error, no status the document does not list, content type, headers and body as documented, and invalid input
refused. Exit status: schemathesis's (0 = nothing found). The in-process twin of this run, with fewer
examples, is xuthanh/api/tests/test_openapi_fuzz.py (part of `make test`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import stack  # noqa: E402

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        # not positive_data_acceptance: it counts as defects the documented 422s of rules across fields (dates in
        # order, a point in Vietnam, places that exist), which no JSON schema can state
    ]
)
TRIP = {
    "start_date": "2030-05-06",
    "end_date": "2030-05-07",
    "start": {"place": "cang-hang-khong-tho-xuan"},
    "end": {"place": "ga-thanh-hoa"},
    "lang": "en",
}


def plan_a_trip(port: int, key: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/trips",
        data=json.dumps(TRIP).encode(),
        headers={"Content-Type": "application/json", "X-API-Key": key},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback, our own server
        body = json.load(response)
    return body["edit_token"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=25, help="cases per operation at most")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="xuthanh-fuzz-"))
    env = {**stack.base_env(tmp), "TRIP_PLANS_PER_MINUTE": "1000000", "API_ANONYMOUS_PER_MINUTE": "1000000"}
    with contextlib.ExitStack() as stop:
        if args.db == "postgres":
            env["DATABASE_URL"] = stop.enter_context(stack.postgres_database("xuthanh_fuzz"))
        stack.say("collectstatic, migrate, load_thanhhoa…")
        stack.run(env, "manage.py", "collectstatic", "--no-input", "-v0")
        stack.run(env, "manage.py", "migrate", "--no-input", "-v0")
        stack.run(env, "manage.py", "load_thanhhoa", "-v0")
        key = stack.run(env, "bench/web_data.py", "client", capture=True)
        # Generated URLs can pass gunicorn's 4 KB request line, whose 414 (documented) would hide how the API
        # itself answers them: no limit here.
        server = stack.gunicorn(
            {**env, "LOG_LEVEL": "ERROR"}, tmp / "gunicorn.log", options=("--limit-request-line=0",)
        )
        port = stop.enter_context(server)
        token = plan_a_trip(port, key)
        stack.say(f"gunicorn on :{port}; partner key issued; trip planned (edit token {token[:6]}…)")
        config = tmp / "schemathesis.toml"
        config.write_text(
            "[parameters]\n"
            f'"path.token" = "{token}"\n',
            encoding="utf-8",
        )
        command = [
            str(Path(stack.PYTHON).parent / "st"),
            "--config-file", str(config),
            "run", f"http://127.0.0.1:{port}/api/v1/openapi.json",
            "--checks", CHECKS,
            "--max-examples", str(args.examples),
            "--generation-deterministic",
            "--header", f"X-API-Key: {key}",
            # one worker: with two, hypothesis describes filters by parsing source in both threads at once, and
            # CPython 3.11 fails that now and then ("AST constructor recursion depth mismatch"), failing the run
            "--workers", "1",
            "--request-timeout", "30",
            "--no-color",
            "--report", "junit",
            "--report-dir", str(tmp / "report"),
        ]
        code = subprocess.run(command, cwd=tmp, check=False).returncode
        errors = (tmp / "gunicorn.log").read_text(encoding="utf-8", errors="replace")
        if "Traceback" in errors:
            stack.say("the server logged tracebacks:\n" + errors[-4000:])
            code = code or 1
    return code


if __name__ == "__main__":
    sys.exit(main())
