"""Filters of the API's lists: the list pages' own FilterSets (stakeholders.filters), so
`/api/people/?seated=yes` holds the people `/people/?seated=yes` lists. A value a filter
cannot read is a 400 naming the parameter (django-filter's backend).

The subclasses here give the filters that need the latest assessment their reader (the
registry does not import governance), and keep the directory's sort orders to those the
API's rows can take (the page's counts are not columns of the API's query)."""

import django_filters

from governance import selectors as governance_selectors
from governance.filters import MeetingFilterSet
from stakeholders import filters as registry
from stakeholders.selectors import DIRECTORY_SORTS

PersonFilter = registry.PersonFilterSet
SeatFilter = registry.SeatFilterSet
StakeholderGroupFilter = registry.StakeholderGroupFilterSet

API_SORTS = ("name", "-name", "-headcount", "headcount", "-influence")


def _representation() -> dict[str, str]:
    return governance_selectors.representation_latest()[0]


def _flagged():
    return governance_selectors.account_flags_latest().flagged


class DepartmentFilter(registry.DepartmentFilterSet):
    sort = django_filters.ChoiceFilter(
        choices=[(key, DIRECTORY_SORTS[key][0]) for key in API_SORTS], method="order"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("representation", _representation)
        super().__init__(*args, **kwargs)


class SocialAccountFilter(registry.SocialAccountFilterSet):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("flagged", _flagged)
        super().__init__(*args, **kwargs)


MeetingFilter = MeetingFilterSet
