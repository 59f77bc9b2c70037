"""The production stack as subprocesses, for the checks that need it whole: gunicorn app servers (DEBUG off),
`run_huey` workers, a dedicated PostgreSQL database and a Redis database number.

Used by the two-server scale-out test (tests/scaleout), the API fuzzing and load steps of CI (tests/live.py)
and the web benchmark (bench/web.py). Nothing here imports Django: the processes get their settings from the
environment, as on a real machine.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def base_env(tmp: Path, *, page_cache_seconds: int = 0) -> dict[str, str]:
    """Production settings (DEBUG off) over plain HTTP on loopback, with a var folder of their own."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        XUTHANH_BENCH_REFERENCE="1",
        XUTHANH_VAR_DIR=str(tmp / "var"),
        STATIC_ROOT=str(tmp / "static"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        PAGE_CACHE_SECONDS=str(page_cache_seconds),
    )
    return env


def run(env: dict[str, str], *args: str, capture: bool = False) -> str:
    """`python <args>` in the project's virtualenv (`run(env, "manage.py", "migrate")`); its output if asked."""
    result = subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else sys.stderr,
        stderr=sys.stderr,
    )
    return result.stdout.strip() if capture else ""


def postgres_reachable() -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 5432), timeout=1):
        return True
    return False


def redis_reachable() -> bool:
    with contextlib.suppress(OSError), socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")
    return False


@contextlib.contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for the duration; its DATABASE_URL. Dropped afterwards."""
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    say(f"postgres: created database {name}")
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        say(f"postgres: dropped database {name}")


def redis_command(*args: str, db: int = 0) -> bytes:
    """One Redis command (RESP over a socket, no client library needed); the raw reply."""
    def encode(parts: tuple[str, ...]) -> bytes:
        return b"".join(
            [f"*{len(parts)}\r\n".encode()] + [f"${len(p.encode())}\r\n{p}\r\n".encode() for p in parts]
        )

    with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=5) as sock:
        sock.sendall(encode(("SELECT", str(db))) + encode(args))
        reply = b""
        while reply.count(b"\r\n") < 2:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    return reply.split(b"\r\n", 1)[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], log: Path, *, workers: int = 2, threads: int = 4, options: tuple[str, ...] = ()
) -> Iterator[int]:
    """An app server (gthread) on a free loopback port, up once /healthz answers; its port. `options` are more
    gunicorn command-line options."""
    port = free_port()
    command = [
        GUNICORN,
        "xuthanh.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        "--log-level=warning",
        f"--error-logfile={log}",
        *options,
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if get(port, "/healthz")[0] == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log}:\n{log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield port
    finally:
        _stop(proc)


@contextlib.contextmanager
def s3_server(log: Path, bucket: str) -> Iterator[dict[str, str]]:
    """moto's S3-compatible server on a free loopback port with one empty bucket: the media storage of several
    machines, spoken to as to any S3 service (django-storages, boto3). The S3_* settings that point at it."""
    port = free_port()
    handle = log.open("a")
    proc = subprocess.Popen(
        [str(Path(PYTHON).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        cwd=log.parent, stdout=handle, stderr=handle,
    )
    handle.close()
    settings = {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "local",
        "S3_SECRET_ACCESS_KEY": "local-secret",
    }
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"moto_server did not start; see {log}:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
        s3_client(settings).create_bucket(Bucket=bucket)
        yield settings
    finally:
        _stop(proc)


def s3_client(settings: dict[str, str]):  # noqa: ANN201 - boto3's client type is generated at run time
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=settings["S3_ENDPOINT_URL"],
        region_name=settings["S3_REGION"],
        aws_access_key_id=settings["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=settings["S3_SECRET_ACCESS_KEY"],
    )


class Worker:
    """A `manage.py run_huey` queue worker that can be stopped and started again (a restart)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        handle = self.log.open("a")
        self.proc = subprocess.Popen(
            [PYTHON, "manage.py", "run_huey", "--workers=2"], cwd=ROOT, env=self.env, stdout=handle, stderr=handle
        )
        handle.close()

    def stop(self) -> None:
        if self.proc is not None:
            _stop(self.proc, signal.SIGINT)  # huey's graceful stop: running tasks finish, queued ones stay
            self.proc = None

    def __enter__(self) -> Worker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
