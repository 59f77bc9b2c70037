"""Prepared queries: an ORM query turned into SQL once per process and database, then run many times with new
parameters, for the few reads that every public page makes.

Building and compiling a QuerySet costs about 0.12 ms of Python per query on this project's machines, ten
times what SQLite takes to run it; a page of ten small reads spends more time composing SQL than reading
data. `Prepared` keeps the ORM as the author of the SQL (vendor quoting, joins, lookups and the field
converters stay Django's) and skips the repeated work:

    cards = Prepared(
        lambda ids, lang: PlaceTranslation.objects.filter(master_id__in=ids, language_code=lang)
        .values_list("master_id", "name"),
        ids=list[int], lang=str,
    )
    cards.rows(ids=[1, 2, 3], lang="vi")   # [(1, "Thành nhà Hồ"), …]

The query is built once with sentinel values, compiled, and the position of each sentinel among the SQL
parameters is recorded; a call substitutes the real values and runs the SQL on the current connection
(so transactions, test databases and query counting work as for any query). A list parameter is padded to
the next power of two by repeating its last value (the same `IN` set), so a handful of compiled variants
serve every length. Only `values_list` queries are prepared: rows come back as tuples, converted by the
fields' own converters (booleans and dates on SQLite, for example). A query made with `paged=True` takes
`limit` and `offset` as parameters too (one page of an ordered list; the ORM writes a slice into the SQL
as numbers, so the query is built unsliced and `LIMIT %s OFFSET %s` added, which both databases accept).
`batch` runs several independent prepared reads in one round trip on PostgreSQL (pipeline mode).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesListIterable

_INT_BASE = 1_987_000_000
_FLOAT_BASE = 7.5e13


class PreparedQueryError(ValueError):
    """The query cannot be prepared (a parameter does not reach the SQL exactly once, or no values_list)."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: dict[tuple[str, int], int]  # (parameter, index in the list or 0) → position in params
    converters: tuple[tuple[int, tuple[Callable, ...], Any], ...]


def _sentinel(kind: type, number: int) -> Any:
    if kind is int:
        return _INT_BASE + number
    if kind is float:
        return _FLOAT_BASE + number
    if kind is str:
        return f"\x01prepared-{number}\x01"
    raise PreparedQueryError(f"unsupported parameter type {kind!r} (int, float, str or list of them)")


def _padded(length: int) -> int:
    size = 1
    while size < length:
        size *= 2
    return size


class Prepared:
    """A values_list query of the ORM, compiled once per (database, list lengths) and run with new values.

    `build` takes the parameters as keyword arguments and returns the QuerySet; `kinds` names each
    parameter's type: int, float, str, or list[int] / list[str] for an `__in` lookup. With `paged`, every
    call also gives `limit` and `offset` (the rows of one page)."""

    def __init__(self, build: Callable[..., QuerySet], *, paged: bool = False, **kinds: Any) -> None:
        self.build = build
        self.kinds = kinds
        self.paged = paged
        self._compiled: dict[tuple, _Compiled] = {}
        self._lock = threading.Lock()

    def rows(
        self, *, using: str = "default", limit: int | None = None, offset: int = 0, **values: Any
    ) -> list[tuple]:
        return _run(connections[using], self._statement(using, limit, offset, values))

    def _statement(
        self, using: str, limit: int | None, offset: int, values: dict[str, Any]
    ) -> tuple[_Compiled, str, list[Any]] | None:
        """The compiled query, its SQL and parameters for these values; None when it matches nothing."""
        if set(values) != set(self.kinds):
            raise TypeError(f"parameters {sorted(self.kinds)} expected, got {sorted(values)}")
        if self.paged != (limit is not None):
            raise TypeError("a paged query takes limit (and offset); another takes neither")
        values = dict(values)
        lengths = {}
        for name, kind in self.kinds.items():
            if _is_list(kind):
                items = list(values[name])
                if not items:
                    return None  # `IN ()` matches nothing, as the ORM says
                lengths[name] = _padded(len(items))
                values[name] = items + [items[-1]] * (lengths[name] - len(items))
        connection = connections[using]
        key = (using, connection.vendor, tuple(sorted(lengths.items())))
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(using, lengths)
                self._compiled[key] = compiled
        params = list(compiled.params)
        for (name, index), position in compiled.slots.items():
            value = values[name][index] if name in lengths else values[name]
            params[position] = value
        sql = compiled.sql
        if self.paged:
            if limit < 0 or offset < 0:
                raise ValueError("limit and offset cannot be negative")
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        return compiled, sql, params

    def _compile(self, using: str, lengths: dict[str, int]) -> _Compiled:
        sentinels: dict[Any, tuple[str, int]] = {}
        arguments: dict[str, Any] = {}
        number = 0
        for name, kind in self.kinds.items():
            if name in lengths:
                item_kind = kind.__args__[0]
                arguments[name] = []
                for index in range(lengths[name]):
                    value = _sentinel(item_kind, number)
                    number += 1
                    sentinels[value] = (name, index)
                    arguments[name].append(value)
            else:
                value = _sentinel(kind, number)
                number += 1
                sentinels[value] = (name, 0)
                arguments[name] = value
        queryset = self.build(**arguments)
        if queryset._iterable_class not in (ValuesListIterable, FlatValuesListIterable):
            raise PreparedQueryError("only values_list() queries can be prepared")
        if self.paged and (queryset.query.is_sliced or not queryset.ordered):
            raise PreparedQueryError("a paged query is ordered and not sliced (the page is its parameters)")
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots: dict[tuple[str, int], int] = {}
        for position, param in enumerate(params):
            slot = sentinels.get(param) if isinstance(param, (int, float, str)) else None
            if slot is not None:
                if slot in slots:
                    raise PreparedQueryError(f"parameter {slot[0]!r} reaches the SQL twice")
                slots[slot] = position
        missing = set(sentinels.values()) - set(slots)
        if missing:
            raise PreparedQueryError(f"parameters {sorted({m[0] for m in missing})} do not reach the SQL as given")
        fields = [select[0] for select in compiler.select[: compiler.col_count]]
        converters = tuple(
            (position, tuple(functions), expression)
            for position, (functions, expression) in compiler.get_converters(fields).items()
        )
        return _Compiled(sql=sql, params=tuple(params), slots=slots, converters=converters)


