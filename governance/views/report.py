"""The printable inclusion report: score, grade, components, findings and next best
seats on one page, for a quarterly review (print CSS for A4 and Letter)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance import forms, review, scoring, selectors, services
from governance.models import Policy
from stakeholders.models import Department

REPORT_FINDINGS = 10  # what fits on the page next to the rest; the export has them all


def _stored(snapshot) -> dict:
    # The findings stay unread (a list that grows with the company) when the summary
    # has what the page shows.
    findings = None if snapshot.summary else snapshot.findings
    return {
        "as_of": snapshot.as_of,
        "assessed_at": snapshot.created_at,
        "score": snapshot.score,
        "grade": snapshot.grade,
        "components": snapshot.components,
        "findings": findings,
        "summary": snapshot.summary,
        "snapshot": snapshot,
        "org_model": snapshot.org_model,
        "org_model_reason": snapshot.org_model_reason,
        "explain": (snapshot.summary or {}).get("explain"),
        "recommendations": snapshot.recommendations,
        "projected_score": snapshot.projected_score,
    }


def _assessment(as_of: datetime.date | None) -> dict:
    """With a date, the snapshot stored on or before it (review.NoSnapshot if none):
    the past as it was judged then, not today's registry judged with a past date.
    Without, the latest snapshot when it is current, else a live assessment (a read:
    not stored)."""
    if as_of is not None:
        return _stored(review.snapshot_on_or_before(as_of))
    snapshot = selectors.snapshot_latest()
    if snapshot is not None and not selectors.snapshot_is_stale(snapshot):
        return _stored(snapshot)
    assessment = services.assessment_compute(as_of=as_of or timezone.localdate())
    return {
        **scoring.assessment_to_dict(assessment),
        "explain": assessment.explain,
        "as_of": assessment.as_of,
        "assessed_at": timezone.now(),
    }


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("as_of", "").strip()
    as_of = None
    if raw:
        try:
            as_of = datetime.date.fromisoformat(raw)
        except ValueError:
            return HttpResponseBadRequest("as_of must be a date written YYYY-MM-DD.")
    if not Department.objects.exists():
        return render(request, "governance/report.html", {"empty": True})
    try:
        result = _assessment(as_of)
    except review.NoSnapshot as error:
        context = {"no_snapshot": str(error), "as_of_param": raw}
        return render(request, "governance/report.html", context)
    if result.get("snapshot") is not None:
        shown = selectors.snapshot_findings_view(result["snapshot"])
    else:
        shown = selectors.findings_view(result["findings"])
    top = [row for group in shown.groups for row in group.rows][:REPORT_FINDINGS]
    context = {
        "result": result,
        "components": selectors.components_view(
            result["components"], Policy.load(), result.get("explain")
        ),
        "findings_total": shown.total,
        "by_severity": shown.by_severity,
        "top_findings": top,
        "recommendations": selectors.recommendations_view(result["recommendations"]),
        "as_of_param": raw,
    }
    return render(request, "governance/report.html", context)


@require_GET
def review_page(request: HttpRequest) -> HttpResponse:
    """Two stored snapshots side by side: `?from=YYYY-MM-DD&to=YYYY-MM-DD`."""
    form = forms.ReviewForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_bound and form.is_valid():
        try:
            context["review"] = review.review_between(
                form.cleaned_data["from"], form.cleaned_data["to"]
            )
        except review.NoSnapshot as error:
            context["no_snapshot"] = str(error)
    return render(request, "governance/review.html", context)
