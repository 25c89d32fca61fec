"""The GET filters of the list pages (directory, social registry, roster), read once
here so a list page and its export hold exactly the same rows."""

from django.http import QueryDict

from stakeholders import selectors
from stakeholders.models import AccountStatus, DepartmentKind, Function, Platform, SeatRole

REPRESENTATIONS = ("direct", "proxy", "none")


def choice_param(query: QueryDict, name: str, allowed) -> str:
    value = query.get(name, "")
    return value if value in allowed else ""


def text_param(query: QueryDict, name: str, limit: int = 100) -> str:
    return query.get(name, "")[:limit]


def directory_filters(query: QueryDict) -> selectors.DirectoryFilters:
    return selectors.DirectoryFilters(
        q=text_param(query, "q"),
        function=choice_param(query, "function", Function.values),
        kind=choice_param(query, "kind", DepartmentKind.values),
        representation=choice_param(query, "representation", REPRESENTATIONS),
        has_accounts=choice_param(query, "accounts", ("yes", "no")),
        archived=query.get("archived") == "1",
        sort=choice_param(query, "sort", selectors.DIRECTORY_SORTS) or "name",
    )


def account_filters(query: QueryDict) -> selectors.AccountFilters:
    return selectors.AccountFilters(
        q=text_param(query, "q"),
        platform=choice_param(query, "platform", Platform.values),
        status=choice_param(query, "status", AccountStatus.values),
        owner=text_param(query, "owner", 64),
        has_finding=choice_param(query, "finding", ("yes", "no")),
    )


def roster_filters(query: QueryDict) -> selectors.RosterFilters:
    return selectors.RosterFilters(
        q=text_param(query, "q"),
        role=choice_param(query, "role", SeatRole.values),
        constituency=choice_param(query, "constituency", ("department", "group")),
    )
