"""Background job of the plan (Huey): every morning, the units that owe their yearly reports are reminded, once
in the PLAN_REMINDER_DAYS before 15 December and once when late."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xuthanh.plan import services


@db_periodic_task(crontab(hour="8", minute="15"))
def report_reminders() -> dict[str, int]:
    return services.reminders_send(timezone.localdate())
