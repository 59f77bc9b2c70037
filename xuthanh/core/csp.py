"""The Content-Security-Policy of every HTML page of the platform (portal, app, back office): scripts only
from this site, never inline (the pages have none: data for scripts travels in JSON blocks and data-
attributes), no plugins, no framing, forms posting only here; images and network requests also to the map
tile server of `MAP_TILE_URL`, and images to the media storage where it is another origin (an S3 bucket).
Inline styles stay allowed (Leaflet and the admin set them); they cannot run code. An answer that sets its own
policy keeps it (the partner widgets, which may be framed anywhere). The one inline script allowed is an
import map (the 360° viewer's ES modules name their packages), admitted by its hash on the page that has it
(`allow_inline_script`)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def tile_origin(template: str) -> str:
    """The origin of a tile URL template, with `{s}` subdomains as a wildcard ("https://*.tile.example")."""
    parts = urlsplit(template.replace("{s}.", "x-subdomain."))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.netloc.replace("x-subdomain.", "*.")
    return f"{parts.scheme}://{host}"


def media_origin() -> str:
    """Where uploaded photos are served from when it is not this site: the origin of the storage's URLs."""
    from django.core.files.storage import default_storage

    return tile_origin(default_storage.url("csp-origin-probe.webp"))  # builds a URL; no request is made


def policy(tile_url: str, media: str = "", scripts: tuple[str, ...] = (), *, fetch_media: bool = False) -> str:
    """The header's value; `scripts` are the texts of inline scripts admitted by their SHA-256 hash, and with
    `fetch_media` scripts may download media files (the 360° viewer loads panoramas with progress)."""
    tiles = tile_origin(tile_url)
    extra = f" {tiles}" if tiles else ""
    images = extra + (f" {media}" if media and media != tiles else "")
    hashes = "".join(f" '{script_hash(text)}'" for text in scripts)
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{hashes}",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob:{images}",
            f"connect-src 'self'{images if fetch_media else extra}",
            "font-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def script_hash(text: str) -> str:
    import base64
    import hashlib

    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def allow_inline_script(response: HttpResponse, text: str, *, fetch_media: bool = False) -> HttpResponse:
    """The page's policy, admitting the inline script `text` (exactly as written in the page)."""
    response["Content-Security-Policy"] = policy(settings.MAP_TILE_URL, media_origin(), (text,),
                                                 fetch_media=fetch_media)
    return response


class ContentSecurityPolicyMiddleware:
    """Adds the policy to HTML answers that have none (stored answers of the page cache included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = policy(settings.MAP_TILE_URL, media_origin())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and response.get("Content-Type", "").startswith("text/html"):
            response["Content-Security-Policy"] = self.header
        return response
