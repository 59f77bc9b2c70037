"""Background jobs of the kiosk fleet (Huey): the offline alerts, every five minutes, and the searches typed
at kiosks forgotten after a year, every night."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xuthanh.kiosks import services


@db_periodic_task(crontab(minute="*/5"))
def offline_alerts() -> dict[str, int]:
    return services.offline_alerts()


@db_periodic_task(crontab(hour="3", minute="10"))
def use_searches_purge() -> int:
    return services.use_searches_purge(timezone.localdate())
