"""Public pages of contests: the list, a contest's page, taking part (register, submit, my entries, withdraw,
appeal), the gallery, an entry with its vote button, results, certificates, and the jury's pages. Thin: services
act, selectors read, templates show. No request ends in a 500: refusals are shown with their reason."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from xuthanh.accounts.email import verified_email
from xuthanh.catalog.models import Place
from xuthanh.contests import licences, selectors, services
from xuthanh.contests.forms import AppealForm, EntrantForm, EntryForm
from xuthanh.contests.models import Category, Entry, Round, Task
from xuthanh.core import attribution

DONE = {  # notices after a redirect, by a fixed key (never text from the address bar)
    "registered": _lazy("You are registered. Now send your work."),
    "submitted": _lazy("Your entry is received. You will find it below, with its state."),
    "withdrawn": _lazy("Your entry and its files are deleted."),
    "appealed": _lazy("Your appeal is sent; the answer will appear here."),
}


def _lang() -> str:
    return get_language() or "vi"


def _contest_or_404(slug: str):  # noqa: ANN202
    found = selectors.contest(slug, _lang())
    if found is None:
        raise Http404
    return found


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "-")


@require_safe
def contest_list(request: HttpRequest) -> HttpResponse:
    contests = selectors.contests_public()
    figures = selectors.figures()
    chart = {
        "years": [f.year for f in figures],
        "series": {"entries": [f.entries for f in figures], "contributors": [f.contributors for f in figures],
                   "media": [f.media_added for f in figures]},
        "estimated": [f.estimated for f in figures],
        "labels": {"entries": _("Entries"), "contributors": _("Authors who took part"),
                   "media": _("Media added to the database")},
    }
    return render(request, "contests/list.html", {
        "current": [c for c in contests if c.held_here and c.phase() != "results"],
        "held": [c for c in contests if c.held_here and c.phase() == "results"],
        "past": [c for c in contests if not c.held_here],
        "figures": figures, "chart": chart,
    })


@require_safe
def contest_detail(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest_or_404(slug)
    return render(request, "contests/detail.html", {
        "contest": contest, "phase": contest.phase(), "categories": list(contest.categories.all()),
        "licences": [licences.LICENCES[c] for c in contest.licences if c in licences.LICENCES],
        "kinds": {c.kind for c in contest.categories.all()},
    })


@require_safe
def privacy(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest_or_404(slug)
    return render(request, "contests/privacy.html", {"contest": contest, "version": services.PRIVACY_VERSION})


@never_cache
@login_required
def enter(request: HttpRequest, slug: str) -> HttpResponse:
    """Taking part: the confirmed e-mail first, then the entrant's details and consents once, then entries."""
    contest = _contest_or_404(slug)
    here = reverse("contests:enter", args=[contest.slug])
    if verified_email(request.user) is None:
        return redirect(reverse("accounts:email") + "?next=" + here)
    context = {"contest": contest, "open": contest.accepts_entries(), "error": ""}
    entrant = services.entrant_of(contest, request.user)
    status = 200
    if entrant is None:
        form = EntrantForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.register(contest, request.user, **form.cleaned_data)
                return redirect(here + "?done=registered")
            except services.ContestError as exc:
                context["error"], status = str(exc), 422
        elif request.method == "POST":
            status = 422
        return render(request, "contests/register.html", {**context, "form": form}, status=status)
    form = EntryForm(request.POST or None, request.FILES or None, contest=contest, lang=_lang())
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            category = Category.objects.filter(contest=contest, pk=data["category"]).first()
            place = Place.objects.filter(pk=data["place"]).first() if data.get("place") else None
            try:
                services.submit(
                    contest, entrant, category=category, title=data["title"], description=data["description"],
                    place=place, lat=data.get("lat"), lon=data.get("lon"), licence=data["licence"],
                    share_with_catalogue=data["share_with_catalogue"], upload=data.get("upload"),
                    video_url=data.get("video_url") or "", body=data.get("body") or "",
                    pictures=request.FILES.getlist("pictures"),
                    translations={"en": {"title": data["title_en"], "description": data["description_en"]}},
                )
                attribution.note(request, "entry")  # for the campaign the visit came by, if any
                return redirect(reverse("contests:mine", args=[contest.slug]) + "?done=submitted")
            except services.ContestError as exc:
                context["error"] = str(exc)
        status = 422
    return render(request, "contests/enter.html", {**context, "form": form, "entrant": entrant,
                                                  "done": DONE.get(request.GET.get("done", ""))}, status=status)


@never_cache
@login_required
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest_or_404(slug)
    return render(request, "contests/mine.html", {
        "contest": contest, "entries": selectors.my_entries(contest, request.user),
        "done": DONE.get(request.GET.get("done", "")), "appeal_form": AppealForm(),
    })


def _own_entry(request: HttpRequest, contest, pk: int) -> Entry:  # noqa: ANN001
    entry = Entry.objects.filter(contest=contest, pk=pk, entrant__user=request.user).select_related(
        "entrant", "contest").first()
    if entry is None:
        raise Http404
    return entry


