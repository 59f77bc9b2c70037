"""Publishing to networks with an official API, behind one interface (`Publisher.publish(post)`), configured by
environment only; a channel without a configured publisher is posted by hand (the item's ready-to-post
package). Nothing is sent anywhere unless an operator sets a network's credentials. Every call goes through
`call` (one HTTP client: a timeout, the address's scheme checked, the network's error mapped to a
`PublishError` saying whether to try again later and, for credentials, which setting to fix).

A `Post` carries what an adapter may need: the text, the short link, a title (the place's or event's name in
the item's language), the picture cut to the channel's shape (JPEG bytes) and a public address of that
picture (`/go/-/picture/<signed token>.jpg`, for networks that fetch it themselves). A network that needs a
picture refuses an item without one, before any call, and the item is failed with that reason.

Facebook Page: `POST {graph}/{version}/{page-id}/feed` with form fields `message`, `link` and `access_token`
answers `{"id": "<page-id>_<post-id>"}` (https://developers.facebook.com/docs/pages-api/posts). Errors answer
`{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`; the codes and what to do with them are
those of https://developers.facebook.com/docs/graph-api/guides/error-handling: 1 and 2 (temporary), 4, 17 and
341 (throttling) and 368 (temporarily blocked) are retried later; 190 (the token expired or was revoked), 10 and
200–299 (permissions), 506 (duplicate post) and the rest are not, and the item shows the network's reason.

Instagram (a professional account linked to a Page, same Graph host and errors), in two steps as documented in
https://developers.facebook.com/docs/instagram-platform/content-publishing: `POST /{ig-user-id}/media` with
`image_url` (a JPEG on a public server: "We cURL media used in publishing attempts"), `caption` and
`access_token` answers a container `{"id"}`; `GET /{container}?fields=status_code` says FINISHED, IN_PROGRESS,
ERROR, EXPIRED or PUBLISHED (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/
reference/ig-container); `POST /{ig-user-id}/media_publish` with `creation_id` answers the media `{"id"}`
(…/reference/ig-user/media_publish). Captions carry no clickable link: the short link is in the text. Errors
(https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes): throttling
4, 17, 32, 613, server -1/-2 and subcodes 2207001, 2207003 (download timed out), 2207020 (container expired),
2207027 (not ready), 2207032, 2207052 (the picture could not be fetched) are retried; 9/2207042 (the account's
rolling 24-hour limit of API-published posts: 100 in the content-publishing guide, 50 in the media_publish
reference at the time of writing) is retried later; 4/2207051 (suspected spam), 190 (token) and the rest are
not.

Zalo Official Account (Vietnam), the OA Open API's articles (https://developers.zalo.me/docs/official-account/
bat-dau/kham-pha): `POST {openapi}/v2.0/article/create` with the `access_token` header and a JSON article
(`type` normal, `title` ≤ 150, `author` ≤ 50, `description` ≤ 300, `cover` {cover_type photo, photo_url,
status}, `body` [{type text, content}], `status` show) answers `{"error": 0, "message": "Success", "data":
{"token"}}`; `POST /v2.0/article/verify` with that token answers `data.id`, or -214 while it is processed.
Every answer is HTTP 200 with `error` 0 or a negative code (https://developers.zalo.me/docs/official-account/
phu-luc/ma-loi): -32 (calls per minute) and -211 (quota) are retried later; -216 and -220 (the access token is
invalid or expired: ZALO_OA_TOKEN), -201 (a field is invalid), -209/-212/-223 (the app may not use the API) and
the rest are not. Once created, the article is never created again: if it cannot be verified yet, its token
is kept as its id. Broadcasting it to followers is the officer's choice, in OA Manager.

WeChat Official Account (China): the access token from `POST /cgi-bin/stable_token` (client_credential, appid,
secret; 7,200 s, kept until 5 minutes before `expires_in`, isolated from `/cgi-bin/token` so it does not
invalidate another system's token: https://developers.weixin.qq.com/doc/service/api/base/
api_getstableaccesstoken); the cover uploaded as permanent material, `POST /cgi-bin/material/add_material
?type=image` multipart `media`, answering `{"media_id", "url"}` (https://developers.weixin.qq.com/doc/service/
en/api/material/permanent/api_addmaterial); `POST /cgi-bin/draft/add` with one article (title ≤ 32 characters,
author ≤ 16, digest ≤ 128, content HTML under 20,000 characters, content_source_url = the short link,
thumb_media_id; UTF-8, not \\u escapes) answering `{"media_id"}` (https://developers.weixin.qq.com/doc/service/
api/draftbox/draftmanage/api_draft_add); `POST /cgi-bin/freepublish/submit` with that media_id answering
`{"errcode": 0, "publish_id"}` — the publication itself is asynchronous (https://developers.weixin.qq.com/doc/
service/en/api/public/api_freepublish_submit). Errors are `{"errcode", "errmsg"}`
(https://developers.weixin.qq.com/doc/service/en/Getting_Started/Global_Return_Code.html): -1 (busy), 45009
(daily quota) and 45011 (minute quota) are retried later; 40001, 40014 and 42001 (the token is invalid or
expired) fetch a new token once, then fail (WECHAT_APP_ID, WECHAT_APP_SECRET); 40013, 40125 (AppID, AppSecret),
40164 (this server is not on the account's IP whitelist), 48001 (API not authorised), 45002/45003/45004/45110
(content, title, digest, author too long), 53503 (the draft failed the publishing check) and the rest are not.
A WeChat item retried after its draft was made leaves that draft unused in the account's draft box.
"""

