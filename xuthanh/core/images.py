"""Checks and clean-up of uploaded images with Pillow: type, size and dimension limits, capture date from
EXIF, removal of GPS location, reduced renditions. Pure (no Django): works on bytes and file objects."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MIN_SIDE = 200
MAX_SIDE = 12000
MAX_PIXELS = 60_000_000
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 36867
DATETIME = 306


class ImageCheckError(ValueError):
    """The upload is not an acceptable image; the message says why."""


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int
    taken_at: dt.datetime | None
    has_gps: bool


def _read(source: BinaryIO | bytes) -> bytes:
    if isinstance(source, bytes):
        return source
    source.seek(0)
    data = source.read()
    source.seek(0)
    return data


def inspect(source: BinaryIO | bytes, *, max_bytes: int, max_side: int = MAX_SIDE,
            max_pixels: int = MAX_PIXELS) -> ImageInfo:
    """The image's format, size, capture date and GPS presence; ImageCheckError says why it is refused
    (limits: `max_bytes`, and `max_side` and `max_pixels`, larger for 360° panoramas)."""
    data = _read(source)
    if len(data) > max_bytes:
        raise ImageCheckError(f"the file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            fmt, (width, height) = img.format, img.size
            exif = img.getexif()
    except Image.DecompressionBombError as exc:
        raise ImageCheckError("the image has too many pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ImageCheckError("the file is not a readable image (JPEG, PNG or WebP)") from exc
    if fmt not in ALLOWED_FORMATS:
        raise ImageCheckError(f"{fmt} images are not accepted; use JPEG, PNG or WebP")
    if min(width, height) < MIN_SIDE:
        raise ImageCheckError(f"the image is {width}×{height} pixels; each side needs at least {MIN_SIDE}")
    if max(width, height) > max_side or width * height > max_pixels:
        raise ImageCheckError(
            f"the image is {width}×{height} pixels ({width * height / 1e6:.0f} megapixels); the largest accepted "
            f"is {max_side} pixels on a side and {max_pixels / 1e6:.0f} megapixels"
        )
    return ImageInfo(fmt, width, height, taken_at(exif), bool(exif.get_ifd(GPS_IFD)) or GPS_IFD in exif)


def taken_at(exif: Image.Exif) -> dt.datetime | None:
    """The capture date the EXIF data give (the original's, else the file's), or None."""
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    if not raw:
        return None
    try:
        return dt.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None


def strip_gps(source: BinaryIO | bytes) -> bytes:
    """The same image without GPS EXIF data (JPEG keeps its quantisation: no visible loss)."""
    data = _read(source)
    with Image.open(io.BytesIO(data)) as img:
        exif = img.getexif()
        if GPS_IFD not in exif:
            return data
        del exif[GPS_IFD]
        out = io.BytesIO()
        options: dict = {"exif": exif.tobytes()}
        if img.format == "JPEG":
            options["quality"] = "keep"
        img.save(out, format=img.format, **options)
        return out.getvalue()


def rendition(
    source: BinaryIO | bytes, *, max_side: int = 0, width: int = 0, fmt: str = "WEBP", quality: int = 80
) -> bytes:
    """A reduced copy for lists, phones and `srcset` (orientation applied, metadata dropped): at most
    `max_side` on its longer side, or `width` wide; WebP or AVIF (`fmt`)."""
    data = _read(source)
    with Image.open(io.BytesIO(data)) as img:
        img = ImageOps.exif_transpose(img)
        img.thumbnail((max_side, max_side) if max_side else (width, width * 10))
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        out = io.BytesIO()
        if fmt == "AVIF":
            img.save(out, format="AVIF", quality=max(30, quality - 25), speed=8)
        else:
            img.save(out, format="WEBP", quality=quality, method=4)
        return out.getvalue()


RENDITION_WIDTHS = (320, 640, 960, 1600)  # the `srcset` steps: cards, phones, tablets, desktops
RENDITION_FORMATS = ("avif", "webp")  # the best first: browsers take the first <source> they can show


def rendition_widths(original_width: int) -> list[int]:
    """The widths worth making for an image `original_width` wide: the steps below it, and at least one."""
    below = [w for w in RENDITION_WIDTHS if w < original_width]
    return below or [RENDITION_WIDTHS[0]]
