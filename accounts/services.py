"""Sign-in state that outlives a request: API tokens, invitations, sessions and the
sign-in history."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.models import Invitation, SignInEvent, SignInEventKind, User, UserSession


def token_expires_at(token: Token) -> datetime.datetime:
    return token.created + datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def token_is_expired(token: Token, *, now: datetime.datetime | None = None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


@transaction.atomic
def token_issue(*, user: User) -> Token:
    """The user's token while it is still valid, else a fresh one (a new key, so a
    leaked expired key never comes back to life)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not token_is_expired(token):
        return token
    if token is not None:
        token.delete()
    sign_in_event_record(kind=SignInEventKind.TOKEN_CREATED, user=user)
    return Token.objects.create(user=user)


@transaction.atomic
def token_regenerate(*, user: User) -> Token:
    """A new key in place of the user's token (the old one stops working at once)."""
    Token.objects.filter(user=user).delete()
    sign_in_event_record(kind=SignInEventKind.TOKEN_CREATED, user=user)
    return Token.objects.create(user=user)


def token_revoke_all(*, user: User) -> int:
    """Delete the user's API token(s); returns how many there were."""
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        sign_in_event_record(kind=SignInEventKind.TOKEN_REVOKED, user=user)
    return deleted


# --- Sign-in history and sessions ------------------------------------------------------


def sign_in_event_record(
    *, kind: str, user: User | None = None, username: str = "", ip: str | None = None
) -> SignInEvent:
    """One line of the sign-in history (admin: Sign-in events)."""
    return SignInEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip=ip or None,
    )


def session_record(*, user: User, session_key: str, ip: str | None, user_agent: str) -> None:
    """Remember a signed-in browser of the user (the profile lists them)."""
    UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "ip": ip or None, "user_agent": user_agent[:300]},
    )


def sessions_end_others(*, user: User, current_key: str | None) -> int:
    """Sign the user out of every browser but this one; returns how many were ended."""
    keys = list(
        UserSession.objects.filter(user=user)
        .exclude(session_key=current_key or "")
        .values_list("session_key", flat=True)
    )
    ended, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    if keys:
        sign_in_event_record(kind=SignInEventKind.SESSIONS_ENDED, user=user)
    return ended


# --- Invitations ---------------------------------------------------------------------


class InvitationError(Exception):
    """A link that cannot be used; `reason` is one of unknown, expired, used, revoked,
    has_password, sso_only (the page says what happened and what to do)."""

    def __init__(self, reason: str, invitation: Invitation | None = None):
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


def invitation_token(invitation: Invitation) -> str:
    """The secret in the link: derived from the row and SECRET_KEY, never stored (the
    table holds its hash), so a resend mails the same link and a leaked table opens none."""
    value = f"{invitation.pk}:{invitation.user_id}:{invitation.created_at.timestamp()}"
    return salted_hmac("accounts.invitation", value, algorithm="sha256").hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(invitation: Invitation) -> str:
    path = reverse("accounts:invitation-accept", kwargs={"token": invitation_token(invitation)})
    return settings.SITE_URL.rstrip("/") + path


def _needs_invitation(user: User) -> bool:
    return user.is_active and bool(user.email) and not user.has_usable_password()


def _invitation_create(*, user: User, invited_by: User | None) -> Invitation:
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=user,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_TTL_DAYS),
    )
    invitation.token_hash = _token_hash(invitation_token(invitation))
    invitation.save(update_fields=["token_hash"])
    return invitation


def _invitations_mail(invitation_ids: list[int]) -> None:
    """Send the invitations' e-mails over one connection (after the commit)."""
    invitations = Invitation.objects.filter(pk__in=invitation_ids).select_related(
        "user", "invited_by"
    )
    messages = []
    for invitation in invitations:
        context = {
            "invitation": invitation,
            "url": invitation_url(invitation),
            "sso_label": settings.SSO["label"] if settings.SSO else "",
            "sso_only": settings.SSO_ONLY,
        }
        body = render_to_string("accounts/email/invitation.txt", context)
        messages.append(
            EmailMessage(
                "You are invited to Roundtable",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [invitation.user.email],
            )
        )
    get_connection().send_messages(messages)