from __future__ import annotations

import html
import http.client
import json
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

TIMEOUT = 20.0
ANSWER_MAX_BYTES = 1_000_000
WAITS: tuple[float, ...] = (2.0, 5.0)  # seconds between looks at something the network is still preparing
AUTHOR = "Xứ Thanh"  # the byline on Zalo and WeChat articles
PICTURE_SALT = "xuthanh.campaigns.picture"


@dataclass(frozen=True)
class Post:
    """What is published: the item's text, its short link, a title (the place's or event's name in the item's
    language), its picture cut to the channel's shape as JPEG (None without a photo) and a public absolute URL
    of that picture (None without one)."""

    text: str
    link: str
    title: str = ""
    picture: bytes | None = field(default=None, repr=False)
    picture_url: str | None = None


class PublishError(Exception):
    """The network did not take the post. `retry`: worth trying again later; the message is for officers;
    `code`: the network's error code, when it gave one."""

    def __init__(self, message: str, *, retry: bool, code: int | None = None) -> None:
        super().__init__(message)
        self.retry = retry
        self.code = code


class Publisher(Protocol):
    name: str

    def publish(self, post: Post) -> str:
        """Post it; the network's id of the post."""


# --- the one HTTP client ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Api:
    """How one network answers: its name for officers, the setting holding its address, where an answer says
    it failed (`error(body)`: (code, subcode, message), None when it did not), which failures are worth
    retrying (`retry(code, subcode, http_status)`) and what an officer should know of a code (`hint`, e.g. the
    setting to fix)."""

    network: str
    url_setting: str
    error: Callable[[dict[str, Any]], tuple[int | None, int | None, str] | None]
    retry: Callable[[int | None, int | None, int], bool]
    hint: Callable[[int | None, int | None], str | None] = lambda code, subcode: None


class Upload(NamedTuple):
    field: str
    filename: str
    content_type: str
    data: bytes


