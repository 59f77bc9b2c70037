"""Back office for the catalogue: translated tabs, a map for locations, opening hours, tickets and photos
inline, unaccented search, workflow actions, CSV/XLSX import and export, and translation coverage."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin, TranslatableStackedInline

from xuthanh.areas.models import Commune
from xuthanh.catalog import import_guide, importing, selectors, services
from xuthanh.catalog.fieldmaps import FIELDMAPS
from xuthanh.catalog.models import (
    ClosureDate,
    Event,
    OpeningRule,
    Photo,
    Place,
    Specialty,
    Tag,
    TicketPrice,
    Tour,
    TourStop,
)
from xuthanh.catalog.models.places import WEEKDAY_CHOICES
from xuthanh.catalog.tasks import photo_small_rendition
from xuthanh.core.admin import AuditedAdminMixin, FoldedSearchMixin
from xuthanh.core.cells import download
from xuthanh.core.models import Status
from xuthanh.orgs.admin_mixins import ScopedAdminMixin, ScopedInlineMixin


class MapPointWidget(forms.NumberInput):
    """The latitude input with a Leaflet map below it; clicking or dragging the marker fills lat/lon.
    Without JavaScript or tiles, the two number inputs still work."""

    template_name = "admin/catalog/map_point_widget.html"

    class Media:
        css = {"all": ["vendor/leaflet/leaflet.css"]}
        js = ["vendor/leaflet/leaflet.js", "xuthanh/admin-map.js"]

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, {**(attrs or {}), "step": "any"})
        context["tile_url"] = settings.MAP_TILE_URL
        context["tile_attribution"] = settings.MAP_TILE_ATTRIBUTION
        return context


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // 1_000_000}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class PhotoInline(ScopedInlineMixin, TranslatableStackedInline):
    model = Photo
    extra = 0
    fields = [
        "image",
        "caption",
        "alt_text",
        "author",
        "licence",
        "source_url",
        "taken_at",
        "remove_location",
        "position",
    ]


def translation_state_words() -> dict[str, str]:
    """The three states of a translation in words (the chips of the lists and their legend)."""
    return {"reviewed": gettext("reviewed"), "machine": gettext("machine draft"), "missing": gettext("missing")}


class PublishableAdminMixin:
    """For any scoped, translated Publishable (catalogue content, news): the submit, publish and archive
    actions through `services.content_set_status` (permissions, audit) and the translation overview."""

    class Media:
        css = {"all": ["xuthanh/admin.css"]}

    @admin.display(description=_("translations"))
    def translation_overview(self, obj: Any) -> str:
        """Each language's state as a coloured chip with its word (the legend above the list says the same)."""
        if obj is None or obj.pk is None:
            return "—"
        words, names = translation_state_words(), dict(settings.LANGUAGES)
        return format_html_join(
            " ",
            '<span class="tr-state tr-{}" title="{}">{} {}</span>',
            (
                (status, f"{names.get(code, code)}: {words[status]}", code.upper(), words[status])
                for code, status in obj.translation_statuses().items()
            ),
        )

    def _transition(self, request: HttpRequest, queryset: QuerySet, status: str) -> None:
        done, refused = 0, []
        for obj in queryset:
            try:
                services.content_set_status(actor=request.user, obj=obj, status=status)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                refused.append(f"{obj}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        if done:
            self.message_user(request, gettext("%(n)s item(s) updated.") % {"n": done}, messages.SUCCESS)
        for line in refused[:20]:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Submit for review"))
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._transition(request, queryset, Status.REVIEW)

    @admin.action(description=_("Publish"))
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._transition(request, queryset, Status.PUBLISHED)

    @admin.action(description=_("Archive"))
    def archive(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._transition(request, queryset, Status.ARCHIVED)


class TableImportAdminMixin:
    """CSV/XLSX import (every row checked, all stored or none, each problem named by line and column), the
    import's template files and the export actions, for any admin whose model has a field map
    (`importing.FieldMap`): give `get_fieldmap()`. The import page is `admin/catalog/import.html`."""

    def get_fieldmap(self) -> importing.FieldMap:
        raise NotImplementedError

    def import_file_stem(self) -> str:
        """The start of the download names: `<stem>s.csv`, `<stem>-import-template.xlsx`."""
        return self.opts.model_name

    def import_example(self, request: HttpRequest, fieldmap: importing.FieldMap) -> Any:
        """A record this user may see, to show what each column holds (None when there is none)."""
        return self.get_queryset(request).prefetch_related(*fieldmap.prefetch).order_by("pk").first()

    def import_interests(self) -> list[tuple[str, str]]:
        """(id, name) of the interests the XLSX template lists on its own sheet."""
        return []

    def run_import(
        self, request: HttpRequest, header: list[str], rows: list[tuple[int, dict[str, str]]], note: str
    ) -> importing.ImportResult:
        return importing.import_rows(self.get_fieldmap(), header, rows, actor=request.user, note=note)

    def _export(self, queryset: QuerySet, fmt: str) -> HttpResponse:
        fieldmap = self.get_fieldmap()
        objects = queryset.prefetch_related(*fieldmap.prefetch)
        write = importing.export_xlsx if fmt == "xlsx" else importing.export_csv
        return download(write(fieldmap, objects), f"{self.import_file_stem()}s.{fmt}")

    @admin.action(description=_("Export selected as CSV"))
    def export_csv(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return self._export(queryset, "csv")

    @admin.action(description=_("Export selected as XLSX"))
    def export_xlsx(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        return self._export(queryset, "xlsx")

    def get_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="{}_{}_import".format(*info)),
            path(
                "import/template.<str:fmt>",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        result = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                header, rows = importing.read_table(upload.name, upload.read())
            except importing.CellError as exc:
                form.add_error("file", str(exc))
            else:
                result = self.run_import(request, header, rows, f"import {upload.name}")
                if result.ok:
                    self.message_user(
                        request,
                        gettext("Imported %(rows)s rows: %(created)s created, %(updated)s updated.")
                        % {"rows": result.rows, "created": result.created, "updated": result.updated},
                        messages.SUCCESS,
                    )
                    return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
        fieldmap = self.get_fieldmap()
        columns = import_guide.column_guide(fieldmap, self.import_example(request, fieldmap))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import %(things)s") % {"things": self.opts.verbose_name_plural},
            "opts": self.opts,
            "form": form,
            "result": result,
            "columns": columns,
        }
        return TemplateResponse(request, "admin/catalog/import.html", context)

    def import_template_view(self, request: HttpRequest, fmt: str) -> HttpResponse:
        """The file to fill for an import: XLSX (with the guide, the commune codes and the interests) or CSV."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        fieldmap = self.get_fieldmap()
        if fmt == "xlsx":
            communes = [
                (c.code, c.name, c.former_districts)
                for c in Commune.objects.order_by("name").only("code", "name", "former_districts")
            ]
            body = import_guide.template_xlsx(
                fieldmap, self.import_example(request, fieldmap), communes, self.import_interests()
            )
        elif fmt == "csv":
            body = import_guide.template_csv(fieldmap)
        else:
            raise Http404
        return download(body, f"{self.import_file_stem()}-import-template.{fmt}")


class ContentAdmin(
    PublishableAdminMixin,
    TableImportAdminMixin,
    ScopedAdminMixin,
    AuditedAdminMixin,
    FoldedSearchMixin,
    TranslatableAdmin,
):
    """What the place, event, specialty and tour screens share."""

    kind_key = ""
    search_fields = ["search_text"]
    list_per_page = 50
    actions = ["submit_for_review", "publish", "archive", "export_csv", "export_xlsx"]
    change_list_template = "admin/catalog/content_change_list.html"
    readonly_fields = ["translation_overview", "published_at"]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict:
        return {"slug": ("name",)} if obj is None else {}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("translations")

    # ---- import / export (TableImportAdminMixin) ----
    def get_fieldmap(self) -> importing.FieldMap:
        return FIELDMAPS[self.kind_key]()

    def import_file_stem(self) -> str:
        return self.kind_key

    def import_example(self, request: HttpRequest, fieldmap: importing.FieldMap) -> Any:
        """A published record this user may see, to show what each column holds (None when there is none)."""
        queryset = self.get_queryset(request).filter(status=Status.PUBLISHED).prefetch_related(*fieldmap.prefetch)
        ordering = ["-popularity", "pk"] if hasattr(self.model, "popularity") else ["pk"]
        return queryset.order_by(*ordering).first()

    def import_interests(self) -> list[tuple[str, str]]:
        return [(t.slug, str(t)) for t in Tag.objects.prefetch_related("translations")]

    def get_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "coverage/",
                self.admin_site.admin_view(self.coverage_view),
                name="{}_{}_coverage".format(*info),
            ),
            *super().get_urls(),
        ]

    def coverage_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = []
        coverage = selectors.translation_coverage(self.model)
        for code, label in settings.LANGUAGES:
            stats = coverage[code]
            total = stats["total"] or 1
            rows.append(
                {
                    "code": code,
                    "label": label,
                    **stats,
                    "reviewed_pct": round(100 * stats["reviewed"] / total),
                    "machine_pct": round(100 * stats["machine"] / total),
                    "outdated_pct": round(100 * stats["outdated"] / total),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Translation coverage: %(things)s") % {"things": self.opts.verbose_name_plural},
            "opts": self.opts,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/catalog/coverage.html", context)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Photo:
            super().save_formset(request, form, formset, change)
            return
        photos = formset.save(commit=False)
        for photo in photos:
            new_image = not photo.image._committed
            if new_image:
                services.photo_prepare(photo)
            photo.save()
            if new_image:  # queued once the photo is committed: a worker elsewhere must find it
                transaction.on_commit(partial(photo_small_rendition, photo.pk))
        for photo in formset.deleted_objects:
            photo.delete()
        formset.save_m2m()


class OpeningRuleForm(forms.ModelForm):
    """Weekdays as tick boxes (stored as the digits 0–6), times as HH:MM."""

    weekdays = forms.MultipleChoiceField(
        label=_("weekdays"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=list("0123456"),
    )

    class Meta:
        model = OpeningRule
        fields = ["weekdays", "opens", "closes", "closed", "season_start", "season_end"]
        widgets = {
            "opens": forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
            "closes": forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
            "season_start": forms.TextInput(attrs={"placeholder": "MM-DD", "size": 6}),
            "season_end": forms.TextInput(attrs={"placeholder": "MM-DD", "size": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["weekdays"] = list(self.instance.weekdays)

    def clean_weekdays(self) -> str:
        return "".join(sorted(self.cleaned_data["weekdays"]))


class OpeningRuleInline(ScopedInlineMixin, admin.TabularInline):
    model = OpeningRule
    form = OpeningRuleForm
    extra = 0


class ClosureDateInline(ScopedInlineMixin, admin.TabularInline):
    model = ClosureDate
    extra = 0


class TicketPriceInline(ScopedInlineMixin, admin.TabularInline):
    model = TicketPrice
    extra = 0


class PhotoWantedFilter(admin.SimpleListFilter):
    """The "photo wanted" list: places by how many photos they have (published places without one first)."""

    title = _("photos")
    parameter_name = "photos"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("0", _("none: photo wanted")), ("1-2", _("one or two")), ("3+", _("three or more"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        ranges = {"0": (0, 0), "1-2": (1, 2), "3+": (3, None)}
        if self.value() not in ranges:
            return queryset
        low, high = ranges[self.value()]
        queryset = queryset.filter(photo_count__gte=low)
        return queryset.filter(photo_count__lte=high) if high is not None else queryset


@admin.register(Place)
class PlaceAdmin(ContentAdmin):
    kind_key = "place"
    list_display = [
        "__str__",
        "kind",
        "category",
        "commune",
        "former_district",
        "status",
        "is_sample",
        "photos",
        "translation_overview",
    ]
    list_filter = [
        PhotoWantedFilter,
        "status",
        "kind",
        "category",
        "former_district",
        ("commune", admin.RelatedOnlyFieldListFilter),
        "is_sample",
        "key_site",
        "tags",
    ]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune", "managed_by", "operator"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(photo_count=Count("photos", distinct=True))

    @admin.display(description=_("photos"), ordering="photo_count")
    def photos(self, obj: Place) -> str:
        """The photo count, marked where a photo is wanted."""
        count = getattr(obj, "photo_count", 0)
        if count:
            return str(count)
        return format_html('<span class="photo-wanted">0 · {}</span>', gettext("photo wanted"))
    inlines = [OpeningRuleInline, ClosureDateInline, TicketPriceInline, PhotoInline]
    fieldsets = [
        (
            None,
            {"fields": ["slug", "kind", "category", "name", "summary", "description", "tags", "popularity"]},
        ),
        (
            _("Location"),
            {
                "fields": [
                    "commune",
                    "former_district",
                    "address",
                    "lat",
                    "lon",
                    "location_verified",
                    "location_uncertainty_m",
                    "location_source",
                    "location_evidence",
                ]
            },
        ),
        (_("Visiting"), {"fields": ["visit_minutes", "always_open", "accessibility"]}),
        (_("Contact"), {"fields": ["phone", "email", "website"]}),
        (_("Accommodation"), {"fields": ["stars", "rooms"], "classes": ["collapse"]}),
        (_("Prices"), {"fields": ["price_from_vnd", "price_to_vnd"], "classes": ["collapse"]}),
        (_("Responsibility"), {"fields": ["managed_by", "operator", "is_sample", "sources"]}),
        (_("Key site"), {"fields": ["key_site", "key_site_source"]}),
        (_("Workflow"), {"fields": ["status", "published_at", "translation_status", "translation_overview"]}),
    ]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "lat":
            kwargs["widget"] = MapPointWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Event)
class EventAdmin(ContentAdmin):
    kind_key = "event"
    list_display = [
        "__str__",
        "kind",
        "recurrence",
        "date_rule",
        "next_dates",
        "commune",
        "status",
        "translation_overview",
    ]
    list_filter = ["status", "kind", "recurrence", "tags"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune", "place", "managed_by"]
    inlines = [PhotoInline]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "name", "summary", "description", "tags", "popularity"]}),
        (_("When"), {"fields": ["recurrence", "month", "day", "duration_days", "start_date", "end_date"]}),
        (_("Where"), {"fields": ["place", "commune", "lat", "lon"]}),
        (_("Responsibility"), {"fields": ["managed_by", "sources"]}),
        (_("Workflow"), {"fields": ["status", "published_at", "translation_status", "translation_overview"]}),
    ]

    @admin.display(description=_("date"))
    def date_rule(self, obj: Event) -> str:
        if obj.recurrence == Event.Recurrence.ONCE:
            return str(obj.start_date or "")
        return obj.lunar_label() or f"{obj.day}/{obj.month}"

    @admin.display(description=_("next dates"))
    def next_dates(self, obj: Event) -> str:
        span = obj.next_occurrence()
        return f"{span[0]:%d/%m/%Y} – {span[1]:%d/%m/%Y}" if span else "—"


@admin.register(Specialty)
class SpecialtyAdmin(ContentAdmin):
    kind_key = "specialty"
    list_display = ["__str__", "kind", "commune", "status", "translation_overview"]
    list_filter = ["status", "kind", "tags"]
    autocomplete_fields = ["commune", "places"]
    inlines = [PhotoInline]
    fieldsets = [
        (
            None,
            {"fields": ["slug", "kind", "name", "summary", "description", "origin", "tags", "popularity"]},
        ),
        (_("Origin and where to find it"), {"fields": ["commune", "places", "sources"]}),
        (_("Workflow"), {"fields": ["status", "published_at", "translation_status", "translation_overview"]}),
    ]


class TourStopInline(ScopedInlineMixin, admin.TabularInline):
    model = TourStop
    extra = 0
    autocomplete_fields = ["place"]


@admin.register(Tour)
class TourAdmin(ContentAdmin):
    kind_key = "tour"
    list_display = ["__str__", "operator", "days", "price_vnd", "is_sample", "status", "translation_overview"]
    list_filter = ["status", "is_sample", "days"]
    autocomplete_fields = ["operator"]
    inlines = [TourStopInline]
    fieldsets = [
        (None, {"fields": ["slug", "operator", "name", "summary", "description", "tags", "popularity"]}),
        (_("Offer"), {"fields": ["days", "price_vnd", "is_sample"]}),
        (_("Workflow"), {"fields": ["status", "published_at", "translation_status", "translation_overview"]}),
    ]


@admin.register(Tag)
class TagAdmin(TranslatableAdmin):
    list_display = ["slug", "__str__"]
    search_fields = ["slug", "translations__name"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        from xuthanh.orgs.permissions import is_platform_admin

        return is_platform_admin(request.user)

    has_view_permission = has_change_permission = has_add_permission = has_delete_permission = (
        lambda self, request, obj=None: self.has_module_permission(request)
    )
