"""Keeps the search index in step with the catalogue's writes and deletions."""

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from xuthanh.catalog.models import Event, Place, Specialty, Tour
from xuthanh.catalog.signals import content_changed
from xuthanh.search import services


@receiver(content_changed)
def _reindex(sender: Any, instance: Any, **kwargs: Any) -> None:
    services.index_item(instance)


@receiver(post_delete, sender=Place)
@receiver(post_delete, sender=Event)
@receiver(post_delete, sender=Specialty)
@receiver(post_delete, sender=Tour)
def _remove(sender: Any, instance: Any, **kwargs: Any) -> None:
    services.remove_item(instance)
