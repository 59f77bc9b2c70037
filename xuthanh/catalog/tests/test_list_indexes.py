"""The public lists' indexes exist after every migration, on SQLite too: made as plain SQL they were lost when
SQLite rebuilt the table for a later migration, and at 100,000 places each list page sorted every place."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_list_indexes_survive_the_migrations():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "catalog_place")
    indexes = {name: spec["columns"] for name, spec in constraints.items() if spec["index"]}
    assert indexes.get("place_status_popular_idx") == ["status", "popularity", "slug"]
    assert indexes.get("place_status_kind_pop_idx") == ["status", "kind", "popularity", "slug"]
    assert indexes.get("place_status_updated_idx") == ["status", "updated_at"]
    assert indexes.get("place_commune_pop_idx") == ["commune_id", "status", "popularity", "slug"]


def test_a_page_of_published_places_is_read_from_the_index_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the query plan checked here is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM catalog_place WHERE status = 'published' "
            "ORDER BY popularity DESC, slug ASC LIMIT 20"
        )
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "place_status_popular_idx" in plan and "TEMP B-TREE" not in plan, plan
