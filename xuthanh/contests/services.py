"""What people do in a contest, each in one transaction with its checks: entrants register (verified e-mail,
consents), submit entries (checked media, licence, place), withdraw them; moderators accept, disqualify and
answer appeals; voters vote (one vote per entry, a limit per category, exact under concurrency); the jury
judges in rounds; the department awards prizes and moves winners into the catalogue. Back-office changes are
audited; errors are ContestError with a message for the person who acted."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from xuthanh.accounts.email import verified_email
from xuthanh.areas import boundary
from xuthanh.catalog.models import Photo, Place
from xuthanh.contests import judging, licences, media
from xuthanh.contests.models import (
    Award,
    Ballot,
    Category,
    Conflict,
    Contest,
    Entrant,
    Entry,
    EntryImage,
    Kind,
    Round,
    Task,
    Vote,
)
from xuthanh.core import audit, images, ratelimit
from xuthanh.core.models import AuditEntry
from xuthanh.orgs import permissions
from xuthanh.orgs.models import Role

PRIVACY_VERSION = "2026-1"  # the version of the privacy notice (jinja2/contests/privacy.html) entrants accept


class ContestError(ValueError):
    """Refused; the message says what and why, in the language of the person who acted."""


def can_run(user: Any, contest: Contest | None = None) -> bool:
    """Administrators and editors of a province-wide unit, or of the contest's organiser, run contests."""
    if permissions.is_platform_admin(user):
        return True
    for m in permissions.memberships(user):
        if m.role in (Role.ADMIN, Role.EDITOR) and (
            m.organisation.province_wide or (contest is not None and m.organisation_id == contest.organiser_id)
        ):
            return True
    return False


def address_hash(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"contest-vote:{address}".encode(), hashlib.sha256).hexdigest()[:32]


# --- entrants ------------------------------------------------------------------------------------------------

def register(contest: Contest, user: Any, *, full_name: str, credit_name: str, phone: str = "", minor: bool,
             guardian_name: str = "", guardian_consent: bool = False, privacy_consent: bool) -> Entrant:
    email = verified_email(user)
    if email is None:
        raise ContestError(_("Confirm your e-mail address before taking part."))
    if not contest.accepts_entries():
        raise ContestError(_("This contest is not taking entries now."))
    if not privacy_consent:
        raise ContestError(_("Taking part needs your consent to the processing of your personal data."))
    if not full_name.strip():
        raise ContestError(_("Give your full name."))
    now = timezone.now()
    if minor and (not guardian_name.strip() or not guardian_consent):
        raise ContestError(_("Under 18, a parent or guardian must give their name and consent."))
    entrant, created = Entrant.objects.get_or_create(contest=contest, user=user, defaults={
        "full_name": full_name.strip(), "credit_name": (credit_name or full_name).strip(), "email": email,
        "phone": phone.strip(), "minor": minor, "guardian_name": guardian_name.strip() if minor else "",
        "guardian_consent_at": now if minor else None, "privacy_consent_at": now, "privacy_version": PRIVACY_VERSION,
    })
    if not created:
        raise ContestError(_("You are already taking part in this contest."))
    return entrant


def entrant_of(contest: Contest, user: Any) -> Entrant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Entrant.objects.filter(contest=contest, user=user).first()


# --- entries -------------------------------------------------------------------------------------------------

def _where(contest: Contest, place: Place | None, lat: float | None, lon: float | None) -> None:
    if place is None and (lat is None or lon is None):
        raise ContestError(_("Name the place of your work: choose it in the list or give its point on the map."))
    if place is None and not boundary.in_province(lat, lon):
        raise ContestError(_("The point %(lat).5f, %(lon).5f is outside Thanh Hóa province.")
                           % {"lat": lat, "lon": lon})
    if contest.places.exists() and (place is None or not contest.places.filter(pk=place.pk).exists()):
        raise ContestError(_("This contest is limited to some places; choose one of them."))
    if contest.communes.exists():
        commune_id = place.commune_id if place is not None else None
        if commune_id is None or not contest.communes.filter(pk=commune_id).exists():
            raise ContestError(_("This contest is limited to some communes; the place is in none of them."))


