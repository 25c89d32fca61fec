"""Filters of the API's lists: the list pages' own FilterSets (stakeholders.filters), so
`/api/people/?seated=yes` holds the people `/people/?seated=yes` lists. A value a filter
cannot read is a 400 naming the parameter (django-filter's backend).

The subclass here keeps the directory's sort orders to those the API's rows can take (the
page's counts are not columns of the API's query)."""

import django_filters

from governance.filters import MeetingFilterSet
from stakeholders import filters as registry
from stakeholders.selectors import DIRECTORY_SORTS

PersonFilter = registry.PersonFilterSet
SeatFilter = registry.SeatFilterSet
StakeholderGroupFilter = registry.StakeholderGroupFilterSet

API_SORTS = ("name", "-name", "-headcount", "headcount", "-influence")


class DepartmentFilter(registry.DepartmentFilterSet):
    sort = django_filters.ChoiceFilter(
        choices=[(key, DIRECTORY_SORTS[key][0]) for key in API_SORTS], method="order"
    )


SocialAccountFilter = registry.SocialAccountFilterSet


MeetingFilter = MeetingFilterSet
