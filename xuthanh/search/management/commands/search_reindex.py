"""manage.py search_reindex: rebuild the search index from the published catalogue, with progress."""

from django.core.management.base import BaseCommand

from xuthanh.search.services import reindex


class Command(BaseCommand):
    help = "Rebuild the search index (SQLite FTS5 or PostgreSQL trigram) from published content."

    def handle(self, *args, **options) -> None:
        def progress(done: int, total: int) -> None:
            self.stderr.write(f"\r{done}/{total}", ending="")

        count = reindex(progress=progress)
        self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"indexed {count} items"))
