"""The search index: one row per published catalogue item, with folded text in two fields."""

from django.db import models


class SearchDocument(models.Model):
    """`names` holds every language's names, `body` the rest (summaries, commune, former district,
    interests), both folded (no accents, đ→d) and starting with a space so that `LIKE '% word%'` is a
    word-prefix match on PostgreSQL, as FTS5 prefix queries are on SQLite."""

    kind = models.CharField(max_length=12)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=120)
    category = models.CharField(max_length=20, blank=True)
    names = models.TextField()
    body = models.TextField(blank=True)
    popularity = models.PositiveSmallIntegerField(default=50)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["kind", "category"]), models.Index(fields=["lat", "lon"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.slug}"


class NameEntry(models.Model):
    """Autocomplete's index: for every name of an indexed item (each language, and its slug), the folded
    name from each of its words to the end ("thanh nha ho", "nha ho", "ho"), so what a visitor types, as
    consecutive words, is one indexed prefix range (`phrase` has a B-tree index; text_pattern_ops on
    PostgreSQL). Kind, slug, category and popularity are copied from the SearchDocument so a suggestion
    needs no join; rows are replaced with their document's."""

    kind = models.CharField(max_length=12)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=120)
    category = models.CharField(max_length=20, blank=True)
    popularity = models.PositiveSmallIntegerField(default=50)
    phrase = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(help_text="Index of the phrase's first word in the name")

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.slug}: {self.phrase}"
