"""Daily: e-mail the expiry alerts of star ratings, travel licences and tour guide cards (90 and 30 days before,
and on expiry), each once (`services.expiry_alerts_send`). Run it from cron or a systemd timer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xuthanh.registry import services


class Command(BaseCommand):
    help = "Send the registry's expiry alerts (90, 30 and 0 days), each once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="the day to compute from (YYYY-MM-DD)")
        parser.add_argument("--dry-run", action="store_true", help="say what would be sent, send nothing")

    def handle(self, *args: Any, today: dt.date | None = None, dry_run: bool = False, **options: Any) -> None:
        report = services.expiry_alerts_send(today=today or timezone.localdate(), dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{verb} {len(report.sent)} alert(s)")
        for key in report.sent:
            self.stdout.write(f"  {key}")
        for key in report.no_address:
            self.stdout.write(f"no address for {key} (set the establishment's e-mail or REGISTRY_ALERT_EMAIL)")
        if report.failed:
            raise CommandError(f"{len(report.failed)} alert(s) could not be sent; they go again on the next run")
