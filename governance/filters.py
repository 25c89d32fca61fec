"""The filters of governance's lists, written once: the meetings (a django-filter
FilterSet, for the meetings page and /api/meetings/) and the findings (for their export
and /api/findings/). See stakeholders.filters for the registry's lists and the rules
they share."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from governance import scoring, selectors
from governance.models import Meeting
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
    attendance to show (the queryset is meeting_selectors.meeting_people: its
    `recorded_present` is None until a person's attendance is recorded)."""

    SHOW = {
        "unrecorded": Q(recorded_present__isnull=True),
        "present": Q(recorded_present=True),
        "absent": Q(recorded_present=False),
    }

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

    def search(self, queryset, name, value: str):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))

    def by_record(self, queryset, name, value: str):
        return queryset.filter(self.SHOW[value])


class FindingFilterForm(forms.Form):
    """The filters of the latest assessment's findings, for their export and
    /api/findings/ (findings are a list in a snapshot, not rows: a form, not a FilterSet).
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

    def matching(self, findings: list[dict]) -> list[dict]:
        """The findings the (valid) form asks for."""
        data = self.cleaned_data
        found = selectors.findings_matching(
            findings, severity=data["severity"], code=data["code"], text=data["q"]
        )
        return [f for f in found if not data["subject"] or f["subject"] == data["subject"]]
