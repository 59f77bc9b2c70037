"""The desk's background jobs: the nightly coverage figures (Huey; in-process by default)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from xuthanh.translations import services


@db_periodic_task(crontab(hour="1", minute="10"))
def nightly_coverage() -> int:
    return services.snapshot_coverage()