def submit(contest: Contest, entrant: Entrant, *, category: Category, title: str, description: str = "",
           place: Place | None = None, lat: float | None = None, lon: float | None = None, licence: str,
           share_with_catalogue: bool = False, upload: Any = None, video_url: str = "", body: str = "",
           pictures: list[Any] | tuple = (), translations: dict[str, dict[str, str]] | None = None) -> Entry:
    """Check and store an entry. Films are stored at once and made ready (probe, web copy, poster) in the
    queue; their entry is 'being prepared' until then."""
    if entrant.contest_id != contest.pk or category.contest_id != contest.pk:
        raise ContestError(_("This category is not part of the contest."))
    if not contest.accepts_entries():
        raise ContestError(_("This contest is not taking entries now."))
    if licence not in licences.LICENCES or licence not in (contest.licences or []):
        raise ContestError(_("Choose one of the licences the rules allow."))
    if not title.strip():
        raise ContestError(_("Give your work a title in Vietnamese."))
    _where(contest, place, lat, lon)
    if entrant.user_id and ratelimit.hit(f"contest-entry:{entrant.user_id}", limit=settings.CONTEST_ENTRIES_PER_HOUR,
                                         period=3600) is not None:
        raise ContestError(_("Too many entries in an hour; try again later."))
    kind = category.kind
    chosen = licences.LICENCES[licence]
    entry = Entry(contest=contest, category=category, entrant=entrant, kind=kind, place=place,
                  lat=lat if place is None else None, lon=lon if place is None else None, licence=licence,
                  licence_version=chosen.version, licence_at=timezone.now(), share_with_catalogue=share_with_catalogue)
    entry.set_current_language("vi")
    entry.title, entry.description = title.strip()[:200], description.strip()
    prepared_pictures = []
    try:
        if kind == Kind.PHOTO:
            if upload is None:
                raise ContestError(_("Choose the photo to send."))
            photo = media.prepare_photo(upload.read(), upload.name, max_bytes=settings.CONTEST_PHOTO_MAX_BYTES,
                                        min_side=contest.min_photo_side)
            _with_photo(entry, photo)
        elif kind == Kind.FILM:
            if upload is not None:
                limit = min(contest.max_film_mb * 1024 * 1024, settings.CONTEST_FILM_MAX_BYTES)
                if upload.size > limit:
                    raise ContestError(_("The film is %(size).0f MB; the rules allow at most %(limit).0f MB.")
                                       % {"size": upload.size / 1e6, "limit": limit / 1e6})
                head = upload.read(64)
                upload.seek(0)
                if media.sniff(head) not in ("MP4", "WEBM"):
                    raise ContestError(_("The file is not a film in MP4, MOV or WebM."))
                entry.state = Entry.State.PROCESSING
            elif video_url:
                if not contest.allow_video_links:
                    raise ContestError(_("The rules ask for the film file itself, not a link."))
                entry.video_url = media.video_link(video_url)
            else:
                raise ContestError(_("Choose the film to send."))
        else:
            entry.body = media.sanitise_article(body)
            if media.words(entry.body) < 50:
                raise ContestError(_("The article needs at least 50 words."))
            prepared_pictures = [
                media.prepare_photo(p.read(), p.name, max_bytes=settings.CONTEST_PHOTO_MAX_BYTES, min_side=400)
                for p in pictures
            ]
    except media.MediaError as exc:
        raise ContestError(_("The file was refused: %(reason)s.") % {"reason": str(exc)}) from exc
    with transaction.atomic():
        if kind == Kind.FILM and upload is not None:
            entry.video.save(f"{slugify(title)[:40] or 'film'}.{_film_extension(upload.name)}", File(upload),
                             save=False)
        entry.save()
        for lang, texts in (translations or {}).items():
            if lang != "vi" and (texts.get("title") or "").strip():
                entry.set_current_language(lang)
                entry.title, entry.description = texts["title"].strip()[:200], (texts.get("description") or "").strip()
                entry.save_translations()
        for position, picture in enumerate(prepared_pictures):
            stored = EntryImage(entry=entry, width=picture.width, height=picture.height, position=position)
            stored.image.save(f"{entry.pk}-{position}.{picture.extension}", ContentFile(picture.data), save=False)
            stored.save()
        if entry.state == Entry.State.PROCESSING:
            from xuthanh.contests import tasks

            transaction.on_commit(partial(tasks.film_prepare, entry.pk))
    return entry


