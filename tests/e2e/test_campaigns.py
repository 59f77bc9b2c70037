"""A promotion campaign in a real browser, from the back office to a visitor's click: the department's editor
creates a campaign for the Chinese market in the admin (its title in the Vietnamese tab) and an item for WeChat
in Simplified Chinese built from the Hồ Dynasty Citadel, scheduled, its text left to be composed; the author
cannot approve their own item, the department's administrator does; the item's ready-to-post package shows the
short link and its QR code; following the short link lands on the place's Chinese page with the campaign's UTM
parameters; the campaign's dashboard then counts that click, in its total, its chart and the link's row.
axe-core finds no serious or critical violation on the campaign list, the item form, the package and the
dashboard."""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import wait_for
from tests.e2e.test_accessibility import describe, serious_violations, with_axe
from tests.e2e.test_app_offline import in_thread

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery"  # the root conftest's `people`
TITLE = "Thành nhà Hồ – mùa thu 2027"
SLUG = "thanh-nha-ho-cn-e2e"
PLACE = "thanh-nha-ho"


@pytest.fixture
def desk(people, department) -> dict:
    """The target market "cn", the place the item is built from and the dates to type: made before the browser
    starts (test bodies do not use the ORM)."""
    import datetime as dt

    from django.utils import timezone

    from xuthanh.campaigns.models import Market
    from xuthanh.catalog.models import Place

    china = Market.objects.create(code="cn", kind=Market.Kind.INTERNATIONAL, languages=["zh-hans"],
                                  networks=["wechat", "weibo"])
    china.set_current_language("vi")
    china.name = "Trung Quốc"
    china.save()
    today = timezone.localdate()
    return {
        "market": china.pk,
        "owner": department.pk,
        "place": Place.objects.get(slug=PLACE).pk,
        "starts": today.isoformat(),
        "ends": (today + dt.timedelta(days=60)).isoformat(),
        "post_day": (today + dt.timedelta(days=3)).isoformat(),
        "post_time": "09:30:00",
    }


def vi(text: str) -> str:
    """A message as the back office shows it to a Vietnamese browser (the tests' own thread speaks English)."""
    from django.utils import translation

    with translation.override("vi"):
        return translation.gettext(text)


def sign_in(page, username: str, then: str) -> None:
    """The back office's sign-in form, as `username` (the cookies of whoever used the page before are dropped)."""
    page.context.clear_cookies()
    page.goto(f"/admin/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{then}")


def saved(page) -> None:
    """The admin's messages after a save or an action: a success, no error."""
    page.locator(".messagelist li").first.wait_for()
    assert not page.locator(".messagelist .error").count(), page.inner_text(".messagelist")
    assert page.locator(".messagelist .success").count(), page.inner_text(".messagelist")


