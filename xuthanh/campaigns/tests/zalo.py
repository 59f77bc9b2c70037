"""A local server speaking the Zalo Official Account Open API's articles as documented
(https://developers.zalo.me/docs/official-account/bat-dau/kham-pha; error codes
https://developers.zalo.me/docs/official-account/phu-luc/ma-loi). Every answer is HTTP 200 with
`{"error": 0, "message": "Success", "data": {...}}` or a negative `error` and its `message`:

- `POST /v2.0/article/create`, the OA's token in the `access_token` header, a JSON article (`type` normal,
  `title` ≤ 150, `author` ≤ 50, `description` ≤ 300, `cover` {cover_type photo, photo_url}, `body`, `status`)
  answers `data.token`; -201 "<field> is invalid!" for a field out of its limits;
- `POST /v2.0/article/verify` with `{"token"}` answers the article's `data.id`, or -214 "Article is being
  processed" while `processing` is set;
- a wrong or expired token answers -216 "Access token is invalid"; `throttled` makes every call answer -32
  "Your application reached limit call api" (the per-minute limit); past `quota` articles, -211 "Out of quota";
  `fail` makes it answer 502 with an HTML page (a gateway in front of it failing)."""

from __future__ import annotations

import base64
import json
import secrets
import urllib.parse
from http.server import BaseHTTPRequestHandler

from xuthanh.core.tests.localserver import LocalServer


class Zalo(LocalServer):
    def __init__(self, token: str = "oa-access-token", quota: int = 1000) -> None:  # noqa: S107
        super().__init__(_Handler)
        self.token, self.quota = token, quota
        self.fail = self.throttled = self.processing = False
        self.articles: list[dict] = []
        self.tokens: dict[str, int] = {}  # a creation's token: the article's index
        self.calls = 0



def _https(url: object) -> bool:
    return isinstance(url, str) and urllib.parse.urlsplit(url).scheme in ("http", "https")


def _invalid(article: dict) -> str | None:
    """The first field out of the documented limits, or None."""
    cover = article.get("cover") if isinstance(article.get("cover"), dict) else {}
    checks = {
        "type": article.get("type") in ("normal", "video"),
        "title": isinstance(article.get("title"), str) and 0 < len(article["title"]) <= 150,
        "author": isinstance(article.get("author"), str) and 0 < len(article["author"]) <= 50,
        "description": isinstance(article.get("description"), str) and 0 < len(article["description"]) <= 300,
        "cover": cover.get("cover_type") == "photo" and _https(cover.get("photo_url")),
        "body": isinstance(article.get("body"), list) and bool(article["body"]),
        "status": article.get("status", "show") in ("show", "hide"),
    }
    return next((name for name, fine in checks.items() if not fine), None)


class _Handler(BaseHTTPRequestHandler):
    server: Zalo

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, payload: dict, status: int = 200) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, code: int, message: str) -> None:
        self._answer({"error": code, "message": message})

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.server.calls += 1
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.server.fail:
            page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            self.send_response(502)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
            return
        if self.headers.get("access_token") != self.server.token:
            self._error(-216, "Access token is invalid")
            return
        if self.server.throttled:
            self._error(-32, "Your application reached limit call api")
            return
        try:
            data = json.loads(raw)
        except ValueError:
            self._error(-201, "body is invalid!")
            return
        if self.path == "/v2.0/article/create":
            self._create(data)
        elif self.path == "/v2.0/article/verify":
            self._verify(data)
        else:
            self._error(-209, "Not supported this api")

    def _create(self, article: dict) -> None:
        field = _invalid(article)
        if field:
            self._error(-201, f"{field} is invalid!")
            return
        if len(self.server.articles) >= self.server.quota:
            self._error(-211, "Out of quota")
            return
        token = base64.b64encode(secrets.token_bytes(64)).decode()
        self.server.articles.append(article)
        self.server.tokens[token] = len(self.server.articles) - 1
        self._answer({"error": 0, "message": "Success", "data": {"token": token}})

    def _verify(self, data: dict) -> None:
        index = self.server.tokens.get(data.get("token", ""))
        if index is None:
            self._error(-201, "token is invalid!")
            return
        if self.server.processing:
            self._error(-214, "Article is being processed")
            return
        self._answer({"error": 0, "message": "Success", "data": {"id": f"a{index + 1:08x}"}})
