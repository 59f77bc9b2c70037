"""Indexes for the public place lists at 100,000 places (measured by bench/web.py), in plain SQL that SQLite
and PostgreSQL share; the model state is unchanged (they could move to Place.Meta.indexes later):

- (status, popularity DESC, slug) and (status, kind, popularity DESC, slug): a page of published places in
  the default order (`-popularity, slug`), all or of one kind, read from the index without sorting them all;
- (status, updated_at): the latest change of the published places (the API lists' ETag and Last-Modified)
  without a scan.
"""

from django.db import migrations

INDEXES = {
    "catalog_place_status_popularity": "(status, popularity DESC, slug)",
    "catalog_place_status_kind_popularity": "(status, kind, popularity DESC, slug)",
    "catalog_place_status_updated": "(status, updated_at)",
}


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_place_location_verified")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {name} ON catalog_place {columns}", f"DROP INDEX IF EXISTS {name}"
        )
        for name, columns in INDEXES.items()
    ]
