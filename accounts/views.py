from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
