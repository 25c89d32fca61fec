from django.contrib.auth import views as auth_views
from django.urls import include, path

from tests.idp import views

urlpatterns = [
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("test/users/", views.user_put),
    path("test/redirect-uris/", views.redirect_uri_add),
]
