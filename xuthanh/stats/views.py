"""The statistics pages of the back office (/admin/stats/): reports to file and the entry form (businesses,
and communes or site boards for small operators), who is late, the province's dashboard with charts and a
commune map, the drill-down to the business, and the XLSX import and exports. Thin: reads are selectors,
writes services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from xuthanh.areas.models import Commune
from xuthanh.core.cells import download
from xuthanh.orgs import permissions
from xuthanh.registry.models import Establishment
from xuthanh.stats import exports, periods, selectors, services
from xuthanh.stats.forms import ReportValuesForm, problem_message
from xuthanh.stats.models import Report, ReportForm, label_in

STATE_WORDS = {
    "on_time": gettext_lazy("Filed on time"),
    "late_filed": gettext_lazy("Filed late"),
    "draft": gettext_lazy("Draft saved"),
    "overdue": gettext_lazy("Overdue"),
    "open": gettext_lazy("To file"),
    "not_due": gettext_lazy("Period not over"),
}


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, "state_words": STATE_WORDS,
            "may_see_dashboard": permissions.can_read_statistics(request.user), **extra}


def in_care(user: Any) -> Any:
    """The reporting establishments the user follows: its business's, or those in its unit's area (it files
    for the small operators among them: permissions.can_file_report)."""
    condition = permissions.scope_q(user, Establishment, permissions.FILE_ROLES)
    if condition is None:
        return Establishment.objects.none()
    return selectors.reporting_units(Establishment.objects.filter(condition))


def _parse_period(period: str, start: str) -> dt.date:
    """The first day of the period named in a URL; 404 for anything else (or a year out of range)."""
    try:
        if period == periods.MONTH:
            day = dt.datetime.strptime(start, "%Y-%m").date()
        elif period == periods.YEAR and start.isdigit():
            day = dt.date(int(start), 1, 1)
        else:
            raise ValueError(start)
    except ValueError:
        raise Http404 from None
    if not 2000 <= day.year <= timezone.localdate().year + 1:
        raise Http404
    return day


def filing(request: HttpRequest) -> HttpResponse:
    """Reports to file: the last twelve months and the last year of each establishment in the user's care, 50
    a page; a cell opens the entry form where the user files for it (its business, or a small operator)."""
    scope = in_care(request.user).select_related("commune", "operator").order_by("name", "pk")
    if not permissions.can_read_statistics(request.user) and not scope.exists():
        raise PermissionDenied
    page = Paginator(scope, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    last = periods.last_closed(periods.MONTH, today)
    months = [periods.add_months(last, -i) for i in range(11, -1, -1)]
    rows = selectors.filing_grid(list(page.object_list), months, today)
    for row in rows:
        row["may_file"] = permissions.can_file_report(request.user, row["unit"])
        for cell in row["cells"]:
            cell["label"] = STATE_WORDS[cell["state"]]
            cell["url"] = reverse("stats:report", args=[row["unit"].code, periods.MONTH, f"{cell['month']:%Y-%m}"])
    annual = {f.kind for f in ReportForm.objects.filter(period=periods.YEAR, valid_to__isnull=True)}
    return TemplateResponse(request, "stats/filing.html", _context(
        request, _("Statistical reports to file"), rows=rows, months=months, page=page,
        year=periods.last_closed(periods.YEAR, today).year, annual_kinds=annual,
    ))


def report(request: HttpRequest, code: str, period: str, start: str) -> HttpResponse:
    """The entry form of one establishment's report on one period: save a draft, submit, or correct."""
    establishment = get_object_or_404(Establishment, code=code)
    if not (permissions.can_file_report(request.user, establishment)):
        raise PermissionDenied
    begin = _parse_period(period, start)
    current = services.report_open(establishment, period, begin)
    if current is None:
        raise Http404(_("No report form applies to this establishment and period."))
    definition = current.form.definition
    today = timezone.localdate()
    is_over = periods.closed(period, begin, today)
    outcome = None
    if request.method == "POST" and is_over:
        submit = "submit" in request.POST
        form = ReportValuesForm(request.POST, definition=definition)
        if form.is_valid():
            outcome = services.report_file(
                user=request.user, report=current, values=form.values(), submit=submit, confirmed=form.confirmed()
            )
            if outcome.stored:
                messages.success(request, _("Report submitted.") if submit else _("Draft saved."))
                return redirect(request.path)
            form = ReportValuesForm(request.POST, definition=definition, warnings=outcome.outcome.warnings)
            form.is_valid()
            form.show(outcome.outcome)
    else:
        form = ReportValuesForm(definition=definition, initial_values=current.values)
    derived = [
        {"label": label_in(d["label"]), "value": current.derived.get(d["code"]), "unit": d.get("unit", "")}
        for d in definition.get("derived", ())
    ]
    return TemplateResponse(request, "stats/report.html", _context(
        request, _("%(form)s: %(name)s, %(period)s") % {
            "form": current.form.title, "name": establishment.name, "period": current.period_label},
        establishment=establishment, report=current, form=form, derived=derived, is_over=is_over,
        form_note=label_in(definition.get("note", {})),
        due=current.due_date, submitted=current.pk is not None and current.state == Report.State.SUBMITTED,
        context_numbers=services.report_context(establishment, period, begin),
        general_errors=[problem_message(p, definition) for p in (outcome.outcome.errors if outcome else [])
                        if p.field not in form.fields and p.field not in form.market_fields],
    ))


