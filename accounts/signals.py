"""The framework's sign-in hooks, recorded in the sign-in history (SignInEvent) and the
list of a user's sessions. These are Django's own events; the receivers only record."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import services
from accounts.models import SignInEventKind
from accounts.security import client_ip


def _ip(request) -> str | None:
    return client_ip(request) or None if request is not None else None


@receiver(user_logged_in, dispatch_uid="accounts.sign_in")
def _signed_in(sender, request, user, **kwargs):
    through_sso = getattr(user, "backend", "") == "accounts.sso.SSOBackend"
    kind = SignInEventKind.SIGN_IN_SSO if through_sso else SignInEventKind.SIGN_IN
    services.sign_in_event_record(kind=kind, user=user, ip=_ip(request))
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        services.session_record(
            user=user,
            session_key=session.session_key,
            ip=_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )


@receiver(user_login_failed, dispatch_uid="accounts.sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    services.sign_in_event_record(
        kind=SignInEventKind.SIGN_IN_FAILED,
        username=str(credentials.get("username", "")),
        ip=_ip(request),
    )


@receiver(user_logged_out, dispatch_uid="accounts.sign_out")
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        services.sign_in_event_record(kind=SignInEventKind.SIGN_OUT, user=user, ip=_ip(request))
