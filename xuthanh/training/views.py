"""Public pages of the training programme: the classes, a class with its registration form, a participant's
ticket (QR code for the door, cancelling, materials, the survey, the certificate), and the certificate
verification page. Thin: services act, selectors read. A participant is known by the secret link of their
ticket, never by an account. Refusals are shown with their reason; no request ends in a 500."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from xuthanh.core import ratelimit
from xuthanh.core.qrcode import qr_svg
from xuthanh.training import certificate, selectors, services
from xuthanh.training.forms import FeedbackForm, RegistrationForm, VerifyForm
from xuthanh.training.models import Audience, Registration

DONE = {  # notices after a redirect, by a fixed key (never text from the address bar)
    "registered": _lazy("You are registered. Keep this page: its address is your ticket (we also sent it by "
                        "e-mail)."),
    "cancelled": _lazy("Your registration is cancelled."),
    "feedback": _lazy("Thank you for your answers."),
}


@require_safe
def class_list(request: HttpRequest) -> HttpResponse:
    coming, past = selectors.classes_public()
    years = selectors.trained()
    tours = selectors.study_tours_by_year()
    by_year = {t.year: t for t in years}
    rows = [(year, by_year.get(year) or selectors.Trained(year), tours.get(year, 0))
            for year in sorted(set(by_year) | set(tours))]
    return render(request, "training/list.html", {
        "coming": coming, "past": past, "rows": rows, "audiences": Audience.choices, "chart": chart_of(years)})


def chart_of(years: list[selectors.Trained]) -> dict:
    """People trained per year, stacked by audience (those counted from earlier reports apart)."""
    series = {str(label): [t.by_audience.get(key, 0) for t in years] for key, label in Audience.choices}
    if any(t.reported for t in years):
        series[_("as reported by classes held before the platform")] = [t.reported for t in years]
    return {"labels": [t.year for t in years], "series": series, "stacked": True, "label": _("people")}


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "training/privacy.html", {"version": services.PRIVACY_VERSION})


def _class_or_404(pk: int):  # noqa: ANN202
    found = selectors.class_public(pk)
    if found is None:
        raise Http404
    return found


def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The class and, while registration is open, its form."""
    course_class = _class_or_404(pk)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    form = RegistrationForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        wait = ratelimit.hit(f"training-register:{request.META.get('REMOTE_ADDR') or '-'}",
                             limit=settings.TRAINING_REGISTRATIONS_PER_HOUR, period=3600)
        if wait is not None:
            error, status = _("Too many registrations from your connection: try again in %(minutes)s minutes.") % {
                "minutes": max(1, wait // 60)}, 429
        elif form.is_valid():
            try:
                found = services.register(course_class, **form.cleaned_data)
                return redirect(reverse("training:ticket", args=[found.token]) + "?done=registered")
            except services.AlreadyRegistered as exc:
                error, status = str(exc), 200
            except services.TrainingError as exc:
                error, status = str(exc), 422
        else:
            status = 422
    response = render(request, "training/detail.html", {
        "c": course_class, "course": course_class.course, "counts": selectors.counts(course_class),
        "refusal": services.registration_refusal(course_class), "form": form, "error": error,
        "materials": selectors.materials_for(course_class, participant=False),
    }, status=status)
    if request.method == "POST":
        response["Cache-Control"] = "no-store"
    return response


def _ticket_or_404(token: str) -> Registration:
    found = selectors.ticket(token)
    if found is None:
        raise Http404
    return found


@never_cache
@require_safe
def ticket(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's own page; its address is the secret that identifies them (never shown in the list)."""
    registration = _ticket_or_404(token)
    course_class = registration.course_class
    now = timezone.now()
    checkin = request.build_absolute_uri(reverse("admin:training_checkin", args=[registration.token]))
    found_certificate = getattr(registration, "certificate", None)
    holds = registration.state == Registration.State.CONFIRMED and course_class.state != "cancelled"
    done = DONE.get(request.GET.get("done", ""))
    return render(request, "training/ticket.html", {
        "r": registration, "c": course_class, "course": course_class.course, "done": done,
        "qr": qr_svg(checkin) if holds else "", "class_cancelled": course_class.state == "cancelled",
        "position": services.waiting_position(registration),
        "materials": selectors.materials_for(course_class, participant=holds),
        "may_cancel": registration.state != "cancelled" and registration.attended_at is None
        and course_class.starts_at > now and course_class.state != "cancelled",
        "survey_open": registration.attended_at is not None and not hasattr(registration, "feedback")
        and now >= course_class.starts_at,
        "form": FeedbackForm(), "certificate": found_certificate,
        "online": course_class.online_link if holds else "",
    })


@never_cache
@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = _ticket_or_404(token)
    try:
        services.cancel(registration)
    except services.TrainingError as exc:
        return render(request, "training/refused.html", {"message": str(exc), "r": registration}, status=409)
    return redirect(reverse("training:ticket", args=[token]) + "?done=cancelled")


@never_cache
@require_POST
def feedback(request: HttpRequest, token: str) -> HttpResponse:
    registration = _ticket_or_404(token)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(request, "training/refused.html", {
            "message": _("Give every question a mark from 1 to 5."), "r": registration}, status=422)
    data = form.cleaned_data
    try:
        services.send_feedback(registration, ratings={q: data[q] for q in ("content", "trainers", "organisation",
                                                                            "usefulness")},
                               comments=data["comments"])
    except services.TrainingError as exc:
        return render(request, "training/refused.html", {"message": str(exc), "r": registration}, status=409)
    return redirect(reverse("training:ticket", args=[token]) + "?done=feedback")


@never_cache
@require_safe
def certificate_pdf(request: HttpRequest, token: str) -> HttpResponse:
    registration = _ticket_or_404(token)
    found = getattr(registration, "certificate", None)
    if found is None or found.revoked_at is not None:
        raise Http404
    return pdf_response(found)


def pdf_response(found) -> HttpResponse:  # noqa: ANN001 - a Certificate
    data = certificate.pdf_bytes(found)
    if data is None:
        return HttpResponse(_("No Unicode font is installed for PDFs (PDF_FONT)."), status=503,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    name = found.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="certificate-{name}.pdf"'
    return response


@never_cache
@require_safe
def material(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """A participant's material: a file is streamed (the storage's address is never shown), a link followed."""
    registration = _ticket_or_404(token)
    holds = (registration.state == Registration.State.CONFIRMED
             and registration.course_class.state != registration.course_class.State.CANCELLED)
    found = selectors.materials_for(registration.course_class, participant=holds).filter(pk=pk).first()
    if found is None:
        raise Http404
    if not found.file:
        return redirect(found.link)  # an http(s) address the organisers gave (URLField)
    try:
        handle = found.file.open("rb")
    except Exception:  # noqa: BLE001 - the storage's own errors (a file gone from disk or S3): not found
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=found.file.name.rsplit("/", 1)[-1])


@require_safe
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone checks a certificate by its number and check code (the QR code fills both)."""
    form = VerifyForm(request.GET or None)
    result = None
    if form.is_valid():
        wait = ratelimit.hit(f"training-verify:{request.META.get('REMOTE_ADDR') or '-'}",
                             limit=settings.TRAINING_VERIFICATIONS_PER_MINUTE)
        if wait is not None:
            return render(request, "training/verify.html", {"form": form, "result": None, "throttled": wait},
                          status=429)
        result = selectors.verify(form.cleaned_data["number"], form.cleaned_data["code"])
    response = render(request, "training/verify.html", {"form": form, "result": result, "throttled": None})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
