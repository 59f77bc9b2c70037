"""Background jobs of contests (Huey: in-process by default, Redis-backed workers at scale): a film's probe,
web copy and poster; and, every night, the contact data of entrants whose contest's period has passed."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from xuthanh.contests.models import Entry


@db_task(retries=1, retry_delay=60)
def film_prepare(entry_id: int) -> None:
    from xuthanh.contests.services import film_prepare as prepare

    entry = Entry.objects.select_related("contest").filter(pk=entry_id, state=Entry.State.PROCESSING).first()
    if entry is not None and entry.video:
        prepare(entry)


@db_periodic_task(crontab(hour="3", minute="40"))
def personal_data_purge() -> int:
    from xuthanh.contests.services import personal_data_purge as purge

    return purge()
