from django.urls import path, re_path

from stakeholders import (
    views,
    views_departments,
    views_exports,
    views_handovers,
    views_imports,
    views_people,
    views_seats,
)

app_name = "stakeholders"

urlpatterns: list = [
    # Account hand-overs
    path("handovers/", views_handovers.handover_list, name="handover-list"),
    path(
        "handovers/<int:handover_id>/close/",
        views_handovers.handover_close,
        name="handover-close",
    ),
    # Directory, department pages, social accounts (the roster page is governance's)
    path("departments/", views.department_list, name="department-list"),
    path("department-search.json", views_people.department_search, name="department-search"),
    # --- departments and stakeholder groups: add, edit, archive (before the detail page,
    # whose <key> would otherwise take "new")
    path("departments/new/", views_departments.department_create, name="department-create"),
    path("departments/mine/", views.department_mine, name="department-mine"),
    path(
        "departments/<slug:key>/edit/",
        views_departments.department_update,
        name="department-update",
    ),
    path(
        "departments/<slug:key>/archive/",
        views_departments.department_archive,
        name="department-archive",
    ),
    path(
        "departments/<slug:key>/restore/",
        views_departments.department_restore,
        name="department-restore",
    ),
    path("groups/", views_departments.group_list, name="group-list"),
    path("groups/new/", views_departments.group_create, name="group-create"),
    path("groups/<slug:key>/edit/", views_departments.group_update, name="group-update"),
    path("groups/<slug:key>/", views_departments.group_detail, name="group-detail"),
    # --- end of departments and stakeholder groups
    path("departments/<slug:key>/", views.department_detail, name="department-detail"),
    path("social/", views.account_list, name="account-list"),
    path("social/add/", views.account_create, name="account-create"),
    path("social/<int:pk>/edit/", views.account_update, name="account-update"),
    # Spreadsheet imports (COE leads) and exports of the lists
    path("imports/", views_imports.import_start, name="import-start"),
    path("imports/<int:batch_id>/", views_imports.import_detail, name="import-detail"),
    path("imports/<int:batch_id>/confirm/", views_imports.import_confirm, name="import-confirm"),
    re_path(
        r"^imports/template/(?P<kind>departments|people|accounts)\.(?P<fmt>csv|xlsx)$",
        views_imports.import_template,
        name="import-template",
    ),
    re_path(
        r"^departments/export\.(?P<fmt>csv|xlsx)$",
        views_exports.department_export,
        name="department-export",
    ),
    re_path(
        r"^people/export\.(?P<fmt>csv|xlsx)$", views_exports.person_export, name="person-export"
    ),
    re_path(
        r"^roster/export\.(?P<fmt>csv|xlsx)$", views_exports.roster_export, name="roster-export"
    ),
    re_path(
        r"^social/export\.(?P<fmt>csv|xlsx)$", views_exports.account_export, name="account-export"
    ),
    # Nominations, decisions and seats
    path("departments/<slug:key>/nominate/", views_seats.seat_nominate, name="seat-nominate"),
    path("groups/<slug:key>/nominate/", views_seats.group_nominate, name="group-nominate"),
    path("nominations/mine/", views_seats.nomination_mine, name="nomination-mine"),
    path("seats/<int:seat_id>/", views_seats.seat_detail, name="seat-detail"),
    path("seats/<int:seat_id>/approve/", views_seats.seat_approve, name="seat-approve"),
    path("seats/<int:seat_id>/decline/", views_seats.seat_decline, name="seat-decline"),
    path("seats/<int:seat_id>/withdraw/", views_seats.seat_withdraw, name="seat-withdraw"),
    path("seats/<int:seat_id>/end/", views_seats.seat_end, name="seat-end"),
    path("seats/<int:seat_id>/renew/", views_seats.seat_renew, name="seat-renew"),
    # --- people: directory, person pages, add / edit / leave / rejoin
    path("people/", views_people.person_list, name="person-list"),
    path("people/new/", views_people.person_create, name="person-create"),
    path("people/<int:person_id>/", views_people.person_detail, name="person-detail"),
    path("people/<int:person_id>/edit/", views_people.person_update, name="person-update"),
    path("people/<int:person_id>/leave/", views_people.person_leave, name="person-leave"),
    path("people/<int:person_id>/rejoin/", views_people.person_rejoin, name="person-rejoin"),
    # --- end of people
]
