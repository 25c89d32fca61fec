"""The registry's Django admin: change lists without N+1 queries, inlines, archiving."""

import pytest
from django.urls import reverse

from stakeholders.models import Department, ExpertiseTag, ImportBatch, Seat
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    SeatFactory,
    SocialAccountFactory,
    StakeholderGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Rows here come with many users; PBKDF2 would make hashing their password the slow part.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def changelist(model: str) -> str:
    return reverse(f"admin:stakeholders_{model}_changelist")


# --- Rows for each change list, `n` of them, with every relation the list shows filled.


def build_departments(n: int) -> None:
    parent = DepartmentFactory(key="root", name="Root")
    for i in range(n - 1):
        department = DepartmentFactory(parent=parent, head=UserFactory(username=f"head{i}"))
        SeatFactory(person=PersonFactory(department=department))
        SocialAccountFactory(owner=department)


def build_expertise_tags(n: int) -> None:
    person = PersonFactory()
    for i in range(n):
        person.expertise.add(ExpertiseTag.objects.create(name=f"tag-{i}"))


def build_people(n: int) -> None:
    tags = [ExpertiseTag.objects.create(name=name) for name in ("community", "video")]
    for i in range(n):
        PersonFactory(user=UserFactory(username=f"person{i}")).expertise.set(tags)


def build_stakeholder_groups(n: int) -> None:
    for _ in range(n):
        group = StakeholderGroupFactory()
        SeatFactory(department=None, group=group)


def build_seats(n: int) -> None:
    group = StakeholderGroupFactory()
    for i in range(n):
        if i % 2:
            SeatFactory(department=None, group=group)
        else:
            SeatFactory()


def build_social_accounts(n: int) -> None:
    managers = [PersonFactory(), PersonFactory(active=False)]
    for _ in range(n):
        SocialAccountFactory(owner=DepartmentFactory()).managers.set(managers)


def build_import_batches(n: int) -> None:
    for i in range(n):
        ImportBatch.objects.create(
            kind="people",
            filename=f"people-{i}.xlsx",
            status="applied",
            uploaded_by=UserFactory(username=f"uploader{i}"),
        )


CHANGE_LISTS = {
    # model: (builder, queries: session, user, COUNT(*) twice, the policy's
    # "can add" for the sidebar, the rows, plus one per prefetch or related filter)
    "department": (build_departments, 6),
    "expertisetag": (build_expertise_tags, 6),
    "person": (build_people, 8),
    "stakeholdergroup": (build_stakeholder_groups, 6),
    "seat": (build_seats, 8),
    "socialaccount": (build_social_accounts, 8),
    "importbatch": (build_import_batches, 8),
}


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("model", CHANGE_LISTS)
def test_change_list_query_count_does_not_grow_with_rows(
    model, size, admin_user, client_for, django_assert_num_queries
):
    build, queries = CHANGE_LISTS[model]
    build(size)
    client = client_for(admin_user)

    with django_assert_num_queries(queries):
        response = client.get(changelist(model))

    assert response.status_code == 200
    assert response.context["cl"].result_count == size


@pytest.mark.parametrize("model", CHANGE_LISTS)
def test_change_list_search_narrows_the_rows(model, admin_user, client_for):
    CHANGE_LISTS[model][0](3)
    client = client_for(admin_user)

    everything = client.get(changelist(model), {"q": ""}).context["cl"].result_count
    nothing = client.get(changelist(model), {"q": "no-row-has-this"}).context["cl"]

    assert everything >= 3
    assert (nothing.query, nothing.result_count) == ("no-row-has-this", 0)


@pytest.mark.parametrize("model", CHANGE_LISTS)
def test_every_filter_choice_shows_exactly_the_rows_it_names(model, admin_user, client_for):
    CHANGE_LISTS[model][0](3)
    client = client_for(admin_user)
    cl = client.get(changelist(model)).context["cl"]
    every_row = cl.model._default_manager.all()

    for spec in cl.filter_specs:
        choices = [choice for choice in spec.choices(cl) if not choice["selected"]]
        assert choices, f"{spec.title}: no choice offered"
        for choice in choices:
            response = client.get(changelist(model) + choice["query_string"])
            assert response.status_code == 200, f"{spec.title}: {choice['query_string']}"
            filtered = response.context["cl"]
            [applied] = [f for f in filtered.filter_specs if f.title == spec.title]
            # The rows shown are those the filter itself selects, whatever the choice.
            expected = applied.queryset(response.wsgi_request, every_row)
            expected = every_row if expected is None else expected
            shown = {row.pk for row in filtered.result_list}
            assert shown == set(expected.values_list("pk", flat=True)), choice["display"]
            assert filtered.get_query_string() == choice["query_string"]


