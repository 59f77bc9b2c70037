"""The province's roll-up: sums by commune, class and market, occupancy as a ratio of sums, the same period a
year before, and statistical confidentiality on every public figure (page and API, JSON and CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from xuthanh.stats import selectors, services
from xuthanh.stats.models import Aggregate, OfficialFigure
from xuthanh.stats.tests.conftest import make_unit, month_values

pytestmark = pytest.mark.django_db
NOVEMBER = dt.date(2026, 11, 1)
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def submit(unit: Any, values: dict, start: dt.date = NOVEMBER) -> None:
    report = services.report_open(unit, "month", start)
    moment = dt.datetime(start.year + (start.month == 12), start.month % 12 + 1, 5, tzinfo=VN)
    filing = services.report_file(user=None, report=report, values=values, submit=True, now=moment)
    assert filing.stored, filing.outcome


@pytest.fixture
def filed(units: dict, django_capture_on_commit_callbacks: Any) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        submit(units["own"], month_values())
        submit(units["sam_son_2"], month_values(markets={"CN": 100, "KR": 50}))
        submit(units["sam_son_3"], month_values(markets={"CN": 100, "FR": 50}) | {"room_nights_sold": 1200,
                                                                                  "bed_nights_sold": 2000})
        submit(units["other"], month_values(markets={"DK": 150}))
    return units


def cells(rollup: selectors.Rollup) -> dict[str, Any]:
    return {c.key: (c.value, c.contributors, c.suppressed) for c in rollup.cells}


def test_the_month_is_summed_by_commune_for_officers(filed: dict, commune_sam_son: Any, commune_other: Any) -> None:
    rollup = selectors.rollup("accommodation:guests_total", "commune", [NOVEMBER], public=False)
    assert cells(rollup) == {str(commune_sam_son.code): (3000, 3, False), str(commune_other.code): (1000, 1, False)}
    assert rollup.total.value == 4000 and rollup.total.contributors == 4


def test_occupancy_of_a_class_is_room_nights_sold_over_room_nights_available(filed: dict) -> None:
    rollup = selectors.rollup("accommodation:room_occupancy", "class", [NOVEMBER], public=False)
    got = cells(rollup)
    assert got["hotel:3"] == (75.0, 3, False)  # 3 × 900 / (3 × 40 × 30)
    assert got["hotel:4"] == (100.0, 1, False)


def test_the_type_dimension_adds_every_star_class_of_a_type(filed: dict) -> None:
    got = cells(selectors.rollup("accommodation:room_occupancy", "type", [NOVEMBER], public=False))
    assert got == {"hotel": (81.2, 4, False)}  # (3 × 900 + 1200) / (4 × 40 × 30), one decimal
    assert selectors.rollup("accommodation:guests_total", "type", [NOVEMBER], public=True).cells[0].value == 4000


def test_guests_by_nationality_add_the_markets_of_every_report(filed: dict) -> None:
    got = cells(selectors.rollup("accommodation:guests_by_market", "market", [NOVEMBER], public=False))
    assert got["CN"] == (260, 3, False) and got["DK"] == (150, 1, False) and got["FR"] == (90, 2, False)


def test_a_public_cell_of_fewer_than_three_businesses_is_suppressed(filed: dict, commune_sam_son: Any,
                                                                     commune_other: Any) -> None:
    got = cells(selectors.rollup("accommodation:guests_total", "commune", [NOVEMBER], public=True))
    assert got[str(commune_other.code)] == (None, 1, True)
    # only one cell hidden: the next smallest is hidden too, else the total would give it away
    assert got[str(commune_sam_son.code)] == (None, 3, True)


def test_secondary_suppression_hides_the_smallest_other_cell() -> None:
    table = [selectors.Cell("a", "A", 10, 1), selectors.Cell("b", "B", 500, 5), selectors.Cell("c", "C", 50, 4)]
    selectors.protect(table)
    assert [c.suppressed for c in table] == [True, False, True]
    assert [c.value for c in table] == [None, 500, None]


def test_the_same_period_last_year_is_compared(units: dict, django_capture_on_commit_callbacks: Any,
                                              commune_sam_son: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for unit in ("own", "sam_son_2", "sam_son_3"):
            submit(units[unit], month_values(), start=dt.date(2025, 11, 1))
            submit(units[unit], month_values(scale=2, markets={"CN": 150}), start=NOVEMBER)
    [cell] = selectors.rollup("accommodation:guests_total", "commune", [NOVEMBER], public=True).cells
    assert (cell.value, cell.previous, cell.change_pct) == (6000, 3000, 100.0)


def test_sample_businesses_never_count(
    forms: None, commune_sam_son: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(make_unit("MAU-1", commune_sam_son, sample=True), month_values())
    assert not Aggregate.objects.exists()


def test_a_correction_rebuilds_the_month(filed: dict, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(filed["other"], month_values(scale=2, markets={"DK": 150}))
    rollup = selectors.rollup("accommodation:guests_total", "total", [NOVEMBER], public=False)
    assert rollup.cells[0].value == 5000


def test_the_open_api_applies_confidentiality_in_json_and_csv(filed: dict, client: Any, commune_other: Any) -> None:
    answer = client.get("/api/v1/statistics/figures", {"year": 2026, "month": 11, "by": "commune"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["min_contributors"] == 3
    assert all(c["value"] is None and c["suppressed"] for c in body["cells"])
    assert "contributors" not in body["cells"][0]
    answer = client.get("/api/v1/statistics/figures", {"year": 2026, "month": 11, "by": "market", "format": "csv",
                                                        "indicator": "accommodation:guests_by_market"})
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    by_key = {r["key"]: r for r in rows}
    assert by_key["CN"]["value"] == "260.0" and by_key["DK"]["value"] == "" and by_key["DK"]["suppressed"] == "yes"
    assert by_key["FR"]["value"] == ""


def test_the_public_page_never_shows_a_suppressed_figure(filed: dict, client: Any) -> None:
    page = client.get("/en/statistics/").content.decode()
    assert "Phường Sầm Sơn" in page and "•" in page
    assert "3,000" not in page and "1,000" not in page  # neither commune's guests may be shown
    markets = client.get("/en/statistics/").context["reported"]["by_market"]
    assert {c.key for c in markets.cells if not c.suppressed} == {"CN"}


def test_the_open_api_names_a_bad_parameter(forms: None, client: Any) -> None:
    answer = client.get("/api/v1/statistics/figures", {"year": 2026, "indicator": "hotel:secrets"})
    assert answer.status_code == 422 and "indicator" in answer.content.decode()
    assert client.get("/api/v1/statistics/figures", {"year": 2026, "by": "person"}).status_code == 422
    assert client.get("/api/v1/statistics/figures", {"year": 2026, "quarter": 1, "month": 2}).status_code == 422
    assert client.get("/api/v1/statistics/figures", {"year": 2099}).status_code == 422


def test_the_official_figures_come_with_their_sources(db: Any, client: Any) -> None:
    services.official_figures_load()
    body = client.get("/api/v1/statistics/official").json()
    assert body and all(f["source"].startswith("http") and f["publisher"] for f in body)
    assert {f["status"] for f in body} == {"official", "estimated"}
    visitors_2019 = next(f for f in body if f["year"] == 2019 and f["indicator"] == "visitors_total")
    assert visitors_2019["value"] == 9655000 and visitors_2019["status"] == "estimated"  # said before the year ended
    assert "9.655.000" in visitors_2019["evidence"]
    csv_answer = client.get("/api/v1/statistics/official", {"format": "csv"})
    assert csv_answer["Content-Type"].startswith("text/csv") and b"baothanhhoa.vn" in csv_answer.content


def test_the_open_data_csv_never_hands_a_spreadsheet_a_formula(db: Any, client: Any) -> None:
    services.official_figures_load()
    OfficialFigure.objects.filter(year=2019).update(note='=HYPERLINK("http://evil.example")')
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/statistics/official", {"format": "csv"}).content
                                       .decode("utf-8-sig"))))
    notes = [row[7] for row in rows[1:] if row[0] == "2019"]
    assert notes and all(note == "'=HYPERLINK(\"http://evil.example\")" for note in notes)


def test_two_hidden_single_businesses_are_not_left_to_subtract_each_other() -> None:
    table = [selectors.Cell("a", "A", 500, 5), selectors.Cell("b", "B", 120, 1), selectors.Cell("c", "C", 80, 1),
             selectors.Cell("d", "D", 300, 4)]
    selectors.protect(table)
    assert [c.suppressed for c in table] == [False, True, True, True]  # B + C alone: 2 contributors, so D too


def test_a_year_never_gives_back_a_hidden_month_by_subtraction(units: dict, django_capture_on_commit_callbacks: Any,
                                                               commune_sam_son: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for unit in ("own", "sam_son_2", "sam_son_3"):
            submit(units[unit], month_values(), start=dt.date(2025, 10, 1))
        submit(units["own"], month_values(scale=2), start=dt.date(2025, 11, 1))  # one hotel alone in November
    october = selectors.rollup("accommodation:guests_total", "total", [dt.date(2025, 10, 1)], public=True)
    assert october.cells[0].value == 3000
    year = selectors.rollup("accommodation:guests_total", "total", selectors.months_of(2025), public=True)
    assert year.cells[0].suppressed and year.cells[0].value is None
    quarter = selectors.rollup("accommodation:guests_total", "commune", selectors.months_of(2025, 4), public=True)
    assert all(c.suppressed for c in quarter.cells)
    assert selectors.rollup("accommodation:guests_total", "total", selectors.months_of(2025),
                            public=False).cells[0].value == 5000


def test_last_year_beside_a_public_cell_is_hidden_when_it_had_too_few(units: dict, commune_sam_son: Any,
                                                                      django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(units["own"], month_values(), start=dt.date(2025, 11, 1))  # alone a year before
        for unit in ("own", "sam_son_2", "sam_son_3"):
            submit(units[unit], month_values(), start=NOVEMBER)
    [cell] = selectors.rollup("accommodation:guests_total", "commune", [NOVEMBER], public=True).cells
    assert cell.value == 3000 and cell.previous is None and cell.change_pct is None
    november = selectors.monthly_series("accommodation:guests_total", 2026, public=True)[10]
    assert november["value"] == 3000 and november["previous"] is None
    assert selectors.monthly_series("accommodation:guests_total", 2026, public=False)[10]["previous"] == 1000


def test_businesses_reporting_zero_do_not_count_as_contributors(units: dict,
                                                                django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submit(units["own"], month_values(markets={"CN": 150}))
        for unit in ("sam_son_2", "sam_son_3"):
            values = month_values(markets={}) | {"guests_international": 0, "guests_domestic": 1000}
            del values["guests_by_market"]
            submit(units[unit], values)
    cells = {c.key: c for c in selectors.rollup("accommodation:guests_international", "total", [NOVEMBER],
                                                public=True).cells}
    assert cells["all"].contributors == 1 and cells["all"].suppressed


def test_refreshing_a_month_again_replaces_it_and_reads_every_filing(filed: dict) -> None:
    before = sorted(Aggregate.objects.values_list("dimension", "key", "indicator", "value", "contributors"))
    assert services.refresh_month(NOVEMBER) == services.refresh_month(NOVEMBER) == len(before)
    after = sorted(Aggregate.objects.values_list("dimension", "key", "indicator", "value", "contributors"))
    assert after == before  # the same cells, never twice


def test_the_filing_rate_of_a_month_counts_the_businesses_operating_then(units: dict,
                                                                          django_capture_on_commit_callbacks: Any
                                                                          ) -> None:
    """A hotel opened in December is not expected in November; one closed in December still was."""
    from xuthanh.registry.models import Establishment

    with django_capture_on_commit_callbacks(execute=True):  # the month's roll-up through the queue
        submit(units["own"], month_values())
    assert Aggregate.objects.filter(month=NOVEMBER).exists()
    Establishment.objects.filter(pk=units["sam_son_2"].pk).update(state_since=dt.date(2026, 12, 3))  # opened
    Establishment.objects.filter(pk=units["sam_son_3"].pk).update(state=Establishment.State.CLOSED,
                                                                  state_since=dt.date(2026, 12, 10))
    Establishment.objects.filter(pk=units["other"].pk).update(state=Establishment.State.CLOSED,
                                                              state_since=dt.date(2026, 10, 31))
    october, november, december = dt.date(2026, 10, 1), NOVEMBER, dt.date(2026, 12, 1)
    rows = {r["month"]: r for r in selectors.filing_rate([october, november, december], dt.date(2027, 1, 20))}
    # five units: own and the agency always; sam_son_2 from December; sam_son_3 until December; other until October
    assert [rows[m.isoformat()]["expected"] for m in (october, november, december)] == [4, 3, 4]
    assert rows[november.isoformat()]["filed"] == 1 and rows[november.isoformat()]["rate"] == 33.3