@require_POST
@login_required
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contest = _contest_or_404(slug)
    try:
        services.withdraw(_own_entry(request, contest, pk), request.user)
    except services.ContestError as exc:
        return render(request, "contests/refused.html", {"contest": contest, "error": str(exc)}, status=409)
    return redirect(reverse("contests:mine", args=[contest.slug]) + "?done=withdrawn")


@require_POST
@login_required
def appeal(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contest = _contest_or_404(slug)
    form = AppealForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ContestError(_("Say why the decision should change."))
        services.appeal(_own_entry(request, contest, pk), request.user, form.cleaned_data["text"])
    except services.ContestError as exc:
        return render(request, "contests/refused.html", {"contest": contest, "error": str(exc)}, status=422)
    return redirect(reverse("contests:mine", args=[contest.slug]) + "?done=appealed")


@require_safe
def gallery(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest_or_404(slug)
    categories = list(contest.categories.all())
    chosen = next((c for c in categories if c.slug == request.GET.get("category")), None)
    try:
        before = int(request.GET.get("before") or 0) or None
    except ValueError:
        before = None
    cards, more = selectors.gallery(contest, lang=_lang(), category=chosen, before=before)
    return render(request, "contests/gallery.html", {
        "contest": contest, "categories": categories, "chosen": chosen, "cards": cards, "more": more,
        "voting": contest.voting(), "licence_names": {c: str(lic.name) for c, lic in licences.LICENCES.items()},
    })


@require_safe
def entry_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    contest = _contest_or_404(slug)
    entry = selectors.entry(contest, pk)
    if entry is None or not entry.public:
        raise Http404
    return render(request, "contests/entry.html", {
        "contest": contest, "entry": entry, "licence": licences.LICENCES.get(entry.licence),
        "voting": contest.voting(), "awards": list(entry.awards.all()),
    })


@require_POST
def vote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A vote from the entry page's button: JSON to the page's script, a page without it."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        if not request.user.is_authenticated:
            raise services.ContestError(_("Sign in to vote."))
        count = services.vote(pk, request.user, address=_address(request), contest_slug=slug)
    except services.ContestError as exc:
        status = 401 if not request.user.is_authenticated else 409
        if wants_json:
            return JsonResponse({"error": str(exc)}, status=status)
        return render(request, "contests/refused.html", {"contest": _contest_or_404(slug), "error": str(exc)},
                      status=status)
    if wants_json:
        return JsonResponse({"votes": count})
    return redirect(reverse("contests:entry", args=[slug, pk]) + "?voted=1")


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    contest = _contest_or_404(slug)
    shown = contest.phase() == "results"
    return render(request, "contests/results.html", {
        "contest": contest, "awards": selectors.awards(contest) if shown else [], "shown": shown,
    })


CERTIFICATE_SALT = "xuthanh.contests.certificate"


def certificate_token(award_id: int) -> str:
    return signing.dumps(award_id, salt=CERTIFICATE_SALT)


@require_safe
def certificate(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """A winner's printable certificate; its address is signed, so it also proves itself when shared."""
    contest = _contest_or_404(slug)
    try:
        award_id = signing.loads(token, salt=CERTIFICATE_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    award = next((a for a in selectors.awards(contest) if a.pk == award_id), None)
    if award is None or contest.phase() != "results":
        raise Http404
    return render(request, "contests/certificate.html", {"contest": contest, "award": award,
                                                        "today": timezone.localdate()})


# --- the jury --------------------------------------------------------------------------------------------------

@never_cache
@login_required
def jury(request: HttpRequest) -> HttpResponse:
    return render(request, "contests/jury.html", {"rounds": selectors.rounds_for(request.user)})


@never_cache
@login_required
def jury_round(request: HttpRequest, pk: int) -> HttpResponse:
    """A juror's round: one entry at a time (yes/no, rating) or the whole short list to order (ranking). The
    juror sees the work, its place, date and camera, never the entrant's name."""
    round_ = Round.objects.select_related("contest", "category").filter(pk=pk, jurors=request.user).first()
    if round_ is None:
        raise Http404
    error, status = "", 200
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "conflict":
                services.declare_conflict(round_, request.user, int(request.POST.get("entry") or 0))
            elif action == "rank":
                order = [int(x) for x in request.POST.getlist("order")]
                positions = {int(k.split("-", 1)[1]): int(v) for k, v in request.POST.items()
                             if k.startswith("rank-") and v.strip()}
                if positions:
                    order = [e for e, _p in sorted(positions.items(), key=lambda kv: (kv[1], kv[0]))]
                services.rank(round_, request.user, order)
            else:
                services.judge(round_, request.user, int(request.POST.get("entry") or 0),
                               int(request.POST.get("value") or -1))
            return redirect("contests:jury_round", pk=round_.pk)
        except (ValueError, services.ContestError) as exc:
            error = str(exc) if isinstance(exc, services.ContestError) else _("That vote is not valid.")
            status = 422
    tasks = list(Task.objects.filter(round=round_, juror=request.user).select_related("entry", "entry__place")
                 .prefetch_related("entry__translations"))
    todo = [t for t in tasks if t.value is None]
    return render(request, "contests/jury_round.html", {
        "round": round_, "task": todo[0] if todo else None, "tasks": tasks, "done": len(tasks) - len(todo),
        "ranking": round_.method == Round.Method.RANKING, "error": error,
    }, status=status)
