"""manage.py export_catalog KIND FILE: write places, events, specialties or tours as CSV or XLSX."""

from pathlib import Path

from django.core.management.base import BaseCommand

from xuthanh.catalog import importing
from xuthanh.catalog.fieldmaps import FIELDMAPS


class Command(BaseCommand):
    help = "Export the catalogue in the import format (.csv or .xlsx by the file name)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", choices=sorted(FIELDMAPS))
        parser.add_argument("file", type=Path)

    def handle(self, *args, kind: str, file: Path, **options) -> None:
        fieldmap = FIELDMAPS[kind]()
        objects = fieldmap.model.objects.prefetch_related(*fieldmap.prefetch).order_by("slug")
        writer = importing.export_xlsx if file.suffix.lower() == ".xlsx" else importing.export_csv
        file.write_bytes(writer(fieldmap, objects))
        self.stdout.write(self.style.SUCCESS(f"wrote {objects.count()} rows to {file}"))
