"""core.bulk: many rows written in one statement each, read back exactly as the ORM would have stored them
(dates, JSON, empty values, auto timestamps), on SQLite and PostgreSQL."""

import datetime as dt

from xuthanh.core import bulk
from xuthanh.core.models import AuditEntry
from xuthanh.stats.models import Aggregate


def test_values_are_inserted_as_their_fields_store_them(db) -> None:
    bulk.insert_values(Aggregate, ["month", "dimension", "key", "indicator", "value", "contributors"], [
        (dt.date(2026, 1, 1), "total", "", "guests", 12.5, 3),
        (dt.date(2026, 2, 1), "commune", "16000", "guests", "7", 1),  # a text for a number is converted
    ])
    rows = list(Aggregate.objects.order_by("month").values_list("month", "key", "value", "contributors"))
    assert rows == [(dt.date(2026, 1, 1), "", 12.5, 3), (dt.date(2026, 2, 1), "16000", 7.0, 1)]


def test_objects_are_inserted_with_json_nulls_and_their_automatic_timestamp(db) -> None:
    before = dt.datetime.now(dt.UTC)
    AuditEntry.objects.all().delete()
    bulk.insert_all(AuditEntry, [
        AuditEntry(action="change", object_repr="Đền Sòng", changes={"name": ["a", "b"]}, ip_address=None),
        AuditEntry(action="delete", object_repr="x", snapshot={"lat": 19.8}),
    ])
    first, second = AuditEntry.objects.order_by("pk")
    assert first.changes == {"name": ["a", "b"]} and first.ip_address is None and first.object_repr == "Đền Sòng"
    assert second.snapshot == {"lat": 19.8} and second.changes == {}
    assert first.created_at >= before - dt.timedelta(seconds=1)


def test_saved_objects_are_updated_field_by_field(db) -> None:
    bulk.insert_values(Aggregate, ["month", "dimension", "key", "indicator", "value", "contributors"],
                       [(dt.date(2026, 1, 1), "total", "", "guests", 1.0, 1)])
    row = Aggregate.objects.get()
    row.value, row.contributors = 4.0, 5
    bulk.update_all(Aggregate, [row], ["value"])
    row.refresh_from_db()
    assert (row.value, row.contributors) == (4.0, 1)  # only the named field was written


def test_rows_that_exist_are_skipped_when_asked(db) -> None:
    from xuthanh.translations.models import MemoryEntry

    def entry(target: str) -> MemoryEntry:
        return MemoryEntry(language="en", source_key="k", target_key=target, source="Đền", target=target,
                           length=3, head="h", tail="t", origin="place:1:name")

    bulk.insert_all(MemoryEntry, [entry("a")])
    bulk.insert_all(MemoryEntry, [entry("a"), entry("b")], skip_existing=True)  # "a" is there: kept as it was
    assert sorted(MemoryEntry.objects.filter(source_key="k").values_list("target", flat=True)) == ["a", "b"]
