"""Meetings and attendance: everyone signed in reads, COE leads create meetings and tick
who was present, on the meeting's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access, forms, meeting_selectors, services
from governance.filters import MeetingFilterSet
from stakeholders.forms import add_service_error, posted


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    filters = MeetingFilterSet(request.GET, queryset=meeting_selectors.meeting_list())
    context = {
        "page": meeting_selectors.meeting_page(filters.qs, request.GET.get("page")),
        "filters": filters,
        "can_manage": access.can_manage_meetings(request.user),
    }
    return render(request, "governance/meetings/list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    access.require_lead(request.user)
    form = forms.MeetingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Created {meeting}. Tick who was present below.")
            return redirect("governance:meeting-detail", meeting_id=meeting.pk)
    return render(request, "governance/meetings/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def meeting_update(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, meeting_id, write=True)
    initial = {"date": meeting.date, "title": meeting.title, "notes": meeting.notes}
    form = forms.MeetingForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_update(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Saved {meeting}.")
            return redirect("governance:meeting-detail", meeting_id=meeting.pk)
    return render(request, "governance/meetings/form.html", {"form": form, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, meeting_id, write=True)
    if request.method == "POST":
        services.meeting_delete(actor=request.user, meeting=meeting)
        messages.success(request, f"Deleted {meeting} and its attendance.")
        return redirect("governance:meeting-list")
    recorded = meeting.attendance.count()
    return render(
        request,
        "governance/meetings/delete.html",
        {"meeting": meeting, "recorded": recorded},
    )


def _detail(request: HttpRequest, meeting, form: forms.AttendanceForm | None, expected):
    context = {
        "meeting": meeting,
        "expected": expected,
        "form": form,
        "present_count": sum(1 for entry in expected if entry.present),
        "taken": any(entry.recorded for entry in expected) or meeting_selectors.is_taken(meeting),
        "can_manage": access.can_manage_meetings(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "governance/meetings/detail.html", context)


@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, meeting_id)
    expected = meeting_selectors.meeting_expected_people(meeting)
    can_take = access.can_manage_meetings(request.user) and not meeting_selectors.is_future(meeting)
    form = forms.AttendanceForm(expected=expected) if can_take else None
    return _detail(request, meeting, form, expected)


@require_POST
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, meeting_id, write=True)
    expected = meeting_selectors.meeting_expected_people(meeting)
    form = forms.AttendanceForm(request.POST, expected=expected)
    if form.is_valid():
        try:
            services.attendance_record(
                actor=request.user, meeting=meeting, present=form.cleaned_data["present"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Attendance of {meeting} saved.")
            return redirect("governance:meeting-detail", meeting_id=meeting.pk)
    return _detail(request, meeting, form, expected)
