"""Cutting texts into translation-memory segments, pure (no Django): the whole field, and its sentences when
source and translation have as many sentences (the only alignment that needs no guessing)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from xuthanh.core.text import fold

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)|(?<=[。！？])")


def normalise(text: str) -> str:
    """The form segments are compared in: NFC, case-folded, single spaces (accents kept: they change words)."""
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def segment_key(text: str) -> str:
    return hashlib.sha1(normalise(text).encode(), usedforsecurity=False).hexdigest()


def edge_keys(text: str) -> tuple[str, str]:
    """The first and last dozen folded letters: a nearly identical segment keeps one of them."""
    head, tail = fold(text[:40]).replace(" ", ""), fold(text[-40:]).replace(" ", "")  # not the whole text
    return head[:12], tail[-12:]


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text or "") if part and part.strip()]


def pairs(source: str, target: str) -> list[tuple[str, str]]:
    """(source, translation) segments of one translated field."""
    source, target = (source or "").strip(), (target or "").strip()
    if not source or not target:
        return []
    result = [(source, target)]
    source_sentences, target_sentences = sentences(source), sentences(target)
    if len(source_sentences) > 1 and len(source_sentences) == len(target_sentences):
        result.extend(zip(source_sentences, target_sentences, strict=True))
    return result
