"""Password reset and change: Django's views in the site's look, Django's validators,
and a reset page that does not tell whether an e-mail address has an account."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.factories import UserFactory
from tests.test_csp import check

pytestmark = pytest.mark.django_db

NEW = "Correct-Horse-42x"


@pytest.fixture
def ana(db):
    user = UserFactory(username="ana", email="ana@acme.test")
    user.set_password("old-Password-1")
    user.save()
    return user


def test_a_reset_mails_a_link_that_sets_a_new_password_once(client, ana, settings):
    settings.SITE_URL = "https://roundtable.example"
    response = client.post("/accounts/password/reset/", {"email": "ANA@acme.test"})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/sent/"
    [message] = mail.outbox
    assert message.to == ["ana@acme.test"]
    assert message.subject == "Reset your Roundtable password"
    url = re.search(r"https://roundtable\.example(/accounts/password/reset/\S+/)", message.body)
    page = client.get(url.group(1), follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    weak = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert "too common" in weak.content.decode()

    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})

    assert done.url == "/accounts/password/reset/done/"
    ana.refresh_from_db()
    assert ana.check_password(NEW)
    again = Client().get(url.group(1), follow=True)
    assert 'data-testid="reset-link-invalid"' in again.content.decode()


def test_the_reset_page_says_the_same_for_an_unknown_address(client, ana):
    known = client.post("/accounts/password/reset/", {"email": "ana@acme.test"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@acme.test"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1


def test_a_user_without_a_password_gets_no_reset_mail(client):
    invited = User(username="new", email="new@acme.test")
    invited.set_unusable_password()
    invited.save()
    response = client.post("/accounts/password/reset/", {"email": "new@acme.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_changing_the_password_checks_the_old_one_and_the_validators(client, ana):
    client.force_login(ana)
    wrong = client.post(
        "/accounts/password/change/",
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert "incorrectly" in wrong.content.decode()
    weak = client.post(
        "/accounts/password/change/",
        {"old_password": "old-Password-1", "new_password1": "ana", "new_password2": "ana"},
    )
    assert "too short" in weak.content.decode()
    done = client.post(
        "/accounts/password/change/",
        {"old_password": "old-Password-1", "new_password1": NEW, "new_password2": NEW},
    )
    assert done.url == "/accounts/password/change/done/"
    ana.refresh_from_db()
    assert ana.check_password(NEW)
    assert client.get("/accounts/password/change/done/").status_code == 200  # still signed in


def test_a_password_change_signs_out_the_other_sessions(ana):
    here, elsewhere = Client(), Client()
    here.force_login(ana)
    elsewhere.force_login(ana)
    here.post(
        "/accounts/password/change/",
        {"old_password": "old-Password-1", "new_password1": NEW, "new_password2": NEW},
    )
    assert elsewhere.get("/").status_code == 302


def test_the_sign_in_page_links_to_the_reset(client):
    assert 'href="/accounts/password/reset/"' in client.get("/accounts/login/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/MQ/bad-token/",
    ],
)
def test_the_reset_pages_have_no_inline_code(client, url):
    check(client.get(url, follow=True), url)
