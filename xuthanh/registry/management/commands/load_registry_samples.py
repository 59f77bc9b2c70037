"""Load the invented sample register (registry/data/samples.toml) for demonstrations; running it again changes
nothing. Every record is marked is_sample and named "… (mẫu)"."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuthanh.registry import services


class Command(BaseCommand):
    help = "Load the sample establishments and tour guide cards of the registry (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = services.registry_samples_load()
        except services.SampleError as exc:
            raise CommandError(str(exc)) from exc
        problems = [f"{kind}: {error}" for kind, result in results.items() for error in result.errors]
        if problems:
            raise CommandError("\n".join(["the samples were not loaded:", *problems]))
        for kind, result in results.items():
            self.stdout.write(f"{kind}: {result.created} created, {result.updated} updated")
