"""The reference page: what the stack (gunicorn, middleware, template engine) costs without any data work."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

ROWS = [
    {"rank": i + 1, "name": f"Điểm đến số {i + 1}", "kind": "attraction", "popularity": 100 - i * 3}
    for i in range(20)
]


@require_safe
def reference(request: HttpRequest) -> HttpResponse:
    return render(request, "benchref/reference.html", {"rows": ROWS})
