"""Prepared queries give the ORM's rows for any parameters, with the fields' converters, on both databases."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuthanh.catalog.models import ClosureDate, Place
from xuthanh.core.prepared import Prepared, PreparedQueryError, batch

pytestmark = pytest.mark.django_db

BY_KIND = Prepared(
    lambda kind, ids: Place.objects.filter(kind=kind, pk__in=ids).order_by("pk").values_list("pk", "slug"),
    kind=str,
    ids=list[int],
)


def test_it_returns_what_the_orm_returns_for_every_list_length():
    ids = list(Place.objects.order_by("pk").values_list("pk", flat=True))
    for length in (1, 2, 3, 5, 8, 13, len(ids)):
        chosen = ids[:length]
        for kind in ("attraction", "transport", "nothing"):
            expected = list(Place.objects.filter(kind=kind, pk__in=chosen).order_by("pk").values_list("pk", "slug"))
            assert BY_KIND.rows(kind=kind, ids=chosen) == expected, (kind, length)


def test_an_empty_list_matches_nothing_without_a_query():
    with CaptureQueriesContext(connection) as queries:
        assert BY_KIND.rows(kind="attraction", ids=[]) == []
    assert len(queries) == 0


def test_it_runs_as_one_counted_query_on_the_current_connection():
    BY_KIND.rows(kind="attraction", ids=[1])
    with CaptureQueriesContext(connection) as queries:
        BY_KIND.rows(kind="attraction", ids=[1, 2, 3])
    assert len(queries) == 1


def test_field_converters_apply_booleans_dates_and_floats():
    place = Place.objects.get(slug="thanh-nha-ho")
    ClosureDate.objects.create(place=place, date=dt.date(2027, 1, 1), reason="test")
    flags = Prepared(lambda slug: Place.objects.filter(slug=slug).values_list("is_sample", "lat"), slug=str)
    assert flags.rows(slug="thanh-nha-ho") == [(False, place.lat)]
    assert isinstance(flags.rows(slug="thanh-nha-ho")[0][0], bool)
    dates = Prepared(lambda pk: ClosureDate.objects.filter(place_id=pk).values_list("date", flat=True), pk=int)
    assert dates.rows(pk=place.pk) == [(dt.date(2027, 1, 1),)]


def test_float_ranges_reach_the_sql():
    box = Prepared(
        lambda lat0, lat1: Place.objects.filter(lat__range=(lat0, lat1)).order_by("pk").values_list("pk", flat=True),
        lat0=float,
        lat1=float,
    )
    expected = list(Place.objects.filter(lat__range=(19.7, 20.0)).order_by("pk").values_list("pk"))
    assert box.rows(lat0=19.7, lat1=20.0) == expected


def test_a_parameter_the_orm_rewrites_is_refused_when_compiled():
    contains = Prepared(lambda word: Place.objects.filter(slug__contains=word).values_list("pk"), word=str)
    with pytest.raises(PreparedQueryError, match="word"):
        contains.rows(word="lam")


def test_only_values_list_queries_are_prepared():
    objects = Prepared(lambda slug: Place.objects.filter(slug=slug), slug=str)
    with pytest.raises(PreparedQueryError, match="values_list"):
        objects.rows(slug="lam-kinh")


def test_wrong_parameters_are_a_type_error():
    with pytest.raises(TypeError, match="kind"):
        BY_KIND.rows(ids=[1])


BY_POPULARITY = Prepared(
    lambda kind: Place.objects.filter(kind=kind).order_by("-popularity", "slug").values_list("pk", flat=True),
    paged=True,
    kind=str,
)


def test_a_paged_query_gives_the_slices_the_orm_gives():
    ordered = Place.objects.filter(kind="attraction").order_by("-popularity", "slug").values_list("pk", flat=True)
    total = ordered.count()
    assert total > 7
    for size in (1, 7, total):
        for start in range(0, total + size, size):
            rows = BY_POPULARITY.rows(kind="attraction", limit=size, offset=start)
            assert [pk for (pk,) in rows] == list(ordered[start : start + size]), (size, start)


def test_a_paged_query_takes_a_page_and_another_takes_none():
    with pytest.raises(TypeError, match="limit"):
        BY_POPULARITY.rows(kind="attraction")
    with pytest.raises(TypeError, match="limit"):
        BY_KIND.rows(kind="attraction", ids=[1], limit=5)
    with pytest.raises(ValueError, match="negative"):
        BY_POPULARITY.rows(kind="attraction", limit=5, offset=-1)


def test_a_paged_query_must_be_ordered_and_unsliced():
    unordered = Prepared(lambda: Place.objects.order_by().values_list("pk"), paged=True)
    with pytest.raises(PreparedQueryError, match="ordered"):
        unordered.rows(limit=1)
    sliced = Prepared(lambda: Place.objects.order_by("pk").values_list("pk")[:5], paged=True)
    with pytest.raises(PreparedQueryError, match="sliced"):
        sliced.rows(limit=1)


def test_a_batch_gives_each_reads_rows_and_every_statement_is_counted():
    """`batch` (one round trip on PostgreSQL: pipeline mode) answers as `rows` read by read, converters
    included, an empty list still costs nothing, and query counts see every statement it sends."""
    place = Place.objects.get(slug="thanh-nha-ho")
    ClosureDate.objects.create(place=place, date=dt.date(2027, 1, 1), reason="test")
    dates = Prepared(lambda pk: ClosureDate.objects.filter(place_id=pk).values_list("date", "reason"), pk=int)
    flags = Prepared(lambda slug: Place.objects.filter(slug=slug).values_list("is_sample", "lat"), slug=str)
    ids = list(Place.objects.order_by("pk").values_list("pk", flat=True))[:5]
    reads = [
        (BY_KIND, {"kind": "attraction", "ids": ids}),
        (dates, {"pk": place.pk}),
        (BY_KIND, {"kind": "attraction", "ids": []}),
        (flags, {"slug": "thanh-nha-ho"}),
        (flags, {"slug": "no-such-place"}),
    ]
    expected = [prepared.rows(**values) for prepared, values in reads]
    with CaptureQueriesContext(connection) as queries:
        assert batch(*reads) == expected
    assert len(queries) == 4 and all("SELECT" in query["sql"] for query in queries)
    assert expected[1] == [(dt.date(2027, 1, 1), "test")] and isinstance(expected[3][0][0], bool)
    assert batch() == [] and batch((BY_KIND, {"kind": "attraction", "ids": []})) == [[]]
    with pytest.raises(TypeError, match="kind"):
        batch((BY_KIND, {"ids": ids}))


def test_a_batch_in_a_transaction_sees_its_writes_and_a_failing_read_raises():
    from django.db import DatabaseError, transaction

    broken = Prepared(
        lambda pk: Place.objects.filter(pk=pk).extra(where=["no_such_column = 1"]).values_list("pk"), pk=int
    )
    with transaction.atomic():
        ClosureDate.objects.create(place=Place.objects.get(slug="lam-kinh"), date=dt.date(2027, 2, 2), reason="x")
        seen = Prepared(lambda why: ClosureDate.objects.filter(reason=why).values_list("date"), why=str)
        got = batch((seen, {"why": "x"}), (BY_KIND, {"kind": "attraction", "ids": [1]}))
        assert got[0] == [(dt.date(2027, 2, 2),)]
    with pytest.raises(DatabaseError), transaction.atomic():
        batch((BY_KIND, {"kind": "attraction", "ids": [1]}), (broken, {"pk": 1}))
    assert Place.objects.filter(slug="lam-kinh").exists()  # the connection is usable afterwards
