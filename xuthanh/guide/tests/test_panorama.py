"""The panorama checks and copies alone (guide.panorama, no Django): a usable 2:1 image passes; the wrong
ratio, too small, too large, damaged or not an image are refused with the reason; angles and pixels agree
with the viewer's convention; samples are deterministic and stamped."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from xuthanh.guide import panorama

LIMIT = 40 * 1024 * 1024


def picture(width: int, height: int, fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 60)).save(out, format=fmt)
    return out.getvalue()


def test_a_sample_is_a_usable_panorama_and_always_the_same_for_a_seed() -> None:
    first = panorama.sample("Cổng Nam", width=2048, seed=7, features=[(0.0, "Trung tâm")])
    assert panorama.check(first, max_bytes=LIMIT) == panorama.Panorama("JPEG", 2048, 1024)
    assert panorama.sample("Cổng Nam", width=2048, seed=7, features=[(0.0, "Trung tâm")]) == first
    assert panorama.sample("Cổng Nam", width=2048, seed=8) != first


def test_the_viewer_copy_and_the_preview_are_2_to_1_jpegs_of_bounded_width() -> None:
    display, preview = panorama.renditions(picture(6000, 3010, "PNG"))  # within the tolerance: made 2:1
    with Image.open(io.BytesIO(display)) as img:
        assert (img.format, img.size) == ("JPEG", (4096, 2048))
    with Image.open(io.BytesIO(preview)) as img:
        assert (img.format, img.size) == ("JPEG", (1024, 512))
    small, _ = panorama.renditions(picture(2400, 1200))
    with Image.open(io.BytesIO(small)) as img:
        assert img.size == (2400, 1200)  # never enlarged


@pytest.mark.parametrize(("data", "reason"), [
    (picture(3000, 2000), "twice as wide as high"),
    (picture(1600, 800), "at least 2000"),
    (b"GIF89a not really", "not a readable image"),
    (b"%PDF-1.4\n", "not a readable image"),
    (picture(4000, 2000)[:5000], "damaged"),
])
def test_what_is_not_a_usable_panorama_is_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(panorama.PanoramaError, match=reason):
        panorama.check(data, max_bytes=LIMIT)


def test_a_panorama_over_the_size_limit_is_refused_before_it_is_decoded() -> None:
    with pytest.raises(panorama.PanoramaError, match="the limit is"):
        panorama.check(picture(4000, 2000), max_bytes=10_000)


def test_angles_and_pixels_follow_the_viewers_convention() -> None:
    assert panorama.angles_to_pixel(0, 0, 4000, 2000) == (2000, 1000)  # yaw 0: the centre
    assert panorama.angles_to_pixel(90, 45, 4000, 2000) == (3000, 500)  # right and up
    for yaw, pitch in [(-179.5, -60.0), (0.0, 0.0), (45.0, 30.0), (170.0, 89.0)]:
        x, y = panorama.angles_to_pixel(yaw, pitch, 4096, 2048)
        back = panorama.pixel_to_angles(x, y, 4096, 2048)
        assert back == pytest.approx((yaw, pitch))


def test_a_360_cameras_panorama_fits_the_limits_and_the_limits_are_said() -> None:
    """Common cameras make 11904×5952 (71 megapixels), over the limits of ordinary photos."""
    assert panorama.MAX_WIDTH >= 11904 and panorama.MAX_PIXELS >= 11904 * 5952
    from xuthanh.core import images

    with pytest.raises(images.ImageCheckError, match="the largest accepted is 3000 pixels on a side"):
        images.inspect(picture(4000, 2000), max_bytes=LIMIT, max_side=3000, max_pixels=10**9)
