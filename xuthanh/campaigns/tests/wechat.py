"""A local server speaking the WeChat Official Account API as documented (https://developers.weixin.qq.com/doc/
service/…): every answer is HTTP 200, a failure `{"errcode", "errmsg"}` with the codes of
https://developers.weixin.qq.com/doc/service/en/Getting_Started/Global_Return_Code.html.

- `POST /cgi-bin/stable_token` (JSON grant_type client_credential, appid, secret, force_refresh) answers
  `{"access_token", "expires_in": 7200}`, the same token while it is valid (api_getstableaccesstoken); 40013
  for a wrong AppID, 40125 for a wrong AppSecret, 40164 when this address is not `whitelisted`;
- every other call takes `?access_token=`: 41001 without one, 42001 once it has `expire()`d, 40001 for one it
  never gave (or every one while `refuse_tokens` is set: the secret was reset elsewhere);
- `POST /cgi-bin/material/add_material?type=image`, multipart field `media` (bmp/png/jpeg/gif up to 10 MB)
  answers `{"media_id", "url"}` (api_addmaterial); 41005 without the file, 40005 for another file type;
- `POST /cgi-bin/draft/add` with `{"articles": [...]}` answers `{"media_id"}` (api_draft_add): 45003 for a title
  over 32 characters, 45110 for an author over 16, 45004 for a digest over 128, 45002 for content of 20,000
  characters or more, 40007 for a thumb_media_id that is not a permanent material;
- `POST /cgi-bin/freepublish/submit` with `{"media_id"}` answers `{"errcode": 0, "errmsg": "ok", "publish_id",
  "msg_data_id"}` (api_freepublish_submit) and takes the draft out of the draft box; 40007 for an unknown draft,
  48001 while `unauthorised`, 45009 while `quota_reached` (the daily quota), 53503 while `check_fails`;
- `busy` makes every call answer -1 "system error"."""

from __future__ import annotations

import json
import secrets
import urllib.parse
from email.parser import BytesParser
from email.policy import default
from http.server import BaseHTTPRequestHandler

from xuthanh.core.tests.localserver import LocalServer

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"BM")


class WeChat(LocalServer):
    def __init__(self, app_id: str = "wx5f3c9a1b2d4e6f70", secret: str = "app-secret-0123456789abcdef") -> None:  # noqa: S107
        super().__init__(_Handler)
        self.app_id, self.secret = app_id, secret
        self.busy = self.refuse_tokens = self.unauthorised = self.quota_reached = self.check_fails = False
        self.whitelisted = True
        self.token: str | None = None  # the valid token
        self.expired: set[str] = set()
        self.token_fetches = 0
        self.materials: dict[str, dict] = {}
        self.drafts: dict[str, dict] = {}
        self.draft_bodies: list[bytes] = []  # as received
        self.published: list[dict] = []
        self.calls: list[str] = []

    def expire(self) -> None:
        """The token's 7,200 seconds are over."""
        if self.token:
            self.expired.add(self.token)
            self.token = None



