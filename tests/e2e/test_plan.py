"""The plan in a real browser: a site board's editor records its task's allocation and spending (the spending
beyond the allocation refused with a message on the form), writes and sends its yearly report; the department's
editor sees the dashboard's budget chart drawn with that money and the report sent, and makes the consolidated
report; the public page shows the budget chart and the targets ("no data" where nothing measures them) in four
languages. axe-core finds no serious or critical violation on the dashboard, the money form and the public page."""

from __future__ import annotations

import pytest

from tests.e2e.browser import wait_for
from tests.e2e.test_accessibility import describe, serious_violations, with_axe
from tests.e2e.test_campaigns import saved, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk(people, department) -> dict:
    from xuthanh.orgs.models import Membership, Organisation, Role
    from xuthanh.plan import loader
    from xuthanh.plan.models import Task

    loader.load()
    board = Organisation.objects.create(name="Ban quản lý Di tích Thành nhà Hồ", slug="bql-thanh-nha-ho-e2e",
                                        kind=Organisation.Kind.SITE_BOARD)
    Membership.objects.create(user=people["outsider"], organisation=board, role=Role.EDITOR)
    task = Task.objects.get(code="II.1")
    Task.objects.filter(pk=task.pk).update(lead=board)
    return {"task": task.pk}


def test_a_unit_records_money_and_reports_and_the_department_sees_it(desk, page, axe_source):
    with_axe(page, axe_source)
    problems: list[str] = []

    def axe_here() -> None:
        page.wait_for_load_state("networkidle")
        problems.extend(describe(page.url, v) for v in serious_violations(page))

    def money(kind: str, amount: str, document: str) -> None:
        page.goto("/admin/plan/money/add/")
        page.select_option("#id_task", str(desk["task"]))
        page.fill("#id_year", "2025")
        page.select_option("#id_kind", kind)
        page.select_option("#id_source", "district")
        page.fill("#id_amount", amount)
        page.fill("#id_document", document)
        page.fill("#id_document_date", "2025-03-01")
        page.click("input[name=_save]")

    sign_in(page, "outsider", "/admin/plan/money/add/")
    axe_here()  # the money form
    money("spent", "10", "5/HĐ")  # nothing allocated yet: refused on the form
    assert "II.1" in page.inner_text("ul.errorlist.nonfield")  # "… would pass the 0 allocated to task II.1"
    money("allocated", "200", "12/QĐ-UBND")
    saved(page)
    money("spent", "150.25", "7/HĐ")
    saved(page)
    page.goto("/admin/plan/report/add/")
    page.select_option("#id_task", str(desk["task"]))
    page.fill("#id_year", "2025")
    page.fill("#id_done", "Thuyết minh tự động tại Thành nhà Hồ bằng bốn thứ tiếng.")
    page.fill("#id_progress", "60")
    page.check("#id_send")
    page.click("input[name=_save]")
    saved(page)

    sign_in(page, "dept_editor", "/admin/plan/plan/dashboard/?year=2025")
    wait_for(page, "() => typeof Chart !== 'undefined' && Chart.getChart('chart-budget') !== undefined")
    drawn = page.evaluate("() => Object.fromEntries(Chart.getChart('chart-budget').data.datasets.map("
                          "d => [d.label, d.data.reduce((a, b) => a + b, 0)]))")
    assert 150.25 in drawn.values() and 200 in drawn.values(), drawn  # district: spent, allocated
    main = page.locator("#content-main")
    assert "Ban quản lý Di tích Thành nhà Hồ" in main.inner_text()
    axe_here()  # the dashboard
    with page.expect_download() as got:
        page.click(".plan-report button")
    assert got.value.suggested_filename.endswith(".docx")

    page.context.clear_cookies()
    for lang in ("vi", "en", "zh-hans", "fr"):
        page.goto(f"/{lang}/plan/")
        assert page.locator("h1").count() == 1 and "115/KH-UBND" in page.inner_text("main")
    wait_for(page, "() => typeof Chart !== 'undefined' && Chart.getChart('plan-chart') !== undefined")
    axe_here()  # the public page
    assert problems == [], "\n".join(problems)
