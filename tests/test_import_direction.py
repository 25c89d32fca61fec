"""Dependencies point one way (docs/architecture.md, "Direction of imports"): governance
reads the registry, the registry never imports governance (what it needs of governance
it declares as ports in stakeholders/ports.py, which governance provides at start-up);
the scoring engine imports nothing from Django. Read from the source with `ast`, so a
lazy import inside a function counts as much as one at the top of a module."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, by its dotted name: `from governance import services`
    names governance.services, `from governance.models import Policy` governance.models."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if "." in node.module:
                names.add(node.module)
            else:  # `from package import module`: the modules are what is imported
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def governance_imports(path: Path) -> set[str]:
    return {
        name
        for name in imported_modules(path)
        if name == "governance" or name.startswith("governance.")
    }


REGISTRY_MODULES = sorted(
    str(path.relative_to(ROOT))
    for path in (ROOT / "stakeholders").rglob("*.py")
    if "migrations" not in path.parts
)


@pytest.mark.parametrize("module", REGISTRY_MODULES)
def test_the_registry_does_not_import_governance(module):
    found = governance_imports(ROOT / module)
    # What the registry needs of governance is declared in stakeholders/ports.py and
    # provided by governance (governance/apps.py), never imported from it.
    assert not found, f"{module} imports {sorted(found)}"


def test_the_registry_migrations_do_not_depend_on_governance():
    for path in (ROOT / "stakeholders" / "migrations").glob("*.py"):
        assert "governance" not in path.read_text(), path.name


def test_the_scoring_engine_imports_no_django_and_only_the_plain_vocabulary():
    found = imported_modules(ROOT / "governance" / "scoring.py")
    project = {"django", "accounts", "api", "coe", "governance", "health", "stakeholders"}
    assert {name for name in found if name.split(".")[0] in project} == {"stakeholders.vocabulary"}


def test_the_vocabulary_imports_nothing_from_django_or_the_project():
    found = imported_modules(ROOT / "stakeholders" / "vocabulary.py")
    project = {"django", "accounts", "api", "coe", "governance", "health", "stakeholders"}
    assert not {name for name in found if name.split(".")[0] in project}


def test_the_walk_sees_a_lazy_import_inside_a_function(tmp_path):
    # The check must not be fooled by an import tucked into a function body.
    module = tmp_path / "sneaky.py"
    module.write_text("def f():\n    from governance import services\n    return services\n")
    assert governance_imports(module) == {"governance.services"}
