"""Shared model pieces: timestamps, the editorial workflow, translation status, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# Which status may follow which; publishing needs the publish permission (see orgs.permissions).
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED},
    Status.REVIEW: {Status.DRAFT, Status.PUBLISHED, Status.ARCHIVED},
    Status.PUBLISHED: {Status.DRAFT, Status.REVIEW, Status.ARCHIVED},  # back to review: an edit to be checked
    Status.ARCHIVED: {Status.DRAFT},
}


class Publishable(TimeStamped):
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.status == Status.PUBLISHED and self.published_at is None:
            from django.utils import timezone

            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)


class TranslationStatus(models.TextChoices):
    MACHINE = "machine", _("Machine draft")
    DRAFT = "draft", _("Draft, not reviewed")
    REVIEWED = "reviewed", _("Reviewed")


class AuditEntry(models.Model):
    """Who changed what and when, with the changed fields and a snapshot for the revision history."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        STATUS = "status", _("Status changed")
        IMPORT = "import", _("Imported")
        REVEAL = "reveal", _("Secret shown")

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_repr = models.CharField(_("who (name)"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_repr} {self.get_action_display()} {self.object_repr}"
