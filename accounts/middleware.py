"""REQUIRE_2FA_FOR_LEADS: a COE lead or admin signed in with a password and without a
second factor sees only the two-factor setup page (and can sign out) until it is on. A
session signed in through single sign-on is exempt: the identity provider does the
second factor (docs/decisions.md)."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts import services
from accounts.sso import SESSION_KEY as SSO_SESSION_KEY


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_2FA_FOR_LEADS
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.session.get(SSO_SESSION_KEY)
            and services.two_factor_required(user=user)
            and not self._allowed(request.path)
        ):
            return redirect("accounts:two-factor")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed = (
            reverse("accounts:two-factor"),
            reverse("accounts:logout"),
            "/" + settings.STATIC_URL.lstrip("/"),
            "/health/",
        )
        return path.startswith(allowed)
