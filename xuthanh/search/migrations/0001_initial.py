from django.db import migrations, models

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        names, body, content='search_searchdocument', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2", prefix='1 2 3')""",
    """CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'col')""",
    """CREATE TRIGGER search_doc_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, names, body) VALUES (new.id, new.names, new.body); END""",
    """CREATE TRIGGER search_doc_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, names, body) VALUES ('delete', old.id, old.names, old.body); END""",
    """CREATE TRIGGER search_doc_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, names, body) VALUES ('delete', old.id, old.names, old.body);
        INSERT INTO search_fts(rowid, names, body) VALUES (new.id, new.names, new.body); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_doc_au",
    "DROP TRIGGER IF EXISTS search_doc_ad",
    "DROP TRIGGER IF EXISTS search_doc_ai",
    "DROP TABLE IF EXISTS search_vocab",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_names_trgm ON search_searchdocument USING gin (names gin_trgm_ops)",
    "CREATE INDEX search_body_trgm ON search_searchdocument USING gin (body gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS search_names_trgm", "DROP INDEX IF EXISTS search_body_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=12)),
                ("object_id", models.PositiveBigIntegerField()),
                ("slug", models.SlugField(max_length=120)),
                ("category", models.CharField(blank=True, max_length=20)),
                ("names", models.TextField()),
                ("body", models.TextField(blank=True)),
                ("popularity", models.PositiveSmallIntegerField(default=50)),
                ("lat", models.FloatField(blank=True, null=True)),
                ("lon", models.FloatField(blank=True, null=True)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["kind", "category"], name="search_sear_kind_63074f_idx"),
                    models.Index(fields=["lat", "lon"], name="search_sear_lat_8f4524_idx"),
                ],
                "constraints": [models.UniqueConstraint(fields=("kind", "object_id"), name="search_document_unique")],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
