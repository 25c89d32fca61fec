"""The Django admin for the policy, meetings and attendance, snapshots and digests."""

import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from governance import services
from stakeholders.admin import AnnouncesChange, RowAutocompleteInline

from .models import POLICY_SECTIONS, Attendance, Digest, Meeting, Policy, Snapshot


class RecomputesOnChange(AnnouncesChange):
    """Governance's own records (the policy, meetings) are no registry change, but the
    score reads them too: an edit asks for a recompute directly."""

    def announce(self) -> None:
        services.snapshot_request()


# --- Policy -----------------------------------------------------------------------


@admin.register(Policy)
class PolicyAdmin(RecomputesOnChange, SimpleHistoryAdmin):
    """One row: the change list goes straight to it, and it can be neither added nor deleted."""

    fieldsets = tuple(
        (title, {"fields": fields, "description": description})
        for title, description, fields in POLICY_SECTIONS
    ) + ((None, {"fields": ("updated_at",)}),)

    def get_fieldsets(self, request, obj=None):
        # reverse() cannot run when the class is defined, so the link is added here.
        page = format_html(
            'Everyone signed in reads these rules on <a href="{}">the scoring policy page</a>, '
            "where COE leads can also change them.",
            reverse("governance:policy"),
        )
        *sections, (title, options) = super().get_fieldsets(request, obj)
        return (*sections, (title, {**options, "description": page}))

    readonly_fields = ("updated_at",)

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not Policy.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        policy = Policy.load()
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[policy.pk],
                current_app=self.admin_site.name,
            )
        )


# --- Meetings and attendance ------------------------------------------------------


class AttendanceInline(RowAutocompleteInline, admin.TabularInline):
    model = Attendance
    fields = ("person", "present")
    autocomplete_fields = ("person",)
    extra = 0

    def get_queryset(self, request):
        # Each row prints str(attendance), which reads the person and the meeting.
        return super().get_queryset(request).select_related("person", "meeting")


@admin.register(Meeting)
class MeetingAdmin(RecomputesOnChange, SimpleHistoryAdmin):
    list_display = ("date", "title", "present", "recorded")
    list_display_links = ("date", "title")
    search_fields = ("title", "notes")
    date_hierarchy = "date"
    inlines = (AttendanceInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                present_count=Count("attendance", filter=Q(attendance__present=True)),
                recorded_count=Count("attendance"),
            )
        )

    @admin.display(description="present", ordering="present_count")
    def present(self, meeting: Meeting) -> int:
        return meeting.present_count

    @admin.display(description="attendance rows", ordering="recorded_count")
    def recorded(self, meeting: Meeting) -> int:
        return meeting.recorded_count


@admin.register(Attendance)
class AttendanceAdmin(RecomputesOnChange, SimpleHistoryAdmin):
    list_display = ("meeting", "person", "present")
    list_filter = ("present", "meeting")
    search_fields = ("person__name", "person__email", "meeting__title")
    autocomplete_fields = ("meeting", "person")
    list_select_related = ("meeting", "person")
    date_hierarchy = "meeting__date"


# --- Snapshots --------------------------------------------------------------------


def _pretty_json(value) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, sort_keys=True))


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """Stored assessments are a record: they can be viewed (and pruned), never edited."""

    list_display = ("created_at", "as_of", "score", "grade", "org_model", "projected_score")
    list_filter = ("grade", "org_model")
    date_hierarchy = "created_at"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "created_at",
                    "as_of",
                    "score",
                    "grade",
                    "projected_score",
                    "org_model",
                    "org_model_reason",
                    "fingerprint",
                )
            },
        ),
        (
            "Details",
            {
                "fields": (
                    "components_json",
                    "findings_json",
                    "recommendations_json",
                    "representation_json",
                )
            },
        ),
    )
    readonly_fields = (
        "created_at",
        "components_json",
        "findings_json",
        "recommendations_json",
        "representation_json",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="components")
    def components_json(self, snapshot: Snapshot) -> str:
        return _pretty_json(snapshot.components)

    @admin.display(description="findings")
    def findings_json(self, snapshot: Snapshot) -> str:
        return _pretty_json(snapshot.findings)

    @admin.display(description="recommendations")
    def recommendations_json(self, snapshot: Snapshot) -> str:
        return _pretty_json(snapshot.recommendations)

    @admin.display(description="representation")
    def representation_json(self, snapshot: Snapshot) -> str:
        return _pretty_json(snapshot.representation)


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """Digests sent are a record: viewable, never edited."""

    list_display = ("sent_at", "period", "recipient_count")
    search_fields = ("period",)
    date_hierarchy = "sent_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="recipients")
    def recipient_count(self, digest: Digest) -> int:
        return len(digest.recipients)
