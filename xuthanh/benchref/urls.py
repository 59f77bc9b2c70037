from django.urls import path

from xuthanh.benchref import views

app_name = "benchref"
urlpatterns = [path("", views.reference, name="reference")]
