"""Public pages of the registry (under the language prefix): the check of a tour guide card."""

from django.urls import path

from xuthanh.registry import views

app_name = "registry"
urlpatterns = [
    path("guides/verify/", views.verify, name="verify"),
    path("guides/verify/<str:number>/<str:token>/", views.verify_card, name="verify_card"),
]
