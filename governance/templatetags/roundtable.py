"""Presentation filters shared by the pages: numbers, grades, severities, representation.

Templates only display; every label and colour of the app's vocabulary is decided
here, once, so the dashboard, the map legend and the directory say the same thing.
"""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django import forms, template
from django.template.defaultfilters import date as date_format
from django.utils import translation
from django.utils.html import conditional_escape, format_html, json_script
from django.utils.safestring import mark_safe

from governance import explain as explain_module
from stakeholders import vocabulary

register = template.Library()

# Labels come from the vocabulary; only the colour is decided here.
GRADE_CSS = {
    "open_table": "text-bg-success",
    "broad": "text-bg-info",
    "narrow": "text-bg-warning",
    "clubhouse": "text-bg-danger",
}
GRADES = {grade: (vocabulary.GRADE_LABELS[grade], css) for grade, css in GRADE_CSS.items()}
SEVERITIES = {
    "critical": ("Critical", "danger", "bi-exclamation-octagon-fill"),
    "high": ("High", "warning", "bi-exclamation-triangle-fill"),
    "medium": ("Medium", "info", "bi-info-circle-fill"),
    "low": ("Low", "secondary", "bi-dot"),
}
REPRESENTATION = {
    name: (vocabulary.REPRESENTATION_LABELS[name], f"rep-{name}", icon)
    for name, icon in (
        ("direct", "bi-check-circle-fill"),
        ("proxy", "bi-arrow-up-circle-fill"),
        ("none", "bi-x-circle-fill"),
    )
}
ORG_MODELS = {
    "organic": "Organic",
    "centralized": "Centralized",
    "hub_and_spoke": "Hub and spoke",
    "dandelion": "Dandelion (multiple hub and spoke)",
    "honeycomb": "Honeycomb",
}
COMPONENT_LABELS = {
    "coverage": "Coverage",
    "footprint": "Footprint",
    "balance": "Balance",
    "seniority_mix": "Seniority mix",
    "voices": "Voices",
    "participation": "Participation",
}
FINDING_LABELS = {
    "unrepresented_accounts": "Accounts without a seat",
    "no_seat": "No seat",
    "seat_by_proxy": "Seat by proxy",
    "clubhouse": "Clubhouse",
    "seniority_skew": "Seniority skew",
    "missing_voice": "Missing voice",
    "empty_chair": "Empty chair",
    "stale_nomination": "Stale nomination",
    "expired_term": "Expired term",
    "long_tenure": "Long tenure",
    "thin_representation": "Thin representation",
    "departed_member": "Departed member",
    "departed_manager": "Departed manager",
    "orphan_account": "Orphan account",
    "single_manager_account": "Single manager",
    "unverified_account": "Unverified account",
    "dormant_account": "Dormant account",
    "stalled_growth": "Stalled growth",
}
PLATFORM_ICONS = {
    "x": "bi-twitter-x",
    "facebook": "bi-facebook",
    "instagram": "bi-instagram",
    "linkedin": "bi-linkedin",
    "youtube": "bi-youtube",
    "tiktok": "bi-tiktok",
    "threads": "bi-threads",
    "bluesky": "bi-bluesky",
    "mastodon": "bi-mastodon",
    "reddit": "bi-reddit",
    "pinterest": "bi-pinterest",
}


def _half_up(value: float, places: int) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


@register.filter
def percent(value, places: int = 0) -> str:
    """0.4567 → "46%"; None → "not measured"."""
    if value is None or value == "":
        return "not measured"
    return f"{_half_up(float(value) * 100, int(places))}%"


@register.filter
def percent_width(value) -> str:
    """A CSS width for a 0–1 share, clamped: 0.4567 → "45.7"."""
    if value is None:
        return "0"
    return str(_half_up(min(1.0, max(0.0, float(value))) * 100, 1))


@register.simple_tag
def attendance_bar(present: int, expected: int, label: str, *, counts: bool = True) -> str:
    """A share of meetings attended as a bar (red under half, amber under 80%, green)
    with the percentage and, with `counts`, "(present/expected)". One tag: the roster
    draws one per row."""
    share = present / expected
    colour = "bg-danger" if share < 0.5 else "bg-warning" if share < 0.8 else "bg-success"
    width = percent_width(share)
    detail = (
        format_html(' <span class="text-body-secondary">({}/{})</span>', present, expected)
        if counts
        else ""
    )
    return format_html(
        '<div class="d-flex align-items-center gap-2">'
        '<div class="progress progress-h-5 flex-grow-1" role="progressbar" aria-label="{}" '
        'aria-valuenow="{}" aria-valuemin="0" aria-valuemax="100">'
        '<div class="progress-bar {}" data-width="{}"></div></div>'
        '<span class="small text-nowrap">{}{}</span></div>',
        label,
        width,
        colour,
        width,
        percent(share),
        detail,
    )


