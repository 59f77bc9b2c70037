"""Django settings, every value from the environment with a safe default (see README, "Configuration").

Embedded default: SQLite under var/, file cache, background jobs run in-process (Huey immediate mode).
Scale-out: DATABASE_URL (PostgreSQL), REDIS_URL (cache, rate limits and the Huey queue), S3_BUCKET.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from xuthanh.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("XUTHANH_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
_DEV_SECRET = "insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production mode (DEBUG off) refuses to start without a secret key; "
            "set SECRET_KEY to a long random value, or DEBUG=1 for development."
        )
    SECRET_KEY = _DEV_SECRET
elif not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY is the development key or shorter than 50 characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "parler",
    "axes",
    "huey.contrib.djhuey",
    "corsheaders",
    "xuthanh.core",
    "xuthanh.areas",
    "xuthanh.orgs",
    "xuthanh.catalog",
    "xuthanh.search",
    "xuthanh.portal",
    "xuthanh.api",
    "xuthanh.news",
    "xuthanh.feeds",
    "xuthanh.itinerary",
    "xuthanh.mobile",
    "xuthanh.accounts",
    "xuthanh.translations",
    "xuthanh.registry",
    "xuthanh.stats",
    "xuthanh.guide",
    "xuthanh.kiosks",
    "xuthanh.wifi",
    "xuthanh.contests",
    "xuthanh.campaigns",
    "xuthanh.training",
    "xuthanh.plan",
]

MIDDLEWARE = [
    "xuthanh.core.middleware.ClientAddressMiddleware",  # the visitor's address behind PROXY_COUNT proxies
    "django.middleware.security.SecurityMiddleware",
    "xuthanh.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Partner keys and rate limits, then stored anonymous answers: a cache hit skips everything below (sessions,
    # locale, CSRF, auth…); a miss passes through it, so an answer that sets a cookie is never stored.
    "xuthanh.api.middleware.ApiGuardMiddleware",
    "xuthanh.core.attribution.AttributionMiddleware",  # pages viewed after a campaign's link, cached ones too
    "xuthanh.core.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "xuthanh.core.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The back office's messages (which may show a key or token once) stay on the server, not in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

ROOT_URLCONF = "xuthanh.urls"
WSGI_APPLICATION = "xuthanh.wsgi.application"

TEMPLATES = [
    {  # public pages: <app>/jinja2/<app>/*.html (see xuthanh/portal/jinja2env.py)
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "xuthanh.portal.jinja2env.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xuthanh.portal.jinja2env.page_context",
            ],
        },
    },
    {  # the back office (Django admin) and its widgets
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xuthanh" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# ---- database -----------------------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'xuthanh.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections (60 s, as for PostgreSQL): opening a SQLite connection and running the PRAGMAs
    # below costs about 1.2 ms, more than a whole page's queries; each gunicorn thread keeps its own.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---- cache, queue ------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

HUEY = {
    "name": "xuthanh",
    "immediate": env_bool("HUEY_IMMEDIATE", not REDIS_URL),
    "results": False,
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(VAR_DIR / "huey.sqlite3")},
    "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
}

# ---- auth and security ---------------------------------------------------------------------------------
LOGIN_URL = "accounts:login"  # travellers sign in on the portal (the back office has its own page)
LOGIN_REDIRECT_URL = "trips:mine"
LOGOUT_REDIRECT_URL = "portal:home"
SIGNUPS_PER_HOUR = env_int("SIGNUPS_PER_HOUR", 5)  # new traveller accounts per address and hour
EMAIL_VERIFICATIONS_PER_HOUR = env_int("EMAIL_VERIFICATIONS_PER_HOUR", 5)  # verification links per account/address
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)  # per account and address (django-axes)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)  # per address, any account, 15 min
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"  # says when to retry
PROXY_COUNT = env_int("PROXY_COUNT", 0)  # proxies in front that append to X-Forwarded-For (nginx: 1)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    if env_bool("BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# ---- languages ------------------------------------------------------------------------------------------
REQUIRED_LANGUAGES = ["vi", "en", "zh-hans", "fr"]
KNOWN_LANGUAGES = {
    "vi": "Tiếng Việt",
    "en": "English",
    "zh-hans": "简体中文",
    "fr": "Français",
    "zh-hant": "繁體中文",
    "ja": "日本語",
    "ko": "한국어",
    "ru": "Русский",
    "de": "Deutsch",
    "da": "Dansk",
}
_languages = env_list("XUTHANH_LANGUAGES", ",".join(REQUIRED_LANGUAGES))
_unknown = [code for code in _languages if code not in KNOWN_LANGUAGES]
if _unknown:
    raise ImproperlyConfigured(
        f"XUTHANH_LANGUAGES has unknown codes {_unknown}; known: {sorted(KNOWN_LANGUAGES)}"
    )
_languages = REQUIRED_LANGUAGES + [code for code in _languages if code not in REQUIRED_LANGUAGES]
LANGUAGES = [(code, KNOWN_LANGUAGES[code]) for code in _languages]
LANGUAGE_CODE = "vi"
SOURCE_LANGUAGE = "vi"
LOCALE_PATHS = [BASE_DIR / "xuthanh" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"

# Content translations: Vietnamese is the source; English falls back to Vietnamese, Traditional Chinese to
# Simplified Chinese (a reader of one reads the other far better than English), every other language to English
# and then Vietnamese.
PARLER_DEFAULT_LANGUAGE_CODE = "vi"
CONTENT_FALLBACKS = {"vi": [], "en": ["vi"], "zh-hant": ["zh-hans", "en", "vi"]}
PARLER_LANGUAGES = {
    None: tuple({"code": code, "fallbacks": CONTENT_FALLBACKS.get(code, ["en", "vi"])} for code, _name in LANGUAGES),
    "default": {"fallbacks": ["vi"], "hide_untranslated": False},
}
# Parler copies every translation it reads into the cache, even from prefetched rows: with the embedded file
# cache that is a file write per object per request, slower than the indexed query it would save (measured by
# bench/web.py). Only a shared in-memory cache (Redis) is worth it.
PARLER_ENABLE_CACHING = bool(REDIS_URL)

# ---- files ------------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [
    BASE_DIR / "xuthanh" / "static",
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
# Packages of which a few files are served (core/staticfinders.py): the 360° viewer and the three.js it needs.
_PSV = ("index.module.js", "index.module.js.map")
_PSV_CSS = ("index.css", "index.css.map")
STATICFILES_SELECTED = [
    ("vendor/three", BASE_DIR / "node_modules" / "three" / "build", ("three.module.min.js", "three.core.min.js")),
    *((f"vendor/psv/{name}", BASE_DIR / "node_modules" / "@photo-sphere-viewer" / name, _PSV + css)
      for name, css in (("core", _PSV_CSS), ("virtual-tour-plugin", _PSV_CSS), ("markers-plugin", _PSV_CSS),
                        ("gyroscope-plugin", ()))),
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "xuthanh.core.staticfinders.SelectedFilesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024
UPLOAD_IMAGE_MAX_BYTES = env_int("UPLOAD_IMAGE_MAX_BYTES", 12 * 1024 * 1024)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)

S3_BUCKET = env_str("S3_BUCKET", "")
_static_backend = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if not DEBUG
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _static_backend},
}
if S3_BUCKET:
    try:
        import storages  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise ImproperlyConfigured(
            "S3_BUCKET is set but django-storages is missing: pip install 'xuthanh[s3]'"
        ) from exc
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }

# Anonymous public pages and API answers are kept this long (0 turns the page cache off); any catalogue
# write makes them stale at once (core.pagecache).
# Machine drafts at the translation desk: a self-hosted LibreTranslate server (docs/translation.md); none by
# default, so no text ever leaves the deployment unless its operator says so.
MACHINE_TRANSLATION_URL = env_str("MACHINE_TRANSLATION_URL", "")
MACHINE_TRANSLATION_KEY = env_str("MACHINE_TRANSLATION_KEY", "")
MACHINE_TRANSLATION_TIMEOUT = env_int("MACHINE_TRANSLATION_TIMEOUT", 20)

PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)

# ---- open API ------------------------------------------------------------------------------------------
CORS_URLS_REGEX = r"^/api/.*$"  # browser access only from registered partner origins (api.services.cors_allowed)
CORS_ALLOW_HEADERS = ["accept", "accept-language", "content-type", "if-none-match", "x-api-key"]
CORS_EXPOSE_HEADERS = ["etag", "last-modified", "retry-after"]
API_ANONYMOUS_PER_MINUTE = env_int("API_ANONYMOUS_PER_MINUTE", 120)

# ---- map --------------------------------------------------------------------------------------------------
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
# Whether the mobile app may download an area's tiles for offline use. The public OpenStreetMap tile server's
# usage policy forbids bulk downloads, so by default only another tile service (your own, or one whose terms
# allow offline use) gets them; "auto" decides by MAP_TILE_URL.
MAP_TILES_OFFLINE = env_str("MAP_TILES_OFFLINE", "auto")

# ---- trip planner -----------------------------------------------------------------------------------------
# An OSRM-compatible routing server (its `table` service) for travel times; empty: a distance-based estimate.
OSRM_URL = env_str("OSRM_URL", "")
# Plans and re-plans cost up to a second of CPU each: per visitor address and minute (partner keys excepted).
TRIP_PLANS_PER_MINUTE = env_int("TRIP_PLANS_PER_MINUTE", 10)

# ---- e-mail (registry expiry alerts, report reminders) ----------------------------------------------------
# An SMTP server of your own (EMAIL_HOST); without one, messages are written as files under var/mail/ so an
# operator can read what would have been sent. Nothing is sent to a third party by default.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Xứ Thanh <no-reply@localhost>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
# The department's address for registry expiry alerts and the list of late reports (empty: none).
REGISTRY_ALERT_EMAIL = env_str("REGISTRY_ALERT_EMAIL", "")
# Guide-card checks on /<lang>/guides/verify/ per visitor address and minute.
REGISTRY_VERIFY_PER_MINUTE = env_int("REGISTRY_VERIFY_PER_MINUTE", 20)
# Days before a report's due date when businesses that have not filed get a reminder.
REPORT_REMINDER_DAYS = env_int("REPORT_REMINDER_DAYS", 5)

# ---- benchmark reference (bench/web.py) -------------------------------------------------------------------
# A bare 20-row page at /bench/reference/ to compare the real pages against; off (no app, no URL) unless set.
BENCH_REFERENCE = env_bool("XUTHANH_BENCH_REFERENCE", False)
if BENCH_REFERENCE:
    INSTALLED_APPS.append("xuthanh.benchref")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Audio guide (xuthanh/guide): the speech engine (a class with voice_for/speak, see guide/speech.py) and the
# limit on anonymous listening counts sent by phones and kiosks.
GUIDE_SPEECH_ENGINE = env_str("GUIDE_SPEECH_ENGINE", "xuthanh.guide.speech.EspeakEngine")
GUIDE_LISTENS_PER_MINUTE = env_int("GUIDE_LISTENS_PER_MINUTE", 30)
GUIDE_PANORAMA_MAX_BYTES = env_int("GUIDE_PANORAMA_MAX_BYTES", 40 * 1024 * 1024)
# Kiosks (xuthanh/kiosks): enrolment attempts per address and minute (a code is 8 characters of 32: guessing
# one in its 30 minutes at this rate is hopeless).
KIOSK_ENROLS_PER_MINUTE = env_int("KIOSK_ENROLS_PER_MINUTE", 10)
# Where alerts of a kiosk offline during its opening hours go, besides the unit running its location.
KIOSK_ALERT_EMAIL = env_str("KIOSK_ALERT_EMAIL", "")
# Public wifi (xuthanh/wifi): how long a visitor's access (with its hashed device addresses) is kept, how
# long a news subscription lasts without renewal, and the limits on public writes.
WIFI_RETENTION_DAYS = env_int("WIFI_RETENTION_DAYS", 30)
WIFI_SUBSCRIPTION_MONTHS = env_int("WIFI_SUBSCRIPTION_MONTHS", 24)
WIFI_CONFIRM_HOURS = env_int("WIFI_CONFIRM_HOURS", 48)  # an address not confirmed by its owner is erased then
WIFI_SUBSCRIPTIONS_PER_MINUTE = env_int("WIFI_SUBSCRIPTIONS_PER_MINUTE", 20)
WIFI_AUTHMON_PER_MINUTE = env_int("WIFI_AUTHMON_PER_MINUTE", 120)
# Where alerts of a hotspot's gateway offline for an hour go, besides the unit managing the hotspot.
WIFI_ALERT_EMAIL = env_str("WIFI_ALERT_EMAIL", "")
# Contests (xuthanh/contests): upload limits (each contest may set lower ones), the public vote's limits, and
# how long entrants' personal data are kept after a contest's results (Law 91/2025/QH15: no longer than its
# purpose needs; the rules state this period). Files over CONTEST_FILM_MAX_BYTES are refused before reading.
CONTEST_PHOTO_MAX_BYTES = env_int("CONTEST_PHOTO_MAX_BYTES", 25 * 1024 * 1024)
CONTEST_FILM_MAX_BYTES = env_int("CONTEST_FILM_MAX_BYTES", 500 * 1024 * 1024)
CONTEST_VOTES_PER_MINUTE = env_int("CONTEST_VOTES_PER_MINUTE", 30)  # per voter and per address
CONTEST_ENTRIES_PER_HOUR = env_int("CONTEST_ENTRIES_PER_HOUR", 20)  # per entrant
CONTEST_RETENTION_DAYS = env_int("CONTEST_RETENTION_DAYS", 365)
# Campaigns (xuthanh/campaigns): a Facebook Page to publish to through the Graph API (a Page access token with
# pages_manage_posts); unset: Facebook items are posted by hand from their package. Nothing is sent otherwise.
FACEBOOK_PAGE_ID = env_str("FACEBOOK_PAGE_ID", "")
FACEBOOK_PAGE_TOKEN = env_str("FACEBOOK_PAGE_TOKEN", "")
FACEBOOK_GRAPH_URL = env_str("FACEBOOK_GRAPH_URL", "https://graph.facebook.com")
FACEBOOK_GRAPH_VERSION = env_str("FACEBOOK_GRAPH_VERSION", "v21.0")
# An Instagram professional account linked to a Page (its IG user id; a token with instagram_content_publish),
# through the same Graph host and version; a Zalo Official Account (an OA access token with the article
# permission); a WeChat Official Account (AppID and AppSecret: the access token is fetched and kept). Each
# unset: that channel's items are posted by hand.
INSTAGRAM_USER_ID = env_str("INSTAGRAM_USER_ID", "")
INSTAGRAM_TOKEN = env_str("INSTAGRAM_TOKEN", "")
ZALO_OA_TOKEN = env_str("ZALO_OA_TOKEN", "")
ZALO_OPENAPI_URL = env_str("ZALO_OPENAPI_URL", "https://openapi.zalo.me")
WECHAT_APP_ID = env_str("WECHAT_APP_ID", "")
WECHAT_APP_SECRET = env_str("WECHAT_APP_SECRET", "")
WECHAT_API_URL = env_str("WECHAT_API_URL", "https://api.weixin.qq.com")
CAMPAIGN_PUBLISH_ATTEMPTS = env_int("CAMPAIGN_PUBLISH_ATTEMPTS", 5)
PLAN_REMINDER_DAYS = env_int("PLAN_REMINDER_DAYS", 10)  # days before 15 December when units owing reports hear
TRAINING_REGISTRATIONS_PER_HOUR = env_int("TRAINING_REGISTRATIONS_PER_HOUR", 10)  # per address (xuthanh/training)
TRAINING_VERIFICATIONS_PER_MINUTE = env_int("TRAINING_VERIFICATIONS_PER_MINUTE", 30)  # certificate checks, per address
TRAINING_RETENTION_DAYS = env_int("TRAINING_RETENTION_DAYS", 5 * 365)  # registrations' names and addresses
TRAINING_MATERIAL_MAX_MB = env_int("TRAINING_MATERIAL_MAX_MB", 200)  # a class's slides, handouts, recordings
PDF_FONT = env_str("PDF_FONT", env_str("PLAN_PDF_FONT",  # PDFs (core/pdf.py); PLAN_PDF_FONT: its former name
                                        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
