"""Campaigns: short links that can only lead to this site's pages, counted clicks without personal data, the
dashboard with its permissions (a sponsor sees its campaigns only) and the XLSX export."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
from django.db import connection
from django.utils import timezone

from xuthanh.campaigns import selectors, services
from xuthanh.campaigns.models import Campaign, ClickHour, Link, Market
from xuthanh.orgs.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(department) -> Campaign:  # noqa: ANN001
    china = Market.objects.create(code="cn", kind="international")
    china.set_current_language("en")
    china.name = "China"
    china.save()
    made = Campaign(slug="lam-kinh-2027", owner=department, starts=dt.date(2027, 1, 1), ends=dt.date(2027, 3, 31),
                    budget_vnd=50_000_000, spent_vnd=2_000_000)
    made.set_current_language("vi")
    made.title = "Lễ hội Lam Kinh 2027"
    made.save()
    made.markets.set([china])
    return made


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x",
                                    "evil.example", "/no/such/page/", "/vi/pla ces/", ""])
def test_a_short_link_leads_only_to_a_page_of_this_site(campaign, people, target) -> None:  # noqa: ANN001
    with pytest.raises(services.CampaignError):
        services.make_link(campaign, people["dept_editor"], target=target, channel="wechat")


def test_only_campaign_runners_make_links(campaign, people) -> None:  # noqa: ANN001
    with pytest.raises(services.CampaignError, match="cannot run"):
        services.make_link(campaign, people["sam_son_editor"], target="/vi/", channel="facebook")


def test_go_counts_the_click_and_adds_the_campaign_parameters(client, campaign, people) -> None:  # noqa: ANN001
    market = campaign.markets.get()
    link = services.make_link(campaign, people["dept_editor"], target="/zh-hans/places/?tag=history#map",
                              channel="wechat", market=market, item="post-1")
    answer = client.get(f"/go/{link.code}")
    assert answer.status_code == 302 and answer["Cache-Control"] == "no-store"
    assert answer["Location"] == ("/zh-hans/places/?tag=history&utm_source=wechat&utm_medium=social&"
                                  "utm_campaign=lam-kinh-2027&utm_content=cn-post-1#map")
    assert "Set-Cookie" not in answer and not answer.cookies
    client.get(f"/go/{link.code.upper()}")
    client.head(f"/go/{link.code}")  # a chat app's link preview: not a visit
    assert ClickHour.objects.get(link=link).clicks == 2


def test_unknown_switched_off_or_expired_codes_get_a_friendly_page(client, campaign, people) -> None:  # noqa: ANN001
    link = services.make_link(campaign, people["dept_editor"], target="/vi/", channel="print",
                              expires_at=timezone.now() - dt.timedelta(minutes=1))
    for code in ("nope123", link.code, "x" * 300):
        answer = client.get(f"/go/{code}", HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 404 and "This link has ended" in answer.content.decode()
    Link.objects.filter(pk=link.pk).update(expires_at=None, active=False)
    assert client.get(f"/go/{link.code}").status_code == 404
    assert not ClickHour.objects.exists()


def test_every_click_is_counted_under_concurrency(campaign, people) -> None:  # noqa: ANN001
    link = services.make_link(campaign, people["dept_editor"], target="/vi/", channel="zalo")
    now = timezone.now()
    for _i in range(25):
        services.count_click(link.pk, now)
    services.count_click(link.pk, now + dt.timedelta(hours=1))
    assert sorted(ClickHour.objects.filter(link=link).values_list("clicks", flat=True)) == [1, 25]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_clicks_are_all_counted_on_postgresql(department) -> None:  # noqa: ANN001
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions: run with DATABASE_URL on PostgreSQL (.ci/run does)")
    made = Campaign.objects.create(slug="song-song", owner=department, starts=dt.date(2027, 1, 1),
                                   ends=dt.date(2027, 2, 1))
    link = Link.objects.create(campaign=made, channel="sms", code="abcdefg", target="/vi/")
    now = timezone.now()
    barrier = threading.Barrier(16)

    def click() -> None:
        try:
            barrier.wait()
            for _i in range(10):
                services.count_click(link.pk, now)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ClickHour.objects.get(link=link).clicks == 160


def test_the_dashboard_its_chart_data_and_the_export(client, campaign, people) -> None:  # noqa: ANN001
    market = campaign.markets.get()
    link = services.make_link(campaign, people["dept_editor"], target="/vi/", channel="wechat", market=market)
    other = services.make_link(campaign, people["dept_editor"], target="/vi/events/", channel="print")
    day = timezone.now() - dt.timedelta(days=1)
    for _i in range(3):
        services.count_click(link.pk, day)
    services.count_click(other.pk)
    found = selectors.figures(campaign)
    assert found.total == 4 and found.by_market["cn"][0] == 3 and found.by_channel == {"wechat": 3, "print": 1}
    assert found.cost_per_click == 500_000
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dept_editor"])
    page = client.get(f"/admin/campaigns/campaign/{campaign.pk}/dashboard/").content.decode()
    assert "campaign-data" in page and f"/go/{link.code}" in page
    export = client.get(f"/admin/campaigns/campaign/{campaign.pk}/figures.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export.content))
    assert [c.value for c in book["links"][2]][-1] == 3 or [c.value for c in book["links"][3]][-1] == 3
    assert client.get(f"/admin/campaigns/link/{link.pk}/change/").status_code == 200


def test_a_sponsor_sees_its_campaigns_figures_only(client, campaign, people, department) -> None:  # noqa: ANN001
    sponsor = Organisation.objects.create(name="Công ty Du lịch Mẫu", slug="mau-sponsor", kind="business")
    rep = people["outsider"]
    Membership.objects.create(user=rep, organisation=sponsor, role=Role.BUSINESS)
    rep.refresh_from_db()
    other = Campaign.objects.create(slug="khac", owner=department, starts=dt.date(2027, 1, 1),
                                    ends=dt.date(2027, 2, 1))
    client.force_login(rep)
    assert client.get(f"/admin/campaigns/campaign/{campaign.pk}/dashboard/").status_code == 404
    campaign.sponsors.add(sponsor)
    assert client.get(f"/admin/campaigns/campaign/{campaign.pk}/dashboard/").status_code == 200
    assert client.get(f"/admin/campaigns/campaign/{other.pk}/dashboard/").status_code == 404
    assert client.get("/admin/campaigns/link/").status_code == 403
    assert client.get(f"/admin/campaigns/campaign/{campaign.pk}/change/").status_code in (200, 403)


def test_the_admin_form_refuses_an_outside_target(client, campaign, people) -> None:  # noqa: ANN001
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dept_editor"])
    answer = client.post("/admin/campaigns/link/add/", {"campaign": campaign.pk, "channel": "facebook",
                                                       "target": "https://evil.example/", "active": "on"})
    assert answer.status_code == 200 and "page of this site" in answer.content.decode()
    assert not Link.objects.exists()
    client.post("/admin/campaigns/link/add/", {"campaign": campaign.pk, "channel": "facebook", "target": "/vi/",
                                               "active": "on"})
    assert len(Link.objects.get().code) == services.CODE_LENGTH


def test_the_plans_eleven_markets_load_with_their_sources(client, people) -> None:  # noqa: ANN001
    from xuthanh.campaigns import loader

    assert loader.load() == 11 and loader.load() == 11  # idempotent
    codes = set(Market.objects.values_list("code", flat=True))
    assert {"cn", "tw", "jp", "kr", "fr", "us", "ru", "de", "dk", "vn-north", "vn-south"} <= codes
    china = Market.objects.get(code="cn")
    assert china.languages == ["zh-hans"] and "wechat" in china.networks
    assert all(fact["source"].startswith("http") for fact in china.facts["network_facts"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dept_editor"])
    page = client.get(f"/admin/campaigns/market/{china.pk}/change/").content.decode()
    assert "rel=\"noopener\"" in page and "wechat" in page


def test_a_click_meets_the_hour_the_orm_wrote_and_days_roll_up_without_changing_the_figures(campaign, people) -> None:  # noqa: ANN001, E501
    from xuthanh.campaigns.models import ClickDay

    link = services.make_link(campaign, people["dept_editor"], target="/vi/", channel="zalo",
                              market=campaign.markets.get())
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=2)
    ClickHour.objects.create(link=link, hour=hour, clicks=5)
    services.count_click(link.pk, hour + dt.timedelta(minutes=30))
    assert list(ClickHour.objects.values_list("clicks", flat=True)) == [6]  # one row: the same stored hour
    services.count_click(link.pk, hour + dt.timedelta(days=1))
    services.count_click(link.pk)  # today: stays in its hour until the day ends
    before = selectors.figures(campaign)
    assert services.rollup_days() >= 2 and ClickDay.objects.count() == 2
    after = selectors.figures(campaign)
    assert (after.days, after.by_market, after.total) == (before.days, before.by_market, before.total)
    assert after.total == 8
    assert services.rollup_days() >= 1 and ClickDay.objects.count() == 2  # idempotent