def call(api: Api, url: str, *, method: str = "POST", query: Mapping[str, str] | None = None,
         form: Mapping[str, str] | None = None, payload: Any = None, upload: Upload | None = None,
         headers: Mapping[str, str] | None = None, timeout: float = TIMEOUT, final: bool = False) -> dict[str, Any]:
    """One request (a form, a JSON body or a multipart upload) and its JSON answer; PublishError when the
    network cannot be reached, refuses (by HTTP status or in the answer itself) or answers something else.
    `final`: the call that makes the post public (not to be repeated): an answer lost on the way (no
    connection, a timeout, a server error without the network's own error code) may hide a post made, so it is
    not retried: the officer checks the network and marks the item by hand."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise PublishError(_("%(setting)s must be an http(s) address") % {"setting": api.url_setting}, retry=False)
    if query:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
    data, kind = None, None
    if form is not None:
        data, kind = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    elif payload is not None:  # UTF-8 as it is: WeChat shows \u escapes literally
        data, kind = json.dumps(payload, ensure_ascii=False).encode(), "application/json; charset=utf-8"
    elif upload is not None:
        data, kind = _multipart(upload)
    sent = {**(headers or {}), **({"Content-Type": kind} if kind else {})}
    request = urllib.request.Request(url, data=data, method=method, headers=sent)  # noqa: S310 - scheme checked
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            status, raw = answer.status, answer.read(ANSWER_MAX_BYTES)
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, _read(exc)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        if final:
            raise PublishError(lost(api, reason), retry=False) from exc
        raise PublishError(_("%(network)s could not be reached: %(reason)s")
                           % {"network": api.network, "reason": reason}, retry=True) from exc
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = None
    found = api.error(body) if isinstance(body, dict) else None
    if final and status >= 500 and found is None:
        raise PublishError(lost(api, f"HTTP {status}"), retry=False)
    if status >= 400 or found:
        code, subcode, message = found or (None, None, "")
        raise refusal(api, status, code, subcode, message)
    if not isinstance(body, dict):
        raise PublishError(_("%(network)s answered something else than JSON (HTTP %(status)s)")
                           % {"network": api.network, "status": status}, retry=True)
    return body


def lost(api: Api, reason: object) -> str:
    return (_("%(network)s's answer was lost (%(reason)s): the post may have been made. Check the network, then "
              "mark the item posted, or schedule it again.") % {"network": api.network, "reason": reason})


def refusal(api: Api, status: int, code: int | None, subcode: int | None, message: str) -> PublishError:
    """The network's refusal as officers read it: "<network> (<code>[/<subcode>]): [<hint>: ]<its message>"."""
    message = str(message or f"HTTP {status}")[:250]
    hint = api.hint(code, subcode)
    if hint:
        message = f"{hint}: {message}"
    shown = code if code is not None else status
    if subcode:
        shown = f"{shown}/{subcode}"
    return PublishError(f"{api.network} ({shown}): {message}", retry=api.retry(code, subcode, status), code=code)


def required(api: Api, body: dict[str, Any], key: str, *, retry: bool = True) -> str:
    """The answer's `key` (an id); PublishError when it is missing."""
    value = body.get(key)
    if value in (None, ""):
        raise PublishError(_("%(network)s answered without the %(key)s") % {"network": api.network, "key": key},
                           retry=retry)
    return str(value)


def _read(exc: urllib.error.HTTPError) -> bytes:
    try:
        return exc.read(ANSWER_MAX_BYTES)
    except (OSError, http.client.HTTPException):
        return b""


def _multipart(upload: Upload) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{upload.field}"; '
            f'filename="{upload.filename}"\r\nContent-Type: {upload.content_type}\r\n\r\n').encode()
    return head + upload.data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def needs_picture(post: Post, network: str, *, url: bool) -> None:
    """A network that publishes a picture (or fetches it from its address): refused without one, not retried."""
    if post.picture is None or (url and not post.picture_url):
        raise PublishError(_("%(network)s needs a picture and this item has none: give its place or event a photo "
                             "and build the item again, or post it by hand") % {"network": network}, retry=False)


# --- texts --------------------------------------------------------------------------------------------------

