"""Campaigns: short links that can only lead to this site's pages, clicks and what followed them counted without
personal data (in the shared counter, folded exactly once), the dashboard with its permissions (a sponsor sees
its campaigns only), campaigns compared, the figures per year, and the XLSX exports."""

from __future__ import annotations

import datetime as dt
import io

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
    # the visit keeps its campaign: a cookie with the link's code only (the same for everyone who follows it)
    assert list(answer.cookies) == ["xt_via"]
    cookie = answer.cookies["xt_via"]
    assert (cookie.value, cookie["httponly"], cookie["samesite"], cookie["max-age"]) == (link.code, True, "Lax",
                                                                                        7 * 24 * 3600)
    client.get(f"/go/{link.code.upper()}")
    assert not client.head(f"/go/{link.code}").cookies  # a chat app's link preview: not a visit
    assert not ClickHour.objects.exists()  # nothing written on the visitor's path
    assert services.fold_counts() == 2
    assert ClickHour.objects.get(link=link, kind="click").count == 2


def test_unknown_switched_off_or_expired_codes_get_a_friendly_page(client, campaign, people) -> None:  # noqa: ANN001
    link = services.make_link(campaign, people["dept_editor"], target="/vi/", channel="print",
                              expires_at=timezone.now() - dt.timedelta(minutes=1))
    for code in ("nope123", link.code, "x" * 300):
        answer = client.get(f"/go/{code}", HTTP_ACCEPT_LANGUAGE="en")
        assert answer.status_code == 404 and "This link has ended" in answer.content.decode()
    Link.objects.filter(pk=link.pk).update(expires_at=None, active=False)
    assert client.get(f"/go/{link.code}").status_code == 404
    assert services.fold_counts() == 0 and not ClickHour.objects.exists()


def test_clicks_fold_into_their_hours(campaign, people) -> None:  # noqa: ANN001
    link = services.make_link(campaign, people["dept_editor"], target="/vi/", channel="zalo")
    now = timezone.now()
    for _i in range(25):
        services.count(link.code, "click", now)
    services.count(link.code, "click", now + dt.timedelta(hours=1))
    services.count("gone123", "click", now)  # a link deleted since: dropped
    assert services.fold_counts() == 26
    assert sorted(ClickHour.objects.filter(link=link).values_list("count", flat=True)) == [1, 25]
    services.count(link.code, "click", now)
    assert services.fold_counts() == 1
    assert sorted(ClickHour.objects.filter(link=link).values_list("count", flat=True)) == [1, 26]
    from xuthanh.campaigns.models import Fold

    Fold.objects.filter(token__in=list(Fold.objects.values_list("token", flat=True)[:1])).update(
        at=now - dt.timedelta(days=8))
    services.fold_counts()
    assert Fold.objects.count() == 2  # only the minute's job forgets old tokens
    services.fold_counts(purge=True)
    assert Fold.objects.count() == 1


