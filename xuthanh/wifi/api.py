"""/api/v1/wifi: what a hotspot's gateway says to the platform. `POST heartbeat` (every minute,
`Authorization: Bearer <token>`, the token an officer made in the back office) reports its version, uptime
and the number of devices connected; the gateway's uptime is folded as a kiosk's is. A missing, wrong or
replaced token gets 401; a malformed or oversized report a 4xx naming what is wrong."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema
from ninja import Status as Answer
from pydantic import Field

from xuthanh.api import schemas as api_schemas
from xuthanh.api.devices import DeviceToken
from xuthanh.api.schemas import Text
from xuthanh.wifi import services

router = Router(tags=["wifi"])
MAX_BEAT_BYTES = 4096


def mount(api: NinjaAPI) -> None:
    api.add_router("/wifi", router)


class GatewayBeatIn(Schema):
    version: Text = Field(max_length=40, description="The gateway software's version, e.g. openNDS 10.3.0")
    uptime_s: int = Field(ge=0, le=10 * 365 * 86400, description="Seconds since the gateway started")
    clients: int = Field(0, ge=0, le=100_000, description="Devices connected now (ndsctl json: client_length)")


class GatewayBeatOut(api_schemas.Out):
    hotspot: str
    ok: bool


def _refused(status: int, detail: str, message: str) -> Answer:
    return Answer(status, {"detail": detail, "message": message})


@router.post("/heartbeat", response={200: GatewayBeatOut, 401: api_schemas.ErrorOut, 413: api_schemas.ErrorOut,
                                     422: api_schemas.ErrorOut},
             operation_id="wifi_heartbeat", url_name="wifi_heartbeat", summary="A wifi gateway's minute report",
             auth=DeviceToken(lambda token: services.hotspot_for_token(token), what="gateway",
                              max_bytes=MAX_BEAT_BYTES))
def heartbeat(request: HttpRequest, payload: GatewayBeatIn) -> Any:
    try:
        services.heartbeat(request.auth, payload.dict())
    except services.TokenRevoked:
        return _refused(401, "invalid_token", "This gateway token is unknown or revoked.")
    return {"hotspot": request.auth.slug, "ok": True}
