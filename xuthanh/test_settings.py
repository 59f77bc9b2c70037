"""Settings for the test suite: the real settings in development mode with fast, isolated services."""

import os
import tempfile

import jinja2

os.environ.setdefault("DEBUG", "1")

from xuthanh.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("TEST_REDIS_URL"):  # the shared-state tests again on Redis (.ci/run), as several servers share it
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["TEST_REDIS_URL"],
            "KEY_PREFIX": "xuthanh-test",
        }
    }
MEDIA_ROOT = tempfile.mkdtemp(prefix="xuthanh-media-")
HUEY = {**HUEY, "immediate": True}  # noqa: F405
PARLER_ENABLE_CACHING = False
PAGE_CACHE_SECONDS = 0  # on in the page-cache tests only: the cache is not rolled back with each test
TRIP_PLANS_PER_MINUTE = 10_000  # the limit has its own tests
SIGNUPS_PER_HOUR = 10_000
KIOSK_ENROLS_PER_MINUTE = 10_000
CONTEST_ENTRIES_PER_HOUR = 10_000
CONTEST_VOTES_PER_MINUTE = 10_000
EMAIL_VERIFICATIONS_PER_HOUR = 10_000
API_ANONYMOUS_PER_MINUTE = 10_000  # the whole suite calls the API from one address; the limit has its own tests


class _MissingValue(jinja2.Undefined):
    """Public pages in tests: a missing value may be tested (`{% if og_image %}`), never shown or looped over,
    so a misspelt name fails the test instead of printing nothing."""

    def __str__(self) -> str:
        self._fail_with_undefined_error()

    def __iter__(self):  # noqa: ANN204 - jinja2's signature
        self._fail_with_undefined_error()


def _shown(value: object) -> object:
    """Public pages in tests: a template shows what a method returns, never the method (Jinja2 does not call
    what it is given, as Django's templates do)."""
    if callable(value) and not isinstance(value, (str, type, jinja2.Undefined)):
        raise TypeError(f"a template shows {value!r}: call it")
    return value


TEMPLATES[0]["OPTIONS"] = {**TEMPLATES[0]["OPTIONS"], "undefined": _MissingValue, "finalize": _shown}  # noqa: F405
