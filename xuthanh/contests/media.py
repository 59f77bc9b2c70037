"""Checks and copies of what entrants upload, without Django: photos (JPEG, PNG, WebP, HEIC: the content must
be what the name says, the size and pixel count within limits, no SVG; a public copy without GPS, the capture
date and camera kept for the jury, a perceptual hash for duplicates), films (probed with ffprobe, a web copy
and a poster frame made with ffmpeg), article text (sanitised with nh3) and links to public video hosts."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import nh3
from PIL import Image, ImageOps, UnidentifiedImageError

from xuthanh.core import images

try:  # HEIC (iPhones' default) through libheif
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - a dependency; the check then refuses HEIC with a message
    HEIC = False

EXTENSIONS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heic": "HEIF", "heif": "HEIF"}
MAKE, MODEL = 271, 272
MAX_PIXELS = 80_000_000


class MediaError(ValueError):
    """The upload is refused; the message says why, in words an entrant understands."""


def sniff(head: bytes) -> str | None:
    """The kind of file its first bytes show, whatever its name says."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"hevc", b"avif"):
            return "HEIF" if brand != b"avif" else "AVIF"
        return "MP4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "WEBM"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"%PDF"):
        return "PDF"
    if head.startswith(b"PK\x03\x04"):
        return "ZIP"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<svg", b"<?xml", b"<!doctype svg", b"<html", b"<!doctype html")) or b"<svg" in head:
        return "SVG"
    return None


@dataclass(frozen=True)
class PreparedPhoto:
    data: bytes  # the public copy: no GPS
    extension: str
    width: int
    height: int
    taken_at: dt.datetime | None
    camera: str
    phash: int
    had_gps: bool


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def prepare_photo(data: bytes, filename: str, *, max_bytes: int, min_side: int) -> PreparedPhoto:
    """Check an uploaded photo and make its public copy; MediaError says why it is refused."""
    if len(data) > max_bytes:
        raise MediaError(f"the file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB")
    found = sniff(data[:64])
    extension = _extension(filename)
    if found == "SVG":
        raise MediaError("SVG and other drawings with code are not accepted; send a JPEG, PNG, WebP or HEIC photo")
    if extension not in EXTENSIONS:
        raise MediaError(f"“.{extension}” files are not accepted; send a JPEG, PNG, WebP or HEIC photo")
    if found is None or found not in ("JPEG", "PNG", "WEBP", "HEIF"):
        raise MediaError(f"the file is named .{extension} but is not a photo we accept "
                         f"({found or 'unknown content'})")
    if found != EXTENSIONS[extension]:
        raise MediaError(f"the file is named .{extension} but holds a {found} image; rename it or export it again")
    if found == "HEIF":
        if not HEIC:
            raise MediaError("HEIC photos cannot be read on this server; send a JPEG")
        return _prepare_heic(data, min_side)
    try:
        info = images.inspect(data, max_bytes=max_bytes, max_side=20_000, max_pixels=MAX_PIXELS)
    except images.ImageCheckError as exc:
        raise MediaError(str(exc)) from exc
    if min(info.width, info.height) < min_side:
        raise MediaError(f"the photo is {info.width}×{info.height} pixels; the rules ask for at least {min_side} "
                         f"on the shorter side")
    try:  # decoding it all: a file cut short passes the header checks
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            camera = _camera(img.getexif())
            phash = dhash(img)
    except (OSError, ValueError, SyntaxError) as exc:
        raise MediaError("the file is not a readable image: it is damaged or cut short") from exc
    public = images.strip_gps(data) if info.has_gps else data
    return PreparedPhoto(public, images.ALLOWED_FORMATS[info.format], info.width, info.height, info.taken_at,
                         camera, phash, info.has_gps)


def _prepare_heic(data: bytes, min_side: int) -> PreparedPhoto:
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise MediaError("the image has too many pixels")
            exif = img.getexif()
            img.load()
            upright = ImageOps.exif_transpose(img).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        if isinstance(exc, MediaError):
            raise
        raise MediaError("the file is not a readable HEIC photo") from exc
    if min(width, height) < min_side:
        raise MediaError(f"the photo is {width}×{height} pixels; the rules ask for at least {min_side} "
                         f"on the shorter side")
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=92)  # a JPEG copy: browsers do not show HEIC; no metadata at all
    return PreparedPhoto(out.getvalue(), "jpg", upright.width, upright.height, images.taken_at(exif), _camera(exif),
                         dhash(upright), images.GPS_IFD in exif)


