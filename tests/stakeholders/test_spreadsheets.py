"""Spreadsheet imports row by row: every row error with its row and column, then what
a confirmed import writes (all or nothing, idempotent, the tree in any order)."""

import datetime

import pytest

from stakeholders import spreadsheets
from stakeholders.models import Department, ImportBatch, Person, SocialAccount
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    SocialAccountFactory,
    UserFactory,
)
from tests.stakeholders.sheet_files import csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db


def preview(rows, kind="departments", upload=csv_upload, user=None) -> ImportBatch:
    return spreadsheets.batch_create(kind=kind, upload=upload(rows), user=user)


def problems(batch: ImportBatch) -> list[tuple]:
    return [(p["row"], p["column"], p["message"]) for p in batch.problems]


def apply(batch: ImportBatch, user=None) -> spreadsheets.ApplyResult:
    result = spreadsheets.batch_apply(batch_id=batch.pk, user=user)
    assert result.ok, result.problems
    return result


def import_rows(rows, kind="departments", upload=csv_upload, user=None) -> dict:
    batch = preview(rows, kind, upload, user)
    assert batch.status == "ready", batch.problems
    return apply(batch, user).counts


# --- row errors -------------------------------------------------------------------------------


def test_duplicate_keys_in_the_file_name_both_rows():
    batch = preview([["key", "name"], ["mkt", "Marketing"], ["pr", "PR"], ["mkt", "Again"]])
    assert batch.status == "invalid"
    assert problems(batch) == [(4, "key", "duplicate key “mkt” (also row 2)")]
    assert not Department.objects.exists()


def test_duplicate_emails_are_compared_ignoring_case():
    batch = preview(
        [["email", "name"], ["Ana@acme.test", "Ana"], ["ana@ACME.test", "Ana R"]], "people"
    )
    assert problems(batch) == [(3, "email", "duplicate e-mail “ana@acme.test” (also row 2)")]


def test_duplicate_handles_are_compared_ignoring_case_and_at():
    rows = [["platform", "handle"], ["x", "@Acme"], ["x", "acme"], ["linkedin", "acme"]]
    batch = preview(rows, "accounts")
    assert problems(batch) == [(3, "handle", "duplicate account x:acme (also row 2)")]


def test_an_unknown_parent_is_reported_on_its_row():
    batch = preview([["key", "name", "parent"], ["emea", "EMEA", "sales"]])
    assert problems(batch) == [(2, "parent", "unknown department “sales”")]


def test_a_parent_already_registered_is_known(dept_a):
    batch = preview([["key", "name", "parent"], ["emea", "EMEA", "support"]])
    assert batch.status == "ready"


def test_a_cycle_in_the_file_is_reported_on_each_of_its_rows():
    rows = [["key", "name", "parent"], ["a", "A", "b"], ["b", "B", "c"], ["c", "C", "a"]]
    batch = preview(rows)
    assert problems(batch) == [
        (2, "parent", "cycle: a → b → c → a"),
        (3, "parent", "cycle: a → b → c → a"),
        (4, "parent", "cycle: a → b → c → a"),
    ]


def test_a_department_cannot_be_its_own_parent():
    batch = preview([["key", "name", "parent"], ["a", "A", "a"]])
    assert problems(batch) == [(2, "parent", "a department cannot be its own parent")]


