"""Background jobs of campaigns (Huey): every minute, the scheduled items whose time has come are posted on
the networks with a configured publisher (campaigns/publishing.py)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xuthanh.campaigns import services


@db_periodic_task(crontab(minute="*"))
def publish_due() -> dict[str, int]:
    return services.publish_due()
