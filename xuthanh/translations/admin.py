"""Back office of the desk's own records: the glossary (one rendering per language, edited as plain fields),
batches and the memory (read-only lists). The desk's pages themselves are in views.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xuthanh.core.admin import AuditedAdminMixin, ReadOnlyAdminMixin
from xuthanh.orgs import permissions
from xuthanh.translations.models import GlossaryTerm, MemoryEntry, TranslationBatch

TARGETS = [(code, name) for code, name in settings.LANGUAGES if code != settings.SOURCE_LANGUAGE]


class GlossaryTermForm(forms.ModelForm):
    """The renderings as one field per configured language."""

    class Meta:
        model = GlossaryTerm
        fields = ["vi", "kind", "note", "not_in"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        renderings = self.instance.renderings or {}
        for code, name in TARGETS:
            self.fields[f"r_{code}"] = forms.CharField(
                label=name,
                required=False,
                max_length=200,
                initial=renderings.get(code, ""),
                help_text=_("Accepted alternatives are separated by “ | ”.") if code == TARGETS[0][0] else "",
            )

    def save(self, commit: bool = True) -> GlossaryTerm:
        renderings = dict(self.instance.renderings or {})
        for code, _name in TARGETS:
            value = self.cleaned_data.get(f"r_{code}", "").strip()
            if value:
                renderings[code] = value
            else:
                renderings.pop(code, None)
        self.instance.renderings = renderings
        return super().save(commit)


def _may_edit_glossary(request: HttpRequest) -> bool:
    user = request.user
    return permissions.is_platform_admin(user) or any(
        m.role in (permissions.Role.ADMIN, permissions.Role.EDITOR, permissions.Role.TRANSLATOR)
        and m.organisation.province_wide
        for m in permissions.memberships(user)
    )


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = GlossaryTermForm
    list_display = ["vi", "kind", "rendering_en", "rendering_zh", "note"]
    list_filter = ["kind"]
    search_fields = ["vi", "folded", "note"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["vi", "kind", "note", "not_in", *[f"r_{code}" for code, _name in TARGETS]]

    @admin.display(description="English")
    def rendering_en(self, obj: GlossaryTerm) -> str:
        return obj.renderings.get("en", "")

    @admin.display(description="中文")
    def rendering_zh(self, obj: GlossaryTerm) -> str:
        return obj.renderings.get("zh-hans", "")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(permissions.memberships(request.user)) or permissions.is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may_edit_glossary(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit_glossary(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_edit_glossary(request)


class _ReadOnly(ReadOnlyAdminMixin, admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_platform_admin(request.user)


@admin.register(TranslationBatch)
class TranslationBatchAdmin(_ReadOnly):
    list_display = ["pk", "agency", "language", "record_count", "units", "state", "created_at", "imported_at"]
    list_filter = ["state", "language"]


@admin.register(MemoryEntry)
class MemoryEntryAdmin(_ReadOnly):
    list_display = ["source", "target", "language", "origin", "updated_at"]
    list_filter = ["language"]
    search_fields = ["source", "target"]
