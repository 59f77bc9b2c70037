"""The statistical reports in a real browser (#18): a business representative files last month's report of
its hotel with the keyboard (a wrong figure first: the message names the field and nothing is stored), the
department's statistician then sees it in the province's dashboard (charts drawn, commune map, the commune's
total), and the portal's statistics page draws the published figures with their sources. axe-core finds no
serious or critical violation on the filing list, the entry form (clean and with its errors), the dashboard
and the public page. Screenshots go to var/screenshots/stats-*.png.

The month filed is the last one over today (the form only takes a period that has ended); the two other hotels
of the commune already filed it, so the commune has three contributors and no figure is suppressed."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.browser import wait_for
from tests.e2e.test_accessibility import describe, serious_violations, settle_map, with_axe
from tests.e2e.test_what_a_person_sees import SHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery"  # the root conftest's `people`
COMMUNE = "Phường Sầm Sơn"
OWN = "LT-E2E-1"  # the representative's hotel; LT-E2E-2 and LT-E2E-3 filed already

# The entry form's English labels (indicator label and unit), in the form's order, with the figures typed.
FIELDS = {
    "guests_total": "Guests served, total (guests)",
    "guests_overnight": "Overnight guests (guests)",
    "guests_day": "Same-day guests (guests)",
    "guests_international": "International guests (guests)",
    "guests_domestic": "Domestic guests (guests)",
    "guest_days": "Guest-days (overnight guests) (guest-days)",
    "rooms_available": "Rooms available (rooms)",
    "beds_available": "Beds available (beds)",
    "room_nights_sold": "Room-nights sold (room-nights)",
    "bed_nights_sold": "Bed-nights sold (bed-nights)",
    "revenue_total": "Revenue, total (VND)",
    "revenue_international": "Revenue from international guests (VND)",
    "revenue_domestic": "Revenue from domestic guests (VND)",
}
MARKETS = {"CN": "China", "KR": "South Korea", "FR": "France"}


def the_month() -> dt.date:
    from django.utils import timezone

    from xuthanh.stats import periods

    return periods.last_closed(periods.MONTH, timezone.localdate())


@pytest.fixture
def filing(people, commune_sam_son) -> dict:
    """The report forms, three registered hotels in Sầm Sơn (the first operated by the representative's
    business), the two others' report on the month already submitted, and the statistician (from `people`).
    Made before the browser starts: test bodies do not use the ORM."""
    from django.utils import timezone

    from xuthanh.stats import periods, selectors, services
    from xuthanh.stats.tests.conftest import make_unit, month_values

    services.forms_load()
    month = the_month()
    make_unit(OWN, commune_sam_son, operator=people["business"])
    filed_on = timezone.make_aware(dt.datetime.combine(periods.end_of(periods.MONTH, month), dt.time(9))
                                   + dt.timedelta(days=1))
    for code in ("LT-E2E-2", "LT-E2E-3"):
        unit = make_unit(code, commune_sam_son)
        outcome = services.report_file(user=None, report=services.report_open(unit, periods.MONTH, month),
                                       values=month_values(), submit=True, now=filed_on)
        assert outcome.stored, outcome.outcome.errors
    on_time = timezone.localdate() <= selectors.forms_at(periods.MONTH, month)["accommodation"].due_date(month)
    return {"month": month, "values": month_values(), "rep": "business_rep", "statistician": "statistician",
            "states": ("To file", "Filed on time") if on_time else ("Overdue", "Filed late")}


def sign_in(page, username: str, then: str) -> None:
    page.goto(f"/admin/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{then}")


def no_serious_violations(page, where: str) -> None:
    violations = serious_violations(page)
    assert not violations, "\n".join(describe(where, v) for v in violations)


def type_into(page, label: str, value: int) -> None:
    """Type a number into the field of that label, with the keyboard, over whatever it held."""
    field = page.get_by_label(label, exact=True)
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))


def submit(page) -> None:
    page.get_by_role("button", name="Submit", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def state_of_report(page) -> str:
    term = page.locator(".stats-facts dt", has_text="State")
    return term.locator("xpath=following-sibling::dd[1]").inner_text().strip()


def in_english(page, live_server) -> None:
    """The back office answers in the language of the cookie, else the browser's (Vietnamese here): English."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def test_a_business_files_a_month_and_the_statistician_sees_it(filing, page, live_server, axe_source):
    from playwright.sync_api import expect

    month, values = filing["month"], filing["values"]
    in_english(page, live_server)
    with_axe(page, axe_source)
    SHOTS.mkdir(parents=True, exist_ok=True)

    # The representative's reports to file: its hotel's month is open, and no serious axe violation.
    sign_in(page, filing["rep"], "/admin/stats/file/")
    cell = page.get_by_role("link", name=f"Cơ sở {OWN} {month:%m/%Y}")
    to_file, filed = filing["states"]  # the month is due on the 20th of the next: on time or late, by today
    assert cell.inner_text().startswith(to_file)
    no_serious_violations(page, "filing list")
    page.screenshot(path=str(SHOTS / "stats-filing.png"), full_page=True)
    cell.click()
    page.wait_for_url(f"**/admin/stats/report/{OWN}/month/{month:%Y-%m}/")
    assert state_of_report(page) == "Not filed"
    no_serious_violations(page, "entry form")

    # Every figure typed by label; the rooms available are one more than the hotel has registered.
    for code, label in FIELDS.items():
        type_into(page, label, values[code] + (1 if code == "rooms_available" else 0))
    for market, name in MARKETS.items():
        type_into(page, name, values["guests_by_market"][market])
    submit(page)
    message = "“Rooms available” is 41 but cannot exceed “registered rooms” = 40."
    row = page.locator(".form-row.errors")
    assert row.count() == 1
    assert row.locator("label").inner_text() == FIELDS["rooms_available"]
    assert row.locator(".errorlist").inner_text().strip() == message
    rooms = page.get_by_label(FIELDS["rooms_available"], exact=True)
    assert rooms.get_attribute("aria-invalid") == "true"
    expect(rooms).to_have_accessible_description(message)  # a screen reader says it on reaching the field
    assert "nothing was submitted" in page.get_by_role("alert").inner_text()
    assert page.get_by_label(FIELDS["guests_total"], exact=True).input_value() == "1000"  # what was typed stays
    no_serious_violations(page, "entry form with errors")
    page.screenshot(path=str(SHOTS / "stats-report-errors.png"), full_page=True)
    page.goto(page.url)  # nothing was stored: the report is still not filed and its fields are empty
    assert state_of_report(page) == "Not filed"
    assert page.get_by_label(FIELDS["guests_total"], exact=True).input_value() == ""

    for code, label in FIELDS.items():
        type_into(page, label, values[code])
    for market, name in MARKETS.items():
        type_into(page, name, values["guests_by_market"][market])
    submit(page)
    assert page.locator(".messagelist .success").inner_text().strip() == "Report submitted."
    assert state_of_report(page).startswith("Submitted")
    assert page.locator(".stats-derived dd").first.inner_text().strip().endswith("%")  # occupancy computed
    no_serious_violations(page, "entry form submitted")
    page.screenshot(path=str(SHOTS / "stats-report.png"), full_page=True)
    page.goto("/admin/stats/file/")
    assert page.get_by_role("link", name=f"Cơ sở {OWN} {month:%m/%Y}").inner_text().startswith(filed)

    # The statistician's dashboard of the year: the commune's three hotels, the charts and the map.
    page.context.clear_cookies()
    in_english(page, live_server)
    sign_in(page, filing["statistician"], f"/admin/stats/?year={month.year}")
    commune = page.locator("table.stats-grid").first.locator("tbody tr", has=page.get_by_role("link", name=COMMUNE))
    numbers = commune.locator("td.num").all_inner_texts()
    assert numbers[0] == "3,000" and numbers[-1] == "3", numbers
    canvases = ["chart-guests", "chart-markets", "chart-classes", "chart-revenue", "chart-filing"]
    wait_for(page, "ids => window.Chart !== undefined && ids.every(id => Chart.getChart(id))", canvases)
    guests = page.evaluate("() => Chart.getChart('chart-guests').data.datasets[0].data")
    assert guests[month.month - 1] == 3000, guests
    page.locator("#stats-map.leaflet-container .leaflet-tile-container").first.wait_for(state="attached")
    assert page.locator("#stats-map path.leaflet-interactive").count() == 1  # one circle: Sầm Sơn
    settle_map(page)
    no_serious_violations(page, "dashboard")
    page.screenshot(path=str(SHOTS / "stats-dashboard.png"), full_page=True)


@pytest.fixture
def official_figures(db) -> int:
    from xuthanh.stats import services

    return services.official_figures_load()


def test_the_public_statistics_page_draws_the_published_figures(official_figures, page, axe_source):
    assert official_figures > 0
    with_axe(page, axe_source)
    page.goto("/en/statistics/")
    assert page.locator("html").get_attribute("lang") == "en"
    wait_for(page, "() => window.Chart !== undefined && Chart.getChart('official-chart')")
    drawn = page.evaluate("() => Chart.getChart('official-chart').data.datasets.map(d => d.data.length)")
    assert drawn and all(n > 0 for n in drawn)
    published = page.locator("table.data").first
    rows = published.locator("tbody tr")
    assert rows.count() > 0
    sources = published.locator("a.source")
    assert sources.count() >= rows.count()  # every year's figures say where they come from
    assert all(href.startswith("http") for href in sources.evaluate_all("links => links.map(a => a.href)"))
    no_serious_violations(page, "/en/statistics/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "stats-public.png"), full_page=True)
