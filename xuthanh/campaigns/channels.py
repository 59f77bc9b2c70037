"""What each channel accepts, without Django: text length, hashtags, the picture's shape, and how a text is
measured there (an SMS counts GSM-7 or UCS-2 segments). Limits come from the networks' own documents, cited;
a channel whose limit we could not source has none here (the officer sees "no known limit")."""

from __future__ import annotations

import re
from dataclasses import dataclass

# GSM 03.38 default alphabet (3GPP TS 23.038 §6.2.1) and its extension table (each counts as two septets).
GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
           "¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXT = set("^{}\\[~]|€")


@dataclass(frozen=True)
class Channel:
    max_chars: int | None  # None: no limit we could source
    max_hashtags: int | None
    ratio: tuple[int, int]  # the picture's width : height
    source: str


CHANNELS: dict[str, Channel] = {
    # Instagram: captions up to 2,200 characters and 30 hashtags (a secondary source: Instagram's own help page
    # could not be read from here); portrait 4:5 pictures fill the most of the feed.
    "instagram": Channel(2200, 30, (4, 5), "https://bulkpublish.com/blog/instagram-character-limit/"),
    # Facebook link shares: a 1.91:1 picture (1200 × 630) is shown whole (Meta's sharing best practices).
    "facebook": Channel(None, None, (191, 100), "https://developers.facebook.com/docs/sharing/webmasters/images"),
    "sms": Channel(None, 0, (1, 1), "3GPP TS 23.038 (GSM 7-bit: 160 characters a segment, UCS-2: 70)"),
}
DEFAULT = Channel(None, None, (191, 100), "")


def spec(channel: str) -> Channel:
    return CHANNELS.get(channel, DEFAULT)


def sms_segments(text: str) -> int:
    """How many SMS a text takes: GSM-7 (160 septets, 153 when concatenated) or, with any other character
    (Vietnamese letters with tones), UCS-2 (70, 67 when concatenated)."""
    if all(c in GSM7 or c in GSM7_EXT for c in text):
        septets = sum(2 if c in GSM7_EXT else 1 for c in text)
        return 1 if septets <= 160 else -(-septets // 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else -(-units // 67)


HASHTAG = re.compile(r"(?<!\w)#\w+")


def problems(channel: str, text: str) -> list[str]:
    """What the channel would refuse or cut in `text` (empty when it fits)."""
    found = []
    rule = spec(channel)
    if rule.max_chars is not None and len(text) > rule.max_chars:
        found.append(f"{len(text)} characters; {channel} takes at most {rule.max_chars}")
    tags = len(HASHTAG.findall(text))
    if rule.max_hashtags is not None and tags > rule.max_hashtags:
        found.append(f"{tags} hashtags; {channel} takes at most {rule.max_hashtags}")
    if channel == "sms" and sms_segments(text) > 1:
        found.append(f"{sms_segments(text)} SMS segments (each one billed)")
    return found
