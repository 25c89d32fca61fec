"""Single sign-on against a real OpenID Connect provider (tests/idp: django-oidc-provider
in its own process). The provider's login form is posted with `requests`, as a browser
would; Roundtable's side runs in the test client. Matching is by verified e-mail only."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.test import Client

from accounts.models import SignInEvent
from accounts.sso import ENDPOINT_KEYS
from stakeholders.models import Person
from tests.factories import DepartmentFactory, PersonFactory, UserFactory, make_lead
from tests.idp.fixtures import sso_settings
from tests.test_csp import check

pytestmark = pytest.mark.django_db

PASSWORD = "company-password"


def provider_sign_in(client: Client, provider, email: str, next_url: str = ""):
    """Start at Roundtable's button, log in at the provider's form, and return
    Roundtable's answer to the callback the provider sends the browser to."""
    provider.redirect_uri_allow("http://testserver/accounts/sso/callback/")
    start = client.get("/accounts/sso/start/", {"next": next_url} if next_url else {})
    assert start.status_code == 302, start.content
    browser = requests.Session()
    page = browser.get(start["Location"], timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = browser.post(
        page.url,
        data={
            "csrfmiddlewaretoken": csrf,
            "username": email,
            "password": PASSWORD,
            "next": html.unescape(re.search(r'name="next" value="([^"]*)"', page.text).group(1)),
        },
        headers={"Referer": page.url},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    while not location.startswith("http://testserver/"):
        answer = browser.get(urljoin(answer.url, location), allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        location = answer.headers["Location"]
    callback = urlsplit(location)
    return client.get(f"{callback.path}?{callback.query}")


def events(kind: str) -> list[tuple[str, object]]:
    return list(
        SignInEvent.objects.filter(kind=kind).order_by("pk").values_list("username", "user")
    )


def test_a_head_signs_in_by_verified_email_and_lands_on_their_department(
    sso, client, head_a, dept_a
):
    sso.user_put(head_a.email, PASSWORD)
    response = provider_sign_in(client, sso, head_a.email)
    assert response.status_code == 302
    assert response["Location"] == "/departments/support/"
    assert client.get("/accounts/profile/").context["user"] == head_a
    assert events("sign_in_sso") == [("head_a", head_a.pk)]


def test_the_email_matches_whatever_its_case(sso, client, head_a, dept_a):
    sso.user_put(head_a.email.upper(), PASSWORD)
    response = provider_sign_in(client, sso, head_a.email.upper())
    assert response["Location"] == "/departments/support/"


def test_a_registered_person_without_a_user_gets_one_linked_to_them(sso, client):
    department = DepartmentFactory(key="legal", name="Legal")
    person = PersonFactory(email="Rosa.Head@acme.test", department=department)
    sso.user_put("rosa.head@acme.test", PASSWORD)
    response = provider_sign_in(client, sso, "rosa.head@acme.test")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user.username == "rosa.head@acme.test"
    assert not person.user.has_usable_password()
    assert events("sign_in_sso") == [("rosa.head@acme.test", person.user_id)]


def test_the_head_named_by_the_department_form_is_the_user_sso_finds(sso, client, lead):
    """Naming a person head makes their user (as invitations need); SSO finds that one."""
    from stakeholders import services
    from stakeholders.services import DepartmentData

    PersonFactory(email="new.head@acme.test", department=None)
    services.department_create(
        actor=lead,
        data=DepartmentData(key="care", name="Social Care", head="new.head@acme.test"),
    )
    sso.user_put("new.head@acme.test", PASSWORD)
    response = provider_sign_in(client, sso, "new.head@acme.test")
    assert response["Location"] == "/departments/care/"
    assert Person.objects.get(email="new.head@acme.test").user.headed_departments.count() == 1


def test_next_is_where_the_user_goes_after_signing_in(sso, client, head_a, dept_a):
    sso.user_put(head_a.email, PASSWORD)
    response = provider_sign_in(client, sso, head_a.email, next_url="/accounts/profile/")
    assert response["Location"] == "/accounts/profile/"


def test_an_unverified_email_is_refused_with_a_page_saying_so(sso, client, head_a):
    sso.user_put(head_a.email, PASSWORD, email_verified=False)
    response = provider_sign_in(client, sso, head_a.email)
    assert response.status_code == 403
    assert b"is not verified" in response.content
    assert "_auth_user_id" not in client.session
    assert events("sign_in_sso_refused") == [(head_a.email, None)]


def test_an_email_without_the_verified_claim_is_refused(sso, client, head_a):
    sso.user_put(head_a.email, PASSWORD, email_verified=None)
    response = provider_sign_in(client, sso, head_a.email)
    assert response.status_code == 403
    assert response.context["reason"] == "unverified"


def test_the_display_name_never_finds_a_user(sso, client, head_a):
    """The provider's name is head_a's, the e-mail nobody's: refused, not matched."""
    sso.user_put("someone.else@other.test", PASSWORD, first_name="head_a")
    response = provider_sign_in(client, sso, "someone.else@other.test")
    assert response.status_code == 403
    assert response.context["reason"] == "unknown"
    assert b"No Roundtable account for someone.else@other.test" in response.content
    assert events("sign_in_sso_refused") == [("someone.else@other.test", None)]


def test_an_email_that_two_users_share_is_refused(sso, client):
    UserFactory(username="twin1", email="twin@acme.test")
    UserFactory(username="twin2", email="twin@acme.test")
    sso.user_put("twin@acme.test", PASSWORD)
    response = provider_sign_in(client, sso, "twin@acme.test")
    assert response.context["reason"] == "ambiguous"


def test_a_deactivated_user_is_refused(sso, client):
    UserFactory(username="gone", email="gone@acme.test", is_active=False)
    sso.user_put("gone@acme.test", PASSWORD)
    response = provider_sign_in(client, sso, "gone@acme.test")
    assert response.context["reason"] == "inactive"


def test_an_answer_for_another_sign_in_is_refused(sso, client, head_a):
    """A callback whose state this browser never started (a replay, a forged link)."""
    sso.user_put(head_a.email, PASSWORD)
    provider_sign_in(client, sso, head_a.email)
    stranger = Client()
    stranger.get("/accounts/sso/start/")
    response = stranger.get("/accounts/sso/callback/", {"code": "x", "state": "forged"})
    assert response.status_code == 400
    assert response.context["reason"] == "invalid"


def test_a_provider_error_shows_a_cancelled_page(sso, client):
    client.get("/accounts/sso/start/")
    response = client.get("/accounts/sso/callback/", {"error": "access_denied", "state": "x"})
    assert response.status_code == 403
    assert response.context["reason"] == "cancelled"


def test_a_provider_that_does_not_answer_gets_a_page_not_an_error(settings, client):
    settings.SSO = sso_settings("http://127.0.0.1:9/openid")  # the discard port: nobody there
    response = client.get("/accounts/sso/start/")
    assert response.status_code == 502
    assert b"Acme ID is not answering" in response.content
    assert events("sign_in_sso_refused") == [("", None)]


def test_configured_endpoints_are_used_without_discovery(idp, settings, client, head_a, dept_a):
    endpoints = requests.get(f"{idp.issuer}/.well-known/openid-configuration", timeout=10).json()
    # An issuer where no discovery document is: only the four endpoints can work.
    settings.SSO = sso_settings(
        "http://127.0.0.1:9/nothing-here",
        endpoints={key: endpoints[key] for key in ENDPOINT_KEYS},
    )
    idp.user_put(head_a.email, PASSWORD)
    response = provider_sign_in(client, idp, head_a.email)
    assert response["Location"] == "/departments/support/"


def test_with_sso_off_there_is_no_button_and_no_start(client):
    assert b"Sign in with" not in client.get("/accounts/login/").content
    assert client.get("/accounts/sso/start/").status_code == 404
    assert client.get("/accounts/sso/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_the_sign_in_page_offers_the_provider_by_its_label(sso, client):
    page = client.get("/accounts/login/", {"next": "/people/"})
    assert b"Sign in with Acme ID" in page.content
    assert b'href="/accounts/sso/start/?next=%2Fpeople%2F"' in page.content
    assert b"Forgot your password?" in page.content  # passwords still work


# --- Two-factor sign-in --------------------------------------------------------------


def test_a_lead_signed_in_through_sso_is_not_sent_to_two_factor_setup(sso, settings, client):
    """REQUIRE_2FA_FOR_LEADS is about passwords: the identity provider does the second factor."""
    settings.REQUIRE_2FA_FOR_LEADS = True
    lead = make_lead("lead")
    sso.user_put(lead.email, PASSWORD)
    provider_sign_in(client, sso, lead.email)
    assert client.get("/accounts/invitations/").status_code == 200

    by_password = Client()
    by_password.post("/accounts/login/", {"username": "lead", "password": "roundtable"})
    assert by_password.get("/accounts/invitations/")["Location"] == "/accounts/two-factor/"


# --- SSO only ------------------------------------------------------------------------


@pytest.fixture
def sso_only(sso, settings):
    settings.SSO_ONLY = True
    settings.SSO_BREAK_GLASS_USERNAME = "admin"
    return sso


def test_sso_only_refuses_passwords_saying_where_to_sign_in(sso_only, client, head_a):
    page = client.get("/accounts/login/")
    assert b"Password sign-in is turned off" in page.content
    response = client.post("/accounts/login/", {"username": "head_a", "password": "roundtable"})
    assert response.status_code == 200
    assert (
        "Password sign-in is turned off: use “Sign in with Acme ID”." in response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_sso_only_lets_the_break_glass_admin_in_with_a_password(sso_only, client, admin_user):
    response = client.post("/accounts/login/", {"username": "admin", "password": "roundtable"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == admin_user.pk


def test_sso_only_still_signs_people_in_through_the_provider(sso_only, client, head_a, dept_a):
    sso_only.user_put(head_a.email, PASSWORD)
    assert provider_sign_in(client, sso_only, head_a.email)["Location"] == "/departments/support/"


def test_sso_only_refuses_passwords_for_api_tokens_too(sso_only, client, head_a, admin_user):
    refused = client.post(
        "/api/token/", {"username": "head_a", "password": "roundtable"}, "application/json"
    )
    assert refused.status_code == 400
    allowed = client.post(
        "/api/token/", {"username": "admin", "password": "roundtable"}, "application/json"
    )
    assert allowed.status_code == 200


def test_sso_only_mails_a_password_reset_to_the_break_glass_admin_only(
    sso_only, client, head_a, admin_user, mailoutbox
):
    page = client.get("/accounts/password/reset/")
    assert b"Passwords are turned off" in page.content
    client.post("/accounts/password/reset/", {"email": head_a.email})
    assert mailoutbox == []
    client.post("/accounts/password/reset/", {"email": admin_user.email})
    assert [message.to for message in mailoutbox] == [[admin_user.email]]


def test_sso_only_stops_a_reset_link_mailed_before_it(settings, client, head_a):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(head_a.pk))
    token = default_token_generator.make_token(head_a)
    settings.SSO = sso_settings("http://127.0.0.1:9/openid")
    settings.SSO_ONLY, settings.SSO_BREAK_GLASS_USERNAME = True, "admin"
    response = client.get(f"/accounts/password/reset/{uid}/{token}/", follow=True)
    assert response.context["validlink"] is False


def test_sso_only_shows_an_invitation_link_the_sso_button_instead_of_a_password_form(
    sso_only, client, lead, mailoutbox, django_capture_on_commit_callbacks
):
    from accounts import services
    from accounts.models import User

    user = User(username="new@acme.test", email="new@acme.test")
    user.set_unusable_password()
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(user=user, invited_by=lead)
    path = f"/accounts/join/{services.invitation_token(invitation)}/"
    [message] = mailoutbox
    assert "Sign in with Acme ID, your company account" in message.body
    assert "Set your password" not in message.body
    page = client.get(path)
    assert page.status_code == 200
    assert b"Sign in with Acme ID" in page.content
    assert b"new_password1" not in page.content
    client.post(path, {"new_password1": "Correct-Horse-42x", "new_password2": "Correct-Horse-42x"})
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_the_single_sign_on_pages_have_no_inline_code(sso_only, client):
    for url in ("/accounts/login/", "/accounts/password/reset/"):
        check(client.get(url), url)


def test_the_sign_in_page_with_sso_reads_nothing_from_the_database(
    sso, client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert client.get("/accounts/login/").status_code == 200
