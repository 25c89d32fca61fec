"""The GET filters of the list pages (directory, people, social registry, roster), read once
here so a list page and its export hold exactly the same rows."""

from django.http import QueryDict

from stakeholders import people_selectors, selectors
from stakeholders.models import (
    AccountStatus,
    DepartmentKind,
    Function,
    Platform,
    SeatRole,
    Seniority,
)

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


# --- people


def person_filters(query: QueryDict) -> people_selectors.PersonFilters:
    return people_selectors.PersonFilters(
        q=text_param(query, "q"),
        department=text_param(query, "department", 64),
        subdepartments=query.get("sub") == "1",
        seniority=choice_param(query, "seniority", (*Seniority.values, "none")),
        active=choice_param(query, "active", ("0", "1")),
        tag=text_param(query, "tag", 64),
        seated=choice_param(query, "seated", ("yes", "no")),
    )
