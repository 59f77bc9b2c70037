"""What people do in a contest, through the services: taking part, entries and their checks, moderation,
the public vote (also under real concurrency on PostgreSQL), the jury's rounds, awards and the catalogue."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone, translation

from xuthanh.catalog.models import Photo
from xuthanh.contests import services
from xuthanh.contests.models import Award, Ballot, Conflict, Entry, Round, Task, Vote
from xuthanh.contests.services import ContestError
from xuthanh.contests.tests.conftest import confirmed, exif_with_gps, make_contest, picture, upload
from xuthanh.contests.tests.test_media import make_film, needs_ffmpeg
from xuthanh.core.models import AuditEntry


def entrant_for(contest, username: str = "ann"):  # noqa: ANN001, ANN201
    user = confirmed(username)
    return services.register(contest, user, full_name=f"{username.title()} Nguyễn", credit_name="", minor=False,
                             privacy_consent=True)


def photo_entry(contest, entrant, place, seed: int = 1, **extra) -> Entry:  # noqa: ANN001
    return services.submit(contest, entrant, category=contest.categories.get(kind="photo"), title=f"Ảnh {seed}",
                           place=place, licence=extra.pop("licence", "CC-BY-SA-4.0"),
                           upload=upload(picture(seed, exif=exif_with_gps())), **extra)


# --- taking part ---------------------------------------------------------------------------------------------

def test_taking_part_needs_a_confirmed_address_and_consent(contest) -> None:  # noqa: ANN001
    plain = get_user_model().objects.create_user("plain", password="correct horse battery")
    with pytest.raises(ContestError, match="Confirm your e-mail"):
        services.register(contest, plain, full_name="A", credit_name="", minor=False, privacy_consent=True)
    user = confirmed("bob")
    with pytest.raises(ContestError, match="consent"):
        services.register(contest, user, full_name="Bob", credit_name="", minor=False, privacy_consent=False)
    with pytest.raises(ContestError, match="parent or guardian"):
        services.register(contest, user, full_name="Bob", credit_name="", minor=True, privacy_consent=True)
    entrant = services.register(contest, user, full_name="Bob", credit_name="B.", minor=True, guardian_name="Mẹ",
                                guardian_consent=True, privacy_consent=True)
    assert entrant.email == "bob@example.org" and entrant.guardian_consent_at and entrant.privacy_version
    with pytest.raises(ContestError, match="already taking part"):
        services.register(contest, user, full_name="Bob", credit_name="", minor=False, privacy_consent=True)


def test_no_registration_outside_the_submission_period(db) -> None:  # noqa: ANN001
    with pytest.raises(ContestError, match="not taking entries"):
        entrant_for(make_contest("judging"))


# --- entries -------------------------------------------------------------------------------------------------

def test_a_photo_entry_keeps_its_licence_version_and_has_no_gps(contest, place) -> None:  # noqa: ANN001
    entry = photo_entry(contest, entrant_for(contest), place)
    assert (entry.licence, entry.licence_version) == ("CC-BY-SA-4.0", "4.0") and entry.licence_at
    assert entry.camera == "FUJIFILM X-T4" and entry.taken_at and entry.phash is not None
    from PIL import Image

    for field in (entry.image, entry.small):
        with default_storage.open(field.name, "rb") as handle, Image.open(handle) as img:
            assert 0x8825 not in img.getexif()
    assert entry.state == Entry.State.SUBMITTED


def test_the_licence_is_required_and_must_be_allowed(contest, place) -> None:  # noqa: ANN001
    entrant = entrant_for(contest)
    contest.licences = ["CC-BY-4.0"]
    contest.save()
    for licence in ("", "CC-BY-SA-4.0", "all-rights-reserved"):
        with pytest.raises(ContestError, match="licences the rules allow"):
            photo_entry(contest, entrant, place, licence=licence)
    assert not Entry.objects.exists()


def test_the_place_must_be_named_and_in_thanh_hoa(contest) -> None:  # noqa: ANN001
    entrant = entrant_for(contest)
    category = contest.categories.get(kind="photo")
    with pytest.raises(ContestError, match="Name the place"):
        services.submit(contest, entrant, category=category, title="x", licence="CC-BY-4.0", upload=upload(picture()))
    with pytest.raises(ContestError, match="outside Thanh Hóa"):
        services.submit(contest, entrant, category=category, title="x", licence="CC-BY-4.0", lat=21.03, lon=105.85,
                        upload=upload(picture()))
    entry = services.submit(contest, entrant, category=category, title="Biển", licence="CC-BY-4.0", lat=19.75,
                            lon=105.90, upload=upload(picture()))
    assert (entry.lat, entry.lon) == (19.75, 105.90)


def test_a_contest_limited_to_places_refuses_others(contest, place) -> None:  # noqa: ANN001
    from xuthanh.catalog.models import Place

    other = Place.objects.exclude(pk=place.pk).filter(status="published").first()
    contest.places.set([other])
    with pytest.raises(ContestError, match="limited to some places"):
        photo_entry(contest, entrant_for(contest), place)


def test_a_refused_upload_stores_nothing(contest, place) -> None:  # noqa: ANN001
    entrant = entrant_for(contest)
    category = contest.categories.get(kind="photo")
    with pytest.raises(ContestError, match="SVG"):
        services.submit(contest, entrant, category=category, title="x", place=place, licence="CC-BY-4.0",
                        upload=upload(b"<svg><script>alert(1)</script></svg>", "x.jpg"))
    assert not Entry.objects.exists()


def test_an_article_is_sanitised_and_needs_words(contest, place) -> None:  # noqa: ANN001
    entrant = entrant_for(contest)
    category = contest.categories.get(kind="article")
    with pytest.raises(ContestError, match="50 words"):
        services.submit(contest, entrant, category=category, title="Bài", place=place, licence="grant",
                        body="<p>ngắn</p>")
    body = "<p>" + " ".join(["chữ"] * 60) + '<script>alert(1)</script><img src=x onerror="alert(1)"></p>'
    entry = services.submit(contest, entrant, category=category, title="Bài", place=place, licence="grant",
                            body=body, pictures=[upload(picture(4, size=(800, 600)), "h.jpg")])
    assert "script" not in entry.body and "onerror" not in entry.body and entry.pictures.count() == 1


def test_a_film_link_only_where_the_rules_allow(contest, place) -> None:  # noqa: ANN001
    entrant = entrant_for(contest)
    category = contest.categories.get(kind="film")
    entry = services.submit(contest, entrant, category=category, title="Phim", place=place, licence="CC-BY-4.0",
                            video_url="https://youtu.be/abc")
    assert entry.video_url == "https://youtu.be/abc"
    contest.allow_video_links = False
    contest.save()
    with pytest.raises(ContestError, match="film file itself"):
        services.submit(contest, entrant, category=category, title="Phim", place=place, licence="CC-BY-4.0",
                        video_url="https://youtu.be/abc")
    with pytest.raises(ContestError, match="not a film"):
        services.submit(contest, entrant, category=category, title="Phim", place=place, licence="CC-BY-4.0",
                        upload=upload(picture(), "film.mp4"))


def test_an_oversized_film_is_refused_before_reading(contest, place) -> None:  # noqa: ANN001
    contest.max_film_mb = 1
    contest.save()
    big = upload(b"\0\0\0\x20ftypisom" + b"\0" * (2 * 1024 * 1024), "big.mp4")
    with pytest.raises(ContestError, match="at most 1 MB"):
        services.submit(contest, entrant_for(contest), category=contest.categories.get(kind="film"), title="P",
                        place=place, licence="CC-BY-4.0", upload=big)


@needs_ffmpeg
def test_a_film_upload_is_made_ready_in_the_queue(contest, place, tmp_path, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001, E501
    film = make_film(tmp_path / "f.mp4").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):  # Huey runs at once in tests, when the data commits
        entry = services.submit(contest, entrant_for(contest), category=contest.categories.get(kind="film"),
                                title="Phim", place=place, licence="CC-BY-4.0", upload=upload(film, "f.mp4"))
    entry.refresh_from_db()
    assert entry.state == Entry.State.SUBMITTED and entry.video_web and entry.small and 1.5 < entry.duration < 2.5
    with django_capture_on_commit_callbacks(execute=True):
        broken = services.submit(contest, entry.entrant, category=entry.category, title="Hỏng", place=place,
                                 licence="CC-BY-4.0", upload=upload(film[:300] + b"\0" * 4000, "b.mp4"))
    broken.refresh_from_db()
    assert broken.state == Entry.State.DISQUALIFIED and "refused" in broken.reason


def test_duplicates_of_earlier_entries_and_catalogue_photos_are_flagged(contest, place) -> None:  # noqa: ANN001
    first = photo_entry(contest, entrant_for(contest), place, seed=7)
    again = photo_entry(contest, entrant_for(contest, "cy"), place, seed=7)
    assert again.duplicate_of_id == first.pk
    assert photo_entry(contest, again.entrant, place, seed=8).duplicate_of_id is None
    photo = Photo(place=place, author="Sở VHTTDL", licence="own")
    photo.image.save("c.jpg", upload(picture(11)), save=False)
    photo.save()
    assert photo_entry(contest, again.entrant, place, seed=11).duplicate_photo_id == photo.pk


def test_withdrawing_before_the_results_deletes_the_entry_and_its_files(contest, place, django_capture_on_commit_callbacks) -> None:  # noqa: ANN001, E501
    entry = photo_entry(contest, entrant_for(contest), place)
    names = [entry.image.name, entry.small.name]
    with pytest.raises(ContestError, match="author"):
        services.withdraw(entry, confirmed("mallory"))
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(entry, entry.entrant.user)
    assert not Entry.objects.exists() and not any(default_storage.exists(n) for n in names)


# --- moderation ----------------------------------------------------------------------------------------------

def test_disqualification_reason_and_appeal(contest, place, people) -> None:  # noqa: ANN001
    entry = photo_entry(contest, entrant_for(contest), place)
    with pytest.raises(ContestError, match="cannot moderate"):
        services.disqualify(entry, people["sam_son_editor"], "x")
    with pytest.raises(ContestError, match="reason"):
        services.disqualify(entry, people["dept_editor"], " ")
    services.disqualify(entry, people["dept_editor"], "Ảnh ghép.")
    entry.refresh_from_db()
    assert entry.reason == "Ảnh ghép." and entry.state == Entry.State.DISQUALIFIED
    services.appeal(entry, entry.entrant.user, "Ảnh gốc, tôi gửi file RAW.")
    with pytest.raises(ContestError, match="once"):
        services.appeal(entry, entry.entrant.user, "again")
    services.answer_appeal(entry, people["dept_editor"], upheld=True, answer="Đã kiểm tra file RAW.")
    entry.refresh_from_db()
    assert entry.state == Entry.State.ACCEPTED and entry.appeal == Entry.Appeal.UPHELD
    assert AuditEntry.objects.filter(object_id=str(entry.pk), action=AuditEntry.Action.STATUS).count() == 2


# --- the public vote -----------------------------------------------------------------------------------------

def accepted_entries(contest, place, people, n: int = 2) -> list[Entry]:  # noqa: ANN001
    entrant = entrant_for(contest, "author")
    entries = [photo_entry(contest, entrant, place, seed=20 + i) for i in range(n)]
    for entry in entries:
        services.accept(entry, people["admin"])
    return entries


@pytest.fixture
def voting(db, place, people):  # noqa: ANN001, ANN201
    contest = make_contest("submissions", slug="binh-chon")
    entries = accepted_entries(contest, place, people, n=5)
    now = timezone.now()
    contest.vote_open, contest.vote_close = now - timezone.timedelta(hours=1), now + timezone.timedelta(days=1)
    contest.submissions_close = now - timezone.timedelta(hours=2)
    contest.submissions_open = now - timezone.timedelta(days=3)
    contest.save()
    return contest, entries


def test_one_vote_per_voter_and_entry(voting) -> None:  # noqa: ANN001
    _contest, entries = voting
    voter = confirmed("voter")
    assert services.vote(entries[0].pk, voter, address="10.0.0.1") == 1
    with pytest.raises(ContestError, match="already voted"):
        services.vote(entries[0].pk, voter, address="10.0.0.1")
    entries[0].refresh_from_db()
    assert entries[0].votes == 1 and Vote.objects.count() == 1
    assert Ballot.objects.get(voter=voter).used == 1


def test_the_category_limit(voting) -> None:  # noqa: ANN001
    contest, entries = voting
    contest.votes_per_category = 2
    contest.save()
    voter = confirmed("voter")
    services.vote(entries[0].pk, voter, address="a")
    services.vote(entries[1].pk, voter, address="a")
    with pytest.raises(ContestError, match="used your 2 votes"):
        services.vote(entries[2].pk, voter, address="a")


def test_votes_refused_outside_the_period_for_disqualified_or_own_entries(voting, people) -> None:  # noqa: ANN001
    contest, entries = voting
    voter = confirmed("voter")
    with pytest.raises(ContestError, match="Sign in"):
        services.vote(entries[0].pk, AnonymousUser(), address="a")
    with pytest.raises(ContestError, match="Confirm your e-mail"):
        services.vote(entries[0].pk, get_user_model().objects.create_user("plain"), address="a")
    with pytest.raises(ContestError, match="own entry"):
        services.vote(entries[0].pk, entries[0].entrant.user, address="a")
    services.disqualify(entries[1], people["admin"], "Trùng lặp.")
    with pytest.raises(ContestError, match="cannot receive votes"):
        services.vote(entries[1].pk, voter, address="a")
    contest.vote_close = timezone.now() - timezone.timedelta(minutes=1)
    contest.save()
    with pytest.raises(ContestError, match="not open"):
        services.vote(entries[0].pk, voter, address="a")
    assert not Vote.objects.exists()


def test_votes_are_rate_limited(voting, settings) -> None:  # noqa: ANN001
    from django.core.cache import cache

    _contest, entries = voting
    cache.clear()  # the counters of earlier tests (same user numbers) live in the test cache
    settings.CONTEST_VOTES_PER_MINUTE = 2
    for i, entry in enumerate(entries[:2]):
        services.vote(entry.pk, confirmed(f"v{i}"), address="192.0.2.9")
    with pytest.raises(ContestError, match="Too many votes"):
        services.vote(entries[2].pk, confirmed("v9"), address="192.0.2.9")


def test_fraud_signals_show_many_accounts_from_one_address(voting) -> None:  # noqa: ANN001
    from xuthanh.contests import selectors

    contest, entries = voting
    for i in range(6):
        services.vote(entries[0].pk, confirmed(f"sock{i}"), address="203.0.113.5")
    signals = selectors.fraud_signals(contest, accounts_per_address=5, burst_votes=5)
    kinds = {s.kind for s in signals}
    assert "address" in kinds and "burst" in kinds
    assert any(s.entry_id == entries[0].pk for s in signals if s.kind == "burst")
    assert "203.0.113.5" not in str(signals)  # the address is never stored or shown, only its keyed hash


def _in_parallel(work: list) -> list:  # noqa: ANN001
    results: list = [None] * len(work)
    barrier = threading.Barrier(len(work))

    def run(i: int) -> None:
        try:
            barrier.wait()
            with translation.override("en"):  # a thread starts without the test's language
                results[i] = work[i]()
        except Exception as exc:  # noqa: BLE001 - the test reads every outcome
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(work))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_votes_are_exact_on_postgresql(place) -> None:  # noqa: ANN001
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent transactions: run with DATABASE_URL on PostgreSQL (.ci/run does)")
    from xuthanh.orgs.models import Membership, Organisation, Role

    admin = get_user_model().objects.create_user("boss")
    Membership.objects.create(user=admin, organisation=Organisation.objects.get(kind="department"), role=Role.ADMIN)
    contest = make_contest("submissions", slug="song-song", votes_per_category=3)
    entries = accepted_entries(contest, place, {"admin": admin}, n=5)
    now = timezone.now()
    contest.submissions_close, contest.vote_open = now - timezone.timedelta(hours=2), now - timezone.timedelta(hours=1)
    contest.save()
    one = confirmed("twice")
    same = _in_parallel([lambda: services.vote(entries[0].pk, one, address="a")] * 8)
    assert sum(isinstance(r, int) for r in same) == 1
    others = [repr(r) for r in same if not isinstance(r, int) and "already voted" not in str(r)]
    assert not others, others
    many = [confirmed(f"p{i}") for i in range(12)]
    counts = _in_parallel([lambda u=u: services.vote(entries[1].pk, u, address="b") for u in many])
    assert sorted(counts) == list(range(1, 13))
    greedy = confirmed("greedy")
    limited = _in_parallel([lambda e=e: services.vote(e.pk, greedy, address="c") for e in entries])
    assert sum(isinstance(r, int) for r in limited) == 3
    for entry in entries:
        entry.refresh_from_db()
        assert entry.votes == Vote.objects.filter(entry=entry).count()


# --- the jury ------------------------------------------------------------------------------------------------

@pytest.fixture
def jury(db, place, people):  # noqa: ANN001, ANN201
    contest = make_contest("judging", slug="giam-khao")
    contest.submissions_open, contest.submissions_close = timezone.now(), timezone.now() + timezone.timedelta(days=1)
    contest.save()
    entries = accepted_entries(contest, place, people, n=6)
    jurors = [confirmed(f"juror{i}") for i in range(3)]
    return contest, entries, jurors, people["admin"]


def test_a_round_spreads_entries_and_hides_conflicts(jury) -> None:  # noqa: ANN001
    contest, entries, jurors, admin = jury
    Conflict.objects.create(contest=contest, juror=jurors[0], entry=entries[0])
    category = entries[0].category
    round_ = services.open_round(category, admin, method="yesno", quorum=2, jurors=jurors)
    assert not Task.objects.filter(round=round_, juror=jurors[0], entry=entries[0]).exists()
    assert all(Task.objects.filter(round=round_, entry=e).count() == 2 for e in entries)
    loads = [Task.objects.filter(round=round_, juror=j).count() for j in jurors]
    assert max(loads) - min(loads) <= 1
    with pytest.raises(ContestError, match="already has a first round"):
        services.open_round(category, admin, method="yesno", quorum=2, jurors=jurors)


def test_declaring_a_conflict_moves_the_entry_to_another_juror(jury) -> None:  # noqa: ANN001
    _contest, entries, jurors, admin = jury
    round_ = services.open_round(entries[0].category, admin, method="rating", quorum=2, jurors=jurors)
    task = Task.objects.filter(round=round_, juror=jurors[1]).first()
    services.declare_conflict(round_, jurors[1], task.entry_id)
    assert not Task.objects.filter(round=round_, juror=jurors[1], entry_id=task.entry_id).exists()
    assert Task.objects.filter(round=round_, entry_id=task.entry_id).count() == 2
    assert services.next_task(round_, jurors[1]).entry_id != task.entry_id


def test_jurors_added_to_an_open_round_take_the_entries_short_of_their_quorum(jury) -> None:  # noqa: ANN001
    _contest, entries, jurors, admin = jury
    round_ = services.open_round(entries[0].category, admin, method="yesno", quorum=2, jurors=jurors[:2])
    services.declare_conflict(round_, jurors[0], entries[0].pk)  # nobody left to take it: one juror short
    assert Task.objects.filter(round=round_, entry=entries[0]).count() == 1
    assert services.add_jurors(round_, admin, [jurors[2]]) == 1
    assert Task.objects.filter(round=round_, entry=entries[0], juror=jurors[2]).exists()
    assert all(Task.objects.filter(round=round_, entry=e).count() == 2 for e in entries)


def test_closing_needs_the_quorum_closes_once_and_the_next_round_starts_from_its_results(jury) -> None:  # noqa: ANN001
    _contest, entries, jurors, admin = jury
    round_ = services.open_round(entries[0].category, admin, method="yesno", quorum=2, jurors=jurors)
    with pytest.raises(ContestError, match="quorum is not met: 6 entries"):
        services.close_round(round_, admin)
    best = {entries[0].pk, entries[1].pk}
    for task in Task.objects.filter(round=round_):
        services.judge(round_, task.juror, task.entry_id, 1 if task.entry_id in best else 0)
    with pytest.raises(ContestError, match="fit this round"):
        services.judge(round_, task.juror, task.entry_id, 4)
    closed = services.close_round(round_, admin)
    assert {r["entry"] for r in closed.results if r["advance"]} == best
    with pytest.raises(ContestError, match="already closed"):
        services.close_round(round_, admin)
    with pytest.raises(ContestError, match="closed"):
        services.judge(round_, task.juror, task.entry_id, 1)
    assert closed.results == services.table("yesno", services.votes_of(closed))  # reproducible from the votes
    final = services.open_round(entries[0].category, admin, method="ranking", quorum=3, jurors=jurors,
                                previous=closed)
    assert set(Task.objects.filter(round=final).values_list("entry_id", flat=True)) == best
    for juror in jurors:
        with pytest.raises(ContestError, match="every entry"):
            services.rank(final, juror, [entries[0].pk])
        services.rank(final, juror, [entries[1].pk, entries[0].pk])
    results = services.close_round(final, admin, keep=1).results
    assert results[0]["entry"] == entries[1].pk and results[0]["score"] == 1.0
    assert Round.objects.filter(category=entries[0].category).count() == 2


# --- after the contest ---------------------------------------------------------------------------------------

def test_a_consenting_winner_joins_the_catalogue_with_author_and_licence(contest, place, people) -> None:  # noqa: ANN001
    entrant = entrant_for(contest)
    entry = photo_entry(contest, entrant, place, licence="CC-BY-4.0")
    services.accept(entry, people["admin"])
    with pytest.raises(ContestError, match="winning"):
        services.to_catalogue(entry, people["admin"], source_url="https://x.vn/e")
    services.award(contest, people["admin"], entry, rank=1, prize="Giải Nhất")
    with pytest.raises(ContestError, match="did not agree"):
        services.to_catalogue(entry, people["admin"], source_url="https://x.vn/e")
    Entry.objects.filter(pk=entry.pk).update(share_with_catalogue=True)
    entry.refresh_from_db()
    photo = services.to_catalogue(entry, people["admin"], source_url="https://x.vn/e")
    assert (photo.place_id, photo.author, photo.licence) == (place.pk, entrant.credit_name, "CC-BY-4.0")
    assert photo.source_url == "https://x.vn/e" and Award.objects.get().prize == "Giải Nhất"
    with pytest.raises(ContestError, match="already"):
        services.to_catalogue(entry, people["admin"], source_url="https://x.vn/e")


def test_figures_count_contests_entries_contributors_and_media(contest, place, people) -> None:  # noqa: ANN001
    from xuthanh.contests import selectors
    from xuthanh.contests.models import Contest

    photo_entry(contest, entrant_for(contest), place)
    photo_entry(contest, entrant_for(contest, "dan"), place, seed=2)
    Contest.objects.create(slug="truoc", year=2022, published=True, reported_entries=735, reported_contributors=110)
    by_year = {f.year: f for f in selectors.figures()}
    assert (by_year[2026].contests, by_year[2026].entries, by_year[2026].contributors) == (1, 2, 2)
    assert (by_year[2022].entries, by_year[2022].contributors, by_year[2022].estimated) == (735, 110, False)


def test_erasing_an_entrant_removes_their_data_and_is_audited(contest, place, people) -> None:  # noqa: ANN001
    entry = photo_entry(contest, entrant_for(contest), place)
    services.erase_entrant(entry.entrant, people["admin"])
    assert not Entry.objects.exists()
    note = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).latest("id").note
    assert "erased entrant" in note and "Nguyễn" not in note


def test_an_accepted_article_becomes_a_news_draft_credited_to_its_author(contest, place, people) -> None:  # noqa: ANN001
    from xuthanh.core.models import Status

    entry = services.submit(contest, entrant_for(contest), category=contest.categories.get(kind="article"),
                            title="Về Lam Kinh", place=place, licence="grant", body="<p>" + "chữ " * 60 + "</p>")
    with pytest.raises(ContestError, match="accepted article"):
        services.to_news_draft(entry, people["admin"])
    services.accept(entry, people["admin"])
    entry.refresh_from_db()
    article = services.to_news_draft(entry, people["admin"])
    assert article.status == Status.DRAFT and article.title == "Về Lam Kinh" and "Ann Nguyễn" in article.body
    assert article.commune_id == place.commune_id


def test_contact_data_are_erased_when_the_period_after_results_has_passed(place, people, settings) -> None:  # noqa: ANN001
    settings.CONTEST_RETENTION_DAYS = 30
    old = make_contest("results", slug="cu")
    old.results_at = timezone.now() - timezone.timedelta(days=31)
    old.save()
    recent = make_contest("results", slug="moi")
    with pytest.MonkeyPatch.context() as patch:  # register in the submission period
        patch.setattr(type(old), "accepts_entries", lambda self, now=None: True)
        gone, kept = entrant_for(old, "gone"), entrant_for(recent, "kept")
    assert services.personal_data_purge() == 1
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.email, gone.phone, gone.full_name) == ("", "", gone.credit_name) and kept.email
