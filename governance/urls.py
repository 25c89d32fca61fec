from django.urls import path, re_path

from governance.views import dashboard, exports, meetings, policy, queue, report, roster

app_name = "governance"

urlpatterns: list = [
    # Dashboard, map, recompute
    path("", dashboard.dashboard, name="dashboard"),
    path("recompute/", dashboard.recompute, name="recompute"),
    path("map/", dashboard.map_page, name="map"),
    path("map/data.json", dashboard.map_data, name="map-data"),
    # The decision queue (the decisions are the registry's seat pages)
    path("nominations/", queue.queue, name="nomination-queue"),
    # The roster: seats with their attendance (its export is the registry's)
    path("roster/", roster.roster, name="roster"),
    # Meetings and attendance
    path("meetings/", meetings.meeting_list, name="meeting-list"),
    path("meetings/new/", meetings.meeting_create, name="meeting-create"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting-detail"),
    path("meetings/<int:meeting_id>/edit/", meetings.meeting_update, name="meeting-update"),
    path("meetings/<int:meeting_id>/delete/", meetings.meeting_delete, name="meeting-delete"),
    path(
        "meetings/<int:meeting_id>/attendance/",
        meetings.meeting_attendance,
        name="meeting-attendance",
    ),
    # Scoring policy
    path("policy/", policy.policy_detail, name="policy"),
    path("policy/edit/", policy.policy_edit, name="policy-edit"),
    path("policy/reset/", policy.policy_reset, name="policy-reset"),
    # Report
    path("report/", report.report, name="report"),
    re_path(r"^findings/export\.(?P<fmt>csv|xlsx)$", exports.finding_export, name="finding-export"),
    path("review/", report.review_page, name="review"),
]
