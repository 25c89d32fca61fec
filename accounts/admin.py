from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Invitation, SignInEvent, User
from .views import admin_login

# One sign-in for the whole site: the admin's own form would skip the lockout page, the
# throttle and two-factor sign-in.
admin.site.login = admin_login


@admin.register(User)
class RoundtableUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_staff", "is_active")


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what happened: shown, never edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "username", "user", "ip")
    list_filter = ("kind", "at")
    search_fields = ("username",)
    date_hierarchy = "at"
    list_select_related = ("user",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("user", "status", "created_at", "expires_at", "accepted_at", "sent_count")
    list_filter = ("created_at", "accepted_at")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    exclude = ("token_hash",)
