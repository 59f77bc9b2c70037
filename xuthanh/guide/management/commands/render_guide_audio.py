"""manage.py render_guide_audio: speak every script of the guide in every language (unchanged scripts are
skipped: their rendering key is the same), with progress, and say how many clips are ready or failed."""

import sys
import time

from django.core.management.base import BaseCommand, CommandParser

from xuthanh.guide import services


class Command(BaseCommand):
    help = "Render the audio of every tour stop and place narration (cached; failed clips tried again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--language", action="append", help="only these languages (repeatable)")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: object, **options: object) -> None:
        started = time.monotonic()
        interactive = sys.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if interactive or done == total or done % 25 == 0:
                end = "\n" if done == total or not interactive else ""
                self.stdout.write(f"\rAudio: {done}/{total} clips", ending=end)
                self.stdout.flush()

        counts = services.clips_render_all(languages=options["language"], progress=progress,
                                           workers=options["workers"])
        self.stdout.write(
            f"{counts['ready']} ready, {counts['failed']} failed, {counts['pending']} waiting "
            f"({time.monotonic() - started:.1f} s)"
        )
