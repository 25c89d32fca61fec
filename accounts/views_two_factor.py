"""Two-factor sign-in: the code asked after the password, and the profile's page that
turns it on (scan, confirm, recovery codes) or off."""

from __future__ import annotations

import base64
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from accounts import services
from accounts.forms import TwoFactorCodeForm
from accounts.models import SignInEventKind, User
from accounts.qr import qr_data_uri
from accounts.security import client_ip

PENDING = "two_factor_pending"


def start_pending(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """After the right password of a user with two-factor sign-in: ask for the code
    before signing in (the session holds who, with which backend, since when)."""
    request.session[PENDING] = {
        "user_id": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
    }
    return redirect("accounts:two-factor-verify")


@login_not_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > settings.TWO_FACTOR_PENDING_MINUTES * 60:
        request.session.pop(PENDING, None)
        return redirect("accounts:login")
    user = User.objects.get(pk=pending["user_id"])
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        if device is None:
            services.sign_in_event_record(
                kind=SignInEventKind.SIGN_IN_FAILED, user=user, ip=client_ip(request)
            )
            form.add_error("code", "That code is not right. Try the current one.")
        else:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            next_url = pending["next"]
            safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
            return redirect(next_url if safe else settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Off: scan and confirm a new authenticator. On, in a session signed in without
    it: enter a code. On: recovery codes and turning it off."""
    user = request.user
    enabled = services.two_factor_enabled(user=user)
    form = TwoFactorCodeForm(request.POST or None)
    if enabled and not user.is_verified():
        if request.method == "POST" and form.is_valid():
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                return redirect("accounts:two-factor")
            form.add_error("code", "That code is not right. Try the current one.")
        return render(request, "accounts/two_factor.html", {"form": form, "verify": True})
    if enabled:
        return render(request, "accounts/two_factor.html", {"form": form, "enabled": True})
    device = services.two_factor_pending_device(user=user) or services.two_factor_start(user=user)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_confirm(
                user=user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error("code", error.message_dict["code"])
        else:
            otp_login(request, user.totpdevice_set.get(confirmed=True))
            messages.success(request, "Two-factor sign-in is on.")
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    context = {
        "form": form,
        "qr": qr_data_uri(device.config_url),
        "secret": _base32(device.bin_key),
        "required": services.two_factor_required(user=user),
    }
    return render(request, "accounts/two_factor.html", context)


def _base32(key: bytes) -> str:
    """The secret as an authenticator app takes it when typed, in groups of four."""
    secret = base64.b32encode(key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_regenerate(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:two-factor")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    form = TwoFactorCodeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Enter a current code to turn two-factor sign-in off.")
        services.two_factor_disable(
            user=request.user, code=form.cleaned_data["code"], ip=client_ip(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Two-factor sign-in is off.")
    return redirect("accounts:two-factor")
