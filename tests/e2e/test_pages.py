"""Every page in a real browser: it draws, it has no console errors, it can be used by
keyboard; screenshots of the main pages land in tests/e2e/artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from stakeholders.models import Department, Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UNLABELLED_FIELDS = """() => [
    ...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')
].filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
 .map(el => el.name || el.id)"""


def test_every_page_renders_without_console_errors(sign_in):
    lead = sign_in("lead")
    department = Department.objects.filter(active=True, children__isnull=False).first()
    person = Person.objects.filter(active=True, seats__isnull=False).first()
    pages = {
        "/": "Dashboard",
        "/map/": "Stakeholder map",
        "/departments/": "Departments",
        f"/departments/{department.key}/": department.name,
        "/social/": "Social accounts",
        "/social/add/": "Add a social account",
        "/roster/": "Roster",
        "/meetings/": None,
        "/nominations/": None,
        "/report/": None,
        "/imports/": None,
        "/people/": "People",
        f"/people/{person.pk}/": person.name,
        "/people/new/": "Add a person",
        "/groups/": None,
        "/groups/new/": "Add a stakeholder group",
        "/departments/new/": "Add a department",
        f"/departments/{department.key}/edit/": f"Edit {department.name}",
        "/policy/": None,
        "/policy/edit/": "Change the scoring policy",
    }
    for path, title in pages.items():
        page = lead.visit(path)
        if title:
            expect(page).to_have_title(re.compile(re.escape(title)))
        # Every page has exactly one main heading and labelled form fields.
        expect(page.locator("main h1")).to_have_count(1)
        unlabelled = page.evaluate(UNLABELLED_FIELDS)
        assert unlabelled == [], f"{path}: fields without a label: {unlabelled}"
        if path == "/map/":
            page.wait_for_selector("#map-network[data-ready='1']")


def test_screenshots_of_the_main_pages(sign_in):
    lead = sign_in("lead")
    lead.visit("/")
    expect(lead.page.get_by_test_id("score")).to_be_visible()
    lead.page.wait_for_function("() => window.roundtableTrend !== undefined")
    lead.screenshot("dashboard")

    lead.visit("/map/")
    lead.page.wait_for_selector("#map-network[data-ready='1']")
    lead.screenshot("map")

    lead.visit("/departments/")
    expect(lead.page.get_by_test_id("result-count")).to_contain_text("departments")
    lead.screenshot("directory")

    head_department = Department.objects.get(head__username="head")
    lead.visit(f"/departments/{head_department.key}/")
    expect(lead.page.get_by_test_id("representation-flag")).to_be_visible()
    lead.screenshot("department")

    for name in ("dashboard", "map", "directory", "department"):
        from tests.e2e.conftest import ARTIFACTS

        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000


def test_map_draws_its_nodes_and_the_grid_its_points(sign_in):
    lead = sign_in("lead")
    page = lead.visit("/map/")
    page.wait_for_selector("#map-network[data-ready='1']")
    active = Department.objects.filter(active=True).count()
    counts = page.evaluate(
        """() => {
            const map = window.roundtableMap;
            return {
                departments: map.cy.nodes('[kind = "department"]').length,
                nodes: map.cy.nodes().length,
                points: map.grid.data.datasets.reduce(
                    (sum, ds) => sum + ds.data.reduce((n, p) => n + p.count, 0), 0),
            };
        }"""
    )
    assert counts["departments"] == active
    assert counts["nodes"] > active  # the COE and the social accounts too
    assert counts["points"] == active  # every department in one of the grid's bubbles
    expect(page.locator("#map-status")).to_contain_text(f"{active} departments")

    # Hovering a department shows its details; clicking pins them, with a link to its page.
    unit = Department.objects.get(key="mkt")
    box = page.locator("#map-network").bounding_box()
    position = page.evaluate(
        "() => window.roundtableMap.cy.getElementById('d:mkt').renderedPosition()"
    )
    page.mouse.move(box["x"] + position["x"], box["y"] + position["y"])
    expect(page.locator("#map-tooltip")).to_be_visible()
    expect(page.locator("#map-tooltip")).to_contain_text(unit.name)
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    page.locator("#map-details").get_by_role("link", name=f"Open {unit.name}").click()
    page.wait_for_url(re.compile(r"/departments/mkt/$"))

    # One business unit: only its subtree.
    page = lead.visit("/map/")
    page.get_by_label("Business unit").select_option("mkt")
    page.wait_for_url(re.compile(r"\?unit=mkt"))
    page.wait_for_selector("#map-network[data-ready='1']")
    subtree = page.evaluate("() => window.roundtableMap.cy.nodes('[kind = \"department\"]').length")
    assert 1 < subtree < active


def test_filters_update_the_lists_in_place(sign_in):
    lead = sign_in("lead")
    page = lead.visit("/")
    page.evaluate("() => { window.__sameDocument = true; }")
    page.get_by_label("Severity", exact=True).select_option("critical")
    page.wait_for_url(re.compile(r"severity=critical"))
    expect(page.locator("#findings .finding-group")).to_have_count(1)
    expect(page.locator("#findings [data-severity='critical']")).to_be_visible()
    assert page.evaluate("() => window.__sameDocument") is True  # no full reload

    page = lead.visit("/departments/")
    page.evaluate("() => { window.__sameDocument = true; }")
    page.get_by_label("Search", exact=True).fill("marketing")
    page.wait_for_url(re.compile(r"q=marketing"))
    expect(page.get_by_test_id("result-count")).to_contain_text("Showing 1–")
    names = page.locator("#results tbody tr td:first-child a").all_inner_texts()
    assert names and all("marketing" in name.lower() for name in names)
    assert page.evaluate("() => window.__sameDocument") is True
