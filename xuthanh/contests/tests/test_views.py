"""The contests' pages and API as people use them: taking part from a confirmed e-mail to "my entries", the
gallery (its queries do not grow with the entries), the vote button, the jury's blind pages, the back office's
moderation and rounds, and bad input answered with a message, never a 500."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xuthanh.contests import services
from xuthanh.contests.models import Entry, Round, Task
from xuthanh.contests.tests.conftest import confirmed, make_contest, picture, upload
from xuthanh.contests.tests.test_services import accepted_entries, entrant_for, photo_entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["vi", "en", "zh-hans", "fr"])
def test_public_pages_in_the_four_languages(client, contest, place, people, lang) -> None:  # noqa: ANN001
    entry = accepted_entries(contest, place, people, n=1)[0]
    for path in ("", "gallery/", "results/", "privacy/", f"entries/{entry.pk}/"):
        answer = client.get(f"/{lang}/contests/{contest.slug}/{path}")
        assert answer.status_code == 200, path
    assert client.get(f"/{lang}/contests/").status_code == 200
    assert client.get(f"/{lang}/contests/nope/").status_code == 404


def test_an_entry_not_accepted_is_not_public(client, contest, place) -> None:  # noqa: ANN001
    entry = photo_entry(contest, entrant_for(contest), place)
    assert client.get(f"/en/contests/{contest.slug}/entries/{entry.pk}/").status_code == 404
    assert client.get(f"/en/contests/{contest.slug}/gallery/").content.decode().count("/entries/") == 0


def test_the_sample_contest_says_so_and_past_contests_cite_their_source(client, db) -> None:  # noqa: ANN001
    from xuthanh.contests import loader

    assert loader.load() == (3, 1)
    page = client.get("/en/contests/").content.decode()
    assert "Sample" in page and "truyenhinhthanhhoa.vn" in page and "735 entries" in page
    assert 'class="badge sample"' in client.get("/fr/contests/xu-thanh-qua-ong-kinh-mau/").content.decode()


def test_taking_part_from_the_e_mail_link_to_my_entries(client, contest, place, settings) -> None:  # noqa: ANN001
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("ann", password="correct horse battery"))
    enter = f"/en/contests/{contest.slug}/enter/"
    answer = client.get(enter)
    assert answer.status_code == 302 and "/account/email/" in answer["Location"]
    client.post("/en/account/email/", {"email": "ann@example.org", "next": enter})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200  # a page with a button: a mail scanner does not confirm
    assert client.post(link).status_code == 302
    form = client.get(enter).content.decode()
    assert 'name="privacy_consent"' in form and "checked" not in form  # no box ticked in advance
    answer = client.post(enter, {"full_name": "Ann Lê"})
    assert answer.status_code == 422 and "consent" in answer.content.decode()
    assert client.post(enter, {"full_name": "Ann Lê", "privacy_consent": "on"}).status_code == 302
    form = client.get(enter).content.decode()
    assert 'name="licence"' in form and 'name="share_with_catalogue"' in form and " checked" not in form
    data = {"category": contest.categories.get(kind="photo").pk, "title": "Thành nhà Hồ", "place": place.pk,
            "licence": "CC-BY-SA-4.0"}
    answer = client.post(enter, {**data, "upload": upload(picture(1))})
    assert answer.status_code == 422 and "author" in answer.content.decode()  # the licence box
    answer = client.post(enter, {**data, "licence_accept": "on", "upload": upload(picture(1, fmt="PNG"))})
    assert answer.status_code == 422 and "holds a PNG image" in answer.content.decode()
    from xuthanh.core import attribution

    heard = []
    attribution.outcome.connect(receiver := lambda sender, **kw: heard.append((kw["code"], kw["kind"])))
    client.cookies[attribution.COOKIE] = "abcdefg"  # came by a campaign's short link
    try:
        answer = client.post(enter, {**data, "licence_accept": "on", "upload": upload(picture(1))})
    finally:
        attribution.outcome.disconnect(receiver)
    assert answer.status_code == 302
    assert heard == [("abcdefg", "entry")]  # the entry counted for that link (campaigns listen)
    mine = client.get(answer["Location"]).content.decode()
    assert "Thành nhà Hồ" in mine and "received" in mine


def test_a_link_for_another_account_confirms_nothing(client, db, settings) -> None:  # noqa: ANN001
    from django.contrib.auth import get_user_model

    from xuthanh.accounts import email

    owner = get_user_model().objects.create_user("owner")
    other = get_user_model().objects.create_user("other")
    client.force_login(other)
    answer = client.post(f"/en/account/email/confirm/{email.token(owner, 'o@example.org')}/")
    assert answer.status_code == 400 and "another account" in answer.content.decode()
    assert client.post("/en/account/email/confirm/garbage/").status_code == 400
    assert email.verified_email(other) is None


def test_the_gallery_reads_the_same_whatever_the_entries(client, contest, place, people) -> None:  # noqa: ANN001
    accepted_entries(contest, place, people, n=2)
    url = f"/en/contests/{contest.slug}/gallery/?category=di-san"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    entrant = entrant_for(contest, "many")
    for seed in range(30, 42):
        services.accept(photo_entry(contest, entrant, place, seed=seed), people["admin"])
    client.get(url)  # the first read after a write reads the contest again (a new content version)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few) <= 8
    assert page.count("/entries/") == 14 and "© Author Nguyễn" in page and "CC BY-SA 4.0" in page
    first = Entry.objects.order_by("id").first()
    answer = client.get(f"/en/contests/{contest.slug}/gallery/?before={first.pk + 1}&category=nope")
    assert answer.status_code == 200 and answer.content.decode().count("/entries/") == 1
    assert client.get(f"/en/contests/{contest.slug}/gallery/?before=abc").status_code == 200


def test_the_vote_button_answers_json_and_refuses_with_a_reason(client, place, people) -> None:  # noqa: ANN001
    contest = make_contest("submissions", slug="bc")
    entry = accepted_entries(contest, place, people, n=1)[0]
    now = timezone.now()
    contest.submissions_close, contest.vote_open = now - timezone.timedelta(hours=2), now - timezone.timedelta(hours=1)
    contest.save()
    url = f"/en/contests/{contest.slug}/entries/{entry.pk}/vote/"
    answer = client.post(url, HTTP_ACCEPT="application/json")
    assert answer.status_code == 401 and "Sign in" in answer.json()["error"]
    client.force_login(confirmed("voter"))
    assert client.post(url, HTTP_ACCEPT="application/json").json() == {"votes": 1}
    answer = client.post(url, HTTP_ACCEPT="application/json")
    assert answer.status_code == 409 and "already voted" in answer.json()["error"]
    answer = client.post(url)
    assert answer.status_code == 409 and "already voted" in answer.content.decode()
    assert client.post(f"/en/contests/{contest.slug}/entries/999999/vote/").status_code == 409
    assert client.get(url).status_code == 405
    page = client.get(f"/en/contests/{contest.slug}/entries/{entry.pk}/").content.decode()
    assert "data-vote" in page and "contests.js" in page


def test_my_entries_withdraw_and_appeal(client, contest, place, people) -> None:  # noqa: ANN001
    entry = photo_entry(contest, entrant_for(contest), place)
    services.disqualify(entry, people["admin"], "Ảnh có chữ ký trên khung hình.")
    client.force_login(entry.entrant.user)
    page = client.get(f"/en/contests/{contest.slug}/mine/").content.decode()
    assert "Ảnh có chữ ký trên khung hình." in page
    answer = client.post(f"/en/contests/{contest.slug}/mine/{entry.pk}/appeal/", {"text": "Chữ ký là của tôi."})
    assert answer.status_code == 302
    assert client.post(f"/en/contests/{contest.slug}/mine/{entry.pk}/appeal/", {"text": "x"}).status_code == 422
    client.force_login(confirmed("mallory"))
    assert client.post(f"/en/contests/{contest.slug}/mine/{entry.pk}/withdraw/").status_code == 404
    client.force_login(entry.entrant.user)
    assert client.post(f"/en/contests/{contest.slug}/mine/{entry.pk}/withdraw/").status_code == 302
    assert not Entry.objects.exists()


def test_a_juror_judges_blind_and_never_sees_a_conflicted_entry(client, contest, place, people) -> None:  # noqa: ANN001
    entries = accepted_entries(contest, place, people, n=2)
    juror = confirmed("juror")
    round_ = services.open_round(entries[0].category, people["admin"], method="yesno", quorum=1, jurors=[juror])
    client.force_login(juror)
    assert f"/contests/jury/{round_.pk}/" in client.get("/en/contests/jury/").content.decode()
    url = f"/en/contests/jury/{round_.pk}/"
    page = client.get(url).content.decode()
    author = entries[0].entrant
    assert author.full_name not in page and author.credit_name not in page and author.email not in page
    shown = services.next_task(round_, juror).entry_id
    assert client.post(url, {"action": "conflict", "entry": shown}).status_code == 302
    assert f"#{shown} " not in client.get(url).content.decode()
    other = services.next_task(round_, juror).entry_id
    assert client.post(url, {"entry": other, "value": "7"}).status_code == 422
    assert client.post(url, {"entry": other, "value": "x"}).status_code == 422
    assert client.post(url, {"entry": other, "value": "1"}).status_code == 302
    assert Task.objects.get(round=round_, juror=juror).value == 1
    client.force_login(confirmed("stranger"))
    assert client.get(url).status_code == 404


def test_back_office_moderation_and_rounds(client, contest, place, people) -> None:  # noqa: ANN001
    entry = photo_entry(contest, entrant_for(contest), place)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the back office speaks the officer's language
    client.force_login(people["admin"])
    for url in ("/admin/contests/contest/", f"/admin/contests/contest/{contest.pk}/change/", "/admin/contests/entry/",
                f"/admin/contests/entry/{entry.pk}/change/", "/admin/contests/round/add/", "/admin/contests/entrant/"):
        assert client.get(url).status_code == 200, url
    answer = client.post(f"/admin/contests/entry/{entry.pk}/disqualify/", {"reason": ""})
    assert answer.status_code == 422
    assert client.post(f"/admin/contests/entry/{entry.pk}/disqualify/", {"reason": "Ảnh ghép."}).status_code == 302
    entry.refresh_from_db()
    assert entry.state == Entry.State.DISQUALIFIED
    client.post("/admin/contests/entry/", {"action": "accept_entries", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.state == Entry.State.ACCEPTED
    juror = confirmed("juror")
    answer = client.post("/admin/contests/round/add/", {"category": entry.category_id, "method": "yesno",
                                                        "quorum": 2, "jurors": [juror.pk]})
    assert answer.status_code == 302 and not Round.objects.exists()  # refused: 2 jurors needed, with a message
    answer = client.post("/admin/contests/round/add/", {"category": entry.category_id, "method": "yesno",
                                                        "quorum": 1, "jurors": [juror.pk]}, follow=True)
    round_ = Round.objects.get()
    assert round_.tasks.count() == 1
    assert client.get(f"/admin/contests/round/{round_.pk}/jurors/").status_code == 200
    assert client.post(f"/admin/contests/round/{round_.pk}/jurors/", {"jurors": []}).status_code == 422
    answer = client.post(f"/admin/contests/round/{round_.pk}/close/", {"keep": 0})
    assert answer.status_code == 422 and "quorum" in answer.content.decode()
    services.judge(round_, juror, entry.pk, 1)
    assert client.post(f"/admin/contests/round/{round_.pk}/close/", {"keep": 0}).status_code == 302
    assert "meter" in client.get(f"/admin/contests/round/{round_.pk}/change/").content.decode()
    table = client.get(f"/admin/contests/round/{round_.pk}/table.csv").content.decode()
    assert f"{entry.pk},1.0,1,True" in table and f"{entry.pk},{juror.pk},1," in table
    assert client.post(f"/admin/contests/entry/{entry.pk}/award/", {"rank": 1, "prize": "Giải Nhất"}).status_code == 302
    client.force_login(people["sam_son_editor"])
    assert client.get("/admin/contests/entry/").status_code == 403


def test_results_and_a_certificate_with_a_signed_address(client, place, people) -> None:  # noqa: ANN001
    from xuthanh.contests.views import certificate_token

    contest = make_contest("submissions", slug="ket-qua")
    entry = accepted_entries(contest, place, people, n=1)[0]
    award = services.award(contest, people["admin"], entry, rank=1, prize="Giải Nhất")
    assert "Giải Nhất" not in client.get(f"/en/contests/{contest.slug}/results/").content.decode()
    now = timezone.now()
    contest.submissions_close, contest.vote_open, contest.vote_close = (now - timezone.timedelta(days=d)
                                                                        for d in (9, 8, 7))
    contest.results_at = now - timezone.timedelta(minutes=1)
    contest.save()
    assert "Giải Nhất" in client.get(f"/en/contests/{contest.slug}/results/").content.decode()
    page = client.get(f"/en/contests/{contest.slug}/certificate/{certificate_token(award.pk)}/").content.decode()
    assert entry.entrant.credit_name in page and "Giải Nhất" in page
    assert client.get(f"/en/contests/{contest.slug}/certificate/{award.pk}/").status_code == 404


def test_the_api_gives_entries_with_their_attribution(client, contest, place, people) -> None:  # noqa: ANN001
    entry = accepted_entries(contest, place, people, n=1)[0]
    found = client.get("/api/v1/contests?lang=fr").json()
    assert found[0]["slug"] == contest.slug and found[0]["phase"] == "submissions"
    page = client.get(f"/api/v1/contests/{contest.slug}/entries?category=di-san").json()
    item = page["results"][0]
    assert item["id"] == entry.pk and item["licence"] == "CC-BY-SA-4.0"
    assert item["attribution"] == "© Author Nguyễn, CC BY-SA 4.0" and item["place"] == place.slug
    assert item["image"].startswith("http://testserver/") and page["next_before"] is None
    assert client.get("/api/v1/contests/nope/entries").status_code == 404
    assert client.get(f"/api/v1/contests/{contest.slug}/entries?before=-1").status_code == 422


def test_a_winner_in_the_catalogue_is_credited_on_the_place_page_and_in_the_api(client, contest, place, people,
                                                                                 django_capture_on_commit_callbacks) -> None:  # noqa: ANN001, E501
    entry = photo_entry(contest, entrant_for(contest), place, licence="CC-BY-4.0", share_with_catalogue=True)
    services.accept(entry, people["admin"])
    services.award(contest, people["admin"], entry, rank=1, prize="Giải Nhất")
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.to_catalogue(entry, people["admin"], source_url=f"http://testserver/vi/contests/{contest.slug}/"
                                                                         f"entries/{entry.pk}/")
    page = client.get(f"/en/places/{place.slug}/").content.decode()
    assert "Ann Nguyễn</a>, CC BY 4.0" in page and f"/entries/{entry.pk}/" in page
    found = client.get(f"/api/v1/places/{place.slug}").json()["photos"]
    assert {"author": "Ann Nguyễn", "licence": "CC-BY-4.0"}.items() <= next(
        p for p in found if p["author"] == "Ann Nguyễn").items()
    photo.refresh_from_db()
    assert photo.renditions  # its copies were made in the queue, as for any catalogue photo
