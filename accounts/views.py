from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from accounts import selectors, services, sso, views_two_factor
from accounts.forms import SignInForm, SignInPasswordResetForm
from accounts.models import SignInEventKind
from accounts.security import client_ip


class SignInThrottle(SimpleRateThrottle):
    """Sign-in posts per client address (SIGN_IN_THROTTLE_RATE). The lockout counts per
    username, so without this one address could try username after username, each try
    costing a password hash. DRF's throttle works on a plain Django request too."""

    scope = "sign-in"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(sso_context(self.request, self.get_redirect_url()))
        return context

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        throttle = SignInThrottle()
        if not throttle.allow_request(request, self):
            seconds = max(1, round(throttle.wait() or 60))
            context = {"throttled": True, "seconds": seconds}
            response = render(request, "accounts/locked_out.html", context, status=429)
            response["Retry-After"] = str(seconds)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        user = form.get_user()
        if services.two_factor_enabled(user=user):  # the code first, then signed in
            return views_two_factor.start_pending(self.request, user, self.get_success_url())
        return super().form_valid(form)


def sso_context(request: HttpRequest, next_url: str = "") -> dict:
    """What the sign-in, reset and invitation pages show of single sign-on: its button
    (back to `next_url` afterwards) and whether passwords are off."""
    if not sso.enabled():
        return {"sso_label": "", "sso_only": False}
    start = reverse("accounts:sso-start")
    return {
        "sso_label": sso.label(),
        "sso_start_url": f"{start}?{urlencode({'next': next_url})}" if next_url else start,
        "sso_only": settings.SSO_ONLY,
    }


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

    def form_valid(self, form):
        response = super().form_valid(form)  # a new session key for this browser
        ip = client_ip(self.request)
        services.sign_in_event_record(kind=SignInEventKind.PASSWORD_CHANGED, user=form.user, ip=ip)
        services.session_record(
            user=form.user,
            session_key=self.request.session.session_key,
            ip=ip,
            user_agent=self.request.META.get("HTTP_USER_AGENT", ""),
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Always "check your inbox", whether or not the address is known: the page must not
    tell who has an account. Only users with a password get the mail (an invited user
    who never set one needs a new invitation instead)."""

    template_name = "accounts/password_reset_form.html"
    form_class = SignInPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    @property
    def extra_email_context(self) -> dict:  # read by PasswordResetView.form_valid
        return {"site_url": settings.SITE_URL.rstrip("/")}

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), **sso_context(self.request)}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def get_user(self, uidb64):
        # A link mailed before SSO_ONLY was turned on stops working with it.
        user = super().get_user(uidb64)
        if user is not None and not services.password_sign_in_allowed(username=user.get_username()):
            return None
        return user

    def form_valid(self, form):
        response = super().form_valid(form)
        services.sign_in_event_record(
            kind=SignInEventKind.PASSWORD_RESET, user=form.user, ip=client_ip(self.request)
        )
        return response


@require_GET
def profile(request: HttpRequest) -> HttpResponse:
    return _profile_page(request)


def _profile_page(request: HttpRequest, new_token: str = "") -> HttpResponse:
    user = request.user
    token = Token.objects.filter(user=user).first()
    context = {
        "departments": selectors.departments_headed(user=user),
        "token": token,
        "token_expires_at": services.token_expires_at(token) if token else None,
        "token_expired": services.token_is_expired(token) if token else False,
        "new_token": new_token,
        "sessions": selectors.session_list(user=user),
        "current_key": request.session.session_key,
        "two_factor": services.two_factor_enabled(user=user),
    }
    return render(request, "accounts/profile.html", context)


@require_POST
def profile_token(request: HttpRequest) -> HttpResponse:
    """A new API key, shown once on this answer (never put in a message or a URL)."""
    token = services.token_regenerate(user=request.user)
    return _profile_page(request, new_token=token.key)


@require_POST
def profile_token_revoke(request: HttpRequest) -> HttpResponse:
    if services.token_revoke_all(user=request.user):
        messages.success(request, "Your API token is revoked: it stops working now.")
    return redirect("accounts:profile")


@require_POST
def profile_sessions_end(request: HttpRequest) -> HttpResponse:
    ended = services.sessions_end_others(user=request.user, current_key=request.session.session_key)
    messages.success(request, f"Signed out of {ended} other session{'s' if ended != 1 else ''}.")
    return redirect("accounts:profile")


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """The admin signs in through the site's sign-in (lockout, throttle, two-factor)."""
    return redirect_to_login(request.GET.get("next", "/admin/"))