def test_a_campaign_item_is_made_approved_followed_and_counted(desk, page, axe_source):
    with_axe(page, axe_source)
    problems: list[str] = []

    def axe_here() -> None:
        page.wait_for_load_state("networkidle")
        problems.extend(describe(page.url, v) for v in serious_violations(page))

    # 1. the department's editor creates the campaign (a parler form: the title in the Vietnamese tab)
    sign_in(page, "dept_editor", "/admin/campaigns/campaign/add/")
    assert page.locator(".parler-language-tabs .current").count() == 1
    page.fill("#id_title", TITLE)
    page.fill("#id_slug", SLUG)
    page.select_option("#id_owner", str(desk["owner"]))
    page.fill("#id_starts", desk["starts"])
    page.fill("#id_ends", desk["ends"])
    page.select_option("#id_markets_from", str(desk["market"]))
    page.click("#id_markets_add")
    page.select_option("#id_status", "approved")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/campaigns/campaign/")
    saved(page)
    row = page.locator("#result_list tbody tr", has_text=TITLE)
    assert row.count() == 1
    dashboard = row.locator("a[href$='/dashboard/']").get_attribute("href")
    assert re.fullmatch(r"/admin/campaigns/campaign/\d+/dashboard/", dashboard), dashboard
    axe_here()  # the campaign list

    # 2. an item for WeChat in Simplified Chinese, built from the place (raw id), its text left to be composed
    page.goto("/admin/campaigns/item/add/")
    axe_here()  # the item form (its time: one labelled input)
    page.select_option("#id_campaign", label=TITLE)
    page.select_option("#id_market", str(desk["market"]))
    page.select_option("#id_channel", "wechat")
    page.select_option("#id_language", "zh-hans")
    page.fill("#id_place", str(desk["place"]))
    assert page.input_value("#id_text") == ""
    page.fill("#id_scheduled_at", f"{desk['post_day']}T{desk['post_time'][:5]}")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/campaigns/item/")
    saved(page)

    def stored() -> dict:
        from django.utils import timezone

        from xuthanh.campaigns.models import Item

        item = Item.objects.select_related("link", "campaign", "created_by", "approved_by").get(campaign__slug=SLUG)
        return {"pk": item.pk, "status": item.status, "code": item.link.code if item.link else None,
                "target": item.link.target if item.link else None, "text": item.text,
                "author": item.created_by.username if item.created_by else None,
                "approver": item.approved_by.username if item.approved_by else None,
                "when": timezone.localtime(item.scheduled_at).isoformat() if item.scheduled_at else None,
                "market": item.market_id, "campaign": item.campaign.pk}

    item = in_thread(stored)
    assert (item["status"], item["author"], item["market"]) == ("draft", "dept_editor", desk["market"])
    assert item["target"] == f"/zh-hans/places/{PLACE}/"
    assert item["when"].startswith(f"{desk['post_day']}T{desk['post_time']}")
    assert item["code"] and f"/go/{item['code']}" in item["text"]  # composed, with its short link
    assert dashboard == f"/admin/campaigns/campaign/{item['campaign']}/dashboard/"

    # 3. its author cannot approve it; the department's administrator does
    def approve() -> None:
        page.goto("/admin/campaigns/item/")
        page.check(f'input[name=_selected_action][value="{item["pk"]}"]')
        page.select_option("select[name=action]", "approve_items")
        page.click("#changelist-form button[name=index]")
        page.locator(".messagelist li").first.wait_for()

    approve()
    assert page.locator(".messagelist .error").count() == 1
    assert vi("An item is approved by someone other than its author.") in page.inner_text(".messagelist .error")
    assert not page.locator(".messagelist .success").count()
    assert in_thread(stored)["status"] == "draft"
    sign_in(page, "admin", "/admin/campaigns/item/")
    approve()
    saved(page)
    item = in_thread(stored)
    assert (item["status"], item["approver"]) == ("approved", "admin")

    # 4. the ready-to-post package: the text, the short link and its QR code, inline
    page.goto(f"/admin/campaigns/item/{item['pk']}/package/")
    main = page.locator("#content-main")
    assert main.locator("svg").count() == 1, "no inline QR code on the package page"
    assert main.locator("svg").bounding_box()["width"] > 50
    found = re.search(r"/go/([a-z0-9]+)", main.locator("code").inner_text())
    assert found, main.inner_text()
    short = found.group(0)
    assert short == f"/go/{item['code']}"
    assert short in main.locator("pre").inner_text()
    axe_here()  # the package

    # a visitor follows it (anyone: no cookie of the back office) and lands on the place's Chinese page
    page.context.clear_cookies()
    response = page.goto(short)
    assert response.ok, (short, response.status)
    assert re.search(rf"/zh-hans/places/{PLACE}/\?", page.url), page.url
    assert f"utm_campaign={SLUG}" in page.url and "utm_source=wechat" in page.url, page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    # 5. the dashboard counts the click: in the total, the chart and the link's row
    sign_in(page, "dept_editor", dashboard)
    main = page.locator("#content-main")
    assert main.locator("p strong").first.inner_text().strip() == "1"
    wait_for(page, "() => typeof Chart !== 'undefined' && Chart.getChart('chart-clicks') !== undefined")
    drawn = page.evaluate(
        "() => Chart.getChart('chart-clicks').data.datasets.map(d => [d.label, d.data.reduce((a, b) => a + b, 0)])"
    )
    assert drawn == [["cn", 1]], drawn
    link_row = main.locator("table.stats-grid tbody tr", has=page.locator(f'a:text-is("{short}")'))
    assert link_row.count() == 1
    # its clicks, pages viewed (the landing page), trips, installs, entries
    assert [n.strip() for n in link_row.locator("td.num").all_inner_texts()] == ["1", "1", "0", "0", "0"]
    calendar = main.locator("table.stats-grid tbody tr", has=page.locator(f'a[href$="/item/{item["pk"]}/change/"]'))
    assert calendar.count() == 1  # the item in the campaign's calendar
    axe_here()  # the dashboard

    assert not problems, "\n".join(["Serious or critical accessibility violations:", *problems])