def _film_extension(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "mp4"
    return extension if extension in ("mp4", "mov", "m4v", "webm") else "mp4"


def _with_photo(entry: Entry, photo: media.PreparedPhoto) -> None:
    entry.width, entry.height, entry.camera, entry.phash = photo.width, photo.height, photo.camera, photo.phash
    if photo.taken_at:
        entry.taken_at = timezone.make_aware(photo.taken_at)
    name = f"{slugify(entry.title)[:40] or 'photo'}.{photo.extension}"
    entry.image.save(name, ContentFile(photo.data), save=False)
    entry.small.save(name.rsplit(".", 1)[0] + ".webp", ContentFile(images.rendition(photo.data, max_side=960)),
                     save=False)
    entry.duplicate_of, entry.duplicate_photo = duplicates(entry)


def duplicates(entry: Entry) -> tuple[Entry | None, Photo | None]:
    """An earlier entry (of any contest) or a catalogue photo showing the same picture, by perceptual hash."""
    if entry.phash is None:
        return None, None
    earlier = None
    for pk, phash in Entry.objects.exclude(pk=entry.pk).exclude(phash=None).values_list("pk", "phash").iterator():
        if media.distance(phash, entry.phash) <= media.DUPLICATE_BITS:
            earlier = Entry.objects.filter(pk=pk).first()
            break
    photo = None
    for pk, phash in catalogue_hashes():
        if media.distance(phash, entry.phash) <= media.DUPLICATE_BITS:
            photo = Photo.objects.filter(pk=pk).first()
            break
    return earlier, photo


def catalogue_hashes() -> list[tuple[int, int]]:
    """The perceptual hash of each catalogue photo, computed once per photo and kept in the cache."""
    from django.core.cache import cache

    found: list[tuple[int, int]] = []
    rows = list(Photo.objects.exclude(image="").values_list("pk", "image", "small"))
    keys = {pk: f"contest-phash:{pk}:{image}" for pk, image, _small in rows}
    cached = cache.get_many(list(keys.values()))
    for pk, image, small in rows:
        value = cached.get(keys[pk])
        if value is None:
            try:
                with default_storage.open(small or image, "rb") as handle:
                    from PIL import Image

                    with Image.open(io.BytesIO(handle.read())) as img:
                        value = media.dhash(img)
            except (OSError, ValueError):
                continue
            cache.set(keys[pk], value, None)
        found.append((pk, value))
    return found


def film_prepare(entry: Entry) -> None:
    """The queue's work on a film: probe it, make its web copy and poster; or refuse it with the reason."""
    with tempfile.TemporaryDirectory(prefix="xuthanh-film-") as tmp:
        source = Path(tmp) / ("source." + _film_extension(entry.video.name))
        with entry.video.open("rb") as handle, source.open("wb") as out:
            for chunk in iter(partial(handle.read, 1 << 20), b""):
                out.write(chunk)
        try:
            info = media.probe_film(source, max_seconds=entry.contest.max_film_seconds)
            web, poster = Path(tmp) / "web.mp4", Path(tmp) / "poster.jpg"
            media.web_copy(source, web, poster, duration=info.duration)
        except media.MediaError as exc:
            Entry.objects.filter(pk=entry.pk).update(state=Entry.State.DISQUALIFIED, media_error=str(exc)[:300],
                                                     reason=_("The film was refused: %(reason)s.") % {"reason": exc})
            return
        stem = Path(entry.video.name).stem
        entry.video_web.save(stem + "-web.mp4", File(web.open("rb")), save=False)
        entry.small.save(stem + "-poster.webp", ContentFile(images.rendition(poster.read_bytes(), max_side=960)),
                         save=False)
        entry.duration = info.duration
        entry.state = Entry.State.SUBMITTED
        entry.save(update_fields=["video_web", "small", "duration", "state"])


def withdraw(entry: Entry, user: Any) -> None:
    """The entrant withdraws consent before the results: the entry, its votes and every file go."""
    if entry.entrant.user_id != getattr(user, "pk", None):
        raise ContestError(_("Only the entry's author can withdraw it."))
    contest = entry.contest
    if contest.results_at and timezone.now() >= contest.results_at:
        raise ContestError(_("The results are out; ask the organiser to erase your data instead."))
    files = _files_of(entry)
    with transaction.atomic():
        Award.objects.filter(entry=entry).delete()
        entry.delete()
        transaction.on_commit(partial(_delete_files, files))


def _files_of(entry: Entry) -> list[str]:
    names = [f.name for f in (entry.image, entry.small, entry.video, entry.video_web) if f]
    names += [p.image.name for p in entry.pictures.all() if p.image]
    return names


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def erase_entrant(entrant: Entrant, actor: Any) -> None:
    """On request, after the contest's legal period: the person's data and their entries (not the catalogue
    photos already published under an open licence, which keep the author's name as that licence requires)."""
    files = [name for entry in entrant.entries.all() for name in _files_of(entry)]
    with transaction.atomic():
        audit.record(actor=actor, action=AuditEntry.Action.DELETE, obj=entrant.contest,
                     note=f"erased entrant #{entrant.pk} and {entrant.entries.count()} entries on request")
        entrant.delete()
        transaction.on_commit(partial(_delete_files, files))


def personal_data_purge(now=None) -> int:  # noqa: ANN001
    """CONTEST_RETENTION_DAYS after a contest's results, its entrants' contact data (e-mail, telephone, full
    and guardian's names) are erased; the name credited under their works stays, as their licences require."""
    limit = (now or timezone.now()) - dt.timedelta(days=settings.CONTEST_RETENTION_DAYS)
    return (Entrant.objects.filter(contest__results_at__lt=limit).exclude(email="")
            .update(email="", phone="", full_name=F("credit_name"), guardian_name=""))


def to_news_draft(entry: Entry, actor: Any) -> Any:
    """An article entry becomes a news article in draft, credited to its author, for the department to edit
    and publish through the news workflow."""
    from xuthanh.news.models import Article
    from xuthanh.orgs.models import Organisation

    if not can_run(actor, entry.contest):
        raise ContestError(_("You cannot run this contest."))
    if entry.kind != Kind.ARTICLE or entry.state != Entry.State.ACCEPTED:
        raise ContestError(_("Only an accepted article can become a news draft."))
    organiser = entry.contest.organiser or Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).first()
    title = entry.safe_translation_getter("title", language_code="vi") or ""
    with transaction.atomic():
        article = Article(slug=f"{slugify(title)[:90] or 'bai-viet'}-{entry.pk}", author=organiser,
                          commune=entry.place.commune if entry.place_id else None)
        article.set_current_language("vi")
        article.title = title
        article.body = entry.body + f"<p><em>{entry.entrant.credit_name}</em> – {entry.contest}</p>"
        article.save()
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=article, note=f"from contest entry #{entry.pk}")
    return article


