"""manage.py load_key_sites: the first list of key tourist sites (xuthanh/wifi/data/key_sites.toml)."""

from django.core.management.base import BaseCommand, CommandError

from xuthanh.wifi import services


class Command(BaseCommand):
    help = "Flag the key tourist sites of the shipped list (places not yet flagged only)."

    def handle(self, *args: object, **options: object) -> None:
        try:
            flagged = services.key_sites_load()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{flagged} key sites flagged")
