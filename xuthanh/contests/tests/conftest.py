"""Fixtures of the contests' tests: a contest in each phase, its categories, people with a confirmed e-mail
address, and real image and film files made on the spot (Pillow, ffmpeg)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from xuthanh.accounts.models import EmailAddress
from xuthanh.catalog.models import Place
from xuthanh.contests.models import Category, Contest, Kind


def picture(seed: int = 1, size: tuple[int, int] = (1800, 1200), fmt: str = "JPEG", exif: Image.Exif | None = None
            ) -> bytes:
    """A photo-like picture, different for each seed (shapes at places the seed chooses)."""
    img = Image.new("RGB", size, (20 * seed % 255, 90, 160))
    draw = ImageDraw.Draw(img)
    for i in range(12):
        x = (seed * 97 + i * 151) % size[0]
        y = (seed * 61 + i * 83) % size[1]
        colour = ((seed * 40 + i * 20) % 255, i * 20, 255 - i * 20)
        draw.ellipse([x, y, x + size[0] // 5, y + size[1] // 4], fill=colour)
    out = io.BytesIO()
    options = {"exif": exif.tobytes()} if exif is not None else {}
    img.save(out, format=fmt, **options)
    return out.getvalue()


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[271] = "FUJIFILM"
    exif[272] = "X-T4"
    exif[306] = "2026:11:02 07:15:00"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (19.0, 48.0, 30.0)
    gps[3] = "E"
    gps[4] = (105.0, 46.0, 10.0)
    return exif


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def make_contest(phase: str = "submissions", **extra) -> Contest:  # noqa: ANN003
    now = timezone.now()
    day = dt.timedelta(days=1)
    dates = {
        "announced": (now + day, now + 10 * day, now + 11 * day, now + 20 * day, now + 30 * day),
        "submissions": (now - day, now + 10 * day, now + 11 * day, now + 20 * day, now + 30 * day),
        "judging": (now - 20 * day, now - 10 * day, now + 5 * day, now + 20 * day, now + 30 * day),
        "vote": (now - 20 * day, now - 10 * day, now - day, now + 10 * day, now + 30 * day),
        "results": (now - 40 * day, now - 30 * day, now - 20 * day, now - 10 * day, now - day),
    }[phase]
    contest = Contest(slug=extra.pop("slug", f"thi-anh-{phase}"), year=2026, published=True,
                      submissions_open=dates[0], submissions_close=dates[1], vote_open=dates[2],
                      vote_close=dates[3], results_at=dates[4], licences=["CC-BY-SA-4.0", "CC-BY-4.0", "grant"],
                      min_photo_side=1000, allow_video_links=True, **extra)
    contest.set_current_language("vi")
    contest.title = "Cuộc thi ảnh thử"
    contest.set_current_language("en")
    contest.title = "Test photo contest"
    contest.save()
    for position, (kind, slug, name) in enumerate([(Kind.PHOTO, "di-san", "Di sản"), (Kind.FILM, "phim", "Phim"),
                                                   (Kind.ARTICLE, "bai-viet", "Bài viết")]):
        category = Category(contest=contest, kind=kind, slug=slug, position=position)
        category.set_current_language("vi")
        category.name = name
        category.save()
    return contest


def confirmed(username: str):  # noqa: ANN201
    user = get_user_model().objects.create_user(username=username, password="correct horse battery")
    EmailAddress.objects.create(user=user, email=f"{username}@example.org", verified_at=timezone.now())
    return user


@pytest.fixture
def contest(db) -> Contest:  # noqa: ANN001
    return make_contest()


@pytest.fixture
def place(db) -> Place:  # noqa: ANN001
    return Place.objects.filter(status="published").order_by("id").first()


@pytest.fixture
def photo_category(contest: Contest) -> Category:
    return contest.categories.get(kind=Kind.PHOTO)