# --- moderation ----------------------------------------------------------------------------------------------

def _moderate(entry: Entry, actor: Any) -> tuple[Entry, dict]:
    if not can_run(actor, entry.contest):
        raise ContestError(_("You cannot moderate this contest."))
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    return locked, audit.snapshot(locked)


def accept(entry: Entry, actor: Any) -> Entry:
    with transaction.atomic():
        entry, before = _moderate(entry, actor)
        if entry.state not in (Entry.State.SUBMITTED, Entry.State.DISQUALIFIED):
            raise ContestError(_("Only a submitted or disqualified entry can be accepted."))
        entry.state, entry.reason = Entry.State.ACCEPTED, ""
        entry.save(update_fields=["state", "reason"])
        audit.record(actor=actor, action=AuditEntry.Action.STATUS, obj=entry, before=before)
    return entry


def disqualify(entry: Entry, actor: Any, reason: str) -> Entry:
    if not reason.strip():
        raise ContestError(_("Give the reason the entrant will read."))
    with transaction.atomic():
        entry, before = _moderate(entry, actor)
        if entry.state in (Entry.State.WITHDRAWN,):
            raise ContestError(_("A withdrawn entry cannot be disqualified."))
        entry.state, entry.reason = Entry.State.DISQUALIFIED, reason.strip()
        entry.save(update_fields=["state", "reason"])
        audit.record(actor=actor, action=AuditEntry.Action.STATUS, obj=entry, before=before)
    return entry


