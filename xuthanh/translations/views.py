"""The translation desk's pages in the back office: the queues, the side-by-side editor, batches for agencies
(XLIFF out and in) and the coverage dashboard. Thin: reads are in selectors, writes in services and xliff."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xuthanh.areas.models import Commune
from xuthanh.catalog.selectors import translation_main_field
from xuthanh.orgs import permissions
from xuthanh.orgs.models import Organisation
from xuthanh.translations import machine, services, xliff
from xuthanh.translations.models import TranslationBatch
from xuthanh.translations.registry import CONTENT
from xuthanh.translations.selectors import (
    PLAN_LANGUAGES,
    TARGET_LANGUAGES,
    QueueFilters,
    coverage_now,
    coverage_series,
    editor_view,
    queue,
    queue_counts,
    visible,
)

STATE_LABELS = {
    "missing": gettext_lazy("Missing"),
    "outdated": gettext_lazy("Outdated"),
    "machine": gettext_lazy("Draft (machine or not reviewed)"),
    "reviewed": gettext_lazy("Reviewed"),
}
LANGUAGE_NAMES = dict(settings.LANGUAGES)
PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told the list's size (the queue's counts already hold it): no COUNT over the join."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, "state_labels": STATE_LABELS, **extra}


def _may_use_desk(request: HttpRequest) -> None:
    if not (
        permissions.is_platform_admin(request.user)
        or any(m.role in permissions.TRANSLATE_ROLES for m in permissions.memberships(request.user))
    ):
        raise PermissionDenied


class QueueForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=100)
    lang = forms.ChoiceField(label=gettext_lazy("Language"), choices=[(c, LANGUAGE_NAMES[c]) for c in TARGET_LANGUAGES])
    content = forms.ChoiceField(
        label=gettext_lazy("Content"), choices=[(k, m._meta.verbose_name_plural) for k, m in CONTENT.items()]
    )
    state = forms.ChoiceField(
        label=gettext_lazy("Queue"), required=False, choices=[("", gettext_lazy("All"))] + list(STATE_LABELS.items())
    )
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Organisation.objects.none(), required=False)
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Commune / ward"), queryset=Commune.objects.order_by("name"), required=False
    )
    kind = forms.CharField(label=gettext_lazy("Kind"), required=False, max_length=20)
    published = forms.BooleanField(label=gettext_lazy("Published only"), required=False)
    batch = forms.ModelChoiceField(
        label=gettext_lazy("Batch"), queryset=TranslationBatch.objects.none(), required=False
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.exclude(kind=Organisation.Kind.BUSINESS).order_by("name")
        if not permissions.is_platform_admin(user):
            orgs = orgs.filter(pk__in=[m.organisation_id for m in permissions.memberships(user)])
        self.fields["unit"].queryset = orgs
        self.fields["batch"].queryset = _batches_for(user)

    def filters(self) -> QueueFilters:
        data = self.cleaned_data
        return QueueFilters(
            state=data.get("state") or "",
            unit=data.get("unit"),
            commune_id=data["commune"].pk if data.get("commune") else None,
            kind=data.get("kind") or "",
            published_only=bool(data.get("published")),
            batch=data.get("batch"),
            q=data.get("q") or "",
        )


def _batches_for(user: Any) -> Any:
    if permissions.is_platform_admin(user):
        return TranslationBatch.objects.all()
    return TranslationBatch.objects.filter(agency_id__in=[m.organisation_id for m in permissions.memberships(user)])


def _can_send_batches(user: Any) -> bool:
    return permissions.is_platform_admin(user) or any(
        m.role in (permissions.Role.ADMIN, permissions.Role.EDITOR) and m.organisation.province_wide
        for m in permissions.memberships(user)
    )


class BatchForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Send to agency"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.PARTNER).order_by("name"),
    )


def desk(request: HttpRequest) -> HttpResponse:
    """The queues: counts per content type and state, and the records of the chosen queue."""
    _may_use_desk(request)
    data = {"lang": "en", "content": "place", **request.GET.dict()}
    form = QueueForm(request.user, data)
    if not form.is_valid():
        form = QueueForm(request.user, {"lang": "en", "content": "place"})
        form.is_valid()
        messages.warning(request, _("Some filters were not understood and were reset."))
    lang, content = form.cleaned_data["lang"], form.cleaned_data["content"]
    filters = form.filters()
    model = CONTENT[content]
    can_send = _can_send_batches(request.user)
    if request.method == "POST" and can_send:  # before reading the queue: the answer is the batch's file
        return _send_batch(request, model, content, lang, filters)
    counts = queue_counts(request.user, lang, QueueFilters(**{**filters.__dict__, "state": ""}))
    known = counts[content][filters.state] if filters.state else sum(counts[content].values())
    page = CountedPaginator(queue(request.user, model, lang, filters), PAGE_SIZE, known).get_page(
        request.GET.get("page")
    )
    records = list(page.object_list)
    main = translation_main_field(model)
    rows = {
        master: (name, engine)
        for master, name, engine in model._parler_meta.root_model.objects.filter(
            master_id__in=[r.pk for r in records], language_code=lang
        ).values_list("master_id", main, "engine")
    }
    sources = dict(
        model._parler_meta.root_model.objects.filter(
            master_id__in=[r.pk for r in records], language_code=settings.SOURCE_LANGUAGE
        ).values_list("master_id", main)
    )
    query = request.GET.copy()
    query.pop("page", None)
    items = [
        {
            "obj": record,
            "source": Truncator(sources.get(record.pk) or getattr(record, "slug", record.pk)).chars(120),
            "target": Truncator(rows.get(record.pk, ("", ""))[0]).chars(120),
            "engine": rows.get(record.pk, ("", ""))[1],
            "state": record.tr_state,
            "state_label": STATE_LABELS[record.tr_state],
            "url": reverse("translations:edit", args=[content, record.pk, lang])
            + "?"
            + urlencode({k: v for k, v in query.items() if k not in ("lang",)}),
        }
        for record in records
    ]
    batch_form = BatchForm() if can_send else None
    table = [
        {
            "key": key,
            "label": CONTENT[key]._meta.verbose_name_plural,
            "cells": [(state, counts[key][state]) for state in STATE_LABELS],
            "total": sum(counts[key].values()),
        }
        for key in CONTENT
    ]
    return TemplateResponse(
        request,
        "translations/desk.html",
        _context(
            request,
            _("Translation desk"),
            form=form,
            lang=lang,
            lang_name=LANGUAGE_NAMES[lang],
            content=content,
            table=table,
            queue_label=STATE_LABELS.get(filters.state, ""),
            items=items,
            page=page,
            query=query.urlencode(),
            batch_form=batch_form,
            kinds=getattr(model, "Kind", None) and model.Kind.choices,
            machine_ready=machine.configured_provider() is not None,
        ),
    )


def _send_batch(request: HttpRequest, model: Any, content: str, lang: str, filters: QueueFilters) -> HttpResponse:
    form = BatchForm(request.POST)
    chosen = [int(pk) for pk in request.POST.getlist("record") if pk.isdigit()]
    allowed = set(visible(request.user, model).filter(pk__in=chosen).values_list("pk", flat=True))
    if not form.is_valid() or not allowed:
        messages.error(request, _("Choose the records and the agency to send them to."))
        return redirect(request.get_full_path())
    batch = TranslationBatch.objects.create(
        agency=form.cleaned_data["agency"],
        language=lang,
        items={content: sorted(allowed)},
        only=filters.state or "all",
        created_by=request.user,
    )
    data = xliff.export_batch(batch)
    response = HttpResponse(data, content_type="application/xliff+xml")
    response["Content-Disposition"] = f'attachment; filename="xuthanh-batch-{batch.pk}-{lang}.xlf"'
    return response


class EditorForm(forms.Form):
    action = forms.ChoiceField(choices=[("draft", "draft"), ("reviewed", "reviewed"), ("machine", "machine")])


def _change_url(obj: Any) -> str:
    """The record's page in the back office (a hotspot's is its scene's), or "" without one."""
    from django.urls import NoReverseMatch

    target = obj.scene if obj._meta.model_name == "hotspot" else obj
    try:
        return reverse(f"admin:{target._meta.app_label}_{target._meta.model_name}_change", args=[target.pk])
    except NoReverseMatch:
        return ""


