"""Background jobs of the statistics (Huey): the daily report reminders, in the morning, Vietnam time."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xuthanh.stats import services


@db_periodic_task(crontab(hour="8", minute="0"))
def daily_reminders() -> dict[str, int]:
    return services.reminders_send(timezone.localdate())
