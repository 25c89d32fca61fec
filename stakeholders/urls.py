from django.urls import path

app_name = "stakeholders"

urlpatterns: list = [
    # Directory, department pages, social accounts, roster
    # Nominations, decisions and seats
]
