"""Background jobs of the statistics (Huey): the daily report reminders, in the morning, Vietnam time, and a
month's roll-up rebuilt after a filing (off the business's request when workers run; in-process otherwise)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from xuthanh.stats import services


@db_periodic_task(crontab(hour="8", minute="0"))
def daily_reminders() -> dict[str, int]:
    return services.reminders_send(timezone.localdate())


@db_task(retries=2, retry_delay=30)
def month_refresh_task(month: dt.date) -> int:
    return services.refresh_month(month)  # rebuilds the whole month: running it twice is harmless
