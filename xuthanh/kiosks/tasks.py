"""Background jobs of the kiosk fleet (Huey): the offline alerts, every five minutes."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xuthanh.kiosks import services


@db_periodic_task(crontab(minute="*/5"))
def offline_alerts() -> dict[str, int]:
    return services.offline_alerts()
