"""What the registry needs from governance, declared by the registry and provided by
governance (docs/architecture.md, "Direction of imports").

The registry never imports governance. Where a registry page or service needs one of
governance's results -- the latest assessment shown beside a department, the policy's
default term, the meetings carried by the org bundle -- it calls a port declared here,
and governance provides the implementation when Django starts (governance/apps.py,
`ready()`), in the same direction as `stakeholders.signals.registry_changed`.

A port nobody provided fails loudly (ImproperlyConfigured naming it): a page must not
show "no findings" because governance was left out.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from stakeholders.bulk import HistoryWriter

T = TypeVar("T")


class Port(Generic[T]):
    """One thing the registry needs, provided once by another app."""

    def __init__(self, name: str, needs: str):
        self.name = name
        self.needs = needs  # what the provider must be, for the error message
        self._provider: T | None = None

    def provide(self, provider: T) -> None:
        self._provider = provider

    def get(self) -> T:
        if self._provider is None:
            raise ImproperlyConfigured(
                f"stakeholders.ports.{self.name} has no provider: {self.needs} "
                "(governance provides it in GovernanceConfig.ready; is governance installed?)"
            )
        return self._provider

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.get()(*args, **kwargs)  # type: ignore[operator]

    def __repr__(self) -> str:
        return f"<Port {self.name}: {'provided' if self._provider else 'not provided'}>"


class AccountFlags(Protocol):
    """The social accounts' finding codes in the latest assessment."""

    assessed_at: datetime.datetime | None

    @property
    def flagged(self) -> Any:
        """A queryset of the subject keys of the accounts with a finding."""

    def codes_for(self, subjects: list[str]) -> dict[str, list[str]]:
        """The finding codes of each of these account subjects."""


class DepartmentAssessment(Protocol):
    """What the latest assessment says of a few departments (the department page)."""

    assessed_at: datetime.datetime | None
    representation: dict[str, str]  # of the departments asked for, when assessed

    def findings_about(self, key: str, *, account_subjects: set[str]) -> list[dict]:
        """The findings about the department, its seats and these accounts of it, in
        the assessment's order (stakeholders.selectors.findings_about_department)."""


class BundleMeetings(Protocol):
    """The org bundle's `meetings` section: the registry checks the entries (their form,
    identities and references to people); the provider stores and reads them."""

    def delete_all(self, writer: HistoryWriter) -> None:
        """--replace: remove every meeting and its attendance."""

    def write(
        self, rows: list[dict], person_ids: dict[str, int], writer: HistoryWriter
    ) -> tuple[int, int]:
        """Add the new meetings and make each one's attendance the bundle's: (created,
        updated) meetings."""

    def export(self, email_of: dict[int, str]) -> list[dict]:
        """Every meeting as a bundle entry, in (date, title) order."""


# (department key -> direct | proxy | none, when assessed) of the latest assessment.
latest_representation: Port[Callable[[], tuple[dict[str, str], datetime.datetime | None]]] = Port(
    "latest_representation", "() -> (representation by department key, assessed at)"
)
# What the latest assessment says of these departments (keys); nothing before one.
latest_department_assessment: Port[Callable[[list[str]], DepartmentAssessment]] = Port(
    "latest_department_assessment", "(department keys) -> DepartmentAssessment"
)
latest_account_flags: Port[Callable[[], AccountFlags]] = Port(
    "latest_account_flags", "() -> the accounts' finding codes (AccountFlags)"
)
# The departments a user heads, with what needs their attention (the "My departments" page).
headed_departments: Port[Callable[[Any], list]] = Port(
    "headed_departments", "(user) -> the departments they head, with the latest assessment"
)
# The scoring policy's default term, which the approval form proposes.
default_term_months: Port[Callable[[], int]] = Port(
    "default_term_months", "() -> the policy's default term in months"
)
bundle_meetings: Port[BundleMeetings] = Port(
    "bundle_meetings", "the store of the org bundle's meetings (BundleMeetings)"
)

PORTS = (
    latest_representation,
    latest_department_assessment,
    latest_account_flags,
    headed_departments,
    default_term_months,
    bundle_meetings,
)
