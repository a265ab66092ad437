"""The dashboards of deploy/metabase/dashboards/ against the dbt exposures, and their provisioning into Metabase.

Metabase cannot run here (no Docker engine, no Java), so provisioning runs against a small HTTP server that
keeps the objects the real API would keep and records every request: this is a third party's API, the one
place in the suite where a stand-in is used. That every card's SQL runs as the BI login on published marts is
tested on a real warehouse (tests/integration/test_publication.py).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlglot
import yaml
from sqlglot import exp

from pembina.bi.dashboards import DefinitionError, load_dashboards, load_exposures
from pembina.bi.metabase import COLLECTION_NAME, DATABASE_NAME, Client, MetabaseError, Warehouse, provision

SESSION = "session-of-the-fake"
ADMIN = ("admin@pembina.local", "admin-password-1")
WAREHOUSE = Warehouse("postgres", 5432, "pembina", "pembina_bi", "bi-password")


@pytest.fixture(scope="module")
def exposures():
    return load_exposures()


@pytest.fixture(scope="module")
def dashboards(exposures):
    return load_dashboards(exposures=exposures)


def relations_read(sql: str) -> set[tuple[str, str]]:
    """(schema, table) of every table the statement reads; its own CTEs are not tables."""
    tree = sqlglot.parse_one(sql, read="postgres")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return {(table.db, table.name) for table in tree.find_all(exp.Table) if table.name not in ctes or table.db}


def test_every_exposure_has_a_dashboard_and_every_dashboard_an_exposure(exposures, dashboards):
    assert sorted(d.name for d in dashboards) == sorted(exposures)
    assert all(d.path.stem == d.name for d in dashboards), "each file is named after its exposure"
    for dashboard in dashboards:
        assert dashboard.title == exposures[dashboard.name].label and dashboard.cards


def test_every_card_reads_only_marts_its_exposure_depends_on(exposures, dashboards):
    for dashboard in dashboards:
        read = set()
        for card in dashboard.cards:
            relations = relations_read(card.sql)
            assert relations, f"{dashboard.name} / {card.name}: reads no table"
            assert {schema for schema, _ in relations} == {"marts"}, f"{dashboard.name} / {card.name}: {relations}"
            outside = {table for _, table in relations} - exposures[dashboard.name].depends_on
            assert not outside, f"{dashboard.name} / {card.name} reads marts its exposure does not name: {outside}"
            read |= {table for _, table in relations}
        # and the exposure names nothing its dashboard does not read
        assert read == exposures[dashboard.name].depends_on, dashboard.name


def test_the_check_catches_a_card_reading_outside_marts():
    assert relations_read("select * from raw.siasn_pegawai join marts.dim_date on true") == {
        ("raw", "siasn_pegawai"),
        ("marts", "dim_date"),
    }
    assert relations_read("with x as (select 1 from marts.dim_date) select * from x") == {("marts", "dim_date")}
    assert ("", "dim_employee") in relations_read("select * from dim_employee")  # unqualified: search_path


def test_a_dashboard_for_no_exposure_is_refused(tmp_path, exposures):
    (tmp_path / "dashboard_gone.yml").write_text("name: dashboard_gone\ncards: [{name: a, sql: select 1}]\n")
    with pytest.raises(DefinitionError, match=r"dashboard_gone\.yml: name 'dashboard_gone' is not an exposure"):
        load_dashboards(tmp_path, exposures)


# --- provisioning against a recording stand-in for Metabase's REST API ---------------------------------------


class FakeMetabase(BaseHTTPRequestHandler):
    """Keeps databases, collections, cards and dashboards as Metabase does, records every request."""

    state: dict
    requests: list

    def log_message(self, *args):  # keep the test output clean
        pass

    def _reply(self, status: int, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        path = self.path.split("?")[0]
        self.requests.append((method, path, body))
        state = self.state
        if path == "/api/health":
            return self._reply(200, {"status": "ok"})
        if path == "/api/session/properties":
            return self._reply(200, {"has-user-setup": bool(state["users"]), "setup-token": "token-1"})
        if path == "/api/setup":
            assert body["token"] == "token-1" and not state["users"]
            state["users"][body["user"]["email"]] = body["user"]["password"]
            return self._reply(200, {"id": SESSION})
        if path == "/api/session":
            if state["users"].get(body["username"]) != body["password"]:
                return self._reply(401, {"errors": {"password": "did not match"}})
            return self._reply(200, {"id": SESSION})
        if self.headers.get("X-Metabase-Session") != SESSION:
            return self._reply(401, "Unauthenticated")
        parts = path.strip("/").split("/")[1:]  # after "api"
        kind = {"database": "databases", "collection": "collections", "card": "cards", "dashboard": "dashboards"}
        table = state[kind[parts[0]]]
        if len(parts) == 3 and parts[0] == "collection" and parts[2] == "items":
            collection = int(parts[1])
            items = [
                {"id": obj["id"], "name": obj["name"], "model": model}
                for model, objects in (("card", state["cards"]), ("dashboard", state["dashboards"]))
                for obj in objects.values()
                if obj.get("collection_id") == collection
            ]
            return self._reply(200, {"data": items, "total": len(items)})
        if len(parts) == 1 and method == "GET":
            values = list(table.values())
            return self._reply(200, {"data": values, "total": len(values)} if parts[0] == "database" else values)
        if len(parts) == 1 and method == "POST":
            new = {**body, "id": len(table) + 1}
            if parts[0] == "dashboard":
                new["dashcards"] = []
            table[new["id"]] = new
            return self._reply(200, new)
        obj = table.get(int(parts[1]))
        if obj is None:
            return self._reply(404, "Not found.")
        if method == "GET":
            return self._reply(200, obj)
        if parts[0] == "dashboard" and "dashcards" in body:
            assert {d["id"] for d in obj["dashcards"]} >= {d["id"] for d in body["dashcards"] if d["id"] > 0}
            state["next_dashcard"] = state.get("next_dashcard", 0)
            dashcards = []
            for dashcard in body["dashcards"]:
                if dashcard["id"] < 0:
                    state["next_dashcard"] += 1
                    dashcard = {**dashcard, "id": state["next_dashcard"]}
                dashcards.append(dashcard)
            body = {**body, "dashcards": dashcards}
        obj.update(body)
        return self._reply(200, obj)

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")


@pytest.fixture
def metabase():
    handler = type(
        "Handler",
        (FakeMetabase,),
        {"state": {"users": {}, "databases": {}, "collections": {}, "cards": {}, "dashboards": {}}, "requests": []},
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def _run(url: str, dashboards) -> None:
    client = Client(url, timeout=5)
    client.wait_until_healthy(5)
    client.log_in(*ADMIN)
    return provision(client, dashboards, WAREHOUSE)


def test_provisioning_creates_the_connection_and_every_dashboard_then_changes_nothing(metabase, dashboards):
    url, fake = metabase
    first = _run(url, dashboards)
    state = fake.state
    cards = sum(len(d.cards) for d in dashboards)
    assert first.describe() == f"{2 + cards + len(dashboards)} created, 0 updated, 0 unchanged"
    assert state["users"] == {ADMIN[0]: ADMIN[1]}, "the first start creates the admin through /api/setup"
    [database] = state["databases"].values()
    assert database["name"] == DATABASE_NAME and database["engine"] == "postgres"
    details = database["details"]
    assert (details["host"], details["port"], details["dbname"], details["user"], details["password"]) == (
        "postgres",
        5432,
        "pembina",
        "pembina_bi",
        "bi-password",
    )
    assert details["schema-filters-patterns"] == "marts"
    [collection] = state["collections"].values()
    assert collection["name"] == COLLECTION_NAME
    assert sorted(d["name"] for d in state["dashboards"].values()) == sorted(d.title for d in dashboards)
    assert len(state["cards"]) == cards
    for dashboard in dashboards:
        [stored] = [d for d in state["dashboards"].values() if d["name"] == dashboard.title]
        on_it = [state["cards"][dashcard["card_id"]] for dashcard in stored["dashcards"]]
        assert [card["name"] for card in on_it] == [card.name for card in dashboard.cards]
        assert [card["dataset_query"]["native"]["query"] for card in on_it] == [card.sql for card in dashboard.cards]
        assert {card["dataset_query"]["database"] for card in on_it} == {database["id"]}
        assert {card["collection_id"] for card in on_it} == {collection["id"]}
        positions = {(d["row"], d["col"]) for d in stored["dashcards"]}
        assert len(positions) == len(stored["dashcards"]), "no two cards on one spot"

    snapshot = json.dumps({k: v for k, v in state.items() if k != "next_dashcard"}, sort_keys=True)
    fake.requests.clear()
    second = _run(url, dashboards)
    writes = [(method, path) for method, path, _ in fake.requests if method != "GET"]
    # signs in, rewrites the connection (a rotated password must reach Metabase), creates and changes nothing else
    assert writes == [("POST", "/api/session"), ("PUT", f"/api/database/{database['id']}")]
    assert second.describe() == f"0 created, 1 updated, {1 + cards + len(dashboards)} unchanged"
    assert json.dumps({k: v for k, v in state.items() if k != "next_dashcard"}, sort_keys=True) == snapshot


def test_a_changed_definition_updates_only_what_changed(metabase, dashboards, tmp_path):
    url, fake = metabase
    _run(url, dashboards)
    first = dashboards[0]
    changed_card = replace(first.cards[0], sql=first.cards[0].sql + "\nlimit 1000")
    changed = replace(first, cards=(changed_card, *first.cards[1:]))
    fake.requests.clear()
    outcome = _run(url, [changed, *dashboards[1:]])
    writes = [(method, path) for method, path, _ in fake.requests if method != "GET"]
    assert outcome.updated == ["database " + DATABASE_NAME, f"card {changed_card.name}"]
    assert [w for w in writes if w[1].startswith(("/api/card", "/api/dashboard"))] == [("PUT", "/api/card/1")]
    assert len(fake.state["cards"]) == sum(len(d.cards) for d in dashboards)


def test_a_wrong_admin_password_is_one_clear_error(metabase, dashboards):
    url, _ = metabase
    _run(url, dashboards)
    client = Client(url, timeout=5)
    with pytest.raises(MetabaseError, match="Metabase refused POST /api/session: HTTP 401"):
        client.log_in(ADMIN[0], "wrong")


def test_an_unreachable_metabase_is_named():
    with pytest.raises(MetabaseError, match=r"not healthy within 0 s"):
        Client("http://127.0.0.1:9", timeout=1).wait_until_healthy(0)


def test_compose_pins_metabase_and_provisions_it_on_every_start():
    services = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())["services"]
    assert re.fullmatch(r"metabase/metabase:v\d+\.\d+\.\d+(\.\d+)?", services["metabase"]["image"])
    provision = services["metabase-provision"]
    assert [*provision["entrypoint"], *provision["command"][:2]] == ["pembina", "metabase", "provision"]
    assert provision["depends_on"]["metabase"] == {"condition": "service_healthy"}
    assert provision["restart"] == "no"
    assert {"METABASE_ADMIN_PASSWORD", "PEMBINA_BI_PASSWORD"} <= provision["environment"].keys()
