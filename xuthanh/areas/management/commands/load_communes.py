"""manage.py load_communes: create/update Thanh Hóa's 166 commune-level units with their former districts."""

from django.core.management.base import BaseCommand

from xuthanh.areas.services import communes_load


class Command(BaseCommand):
    help = "Load the province's communes and wards (official codes) with their former districts."

    def handle(self, *args, **options) -> None:
        created, updated = communes_load()
        self.stdout.write(self.style.SUCCESS(f"communes: {created} created, {updated} updated"))
