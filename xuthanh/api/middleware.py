"""Before any /api/ request: identify the partner by its key and apply the rate limit, answering in JSON."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from xuthanh.api.services import client_for, rate_limit


class ApiGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") or request.method == "OPTIONS":
            return self.get_response(request)
        client = client_for(request)
        if request.headers.get("X-API-Key") and client is None:
            return JsonResponse(
                {"detail": "invalid_key", "message": "The X-API-Key is unknown or disabled."}, status=401
            )
        wait = rate_limit(request, client)
        if wait is not None:
            response = JsonResponse(
                {"detail": "rate_limited", "message": f"Too many requests; try again in {wait} s."},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        request.api_client = client
        return self.get_response(request)