def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _title(post: Post) -> str:
    return post.title or next(iter(_paragraphs(post.text)), "").split("\n")[0]


def _summary(post: Post, limit: int) -> str:
    """The text without its first paragraph when that is the title, on one line, at most `limit` characters."""
    paragraphs = _paragraphs(post.text)
    if paragraphs and " ".join(paragraphs[0].split()) == " ".join(_title(post).split()):
        paragraphs = paragraphs[1:]
    return _cut(" ".join(paragraphs), limit)


def _html(text: str) -> str:
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in _paragraphs(text))


# --- the picture's public address -----------------------------------------------------------------------------

def _signer() -> signing.Signer:
    return signing.Signer(salt=PICTURE_SALT, sep=".")


def picture_url(item: Any) -> str:
    """The absolute address of the item's picture, signed (unguessable, and only for this item and photo)."""
    from django.urls import reverse

    token = _signer().sign(f"{item.pk}-{item.photo_id}")
    return settings.SITE_URL.rstrip("/") + reverse("campaign_picture", args=[token])


def picture_of(item: Any) -> bytes | None:
    """The item's picture (services.picture_for), or None when it has none or its file cannot be read: a
    broken photo never stops the queue, nor answers 500 to a network fetching it."""
    from xuthanh.campaigns.services import picture_for

    try:
        return picture_for(item)
    except Exception:  # noqa: BLE001 - missing file, unreadable image, storage error: all mean "no picture"
        return None


def picture_item(token: str) -> Any:
    """The item a picture address was signed for, if it still has that photo; None otherwise."""
    from xuthanh.campaigns.models import Item

    try:
        pk, photo = _signer().unsign(token).split("-", 1)
    except (signing.BadSignature, ValueError):
        return None
    if not (pk.isdigit() and photo.isdigit()):
        return None
    return Item.objects.filter(pk=int(pk), photo_id=int(photo)).select_related("photo").first()


# --- Facebook Page and Instagram (the Graph API) ---------------------------------------------------------------

FACEBOOK_RETRY = {1, 2, 4, 17, 341, 368}
RETRY_CODES = FACEBOOK_RETRY  # the name it had
INSTAGRAM_RETRY = {-2, -1, 1, 2, 4, 9, 17, 32, 341, 368, 613}
INSTAGRAM_RETRY_SUBCODES = {2207001, 2207003, 2207020, 2207027, 2207032, 2207042, 2207052}
INSTAGRAM_FAIL_SUBCODES = {2207051}  # code 4, but "suspected to be spam": not a throttle


def _graph_error(body: dict[str, Any]) -> tuple[int | None, int | None, str] | None:
    error = body.get("error")
    if not isinstance(error, dict):
        return None
    return (_as_int(error.get("code")), _as_int(error.get("error_subcode")),
            str(error.get("error_user_msg") or error.get("message") or ""))


def _facebook_retry(code: int | None, subcode: int | None, status: int) -> bool:
    return code in FACEBOOK_RETRY or (code is None and status >= 500)


def _facebook_hint(code: int | None, subcode: int | None) -> str | None:
    if code == 190:
        return _("the page's access token has expired or was revoked (FACEBOOK_PAGE_TOKEN)")
    if code == 10 or (code is not None and 200 <= code <= 299):
        return _("the page's access token lacks a permission, pages_manage_posts (FACEBOOK_PAGE_TOKEN)")
    return None


def _instagram_retry(code: int | None, subcode: int | None, status: int) -> bool:
    if subcode in INSTAGRAM_FAIL_SUBCODES:
        return False
    return (subcode in INSTAGRAM_RETRY_SUBCODES or code in INSTAGRAM_RETRY
            or (code is None and status >= 500))


