"""Personas shared by every test: a COE lead, the heads of departments A and B,
a plain signed-in reader and an admin."""

import pytest

from tests.factories import DepartmentFactory, UserFactory, make_lead


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
def _celery_inline_and_clean_cache(settings):
    """Tasks run inline in tests, even when REDIS_URL points at a real broker."""
    from django.core.cache import cache

    from coe.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    cache.clear()
    yield
