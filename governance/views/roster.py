"""The roster (`/roster/`): current seats in the latest snapshot's stored order, each
with its attendance, the recent meetings and the terms ending soon.

Governance's page: it reads meetings, attendance and the stored roster. Its export
(`/roster/export.<fmt>`) lists the registry's seats only and stays the registry's.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from governance import roster as roster_selectors
from governance import selectors, services
from stakeholders import selectors as registry_selectors
from stakeholders.filters import SeatFilterSet


@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    as_of = timezone.localdate()
    filters = SeatFilterSet(
        request.GET, queryset=registry_selectors.roster_seats(as_of=as_of), as_of=as_of
    )
    number = request.GET.get("page")
    # The generation first: what is read after it is at least as new (read_memo).
    generation = services.registry_generation()
    # The latest snapshot's roster, in order, while it is current (in the seconds after
    # a change, until its recompute is stored, the seats are sorted live).
    stored = selectors.roster_stored(as_of, generation=generation)
    page, rows = roster_selectors.roster_rows(
        filters, stored=stored, page_number=number, as_of=as_of, generation=generation
    )
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "summary": registry_selectors.roster_summary(
            as_of=as_of, stored=stored.counts if stored is not None else None
        ),
        **roster_selectors.roster_shared(as_of=as_of, generation=generation),
    }
    return render(request, "governance/roster.html", context)
