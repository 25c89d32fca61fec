"""The stakeholder map page (`/map/`) and its data (`/map/data.json`)."""

import json

import pytest
from django.urls import reverse

from governance import selectors, services
from governance.models import Snapshot
from tests.factories import DepartmentFactory, SeatFactory, SocialAccountFactory

pytestmark = pytest.mark.django_db

PAGE = "/map/"
DATA = "/map/data.json"


def _by_key(payload):
    return {d["key"]: d for d in payload["departments"]}


def test_map_urls_are_named():
    assert reverse("governance:map") == PAGE
    assert reverse("governance:map-data") == DATA


@pytest.mark.parametrize("url", [PAGE, DATA])
def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_map_page_offers_the_business_units(client_for, reader, make_company):
    make_company(units=2)
    response = client_for(reader).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="bu-0"' in html and 'value="bu-1"' in html
    assert 'id="map-network"' in html and 'id="map-grid"' in html
    assert "js/map.js" in html


def test_map_page_for_an_unknown_unit_is_not_found(client_for, reader, make_company):
    make_company()
    assert client_for(reader).get(PAGE, {"unit": "nowhere"}).status_code == 404


def test_map_data_for_an_unknown_unit_is_not_found(client_for, reader, make_company):
    make_company()
    assert client_for(reader).get(DATA, {"unit": "nowhere"}).status_code == 404


def test_map_data_for_a_sub_department_is_not_a_unit(client_for, reader, make_company):
    make_company()
    assert client_for(reader).get(DATA, {"unit": "bu-0-0"}).status_code == 404


def test_map_data_describes_every_active_department(client_for, reader, make_company):
    make_company(units=2, teams=2)
    services.snapshot_take()
    payload = client_for(reader).get(DATA).json()
    departments = _by_key(payload)
    assert set(departments) == {
        "bu-0", "bu-1", "bu-0-0", "bu-0-1", "bu-1-0", "bu-1-1", "bu-regional"
    }  # fmt: skip
    unit = departments["bu-0"]
    assert unit["parent"] is None and unit["depth"] == 0
    assert unit["representation"] == "direct"
    assert unit["influence"] == 4 and unit["interest"] == 5
    assert unit["accounts"] == {"linkedin": 1}
    assert unit["seats"] == 1
    team = departments["bu-0-1"]
    assert team["parent"] == "bu-0" and team["depth"] == 1
    assert team["representation"] == "proxy"
    assert departments["bu-regional"]["representation"] == "none"
    assert payload["unowned_accounts"] == {"instagram": 1}
    assert payload["assessed_at"] is not None
    assert payload["url_template"] == "/departments/__key__/"
    assert [u["key"] for u in payload["units"]] == ["bu-regional", "bu-0", "bu-1"]


def test_map_data_before_any_snapshot_computes_representation_live(client_for, reader):
    marketing = DepartmentFactory(key="mkt", name="Marketing")
    SeatFactory(department=marketing, person__department=marketing)
    payload = client_for(reader).get(DATA).json()
    assert payload["assessed_at"] is None
    assert _by_key(payload)["mkt"]["representation"] == "direct"
    assert not Snapshot.objects.exists()  # a read never writes


def test_map_data_for_one_unit_shows_its_subtree(client_for, reader, make_company):
    make_company(units=2, teams=2)
    payload = client_for(reader).get(DATA, {"unit": "bu-1"}).json()
    assert set(_by_key(payload)) == {"bu-1", "bu-1-0", "bu-1-1"}
    assert payload["scope"]["name"] == "Unit bu 1"
    assert payload["unowned_accounts"] == {}


def test_map_data_skips_archived_departments_and_lifts_their_children():
    top = DepartmentFactory(key="top", name="Top")
    middle = DepartmentFactory(key="middle", parent=top, active=False)
    DepartmentFactory(key="leaf", parent=middle)
    payload = selectors.map_payload()
    departments = _by_key(payload)
    assert "middle" not in departments
    assert departments["leaf"]["parent"] == "top"


def test_map_collapses_deep_levels_beyond_the_node_budget(make_company):
    make_company(units=3, teams=4)
    payload = selectors.map_payload(max_nodes=4)
    departments = _by_key(payload)
    assert payload["scope"]["collapsed"] is True
    assert payload["scope"]["in_graph"] == 4  # the 3 units and the regional department
    unit = departments["bu-0"]
    assert unit["in_graph"] is True
    assert unit["hidden"]["count"] == 4
    assert unit["hidden"]["headcount"] == 10 + 11 + 12 + 13
    assert unit["hidden"]["proxy"] == 4
    assert departments["bu-0-0"]["in_graph"] is False
    # The grid still places every department.
    assert len(payload["departments"]) == 3 * 5 + 1


def test_map_aggregates_top_level_units_beyond_the_node_budget():
    for i in range(6):
        DepartmentFactory(key=f"unit-{i}", headcount=10 * i)
    payload = selectors.map_payload(max_nodes=3)
    shown = {d["key"] for d in payload["departments"] if d["in_graph"]}
    assert shown == {"unit-5", "unit-4"}
    assert payload["others"]["count"] == 4
    assert payload["others"]["headcount"] == 0 + 10 + 20 + 30


def test_map_data_counts_accounts_of_archived_owners_as_unowned(client_for, reader):
    gone = DepartmentFactory(key="gone", active=False)
    SocialAccountFactory(owner=gone, platform="x", handle="ghost")
    payload = client_for(reader).get(DATA).json()
    assert payload["unowned_accounts"] == {"x": 1}


@pytest.mark.parametrize("units", [2, 8])
def test_map_data_runs_a_fixed_number_of_queries(
    client_for, reader, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=4)
    services.snapshot_take()
    client = client_for(reader)
    client.get(DATA)
    with django_assert_num_queries(6):
        response = client.get(DATA)
    assert len(response.json()["departments"]) == units * 5 + 1


@pytest.mark.parametrize("units", [2, 8])
def test_map_page_runs_a_fixed_number_of_queries(
    client_for, reader, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=2)
    client = client_for(reader)
    client.get(PAGE)
    with django_assert_num_queries(4):
        client.get(PAGE)


def test_map_page_of_an_empty_registry_shows_an_empty_state(client_for, lead):
    response = client_for(lead).get(PAGE)
    assert b"Nothing to map yet." in response.content
    assert b'id="map-network"' not in response.content
    assert client_for(lead).get(DATA).json()["departments"] == []


def test_map_data_leaves_out_the_deepest_levels_beyond_the_listing_budget(make_company):
    make_company(units=3, teams=4)
    payload = selectors.map_payload(max_nodes=4, max_listed=4)
    departments = _by_key(payload)
    # The 3 units and the regional department: the teams below are counted, not listed.
    assert payload["scope"]["listed"] == len(payload["departments"]) == 4
    assert payload["scope"]["departments"] == 3 * 5 + 1
    assert "bu-0-0" not in departments
    assert departments["bu-0"]["in_graph"] is True


def test_map_data_size_does_not_grow_with_the_company():
    units = [DepartmentFactory(key=f"unit-{i}") for i in range(3)]
    small = len(json.dumps(selectors.map_payload(max_nodes=3, max_listed=3)))
    for unit in units:
        DepartmentFactory.create_batch(40, parent=unit)
    large = len(json.dumps(selectors.map_payload(max_nodes=3, max_listed=3)))
    assert large < small * 1.5
