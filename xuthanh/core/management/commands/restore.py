"""manage.py restore ARCHIVE: check an archive of manage.py backup, then restore it into an empty database
(the configured one, or --database-url) and the media storage (or --media-root), and count every table again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xuthanh.core.backup import BackupError, check_backup, local_storage, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by manage.py backup (checked first; the target database must be empty)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="only check the archive")
        parser.add_argument("--database-url", help="restore into this database instead of the configured one")
        parser.add_argument("--media-root", type=Path, help="restore the media into this folder instead")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds rows")

    def handle(self, *args: Any, **options: Any) -> None:
        say = self.stderr.write
        try:
            if options["dry_run"]:
                check_backup(options["archive"], progress=say)
                self.stdout.write(f"{options['archive']}: good; nothing restored (dry run)")
                return
            database = dj_database_url.parse(options["database_url"]) if options["database_url"] else None
            storage = local_storage(options["media_root"]) if options["media_root"] else None
            counts = restore_backup(
                options["archive"], database=database, storage=storage, force=options["force"], progress=say
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored {sum(counts.values())} rows in {len(counts)} tables; every count matches")