def appeal(entry: Entry, user: Any, text: str) -> Entry:
    if entry.entrant.user_id != getattr(user, "pk", None):
        raise ContestError(_("Only the entry's author can appeal."))
    if entry.state != Entry.State.DISQUALIFIED or entry.appeal:
        raise ContestError(_("Only a disqualified entry can be appealed, once."))
    if not text.strip():
        raise ContestError(_("Say why the decision should change."))
    Entry.objects.filter(pk=entry.pk).update(appeal=Entry.Appeal.PENDING, appeal_text=text.strip()[:4000])
    entry.refresh_from_db()
    return entry


def answer_appeal(entry: Entry, actor: Any, *, upheld: bool, answer: str) -> Entry:
    if not answer.strip():
        raise ContestError(_("Give the answer the entrant will read."))
    with transaction.atomic():
        entry, before = _moderate(entry, actor)
        if entry.appeal != Entry.Appeal.PENDING:
            raise ContestError(_("This entry has no appeal waiting."))
        entry.appeal = Entry.Appeal.UPHELD if upheld else Entry.Appeal.REJECTED
        entry.appeal_answer = answer.strip()
        if upheld:
            entry.state, entry.reason = Entry.State.ACCEPTED, ""
        entry.save(update_fields=["appeal", "appeal_answer", "state", "reason"])
        audit.record(actor=actor, action=AuditEntry.Action.STATUS, obj=entry, before=before)
    return entry


# --- the public vote -----------------------------------------------------------------------------------------

def vote(entry_id: int, user: Any, *, address: str, contest_slug: str | None = None, now=None) -> int:  # noqa: ANN001
    """One vote of a verified voter; the entry's count after it. Exact under concurrency: the voter's ballot
    row for the category is taken (its row lock) by the update that spends one of their votes, the vote row's
    unique constraint refuses a second vote (and undoes that spending), and the entry's count moves in the same
    transaction, which reads back the count it made. Five statements in the usual case."""
    if not getattr(user, "is_authenticated", False):
        raise ContestError(_("Sign in to vote."))
    if verified_email(user) is None:
        raise ContestError(_("Confirm your e-mail address before voting."))
    for bucket in (f"contest-vote:{user.pk}", f"contest-vote-ip:{address}"):
        if ratelimit.hit(bucket, limit=settings.CONTEST_VOTES_PER_MINUTE, period=60) is not None:
            raise ContestError(_("Too many votes in a minute; wait a moment."))
    found = Entry.objects.select_related("contest", "entrant").filter(pk=entry_id)
    if contest_slug is not None:
        found = found.filter(contest__slug=contest_slug, contest__published=True)
    entry = found.first()
    if entry is None or entry.state != Entry.State.ACCEPTED:
        raise ContestError(_("This entry cannot receive votes."))
    if not entry.contest.voting(now):
        raise ContestError(_("The public vote is not open."))
    if entry.entrant.user_id == user.pk:
        raise ContestError(_("You cannot vote for your own entry."))
    limit = entry.contest.votes_per_category
    used_up = ContestError(_("You have used your %(n)d votes in this category.") % {"n": limit})
    mine = Ballot.objects.filter(category_id=entry.category_id, voter=user)
    try:
        with transaction.atomic():
            if not mine.filter(used__lt=limit).update(used=F("used") + 1):
                # none spent: the ballot is used up, or it did not exist when the update looked — made since
                # by the voter's other vote arriving at the same moment (seen now), or not made yet
                if limit < 1:
                    raise used_up
                if mine.exists():
                    if not mine.filter(used__lt=limit).update(used=F("used") + 1):
                        raise used_up
                else:
                    try:  # the voter's first vote in the category
                        with transaction.atomic():
                            Ballot.objects.create(category_id=entry.category_id, voter=user, used=1)
                    except IntegrityError:  # made by that other vote meanwhile
                        if not mine.filter(used__lt=limit).update(used=F("used") + 1):
                            raise used_up from None
            Vote.objects.create(entry=entry, category_id=entry.category_id, voter=user, address=address_hash(address))
            with connection.cursor() as cursor:  # RETURNING: PostgreSQL, and SQLite since 3.35
                cursor.execute(f"UPDATE {Entry._meta.db_table} SET votes = votes + 1 WHERE id = %s RETURNING votes",  # noqa: S608
                               [entry.pk])
                return cursor.fetchone()[0]
    except IntegrityError as exc:
        raise ContestError(_("You have already voted for this entry.")) from exc


