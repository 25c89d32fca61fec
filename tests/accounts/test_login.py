"""Sign-in and sign-out: every other page needs a signed-in user."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_the_sign_in_page_has_a_labelled_form(client):
    response = client.get(LOGIN)
    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Sign in · Roundtable</title>" in content
    assert 'for="id_username"' in content
    assert 'for="id_password"' in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_an_anonymous_visitor_is_sent_to_sign_in_and_back(client):
    response = client.get(reverse("stakeholders:nomination-mine"))
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/nominations/mine/"
    assert "Sign in to see that page." in client.get(response.url).content.decode()


def test_signing_in_with_the_right_password_goes_to_the_dashboard(client, reader):
    response = client.post(LOGIN, {"username": "reader", "password": "roundtable"})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session[SESSION_KEY] == str(reader.pk)


def test_signing_in_returns_to_the_page_asked_for(client, reader):
    response = client.post(
        f"{LOGIN}?next=/meetings/",
        {"username": "reader", "password": "roundtable", "next": "/meetings/"},
    )
    assert response.url == "/meetings/"


def test_signing_in_never_redirects_to_another_site(client, reader):
    response = client.post(
        LOGIN, {"username": "reader", "password": "roundtable", "next": "https://evil.test/"}
    )
    assert response.url == "/"


def test_a_wrong_password_is_refused_with_a_message(client, reader):
    response = client.post(LOGIN, {"username": "reader", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_deactivated_user_cannot_sign_in(client):
    UserFactory(username="gone", is_active=False)
    response = client.post(LOGIN, {"username": "gone", "password": "roundtable"})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_signing_out_ends_the_session_and_returns_to_sign_in(client_for, reader):
    client = client_for(reader)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == LOGIN
    assert SESSION_KEY not in client.session


def test_signing_out_needs_a_post(client_for, reader):
    assert client_for(reader).get(reverse("accounts:logout")).status_code == 405


def test_every_page_shows_a_sign_out_button_to_a_signed_in_user(client_for, reader):
    content = client_for(reader).get(reverse("governance:meeting-list")).content.decode()
    assert f'action="{reverse("accounts:logout")}"' in content
