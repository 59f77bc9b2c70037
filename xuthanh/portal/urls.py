from django.urls import path

from xuthanh.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("places/", views.place_list, name="place_list"),
    path("places/<slug:slug>/", views.place_detail, name="place_detail"),
    path("events/", views.event_list, name="event_list"),
    path("specialties/", views.specialty_list, name="specialty_list"),
]
