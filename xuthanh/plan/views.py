"""The plan's public summary page (transparency): the plan, its budget per section and source as written, the
money recorded as allocated and spent, the tasks' status and the targets computed from live data. Nothing of a
draft report is shown."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from xuthanh.plan import selectors, targets
from xuthanh.plan.models import Source, Task


@require_safe
def public(request: HttpRequest) -> HttpResponse:
    plan = selectors.current_plan()
    if plan is None:
        raise Http404
    found = selectors.budget(plan)
    labels = {s: str(Source(s).label) for s in Source.values}
    return render(request, "plan/public.html", {
        "plan": plan, "sections": plan.sections.prefetch_related("translations"),
        "objectives": plan.objectives.prefetch_related("translations"),
        "tasks": plan.tasks.select_related("lead").prefetch_related("translations").order_by("position"),
        "budget": found, "labels": labels, "targets": targets.summary(targets.current()),
        "statuses": [(Task.Status(s).label, n) for s, n in selectors.status_counts(plan).items()],
        "chart": {"labels": [labels[s] for s in Source.values], "stacked": False, "label": _("million VND"),
                  "series": {str(name): [found.totals[s][key] for s in Source.values]
                             for key, name in (("planned", _("planned")), ("allocated", _("allocated")),
                                               ("spent", _("spent")))}},
    })
