"""The back-office statistics pages and the public statistics page: who sees what, the entry form's
messages, the exports and the import (all rows or none)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from xuthanh.core.models import AuditEntry
from xuthanh.stats import services
from xuthanh.stats.models import Aggregate, Report
from xuthanh.stats.tests.conftest import month_values

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_back_office(client: Any) -> None:
    """The back office answers in the browser's language (Vietnamese by default): these tests read English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


URL = "/admin/stats/report/{code}/month/2026-11/"


def post_values(values: dict, **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for code, value in values.items():
        if isinstance(value, dict):
            data.update({f"{code}__{m}": n for m, n in value.items()})
        else:
            data[code] = value
    return {**data, **extra}


def test_a_business_files_a_month_through_the_form(client: Any, people: dict, units: dict) -> None:
    client.force_login(people["business_rep"])
    page = client.get(URL.format(code="LT-001"))
    assert page.status_code == 200 and "Guests served, total" in page.content.decode()
    answer = client.post(URL.format(code="LT-001"), post_values(month_values(), submit="1"))
    assert answer.status_code == 302
    report = Report.objects.get()
    assert report.state == "submitted" and report.values["guests_by_market"] == {"CN": 60, "KR": 50, "FR": 40}
    assert "75.0 %" in client.get(URL.format(code="LT-001")).content.decode()


def test_the_form_names_each_wrong_figure_and_stores_nothing(client: Any, people: dict, units: dict) -> None:
    client.force_login(people["business_rep"])
    values = month_values() | {"guests_domestic": 10, "rooms_available": 41}
    page = client.post(URL.format(code="LT-001"), post_values(values, submit="1"))
    text = page.content.decode()
    assert page.status_code == 200 and not Report.objects.exists()
    assert "“Guests served, total” is 1,000 but must equal" in text
    assert "“Rooms available” is 41 but cannot exceed “registered rooms” = 40." in text
    page = client.post(URL.format(code="LT-001"), post_values(month_values(), submit="1", guests_total="lots"))
    assert page.status_code == 200 and "Enter a whole number." in page.content.decode()


def test_another_business_report_is_forbidden_and_unchanged(client: Any, people: dict, units: dict) -> None:
    services.report_file(user=None, report=services.report_open(units["sam_son_2"], "month", dt.date(2026, 11, 1)),
                         values=month_values(), submit=True)
    client.force_login(people["business_rep"])
    assert client.get(URL.format(code="LT-002")).status_code == 403
    assert client.post(URL.format(code="LT-002"), post_values(month_values() | {"guests_total": 5},
                                                              submit="1")).status_code == 403
    assert Report.objects.get().values["guests_total"] == 1000
    assert client.get("/admin/stats/").status_code == 403
    assert client.get("/admin/stats/export/year.xlsx?year=2026").status_code == 403


@pytest.mark.parametrize("who", ["translator", "dept_editor", "business_rep", "sam_son_editor"])
def test_the_province_figures_are_for_statisticians_and_administrators(client: Any, people: dict, units: dict,
                                                                      who: str) -> None:
    client.force_login(people[who])
    for url in ("/admin/stats/", "/admin/stats/export/year.xlsx?year=2026", "/admin/stats/import/",
                "/admin/stats/export/department.xlsx?year=2026"):
        assert client.get(url).status_code == 403, url


def test_a_commune_officer_sees_only_its_communes(client: Any, people: dict, units: dict, commune_sam_son: Any,
                                                   commune_other: Any) -> None:
    client.force_login(people["sam_son_editor"])
    page = client.get("/admin/stats/file/").content.decode()
    assert "LT-002" in page or "Cơ sở LT-002" in page
    assert "Cơ sở LT-004" not in page and "Cơ sở LH-001" not in page
    assert "/admin/stats/report/LT-002/" in page and "/admin/stats/report/LT-001/" not in page  # LT-001 files itself
    assert "Cơ sở LT-001" in page  # but its state is in view
    assert client.get(f"/admin/stats/commune/{commune_sam_son.code}/").status_code == 200
    assert client.get(f"/admin/stats/commune/{commune_other.code}/").status_code == 403
    assert client.get(URL.format(code="LT-004")).status_code == 403


def test_the_late_list_names_who_has_not_filed_after_the_due_day(client: Any, people: dict, units: dict) -> None:
    services.report_file(user=None, report=services.report_open(units["own"], "month", dt.date(2026, 10, 1)),
                         values=month_values(), submit=True)
    client.force_login(people["dept_editor"])
    page = client.get("/admin/stats/late/?month=2026-10").content.decode()
    assert "Cơ sở LT-002" in page and "Cơ sở LH-001" in page and "Cơ sở LT-001" not in page


def test_the_dashboard_draws_the_figures_for_the_department(client: Any, people: dict, units: dict,
                                                            django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for code in ("own", "sam_son_2", "sam_son_3"):
            services.report_file(user=None, report=services.report_open(units[code], "month", dt.date(2026, 11, 1)),
                                 values=month_values(), submit=True)
    client.force_login(people["statistician"])
    page = client.get("/admin/stats/?year=2026")
    text = page.content.decode()
    assert page.status_code == 200 and 'id="stats-data"' in text and "chart.umd.min.js" in text
    assert "Phường Sầm Sơn" in text and "3,000" in text
    chart = page.context["chart"]
    assert chart["guests"][10]["value"] == 3000 and chart["communes"][0]["name"] == "Phường Sầm Sơn"
    assert client.get("/admin/stats/?year=abc&quarter=9").status_code == 200


def test_the_year_export_opens_and_imports_back(client: Any, people: dict, units: dict) -> None:
    services.report_file(user=None, report=services.report_open(units["own"], "month", dt.date(2026, 11, 1)),
                         values=month_values(), submit=True)
    client.force_login(people["statistician"])
    answer = client.get("/admin/stats/export/year.xlsx?year=2026")
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert rows[1][header.index("code")] == "LT-001" and rows[1][header.index("guests_by_market:CN")] == 60
    exported = answer.content
    answer = client.post("/admin/stats/import/", {"file": io.BytesIO(exported)})
    assert answer.status_code == 302
    assert Report.objects.get().corrections == 0  # the same figures again: left as they are
    book = load_workbook(io.BytesIO(exported))
    book.active.cell(row=2, column=header.index("revenue_total") + 1, value=950_000_000)
    book.active.cell(row=2, column=header.index("revenue_domestic") + 1, value=750_000_000)
    changed = io.BytesIO()
    book.save(changed)
    changed.seek(0)
    assert client.post("/admin/stats/import/", {"file": changed}).status_code == 302
    report = Report.objects.get()
    assert report.corrections == 1 and report.values["revenue_total"] == 950_000_000
    entry = AuditEntry.objects.filter(object_id=str(report.pk), note__startswith="import").latest("pk")
    assert entry.changes == {"values.revenue_domestic": [700_000_000, 750_000_000],
                             "values.revenue_total": [900_000_000, 950_000_000]}  # each figure before and after
    summary = client.get("/admin/stats/export/department.xlsx?year=2026&quarter=4")
    assert load_workbook(io.BytesIO(summary.content)).sheetnames[0] == "Summary"


def workbook(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "reports.xlsx"
    return out


def test_an_import_with_bad_rows_names_them_all_and_stores_nothing(client: Any, people: dict, units: dict) -> None:
    good = month_values()
    columns = [k for k in good if k != "guests_by_market"]
    header = ["code", "month", *columns]
    rows = [
        header,
        ["LT-001", "2026-10", *[good[c] for c in columns]],
        ["LT-999", "2026-10", *[good[c] for c in columns]],
        ["LT-002", "2026-13", *[good[c] for c in columns]],
        ["LT-003", "2026-10", *[good[c] if c != "guests_day" else 7 for c in columns]],
        ["LT-003", "2026-09", *[good[c] if c != "revenue_total" else "much" for c in columns]],
    ]
    client.force_login(people["statistician"])
    page = client.post("/admin/stats/import/", {"file": workbook(rows)})
    text = page.content.decode()
    assert "line 3, column “code”: no establishment “LT-999” in the register" in text
    assert "line 4, column “month”: write the month as YYYY-MM" in text
    assert "line 5, column “guests_total”" in text
    assert "line 6, column “revenue_total”: not a whole number" in text
    assert not Report.objects.exists() and not Aggregate.objects.exists()
    page = client.post("/admin/stats/import/", {"file": workbook([["code", "month", "secret"]])})
    assert "column “secret”: unknown column" in page.content.decode()
    page = client.post("/admin/stats/import/", {"file": io.BytesIO(b"not a workbook")})
    assert "not a readable XLSX" in page.content.decode()


def test_the_public_page_shows_published_figures_with_sources_and_estimates(client: Any, db: Any) -> None:
    services.official_figures_load()
    page = client.get("/en/statistics/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "9,655,000" in text and "baothanhhoa.vn" in text and "(estimate)" in text
    assert "fewer than 3 establishments" in text
    assert client.get("/vi/statistics/").status_code == 200


def test_the_report_list_shows_each_user_only_the_reports_in_its_scope(client: Any, people: dict,
                                                                       units: dict) -> None:
    for code in ("own", "sam_son_2", "other"):
        services.report_file(user=None, report=services.report_open(units[code], "month", dt.date(2026, 11, 1)),
                             values=month_values(), submit=True)
    seen = {}
    for who in ("business_rep", "sam_son_editor", "statistician"):
        client.force_login(people[who])
        page = client.get("/admin/stats/report/")
        assert page.status_code == 200
        seen[who] = {r.establishment.code for r in page.context["cl"].result_list}
    assert seen == {"business_rep": {"LT-001"}, "sam_son_editor": {"LT-001", "LT-002"},
                    "statistician": {"LT-001", "LT-002", "LT-004"}}
    client.force_login(people["business_rep"])
    other = Report.objects.get(establishment=units["other"])
    assert client.get(f"/admin/stats/report/{other.pk}/change/").status_code in (302, 403, 404)


def test_the_import_files_as_the_entry_form_would(client: Any, people: dict, units: dict) -> None:
    good = month_values(markets={"CN": 150})
    columns = [k for k in good if k != "guests_by_market"]
    header = ["code", "month", *columns, "guests_by_market:CN", "confirmed", "state"]

    def row(code: str, month: str, **changes: Any) -> list[Any]:
        values = good | changes
        return [code, month, *[values[c] for c in columns], 150, changes.get("confirmed", ""),
                changes.get("state", "")]

    services.report_file(user=None, report=services.report_open(units["own"], "month", dt.date(2025, 10, 1)),
                         values=month_values(markets={"CN": 150}), submit=True)
    client.force_login(people["statistician"])
    tenfold = {"revenue_total": 9_000_000_000, "revenue_international": 2_000_000_000,
               "revenue_domestic": 7_000_000_000}
    page = client.post("/admin/stats/import/", {"file": workbook([
        header, row("LT-001", "2026-10", **tenfold), row("LT-002", "2026-10", guests_total="1,5"),
        row("LT-003", "2026-10", state="draft"),
    ])}).content.decode()
    assert "line 2, column “revenue_total”" in page and "to keep it, add “revenue_total” to the column" in page
    assert "line 3, column “guests_total”: not a whole number" in page
    assert Report.objects.count() == 1
    answer = client.post("/admin/stats/import/", {"file": workbook([
        header, row("LT-001", "2026-10", **tenfold, confirmed="revenue_total, revenue_international, revenue_domestic"),
        row("LT-002", "2026-10", guests_total="1.000"), row("LT-003", "2026-10", state="draft"),
    ])})
    assert answer.status_code == 302
    filed = {r.establishment.code: r for r in Report.objects.filter(period_start=dt.date(2026, 10, 1))}
    assert set(filed) == {"LT-001", "LT-002"}  # the draft row is left out
    assert filed["LT-001"].confirmed == ["revenue_domestic", "revenue_international", "revenue_total"]
    assert filed["LT-002"].filed_by.kind == "department" and filed["LT-002"].values["guests_total"] == 1000


def test_only_those_who_may_file_import(client: Any, people: dict, units: dict) -> None:
    from xuthanh.stats import exports

    good = month_values()
    columns = [k for k in good if k != "guests_by_market"]
    data = workbook([["code", "month", *columns], ["LT-002", "2026-10", *[good[c] for c in columns]]]).getvalue()
    outcome = exports.import_xlsx(data, actor=people["business_rep"])
    assert [str(e) for e in outcome.errors] == [
        "line 2, column “code”: you may not file reports for this establishment"
    ]
    assert not Report.objects.exists()


@pytest.mark.parametrize("url", ["/admin/stats/report/LT-001/month/9999-12/", "/admin/stats/report/LT-001/year/9999/",
                                 "/admin/stats/report/LT-001/month/2026-13/", "/admin/stats/report/LT-001/week/1/",
                                 "/admin/stats/report/LT-001/year/x/", "/admin/stats/report/NOPE/month/2026-10/"])
def test_a_period_or_code_out_of_range_is_not_found(client: Any, people: dict, units: dict, url: str) -> None:
    client.force_login(people["statistician"])
    assert client.get(url).status_code == 404
