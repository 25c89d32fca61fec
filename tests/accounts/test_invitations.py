"""Invitations: a head named without a password (form, API, spreadsheet confirm, bundle)
or a new COE lead gets a one-time link to set one; leads resend and revoke them."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, User
from stakeholders import bundle, spreadsheets
from stakeholders import services as stakeholder_services
from stakeholders.models import Department, ImportBatch
from tests.factories import PersonFactory, UserFactory
from tests.stakeholders.sheet_files import csv_upload

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42x"


def link_in(message) -> str:
    return re.search(r"https?://\S+(/accounts/join/[0-9a-f]+/)", message.body).group(1)


def invitee(email="new.head@acme.test") -> User:
    user = User(username=email, email=email)
    user.set_unusable_password()
    user.save()
    return user


def name_head(lead, email, key="pr"):
    data = stakeholder_services.DepartmentData(key=key, name=key.upper(), head=email)
    return stakeholder_services.department_create(actor=lead, data=data)


def test_naming_a_registered_person_as_head_mails_them_an_invitation_after_the_commit(
    lead, django_capture_on_commit_callbacks
):
    PersonFactory(email="new.head@acme.test", department=None)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        department = name_head(lead, "new.head@acme.test")
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["new.head@acme.test"]
    assert "/accounts/join/" in message.body
    invitation = Invitation.objects.get(user=department.head)
    assert (invitation.invited_by, invitation.sent_count, invitation.status) == (lead, 1, "open")
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)


def test_the_token_is_not_stored_only_its_hash(lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(user=invitee(), invited_by=lead)
    token = link_in(mail.outbox[0]).split("/")[-2]
    assert invitation.token_hash != token
    assert token not in str(Invitation.objects.values().get())


def test_a_head_who_has_a_password_is_not_invited(lead, head_a, django_capture_on_commit_callbacks):
    head_a.email = "head_a@acme.test"
    head_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        name_head(lead, "head_a")
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_the_expiry_follows_invitation_ttl_days(lead, settings):
    settings.INVITATION_TTL_DAYS = 2
    invitation = services.invitation_send(user=invitee(), invited_by=lead)
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=2)


def test_sending_again_resends_the_same_open_invitation_with_the_same_link(
    lead, django_capture_on_commit_callbacks
):
    user = invitee()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invitation_send(user=user, invited_by=lead)
        second = services.invitation_send(user=user, invited_by=lead)
    assert first.pk == second.pk
    assert second.sent_count == 2
    assert Invitation.objects.count() == 1
    assert link_in(mail.outbox[0]) == link_in(mail.outbox[1])


def accept_page(client, user, lead, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(user=user, invited_by=lead)
    return link_in(mail.outbox[-1])


def test_following_the_link_sets_the_password_signs_in_and_lands_on_the_department(
    client, lead, django_capture_on_commit_callbacks
):
    PersonFactory(email="new.head@acme.test", department=None)
    with django_capture_on_commit_callbacks(execute=True):
        department = name_head(lead, "new.head@acme.test")
    url = link_in(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200
    assert "new.head@acme.test" in page.content.decode()

    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})

    assert response.status_code == 302
    assert response.url == f"/departments/{department.key}/"
    user = User.objects.get(username="new.head@acme.test")
    assert user.check_password(PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert Invitation.objects.get().status == "accepted"


def test_someone_who_heads_nothing_lands_on_the_dashboard(
    client, lead, django_capture_on_commit_callbacks
):
    url = accept_page(client, invitee(), lead, django_capture_on_commit_callbacks)
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.url == "/"


def test_a_weak_password_is_refused_by_the_validators(
    client, lead, django_capture_on_commit_callbacks
):
    user = invitee()
    url = accept_page(client, user, lead, django_capture_on_commit_callbacks)
    response = client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert Invitation.objects.get().status == "open"


def test_the_service_also_applies_the_validators(lead):
    invitation = services.invitation_send(user=invitee(), invited_by=lead)
    token = services.invitation_token(invitation)
    with pytest.raises(Exception, match="too common"):
        services.invitation_accept(token=token, password="password")


def test_a_used_link_says_it_was_used(client, lead, django_capture_on_commit_callbacks):
    url = accept_page(client, invitee(), lead, django_capture_on_commit_callbacks)
    client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.logout()
    for response in (client.get(url), client.post(url, {"new_password1": "x"})):
        assert response.status_code == 410
        assert "was used already" in response.content.decode()


def test_an_expired_link_says_so_and_to_ask_a_lead(
    client, lead, django_capture_on_commit_callbacks
):
    url = accept_page(client, invitee(), lead, django_capture_on_commit_callbacks)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = client.get(url)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert "Ask a COE lead" in response.content.decode()


def test_a_tampered_link_is_not_valid(client, lead, django_capture_on_commit_callbacks):
    url = accept_page(client, invitee(), lead, django_capture_on_commit_callbacks)
    tampered = url[:-3] + ("0" if url[-3] != "0" else "1") + url[-2:]
    response = client.get(tampered)
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    response = client.post(tampered, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 404
    assert not User.objects.get(username="new.head@acme.test").has_usable_password()


def test_a_revoked_link_says_it_was_withdrawn(client, lead, django_capture_on_commit_callbacks):
    url = accept_page(client, invitee(), lead, django_capture_on_commit_callbacks)
    services.invitation_revoke(invitation=Invitation.objects.get(), actor=lead)
    response = client.get(url)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_a_user_who_set_a_password_meanwhile_cannot_use_the_link(
    client, lead, django_capture_on_commit_callbacks
):
    user = invitee()
    url = accept_page(client, user, lead, django_capture_on_commit_callbacks)
    user.set_password("something-else-42")
    user.save()
    response = client.post(url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 410
    user.refresh_from_db()
    assert user.check_password("something-else-42")


# --- the list page, resend and revoke -------------------------------------------------


def test_a_lead_sees_who_is_invited_accepted_and_expired(
    client_for, lead, django_assert_num_queries
):
    open_one = services.invitation_send(user=invitee("open@acme.test"), invited_by=lead)
    expired = services.invitation_send(user=invitee("late@acme.test"), invited_by=lead)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    done = services.invitation_send(user=invitee("done@acme.test"), invited_by=None)
    services.invitation_accept(token=services.invitation_token(done), password=PASSWORD)
    client = client_for(lead)
    with django_assert_num_queries(4):  # session, user, lead group, invitations
        page = client.get("/accounts/invitations/").content.decode()
    for n in range(5):
        services.invitation_send(user=invitee(f"more{n}@acme.test"), invited_by=lead)
    with django_assert_num_queries(4):
        client.get("/accounts/invitations/")
    assert 'data-invitation-status="open"' in page
    assert 'data-invitation-status="expired"' in page
    assert 'data-invitation-status="accepted"' in page
    assert open_one.user.email in page


@pytest.mark.parametrize("persona", ["reader", "head_a"])
def test_only_leads_see_the_invitations(client_for, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/accounts/invitations/").status_code == 403


def test_a_lead_resends_an_expired_invitation_as_a_new_link(
    client_for, lead, django_capture_on_commit_callbacks
):
    invitation = services.invitation_send(user=invitee(), invited_by=lead)
    Invitation.objects.update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead).post(f"/accounts/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    assert Invitation.objects.count() == 2
    assert Invitation.objects.open().get().pk != invitation.pk
    assert len(mail.outbox) == 1


def test_a_lead_revokes_an_invitation(client_for, lead):
    invitation = services.invitation_send(user=invitee(), invited_by=lead)
    response = client_for(lead).post(f"/accounts/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked"


def test_a_head_cannot_revoke_an_invitation(client_for, head_a, lead):
    invitation = services.invitation_send(user=invitee(), invited_by=lead)
    response = client_for(head_a).post(f"/accounts/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "open"


def test_resend_and_revoke_need_a_csrf_token(lead):
    from django.test import Client

    invitation = services.invitation_send(user=invitee(), invited_by=lead)
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    for action in ("resend", "revoke"):
        assert client.post(f"/accounts/invitations/{invitation.pk}/{action}/").status_code == 403


def test_inviting_a_new_lead_creates_the_user_in_the_leads_group_and_mails_them(
    client_for, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead).post(
            "/accounts/invitations/lead/",
            {"email": "Zoe@Acme.test", "first_name": "Zoe", "last_name": "Li"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="zoe@acme.test")
    assert user.is_coe_lead
    assert not user.has_usable_password()
    assert mail.outbox[0].to == ["zoe@acme.test"]


def test_making_an_existing_user_a_lead_does_not_invite_them(
    lead, django_capture_on_commit_callbacks
):
    user = UserFactory(username="sam", email="sam@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        services.lead_invite(email="sam@acme.test", first_name="", last_name="", invited_by=lead)
    assert User.objects.get(pk=user.pk).is_coe_lead
    assert mail.outbox == []


# --- API and imports -------------------------------------------------------------------


def test_naming_a_head_through_the_api_invites_them(
    client_for, lead, django_capture_on_commit_callbacks
):
    PersonFactory(email="api.head@acme.test", department=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead).post(
            "/api/departments/",
            {"key": "ops", "name": "Ops", "head": "api.head@acme.test"},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert [m.to for m in mail.outbox] == [["api.head@acme.test"]]


def test_a_spreadsheet_invites_its_heads_on_confirm_only_once_each(
    lead, django_capture_on_commit_callbacks
):
    PersonFactory(email="one@acme.test", department=None)
    rows = [["key", "name", "head"], ["a", "A", "one@acme.test"], ["b", "B", "one@acme.test"]]
    with django_capture_on_commit_callbacks(execute=True):
        batch = spreadsheets.batch_create(kind="departments", upload=csv_upload(rows), user=lead)
    assert batch.status == "ready"
    assert mail.outbox == []  # the preview sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        result = spreadsheets.batch_apply(batch_id=batch.pk, user=lead)
    assert result.ok
    assert [m.to for m in mail.outbox] == [["one@acme.test"]]
    assert Invitation.objects.get().invited_by == lead

    # The same file again: the open invitation is not mailed a second time.
    with django_capture_on_commit_callbacks(execute=True):
        again = spreadsheets.batch_create(kind="departments", upload=csv_upload(rows), user=lead)
        spreadsheets.batch_apply(batch_id=again.pk, user=lead)
    assert len(mail.outbox) == 1
    assert ImportBatch.objects.filter(status="applied").count() == 2


def test_a_bundle_invites_the_heads_it_creates_once_each(django_capture_on_commit_callbacks):
    data = {
        "format": "roundtable-org/1",
        "departments": [
            {"key": "mkt", "name": "Marketing", "head": "ana@acme.test"},
            {"key": "pr", "name": "PR", "head": "ana@acme.test"},
        ],
        "people": [{"email": "ana@acme.test", "name": "Ana Ruiz", "department": "mkt"}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        bundle.import_bundle(data)
    assert [m.to for m in mail.outbox] == [["ana@acme.test"]]
    assert Invitation.objects.get().invited_by is None
    with django_capture_on_commit_callbacks(execute=True):
        bundle.import_bundle(data)
    assert len(mail.outbox) == 1
    assert Department.objects.filter(head__email="ana@acme.test").count() == 2


def test_a_bundle_imported_without_invitations_mails_nothing(django_capture_on_commit_callbacks):
    data = {
        "format": "roundtable-org/1",
        "departments": [{"key": "mkt", "name": "Marketing", "head": "ana@acme.test"}],
        "people": [{"email": "ana@acme.test", "name": "Ana Ruiz", "department": "mkt"}],
    }
    with django_capture_on_commit_callbacks(execute=True):
        bundle.import_bundle(data, invite=False)
    assert mail.outbox == []


def test_the_invitation_pages_have_no_inline_code(client, lead, django_capture_on_commit_callbacks):
    from tests.test_csp import check

    url = accept_page(client, invitee(), lead, django_capture_on_commit_callbacks)
    check(client.get(url), url)
    problem = client.get(url[:-2] + "0/")
    problem.status_code = 200  # checked like any page
    check(problem, "the invalid-link page")
