"""The filters of the meetings list, written once (a django-filter FilterSet) for the
meetings page and the API's /api/meetings/ (see stakeholders.filters for the registry's
lists and the rules they share)."""

from __future__ import annotations

import django_filters
from django import forms

from governance.models import Meeting
from stakeholders.filters import ListFilterSet, SearchFilter


class DateInput(forms.DateInput):
    input_type = "date"


class MeetingFilterSet(ListFilterSet):
    """`date_after` / `date_before` (YYYY-MM-DD, both days included) and text in the title."""

    q = SearchFilter(field_name="title", lookup_expr="icontains", placeholder="Title")
    date_after = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label="From",
        widget=DateInput(format="%Y-%m-%d"),
    )
    date_before = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label="Until",
        widget=DateInput(format="%Y-%m-%d"),
    )

    bar_fields = ("q", "date_after", "date_before")

    class Meta:
        model = Meeting
        fields: list[str] = []
