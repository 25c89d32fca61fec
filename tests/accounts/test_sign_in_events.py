"""The sign-in history: sign-ins, failures, sign-outs, password changes and resets,
invitations accepted and API tokens, with the address; admins read it in the admin."""

import pytest
from django.test import Client

from accounts import services
from accounts.models import SignInEvent, User
from tests.factories import UserFactory
from tests.test_csp import check

pytestmark = pytest.mark.django_db


def kinds(**filters) -> list[str]:
    return list(SignInEvent.objects.filter(**filters).order_by("pk").values_list("kind", flat=True))


def test_signing_in_and_out_is_recorded_with_the_address(client, reader):
    client.post("/accounts/login/", {"username": "reader", "password": "roundtable"})
    client.post("/accounts/logout/")
    assert kinds(user=reader) == ["sign_in", "sign_out"]
    assert SignInEvent.objects.filter(user=reader).first().ip == "127.0.0.1"


def test_a_failed_sign_in_is_recorded_with_the_username_typed(client):
    client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    event = SignInEvent.objects.get()
    assert (event.kind, event.username, event.user) == ("sign_in_failed", "nobody", None)


def test_a_password_change_is_recorded(reader):
    reader.set_password("old-Password-1")
    reader.save()
    client = Client()
    client.force_login(reader)
    new = "Correct-Horse-42x"
    client.post(
        "/accounts/password/change/",
        {"old_password": "old-Password-1", "new_password1": new, "new_password2": new},
    )
    assert "password_changed" in kinds(user=reader)


def test_an_accepted_invitation_and_tokens_are_recorded(lead):
    user = User(username="new", email="new@acme.test")
    user.set_unusable_password()
    user.save()
    invitation = services.invitation_send(user=user, invited_by=lead)
    services.invitation_accept(
        token=services.invitation_token(invitation), password="Correct-Horse-42x", ip="10.0.0.1"
    )
    services.token_issue(user=user)
    services.token_revoke_all(user=user)
    assert kinds(user=user) == ["invitation_accepted", "token_created", "token_revoked"]
    assert SignInEvent.objects.filter(kind="invitation_accepted").get().ip == "10.0.0.1"


def test_admins_filter_the_history_by_kind_and_search_by_username(admin_user):
    UserFactory(username="ana")
    services.sign_in_event_record(kind="sign_in_failed", username="ana")
    services.sign_in_event_record(kind="sign_in_failed", username="bob")
    client = Client()
    client.force_login(admin_user)
    page = client.get("/admin/accounts/signinevent/?kind=sign_in_failed&q=ana")
    check(page, "/admin/accounts/signinevent/")
    content = page.content.decode()
    assert "ana" in content and ">bob<" not in content
    assert client.get("/admin/accounts/signinevent/add/").status_code == 403


def test_the_invitations_admin_has_no_inline_code(admin_user):
    client = Client()
    client.force_login(admin_user)
    check(client.get("/admin/accounts/invitation/"), "/admin/accounts/invitation/")