def _is_list(kind: Any) -> bool:
    return getattr(kind, "__origin__", None) is list


def _run(connection: Any, statement: tuple[_Compiled, str, list[Any]] | None) -> list[tuple]:
    """The converted rows of one statement (`Prepared._statement`) run on `connection`; none for None."""
    if statement is None:
        return []
    compiled, sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _converted(compiled, rows, connection)


def _converted(compiled: _Compiled, rows: list, connection: Any) -> list[tuple]:
    if not compiled.converters:
        return [tuple(row) for row in rows]
    out = []
    for row in rows:
        row = list(row)
        for position, functions, expression in compiled.converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        out.append(tuple(row))
    return out


def batch(*reads: tuple[Prepared, dict[str, Any]], using: str = "default") -> list[list[tuple]]:
    """Several prepared reads that do not depend on each other, in one round trip where the database allows it:
    `batch((tags, {"ids": ids}), (photos, {"ids": ids}))` gives `[tags.rows(ids=ids), photos.rows(ids=ids)]`.

    On PostgreSQL the statements go through psycopg's pipeline mode: all are sent, then all results read, so a
    page's small reads cost one wait for the server instead of one each (on a loaded machine each wait is a
    wake-up of the server process and of the app's thread). Elsewhere (SQLite, in the same process) they run
    one after another. The statements are the ones `rows` runs, with the same cursor class and converters;
    each is logged where Django logs queries (so query counts and `CaptureQueriesContext` see every one), and
    a database error raises as it would from `rows`. Paged reads are not batched (give them to `rows`)."""
    connection = connections[using]
    statements = []
    for prepared, values in reads:
        if prepared.paged:
            raise TypeError("batch() takes unpaged reads")
        statements.append(prepared._statement(using, None, 0, values))
    live = [statement for statement in statements if statement is not None]
    if connection.vendor != "postgresql" or len(live) < 2 or connection.execute_wrappers:
        return [_run(connection, statement) for statement in statements]
    with connection.cursor() as wrapper:  # connected, in this thread, outside a broken transaction
        raw = wrapper.cursor.connection
        started = time.monotonic()
        cursors = []
        with connection.wrap_database_errors, raw.pipeline():  # errors as Django's, as from any query
            for _compiled, sql, params in live:
                cursor = raw.cursor()
                cursor.execute(sql, params)
                cursors.append(cursor)
        with connection.wrap_database_errors:
            fetched = [cursor.fetchall() for cursor in cursors]
        if connection.queries_logged:
            took = (time.monotonic() - started) / len(live)
            for cursor, (_compiled, sql, params) in zip(cursors, live, strict=True):
                connection.queries_log.append(
                    {"sql": connection.ops.last_executed_query(cursor, sql, params), "time": f"{took:.3f}"})
        for cursor in cursors:
            cursor.close()
    results = iter(_converted(compiled, rows, connection)
                   for (compiled, _sql, _params), rows in zip(live, fetched, strict=True))
    return [[] if statement is None else next(results) for statement in statements]



class PreparedObjects:
    """Model instances through a prepared query: `build` returns a QuerySet of `model`; the rows of all its
    concrete fields become instances with `Model.from_db`, as the ORM itself makes them."""

    def __init__(self, model: type, build: Callable[..., QuerySet], **kinds: Any) -> None:
        self.model = model
        self.attnames = [field.attname for field in model._meta.concrete_fields]
        self.query = Prepared(lambda **values: build(**values).values_list(*self.attnames), **kinds)

    def objects(self, *, using: str = "default", **values: Any) -> list[Any]:
        return self.from_rows(self.query.rows(using=using, **values), using=using)

    def from_rows(self, rows: list[tuple], *, using: str = "default") -> list[Any]:
        """Instances of rows read by `self.query` (for a `batch`)."""
        return [self.model.from_db(using, self.attnames, row) for row in rows]


class Loaded(list):
    """Objects already loaded for a relation: what `instance.<relation>.all()` returns after `attach`. A
    list, with the few QuerySet reads that code over a prefetched relation uses (all, count, exists, first)."""

    def all(self) -> Loaded:
        return self

    def count(self) -> int:
        return len(self)

    def exists(self) -> bool:
        return bool(self)

    def first(self) -> Any:
        return self[0] if self else None


def attach(instance: Any, name: str, objects: list[Any]) -> None:
    """Store `objects` as the prefetched result of the relation `name` of `instance` (where prefetch_related
    leaves its results), so `instance.<name>.all()` reads them without a query."""
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = Loaded(objects)