def late(request: HttpRequest) -> HttpResponse:
    """Who has not filed a month's report after its due day (in the user's area)."""
    today = timezone.localdate()
    default = periods.last_closed(periods.MONTH, today)
    try:
        month = dt.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        month = periods.add_months(default, -1)
    scope = in_care(request.user)
    if not permissions.can_read_statistics(request.user) and not scope.exists():
        raise PermissionDenied
    rows = selectors.late_list(periods.MONTH, month, today, scope)
    choices = [periods.add_months(default, -i) for i in range(0, 24)]
    return TemplateResponse(request, "stats/late.html", _context(
        request, _("Late reports"), rows=rows, month=month, choices=choices,
    ))


def _period_from(request: HttpRequest) -> tuple[int, int | None, int | None, list[dt.date]]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or periods.last_closed(periods.MONTH, today).year)
        quarter = int(request.GET["quarter"]) if request.GET.get("quarter") else None
        month = int(request.GET["month"]) if request.GET.get("month") else None
    except ValueError:
        year, quarter, month = today.year, None, None
    if not 2000 <= year <= today.year + 1 or (quarter and not 1 <= quarter <= 4) or (month and not 1 <= month <= 12):
        year, quarter, month = today.year, None, None
    return year, quarter, month, selectors.months_of(year, quarter, month)


def dashboard(request: HttpRequest) -> HttpResponse:
    """The province's figures for officers: charts by month and market, occupancy by class, revenue, the
    filing rate, a map and a table by commune (each commune leads to its businesses)."""
    if not permissions.can_read_statistics(request.user):
        raise PermissionDenied
    year, quarter, month, months = _period_from(request)
    acc = "accommodation"
    by_commune = selectors.rollup(f"{acc}:guests_total", "commune", months, public=False)
    by_class = selectors.rollup(f"{acc}:room_occupancy", "class", months, public=False)
    by_market = selectors.rollup(f"{acc}:guests_by_market", "market", months, public=False)
    revenue = selectors.rollup(f"{acc}:revenue_total", "total", months, public=False)
    chart = {
        "months": [m.isoformat()[:7] for m in selectors.months_of(year)],
        "guests": selectors.monthly_series(f"{acc}:guests_total", year, public=False),
        "international": selectors.monthly_series(f"{acc}:guests_international", year, public=False),
        "revenue": selectors.monthly_series(f"{acc}:revenue_total", year, public=False),
        "travel": selectors.monthly_series("travel:guests_total", year, public=False),
        "markets": [{"label": c.label, "value": c.value} for c in by_market.cells],
        "classes": [{"label": c.label, "value": c.value} for c in by_class.cells],
        "filing": selectors.filing_rate(selectors.months_of(year), timezone.localdate()),
        "communes": _commune_points(by_commune),
        "labels": {"guests": _("Guests of accommodation"), "international": _("of whom international"),
                   "previous": _("same month last year"), "revenue": _("Revenue of accommodation (VND)"),
                   "travel": _("Guests of travel agencies"), "occupancy": _("Room occupancy (%)"),
                   "filed": _("Reports filed (%)"), "markets": _("International guests by nationality")},
    }
    return TemplateResponse(request, "stats/dashboard.html", _context(
        request, _("Tourism statistics"), year=year, quarter=quarter, month=month, months=months,
        by_commune=by_commune, by_class=by_class, by_market=by_market, revenue=revenue, chart=chart,
        years=range(timezone.localdate().year, 2018, -1), tile_url=settings.MAP_TILE_URL,
        tile_attribution=settings.MAP_TILE_ATTRIBUTION,
    ))


