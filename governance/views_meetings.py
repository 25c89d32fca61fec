"""Meetings and attendance: everyone signed in reads, COE leads create meetings and tick
who was present, on the meeting's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import forms, meeting_selectors, services
from stakeholders import access
from stakeholders.forms import add_service_error, posted


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    page = meeting_selectors.meeting_page(request.GET.get("page"))
    context = {"page": page, "can_manage": access.can_manage_meetings(request.user)}
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


def _detail(request: HttpRequest, meeting, form: forms.AttendanceForm | None, expected):
    context = {
        "meeting": meeting,
        "expected": expected,
        "form": form,
        "present_count": sum(1 for entry in expected if entry.present),
    }
    return render(request, "governance/meetings/detail.html", context)


@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, meeting_id)
    expected = meeting_selectors.meeting_expected_people(meeting)
    form = (
        forms.AttendanceForm(expected=expected)
        if access.can_manage_meetings(request.user)
        else None
    )
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
