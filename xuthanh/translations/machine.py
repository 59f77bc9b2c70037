"""Machine drafts from a self-hosted engine, behind one provider interface.

The one provider shipped speaks LibreTranslate's HTTP API (Argos Translate models on the operator's own
machine): `GET /languages` lists the codes it has, `POST /translate` with JSON `{q, source, target, format,
api_key}` answers `{"translatedText": …}`; errors answer a status (400 bad request, 403 bad or missing key,
429 too many requests, 500 the engine failed) with `{"error": "…"}`. It is configured by environment
(`MACHINE_TRANSLATION_URL`, `MACHINE_TRANSLATION_KEY`, `MACHINE_TRANSLATION_TIMEOUT`); with no URL there is
no machine translation at all — nothing is ever sent to a third-party cloud by default, since records may
hold personal data. Every failure becomes a `MachineError` whose message says what happened, for the
translator to read; the caller leaves the record untouched.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _


class MachineError(Exception):
    """The engine could not give a draft; the message is for the translator."""


class Provider(Protocol):
    name: str

    def translate(self, texts: list[str], source: str, target: str) -> list[str]: ...


# Our language codes → the codes LibreTranslate versions use, most recent first (1.6 added zh-Hans/zh-Hant;
# earlier versions had zh and zt).
_ENGINE_CODES = {"zh-hans": ["zh-Hans", "zh"], "zh-hant": ["zh-Hant", "zt"]}


@dataclass
class LibreTranslate:
    url: str
    api_key: str = ""
    timeout: float = 20.0

    def __post_init__(self) -> None:
        self.url = self.url.rstrip("/")
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise MachineError(_("MACHINE_TRANSLATION_URL must be an http:// or https:// address."))
        self._codes: set[str] | None = None
        self.name = f"LibreTranslate ({urllib.parse.urlsplit(self.url).netloc})"

    def _call(self, method: str, path: str, body: dict | None = None) -> object:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __post_init__
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                payload = response.read()
        except urllib.error.HTTPError as exc:
            raise MachineError(self._http_error(exc)) from exc
        except (urllib.error.URLError, OSError) as exc:  # TimeoutError is an OSError; URLError may wrap one
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError):
                message = _("The machine translation engine did not answer within %(s)s seconds.") % {"s": self.timeout}
            else:
                message = _("The machine translation engine at %(url)s cannot be reached (%(reason)s).") % {
                    "url": self.url,
                    "reason": reason,
                }
            raise MachineError(message) from exc
        try:
            return json.loads(payload)
        except ValueError as exc:
            raise MachineError(_("The machine translation engine answered something that is not JSON.")) from exc

    def _http_error(self, exc: urllib.error.HTTPError) -> str:
        try:
            detail = str(json.loads(exc.read()).get("error", ""))[:200]
        except (ValueError, AttributeError, OSError):
            detail = ""
        if exc.code == 429:
            return _("The machine translation engine is busy (too many requests); try again in a minute.")
        if exc.code == 403:
            return _("The machine translation engine refused the key (MACHINE_TRANSLATION_KEY): %(d)s") % {"d": detail}
        return _("The machine translation engine answered %(code)s: %(d)s") % {"code": exc.code, "d": detail}

    def engine_code(self, lang: str) -> str:
        if self._codes is None:
            answer = self._call("GET", "/languages")
            if not isinstance(answer, list):
                raise MachineError(_("The machine translation engine did not list its languages."))
            self._codes = {str(item.get("code")) for item in answer if isinstance(item, dict)}
        for code in _ENGINE_CODES.get(lang, [lang]):
            if code in self._codes:
                return code
        raise MachineError(
            _("The machine translation engine has no model for %(lang)s; its operator can install one.")
            % {"lang": lang}
        )

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        body = {
            "q": texts,
            "source": self.engine_code(source),
            "target": self.engine_code(target),
            "format": "text",
        }
        if self.api_key:
            body["api_key"] = self.api_key
        answer = self._call("POST", "/translate", body)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if isinstance(translated, str):
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise MachineError(_("The machine translation engine answered without a translation for each text."))
        return [str(t) for t in translated]


def configured_provider() -> Provider | None:
    """The deployment's engine, or None when MACHINE_TRANSLATION_URL is not set."""
    url = getattr(settings, "MACHINE_TRANSLATION_URL", "")
    if not url:
        return None
    return LibreTranslate(url, api_key=settings.MACHINE_TRANSLATION_KEY, timeout=settings.MACHINE_TRANSLATION_TIMEOUT)
