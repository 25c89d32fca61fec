"""Meetings and attendance: everyone signed in reads, COE leads create meetings and tick
who was present, on the meeting's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import access, forms, meeting_selectors, services
from governance.filters import AttendanceFilterSet, MeetingFilterSet
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


def _detail(
    request: HttpRequest, meeting, form: forms.AttendanceForm | None = None
) -> HttpResponse:
    """The meeting's page: its figures and one page of its people (filtered), as the
    attendance form for a lead once the meeting has happened, else as a list."""
    # The generation first: what is read after it is at least as new (read_memo).
    generation = services.registry_generation()
    everyone = meeting_selectors.expected_person_ids(meeting, generation=generation)
    filters = AttendanceFilterSet(
        request.GET, queryset=meeting_selectors.meeting_people(meeting), meeting=meeting
    )
    number = request.GET.get("page")
    page = (
        meeting_selectors.attendance_page(meeting, filters.qs, number)
        if filters.is_set
        else meeting_selectors.attendance_page_of_ids(meeting, everyone, number)
    )
    expected = len(everyone)
    can_manage = access.can_manage_meetings(request.user)
    can_take = can_manage and not meeting_selectors.is_future(meeting)
    context = {
        "meeting": meeting,
        "page": page,
        "filters": filters,
        "figures": meeting_selectors.meeting_figures(meeting, expected=expected),
        "form": (form or forms.AttendanceForm()).show(page.object_list) if can_take else None,
        "can_manage": can_manage,
        "today": timezone.localdate(),
    }
    return render(request, "governance/meetings/detail.html", context)


@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, meeting_id)
    return _detail(request, meeting)


@require_POST
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Save one page of the attendance form: its people only (the query string keeps the
    page and the filters, to come back to them)."""
    meeting = access.meeting_for_user(request.user, meeting_id, write=True)
    form = forms.AttendanceForm(request.POST)
    if form.is_valid():
        shown = set(form.cleaned_data["shown"])
        try:
            services.attendance_record(
                actor=request.user,
                meeting=meeting,
                present=form.cleaned_data["present"],
                among=shown,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            people = f"{len(shown)} {'person' if len(shown) == 1 else 'people'}"
            messages.success(request, f"Attendance of {meeting} saved for {people}.")
            return redirect(_detail_url(meeting, request.GET))
    return _detail(request, meeting, form)


def _detail_url(meeting, query: QueryDict) -> str:
    url = reverse("governance:meeting-detail", args=[meeting.pk])
    if query.get("show") == "unrecorded":
        # The saved people have left that list: the same page number would skip as
        # many of those still to record. The first page holds the next ones.
        query = query.copy()
        query.pop("page", None)
    return f"{url}?{query.urlencode()}" if query else url
