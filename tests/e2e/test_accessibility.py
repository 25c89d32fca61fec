"""Accessibility of every page, as axe-core (vendored, tests/e2e/vendor/) judges them
against WCAG 2.1 A and AA, on a laptop (1366 px) and a phone (390 px) width: no
violation, and no horizontal scrolling on the phone. Each page is visited by the persona
it is made for (a COE lead, a department head, the admin, someone signed out), error
pages included. Full-page screenshots of every page at both widths land in
tests/e2e/artifacts/ (not committed): `<persona>-<page>-<width>.png`.

`test_every_html_page_of_the_site_is_checked` keeps the lists complete: a new page whose
URL name none of them reaches fails it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve

from accounts.models import User
from governance.models import Meeting
from stakeholders import spreadsheets
from stakeholders.models import Department, Handover, Person, Seat, StakeholderGroup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": 1366, "phone": 390}
# What an error page answers with; every other page answers 200.
ERROR_STATUS = {
    "not-found": 404,
    "forbidden": 403,
    "method-not-allowed": 405,
    "server-error": 500,
    "invitation-invalid": 404,
}

RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
    }));
}"""
OVERFLOW = """() => ({
    scroll: document.documentElement.scrollWidth, width: window.innerWidth,
    wide: [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5).map(el => el.tagName + '.' + el.className),
})"""

# URL names that answer GET with something other than an HTML page of this site (files,
# JSON, redirects), or only with a POST, so they have no page to check.
NOT_PAGES = {
    "accounts:logout",
    "accounts:profile-token",
    "accounts:profile-token-revoke",
    "accounts:profile-sessions-end",
    # Single sign-on: a redirect to the identity provider and its return address (404
    # while SSO is off, as in these tests).
    "accounts:sso-start",
    "accounts:sso-callback",
    "accounts:two-factor-verify",  # without a password just checked: a redirect
    "accounts:two-factor-recovery",
    "accounts:two-factor-disable",
    "accounts:invitation-resend",
    "accounts:invitation-revoke",
    "governance:recompute",  # POST only: its GET is the 405 page, checked as such
    "governance:map-data",
    "governance:meeting-attendance",  # POST only: its form is on the meeting's page
    "stakeholders:department-search",
    "stakeholders:import-confirm",
    "stakeholders:import-template",
    "stakeholders:department-export",
    "stakeholders:person-export",
    "stakeholders:roster-export",
    "stakeholders:account-export",
    "governance:finding-export",
    "api:schema",
    "health:health",
}


def _batch() -> int:
    lead = User.objects.get(username="lead")
    upload = SimpleUploadedFile(
        "teams.csv", b"key,name,headcount\ncx-care,Customer Care,45\nnew-team,New team,3\n"
    )
    return spreadsheets.batch_create(kind="departments", upload=upload, user=lead).pk


