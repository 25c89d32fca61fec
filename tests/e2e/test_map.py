"""The stakeholder map in a real browser at 45 departments (the demo) and at 2,000
(bench/scale.py's generator): every label drawn at the default zoom is at least
11 px, grid bubbles never cover each other or the quadrant labels and show their
count, the legend is there, and a tap on a phone shows a department's details.
Screenshots land in tests/e2e/artifacts/."""

import math
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from governance import services
from stakeholders.models import Department
from tests.e2e.conftest import PASSWORD, Session
from tests.e2e.test_accessibility import AXE, RUN_AXE, WCAG_TAGS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MIN_LABEL_PX = 11
PHONE = {"width": 390, "height": 844}

GRID = """() => {
    const map = window.roundtableMap;
    const y = map.grid.scales.y;
    return {
        points: map.gridPoints(),
        counts: map.gridCountLabels,
        top: y.getPixelForValue(5.5),
        bottom: y.getPixelForValue(0.5),
    };
}"""


def _check_labels(page) -> list[dict]:
    labels = page.evaluate("() => window.roundtableMap.visibleLabels()")
    too_small = [label for label in labels if label["px"] < MIN_LABEL_PX]
    assert too_small == [], f"labels drawn below {MIN_LABEL_PX} px: {too_small[:5]}"
    # Cytoscape hides a label below its min-zoomed-font-size: every node has one of 11.
    floors = page.evaluate(
        "() => window.roundtableMap.cy.nodes()"
        ".map(n => parseFloat(n.style('min-zoomed-font-size')))"
    )
    assert min(floors) >= MIN_LABEL_PX
    return labels


def _check_grid(page) -> dict:
    grid = page.evaluate(GRID)
    points = grid["points"]
    assert points
    for i, a in enumerate(points):
        for b in points[i + 1 :]:
            distance = math.hypot(a["x"] - b["x"], a["y"] - b["y"])
            assert distance >= a["r"] + b["r"] - 0.5, f"bubbles overlap: {a} {b}"
        # Points stay between the strips that hold the quadrant labels.
        assert a["y"] - a["r"] >= grid["top"] - 0.5 and a["y"] + a["r"] <= grid["bottom"] + 0.5
    counted = {(round(c["x"]), round(c["y"])) for c in grid["counts"]}
    for point in points:
        if point["count"] > 1:
            assert (round(point["x"]), round(point["y"])) in counted, f"no count on {point}"
    return grid


def _phone_session(browser, base_url: str, username: str):
    # bypass_csp: only to inject axe-core (a test tool) as an inline script.
    context = browser.new_context(
        base_url=base_url,
        viewport=PHONE,
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    return context, page, errors


def _tap_department(page, key: str) -> None:
    page.locator("#map-network").scroll_into_view_if_needed()
    box = page.locator("#map-network").bounding_box()
    position = page.evaluate(
        f"() => window.roundtableMap.cy.getElementById('d:{key}').renderedPosition()"
    )
    page.touchscreen.tap(box["x"] + position["x"], box["y"] + position["y"])


def _screenshot(page, name: str) -> Path:
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _map_reads_well(session: Session, browser, live_server, name: str) -> None:
    page = session.visit("/map/")
    page.wait_for_selector("#map-network[data-ready='1']")
    labels = _check_labels(page)
    # The business units are named at the default zoom.
    tops = page.evaluate(
        "() => window.roundtableMap.data.departments"
        ".filter(d => d.depth === 0).map(d => 'd:' + d.key)"
    )
    named = {label["id"] for label in labels}
    assert named & set(tops), "no business unit is named at the default zoom"
    _check_grid(page)
    expect(page.get_by_test_id("map-legend")).to_be_visible()
    expect(page.locator("#map-grid")).to_be_visible()
    session.screenshot(f"map-{name}-1366")

    context, phone, errors = _phone_session(browser, live_server.url, "lead")
    try:
        phone.goto("/map/")
        phone.wait_for_selector("#map-network[data-ready='1']")
        _check_labels(phone)
        _check_grid(phone)
        expect(phone.get_by_test_id("map-legend")).to_be_visible()
        key = phone.evaluate("() => window.roundtableMap.data.departments[0].key")
        department = Department.objects.get(key=key)
        _tap_department(phone, key)
        details = phone.locator("#map-details")
        expect(details).to_be_visible()
        expect(details).to_contain_text(department.name)
        expect(details.get_by_role("link", name=f"Open {department.name}")).to_be_visible()
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        _screenshot(phone, f"map-{name}-390")
        # The details panel passes axe-core's WCAG 2.1 AA rules too.
        phone.add_script_tag(path=str(AXE))
        assert phone.evaluate(RUN_AXE, WCAG_TAGS) == []
        assert errors == []
    finally:
        context.close()


def test_the_demo_map_reads_well_on_a_desktop_and_a_phone(sign_in, browser, live_server):
    lead = sign_in("lead")
    _map_reads_well(lead, browser, live_server, "demo")


def test_a_map_of_two_thousand_departments_reads_well(sign_in, browser, live_server):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import scale

    scale.generate(2000, date(2026, 6, 1))
    services.snapshot_take()
    lead = sign_in("lead")
    _map_reads_well(lead, browser, live_server, "2000")

    # The top levels first; a folded branch opens on demand.
    page = lead.page
    data = page.evaluate("() => window.roundtableMap.data.scope")
    assert data["departments"] > 1900 and data["listed"] <= 300 and data["collapsed"]
    folded = page.evaluate(
        "() => window.roundtableMap.data.departments.find(d => d.hidden && d.depth > 0).key"
    )
    # No return value: a Cytoscape collection is a huge object graph to send back.
    page.evaluate(f"() => {{ window.roundtableMap.cy.getElementById('d:{folded}').emit('tap'); }}")
    page.locator("#map-details").get_by_role("link", name=re.compile(r"^Show its")).click()
    page.wait_for_url(re.compile(rf"\?root={folded}$"))
    page.wait_for_selector("#map-network[data-ready='1']")
    expect(page.get_by_test_id("map-branch")).to_contain_text(
        Department.objects.get(key=folded).name
    )
    assert page.evaluate("() => window.roundtableMap.data.departments.length") > 1
    _check_labels(page)
    _check_grid(page)
