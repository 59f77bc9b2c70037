"""The list indexes of 0003 as part of the model (Place.Meta.indexes). Made by plain SQL there, they were
unknown to Django's model state, and SQLite loses such indexes whenever a later migration rebuilds the table
(0004 did): at 100,000 places every list page then sorted all places. Here the plain ones are dropped where
they survived (PostgreSQL) and the same indexes made as the model's, with one more for a commune's list."""

from django.db import migrations, models

OLD = ("catalog_place_status_popularity", "catalog_place_status_kind_popularity", "catalog_place_status_updated")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_place_location_uncertainty")]

    operations = [
        *(migrations.RunSQL(f"DROP INDEX IF EXISTS {name}", migrations.RunSQL.noop) for name in OLD),
        migrations.AddIndex(
            model_name="place",
            index=models.Index(fields=["status", "-popularity", "slug"], name="place_status_popular_idx"),
        ),
        migrations.AddIndex(
            model_name="place",
            index=models.Index(fields=["status", "kind", "-popularity", "slug"], name="place_status_kind_pop_idx"),
        ),
        migrations.AddIndex(
            model_name="place",
            index=models.Index(fields=["status", "updated_at"], name="place_status_updated_idx"),
        ),
        migrations.AddIndex(  # new: a commune's list (its places in the default order)
            model_name="place",
            index=models.Index(fields=["commune", "status", "-popularity", "slug"], name="place_commune_pop_idx"),
        ),
    ]
