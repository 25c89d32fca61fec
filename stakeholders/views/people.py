"""The people pages: the directory (`/people/`), a person's page, and the forms to add,
edit, mark as left and mark as back.

Each write view: the access helper, a form, one service, a message, a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from coe.pagination import LIST_COUNT_LIMIT, PAGE_SIZE, page_of
from stakeholders import access, forms, people_selectors, selectors, services
from stakeholders.filters import PersonFilterSet
from stakeholders.models import Person

PEOPLE_PAGE_SIZE = PAGE_SIZE


@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    as_of = timezone.localdate()
    filters = PersonFilterSet(
        request.GET,
        queryset=people_selectors.person_directory(as_of=as_of),
        as_of=as_of,
        tags=people_selectors.tag_choices(),
    )
    context = {
        "page": page_of(
            filters.qs, PEOPLE_PAGE_SIZE, request.GET.get("page"), count_limit=LIST_COUNT_LIMIT
        ),
        "filters": filters,
        "can_add": access.can_register_people(request.user),
    }
    return render(request, "stakeholders/people/list.html", context)


@require_GET
def department_search(request: HttpRequest) -> JsonResponse:
    """The department pickers' suggestions as the user types: `?q=` (up to 20)."""
    return JsonResponse({"results": people_selectors.department_search(request.GET.get("q", ""))})


@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access.person_for_user(request.user, person_id)
    context = {
        "person": person,
        "page": people_selectors.person_page(person, as_of=timezone.localdate()),
        "can_edit": access.can_edit_person(request.user, person),
        "timeline": selectors.person_timeline(person, limit=20),
    }
    return render(request, "stakeholders/people/detail.html", context)


def _person_form(request: HttpRequest, *, person: Person | None = None) -> forms.PersonForm:
    lead = access.is_lead(request.user)
    departments = selectors.account_owner_queryset(
        lead=lead,
        headed_ids=access.headed_department_ids(request.user),
        current=person.department if person is not None else None,
    )
    if person is not None:
        initial = forms.PersonForm.initial_for(person)
    else:
        initial = {"department": request.GET.get("department")}
    return forms.PersonForm(
        forms.posted(request),
        departments=departments,
        department_required=not lead,
        initial=initial,
    )


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    access.require_person_registrar(request.user)
    form = _person_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, details=form.details())
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, f"Added {person.name} to the registry.")
            return redirect("stakeholders:person-detail", person_id=person.pk)
    return render(request, "stakeholders/people/form.html", {"form": form, "person": None})


@require_http_methods(["GET", "POST"])
def person_update(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access.person_for_user(request.user, person_id, write=True)
    form = _person_form(request, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_update(
                actor=request.user, person=person, details=form.details()
            )
        except ValidationError as error:
            forms.add_service_error(form, error)
        else:
            messages.success(request, f"Saved the changes to {person.name}.")
            return redirect("stakeholders:person-detail", person_id=person.pk)
    return render(request, "stakeholders/people/form.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def person_leave(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access.person_for_user(request.user, person_id, write=True)
    form = forms.PersonLeaveForm(
        forms.posted(request), may_end_seats=access.can_decide_seats(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            leaving = services.person_leave(
                actor=request.user,
                person=person,
                end_seats=form.cleaned_data.get("end_seats", False),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("stakeholders:person-detail", person_id=person.pk)
        ended = len(leaving.ended_seats)
        also = f" and ended {ended} seat{'s' if ended != 1 else ''}" if ended else ""
        messages.success(request, f"Marked {person.name} as having left{also}.")
        return redirect("stakeholders:person-detail", person_id=person.pk)
    context = {
        "person": person,
        "form": form,
        "page": people_selectors.person_page(person, as_of=timezone.localdate()),
    }
    return render(request, "stakeholders/people/leave.html", context)


@require_http_methods(["GET", "POST"])
def person_rejoin(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access.person_for_user(request.user, person_id, write=True)
    if request.method == "POST":
        try:
            services.person_rejoin(actor=request.user, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{person.name} is back: marked as active again.")
        return redirect("stakeholders:person-detail", person_id=person.pk)
    return render(request, "stakeholders/people/rejoin.html", {"person": person})
