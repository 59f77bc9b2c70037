"""The plan's desk (back office): the plan and its tasks (the department sets current lead units, status and
progress; a lead unit its own tasks' status and progress), money allocated and spent (through services: the
lead unit only, never beyond the allocation), the yearly reports (each unit its own tasks'), proposals to amend
the plan, and the Steering Committee's dashboard (budget per source and year, tasks, targets from live data,
who is late)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from parler.admin import TranslatableAdmin

from xuthanh.core.admin import AuditedAdminMixin, RefusalsShownMixin
from xuthanh.plan import selectors, services, targets
from xuthanh.plan.models import Amendment, Evidence, Milestone, Money, Plan, Report, Risk, Source, Task


class WithUserForm(forms.ModelForm):
    """A form that checks with the services, which need to know who is acting."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def checked(self, check: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return check(*args, **kwargs)
        except services.PlanError as exc:
            raise forms.ValidationError(str(exc)) from exc


class PassesUser:
    """The admin side of WithUserForm."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = super().get_form(request, obj, change, **kwargs)

        class WithUser(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, user=request.user, **kw)

        return WithUser


class SeenByUnits:
    """Every unit's members see the plan; changes are decided per screen."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return services.may_see(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.may_see(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(SeenByUnits, TranslatableAdmin):
    list_display = ("__str__", "title_shown", "total", "dashboard_link")
    readonly_fields = ("number", "date", "issuer", "implements", "source", "total", "provincial", "district",
                       "socialised")

    @admin.display(description=_lazy("title"))
    def title_shown(self, obj: Plan) -> str:
        return obj.safe_translation_getter("title", any_language=True)

    @admin.display(description=_lazy("dashboard"))
    def dashboard_link(self, obj: Plan) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:plan_dashboard"), _("dashboard"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.runs_plan(request.user)  # its title's translations; the figures stay as written

    def get_urls(self) -> list:
        return [path("dashboard/", self.admin_site.admin_view(self.dashboard_view), name="plan_dashboard"),
                path("report/", self.admin_site.admin_view(self.report_view), name="plan_report_file"),
                *super().get_urls()]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        """The consolidated yearly report: ?year=&number=&format=docx|pdf|xlsx (the department only)."""
        from xuthanh.core.cells import download
        from xuthanh.plan import document

        if not services.runs_plan(request.user):
            raise PermissionDenied
        plan = selectors.current_plan()
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = 0
        fmt = request.GET.get("format", "docx")
        if plan is None or not 2019 <= year <= 2100 or fmt not in ("docx", "pdf", "xlsx"):
            self.message_user(request, _("Choose a year (2019 or later) and a format: DOCX, PDF or XLSX."),
                              messages.ERROR)
            from django.shortcuts import redirect

            return redirect("admin:plan_dashboard")
        found = selectors.consolidated(plan, year)
        number = request.GET.get("number", "")[:20]
        name = f"bao-cao-ke-hoach-{plan.number.split('/')[0]}-{year}"
        if fmt == "xlsx":
            return download(document.xlsx(found), f"{name}.xlsx")
        if fmt == "pdf":
            body = document.pdf_bytes(found, number)
            if body is None:
                self.message_user(request, _("No Unicode font for the PDF is installed (PDF_FONT); the DOCX "
                                             "file has the same report."), messages.ERROR)
                from django.shortcuts import redirect

                return redirect("admin:plan_dashboard")
            answer = HttpResponse(body, content_type="application/pdf")
        else:
            answer = HttpResponse(document.docx_bytes(found, number), content_type=(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        answer["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return answer

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not services.may_see(request.user):
            raise PermissionDenied
        plan = selectors.current_plan()
        context = {**self.admin_site.each_context(request), "title": _("Plan monitoring"), "plan": plan,
                   "opts": self.model._meta}
        if plan is not None:
            year = timezone.localdate().year
            try:
                asked = int(request.GET.get("year") or year)
            except ValueError:
                asked = year
            year = asked if 2019 <= asked <= 2100 else year
            found = selectors.budget(plan)
            labels = {s: str(Source(s).label) for s in Source.values}
            chart = {"labels": found.years, "stacked": False, "label": _("million VND"), "series": {
                f"{labels[s]} · {name}": values[s] for s in Source.values
                for name, values in ((_("planned"), found.planned), (_("allocated"), found.allocated),
                                     (_("spent"), found.spent))}}
            measured = targets.current()  # at most five minutes old (71 queries otherwise, bench/plan.py)
            context.update({
                "runs_plan": services.runs_plan(request.user),
                "year": year, "budget": found, "chart": chart, "labels": labels, "adds_up": selectors.adds_up(plan),
                "statuses": [(Task.Status(s).label, n) for s, n in selectors.status_counts(plan).items()],
                "targets": targets.summary(measured), "late": services.lateness(year),
                "tasks": selectors.task_rows(plan, year), "deadline": services.deadline(year),
                "objectives": plan.objectives.prefetch_related("translations"),
                "watch": selectors.watch(plan, timezone.localdate()),
            })
        return TemplateResponse(request, "plan/admin/dashboard.html", context)


class TaskPartInline(admin.TabularInline):
    """A task's milestones, evidence and risks: kept by its lead unit and by the department."""

    extra = 0

    def _may(self, request: HttpRequest, obj: Any) -> bool:
        return services.runs_plan(request.user) or (obj is not None and services.leads(request.user, obj))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.may_see(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request, obj)


class MilestoneInline(TaskPartInline):
    model = Milestone
    fields = ("title", "due", "done_on", "note")


class EvidenceInline(TaskPartInline):
    model = Evidence
    fields = ("title", "year", "file", "link")


class RiskInline(TaskPartInline):
    model = Risk
    fields = ("description", "likelihood", "impact", "mitigation", "closed")


@admin.register(Task)
class TaskAdmin(SeenByUnits, AuditedAdminMixin, TranslatableAdmin):
    inlines = [MilestoneInline, EvidenceInline, RiskInline]
    list_display = ("code", "__str__", "lead", "start_year", "end_year", "total", "status", "progress")
    list_filter = ("section", "status", "lead")
    filter_horizontal = ("cooperating", "study_tours")
    fields = ("code", "section", "title", "start_year", "end_year", "years", "lead_original", "district_led",
              "lead", "cooperating", "total", "provincial", "district", "socialised", "measure", "live_figure",
              "status", "progress", "study_tours")
    FIGURES = ("code", "section", "start_year", "end_year", "years", "lead_original", "district_led", "total",
               "provincial", "district", "socialised", "measure", "live_figure")

    @admin.display(description=_lazy("now, from the platform's data"))
    def live_figure(self, obj: Task) -> str:
        """The task's measure as the platform computes it now (the same figure as the dashboard's)."""
        found = targets.current().get(obj.measure) if obj.measure else None
        if found is None:
            return "–"
        if found.value is None:
            return format_html("<em>{}</em> · {}", _("no data"), found.detail)
        value = f"{found.value:g}{found.unit}"
        goal = f" / {found.goal:g}{found.unit}" if found.goal is not None else ""
        return format_html("<strong>{}{}</strong> · {}", value, goal, found.detail)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        if services.runs_plan(request.user):
            return self.FIGURES  # the plan's text: changed by an accepted amendment, not here
        return (*self.FIGURES, "title", "lead", "cooperating")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if services.runs_plan(request.user):
            return True
        return obj is not None and services.leads(request.user, obj)


class AmountField(forms.CharField):
    """Million VND as people type them: "12,5" or "12.5" (the services' reading, in every language; the
    locale's own parsing would read "12.5" as 125 in Vietnamese, where "." groups thousands)."""

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in self.empty_values:
            return text
        try:
            return services.parse_amount(text, str(self.label))
        except services.PlanError as exc:
            raise forms.ValidationError(str(exc)) from exc


def amount_field(model: Any, name: str, required: bool = True) -> AmountField:
    field = model._meta.get_field(name)
    return AmountField(label=field.verbose_name, max_length=24, required=required,
                       widget=forms.TextInput(attrs={"inputmode": "decimal"}))


class MoneyForm(WithUserForm):
    amount = amount_field(Money, "amount")

    class Meta:
        model = Money
        fields = ("task", "year", "kind", "source", "amount", "document", "document_date")

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            self.checked(services.check_money, data["task"], self.user, year=data["year"], kind=data["kind"],
                         source=data["source"], amount=data["amount"], document=data["document"])
        return data


@admin.register(Money)
class MoneyAdmin(RefusalsShownMixin, PassesUser, SeenByUnits, admin.ModelAdmin):
    refusals = (services.PlanError,)
    form = MoneyForm
    list_display = ("task", "year", "kind", "source", "amount", "document", "document_date", "unit")
    list_filter = ("year", "kind", "source", "task")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return services.may_record(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a record stays as entered: a correction is a new record with its own document

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201 - the department reads all, a unit its tasks'
        found = super().get_queryset(request).select_related("task", "unit")
        return found if services.runs_plan(request.user) else found.filter(
            task__lead__in=services.units_of(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "task" and not services.runs_plan(request.user):
            kwargs["queryset"] = services.tasks_led(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Money, form: Any, change: bool) -> None:
        data = form.cleaned_data
        made = services.record_money(data["task"], request.user, year=data["year"], kind=data["kind"],
                                     source=data["source"], amount=data["amount"], document=data["document"],
                                     document_date=data["document_date"])
        obj.pk = made.pk


class ReportForm(WithUserForm):
    send = forms.BooleanField(label=_lazy("Send the report to the department now"), required=False)
    spent_provincial = amount_field(Report, "spent_provincial", required=False)
    spent_district = amount_field(Report, "spent_district", required=False)
    spent_socialised = amount_field(Report, "spent_socialised", required=False)

    class Meta:
        model = Report
        fields = ("task", "year", "done", "spent_provincial", "spent_district", "spent_socialised",
                  "difficulties", "proposals", "progress")

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            task, unit, year = where(self.instance, data)
            self.checked(services.check_report, task, unit, self.user, year, send=data.get("send"),
                         **{k: data[k] for k in REPORT_FIELDS})
        return data


def where(report: Report, data: dict) -> tuple[Task, Any, int]:
    """(task, unit, year) of the report a form saves: an existing report keeps its own; a new one is the chosen
    task's lead unit's."""
    if report.pk:
        return report.task, report.unit, report.year
    return data["task"], data["task"].lead, data["year"]


REPORT_FIELDS = ("done", "spent_provincial", "spent_district", "spent_socialised", "difficulties", "proposals",
                 "progress")


@admin.register(Report)
class ReportAdmin(RefusalsShownMixin, PassesUser, SeenByUnits, admin.ModelAdmin):
    refusals = (services.PlanError,)
    form = ReportForm
    list_display = ("task", "unit", "year", "state", "sent_at", "late")
    list_filter = ("year", "state", "unit")
    readonly_fields = ("state", "sent_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        return (*self.readonly_fields, "task", "year") if obj is not None else self.readonly_fields

    @admin.display(description=_lazy("late"), boolean=True)
    def late(self, obj: Report) -> bool:
        due = services.deadline(obj.year)
        return (obj.sent_at or timezone.now()) >= due

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201
        found = super().get_queryset(request).select_related("task", "unit")
        if services.runs_plan(request.user):
            return found
        return found.filter(unit__in=services.units_of(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return services.may_record(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return self.has_add_permission(request)
        return services.runs_plan(request.user) or (obj.unit_id in services.units_of(request.user)
                                                     and obj.state == Report.State.DRAFT)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "task" and not services.runs_plan(request.user):
            kwargs["queryset"] = services.tasks_led(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Report, form: Any, change: bool) -> None:
        data = form.cleaned_data
        task, unit, year = where(obj if change else Report(), data)
        made = services.save_report(task, unit, request.user, year, send=data.get("send"),
                                    **{k: data[k] for k in REPORT_FIELDS})
        obj.pk, obj.unit, obj.state, obj.sent_at = made.pk, made.unit, made.state, made.sent_at

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"year": timezone.localdate().year}


class AmendmentForm(WithUserForm):
    STEPS = (("", "—"), ("review", _lazy("Review (the department's opinion)")),
             ("accept", _lazy("The Chairman accepted it")), ("refuse", _lazy("The Chairman refused it")))
    step = forms.ChoiceField(label=_lazy("Next step"), choices=STEPS, required=False)

    class Meta:
        model = Amendment
        fields = ("task", "proposal", "reason", "review", "decision", "decision_date")

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        if self.instance.pk is None:
            self.checked(services.check_proposal, data["task"], self.user, proposal=data.get("proposal", ""),
                         reason=data.get("reason", ""))
        else:
            if not data.get("step") and self.has_changed():
                raise forms.ValidationError(_("Choose the next step: what you typed is kept with it."))
            self.checked(services.check_step, self.instance, self.user, data.get("step", ""),
                         opinion=data.get("review", ""), decision=data.get("decision", ""))
        return data


@admin.register(Amendment)
class AmendmentAdmin(RefusalsShownMixin, PassesUser, SeenByUnits, admin.ModelAdmin):
    refusals = (services.PlanError,)
    form = AmendmentForm
    list_display = ("task", "unit", "state", "decision", "created_at")
    list_filter = ("state",)
    readonly_fields = ("state", "unit")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return services.may_record(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.runs_plan(request.user) or obj is None

    def save_model(self, request: HttpRequest, obj: Amendment, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            obj.pk = services.propose(data["task"], request.user, proposal=data["proposal"],
                                      reason=data["reason"]).pk
            return
        step = data.get("step")
        if step == "review":
            services.review(obj, request.user, data.get("review", ""))
        elif step in ("accept", "refuse"):
            services.decide(obj, request.user, accepted=step == "accept", decision=data.get("decision", ""),
                            decision_date=data.get("decision_date") or timezone.localdate())

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple:
        if obj is None:
            return (*self.readonly_fields, "review", "decision", "decision_date")
        fixed = (*self.readonly_fields, "task", "proposal", "reason")
        if obj.state == Amendment.State.PROPOSED:  # the department's opinion next
            return (*fixed, "decision", "decision_date")
        if obj.state == Amendment.State.REVIEWED:  # the Chairman's decision next
            return (*fixed, "review")
        return (*fixed, "review", "decision", "decision_date")  # decided: as recorded

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201 - the department reads all, a unit its own
        found = super().get_queryset(request).select_related("task", "unit")
        return found if services.runs_plan(request.user) else found.filter(unit__in=services.units_of(request.user))