def test_a_cycle_through_the_registry_is_found(dept_a, dept_a_child):
    # support-emea is already below support; making support its child closes a loop.
    batch = preview([["key", "name", "parent"], ["support", "Customer Support", "support-emea"]])
    assert problems(batch) == [(2, "parent", "cycle: support → support-emea → support")]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("kind", "division", "unknown kind “division” (one of: business_unit, function,"),
        ("function", "pr", "unknown function “pr” (one of: marketing,"),
        ("headcount", "-3", "The headcount is 0 or more."),
        ("headcount", "12.5", "“12.5” is not a whole number"),
        ("headcount", "many", "“many” is not a whole number"),
        ("influence", "6", "The influence is from 1 to 5."),
        ("customer_facing", "maybe", "“maybe” is not yes/no"),
        ("key", "Sales Team!", "letters, digits, - and _"),
        ("name", "x" * 201, "too long (201 characters, at most 200)"),
    ],
)
def test_a_bad_department_value_is_reported_with_its_row_and_column(column, value, message):
    header = ["key", "name"] if column in ("key", "name") else ["key", "name", column]
    row = {"key": "ops", "name": "Ops", column: value}
    batch = preview([header, [row[c] for c in header]])
    assert batch.status == "invalid"
    [(row_number, problem_column, problem)] = problems(batch)
    assert (row_number, problem_column) == (2, column)
    assert message in problem


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("seniority", "boss", "unknown seniority “boss”"),
        ("email", "not-an-email", "“not-an-email” is not an e-mail address"),
        ("expertise", "crisis comms; paid/social", "tag “paid/social”"),
    ],
)
def test_a_bad_person_value_is_reported(column, value, message):
    header = ["email", "name", column] if column != "email" else ["email", "name"]
    values = {"email": "ana@acme.test", "name": "Ana", column: value}
    batch = preview([header, [values[c] for c in header]], "people")
    [(row_number, problem_column, problem)] = problems(batch)
    assert (row_number, problem_column) == (2, column)
    assert message in problem


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("platform", "myspace", "unknown platform “myspace”"),
        ("status", "deleted", "unknown status “deleted”"),
        ("purpose", "fun", "unknown purpose “fun”"),
        ("url", "not a url", "“not a url” is not a web address"),
        ("last_post_at", "26/11/2026", "is not a date (use YYYY-MM-DD)"),
        ("followers", "-1", "The number of followers is 0 or more."),
        ("handle", "@", "a handle needs more than an @"),
    ],
)
def test_a_bad_account_value_is_reported(column, value, message):
    header = ["platform", "handle"] + ([column] if column not in ("platform", "handle") else [])
    values = {"platform": "x", "handle": "acme", column: value}
    batch = preview([header, [values[c] for c in header]], "accounts")
    [(row_number, problem_column, problem)] = problems(batch)
    assert (row_number, problem_column) == (2, column)
    assert message in problem


def test_every_error_of_the_file_is_listed_in_row_order():
    rows = [
        ["key", "name", "function", "headcount"],
        ["a", "", "sales", "1"],
        ["b", "B", "pr", "x"],
        ["c", "C", "sales", "3"],
    ]
    found = problems(preview(rows))
    assert [(row, column) for row, column, _ in found] == [
        (2, "name"),
        (3, "function"),
        (3, "headcount"),
    ]
    assert found[0][2] == "required: the cell is empty"
    assert found[1][2].startswith("unknown function “pr”")
    assert found[2][2] == "“x” is not a whole number."


def test_a_formula_in_an_xlsx_cell_is_refused_with_its_row_and_column():
    rows = [["key", "name", "headcount"], ["a", "A", 3], ["b", "B", "=SUM(C2:C2)"]]
    batch = preview(rows, upload=xlsx_upload)
    assert problems(batch) == [
        (3, "headcount", "formula “=SUM(C2:C2)” is not allowed: paste the value instead")
    ]


def test_a_formula_alone_on_a_row_is_still_reported():
    batch = preview([["key", "name"], ["a", "A"], [None, '="x"']], upload=xlsx_upload)
    assert [(p[0], p[1]) for p in problems(batch)] == [(3, "key"), (3, "name")]
    assert "formula" in problems(batch)[1][2]


def test_cells_beyond_the_header_are_reported():
    batch = preview([["key", "name"], ["a", "A", "stray"]])
    assert problems(batch) == [
        (2, None, "1 cell(s) beyond the last column of the header (“stray”)")
    ]


def test_row_numbers_are_the_spreadsheets_even_after_blank_rows():
    rows = [["key", "name", "function"], ["a", "A", "sales"], [], [None, None], ["b", "B", "pr"]]
    batch = preview(rows, upload=xlsx_upload)
    assert [(p[0], p[1]) for p in problems(batch)] == [(5, "function")]


