"""`{% url %}` remembers the addresses it computed (coe/url_memo.py) and still answers
exactly as Django's tag does."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from coe.url_memo import reverse_remembered


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("seat_id", [1, 42, 987654])
def test_the_tag_gives_the_address_reverse_gives_for_positional_arguments(seat_id):
    shown = render("{% url 'stakeholders:seat-detail' seat_id %}", seat_id=seat_id)
    assert shown == reverse("stakeholders:seat-detail", args=[seat_id])


def test_the_tag_gives_the_address_reverse_gives_for_named_arguments_and_as_a_variable():
    shown = render(
        "{% url 'stakeholders:department-detail' key=key as link %}[{{ link }}]", key="emea-sales"
    )
    assert (
        shown == "[" + reverse("stakeholders:department-detail", kwargs={"key": "emea-sales"}) + "]"
    )


def test_an_address_that_does_not_exist_still_fails_loudly_unless_kept_in_a_variable():
    with pytest.raises(NoReverseMatch):
        render("{% url 'stakeholders:seat-detail' 'not-a-number' %}")
    assert render("{% url 'stakeholders:seat-detail' 'x' as link %}[{{ link }}]") == "[]"


def test_an_argument_whose_text_can_change_is_not_remembered():
    class Key:
        text = "first"

        def __str__(self):
            return self.text

    key = Key()
    first = render("{% url 'stakeholders:department-detail' key=key %}", key=key)
    key.text = "second"
    second = render("{% url 'stakeholders:department-detail' key=key %}", key=key)
    assert (first, second) == ("/departments/first/", "/departments/second/")


def test_the_script_prefix_is_part_of_what_is_remembered():
    plain = reverse_remembered("governance:roster")
    try:
        set_script_prefix("/coe/")
        prefixed = reverse_remembered("governance:roster")
    finally:
        set_script_prefix("/")
    assert (plain, prefixed) == ("/roster/", "/coe/roster/")
