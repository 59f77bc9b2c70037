"""The checks and copies of uploads, without Django: what is refused and why, what the public copy keeps."""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from PIL import Image

from xuthanh.contests import media
from xuthanh.contests.tests.conftest import exif_with_gps, picture

LIMIT = 25 * 1024 * 1024


def test_a_photo_keeps_date_and_camera_and_loses_its_gps() -> None:
    prepared = media.prepare_photo(picture(1, exif=exif_with_gps()), "ho.jpg", max_bytes=LIMIT, min_side=1000)
    assert prepared.had_gps and prepared.camera == "FUJIFILM X-T4"
    assert prepared.taken_at.isoformat() == "2026-11-02T07:15:00"
    with Image.open(io.BytesIO(prepared.data)) as img:
        exif = img.getexif()
        assert 0x8825 not in exif and exif.get(306) == "2026:11:02 07:15:00"
    assert (prepared.width, prepared.height, prepared.extension) == (1800, 1200, "jpg")


@pytest.mark.parametrize(("data", "name", "says"), [
    (picture(1, fmt="PNG"), "anh.jpg", "named .jpg but holds a PNG"),
    (b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "a.svg", "SVG"),
    (b"<svg onload='alert(1)'></svg>", "a.jpg", "SVG"),
    (b"%PDF-1.7 not a photo at all" * 10, "a.jpg", "not a photo we accept"),
    (picture(1), "a.gif", "“.gif” files are not accepted"),
    (picture(1, size=(900, 600)), "small.jpg", "at least 1000"),
    (picture(1)[:4000], "cut.jpg", "not a readable image"),
])
def test_refused_uploads_say_why(data: bytes, name: str, says: str) -> None:
    with pytest.raises(media.MediaError, match=says):
        media.prepare_photo(data, name, max_bytes=LIMIT, min_side=1000)


def test_an_oversized_file_is_refused_by_its_size() -> None:
    with pytest.raises(media.MediaError, match="the limit is 1 MB"):
        media.prepare_photo(picture(1) + b"\0" * 1_100_000, "big.jpg", max_bytes=1_000_000, min_side=10)


def _png_bomb(side: int) -> bytes:
    """A valid PNG `side`×`side` pixels of one colour: a few kilobytes that would decode to gigabytes."""
    raw = zlib.compress(b"".join(b"\0" + b"\0" * side for _ in range(side)), 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = _png_bomb(20_000)
    assert len(bomb) < 1_000_000
    with pytest.raises(media.MediaError, match="too many pixels|megapixels"):
        media.prepare_photo(bomb, "bomb.png", max_bytes=LIMIT, min_side=100)


@pytest.mark.skipif(not media.HEIC, reason="pillow-heif is missing")
def test_heic_becomes_a_jpeg_without_gps() -> None:
    img = Image.open(io.BytesIO(picture(2)))
    out = io.BytesIO()
    img.save(out, format="HEIF", exif=exif_with_gps().tobytes())
    prepared = media.prepare_photo(out.getvalue(), "IMG_0001.HEIC", max_bytes=LIMIT, min_side=1000)
    assert prepared.extension == "jpg" and prepared.had_gps and prepared.camera == "FUJIFILM X-T4"
    with Image.open(io.BytesIO(prepared.data)) as copy:
        assert copy.format == "JPEG" and 0x8825 not in copy.getexif()


def test_the_perceptual_hash_finds_the_same_picture_and_not_another() -> None:
    original = Image.open(io.BytesIO(picture(5)))
    smaller = original.resize((900, 600))
    out = io.BytesIO()
    smaller.save(out, format="JPEG", quality=55)
    recompressed = Image.open(io.BytesIO(out.getvalue()))
    assert media.distance(media.dhash(original), media.dhash(recompressed)) <= media.DUPLICATE_BITS
    other = Image.open(io.BytesIO(picture(9)))
    assert media.distance(media.dhash(original), media.dhash(other)) > media.DUPLICATE_BITS
    assert -(2**63) <= media.dhash(original) < 2**63


def test_article_text_is_sanitised() -> None:
    clean = media.sanitise_article('<p onclick="x()">Hồ <script>alert(1)</script><a href="javascript:alert(1)">a</a>'
                                   '<img src=x onerror=alert(1)><iframe src="https://e.vn"></iframe>'
                                   '<a href="https://thanhhoa.gov.vn">b</a></p>')
    for bad in ("script", "onclick", "javascript:", "onerror", "iframe", "<img"):
        assert bad not in clean
    assert 'href="https://thanhhoa.gov.vn"' in clean and "nofollow" in clean
    assert media.words("<p>một hai <b>ba</b></p>") == 3


@pytest.mark.parametrize("url", ["http://youtube.com/watch?v=x", "https://evil.example/watch", "javascript:alert(1)"])
def test_only_https_links_to_known_hosts(url: str) -> None:
    with pytest.raises(media.MediaError):
        media.video_link(url)
    assert media.video_link(" https://youtu.be/abc ") == "https://youtu.be/abc"


needs_ffmpeg = pytest.mark.skipif(not (shutil.which("ffmpeg") and shutil.which("ffprobe")),
                                  reason="ffmpeg/ffprobe missing: apt-get install ffmpeg")


def make_film(path: Path, seconds: int = 2) -> Path:
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",  # noqa: S607
                    f"testsrc=duration={seconds}:size=320x240:rate=15", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", str(path)], check=True, timeout=120)
    return path


@needs_ffmpeg
def test_a_film_is_probed_and_given_a_web_copy_and_a_poster(tmp_path: Path) -> None:
    film = make_film(tmp_path / "f.mp4")
    info = media.probe_film(film, max_seconds=60)
    assert 1.5 < info.duration < 2.5 and (info.width, info.height) == (320, 240) and info.has_audio
    media.web_copy(film, tmp_path / "web.mp4", tmp_path / "poster.jpg", duration=info.duration)
    assert media.probe_film(tmp_path / "web.mp4", max_seconds=60).codec == "h264"
    assert Image.open(tmp_path / "poster.jpg").size == (320, 240)
    with pytest.raises(media.MediaError, match="at most 1 s"):
        media.probe_film(film, max_seconds=1)


@needs_ffmpeg
def test_a_corrupt_film_is_refused(tmp_path: Path) -> None:
    film = make_film(tmp_path / "f.mp4").read_bytes()
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(film[:200] + b"\0" * 5000)
    with pytest.raises(media.MediaError):
        media.probe_film(broken, max_seconds=60)
    assert media.sniff(film[:64]) == "MP4"
