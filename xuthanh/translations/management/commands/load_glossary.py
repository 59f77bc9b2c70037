"""Load the province's translation glossary (xuthanh/translations/data/glossary.toml)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from xuthanh.translations import services


class Command(BaseCommand):
    help = "Add the glossary's terms from the data file (--update rewrites existing terms)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--update", action="store_true")

    def handle(self, *args: Any, update: bool = False, **options: Any) -> None:
        added, updated = services.load_glossary(update=update)
        services.snapshot_coverage()
        self.stdout.write(f"glossary: {added} terms added, {updated} updated; today's coverage recorded")
