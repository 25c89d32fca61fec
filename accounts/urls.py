from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views, views_invitations, views_sso, views_two_factor

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    # Single sign-on (OpenID Connect); the callback is the redirect URI the provider knows
    path("sso/start/", views_sso.sso_start, name="sso-start"),
    path("sso/callback/", views_sso.sso_callback, name="sso-callback"),
    # Profile: who I am, my departments, API token, sessions
    path("profile/", views.profile, name="profile"),
    path("profile/token/", views.profile_token, name="profile-token"),
    path("profile/token/revoke/", views.profile_token_revoke, name="profile-token-revoke"),
    path("profile/sessions/end/", views.profile_sessions_end, name="profile-sessions-end"),
    # Two-factor sign-in
    path("two-factor/", views_two_factor.two_factor, name="two-factor"),
    path("two-factor/verify/", views_two_factor.two_factor_verify, name="two-factor-verify"),
    path("two-factor/recovery/", views_two_factor.recovery_codes, name="two-factor-recovery"),
    path("two-factor/off/", views_two_factor.two_factor_disable, name="two-factor-disable"),
    # Passwords: Django's views in the site's look
    path("password/change/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password-change-done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
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
