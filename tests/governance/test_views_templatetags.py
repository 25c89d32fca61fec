"""The presentation filters the pages share (governance/templatetags/roundtable.py)."""

import pytest
from django.template import Context, Template

from governance.templatetags import roundtable as rt


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [(0.4567, 0, "46%"), (0.125, 1, "12.5%"), (0.005, 0, "1%"), (1, 0, "100%"), (0, 0, "0%"),
     (None, 0, "not measured")],
)  # fmt: skip
def test_percent_rounds_half_up_and_says_not_measured(value, places, shown):
    assert rt.percent(value, places) == shown


@pytest.mark.parametrize(
    ("value", "width"), [(0.4567, "45.7"), (1.5, "100.0"), (-1, "0.0"), (None, "0")]
)
def test_percent_width_is_clamped(value, width):
    assert rt.percent_width(value) == width


@pytest.mark.parametrize(
    ("value", "shown"), [(3.25, "+3.3"), (-1, "\u22121.0"), (0.04, "±0.0"), (None, "—")]
)
def test_signed_gain(value, shown):
    assert rt.signed(value) == shown


def test_score_shows_one_decimal():
    assert rt.score(42.45) == "42.5"
    assert rt.score(80) == "80.0"


@pytest.mark.parametrize(
    ("grade", "label", "css"),
    [("open_table", "Open table", "text-bg-success"), ("clubhouse", "Clubhouse", "text-bg-danger"),
     ("unknown_grade", "Unknown grade", "text-bg-secondary")],
)  # fmt: skip
def test_grade_badge(grade, label, css):
    badge = rt.grade_badge(grade)
    assert label in badge and css in badge
    assert rt.grade_label(grade) == label


@pytest.mark.parametrize(
    ("severity", "colour"),
    [("critical", "danger"), ("high", "warning"), ("medium", "info"), ("low", "secondary")],
)
def test_severity_colour_and_badge(severity, colour):
    assert rt.severity_colour(severity) == colour
    assert rt.severity_label(severity) in rt.severity_badge(severity)


@pytest.mark.parametrize(
    ("value", "label"),
    [("direct", "Direct seat"), ("proxy", "By proxy"), ("none", "No seat"),
     (None, "Not assessed yet")],
)  # fmt: skip
def test_representation_label_and_badge(value, label):
    assert rt.representation_label(value) == label
    badge = rt.representation_badge(value)
    assert label in badge
    assert f'data-representation="{value or "unknown"}"' in badge


@pytest.mark.parametrize(
    ("influence", "interest", "quadrant"),
    [(5, 5, "Manage closely"), (4, 2, "Keep satisfied"), (2, 4, "Keep informed"),
     (3, 3, "Monitor")],
)  # fmt: skip
def test_mendelow_quadrants(influence, interest, quadrant):
    assert rt.mendelow(influence, interest) == quadrant


def test_labels_of_the_vocabulary():
    assert rt.org_model_label("hub_and_spoke") == "Hub and spoke"
    assert rt.org_model_description("honeycomb").startswith("Everyone takes part")
    assert rt.component_label("seniority_mix") == "Seniority mix"
    assert rt.finding_label("departed_manager") == "Departed manager"
    assert rt.finding_label("brand_new_code") == "Brand new code"
    assert "bi-linkedin" in rt.platform_icon("linkedin")
    assert "bi-globe2" in rt.platform_icon("myspace")


def test_small_arithmetic_and_lookups():
    assert rt.minus(5, 2) == 3.0
    assert rt.minus(None, 2) is None
    assert rt.divide(1, 4) == 0.25
    assert rt.divide(1, 0) is None
    assert rt.get_key({"a": 1}, "a") == 1
    assert rt.get_key(None, "a") is None


def test_badges_escape_what_they_show():
    html = Template("{% load roundtable %}{{ value|grade_badge }}").render(
        Context({"value": "<script>"})
    )
    assert "<script>" not in html


