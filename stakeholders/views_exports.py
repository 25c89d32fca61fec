"""CSV and XLSX exports of the lists: departments, people, the roster, social accounts
and the current findings. Each export takes the same GET filters as the page that
lists the rows and exports every matching row (not one page of them).

The filters are read into the list pages' own selector filter objects, so an export
holds exactly the rows the page shows; the cells are neutralised against formula
injection by stakeholders.spreadsheets.render.
"""

from __future__ import annotations

import tablib
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance import scoring
from governance import selectors as governance_selectors
from stakeholders import people_selectors, selectors, spreadsheets
from stakeholders.list_filters import (
    account_filters,
    choice_param,
    directory_filters,
    person_filters,
    roster_filters,
    text_param,
)


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
    filters = directory_filters(request.GET)
    representation = {}
    if filters.representation:
        representation, _ = governance_selectors.representation_latest()
    departments = selectors.department_directory(
        filters, representation=representation, as_of=timezone.localdate()
    )
    return attachment(spreadsheets.departments_dataset(departments), fmt, "departments")


@require_GET
def person_export(request: HttpRequest, fmt: str) -> HttpResponse:
    people = people_selectors.person_directory(
        person_filters(request.GET), as_of=timezone.localdate()
    )
    return attachment(spreadsheets.people_dataset(people), fmt, "people")


@require_GET
def roster_export(request: HttpRequest, fmt: str) -> HttpResponse:
    seats = selectors.roster_seats(roster_filters(request.GET), as_of=timezone.localdate())
    return attachment(spreadsheets.roster_dataset(seats), fmt, "roster")


@require_GET
def account_export(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = account_filters(request.GET)
    flagged = governance_selectors.account_flags_latest().flagged if filters.has_finding else set()
    accounts = selectors.account_registry(filters, flagged_subjects=flagged)
    return attachment(spreadsheets.accounts_dataset(accounts), fmt, "accounts")


@require_GET
def finding_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current findings (the latest assessment), filtered like the dashboard's list:
    severity, code and a text search."""
    findings, _, _ = governance_selectors.assessment_latest()
    severity = choice_param(request.GET, "severity", scoring.SEVERITIES)
    matching = governance_selectors.findings_matching(
        findings,
        severity=severity,
        code=text_param(request.GET, "code", 64),
        text=text_param(request.GET, "q"),
    )
    return attachment(spreadsheets.findings_dataset(matching), fmt, "findings")
