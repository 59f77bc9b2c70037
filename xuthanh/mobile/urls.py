"""URLs of the mobile app (/app/): its shell, manifest, service worker, icons and UI strings.

A shared trip opens at /app/#/trip/<token> (the portal's "Open in the app" link)."""

from django.urls import URLPattern, path, re_path

from xuthanh.mobile import views

app_name = "mobile"
urlpatterns: list[URLPattern] = [
    path("", views.shell, name="shell"),
    path("sw.js", views.service_worker, name="sw"),
    re_path(r"^manifest\.(?P<lang>[-a-z]{2,10})\.webmanifest$", views.manifest, name="manifest"),
    re_path(r"^icons/(?P<name>[-a-z0-9]{1,20})\.png$", views.icon, name="icon"),
    re_path(r"^i18n/(?P<lang>[-a-z]{2,10})\.json$", views.catalog, name="catalog"),
]
