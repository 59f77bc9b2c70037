"""Background job of the training programme (Huey): every morning, the participants of tomorrow's classes are
reminded once, in the language they registered in; at night, personal data past their retention are erased."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xuthanh.training import services


@db_periodic_task(crontab(hour="8", minute="30"))
def class_reminders() -> int:
    return services.send_reminders()


@db_periodic_task(crontab(hour="3", minute="40"))
def erase_old() -> int:
    return services.erase_old()
