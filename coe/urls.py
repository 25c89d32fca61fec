from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Roundtable administration"
admin.site.site_title = "Roundtable administration"
admin.site.index_title = "Registry, scoring and accounts"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/", include("api.urls")),
    path("health/", include("health.urls")),
    path("", include("governance.urls")),
    path("", include("stakeholders.urls")),
]

handler400 = "coe.errors.bad_request"
handler403 = "coe.errors.permission_denied"
handler404 = "coe.errors.page_not_found"
handler500 = "coe.errors.server_error"
