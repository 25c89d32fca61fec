"""The social account registry (`/social/`) with its add and edit forms."""

import pytest
from django.test import Client
from django.urls import reverse

from governance import services as governance_services
from stakeholders.models import SocialAccount
from tests.factories import PersonFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

LIST = "/social/"
ADD = "/social/add/"


def edit(pk: int) -> str:
    return f"/social/{pk}/edit/"


def handles(response) -> list[str]:
    return [a.handle for a in response.context["page"]]


def form_data(**changes) -> dict:
    data = {
        "platform": "x",
        "handle": "@AcmeSupport",
        "url": "https://x.com/AcmeSupport",
        "owner": "",
        "status": "active",
        "purpose": "support",
        "followers": "1200",
        "last_post_at": "2026-11-20",
        "managers": "",
    }
    data.update(changes)
    return data


def test_registry_urls_are_named():
    assert reverse("stakeholders:account-list") == LIST
    assert reverse("stakeholders:account-create") == ADD
    assert reverse("stakeholders:account-update", kwargs={"pk": 7}) == edit(7)


@pytest.mark.parametrize("url", [LIST, ADD, edit(1)])
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- The list ---------------------------------------------------------------------------


def test_registry_lists_accounts_with_links_to_them(client_for, reader, dept_a):
    SocialAccountFactory(
        platform="x", handle="AcmeHelp", url="https://x.com/AcmeHelp", owner=dept_a
    )
    response = client_for(reader).get(LIST)
    assert handles(response) == ["AcmeHelp"]
    html = response.content.decode()
    assert 'href="https://x.com/AcmeHelp"' in html
    assert 'rel="noopener noreferrer"' in html
    assert 'href="/departments/support/"' in html


def test_registry_filters_by_platform_status_and_owner(client_for, reader, dept_a, dept_b):
    SocialAccountFactory(platform="x", handle="a", owner=dept_a)
    SocialAccountFactory(platform="linkedin", handle="b", owner=dept_b, status="dormant")
    SocialAccountFactory(platform="linkedin", handle="c", owner=None, status="unverified")
    client = client_for(reader)
    assert handles(client.get(LIST, {"platform": "linkedin"})) == ["b", "c"]
    assert handles(client.get(LIST, {"status": "dormant"})) == ["b"]
    assert handles(client.get(LIST, {"owner": "support"})) == ["a"]
    assert handles(client.get(LIST, {"owner": "none"})) == ["c"]
    assert handles(client.get(LIST, {"q": "@B"})) == ["b"]


def test_registry_filters_by_finding(client_for, reader, dept_a):
    fine = SocialAccountFactory(platform="x", handle="Fine", owner=dept_a)
    fine.managers.set([PersonFactory(), PersonFactory()])  # not a single_manager_account
    SocialAccountFactory(platform="x", handle="Orphan", owner=None)
    governance_services.snapshot_take()
    client = client_for(reader)
    flagged = client.get(LIST, {"finding": "yes"})
    assert handles(flagged) == ["Orphan"]
    assert "Orphan account" in flagged.content.decode()
    assert handles(client.get(LIST, {"finding": "no"})) == ["Fine"]


def test_before_the_first_assessment_the_list_says_so_and_assesses_nothing(
    client_for, reader, monkeypatch
):
    SocialAccountFactory(platform="x", handle="Orphan", owner=None)

    def no_assessment(**kwargs):
        raise AssertionError("a GET must not assess the company")

    monkeypatch.setattr("governance.services.assessment_compute", no_assessment)
    response = client_for(reader).get(LIST)
    assert handles(response) == ["Orphan"]
    assert 'data-testid="not-assessed"' in response.content.decode()
    assert "Orphan account" not in response.content.decode()


def test_owner_filter_holds_only_the_selected_department_the_rest_is_searched(
    client_for, reader, dept_a, dept_b
):
    SocialAccountFactory(owner=dept_a)
    client = client_for(reader)

    def owners(response):
        choices = response.context["filters"].form.fields["owner"].choices
        return [choice for choice in choices if choice[0] not in ("", "none")]

    assert owners(client.get(LIST)) == []
    response = client.get(LIST, {"owner": "support"})
    assert owners(response) == [("support", "Customer Support")]
    assert b'data-search-url="/department-search.json"' in response.content


def test_registry_empty_states(client_for, reader, lead):
    assert b"No social media account in the registry yet." in client_for(reader).get(LIST).content
    SocialAccountFactory()
    assert (
        b"No account matches these filters." in client_for(reader).get(LIST, {"q": "zzz"}).content
    )