def test_day_and_moment_show_dates_one_way_for_people(settings):
    import datetime
    from zoneinfo import ZoneInfo

    from django.template import Context, Template

    settings.TIME_ZONE = "Europe/Madrid"
    moment_utc = datetime.datetime(2026, 3, 4, 13, 5, tzinfo=ZoneInfo("UTC"))
    rendered = Template("{% load roundtable %}{{ d|day }}|{{ m|moment }}|{{ m|day }}|{{ n|day }}")
    text = rendered.render(Context({"d": datetime.date(2026, 3, 4), "m": moment_utc, "n": None}))
    assert text == "4 Mar 2026|4 Mar 2026, 14:05|4 Mar 2026|"


def test_the_same_instant_reads_in_each_zone_even_after_it_was_shown_in_another(settings):
    import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    instant = datetime.datetime(2026, 3, 4, 23, 30, tzinfo=ZoneInfo("UTC"))
    rendered = Template("{% load roundtable %}{{ m|moment }}")
    first = rendered.render(Context({"m": instant}))
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        second = rendered.render(Context({"m": instant}))
    assert (first, second) == ("4 Mar 2026, 23:30", "5 Mar 2026, 08:30")


def test_a_filter_bar_field_is_labelled_and_its_refused_value_is_named():
    from stakeholders.filters import PersonFilterSet
    from stakeholders.models import Person

    filters = PersonFilterSet({"seniority": "bogus", "sub": "on"}, queryset=Person.objects.none())
    filters.is_valid()
    html = Template(
        '{% for field in filters.bar %}{% include "partials/filter_field.html" %}{% endfor %}'
    ).render(Context({"filters": filters}))
    assert '<label for="id_seniority" class="form-label">Seniority</label>' in html
    assert (
        'class="select form-select is-invalid" aria-invalid="true" '
        'aria-describedby="id_seniority_error"' in html
    )
    assert '<div id="id_seniority_error" class="invalid-feedback">' in html
    assert "bogus is not one of the available choices" in html
    assert 'class="checkboxinput form-check-input" id="id_sub" checked' in html
    assert (
        '<label for="id_sub" class="form-check-label">Include its sub-departments</label>' in html
    )
    assert 'data-search-url="/department-search.json" class="select form-select"' in html


def _filter_sets():
    import datetime

    from governance.filters import MeetingFilterSet
    from governance.models import Meeting
    from stakeholders import filters
    from stakeholders.models import Department, Person, Seat, SocialAccount, StakeholderGroup

    data = [
        {},
        {"q": 'a "quoted" <b>', "sub": "on", "archived": "on", "seniority": "bogus"},
        {"platform": "x", "status": "zz", "role": "lead", "kind": "team", "sort": "-name"},
        {"date_after": "2026-01-31", "date_before": "nonsense", "department": "none"},
    ]
    cases = [
        (filters.PersonFilterSet, Person, {}),
        (filters.SocialAccountFilterSet, SocialAccount, {}),
        (filters.SeatFilterSet, Seat, {"as_of": datetime.date(2026, 11, 1)}),
        (filters.DepartmentFilterSet, Department, {}),
        (filters.StakeholderGroupFilterSet, StakeholderGroup, {}),
        (MeetingFilterSet, Meeting, {}),
    ]
    for filter_set, model, extra in cases:
        for values in data:
            yield filter_set, model, extra, values


@pytest.mark.django_db
def test_each_filter_bar_input_is_the_markup_django_renders():
    checked = 0
    for filter_set, model, extra, values in _filter_sets():
        filters = filter_set(values, queryset=model.objects.none(), **extra)
        filters.is_valid()
        for field in filters.bar:
            attrs = {"class": "x is-invalid", "aria-describedby": "y_error"}
            assert rt._widget_html(field, attrs) == field.as_widget(attrs=attrs), field.name
            checked += 1
    assert checked > 80