# --- the jury ------------------------------------------------------------------------------------------------

def _audit_round(round_: Round, actor: Any, note: str) -> None:
    audit.record(actor=actor, action=AuditEntry.Action.STATUS, obj=round_, note=note)


def open_round(category: Category, actor: Any, *, method: str, quorum: int, jurors: list[Any],
               previous: Round | None = None) -> Round:
    """A jury round over the category's accepted entries (or those the previous round let through); tasks are
    given out at once. Ranking rounds give each juror the whole short list, conflicts apart."""
    contest = category.contest
    if not can_run(actor, contest):
        raise ContestError(_("You cannot run this contest's jury."))
    if method not in Round.Method.values:
        raise ContestError(_("Unknown judging method."))
    with transaction.atomic():
        if previous is not None:
            previous = Round.objects.select_for_update().get(pk=previous.pk)
            if previous.state != Round.State.CLOSED:
                raise ContestError(_("The previous round is still open."))
            if Round.objects.filter(previous=previous).exists():
                raise ContestError(_("The next round was already opened."))
            entry_ids = [row["entry"] for row in previous.results if row["advance"]]
            entry_ids = list(Entry.objects.filter(pk__in=entry_ids, state=Entry.State.ACCEPTED)
                             .values_list("pk", flat=True))
        else:
            if Round.objects.filter(category=category).exists():
                raise ContestError(_("This category already has a first round; open the next from its results."))
            entry_ids = list(Entry.objects.filter(category=category, state=Entry.State.ACCEPTED)
                             .values_list("pk", flat=True))
        if not entry_ids:
            raise ContestError(_("There are no entries to judge."))
        number = (previous.number + 1) if previous else 1
        round_ = Round.objects.create(contest=contest, category=category, number=number, method=method,
                                      quorum=quorum, previous=previous)
        round_.jurors.set(jurors)
        juror_ids = [j.pk for j in jurors]
        conflicts = list(Conflict.objects.filter(entry_id__in=entry_ids, juror_id__in=juror_ids)
                         .values_list("juror_id", "entry_id"))
        if method == Round.Method.RANKING:
            barred = set(conflicts)
            pairs = [(e, j) for e in entry_ids for j in juror_ids if (j, e) not in barred]
            per_entry = {e: sum(1 for pe, _j in pairs if pe == e) for e in entry_ids}
            short = [e for e, n in per_entry.items() if n < quorum]
            if short:
                raise ContestError(_("Entries %(ids)s have fewer jurors without a conflict than the quorum.")
                                   % {"ids": ", ".join(f"#{e}" for e in sorted(short))})
        else:
            try:
                pairs = judging.assign(entry_ids, juror_ids, conflicts, quorum)
            except judging.JudgingError as exc:
                raise ContestError(str(exc)) from exc
        Task.objects.bulk_create([Task(round=round_, entry_id=e, juror_id=j) for e, j in pairs])
        _audit_round(round_, actor, f"opened with {len(entry_ids)} entries, {len(juror_ids)} jurors")
    return round_


