# ruff: noqa: E501 - the table below is aligned in columns on purpose
"""Every URL of the site × every persona × GET and POST → the expected status.

ONE table (MATRIX), one row per URL name. The test fails when the site has a URL the
table does not list (or the table lists one the site no longer has), so a new page
cannot ship without saying who may see it.

To add a page: add a row `"namespace:name": Row(sample kwargs, get="…", post="…")`.
Statuses are given for the personas in PERSONAS order; `login` means a redirect to the
sign-in page. In sample kwargs, "@name" is replaced by the pk of `world[name]`. POST
sends `data` (empty by default) with a valid CSRF token (tests/test_csrf.py checks
that every POST without one is refused).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.db import transaction
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stakeholders.models import Handover, ImportBatch
from tests.factories import (
    MeetingFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
)

PERSONAS = ("anonymous", "reader", "head_a", "head_b", "lead", "admin")
SKIPPED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Row:
    kwargs: dict = field(default_factory=dict)
    get: str = ""
    post: str = ""
    data: dict = field(default_factory=dict)


# fmt: off
MATRIX: dict[str, Row] = {
    # URL name                         sample kwargs             anon  reader head_a head_b lead admin
    # --- accounts
    "accounts:login":                  Row({},                   get="200   200   200   200   200   200",
                                                                 post="200   200   200   200   200   200"),
    "accounts:logout":                 Row({},                   get="login 405   405   405   405   405",
                                                                 post="login 302   302   302   302   302"),
    # Single sign-on is off unless OIDC_ISSUER_URL is set (tests/accounts/test_sso.py).
    "accounts:sso-start":              Row({},                   get="404   404   404   404   404   404",
                                                                 post="405   405   405   405   405   405"),
    "accounts:sso-callback":           Row({},                   get="404   404   404   404   404   404",
                                                                 post="405   405   405   405   405   405"),
    "accounts:profile":                Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "accounts:profile-token":          Row({},                   get="login 405   405   405   405   405",
                                                                 post="login 200   200   200   200   200"),
    "accounts:profile-token-revoke":   Row({},                   get="login 405   405   405   405   405",
                                                                 post="login 302   302   302   302   302"),
    "accounts:profile-sessions-end":   Row({},                   get="login 405   405   405   405   405",
                                                                 post="login 302   302   302   302   302"),
    "accounts:two-factor":             Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 200   200   200   200   200"),
    # Without a password just checked, the code page sends back to the sign-in.
    "accounts:two-factor-verify":      Row({},                   get="302   302   302   302   302   302",
                                                                 post="302   302   302   302   302   302"),
    "accounts:two-factor-recovery":    Row({},                   get="login 405   405   405   405   405",
                                                                 post="login 302   302   302   302   302"),
    "accounts:two-factor-disable":     Row({},                   get="login 405   405   405   405   405",
                                                                 post="login 302   302   302   302   302"),
    "accounts:password-change":        Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 200   200   200   200   200"),
    "accounts:password-change-done":   Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "accounts:password-reset":         Row({},                   get="200   200   200   200   200   200",
                                                                 post="200   200   200   200   200   200"),
    "accounts:password-reset-done":    Row({},                   get="200   200   200   200   200   200",
                                                                 post="405   405   405   405   405   405"),
    # A link that was never issued: the "not valid any more" page.
    "accounts:password-reset-confirm": Row({"uidb64": "MQ", "token": "not-a-token"},
                                                                 get="200   200   200   200   200   200",
                                                                 post="200   200   200   200   200   200"),
    "accounts:password-reset-complete": Row({},                  get="200   200   200   200   200   200",
                                                                 post="405   405   405   405   405   405"),
    "accounts:invitation-list":        Row({},                   get="login 403   403   403   200   200",
                                                                 post="login 405   405   405   405   405"),
    "accounts:lead-invite":            Row({},                   get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   200   200"),
    "accounts:invitation-resend":      Row({"invitation_id": "@invitation"},
                                                                 get="login 405   405   405   405   405",
                                                                 post="login 403   403   403   302   302"),
    "accounts:invitation-revoke":      Row({"invitation_id": "@invitation"},
                                                                 get="login 405   405   405   405   405",
                                                                 post="login 403   403   403   302   302"),
    # A link with a token that was never issued: the "not valid" page, for anyone.
    "accounts:invitation-accept":      Row({"token": "not-a-token"},
                                                                 get="404   404   404   404   404   404",
                                                                 post="404   404   404   404   404   404"),
    # --- governance: dashboard, map
    "governance:dashboard":            Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "governance:recompute":            Row({},                   get="login 405   405   405   405   405",
                                                                 post="login 403   403   403   302   302"),
    "governance:map":                  Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "governance:map-data":             Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    # --- governance: meetings and attendance
    "governance:meeting-list":         Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "governance:meeting-create":       Row({},                   get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   200   200"),
    "governance:meeting-detail":       Row({"meeting_id": "@meeting"},
                                                                 get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "governance:meeting-attendance":   Row({"meeting_id": "@meeting"},
                                                                 get="login 405   405   405   405   405",
                                                                 post="login 403   403   403   302   302"),
    "governance:meeting-update":       Row({"meeting_id": "@meeting"},
                                                                 get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   200   200"),
    "governance:meeting-delete":       Row({"meeting_id": "@meeting"},
                                                                 get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   302   302"),
    "governance:review":               Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    # --- stakeholders: account hand-overs
    "stakeholders:handover-list":      Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:handover-close":     Row({"handover_id": "@handover"},
                                                                 get="login 403   200   403   200   200",
                                                                 post="login 403   200   403   200   200"),
    # --- stakeholders: directory, departments, accounts, roster
    "stakeholders:department-list":    Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:department-detail":  Row({"key": "support"},   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    # --- stakeholders: departments and stakeholder groups (add, edit, archive, restore)
    "stakeholders:department-create":  Row({},                   get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   200   200"),
    "stakeholders:department-mine":    Row({},                   get="login 403   200   200   403   403",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:department-update":  Row({"key": "support"},   get="login 403   200   403   200   200",
                                                                 post="login 403   200   403   200   200"),
    "stakeholders:department-archive": Row({"key": "support"},   get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   302   302"),
    "stakeholders:department-restore": Row({"key": "support"},   get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   302   302"),
    "stakeholders:group-list":         Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:group-create":       Row({},                   get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   200   200"),
    "stakeholders:group-update":       Row({"key": "cap"},       get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   200   200"),
    "stakeholders:group-detail":       Row({"key": "cap"},       get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    # --- end of departments and stakeholder groups
    "stakeholders:account-list":       Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:account-create":     Row({},                   get="login 403   200   200   200   200",
                                                                 post="login 403   200   200   200   200"),
    "stakeholders:account-update":     Row({"pk": "@account"},   get="login 403   200   403   200   200",
                                                                 post="login 403   200   403   200   200"),
    "governance:roster":               Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    # --- stakeholders: nominations, decisions and seats
    "stakeholders:seat-nominate":      Row({"key": "support"},   get="login 403   200   403   200   200",
                                                                 post="login 403   200   403   200   200"),
    "stakeholders:group-nominate":     Row({"key": "cap"},       get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   200   200"),
    "governance:nomination-queue":   Row({},                   get="login 403   403   403   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:nomination-mine":    Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:seat-detail":        Row({"seat_id": "@pending"},
                                                                 get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:seat-approve":       Row({"seat_id": "@pending"},
                                                                 get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   302   302"),
    "stakeholders:seat-decline":       Row({"seat_id": "@pending"},
                                                                 get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   302   302",
                                                                 data={"note": "Not now"}),
    "stakeholders:seat-withdraw":      Row({"seat_id": "@pending"},
                                                                 get="login 403   200   403   200   200",
                                                                 post="login 403   302   403   302   302"),
    "stakeholders:seat-renew":         Row({"seat_id": "@approved"},
                                                                 get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   200   200"),
    "stakeholders:seat-end":           Row({"seat_id": "@approved"},
                                                                 get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   302   302",
                                                                 data={"term_end": "2026-02-01"}),
    # --- stakeholders: people (directory, person pages, add / edit / leave / rejoin)
    "stakeholders:department-search": Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:person-list":        Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:person-detail":      Row({"person_id": "@person"},
                                                                 get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:person-create":      Row({},                   get="login 403   200   200   200   200",
                                                                 post="login 403   200   200   200   200"),
    "stakeholders:person-update":      Row({"person_id": "@person"},
                                                                 get="login 403   200   403   200   200",
                                                                 post="login 403   200   403   200   200"),
    "stakeholders:person-leave":       Row({"person_id": "@person"},
                                                                 get="login 403   200   403   200   200",
                                                                 post="login 403   302   403   302   302"),
    "stakeholders:person-rejoin":      Row({"person_id": "@person"},
                                                                 get="login 403   200   403   200   200",
                                                                 post="login 403   302   403   302   302"),
    # --- end of people
    # --- governance: scoring policy
    "governance:policy":               Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "governance:policy-edit":          Row({},                   get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   200   200"),
    "governance:policy-reset":         Row({},                   get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   302   302"),
    # --- governance: report; stakeholders: imports and exports (issue 6)
    "governance:report":               Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:import-start":       Row({},                   get="login 403   403   403   200   200",
                                                                 post="login 403   403   403   200   200"),
    "stakeholders:import-detail":      Row({"batch_id": "@batch"},
                                                                 get="login 403   403   403   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:import-confirm":     Row({"batch_id": "@batch"},
                                                                 get="login 405   405   405   405   405",
                                                                 post="login 403   403   403   302   302"),
    "stakeholders:import-template":    Row({"kind": "people", "fmt": "csv"},
                                                                 get="login 403   403   403   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:department-export":  Row({"fmt": "csv"},       get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:person-export":      Row({"fmt": "csv"},       get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:roster-export":      Row({"fmt": "csv"},       get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "stakeholders:account-export":     Row({"fmt": "csv"},       get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    "governance:finding-export":     Row({"fmt": "csv"},       get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    # --- api (issue 6): anonymous requests get 401 instead of the sign-in page
    "api:department-list":             Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   403   403   403   400   400"),
    "api:department-detail":           Row({"key": "support"},   get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:department-archive":          Row({"key": "support"},   get="401   405   405   405   405   405",
                                                                 post="401   403   403   403   200   200"),
    "api:department-restore":          Row({"key": "hr"},        get="401   405   405   405   405   405",
                                                                 post="401   403   403   403   409   409"),
    # --- api: people (writes through the people services)
    "api:person-list":                 Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   403   400   400   400   400"),
    "api:person-detail":               Row({"pk": "@person"},    get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:person-leave":                Row({"pk": "@person"},    get="401   405   405   405   405   405",
                                                                 post="401   403   200   403   200   200"),
    "api:person-rejoin":               Row({"pk": "@person"},    get="401   405   405   405   405   405",
                                                                 post="401   403   409   403   409   409"),
    # --- end of api: people
    "api:group-list":                  Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   403   403   403   400   400"),
    "api:group-detail":                Row({"key": "cap"},       get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:seat-list":                   Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   400   400   400   400   400"),
    "api:seat-detail":                 Row({"pk": "@pending"},   get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:seat-approve":                Row({"pk": "@pending"},   get="401   405   405   405   405   405",
                                                                 post="401   403   403   403   200   200"),
    "api:seat-decline":                Row({"pk": "@pending"},   get="401   405   405   405   405   405",
                                                                 post="401   403   403   403   200   200"),
    "api:seat-end":                    Row({"pk": "@approved"},  get="401   405   405   405   405   405",
                                                                 post="401   403   403   403   200   200"),
    "api:seat-renew":                  Row({"pk": "@approved"},  get="401   405   405   405   405   405",
                                                                 post="401   403   403   403   400   400"),
    "api:seat-withdraw":               Row({"pk": "@pending"},   get="401   405   405   405   405   405",
                                                                 post="401   403   200   403   200   200"),
    "api:account-list":                Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   403   400   400   400   400"),
    "api:account-detail":              Row({"pk": "@account"},   get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:meeting-list":                Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   403   403   403   400   400"),
    "api:meeting-detail":              Row({"pk": "@meeting"},   get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:meeting-attendance":          Row({"pk": "@meeting"},   get="401   200   200   200   200   200",
                                                                 post="401   403   403   403   200   200",
                                                                 data={"present": []}),
    "api:finding-list":                Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:handover-list":               Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:handover-detail":             Row({"pk": "@handover"},  get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:handover-close":              Row({"pk": "@handover"},  get="401   405   405   405   405   405",
                                                                 post="401   403   400   403   400   400"),
    "api:review":                      Row({},                   get="401   400   400   400   400   400",
                                                                 post="401   405   405   405   405   405"),
    "api:assessment":                  Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:policy":                      Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:token":                       Row({},                   get="405   405   405   405   405   405",
                                                                 post="400   400   400   400   400   400"),
    "api:token-revoke":                Row({},                   get="401   405   405   405   405   405",
                                                                 post="401   204   204   204   204   204"),
    "api:schema":                      Row({},                   get="401   200   200   200   200   200",
                                                                 post="401   405   405   405   405   405"),
    "api:docs":                        Row({},                   get="login 200   200   200   200   200",
                                                                 post="login 405   405   405   405   405"),
    # --- the load balancers' health check: no sign-in
    "health:health":                   Row({},                   get="200   200   200   200   200   200",
                                                                 post="405   405   405   405   405   405"),
}
# fmt: on


# --- the sample world -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Six personas per test: the default PBKDF2 would spend seconds hashing passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(dept_a, dept_a_child, dept_b, head_a):
    """One object of each kind the URLs take, in departments A (support) and B (hr)."""
    from stakeholders import services

    ana = PersonFactory(name="Ana Ruiz", department=dept_a)
    pending = services.seat_nominate(actor=head_a, person=ana, department=dept_a)
    approved = SeatFactory(person=PersonFactory(department=dept_b), department=dept_b)
    account = SocialAccountFactory(owner=dept_a, handle="acme_support")
    departed = PersonFactory(name="Gone", department=dept_a, active=False)
    account.managers.add(departed)
    return {
        "person": ana,
        "pending": pending,
        "approved": approved,
        "group": StakeholderGroupFactory(key="cap", name="Customer Advisory Panel"),
        "meeting": MeetingFactory(date=datetime.date(2026, 1, 15), title="COE monthly"),
        "account": account,
        "handover": Handover.objects.create(account=account, departed=departed),
        "invitation": _invitation(),
        "batch": ImportBatch.objects.create(
            kind="people", filename="people.csv", status="ready", uploaded_by=head_a
        ),
    }


def _invitation():
    from accounts import services as accounts_services
    from accounts.models import User

    invitee = User(username="invitee", email="invitee@example.com")
    invitee.set_unusable_password()
    invitee.save()
    return accounts_services.invitation_send(user=invitee, invited_by=None)


@pytest.fixture
def personas(reader, head_a, head_b, lead, admin_user):
    return {
        "anonymous": None,
        "reader": reader,
        "head_a": head_a,
        "head_b": head_b,
        "lead": lead,
        "admin": admin_user,
    }


def url_for(name: str, row: Row, world: dict) -> str:
    kwargs = {
        key: world[value[1:]].pk if isinstance(value, str) and value.startswith("@") else value
        for key, value in row.kwargs.items()
    }
    return reverse(name, kwargs=kwargs)


def expected(row: Row, method: str) -> dict[str, str]:
    statuses = (row.get if method == "GET" else row.post).split()
    assert len(statuses) == len(PERSONAS), f"{len(PERSONAS)} statuses expected: {statuses}"
    return dict(zip(PERSONAS, statuses, strict=True))


def outcome(response) -> str:
    """The status as the matrix spells it."""
    login = resolve_url(settings.LOGIN_URL)
    if response.status_code == 302 and response.url.startswith(f"{login}?next="):
        return "login"
    return str(response.status_code)


def csrf_token(client: Client) -> str:
    """Give the client a CSRF cookie, as a page with a form would, and return the token."""
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return token


def request_as(user, method: str, url: str, data: dict, *, csrf: bool = True) -> str:
    """One request in a savepoint that is rolled back, so no request sees another's writes."""
    with transaction.atomic():
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        if method == "GET":
            response = client.get(url)
        elif url.startswith("/api/"):
            # The API takes JSON only, with the CSRF token in its header (as the
            # browsable API and Swagger UI send it).
            headers = {"X-CSRFToken": csrf_token(client)} if csrf else {}
            response = client.post(url, data, content_type="application/json", headers=headers)
        else:
            body = dict(data)
            if csrf:
                body["csrfmiddlewaretoken"] = csrf_token(client)
            response = client.post(url, body)
        transaction.set_rollback(True)
    return outcome(response)


