"""Portal pages of the trip planner (under the language prefix): plan, view, change, print and the traveller's
trips."""

from django.urls import path

from xuthanh.itinerary import views

app_name = "trips"
urlpatterns = [
    path("trips/", views.mine, name="mine"),
    path("trips/plan/", views.plan, name="plan"),
    path("trips/<str:token>/", views.detail, name="detail"),
    path("trips/<str:token>/change/", views.change, name="change"),
    path("trips/<str:token>/print/", views.print_view, name="print"),
    path("trips/<str:token>/save/", views.save, name="save"),
]
