from django.urls import path

from xuthanh.guide import views

app_name = "guide"
urlpatterns = [
    path("audio-tours/", views.tour_list, name="tour_list"),
    path("audio-tours/<slug:slug>/", views.tour_detail, name="tour_detail"),
    path("audio-tours/<slug:slug>/360/", views.tour_360, name="tour_360"),
]
