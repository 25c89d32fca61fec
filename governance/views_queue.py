"""The decision queue (COE leads): pending nominations with what approving each would
do to the score. The decisions themselves are the registry's seat pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance import access, nomination_queue


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    access.require_lead(request.user)
    # Never assessed yet: the nominations show as computing (a read stores nothing; the
    # recompute comes from the background path or the dashboard's button).
    page = nomination_queue.nomination_queue(
        as_of=timezone.localdate(),
        snapshot=nomination_queue.queue_snapshot(),
        page_number=request.GET.get("page"),
    )
    return render(request, "governance/nomination_queue.html", {"queue": page})
