"""The filter bar of every list page, as a person sees it: labelled controls aligned in
rows on a laptop (1366 px) and stacked on a phone (390 px), each select wide enough to
show its value whole, Apply and Clear, no sideways scrolling; an unreadable filter is
named above the list, and axe-core finds nothing wrong with that message either."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTS = [
    "/departments/",
    "/people/?department=mkt&sub=1",
    "/groups/",
    "/social/",
    "/roster/",
    "/nominations/",
    "/meetings/",
]

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Each field of the bar: its box, its label's box, its control's box (Tom Select's
# control stands for the select it replaced), and whether a select's value fits.
MEASURE = """() => {
    const box = (el) => { const r = el.getBoundingClientRect();
        return {x: r.x, y: r.y, right: r.right, bottom: r.bottom, w: r.width, h: r.height}; };
    const ctx = document.createElement('canvas').getContext('2d');
    const fields = [...document.querySelectorAll('.filter-bar .filter-bar-field')].map((cell) => {
        const control = cell.querySelector('.ts-control')
            || cell.querySelector('select, input:not([type=checkbox])')
            || cell.querySelector('.form-check');
        const label = cell.querySelector('label');
        const select = cell.querySelector('select:not(.tomselected)');
        let fits = true, text = '';
        if (select) {
            const style = getComputedStyle(select);
            ctx.font = style.font;
            text = select.options[select.selectedIndex]?.text || '';
            const room = select.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            fits = ctx.measureText(text).width <= room;
        }
        return {cell: box(cell), control: box(control), label: label && box(label),
                labelText: label ? label.textContent.trim() : '', fits, text};
    });
    const apply = [...document.querySelectorAll('.filter-bar button[type=submit]')]
        .find((b) => b.textContent.trim() === 'Apply');
    const clear = [...document.querySelectorAll('.filter-bar a')]
        .find((a) => a.textContent.trim() === 'Clear');
    return {fields, apply: apply && box(apply), clear: clear && box(clear),
            scroll: document.documentElement.scrollWidth, width: window.innerWidth};
}"""


def rows_of(fields):
    rows: dict[int, list] = {}
    for field in fields:
        rows.setdefault(round(field["cell"]["bottom"]), []).append(field)
    return list(rows.values())


def test_filter_bars_are_aligned_on_a_laptop_and_stacked_on_a_phone(sign_in):
    lead = sign_in("lead")
    page = lead.page
    problems: list[str] = []
    for path in LISTS:
        page.set_viewport_size({"width": 1366, "height": 900})
        lead.visit(path)
        page.wait_for_load_state("networkidle")
        bar = page.evaluate(MEASURE)
        if not bar["apply"] or not bar["clear"]:
            problems.append(f"{path}: no Apply or Clear")
        for field in bar["fields"]:
            if not field["labelText"] or not field["label"] or field["label"]["h"] == 0:
                problems.append(f"{path}: a control without a visible label")
            if not field["fits"]:
                problems.append(f"{path}: {field['labelText']} cut: {field['text']!r}")
        rows = rows_of(bar["fields"])
        if len(rows[0]) < 3 and len(bar["fields"]) >= 3:
            problems.append(f"{path} at 1366: {len(rows[0])} controls in the first row")
        for row in rows:
            bottoms = {round(f["control"]["bottom"]) for f in row}
            if max(bottoms) - min(bottoms) > 2:
                problems.append(f"{path} at 1366: controls of a row not aligned {bottoms}")
        last = rows[-1]
        lead.screenshot(f"filter-bar-{path.split('?')[0].strip('/')}-1366")
        if bar["apply"]["bottom"] < last[0]["cell"]["bottom"] - 2:
            problems.append(f"{path} at 1366: Apply above the last row of controls")
        elif abs(bar["apply"]["bottom"] - last[0]["control"]["bottom"]) > 2:
            problems.append(f"{path} at 1366: Apply not on the line of its row's controls")

        page.set_viewport_size({"width": 390, "height": 900})
        lead.visit(path)
        page.wait_for_load_state("networkidle")
        bar = page.evaluate(MEASURE)
        cells = [field["cell"] for field in bar["fields"]]
        if len({round(c["x"]) for c in cells}) != 1:
            problems.append(f"{path} at 390: controls not in one column")
        for above, below in zip(cells, cells[1:], strict=False):
            if below["y"] < above["bottom"] - 1:
                problems.append(f"{path} at 390: controls side by side")
        for field in bar["fields"]:
            if not field["fits"]:
                problems.append(f"{path} at 390: {field['labelText']} cut: {field['text']!r}")
        if bar["apply"]["y"] < cells[-1]["bottom"] - 1:
            problems.append(f"{path} at 390: Apply beside a control")
        if bar["scroll"] > bar["width"]:
            problems.append(f"{path} at 390: scrolls sideways ({bar['scroll']} px)")
        lead.screenshot(f"filter-bar-{path.split('?')[0].strip('/')}-390")
    assert problems == [], "\n".join(problems)


def test_an_unreadable_filter_is_named_above_the_list_and_passes_axe(sign_in):
    lead = sign_in("lead", bypass_csp=True)
    page = lead.visit("/people/?seniority=wizard&department=nowhere")
    problems = page.get_by_test_id("filter-problems")
    assert "Seniority: Select a valid choice." in problems.inner_text()
    assert "Department: No department has the key “nowhere”." in problems.inner_text()
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
            .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""",
        WCAG_TAGS,
    )
    assert violations == []
