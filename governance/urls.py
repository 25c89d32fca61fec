from django.urls import path, re_path

from governance import (
    views,
    views_exports,
    views_meetings,
    views_policy,
    views_queue,
    views_report,
    views_roster,
)

app_name = "governance"

urlpatterns: list = [
    # Dashboard, map, recompute
    path("", views.dashboard, name="dashboard"),
    path("recompute/", views.recompute, name="recompute"),
    path("map/", views.map_page, name="map"),
    path("map/data.json", views.map_data, name="map-data"),
    # The decision queue (the decisions are the registry's seat pages)
    path("nominations/", views_queue.queue, name="nomination-queue"),
    # The roster: seats with their attendance (its export is the registry's)
    path("roster/", views_roster.roster, name="roster"),
    # Meetings and attendance
    path("meetings/", views_meetings.meeting_list, name="meeting-list"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:meeting_id>/", views_meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:meeting_id>/edit/", views_meetings.meeting_update, name="meeting-update"),
    path("meetings/<int:meeting_id>/delete/", views_meetings.meeting_delete, name="meeting-delete"),
    path(
        "meetings/<int:meeting_id>/attendance/",
        views_meetings.meeting_attendance,
        name="meeting-attendance",
    ),
    # Scoring policy
    path("policy/", views_policy.policy_detail, name="policy"),
    path("policy/edit/", views_policy.policy_edit, name="policy-edit"),
    path("policy/reset/", views_policy.policy_reset, name="policy-reset"),
    # Report
    path("report/", views_report.report, name="report"),
    re_path(
        r"^findings/export\.(?P<fmt>csv|xlsx)$", views_exports.finding_export, name="finding-export"
    ),
    path("review/", views_report.review_page, name="review"),
]