def lead_pages() -> dict[str, str]:
    department = Department.objects.filter(active=True, children__isnull=False).first()
    archived = Department.objects.filter(active=False).first()
    person = Person.objects.filter(active=True, seats__isnull=False).first()
    left = Person.objects.filter(active=False).first()
    group = StakeholderGroup.objects.first()
    pending = Seat.objects.filter(status="nominated").first()
    approved = Seat.objects.filter(status="approved").first()
    meeting = Meeting.objects.filter(attendance__isnull=False).order_by("-date").first()
    handover = Handover.objects.filter(closed_at__isnull=True).first()
    account = handover.account
    return {
        "dashboard": "/",
        "map": "/map/",
        "departments": "/departments/",
        "department": f"/departments/{department.key}/",
        "department-new": "/departments/new/",
        "department-edit": f"/departments/{department.key}/edit/",
        "department-archive": f"/departments/{department.key}/archive/",
        "department-restore": f"/departments/{archived.key}/restore/",
        "department-nominate": f"/departments/{department.key}/nominate/",
        "people": "/people/",
        "person": f"/people/{person.pk}/",
        "person-new": "/people/new/",
        "person-edit": f"/people/{person.pk}/edit/",
        "person-leave": f"/people/{person.pk}/leave/",
        "person-rejoin": f"/people/{left.pk}/rejoin/",
        "groups": "/groups/",
        "group": f"/groups/{group.key}/",
        "group-new": "/groups/new/",
        "group-edit": f"/groups/{group.key}/edit/",
        "group-nominate": f"/groups/{group.key}/nominate/",
        "social": "/social/",
        "social-add": "/social/add/",
        "social-edit": f"/social/{account.pk}/edit/",
        "handovers": "/handovers/",
        "handover-close": f"/handovers/{handover.pk}/close/",
        "roster": "/roster/",
        "meetings": "/meetings/",
        "meeting": f"/meetings/{meeting.pk}/",
        "meeting-new": "/meetings/new/",
        "meeting-edit": f"/meetings/{meeting.pk}/edit/",
        "meeting-delete": f"/meetings/{meeting.pk}/delete/",
        "nominations": "/nominations/",
        "my-nominations": "/nominations/mine/",
        "seat": f"/seats/{pending.pk}/",
        "seat-approve": f"/seats/{pending.pk}/approve/",
        "seat-decline": f"/seats/{pending.pk}/decline/",
        "seat-withdraw": f"/seats/{pending.pk}/withdraw/",
        "seat-end": f"/seats/{approved.pk}/end/",
        "seat-renew": f"/seats/{approved.pk}/renew/",
        "report": "/report/",
        "review": "/review/",
        "policy": "/policy/",
        "policy-edit": "/policy/edit/",
        "policy-reset": "/policy/reset/",
        "imports": "/imports/",
        "import": f"/imports/{_batch()}/",
        "invitations": "/accounts/invitations/",
        "invite": "/accounts/invitations/lead/",
        "profile": "/accounts/profile/",
        "two-factor": "/accounts/two-factor/",
        "password-change": "/accounts/password/change/",
        "password-change-done": "/accounts/password/change/done/",
        "not-found": "/no-such-page/",
        "method-not-allowed": "/recompute/",
    }


def third_party_pages() -> dict[str, str]:
    """Pages drawn by a vendored tool, shot but not judged: Swagger UI (drf-spectacular's
    sidecar) nests buttons and colours its method badges below AA contrast; it is a
    developer's tool, and its markup is not the project's to change."""
    return {"api-docs": "/api/docs/"}


def head_pages() -> dict[str, str]:
    department = Department.objects.filter(head__username="head").first()
    return {
        "dashboard": "/",
        "my-departments": "/departments/mine/",
        "my-nominations": "/nominations/mine/",
        "department": f"/departments/{department.key}/",
        "department-edit": f"/departments/{department.key}/edit/",
        "nominate": f"/departments/{department.key}/nominate/",
        "forbidden": "/nominations/",
    }


def admin_pages() -> dict[str, str]:
    department = Department.objects.first()
    return {
        "dashboard": "/",
        "admin": "/admin/",
        "admin-departments": "/admin/stakeholders/department/",
        "admin-department": f"/admin/stakeholders/department/{department.pk}/change/",
        "admin-seats": "/admin/stakeholders/seat/",
        "admin-meeting": f"/admin/governance/meeting/{Meeting.objects.first().pk}/change/",
    }


def anonymous_pages() -> dict[str, str]:
    return {
        "sign-in": "/accounts/login/",
        "password-reset": "/accounts/password/reset/",
        "password-reset-done": "/accounts/password/reset/sent/",
        "password-reset-confirm": "/accounts/password/reset/MQ/not-a-token/",
        "password-reset-complete": "/accounts/password/reset/done/",
        "invitation-invalid": "/accounts/join/not-a-token/",
    }