def test_edit_buttons_show_for_what_a_user_may_edit(client_for, head_a, reader, dept_a, dept_b):
    mine = SocialAccountFactory(owner=dept_a)
    theirs = SocialAccountFactory(owner=dept_b)
    html = client_for(head_a).get(LIST).content.decode()
    assert edit(mine.pk) in html and edit(theirs.pk) not in html
    assert ADD in html
    html = client_for(reader).get(LIST).content.decode()
    assert edit(mine.pk) not in html and ADD not in html


@pytest.mark.parametrize("units", [2, 8])
def test_registry_runs_a_fixed_number_of_queries(
    client_for, head_a, dept_a, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=3)
    governance_services.snapshot_take()
    client = client_for(head_a)
    client.get(LIST)
    # The head's departments are one recursive query, not their ids plus the whole tree;
    # the flags are the snapshot's AccountFlag rows: its id, then the codes of the page's
    # accounts.
    with django_assert_num_queries(9):
        response = client.get(LIST, {"finding": "yes"})
    assert len(handles(response)) > 0


# --- Add ---------------------------------------------------------------------------------


def test_lead_adds_an_account(client_for, lead, dept_a, django_capture_on_commit_callbacks):
    manager = PersonFactory(email="Ana@Acme.test", department=dept_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(lead).post(
            ADD, form_data(owner="support", managers="ana@acme.test"), follow=True
        )
    account = SocialAccount.objects.get()
    assert account.handle == "AcmeSupport"  # the @ is dropped, the case kept
    assert account.owner == dept_a
    assert list(account.managers.all()) == [manager]
    assert response.redirect_chain[-1][0] == f"{LIST}?platform=x&q=AcmeSupport"
    assert "Added X @AcmeSupport to the registry." in response.content.decode()
    assert callbacks  # a recompute was requested
    assert account.history.first().history_user == lead


def test_lead_may_add_an_account_without_owner(client_for, lead):
    client_for(lead).post(ADD, form_data())
    assert SocialAccount.objects.get().owner is None


def test_head_adds_an_account_for_their_department(client_for, head_a, dept_a):
    response = client_for(head_a).get(ADD, {"owner": "support"})
    assert response.context["form"]["owner"].value() == "support"
    client_for(head_a).post(ADD, form_data(owner="support"))
    assert SocialAccount.objects.get().owner == dept_a


def test_head_cannot_add_an_account_for_another_department(client_for, head_a, dept_a, dept_b):
    response = client_for(head_a).post(ADD, form_data(owner="hr"))
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert not SocialAccount.objects.exists()


def test_head_must_choose_an_owner(client_for, head_a, dept_a):
    response = client_for(head_a).post(ADD, form_data(owner=""))
    assert "owner" in response.context["form"].errors


@pytest.mark.parametrize("handle", ["acmesupport", "@ACMESUPPORT", "  AcmeSupport "])
def test_duplicate_handle_on_the_platform_is_a_form_error(client_for, lead, handle):
    SocialAccountFactory(platform="x", handle="AcmeSupport")
    response = client_for(lead).post(ADD, form_data(handle=handle))
    assert response.status_code == 200
    assert "The X account @" in str(response.context["form"].errors["handle"])
    assert "already in the registry" in response.content.decode()
    assert SocialAccount.objects.count() == 1


def test_same_handle_on_another_platform_is_fine(client_for, lead):
    SocialAccountFactory(platform="linkedin", handle="AcmeSupport")
    client_for(lead).post(ADD, form_data())
    assert SocialAccount.objects.count() == 2


def test_unknown_manager_is_a_form_error(client_for, lead):
    response = client_for(lead).post(ADD, form_data(managers="nobody@acme.test"))
    assert "Not in the registry: nobody@acme.test" in str(response.context["form"].errors)


def test_invalid_form_shows_labelled_errors(client_for, lead):
    response = client_for(lead).post(ADD, form_data(handle="@", followers="-3", url="nope"))
    errors = response.context["form"].errors
    assert {"handle", "followers", "url"} <= set(errors)
    html = response.content.decode()
    assert 'for="id_handle"' in html
    assert "Please correct the" in html


@pytest.mark.parametrize("persona", ["reader", "head_b"])
def test_only_leads_and_heads_may_add(client_for, request, persona, dept_a):
    user = request.getfixturevalue(persona)  # head_b heads no department here
    assert client_for(user).get(ADD).status_code == 403
    assert client_for(user).post(ADD, form_data()).status_code == 403


def test_add_needs_the_csrf_token(lead):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    assert client.post(ADD, form_data()).status_code == 403


# --- Edit ---------------------------------------------------------------------------------


def test_head_edits_an_account_of_their_department(client_for, head_a, dept_a):
    account = SocialAccountFactory(platform="x", handle="AcmeSupport", owner=dept_a)
    response = client_for(head_a).get(edit(account.pk))
    assert response.context["form"]["handle"].value() == "AcmeSupport"
    response = client_for(head_a).post(
        edit(account.pk), form_data(owner="support", status="dormant"), follow=True
    )
    account.refresh_from_db()
    assert account.status == "dormant"
    assert "Saved the changes to X @AcmeSupport." in response.content.decode()


def test_head_of_a_parent_edits_an_account_of_a_child(client_for, head_a, dept_a_child):
    account = SocialAccountFactory(platform="x", handle="EmeaCare", owner=dept_a_child)
    client = client_for(head_a)
    assert client.get(edit(account.pk)).status_code == 200
    response = client.post(
        edit(account.pk), form_data(handle="EmeaCare", owner="support-emea", followers="77")
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.followers, account.owner) == (77, dept_a_child)


def test_editing_keeps_the_handle_unique(client_for, lead):
    SocialAccountFactory(platform="x", handle="Taken")
    account = SocialAccountFactory(platform="x", handle="Mine")
    response = client_for(lead).post(edit(account.pk), form_data(handle="taken"))
    assert "already in the registry" in str(response.context["form"].errors["handle"])
    account.refresh_from_db()
    assert account.handle == "Mine"


def test_editing_an_account_may_keep_its_own_handle_in_another_case(client_for, lead):
    account = SocialAccountFactory(platform="x", handle="Mine")
    client_for(lead).post(edit(account.pk), form_data(handle="MINE"))
    account.refresh_from_db()
    assert account.handle == "MINE"


@pytest.mark.parametrize("persona", ["reader", "head_b"])
def test_others_may_not_edit(client_for, request, persona, dept_a, dept_b):
    account = SocialAccountFactory(owner=dept_a, handle="keep")
    client = client_for(request.getfixturevalue(persona))
    assert client.get(edit(account.pk)).status_code == 403
    assert client.post(edit(account.pk), form_data(handle="stolen")).status_code == 403
    account.refresh_from_db()
    assert account.handle == "keep"


def test_head_may_not_edit_an_unowned_account(client_for, head_a, dept_a):
    account = SocialAccountFactory(owner=None, handle="keep")
    client = client_for(head_a)
    assert client.get(edit(account.pk)).status_code == 403
    assert client.post(edit(account.pk), form_data(handle="taken-over")).status_code == 403
    account.refresh_from_db()
    assert (account.handle, account.owner) == ("keep", None)


def test_editing_an_unknown_account_is_not_found(client_for, lead):
    assert client_for(lead).get(edit(999)).status_code == 404


def test_head_cannot_move_an_account_to_a_department_they_do_not_head(
    client_for, head_a, dept_a, dept_b
):
    account = SocialAccountFactory(owner=dept_a)
    response = client_for(head_a).post(edit(account.pk), form_data(owner="hr"))
    assert "owner" in response.context["form"].errors
    account.refresh_from_db()
    assert account.owner == dept_a


@pytest.mark.parametrize("units", [2, 8])
def test_edit_form_runs_a_fixed_number_of_queries(
    client_for, lead, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=2)
    account = SocialAccount.objects.first()
    client = client_for(lead)
    client.get(edit(account.pk))
    with django_assert_num_queries(7):
        client.get(edit(account.pk))


# --- The services behind the forms -----------------------------------------------------


def test_account_services_normalise_the_handle_and_refuse_duplicates(lead):
    from django.core.exceptions import ValidationError

    from stakeholders import services

    account = services.account_create(
        actor=lead, data=services.AccountData(platform="x", handle="  @Acme ")
    )
    assert account.handle == "Acme"
    with pytest.raises(ValidationError) as refused:
        services.account_create(actor=lead, data=services.AccountData(platform="x", handle="ACME"))
    assert "handle" in refused.value.error_dict


def test_account_update_service_refuses_someone_who_may_not_edit(head_b, dept_a, dept_b):
    from django.core.exceptions import ValidationError

    from stakeholders import services

    account = SocialAccountFactory(owner=dept_a, handle="keep")
    with pytest.raises(ValidationError):
        services.account_update(
            actor=head_b,
            account=account,
            data=services.AccountData(platform="x", handle="stolen", owner=dept_b),
        )
    account.refresh_from_db()
    assert account.handle == "keep"


def test_account_create_service_asks_for_one_recompute(
    lead, dept_a, django_capture_on_commit_callbacks, monkeypatch
):
    from governance import services as governance
    from stakeholders import services

    calls = []
    monkeypatch.setattr(governance, "_recompute_enqueue", lambda: calls.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        services.account_create(
            actor=lead,
            data=services.AccountData(
                platform="x", handle="Acme", owner=dept_a, managers=(PersonFactory(),)
            ),
        )
    assert calls == [1]
