"""CSV and XLSX exports of the lists: departments, people, the roster and social
accounts (the current findings' export is governance's: governance/views/exports.py).
Each export takes the same GET filters as the page that lists the rows and exports
every matching row (not one page of them).

The filters are the list pages' own FilterSets (stakeholders.filters), so an export
holds exactly the rows the page shows; the cells are neutralised against formula
injection by stakeholders.spreadsheets.render.
"""

from __future__ import annotations

import tablib
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from stakeholders import people_selectors, selectors, spreadsheets
from stakeholders.filters import (
    DepartmentFilterSet,
    ListFilterSet,
    PersonFilterSet,
    SeatFilterSet,
    SocialAccountFilterSet,
)


def refused(request: HttpRequest, filters: ListFilterSet) -> HttpResponse:
    """A filter the export cannot read: 400 naming it, rather than a file holding rows
    the page would not show."""
    context = {"problems": filters.problems}
    return render(request, "stakeholders/export_refused.html", context, status=400)


def attachment(dataset: tablib.Dataset, fmt: str, name: str) -> HttpResponse:
    """The dataset as a download named roundtable-<name>-<date>.<fmt>."""
    response = HttpResponse(
        spreadsheets.render(dataset, fmt), content_type=spreadsheets.FORMATS[fmt]
    )
    filename = f"roundtable-{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- views ------------------------------------------------------------------------------


@require_GET
def department_export(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = DepartmentFilterSet(
        request.GET,
        queryset=selectors.department_directory(as_of=timezone.localdate()),
    )
    if not filters.is_valid():
        return refused(request, filters)
    return attachment(spreadsheets.departments_dataset(filters.qs), fmt, "departments")


@require_GET
def person_export(request: HttpRequest, fmt: str) -> HttpResponse:
    as_of = timezone.localdate()
    filters = PersonFilterSet(
        request.GET, queryset=people_selectors.person_directory(as_of=as_of), as_of=as_of
    )
    if not filters.is_valid():
        return refused(request, filters)
    return attachment(spreadsheets.people_dataset(filters.qs), fmt, "people")


@require_GET
def roster_export(request: HttpRequest, fmt: str) -> HttpResponse:
    as_of = timezone.localdate()
    filters = SeatFilterSet(request.GET, queryset=selectors.roster_seats(as_of=as_of), as_of=as_of)
    if not filters.is_valid():
        return refused(request, filters)
    return attachment(spreadsheets.roster_dataset(filters.qs), fmt, "roster")


@require_GET
def account_export(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = SocialAccountFilterSet(request.GET, queryset=selectors.account_registry())
    if not filters.is_valid():
        return refused(request, filters)
    return attachment(spreadsheets.accounts_dataset(filters.qs), fmt, "accounts")