def audit(session, label: str, name: str, width: int) -> list[str]:
    """axe's violations on the page as it is, and sideways scrolling on a phone."""
    page = session.page
    if name == "map":
        page.wait_for_selector("#map-network[data-ready='1']")
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    problems = [f"{label}: {violation}" for violation in page.evaluate(RUN_AXE, WCAG_TAGS)]
    if width < 768:
        overflow = page.evaluate(OVERFLOW)
        if overflow["scroll"] > overflow["width"]:
            problems.append(f"{label}: scrolls sideways: {overflow}")
    return problems


def check(session, persona: str, pages: dict[str, str]) -> list[str]:
    """Every page at both widths: axe's violations and sideways scrolling, as lines."""
    page = session.page
    problems: list[str] = []
    for size, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            response = page.goto(path)
            expected = ERROR_STATUS.get(name, 200)
            assert response is not None and response.status == expected, (
                f"{persona} {path}: {response and response.status}, expected {expected}"
            )
            problems += audit(session, f"{persona} {size} {path}", name, width)
            session.screenshot(f"{persona}-{name}-{width}")
    _forget_error_statuses(session)
    return problems


def _forget_error_statuses(session) -> None:
    # An error page's own status is not a console error to report.
    session.errors[:] = [e for e in session.errors if "the server responded with a status" not in e]


# The page's CSP refuses the injected axe script; the site's CSP is tested elsewhere.


def test_every_lead_page_has_no_wcag_violations_and_no_sideways_scroll(sign_in):
    lead = sign_in("lead", bypass_csp=True)
    problems = check(lead, "lead", lead_pages())
    assert problems == [], "\n".join(problems)


def test_third_party_pages_are_shot_at_both_widths(sign_in):
    lead = sign_in("lead")
    for width in WIDTHS.values():
        lead.page.set_viewport_size({"width": width, "height": 900})
        for name, path in third_party_pages().items():
            lead.visit(path)
            lead.page.wait_for_load_state("networkidle")
            lead.screenshot(f"lead-{name}-{width}")


def test_every_head_page_has_no_wcag_violations_and_no_sideways_scroll(sign_in):
    head = sign_in("head", bypass_csp=True)
    problems = check(head, "head", head_pages())
    assert problems == [], "\n".join(problems)


def test_the_admins_pages_have_no_wcag_violations_and_no_sideways_scroll(sign_in):
    admin = sign_in("admin", bypass_csp=True)
    problems = check(admin, "admin", admin_pages())
    assert problems == [], "\n".join(problems)


def test_signed_out_and_error_pages_have_no_wcag_violations(sign_in, settings):
    visitor = sign_in("head", bypass_csp=True)
    visitor.context.clear_cookies()
    problems = check(visitor, "anonymous", anonymous_pages())
    page = visitor.page
    for size, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        # A form sent after its CSRF cookie is gone gets the "form expired" page.
        page.goto("/accounts/login/")
        visitor.context.clear_cookies()
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_label("Username").fill("head")
            page.get_by_label("Password").fill("roundtable")
            page.locator("main").get_by_role("button", name="Sign in").click()
        assert posted.value.status == 403
        problems += audit(visitor, f"errors {size} csrf-failure", "csrf-failure", width)
        visitor.screenshot(f"errors-csrf-failure-{width}")
    settings.ROOT_URLCONF = "tests.coe.urls_with_a_failing_view"
    visitor.sign_in("head")
    problems += check(visitor, "errors", {"server-error": "/boom/"})
    assert problems == [], "\n".join(problems)


def test_every_html_page_of_the_site_is_checked(demo):
    from tests.test_permission_matrix import MATRIX

    checked = {
        resolve(path.split("?")[0]).view_name
        for pages in (
            lead_pages(),
            head_pages(),
            admin_pages(),
            anonymous_pages(),
            third_party_pages(),
        )
        for path in pages.values()
        if not path.startswith("/admin/") and path != "/no-such-page/"
    }
    pages = {name for name in MATRIX if not name.startswith("api:") or name == "api:docs"}
    assert pages - NOT_PAGES - checked == set()