def _instagram_hint(code: int | None, subcode: int | None) -> str | None:
    if code == 190:
        return _("the access token has expired or was revoked (INSTAGRAM_TOKEN)")
    if code == 10 or (code is not None and 200 <= code <= 299):
        return _("the access token lacks a permission, instagram_content_publish (INSTAGRAM_TOKEN)")
    if subcode == 2207042:
        return _("the account reached Instagram's limit of posts published through the API in 24 hours")
    if subcode == 2207052:
        return _("Instagram could not fetch the picture from this site (SITE_URL must be its public address)")
    return None


FACEBOOK = Api("Facebook", "FACEBOOK_GRAPH_URL", _graph_error, _facebook_retry, _facebook_hint)
INSTAGRAM = Api("Instagram", "FACEBOOK_GRAPH_URL", _graph_error, _instagram_retry, _instagram_hint)


@dataclass
class FacebookPage:
    page_id: str
    token: str
    graph_url: str = "https://graph.facebook.com"
    version: str = "v21.0"
    timeout: float = TIMEOUT
    name: str = "Facebook Page"

    def publish(self, post: Post) -> str:
        url = f"{self.graph_url.rstrip('/')}/{self.version}/{urllib.parse.quote(self.page_id, safe='')}/feed"
        answer = call(FACEBOOK, url, form={"message": post.text, "link": post.link, "access_token": self.token},
                      timeout=self.timeout, final=True)
        return required(FACEBOOK, answer, "id")


@dataclass
class InstagramAccount:
    user_id: str
    token: str
    graph_url: str = "https://graph.facebook.com"
    version: str = "v21.0"
    timeout: float = 30.0
    name: str = "Instagram"

    def publish(self, post: Post) -> str:
        needs_picture(post, "Instagram", url=True)
        base = f"{self.graph_url.rstrip('/')}/{self.version}"
        user = urllib.parse.quote(self.user_id, safe="")
        made = call(INSTAGRAM, f"{base}/{user}/media", timeout=self.timeout,
                    form={"image_url": str(post.picture_url), "caption": post.text, "access_token": self.token})
        container = required(INSTAGRAM, made, "id")
        self._wait_until_ready(base, container)
        published = call(INSTAGRAM, f"{base}/{user}/media_publish", timeout=self.timeout, final=True,
                         form={"creation_id": container, "access_token": self.token})
        return required(INSTAGRAM, published, "id", retry=False)  # published, perhaps: never twice

    def _wait_until_ready(self, base: str, container: str) -> None:
        """The container is FINISHED (or a PublishError: not ready after a few looks, expired, or failed)."""
        status = "IN_PROGRESS"
        for pause in (0.0, *WAITS):
            time.sleep(pause)
            state = call(INSTAGRAM, f"{base}/{urllib.parse.quote(container, safe='')}", method="GET",
                         query={"fields": "status_code,status", "access_token": self.token}, timeout=self.timeout)
            status = str(state.get("status_code") or "")
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status in ("ERROR", "EXPIRED"):
                detail = str(state.get("status") or status)
                subcode = _as_int(re.sub(r"\D", "", detail)) if status == "ERROR" else None
                retry = status == "EXPIRED" or subcode in INSTAGRAM_RETRY_SUBCODES
                raise PublishError(_("Instagram (%(status)s): the picture's container could not be published: "
                                     "%(detail)s") % {"status": status, "detail": detail[:200]}, retry=retry)
        raise PublishError(_("Instagram (%(status)s): the picture is not ready yet") % {"status": status},
                           retry=True)


# --- Zalo Official Account ----------------------------------------------------------------------------------

ZALO_RETRY = {-32, -211, -214}
ZALO_TOKEN_CODES = {-216, -220}
ZALO_PROCESSING = -214


def _zalo_error(body: dict[str, Any]) -> tuple[int | None, int | None, str] | None:
    code = _as_int(body.get("error"))
    if not code:
        return None
    return code, None, str(body.get("message") or "")


def _zalo_retry(code: int | None, subcode: int | None, status: int) -> bool:
    return code in ZALO_RETRY or (code is None and status >= 500)


