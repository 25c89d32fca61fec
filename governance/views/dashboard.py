"""Pages of the governance app: the dashboard, the stakeholder map and its data."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from governance import meeting_selectors, scoring, selectors, services
from governance.models import Policy
from stakeholders import access, handovers, terms
from stakeholders.models import Department

# Past meetings without attendance named on the dashboard (the oldest first).
UNTAKEN_SHOWN = 5
# Seats whose term ends within 30 days, soonest first (the roster lists them all).
ENDING_SOON_SHOWN = 10


def _filter_value(request: HttpRequest, name: str, allowed) -> str:
    value = request.GET.get(name, "")
    return value if value in allowed else ""


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    snapshot = selectors.snapshot_latest()
    if snapshot is None:
        if not Department.objects.exists():
            return render(request, "governance/dashboard_empty.html")
        # Never assessed yet. A read stores nothing: the background recompute (asked for
        # by every registry change, and by the periodic check) brings the first one, and
        # a lead may compute it at once with the POST button.
        context = {"is_lead": access.is_lead(request.user)}
        return render(request, "governance/dashboard_computing.html", context)
    findings = selectors.snapshot_findings_view(
        snapshot,
        severity=_filter_value(request, "severity", scoring.SEVERITIES),
        code=_filter_value(request, "code", selectors.snapshot_codes(snapshot)),
        text=request.GET.get("q", "")[:100],
    )
    if request.htmx and request.htmx.target == "findings":
        return render(request, "governance/_findings.html", {"findings": findings})
    policy = Policy.load()
    recommendations = selectors.recommendations_view(snapshot.recommendations, with_pending=True)
    is_head = request.user.is_department_head
    context = {
        "snapshot": snapshot,
        "stale": selectors.snapshot_is_stale(snapshot),
        "components": selectors.components_view(
            snapshot.components, policy, snapshot.summary.get("explain")
        ),
        "findings": findings,
        "recommendations": recommendations,
        "nominable": _nominable(request.user, recommendations, is_head=is_head),
        "my_departments": selectors.headed_departments_view(request.user, snapshot)
        if is_head
        else [],
        "pending": selectors.pending_nominations_count(),
        "seated": selectors.snapshot_representation_summary(snapshot),
        "trend": selectors.snapshot_trend(),
        "is_lead": access.is_lead(request.user),
        "handovers_open": handovers.open_handovers().count(),
        "ending_soon": list(terms.seats_ending_soon(timezone.localdate())[:ENDING_SOON_SHOWN]),
        "handover_median_days": handovers.median_days_to_close(),
        "untaken_meetings": list(
            meeting_selectors.untaken_past_meetings(timezone.localdate())[:UNTAKEN_SHOWN]
        ),
    }
    return render(request, "governance/dashboard.html", context)


def _nominable(user, recommendations, *, is_head: bool) -> set[str]:
    """The keys of the recommended departments this user may nominate for: any for a
    lead, those in a head's reach for a head."""
    if access.is_lead(user):
        return {r.department for r in recommendations if r.exists}
    if not is_head:
        return set()
    headed = access.headed_department_ids(user)
    return {r.department for r in recommendations if r.department_id in headed}


@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    access.require_lead(request.user)
    previous = selectors.snapshot_latest()
    snapshot = services.snapshot_recompute()
    if previous is not None and previous.pk == snapshot.pk:
        messages.info(request, f"Nothing has changed: the score is still {snapshot.score:.1f}.")
    else:
        messages.success(request, f"Recomputed: the score is now {snapshot.score:.1f}.")
    return redirect("governance:dashboard")


def _map_root(request: HttpRequest) -> str:
    # `unit` is the filter's name (a business unit); `root` opens any branch.
    return request.GET.get("root") or request.GET.get("unit", "")


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    root = _map_root(request)
    try:
        view = selectors.map_page_view(root)
    except selectors.UnknownUnit:
        raise Http404("No such department on the map.") from None
    return render(request, "governance/map.html", {**view, "root": root})


@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    try:
        payload = selectors.map_payload(root=_map_root(request))
    except selectors.UnknownUnit:
        raise Http404("No such department on the map.") from None
    return JsonResponse(payload)
