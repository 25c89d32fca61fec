"""Accessibility of the main pages, as axe-core (vendored, tests/e2e/vendor/) judges them
against WCAG 2.1 A and AA, on a laptop (1366 px) and a phone (390 px) width: no
violation, and no horizontal scrolling on the phone. Full-page screenshots of every page
at both widths land in tests/e2e/artifacts/ (not committed)."""

from pathlib import Path

import pytest

from stakeholders.models import Department, Person, Seat, StakeholderGroup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": 1366, "phone": 390}

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


def main_pages() -> dict[str, str]:
    department = Department.objects.filter(active=True, children__isnull=False).first()
    person = Person.objects.filter(active=True, seats__isnull=False).first()
    group = StakeholderGroup.objects.first()
    seat = Seat.objects.first()
    pages = {
        "dashboard": "/",
        "map": "/map/",
        "departments": "/departments/",
        "department": f"/departments/{department.key}/",
        "people": "/people/",
        "person": f"/people/{person.pk}/",
        "groups": "/groups/",
        "social": "/social/",
        "roster": "/roster/",
        "meetings": "/meetings/",
        "nominations": "/nominations/",
        "seat": f"/seats/{seat.pk}/",
        "report": "/report/",
        "policy": "/policy/",
        "imports": "/imports/",
        "not-found": "/no-such-page/",
    }
    if group is not None:
        pages["group"] = f"/groups/{group.key}/"
    return pages


def test_main_pages_have_no_wcag_violations_and_no_sideways_scroll_on_a_phone(sign_in):
    # The page's CSP refuses the injected axe script; the site's CSP is tested elsewhere.
    lead = sign_in("lead", bypass_csp=True)
    pages = main_pages()
    problems: list[str] = []
    for size, width in WIDTHS.items():
        lead.page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            response = lead.page.goto(path)
            assert response is not None and (response.ok or name == "not-found"), path
            if name == "map":
                lead.page.wait_for_selector("#map-network[data-ready='1']")
            lead.page.wait_for_load_state("networkidle")
            lead.page.add_script_tag(path=str(AXE))
            for violation in lead.page.evaluate(RUN_AXE, WCAG_TAGS):
                problems.append(f"{size} {path}: {violation}")
            if size == "phone":
                overflow = lead.page.evaluate(OVERFLOW)
                if overflow["scroll"] > overflow["width"]:
                    problems.append(f"{size} {path}: scrolls sideways: {overflow}")
            lead.screenshot(f"a11y-{name}-{width}")
    # The 404 page's own status is not a console error to report.
    lead.errors[:] = [error for error in lead.errors if "status of 404" not in error]
    assert problems == [], "\n".join(problems)
