"""Machine drafts for a queue (missing or outdated) from the configured engine, with progress."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xuthanh.catalog.selectors import with_translation_state
from xuthanh.translations import machine, services
from xuthanh.translations.registry import CONTENT
from xuthanh.translations.selectors import TARGET_LANGUAGES


class Command(BaseCommand):
    help = "Store machine drafts (never over a reviewed, current translation) for missing or outdated records."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--lang", required=True, choices=TARGET_LANGUAGES)
        parser.add_argument("--content", choices=sorted(CONTENT), default="place")
        parser.add_argument("--only", choices=["missing", "outdated"], default="missing")
        parser.add_argument("--limit", type=int, default=0)

    def handle(self, *args: Any, lang: str, content: str, only: str, limit: int, **options: Any) -> None:
        provider = machine.configured_provider()
        if provider is None:
            raise CommandError("MACHINE_TRANSLATION_URL is not set: no engine to ask (docs/translation.md).")
        model = CONTENT[content]
        pks = list(with_translation_state(model.objects.all(), lang).filter(tr_state=only).values_list("pk", flat=True))
        if limit:
            pks = pks[:limit]
        done = failed = 0
        for index, obj in enumerate(model.objects.filter(pk__in=pks).iterator(), start=1):
            try:
                services.machine_draft(None, obj, lang, provider)
                done += 1
            except machine.MachineError as exc:
                failed += 1
                self.stderr.write(f"{getattr(obj, 'slug', obj.pk)}: {exc}")
            self.stdout.write(f"\r{index}/{len(pks)} drafted {done}, failed {failed}", ending="")
        self.stdout.write(f"\n{done} machine drafts stored with {provider.name}; {failed} failed (records untouched)")
