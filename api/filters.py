"""Filters of the API's lists (django-filter): query parameters named like the fields."""

from django import forms
from django.db.models import Q
from django_filters import rest_framework as filters

from governance.models import Meeting
from stakeholders.models import Department, Person, Seat, SocialAccount, StakeholderGroup

MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """A record id: a whole number in the range of the id column (anything else is a 400,
    not a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class DepartmentFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent__key", help_text="Key of the parent.")
    top_level = filters.BooleanFilter(field_name="parent", lookup_expr="isnull")
    head = filters.CharFilter(field_name="head__username", help_text="Username of the head.")
    q = filters.CharFilter(method="search", help_text="Text in the name or key.")

    class Meta:
        model = Department
        fields = ["active", "function", "kind", "customer_facing"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(key__icontains=value))


class PersonFilter(filters.FilterSet):
    department = filters.CharFilter(field_name="department__key", help_text="Department key.")
    email = filters.CharFilter(field_name="email", lookup_expr="iexact")
    expertise = filters.CharFilter(field_name="expertise__name", distinct=True)
    q = filters.CharFilter(method="search", help_text="Text in the name or e-mail.")

    class Meta:
        model = Person
        fields = ["seniority", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))


class StakeholderGroupFilter(filters.FilterSet):
    class Meta:
        model = StakeholderGroup
        fields = ["kind"]


class SeatFilter(filters.FilterSet):
    person = IdFilter(field_name="person_id", help_text="Id of the person.")
    department = filters.CharFilter(field_name="department__key", help_text="Department key.")
    group = filters.CharFilter(field_name="group__key", help_text="Stakeholder group key.")

    class Meta:
        model = Seat
        fields = ["status", "role"]


class SocialAccountFilter(filters.FilterSet):
    owner = filters.CharFilter(field_name="owner__key", help_text="Key of the owner.")
    handle = filters.CharFilter(field_name="handle", lookup_expr="iexact")

    class Meta:
        model = SocialAccount
        fields = ["platform", "status", "purpose"]


class MeetingFilter(filters.FilterSet):
    date = filters.DateFromToRangeFilter(help_text="date_after / date_before, YYYY-MM-DD.")

    class Meta:
        model = Meeting
        fields = ["date"]
