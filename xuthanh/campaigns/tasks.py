"""Background jobs of campaigns (Huey): every minute, the scheduled items whose time has come are posted on
the networks with a configured publisher (campaigns/publishing.py) and the shared counter's clicks and outcomes
are folded into the database; every hour, finished days are rolled up for the dashboards."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xuthanh.campaigns import services


@db_periodic_task(crontab(minute="*"))
def publish_due() -> dict[str, int]:
    return services.publish_due()


@db_periodic_task(crontab(minute="*"))
def fold_counts() -> int:
    return services.fold_counts(purge=True)


@db_periodic_task(crontab(minute="5"))
def rollup_days() -> int:
    return services.rollup_days()
