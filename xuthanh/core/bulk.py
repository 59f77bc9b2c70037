"""Writing many rows fast: one parametrised INSERT or UPDATE per object, sent together with `executemany`.
Django's bulk_update builds a CASE over every row and field (7 ms of Python per row for a statistical report)
and bulk_create a statement per batch; these take each field's value as those do (`pre_save`, then the
field's own conversion) and write to the model's own table and columns, quoted. For imports of tens of
thousands of rows, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router

_PLAIN = {str, int, float}
_AS_IS = {"CharField", "TextField", "SlugField", "IntegerField", "BigIntegerField", "SmallIntegerField",
          "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "FloatField"}


def update_all(model: type[models.Model], objects: Sequence[models.Model], names: Sequence[str],
               batch_size: int = 2000) -> None:
    """Write the named fields of many saved objects."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]  # not the proxy: each attribute read costs a lookup
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # noqa: S608 - names quoted, values bound
           f"WHERE {quote(model._meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            cursor.executemany(sql, [
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
                for obj in objects[start : start + batch_size]
            ])


def insert_all(model: type[models.Model], objects: Iterable[models.Model], batch_size: int = 2000, *,
               skip_existing: bool = False) -> None:
    """Insert many new objects whose primary keys are not needed afterwards; with `skip_existing`, a row
    that would break a unique constraint is left out (ON CONFLICT DO NOTHING, SQLite and PostgreSQL)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    _insert(model, fields, ([f.pre_save(obj, True) for f in fields] for obj in objects), batch_size,
            skip_existing=skip_existing)


def insert_values(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]],
                  batch_size: int = 2000) -> None:
    """Insert many rows given as the values of the named fields, without building an object per row (the
    other fields take their database defaults)."""
    _insert(model, [model._meta.get_field(name) for name in names], rows, batch_size)


def _insert(model: type[models.Model], fields: Sequence[models.Field], rows: Iterable[Sequence[Any]],
            batch_size: int, *, skip_existing: bool = False) -> None:
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(fields))})" + (" ON CONFLICT DO NOTHING" if skip_existing else ""))
    # A text, whole or real number bound for a column of that same kind goes as it is; anything else (dates,
    # JSON, booleans, None…) through the field's own conversion. Saves a third of a month's roll-up rewrite.
    plain = [f.get_internal_type() in _AS_IS for f in fields]
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([
                value if keep and type(value) in _PLAIN else f.get_db_prep_save(value, connection)
                for f, keep, value in zip(fields, plain, row, strict=True)
            ])
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
