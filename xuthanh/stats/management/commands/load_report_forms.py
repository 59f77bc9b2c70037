"""Load the statistical report forms (data/forms/*.toml) and the official figures (data/official_figures.toml)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuthanh.stats import services


class Command(BaseCommand):
    help = "Load the report forms (versioned data) and the province's published figures with their sources."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            forms = services.forms_load()
        except services.FormDataError as exc:
            raise CommandError(str(exc)) from exc
        figures = services.official_figures_load()
        self.stdout.write(f"{len(forms)} report form versions, {figures} official figures")