def test_a_row_with_an_invalid_key_does_not_make_its_children_unknown():
    batch = preview([["key", "name", "parent"], ["Bad Key", "B", ""], ["c", "C", "Bad Key"]])
    assert [(p[0], p[1]) for p in problems(batch)] == [(2, "key")]


def test_a_head_who_is_nobody_is_reported(dept_a):
    batch = preview([["key", "name", "head"], ["support", "Support", "ghost@acme.test"]])
    assert problems(batch) == [
        (2, "head", "ghost@acme.test is neither a registered person's e-mail nor a user.")
    ]


def test_a_person_in_an_unknown_department_is_reported():
    batch = preview([["email", "name", "department"], ["a@acme.test", "A", "ops"]], "people")
    assert problems(batch) == [
        (2, "department", "unknown department “ops” (import the departments first)")
    ]


def test_an_account_with_unknown_owner_and_manager_is_reported():
    rows = [["platform", "handle", "owner", "managers"], ["x", "acme", "ops", "zed@acme.test"]]
    batch = preview(rows, "accounts")
    assert problems(batch) == [
        (2, "owner", "unknown department “ops” (import the departments first)"),
        (2, "managers", "unknown person “zed@acme.test” (import the people first)"),
    ]


def test_an_invalid_batch_cannot_be_confirmed():
    batch = preview([["key", "name"], ["a", ""]])
    with pytest.raises(spreadsheets.BatchNotReady):
        spreadsheets.batch_apply(batch_id=batch.pk, user=None)
    assert not Department.objects.exists()


# --- preview ---------------------------------------------------------------------------------


def test_the_preview_sorts_rows_into_create_update_and_unchanged(dept_a, dept_b):
    rows = [
        ["key", "name", "function"],
        ["support", "Customer Support", "customer_support"],  # unchanged
        ["hr", "People & Culture", "hr"],  # renamed
        ["legal", "Legal", "legal"],  # new
    ]
    batch = preview(rows)
    assert batch.counts == {"create": 1, "update": 1, "unchanged": 1, "problems": 0}
    by_key = {row["key"]: row for row in batch.plan}
    assert by_key["hr"]["changes"] == [["name", "Human Resources", "People & Culture"]]
    assert by_key["legal"]["action"] == "create"
    assert Department.objects.count() == 2  # the preview writes nothing


def test_the_preview_stores_the_rows_so_confirming_does_not_read_the_file(lead):
    batch = preview([["key", "name"], ["a", "A"]], user=lead)
    ImportBatch.objects.filter(pk=batch.pk).update(filename="gone.csv")
    apply(batch, lead)
    assert Department.objects.get(key="a").name == "A"


# --- writing ---------------------------------------------------------------------------------


def test_the_tree_may_arrive_in_any_order(lead):
    rows = [
        ["key", "name", "parent"],
        ["emea-north", "EMEA North", "emea"],
        ["emea", "EMEA", "sales"],
        ["sales", "Sales", ""],
        ["apac", "APAC", "sales"],
    ]
    assert import_rows(rows, user=lead) == {"create": 4, "update": 0, "unchanged": 0}
    parents = dict(Department.objects.values_list("key", "parent__key"))
    assert parents == {"sales": None, "emea": "sales", "apac": "sales", "emea-north": "emea"}


def test_importing_the_same_file_twice_changes_nothing_the_second_time(lead):
    rows = [
        ["key", "name", "parent", "function", "headcount", "customer_facing"],
        ["sales", "Sales", "", "Sales", "120", "yes"],
        ["emea", "EMEA", "sales", "sales", "40", "no"],
    ]
    import_rows(rows, user=lead)
    before = list(Department.history.values_list("id", flat=True))
    assert import_rows(rows, user=lead) == {"create": 0, "update": 0, "unchanged": 2}
    assert list(Department.history.values_list("id", flat=True)) == before


