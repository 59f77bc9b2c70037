from django.urls import path

from xuthanh.wifi import views

app_name = "wifi"
urlpatterns = [
    path("authmon/", views.authmon, name="authmon"),
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/", views.splash, name="splash"),
    path("<slug:slug>/wait/<str:ticket>/", views.wait, name="wait"),
    path("<slug:slug>/welcome/", views.welcome, name="welcome"),
    path("<slug:slug>/captive-portal/api", views.capport, name="capport"),
]