def _commune_points(rollup: selectors.Rollup) -> list[dict[str, Any]]:
    from xuthanh.areas.communes_geo import seats

    where = seats()
    return [
        {"code": c.key, "name": c.label, "value": c.value, "lat": where[int(c.key)].lat, "lon": where[int(c.key)].lon,
         "url": reverse("stats:commune", args=[int(c.key)])}
        for c in rollup.cells
        if c.key.isdigit() and int(c.key) in where and c.value
    ]


def commune(request: HttpRequest, code: int) -> HttpResponse:
    """Drill-down: the businesses of one commune and their reports over the chosen period."""
    place = get_object_or_404(Commune, code=code)
    scope = in_care(request.user).filter(commune=place)
    if not permissions.can_read_statistics(request.user):
        if not scope.exists():
            raise PermissionDenied
    else:
        scope = selectors.reporting_units(Establishment.objects.filter(commune=place))
    year, quarter, month, months = _period_from(request)
    rows = selectors.business_totals(list(scope.order_by("kind", "name")), months)
    return TemplateResponse(request, "stats/commune.html", _context(
        request, _("Businesses of %(commune)s") % {"commune": place.name}, commune=place, rows=rows,
        year=year, quarter=quarter, month=month,
    ))


def export_year(request: HttpRequest) -> HttpResponse:
    """XLSX of the province's year: one row per report, every indicator and market in its column."""
    if not permissions.can_read_statistics(request.user):
        raise PermissionDenied
    year, _q, _m, _months = _period_from(request)
    return download(exports.year_xlsx(year), f"thanhhoa-tourism-reports-{year}.xlsx")


def export_department(request: HttpRequest) -> HttpResponse:
    """The department's quarterly or annual summary (XLSX) generated from the roll-ups."""
    if not permissions.can_read_statistics(request.user):
        raise PermissionDenied
    year, quarter, _m, months = _period_from(request)
    body = exports.department_xlsx(year, quarter, months)
    return download(body, f"thanhhoa-tourism-{year}" + (f"-Q{quarter}" if quarter else "") + ".xlsx")


def import_year(request: HttpRequest) -> HttpResponse:
    """Import a spreadsheet of monthly reports (the layout of the year export), all rows or none."""
    if not permissions.can_read_statistics(request.user):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file."))
        elif upload.size > settings.IMPORT_MAX_BYTES:
            limit = settings.IMPORT_MAX_BYTES // 2**20
            messages.error(request, _("The file is larger than %(mb)s MB.") % {"mb": limit})
        else:
            result = exports.import_xlsx(upload.read(), actor=request.user)
            if result.ok:
                words = ngettext("Imported %(n)s report (%(same)s unchanged, %(drafts)s drafts left out).",
                                 "Imported %(n)s reports (%(same)s unchanged, %(drafts)s drafts left out).",
                                 result.stored)
                messages.success(request, words % {"n": result.stored, "same": result.unchanged,
                                                   "drafts": result.drafts})
                return redirect(reverse("stats:import"))
    return TemplateResponse(request, "stats/import.html", _context(request, _("Import reports"), result=result))

