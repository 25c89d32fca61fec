"""Services that add, edit, archive and restore departments and stakeholder groups."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from governance import services as governance_services
from stakeholders import services
from stakeholders.models import Department, StakeholderGroup
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    SeatFactory,
    StakeholderGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def recomputes(monkeypatch):
    requested = []
    monkeypatch.setattr(governance_services, "snapshot_request", lambda: requested.append(True))
    return requested


def new(**changes) -> services.DepartmentData:
    data = services.DepartmentData(
        key="social-emea",
        name="Social EMEA",
        parent="support",
        kind="team",
        function="marketing",
        headcount=12,
        customer_facing=True,
        influence=4,
        interest=5,
    )
    return replace(data, **changes)


def as_is(department: Department, **changes) -> services.DepartmentData:
    department.refresh_from_db()
    return replace(services.DepartmentData.of(department), **changes)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- create -----------------------------------------------------------------------------


def test_lead_adds_a_department_under_a_parent(lead, dept_a, recomputes):
    department = services.department_create(actor=lead, data=new())
    department.refresh_from_db()
    assert department.key == "social-emea"
    assert department.parent == dept_a
    assert (department.kind, department.function) == ("team", "marketing")
    assert (department.headcount, department.customer_facing) == (12, True)
    assert (department.influence, department.interest) == (4, 5)
    assert department.head is None and department.active
    assert department.history.get().history_user == lead
    assert recomputes == [True]


def test_the_head_is_found_by_username(lead, dept_a, head_b):
    department = services.department_create(actor=lead, data=new(head="HEAD_B"))
    assert department.head == head_b


def test_a_registered_person_named_as_head_gets_a_user_without_a_password(lead, dept_a):
    person = PersonFactory(email="Zoe@Acme.test", department=dept_a, user=None)
    department = services.department_create(actor=lead, data=new(head="zoe@acme.test"))
    person.refresh_from_db()
    assert department.head == person.user
    assert person.user.username == "zoe@acme.test"
    assert not person.user.has_usable_password()


def test_the_user_of_a_registered_person_is_the_head(lead, dept_a, head_b):
    PersonFactory(email="boss@acme.test", department=dept_a, user=head_b)
    department = services.department_create(actor=lead, data=new(head="boss@acme.test"))
    assert department.head == head_b


def test_a_person_whose_e_mail_is_another_users_cannot_hand_over_that_users_department(
    lead, dept_a, head_b
):
    admin = UserFactory(username="admin", email="admin@acme.test")
    # The person linked to head_b carries the admin's e-mail (changed by someone).
    PersonFactory(email="admin@acme.test", department=dept_a, user=head_b)
    with pytest.raises(ValidationError) as excinfo:
        services.department_create(actor=lead, data=new(head="admin@acme.test"))
    assert "signs in as head_b" in errors_of(excinfo)["head"][0]
    assert not Department.objects.filter(key="social-emea").exists()
    assert not Department.objects.filter(head__in=[admin, head_b]).exclude(key="hr").exists()


def test_a_top_level_department_has_no_parent(lead):
    department = services.department_create(actor=lead, data=new(parent=""))
    assert department.parent is None


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "Enter the department's key."),
        ("social emea", "A key has only letters, digits, - and _ (no spaces)."),
        ("sócial", "A key has only letters, digits, - and _ (no spaces)."),
        ("x" * 65, "A key has at most 64 characters."),
        ("new", "The key 'new' is reserved; choose another."),
        ("SUPPORT", "A key is written in lower case: 'support', not 'SUPPORT'."),
        ("support", "The key 'support' is already taken by another department."),
        ("edit", "The key 'edit' is reserved; choose another."),
    ],
)
def test_a_bad_key_is_refused_and_nothing_is_written(lead, dept_a, recomputes, key, message):
    with pytest.raises(ValidationError) as excinfo:
        services.department_create(actor=lead, data=new(key=key))
    assert errors_of(excinfo) == {"key": [message]}
    assert Department.objects.count() == 1
    assert recomputes == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Enter the department's name."),
        ({"parent": "nowhere"}, "parent", "No department has the key 'nowhere'."),
        ({"headcount": -1}, "headcount", "The headcount is 0 or more."),
        ({"influence": 0}, "influence", "The influence is from 1 to 5."),
        ({"interest": 6}, "interest", "The interest is from 1 to 5."),
        (
            {"kind": "tribe"},
            "kind",
            "unknown kind “tribe” (one of: business_unit, function, region, team)",
        ),
        ({"function": "astrology"}, "function", "unknown function “astrology” (one of:"),
        ({"head": "ghost@acme.test"}, "head", "ghost@acme.test is neither"),
    ],
)
def test_invalid_values_are_refused_naming_the_field(lead, dept_a, changes, field, message):
    with pytest.raises(ValidationError) as excinfo:
        services.department_create(actor=lead, data=new(**changes))
    assert list(errors_of(excinfo)) == [field]
    assert errors_of(excinfo)[field][0].startswith(message)
    assert Department.objects.count() == 1
    assert User.objects.filter(username="ghost@acme.test").count() == 0


def test_every_problem_is_reported_at_once(lead, dept_a):
    with pytest.raises(ValidationError) as excinfo:
        services.department_create(actor=lead, data=new(key="a b", headcount=-3, interest=9))
    assert set(errors_of(excinfo)) == {"key", "headcount", "interest"}


def test_a_new_department_cannot_go_under_an_archived_one(lead, dept_a):
    dept_a.active = False
    dept_a.save()
    with pytest.raises(ValidationError) as excinfo:
        services.department_create(actor=lead, data=new())
    assert errors_of(excinfo) == {
        "parent": ["Customer Support is archived: choose an active parent."]
    }


@pytest.mark.parametrize("persona", ["head_a", "reader"])
def test_only_leads_add_departments(request, dept_a, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(ValidationError, match="Only COE leads add departments"):
        services.department_create(actor=actor, data=new())
    assert Department.objects.count() == 1


# --- update -----------------------------------------------------------------------------


def test_lead_changes_every_field_but_the_key(lead, dept_a, dept_b, head_b, recomputes):
    changed = services.department_update(
        actor=lead,
        department=dept_b,
        data=as_is(
            dept_b,
            name="People & Culture",
            parent="support",
            kind="business_unit",
            function="operations",
            headcount=31,
            customer_facing=True,
            influence=5,
            interest=1,
            head="",
        ),
    )
    changed.refresh_from_db()
    assert (changed.key, changed.name, changed.parent) == ("hr", "People & Culture", dept_a)
    assert (changed.kind, changed.function, changed.headcount) == (
        "business_unit",
        "operations",
        31,
    )
    assert (changed.customer_facing, changed.influence, changed.interest) == (True, 5, 1)
    assert changed.head is None
    assert changed.history.first().history_user == lead
    assert recomputes == [True]


def test_the_key_never_changes(lead, dept_b):
    with pytest.raises(ValidationError) as excinfo:
        services.department_update(actor=lead, department=dept_b, data=as_is(dept_b, key="people"))
    assert list(errors_of(excinfo)) == ["key"]
    dept_b.refresh_from_db()
    assert dept_b.key == "hr"


def test_a_department_cannot_be_its_own_parent(lead, dept_a):
    with pytest.raises(ValidationError) as excinfo:
        services.department_update(
            actor=lead, department=dept_a, data=as_is(dept_a, parent="support")
        )
    assert errors_of(excinfo) == {"parent": ["A department cannot be its own parent."]}


def test_a_department_cannot_move_under_its_own_descendant(lead, dept_a, dept_a_child):
    grandchild = DepartmentFactory(key="support-emea-uk", name="Support UK", parent=dept_a_child)
    history = dept_a.history.count()
    for below in ("support-emea", "support-emea-uk"):
        with pytest.raises(ValidationError) as excinfo:
            services.department_update(
                actor=lead, department=dept_a, data=as_is(dept_a, parent=below, name="Moved")
            )
        assert (
            "cannot be moved under one of its own sub-departments"
            in (errors_of(excinfo)["parent"][0])
        )
    dept_a.refresh_from_db()
    assert (dept_a.parent, dept_a.name) == (None, "Customer Support")
    assert dept_a.history.count() == history
    assert grandchild.parent == dept_a_child


def test_a_sub_department_may_move_to_the_top(lead, dept_a_child):
    services.department_update(
        actor=lead, department=dept_a_child, data=as_is(dept_a_child, parent="")
    )
    dept_a_child.refresh_from_db()
    assert dept_a_child.parent is None


def test_an_archived_parent_may_stay(lead, dept_a, dept_a_child):
    dept_a.active = False
    dept_a.save()
    services.department_update(
        actor=lead, department=dept_a_child, data=as_is(dept_a_child, headcount=41)
    )
    dept_a_child.refresh_from_db()
    assert (dept_a_child.parent, dept_a_child.headcount) == (dept_a, 41)


def test_head_changes_name_headcount_and_customer_facing(head_a, dept_a, recomputes):
    services.department_update(
        actor=head_a,
        department=dept_a,
        data=as_is(dept_a, name="Care", headcount=130, customer_facing=False),
    )
    dept_a.refresh_from_db()
    assert (dept_a.name, dept_a.headcount, dept_a.customer_facing) == ("Care", 130, False)
    assert dept_a.history.first().history_user == head_a
    assert recomputes == [True]


def test_head_edits_the_departments_below_theirs(head_a, dept_a_child):
    services.department_update(
        actor=head_a, department=dept_a_child, data=as_is(dept_a_child, headcount=45)
    )
    dept_a_child.refresh_from_db()
    assert dept_a_child.headcount == 45


def test_head_naming_themselves_by_e_mail_changes_nothing(head_a, dept_a):
    services.department_update(
        actor=head_a, department=dept_a, data=as_is(dept_a, head="HEAD_A@acme.test", name="Care")
    )
    dept_a.refresh_from_db()
    assert (dept_a.head, dept_a.name) == (head_a, "Care")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"parent": "hr"}, "parent"),
        ({"influence": 5}, "influence"),
        ({"interest": 1}, "interest"),
        ({"kind": "region"}, "kind"),
        ({"function": "sales"}, "function"),
        ({"head": "head_b"}, "head"),
    ],
)
def test_head_cannot_change_what_leads_decide(head_a, dept_a, dept_b, changes, field):
    with pytest.raises(ValidationError) as excinfo:
        services.department_update(
            actor=head_a, department=dept_a, data=as_is(dept_a, name="Care", **changes)
        )
    assert errors_of(excinfo) == {field: [f"Only COE leads change a department's {field}."]}
    dept_a.refresh_from_db()
    assert dept_a.name == "Customer Support"


@pytest.mark.parametrize("persona", ["head_b", "reader"])
def test_others_cannot_edit_a_department(request, dept_a, dept_b, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(ValidationError, match="Only the department's head or a COE lead"):
        services.department_update(actor=actor, department=dept_a, data=as_is(dept_a, name="X"))


# --- archive, restore ---------------------------------------------------------------------


def test_archiving_keeps_the_seats_open_and_the_sub_departments_active(
    lead, dept_a, dept_a_child, recomputes
):
    seat = SeatFactory(person=PersonFactory(department=dept_a), department=dept_a)
    pending = SeatFactory(
        person=PersonFactory(department=dept_a), department=dept_a, status="nominated"
    )
    services.department_archive(actor=lead, department=dept_a)
    dept_a.refresh_from_db()
    assert not dept_a.active
    assert dept_a.history.first().history_user == lead
    seat.refresh_from_db()
    pending.refresh_from_db()
    assert (seat.status, pending.status) == ("approved", "nominated")
    dept_a_child.refresh_from_db()
    assert dept_a_child.active
    assert recomputes == [True]


def test_an_archived_department_is_restored(lead, dept_a, recomputes):
    services.department_archive(actor=lead, department=dept_a)
    services.department_restore(actor=lead, department=dept_a)
    dept_a.refresh_from_db()
    assert dept_a.active
    assert dept_a.history.first().history_user == lead
    assert recomputes == [True, True]


def test_archiving_twice_or_restoring_an_active_department_is_refused(lead, dept_a, recomputes):
    with pytest.raises(ValidationError, match="Customer Support is already active"):
        services.department_restore(actor=lead, department=dept_a)
    services.department_archive(actor=lead, department=dept_a)
    with pytest.raises(ValidationError, match="Customer Support is already archived"):
        services.department_archive(actor=lead, department=dept_a)
    assert dept_a.history.count() == 2
    assert recomputes == [True]


@pytest.mark.parametrize("persona", ["head_a", "reader"])
def test_only_leads_archive_and_restore(request, dept_a, persona):
    actor = request.getfixturevalue(persona)
    with pytest.raises(ValidationError, match="Only COE leads archive"):
        services.department_archive(actor=actor, department=dept_a)
    dept_a.active = False
    dept_a.save()
    with pytest.raises(ValidationError, match="Only COE leads archive"):
        services.department_restore(actor=actor, department=dept_a)
    dept_a.refresh_from_db()
    assert not dept_a.active


# --- stakeholder groups -----------------------------------------------------------------


def test_lead_adds_a_stakeholder_group(lead, recomputes):
    group = services.group_create(
        actor=lead, data=services.GroupData(key="cap", name=" Customer panel ", kind="customers")
    )
    group.refresh_from_db()
    assert (group.key, group.name, group.kind) == ("cap", "Customer panel", "customers")
    assert group.history.get().history_user == lead
    assert recomputes == [True]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (services.GroupData(key="CAP", name="Other"), "key"),
        (services.GroupData(key="a b", name="Other"), "key"),
        (services.GroupData(key="panel", name=""), "name"),
        (services.GroupData(key="panel", name="Panel", kind="fans"), "kind"),
    ],
)
def test_an_invalid_group_is_refused_and_nothing_is_written(lead, recomputes, data, field):
    StakeholderGroupFactory(key="cap")
    with pytest.raises(ValidationError) as excinfo:
        services.group_create(actor=lead, data=data)
    assert list(errors_of(excinfo)) == [field]
    assert StakeholderGroup.objects.count() == 1
    assert recomputes == []


def test_lead_renames_a_group_but_not_its_key(lead, recomputes):
    group = StakeholderGroupFactory(key="cap", name="Panel", kind="customers")
    services.group_update(
        actor=lead, group=group, data=services.GroupData(key="cap", name="Panel 2", kind="partners")
    )
    group.refresh_from_db()
    assert (group.name, group.kind) == ("Panel 2", "partners")
    assert group.history.first().history_user == lead
    with pytest.raises(ValidationError) as excinfo:
        services.group_update(
            actor=lead, group=group, data=services.GroupData(key="panel", name="Panel 3")
        )
    assert list(errors_of(excinfo)) == ["key"]
    group.refresh_from_db()
    assert (group.key, group.name) == ("cap", "Panel 2")
    assert recomputes == [True]


@pytest.mark.parametrize("persona", ["head_a", "reader"])
def test_only_leads_add_and_edit_groups(request, dept_a, persona):
    actor = request.getfixturevalue(persona)
    group = StakeholderGroupFactory(key="cap", name="Panel")
    with pytest.raises(ValidationError, match="Only COE leads add stakeholder groups"):
        services.group_create(actor=actor, data=services.GroupData(key="x", name="X"))
    with pytest.raises(ValidationError, match="Only COE leads edit stakeholder groups"):
        services.group_update(actor=actor, group=group, data=services.GroupData("cap", "Y"))
    group.refresh_from_db()
    assert group.name == "Panel"
    assert StakeholderGroup.objects.count() == 1


def test_a_user_named_by_username_and_e_mail_is_the_same_head(lead, dept_b, head_b):
    UserFactory(username="other", email="x@acme.test")
    services.department_update(
        actor=lead, department=dept_b, data=as_is(dept_b, head="head_b@acme.test")
    )
    dept_b.refresh_from_db()
    assert dept_b.head == head_b
    assert dept_b.history.count() == 2


def test_a_move_is_checked_again_under_lock(lead, dept_a, dept_a_child):
    """What a concurrent move could have changed between the first check and the write."""
    with pytest.raises(ValidationError) as excinfo:
        services._lock_and_recheck_move(dept_a, dept_a_child)
    assert "Support EMEA is now below Customer Support" in errors_of(excinfo)["parent"][0]