def _locked_task(round_: Round, juror: Any, entry_id: int) -> tuple[Round, Task]:
    """Inside a transaction: the open round, locked (its votes and conflicts take turns with its closing), and
    the juror's task for the entry."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.state != Round.State.OPEN:
        raise ContestError(_("The round is closed."))
    task = Task.objects.filter(round=round_, juror=juror, entry_id=entry_id).first()
    if task is None:
        raise ContestError(_("This entry is not on your list."))
    return round_, task


def declare_conflict(round_: Round, juror: Any, entry_id: int) -> None:
    """The juror knows the entry's author (or has another interest): it leaves their list at once and, in a
    yes/no or rating round, goes to the least loaded juror without a conflict who has not seen it."""
    with transaction.atomic():
        round_, task = _locked_task(round_, juror, entry_id)
        Conflict.objects.get_or_create(contest=round_.contest, juror=juror, entry_id=entry_id)
        task.delete()
        if round_.method == Round.Method.RANKING:
            return
        seen = set(Task.objects.filter(round=round_, entry_id=entry_id).values_list("juror_id", flat=True))
        barred = set(Conflict.objects.filter(entry_id=entry_id).values_list("juror_id", flat=True))
        free = [j for j in round_.jurors.values_list("pk", flat=True) if j not in seen | barred]
        if free:
            loads = {j: Task.objects.filter(round=round_, juror_id=j).count() for j in free}
            chosen = min(free, key=lambda j: (loads[j], j))
            Task.objects.create(round=round_, entry_id=entry_id, juror_id=chosen)


def add_jurors(round_: Round, actor: Any, jurors: list[Any]) -> int:
    """More jurors for an open round: entries short of their quorum (after conflicts) go to them, the least
    loaded first; in a ranking round each new juror ranks the whole list. The number of tasks given out."""
    if not can_run(actor, round_.contest):
        raise ContestError(_("You cannot run this contest's jury."))
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.state != Round.State.OPEN:
            raise ContestError(_("The round is closed."))
        round_.jurors.add(*jurors)
        entry_ids = sorted(set(Task.objects.filter(round=round_).values_list("entry_id", flat=True)))
        barred = set(Conflict.objects.filter(entry_id__in=entry_ids).values_list("juror_id", "entry_id"))
        made = []
        if round_.method == Round.Method.RANKING:
            made = [Task(round=round_, entry_id=e, juror_id=j.pk) for j in jurors for e in entry_ids
                    if (j.pk, e) not in barred and not Task.objects.filter(round=round_, entry_id=e, juror=j).exists()]
        else:
            loads = {j.pk: Task.objects.filter(round=round_, juror=j).count() for j in jurors}
            for entry_id in entry_ids:
                seen = set(Task.objects.filter(round=round_, entry_id=entry_id).values_list("juror_id", flat=True))
                for _turn in range(round_.quorum - len(seen)):
                    free = [j for j in loads if j not in seen and (j, entry_id) not in barred]
                    if not free:
                        break
                    chosen = min(free, key=lambda j: (loads[j], j))
                    loads[chosen] += 1
                    seen.add(chosen)
                    made.append(Task(round=round_, entry_id=entry_id, juror_id=chosen))
        Task.objects.bulk_create(made)
        _audit_round(round_, actor, f"{len(jurors)} jurors added, {len(made)} tasks given")
    return len(made)


def next_task(round_: Round, juror: Any) -> Task | None:
    return (Task.objects.filter(round=round_, juror=juror, value=None).select_related("entry")
            .order_by("id").first())


def judge(round_: Round, juror: Any, entry_id: int, value: int) -> Task:
    with transaction.atomic():
        round_, task = _locked_task(round_, juror, entry_id)
        size = Task.objects.filter(round=round_, juror=juror).count()
        if not judging.valid_value(round_.method, value, size):
            raise ContestError(_("That vote does not fit this round's method."))
        task.value, task.voted_at = value, timezone.now()
        task.save(update_fields=["value", "voted_at"])
    return task


def rank(round_: Round, juror: Any, order: list[int]) -> None:
    """A juror's ranking of their whole list, best first."""
    mine = set(Task.objects.filter(round=round_, juror=juror).values_list("entry_id", flat=True))
    if set(order) != mine or len(order) != len(mine):
        raise ContestError(_("Rank every entry of your list once."))
    with transaction.atomic():
        for position, entry_id in enumerate(order, start=1):
            judge(round_, juror, entry_id, position)


def votes_of(round_: Round) -> dict[int, list[int]]:
    votes: dict[int, list[int]] = {}
    for entry_id, value in Task.objects.filter(round=round_).values_list("entry_id", "value").order_by("id"):
        votes.setdefault(entry_id, [])
        if value is not None:
            votes[entry_id].append(value)
    return votes


