"""The app's own files under /app/: the shell page, the service worker (its precache list versioned by a hash
of everything it serves), a web app manifest per language, the icons (drawn with Pillow) and the UI strings
(Django's JSON catalogue of the `djangojs` domain)."""

from __future__ import annotations

import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from django.views.i18n import JSONCatalog
from PIL import Image, ImageDraw

from xuthanh.catalog.selectors import TRAVEL_HUBS
from xuthanh.core import csp
from xuthanh.core.languages import LANG_CODES
from xuthanh.guide import views as guide_views

MODULES = (
    "app.js", "ui.js", "i18n.js", "store.js", "sync.js", "fold.js", "hours.js", "geo.js", "screens.js",
    "trips.js", "areas.js", "map.js", "guide.js",
)  # fmt: skip
OTHER_MODULES = ("guide/geofence.js",)  # pure modules of other apps the app imports (relative URLs)
VENDOR = (
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "vendor/leaflet.markercluster/MarkerCluster.css",
    "vendor/leaflet.markercluster/MarkerCluster.Default.css",  # the clusters' round, coloured bubbles
)
ICONS = {"icon-192": (192, False), "icon-512": (512, False), "maskable-512": (512, True), "apple-180": (180, False)}
THEME = "#0b5d4b"  # deep green of the rice fields; white text on it passes WCAG AA
BACKGROUND = "#ffffff"
SHELL_MAX_AGE = 300


def _static_url(name: str) -> str:
    """Plain (unhashed) static URL: ES module imports are relative, so every module is reached this way."""
    return settings.STATIC_URL + name


def _languages() -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, name in settings.LANGUAGES]


