"""CSV and XLSX exports of the lists: departments, people, the roster, social accounts
and the current findings. Each export takes the same GET filters as the page that
lists the rows and exports every matching row (not one page of them).

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

from governance import scoring
from governance import selectors as governance_selectors
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
        representation=lambda: governance_selectors.representation_latest()[0],
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
    filters = SocialAccountFilterSet(
        request.GET,
        queryset=selectors.account_registry(),
        flagged=lambda: governance_selectors.account_flags_latest().flagged,
    )
    if not filters.is_valid():
        return refused(request, filters)
    return attachment(spreadsheets.accounts_dataset(filters.qs), fmt, "accounts")


@require_GET
def finding_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current findings (the latest assessment), filtered like /api/findings/
    (governance.filters.FindingFilterForm: severity, code, subject, text; the registry
    does not import it, so the export reads the same parameters here)."""
    query = {
        name: request.GET.get(name, "").strip() for name in ("severity", "code", "subject", "q")
    }
    problems = [
        f"{label}: {message}"
        for label, message, bad in (
            (
                "Severity",
                f"use one of {', '.join(scoring.SEVERITIES)}.",
                query["severity"] and query["severity"] not in scoring.SEVERITIES,
            ),
            ("Finding", "at most 64 characters.", len(query["code"]) > 64),
            ("Search", "at most 100 characters.", len(query["q"]) > 100),
        )
        if bad
    ]
    if problems:
        return render(
            request, "stakeholders/export_refused.html", {"problems": problems}, status=400
        )
    findings, _, _ = governance_selectors.assessment_latest()
    matching = governance_selectors.findings_matching(
        findings, severity=query["severity"], code=query["code"], text=query["q"]
    )
    if query["subject"]:
        matching = [f for f in matching if f["subject"] == query["subject"]]
    return attachment(spreadsheets.findings_dataset(matching), fmt, "findings")
