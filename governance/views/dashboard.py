"""Pages of the governance app: the dashboard, the stakeholder map and its data."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from governance import scoring, selectors, services
from governance.models import Policy
from stakeholders import access
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
    # The generation first: what is read after it is at least as new (read_memo).
    generation = services.registry_generation()
    snapshot = selectors.snapshot_latest()
    if snapshot is None:
        if not Department.objects.exists():
            return render(request, "governance/dashboard_empty.html")
        # Never assessed yet. A read stores nothing: the background recompute (asked for
        # by every registry change, and by the periodic check) brings the first one, and
        # a lead may compute it at once with the POST button.
        context = {"is_lead": access.is_lead(request.user)}
        return render(request, "governance/dashboard_computing.html", context)
    severity = _filter_value(request, "severity", scoring.SEVERITIES)
    code = _filter_value(request, "code", selectors.snapshot_codes(snapshot))
    text = request.GET.get("q", "")[:100]
    shared = selectors.dashboard_shared(
        snapshot,
        generation=generation,
        today=timezone.localdate(),
        ending_soon_shown=ENDING_SOON_SHOWN,
        untaken_shown=UNTAKEN_SHOWN,
    )
    findings = (
        selectors.snapshot_findings_view(snapshot, severity=severity, code=code, text=text)
        if severity or code or text.strip()
        else shared.findings
    )
    if request.htmx and request.htmx.target == "findings":
        return render(request, "governance/_findings.html", {"findings": findings})
    is_head = request.user.is_department_head
    context = {
        "snapshot": snapshot,
        "stale": snapshot.registry_generation < generation,
        "components": selectors.components_view(
            snapshot.components, Policy.load(), snapshot.summary.get("explain")
        ),
        "findings": findings,
        "recommendations": shared.recommendations,
        "nominable": _nominable(request.user, shared.recommendations, is_head=is_head),
        "my_departments": selectors.headed_departments_view(request.user, snapshot)
        if is_head
        else [],
        "pending": shared.pending,
        "seated": shared.seated,
        "trend": shared.trend,
        "is_lead": access.is_lead(request.user),
        "handovers_open": shared.handovers_open,
        "ending_soon": shared.ending_soon,
        "handover_median_days": shared.handover_median_days,
        "untaken_meetings": shared.untaken_meetings,
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
