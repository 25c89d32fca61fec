"""One paginator rule for every list: a page number that is not a positive whole number
(`?page=0`, `?page=-3`, `?page=abc`) shows page 1; one past the end shows the last page.

Django's `Paginator.get_page` already turns "abc" into page 1, but it turns 0 into the
*last* page, which surprises anyone who edits the address.

The registry's lists count their rows up to a limit (LIST_COUNT_LIMIT): counting every
person or account of a large company costs a scan of the table on every page view,
and nobody pages through more than a few thousand rows -- they narrow the filters.
Above the limit a list says "more than 2,000" and offers the pages up to it.

Every list shows PAGE_SIZE rows a page; each list names it (PEOPLE_PAGE_SIZE, …) so a
test can shrink one list's pages.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

LIST_COUNT_LIMIT = 2000
# One page size for every list a person reads (the API's own default is in settings).
PAGE_SIZE = 25


class CappedPaginator(Paginator):
    """A paginator that counts at most `limit` + 1 rows; with more, `capped` and its
    pages (and `count`) stop at the limit."""

    def __init__(self, object_list, per_page, *, limit: int) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit

    @cached_property
    def counted(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # SELECT COUNT(*) FROM (SELECT id … LIMIT n): the database stops at n rows,
            # and computes none of the list's annotations.
            return self.object_list.order_by().values("pk")[: self.limit + 1].count()
        return min(len(self.object_list), self.limit + 1)

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.limit)

    @property
    def capped(self) -> bool:
        """More rows than the limit: the pages go up to the limit."""
        return self.counted > self.limit


def page_of(
    items,
    size: int,
    number: str | int | None,
    *,
    count_limit: int | None = None,
    count: int | None = None,
) -> Page:
    """The page `number` of `items`; `count`, when the caller knows how many there are,
    saves counting them."""
    try:
        wanted = int(number)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        wanted = 1
    if count_limit is None:
        paginator = Paginator(items, size)
    else:
        paginator = CappedPaginator(items, size, limit=count_limit)
    if count is not None:
        paginator.count = count  # Paginator.count is a cached property: this is its value
    return paginator.get_page(max(wanted, 1))
