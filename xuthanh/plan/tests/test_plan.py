"""The plan as shipped adds up to the figures it writes; its tasks keep their original lead and take a current
one; money is recorded by the lead unit only, never spent beyond the allocation, and bad amounts are refused
with a message; yearly reports, their deadline before 15 December (Vietnam's time), lateness and reminders;
proposals to amend the plan; targets computed from live data ("no data" where nothing provides them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xuthanh.orgs.models import Membership, Organisation, Role
from xuthanh.plan import loader, selectors, services, targets
from xuthanh.plan.models import Amendment, Measure, Money, Report, Task

pytestmark = pytest.mark.django_db

# the plan's appendix, in million VND: (total, provincial, district, socialised)
TASKS = {
    "I.1": (1000, 1000, 0, 0), "I.2": (2000, 1000, 0, 1000), "I.3": (600, 0, 0, 600),
    "II.1": (1200, 0, 600, 600), "II.2": (2000, 500, 500, 1000), "II.3": (2000, 0, 0, 2000),
    "III.1": (1000, 600, 0, 400), "III.2": (500, 0, 0, 500), "IV.1": (600, 0, 200, 400), "IV.2": (600, 0, 200, 400),
}
SECTIONS = {"I": (3600, 2000, 0, 1600), "II": (5200, 500, 1100, 3600), "III": (1500, 600, 0, 900),
            "IV": (1200, 0, 400, 800)}


@pytest.fixture
def plan(department):  # noqa: ANN001, ANN201
    return loader.load()


def figures(obj) -> tuple[int, int, int, int]:  # noqa: ANN001
    return (obj.total, obj.provincial, obj.district, obj.socialised)


def test_the_shipped_plan_adds_up_to_its_own_figures(plan) -> None:  # noqa: ANN001
    assert figures(plan) == (11_500, 3_100, 1_500, 6_900)
    assert {t.code: figures(t) for t in plan.tasks.exclude(total=0)} == TASKS
    assert {s.code: figures(s) for s in plan.sections.all()} == SECTIONS
    assert selectors.adds_up(plan) == []
    sums = selectors.sums_by_section(plan)
    assert tuple(sums["*"][k] for k in ("total", "provincial", "district", "socialised")) == figures(plan)
    # the text items without a budget line are tasks too
    assert set(plan.tasks.filter(total=0).values_list("code", flat=True)) == {"III.1-HT", "III.2-WEB", "4.1"}
    assert {o.year for o in plan.objectives.all()} == {2020, 2025} and plan.objectives.count() == 5
    assert loader.load().pk == plan.pk and plan.tasks.count() == 13  # idempotent


def test_a_changed_figure_is_found(plan) -> None:  # noqa: ANN001
    Task.objects.filter(code="II.3").update(total=2100, socialised=2100)
    assert selectors.adds_up(plan) == ["II total: 5300 ≠ 5200", "II socialised: 3700 ≠ 3600",
                                       "plan total: 11600 ≠ 11500", "plan socialised: 7000 ≠ 6900"]


def test_leads_original_and_current(plan, department) -> None:  # noqa: ANN001
    narration = plan.tasks.get(code="II.1")
    assert narration.district_led and narration.lead is None  # the districts are gone: the department chooses
    assert "UBND các huyện" in narration.lead_original
    assert plan.tasks.get(code="I.3").lead == department
    promotion = Organisation.objects.filter(kind=Organisation.Kind.PROMOTION_CENTRE).first()
    if promotion is not None:
        assert plan.tasks.get(code="II.2").lead == promotion


@pytest.fixture
def unit(plan, people):  # noqa: ANN001, ANN201
    """A site board now leading II.1 (narration), with an editor."""
    board = Organisation.objects.create(name="Ban quản lý Di tích Thành nhà Hồ", slug="bql-thanh-nha-ho",
                                        kind=Organisation.Kind.SITE_BOARD, email="bql@example.org")
    editor = people["outsider"]
    Membership.objects.create(user=editor, organisation=board, role=Role.EDITOR)
    Task.objects.filter(code="II.1").update(lead=board)
    return board, editor


def test_money_is_recorded_by_the_lead_unit_and_never_spent_beyond_its_allocation(plan, unit, people) -> None:  # noqa: ANN001, E501
    board, editor = unit
    task = Task.objects.get(code="II.1")
    other = Task.objects.get(code="I.1")
    when = dt.date(2024, 3, 1)
    with pytest.raises(services.PlanError, match="Only the unit leading task I.1"):
        services.record_money(other, editor, year=2024, kind="allocated", source="district", amount=10,
                              document="1/QĐ", document_date=when)
    with pytest.raises(services.PlanError, match="would pass the 0 allocated"):
        services.record_money(task, editor, year=2024, kind="spent", source="district", amount=1,
                              document="2/HĐ", document_date=when)
    services.record_money(task, editor, year=2024, kind="allocated", source="district", amount="120,5",
                          document="123/QĐ-UBND", document_date=when)
    services.record_money(task, editor, year=2024, kind="spent", source="district", amount=100,
                          document="45/HĐ", document_date=when)
    with pytest.raises(services.PlanError, match="100 \\+ 21 million VND spent would pass the 120.5 allocated"):
        services.record_money(task, editor, year=2024, kind="spent", source="district", amount=21,
                              document="46/HĐ", document_date=when)
    for bad, message in [(-5, "cannot be negative"), ("abc", "is not an amount"), (0, "more than zero"),
                         ("1.2345", "at most three decimals"), ("NaN", "cannot be negative|not an amount")]:
        with pytest.raises(services.PlanError, match=message):
            services.record_money(task, editor, year=2024, kind="allocated", source="district", amount=bad,
                                  document="9/QĐ", document_date=when)
    with pytest.raises(services.PlanError, match="outside it"):
        services.record_money(task, editor, year=2019, kind="allocated", source="district", amount=1,
                              document="9/QĐ", document_date=when)
    with pytest.raises(services.PlanError, match="number of the document"):
        services.record_money(task, editor, year=2024, kind="allocated", source="district", amount=1,
                              document=" ", document_date=when)
    assert Money.objects.count() == 2  # nothing half-stored
    assert services.totals(task, 2024) == {("allocated", "district"): Decimal("120.5"),
                                           ("spent", "district"): Decimal("100")}
    found = selectors.budget(plan)
    i = found.years.index(2024)
    assert found.allocated["district"][i] == 120.5 and found.spent["district"][i] == 100.0
    assert found.totals["provincial"]["planned"] == pytest.approx(3100)  # spread over years, same total


def test_yearly_reports_only_for_ones_own_tasks_and_sent_once(plan, unit, people) -> None:  # noqa: ANN001
    board, editor = unit
    task = Task.objects.get(code="II.1")
    with pytest.raises(services.PlanError, match="does not lead task I.1"):
        services.save_report(Task.objects.get(code="I.1"), board, editor, 2025, done="x")
    with pytest.raises(services.PlanError, match="Only"):
        services.save_report(task, board, people["sam_son_editor"], 2025, done="x")
    draft = services.save_report(task, board, editor, 2025, done="", spent_district="12.5", progress=40)
    assert draft.state == Report.State.DRAFT and draft.spent_district == Decimal("12.5")
    with pytest.raises(services.PlanError, match="Say what was done"):
        services.save_report(task, board, editor, 2025, send=True)
    with pytest.raises(services.PlanError, match="cannot be negative"):
        services.save_report(task, board, editor, 2025, spent_socialised=-1)
    with pytest.raises(services.PlanError, match="0 to 100"):
        services.save_report(task, board, editor, 2025, progress=140)
    sent = services.save_report(task, board, editor, 2025, send=True,
                                done="Thuyết minh tự động tại Thành nhà Hồ bằng 4 thứ tiếng.")
    assert sent.state == Report.State.SENT and sent.sent_at
    with pytest.raises(services.PlanError, match="ask the department"):
        services.save_report(task, board, editor, 2025, done="changed")
    fixed = services.save_report(task, board, people["dept_editor"], 2025, done="corrected by the department")
    assert fixed.done == "corrected by the department" and Report.objects.count() == 1


def test_the_deadline_is_the_start_of_15_december_in_vietnam(plan, unit, settings) -> None:  # noqa: ANN001
    board, editor = unit
    due = services.deadline(2025)
    assert due.isoformat() == "2025-12-15T00:00:00+07:00"
    assert due == dt.datetime(2025, 12, 14, 17, 0, tzinfo=dt.UTC)
    task = Task.objects.get(code="II.1")
    before = dt.datetime(2025, 12, 14, 16, 59, 59, tzinfo=dt.UTC)  # 23:59:59 in Hà Nội
    rows = {r["task"].code: r for r in services.lateness(2025, before)}
    assert rows["II.1"]["late"] is False and rows["II.1"]["unit"] == board
    rows = {r["task"].code: r for r in services.lateness(2025, due)}
    assert rows["II.1"]["late"] is True
    assert "III.2" not in rows  # contests: 2020, 2022, 2024 only
    report = services.save_report(task, board, editor, 2025, send=True, done="Xong.")
    Report.objects.filter(pk=report.pk).update(sent_at=before)
    assert {r["task"].code: r for r in services.lateness(2025, due + dt.timedelta(days=3))}["II.1"]["late"] is False
    Report.objects.filter(pk=report.pk).update(sent_at=due)
    assert {r["task"].code: r for r in services.lateness(2025, due + dt.timedelta(days=3))}["II.1"]["late"] is True


def test_reminders_before_the_deadline_and_when_late_once_each(plan, unit, settings, mailoutbox) -> None:  # noqa: ANN001
    board, _editor = unit
    settings.PLAN_REMINDER_DAYS = 10
    assert services.reminders_send(dt.date(2025, 11, 20)) == {"before": 0, "late": 0, "failed": 0}
    assert services.reminders_send(dt.date(2025, 12, 6))["before"] >= 1
    assert [m.to for m in mailoutbox if "bql@example.org" in m.to] == [["bql@example.org"]]
    assert "II.1" in next(m.body for m in mailoutbox if m.to == ["bql@example.org"])
    assert services.reminders_send(dt.date(2025, 12, 7))["before"] == 0  # once
    assert services.reminders_send(dt.date(2025, 12, 15))["late"] >= 1
    assert services.reminders_send(dt.date(2025, 12, 16))["late"] == 0


def test_a_proposal_to_amend_goes_through_the_department_to_the_chairman(plan, unit, people) -> None:  # noqa: ANN001
    board, editor = unit
    task = Task.objects.get(code="II.1")
    with pytest.raises(services.PlanError, match="what to change and why"):
        services.propose(task, editor, proposal="", reason="")
    made = services.propose(task, editor, proposal="Thêm tiếng Hàn.", reason="Khách Hàn Quốc tăng.")
    with pytest.raises(services.PlanError, match="department reviews"):
        services.review(made, editor, "ok")
    with pytest.raises(services.PlanError, match="cannot go to that step"):
        services.decide(made, people["dept_editor"], accepted=True, decision="1/QĐ", decision_date=dt.date.today())
    made = services.review(made, people["dept_editor"], "Đề nghị chấp thuận.")
    with pytest.raises(services.PlanError, match="number of the Chairman"):
        services.decide(made, people["dept_editor"], accepted=True, decision="", decision_date=dt.date.today())
    made = services.decide(made, people["dept_editor"], accepted=True, decision="456/QĐ-UBND",
                           decision_date=dt.date(2026, 3, 1))
    assert made.state == Amendment.State.ACCEPTED and made.decision == "456/QĐ-UBND"


def test_targets_come_from_live_data_and_say_no_data_where_nothing_provides_them(plan) -> None:  # noqa: ANN001
    from xuthanh.catalog.models import Place
    from xuthanh.guide.models import Narration

    site = Place.objects.get(slug="thanh-nha-ho")
    Place.objects.filter(pk=site.pk).update(key_site=True)
    Narration.objects.filter(place=site).delete()
    found = targets.compute()
    assert set(found) == set(Measure.values)
    assert found[Measure.TRAINED].value is None and found[Measure.STUDY_TOURS].value is None
    assert found[Measure.MOBILE_APP].value == 100.0  # the Thanh Hóa data is published
    before = found[Measure.NARRATION]
    narration = Narration.objects.create(place=site)
    for lang in targets.NARRATION_LANGUAGES:
        narration.set_current_language(lang)
        narration.script = f"script {lang}"
        narration.save()
    after = targets.compute()[Measure.NARRATION]
    key_sites = Place.objects.filter(key_site=True).count()
    assert after.value == pytest.approx(before.value + round(100 / key_sites, 1), abs=0.2)
    assert found[Measure.CONTESTS].goal == 3.0


def test_the_dashboard_and_the_public_page(client, plan, unit, people) -> None:  # noqa: ANN001
    board, editor = unit
    task = Task.objects.get(code="II.1")
    services.save_report(task, board, editor, 2025, done="Bản nháp chưa gửi: không công khai.")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dept_editor"])
    page = client.get("/admin/plan/plan/dashboard/?year=2025").content.decode()
    assert "budget-data" in page and "no data" in page and "bql-thanh-nha-ho" not in page
    assert "Ban quản lý Di tích Thành nhà Hồ" in page  # II.1's lead and its report owed
    assert client.get("/admin/plan/plan/dashboard/?year=abc").status_code == 200
    client.logout()
    for lang in ("vi", "en", "zh-hans", "fr"):
        answer = client.get(f"/{lang}/plan/")
        assert answer.status_code == 200
        text = answer.content.decode()
        assert "11500" in text and "115/KH-UBND" in text and "plan-data" in text
        assert "Bản nháp chưa gửi" not in text  # no draft on the public page
    assert client.get("/admin/plan/plan/dashboard/").status_code == 302  # the back office: signed in


def test_units_act_on_their_own_tasks_in_the_back_office(client, plan, unit, people) -> None:  # noqa: ANN001
    board, editor = unit
    task = Task.objects.get(code="II.1")
    other = Task.objects.get(code="I.1")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(editor)
    form = client.get("/admin/plan/money/add/").content.decode()
    assert f'value="{task.pk}"' in form and f'value="{other.pk}"' not in form
    answer = client.post("/admin/plan/money/add/", {"task": other.pk, "year": 2024, "kind": "allocated",
                                                   "source": "district", "amount": "5", "document": "1/QĐ",
                                                   "document_date": "2024-03-01"})
    assert answer.status_code == 200 and not Money.objects.exists()
    answer = client.post("/admin/plan/money/add/", {"task": task.pk, "year": 2024, "kind": "spent",
                                                   "source": "district", "amount": "5", "document": "1/HĐ",
                                                   "document_date": "2024-03-01"})
    assert answer.status_code == 200 and "would pass the 0 allocated" in answer.content.decode()
    answer = client.post("/admin/plan/money/add/", {"task": task.pk, "year": 2024, "kind": "allocated",
                                                   "source": "district", "amount": "-5", "document": "1/QĐ",
                                                   "document_date": "2024-03-01"})
    assert answer.status_code == 200 and not Money.objects.exists()
    answer = client.post("/admin/plan/money/add/", {"task": task.pk, "year": 2024, "kind": "allocated",
                                                   "source": "district", "amount": "5", "document": "1/QĐ",
                                                   "document_date": "2024-03-01"})
    assert answer.status_code == 302 and Money.objects.get().amount == Decimal("5")
    answer = client.post("/admin/plan/report/add/", {"task": task.pk, "year": 2025, "done": "", "send": "on",
                                                    "spent_provincial": 0, "spent_district": 0,
                                                    "spent_socialised": 0, "progress": 10})
    assert answer.status_code == 200 and "Say what was done" in answer.content.decode()
    answer = client.post("/admin/plan/report/add/", {"task": task.pk, "year": 2025, "done": "Đã làm.",
                                                    "send": "on", "spent_provincial": 0, "spent_district": 0,
                                                    "spent_socialised": 0, "progress": 10})
    assert answer.status_code == 302 and Report.objects.get().state == Report.State.SENT
    assert client.get(f"/admin/plan/task/{other.pk}/change/").status_code in (200, 403)
    answer = client.post(f"/admin/plan/task/{other.pk}/change/", {"status": "done", "progress": 100})
    assert Task.objects.get(pk=other.pk).status != Task.Status.DONE


def test_the_consolidated_report_as_docx_pdf_and_xlsx(client, plan, unit, people) -> None:  # noqa: ANN001
    import io

    from docx import Document
    from openpyxl import load_workbook

    board, editor = unit
    task = Task.objects.get(code="II.1")
    services.record_money(task, editor, year=2025, kind="allocated", source="district", amount=200,
                          document="12/QĐ-UBND", document_date=dt.date(2025, 2, 1))
    services.record_money(task, editor, year=2025, kind="spent", source="district", amount="150.25",
                          document="7/HĐ", document_date=dt.date(2025, 6, 1))
    services.save_report(task, board, editor, 2025, send=True, done="Thuyết minh tự động tại Thành nhà Hồ.",
                         difficulties="Thiếu người thu âm tiếng Pháp.", proposals="Bổ sung kinh phí.")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(editor)
    assert client.get("/admin/plan/plan/report/?year=2025").status_code == 403  # the department's
    client.force_login(people["dept_editor"])
    answer = client.get("/admin/plan/plan/report/?year=2025&number=35&format=docx")
    assert answer.status_code == 200 and answer["Content-Disposition"].endswith('.docx"')
    doc = Document(io.BytesIO(answer.content))  # opens with a real library
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in cells[1]
    assert "Số: 35/BC-SVHTTDL" in cells[0] and "Thanh Hóa, ngày" in cells[1]
    assert "BÁO CÁO" in text and "115/KH-UBND" in text and "Thuyết minh tự động tại Thành nhà Hồ." in text
    assert "Thiếu người thu âm tiếng Pháp." in text and "Bổ sung kinh phí." in text
    assert ["II.1", "Ngân sách huyện", "120", "200", "150,25"] in [
        [c.text for c in row.cells] for t in doc.tables for row in t.rows]  # 600 over 2021–2025: 120 a year
    assert "không có dữ liệu" in cells  # people trained: no capability yet
    book = load_workbook(io.BytesIO(client.get("/admin/plan/plan/report/?year=2025&format=xlsx").content))
    assert [r for r in book["money"].iter_rows(values_only=True) if r[:2] == ("II.1", "district")] == [
        ("II.1", "district", 120.0, 200.0, 150.25, "sent")]
    pdf = client.get("/admin/plan/plan/report/?year=2025&format=pdf")
    if pdf.status_code == 200:
        assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    else:  # no Unicode font on this machine: said, and the DOCX has it
        assert pdf.status_code == 302
    for bad in ("year=abc", "year=1990", "year=2025&format=exe"):
        assert client.get(f"/admin/plan/plan/report/?{bad}").status_code == 302


def test_what_the_review_found(client, plan, unit, people, department) -> None:  # noqa: ANN001
    """A business sees nothing of the plan's back office; a far year does not break the dashboard; an existing
    report keeps its task, year and unit (a correction after the lead changed); a proposal's fields change only
    with a step; control characters pasted from a word processor do not break the files; figures are written
    without float artefacts."""
    from xuthanh.plan import document

    board, editor = unit
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["business_rep"])
    assert client.get("/admin/plan/money/").status_code == 403
    assert client.get("/admin/plan/plan/dashboard/").status_code == 403
    client.force_login(people["dept_editor"])
    for year in ("0", "-1", "10000", "2025"):
        assert client.get(f"/admin/plan/plan/dashboard/?year={year}").status_code == 200

    task = Task.objects.get(code="II.1")
    report = services.save_report(task, board, editor, 2025, send=True, done="Đã làm\x0b\x0c xong.")
    assert report.done == "Đã làm xong."
    other_board = Organisation.objects.create(name="UBND xã Vĩnh Lộc", slug="ubnd-xa-vinh-loc-plan",
                                              kind=Organisation.Kind.COMMUNE)
    Task.objects.filter(pk=task.pk).update(lead=other_board)  # the lead changed: the old report stays the board's
    answer = client.post(f"/admin/plan/report/{report.pk}/change/", {
        "done": "Corrected by the department.", "spent_provincial": 0, "spent_district": 0, "spent_socialised": 0,
        "difficulties": "", "proposals": "", "progress": 60, "task": Task.objects.get(code="I.1").pk,
        "year": 2024})
    assert answer.status_code == 302
    stored = Report.objects.get()
    assert (stored.task_id, stored.unit_id, stored.year, stored.done) == (task.pk, board.pk, 2025,
                                                                          "Corrected by the department.")

    made = services.propose(Task.objects.get(code="I.1"), people["dept_editor"], proposal="Thêm Zalo.",
                            reason="Khách trong nước dùng Zalo.")
    answer = client.post(f"/admin/plan/amendment/{made.pk}/change/", {"review": "ok", "step": ""})
    assert answer.status_code == 200 and "Choose the next step" in answer.content.decode()
    answer = client.post(f"/admin/plan/amendment/{made.pk}/change/", {"review": "Đồng ý.", "step": "review"})
    assert answer.status_code == 302 and Amendment.objects.get().state == Amendment.State.REVIEWED

    assert document._n(round(2 / 3 * 100, 1)) == "66,7" and document._n(Decimal("1234.5")) == "1.234,5"
    import io

    from docx import Document

    Report.objects.filter(pk=report.pk).update(difficulties="Giấy tờ\x0c dán từ Word")  # stored before the check
    found = selectors.consolidated(plan, 2025)
    text = "\n".join(p.text for p in Document(io.BytesIO(document.docx_bytes(found, "1"))).paragraphs)
    assert "Corrected by the department." in text and "Giấy tờ dán từ Word" in text


def test_the_forms_read_amounts_with_a_comma_or_a_point_in_every_language() -> None:
    from django import forms
    from django.utils import translation

    from xuthanh.plan.admin import MoneyForm

    field = MoneyForm.base_fields["amount"]
    with translation.override("vi"):  # where "." groups thousands: "12.5" must not become 125
        assert field.clean("12,5") == Decimal("12.5") and field.clean("12.5") == Decimal("12.5")
        with pytest.raises(forms.ValidationError, match="không phải là số tiền|not an amount"):
            field.clean("1.234,5")


def inline_form(task, **rows) -> dict:  # noqa: ANN001, ANN003
    """The task's change form as posted: its own fields unchanged, and the inline rows given."""
    data = {"status": task.status, "progress": task.progress, "title": "Thí điểm thuyết minh tự động",
            "study_tours": []}
    for prefix in ("milestones", "evidence", "risks"):
        found = rows.get(prefix, [])
        data.update({f"{prefix}-TOTAL_FORMS": len(found), f"{prefix}-INITIAL_FORMS": 0,
                     f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})
        for i, row in enumerate(found):
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def test_milestones_evidence_and_risks_are_kept_by_the_lead_unit_and_audited(client, plan, unit, people) -> None:  # noqa: ANN001, E501
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xuthanh.core.models import AuditEntry
    from xuthanh.plan.models import Evidence, Milestone, Risk

    board, editor = unit
    task = Task.objects.get(code="II.1")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(editor)
    page = client.get(f"/admin/plan/task/{task.pk}/change/").content.decode()
    assert "now, from the platform" in page.lower() and "key sites narrated" in page  # its measure, live
    bad = client.post(f"/admin/plan/task/{task.pk}/change/", inline_form(task, evidence=[
        {"title": "Biên bản", "file": SimpleUploadedFile("bien-ban.pdf", b"MZ not a pdf")}]))
    assert bad.status_code == 200 and "is not a PDF file inside" in bad.content.decode()
    assert not Evidence.objects.exists()  # nothing stored half-way
    good = client.post(f"/admin/plan/task/{task.pk}/change/", inline_form(
        task, milestones=[{"title": "Thuyết minh bốn thứ tiếng tại Thành nhà Hồ", "due": "2025-06-30"}],
        evidence=[{"title": "Biên bản nghiệm thu", "year": 2025,
                   "file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 nghiem thu")}],
        risks=[{"description": "Thiếu người đọc tiếng Trung", "likelihood": "high", "impact": "medium"}]))
    assert good.status_code == 302, good.content.decode()[:2000]
    assert Milestone.objects.get().late(dt.date(2025, 7, 1)) and Risk.objects.get().likelihood == "high"
    assert Evidence.objects.get().file.name.startswith("plan/evidence/")
    entry = AuditEntry.objects.filter(object_id=str(task.pk)).latest("created_at")
    assert entry.changes.get("milestones") and entry.changes.get("risks")
    other = Task.objects.get(code="I.1")  # led by the department: the board's editor only reads it
    assert client.post(f"/admin/plan/task/{other.pk}/change/", inline_form(other, risks=[
        {"description": "x", "likelihood": "low", "impact": "low"}])).status_code == 403
    assert Risk.objects.count() == 1
    client.force_login(people["dept_editor"])
    dashboard = client.get("/admin/plan/plan/dashboard/").content.decode()
    assert "Thuyết minh bốn thứ tiếng tại Thành nhà Hồ" in dashboard and "Thiếu người đọc tiếng Trung" in dashboard
    from xuthanh.plan import document

    parts = document.content(selectors.consolidated(plan, 2025), "1", dt.date(2025, 12, 10))
    hard = dict(parts["sections"])["IV. KHÓ KHĂN, VƯỚNG MẮC"]
    assert any("mốc “Thuyết minh bốn thứ tiếng tại Thành nhà Hồ” hạn 30/06/2025" in line for line in hard)
    assert any("rủi ro “Thiếu người đọc tiếng Trung” (khả năng cao, ảnh hưởng trung bình)" in line for line in hard)