def _zalo_hint(code: int | None, subcode: int | None) -> str | None:
    if code in ZALO_TOKEN_CODES:
        return _("the OA's access token is invalid or has expired (ZALO_OA_TOKEN)")
    if code in (-209, -212, -223):
        return _("the app may not manage the OA's articles: grant it in the OA's settings (ZALO_OA_TOKEN)")
    if code == -32:
        return _("too many calls this minute")
    if code == -211:
        return _("the OA's quota is used up")
    return None


ZALO = Api("Zalo", "ZALO_OPENAPI_URL", _zalo_error, _zalo_retry, _zalo_hint)


@dataclass
class ZaloOfficialAccount:
    token: str
    api_url: str = "https://openapi.zalo.me"
    timeout: float = 30.0
    name: str = "Zalo OA"

    def publish(self, post: Post) -> str:
        needs_picture(post, "Zalo", url=True)
        base, headers = self.api_url.rstrip("/"), {"access_token": self.token}
        body = _html(post.text) + (f'<p><a href="{html.escape(post.link)}">{html.escape(post.link)}</a></p>'
                                   if post.link and post.link not in post.text else "")
        article = {
            "type": "normal", "title": _cut(_title(post), 150), "author": AUTHOR,
            "description": _summary(post, 300) or _cut(_title(post), 300),
            "cover": {"cover_type": "photo", "photo_url": post.picture_url, "status": "show"},
            "body": [{"type": "text", "content": body}], "status": "show", "comment": "show",
        }
        created = call(ZALO, f"{base}/v2.0/article/create", payload=article, headers=headers, timeout=self.timeout,
                       final=True)
        token = required(ZALO, created.get("data") if isinstance(created.get("data"), dict) else {}, "token",
                         retry=False)  # created, perhaps: never twice
        for pause in (0.0, *WAITS):
            time.sleep(pause)
            try:
                verified = call(ZALO, f"{base}/v2.0/article/verify", payload={"token": token}, headers=headers,
                                timeout=self.timeout)
            except PublishError as exc:
                if exc.code == ZALO_PROCESSING:
                    continue
                break
            data = verified.get("data") if isinstance(verified.get("data"), dict) else {}
            article_id = data.get("id") or data.get("article_id")
            if article_id:
                return str(article_id)
        return token[:100]  # created, still processed: its token stands for it


# --- WeChat Official Account --------------------------------------------------------------------------------

WECHAT_RETRY = {-1, 45009, 45011}
WECHAT_TOKEN_CODES = {40001, 40014, 42001}
_WECHAT_TOKENS: dict[tuple[str, str], tuple[str, float]] = {}  # (API address, AppID): (token, good until)


def _wechat_error(body: dict[str, Any]) -> tuple[int | None, int | None, str] | None:
    code = _as_int(body.get("errcode"))
    if not code:
        return None
    return code, None, str(body.get("errmsg") or "")


def _wechat_retry(code: int | None, subcode: int | None, status: int) -> bool:
    return code in WECHAT_RETRY or (code is None and status >= 500)


def _wechat_hint(code: int | None, subcode: int | None) -> str | None:
    if code in WECHAT_TOKEN_CODES:
        return _("the access token was refused, a new one too (WECHAT_APP_ID, WECHAT_APP_SECRET)")
    if code == 40013:
        return _("the AppID is wrong (WECHAT_APP_ID)")
    if code == 40125:
        return _("the AppSecret is wrong (WECHAT_APP_SECRET)")
    if code == 40164:
        return _("this server's address is not on the Official Account's IP whitelist")
    if code == 48001:
        return _("the Official Account may not use this API (publishing needs a verified account)")
    if code in (45009, 45011):
        return _("the API's quota is used up for now")
    if code in (45002, 45003, 45004, 45110):
        return _("too long for WeChat (title 32 characters, author 16, digest 128, content 20,000)")
    return None