def test_a_column_left_out_keeps_the_field_and_an_empty_cell_clears_a_reference(dept_a_child):
    dept_a_child.headcount = 40
    dept_a_child.save()
    rows = [["key", "name", "parent", "headcount"], ["support-emea", "Support EMEA", "", ""]]
    import_rows(rows)
    department = Department.objects.get(key="support-emea")
    assert department.parent is None  # empty parent: top level
    assert department.headcount == 40  # empty headcount: left alone
    assert department.function == "customer_support"  # no function column: left alone


def test_a_new_row_takes_the_defaults_of_the_columns_it_leaves_out():
    import_rows([["key", "name"], ["ops", "Operations"]])
    department = Department.objects.get(key="ops")
    assert (department.kind, department.function, department.headcount) == ("function", "other", 0)
    assert (department.influence, department.interest, department.active) == (3, 3, True)


def test_enumeration_labels_are_accepted():
    import_rows(
        [["key", "name", "kind", "function"], ["cs", "CS", "Business unit", "Customer support"]]
    )
    assert Department.objects.filter(kind="business_unit", function="customer_support").exists()


def test_heads_are_found_by_username_email_or_person(head_a):
    person = PersonFactory(email="Rita@acme.test", department=None, user=None)
    UserFactory(username="bob", email="bob.b@acme.test")
    rows = [
        ["key", "name", "head"],
        ["a", "A", "head_a"],
        ["b", "B", "BOB.B@acme.test"],
        ["c", "C", "rita@acme.test"],
    ]
    import_rows(rows)
    heads = dict(Department.objects.values_list("key", "head__username"))
    assert heads == {"a": "head_a", "b": "bob", "c": "rita@acme.test"}
    person.refresh_from_db()
    assert person.user.username == "rita@acme.test"
    assert not person.user.has_usable_password()


def test_the_same_head_named_another_way_is_no_change(dept_a, head_a):
    rows = [["key", "name", "head"], ["support", "Customer Support", "HEAD_A@acme.test"]]
    assert preview(rows).counts["unchanged"] == 1


def test_changes_are_recorded_in_the_history_with_the_importer(lead, dept_a):
    rows = [["key", "name", "parent"], ["support", "Support", ""], ["emea", "EMEA", "support"]]
    import_rows(rows, user=lead)
    records = Department.history.filter(history_change_reason="spreadsheet import")
    assert {(r.key, r.history_type, r.history_user_id) for r in records} == {
        ("support", "~", lead.pk),
        ("emea", "+", lead.pk),
    }
    assert records.get(key="emea").parent_id == dept_a.pk


def test_a_confirmed_import_asks_for_one_recompute(django_capture_on_commit_callbacks, lead):
    batch = preview([["key", "name"], ["a", "A"], ["b", "B"]], user=lead)
    with django_capture_on_commit_callbacks() as callbacks:
        apply(batch, lead)
    assert len(callbacks) == 1


def test_people_are_matched_by_email_ignoring_case_and_their_tags_replaced(dept_a):
    ana = PersonFactory(email="Ana@Acme.test", name="Ana", department=None)
    rows = [
        ["email", "name", "department", "expertise", "seniority"],
        ["ana@acme.test", "Ana Ruiz", "support", "Crisis comms; analytics", "Director"],
        ["bo@acme.test", "Bo", "", "", ""],
    ]
    assert import_rows(rows, "people") == {"create": 1, "update": 1, "unchanged": 0}
    ana.refresh_from_db()
    assert (ana.name, ana.department, ana.seniority) == ("Ana Ruiz", dept_a, "director")
    assert sorted(ana.expertise.values_list("name", flat=True)) == ["analytics", "crisis-comms"]
    rows[1][3] = "analytics"
    assert import_rows(rows, "people") == {"create": 0, "update": 1, "unchanged": 1}
    assert list(ana.expertise.values_list("name", flat=True)) == ["analytics"]
    assert Person.objects.get(email="bo@acme.test").department is None


