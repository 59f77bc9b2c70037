from django.urls import path

from xuthanh.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("campaigns/<slug:slug>/<slug:market>/", views.landing, name="landing"),
]

# Without a language prefix, next to /go/<code> (xuthanh/urls.py includes them at the root): addresses given to
# networks, the same in every language.
unprefixed = [
    path("go/-/picture/<str:token>.jpg", views.picture, name="campaign_picture"),  # publishing.picture_url
]