def _mail_on_commit(invitations: list[Invitation]) -> None:
    if not invitations:
        return
    ids = [invitation.pk for invitation in invitations]
    Invitation.objects.filter(pk__in=ids).update(sent_count=F("sent_count") + 1)
    transaction.on_commit(lambda: _invitations_mail(ids), robust=True)


@transaction.atomic
def invitation_send(*, user: User, invited_by: User | None) -> Invitation | None:
    """Invite a user who has no password to set one: the open invitation again (the same
    link) or a new one. Mailed once the transaction commits. None for a user who has a
    password, no e-mail or is inactive: there is nothing to invite them to."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not _needs_invitation(user):
        return None
    invitation = Invitation.objects.open().filter(user=user).first()
    if invitation is None:
        invitation = _invitation_create(user=user, invited_by=invited_by)
    _mail_on_commit([invitation])
    invitation.refresh_from_db(fields=["sent_count"])
    return invitation


@transaction.atomic
def invitations_send_new(*, user_ids: Iterable[int], invited_by: User | None) -> int:
    """Invite, once each, the users among `user_ids` who have no password and no open
    invitation (imports: a file imported twice does not mail anyone twice). Returns how
    many were invited."""
    users = (
        User.objects.filter(pk__in=set(user_ids), is_active=True, password__startswith="!")
        .exclude(email="")
        .exclude(pk__in=Invitation.objects.open().values("user_id"))
        .order_by("pk")
    )
    # Three statements however many people: the rows, then their tokens' hashes (the
    # token needs the row's id), then the mail after the commit.
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=settings.INVITATION_TTL_DAYS)
    invitations = Invitation.objects.bulk_create(
        Invitation(user=user, invited_by=invited_by, created_at=now, expires_at=expires_at)
        for user in users
    )
    for invitation in invitations:
        invitation.token_hash = _token_hash(invitation_token(invitation))
    Invitation.objects.bulk_update(invitations, ["token_hash"])
    _mail_on_commit(invitations)
    return len(invitations)


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw an open invitation: its link stops working."""
    if invitation.status != "open":
        raise ValidationError(f"This invitation is {invitation.status} already.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Mail the invitation's link again, or a new link when it expired or was revoked."""
    if invitation.status == "accepted":
        raise ValidationError(f"{invitation.user.email} accepted this invitation already.")
    sent = invitation_send(user=invitation.user, invited_by=actor)
    if sent is None:
        raise ValidationError(f"{invitation.user.email} has a password already.")
    return sent


def invitation_check(*, token: str) -> Invitation:
    """The invitation of a link that can still be used, else InvitationError."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=_token_hash(token)).first()
    )
    if invitation is None:
        raise InvitationError("unknown")
    if invitation.accepted_at:
        raise InvitationError("used", invitation)
    if invitation.revoked_at:
        raise InvitationError("revoked", invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationError("expired", invitation)
    if invitation.user.has_usable_password() or not invitation.user.is_active:
        raise InvitationError("has_password", invitation)
    if not password_sign_in_allowed(username=invitation.user.get_username()):
        raise InvitationError("sso_only", invitation)  # SSO_ONLY: no password to set
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, ip: str | None = None) -> User:
    """Set the invited user's password through the link (Django's validators), once:
    the invitation is marked accepted. The caller signs the user in."""
    invitation = invitation_check(token=token)
    invitation = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
    if invitation.accepted_at:  # accepted in another tab meanwhile
        raise InvitationError("used", invitation)
    user = invitation.user
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    sign_in_event_record(kind=SignInEventKind.INVITATION_ACCEPTED, user=user, ip=ip)
    return user


def landing_url(*, user: User) -> str:
    """Where a newly joined user starts: the first department they head, else home."""
    from stakeholders.models import Department

    key = (
        Department.objects.filter(head=user, active=True)
        .order_by("name")
        .values_list("key", flat=True)
        .first()
    )
    return reverse("stakeholders:department-detail", kwargs={"key": key}) if key else "/"


@transaction.atomic
def lead_invite(*, email: str, first_name: str, last_name: str, invited_by: User) -> User:
    """Make someone a COE lead: their user (found by e-mail, else created without a
    password) joins the leads group and, without a password, is invited."""
    email = email.strip().lower()
    matches = list(User.objects.filter(email__iexact=email).order_by("pk")[:2])
    if len(matches) > 1:
        raise ValidationError({"email": f"Several users have the e-mail {email}."})
    if matches:
        user = matches[0]
    else:
        if User.objects.filter(username__iexact=email).exists():
            raise ValidationError({"email": f"The username {email} is taken."})
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    user.groups.add(Group.objects.get(name=settings.COE_LEADS_GROUP))
    invitation_send(user=user, invited_by=invited_by)
    return user


# --- Two-factor sign-in ----------------------------------------------------------------

RECOVERY_CODES = 10


def two_factor_enabled(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def two_factor_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the user to scan (any earlier unconfirmed one
    is dropped). It counts only once a code from it is confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def two_factor_pending_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def two_factor_confirm(*, user: User, code: str, ip: str | None = None) -> list[str]:
    """Turn two-factor sign-in on with a code from the new authenticator; returns the
    recovery codes (shown once)."""
    device = two_factor_pending_device(user=user)
    if device is None or not device.verify_token(code.strip().replace(" ", "")):
        raise ValidationError({"code": "That code is not right: enter the current one."})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_create(user=user)
    sign_in_event_record(kind=SignInEventKind.TWO_FACTOR_CHANGED, user=user, ip=ip)
    return codes


def _recovery_codes_create(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes in place of the old ones (which stop working)."""
    if not two_factor_enabled(user=user):
        raise ValidationError("Turn two-factor sign-in on first.")
    codes = _recovery_codes_create(user=user)
    sign_in_event_record(kind=SignInEventKind.TWO_FACTOR_CHANGED, user=user)
    return codes