def test_a_fold_interrupted_anywhere_stores_each_count_once(campaign, people, monkeypatch) -> None:  # noqa: ANN001
    from xuthanh.core import tally

    link = services.make_link(campaign, people["dept_editor"], target="/vi/", channel="zalo")
    services.count(link.code)
    services.count(link.code)
    real_done = tally.done
    monkeypatch.setattr(tally, "done", lambda *a: (_ for _ in ()).throw(OSError("the worker died")))
    with pytest.raises(OSError):  # stored in the database, not yet dropped from the counter
        services.fold_counts()
    monkeypatch.setattr(tally, "done", real_done)
    services.count(link.code)
    assert services.fold_counts() == 1  # the batch offered again is known by its token: not stored twice
    assert ClickHour.objects.get(link=link).count == 3

    services.count(link.code)
    real_executemany = connection.cursor().__class__.executemany

    def broken(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        raise RuntimeError("the database went away")

    monkeypatch.setattr(connection.cursor().__class__, "executemany", broken)
    with pytest.raises(RuntimeError):  # nothing stored: the counts stay in the counter
        services.fold_counts()
    monkeypatch.setattr(connection.cursor().__class__, "executemany", real_executemany)
    assert services.fold_counts() == 1 and ClickHour.objects.get(link=link).count == 4


def test_what_followed_a_click_is_counted_for_its_link(client, campaign, people) -> None:  # noqa: ANN001
    from xuthanh.campaigns.models import Outcome

    link = services.make_link(campaign, people["dept_editor"], target="/en/places/", channel="facebook",
                              market=campaign.markets.get())
    client.get("/en/places/")  # came without a campaign link: nothing
    client.get(f"/go/{link.code}", follow=True)  # the landing page
    client.get("/en/events/")
    assert client.get("/api/v1/places").status_code == 200  # JSON, not a page viewed
    assert client.post("/go/-/installed").status_code == 204  # the app's beacon
    client.get("/en/no/such/page/")  # a 404 is not a page viewed
    client.force_login(people["dept_editor"])
    assert client.get("/admin/").status_code == 200  # nor is the back office
    services.fold_counts()
    counts = dict(ClickHour.objects.filter(link=link).values_list("kind", "count"))
    assert counts == {Outcome.CLICK: 1, Outcome.VIEW: 2, Outcome.INSTALL: 1}
    client.cookies["xt_via"] = "<script>"  # a forged cookie counts nothing
    client.get("/en/events/")
    assert client.post("/go/-/installed").status_code == 204
    assert services.fold_counts() == 0
    found = selectors.figures(campaign)
    assert found.totals == {"click": 1, "view": 2, "install": 1}
    assert found.outcomes_by_market == {"cn": {"click": 1, "view": 2, "install": 1}}
    assert found.outcomes_by_day == {"view": [2], "install": [1]} and len(found.days) == 1
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dept_editor"])
    page = client.get(f"/admin/campaigns/campaign/{campaign.pk}/dashboard/").content.decode()
    assert 'id="after-data"' in page and "pages viewed" in page


def test_the_install_beacon_is_limited_per_address(client, campaign, people) -> None:  # noqa: ANN001
    link = services.make_link(campaign, people["dept_editor"], target="/vi/", channel="zalo")
    client.get(f"/go/{link.code}")
    for _i in range(8):
        assert client.post("/go/-/installed", REMOTE_ADDR="203.0.113.9").status_code == 204
    assert client.get("/go/-/installed").status_code == 405
    services.fold_counts()
    assert ClickHour.objects.get(link=link, kind="install").count == 5


def test_campaigns_compared_and_the_figures_per_year(client, campaign, people, department) -> None:  # noqa: ANN001
    other = Campaign.objects.create(slug="sam-son-he", owner=department, starts=dt.date(2027, 5, 1),
                                    ends=dt.date(2027, 8, 31), spent_vnd=3_000_000, status=Campaign.Status.RUNNING)
    other.markets.set(campaign.markets.all())
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ENDED)
    first = services.make_link(campaign, people["dept_editor"], target="/vi/", channel="wechat",
                               market=campaign.markets.get())
    second = services.make_link(other, people["dept_editor"], target="/vi/", channel="facebook")
    when = timezone.make_aware(dt.datetime(2027, 2, 10, 20))
    for _i in range(4):
        services.count(first.code, "click", when)
    services.count(first.code, "trip", when)
    services.count(second.code, "click", when + dt.timedelta(days=120))
    rows = {r.campaign.slug: r for r in selectors.compare([campaign, other])}
    assert rows["lam-kinh-2027"].totals == {"click": 4, "trip": 1}
    assert rows["lam-kinh-2027"].cost_per_click == 500_000 and rows["lam-kinh-2027"].cost_per_trip == 2_000_000
    assert rows["sam-son-he"].by_market == {"-": {"click": 1}}
    years = selectors.by_year()
    assert years[2027] == {"campaigns": 2, "markets": 1, "spent_vnd": 5_000_000, "click": 5, "trip": 1}
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dept_editor"])
    answer = client.post("/admin/campaigns/campaign/", {"action": "compare",
                                                        "_selected_action": [campaign.pk, other.pk]})
    assert answer.status_code == 302 and "compare/?ids=" in answer["Location"]
    page = client.get(answer["Location"]).content.decode()
    assert "compare-data" in page and "Lễ hội Lam Kinh 2027" in page
    export = client.get(answer["Location"] + "&format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content))["campaigns"]
    assert [c.value for c in sheet[1]][:4] == ["campaign", "spent so far, VND", "clicks", "pages viewed"]
    assert sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True)) == [1, 4]


def test_a_sponsor_compares_only_its_campaigns(client, campaign, people, department) -> None:  # noqa: ANN001
    sponsor = Organisation.objects.create(name="Công ty Du lịch Mẫu", slug="mau-sponsor-2", kind="business")
    rep = people["outsider"]
    Membership.objects.create(user=rep, organisation=sponsor, role=Role.BUSINESS)
    campaign.sponsors.add(sponsor)
    other = Campaign.objects.create(slug="khac-2", owner=department, starts=dt.date(2027, 1, 1),
                                    ends=dt.date(2027, 2, 1))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(rep)
    page = client.get(f"/admin/campaigns/campaign/compare/?ids={campaign.pk},{other.pk},x").content.decode()
    assert "Lễ hội Lam Kinh 2027" in page and "khac-2" not in page


def test_the_dashboard_its_chart_data_and_the_export(client, campaign, people) -> None:  # noqa: ANN001
    market = campaign.markets.get()
    link = services.make_link(campaign, people["dept_editor"], target="/vi/", channel="wechat", market=market)
    other = services.make_link(campaign, people["dept_editor"], target="/vi/events/", channel="print")
    day = timezone.now() - dt.timedelta(days=1)
    for _i in range(3):
        services.count(link.code, "click", day)
    services.count(other.code)
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
    clicks = {row[0]: row[5] for row in book["links"].iter_rows(min_row=2, values_only=True)}
    assert clicks == {f"/go/{link.code}": 3, f"/go/{other.code}": 1}
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
    ClickHour.objects.create(link=link, hour=hour, count=5)
    services.count(link.code, "click", hour + dt.timedelta(minutes=30))
    services.fold_counts()
    assert list(ClickHour.objects.values_list("count", flat=True)) == [6]  # one row: the same stored hour
    services.count(link.code, "click", hour + dt.timedelta(days=1))
    services.count(link.code)  # today: stays in its hour until the day ends
    before = selectors.figures(campaign)
    assert services.rollup_days() >= 2 and ClickDay.objects.count() == 2
    after = selectors.figures(campaign)
    assert (after.days, after.by_market, after.total) == (before.days, before.by_market, before.total)
    assert after.total == 8
    assert services.rollup_days() >= 1 and ClickDay.objects.count() == 2  # idempotent
