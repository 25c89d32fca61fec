"""Single sign-on: the button's start (to the identity provider) and the callback it
sends the browser back to. Refusals and provider trouble get a page saying what happened,
and a line in the sign-in history."""

from __future__ import annotations

import logging

import requests
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts import services, sso
from accounts.models import SignInEventKind
from accounts.security import client_ip

logger = logging.getLogger(__name__)

# The status of each problem page (the template says what happened and what to do).
PROBLEM_STATUS = {
    "no_email": 403,
    "unverified": 403,
    "unknown": 403,
    "ambiguous": 403,
    "inactive": 403,
    "cancelled": 403,
    "invalid": 400,
    "unavailable": 502,
}


def problem(request: HttpRequest, reason: str, email: str = "") -> HttpResponse:
    services.sign_in_event_record(
        kind=SignInEventKind.SIGN_IN_SSO_REFUSED, username=email, ip=client_ip(request)
    )
    context = {"reason": reason, "email": email, "sso_label": sso.label()}
    return render(request, "accounts/sso_problem.html", context, status=PROBLEM_STATUS[reason])


class SSOStartView(OIDCAuthenticationRequestView):
    """To the identity provider's sign-in, remembering `next` for the way back."""

    get_settings = staticmethod(sso.oidc_setting)

    def __init__(self, *args, **kwargs):
        # The parent reads the provider's endpoints here; done in get(), once SSO is known on.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.enabled():
            raise Http404("Single sign-on is off.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except sso.ProviderUnavailable as error:
            logger.warning("Single sign-on: %s", error)
            return problem(request, "unavailable")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """Back from the identity provider: signed in and on to `next` or the user's
    department (the landing of an accepted invitation), or a page saying why not."""

    get_settings = staticmethod(sso.oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.enabled():
            raise Http404("Single sign-on is off.")
        try:
            return super().get(request)
        except services.SSORefused as refusal:
            return problem(request, refusal.reason, refusal.email)
        except SuspiciousOperation as error:  # a stale or forged state, a bad signature
            logger.warning("Single sign-on: %s", error)
            return problem(request, "invalid")
        except (requests.RequestException, sso.ProviderUnavailable) as error:
            logger.warning("Single sign-on: %s", error)
            return problem(request, "unavailable")

    @property
    def success_url(self) -> str:
        return self.request.session.get("oidc_login_next") or services.landing_url(user=self.user)

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        self.request.session[sso.SESSION_KEY] = True
        return response

    def login_failure(self) -> HttpResponse:
        # The provider sent an error (the person cancelled, or it refused them), or the
        # answer matched no sign-in this browser started.
        if self.request.user.is_authenticated:
            logout(self.request)
        reason = "cancelled" if self.request.GET.get("error") else "invalid"
        return problem(self.request, reason)


sso_start = login_not_required(SSOStartView.as_view())
sso_callback = login_not_required(SSOCallbackView.as_view())
