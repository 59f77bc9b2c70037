"""Campaign items: built from a catalogue place in a language (its texts, photo and a short link to its page),
checked against their channel, approved by another person, scheduled, posted by hand with a package, and kept
as published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xuthanh.campaigns import channels, services
from xuthanh.campaigns.models import Item
from xuthanh.campaigns.tests.test_campaigns import campaign  # noqa: F401 - the fixture
from xuthanh.catalog.models import Place
from xuthanh.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_sms_segments_and_channel_limits() -> None:
    assert channels.sms_segments("Lam Kinh: https://x.vn/go/abc") == 1
    assert channels.sms_segments("Thành nhà Hồ " * 6) == 2  # tones: UCS-2, 70 a message
    assert channels.sms_segments("a" * 160) == 1 and channels.sms_segments("a" * 161) == 2
    assert channels.problems("instagram", "x" * 2201) and not channels.problems("instagram", "x" * 2200)
    assert channels.problems("instagram", " ".join(f"#t{i}" for i in range(31)))
    assert channels.problems("facebook", "x" * 10_000) == []


def test_an_item_is_built_from_a_place_in_its_language(campaign, people) -> None:  # noqa: F811, ANN001
    place = Place.objects.get(slug="thanh-nha-ho")
    item = services.make_item(campaign, people["dept_editor"], channel="wechat", language="zh-hans", place=place,
                              market=campaign.markets.get())
    assert item.link.target == "/zh-hans/places/thanh-nha-ho/" and f"/go/{item.link.code}" in item.text
    place.set_current_language("zh-hans")
    assert place.name in item.text and item.status == Item.Status.DRAFT
    sms = services.make_item(campaign, people["dept_editor"], channel="sms", language="vi", place=place)
    assert channels.sms_segments(sms.text) == 1  # accents dropped to keep one message


def test_approval_by_another_person_schedule_and_posting_keep_what_was_published(campaign, people) -> None:  # noqa: F811, ANN001, E501
    place = Place.objects.get(slug="thanh-nha-ho")
    item = services.make_item(campaign, people["dept_editor"], channel="facebook", language="en", place=place)
    with pytest.raises(services.CampaignError, match="someone other than its author"):
        services.approve(item, people["dept_editor"])
    with pytest.raises(services.CampaignError, match="cannot run"):
        services.approve(item, people["sam_son_editor"])
    item = services.approve(item, people["admin"])
    with pytest.raises(services.CampaignError, match="future"):
        services.schedule(item, people["admin"], timezone.now() - dt.timedelta(hours=1))
    item = services.schedule(item, people["admin"], timezone.now() + dt.timedelta(days=2))
    item = services.mark_published(item, people["dept_editor"])
    assert item.published_text == item.text and item.published_at
    with pytest.raises(services.CampaignError, match="cannot go to that step"):
        services.approve(item, people["admin"])
    steps = AuditEntry.objects.filter(object_id=str(item.pk), action=AuditEntry.Action.STATUS).count()
    assert steps == 3


def test_a_text_too_long_for_the_channel_is_not_approved(campaign, people) -> None:  # noqa: F811, ANN001
    item = services.make_item(campaign, people["dept_editor"], channel="instagram", language="vi",
                              place=Place.objects.get(slug="thanh-nha-ho"))
    Item.objects.filter(pk=item.pk).update(text="x" * 2300)
    item.refresh_from_db()
    with pytest.raises(services.CampaignError, match="2300 characters"):
        services.approve(item, people["admin"])


def test_the_back_office_package_calendar_and_a_published_item_kept(client, campaign, people) -> None:  # noqa: F811, ANN001, E501
    place = Place.objects.get(slug="thanh-nha-ho")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dept_editor"])
    answer = client.post("/admin/campaigns/item/add/", {"campaign": campaign.pk, "channel": "instagram",
                                                       "language": "fr", "place": place.pk, "text": ""})
    assert answer.status_code == 302
    item = Item.objects.get()
    package = client.get(f"/admin/campaigns/item/{item.pk}/package/").content.decode()
    assert f"/go/{item.link.code}" in package and "<svg" in package
    picture = client.get(f"/admin/campaigns/item/{item.pk}/picture.jpg")
    if item.photo is not None:
        import io

        from PIL import Image

        width, height = Image.open(io.BytesIO(picture.content)).size
        assert (width, height) == (1200, 1500)  # Instagram's 4:5
    assert "Calendar" in client.get(f"/admin/campaigns/campaign/{campaign.pk}/dashboard/").content.decode()
    services.approve(item, people["admin"])
    services.mark_published(Item.objects.get(pk=item.pk), people["admin"])
    client.post(f"/admin/campaigns/item/{item.pk}/change/", {"text": "changed", "market": "", "scheduled_at": ""})
    item.refresh_from_db()
    assert item.text != "changed" and item.published_text == item.text


def test_a_market_landing_page_puts_the_campaign_places_first(client, campaign, people) -> None:  # noqa: F811, ANN001
    place = Place.objects.get(slug="thanh-nha-ho")
    market = campaign.markets.get()
    services.make_item(campaign, people["dept_editor"], channel="wechat", language="zh-hans", place=place,
                       market=market)
    url = f"/zh-hans/campaigns/{campaign.slug}/{market.code}/"
    assert client.get(url).status_code == 404  # a draft campaign has no public page
    campaign.status = "running"
    campaign.save()
    page = client.get(url).content.decode()
    place.set_current_language("zh-hans")
    assert place.name in page and "must_see=thanh-nha-ho" in page
    assert client.get(f"/zh-hans/campaigns/{campaign.slug}/xx/").status_code == 404


def test_the_item_form_refuses_bad_input_with_a_message_and_schedules_by_action(client, campaign, people) -> None:  # noqa: F811, ANN001, E501
    from xuthanh.campaigns.models import Market

    other = Market.objects.create(code="jp", kind="international")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["dept_editor"])
    place = Place.objects.get(slug="thanh-nha-ho")
    answer = client.post("/admin/campaigns/item/add/", {"campaign": campaign.pk, "channel": "line", "language": "en",
                                                       "market": other.pk, "place": place.pk})
    assert answer.status_code == 200 and "not one of the campaign" in answer.content.decode()
    answer = client.post("/admin/campaigns/item/add/", {"campaign": campaign.pk, "channel": "line", "language": "ja"})
    assert answer.status_code == 200 and "one place, event, tour or contest winner" in answer.content.decode()
    when = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post("/admin/campaigns/item/add/", {"campaign": campaign.pk, "channel": "line", "language": "en",
                                               "place": place.pk, "scheduled_at": when})
    item = Item.objects.get()
    services.approve(item, people["admin"])
    client.post("/admin/campaigns/item/", {"action": "schedule_items", "_selected_action": [item.pk]})
    assert Item.objects.get(pk=item.pk).status == Item.Status.SCHEDULED


def test_items_from_a_tour_and_from_a_contest_winner(campaign, people) -> None:  # noqa: F811, ANN001
    from xuthanh.catalog.models import Tour, TourStop
    from xuthanh.contests import services as contest_services
    from xuthanh.contests.tests.conftest import make_contest
    from xuthanh.contests.tests.test_services import accepted_entries

    tour = Tour(slug="hai-ngay-thanh-hoa", operator=people["business"], days=2)
    tour.set_current_language("en")
    tour.name, tour.summary = "Two days of Thanh Hóa", "The citadel and the sea."
    tour.save()
    with pytest.raises(services.CampaignError, match="no stops"):
        services.make_item(campaign, people["dept_editor"], channel="facebook", language="en", tour=tour)
    for n, slug in enumerate(["thanh-nha-ho", "bien-sam-son", "thanh-nha-ho"]):
        TourStop.objects.create(tour=tour, place=Place.objects.get(slug=slug), day=1 + n // 2, position=n)
    item = services.make_item(campaign, people["dept_editor"], channel="facebook", language="en", tour=tour)
    assert item.link.target == "/en/trips/plan/?must_see=thanh-nha-ho&must_see=bien-sam-son"
    assert "Two days of Thanh Hóa" in item.text and "The citadel and the sea." in item.text
    assert services.answers(item.link.target.split("?")[0])

    contest = make_contest()
    place = Place.objects.get(slug="thanh-nha-ho")
    winner, other = accepted_entries(contest, place, people, n=2)
    with pytest.raises(services.CampaignError, match="won an award"):
        services.make_item(campaign, people["dept_editor"], channel="zalo", language="en", entry=winner)
    contest_services.award(contest, people["admin"], winner, rank=1, prize="First prize")
    item = services.make_item(campaign, people["dept_editor"], channel="zalo", language="en", entry=winner)
    assert item.link.target == f"/en/contests/{contest.slug}/entries/{winner.pk}/"
    assert f"© {winner.entrant.credit_name}" in item.text  # the author credited
    assert services.source_of(item) == winner
    with pytest.raises(services.CampaignError, match="one place, event, tour or contest winner"):
        services.make_item(campaign, people["dept_editor"], channel="zalo", language="en", entry=other, tour=tour)


def test_a_campaign_with_approvers_is_approved_by_them_only(campaign, people) -> None:  # noqa: F811, ANN001
    place = Place.objects.get(slug="thanh-nha-ho")
    campaign.approvers.set([people["translator"]])  # named, though not an editor: still cannot run campaigns
    item = services.make_item(campaign, people["dept_editor"], channel="facebook", language="en", place=place)
    with pytest.raises(services.CampaignError, match="approvers only"):
        services.approve(item, people["statistician"])
    campaign.approvers.set([people["admin"]])
    assert services.approve(item, people["admin"]).status == Item.Status.APPROVED


def test_the_calendar_per_campaign_and_market(client, campaign, people) -> None:  # noqa: F811, ANN001
    from xuthanh.campaigns import selectors
    from xuthanh.campaigns.models import Market

    korea = Market.objects.create(code="kr", kind="international")
    campaign.markets.add(korea)
    place = Place.objects.get(slug="thanh-nha-ho")
    when = timezone.make_aware(dt.datetime(2027, 2, 14, 9, 30))
    china = services.make_item(campaign, people["dept_editor"], channel="wechat", language="zh-hans", place=place,
                               market=campaign.markets.get(code="cn"), scheduled_at=when)
    everyone = services.make_item(campaign, people["dept_editor"], channel="facebook", language="en", place=place,
                                  scheduled_at=when + dt.timedelta(days=1))
    korean = services.make_item(campaign, people["dept_editor"], channel="kakaotalk", language="en", place=place,
                                market=korea)
    months, unscheduled = selectors.calendar(campaign)
    assert [m.first for m in months] == [dt.date(2027, 1, 1), dt.date(2027, 2, 1), dt.date(2027, 3, 1)]
    february = {day: items for week in months[1].weeks for day, items in week if day}
    assert february[dt.date(2027, 2, 14)] == [china] and february[dt.date(2027, 2, 15)] == [everyone]
    assert unscheduled == [korean]
    months, unscheduled = selectors.calendar(campaign, "kr")
    february = {day: items for week in months[1].weeks for day, items in week if day}
    assert february[dt.date(2027, 2, 14)] == [] and february[dt.date(2027, 2, 15)] == [everyone]
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(people["admin"])
    page = client.get(f"/admin/campaigns/campaign/{campaign.pk}/dashboard/?market=cn").content.decode()
    assert "February 2027" in page and f"/admin/campaigns/item/{china.pk}/change/" in page
    assert f"/admin/campaigns/item/{korean.pk}/change/" not in page