def _camera(exif: Image.Exif) -> str:
    make = str(exif.get(MAKE) or "").strip("\x00 ")
    model = str(exif.get(MODEL) or "").strip("\x00 ")
    if make and model.lower().startswith(make.lower()):
        return model[:120]
    return f"{make} {model}".strip()[:120]


def dhash(img: Image.Image) -> int:
    """A 64-bit difference hash: near-identical pictures (resized, recompressed, slightly retouched) differ in
    few bits. Signed, to fit a 64-bit database integer."""
    small = ImageOps.exif_transpose(img).convert("L").resize((9, 8), Image.Resampling.LANCZOS)
    pixels = small.tobytes()
    value = 0
    for row in range(8):
        for col in range(8):
            value = (value << 1) | (pixels[row * 9 + col] > pixels[row * 9 + col + 1])
    return value - (1 << 64) if value >= 1 << 63 else value


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


DUPLICATE_BITS = 6  # at most this many differing bits of 64: the same picture


# --- films ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FilmInfo:
    duration: float
    width: int
    height: int
    codec: str
    has_audio: bool


def probe_film(path: Path, *, max_seconds: int) -> FilmInfo:
    """What ffprobe reads in the file; MediaError when it is no film or too long."""
    command = ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)]
    try:
        out = subprocess.run(command, capture_output=True, timeout=60, check=False)  # noqa: S603
    except (OSError, subprocess.SubprocessError) as exc:
        raise MediaError("the film could not be examined; try again later") from exc
    if out.returncode != 0:
        raise MediaError("the file is not a film we can read (it may be damaged or cut short)")
    try:
        found = json.loads(out.stdout or b"{}")
    except ValueError as exc:
        raise MediaError("the file is not a film we can read") from exc
    videos = [s for s in found.get("streams", []) if s.get("codec_type") == "video"
              and not (s.get("disposition") or {}).get("attached_pic")]
    if not videos:
        raise MediaError("the file has no picture track: it is not a film")
    try:
        duration = float(found.get("format", {}).get("duration") or videos[0].get("duration") or 0)
    except ValueError:
        duration = 0.0
    if duration <= 0:
        raise MediaError("the film's length cannot be read (it may be damaged)")
    if duration > max_seconds:
        raise MediaError(f"the film lasts {duration:.0f} s; the rules allow at most {max_seconds} s")
    audio = any(s.get("codec_type") == "audio" for s in found.get("streams", []))
    video = videos[0]
    return FilmInfo(duration, int(video.get("width") or 0), int(video.get("height") or 0),
                    str(video.get("codec_name") or ""), audio)


def web_copy(source: Path, target: Path, poster: Path, *, duration: float) -> None:
    """An H.264/AAC MP4 at most 720 lines high that starts playing before it is all loaded, and a JPEG poster
    from a tenth of the way in. Raises MediaError when ffmpeg cannot decode the film."""
    scale = "scale=-2:'min(720,ih)'"
    commands = [
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(source), "-vf", scale, "-c:v", "libx264",
         "-preset", "veryfast", "-crf", "26", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k",
         "-movflags", "+faststart", "-map_metadata", "-1", str(target)],
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-ss", f"{duration / 10:.2f}", "-i", str(source),
         "-frames:v", "1", "-vf", scale, "-q:v", "4", str(poster)],
    ]
    for command in commands:
        try:
            out = subprocess.run(command, capture_output=True, timeout=1800, check=False)  # noqa: S603
        except (OSError, subprocess.SubprocessError) as exc:
            raise MediaError("the film could not be converted") from exc
        if out.returncode != 0 or not Path(command[-1]).exists():
            raise MediaError("the film could not be converted: " + out.stderr.decode(errors="replace")[-200:])


VIDEO_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "vimeo.com", "www.vimeo.com",
               "player.vimeo.com")


def video_link(url: str) -> str:
    """The link, if it leads to a public video host we accept; MediaError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or (parts.hostname or "") not in VIDEO_HOSTS:
        raise MediaError("give an https link to the film on YouTube or Vimeo")
    return url.strip()


# --- articles ------------------------------------------------------------------------------------------------

ARTICLE_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "a",
                "figure", "figcaption", "hr", "sub", "sup"}


def sanitise_article(html: str) -> str:
    """The article's text with only harmless markup left (no scripts, styles, frames, event handlers or
    javascript: links): nh3 (ammonia), a maintained sanitiser."""
    return nh3.clean(html, tags=ARTICLE_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer")


def words(html: str) -> int:
    return len(nh3.clean(html, tags=set()).split())
