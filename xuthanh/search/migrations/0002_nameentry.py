"""Autocomplete's prefix table (search.models.NameEntry) with its phrase index (text_pattern_ops on
PostgreSQL, for LIKE 'prefix%'), which also holds the ranking columns so that ranking the entries of a short
prefix reads only the index. It is filled as items are indexed: run `manage.py search_reindex` once after
upgrading (until then autocomplete falls back to the full-text index)."""

from django.db import migrations, models

SQLITE_UP = ["CREATE INDEX search_nameentry_phrase ON search_nameentry (phrase, popularity, position)"]
POSTGRES_UP = [
    "CREATE INDEX search_nameentry_phrase ON search_nameentry (phrase text_pattern_ops) "
    "INCLUDE (popularity, position, id)"
]
DOWN = ["DROP INDEX IF EXISTS search_nameentry_phrase"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='NameEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=12)),
                ('object_id', models.PositiveBigIntegerField()),
                ('slug', models.SlugField(max_length=120)),
                ('category', models.CharField(blank=True, max_length=20)),
                ('popularity', models.PositiveSmallIntegerField(default=50)),
                ('phrase', models.CharField(max_length=100)),
                ('position', models.PositiveSmallIntegerField(help_text="Index of the phrase's first word in the name")),
            ],
            options={
                'indexes': [models.Index(fields=['kind', 'object_id'], name='search_name_kind_1c8d5c_idx')],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}), _run({"sqlite": DOWN, "postgresql": DOWN})
        ),
    ]
