"""Signals the catalogue sends so that readers (the search index, caches) stay in step with its writes."""

from django.dispatch import Signal

# Sent with `instance` after an item's texts, relations or status were saved (admin, import, services).
content_changed = Signal()
