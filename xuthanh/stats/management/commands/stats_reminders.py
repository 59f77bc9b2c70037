"""Daily: remind businesses of the monthly report before its due day, and tell them when it is overdue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from xuthanh.stats import services


class Command(BaseCommand):
    help = "Send the statistics report reminders and overdue notices of today (each once)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = services.reminders_send(timezone.localdate())
        self.stdout.write(f"reminders {sent['before']}, overdue notices {sent['late']}, failed {sent['failed']}")
