"""Editing the registry's structure: add, edit, archive and restore departments (COE
leads; a head edits a few fields of their own departments), and the stakeholder groups
page with its add and edit forms (COE leads).

Each view: the access helper, a form, one service, a message, a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from coe.pagination import PAGE_SIZE, page_of
from stakeholders import access, history, seat_selectors, selectors, services
from stakeholders.filters import StakeholderGroupFilterSet
from stakeholders.forms import DepartmentForm, StakeholderGroupForm, add_service_error, posted

GROUPS_PAGE_SIZE = PAGE_SIZE


# --- Departments -----------------------------------------------------------------------


def _department_form_page(request: HttpRequest, form: DepartmentForm, department=None):
    context = {
        "form": form,
        "department": department,
        "parent_suggestions": selectors.department_parent_suggestions(),
    }
    return render(request, "stakeholders/department_form.html", context)


@require_http_methods(["GET", "POST"])
def department_create(request: HttpRequest) -> HttpResponse:
    access.require_department_manager(request.user)
    initial = {"parent": request.GET["parent"]} if request.GET.get("parent") else None
    form = DepartmentForm(posted(request), editable=access.DEPARTMENT_FIELDS, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(actor=request.user, data=form.department_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Added {department.name} to the registry.")
            return redirect("stakeholders:department-detail", key=department.key)
    return _department_form_page(request, form)


@require_http_methods(["GET", "POST"])
def department_update(request: HttpRequest, key: str) -> HttpResponse:
    department = access.department_to_edit(request.user, key)
    editable = access.department_editable_fields(request.user, department)
    form = DepartmentForm(posted(request), department=department, editable=editable)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_update(
                actor=request.user, department=department, data=form.department_data()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Saved the changes to {department.name}.")
            return redirect("stakeholders:department-detail", key=department.key)
    return _department_form_page(request, form, department)


def _set_active(request: HttpRequest, key: str, *, archive: bool) -> HttpResponse:
    """GET: the confirmation page; POST: archive or restore, then back to the department."""
    department = access.department_to_edit(request.user, key, manage=True)
    if request.method == "POST":
        service = services.department_archive if archive else services.department_restore
        try:
            department = service(actor=request.user, department=department)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done = "Archived" if archive else "Restored"
            messages.success(request, f"{done} {department.name}.")
        return redirect("stakeholders:department-detail", key=department.key)
    context = {
        "department": department,
        "archive": archive,
        "open_seats": department.seats.open().count(),
        "active_children": department.children.filter(active=True).count(),
    }
    return render(request, "stakeholders/department_confirm.html", context)


@require_http_methods(["GET", "POST"])
def department_archive(request: HttpRequest, key: str) -> HttpResponse:
    return _set_active(request, key, archive=True)


@require_http_methods(["GET", "POST"])
def department_restore(request: HttpRequest, key: str) -> HttpResponse:
    return _set_active(request, key, archive=False)


# --- Stakeholder groups ------------------------------------------------------------------


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    filters = StakeholderGroupFilterSet(
        request.GET, queryset=selectors.group_directory(as_of=timezone.localdate())
    )
    context = {
        "page": page_of(filters.qs, GROUPS_PAGE_SIZE, request.GET.get("page")),
        "filters": filters,
        "can_manage": access.can_manage_groups(request.user),
    }
    return render(request, "stakeholders/group_list.html", context)


@require_GET
def group_detail(request: HttpRequest, key: str) -> HttpResponse:
    group = access.group_for_user(request.user, key)
    context = {
        "group": group,
        "seats": seat_selectors.group_seats(group),
        "timeline": history.group_timeline(group, limit=12),
        "can_act": access.can_nominate_for_groups(request.user),
        "can_manage": access.can_manage_groups(request.user),
    }
    return render(request, "stakeholders/group_detail.html", context)


@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    access.require_group_manager(request.user)
    form = StakeholderGroupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(actor=request.user, data=form.group_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Added the stakeholder group {group.name}.")
            return redirect("stakeholders:group-list")
    return render(request, "stakeholders/group_form.html", {"form": form, "group": None})


@require_http_methods(["GET", "POST"])
def group_update(request: HttpRequest, key: str) -> HttpResponse:
    group = access.group_to_edit(request.user, key)
    form = StakeholderGroupForm(posted(request), group=group)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_update(actor=request.user, group=group, data=form.group_data())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Saved the changes to {group.name}.")
            return redirect("stakeholders:group-list")
    return render(request, "stakeholders/group_form.html", {"form": form, "group": group})
