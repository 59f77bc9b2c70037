"""The officers' user guide inside the back office (/admin/handbook/): built by xuthanh/training/handbook.py."""

from django.urls import path

from xuthanh.training import handbook

app_name = "handbook"
urlpatterns = [
    path("", handbook.index, name="index"),
    path("<slug:slug>/", handbook.page, name="page"),
]
