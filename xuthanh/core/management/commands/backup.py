"""manage.py backup: the database and the media in one checked archive (xuthanh.core.backup); --check verifies
an archive without restoring it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuthanh.core.backup import BackupError, check_backup, make_backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded media into one .tar.gz with a manifest, or check one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="archive to write (default: var/backups/xuthanh-<time>.tar.gz)")
        parser.add_argument("--check", type=Path, metavar="ARCHIVE", help="verify this archive; restore nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        say = self.stderr.write
        try:
            if options["check"]:
                manifest = check_backup(options["check"], progress=say)
                self.stdout.write(
                    f"{options['check']}: good — {manifest['database']['vendor']} database of "
                    f"{manifest['created_at']}, {sum(manifest['tables'].values())} rows in "
                    f"{len(manifest['tables'])} tables, {manifest['media_files']} media files"
                )
                return
            output = options["output"] or Path(settings.VAR_DIR) / "backups" / (
                f"xuthanh-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.tar.gz"
            )
            manifest = make_backup(output, progress=say)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{output}: {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables, "
            f"{manifest['media_files']} media files"
        )
