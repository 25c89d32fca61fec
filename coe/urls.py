from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/", include("api.urls")),
    path("health/", include("health.urls")),
    path("", include("governance.urls")),
    path("", include("stakeholders.urls")),
]
