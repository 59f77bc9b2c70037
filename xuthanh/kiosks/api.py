"""/api/v1/kiosks: what an enrolled kiosk says to the platform. `POST enrol` exchanges the one-time code an
officer gave it for its device token; `POST heartbeat` (every minute, `Authorization: Bearer <token>`)
reports its version, uptime, content version, free storage and screen state, and answers with its settings
and the commands queued for it. A missing, wrong or revoked token gets 401; a malformed or oversized report
a 4xx naming what is wrong; nothing is changed by a refused request."""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Router, Schema
from ninja import Status as Answer
from pydantic import Field

from xuthanh.api import schemas as api_schemas
from xuthanh.api.devices import DeviceToken
from xuthanh.api.schemas import Text
from xuthanh.core import ratelimit
from xuthanh.kiosks import services
from xuthanh.kiosks.models import Device

router = Router(tags=["kiosks"])
MAX_BEAT_BYTES = 16384


def mount(api: NinjaAPI) -> None:
    api.add_router("/kiosks", router)


class KioskEnrolIn(Schema):
    code: Text = Field(max_length=20, description="The one-time code shown in the back office, e.g. ABCD-EFGH")


class KioskSettingsOut(api_schemas.Out):
    device: str
    location: str = Field(description="Slug of the kiosk's location")
    lat: float
    lon: float
    orientation: str
    languages: list[str] = Field(description="Offered first; empty: every configured language")
    idle_seconds: int = Field(description="Reset to the attract loop after this long untouched")
    group: str
    screen_on: str = Field(description="HH:MM, local time")
    screen_off: str


class KioskEnrolOut(api_schemas.Out):
    token: str = Field(description="The device token; shown once, keep it on the device")
    settings: KioskSettingsOut


class KioskBeatIn(Schema):
    version: Text = Field(max_length=40, description="The kiosk software's version")
    uptime_s: int = Field(ge=0, le=10 * 365 * 86400, description="Seconds since the machine started")
    content_version: Text = Field("", max_length=64)
    free_mb: int = Field(0, ge=0, le=10**9, description="Free storage")
    screen_on: bool = True
    use: dict[str, Any] | None = Field(None, description=(
        "Anonymous use since the last heartbeat: {id (the batch, counted once), sessions, handoffs, "
        "languages: {code: n}, searches: {text: n}}; counts that make no sense are dropped"))
    ack: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=50, description="Ids of the commands carried out")


class KioskCommandOut(api_schemas.Out):
    id: int
    kind: str = Field(description="reload | message | group")
    payload: dict


class KioskBeatOut(api_schemas.Out):
    commands: list[KioskCommandOut]
    settings: KioskSettingsOut


def settings_out(device: Device) -> dict[str, Any]:
    return {
        "device": device.name, "location": device.location.slug, "lat": device.location.point[0],
        "lon": device.location.point[1], "orientation": device.orientation, "languages": device.languages or [],
        "idle_seconds": device.idle_seconds, "group": device.group,
        "screen_on": device.screen_on.strftime("%H:%M"), "screen_off": device.screen_off.strftime("%H:%M"),
    }


def _refused(status: int, detail: str, message: str) -> Answer:
    return Answer(status, {"detail": detail, "message": message})


@router.post("/enrol", response={200: KioskEnrolOut, 404: api_schemas.ErrorOut, 422: api_schemas.ErrorOut,
                                 429: api_schemas.ErrorOut},
             operation_id="kiosk_enrol", summary="Exchange a one-time enrolment code for the device token")
def enrol(request: HttpRequest, payload: KioskEnrolIn) -> Any:
    wait = ratelimit.hit(f"kiosk-enrol:{request.META.get('REMOTE_ADDR')}", limit=settings.KIOSK_ENROLS_PER_MINUTE)
    if wait is not None:
        return _refused(429, "rate_limited", f"Too many attempts; try again in {wait} s.")
    try:
        done = services.enrol(payload.code)
    except services.EnrolError as exc:
        return _refused(404, "unknown_code", str(exc))
    return {"token": done.token, "settings": settings_out(done.device)}


DEVICE = DeviceToken(lambda token: services.device_for_token(token), what="device", max_bytes=MAX_BEAT_BYTES)


@router.post("/heartbeat", response={200: KioskBeatOut, 401: api_schemas.ErrorOut, 413: api_schemas.ErrorOut,
                                     422: api_schemas.ErrorOut},
             operation_id="kiosk_heartbeat", url_name="kiosk_heartbeat",
             summary="A kiosk's minute report; answers its settings and commands",
             auth=DEVICE)
def heartbeat(request: HttpRequest, payload: KioskBeatIn) -> Any:
    device = request.auth
    try:
        commands = services.heartbeat(device, payload.dict(exclude_none=True))
    except services.TokenRevoked:
        return _refused(401, "invalid_token", "This device token is unknown or revoked: enrol the kiosk again.")
    return {"commands": [{"id": c.pk, "kind": c.kind, "payload": c.payload} for c in commands],
            "settings": settings_out(device)}

class KioskScreenshotOut(api_schemas.Out):
    taken_at: str


@router.post("/screenshot", response={200: KioskScreenshotOut, 401: api_schemas.ErrorOut, 413: api_schemas.ErrorOut,
                                      415: api_schemas.ErrorOut, 422: api_schemas.ErrorOut, 429: api_schemas.ErrorOut},
             operation_id="kiosk_screenshot", summary="A kiosk's hourly screenshot (the body: a JPEG, PNG or WebP)",
             auth=DeviceToken(lambda token: services.device_for_token(token), what="device",
                              max_bytes=services.SCREENSHOT_MAX_BYTES))
def screenshot(request: HttpRequest) -> Any:
    if request.content_type not in ("image/jpeg", "image/png", "image/webp"):
        return _refused(415, "not_an_image", "Send the screenshot as the body, Content-Type image/jpeg, png or webp.")
    try:
        services.screenshot_store(request.auth, request.body)
    except services.ScreenshotRefused as exc:
        return _refused(exc.status, "refused", str(exc))
    return {"taken_at": request.auth.screenshot_at.isoformat()}
