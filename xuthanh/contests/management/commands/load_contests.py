"""manage.py load_contests: the earlier contests about Thanh Hóa (cited) and the sample contest."""

from django.core.management.base import BaseCommand

from xuthanh.contests import loader


class Command(BaseCommand):
    help = "Store the contests shipped in xuthanh/contests/data/ (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        past, sample = loader.load()
        self.stdout.write(f"{past} earlier contests and {sample} sample contest loaded")
