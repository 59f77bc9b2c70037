"""Equirectangular panoramas of the 360° tours, with Pillow and without Django: the check of an upload (an
image twice as wide as high, large enough to look sharp, within the limits phones can show), the copies the
viewer loads (at most 4096 pixels wide: the largest texture every phone's WebGL takes) and the flat preview
(the fallback without WebGL, and the thumbnails), the conversion between viewing angles and pixels, and
generated sample panoramas for tests and the demo (there are no openly licensed 360° photos of Thanh Hóa
to ship), each stamped "MẪU · SAMPLE" so no one takes it for a photograph.

Angles are in degrees, as PhotoSphereViewer reads them: yaw 0 at the image's centre, growing to the right
(−180…180); pitch 0 on the horizon, 90 straight up."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from xuthanh.core import images

MIN_WIDTH = 2000  # narrower panoramas look blurred once zoomed in on a phone
MAX_WIDTH = 16384  # 360° cameras make 5760 to 11904 pixels wide (72 megapixels); stitched ones up to this
MAX_PIXELS = 100_000_000  # decoding one takes ~300 MB of memory on the server
RATIO_TOLERANCE = 0.01  # 2:1 within 1 %: cameras round the height by a few pixels
DISPLAY_WIDTH = 4096  # the texture size every phone's WebGL accepts
PREVIEW_WIDTH = 1024
SAMPLE_TEXT = "MẪU · SAMPLE"
_FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
          "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")


class PanoramaError(ValueError):
    """The upload is not a usable equirectangular panorama; the message says why."""


@dataclass(frozen=True)
class Panorama:
    format: str
    width: int
    height: int


def check(data: bytes, *, max_bytes: int) -> Panorama:
    """The panorama's format and size, or PanoramaError: not an image, corrupt, too large (bytes or pixels),
    not 2:1, or too small."""
    try:
        info = images.inspect(data, max_bytes=max_bytes, max_side=MAX_WIDTH, max_pixels=MAX_PIXELS)
    except images.ImageCheckError as exc:
        raise PanoramaError(str(exc)) from exc
    ratio = info.width / info.height
    if abs(ratio - 2) > 2 * RATIO_TOLERANCE:
        raise PanoramaError(
            f"the image is {info.width}×{info.height} pixels (ratio {ratio:.2f}:1); an equirectangular "
            f"panorama is twice as wide as high, e.g. 8000×4000"
        )
    if info.width < MIN_WIDTH:
        raise PanoramaError(f"the panorama is {info.width} pixels wide; at least {MIN_WIDTH} are needed")
    try:  # verify() reads the headers only: decode it all, a truncated file fails here
        with Image.open(io.BytesIO(data)) as img:
            img.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise PanoramaError("the image is damaged (it cannot be read to the end)") from exc
    return Panorama(info.format, info.width, info.height)


def _jpeg(img: Image.Image, width: int, quality: int) -> bytes:
    if img.width > width:
        img = img.resize((width, width // 2), Image.Resampling.LANCZOS)
    if img.mode != "RGB":
        img = img.convert("RGB")
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def renditions(data: bytes) -> tuple[bytes, bytes]:
    """(the viewer's copy, the flat preview): JPEG, metadata dropped, exactly 2:1."""
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        if img.height * 2 != img.width:  # within the tolerance: stretched to exactly 2:1
            img = img.resize((img.width, img.width // 2), Image.Resampling.LANCZOS)
        return _jpeg(img, DISPLAY_WIDTH, 82), _jpeg(img, PREVIEW_WIDTH, 75)


def angles_to_pixel(yaw: float, pitch: float, width: int, height: int) -> tuple[float, float]:
    return (width * (0.5 + yaw / 360.0)) % width, height * (0.5 - pitch / 180.0)


def pixel_to_angles(x: float, y: float, width: int, height: int) -> tuple[float, float]:
    yaw = (x / width - 0.5) * 360.0
    return ((yaw + 180.0) % 360.0) - 180.0, (0.5 - y / height) * 180.0


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONTS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def sample(title: str, *, width: int = DISPLAY_WIDTH, seed: int = 0,
           features: Sequence[tuple[float, str]] = ()) -> bytes:
    """A generated equirectangular scene (sky, hills, a path ahead, a stone gate at each `features` yaw with
    its label) stamped as a sample; deterministic for a seed. JPEG."""
    height = width // 2
    rng = random.Random(seed)
    img = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    horizon = height // 2
    hue = rng.uniform(0.0, 1.0)
    for y in range(horizon):  # sky: deep at the zenith, pale at the horizon
        t = y / horizon
        draw.line([(0, y), (width, y)], fill=(int(40 + 150 * t), int(90 + 120 * t), int(170 + 70 * t)))
    for y in range(horizon, height):  # ground: lit near the horizon, darker at the visitor's feet
        t = (y - horizon) / (height - horizon)
        green = int(120 - 60 * t + 30 * hue)
        draw.line([(0, y), (width, y)], fill=(int(90 - 40 * t), green, int(50 - 20 * t)))
    # a path of 3 m wide straight ahead (yaw 0), seen from eye height 1.6 m
    for y in range(horizon + 1, height):
        pitch = (0.5 - y / height) * math.pi
        half = math.degrees(math.atan(1.5 / (1.6 / math.tan(-pitch))))
        x0, _ = angles_to_pixel(-half, 0, width, height)
        x1, _ = angles_to_pixel(half, 0, width, height)
        draw.line([(x0, y), (x1, y)], fill=(176, 160, 128))
    # hills: a sum of waves above the horizon, wrapping around seamlessly
    waves = [(rng.randint(1, 4), rng.uniform(0, math.tau), rng.uniform(0.02, 0.06)) for _ in range(4)]
    ridge = [
        (x, horizon - height * (0.03 + sum(a * (1 + math.sin(k * math.tau * x / width + p)) / 2
                                           for k, p, a in waves)))
        for x in range(0, width + 1, max(1, width // 512))
    ]
    draw.polygon([(0, horizon), *ridge, (width, horizon)], fill=(70, 110, 90))
    label = _font(max(12, height // 40))
    for yaw, name in features:  # a stone gate where each link leads, its name above it
        x, _ = angles_to_pixel(yaw, 0, width, height)
        w, h = width / 36, height / 9
        draw.rectangle([x - w, horizon - h, x + w, horizon + h / 6], fill=(128, 124, 116), outline=(60, 58, 54))
        draw.ellipse([x - w / 2, horizon - h / 2, x + w / 2, horizon + h / 2], fill=(35, 33, 30))
        draw.rectangle([x - w / 2, horizon, x + w / 2, horizon + h / 6], fill=(35, 33, 30))
        draw.text((x, horizon - h - height / 50), name, font=label, fill=(255, 255, 255), anchor="ms",
                  stroke_width=2, stroke_fill=(0, 0, 0))
    stamp = _font(max(16, height // 24))
    small = _font(max(12, height // 48))
    for yaw in (-135, -45, 45, 135):  # never hidden: one stamp in each quarter of the view
        x, _ = angles_to_pixel(yaw, 0, width, height)
        draw.text((x, height * 0.2), SAMPLE_TEXT, font=stamp, fill=(255, 255, 255), anchor="mm",
                  stroke_width=3, stroke_fill=(150, 20, 20))
        draw.text((x, height * 0.2 + height / 20), title, font=small, fill=(255, 255, 255), anchor="mm",
                  stroke_width=2, stroke_fill=(0, 0, 0))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()
