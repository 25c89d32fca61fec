from django.urls import path, re_path

from stakeholders.views import departments, directory, exports, handovers, imports, people, seats

app_name = "stakeholders"

urlpatterns: list = [
    # Account hand-overs
    path("handovers/", handovers.handover_list, name="handover-list"),
    path(
        "handovers/<int:handover_id>/close/",
        handovers.handover_close,
        name="handover-close",
    ),
    # Directory, department pages, social accounts (the roster page is governance's)
    path("departments/", directory.department_list, name="department-list"),
    path("department-search.json", people.department_search, name="department-search"),
    # --- departments and stakeholder groups: add, edit, archive (before the detail page,
    # whose <key> would otherwise take "new")
    path("departments/new/", departments.department_create, name="department-create"),
    path("departments/mine/", directory.department_mine, name="department-mine"),
    path(
        "departments/<slug:key>/edit/",
        departments.department_update,
        name="department-update",
    ),
    path(
        "departments/<slug:key>/archive/",
        departments.department_archive,
        name="department-archive",
    ),
    path(
        "departments/<slug:key>/restore/",
        departments.department_restore,
        name="department-restore",
    ),
    path("groups/", departments.group_list, name="group-list"),
    path("groups/new/", departments.group_create, name="group-create"),
    path("groups/<slug:key>/edit/", departments.group_update, name="group-update"),
    path("groups/<slug:key>/", departments.group_detail, name="group-detail"),
    # --- end of departments and stakeholder groups
    path("departments/<slug:key>/", directory.department_detail, name="department-detail"),
    path("social/", directory.account_list, name="account-list"),
    path("social/add/", directory.account_create, name="account-create"),
    path("social/<int:pk>/edit/", directory.account_update, name="account-update"),
    # Spreadsheet imports (COE leads) and exports of the lists
    path("imports/", imports.import_start, name="import-start"),
    path("imports/<int:batch_id>/", imports.import_detail, name="import-detail"),
    path("imports/<int:batch_id>/confirm/", imports.import_confirm, name="import-confirm"),
    re_path(
        r"^imports/template/(?P<kind>departments|people|accounts)\.(?P<fmt>csv|xlsx)$",
        imports.import_template,
        name="import-template",
    ),
    re_path(
        r"^departments/export\.(?P<fmt>csv|xlsx)$",
        exports.department_export,
        name="department-export",
    ),
    re_path(r"^people/export\.(?P<fmt>csv|xlsx)$", exports.person_export, name="person-export"),
    re_path(r"^roster/export\.(?P<fmt>csv|xlsx)$", exports.roster_export, name="roster-export"),
    re_path(r"^social/export\.(?P<fmt>csv|xlsx)$", exports.account_export, name="account-export"),
    # Nominations, decisions and seats
    path("departments/<slug:key>/nominate/", seats.seat_nominate, name="seat-nominate"),
    path("groups/<slug:key>/nominate/", seats.group_nominate, name="group-nominate"),
    path("nominations/mine/", seats.nomination_mine, name="nomination-mine"),
    path("seats/<int:seat_id>/", seats.seat_detail, name="seat-detail"),
    path("seats/<int:seat_id>/approve/", seats.seat_approve, name="seat-approve"),
    path("seats/<int:seat_id>/decline/", seats.seat_decline, name="seat-decline"),
    path("seats/<int:seat_id>/withdraw/", seats.seat_withdraw, name="seat-withdraw"),
    path("seats/<int:seat_id>/end/", seats.seat_end, name="seat-end"),
    path("seats/<int:seat_id>/renew/", seats.seat_renew, name="seat-renew"),
    # --- people: directory, person pages, add / edit / leave / rejoin
    path("people/", people.person_list, name="person-list"),
    path("people/new/", people.person_create, name="person-create"),
    path("people/<int:person_id>/", people.person_detail, name="person-detail"),
    path("people/<int:person_id>/edit/", people.person_update, name="person-update"),
    path("people/<int:person_id>/leave/", people.person_leave, name="person-leave"),
    path("people/<int:person_id>/rejoin/", people.person_rejoin, name="person-rejoin"),
    # --- end of people
]
