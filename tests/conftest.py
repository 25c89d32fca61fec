"""Personas shared by every test: a COE lead, the heads of departments A and B,
a plain signed-in reader and an admin."""

import pytest

from tests.factories import DepartmentFactory, UserFactory, make_lead

# The single sign-on tests' OpenID Connect provider (`idp`, `sso`).
pytest_plugins = ["tests.idp.fixtures"]


@pytest.fixture
def lead(db):
    return make_lead("lead")


@pytest.fixture
def head_a(db):
    return UserFactory(username="head_a")


@pytest.fixture
def head_b(db):
    return UserFactory(username="head_b")


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def dept_a(head_a):
    """Customer support, headed by head_a, with a team below it."""
    return DepartmentFactory(
        key="support",
        name="Customer Support",
        function="customer_support",
        headcount=120,
        customer_facing=True,
        head=head_a,
    )


@pytest.fixture
def dept_a_child(dept_a):
    return DepartmentFactory(
        key="support-emea",
        name="Support EMEA",
        function="customer_support",
        headcount=40,
        parent=dept_a,
    )


@pytest.fixture
def dept_b(head_b):
    return DepartmentFactory(
        key="hr", name="Human Resources", function="hr", headcount=30, head=head_b
    )


@pytest.fixture
def client_for(client):
    """Log a persona in: `client_for(lead).get(...)`."""

    def sign_in(user):
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are built in most tests; the real hasher would cost a second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_inline_and_clean_cache(settings):
    """Tasks run inline in tests, even when REDIS_URL points at a real broker; no test
    sees what another one read or cached."""
    from django.core.cache import cache

    from coe.celery import app
    from governance import read_memo

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    cache.clear()
    read_memo.forget_all()
    yield


@pytest.fixture
def make_company(db):
    """Build a company of `units` business units with `teams` teams each (issue 5's page
    tests use two sizes to pin query counts): seats, accounts with findings of every
    kind, stakeholder groups, meetings with attendance. Returns the business units."""
    import datetime

    from tests.factories import (
        AttendanceFactory,
        MeetingFactory,
        PersonFactory,
        SeatFactory,
        SocialAccountFactory,
        StakeholderGroupFactory,
    )

    def build(units: int = 2, teams: int = 2, prefix: str = "bu"):
        functions = ["marketing", "communications", "customer_support", "sales", "hr", "legal"]
        made = []
        meetings = [
            MeetingFactory(date=datetime.date(2026, 1, 5) + datetime.timedelta(days=30 * i))
            for i in range(3)
        ]
        customers = StakeholderGroupFactory(key=f"{prefix}-customers", name="Customer panel")
        for u in range(units):
            unit = DepartmentFactory(
                key=f"{prefix}-{u}",
                name=f"Unit {prefix} {u}",
                kind="business_unit",
                function=functions[u % len(functions)],
                headcount=100 + u,
                influence=4,
                interest=5,
            )
            made.append(unit)
            lead_person = PersonFactory(department=unit, seniority="director")
            seat = SeatFactory(
                person=lead_person, department=unit, role="lead" if u == 0 else "core"
            )
            for meeting in meetings:
                AttendanceFactory(meeting=meeting, person=seat.person, present=u % 2 == 0)
            account = SocialAccountFactory(
                owner=unit, platform="linkedin", handle=f"{prefix}{u}-li"
            )
            account.managers.add(lead_person)
            for t in range(teams):
                team = DepartmentFactory(
                    key=f"{prefix}-{u}-{t}",
                    name=f"Team {prefix} {u}.{t}",
                    kind="team",
                    parent=unit,
                    function=functions[(u + t + 1) % len(functions)],
                    headcount=10 + t,
                    influence=2,
                    interest=t % 5 + 1,
                )
                PersonFactory(department=team, seniority="individual_contributor")
                SocialAccountFactory(
                    owner=team,
                    platform="x",
                    handle=f"{prefix}{u}-{t}-x",
                    status="unverified" if t % 2 else "active",
                )
        SocialAccountFactory(owner=None, platform="instagram", handle=f"{prefix}-orphan")
        PersonFactory(department=made[0])
        SeatFactory(person=PersonFactory(department=None), department=None, group=customers)
        gone = PersonFactory(department=made[-1], active=False)
        SeatFactory(person=gone, department=made[-1])
        loner = DepartmentFactory(
            key=f"{prefix}-regional", name=f"Regional {prefix}", function="other", headcount=20
        )
        regional = SocialAccountFactory(owner=loner, platform="facebook", handle=f"{prefix}-fb")
        regional.managers.add(gone)
        return made

    return build


@pytest.fixture
def make_headed_company(make_company, head_a):
    """A company of `units` business units all headed by head A, assessed (the head's
    home pages read the latest snapshot)."""
    from governance.services import snapshot_take

    def build(units: int):
        for unit in make_company(units=units, teams=3):
            unit.head = head_a
            unit.save(update_fields=["head"])
        snapshot_take()

    return build


@pytest.fixture
def ana(dept_a):
    """A person of department A with no seat yet."""
    from tests.factories import PersonFactory

    return PersonFactory(name="Ana Ruiz", email="ana@acme.test", department=dept_a)


@pytest.fixture
def pending(ana, dept_a, head_a):
    """Ana, nominated by head A for department A."""
    from stakeholders import services

    return services.seat_nominate(actor=head_a, person=ana, department=dept_a)


@pytest.fixture
def registry_announcements():
    """What stakeholders.signals.registry_changed said during the test, one entry a send."""
    from stakeholders.signals import registry_changed

    heard: list[str] = []

    def hear(**kwargs):
        heard.append("registry changed")

    registry_changed.connect(hear, dispatch_uid="tests.registry_announcements")
    yield heard
    registry_changed.disconnect(dispatch_uid="tests.registry_announcements")
