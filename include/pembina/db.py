"""Warehouse connections and the embedded PostgreSQL server.

With ``PEMBINA_WAREHOUSE_URL`` unset, Pembina runs its own PostgreSQL (from the ``pgserver`` wheel) in
``PEMBINA_PGDATA``. It listens on a Unix socket inside that folder only, never on a network address.
"""

from __future__ import annotations

import logging
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import tuple_row

from pembina.settings import AIRFLOW_DB, WAREHOUSE_DB, Settings, get_settings

log = logging.getLogger(__name__)
logging.getLogger("pgserver").setLevel(logging.WARNING)  # it logs every handle it opens and closes
# pgserver keeps a lock file in the user's runtime folder; without XDG_RUNTIME_DIR (CI, cron) platformdirs
# warns, at start and again at exit, that it falls back to /tmp, which is fine here.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")

BI_ROLE = "pembina_bi"
HR_ANALYST_ROLE = "pembina_hr_analyst"
# NOLOGIN groups beside the BI login; what each reaches is include/pembina/sql/access_roles.sql.
ACCESS_ROLES = ("pembina_loader", "pembina_transformer", HR_ANALYST_ROLE, "pembina_auditor")
ACCESS_ROLES_SQL = Path(__file__).parent / "sql" / "access_roles.sql"


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be reached; the message says what to do."""


@dataclass(frozen=True)
class EmbeddedStatus:
    running: bool
    pid: int | None
    socket_dir: Path | None
    pgdata: Path


def embedded_status(settings: Settings | None = None) -> EmbeddedStatus:
    settings = settings or get_settings()
    pid_file = settings.pgdata / "postmaster.pid"
    if not pid_file.exists():
        return EmbeddedStatus(False, None, None, settings.pgdata)
    lines = pid_file.read_text().splitlines()
    pid = int(lines[0])
    socket_dir = Path(lines[4].strip()) if len(lines) > 4 and lines[4].strip() else None
    running = _process_alive(pid) and (socket_dir is not None) and (socket_dir / ".s.PGSQL.5432").exists()
    return EmbeddedStatus(running, pid if running else None, socket_dir, settings.pgdata)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _embedded_url(socket_dir: Path, database: str) -> str:
    return f"postgresql://postgres@/{database}?host={quote(str(socket_dir), safe='/')}"


def warehouse_url(settings: Settings | None = None) -> str:
    """The connection URL of the warehouse in use: the configured one, else the embedded server's."""
    settings = settings or get_settings()
    if settings.warehouse_url_override:
        return settings.warehouse_url_override
    status = embedded_status(settings)
    return _embedded_url(status.socket_dir or settings.pgdata, WAREHOUSE_DB)


def bi_url(settings: Settings | None = None) -> str:
    """The warehouse URL as the BI login, without a password (a BI tool keeps that itself)."""
    params = conninfo_to_dict(warehouse_url(settings))
    params.pop("password", None)
    params["user"] = BI_ROLE
    return sibling_database_url(make_conninfo(**params), str(params.get("dbname", WAREHOUSE_DB)))


def sibling_database_url(url: str, database: str) -> str:
    """The URL of another database on the same server (used for Airflow's metadata and test databases)."""
    params = conninfo_to_dict(url)
    params["dbname"] = database
    host = params.pop("host", None)
    port = params.pop("port", None)
    user = params.pop("user", None)
    password = params.pop("password", None)
    netloc = quote(user or "", safe="")
    if password:
        netloc += ":" + quote(password, safe="")
    if netloc:
        netloc += "@"
    query = {k: v for k, v in params.items() if k != "dbname"}
    if host and host.startswith("/"):
        query["host"] = host
        host = None
    if host:
        netloc += host + (f":{port}" if port else "")
    elif port:
        query["port"] = port
    tail = "&".join(f"{k}={quote(str(v), safe='/')}" for k, v in query.items())
    return f"postgresql://{netloc}/{quote(database)}" + (f"?{tail}" if tail else "")


def airflow_metadata_url(settings: Settings | None = None) -> str:
    """SQLAlchemy URL of Airflow's metadata database: a separate database on the warehouse's server."""
    settings = settings or get_settings()
    url = sibling_database_url(warehouse_url(settings), _airflow_db_name(settings))
    return url.replace("postgresql://", "postgresql+psycopg2://", 1)


def _airflow_db_name(settings: Settings) -> str:
    if settings.embedded:
        return AIRFLOW_DB
    return f"{conninfo_to_dict(settings.warehouse_url_override)['dbname']}_airflow"


