"""Filing a report: who may, the checks on entry, the late flag around the due day (Asia/Ho_Chi_Minh),
corrections and the audit log, and form versions."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from xuthanh.core.models import AuditEntry
from xuthanh.stats import selectors, services
from xuthanh.stats.models import Report, ReportForm
from xuthanh.stats.tests.conftest import month_values

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOVEMBER = dt.date(2026, 11, 1)
ON_TIME = dt.datetime(2026, 12, 5, 9, 0, tzinfo=VN)


def file(user: Any, unit: Any, values: dict, *, submit: bool = True, now: dt.datetime = ON_TIME,
         start: dt.date = NOVEMBER, confirmed: tuple = ()) -> services.Filing:
    report = services.report_open(unit, "month", start)
    return services.report_file(user=user, report=report, values=values, submit=submit, now=now,
                                confirmed=confirmed)


def audit_notes(report: Report) -> list[str]:
    return list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Report),
                                          object_id=str(report.pk)).order_by("pk").values_list("note", flat=True))


def test_a_business_files_its_month_and_the_occupancy_is_computed(people: dict, units: dict) -> None:
    filing = file(people["business_rep"], units["own"], month_values())
    assert filing.stored and filing.outcome.ok
    report = Report.objects.get(establishment=units["own"])
    assert report.state == "submitted" and not report.late
    assert report.derived["room_occupancy"] == 75.0
    assert report.filed_by == people["business"] and report.submitted_by == people["business_rep"]
    assert report.stars == 3 and report.kind == "accommodation"
    assert audit_notes(report) == ["filing"]


def test_a_business_cannot_file_for_another(people: dict, units: dict) -> None:
    with pytest.raises(services.FilingRefused):
        file(people["business_rep"], units["sam_son_2"], month_values())
    assert not Report.objects.exists()


def test_a_commune_files_for_a_small_operator_in_its_area_only(people: dict, units: dict) -> None:
    filing = file(people["sam_son_editor"], units["sam_son_2"], month_values())
    assert filing.stored
    assert filing.report.filed_by.slug == "ubnd-phuong-sam-son"
    assert "on behalf of the business" in audit_notes(filing.report)[0]
    with pytest.raises(services.FilingRefused):
        file(people["sam_son_editor"], units["other"], month_values())


def test_a_commune_does_not_file_for_a_business_that_files_itself(people: dict, units: dict) -> None:
    with pytest.raises(services.FilingRefused):
        file(people["sam_son_editor"], units["own"], month_values())  # its business has its own representative
    assert not Report.objects.exists()


def test_only_the_department_statisticians_and_administrators_file_for_anyone(people: dict, units: dict) -> None:
    assert file(people["statistician"], units["other"], month_values()).stored
    with pytest.raises(services.FilingRefused):
        file(people["translator"], units["sam_son_3"], month_values())
    with pytest.raises(services.FilingRefused):
        file(people["dept_editor"], units["sam_son_3"], month_values())


def test_an_inconsistent_report_is_not_stored_and_every_problem_names_its_field(people: dict, units: dict) -> None:
    values = month_values() | {"guests_domestic": 1, "room_nights_sold": 5000}
    filing = file(people["business_rep"], units["own"], values)
    assert not filing.stored
    assert {p.field for p in filing.outcome.errors} == {"guests_total", "room_nights_sold"}
    assert not Report.objects.exists() and not AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Report)).exists()


def test_a_draft_keeps_incomplete_figures_without_checking_them(people: dict, units: dict) -> None:
    filing = file(people["business_rep"], units["own"], {"guests_total": 10}, submit=False)
    assert filing.stored and filing.report.state == "draft"
    assert Report.objects.get().values == {"guests_total": 10}


def test_a_month_cannot_be_filed_before_it_is_over(people: dict, units: dict) -> None:
    filing = file(people["business_rep"], units["own"], month_values(), start=dt.date(2026, 12, 1),
                  now=dt.datetime(2026, 12, 31, 23, 0, tzinfo=VN))
    assert not filing.stored and filing.outcome.errors[0].code == "period_open"


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (dt.datetime(2026, 12, 20, 23, 59, tzinfo=VN), False),  # 16:59 UTC: still the 20th in Thanh Hóa
        (dt.datetime(2026, 12, 20, 17, 1, tzinfo=dt.UTC), True),  # 00:01 on the 21st in Thanh Hóa
    ],
)
def test_the_due_day_ends_at_midnight_in_vietnam(people: dict, units: dict, moment: dt.datetime, late: bool) -> None:
    filing = file(people["business_rep"], units["own"], month_values(), now=moment)
    assert filing.report.late is late
    assert audit_notes(filing.report) == ["late filing" if late else "filing"]


def test_december_is_due_on_20_january_of_the_next_year(people: dict, units: dict) -> None:
    moment = dt.datetime(2027, 1, 20, 22, 0, tzinfo=VN)
    filing = file(people["business_rep"], units["own"], month_values(), start=dt.date(2026, 12, 1), now=moment)
    assert filing.stored and not filing.report.late


def test_a_second_submission_is_a_correction_in_the_audit_log(people: dict, units: dict) -> None:
    file(people["business_rep"], units["own"], month_values())
    changed = month_values() | {"revenue_total": 950_000_000, "revenue_domestic": 750_000_000}
    file(people["business_rep"], units["own"], changed, now=ON_TIME + dt.timedelta(days=30))
    report = Report.objects.get()
    assert report.corrections == 1 and report.values["revenue_total"] == 950_000_000
    assert not report.late  # a correction keeps the first filing's punctuality
    assert audit_notes(report) == ["filing", "correction"]
    entry = AuditEntry.objects.filter(note="correction").get()
    assert entry.actor == people["business_rep"] and "values" in entry.changes


def test_a_jump_from_last_year_is_stored_only_once_confirmed(people: dict, units: dict) -> None:
    file(people["business_rep"], units["own"], month_values(), start=dt.date(2025, 11, 1))
    tenfold = month_values() | {"revenue_total": 9_000_000_000, "revenue_international": 2_000_000_000,
                                "revenue_domestic": 7_000_000_000}
    filing = file(people["business_rep"], units["own"], tenfold)
    assert not filing.stored
    assert {p.field for p in filing.outcome.warnings} == {"revenue_total", "revenue_international",
                                                            "revenue_domestic"}
    filing = file(people["business_rep"], units["own"], tenfold,
                  confirmed=("revenue_total", "revenue_international", "revenue_domestic"))
    assert filing.stored and sorted(filing.report.confirmed) == ["revenue_domestic", "revenue_international",
                                                                  "revenue_total"]


def test_a_new_form_version_applies_from_its_date_and_old_reports_keep_theirs(
    people: dict, units: dict, tmp_path: Path
) -> None:
    file(people["business_rep"], units["own"], month_values())
    forms_dir = tmp_path / "forms"
    shutil.copytree(services.DATA / "forms", forms_dir)
    text = (forms_dir / "accommodation-monthly.toml").read_text()
    text = text.replace("version = 1", "version = 2").replace("valid_from = 2022-01-01", "valid_from = 2027-01-01")
    text += '\n[[indicators]]\ncode = "staff_total"\nlabel = { vi = "Lao động", en = "Staff" }\nunit = "people"\n'
    (forms_dir / "accommodation-monthly-v2.toml").write_text(text)
    services.forms_load(forms_dir)
    v1 = ReportForm.objects.get(code="accommodation-monthly", version=1)
    assert v1.valid_to == dt.date(2026, 12, 31)
    assert selectors.forms_at("month", dt.date(2027, 1, 1))["accommodation"].version == 2
    assert selectors.forms_at("month", NOVEMBER)["accommodation"].version == 1
    report = Report.objects.get()
    assert report.form == v1  # filed under version 1, still read and corrected under it
    corrected = file(people["business_rep"], units["own"], month_values(), now=ON_TIME + dt.timedelta(days=2))
    assert corrected.stored and corrected.report.form == v1
    january = file(people["business_rep"], units["own"], month_values(), start=dt.date(2027, 1, 1),
                   now=dt.datetime(2027, 2, 3, tzinfo=VN))
    assert [p.field for p in january.outcome.errors] == ["staff_total"]


def test_a_version_with_reports_cannot_be_changed_in_place(people: dict, units: dict, tmp_path: Path) -> None:
    file(people["business_rep"], units["own"], month_values())
    forms_dir = tmp_path / "forms"
    shutil.copytree(services.DATA / "forms", forms_dir)
    path = forms_dir / "accommodation-monthly.toml"
    path.write_text(path.read_text().replace("jump_factor = 3", "jump_factor = 4"))
    with pytest.raises(services.FormDataError, match="new version"):
        services.forms_load(forms_dir)