def test_department_change_list_counts_open_seats_and_accounts_in_use(admin_user, client_for):
    department = DepartmentFactory(name="Customer Care")
    SeatFactory(person=PersonFactory(department=department))
    SeatFactory(person=PersonFactory(department=department), status="nominated")
    SeatFactory(person=PersonFactory(department=department), status="declined")
    SocialAccountFactory(owner=department, status="active")
    SocialAccountFactory(owner=department, status="retired")

    response = client_for(admin_user).get(changelist("department"))

    [row] = response.context["cl"].result_list
    assert (row.open_seat_count, row.account_count) == (2, 1)


def test_social_account_change_list_marks_managers_who_left(admin_user, client_for):
    account = SocialAccountFactory()
    account.managers.set([PersonFactory(name="Ana Ruiz", active=False)])

    response = client_for(admin_user).get(changelist("socialaccount"))

    assert "Ana Ruiz (left)" in response.content.decode()


def test_social_account_change_list_filters_by_owner(admin_user, client_for):
    owner = DepartmentFactory()
    SocialAccountFactory(owner=owner)
    SocialAccountFactory(owner=DepartmentFactory())

    response = client_for(admin_user).get(
        changelist("socialaccount"), {"owner__id__exact": owner.pk}
    )

    assert response.context["cl"].result_count == 1


def test_seat_change_list_shows_the_constituency(admin_user, client_for):
    SeatFactory(person=PersonFactory(department=DepartmentFactory(name="Customer Care")))
    SeatFactory(department=None, group=StakeholderGroupFactory(name="Customer Advisory Panel"))

    html = client_for(admin_user).get(changelist("seat")).content.decode()

    assert "Customer Care (department)" in html
    assert "Customer Advisory Panel (group)" in html


def test_seat_change_list_filters_by_status_and_role(admin_user, client_for):
    SeatFactory(role="lead")
    SeatFactory(status="nominated")

    response = client_for(admin_user).get(
        changelist("seat"), {"status": "approved", "role": "lead"}
    )

    assert response.context["cl"].result_count == 1