WECHAT = Api("WeChat", "WECHAT_API_URL", _wechat_error, _wechat_retry, _wechat_hint)


@dataclass
class WeChatOfficialAccount:
    app_id: str
    secret: str
    api_url: str = "https://api.weixin.qq.com"
    timeout: float = 30.0
    name: str = "WeChat Official Account"
    renewed: bool = field(default=False, repr=False)  # a new token was fetched after one was refused

    def publish(self, post: Post) -> str:
        needs_picture(post, "WeChat", url=False)
        self.renewed = False
        cover = self._call("/cgi-bin/material/add_material", query={"type": "image"},
                           upload=Upload("media", "cover.jpg", "image/jpeg", post.picture or b""))
        article = {
            "title": _cut(_title(post), 32), "author": AUTHOR, "digest": _summary(post, 120),
            "content": _html(post.text), "content_source_url": post.link,
            "thumb_media_id": required(WECHAT, cover, "media_id"),
            "need_open_comment": 0, "only_fans_can_comment": 0,
        }
        draft = self._call("/cgi-bin/draft/add", payload={"articles": [article]})
        submitted = self._call("/cgi-bin/freepublish/submit", final=True,
                               payload={"media_id": required(WECHAT, draft, "media_id")})
        return required(WECHAT, submitted, "publish_id", retry=False)  # submitted, perhaps: never twice

    def _call(self, path: str, *, query: Mapping[str, str] | None = None, **kwargs: Any) -> dict[str, Any]:
        """A call with the access token; one refused as invalid or expired is fetched anew once, then fails."""
        while True:
            token = self._token()
            try:
                return call(WECHAT, f"{self.api_url.rstrip('/')}{path}", query={"access_token": token, **(query or {})},
                            timeout=self.timeout, **kwargs)
            except PublishError as exc:
                if exc.code not in WECHAT_TOKEN_CODES or self.renewed:
                    raise
                self.renewed = True
                _WECHAT_TOKENS.pop((self.api_url, self.app_id), None)

    def _token(self) -> str:
        key = (self.api_url, self.app_id)
        held = _WECHAT_TOKENS.get(key)
        if held and held[1] > time.time():
            return held[0]
        answer = call(WECHAT, f"{self.api_url.rstrip('/')}/cgi-bin/stable_token", timeout=self.timeout,
                      payload={"grant_type": "client_credential", "appid": self.app_id, "secret": self.secret,
                               "force_refresh": False})
        token = required(WECHAT, answer, "access_token")
        lasts = _as_int(answer.get("expires_in")) or 7200
        _WECHAT_TOKENS[key] = (token, time.time() + max(lasts - 300, 60))  # renewed 5 minutes early (its docs)
        return token


def publisher_for(channel: str) -> Publisher | None:
    """The configured publisher of a channel, or None (posted by hand)."""
    if channel == "facebook" and settings.FACEBOOK_PAGE_ID and settings.FACEBOOK_PAGE_TOKEN:
        return FacebookPage(settings.FACEBOOK_PAGE_ID, settings.FACEBOOK_PAGE_TOKEN, settings.FACEBOOK_GRAPH_URL,
                            settings.FACEBOOK_GRAPH_VERSION)
    if channel == "instagram" and settings.INSTAGRAM_USER_ID and settings.INSTAGRAM_TOKEN:
        return InstagramAccount(settings.INSTAGRAM_USER_ID, settings.INSTAGRAM_TOKEN, settings.FACEBOOK_GRAPH_URL,
                                settings.FACEBOOK_GRAPH_VERSION)
    if channel == "zalo" and settings.ZALO_OA_TOKEN:
        return ZaloOfficialAccount(settings.ZALO_OA_TOKEN, settings.ZALO_OPENAPI_URL)
    if channel == "wechat" and settings.WECHAT_APP_ID and settings.WECHAT_APP_SECRET:
        return WeChatOfficialAccount(settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET, settings.WECHAT_API_URL)
    return None