def dbt_env(url: str | None = None) -> dict[str, str]:
    """Environment variables read by dbt_project/profiles.yml."""
    params = conninfo_to_dict(url or warehouse_url())
    return {
        "PEMBINA_PG_HOST": str(params.get("host", "127.0.0.1")),
        "PEMBINA_PG_PORT": str(params.get("port", "5432")),
        "PEMBINA_PG_USER": str(params.get("user", "postgres")),
        "PEMBINA_PG_PASSWORD": str(params.get("password", "")),
        "PEMBINA_PG_DATABASE": str(params.get("dbname", WAREHOUSE_DB)),
    }


def connect(url: str | None = None, **kwargs) -> psycopg.Connection:
    url = url or warehouse_url()
    try:
        return psycopg.connect(url, **kwargs)
    except psycopg.OperationalError as exc:
        hint = (
            "start it with `pembina db up` (or `make demo`)"
            if get_settings().embedded
            else "check PEMBINA_WAREHOUSE_URL"
        )
        raise WarehouseUnavailable(f"cannot connect to the warehouse ({_redact(url)}): {exc}; {hint}") from exc


def _redact(url: str) -> str:
    params = conninfo_to_dict(url)
    if params.get("password"):
        params["password"] = "***"
    return make_conninfo(**params)


def create_database(conn: psycopg.Connection, database: str, template: str | None = None) -> None:
    """CREATE DATABASE ``database`` (``conn``: autocommit, to another database of the server): a copy of
    ``template``, else an empty one whose text sorts in byte order (collation C).

    The warehouse joins, sorts and indexes 64-hex-digit pseudonyms, NIPs and codes by the million. Under a
    language collation (even C.UTF-8) PostgreSQL compares each pair with strcoll and sorts without abbreviated
    keys: sorting or indexing 2M pseudonyms takes 4 times as long as in C. UTF-8's byte order is code point
    order, the order C.UTF-8 gives, so no query's result changes."""
    create = sql.SQL("create database {}").format(sql.Identifier(database))
    if template:
        create += sql.SQL(" template {}").format(sql.Identifier(template))
    else:
        create += sql.SQL(" template template0 locale_provider libc lc_collate 'C'")
    conn.execute(create)


