"""A local server speaking LibreTranslate's documented HTTP API, for the provider's tests: `GET /languages`,
`POST /translate` (JSON `q` as a string or a list, `source`, `target`, `format`, `api_key`), and its errors
(400 with `{"error"}` for a bad request or an unknown language, 403 for a wrong key, 429 past the request
limit, 500 when the engine fails). Its "translation" marks the text with the target code, so tests can see
what was sent where; `delay` makes it slow, `fail` makes the engine fail."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler

from xuthanh.core.tests.localserver import LocalServer

LANGUAGES = [
    {"code": "vi", "name": "Vietnamese", "targets": ["en", "zh-Hans", "fr", "ko"]},
    {"code": "en", "name": "English", "targets": ["vi", "zh-Hans", "fr"]},
    {"code": "zh-Hans", "name": "Chinese (Simplified)", "targets": ["vi", "en"]},
    {"code": "fr", "name": "French", "targets": ["vi", "en"]},
    {"code": "ko", "name": "Korean", "targets": ["vi", "en"]},
]


class Engine(LocalServer):
    def __init__(self, api_key: str = "", limit: int = 1000, delay: float = 0.0) -> None:
        super().__init__(_Handler)
        self.api_key, self.limit, self.delay, self.fail = api_key, limit, delay, False
        self.requests: list[dict] = []



class _Handler(BaseHTTPRequestHandler):
    server: Engine

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _answer(self, status: int, payload: object) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if self.path == "/languages":
            self._answer(200, LANGUAGES)
        else:
            self._answer(404, {"error": "Not found"})

    def do_POST(self) -> None:  # noqa: N802
        if self.path != "/translate":
            self._answer(404, {"error": "Not found"})
            return
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        except ValueError:
            self._answer(400, {"error": "Invalid request: body is not JSON"})
            return
        self.server.requests.append(body)
        if self.server.delay:
            time.sleep(self.server.delay)
        if len(self.server.requests) > self.server.limit:
            self._answer(429, {"error": "Too many request limits violation"})
            return
        if self.server.api_key and body.get("api_key") != self.server.api_key:
            self._answer(403, {"error": "Invalid API key"})
            return
        codes = {lang["code"] for lang in LANGUAGES}
        for key in ("q", "source", "target"):
            if not body.get(key):
                self._answer(400, {"error": f"Invalid request: missing {key} parameter"})
                return
        if body["source"] not in codes or body["target"] not in codes:
            self._answer(400, {"error": f"{body['target']} is not supported"})
            return
        if self.server.fail:
            self._answer(500, {"error": "Cannot translate text: model failed"})
            return
        q = body["q"]
        texts = q if isinstance(q, list) else [q]
        out = [f"[{body['target']}] {text}" for text in texts]
        self._answer(200, {"translatedText": out if isinstance(q, list) else out[0]})
