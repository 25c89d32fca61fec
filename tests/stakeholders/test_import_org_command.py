"""`manage.py import_org` and `manage.py export_org`."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stakeholders.bundle import export_bundle, import_bundle
from stakeholders.management.commands import import_org
from stakeholders.models import Department, Person
from tests.stakeholders.test_bundle_import import (
    design_example,
    registry_counts,
    richer_example,
)


def run(*args) -> tuple[str, str]:
    """Call a command; its standard output and error."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def bundle_file(tmp_path):
    def write(data, name: str = "org.json") -> str:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(path)

    return write


@pytest.mark.django_db
def test_import_org_loads_a_file_and_prints_the_summary(bundle_file):
    out, err = run("import_org", bundle_file(design_example()))

    assert "departments         1 created, 0 updated, 0 unchanged" in out
    assert "users created       1 (department heads)" in out
    assert err == ""
    assert Department.objects.get().key == "mkt"


@pytest.mark.django_db
def test_import_org_reads_standard_input_when_the_file_is_a_dash(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(design_example())))

    out, _ = run("import_org", "-")

    assert "people              1 created" in out
    assert Person.objects.get().email == "ana@acme.test"


@pytest.mark.django_db
def test_import_org_a_second_time_reports_everything_unchanged(bundle_file):
    path = bundle_file(richer_example())
    run("import_org", path)

    out, _ = run("import_org", path)

    assert "departments         0 created, 0 updated, 2 unchanged" in out
    assert "seats               0 created, 0 updated, 2 unchanged" in out


@pytest.mark.django_db
def test_import_org_replace_empties_the_registry_first(bundle_file):
    run("import_org", bundle_file(richer_example()))

    out, _ = run("import_org", "--replace", bundle_file(design_example(), "small.json"))

    assert out.startswith("Registry emptied first (--replace).")
    assert list(Department.objects.values_list("key", flat=True)) == ["mkt"]


@pytest.mark.django_db
def test_import_org_prints_every_error_on_stderr_and_fails(bundle_file):
    run("import_org", bundle_file(richer_example()))
    before = registry_counts()
    data = richer_example()
    data["departments"][1]["parent"] = "x"
    data["people"][1]["email"] = "bob@"

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="2 errors in .*org.json; nothing was imported"):
        call_command("import_org", bundle_file(data), stdout=out, stderr=err)

    assert err.getvalue().splitlines() == [
        'departments[1].parent: unknown department "x"',
        "people[1].email: “bob@” is not an e-mail address.",
    ]
    assert out.getvalue() == ""
    assert registry_counts() == before


@pytest.mark.django_db
def test_import_org_refuses_text_that_is_not_json(bundle_file):
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error in"):
        call_command("import_org", bundle_file('{"format": '), stderr=err)

    assert err.getvalue().startswith("$: not valid JSON (line 1, column 12")


@pytest.mark.django_db
def test_import_org_refuses_a_bundle_of_another_format(bundle_file):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_org", bundle_file({"format": "other/1"}), stderr=err)

    assert err.getvalue() == 'format: expected "roundtable-org/1", got "other/1"\n'


def test_import_org_says_clearly_when_the_file_is_missing(tmp_path):
    missing = tmp_path / "nope.json"

    with pytest.raises(CommandError, match=r"nope\.json: no such file"):
        call_command("import_org", str(missing))


def test_import_org_refuses_a_directory(tmp_path):
    with pytest.raises(CommandError, match="is a directory"):
        call_command("import_org", str(tmp_path))


def test_import_org_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"format": "café"}'.encode("latin-1"))

    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_org", str(path))


@pytest.mark.django_db
def test_import_org_exits_with_status_1_on_errors(bundle_file, capsys):
    command = import_org.Command()

    with pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "import_org", bundle_file({"format": "x"})])

    assert exited.value.code == 1
    assert "CommandError: 1 error in" in capsys.readouterr().err


@pytest.mark.django_db
def test_export_org_writes_the_bundle_to_standard_output():
    import_bundle(design_example())

    out, _ = run("export_org")

    assert json.loads(out) == design_example()
    assert out.startswith('{\n  "format": "roundtable-org/1",\n  "departments": [')


@pytest.mark.django_db
def test_export_org_writes_a_file(tmp_path, bundle_file):
    run("import_org", bundle_file(richer_example()))
    target = tmp_path / "out.json"

    out, _ = run("export_org", str(target))

    assert json.loads(target.read_text(encoding="utf-8")) == export_bundle()
    assert out.startswith("Wrote 2 departments, 1 stakeholder groups, 2 people, 2 seats")
    assert str(target) in out


@pytest.mark.django_db
def test_two_exports_of_the_same_registry_are_byte_identical(tmp_path, bundle_file):
    run("import_org", bundle_file(richer_example()))

    first, _ = run("export_org")
    second, _ = run("export_org")

    assert first == second


@pytest.mark.django_db
def test_export_org_then_import_org_round_trips(tmp_path, bundle_file):
    run("import_org", bundle_file(richer_example()))
    exported = tmp_path / "exported.json"
    run("export_org", str(exported))
    before = exported.read_text(encoding="utf-8")

    run("import_org", "--replace", str(exported))
    after, _ = run("export_org")

    assert after == before


def test_export_org_says_clearly_when_it_cannot_write(tmp_path, db):
    with pytest.raises(CommandError, match="cannot write"):
        call_command("export_org", str(tmp_path / "missing-dir" / "out.json"))
