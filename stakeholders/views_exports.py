"""CSV and XLSX exports of the lists: departments, people, the roster, social accounts
and the current findings. Each export takes the same GET filters as the page that
lists the rows and exports every matching row (not one page of them).

The filters are read into the list pages' own selector filter objects, so an export
holds exactly the rows the page shows; the cells are neutralised against formula
injection by stakeholders.spreadsheets.render.
"""

from __future__ import annotations

import tablib
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance import scoring
from governance import selectors as governance_selectors
from stakeholders import selectors, spreadsheets
from stakeholders.list_filters import (
    account_filters,
    choice_param,
    directory_filters,
    roster_filters,
    text_param,
)
from stakeholders.models import (
    Person,
    Seniority,
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
    """People (there is no people page: filter by department key, seniority, active, q)."""
    people = Person.objects.all()
    query = request.GET
    if department := text_param(query, "department", 64):
        people = people.filter(department__key=department)
    if seniority := choice_param(query, "seniority", Seniority.values):
        people = people.filter(seniority=seniority)
    if query.get("active") in ("0", "1"):
        people = people.filter(active=query["active"] == "1")
    if needle := text_param(query, "q").strip():
        people = people.filter(Q(name__icontains=needle) | Q(email__icontains=needle))
    return attachment(spreadsheets.people_dataset(people), fmt, "people")


@require_GET
def roster_export(request: HttpRequest, fmt: str) -> HttpResponse:
    seats = selectors.roster_seats(roster_filters(request.GET), as_of=timezone.localdate())
    return attachment(spreadsheets.roster_dataset(seats), fmt, "roster")


@require_GET
def account_export(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = account_filters(request.GET)
    flagged: set[str] = set()
    if filters.has_finding:
        findings, _, _ = governance_selectors.assessment_latest()
        flagged = set(selectors.account_finding_codes(findings))
    accounts = selectors.account_registry(filters, flagged_subjects=flagged)
    return attachment(spreadsheets.accounts_dataset(accounts), fmt, "accounts")


@require_GET
def finding_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current findings (the latest assessment), filtered like the dashboard's list:
    severity, code and a text search."""
    findings, _, _ = governance_selectors.assessment_latest()
    severity = choice_param(request.GET, "severity", scoring.SEVERITIES)
    code = text_param(request.GET, "code", 64)
    needle = text_param(request.GET, "q").strip().lower()
    matching = [
        f
        for f in findings
        if (not severity or f["severity"] == severity)
        and (not code or f["code"] == code)
        and (
            not needle
            or needle in f["message"].lower()
            or needle in f["subject"].lower()
            or needle in f.get("action", "").lower()
        )
    ]
    return attachment(spreadsheets.findings_dataset(matching), fmt, "findings")
