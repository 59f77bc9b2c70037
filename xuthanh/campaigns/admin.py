"""The campaign desk (back office): target markets with their sourced defaults, campaigns (markets, period,
budget, sponsors), short links made with their checks (a page of this site; a QR code each for print), and a
campaign's dashboard: clicks per day and market as a chart, per channel and link, what the visits did next (pages,
trips, installs, contest entries), cost per click and per trip, XLSX export; campaigns compared side by side.
Campaigns are run by the department's and the promotion centre's editors; sponsors see their campaigns' figures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from parler.admin import TranslatableAdmin

from xuthanh.campaigns import selectors, services
from xuthanh.campaigns.models import Campaign, Item, Link, Market, Outcome
from xuthanh.core import audit
from xuthanh.core.admin import AllowedAdminMixin, AuditedAdminMixin, RefusalsShownMixin
from xuthanh.core.cells import download, xlsx_bytes
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
    filter_horizontal = ("markets", "sponsors", "approvers")
    actions = ["compare"]

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
            path("compare/", self.admin_site.admin_view(self.compare_view), name="campaigns_campaign_compare"),
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
        chart = {"labels": found.days, "series": found.by_market, "stacked": True, "label": _("clicks")}
        labels = dict(Outcome.choices)
        after = {"labels": found.days, "stacked": False, "label": _("count"),
                 "series": {str(labels[kind]): series for kind, series in found.outcomes_by_day.items()}}
        return TemplateResponse(request, "campaigns/admin/dashboard.html", {
            **self.admin_site.each_context(request), "title": _("Figures of %(c)s") % {"c": campaign},
            "campaign": campaign, "figures": found, "chart": chart, "after": after, "opts": self.model._meta,
            "outcomes": Outcome.choices, "manage": services.can_manage(request.user),
            "by_link": [(link, [counts.get(kind, 0) for kind in Outcome.values]) for link, counts in found.by_link],
            "by_market": [(market, [counts.get(kind, 0) for kind in Outcome.values])
                          for market, counts in found.outcomes_by_market.items()],
            "totals": [(label, found.totals.get(kind, 0)) for kind, label in Outcome.choices],
            "calendar": selectors.calendar(campaign, request.GET.get("market") or None),
            "weekdays": [WEEKDAYS_ABBR[n] for n in range(7)],
            "market": request.GET.get("market", ""), "markets": campaign.markets.prefetch_related("translations"),
        })

    def export_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = self._campaign(request, pk)
        found = selectors.figures(campaign)
        markets = list(found.by_market)
        kinds = [str(label) for label in Outcome.labels]
        return download(xlsx_bytes({
            "days": [[_("day"), *markets], *([day, *(found.by_market[m][i] for m in markets)]
                                             for i, day in enumerate(found.days))],
            "markets": [[_("market"), *kinds], *([m, *(counts.get(k, 0) for k in Outcome.values)]
                                                 for m, counts in found.outcomes_by_market.items())],
            "links": [[_("short link"), _("market"), _("channel"), _("item"), _("leads to"), *kinds],
                      *([f"/go/{link.code}", link.market.code if link.market else "", link.channel, link.item,
                         link.target, *(counts.get(k, 0) for k in Outcome.values)] for link, counts in found.by_link)],
        }), f"campaign-{campaign.slug}.xlsx")

    @admin.action(description=_lazy("Compare the selected campaigns"))
    def compare(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        from django.shortcuts import redirect

        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return redirect(reverse("admin:campaigns_campaign_compare") + f"?ids={ids}")

    def compare_view(self, request: HttpRequest) -> HttpResponse:
        """Campaigns side by side (those the person may see among the ones asked): every outcome, cost per
        click and per trip, per market; a chart; XLSX with ?format=xlsx."""
        ids = [int(x) for x in request.GET.get("ids", "").split(",") if x.strip().isdigit()][:20]
        chosen = list(services.visible(request.user).filter(pk__in=ids).prefetch_related("translations"))
        rows = selectors.compare(chosen)
        if request.GET.get("format") == "xlsx":
            kinds = [str(label) for label in Outcome.labels]
            return download(xlsx_bytes({
                "campaigns": [[_("campaign"), _("spent so far, VND"), *kinds, _("cost per click"),
                               _("cost per trip planned")],
                              *([str(r.campaign), r.campaign.spent_vnd, *(r.totals.get(k, 0) for k in Outcome.values),
                                 r.cost_per_click, r.cost_per_trip] for r in rows)],
                "markets": [[_("campaign"), _("market"), *kinds],
                            *([str(r.campaign), m, *(c.get(k, 0) for k in Outcome.values)]
                              for r in rows for m, c in r.by_market.items())],
            }), "campaigns-compared.xlsx")
        chart = {"labels": [str(r.campaign) for r in rows], "stacked": False, "label": _("count"),
                 "series": {str(label): [r.totals.get(kind, 0) for r in rows] for kind, label in Outcome.choices}}
        return TemplateResponse(request, "campaigns/admin/compare.html", {
            **self.admin_site.each_context(request), "title": _("Campaigns compared"), "opts": self.model._meta,
            "rows": [(r, [r.totals.get(kind, 0) for kind in Outcome.values],
                      [(m, [c.get(kind, 0) for kind in Outcome.values]) for m, c in r.by_market.items()])
                     for r in rows],
            "outcomes": Outcome.choices, "chart": chart, "ids": ",".join(str(r.campaign.pk) for r in rows),
        })


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ("campaign", "market", "channel", "language", "place", "event", "tour", "entry", "text",
                  "scheduled_at")

    def clean(self) -> dict:
        data = super().clean()
        if self.instance.pk is None:
            try:
                services.check_source(**{name: data.get(name) for name in services.SOURCES})
            except services.CampaignError as exc:
                self.add_error("place", str(exc))
            campaign, market = data.get("campaign"), data.get("market")
            if campaign and market and not campaign.markets.filter(pk=market.pk).exists():
                self.add_error("market", _("The market is not one of the campaign's."))
        return data

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if "text" in self.fields:  # a published item shows its text read-only
            self.fields["text"].required = False
        if self.instance.pk is None and "text" in self.fields:
            self.fields["text"].help_text = _("Left empty: composed from the place, event, tour or winning "
                                              "entry in the item's language.")


@admin.register(Item)
class ItemAdmin(RefusalsShownMixin, ManagersOnly, admin.ModelAdmin):
    refusals = (services.CampaignError,)
    form = ItemForm
    list_display = ("__str__", "campaign", "market", "channel", "language", "scheduled_at", "status", "fits")
    list_filter = ("campaign", "channel", "status", "language")
    readonly_fields = ("status", "approved_by", "published_at", "published_text", "short_link", "problems_shown")
    raw_id_fields = ("place", "event", "tour", "entry")
    actions = ["approve_items", "schedule_items", "mark_published"]
    # one labelled input for the time (Django's split date and time inputs have no labels of their own)
    formfield_overrides = {models.DateTimeField: {
        "form_class": forms.DateTimeField,
        "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    }}

    def get_readonly_fields(self, request: HttpRequest, obj: Item | None = None) -> tuple:
        if obj is not None and obj.status == Item.Status.PUBLISHED:  # what was published stays as it was
            return (*self.readonly_fields, "campaign", "market", "channel", "language", *services.SOURCES, "text",
                    "scheduled_at")
        if obj is not None:
            return (*self.readonly_fields, "campaign", "channel", "language", *services.SOURCES)
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
                                      tour=data.get("tour"), entry=data.get("entry"),
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
