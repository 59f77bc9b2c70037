"""A local server speaking the Graph API as documented, for a Facebook Page and an Instagram account.

Facebook Pages (https://developers.facebook.com/docs/pages-api/posts, errors as in
https://developers.facebook.com/docs/graph-api/guides/error-handling): `POST /<version>/<page-id>/feed` with
form fields `message`, `link`, `access_token` answers `{"id": "<page>_<n>"}`; a wrong or expired token answers
400 with code 190, a text over 63,206 characters code 100, the same message twice in a row code 506, past
`limit` posts code 4 (throttling), and `fail` makes it answer 500 (a server error).

Instagram content publishing (https://developers.facebook.com/docs/instagram-platform/content-publishing, errors
as in https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes):
`POST /<version>/<ig-user-id>/media` with `image_url`, `caption`, `access_token` answers a container
`{"id"}` (9004/2207052 when the picture cannot be fetched: `fetchable` False); `GET /<version>/<container>
?fields=status_code` answers its `status_code` (`container_status`: FINISHED, IN_PROGRESS, ERROR…);
`POST /<version>/<ig-user-id>/media_publish` with `creation_id` answers the media `{"id"}`, 9007/2207027 for a
container not FINISHED, and 9/2207042 past `ig_limit` posts in 24 hours (the publishing rate limit). A wrong
token answers 190; `throttle` set to 4, 17, 32 or 613 makes every call answer that throttling code."""

from __future__ import annotations

import json
import urllib.parse
from http.server import BaseHTTPRequestHandler

from xuthanh.core.tests.localserver import LocalServer

THROTTLING = {4: "Application request limit reached", 17: "User request limit reached",
              32: "Page request limit reached", 613: "Calls to this api have exceeded the rate limit."}


class Graph(LocalServer):
    def __init__(self, page_id: str = "1234567890", token: str = "page-token", limit: int = 1000,  # noqa: S107
                 ig_user_id: str = "17841400000000001", ig_token: str = "ig-token", ig_limit: int = 100) -> None:  # noqa: S107
        super().__init__(_Handler)
        self.page_id, self.token, self.limit, self.fail = page_id, token, limit, False
        self.ig_user_id, self.ig_token, self.ig_limit = ig_user_id, ig_token, ig_limit
        self.throttle: int | None = None
        self.fetchable = True
        self.container_status = "FINISHED"
        self.posts: list[dict] = []
        self.containers: dict[str, dict] = {}
        self.media: list[dict] = []
        self.calls = 0



def _error(code: int, message: str, kind: str = "OAuthException", subcode: int | None = None,
           user_msg: str = "") -> dict:
    error: dict = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf"}
    if subcode is not None:
        error.update(error_subcode=subcode, is_transient=False)
    if user_msg:
        error["error_user_msg"] = user_msg
    return {"error": error}


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

    def _refused(self, token: str | None, expected: str) -> bool:
        """A server error, throttling or a wrong token answered (True), or go on (False)."""
        if self.server.fail:
            self._answer(500, _error(2, "An unexpected error has occurred. Please retry your request later."))
            return True
        if self.server.throttle is not None:
            self._answer(400, _error(self.server.throttle, THROTTLING.get(self.server.throttle, "Rate limited")))
            return True
        if token != expected:
            self._answer(400, _error(190, "Error validating access token: Session has expired."))
            return True
        return False

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.calls += 1
        parts, _sep, query = self.path.strip("/").partition("?")
        args = dict(urllib.parse.parse_qsl(query))
        path = parts.split("/")
        if self._refused(args.get("access_token"), self.server.ig_token):
            return
        container = self.server.containers.get(path[-1]) if len(path) == 2 else None
        if container is None:
            self._answer(400, _error(100, "Unsupported get request.", "GraphMethodException"))
            return
        self._answer(200, {"status_code": container["status_code"], "id": path[-1]})

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        self.server.calls += 1
        parts = self.path.strip("/").split("/")
        form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()))
        if len(parts) != 3 or not parts[0].startswith("v") or parts[2] not in ("feed", "media", "media_publish"):
            self._answer(400, _error(2500, "Unknown path components", "OAuthException"))
            return
        if parts[2] == "feed":
            self._feed(parts[1], form)
        elif parts[2] == "media":
            self._media(parts[1], form)
        else:
            self._media_publish(parts[1], form)

    def _feed(self, page: str, form: dict) -> None:
        if self.server.fail:
            self._answer(500, _error(2, "An unexpected error has occurred. Please retry your request later.",
                                     "OAuthException"))
            return
        if form.get("access_token") != self.server.token:
            self._answer(400, _error(190, "Error validating access token: Session has expired."))
            return
        if page != self.server.page_id:
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

    def _media(self, user: str, form: dict) -> None:
        if self._refused(form.get("access_token"), self.server.ig_token):
            return
        if user != self.server.ig_user_id:
            self._answer(400, _error(100, "Unsupported post request.", "GraphMethodException"))
            return
        image = form.get("image_url", "")
        if not self.server.fetchable or urllib.parse.urlsplit(image).scheme not in ("http", "https"):
            self._answer(400, _error(9004, "Only photo or video can be accepted as media type.",
                                     subcode=2207052, user_msg="The media could not be fetched from this uri."))
            return
        container = str(17_900_000_000_000_000 + len(self.server.containers) + 1)
        self.server.containers[container] = {**form, "status_code": self.server.container_status}
        self._answer(200, {"id": container})

    def _media_publish(self, user: str, form: dict) -> None:
        if self._refused(form.get("access_token"), self.server.ig_token):
            return
        container = self.server.containers.get(form.get("creation_id", ""))
        if user != self.server.ig_user_id or container is None:
            self._answer(400, _error(100, "Invalid parameter", "GraphMethodException"))
            return
        if container["status_code"] != "FINISHED":
            self._answer(400, _error(9007, "Media ID is not available", subcode=2207027,
                                     user_msg="The media is not ready for publishing, please wait for a moment"))
            return
        if len(self.server.media) >= self.server.ig_limit:
            self._answer(400, _error(9, "Application request limit reached", subcode=2207042, user_msg=(
                "You reached maximum number of posts that is allowed to be published by Content Publishing API.")))
            return
        container["status_code"] = "PUBLISHED"
        self.server.media.append(container)
        self._answer(200, {"id": str(18_000_000_000_000_000 + len(self.server.media))})
