"""Settings for the test suite: the real settings in development mode with fast, isolated services."""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")

from xuthanh.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="xuthanh-media-")
HUEY = {**HUEY, "immediate": True}  # noqa: F405
PARLER_ENABLE_CACHING = False
PAGE_CACHE_SECONDS = 0  # on in the page-cache tests only: the cache is not rolled back with each test
TRIP_PLANS_PER_MINUTE = 10_000  # the limit has its own tests
SIGNUPS_PER_HOUR = 10_000
