"""The main pages weigh the same and run the same queries whatever the company's size
(issue 15): lists are paginated, pickers search as you type, and the assessment's pages
read the stored snapshot. Timings are measured by bench/load.py, not here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance import services as governance_services
from governance.models import Meeting

# Under a tenth of the 1 MB that no response may exceed at 20,000 departments.
MAX_BYTES = 100_000
MAIN_PAGES = [
    "/",
    "/departments/",
    "/people/",
    "/social/",
    "/roster/",
    "/nominations/",
    "/meetings/",
    "/report/",
    "/api/assessment/",
]
# Lists whose first page is full at both sizes below: their weight must not grow.
FULL_LISTS = ["/departments/", "/people/", "/social/"]


def measure(client) -> dict[str, tuple[int, int]]:
    """(bytes, queries) of each main page, after a first request that warms the caches."""
    sizes = {}
    latest = Meeting.objects.order_by("-date", "-pk").first()
    for template in MAIN_PAGES:
        path = template.format(latest_meeting=latest.pk)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        sizes[template] = (len(response.content), len(queries))
    return sizes


@pytest.fixture
def company_of(make_company):
    def build(units: int, prefix: str) -> None:
        make_company(units=units, teams=3, prefix=prefix)
        governance_services.meeting_counts_backfill()
        governance_services.snapshot_take()

    return build


def test_main_pages_keep_their_weight_and_queries_as_the_company_grows(
    client_for, lead, company_of
):
    company_of(25, "small")  # 100 departments and people, 100 accounts
    client = client_for(lead)
    small = measure(client)
    company_of(50, "large")  # three times as many (a second company beside the first)
    large = measure(client)
    for path in MAIN_PAGES:
        assert large[path][0] <= MAX_BYTES, (path, large[path])
        assert large[path][1] == small[path][1], (path, small[path], large[path])
    for path in FULL_LISTS:
        assert large[path][0] <= small[path][0] * 1.1, (path, small[path], large[path])
