from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone


class User(AbstractUser):
    """A person who signs in. Roles come from the `COE leads` group and `Department.head`."""

    @property
    def is_coe_lead(self) -> bool:
        # Cached per instance: the role is checked many times while rendering one page.
        if not hasattr(self, "_is_coe_lead"):
            if not self.is_active:
                self._is_coe_lead = False
            elif self.is_superuser:
                self._is_coe_lead = True
            else:
                self._load_roles()
        return self._is_coe_lead

    @property
    def is_department_head(self) -> bool:
        """Heads at least one department (the navigation offers "My departments")."""
        if not hasattr(self, "_is_department_head"):
            self._load_roles()
        return self._is_department_head

    def _load_roles(self) -> None:
        """Both roles in one query: every page's navigation asks for both, and a second
        query on every page would be paid by every user."""
        # accounts sits below stakeholders: the model is looked up, not imported.
        department = apps.get_model("stakeholders", "Department")
        lead_group = type(self).groups.through.objects.filter(
            user_id=OuterRef("pk"), group__name=settings.COE_LEADS_GROUP
        )
        lead, head = type(self).objects.filter(pk=self.pk).annotate(
            lead=Exists(lead_group), head=Exists(department.objects.filter(head=OuterRef("pk")))
        ).values_list("lead", "head").first() or (False, False)
        if not hasattr(self, "_is_coe_lead"):
            self._is_coe_lead = self.is_active and (self.is_superuser or bool(lead))
        self._is_department_head = bool(head)


class InvitationQuerySet(models.QuerySet):
    def open(self, *, now=None):
        """Neither accepted nor revoked nor expired: the link still works."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )


class Invitation(models.Model):
    """A one-time link for a user without a password to set one. Only a hash of the
    link's token is stored: the token itself is derived from the row and SECRET_KEY
    (accounts.services.invitation_token), so a resend can mail the same link again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_count = models.PositiveIntegerField(default=0)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation of {self.user} ({self.status})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class SignInEventKind(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_IN_SSO = "sign_in_sso", "Signed in through single sign-on"
    SIGN_IN_SSO_REFUSED = "sign_in_sso_refused", "Single sign-on refused"
    SIGN_OUT = "sign_out", "Signed out"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset"
    INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
    TOKEN_CREATED = "token_created", "API token created"
    TOKEN_REVOKED = "token_revoked", "API token revoked"
    SESSIONS_ENDED = "sessions_ended", "Other sessions signed out"
    TWO_FACTOR_CHANGED = "two_factor_changed", "Two-factor sign-in changed"


class SignInEvent(models.Model):
    """Who signed in, failed, signed out or changed how they sign in, from where. The
    username is kept as typed, so a failed try for an unknown name is recorded too."""

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="sign_in_events"
    )
    username = models.CharField(max_length=150, blank=True, db_index=True)
    kind = models.CharField(max_length=24, choices=SignInEventKind.choices)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username} at {self.at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """A signed-in browser, written on sign-in, so the profile can list a user's sessions
    and end the others without decoding every row of the session table."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"
