"""Password guessing: django-axes locks a username out from one address after
AXES_FAILURE_LIMIT (5) wrong passwords, on the sign-in page and POST /api/token/ alike;
the token endpoint is also throttled per address. Real views, real attempts."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/token/"
RIGHT = {"username": "reader", "password": "roundtable"}
WRONG = {"username": "reader", "password": "wrong"}


def fail(client, times: int, url: str = LOGIN, **extra):
    return [client.post(url, WRONG, **extra).status_code for _ in range(times)]


def test_four_wrong_passwords_still_show_the_form_and_the_right_one_signs_in(client, reader):
    assert fail(client, 4) == [200, 200, 200, 200]
    response = client.post(LOGIN, RIGHT)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(reader.pk)


def test_the_fifth_wrong_password_locks_the_username_out(client, reader):
    assert fail(client, 5) == [200, 200, 200, 200, 429]


def test_during_a_lockout_even_the_right_password_is_refused(client, reader):
    fail(client, 5)
    response = client.post(LOGIN, RIGHT)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_twenty_wrong_passwords_then_the_right_one_do_not_sign_in(client, reader):
    fail(client, 20)
    response = client.post(LOGIN, RIGHT)
    assert response.status_code == 429
    assert "After 5 wrong passwords" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_lockout_page_says_why_and_for_how_long_in_the_sites_look(client, reader):
    fail(client, 4)
    response = client.post(LOGIN, WRONG)
    content = response.content.decode()
    assert "<title>Too many sign-in attempts · Roundtable</title>" in content
    assert "After 5 wrong passwords for <strong>reader</strong>" in content
    assert "paused for 15 minutes" in content
    assert 'href="/accounts/login/"' in content


def test_a_lockout_holds_one_username_at_one_address_only(client, reader):
    fail(client, 5)
    other_address = client.post(LOGIN, RIGHT, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 302
    UserFactory(username="colleague")
    colleague = client.post(LOGIN, {"username": "colleague", "password": "roundtable"})
    assert colleague.status_code == 302


def test_a_forwarded_for_header_sent_by_the_client_does_not_escape_the_lockout(client, reader):
    fail(client, 5)
    response = client.post(LOGIN, RIGHT, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_address_it_saw_counts(client, reader, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail(client, 5, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    # Same client behind the proxy, whatever it puts further left:
    assert client.post(LOGIN, RIGHT, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7").status_code == 429
    # Another client behind the same proxy:
    assert client.post(LOGIN, RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, reader):
    fail(client, 5)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert client.post(LOGIN, RIGHT).status_code == 302


def test_a_successful_sign_in_starts_the_count_again(client, reader):
    fail(client, 4)
    client.post(LOGIN, RIGHT)
    client.logout()
    assert fail(client, 4) == [200, 200, 200, 200]


def test_the_failure_limit_comes_from_the_settings(client, reader, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert fail(client, 2) == [200, 429]


def test_the_sign_in_form_takes_thirty_posts_a_minute_per_address_whatever_the_username(client, db):
    statuses = [
        client.post(LOGIN, {"username": f"guess{i}", "password": "x"}).status_code
        for i in range(31)
    ]
    assert statuses == [200] * 30 + [429]
    assert "Too many sign-in attempts came from this address" in (
        client.post(LOGIN, WRONG).content.decode()
    )
    # Another address has its own allowance.
    assert client.post(LOGIN, WRONG, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_viewing_the_sign_in_page_is_not_throttled(client, db):
    assert {client.get(LOGIN).status_code for _ in range(40)} == {200}


# --- the token endpoint ---------------------------------------------------------------------


def test_the_token_endpoint_locks_out_after_five_wrong_passwords_with_a_json_429(reader):
    client = APIClient()
    assert fail(client, 4, TOKEN) == [400, 400, 400, 400]
    response = client.post(TOKEN, WRONG)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith(
        "Too many wrong passwords for this username from this address."
    )
    assert response["Retry-After"] == str(15 * 60)
    right = client.post(TOKEN, RIGHT)
    assert right.status_code == 429
    assert "token" not in right.json()


def test_web_and_api_failures_count_together(client, reader):
    fail(client, 3)
    assert fail(APIClient(), 2, TOKEN) == [400, 429]
    assert client.post(LOGIN, RIGHT).status_code == 429


def test_the_token_endpoint_takes_ten_tries_a_minute_per_address_whatever_the_username(db):
    client = APIClient()
    statuses = [
        client.post(TOKEN, {"username": f"guess{i}", "password": "x"}).status_code
        for i in range(11)
    ]
    assert statuses == [400] * 10 + [429]
    response = client.post(TOKEN, {"username": "another", "password": "x"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # Another address has its own allowance.
    assert client.post(TOKEN, WRONG, REMOTE_ADDR="10.0.0.9").status_code == 400
