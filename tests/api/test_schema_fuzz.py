"""Schema fuzzing: schemathesis generates requests from /api/schema/ for every operation
and sends them to the WSGI app, signed in as a COE lead and as a plain user. No
response may be a server error or disagree with the schema (status code, content
type, body). Examples per operation are capped so that the run takes well under a
minute in CI; FUZZ_EXAMPLES raises the cap for a deeper run."""

import datetime
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from governance.services import snapshot_take
from tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """POST /api/token/ checks a password on every example: hash them cheaply here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app closes "obsolete" connections around each request, which would close
    the test's transaction on PostgreSQL; Django's test client unhooks this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def registry(dept_a, dept_a_child, dept_b, head_a):
    """A little of everything, so that lists and details have rows to show."""
    group = StakeholderGroupFactory(key="cap", kind="customers")
    ana = PersonFactory(email="ana@acme.test", department=dept_a)
    bo = PersonFactory(email="bo@acme.test", department=dept_b, seniority=None)
    SeatFactory(person=ana, department=dept_a, status="approved")
    SeatFactory(person=bo, department=None, group=group, status="nominated", nominated_by=head_a)
    account = SocialAccountFactory(platform="x", handle="acme_help", owner=dept_a)
    account.managers.set([ana])
    meeting = MeetingFactory(date=datetime.date(2026, 1, 10))
    AttendanceFactory(meeting=meeting, person=ana, present=True)
    snapshot_take()


def _fuzz(user) -> None:
    token = Token.objects.create(user=user).key
    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), headers=headers)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as error:  # collect every operation's failure, then report
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)


def test_the_api_keeps_to_its_schema_for_a_lead(registry, lead):
    _fuzz(lead)


def test_the_api_keeps_to_its_schema_for_a_plain_user(registry, reader):
    _fuzz(reader)
