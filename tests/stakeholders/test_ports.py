"""The registry's ports (stakeholders.ports): what it needs of governance, provided by
governance when Django starts; a port nobody provided fails loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from governance import bundle_meetings, selectors
from governance.models import Policy
from stakeholders import ports


def test_a_port_nobody_provided_fails_naming_itself_rather_than_answering_empty():
    port = ports.Port("latest_example", "() -> an example")
    with pytest.raises(ImproperlyConfigured, match=r"stakeholders\.ports\.latest_example"):
        port()
    with pytest.raises(ImproperlyConfigured, match="no provider"):
        port.get()


def test_a_provided_port_calls_its_provider():
    port = ports.Port("example", "(x) -> x + 1")
    port.provide(lambda x: x + 1)
    assert port(1) == 2


@pytest.mark.parametrize("port", ports.PORTS, ids=lambda port: port.name)
def test_governance_provides_every_port_when_django_starts(port):
    assert port.get() is not None


def test_the_ports_are_governance_s_own_reads():
    assert ports.latest_representation.get() is selectors.representation_latest
    assert ports.latest_department_assessment.get() is selectors.department_assessment_latest
    assert ports.latest_account_flags.get() is selectors.account_flags_latest
    assert ports.bundle_meetings.get() is bundle_meetings


@pytest.mark.django_db
def test_the_default_term_port_reads_the_policy():
    policy = Policy.load()
    policy.default_term_months = 18
    policy.save()
    assert ports.default_term_months() == 18
