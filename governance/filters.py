"""The filters of governance's lists, written once: the meetings (a django-filter
FilterSet, for the meetings page and /api/meetings/) and the findings (for their export
and /api/findings/). See stakeholders.filters for the registry's lists and the rules
they share."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from governance import scoring, selectors
from governance.models import Attendance, FindingEntry, Meeting
from stakeholders.filters import KEY_MAX, SEARCH_MAX, ListFilterSet, SearchFilter
from stakeholders.models import Person


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


class AttendanceFilterSet(ListFilterSet):
    """The filters of a meeting's attendance form: text in the name or e-mail, and whose
    attendance to show, over the meeting's people (meeting_selectors.meeting_people)."""

    q = SearchFilter(method="search", placeholder="Name or e-mail")
    show = django_filters.ChoiceFilter(
        label="Show",
        choices=[
            ("unrecorded", "Not recorded yet"),
            ("present", "Present"),
            ("absent", "Absent"),
        ],
        empty_label="Everyone",
        method="by_record",
    )

    bar_fields = ("q", "show")

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def search(self, queryset, name, value: str):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))

    def by_record(self, queryset, name, value: str):
        # A join with the meeting's rows (an anti-join for "not recorded yet"), not a
        # condition on each person's row: tens of thousands of people at a large company.
        rows = Attendance.objects.filter(meeting=self.meeting).order_by()
        if value == "unrecorded":
            return queryset.exclude(pk__in=rows.values("person_id"))
        return queryset.filter(pk__in=rows.filter(present=value == "present").values("person_id"))


class FindingFilterForm(forms.Form):
    """The filters of the latest assessment's findings, for their export and
    /api/findings/ (the text filter is findings_matching's, over FindingEntry.search:
    a form, not a FilterSet).
    """

    severity = forms.ChoiceField(
        label="Severity", choices=[(s, s.title()) for s in scoring.SEVERITIES], required=False
    )
    code = forms.CharField(label="Finding", max_length=KEY_MAX, required=False)
    subject = forms.CharField(label="Subject", max_length=SEARCH_MAX, required=False)
    q = forms.CharField(label="Search", max_length=SEARCH_MAX, required=False)

    @property
    def problems(self) -> list[str]:
        return [
            f"{self[name].label}: {' '.join(self.errors[name])}"
            for name in self.fields
            if name in self.errors
        ]

    def entries(self) -> QuerySet[FindingEntry]:
        """The latest snapshot's findings the (valid) form asks for, in its order."""
        data = self.cleaned_data
        return selectors.finding_entries_latest(
            severity=data["severity"], code=data["code"], subject=data["subject"], text=data["q"]
        )
