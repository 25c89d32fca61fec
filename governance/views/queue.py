"""The decision queue (COE leads): pending nominations with what approving each would
do to the score. The decisions themselves are the registry's seat pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance import access, nomination_queue
from stakeholders.filters import SeatFilterSet


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    access.require_lead(request.user)
    # Never assessed yet: the nominations show as computing (a read stores nothing; the
    # recompute comes from the background path or the dashboard's button).
    filters = SeatFilterSet(request.GET, queryset=nomination_queue.pending_seats())
    page = nomination_queue.nomination_queue_remembered(
        as_of=timezone.localdate(), page_number=request.GET.get("page"), filters=filters
    )
    context = {"queue": page, "filters": filters}
    return render(request, "governance/nomination_queue.html", context)
