"""A local server speaking the Facebook Graph API's Pages endpoint as documented
(https://developers.facebook.com/docs/pages-api/posts, errors as in
https://developers.facebook.com/docs/graph-api/guides/error-handling): `POST /<version>/<page-id>/feed` with form
fields `message`, `link`, `access_token` answers `{"id": "<page>_<n>"}`; a wrong or expired token answers 400
with code 190, a text over 63,206 characters code 100, the same message twice in a row code 506, past `limit`
posts code 4 (throttling), and `fail` makes it answer 500 (a server error)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Graph(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, page_id: str = "1234567890", token: str = "page-token", limit: int = 1000) -> None:  # noqa: S107
        super().__init__(("127.0.0.1", 0), _Handler)
        self.page_id, self.token, self.limit, self.fail = page_id, token, limit, False
        self.posts: list[dict] = []
        self.calls = 0
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> Graph:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


def _error(code: int, message: str, kind: str = "OAuthException") -> dict:
    return {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf"}}


class _Handler(BaseHTTPRequestHandler):
    server: Graph

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.server.calls += 1
        parts = self.path.strip("/").split("/")
        if len(parts) != 3 or parts[2] != "feed" or not parts[0].startswith("v"):
            self._answer(400, _error(2500, "Unknown path components", "OAuthException"))
            return
        form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()))
        if self.server.fail:
            self._answer(500, _error(2, "An unexpected error has occurred. Please retry your request later.",
                                     "OAuthException"))
            return
        if form.get("access_token") != self.server.token:
            self._answer(400, _error(190, "Error validating access token: Session has expired."))
            return
        if parts[1] != self.server.page_id:
            self._answer(400, _error(100, "Unsupported post request.", "GraphMethodException"))
            return
        if len(self.server.posts) >= self.server.limit:
            self._answer(400, _error(4, "Application request limit reached"))
            return
        message = form.get("message", "")
        if len(message) > 63206:
            self._answer(400, _error(100, "(#100) The message is too long."))
            return
        if self.server.posts and self.server.posts[-1]["message"] == message:
            self._answer(400, _error(506, "Duplicate status message"))
            return
        self.server.posts.append(form)
        self._answer(200, {"id": f"{self.server.page_id}_{len(self.server.posts)}"})
