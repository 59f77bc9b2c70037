"""Publishing to networks with an official API, behind one interface (`Publisher.publish`), configured by
environment only; a channel without a configured publisher is posted by hand (the item's ready-to-post
package). Nothing is sent anywhere unless an operator sets a network's credentials.

The one publisher shipped speaks the Facebook Graph API's Pages endpoint: `POST {graph}/{version}/{page-id}/feed`
with form fields `message`, `link` and `access_token` answers `{"id": "<page-id>_<post-id>"}`
(https://developers.facebook.com/docs/pages-api/posts). Errors answer `{"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}`; the codes and what to do with them are those of
https://developers.facebook.com/docs/graph-api/guides/error-handling: 1 and 2 (temporary), 4, 17 and 341
(throttling) and 368 (temporarily blocked) are retried later; 190 (the token expired or was revoked), 10 and
200–299 (permissions), 506 (duplicate post) and the rest are not, and the item shows the network's reason.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

RETRY_CODES = {1, 2, 4, 17, 341, 368}


class PublishError(Exception):
    """The network did not take the post. `retry`: worth trying again later; the message is for officers."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class Publisher(Protocol):
    name: str

    def publish(self, text: str, link: str) -> str:
        """Post `text` (with `link`); the network's id of the post."""


@dataclass
class FacebookPage:
    page_id: str
    token: str
    graph_url: str = "https://graph.facebook.com"
    version: str = "v21.0"
    timeout: float = 20.0
    name: str = "Facebook Page"

    def publish(self, text: str, link: str) -> str:
        url = f"{self.graph_url.rstrip('/')}/{self.version}/{urllib.parse.quote(self.page_id)}/feed"
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise PublishError("FACEBOOK_GRAPH_URL must be an http(s) address", retry=False)
        body = urllib.parse.urlencode({"message": text, "link": link, "access_token": self.token}).encode()
        request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - scheme checked above
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                payload = json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            raise self._error(exc) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise PublishError(f"Facebook could not be reached: {getattr(exc, 'reason', exc)}", retry=True) from exc
        post_id = payload.get("id") if isinstance(payload, dict) else None
        if not post_id:
            raise PublishError("Facebook answered without the post's id", retry=True)
        return str(post_id)

    @staticmethod
    def _error(exc: urllib.error.HTTPError) -> PublishError:
        try:
            error = json.loads(exc.read()).get("error") or {}
        except (ValueError, AttributeError, OSError):
            error = {}
        code = error.get("code")
        message = str(error.get("error_user_msg") or error.get("message") or f"HTTP {exc.code}")[:250]
        if code == 190:
            message = f"the page's access token has expired or was revoked (FACEBOOK_PAGE_TOKEN): {message}"
        retry = code in RETRY_CODES or (code is None and exc.code >= 500)
        return PublishError(f"Facebook ({code or exc.code}): {message}", retry=retry)


def publisher_for(channel: str) -> Publisher | None:
    """The configured publisher of a channel, or None (posted by hand)."""
    if channel == "facebook" and settings.FACEBOOK_PAGE_ID and settings.FACEBOOK_PAGE_TOKEN:
        return FacebookPage(settings.FACEBOOK_PAGE_ID, settings.FACEBOOK_PAGE_TOKEN, settings.FACEBOOK_GRAPH_URL,
                            settings.FACEBOOK_GRAPH_VERSION)
    return None