def ensure_database(url: str, database: str) -> None:
    """Create ``database`` on the server of ``url`` if it does not exist."""
    with connect(sibling_database_url(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (database,)).fetchone()
        if not exists:
            create_database(conn, database)


def warn_unless_byte_order(url: str) -> None:
    """A warehouse created before Pembina chose collation C (or by an operator without it) works, slower."""
    with connect(url) as conn:
        collation = conn.execute("select datcollate from pg_database where datname = current_database()").fetchone()[0]
    if collation != "C":
        log.warning(
            "the warehouse database sorts text by collation %s, not C: dbt builds sort and index its keys up to"
            " 4 times slower. The embedded one is created anew by `make clean-data` (its data is loaded again);"
            " on a server of your own: create database ... template template0 locale_provider libc lc_collate 'C'",
            collation,
        )


def ensure_bi_role(url: str) -> None:
    """The read-only login for BI tools; publication (``pembina.publish``) grants it SELECT on the marts
    schema only."""
    with connect(url, autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_roles where rolname = %s", (BI_ROLE,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("create role {} login").format(sql.Identifier(BI_ROLE)))
        conn.execute(sql.SQL("revoke create on schema public from {}").format(sql.Identifier(BI_ROLE)))


def ensure_access_roles(url: str) -> None:
    """The group roles (created once per server) and their grants in this warehouse."""
    with connect(url, autocommit=True) as conn:
        for role in ACCESS_ROLES:
            if not conn.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone():
                conn.execute(sql.SQL("create role {} nologin").format(sql.Identifier(role)))
        grant_access_roles(conn)


def grant_access_roles(conn: psycopg.Connection) -> None:
    """Grant each group role its reach on the schemas and tables there are now (idempotent); nothing on a server
    whose roles were never created."""
    with conn.cursor(row_factory=tuple_row) as cur:
        present = {
            row[0] for row in cur.execute("select rolname from pg_roles where rolname = any(%s)", [list(ACCESS_ROLES)])
        }
    if present == set(ACCESS_ROLES):
        conn.execute(ACCESS_ROLES_SQL.read_text())
    else:
        log.warning("roles %s missing: run `pembina prepare`", ", ".join(sorted(set(ACCESS_ROLES) - present)))


def restrict_bi_role(url: str, airflow_database: str) -> None:
    """Beyond what publication grants, the BI login can do nothing: it cannot connect to Airflow's metadata
    database, nor create a table anywhere (PostgreSQL gives PUBLIC both CONNECT and TEMP on every new
    database; CREATE on `public` too before version 15)."""
    warehouse = sql.Identifier(str(conninfo_to_dict(url)["dbname"]))
    airflow = sql.Identifier(airflow_database)
    with connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("revoke connect, temporary on database {} from public").format(airflow))
        conn.execute(sql.SQL("grant connect, temporary on database {} to current_user").format(airflow))
        conn.execute(sql.SQL("revoke temporary on database {} from public").format(warehouse))
        conn.execute(sql.SQL("grant temporary on database {} to current_user").format(warehouse))
        conn.execute("revoke create on schema public from public")


def machine_memory_bytes() -> int:
    """Physical memory, or the container's memory limit (cgroup v2) when that is lower."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
    except OSError:
        return memory
    return min(memory, int(limit)) if limit.isdigit() else memory


def embedded_server_settings(memory_bytes: int, cores: int) -> dict[str, str]:
    """PostgreSQL settings of the embedded server sized to the machine, which it shares with dbt (3 threads),
    Airflow and the ingest: a modest share of memory for buffers, the rest left to the OS cache.

    The embedded server has no replica and no archive, so it writes the least WAL (`wal_level` minimal): a
    table dbt creates in a transaction (table models, every full build) is written once, not twice, and
    checkpoints are spaced for a build that writes tens of GB, not every GB."""
    memory_mb = memory_bytes // 2**20

    def share(fraction: int, low: int, high: int) -> str:
        return f"{min(max(memory_mb // fraction, low), high)}MB"

    return {
        "shared_buffers": share(8, 128, 4096),
        "effective_cache_size": share(2, 512, 65536),
        # per sort or hash node of each query (hash nodes twice that): dbt's 3 threads running 3 such nodes each
        # stay under half the memory; less spilled the big tables' sorts of a full build to disk
        "work_mem": share(48, 16, 1024),
        "maintenance_work_mem": share(16, 64, 1024),
        # JIT compiles each heavy query for seconds, more than it saves on dbt's short queries at this scale
        "jit": "off",
        "max_worker_processes": str(max(8, cores)),
        "max_parallel_workers": str(cores),
        "max_parallel_workers_per_gather": str(cores // 2),
        "max_parallel_maintenance_workers": str(cores // 2),
        "wal_level": "minimal",
        "max_wal_senders": "0",
        "max_wal_size": "8GB",
        "checkpoint_timeout": "15min",
    }


def tune_embedded_server(url: str, wanted: dict[str, str]) -> list[str]:
    """Writes ``wanted`` with ALTER SYSTEM (postgresql.auto.conf) and reloads; returns the settings whose new
    value needs a restart to take effect (none once the server runs with them)."""
    with connect(sibling_database_url(url, "postgres"), autocommit=True) as conn, conn.cursor() as cur:
        needs_restart = [
            name
            for (name,) in cur.execute(
                """
                select name from pg_settings
                inner join unnest(%s::text[], %s::text[]) as wanted (name, value) using (name)
                where context = 'postmaster' and case
                    when unit is null then setting <> wanted.value
                    else pg_size_bytes(current_setting(name)) <> pg_size_bytes(wanted.value)
                end
                """,
                [list(wanted), list(wanted.values())],
            ).fetchall()
        ]
        for name, value in wanted.items():
            cur.execute(sql.SQL("alter system set {} = {}").format(sql.Identifier(name), sql.Literal(value)))
        cur.execute("select pg_reload_conf()")
    return needs_restart


def up(settings: Settings | None = None) -> str:
    """Start the embedded server if needed (a second call reuses it), with settings sized to the machine, and
    create Pembina's databases."""
    settings = settings or get_settings()
    if settings.embedded and not embedded_status(settings).running:
        settings.pgdata.mkdir(parents=True, exist_ok=True)
        log.info("starting embedded PostgreSQL in %s", settings.pgdata)
        import pgserver

        pgserver.get_server(settings.pgdata, cleanup_mode=None)
        wanted = embedded_server_settings(machine_memory_bytes(), os.cpu_count() or 1)
        if needs_restart := tune_embedded_server(warehouse_url(settings), wanted):
            log.info("restarting embedded PostgreSQL for %s", ", ".join(needs_restart))
            _pg_ctl(settings, ["-w", "-m", "fast", "-l", str(settings.pgdata / "log"), "restart"])
    url = warehouse_url(settings)
    if settings.embedded:
        ensure_database(url, WAREHOUSE_DB)
    ensure_database(url, _airflow_db_name(settings))
    ensure_bi_role(url)
    restrict_bi_role(url, _airflow_db_name(settings))
    ensure_access_roles(url)
    warn_unless_byte_order(url)
    return url


def down(settings: Settings | None = None) -> bool:
    """Stop the embedded server. Returns False if it was not running."""
    settings = settings or get_settings()
    if not embedded_status(settings).running:
        return False
    _pg_ctl(settings, ["-w", "-m", "fast", "stop"])
    return True


def _pg_ctl(settings: Settings, args: list[str]) -> None:
    from pgserver._commands import pg_ctl

    # pgserver runs the server as its own system user when started by root (initdb refuses root).
    system_user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(args, pgdata=settings.pgdata, user=system_user)
