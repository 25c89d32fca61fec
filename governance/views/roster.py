"""The roster (`/roster/`): current seats in the latest snapshot's stored order, each
with its attendance, the recent meetings and the terms ending soon.

Governance's page: it reads meetings, attendance and the stored roster. Its export
(`/roster/export.<fmt>`) lists the registry's seats only and stays the registry's.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from coe.pagination import LIST_COUNT_LIMIT, PAGE_SIZE, page_of
from governance import roster as roster_selectors
from governance import selectors, services
from stakeholders import selectors as registry_selectors
from stakeholders.filters import SeatFilterSet

ROSTER_PAGE_SIZE = PAGE_SIZE


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
    if stored is not None:
        entries = roster_selectors.roster_entries(filters, snapshot_id=stored.snapshot_id)
        page = page_of(entries, ROSTER_PAGE_SIZE, number, count_limit=LIST_COUNT_LIMIT)
        page.object_list = roster_selectors.roster_page_seats(list(page.object_list))
    else:
        page = page_of(filters.qs, ROSTER_PAGE_SIZE, number, count_limit=LIST_COUNT_LIMIT)
    seats = list(page.object_list)
    attendance = roster_selectors.seat_attendance(seats, as_of=as_of)
    context = {
        "page": page,
        "rows": [(seat, *attendance[seat.pk]) for seat in seats],
        "filters": filters,
        "summary": registry_selectors.roster_summary(
            as_of=as_of, stored=stored.counts if stored is not None else None
        ),
        **roster_selectors.roster_shared(as_of=as_of, generation=generation),
    }
    return render(request, "governance/roster.html", context)
