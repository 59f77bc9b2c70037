from django.urls import path

from xuthanh.kiosks import views

app_name = "kiosks"
urlpatterns = [
    path("", views.start, name="start"),
    path("sw.js", views.service_worker, name="sw"),
    path("<str:lang>/<slug:location>/", views.home, name="home"),
    path("<str:lang>/<slug:location>/near/", views.near, name="near"),
    path("<str:lang>/<slug:location>/near/<slug:kind>/", views.near, name="near_kind"),
    path("<str:lang>/<slug:location>/events/", views.events, name="events"),
    path("<str:lang>/<slug:location>/onward/", views.onward, name="onward"),
    path("<str:lang>/<slug:location>/search/", views.search, name="search"),
    path("<str:lang>/<slug:location>/help/", views.help, name="help"),
    path("<str:lang>/<slug:location>/place/<slug:slug>/", views.place, name="place"),
    path("<str:lang>/<slug:location>/360/<slug:tour>/", views.tour_360, name="tour_360"),
]
