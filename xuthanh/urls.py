"""Top-level URLs: the back office at /admin/, the public portal under a language prefix (/vi/, /en/, …)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve

from xuthanh.accounts.throttle import AdminSignInForm
from xuthanh.api.ninja import api
from xuthanh.campaigns import views as campaign_views
from xuthanh.campaigns.urls import unprefixed as campaign_unprefixed
from xuthanh.catalog import api as catalog_api
from xuthanh.contests import api as contests_api
from xuthanh.core import health
from xuthanh.guide import api as guide_api
from xuthanh.itinerary import api as trips_api
from xuthanh.kiosks import api as kiosks_api
from xuthanh.mobile import api as offline_api
from xuthanh.portal import views as portal_views
from xuthanh.portal.sitemaps import SITEMAPS
from xuthanh.search import api as search_api
from xuthanh.stats import api as stats_api
from xuthanh.training import api as training_api
from xuthanh.wifi import api as wifi_api

admin.site.site_header = _("Xứ Thanh – tourism back office")
admin.site.site_title = _("Xứ Thanh back office")
admin.site.index_title = _("Thanh Hóa tourism database")
admin.site.login_form = AdminSignInForm  # failed sign-ins counted per address too (accounts.throttle)


# The one open API: each app's router, mounted here in this order (the order of the OpenAPI document).
for app_api in (catalog_api, search_api, trips_api, offline_api, stats_api, guide_api, kiosks_api, wifi_api,
                contests_api, training_api):
    app_api.mount(api)


urlpatterns = [
    path("admin/desk/", include("xuthanh.translations.urls")),  # the translation desk (back office)
    path("admin/stats/", include("xuthanh.stats.urls")),  # statistical reports and dashboards (back office)
    path("admin/handbook/", include("xuthanh.training.handbook_urls")),  # the officers' user guide
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz),
    path("readyz", health.readyz),
    path("api/v1/", api.urls),
    path("app/", include("xuthanh.mobile.urls")),
    path("kiosk/", include("xuthanh.kiosks.urls")),  # the kiosk screen: language in its own path
    path("wifi/", include("xuthanh.wifi.urls")),  # the captive portal: language by ?lang= (the gateway's URL)
    path("go/<str:code>", campaign_views.go, name="go"),  # campaigns' short links: /go/<code>
    path("go/-/installed", campaign_views.installed, name="go_installed"),  # the app's install, for its campaign
    path("", include(campaign_unprefixed)),  # /go/-/picture/<token>.jpg: pictures networks fetch
    path("", include("xuthanh.feeds.urls")),  # /feeds/ and /widgets/: language by ?lang=, not a prefix
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    re_path(r"^(?P<alias>(?i:zh|cn|zh-cn|zh-sg|tw|zh-tw|zh-hk|jp|kr|vn|en-us|en-gb|fr-fr))/(?P<rest>.*)$",
            portal_views.language_alias),
]
urlpatterns += i18n_patterns(
    path("", include("xuthanh.portal.urls")), path("", include("xuthanh.news.urls")),
    path("", include("xuthanh.itinerary.urls")),
    path("", include("xuthanh.accounts.urls")),
    path("", include("xuthanh.registry.urls")),
    path("", include("xuthanh.stats.public_urls")),
    path("", include("xuthanh.guide.urls")),
    path("", include("xuthanh.contests.urls")),
    path("", include("xuthanh.campaigns.urls")),
    path("", include("xuthanh.training.urls")),
    path("", include("xuthanh.plan.urls")),
    prefix_default_language=True
)

if settings.DEBUG and not settings.S3_BUCKET:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

if settings.BENCH_REFERENCE:  # bench/web.py only: never in the public URL space otherwise
    urlpatterns += [path("bench/reference/", include("xuthanh.benchref.urls"))]