def edit(request: HttpRequest, content: str, pk: int, lang: str) -> HttpResponse:
    """Source and translation side by side; save as a draft or as reviewed; a machine draft on request."""
    _may_use_desk(request)
    model = CONTENT.get(content)
    if model is None or lang not in TARGET_LANGUAGES:
        raise Http404
    obj = get_object_or_404(visible(request.user, model), pk=pk)
    values = None
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "draft")
        if action == "machine":
            try:
                services.machine_draft(request.user, obj, lang)
            except machine.MachineError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Machine draft stored; review it before saving as reviewed."))
            return redirect(request.get_full_path())
        values = {key[2:]: value for key, value in request.POST.items() if key.startswith("t-")}
        reviewed = action in ("reviewed", "reviewed-next")
        result = services.save_translation(request.user, obj, lang, values, reviewed=reviewed)
        if result.saved:
            for name, flags in result.flags.items():
                for flag in flags:
                    messages.warning(
                        request,
                        _("%(field)s: the glossary's “%(term)s” should be “%(expected)s” (%(problem)s).")
                        % {
                            "field": name,
                            "term": flag.term.vi,
                            "expected": flag.expected,
                            "problem": _("dropped") if flag.problem == "dropped" else _("written differently"),
                        },
                    )
            messages.success(request, _("Saved as reviewed.") if reviewed else _("Saved as a draft."))
            if action == "reviewed-next" and (following := _next_in_queue(request, model, content, obj, lang)):
                return redirect(following)
            return redirect(request.get_full_path())
        errors = result.errors
    view = editor_view(obj, lang, values=values)
    back = reverse("translations:desk") + "?" + urlencode({**request.GET.dict(), "lang": lang, "content": content})
    return TemplateResponse(
        request,
        "translations/edit.html",
        _context(
            request,
            _("Translate: %(name)s") % {"name": obj},
            view=view,
            errors=errors,
            lang_name=LANGUAGE_NAMES[lang],
            back=back,
            state_label=STATE_LABELS.get(view.state, view.state),
            machine_ready=machine.configured_provider() is not None,
            change_url=_change_url(obj),
            portal_url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "",
        ),
    )


