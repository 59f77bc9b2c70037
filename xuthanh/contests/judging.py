"""The jury's arithmetic, without Django, as Montage does it: who sees which entry (each entry to `quorum`
jurors who have no conflict with it, spread evenly), how a round's votes become scores, and which entries go on.
Deterministic: the same votes always give the same table (ties broken by the entry's number)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class JudgingError(ValueError):
    """A round cannot be set up or closed as asked; the message says why."""


def assign(entries: Iterable[int], jurors: Iterable[int], conflicts: Iterable[tuple[int, int]],
           quorum: int) -> list[tuple[int, int]]:
    """(entry, juror) pairs: each entry to `quorum` distinct jurors without a conflict with it, the least loaded
    first, so that loads differ by at most one where conflicts allow. JudgingError when an entry has fewer
    free jurors than the quorum."""
    jurors = sorted(set(jurors))
    if quorum < 1:
        raise JudgingError("a round needs at least one juror per entry")
    if len(jurors) < quorum:
        raise JudgingError(f"a quorum of {quorum} needs at least {quorum} jurors; the round has {len(jurors)}")
    barred: dict[int, set[int]] = defaultdict(set)
    for juror, entry in conflicts:
        barred[entry].add(juror)
    load = dict.fromkeys(jurors, 0)
    pairs: list[tuple[int, int]] = []
    ordered = sorted(set(entries), key=lambda e: (-len(barred[e]), e))  # the most constrained first
    for entry in ordered:
        free = [j for j in jurors if j not in barred[entry]]
        if len(free) < quorum:
            raise JudgingError(f"entry #{entry} has {len(free)} jurors without a conflict; the quorum is {quorum}")
        chosen = sorted(free, key=lambda j: (load[j], j))[:quorum]
        for juror in chosen:
            load[juror] += 1
            pairs.append((entry, juror))
    return sorted(pairs)


@dataclass(frozen=True)
class Score:
    entry: int
    score: float
    votes: int


def valid_value(method: str, value: int, size: int = 0) -> bool:
    if method == "yesno":
        return value in (0, 1)
    if method == "rating":
        return 1 <= value <= 5
    if method == "ranking":
        return 1 <= value <= max(size, 1)
    return False


def tally(method: str, votes: Mapping[int, list[int]]) -> list[Score]:
    """Scores, best first. yes/no: the share of yes; rating: the mean of 1–5; ranking: Borda points averaged
    over the jurors who ranked the entry (first of n = n − 1 points … last = 0), as a share of the most."""
    size = len(votes)
    scores = []
    for entry, values in votes.items():
        if not values:
            scores.append(Score(entry, 0.0, 0))
            continue
        if method == "yesno" or method == "rating":
            score = sum(values) / len(values)
        elif method == "ranking":
            score = sum(size - v for v in values) / len(values) / max(size - 1, 1)
        else:
            raise JudgingError(f"unknown method {method}")
        scores.append(Score(entry, round(score, 6), len(values)))
    return sorted(scores, key=lambda s: (-s.score, s.entry))


def short_of_quorum(votes: Mapping[int, list[int]], quorum: int) -> list[int]:
    """Entries with fewer votes than the quorum: a round cannot close while there are any."""
    return sorted(entry for entry, values in votes.items() if len(values) < quorum)


def advancing(method: str, scores: list[Score], *, keep: int = 0, threshold: float | None = None) -> set[int]:
    """The entries that go on: the best `keep` (ties at the cut all go on), or those at or above `threshold`
    (yes/no: the share of yes, default one half; rating: the mean, default 3)."""
    if keep:
        if len(scores) <= keep:
            return {s.entry for s in scores}
        cut = scores[keep - 1].score
        return {s.entry for s in scores if s.score >= cut}
    if threshold is None:
        threshold = 0.5 if method == "yesno" else 3.0
    return {s.entry for s in scores if s.score >= threshold}