def two_factor_verify(*, user: User, code: str):
    """The device that accepts `code` (6 digits: the authenticator; else a recovery code,
    used up), or None. django-otp slows down repeated wrong codes per device."""
    code = code.strip().replace(" ", "").lower()
    if code.isdigit() and len(code) == 6:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    with transaction.atomic():
        for device in devices:
            if device.verify_token(code):
                return device
    return None


@transaction.atomic
def two_factor_disable(*, user: User, code: str, ip: str | None = None) -> None:
    """Turn two-factor sign-in off, with a current code (or a recovery code)."""
    if two_factor_verify(user=user, code=code) is None:
        raise ValidationError("That code is not right: two-factor sign-in stays on.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sign_in_event_record(kind=SignInEventKind.TWO_FACTOR_CHANGED, user=user, ip=ip)


def two_factor_required(*, user: User) -> bool:
    """Whether the policy makes this user turn two-factor sign-in on (leads, admins)."""
    return settings.REQUIRE_2FA_FOR_LEADS and (user.is_staff or user.is_coe_lead)


# --- Single sign-on ---------------------------------------------------------------------


class SSORefused(Exception):
    """The identity provider vouched for someone Roundtable does not let in; `reason` is
    one of no_email, unverified, unknown, ambiguous, inactive (the page says which)."""

    def __init__(self, reason: str, email: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.email = email


def _claim_true(value) -> bool:
    # Some providers send the JSON string "true" rather than the boolean.
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


@transaction.atomic
def sso_user_resolve(*, claims: dict) -> User:
    """The user the identity provider's claims stand for: found by the e-mail, and only
    when the provider says it verified that e-mail (a display name is never used). The
    same lookup as naming a department head: a user with that e-mail, else the user of
    the registered person with it (made for them when they have none). Nobody else gets
    an account: SSORefused."""
    from stakeholders.services import person_user_resolve

    email = str(claims.get("email") or "").strip().lower()
    if not email:
        raise SSORefused("no_email")
    if not _claim_true(claims.get("email_verified")):
        raise SSORefused("unverified", email)
    try:
        user = person_user_resolve(name=email, actor=None, by_username=False)
    except ValidationError:
        raise SSORefused("ambiguous", email) from None
    if user is None:
        raise SSORefused("unknown", email)
    if not user.is_active:
        raise SSORefused("inactive", email)
    return user


def password_sign_in_allowed(*, username: str | None) -> bool:
    """Whether a password may be used for this username: always, unless SSO_ONLY, when
    only the break-glass admin's password still works."""
    return not settings.SSO_ONLY or username == settings.SSO_BREAK_GLASS_USERNAME
