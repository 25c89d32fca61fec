"""CSRF protection on every URL that accepts a POST, derived from the permission matrix:
for each URL, a persona whose POST is accepted is refused (403) without a CSRF token,
and gets the matrix's status with one -- so the 403 is the CSRF check, not a permission."""

import pytest

from tests.test_permission_matrix import (  # noqa: F401 - fixtures, used by name
    MATRIX,
    _fast_passwords,
    expected,
    personas,  # noqa: F811
    request_as,
    url_for,
    world,  # noqa: F811
)

REFUSALS = {"405", "login", "401", "403"}
# Try the most privileged persona first: it is the one most likely to get through.
ORDER = ("admin", "lead", "head_a", "head_b", "reader", "anonymous")


def posting_persona(name: str) -> tuple[str, str] | None:
    statuses = expected(MATRIX[name], "POST")
    for persona in ORDER:
        if statuses[persona] not in REFUSALS:
            return persona, statuses[persona]
    return None


POST_URLS = sorted(name for name in MATRIX if posting_persona(name) is not None)


def test_every_form_of_the_site_is_checked():
    assert {"accounts:login", "stakeholders:seat-nominate", "governance:meeting-attendance"} <= set(
        POST_URLS
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_URLS)
def test_a_post_without_a_csrf_token_is_refused(name, world, personas):  # noqa: F811
    persona, accepted = posting_persona(name)
    row = MATRIX[name]
    url = url_for(name, row, world)
    user = personas[persona]
    assert request_as(user, "POST", url, row.data, csrf=False) == "403", (
        f"POST {url} as {persona} without a CSRF token was not refused"
    )
    assert request_as(user, "POST", url, row.data, csrf=True) == accepted
