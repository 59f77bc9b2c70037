import io

import pytest
from PIL import Image

from xuthanh.core import images


def jpeg_with_exif(*, gps: bool = True, size=(800, 600)) -> bytes:
    img = Image.new("RGB", size, (120, 160, 200))
    exif = Image.Exif()
    exif[0x0110] = "Test camera"
    exif.get_ifd(images.EXIF_IFD)[images.DATETIME_ORIGINAL] = "2025:04:30 08:15:00"
    if gps:
        exif.get_ifd(images.GPS_IFD).update({1: "N", 2: (19.0, 48.0, 24.0), 3: "E", 4: (105.0, 47.0, 6.0)})
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_it_reads_format_size_capture_date_and_gps():
    info = images.inspect(jpeg_with_exif(), max_bytes=10**7)
    assert (info.format, info.width, info.height) == ("JPEG", 800, 600)
    assert info.taken_at.isoformat() == "2025-04-30T08:15:00"
    assert info.has_gps


def test_strip_gps_removes_location_and_keeps_the_date():
    cleaned = images.strip_gps(jpeg_with_exif())
    info = images.inspect(cleaned, max_bytes=10**7)
    assert not info.has_gps
    assert info.taken_at is not None
    with Image.open(io.BytesIO(cleaned)) as img:
        assert img.getexif().get(0x0110) == "Test camera"


def test_it_rejects_files_that_are_not_images():
    with pytest.raises(images.ImageCheckError, match="not a readable image"):
        images.inspect(b"<?php echo 1; ?>", max_bytes=10**7)


def test_it_rejects_too_large_files_and_tiny_images():
    with pytest.raises(images.ImageCheckError, match="limit"):
        images.inspect(jpeg_with_exif(), max_bytes=100)
    with pytest.raises(images.ImageCheckError, match="at least"):
        images.inspect(jpeg_with_exif(size=(50, 50)), max_bytes=10**7)


def test_it_rejects_other_formats():
    out = io.BytesIO()
    Image.new("RGB", (300, 300)).save(out, format="GIF")
    with pytest.raises(images.ImageCheckError, match="GIF"):
        images.inspect(out.getvalue(), max_bytes=10**7)


def test_rendition_is_small_webp():
    small = images.rendition(jpeg_with_exif(size=(3000, 2000)), max_side=640)
    with Image.open(io.BytesIO(small)) as img:
        assert img.format == "WEBP"
        assert max(img.size) == 640
