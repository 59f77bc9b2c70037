"""Background jobs of the catalogue (Huey: in-process by default, Redis-backed workers at scale)."""

from huey.contrib.djhuey import db_task

from xuthanh.catalog.models import Photo
from xuthanh.catalog.services import photo_make_small


@db_task(retries=2, retry_delay=30)
def photo_small_rendition(photo_id: int) -> None:
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is not None and photo.image:
        photo_make_small(photo)
