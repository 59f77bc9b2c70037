"""Production mode refuses a missing or development secret and passes `check --deploy`; the Redis pass of CI
runs on Redis."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_short_secret():
    result = run_manage("check", DEBUG="0", SECRET_KEY="short")
    assert result.returncode != 0
    assert "shorter than 50" in result.stderr


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k" * 20 + "q8Zp3vTnW1xYb7Rm2LcJ5sHd9FgAe4Ku6" + "x" * 10,
        ALLOWED_HOSTS="dulich.thanhhoa.gov.vn",
        XUTHANH_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_unknown_language_code_is_refused():
    result = run_manage("check", DEBUG="1", XUTHANH_LANGUAGES="vi,en,xx")
    assert result.returncode != 0
    assert "XUTHANH_LANGUAGES" in result.stderr


def test_more_languages_by_configuration():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print([c for c, _ in settings.LANGUAGES])",
        DEBUG="1",
        XUTHANH_LANGUAGES="vi,en,zh-hans,fr,ja,ko",
    )
    assert result.returncode == 0, result.stderr
    assert "'ja', 'ko'" in result.stdout


def test_the_shared_state_runs_on_redis_in_the_redis_pass():
    """.ci/run runs the tests of shared state (page cache version, rate limits, sign-in throttle, values kept
    per content version) again with TEST_REDIS_URL: the cache is then the machine's Redis, and rate limits
    count with its atomic INCR (no SQLite counter)."""
    import os

    if not os.environ.get("TEST_REDIS_URL"):
        pytest.skip("TEST_REDIS_URL is not set: only .ci/run's Redis pass runs on Redis")
    import redis
    from django.conf import settings
    from django.core.cache import cache

    from xuthanh.core import ratelimit

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert ratelimit.counter() is None
    cache.set("probe", 41)
    cache.incr("probe")
    assert redis.Redis.from_url(os.environ["TEST_REDIS_URL"]).get("xuthanh-test:1:probe") == b"42"
    cache.delete("probe")


def test_traditional_chinese_falls_back_to_simplified_chinese_before_english():
    """#17: a Taiwanese reader reads Simplified Chinese far better than English."""
    script = (
        "import django; django.setup(); from xuthanh.core.languages import fallback_chain; "
        "print(fallback_chain('zh-hant'), fallback_chain('ko'), fallback_chain('en'), fallback_chain('vi'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DJANGO_SETTINGS_MODULE="xuthanh.settings", DEBUG="1", XUTHANH_LANGUAGES="vi,en,zh-hans,fr,zh-hant,ko")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("] [") == [
        "['zh-hant', 'zh-hans', 'en', 'vi'", "'ko', 'en', 'vi'", "'en', 'vi'", "'vi']\n"
    ]
