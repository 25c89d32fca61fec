"""A client generated from /api/schema/ by openapi-python-client works: every module it
generates imports, and a PATCH of one field through it changes that field and nothing
else (a schema that showed defaults on partial updates made such a client send them,
resetting every field it was not asked to change)."""

import datetime
import hashlib
import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.forms.models import model_to_dict
from rest_framework.authtoken.models import Token

from stakeholders.models import Department, SocialAccount
from tests.factories import DepartmentFactory, PersonFactory, SocialAccountFactory

PACKAGE = "roundtable_client"
# The tool sits next to the interpreter in a virtualenv that is not activated.
GENERATOR = shutil.which("openapi-python-client", path=Path(sys.executable).parent) or shutil.which(
    "openapi-python-client"
)


@pytest.fixture
def generated(api_for, reader, tmp_path_factory, monkeypatch):
    """The generated package, importable as `roundtable_client`. Generating takes a couple
    of seconds, so one schema (by its hash) is generated once per test run."""
    if GENERATOR is None:
        pytest.skip("openapi-python-client is not installed")
    response = api_for(reader).get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.content
    root = tmp_path_factory.getbasetemp() / f"client-{hashlib.sha256(schema).hexdigest()[:16]}"
    if not (root / PACKAGE / "__init__.py").exists():
        root.mkdir(exist_ok=True)
        (root / "schema.json").write_bytes(schema)
        # No post hooks: they run ruff from PATH, which is no business of this test.
        (root / "config.json").write_text('{"post_hooks": []}')
        result = subprocess.run(
            [
                GENERATOR,
                "generate",
                "--path",
                "schema.json",
                "--output-path",
                str(root / PACKAGE),
                "--meta",
                "none",
                "--config",
                "config.json",
                "--overwrite",
                "--fail-on-warning",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(root))
    yield importlib.import_module(PACKAGE)
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def test_every_generated_module_imports(generated):
    imported, failures = [], []
    for module in pkgutil.walk_packages(generated.__path__, f"{PACKAGE}."):
        try:
            importlib.import_module(module.name)
        except Exception as error:  # report every module that fails, not the first
            failures.append(f"{module.name}: {type(error).__name__}: {error}")
        else:
            imported.append(module.name)
    assert not failures, f"{len(failures)} of {len(imported) + len(failures)} failed:\n" + (
        "\n".join(failures)
    )
    assert sum(".api." in name for name in imported) >= 40


def _authenticated(generated, live_server, user):
    token, _ = Token.objects.get_or_create(user=user)
    return generated.AuthenticatedClient(base_url=live_server.url, token=token.key, prefix="Token")


def _record(instance) -> dict:
    instance.refresh_from_db()
    fields = model_to_dict(instance)
    if "managers" in fields:
        fields["managers"] = sorted(person.pk for person in fields["managers"])
    return fields


@pytest.mark.django_db(transaction=True)
def test_patching_a_departments_headcount_changes_nothing_else(
    generated, live_server, lead, head_a
):
    from roundtable_client.api.departments import departments_partial_update
    from roundtable_client.models import PatchedDepartmentWriteRequest

    parent = DepartmentFactory(key="ops", name="Operations")
    # Every field away from its default, so that a default sent by the client would show.
    department = DepartmentFactory(
        key="care",
        name="Customer Care",
        parent=parent,
        kind="region",
        function="customer_support",
        headcount=7,
        customer_facing=True,
        influence=5,
        interest=1,
        head=head_a,
    )
    before = _record(department)

    response = departments_partial_update.sync_detailed(
        "care",
        client=_authenticated(generated, live_server, lead),
        body=PatchedDepartmentWriteRequest(headcount=42),
    )

    assert response.status_code == 200, response.content
    assert response.parsed.headcount == 42
    assert _record(department) == {**before, "headcount": 42}
    assert Department.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_patching_an_accounts_followers_changes_nothing_else(generated, live_server, lead, dept_a):
    from roundtable_client.api.accounts import accounts_partial_update
    from roundtable_client.models import PatchedSocialAccountWriteRequest

    account = SocialAccountFactory(
        platform="instagram",
        handle="acme_care",
        url="https://www.instagram.com/acme_care",
        owner=dept_a,
        status="dormant",
        followers=10,
        last_post_at=datetime.date(2026, 2, 1),
        purpose="support",
    )
    account.managers.set([PersonFactory(department=dept_a), PersonFactory(department=dept_a)])
    before = _record(account)

    response = accounts_partial_update.sync_detailed(
        account.pk,
        client=_authenticated(generated, live_server, lead),
        body=PatchedSocialAccountWriteRequest(followers=1234),
    )

    assert response.status_code == 200, response.content
    assert response.parsed.followers == 1234
    assert _record(account) == {**before, "followers": 1234}
    assert SocialAccount.objects.count() == 1
