"""The error pages in the app's own look, with DEBUG off: navigation, what happened, what
to do — 400, 403 (with the reason the access helper gave), 404, 405, 500 and CSRF."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from stakeholders import services
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_debug")]


@pytest.fixture
def no_debug(settings):
    settings.DEBUG = False


def assert_site_page(response, status: int, sentence: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert 'aria-label="Main navigation"' in html
    assert 'data-testid="error-page"' in html
    assert sentence in html
    return html


def test_unknown_address_shows_the_404_page_with_navigation(client_for, reader):
    response = client_for(reader).get("/no-such-page/")
    html = assert_site_page(response, 404, "There is nothing at this address")
    assert "/no-such-page/" in html
    assert 'href="/departments/"' in html  # the signed-in navigation


def test_forbidden_page_says_why_with_the_access_helpers_reason(client_for, head_a, dept_a):
    ana = PersonFactory(department=dept_a)
    seat = services.seat_nominate(actor=head_a, person=ana, department=dept_a)
    response = client_for(head_a).post(reverse("stakeholders:seat-approve", args=[seat.pk]))
    html = assert_site_page(response, 403, "You may not do this")
    assert "Only COE leads decide on seats." in html


def test_get_on_a_post_only_address_shows_the_405_page_and_keeps_allow(client_for, lead):
    response = client_for(lead).get(reverse("governance:recompute"))
    assert_site_page(response, 405, "This address only answers a form")
    assert response["Allow"] == "POST"


def test_api_405_keeps_its_json_body(client_for, lead):
    response = client_for(lead).delete("/api/departments/")
    assert response.status_code in (401, 403, 405)
    assert b"error-page" not in response.content


def test_post_without_csrf_token_shows_the_form_expired_page(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    response = client.post(reverse("governance:recompute"))
    assert_site_page(response, 403, "The form could not be accepted")
    assert b"CSRF verification failed" not in response.content


def test_request_for_an_unknown_host_shows_the_400_page(client_for, reader):
    response = client_for(reader).get("/", HTTP_HOST="bad host name")
    assert_site_page(response, 400, "The request could not be understood")


@override_settings(ROOT_URLCONF="tests.coe.urls_with_a_failing_view")
def test_server_error_shows_the_500_page(reader):
    client = Client(raise_request_exception=False)
    client.force_login(reader)
    response = client.get("/boom/")
    assert_site_page(response, 500, "Something went wrong on our side")
