"""The CSV/XLSX export of the current findings (the latest assessment), at
`/findings/export.<fmt>`: governance's, like the findings it lists. The file is built
like the registry's exports (stakeholders.views.exports)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from governance import scoring, selectors
from stakeholders import spreadsheets
from stakeholders.views.exports import attachment


@require_GET
def finding_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The current findings (the latest snapshot's; none before it), filtered like /api/findings/
    (governance.filters.FindingFilterForm: severity, code, subject, text, read here
    to answer 400 with the export's page rather than the API's JSON)."""
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
    matching = selectors.finding_entries_latest(
        severity=query["severity"], code=query["code"], subject=query["subject"], text=query["q"]
    )
    # Read in chunks: the whole company's findings are tens of megabytes of dicts at once.
    findings = matching.values_list("data", flat=True).iterator(chunk_size=2000)
    return attachment(spreadsheets.findings_dataset(findings), fmt, "findings")
