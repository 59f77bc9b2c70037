"""Sign in, sign out and sign up under the language prefix (/vi/account/…)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from xuthanh.accounts import views
from xuthanh.accounts.throttle import SignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "account/login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=SignInForm),
        name="login",
    ),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/signup/", views.signup, name="signup"),
    path("account/email/", views.email_start, name="email"),
    path("account/email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
]