@register.filter
def score(value) -> str:
    """A score shown with one decimal (the value is already rounded half-up)."""
    if value is None:
        return "—"
    return f"{_half_up(value, 1)}"


@register.filter
def signed(value) -> str:
    """A gain in score points: 3.25 → "+3.3", -1 → "−1.0"."""
    if value is None:
        return "—"
    shown = _half_up(value, 1)
    if shown > 0:
        return f"+{shown}"
    if shown < 0:
        return f"\u2212{abs(shown)}"
    return "±0.0"


@register.filter
def grade_label(grade: str) -> str:
    return GRADES.get(grade, (str(grade).replace("_", " ").capitalize(), ""))[0]


@register.filter
def grade_badge(grade: str) -> str:
    label, css = GRADES.get(grade, (str(grade).replace("_", " ").capitalize(), "text-bg-secondary"))
    return format_html('<span class="badge grade-badge {}">{}</span>', css, label)


@register.filter
def severity_label(severity: str) -> str:
    return SEVERITIES.get(severity, (str(severity).capitalize(), "", ""))[0]


@register.filter
def severity_colour(severity: str) -> str:
    """The Bootstrap colour name of a severity (danger, warning, info, secondary)."""
    return SEVERITIES.get(severity, ("", "secondary", ""))[1]


@register.filter
def severity_badge(severity: str) -> str:
    label, colour, icon = SEVERITIES.get(severity, (str(severity), "secondary", "bi-dot"))
    text = "text-bg-warning" if colour == "warning" else f"text-bg-{colour}"
    return format_html(
        '<span class="badge {}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
        text,
        icon,
        label,
    )


@register.filter
def representation_label(value: str | None) -> str:
    if value not in REPRESENTATION:
        return vocabulary.REPRESENTATION_LABELS["unknown"]
    return REPRESENTATION[value][0]


@register.filter
def representation_badge(value: str | None) -> str:
    if value not in REPRESENTATION:
        return format_html(
            '<span class="rep-badge rep-unknown" data-representation="unknown">'
            '<i class="bi bi-question-circle" aria-hidden="true"></i> {}</span>',
            vocabulary.REPRESENTATION_LABELS["unknown"],
        )
    label, css, icon = REPRESENTATION[value]
    return format_html(
        '<span class="rep-badge {}" data-representation="{}">'
        '<i class="bi {}" aria-hidden="true"></i> {}</span>',
        css,
        value,
        icon,
        label,
    )


@register.filter
def org_model_label(value: str) -> str:
    return ORG_MODELS.get(value, str(value).replace("_", " ").capitalize())


@register.filter
def component_label(name: str) -> str:
    return COMPONENT_LABELS.get(name, str(name).replace("_", " ").capitalize())


@register.filter
def finding_label(code: str) -> str:
    return FINDING_LABELS.get(code, str(code).replace("_", " ").capitalize())


@register.filter
def platform_icon(platform: str) -> str:
    return format_html(
        '<i class="bi {}" aria-hidden="true"></i>', PLATFORM_ICONS.get(platform, "bi-globe2")
    )


ORG_MODEL_DESCRIPTIONS = {
    "organic": "Social media happens in every corner of the company, uncoordinated.",
    "centralized": "One department runs social media for everybody else.",
    "hub_and_spoke": "A cross-functional COE (the hub) supports the departments (the spokes).",
    "dandelion": "Several hubs, one per business unit or region, each with its own spokes.",
    "honeycomb": "Everyone takes part within shared standards: the most inclusive model.",
}


@register.simple_tag
def org_model_sentence(model: str, explain: dict | None, reason: str = "") -> str:
    """Why the company is organised this way, in plain words (governance.explain)."""
    return explain_module.org_model_sentence(model, explain, reason)


@register.filter
def org_model_description(value: str) -> str:
    return ORG_MODEL_DESCRIPTIONS.get(value, "")


@register.simple_tag
def mendelow(influence: int, interest: int) -> str:
    """The power/interest quadrant of a department."""
    return vocabulary.quadrant(influence, interest)


@register.simple_tag
def vocabulary_json() -> str:
    """The vocabulary for the scripts: <script id="vocabulary" type="application/json">."""
    return json_script(vocabulary.as_json(), "vocabulary")