@lru_cache(maxsize=1)
def shell_version() -> str:
    """Hash of every file the app serves and of what shapes them: a deploy that changes any of them installs
    a new service worker, which replaces the cached shell."""
    digest = hashlib.sha256()
    for name in [f"mobile/{m}" for m in MODULES] + ["mobile/app.css", *OTHER_MODULES, *VENDOR,
                                                    *guide_views.VIEWER_FILES]:
        path = finders.find(name)
        digest.update(name.encode())
        if path:
            digest.update(Path(path).read_bytes())
    for template in ("mobile/shell.html", "mobile/sw.js"):
        digest.update(Path(get_template(template).origin.name).read_bytes())
    for locale_dir in settings.LOCALE_PATHS:
        for catalog in sorted(Path(locale_dir).glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(catalog.read_bytes())
    digest.update(json.dumps([settings.LANGUAGES, settings.MAP_TILE_URL, settings.STATIC_URL]).encode())
    return digest.hexdigest()[:16]


def precache_urls() -> list[str]:
    urls = [reverse("mobile:shell")]
    urls += [_static_url(f"mobile/{m}") for m in MODULES] + [_static_url("mobile/app.css")]
    urls += [_static_url(name) for name in OTHER_MODULES]
    urls += [reverse("mobile:catalog", args=[code]) for code in LANG_CODES]
    urls += [reverse("mobile:manifest", args=[code]) for code in LANG_CODES]
    urls += [reverse("mobile:icon", args=[name]) for name in ("icon-192", "icon-512", "maskable-512")]
    urls += [_static_url(name) for name in VENDOR if finders.find(name)]
    return urls


def _config() -> dict:
    return {
        "version": shell_version(),
        "languages": _languages(),
        "default": settings.LANGUAGE_CODE,
        # A browser in none of the platform's languages (a Japanese or Korean phone) opens in English, which
        # such a traveller reads far more often than Vietnamese.
        "fallback": "en" if "en" in LANG_CODES else settings.LANGUAGE_CODE,
        "api": "/api/v1/",
        "viewer": {  # the 360° viewer (guide/tour-viewer.js), and every file it loads (kept by a tour download)
            "module": _static_url("guide/tour-viewer.js"),
            "styles": [_static_url(name) for name in guide_views.VIEWER_STYLES],
            "files": [_static_url(name) for name in guide_views.VIEWER_FILES],
        },
        "root": reverse("mobile:shell"),
        "sw": reverse("mobile:sw"),
        "installed": reverse("go_installed"),  # counted for the campaign the visit came by, if any
        "static": settings.STATIC_URL,
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "hubs": list(TRAVEL_HUBS),  # where a planned trip may start (names come from the offline catalogue)
        "leaflet": [_static_url(name) for name in VENDOR if finders.find(name)],
        "icons": {
            "icon": static("vendor/leaflet/images/marker-icon.png"),
            "icon2x": static("vendor/leaflet/images/marker-icon-2x.png"),
            "shadow": static("vendor/leaflet/images/marker-shadow.png"),
        },
    }


@require_safe
@gzip_page
def shell(request: HttpRequest) -> HttpResponse:
    """The app's one page. Its text is in the request's language for browsers without JavaScript; the app
    then renders every screen in the chosen language."""
    lang = translation.get_language() if translation.get_language() in LANG_CODES else settings.LANGUAGE_CODE
    context = {
        "lang": lang,
        "config": _config(),
        "css": _static_url("mobile/app.css"),
        "entry": _static_url("mobile/app.js"),
        # Every module the first screen imports, announced at once: no waterfall of imports on a slow phone.
        "preload": [_static_url(f"mobile/{m}") for m in MODULES if m not in ("app.js", "map.js")],
        "theme": THEME,
        # the 360° viewer's packages, loaded when a tour shows them; plain URLs as the app's own modules (and as
        # three.js imports its core), so that what a tour download keeps is what the viewer asks for offline
        "importmap": guide_views.viewer_importmap(_static_url),
    }
    response = HttpResponse(render_to_string("mobile/shell.html", context, request=request))
    response["Cache-Control"] = f"public, max-age={SHELL_MAX_AGE}"
    return csp.allow_inline_script(response, str(context["importmap"]), fetch_media=True)


@require_safe
@gzip_page
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker as an ES module (background sync with the app's modules), or with ?classic=1 the same worker
    as a classic script for browsers without module workers."""
    body = render_to_string(
        "mobile/sw.js",
        {
            "module": request.GET.get("classic") != "1",
            "store_js": json.dumps(_static_url("mobile/store.js")),
            "sync_js": json.dumps(_static_url("mobile/sync.js")),
            "api": json.dumps("/api/v1/"),
            "version": shell_version(),
            "precache": json.dumps(precache_urls()),
            "shell": json.dumps(reverse("mobile:shell")),
            "static": json.dumps(settings.STATIC_URL),
            "tiles": json.dumps(settings.MAP_TILE_URL),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # browsers check for a new worker on every start
    response["Service-Worker-Allowed"] = reverse("mobile:shell")
    return response


@require_safe
@gzip_page
def manifest(request: HttpRequest, lang: str) -> HttpResponse:
    if lang not in LANG_CODES:
        raise Http404("Unknown language.")
    root = reverse("mobile:shell")
    # The app's strings, these included, are in its own `djangojs` catalogue (the app shows them too).
    _ = DjangoTranslation(translation.to_locale(lang), domain="djangojs").gettext
    data = {
        "id": root,
        "name": _("Xứ Thanh – Thanh Hóa travel guide"),
        "short_name": _("Xứ Thanh"),
        "description": _(
            "Places, festivals, specialties and trips of Thanh Hóa province, on your phone, even offline."
        ),
        "lang": lang,
        "dir": "ltr",
        "start_url": f"{root}?source=pwa",  # the language chosen in the app, not the one installed from
        "scope": root,
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "categories": ["travel", "navigation"],
        "icons": [
            {"src": reverse("mobile:icon", args=["icon-192"]), "sizes": "192x192", "type": "image/png"},
            {"src": reverse("mobile:icon", args=["icon-512"]), "sizes": "512x512", "type": "image/png"},
            {
                "src": reverse("mobile:icon", args=["maskable-512"]),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@lru_cache(maxsize=8)
def draw_icon(size: int, maskable: bool) -> bytes:
    """The app icon: limestone peaks (Pù Luông) over a rice terrace and the sun, in the theme colours. A
    maskable icon keeps its drawing inside the central 80 % safe zone."""
    scale = 4  # drawn large, then reduced: smooth edges
    side = size * scale
    image = Image.new("RGB", (side, side), THEME)
    draw = ImageDraw.Draw(image)
    inset = side * (0.14 if maskable else 0.04)

    def at(x: float, y: float) -> tuple[float, float]:
        return inset + x * (side - 2 * inset), inset + y * (side - 2 * inset)

    draw.ellipse([*at(0.58, 0.14), *at(0.82, 0.38)], fill="#f6c244")  # sun
    draw.polygon([at(0.05, 0.80), at(0.30, 0.28), at(0.52, 0.80)], fill="#ffffff")
    draw.polygon([at(0.35, 0.80), at(0.62, 0.40), at(0.95, 0.80)], fill="#d8efe6")
    for number, y in enumerate((0.80, 0.87, 0.94)):
        draw.rectangle([*at(0.05, y), *at(0.95, y + 0.04)], fill="#9fd8b8" if number % 2 else "#6cc196")
    out = io.BytesIO()
    reduced = image.resize((size, size), Image.LANCZOS).quantize(colors=48)  # a few colours: a small PNG
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


@require_safe
def icon(request: HttpRequest, name: str) -> HttpResponse:
    if name not in ICONS:
        raise Http404("Unknown icon.")
    size, maskable = ICONS[name]
    response = HttpResponse(draw_icon(size, maskable), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


_json_catalog = JSONCatalog.as_view(domain="djangojs", packages=["xuthanh.mobile"])


@require_safe
@gzip_page
def catalog(request: HttpRequest, lang: str) -> HttpResponse:
    """The app's UI strings in `lang` (msgids are English; `makemessages -d djangojs` collects them)."""
    if lang not in LANG_CODES:
        raise Http404("Unknown language.")
    with translation.override(lang):
        response = _json_catalog(request)
    response["Cache-Control"] = "public, max-age=3600"
    return response
