"""Vietnamese-aware search over the published catalogue: accent-insensitive, typo-tolerant, missing-space
tolerant, prefix autocomplete, every language's names, ranked by relevance and popularity, with facets and
distance. SQLite uses an FTS5 index (embedded default), PostgreSQL trigram indexes; both are kept in step by
the catalogue's writes (catalog.signals.content_changed) and return the same results for the same data."""
