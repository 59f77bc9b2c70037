"""The public statistics page of the portal (under the language prefix)."""

from django.urls import path

from xuthanh.stats import public

app_name = "statistics"
urlpatterns = [path("statistics/", public.statistics, name="page")]