# --- the tests ------------------------------------------------------------------------


def site_url_names(patterns=None, namespace: str | None = None) -> list[str]:
    """Every named URL of the site (namespaced), without the admin's. (A name can occur
    twice: the API router adds a `.json` variant of each route under the same name.)"""
    names: list[str] = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if inner in SKIPPED_NAMESPACES:
                continue
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            names.extend(site_url_names(pattern.url_patterns, full))
        elif isinstance(pattern, URLPattern):
            if str(pattern.pattern).startswith(settings.STATIC_URL.lstrip("/")):
                continue
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            names.append(f"{namespace}:{name}" if namespace else name)
    return names


def test_every_url_of_the_site_is_in_the_matrix():
    site = site_url_names()
    missing = sorted(set(site) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(site))
    assert not missing, f"Add these URLs to MATRIX in {__name__}: {missing}"
    assert not stale, f"These MATRIX rows name URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_persona_gets_the_status_the_matrix_expects(name, world, personas):
    row = MATRIX[name]
    url = url_for(name, row, world)
    wrong = []
    for method in ("GET", "POST"):
        for persona, status in expected(row, method).items():
            got = request_as(personas[persona], method, url, row.data)
            if got != status:
                wrong.append(f"{method} {url} as {persona}: expected {status}, got {got}")
    assert not wrong, "\n".join(wrong)
