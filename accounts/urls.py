from django.urls import path

from accounts import views, views_invitations

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    # Invitations
    path("invitations/", views_invitations.invitation_list, name="invitation-list"),
    path("invitations/lead/", views_invitations.lead_invite, name="lead-invite"),
    path(
        "invitations/<int:invitation_id>/resend/",
        views_invitations.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views_invitations.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "join/<str:token>/",
        views_invitations.invitation_accept,
        name="invitation-accept",
    ),
]
