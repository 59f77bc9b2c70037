"""Background jobs of the public wifi (Huey): the gateways' offline alerts, every five minutes, and what has
served its time forgotten, every night."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xuthanh.wifi import services


@db_periodic_task(crontab(hour="3", minute="20"))
def retention_purge() -> dict[str, int]:
    return services.retention_purge()


@db_periodic_task(crontab(minute="*/5"))
def offline_alerts() -> dict[str, int]:
    return services.offline_alerts()
