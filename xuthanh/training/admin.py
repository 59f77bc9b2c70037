"""The training desk (back office): courses, classes with their materials, the registrations (check-in by
scanning a ticket's QR code, or from the list), the survey's results, certificates (issued to those who attended,
numbered; revoked with a reason) and study tours with their participants. Each unit organises its own classes;
the department sees every one. Changes go through the services and are audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from parler.admin import TranslatableAdmin
from parler.forms import TranslatableModelForm

from xuthanh.core.admin import AllowedAdminMixin, AuditedAdminMixin, RefusalsShownMixin
from xuthanh.core.cells import plain
from xuthanh.orgs.models import Organisation
from xuthanh.training import selectors, services
from xuthanh.training.models import (
    Audience,
    Certificate,
    Course,
    CourseClass,
    Feedback,
    Material,
    Participant,
    Registration,
    StudyTour,
)


class OrganisersOnly(AllowedAdminMixin):
    """The screens of people who organise training; each unit's rows, the department's all; nothing deleted
    (a registration is cancelled or erased, a certificate revoked)."""

    unit_path = "organiser"

    def allowed(self, request: HttpRequest) -> bool:
        return services.organises_any(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        found = super().get_queryset(request)
        if services.province_wide(request.user):
            return found
        return found.filter(**{f"{self.unit_path}__in": services.units_of(request.user)})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organiser" and not services.province_wide(request.user):
            kwargs["queryset"] = Organisation.objects.filter(pk__in=services.units_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CourseForm(TranslatableModelForm):
    audiences = forms.MultipleChoiceField(label=_lazy("for"), choices=Audience.choices,
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Course
        fields = ("title", "summary", "slug", "audiences", "hours", "organiser", "sample")


class MaterialInline(admin.TabularInline):
    """A class's own materials (its course is the class's)."""

    model = Material
    fk_name = "course_class"
    fields = ("title", "file", "link", "public", "position")
    extra = 0

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


class CourseMaterialInline(admin.TabularInline):
    """Materials for every class of the course."""

    model = Material
    fk_name = "course"
    fields = ("title", "file", "link", "public", "position")
    extra = 0
    verbose_name_plural = _lazy("materials for every class of the course")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(course_class__isnull=True)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.register(Course)
class CourseAdmin(OrganisersOnly, AuditedAdminMixin, TranslatableAdmin):
    form = CourseForm
    inlines = [CourseMaterialInline]
    list_display = ("__str__", "audiences_shown", "hours", "organiser", "classes_count", "sample")
    search_fields = ("translations__title", "slug")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(n_classes=Count("classes", distinct=True))

    @admin.display(description=_lazy("for"))
    def audiences_shown(self, obj: Course) -> str:
        return ", ".join(obj.audience_labels())

    @admin.display(description=_lazy("classes"), ordering="n_classes")
    def classes_count(self, obj: Course) -> int:
        return obj.n_classes


class CourseClassForm(forms.ModelForm):
    class Meta:
        model = CourseClass
        fields = ("course", "state", "starts_at", "ends_at", "venue", "online_link", "trainers", "capacity",
                  "registration_opens", "registration_closes", "organiser", "reported_attendance", "source",
                  "sample")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends, closes = data.get("starts_at"), data.get("ends_at"), data.get("registration_closes")
        opens = data.get("registration_opens")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The class must end after it starts."))
        if starts and closes and closes > starts:
            self.add_error("registration_closes", _("Registration must close before the class starts."))
        if opens and closes and opens >= closes:
            self.add_error("registration_opens", _("Registration must open before it closes."))
        if not data.get("venue") and not data.get("online_link"):
            self.add_error("venue", _("Give a venue, an online link, or both."))
        if self.instance.pk and data.get("capacity") is not None:
            taken = services.seats_taken(self.instance)
            if data["capacity"] < taken:
                self.add_error("capacity", _("%(n)s people already have a confirmed place: cancel some of them "
                                             "first, or keep at least %(n)s places.") % {"n": taken})
        return data


@admin.register(CourseClass)
class CourseClassAdmin(OrganisersOnly, RefusalsShownMixin, AuditedAdminMixin, admin.ModelAdmin):
    form = CourseClassForm
    refusals = (services.TrainingError,)
    inlines = [MaterialInline]
    list_display = ("__str__", "state", "venue_shown", "capacity", "confirmed", "waiting", "attended", "organiser")
    list_filter = ("state", ("course", admin.RelatedOnlyFieldListFilter),
                   ("organiser", admin.RelatedOnlyFieldListFilter))
    date_hierarchy = "starts_at"
    readonly_fields = ("public_link", "figures", "survey_shown")
    actions = ["publish", "issue_certificates"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("course", "organiser").prefetch_related(
            "course__translations").annotate(
            n_confirmed=Count("registrations", filter=Q(registrations__state="confirmed"), distinct=True),
            n_waiting=Count("registrations", filter=Q(registrations__state="waiting"), distinct=True),
            n_attended=Count("registrations", filter=Q(registrations__attended_at__isnull=False), distinct=True))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list:
        main = (None, {"fields": CourseClassForm.Meta.fields})
        if obj is None:
            return [main]
        return [main, (_("Registrations and survey"), {"fields": ("public_link", "figures", "survey_shown")})]

    @admin.display(description=_lazy("where"))
    def venue_shown(self, obj: CourseClass) -> str:
        return obj.venue or _("online")

    @admin.display(description=_lazy("confirmed"), ordering="n_confirmed")
    def confirmed(self, obj: CourseClass) -> int:
        return obj.n_confirmed

    @admin.display(description=_lazy("waiting"), ordering="n_waiting")
    def waiting(self, obj: CourseClass) -> int:
        return obj.n_waiting

    @admin.display(description=_lazy("attended"), ordering="n_attended")
    def attended(self, obj: CourseClass) -> int:
        return obj.n_attended

    @admin.display(description=_lazy("public page"))
    def public_link(self, obj: CourseClass) -> str:
        return format_html('<a href="{}">{}</a>', reverse("training:detail", args=[obj.pk]),
                           reverse("training:detail", args=[obj.pk]))

    @admin.display(description=_lazy("registrations"))
    def figures(self, obj: CourseClass) -> str:
        found = selectors.counts(obj)
        link = reverse("admin:training_registration_changelist") + f"?course_class__id__exact={obj.pk}"
        return format_html(
            '{}: <strong>{}</strong> · {}: {} · {}: {} · {}: {} · <a href="{}">{}</a>',
            _("confirmed"), found["confirmed"], _("waiting"), found["waiting"], _("attended"), found["attended"],
            _("cancelled"), found["cancelled"], link, _("the list (check-in, certificates)"))

    @admin.display(description=_lazy("survey"))
    def survey_shown(self, obj: CourseClass) -> str:
        found = selectors.survey(obj)
        if not found.answers:
            return _("no answer yet")
        labels = {q: str(Feedback._meta.get_field(q).verbose_name) for q in Feedback.QUESTIONS}
        bars = format_html_join(
            "", '<div class="survey-row"><span>{}</span> <meter min="1" max="5" value="{}">{}</meter> {}</div>',
            ((labels[q], v or 0, v or "–", v or "–") for q, v in found.averages.items()))
        comments = format_html_join("", "<li>{}</li>", ((c,) for c in found.comments[:50]))
        return format_html("<p>{}</p>{}<ul>{}</ul>", _("%(n)s answers from %(m)s participants who attended")
                           % {"n": found.answers, "m": found.attended}, bars, comments)

    def get_urls(self) -> list:
        return [path("checkin/<str:token>/", self.admin_site.admin_view(self.checkin_view), name="training_checkin"),
                path("figures/", self.admin_site.admin_view(self.figures_view), name="training_figures"),
                *super().get_urls()]

    def figures_view(self, request: HttpRequest) -> HttpResponse:
        """People trained per year, audience and unit (all units: the figures of the plan's reports)."""
        from xuthanh.training.views import chart_of

        if not services.organises_any(request.user):
            raise PermissionDenied
        years = selectors.trained()
        units = sorted({unit for t in years for unit in t.by_unit})
        return TemplateResponse(request, "training/admin/figures.html", {
            **self.admin_site.each_context(request), "title": _("People trained"), "years": years,
            "audiences": Audience.choices, "units": [(u, [t.by_unit.get(u, 0) for t in years]) for u in units],
            "chart": chart_of(years), "tours": selectors.study_tours_by_year(), "opts": self.model._meta})

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return super().changelist_view(request, {**(extra_context or {}),
                                                 "figures_url": reverse("admin:training_figures")})

    def checkin_view(self, request: HttpRequest, token: str) -> HttpResponse:
        """Where a ticket's QR code leads: the organiser sees who it is, and checks them in (POST)."""
        registration = Registration.objects.filter(token=token).select_related("course_class__course").first()
        if registration is None:
            self.message_user(request, _("This ticket is not one of ours."), messages.ERROR)
            return redirect("admin:training_courseclass_changelist")
        if not services.manages(request.user, registration.course_class):
            raise PermissionDenied
        if request.method == "POST":
            try:
                services.check_in(registration, actor=request.user)
                self.message_user(request, _("%(name)s is checked in.") % {"name": registration.name},
                                  messages.SUCCESS)
            except services.TrainingError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            return redirect(request.path)
        registration.refresh_from_db()
        return TemplateResponse(request, "training/admin/checkin.html", {
            **self.admin_site.each_context(request), "title": _("Check-in"), "r": registration,
            "counts": selectors.counts(registration.course_class), "opts": self.model._meta})

    @admin.action(description=_lazy("Open to the public"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        from xuthanh.core import audit

        n = 0
        for course_class in queryset.filter(state=CourseClass.State.DRAFT):
            audit.step(course_class, request.user, field="state", allowed=(CourseClass.State.DRAFT,),
                       to=CourseClass.State.PUBLISHED, refused=lambda c: services.TrainingError(str(c)))
            n += 1
        self.message_user(request, _("%(n)s classes opened to the public.") % {"n": n}, messages.SUCCESS)

    @admin.action(description=_lazy("Issue certificates to those who attended"))
    def issue_certificates(self, request: HttpRequest, queryset: QuerySet) -> None:
        issued = 0
        for course_class in queryset:
            try:
                issued += services.issue_for_class(course_class, actor=request.user)
            except services.TrainingError as exc:
                self.message_user(request, f"{course_class}: {exc}", messages.ERROR)
        self.message_user(request, _("%(n)s certificates issued.") % {"n": issued},
                          messages.SUCCESS if issued else messages.WARNING)

    NOTIFIED = ("starts_at", "ends_at", "venue", "online_link")  # what participants must hear of

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for material in formset.save(commit=False):
            material.course_id = form.instance.course_id  # a class's material belongs to its course
            material.save()
        for gone in formset.deleted_objects:
            gone.delete()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        from django.db import transaction

        super().save_related(request, form, formsets, change)
        course_class = form.instance
        cancelled = "state" in form.changed_data and course_class.state == CourseClass.State.CANCELLED
        moved = course_class.state == CourseClass.State.PUBLISHED and set(self.NOTIFIED) & set(form.changed_data)
        if change and (cancelled or moved):
            transaction.on_commit(lambda: services.notify_change(course_class, cancelled=cancelled))
            self.message_user(request, _("The participants and the people waiting are told by e-mail."))
        if change and "capacity" in form.changed_data:
            moved = services.promote_waiting(form.instance)
            if moved:
                self.message_user(request, _("%(n)s people moved from the waiting list to a place.") % {"n": moved})


class RegistrationForm(forms.ModelForm):
    """An organiser registers someone (on paper, at the door): their consent is given on paper and recorded."""

    consent_on_paper = forms.BooleanField(label=_lazy("The person gave their consent (signed form)"),
                                          required=False)

    class Meta:
        model = Registration
        fields = ("course_class", "name", "email", "phone", "audience", "organisation_name", "unit")


@admin.register(Registration)
class RegistrationAdmin(OrganisersOnly, RefusalsShownMixin, AuditedAdminMixin, admin.ModelAdmin):
    unit_path = "course_class__organiser"
    refusals = (services.TrainingError,)
    list_display = ("name", "course_class", "audience", "organisation_name", "state", "attended_at",
                    "certificate_shown")
    list_filter = ("state", "audience", ("attended_at", admin.EmptyFieldListFilter),
                   ("course_class", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "email", "organisation_name")
    list_select_related = ("course_class__course", "certificate")
    actions = ["check_in", "cancel", "issue_certificates", "erase"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("course_class__course__translations")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = RegistrationForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return (*RegistrationForm.Meta.fields, "consent_on_paper")
        return ("course_class", "name", "email", "phone", "audience", "organisation_name", "unit", "state",
                "language", "created_at", "promoted_at", "reminded_at", "cancelled_at", "attended_at", "consent_at",
                "consent_version")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return ("course_class", "email", "state", "language", "created_at", "promoted_at", "reminded_at",
                "cancelled_at", "attended_at", "consent_at", "consent_version")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "course_class" and not services.province_wide(request.user):
            kwargs["queryset"] = CourseClass.objects.filter(organiser__in=services.units_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Registration, form: Any, change: bool) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        if not services.manages(request.user, data["course_class"]):
            raise PermissionDenied
        found = services.register_by_organiser(
            data["course_class"], actor=request.user, consent=data.get("consent_on_paper", False),
            **{k: data[k] for k in ("name", "email", "phone", "audience", "organisation_name", "unit")})
        obj.pk, obj.token = found.pk, found.token
        obj._state.adding = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)

    @admin.display(description=_lazy("certificate"))
    def certificate_shown(self, obj: Registration) -> str:
        found = getattr(obj, "certificate", None)
        if found is None:
            return "–"
        return format_html('<a href="{}">{}</a>{}', reverse("admin:training_certificate_change", args=[found.pk]),
                           found.number, f" ({_('revoked')})" if found.revoked_at else "")

    def _each(self, request: HttpRequest, queryset: QuerySet, act: Any, done: str) -> None:
        ok = 0
        for registration in queryset.select_related("course_class"):
            try:
                act(registration)
                ok += 1
            except services.TrainingError as exc:
                self.message_user(request, str(exc), messages.WARNING)
        self.message_user(request, done % {"n": ok}, messages.SUCCESS if ok else messages.WARNING)

    @admin.action(description=_lazy("Check in (present)"))
    def check_in(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, lambda r: services.check_in(r, actor=request.user),
                   _("%(n)s participants checked in."))

    @admin.action(description=_lazy("Cancel (the first waiting person gets the place)"))
    def cancel(self, request: HttpRequest, queryset: QuerySet) -> None:
        def act(r: Registration) -> None:
            if not services.manages(request.user, r.course_class):
                raise services.TrainingError(_("Only the organisers of this class cancel its registrations."))
            services.cancel(r, actor=request.user)

        self._each(request, queryset, act, _("%(n)s registrations cancelled."))

    @admin.action(description=_lazy("Issue certificates"))
    def issue_certificates(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset.filter(certificate__isnull=True),
                   lambda r: services.issue(r, actor=request.user), _("%(n)s certificates issued."))

    @admin.action(description=_lazy("Erase the personal data (the person asked)"))
    def erase(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, lambda r: services.erase(r, actor=request.user),
                   _("The personal data of %(n)s people are erased."))


class CertificateForm(forms.ModelForm):
    """A certificate given on paper before the platform, with its own number (empty: the next number)."""

    number = forms.CharField(label=_lazy("number"), max_length=40, required=False,
                             help_text=_lazy("Leave empty for the next number of the year (e.g. 0012/2026/GCN-XT); "
                                             "give one for a certificate already printed."))

    class Meta:
        model = Certificate
        fields = ("registration",)

    actor: Any = None  # set by the admin

    def clean_number(self) -> str:
        number = plain(self.cleaned_data.get("number", ""), 40)
        if number:
            try:
                services.check_number(number, self.actor)
            except services.TrainingError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return number


@admin.register(Certificate)
class CertificateAdmin(OrganisersOnly, RefusalsShownMixin, admin.ModelAdmin):
    unit_path = "registration__course_class__organiser"
    refusals = (services.TrainingError,)
    list_display = ("number", "name", "course_title", "held", "issued_at", "revoked_at", "pdf")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("number", "name", "course_title")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "registration":  # who attended and has none yet, in the user's own classes
            found = Registration.objects.filter(attended_at__isnull=False, certificate__isnull=True).select_related(
                "course_class__course").prefetch_related("course_class__course__translations")
            if not services.province_wide(request.user):
                found = found.filter(course_class__organiser__in=services.units_of(request.user))
            kwargs["queryset"] = found
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = type("CertificateFormFor", (CertificateForm,), {"actor": request.user})
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("registration", "number")
        return ("number", "check_code", "name", "course_title", "held", "issued_at", "verify_link", "pdf",
                "revoked_at", "revoked_reason")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        fixed = ("number", "check_code", "name", "course_title", "held", "issued_at", "verify_link", "pdf",
                 "revoked_at")
        return (*fixed, "revoked_reason") if obj.revoked_at else fixed

    def save_model(self, request: HttpRequest, obj: Certificate, form: Any, change: bool) -> None:
        if not change:
            found = services.issue(form.cleaned_data["registration"], actor=request.user,
                                   number=form.cleaned_data.get("number", ""))
            obj.pk = found.pk
            obj._state.adding = False
            return
        if "revoked_reason" in form.changed_data and obj.revoked_reason.strip():
            services.revoke(obj, actor=request.user, reason=obj.revoked_reason)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return None

    def log_addition(self, *args: Any, **kwargs: Any) -> None:  # the services write the audit log
        return None

    def log_change(self, *args: Any, **kwargs: Any) -> None:
        return None

    @admin.display(description=_lazy("verification"))
    def verify_link(self, obj: Certificate) -> str:
        from xuthanh.training.certificate import verify_url

        url = verify_url(obj)
        return format_html('<a href="{}">{}</a>', url, url)

    @admin.display(description="PDF")
    def pdf(self, obj: Certificate) -> str:
        return format_html('<a href="{}">PDF</a>', reverse("admin:training_certificate_pdf", args=[obj.pk]))

    def get_urls(self) -> list:
        return [path("<int:pk>/pdf/", self.admin_site.admin_view(self.pdf_view), name="training_certificate_pdf"),
                *super().get_urls()]

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        from xuthanh.training.views import pdf_response

        found = self.get_queryset(request).filter(pk=pk).first()
        if found is None:
            raise PermissionDenied
        return pdf_response(found)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 1
    fields = ("name", "position", "unit", "organisation_name")


@admin.register(StudyTour)
class StudyTourAdmin(OrganisersOnly, AuditedAdminMixin, admin.ModelAdmin):
    inlines = [ParticipantInline]
    list_display = ("title", "destinations", "starts_on", "ends_on", "state", "participants_count", "organiser",
                    "sample")
    list_filter = ("state", ("organiser", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "destinations")
    readonly_fields = ("informed_tasks",)
    fields = ("title", "destinations", "starts_on", "ends_on", "organiser", "state", "purpose", "programme",
              "report", "lessons", "report_file", "participants_reported", "source", "sample", "informed_tasks")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(n_participants=Count("participants"))

    @admin.display(description=_lazy("participants"), ordering="n_participants")
    def participants_count(self, obj: StudyTour) -> int:
        return obj.n_participants

    @admin.display(description=_lazy("the plan's tasks it informed"))
    def informed_tasks(self, obj: StudyTour) -> str:
        related = getattr(obj, "plan_tasks", None)  # linked from the plan's task screen (the plan reads training)
        if related is None or obj.pk is None:
            return "–"
        return ", ".join(str(t) for t in related.all()) or _("none yet: link them from the plan's task screen")