class _Handler(BaseHTTPRequestHandler):
    server: WeChat

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, payload: dict) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; encoding=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, code: int, message: str) -> None:
        self._answer({"errcode": code, "errmsg": f"{message} rid: 6651f0c2-1a2b3c4d-5e6f7a8b"})

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        path, _sep, query = self.path.partition("?")
        args = dict(urllib.parse.parse_qsl(query))
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.calls.append(path)
        if self.server.busy:
            self._error(-1, "system error")
            return
        if path == "/cgi-bin/stable_token":
            self._stable_token(raw)
            return
        if not self._token_fine(args.get("access_token")):
            return
        handlers = {"/cgi-bin/material/add_material": lambda: self._add_material(args, raw),
                    "/cgi-bin/draft/add": lambda: self._draft_add(raw),
                    "/cgi-bin/freepublish/submit": lambda: self._submit(raw)}
        handler = handlers.get(path)
        if handler is None:
            self._error(40066, "invalid url")
            return
        handler()

    def _stable_token(self, raw: bytes) -> None:
        try:
            ask = json.loads(raw)
        except ValueError:
            self._error(47001, "data format error")
            return
        if not self.server.whitelisted:
            self._error(40164, "invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist")
            return
        if ask.get("grant_type") != "client_credential":
            self._error(40002, "invalid grant_type")
            return
        if ask.get("appid") != self.server.app_id:
            self._error(40013, "invalid appid")
            return
        if ask.get("secret") != self.server.secret:
            self._error(40125, "invalid appsecret")
            return
        self.server.token_fetches += 1
        if self.server.token is None or ask.get("force_refresh"):
            self.server.expire()
            self.server.token = "ACCESS_" + secrets.token_urlsafe(48)
        self._answer({"access_token": self.server.token, "expires_in": 7200})

    def _token_fine(self, token: str | None) -> bool:
        if not token:
            self._error(41001, "access_token missing")
        elif token in self.server.expired:
            self._error(42001, "access_token expired")
        elif token != self.server.token or self.server.refuse_tokens:
            self._error(40001, "invalid credential, access_token is invalid or not latest")
        else:
            return True
        return False

    def _add_material(self, args: dict, raw: bytes) -> None:
        if args.get("type") not in ("image", "voice", "video", "thumb"):
            self._error(40004, "invalid media type")
            return
        message = BytesParser(policy=default).parsebytes(
            f"Content-Type: {self.headers.get('Content-Type', '')}\r\n\r\n".encode() + raw)
        media = next((part for part in message.iter_parts()
                      if part.get_param("name", header="content-disposition") == "media"), None)
        data = media.get_payload(decode=True) if media is not None else None
        if not data:
            self._error(41005, "media data missing")
            return
        if not data.startswith(IMAGE_MAGIC):
            self._error(40005, "invalid file type")
            return
        if len(data) > 10 * 1024 * 1024:
            self._error(40009, "invalid image size")
            return
        media_id = f"MATERIAL_{len(self.server.materials) + 1}_{secrets.token_hex(8)}"
        self.server.materials[media_id] = {"data": data, "filename": media.get_filename(),
                                           "content_type": media.get_content_type()}
        self._answer({"media_id": media_id, "url": f"http://mmbiz.qpic.cn/mmbiz_jpg/{media_id}/0?wx_fmt=jpeg"})

    def _draft_add(self, raw: bytes) -> None:
        self.server.draft_bodies.append(raw)
        try:
            articles = json.loads(raw).get("articles")
        except (ValueError, AttributeError):
            self._error(47001, "data format error")
            return
        if not isinstance(articles, list) or not 1 <= len(articles) <= 8:
            self._error(47001, "data format error")
            return
        limits = (("title", 32, 45003, "title size out of limit"), ("author", 16, 45110, "author size out of limit"),
                  ("digest", 128, 45004, "description size out of limit"),
                  ("content", 19_999, 45002, "content size out of limit"))
        for article in articles:
            for name, most, code, message in limits:
                if len(str(article.get(name) or "")) > most:
                    self._error(code, message)
                    return
            if article.get("thumb_media_id") not in self.server.materials:
                self._error(40007, "invalid media_id")
                return
        media_id = f"DRAFT_{len(self.server.drafts) + 1}_{secrets.token_hex(8)}"
        self.server.drafts[media_id] = {"articles": articles}
        self._answer({"media_id": media_id})

    def _submit(self, raw: bytes) -> None:
        if self.server.unauthorised:
            self._error(48001, "api unauthorized")
            return
        if self.server.quota_reached:
            self._error(45009, "reach max api daily quota limit")
            return
        try:
            media_id = json.loads(raw).get("media_id")
        except (ValueError, AttributeError):
            media_id = None
        if media_id not in self.server.drafts:
            self._error(40007, "invalid media_id")
            return
        if self.server.check_fails:
            self._error(53503, "该草稿未通过发布检查")
            return
        self.server.published.append(self.server.drafts.pop(media_id))
        publish_id = str(2_247_483_647 + len(self.server.published))
        self._answer({"errcode": 0, "errmsg": "ok", "publish_id": publish_id,
                      "msg_data_id": str(2_650_000_000 + len(self.server.published))})
