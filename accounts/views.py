from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from rest_framework.throttling import SimpleRateThrottle

from accounts import services


class SignInThrottle(SimpleRateThrottle):
    """Sign-in posts per client address (SIGN_IN_THROTTLE_RATE). The lockout counts per
    username, so without this one address could try username after username, each try
    costing a password hash. DRF's throttle works on a plain Django request too."""

    scope = "sign-in"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        throttle = SignInThrottle()
        if not throttle.allow_request(request, self):
            seconds = max(1, round(throttle.wait() or 60))
            context = {"throttled": True, "seconds": seconds}
            response = render(request, "accounts/locked_out.html", context, status=429)
            response["Retry-After"] = str(seconds)
            return response
        return super().post(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    """Sign out of the web, and of the API too: a token left behind on a shared
    machine would otherwise keep working until it expires."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            services.token_revoke_all(user=request.user)
        return super().post(request, *args, **kwargs)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The page django-axes shows instead of the sign-in form during a lockout
    (AXES_LOCKOUT_CALLABLE). 429: the client is asking too often, not forbidden."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": settings.AXES_COOLOFF_MINUTES,
        "username": (credentials or {}).get("username", ""),
    }
    return render(request, "accounts/locked_out.html", context, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view (old password, new one twice, the validators); the session stays
    signed in, every other session of the user is signed out by the new password."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordResetView(auth_views.PasswordResetView):
    """Always "check your inbox", whether or not the address is known: the page must not
    tell who has an account. Only users with a password get the mail (an invited user
    who never set one needs a new invitation instead)."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    @property
    def extra_email_context(self) -> dict:  # read by PasswordResetView.form_valid
        return {"site_url": settings.SITE_URL.rstrip("/")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
