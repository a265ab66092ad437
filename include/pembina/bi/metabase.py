"""Provision Metabase from the repository: the warehouse connection as the BI login, a ``Pembina`` collection,
and one dashboard per dbt exposure with its native-SQL cards (``pembina metabase provision``; on a server the
Compose service ``metabase-provision`` runs it whenever the stack starts).

Idempotent: objects are found by name (the database connection; the collection; cards and dashboards in the
collection), created when missing, updated only when they differ from their definition, never duplicated. The
connection is always written, so that a rotated ``PEMBINA_BI_PASSWORD`` reaches Metabase.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from pembina.bi.dashboards import Dashboard

log = logging.getLogger(__name__)

DATABASE_NAME = "Pembina (marts)"
COLLECTION_NAME = "Pembina"
MANAGED = "Provisioned by Pembina from {path}; changes made here are overwritten on the next start."
GRID_WIDTH, CARD_HEIGHT = 24, 6


class MetabaseError(RuntimeError):
    """Metabase refused a request or could not be reached; the message says which."""


@dataclass(frozen=True)
class Warehouse:
    host: str
    port: int
    database: str
    user: str
    password: str


@dataclass
class Outcome:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


class Client:
    """The few calls of Metabase's REST API that provisioning needs, with its session header."""

    def __init__(self, url: str, timeout: float = 30):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session: str | None = None

    def request(self, method: str, path: str, body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.session:
            request.add_header("X-Metabase-Session", self.session)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:300]
            raise MetabaseError(f"Metabase refused {method} {path}: HTTP {exc.code} {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise MetabaseError(f"cannot reach Metabase at {self.url}: {exc}") from None
        return json.loads(text) if text.strip() else None

    def wait_until_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if (self.request("GET", "/api/health") or {}).get("status") == "ok":
                    return
            except MetabaseError:
                pass
            if time.monotonic() > deadline:
                raise MetabaseError(f"Metabase at {self.url} was not healthy within {timeout:.0f} s")
            time.sleep(2)

    def log_in(self, email: str, password: str) -> None:
        """Sign in as the admin; on a Metabase that was never set up, create that admin first."""
        properties = self.request("GET", "/api/session/properties")
        if not properties.get("has-user-setup"):
            session = self.request(
                "POST",
                "/api/setup",
                {
                    "token": properties["setup-token"],
                    "user": {"email": email, "password": password, "first_name": "Pembina", "last_name": "Admin"},
                    "prefs": {"site_name": "Pembina", "allow_tracking": False},
                },
            )
        else:
            session = self.request("POST", "/api/session", {"username": email, "password": password})
        self.session = session["id"]


def _items(response) -> list[dict]:
    return response["data"] if isinstance(response, dict) else response


def _native_query(card: dict) -> str | None:
    query = card.get("dataset_query") or {}
    if "native" in query:
        return query["native"].get("query")
    stages = query.get("stages") or [{}]  # MBQL 5, as newer versions return it
    return stages[0].get("native")


def _database_id(card: dict) -> int | None:
    return (card.get("dataset_query") or {}).get("database")


def ensure_database(client: Client, warehouse: Warehouse, outcome: Outcome) -> int:
    body = {
        "name": DATABASE_NAME,
        "engine": "postgres",
        "details": {
            "host": warehouse.host,
            "port": warehouse.port,
            "dbname": warehouse.database,
            "user": warehouse.user,
            "password": warehouse.password,
            "ssl": False,
            # Only the published marts: the BI login can read nothing else anyway.
            "schema-filters-type": "inclusion",
            "schema-filters-patterns": "marts",
        },
    }
    existing = [d for d in _items(client.request("GET", "/api/database")) if d.get("name") == DATABASE_NAME]
    if existing:
        client.request("PUT", f"/api/database/{existing[0]['id']}", body)
        outcome.updated.append(f"database {DATABASE_NAME}")
        return existing[0]["id"]
    created = client.request("POST", "/api/database", body)
    outcome.created.append(f"database {DATABASE_NAME}")
    return created["id"]


def ensure_collection(client: Client, outcome: Outcome) -> int:
    for collection in _items(client.request("GET", "/api/collection")):
        if (
            collection.get("name") == COLLECTION_NAME
            and not collection.get("archived")
            and collection.get("id") != "root"
        ):
            outcome.unchanged.append(f"collection {COLLECTION_NAME}")
            return collection["id"]
    created = client.request(
        "POST",
        "/api/collection",
        {"name": COLLECTION_NAME, "description": "Dashboards on the marts, provisioned from the repository."},
    )
    outcome.created.append(f"collection {COLLECTION_NAME}")
    return created["id"]


def _card_body(card, dashboard: Dashboard, database_id: int, collection_id: int) -> dict:
    return {
        "name": card.name,
        "type": "question",
        "display": card.display,
        "description": MANAGED.format(path=f"deploy/metabase/dashboards/{dashboard.path.name}"),
        "collection_id": collection_id,
        "visualization_settings": {},
        "dataset_query": {"type": "native", "native": {"query": card.sql}, "database": database_id},
    }


def _card_differs(current: dict, body: dict) -> bool:
    return (
        _native_query(current) != body["dataset_query"]["native"]["query"]
        or _database_id(current) != body["dataset_query"]["database"]
        or any(current.get(key) != body[key] for key in ("display", "description", "collection_id"))
    )


def _layout(card_ids: list[int], existing: list[dict]) -> list[dict]:
    """Two cards a row; a card already on the dashboard keeps its dashcard id, a new one gets a negative id."""
    ids = {dashcard["card_id"]: dashcard["id"] for dashcard in existing}
    per_row = 2
    width = GRID_WIDTH // per_row
    return [
        {
            "id": ids.get(card_id, -position - 1),
            "card_id": card_id,
            "row": (position // per_row) * CARD_HEIGHT,
            "col": (position % per_row) * width,
            "size_x": width,
            "size_y": CARD_HEIGHT,
        }
        for position, card_id in enumerate(card_ids)
    ]


_LAYOUT_KEYS = ("id", "card_id", "row", "col", "size_x", "size_y")


def provision(client: Client, dashboards: list[Dashboard], warehouse: Warehouse) -> Outcome:
    """The connection, the collection, every card and dashboard of ``dashboards``."""
    repeated = [name for name, count in Counter(c.name for d in dashboards for c in d.cards).items() if count > 1]
    if repeated:
        raise MetabaseError(f"card names must be unique across dashboards (they identify the cards): {repeated}")
    outcome = Outcome()
    database_id = ensure_database(client, warehouse, outcome)
    collection_id = ensure_collection(client, outcome)
    items = _items(client.request("GET", f"/api/collection/{collection_id}/items?models=card&models=dashboard"))
    cards_by_name = {item["name"]: item["id"] for item in items if item.get("model") == "card"}
    dashboards_by_name = {item["name"]: item["id"] for item in items if item.get("model") == "dashboard"}
    for dashboard in dashboards:
        card_ids = []
        for card in dashboard.cards:
            body = _card_body(card, dashboard, database_id, collection_id)
            if card.name in cards_by_name:
                card_id = cards_by_name[card.name]
                if _card_differs(client.request("GET", f"/api/card/{card_id}"), body):
                    client.request("PUT", f"/api/card/{card_id}", body)
                    outcome.updated.append(f"card {card.name}")
                else:
                    outcome.unchanged.append(f"card {card.name}")
            else:
                card_id = client.request("POST", "/api/card", body)["id"]
                outcome.created.append(f"card {card.name}")
            card_ids.append(card_id)
        description = f"{dashboard.description}\n\n" + MANAGED.format(
            path=f"deploy/metabase/dashboards/{dashboard.path.name}"
        )
        if dashboard.title in dashboards_by_name:
            dashboard_id = dashboards_by_name[dashboard.title]
            current = client.request("GET", f"/api/dashboard/{dashboard_id}")
            existing = current.get("dashcards") or []
            layout = _layout(card_ids, existing)
            current_layout = sorted(tuple(d.get(k) for k in _LAYOUT_KEYS) for d in existing)
            wanted_layout = sorted(tuple(d[k] for k in _LAYOUT_KEYS) for d in layout)
            if current_layout == wanted_layout and current.get("description") == description:
                outcome.unchanged.append(f"dashboard {dashboard.title}")
                continue
            outcome.updated.append(f"dashboard {dashboard.title}")
        else:
            dashboard_id = client.request(
                "POST",
                "/api/dashboard",
                {"name": dashboard.title, "description": description, "collection_id": collection_id},
            )["id"]
            layout = _layout(card_ids, [])
            outcome.created.append(f"dashboard {dashboard.title}")
        client.request("PUT", f"/api/dashboard/{dashboard_id}", {"description": description, "dashcards": layout})
    log.info("Metabase provisioned: %s", outcome.describe())
    return outcome