def close_round(round_: Round, actor: Any, *, keep: int = 0, threshold: float | None = None) -> Round:
    """Close a round once every entry has its quorum of votes; the results (scores, votes, who goes on) are
    stored with it, and can be computed again from the votes at any time."""
    if not can_run(actor, round_.contest):
        raise ContestError(_("You cannot run this contest's jury."))
    with transaction.atomic():
        round_ = Round.objects.select_for_update().get(pk=round_.pk)
        if round_.state == Round.State.CLOSED:
            raise ContestError(_("This round is already closed."))
        votes = votes_of(round_)
        quorum = round_.quorum if round_.method != Round.Method.RANKING else 1
        short = judging.short_of_quorum(votes, quorum)
        if short:
            raise ContestError(_("The quorum is not met: %(n)d entries have fewer than %(q)d votes (%(ids)s).")
                               % {"n": len(short), "q": quorum, "ids": ", ".join(f"#{e}" for e in short[:10])})
        round_.results = table(round_.method, votes, keep=keep, threshold=threshold)
        round_.state, round_.closed_at = Round.State.CLOSED, timezone.now()
        round_.save(update_fields=["results", "state", "closed_at"])
        _audit_round(round_, actor, f"closed: {sum(r['advance'] for r in round_.results)} entries go on")
    return round_


def table(method: str, votes: dict[int, list[int]], *, keep: int = 0, threshold: float | None = None) -> list[dict]:
    scores = judging.tally(method, votes)
    going = judging.advancing(method, scores, keep=keep, threshold=threshold)
    return [{"entry": s.entry, "score": s.score, "votes": s.votes, "advance": s.entry in going} for s in scores]


# --- after the contest ---------------------------------------------------------------------------------------

def award(contest: Contest, actor: Any, entry: Entry, *, rank: int, prize: str) -> Award:
    if not can_run(actor, contest):
        raise ContestError(_("You cannot run this contest."))
    entry = Entry.objects.get(pk=entry.pk)  # its state as stored now
    if entry.contest_id != contest.pk or entry.state != Entry.State.ACCEPTED:
        raise ContestError(_("Only an accepted entry of this contest can win a prize."))
    with transaction.atomic():
        found, _created = Award.objects.update_or_create(contest=contest, entry=entry,
                                                         defaults={"rank": rank, "prize": prize.strip()})
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=found)
    return found


def to_catalogue(entry: Entry, actor: Any, *, source_url: str) -> Photo:
    """A winning photo (or a film's poster, an article's first picture) whose author agreed becomes a photo of
    its place in the catalogue, with the author's name, the licence and a link to the entry."""
    if not can_run(actor, entry.contest):
        raise ContestError(_("You cannot run this contest."))
    if not entry.awards.exists():
        raise ContestError(_("Only a winning entry goes into the catalogue."))
    if not entry.share_with_catalogue:
        raise ContestError(_("The author did not agree to share this entry with the tourism database."))
    if entry.place_id is None:
        raise ContestError(_("The entry names a point, not a place of the catalogue: choose its place first."))
    if entry.catalogue_photo_id:
        raise ContestError(_("This entry is already in the catalogue."))
    picture = entry.image or (entry.pictures.first().image if entry.pictures.exists() else None) or entry.small
    if not picture:
        raise ContestError(_("This entry has no picture to add."))
    with picture.open("rb") as handle:
        data = handle.read()
    with transaction.atomic():
        photo = Photo(place_id=entry.place_id, author=entry.entrant.credit_name,
                      licence=licences.LICENCES[entry.licence].catalogue, source_url=source_url,
                      taken_at=entry.taken_at, remove_location=True)
        photo.set_current_language("vi")
        photo.caption = entry.safe_translation_getter("title", language_code="vi") or ""
        photo.alt_text = photo.caption
        photo.image.save(Path(picture.name).name, ContentFile(data), save=False)
        info = images.inspect(data, max_bytes=10**9, max_side=20_000, max_pixels=media.MAX_PIXELS)
        photo.width, photo.height = info.width, info.height
        photo.position = 100
        photo.save()
        entry.catalogue_photo = photo
        entry.save(update_fields=["catalogue_photo"])
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=photo,
                     note=f"from contest entry #{entry.pk}")
        from xuthanh.catalog.tasks import photo_small_rendition
        from xuthanh.core.pagecache import bump_content_version

        transaction.on_commit(partial(photo_small_rendition, photo.pk))
        transaction.on_commit(bump_content_version)
    return photo