def test_department_change_form_renders_its_seats_and_accounts_inline(admin_user, client_for):
    department = DepartmentFactory(name="Customer Care")
    SeatFactory(person=PersonFactory(department=department, name="Ana Ruiz"))
    SocialAccountFactory(owner=department, handle="northwind_care")

    response = client_for(admin_user).get(
        reverse("admin:stakeholders_department_change", args=[department.pk])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ana Ruiz" in html
    assert "northwind_care" in html
    assert reverse("admin:stakeholders_seat_change", args=[Seat.objects.get().pk]) in html


@pytest.mark.parametrize("rows", [3, 30])
def test_department_change_form_costs_the_same_queries_for_any_number_of_inline_rows(
    rows, admin_user, client_for, django_assert_num_queries
):
    department = DepartmentFactory(parent=DepartmentFactory(), head=UserFactory())
    for _ in range(rows):
        SeatFactory(person=PersonFactory(department=department))
        SocialAccountFactory(owner=department)
    client = client_for(admin_user)
    url = reverse("admin:stakeholders_department_change", args=[department.pk])
    client.get(url)  # warm the process-wide caches (content types) that the count would vary by

    # session, user, the department, its seats (with person), its accounts, the
    # policy's "can add", the selected parent and head of the main form
    with django_assert_num_queries(8):
        response = client.get(url)

    seats, accounts = response.context["inline_admin_formsets"]
    assert seats.formset.initial_form_count() == accounts.formset.initial_form_count() == rows


@pytest.mark.parametrize(
    "model", ["department", "person", "stakeholdergroup", "seat", "socialaccount"]
)
def test_history_of_a_tracked_row_renders(model, admin_user, client_for):
    row = {
        "department": DepartmentFactory,
        "person": PersonFactory,
        "stakeholdergroup": StakeholderGroupFactory,
        "seat": SeatFactory,
        "socialaccount": SocialAccountFactory,
    }[model]()

    response = client_for(admin_user).get(
        reverse(f"admin:stakeholders_{model}_history", args=[row.pk])
    )

    assert response.status_code == 200


def test_add_forms_render(admin_user, client_for):
    client = client_for(admin_user)
    for model in set(CHANGE_LISTS) - {"importbatch"}:
        assert client.get(reverse(f"admin:stakeholders_{model}_add")).status_code == 200


def test_import_batches_can_be_viewed_but_not_added_or_changed(admin_user, client_for):
    build_import_batches(1)
    batch = ImportBatch.objects.get()
    client = client_for(admin_user)
    url = reverse("admin:stakeholders_importbatch_change", args=[batch.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"filename": "x.xlsx"}).status_code == 403
    assert client.get(reverse("admin:stakeholders_importbatch_add")).status_code == 403


def test_archive_action_archives_the_selected_departments_and_records_history(
    admin_user, client_for
):
    selected = [DepartmentFactory(), DepartmentFactory(active=False)]
    other = DepartmentFactory()

    response = client_for(admin_user).post(
        changelist("department"),
        {"action": "archive", "_selected_action": [d.pk for d in selected]},
        follow=True,
    )

    assert "Archived 1 department." in response.content.decode()
    assert list(Department.objects.filter(active=False).order_by("pk")) == selected
    assert Department.objects.get(pk=other.pk).active
    latest = selected[0].history.latest()
    assert (latest.active, latest.history_user) == (False, admin_user)


def test_restore_action_reactivates_archived_departments(admin_user, client_for):
    archived = DepartmentFactory(active=False)

    client_for(admin_user).post(
        changelist("department"), {"action": "restore", "_selected_action": [archived.pk]}
    )

    archived.refresh_from_db()
    assert archived.active


def test_deleting_a_referenced_department_lists_what_protects_it(admin_user, client_for):
    department = DepartmentFactory(name="Customer Care")
    PersonFactory(department=department, name="Ana Ruiz")
    DepartmentFactory(parent=department, name="Care EMEA")
    client = client_for(admin_user)
    url = reverse("admin:stakeholders_department_delete", args=[department.pk])

    page = client.get(url)
    confirmed_anyway = client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert page.context["protected"]
    html = page.content.decode()
    assert "Cannot delete department" in html
    assert "Ana Ruiz" in html and "Care EMEA" in html
    assert confirmed_anyway.status_code == 200
    assert confirmed_anyway.context["protected"]
    assert Department.objects.filter(pk=department.pk).exists()


def test_bulk_delete_of_referenced_departments_lists_what_protects_them(admin_user, client_for):
    department = DepartmentFactory()
    SocialAccountFactory(owner=department, handle="northwind_care")

    response = client_for(admin_user).post(
        changelist("department"), {"action": "delete_selected", "_selected_action": [department.pk]}
    )

    assert response.status_code == 200
    assert "northwind_care" in response.content.decode()
    assert Department.objects.filter(pk=department.pk).exists()


def test_an_unreferenced_department_can_be_deleted(admin_user, client_for):
    department = DepartmentFactory()

    client_for(admin_user).post(
        reverse("admin:stakeholders_department_delete", args=[department.pk]), {"post": "yes"}
    )

    assert not Department.objects.filter(pk=department.pk).exists()


def test_autocomplete_finds_departments_by_name(admin_user, client_for):
    DepartmentFactory(name="Customer Care")
    DepartmentFactory(name="Legal")

    response = client_for(admin_user).get(
        reverse("admin:autocomplete"),
        {
            "term": "care",
            "app_label": "stakeholders",
            "model_name": "person",
            "field_name": "department",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == ["Customer Care"]


@pytest.mark.parametrize("model", CHANGE_LISTS)
def test_non_staff_user_is_sent_to_the_admin_login(model, reader, client_for):
    response = client_for(reader).get(changelist(model))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(changelist("department"))

    # LoginRequiredMiddleware answers first, with the site's own sign-in page.
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={changelist('department')}"


def test_a_seat_can_be_added_inline_on_the_department(admin_user, client_for):
    department = DepartmentFactory(key="care", name="Customer Care", function="customer_support")
    person = PersonFactory(department=department)
    form = {
        "name": department.name,
        "key": department.key,
        "kind": department.kind,
        "function": department.function,
        "headcount": 10,
        "influence": 3,
        "interest": 3,
        "active": "on",
        "seats-TOTAL_FORMS": 1,
        "seats-INITIAL_FORMS": 0,
        "seats-0-person": person.pk,
        "seats-0-role": "core",
        "seats-0-status": "nominated",
        "accounts-TOTAL_FORMS": 0,
        "accounts-INITIAL_FORMS": 0,
    }

    response = client_for(admin_user).post(
        reverse("admin:stakeholders_department_change", args=[department.pk]), form
    )

    assert response.status_code == 302
    seat = department.seats.get()
    assert (seat.person, seat.status) == (person, "nominated")


def test_admin_changes_ask_for_a_recompute_of_the_assessment(
    admin_user, client_for, django_capture_on_commit_callbacks
):
    department = DepartmentFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        client_for(admin_user).post(
            changelist("department"), {"action": "archive", "_selected_action": [department.pk]}
        )

    assert [c.__name__ for c in callbacks] == ["_recompute_enqueue"]
