"""SSO_ONLY for every way in that takes a password (sign-in form, admin, POST /api/token/)."""

from django.core.exceptions import PermissionDenied

from accounts import services


class PasswordPolicyBackend:
    """Before ModelBackend: with SSO_ONLY, a password for anyone but the break-glass admin
    is refused without being checked (PermissionDenied stops the other backends; the
    try is recorded as a failed sign-in). No get_user(): it never signs anyone in, and
    force_login() takes the first backend that has one."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not services.password_sign_in_allowed(username=username):
            raise PermissionDenied("Password sign-in is turned off (SSO_ONLY).")
        return None
