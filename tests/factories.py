"""factory_boy factories for the registry and governance models."""

import datetime

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from governance.models import Attendance, Meeting
from stakeholders.models import (
    Department,
    Person,
    Seat,
    SocialAccount,
    StakeholderGroup,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@acme.test")
    password = factory.django.Password("roundtable")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    key = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"Department {n}")
    function = "other"
    headcount = 10


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    email = factory.Sequence(lambda n: f"person{n}@acme.test")
    name = factory.Sequence(lambda n: f"Person {n}")
    seniority = "manager"
    department = factory.SubFactory(DepartmentFactory)


class StakeholderGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderGroup

    key = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Group {n}")
    kind = "customers"


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    person = factory.SubFactory(PersonFactory)
    department = factory.LazyAttribute(lambda o: o.person.department)
    role = "core"
    status = "approved"
    term_start = datetime.date(2026, 1, 1)


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    platform = "linkedin"
    handle = factory.Sequence(lambda n: f"acme{n}")
    status = "active"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    # Dates stay in the past however many meetings a test session makes; the title
    # keeps (date, title) unique.
    date = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n % 365))
    title = factory.Sequence(lambda n: f"COE monthly {n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    present = True


def make_lead(username: str = "lead") -> User:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get_or_create(name="COE leads")[0])
    return user
