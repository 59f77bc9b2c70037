"""QR codes as inline SVG (segno, pure Python): a link scanned from a screen or from paper (a trip's share link,
the mobile app on the portal's home page). Inline markup: no image request, nothing for the CSP to allow."""

from __future__ import annotations

import functools

import segno


@functools.lru_cache(maxsize=256)
def qr_svg(text: str) -> str:
    """An SVG element encoding `text` (medium error correction, a quiet zone of two modules)."""
    return segno.make(text, error="m").svg_inline(scale=4, border=2, dark="#1b1b1b", light="#ffffff")
