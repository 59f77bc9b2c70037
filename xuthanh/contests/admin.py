"""The contests' back office: contests with their categories and pages in each language, moderation of
entries (accept, disqualify with a reason the entrant reads, appeals, duplicates shown), the jury's rounds
(opened with their jurors, closed on quorum, the next one from the results), awards, the move of winners into
the catalogue, fraud signals before results, and the erasure of an entrant on request. Only those who run
contests (services.can_run) see it; every change is audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from parler.admin import TranslatableAdmin, TranslatableTabularInline
from parler.forms import TranslatableModelForm

from xuthanh.contests import licences, selectors, services
from xuthanh.contests.models import Award, Category, Contest, Entrant, Entry, Round
from xuthanh.core.admin import AllowedAdminMixin, AuditedAdminMixin
from xuthanh.core.cells import csv_bytes, download


class RunnersOnly(AllowedAdminMixin):
    """Visible and editable by those who run contests only."""

    def allowed(self, request: HttpRequest) -> bool:
        return services.can_run(request.user)


class CategoryInline(RunnersOnly, TranslatableTabularInline):
    model = Category
    extra = 0
    fields = ("kind", "slug", "name", "position")


class ContestForm(TranslatableModelForm):
    licences = forms.MultipleChoiceField(label=_lazy("licences allowed"), choices=licences.choices(),
                                         widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Contest
        fields = ("title", "theme", "rules", "prizes", "sponsors", "slug", "year", "organiser", "organiser_name",
                  "published", "sample", "submissions_open",
                  "submissions_close",
                  "vote_open", "vote_close", "results_at", "votes_per_category", "licences", "allow_video_links",
                  "min_photo_side", "max_film_seconds", "max_film_mb", "places", "communes", "source_url",
                  "reported_entries", "reported_contributors")

    def clean(self) -> dict:
        data = super().clean()
        order = ["submissions_open", "submissions_close"]
        if data.get("vote_open") or data.get("vote_close"):
            if not (data.get("vote_open") and data.get("vote_close")):
                self.add_error("vote_close", _("Give both dates of the public vote, or neither."))
            order += ["vote_open", "vote_close"]
        order.append("results_at")
        given = [(name, data.get(name)) for name in order if data.get(name)]
        for (a, first), (b, second) in zip(given, given[1:], strict=False):
            if second < first:
                label = Contest._meta.get_field(a).verbose_name
                self.add_error(b, _("This date comes before “%(field)s”.") % {"field": label})
        return data


@admin.register(Contest)
class ContestAdmin(RunnersOnly, AuditedAdminMixin, TranslatableAdmin):
    form = ContestForm
    inlines = [CategoryInline]
    list_display = ("__str__", "year", "phase_shown", "published", "sample", "entries_shown")
    list_filter = ("year", "published", "sample")
    prepopulated_fields = {}
    filter_horizontal = ("places", "communes")
    readonly_fields = ("signals",)
    fieldsets = (
        (None, {"fields": ("title", "slug", "year", "organiser", "organiser_name", "published", "sample", "theme",
                           "rules", "prizes",
                           "sponsors")}),
        (_lazy("Dates"), {"fields": ("submissions_open", "submissions_close", "vote_open", "vote_close",
                                     "results_at")}),
        (_lazy("Rules for works"), {"fields": ("licences", "allow_video_links", "min_photo_side", "max_film_seconds",
                                               "max_film_mb", "votes_per_category", "places", "communes")}),
        (_lazy("Held before this platform"), {"fields": ("source_url", "reported_entries",
                                                         "reported_contributors"), "classes": ("collapse",)}),
        (_lazy("Fraud signals of the public vote"), {"fields": ("signals",)}),
    )

    @admin.display(description=_lazy("phase"))
    def phase_shown(self, obj: Contest) -> str:
        return obj.phase()

    @admin.display(description=_lazy("entries"))
    def entries_shown(self, obj: Contest) -> int:
        return obj.entries.count()

    @admin.display(description=_lazy("signals"))
    def signals(self, obj: Contest) -> str:
        if obj.pk is None:
            return "–"
        found = selectors.fraud_signals(obj)
        if not found:
            return _("None: no address with many voters, no burst, no entry voted mostly by new accounts.")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}{}</li>", (
            (s.detail, format_html(" – <a href='{}'>#{}</a>", reverse("admin:contests_entry_change", args=[s.entry_id]),
                                   s.entry_id) if s.entry_id else "") for s in found)))


class DisqualifyForm(forms.Form):
    reason = forms.CharField(label=_lazy("Reason the entrant will read"), widget=forms.Textarea(attrs={"rows": 3}))


class AppealAnswerForm(forms.Form):
    upheld = forms.TypedChoiceField(label=_lazy("Decision"), coerce=lambda v: v == "1",
                                    choices=[("1", _lazy("Uphold: the entry is back")), ("0", _lazy("Reject"))])
    answer = forms.CharField(label=_lazy("Answer the entrant will read"), widget=forms.Textarea(attrs={"rows": 3}))


class AwardForm(forms.Form):
    rank = forms.IntegerField(label=_lazy("rank"), min_value=1, max_value=100)
    prize = forms.CharField(label=_lazy("prize"), max_length=120)


@admin.register(Entry)
class EntryAdmin(RunnersOnly, AuditedAdminMixin, TranslatableAdmin):
    list_display = ("__str__", "contest", "category", "kind", "state", "appeal", "duplicate_shown", "votes")
    list_filter = ("contest", "kind", "state", "appeal")
    list_select_related = ("contest", "category", "duplicate_of", "duplicate_photo")
    search_fields = ("translations__title",)
    actions = ["accept_entries", "disqualify_entries", "to_catalogue", "to_news"]
    readonly_fields = ("contest", "category", "kind", "entrant_shown", "picture", "taken_at", "camera", "width",
                       "height", "duration", "licence", "licence_version", "licence_at", "share_with_catalogue",
                       "state", "reason", "appeal", "appeal_text", "appeal_answer", "duplicate_of", "duplicate_photo",
                       "votes", "catalogue_photo", "media_error", "video_url", "body")
    fields = ("title", "description", "place", "lat", "lon", *readonly_fields)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # entries come from entrants

    @admin.display(description=_lazy("entrant"))
    def entrant_shown(self, obj: Entry) -> str:
        return f"{obj.entrant.credit_name} <{obj.entrant.email}>"

    @admin.display(description=_lazy("picture"))
    def picture(self, obj: Entry) -> str:
        return format_html('<img src="{}" alt="" style="max-width:480px">', obj.small.url) if obj.small else "–"

    @admin.display(description=_lazy("duplicate of"))
    def duplicate_shown(self, obj: Entry) -> str:
        if obj.duplicate_of_id:
            return _("entry #%(n)s") % {"n": obj.duplicate_of_id}
        if obj.duplicate_photo_id:
            return _("catalogue photo #%(n)s") % {"n": obj.duplicate_photo_id}
        return ""

    def get_urls(self) -> list:
        own = [
            path("<int:pk>/disqualify/", self.admin_site.admin_view(self.disqualify_view),
                 name="contests_entry_disqualify"),
            path("<int:pk>/appeal/", self.admin_site.admin_view(self.appeal_view), name="contests_entry_appeal"),
            path("<int:pk>/award/", self.admin_site.admin_view(self.award_view), name="contests_entry_award"),
        ]
        return own + super().get_urls()

    def _form_page(self, request: HttpRequest, entry: Entry, form: forms.Form, title: str, act) -> HttpResponse:  # noqa: ANN001
        if request.method == "POST" and form.is_valid():
            try:
                act(form.cleaned_data)
                self.message_user(request, _("Done."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:contests_entry_change", args=[entry.pk]))
            except services.ContestError as exc:
                form.add_error(None, str(exc))
        return TemplateResponse(request, "admin/contests/form.html", {
            **self.admin_site.each_context(request), "title": title, "entry": entry, "form": form,
            "opts": self.model._meta,
        }, status=422 if request.method == "POST" else 200)

    def _entry(self, request: HttpRequest, pk: int) -> Entry:
        entry = Entry.objects.select_related("contest").filter(pk=pk).first()
        if entry is None or not services.can_run(request.user, entry.contest):
            from django.http import Http404

            raise Http404
        return entry

    def disqualify_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = self._entry(request, pk)
        title = _("Disqualify %(e)s") % {"e": entry}
        return self._form_page(request, entry, DisqualifyForm(request.POST or None), title,
                               lambda d: services.disqualify(entry, request.user, d["reason"]))

    def appeal_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = self._entry(request, pk)
        return self._form_page(request, entry, AppealAnswerForm(request.POST or None),
                               _("Answer the appeal of %(e)s") % {"e": entry},
                               lambda d: services.answer_appeal(entry, request.user, upheld=d["upheld"],
                                                                answer=d["answer"]))

    def award_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = self._entry(request, pk)
        title = _("Award a prize to %(e)s") % {"e": entry}
        return self._form_page(request, entry, AwardForm(request.POST or None), title,
                               lambda d: services.award(entry.contest, request.user, entry, rank=d["rank"],
                                                        prize=d["prize"]))

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None):  # noqa: ANN201
        extra = {"entry_links": [
            (reverse("admin:contests_entry_disqualify", args=[object_id]), _("Disqualify")),
            (reverse("admin:contests_entry_appeal", args=[object_id]), _("Answer the appeal")),
            (reverse("admin:contests_entry_award", args=[object_id]), _("Award a prize")),
        ]}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _each(self, request: HttpRequest, queryset, act) -> None:  # noqa: ANN001
        done, refused = 0, []
        for entry in queryset:
            try:
                act(entry)
                done += 1
            except services.ContestError as exc:
                refused.append(f"#{entry.pk}: {exc}")
        if done:
            self.message_user(request, _("%(n)d entries done.") % {"n": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_lazy("Accept the chosen entries"))
    def accept_entries(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._each(request, queryset, lambda e: services.accept(e, request.user))

    @admin.action(description=_lazy("Disqualify the chosen entry (asks the reason)"))
    def disqualify_entries(self, request: HttpRequest, queryset) -> HttpResponse | None:  # noqa: ANN001
        first = queryset.first()
        if first is None:
            return None
        return HttpResponseRedirect(reverse("admin:contests_entry_disqualify", args=[first.pk]))

    @admin.action(description=_lazy("Add the chosen winning entries to the catalogue"))
    def to_catalogue(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._each(request, queryset, lambda e: services.to_catalogue(
            e, request.user, source_url=request.build_absolute_uri(
                reverse("contests:entry", args=[e.contest.slug, e.pk]))))


    @admin.action(description=_lazy("Make news drafts of the chosen articles"))
    def to_news(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._each(request, queryset, lambda e: services.to_news_draft(e, request.user))


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ("category", "method", "quorum", "jurors", "previous")


class JurorsForm(forms.Form):
    jurors = forms.ModelMultipleChoiceField(label=_lazy("jurors"), queryset=None,
                                            widget=forms.SelectMultiple(attrs={"size": 12}))

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["jurors"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")


class CloseForm(forms.Form):
    keep = forms.IntegerField(label=_lazy("Keep the best … entries (0: by threshold)"), min_value=0, initial=0)
    threshold = forms.FloatField(label=_lazy("or those scoring at least"), required=False,
                                 help_text=_lazy("Yes/no: share of yes (default 0.5). Rating: mean (default 3)."))


@admin.register(Round)
class RoundAdmin(RunnersOnly, admin.ModelAdmin):
    form = RoundForm
    list_display = ("__str__", "contest", "state", "progress", "closed_at")
    list_filter = ("contest", "state", "method")
    filter_horizontal = ("jurors",)
    readonly_fields = ("state", "closed_at", "results_table", "progress")

    def get_fields(self, request: HttpRequest, obj: Round | None = None) -> list[str]:
        if obj is None:
            return ["category", "method", "quorum", "jurors", "previous"]
        return ["state", "progress", "closed_at", "results_table"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.can_run(request.user) and obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # every vote stays: the final table can always be computed again

    def save_model(self, request: HttpRequest, obj: Round, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            made = services.open_round(data["category"], request.user, method=data["method"], quorum=data["quorum"],
                                       jurors=list(data["jurors"]), previous=data.get("previous"))
        except services.ContestError as exc:
            raise _Refused(str(exc)) from exc
        obj.pk = made.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass  # open_round set the jurors

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None):  # noqa: ANN201
        try:
            return super().add_view(request, form_url, extra_context)
        except _Refused as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.display(description=_lazy("votes given"))
    def progress(self, obj: Round) -> str:
        tasks = obj.tasks.all()
        return f"{tasks.exclude(value=None).count()} / {tasks.count()}"

    @admin.display(description=_lazy("results"))
    def results_table(self, obj: Round) -> str:
        rows = obj.results or services.table(obj.method, services.votes_of(obj))
        best = max((r["score"] for r in rows), default=1) or 1
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("entry"), _("score"), _("votes"), _("goes on"),
            format_html_join("", "<tr><td><a href='{}'>#{}</a></td><td><meter min='0' max='{}' value='{}'></meter> "
                             "{}</td><td>{}</td><td>{}</td></tr>", (
                (reverse("admin:contests_entry_change", args=[r["entry"]]), r["entry"], best, r["score"],
                 r["score"], r["votes"], "✔" if r.get("advance") else "") for r in rows)))

    def get_urls(self) -> list:
        return [path("<int:pk>/close/", self.admin_site.admin_view(self.close_view), name="contests_round_close"),
                path("<int:pk>/jurors/", self.admin_site.admin_view(self.jurors_view), name="contests_round_jurors"),
                path("<int:pk>/table.csv", self.admin_site.admin_view(self.table_view), name="contests_round_table"),
                *super().get_urls()]

    def jurors_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Jurors added to an open round (when conflicts leave entries short of their quorum)."""
        round_ = self._round(request, pk)
        form = JurorsForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                made = services.add_jurors(round_, request.user, list(form.cleaned_data["jurors"]))
                self.message_user(request, _("%(n)d entries given to the new jurors.") % {"n": made}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:contests_round_change", args=[pk]))
            except services.ContestError as exc:
                form.add_error(None, str(exc))
        return TemplateResponse(request, "admin/contests/form.html", {
            **self.admin_site.each_context(request), "title": _("Add jurors to %(r)s") % {"r": round_}, "form": form,
            "opts": self.model._meta,
        }, status=422 if request.method == "POST" else 200)

    def _round(self, request: HttpRequest, pk: int) -> Round:
        round_ = Round.objects.select_related("contest").filter(pk=pk).first()
        if round_ is None or not services.can_run(request.user, round_.contest):
            from django.http import Http404

            raise Http404
        return round_

    def table_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The round's table and every vote behind it, as CSV: anyone can compute the table again."""
        round_ = self._round(request, pk)
        rows: list[list] = [["entry", "score", "votes", "goes on"]]
        rows += [[r["entry"], r["score"], r["votes"], r.get("advance", False)]
                 for r in round_.results or services.table(round_.method, services.votes_of(round_))]
        rows += [[], ["entry", "juror", "value", "voted at"]]
        rows += [[t.entry_id, t.juror_id, t.value, t.voted_at.isoformat() if t.voted_at else ""]
                 for t in round_.tasks.order_by("entry_id", "juror_id")]
        return download(csv_bytes(rows), f"round-{round_.pk}-{round_.method}.csv")

    def close_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        round_ = self._round(request, pk)
        form = CloseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.close_round(round_, request.user, keep=form.cleaned_data["keep"],
                                     threshold=form.cleaned_data["threshold"])
                self.message_user(request, _("The round is closed."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:contests_round_change", args=[pk]))
            except services.ContestError as exc:
                form.add_error(None, str(exc))
        return TemplateResponse(request, "admin/contests/form.html", {
            **self.admin_site.each_context(request), "title": _("Close %(r)s") % {"r": round_}, "form": form,
            "opts": self.model._meta,
        }, status=422 if request.method == "POST" else 200)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None):  # noqa: ANN201
        extra = {"entry_links": [(reverse("admin:contests_round_close", args=[object_id]), _("Close the round")),
                                 (reverse("admin:contests_round_jurors", args=[object_id]), _("Add jurors")),
                                 (reverse("admin:contests_round_table", args=[object_id]), _("Table and votes (CSV)"))]}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})


