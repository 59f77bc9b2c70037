"""manage.py load_thanhhoa [--update]: load the real Thanh Hóa catalogue from catalog/data/thanhhoa/."""

from django.core.management.base import BaseCommand, CommandError

from xuthanh.catalog.loader import DataError, load_all


class Command(BaseCommand):
    help = "Load Thanh Hóa's communes, places, events, specialties and sample businesses (new records only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--update", action="store_true", help="Also overwrite records that already exist."
        )

    def handle(self, *args, update: bool = False, **options) -> None:
        try:
            summary = load_all(update=update, report=lambda line: self.stderr.write(line))
        except DataError as exc:
            raise CommandError(str(exc)) from exc
        for kind, (created, updated) in summary.counts.items():
            skipped = summary.skipped.get(kind, 0)
            self.stdout.write(f"{kind:10s} created {created:4d}  updated {updated:4d}  kept {skipped:4d}")
        self.stdout.write(self.style.SUCCESS("Thanh Hóa data loaded."))
