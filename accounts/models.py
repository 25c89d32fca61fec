from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """A person who signs in. Roles come from the `COE leads` group and `Department.head`."""

    @property
    def is_coe_lead(self) -> bool:
        # Cached per instance: the role is checked many times while rendering one page.
        if not hasattr(self, "_is_coe_lead"):
            self._is_coe_lead = self.is_active and (
                self.is_superuser or self.groups.filter(name=settings.COE_LEADS_GROUP).exists()
            )
        return self._is_coe_lead


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
