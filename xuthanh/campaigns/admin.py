"""The campaign desk (back office): target markets with their sourced defaults, campaigns (markets, period,
budget, sponsors), short links made with their checks (a page of this site; a QR code each for print), and a
campaign's dashboard: clicks per day and market as a chart, per channel and link, cost per click, XLSX export.
Campaigns are run by the department's and the promotion centre's editors; sponsors see their campaigns' figures."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from parler.admin import TranslatableAdmin

from xuthanh.campaigns import selectors, services
from xuthanh.campaigns.models import Campaign, Item, Link, Market
from xuthanh.core import audit
from xuthanh.core.admin import AllowedAdminMixin, AuditedAdminMixin
from xuthanh.core.cells import cell_out
from xuthanh.core.models import AuditEntry
from xuthanh.core.qrcode import qr_svg


class ManagersOnly(AllowedAdminMixin):
    """Visible and editable by those who run campaigns only."""

    def allowed(self, request: HttpRequest) -> bool:
        return services.can_manage(request.user)


@admin.register(Market)
class MarketAdmin(ManagersOnly, AuditedAdminMixin, TranslatableAdmin):
    list_display = ("__str__", "code", "kind", "languages", "networks")
    list_filter = ("kind",)
    readonly_fields = ("sourced_facts",)

    @admin.display(description=_lazy("facts and sources"))
    def sourced_facts(self, obj: Market) -> str:
        items = []
        for key in ("network_facts", "seasons", "arrivals"):
            for fact in obj.facts.get(key, []):
                text = fact.get("fact") or f"{fact.get('year', '')} {fact.get('visitors', '')}"
                items.append(format_html('<li>{}: {} (<a href="{}" rel="noopener">{}</a>)</li>',
                                         fact.get("network") or fact.get("name") or key, text, fact.get("source", ""),
                                         _("source")))
        return mark_safe("<ul>" + "".join(items) + "</ul>") if items else "–"  # noqa: S308 - escaped above


class LinkForm(forms.ModelForm):
    class Meta:
        model = Link
        fields = ("campaign", "market", "channel", "item", "target", "active", "expires_at")

    def clean_target(self) -> str:
        try:
            return services.clean_target(self.cleaned_data["target"])
        except services.CampaignError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict:
        data = super().clean()
        campaign, market = data.get("campaign"), data.get("market")
        if campaign and market and not campaign.markets.filter(pk=market.pk).exists():
            self.add_error("market", _("The market is not one of the campaign's."))
        return data


@admin.register(Link)
class LinkAdmin(ManagersOnly, AuditedAdminMixin, admin.ModelAdmin):
    form = LinkForm
    list_display = ("__str__", "campaign", "market", "channel", "item", "target", "active")
    list_filter = ("campaign", "channel", "active")
    readonly_fields = ("short", "qr")

    @admin.display(description=_lazy("short link"))
    def short(self, obj: Link) -> str:
        return f"/go/{obj.code}" if obj.code else "–"

    @admin.display(description=_lazy("QR code"))
    def qr(self, obj: Link) -> str:
        if not obj.code:
            return "–"
        from django.conf import settings

        return mark_safe(qr_svg(f"{settings.SITE_URL.rstrip('/')}/go/{obj.code}"))  # noqa: S308 - segno's SVG

    def save_model(self, request: HttpRequest, obj: Link, form: Any, change: bool) -> None:
        if not obj.code:
            obj.code = services.new_code()
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Campaign)
class CampaignAdmin(AuditedAdminMixin, TranslatableAdmin):
    list_display = ("__str__", "starts", "ends", "status", "budget_vnd", "dashboard_link")
    list_filter = ("status", "markets")
    filter_horizontal = ("markets", "sponsors")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return services.visible(request.user).exists() or services.can_manage(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.can_manage(request.user) or (obj is not None and services.can_see(request.user, obj)) or (
            obj is None and services.visible(request.user).exists())

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.can_manage(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.can_manage(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return services.can_manage(request.user)

    def get_queryset(self, request: HttpRequest):  # noqa: ANN201
        return super().get_queryset(request).filter(pk__in=services.visible(request.user).values("pk"))

    @admin.display(description=_lazy("figures"))
    def dashboard_link(self, obj: Campaign) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:campaigns_campaign_dashboard", args=[obj.pk]),
                           _("dashboard"))

    def get_urls(self) -> list:
        return [
            path("<int:pk>/dashboard/", self.admin_site.admin_view(self.dashboard_view),
                 name="campaigns_campaign_dashboard"),
            path("<int:pk>/figures.xlsx", self.admin_site.admin_view(self.export_view),
                 name="campaigns_campaign_export"),
            *super().get_urls(),
        ]

    def _campaign(self, request: HttpRequest, pk: int) -> Campaign:
        campaign = Campaign.objects.filter(pk=pk).first()
        if campaign is None or not services.can_see(request.user, campaign):
            raise Http404
        return campaign

    def dashboard_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = self._campaign(request, pk)
        found = selectors.figures(campaign)
        chart = {"days": found.days, "series": found.by_market, "label": _("clicks")}
        return TemplateResponse(request, "campaigns/admin/dashboard.html", {
            **self.admin_site.each_context(request), "title": _("Figures of %(c)s") % {"c": campaign},
            "campaign": campaign, "figures": found, "chart": chart, "opts": self.model._meta,
            "manage": services.can_manage(request.user),
            "items": campaign.items.select_related("market").order_by("scheduled_at", "id"),
        })

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        from openpyxl import Workbook

        campaign = self._campaign(request, pk)
        found = selectors.figures(campaign)
        book = Workbook()
        sheet = book.active
        sheet.title = "days"
        markets = list(found.by_market)
        sheet.append([_("day"), *markets])
        for i, day in enumerate(found.days):
            sheet.append([day, *(found.by_market[m][i] for m in markets)])
        links = book.create_sheet("links")
        links.append([_("short link"), _("market"), _("channel"), _("item"), _("leads to"), _("clicks")])
        for link, clicks in found.by_link:
            links.append([cell_out(f"/go/{link.code}"), cell_out(link.market.code if link.market else ""),
                          link.channel, cell_out(link.item), cell_out(link.target), clicks])
        out = io.BytesIO()
        book.save(out)
        answer = HttpResponse(out.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        answer["Content-Disposition"] = f'attachment; filename="campaign-{campaign.slug}.xlsx"'
        return answer


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ("campaign", "market", "channel", "language", "place", "event", "text", "scheduled_at")

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk is None:
            if bool(data.get("place")) == bool(data.get("event")):
                self.add_error("place", _("Build the item from one place or one event."))
            campaign, market = data.get("campaign"), data.get("market")
            if campaign and market and not campaign.markets.filter(pk=market.pk).exists():
                self.add_error("market", _("The market is not one of the campaign's."))
        return data

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if "text" in self.fields:  # a published item shows its text read-only
            self.fields["text"].required = False
        if self.instance.pk is None and "text" in self.fields:
            self.fields["text"].help_text = _("Left empty: composed from the place or event in the item's language.")


@admin.register(Item)
class ItemAdmin(ManagersOnly, admin.ModelAdmin):
    form = ItemForm
    list_display = ("__str__", "campaign", "market", "channel", "language", "scheduled_at", "status", "fits")
    list_filter = ("campaign", "channel", "status", "language")
    readonly_fields = ("status", "approved_by", "published_at", "published_text", "short_link", "problems_shown")
    raw_id_fields = ("place", "event")
    actions = ["approve_items", "schedule_items", "mark_published"]
    # one labelled input for the time (Django's split date and time inputs have no labels of their own)
    formfield_overrides = {models.DateTimeField: {
        "form_class": forms.DateTimeField,
        "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    }}

    def get_readonly_fields(self, request: HttpRequest, obj: Item | None = None) -> tuple:
        if obj is not None and obj.status == Item.Status.PUBLISHED:  # what was published stays as it was
            return (*self.readonly_fields, "campaign", "market", "channel", "language", "place", "event", "text",
                    "scheduled_at")
        if obj is not None:
            return (*self.readonly_fields, "campaign", "channel", "language", "place", "event")
        return self.readonly_fields

    @admin.display(description=_lazy("fits the channel"), boolean=True)
    def fits(self, obj: Item) -> bool:
        from xuthanh.campaigns import channels

        return not channels.problems(obj.channel, obj.text)

    @admin.display(description=_lazy("what the channel would refuse"))
    def problems_shown(self, obj: Item) -> str:
        from xuthanh.campaigns import channels

        return "; ".join(channels.problems(obj.channel, obj.text)) or "–"

    @admin.display(description=_lazy("short link"))
    def short_link(self, obj: Item) -> str:
        return format_html('<a href="{}">/go/{}</a> · <a href="{}">{}</a>', f"/go/{obj.link.code}", obj.link.code,
                           reverse("admin:campaigns_item_package", args=[obj.pk]), _("ready-to-post package")
                           ) if obj.link else "–"

    def save_model(self, request: HttpRequest, obj: Item, form: Any, change: bool) -> None:
        if not change:
            data = form.cleaned_data
            made = services.make_item(data["campaign"], request.user, channel=data["channel"],
                                      language=data["language"], place=data.get("place"), event=data.get("event"),
                                      market=data.get("market"), scheduled_at=data.get("scheduled_at"))
            if data.get("text"):
                Item.objects.filter(pk=made.pk).update(text=data["text"])
            obj.pk = made.pk
            return
        before = Item.objects.get(pk=obj.pk)
        if "text" in form.changed_data and before.status in (Item.Status.APPROVED, Item.Status.SCHEDULED):
            obj.status, obj.approved_by = Item.Status.DRAFT, None  # a changed text is approved again
        snapshot = audit.snapshot(before)
        super().save_model(request, obj, form, change)
        audit.record(actor=request.user, action=AuditEntry.Action.UPDATE, obj=obj, before=snapshot)

    def _each(self, request: HttpRequest, queryset, act) -> None:  # noqa: ANN001
        for item in queryset:
            try:
                act(item)
                self.message_user(request, _("%(item)s: done.") % {"item": item}, messages.SUCCESS)
            except services.CampaignError as exc:
                self.message_user(request, f"{item}: {exc}", messages.ERROR)

    @admin.action(description=_lazy("Approve the chosen items"))
    def approve_items(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._each(request, queryset, lambda i: services.approve(i, request.user))

    @admin.action(description=_lazy("Schedule the chosen items at their time"))
    def schedule_items(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        def act(item: Item) -> None:
            if item.scheduled_at is None:
                raise services.CampaignError(_("Give the item its time first."))
            services.schedule(item, request.user, item.scheduled_at)

        self._each(request, queryset, act)

    @admin.action(description=_lazy("Mark the chosen items as posted"))
    def mark_published(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        self._each(request, queryset, lambda i: services.mark_published(i, request.user))

    def get_urls(self) -> list:
        return [
            path("<int:pk>/package/", self.admin_site.admin_view(self.package_view), name="campaigns_item_package"),
            path("<int:pk>/picture.jpg", self.admin_site.admin_view(self.picture_view),
                 name="campaigns_item_picture"),
            *super().get_urls(),
        ]

    def _item(self, request: HttpRequest, pk: int) -> Item:
        item = Item.objects.select_related("link", "photo", "campaign").filter(pk=pk).first()
        if item is None or not services.can_manage(request.user):
            raise Http404
        return item

    def package_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Everything to post it by hand (a channel without a publishing API): the text, the picture cut to the
        channel's shape with its credit, the short link and its QR code; then "mark as posted"."""
        from django.conf import settings

        from xuthanh.campaigns import channels

        item = self._item(request, pk)
        url = f"{settings.SITE_URL.rstrip('/')}/go/{item.link.code}" if item.link else ""
        return TemplateResponse(request, "campaigns/admin/package.html", {
            **self.admin_site.each_context(request), "title": _("Ready-to-post package"), "item": item, "url": url,
            "qr": mark_safe(qr_svg(url)) if url else "",  # noqa: S308 - segno's SVG
            "problems": channels.problems(item.channel, item.text), "opts": self.model._meta,
        })

    def picture_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        data = services.picture_for(self._item(request, pk))
        if data is None:
            raise Http404
        answer = HttpResponse(data, content_type="image/jpeg")
        answer["Content-Disposition"] = f'attachment; filename="item-{pk}.jpg"'
        return answer
