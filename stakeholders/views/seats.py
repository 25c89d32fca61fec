"""Nominations, decisions and seats: nominate (heads, leads), the decision queue
(leads), approve / decline / end (leads), withdraw (the nominator or a lead).

Each view: the access helper, a form, one service, a message, a redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from stakeholders import access, forms, seat_selectors, services
from stakeholders.models import Department, Seat, StakeholderGroup


def _nominated_message(seat: Seat) -> str:
    person = seat.person
    reused = (
        f" {person.email} was already in the registry, so that record was used as it is."
        if getattr(seat, "person_reused", False)
        else ""
    )
    return f"Nominated {person.name} for {seat.constituency}; the COE leads will decide.{reused}"


def _nominate(
    request: HttpRequest,
    *,
    department: Department | None = None,
    group: StakeholderGroup | None = None,
) -> HttpResponse:
    people = seat_selectors.people_for_nomination(department=department, group=group)
    form = forms.NominationForm(
        forms.posted(request),
        people=people,
        suggested_email=request.GET.get("person", ""),
        suggested_role=request.GET.get("role", ""),
    )
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.seat_nominate(
                actor=request.user, department=department, group=group, **form.nomination()
            )
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, _nominated_message(seat))
            return redirect("stakeholders:seat-detail", seat_id=seat.pk)
    constituency = department or group
    return render(
        request,
        "stakeholders/seats/nominate.html",
        {"form": form, "constituency": constituency, "department": department, "group": group},
    )


@require_http_methods(["GET", "POST"])
def seat_nominate(request: HttpRequest, key: str) -> HttpResponse:
    department = access.department_for_user(request.user, key, write=True)
    return _nominate(request, department=department)


@require_http_methods(["GET", "POST"])
def group_nominate(request: HttpRequest, key: str) -> HttpResponse:
    group = access.group_for_user(request.user, key, write=True)
    return _nominate(request, group=group)


@require_GET
def nomination_mine(request: HttpRequest) -> HttpResponse:
    seats = seat_selectors.nominations_by(request.user)
    return render(request, "stakeholders/seats/mine.html", {"seats": seats})


@require_GET
def seat_detail(request: HttpRequest, seat_id: int) -> HttpResponse:
    seat = access.seat_for_user(request.user, seat_id)
    context = {
        "seat": seat,
        "history": seat.history.select_related("history_user").order_by("-history_date"),
        "actions": access.seat_actions(request.user, seat),
    }
    return render(request, "stakeholders/seats/detail.html", context)


@dataclass(frozen=True)
class _Action:
    access: str  # the action the access helper checks: decide, withdraw or end
    verb: str
    done: str
    form_class: type[django_forms.Form] | None
    service: Callable[..., Seat]
    back_to_queue: bool = False
    form_takes_seat: bool = False  # the form proposes values from the seat itself


APPROVE = _Action(
    "decide", "approve", "approved", forms.SeatApproveForm, services.seat_approve, True
)
DECLINE = _Action(
    "decide", "decline", "declined", forms.SeatDeclineForm, services.seat_decline, True
)
WITHDRAW = _Action("withdraw", "withdraw", "withdrawn", None, services.seat_withdraw)
END = _Action("end", "end", "ended", forms.SeatEndForm, services.seat_end)
RENEW = _Action(
    "end", "renew", "renewed", forms.SeatRenewForm, services.seat_renew, form_takes_seat=True
)


def _act(request: HttpRequest, seat_id: int, action: _Action) -> HttpResponse:
    """Every seat action: fetch through the access helper, validate, call the service,
    report. GET shows the seat with the action's form (a confirmation for withdraw)."""
    seat = access.seat_for_user(request.user, seat_id, action=action.access)
    form = None
    if action.form_class:
        extra = {"seat": seat} if action.form_takes_seat else {}
        form = action.form_class(forms.posted(request), **extra)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            seat = action.service(
                actor=request.user, seat=seat, **(form.cleaned_data if form else {})
            )
        except ValidationError as error:
            if form is None:  # nothing typed to keep: say why on the seat's page
                messages.error(request, " ".join(error.messages))
                return redirect("stakeholders:seat-detail", seat_id=seat.pk)
            forms.add_service_error(form, error)
        else:
            messages.success(request, f"{seat.person.name} for {seat.constituency}: {action.done}.")
            if action.back_to_queue:
                return redirect("governance:nomination-queue")
            return redirect("stakeholders:seat-detail", seat_id=seat.pk)
    return render(
        request, "stakeholders/seats/act.html", {"seat": seat, "form": form, "action": action}
    )


@require_http_methods(["GET", "POST"])
def seat_approve(request: HttpRequest, seat_id: int) -> HttpResponse:
    return _act(request, seat_id, APPROVE)


@require_http_methods(["GET", "POST"])
def seat_decline(request: HttpRequest, seat_id: int) -> HttpResponse:
    return _act(request, seat_id, DECLINE)


@require_http_methods(["GET", "POST"])
def seat_withdraw(request: HttpRequest, seat_id: int) -> HttpResponse:
    return _act(request, seat_id, WITHDRAW)


@require_http_methods(["GET", "POST"])
def seat_end(request: HttpRequest, seat_id: int) -> HttpResponse:
    return _act(request, seat_id, END)


@require_http_methods(["GET", "POST"])
def seat_renew(request: HttpRequest, seat_id: int) -> HttpResponse:
    return _act(request, seat_id, RENEW)
