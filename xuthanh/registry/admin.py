"""Back office of the registry: establishments (with their star rating decisions, travel licences and branches)
and tour guide cards, scoped to the user's unit (orgs.permissions), audited, searchable without accents,
imported and exported as CSV/XLSX (the catalogue's import, all rows or none), filtered by what expires, and a
page listing everything that expires within 90 days. Decisions (star ratings, licences, guide cards, the
registry code and an establishment's state) are the department's: other units see them read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xuthanh.catalog import importing
from xuthanh.catalog.admin import TableImportAdminMixin
from xuthanh.core.admin import AuditedAdminMixin, FoldedSearchMixin
from xuthanh.core.qrcode import qr_svg
from xuthanh.core.text import fold
from xuthanh.orgs import permissions
from xuthanh.orgs.admin_mixins import ScopedAdminMixin, ScopedInlineMixin
from xuthanh.orgs.models import Organisation, Role
from xuthanh.registry import selectors, services
from xuthanh.registry.fieldmaps import CARD_NUMBER, current_credential, establishment_map, guidecard_map
from xuthanh.registry.models import Branch, Credential, Establishment, GuideCard

EXPIRY_WINDOW_DAYS = 90


def is_department(user: Any) -> bool:
    """Administrators and editors of a province-wide unit: who records the department's decisions."""
    return permissions.can_publish(user, None)


