"""Background jobs of the registry (Huey): the daily expiry alerts, in the morning, Vietnam time."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xuthanh.registry import services


@db_periodic_task(crontab(hour="7", minute="30"))
def daily_expiry_alerts() -> int:
    return len(services.expiry_alerts_send(today=timezone.localdate()).sent)
