from django.urls import path

from xuthanh.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("campaigns/<slug:slug>/<slug:market>/", views.landing, name="landing"),
]