class ExpiryFilter(admin.SimpleListFilter):
    """Expiring within 90 days (not yet expired) / expired, of the current decisions or of the cards."""

    title = _("expiry")
    parameter_name = "expiry"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("soon", _("expiring within 90 days")), ("expired", _("expired"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in ("soon", "expired"):
            return queryset
        select = selectors.cards_expiring if queryset.model is GuideCard else selectors.establishments_expiring
        matching = select(within_days=EXPIRY_WINDOW_DAYS, today=timezone.localdate(), expired=self.value() == "expired")
        return queryset.filter(pk__in=matching.values("pk"))


class DepartmentInlineMixin(ScopedInlineMixin):
    """Rows that are the department's decisions: others see them, only the department changes them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_department(request.user) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_department(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_department(request.user) and super().has_delete_permission(request, obj)


class CredentialInline(DepartmentInlineMixin, admin.TabularInline):
    model = Credential
    extra = 0
    fields = ["kind", "number", "stars", "issued_on", "issuer", "expires_on", "deposit_vnd", "revoked_on"]


class BranchInline(ScopedInlineMixin, admin.TabularInline):
    model = Branch
    extra = 0
    autocomplete_fields = ["commune"]


class RegistryImportMixin(TableImportAdminMixin):
    """The import of the admin's field map through `services.registry_import` (the checks across cells)."""

    import_kind = ""
    change_list_template = "registry/change_list.html"

    def run_import(
        self, request: HttpRequest, header: list[str], rows: list[tuple[int, dict[str, str]]], note: str
    ) -> importing.ImportResult:
        return services.registry_import(kind=self.import_kind, header=header, rows=rows, actor=request.user, note=note)


@admin.register(Establishment)
class EstablishmentAdmin(RegistryImportMixin, ScopedAdminMixin, AuditedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    import_kind = "establishment"
    search_fields = ["search_text"]
    list_display = [
        "name", "code", "kind", "accommodation_type", "stars_now", "state", "commune", "next_expiry", "is_sample",
    ]
    list_filter = [
        ExpiryFilter, "kind", "accommodation_type", "state", ("commune", admin.RelatedOnlyFieldListFilter), "is_sample",
    ]
    list_select_related = ["commune"]
    list_per_page = 50
    actions = ["export_csv", "export_xlsx"]
    autocomplete_fields = ["commune", "place"]
    inlines = [CredentialInline, BranchInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "tax_code", "kind", "operator", "is_sample"]}),
        (_("Accommodation"), {"fields": ["accommodation_type", "rooms", "beds"]}),
        (_("Travel agency"), {"fields": ["travel_scope"]}),
        (_("Location"), {"fields": ["commune", "address", "lat", "lon", "place"]}),
        (_("Contact"), {"fields": ["phone", "email"]}),
        (_("State"), {"fields": ["state", "state_since"]}),
    ]
    department_fields = ("code", "state", "state_since", "is_sample")

    def get_fieldmap(self) -> importing.FieldMap:
        return establishment_map()

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("credentials")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_department(request.user):
            readonly += [f for f in self.department_fields if f != "code" or obj is not None]
            if obj is not None:  # the operating business: the department's to change (a business names itself
                readonly.append("operator")  # on a new one)
        return readonly

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "operator" and not permissions.is_platform_admin(request.user):
            memberships = permissions.memberships(request.user)
            if not any(m.organisation.province_wide for m in memberships):
                own = [m.organisation_id for m in memberships if m.role == Role.BUSINESS]
                kwargs["queryset"] = Organisation.objects.filter(pk__in=own, kind=Organisation.Kind.BUSINESS)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("stars now"))
    def stars_now(self, obj: Establishment) -> str:
        stars = obj.current_stars(timezone.localdate()) if obj.star_rated else None
        return "★" * stars if stars else "—"

    @admin.display(description=_("next expiry"))
    def next_expiry(self, obj: Establishment) -> str:
        dates = [
            c.expires_on for kind in Credential.Kind.values if (c := current_credential(obj, kind)) and c.expires_on
        ]
        if not dates:
            return "—"
        first = min(dates)
        text = first.strftime("%d/%m/%Y")
        if first < timezone.localdate():
            return format_html('<span class="expired">{} ({})</span>', text, gettext("expired"))
        return text

    def get_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        return [
            path("expiring/", self.admin_site.admin_view(self.expiring_view), name="{}_{}_expiring".format(*info)),
            *super().get_urls(),
        ]

    def expiring_view(self, request: HttpRequest) -> HttpResponse:
        """Everything the user may see that expires within 90 days or has expired: decisions and cards."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        establishments = set(self.get_queryset(request).values_list("pk", flat=True))
        cards_admin = self.admin_site.get_model_admin(GuideCard)
        cards = set(cards_admin.get_queryset(request).values_list("pk", flat=True))
        items = [
            e for e in selectors.expiring(EXPIRY_WINDOW_DAYS, today)
            if (e.item.pk in cards if isinstance(e.item, GuideCard) else e.item.establishment_id in establishments)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Expiring within %(days)s days or expired") % {"days": EXPIRY_WINDOW_DAYS},
            "opts": self.opts,
            "items": items,
            "card_kind": selectors.CARD,
        }
        return TemplateResponse(request, "registry/expiring.html", context)


class GuideCardForm(forms.ModelForm):
    """The number becomes part of the verification address its QR code encodes: letters, digits, hyphens."""

    class Meta:
        model = GuideCard
        fields = [
            "number", "holder_name", "card_type", "languages", "employer", "is_sample",
            "issued_on", "issuer", "expires_on", "revoked_on", "revoked_reason",
        ]

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        if not CARD_NUMBER.fullmatch(number):
            raise forms.ValidationError(_("A card number is 3 to 20 letters, digits or hyphens."))
        return number.upper()


@admin.register(GuideCard)
class GuideCardAdmin(RegistryImportMixin, ScopedAdminMixin, AuditedAdminMixin, admin.ModelAdmin):
    import_kind = "guidecard"
    form = GuideCardForm
    search_fields = ["number"]
    search_help_text = _("Card number, holder or travel agency")
    list_display = [
        "number", "holder_name", "card_type", "languages", "expires_on", "card_state", "employer", "is_sample",
    ]
    list_filter = [ExpiryFilter, "card_type", "is_sample"]
    list_select_related = ["employer"]
    list_per_page = 50
    actions = ["export_csv", "export_xlsx"]
    autocomplete_fields = ["employer"]
    readonly_fields = ["verification_qr"]
    fieldsets = [
        (None, {"fields": ["number", "holder_name", "card_type", "languages", "employer", "is_sample"]}),
        (_("Validity"), {"fields": ["issued_on", "issuer", "expires_on", "revoked_on", "revoked_reason"]}),
        (_("Verification"), {"fields": ["verification_qr"]}),
    ]

    def get_fieldmap(self) -> importing.FieldMap:
        return guidecard_map()

    # A card is the department's decision: the agency employing the guide sees it, the department changes it.
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_department(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed if obj is None else allowed and is_department(request.user)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        """The number's start, the holder's name (as written) or the agency's name without accents."""
        term = search_term.strip()
        if not term:
            return queryset, False
        condition = Q(number__istartswith=term) | Q(holder_name__icontains=term)
        words = fold(term).split()
        if words:
            agency = Q()
            for word in words:
                agency &= Q(employer__search_text__contains=word)
            condition |= agency
        return queryset.filter(condition), False

    @admin.display(description=_("state"))
    def card_state(self, obj: GuideCard) -> str:
        today = timezone.localdate()
        if obj.revoked_on and obj.revoked_on <= today:
            return gettext("revoked on %(date)s") % {"date": obj.revoked_on.strftime("%d/%m/%Y")}
        if obj.expires_on and obj.expires_on < today:
            return gettext("expired on %(date)s") % {"date": obj.expires_on.strftime("%d/%m/%Y")}
        return gettext("valid")

    @admin.display(description=_("verification QR code"))
    def verification_qr(self, obj: GuideCard | None) -> str:
        """The QR code to print on the card: the signed verification address, which opens in the scanner's
        language."""
        if obj is None or obj.pk is None:
            return gettext("Shown once the card is saved.")
        if not CARD_NUMBER.fullmatch(obj.number):
            return gettext("Correct the card number first: it may hold only letters, digits and hyphens.")
        url = services.guidecard_verify_url(obj)
        return format_html(
            '<div class="registry-qr">{}</div><p><a href="{}" target="_blank" rel="noopener">{}</a></p>',
            mark_safe(qr_svg(url)),  # noqa: S308 - segno's own SVG markup
            url,
            url,
        )
