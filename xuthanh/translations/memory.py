"""The translation memory: reviewed translations remembered segment by segment and offered again for the
same or a nearly identical Vietnamese segment (offered, never applied without the translator)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q

from xuthanh.core import bulk
from xuthanh.translations.models import MemoryEntry
from xuthanh.translations.segments import edge_keys, normalise, pairs, segment_key

NEAR = 0.75  # similarity from which a segment counts as nearly identical


@dataclass(frozen=True)
class Suggestion:
    source: str
    target: str
    score: int  # percent; 100 = identical
    origin: str


def _entries(language: str, source: str, target: str, origin: str) -> list[MemoryEntry]:
    """The memory's rows for one reviewed field: the whole field and its aligned sentences."""
    entries = []
    for src, tgt in pairs(source, target):
        head, tail = edge_keys(src)
        entries.append(
            MemoryEntry(
                language=language,
                source_key=segment_key(src),
                target_key=segment_key(tgt),
                source=src,
                target=tgt,
                length=len(src),
                head=head,
                tail=tail,
                origin=origin,
            )
        )
    return entries


def remember(language: str, source: str, target: str, origin: str) -> int:
    """Store the segments of one reviewed field (a pair already known takes this origin); returns how many
    were new."""
    added = 0
    for entry in _entries(language, source, target, origin):
        keys = {"language": entry.language, "source_key": entry.source_key, "target_key": entry.target_key}
        defaults = {name: getattr(entry, name) for name in ("target", "source", "length", "head", "tail", "origin")}
        try:
            with transaction.atomic():
                _entry, created = MemoryEntry.objects.update_or_create(**keys, defaults=defaults)
        except IntegrityError:  # the same pair stored at the same moment by another request
            continue
        added += created
    return added


def remember_many(items: list[tuple[str, str, str, str]], batch: int = 1000) -> int:
    """Store the segments of many reviewed fields at once, (language, source, translation, origin) each;
    pairs already remembered are kept as they are. Returns how many segments were offered for storing."""
    entries = [entry for item in items for entry in _entries(*item)]
    bulk.insert_all(MemoryEntry, entries, batch, skip_existing=True)
    return len(entries)


def suggest(language: str, source: str, *, exclude_origin: str = "", limit: int = 3) -> list[Suggestion]:
    """Reviewed translations of `source` (100 %) or of nearly identical segments, best first."""
    source = (source or "").strip()
    if not source:
        return []
    wanted = normalise(source)
    head, tail = edge_keys(source)
    length = len(source)
    candidates = (
        MemoryEntry.objects.filter(language=language)
        .filter(Q(source_key=segment_key(source)) | Q(head=head) | Q(tail=tail))
        .filter(length__gte=int(length * 0.75), length__lte=int(length * 1.34) + 1)
        .exclude(origin=exclude_origin)
        .order_by("-updated_at")[:200]
    )
    scored = []
    for entry in candidates:
        if entry.source_key == segment_key(source):
            score = 1.0
        else:
            matcher = difflib.SequenceMatcher(None, wanted, normalise(entry.source), autojunk=False)
            if matcher.quick_ratio() < NEAR:
                continue
            score = matcher.ratio()
        if score >= NEAR:
            scored.append(Suggestion(entry.source, entry.target, round(score * 100), entry.origin))
    scored.sort(key=lambda s: -s.score)
    seen, result = set(), []
    for suggestion in scored:
        if suggestion.target not in seen:
            seen.add(suggestion.target)
            result.append(suggestion)
    return result[:limit]
