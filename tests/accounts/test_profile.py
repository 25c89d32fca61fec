"""The profile page: who I am, the departments I head, my API token (create, regenerate,
revoke) and my signed-in browsers (sign out everywhere else)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.models import SignInEvent, UserSession
from tests.test_csp import check

pytestmark = pytest.mark.django_db


def test_the_profile_shows_the_name_email_and_headed_departments(client_for, head_a, dept_a):
    head_a.email = "head_a@acme.test"
    head_a.save()
    page = client_for(head_a).get("/accounts/profile/")
    content = page.content.decode()
    assert page.status_code == 200
    assert "head_a@acme.test" in content
    assert f'href="/departments/{dept_a.key}/"' in content
    assert "You have no API token." in content
    check(page, "/accounts/profile/")


def test_a_new_token_is_shown_once_and_works(client_for, reader):
    client = client_for(reader)
    response = client.post("/accounts/profile/token/")
    key = Token.objects.get(user=reader).key
    assert key in response.content.decode()
    assert key not in client.get("/accounts/profile/").content.decode()
    assert key[-4:] in client.get("/accounts/profile/").content.decode()
    api = Client()
    assert (
        api.get("/api/departments/", headers={"Authorization": f"Token {key}"}).status_code == 200
    )


def test_regenerating_replaces_the_old_key(client_for, reader):
    old = services.token_issue(user=reader).key
    client_for(reader).post("/accounts/profile/token/")
    assert list(Token.objects.filter(user=reader).values_list("key", flat=True)) != [old]
    assert Token.objects.filter(user=reader).count() == 1


def test_revoking_the_token_from_the_profile(client_for, reader):
    services.token_issue(user=reader)
    response = client_for(reader).post("/accounts/profile/token/revoke/")
    assert response.status_code == 302
    assert not Token.objects.filter(user=reader).exists()
    assert SignInEvent.objects.filter(user=reader, kind="token_revoked").exists()


def test_the_profile_lists_my_sessions_and_signs_out_the_others(reader):
    here, laptop, phone = Client(), Client(), Client()
    for client in (here, laptop, phone):
        client.force_login(reader)
    page = here.get("/accounts/profile/").content.decode()
    assert page.count('data-testid="session"') == 3
    assert "this browser" in page

    response = here.post("/accounts/profile/sessions/end/", follow=True)

    assert "Signed out of 2 other sessions." in response.content.decode()
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    assert here.get("/").status_code == 200
    assert UserSession.objects.filter(user=reader).count() == 1
    assert Session.objects.count() == 1


def test_ending_sessions_leaves_other_users_signed_in(reader, head_a):
    mine, theirs = Client(), Client()
    mine.force_login(reader)
    theirs.force_login(head_a)
    mine.post("/accounts/profile/sessions/end/")
    assert theirs.get("/").status_code == 200


def test_the_profile_actions_need_a_csrf_token(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    for url in ("/accounts/profile/token/", "/accounts/profile/sessions/end/"):
        assert client.post(url).status_code == 403


def test_the_profile_takes_a_fixed_number_of_queries(
    client_for, head_a, dept_a, dept_b, django_assert_num_queries
):
    client = client_for(head_a)
    with django_assert_num_queries(7):
        client.get("/accounts/profile/")
    Client().force_login(head_a)
    Client().force_login(head_a)
    with django_assert_num_queries(7):
        client.get("/accounts/profile/")
