from django.urls import path

from xuthanh.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("places/", views.place_list, name="place_list"),
    path("places/<slug:slug>/", views.place_detail, name="place_detail"),
    path("map/", views.place_map, name="place_map"),
    path("map/places.json", views.map_points_json, name="map_points"),
    path("events/", views.event_list, name="event_list"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("specialties/", views.specialty_list, name="specialty_list"),
    path("specialties/<slug:slug>/", views.specialty_detail, name="specialty_detail"),
    path("about/", views.about, name="about"),
]
