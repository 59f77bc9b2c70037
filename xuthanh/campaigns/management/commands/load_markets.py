"""manage.py load_markets: the plan's target markets (xuthanh/campaigns/data/markets.toml)."""

from django.core.management.base import BaseCommand

from xuthanh.campaigns import loader


class Command(BaseCommand):
    help = "Store the target markets shipped in xuthanh/campaigns/data/markets.toml (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(f"{loader.load()} target markets loaded")