def _next_in_queue(request: HttpRequest, model: Any, content: str, obj: Any, lang: str) -> str:
    form = QueueForm(request.user, {"lang": lang, "content": content, **request.GET.dict()})
    if not form.is_valid():
        return ""
    filters = form.filters()
    if not filters.state:
        filters = QueueFilters(**{**filters.__dict__, "state": "missing"})
    following = queue(request.user, model, lang, filters).exclude(pk=obj.pk).values_list("pk", flat=True).first()
    if following is None:
        return ""
    return reverse("translations:edit", args=[content, following, lang]) + "?" + request.GET.urlencode()


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("XLIFF file"))


def batch_import(request: HttpRequest) -> HttpResponse:
    """An agency sends its batch back."""
    _may_use_desk(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20})
        else:
            report = xliff.import_file(request.user, upload.read())
            if report.ok:
                messages.success(
                    request,
                    _("Batch %(batch)s imported: %(n)s records changed, %(units)s fields read.")
                    % {"batch": report.batch.pk, "n": report.records_changed, "units": report.units_read},
                )
                return redirect(reverse("translations:batches"))
    return TemplateResponse(
        request, "translations/import.html", _context(request, _("Import a translated batch"), form=form, report=report)
    )


def batches(request: HttpRequest) -> HttpResponse:
    _may_use_desk(request)
    return TemplateResponse(
        request,
        "translations/batches.html",
        _context(
            request, _("Batches sent to agencies"), batches=_batches_for(request.user).select_related("agency")[:200]
        ),
    )


def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    _may_use_desk(request)
    batch = get_object_or_404(_batches_for(request.user), pk=pk)
    response = HttpResponse(xliff.export_batch(batch), content_type="application/xliff+xml")
    response["Content-Disposition"] = f'attachment; filename="xuthanh-batch-{batch.pk}-{batch.language}.xlf"'
    return response


def coverage(request: HttpRequest) -> HttpResponse:
    """Coverage of published content per language and content type, today and over time, against the plan."""
    _may_use_desk(request)
    if request.method == "POST":
        with transaction.atomic():
            services.snapshot_coverage()
        return redirect(request.path)
    now = coverage_now()
    since = timezone.localdate() - dt.timedelta(days=365)
    chart = {
        "labels": {state: str(label) for state, label in STATE_LABELS.items()},
        "series": {lang: coverage_series(lang, since) for lang in TARGET_LANGUAGES},
        "languages": {lang: LANGUAGE_NAMES[lang] for lang in TARGET_LANGUAGES},
        "plan": list(PLAN_LANGUAGES),
    }
    table = []
    for lang in TARGET_LANGUAGES:
        cells = []
        for key in CONTENT:
            counts = now[key][lang]
            total = counts["total"] or 1
            cells.append({"key": key, **counts, "pct": round(100 * counts["reviewed"] / total)})
        reviewed = sum(c["reviewed"] for c in cells)
        total = sum(c["total"] for c in cells)
        table.append(
            {
                "lang": lang,
                "name": LANGUAGE_NAMES[lang],
                "cells": cells,
                "reviewed": reviewed,
                "total": total,
                "pct": round(100 * reviewed / (total or 1)),
                "plan": lang in PLAN_LANGUAGES,
            }
        )
    return TemplateResponse(
        request,
        "translations/coverage.html",
        _context(
            request,
            _("Translation coverage"),
            table=table,
            contents=[(k, m._meta.verbose_name_plural) for k, m in CONTENT.items()],
            chart=chart,
        ),
    )
