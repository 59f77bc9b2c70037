"""Why a trip cannot be planned, found or accepted now: the exceptions that every door (the open API, the
planner pages) turns into a message for the traveller."""

from __future__ import annotations

from django.utils.translation import gettext as _


class TripError(ValueError):
    """The request cannot be planned; the message says why, in plain words."""


class TripNotFound(LookupError):
    pass


class TripRateLimited(RuntimeError):
    """Too many plans from one address; `wait` is the number of seconds until the next is accepted."""

    def __init__(self, wait: int) -> None:
        super().__init__(_("Too many trip plans from your connection; try again in %(wait)s s.") % {"wait": wait})
        self.wait = wait