def test_accounts_are_matched_by_platform_and_handle_and_managers_replaced(lead, dept_a):
    ana = PersonFactory(email="ana@acme.test")
    bo = PersonFactory(email="bo@acme.test")
    account = SocialAccountFactory(platform="x", handle="AcmeHelp", owner=None)
    account.managers.set([bo])
    rows = [
        ["platform", "handle", "owner", "managers", "last_post_at", "followers"],
        ["X", "@acmehelp", "support", "ana@acme.test; bo@acme.test", "2026-11-20", "1200"],
        ["linkedin", "acme", "", "", "", ""],
    ]
    assert import_rows(rows, "accounts", user=lead) == {"create": 1, "update": 1, "unchanged": 0}
    account.refresh_from_db()
    assert account.handle == "acmehelp"
    assert (account.owner, account.followers) == (dept_a, 1200)
    assert account.last_post_at == datetime.date(2026, 11, 20)
    assert set(account.managers.all()) == {ana, bo}
    latest = account.history.latest()
    assert {m.person_id for m in latest.managers.all()} == {ana.pk, bo.pk}
    assert import_rows(rows, "accounts", user=lead)["unchanged"] == 2
    assert SocialAccount.objects.count() == 2


def test_nothing_is_written_when_the_registry_changed_so_that_a_row_no_longer_fits(lead):
    sales = DepartmentFactory(key="sales")
    batch = preview([["key", "name", "parent"], ["emea", "EMEA", "sales"]], user=lead)
    sales.delete()
    result = spreadsheets.batch_apply(batch_id=batch.pk, user=lead)
    assert not result.ok
    assert "the registry changed since the preview: unknown department “sales”" in str(
        result.problems[0]
    )
    assert not Department.objects.exists()
    batch.refresh_from_db()
    assert batch.status == "invalid"


def test_a_batch_is_applied_once(lead):
    batch = preview([["key", "name"], ["a", "A"]], user=lead)
    apply(batch, lead)
    with pytest.raises(spreadsheets.BatchNotReady, match="applied already"):
        spreadsheets.batch_apply(batch_id=batch.pk, user=lead)


def test_a_row_created_by_someone_else_since_the_preview_is_updated_instead(lead):
    batch = preview([["key", "name"], ["a", "A"]], user=lead)
    DepartmentFactory(key="a", name="Other")
    assert apply(batch, lead).counts == {"create": 0, "update": 1, "unchanged": 0}
    assert Department.objects.get(key="a").name == "A"


def _tree_rows(size: int) -> list[list[str]]:
    """A root (with a head) and size - 1 departments two levels below it, children first."""
    p = f"s{size}-"
    rows = [
        [f"{p}{i}", f"D{i}", f"{p}root" if i % 2 else f"{p}{i - 1}", ""] for i in range(1, size)
    ]
    rows.reverse()
    return [["key", "name", "parent", "head"], *rows, [f"{p}root", "Root", "", "head_a"]]


def test_checking_and_writing_take_the_same_number_of_queries_at_two_sizes(lead, dept_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (10, 60):
        upload = csv_upload(_tree_rows(size))
        with CaptureQueriesContext(connection) as checking:
            batch = spreadsheets.batch_create(kind="departments", upload=upload, user=lead)
        with CaptureQueriesContext(connection) as writing:
            apply(batch, lead)
        counts.append((len(checking), len(writing)))
        assert Department.objects.filter(key__startswith=f"s{size}-").count() == size
    assert counts[0] == counts[1]


def test_each_account_written_gets_one_history_record_with_its_managers(lead, dept_a):
    ana = PersonFactory(email="ana@acme.test")
    kept = SocialAccountFactory(platform="x", handle="kept", followers=1)
    kept.managers.set([ana])
    rows = [
        ["platform", "handle", "followers", "managers"],
        ["x", "new", "5", "ana@acme.test"],
        ["x", "kept", "2", "ana@acme.test"],  # a field changes, the managers do not
    ]
    import_rows(rows, "accounts", user=lead)
    new = SocialAccount.objects.get(handle="new")
    [created] = new.history.all()
    assert (created.history_type, created.history_user) == ("+", lead)
    assert [m.person_id for m in created.managers.all()] == [ana.pk]
    latest = kept.history.latest()
    assert (latest.history_type, latest.followers) == ("~", 2)
    assert [m.person_id for m in latest.managers.all()] == [ana.pk]
