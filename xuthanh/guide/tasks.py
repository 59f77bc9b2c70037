"""Background jobs of the audio guide: rendering a clip, and trying failed clips again every quarter of an
hour (in-process by default, Redis-backed workers at scale)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from xuthanh.guide.models import Clip

MAX_ATTEMPTS = 5


@db_task()
def clip_render_task(clip_id: int) -> None:
    from xuthanh.guide.services import clip_render

    clip = Clip.objects.select_related("stop", "narration").filter(pk=clip_id).first()
    if clip is not None:
        clip_render(clip)


@db_periodic_task(crontab(minute="*/15"))
def clips_retry_failed() -> None:
    """A clip the engine failed on (the engine missing, a crash) is tried again, up to MAX_ATTEMPTS times."""
    for clip_id in Clip.objects.filter(state=Clip.State.FAILED, origin=Clip.Origin.ENGINE,
                                       attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True):
        clip_render_task(clip_id)