@register.filter
def minus(value, other) -> float | None:
    if value is None or other is None:
        return None
    return float(value) - float(other)


@register.filter
def get_key(mapping, key):
    """`mapping[key]`, or None (templates cannot index a dict with a variable)."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def row_count(paginator) -> str:
    """A list's number of rows, "more than 2,000" when its paginator stopped counting."""
    from django.contrib.humanize.templatetags.humanize import intcomma

    if getattr(paginator, "capped", False):
        return f"more than {intcomma(paginator.count)}"
    return intcomma(paginator.count)


@register.filter
def page_total(paginator) -> str:
    """A list's number of pages, "40+" when its paginator stopped counting."""
    return (
        f"{paginator.num_pages}+"
        if getattr(paginator, "capped", False)
        else str(paginator.num_pages)
    )


@register.filter
def divide(value, other) -> float | None:
    """value / other, None when other is 0."""
    try:
        return float(value) / float(other) if other else None
    except (TypeError, ValueError):
        return None


@register.filter
def user_label(user) -> str:
    """A user's full name, else their username ("" for nobody)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- Dates for people: one format everywhere ("4 Mar 2026", "4 Mar 2026, 14:05"); ISO
# dates are for exports, the API and machine attributes (<time datetime>, input values).
DAY_FORMAT = "j M Y"
MOMENT_FORMAT = "j M Y, H:i"


@register.filter(expects_localtime=True)
def day(value) -> str:
    """A date (or the local date of a datetime) as people read it: "4 Mar 2026"."""
    return _formatted(value, DAY_FORMAT) if value not in (None, "") else ""


@register.filter(expects_localtime=True)
def moment(value) -> str:
    """A datetime in local time as people read it: "4 Mar 2026, 14:05"."""
    return _formatted(value, MOMENT_FORMAT) if value not in (None, "") else ""


def _formatted(value, fmt: str) -> str:
    # Django's date formatting costs tens of microseconds a call and a list page shows
    # the same few dates on every row, page after page. The zone and the language are
    # part of the key: the same instant reads differently in another zone.
    return _formatted_cached(value, getattr(value, "tzinfo", None), translation.get_language(), fmt)


@lru_cache(maxsize=4096)
def _formatted_cached(value, zone, language, fmt: str) -> str:
    return date_format(value, fmt)


# --- The filter bar's fields (templates/partials/filter_bar.html) --------------------------


@register.filter
def bar_widget(field: forms.BoundField) -> str:
    """A filter's input with Bootstrap's classes and, when its value was refused, marked
    invalid and tied to its message: what crispy's field template gives a form's field,
    at a fraction of the cost, since every list page draws the bar."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        bootstrap = "form-check-input"
    elif isinstance(widget, forms.Select):
        bootstrap = "form-select"
    else:
        bootstrap = "form-control"
    css = f"{type(widget).__name__.lower()} {bootstrap}"
    attrs = {"class": css}
    if field.errors:
        attrs.update(
            {
                "class": f"{css} is-invalid",
                "aria-invalid": "true",
                "aria-describedby": f"{field.auto_id}_error",
            }
        )
    return _widget_html(field, attrs)


# Django's own templates for these widgets, written out below as Python: a select with
# its options costs a template include per option, a dozen per filter bar.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "search", "date", "number", "email", "checkbox")
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _widget_html(field: forms.BoundField, attrs: dict) -> str:
    """field.as_widget(attrs=attrs), the same markup, without the template engine for
    the plain inputs and selects (any other widget is rendered by Django)."""
    widget = field.field.widget
    is_select = (
        isinstance(widget, forms.Select)
        and widget.template_name == _SELECT_TEMPLATE
        and widget.option_template_name == _OPTION_TEMPLATE
    )
    if not (is_select or widget.template_name in _INPUT_TEMPLATES) or field.field.localize:
        return field.as_widget(attrs=attrs)
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    if not is_select:
        value = context["value"]
        shown = "" if value is None else f' value="{conditional_escape(value)}"'
        return mark_safe(
            f'<input type="{context["type"]}" name="{conditional_escape(context["name"])}"'
            f"{shown}{_attrs_html(context['attrs'])}>"
        )
    parts = [
        f'<select name="{conditional_escape(context["name"])}"{_attrs_html(context["attrs"])}>'
    ]
    for group_name, options, _ in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{conditional_escape(option["value"])}"'
                f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


def _attrs_html(attrs: dict) -> str:
    # django/forms/widgets/attrs.html: False leaves the attribute out, True writes its
    # name alone. (select_option.html ends with a new line: so does each option above.)
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
