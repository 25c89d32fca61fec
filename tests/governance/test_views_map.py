"""The stakeholder map page (`/map/`) and its data (`/map/data.json`)."""

import json

import pytest
from django.urls import reverse

from governance import read_memo, selectors, services
from governance.models import Snapshot
from stakeholders import services as stakeholder_services
from stakeholders.models import Department
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


@pytest.mark.parametrize("url", [PAGE, DATA])
@pytest.mark.parametrize("param", ["unit", "root"])
def test_map_of_an_unknown_branch_is_not_found(client_for, reader, make_company, url, param):
    make_company()
    services.snapshot_take()
    assert client_for(reader).get(url, {param: "nowhere"}).status_code == 404


@pytest.mark.parametrize("url", [PAGE, DATA])
def test_map_of_an_archived_department_is_not_found(client_for, reader, url):
    DepartmentFactory(key="gone", active=False)
    DepartmentFactory(key="here")
    services.snapshot_take()
    assert client_for(reader).get(url, {"root": "gone"}).status_code == 404


def test_map_page_of_a_branch_links_back_up_the_tree(client_for, reader, make_company):
    make_company()
    services.snapshot_take()
    response = client_for(reader).get(PAGE, {"root": "bu-0-1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-root="bu-0-1"' in html
    assert f'href="{PAGE}?root=bu-0"' in html and f'href="{PAGE}"' in html


def test_map_page_embeds_the_vocabulary_for_its_script(client_for, reader, make_company):
    make_company()
    html = client_for(reader).get(PAGE).content.decode()
    vocabulary = json.loads(
        html.split('<script id="vocabulary" type="application/json">')[1].split("</script>")[0]
    )
    assert vocabulary["platforms"]["linkedin"] == "LinkedIn"
    assert vocabulary["high_from"] == 4
    assert html.index('id="vocabulary"') < html.index("js/map.js")


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
    assert payload["scope"] | {"max_nodes": 0} == {
        "root": None, "name": "Whole company", "up": None, "departments": 7, "listed": 7,
        "levels": 2, "collapsed": False, "max_nodes": 0,
    }  # fmt: skip


def test_map_page_offers_the_business_units_by_name(client_for, reader, make_company):
    make_company(units=2)
    services.snapshot_take()
    units = selectors.map_page_view()["units"]
    assert [u["key"] for u in units] == ["bu-regional", "bu-0", "bu-1"]
    assert units[1]["size"] == 3


def test_map_data_before_any_snapshot_computes_representation_live(client_for, reader):
    marketing = DepartmentFactory(key="mkt", name="Marketing")
    SeatFactory(department=marketing, person__department=marketing)
    payload = client_for(reader).get(DATA).json()
    assert payload["assessed_at"] is None
    assert _by_key(payload)["mkt"]["representation"] == "direct"
    assert not Snapshot.objects.exists()  # a read never writes


@pytest.mark.parametrize("param", ["unit", "root"])
def test_map_data_for_one_unit_shows_its_subtree(client_for, reader, make_company, param):
    make_company(units=2, teams=2)
    payload = client_for(reader).get(DATA, {param: "bu-1"}).json()
    assert set(_by_key(payload)) == {"bu-1", "bu-1-0", "bu-1-1"}
    assert payload["scope"]["name"] == "Unit bu 1"
    assert payload["unowned_accounts"] == {}


def test_map_data_opens_a_branch_below_the_top_level(client_for, reader, make_company):
    make_company(units=2, teams=2)
    services.snapshot_take()
    payload = client_for(reader).get(DATA, {"root": "bu-1-0"}).json()
    assert list(_by_key(payload)) == ["bu-1-0"]
    assert payload["departments"][0]["parent"] is None
    assert payload["departments"][0]["depth"] == 0
    assert payload["scope"]["up"] == {"key": "bu-1", "name": "Unit bu 1"}


def test_stored_map_says_what_the_live_map_said(make_company):
    make_company(units=3, teams=3)
    SocialAccountFactory(owner=DepartmentFactory(key="gone", active=False), handle="ghost")
    live = selectors.map_payload()
    services.snapshot_take()
    stored = selectors.map_payload()
    assert live["assessed_at"] is None and stored["assessed_at"] is not None
    assert {**live, "assessed_at": None} == {**stored, "assessed_at": None}


def test_stored_map_follows_a_department_that_moved(make_company):
    units = make_company(units=2, teams=1)
    services.snapshot_take()
    team = Department.objects.get(key="bu-0-0")
    team.parent = units[1]
    team.save()
    services.snapshot_take()
    departments = _by_key(selectors.map_payload())
    assert departments["bu-0-0"]["parent"] == "bu-1"
    assert departments["bu-1"]["children"] == 2 and departments["bu-0"]["children"] == 0


@pytest.mark.parametrize("assessed", [False, True])
def test_map_data_skips_archived_departments_and_lifts_their_children(assessed):
    top = DepartmentFactory(key="top", name="Top")
    middle = DepartmentFactory(key="middle", parent=top, active=False)
    DepartmentFactory(key="leaf", parent=middle)
    if assessed:
        services.snapshot_take()
    payload = selectors.map_payload()
    departments = _by_key(payload)
    assert "middle" not in departments
    assert departments["leaf"]["parent"] == "top"


def test_map_folds_the_levels_beyond_the_node_budget(make_company):
    make_company(units=3, teams=4)
    services.snapshot_take()
    payload = selectors.map_payload(max_nodes=4)
    departments = _by_key(payload)
    assert payload["scope"]["collapsed"] is True
    assert payload["scope"]["listed"] == 4  # the 3 units and the regional department
    assert payload["scope"]["departments"] == 3 * 5 + 1
    unit = departments["bu-0"]
    assert unit["hidden"]["count"] == 4
    assert unit["hidden"]["headcount"] == 10 + 11 + 12 + 13
    assert unit["hidden"]["proxy"] == 4
    assert "bu-0-0" not in departments
    # The folded branch opens on demand, with its own top levels.
    branch = selectors.map_payload(root="bu-0", max_nodes=5)
    assert set(_by_key(branch)) == {"bu-0", "bu-0-0", "bu-0-1", "bu-0-2", "bu-0-3"}
    assert _by_key(branch)["bu-0"]["hidden"] is None


def test_map_aggregates_top_level_units_beyond_the_node_budget():
    for i in range(6):
        DepartmentFactory(key=f"unit-{i}", headcount=10 * i)
    services.snapshot_take()
    payload = selectors.map_payload(max_nodes=3)
    shown = {d["key"] for d in payload["departments"]}
    assert shown == {"unit-5", "unit-4"}
    assert payload["others"]["count"] == 4
    assert payload["others"]["headcount"] == 0 + 10 + 20 + 30


@pytest.mark.parametrize("assessed", [False, True])
def test_map_data_counts_accounts_of_archived_owners_as_unowned(client_for, reader, assessed):
    gone = DepartmentFactory(key="gone", active=False)
    SocialAccountFactory(owner=gone, platform="x", handle="ghost")
    if assessed:
        services.snapshot_take()
        assert Snapshot.objects.get().summary["unowned_accounts"] == {"x": 1}
    payload = client_for(reader).get(DATA).json()
    assert payload["unowned_accounts"] == {"x": 1}


@pytest.mark.parametrize("units", [2, 8])
@pytest.mark.parametrize(("params", "queries"), [({}, 9), ({"root": "bu-1"}, 8)])
def test_map_data_runs_a_fixed_number_of_queries(
    client_for, reader, make_company, django_assert_num_queries, units, params, queries
):
    make_company(units=units, teams=4)
    services.snapshot_take()
    client = client_for(reader)
    client.get(DATA, params)
    read_memo.forget_all()
    # session, user, registry generation, snapshot (with its unowned accounts), (roots'
    # totals, biggest roots | the branch's top), one level below, accounts, seats
    with django_assert_num_queries(queries):
        response = client.get(DATA, params)
    assert len(response.json()["departments"]) == (units * 5 + 1 if not params else 5)
    # Read once until the registry changes or another snapshot is stored.
    with django_assert_num_queries(4):
        assert client.get(DATA, params).json() == response.json()


def test_map_data_shows_a_change_of_the_registry_at_once(client_for, reader, lead):
    department = DepartmentFactory(key="ops", name="Operations")
    services.snapshot_take()
    client = client_for(reader)
    assert _by_key(client.get(DATA).json())["ops"]["name"] == "Operations"
    stakeholder_services.department_update(
        actor=lead,
        department=department,
        data=stakeholder_services.DepartmentData(
            key="ops", name="Operations and logistics", headcount=department.headcount
        ),
    )
    assert _by_key(client.get(DATA).json())["ops"]["name"] == "Operations and logistics"


@pytest.mark.parametrize("units", [2, 8])
def test_map_page_runs_a_fixed_number_of_queries(
    client_for, reader, make_company, django_assert_num_queries, units
):
    make_company(units=units, teams=2)
    client = client_for(reader)
    client.get(PAGE)
    services.snapshot_take()
    client.get(PAGE, {"root": "bu-0"})
    # session, user, pending nominations (navigation), snapshot, units; a branch: its node
    with django_assert_num_queries(5):
        client.get(PAGE)
    with django_assert_num_queries(6):
        client.get(PAGE, {"root": "bu-0"})


def test_map_page_of_an_empty_registry_shows_an_empty_state(client_for, lead):
    response = client_for(lead).get(PAGE)
    assert b"Nothing to map yet." in response.content
    assert b'id="map-network"' not in response.content
    assert client_for(lead).get(DATA).json()["departments"] == []


def test_map_data_size_does_not_grow_with_the_company(client_for, reader, monkeypatch):
    monkeypatch.setattr(selectors, "MAP_MAX_NODES", 10)
    units = [DepartmentFactory(key=f"unit-{i}") for i in range(3)]
    services.snapshot_take()
    client = client_for(reader)
    small = len(client.get(DATA).content)
    for unit in units:
        for team in DepartmentFactory.create_batch(3, parent=unit):
            DepartmentFactory.create_batch(20, parent=team)
    services.snapshot_take()
    response = client.get(DATA)
    assert response.json()["scope"]["departments"] == 3 + 9 + 180
    assert response.json()["scope"]["listed"] <= 10
    assert len(response.content) < small * 5


def test_map_data_of_two_thousand_departments_stays_far_below_a_megabyte(client_for, reader):
    tops = Department.objects.bulk_create(
        [Department(key=f"u{i}", name=f"Unit {i}") for i in range(20)]
    )
    teams = Department.objects.bulk_create(
        [Department(key=f"t{i}", name=f"Team {i}", parent=tops[i % 20]) for i in range(200)]
    )
    Department.objects.bulk_create(
        [Department(key=f"s{i}", name=f"Squad {i}", parent=teams[i % 200]) for i in range(1780)]
    )
    services.snapshot_take()
    response = client_for(reader).get(DATA)
    payload = response.json()
    assert payload["scope"]["departments"] == 2000
    assert payload["scope"]["listed"] == 220  # two levels; the squads open per branch
    assert len(response.content) < 1_000_000 // 10
