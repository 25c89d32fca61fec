"""Account hand-overs: everyone signed in sees them; leads and the head of the owning
department close them by naming successors and confirming the keys changed hands."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from stakeholders import access, handovers
from stakeholders.forms import HandoverCloseForm, add_service_error, posted

RECENTLY_CLOSED_SHOWN = 50


@require_GET
def handover_list(request: HttpRequest) -> HttpResponse:
    context = {
        "open": list(handovers.open_handovers()),
        "closed": list(handovers.recently_closed_handovers()[:RECENTLY_CLOSED_SHOWN]),
        "median_days": handovers.median_days_to_close(),
        "window_days": handovers.CLOSE_WINDOW_DAYS,
    }
    return render(request, "stakeholders/handovers/list.html", context)


@require_http_methods(["GET", "POST"])
def handover_close(request: HttpRequest, handover_id: int) -> HttpResponse:
    handover = access.handover_for_user(request.user, handover_id, write=True)
    form = HandoverCloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            handovers.handover_close(
                actor=request.user,
                handover=handover,
                successors=form.cleaned_data["successors"],
                access_removed=form.cleaned_data["access_removed"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Hand-over of {handover.account} closed.")
            return redirect("stakeholders:handover-list")
    context = {"handover": handover, "form": form}
    return render(request, "stakeholders/handovers/close.html", context)
