"""manage.py load_kiosk_locations: the kiosk locations the provincial plan names (xuthanh/kiosks/data/)."""

from django.core.management.base import BaseCommand, CommandError

from xuthanh.kiosks import services


class Command(BaseCommand):
    help = "Load the kiosk locations named by the plan (new ones only)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            created = services.locations_load()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{created} kiosk locations created")
