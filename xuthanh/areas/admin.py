from django.contrib import admin

from xuthanh.areas.models import Commune, Province
from xuthanh.core.admin import FoldedSearchMixin


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Commune)
class CommuneAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "former_districts"]
    list_filter = ["kind", "former_districts"]
    search_fields = ["search_text", "=code"]
    readonly_fields = ["code", "province", "name", "kind", "codename", "former_districts", "former_communes"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
