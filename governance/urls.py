from django.urls import path

app_name = "governance"

urlpatterns: list = [
    # Dashboard, map, recompute
    # Meetings and attendance
    # Report
]