class _Refused(Exception):
    pass


@admin.register(Award)
class AwardAdmin(RunnersOnly, admin.ModelAdmin):
    list_display = ("prize", "rank", "entry", "contest", "certificate")
    list_filter = ("contest",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # from the entry's page (“Award a prize”), where the checks are

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_lazy("certificate"))
    def certificate(self, obj: Award) -> str:
        from xuthanh.contests.views import certificate_token

        link = reverse("contests:certificate", args=[obj.contest.slug, certificate_token(obj.pk)])
        return format_html('<a href="{}">{}</a>', link, _("open"))


@admin.register(Entrant)
class EntrantAdmin(RunnersOnly, admin.ModelAdmin):
    list_display = ("credit_name", "contest", "minor", "created_at")
    list_filter = ("contest", "minor")
    readonly_fields = ("contest", "user", "full_name", "credit_name", "email", "phone", "minor", "guardian_name",
                       "guardian_consent_at", "privacy_consent_at", "privacy_version", "created_at")
    actions = ["erase"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the erasure action: it deletes the files too and is audited

    @admin.action(description=_lazy("Erase the chosen entrants and their entries (on their request)"))
    def erase(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        n = 0
        for entrant in queryset:
            services.erase_entrant(entrant, request.user)
            n += 1
        self.message_user(request, _("%(n)d entrants erased.") % {"n": n}, messages.SUCCESS)
