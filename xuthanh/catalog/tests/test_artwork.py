"""Every category, specialty kind and events have an artwork, and each artwork file exists and is a titled SVG."""

from pathlib import Path

from django.conf import settings

from xuthanh.catalog import artwork
from xuthanh.catalog.models import Place, Specialty

ART = Path(settings.BASE_DIR) / "xuthanh" / "static"


def test_every_category_and_kind_has_its_own_artwork_file():
    paths = {artwork.place_art(c) for c in Place.Category.values}
    paths |= {artwork.specialty_art(k) for k in Specialty.Kind.values} | {artwork.event_art()}
    assert set(artwork.BY_CATEGORY) == set(Place.Category.values)
    for path in paths:
        text = (ART / path).read_text(encoding="utf-8")
        assert text.startswith("<svg") and "<title>" in text and "<script" not in text, path
        assert f'viewBox="0 0 {artwork.WIDTH} {artwork.HEIGHT}"' in text
    assert len(paths) >= 12  # not one picture for everything
