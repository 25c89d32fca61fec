"""One paginator rule for every list: a page number that is not a positive whole number
(`?page=0`, `?page=-3`, `?page=abc`) shows page 1; one past the end shows the last page.

Django's `Paginator.get_page` already turns "abc" into page 1, but it turns 0 into the
*last* page, which surprises anyone who edits the address.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator


def page_of(items, size: int, number: str | int | None) -> Page:
    try:
        wanted = int(number)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        wanted = 1
    return Paginator(items, size).get_page(max(wanted, 1))
