"""manage.py import_catalog KIND FILE: the back office's all-or-nothing CSV/XLSX import from the shell."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xuthanh.catalog import importing
from xuthanh.catalog.fieldmaps import FIELDMAPS


class Command(BaseCommand):
    help = "Import places, events, specialties or tours from a CSV or XLSX file (all rows or none)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(FIELDMAPS))
        parser.add_argument("file", type=Path)

    def handle(self, *args, kind: str, file: Path, **options) -> None:
        try:
            header, rows = importing.read_table(file.name, file.read_bytes())
        except (OSError, importing.CellError) as exc:
            raise CommandError(str(exc)) from exc

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{100 * done // total:3d}%", ending="")

        result = importing.import_rows(
            FIELDMAPS[kind](), header, rows, actor=None, progress=progress, note=file.name
        )
        self.stderr.write("")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} problem(s); nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"{result.created} created, {result.updated} updated"))
