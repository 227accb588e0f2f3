"""The central PostgreSQL 15 + PostGIS 3 server (中心服务器): connection, migrations, users.

Credentials never sit in project files. A connection is named by a libpq *service*
(``pg_service.conf``; passwords in ``~/.pgpass``), or by a DSN given on the command
line or in ``$UG_PG_DSN`` (the QGIS side passes one built from its auth manager).
No ``sslmode`` is forced: libpq's default, ``prefer``, uses TLS whenever the server
offers it, and a stricter setting in the service file, the DSN or ``$PGSSLMODE``
(``verify-full`` in production) is honoured rather than overridden.

The server schema ``urbangrid`` is built by versioned migrations
``migrations/NNNN_name.sql``. A migration may carry a laptop part
``NNNN_name.laptop.sql`` (SQLite); it is stored on the server with the migration,
and every laptop applies the parts it lacks at its next sync, so a schema change
never needs a fresh download of the laptop's data.

Every statement is parameterised; identifiers (role names) go through
:mod:`psycopg.sql`.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from ..errors import InputError, UrbanGridError

SCHEMA = "urbangrid"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
STAFF_ROLE = "urbangrid_staff"
AUDITOR_ROLE = "urbangrid_auditor"
_MIGRATION_LOCK = 7423102
_ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def conninfo(dsn: str | None = None, *, service: str | None = None, user: str | None = None) -> str:
    """A libpq connection string from a service name or DSN.

    With neither, ``$UG_PG_DSN`` then ``$PGSERVICE`` are used. A password inside the
    DSN is accepted (QGIS's auth manager may hand one over in memory) but never stored.
    No ``sslmode`` is added: an explicit one would override the service file's.
    """
    if not dsn and not service:
        dsn = os.environ.get("UG_PG_DSN")
        service = None if dsn else os.environ.get("PGSERVICE")
    if not dsn and not service:
        raise InputError("no server given: pass --service NAME (pg_service.conf) or --dsn, "
                         "or set UG_PG_DSN")
    extra: dict[str, str] = {}
    if service:
        extra["service"] = service
    if user:
        extra["user"] = user
    return make_conninfo(dsn or "", **extra)


def connect(dsn: str | None = None, *, service: str | None = None, user: str | None = None,
            autocommit: bool = False) -> psycopg.Connection:
    """Open a psycopg 3 connection (see :func:`conninfo`)."""
    try:
        return psycopg.connect(conninfo(dsn, service=service, user=user), autocommit=autocommit)
    except psycopg.OperationalError as exc:
        raise UrbanGridError(f"cannot connect to the server: {str(exc).strip()}") from exc


@dataclass(frozen=True)
class Migration:
    """One versioned schema change: server SQL plus an optional laptop (SQLite) part."""

    version: int
    name: str
    server_sql: str
    laptop_sql: str

    @property
    def checksum(self) -> str:
        """SHA-256 of both parts; a migration changed after it was applied is refused."""
        return hashlib.sha256((self.server_sql + "\0" + self.laptop_sql).encode()).hexdigest()


def load_migrations(directory: str | os.PathLike | None = None) -> list[Migration]:
    """Migrations in ``directory`` (default: the packaged ones), by version."""
    folder = Path(directory or MIGRATIONS_DIR)
    found: dict[int, Migration] = {}
    for path in sorted(folder.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        if path.name.endswith(".laptop.sql"):
            continue
        version = int(path.name[:4])
        if version in found:
            raise InputError("two migrations share a version", source=str(path))
        laptop = path.with_name(path.name[:-4] + ".laptop.sql")
        found[version] = Migration(
            version=version,
            name=path.stem[5:],
            server_sql=path.read_text(encoding="utf-8"),
            laptop_sql=laptop.read_text(encoding="utf-8") if laptop.exists() else "",
        )
    versions = sorted(found)
    if versions != list(range(1, len(versions) + 1)):
        raise InputError(f"migration versions must run 1..N without gaps, found {versions}",
                         source=str(folder))
    return [found[v] for v in versions]


def server_init(dsn: str | None = None, *, service: str | None = None,
                migrations_dir: str | os.PathLike | None = None) -> list[int]:
    """Create or upgrade the ``urbangrid`` schema; return the versions applied now.

    Run as a database administrator (superuser or a member of ``urbangrid_owner``).
    Each migration runs in its own transaction, under an advisory lock so two
    administrators cannot apply the same migration twice.
    """
    migrations = load_migrations(migrations_dir)
    applied_now: list[int] = []
    with connect(dsn, service=service) as con:
        for mig in migrations:
            with con.transaction():
                con.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                con.execute(
                    "CREATE TABLE IF NOT EXISTS public.urbangrid_migration ("
                    " version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
                    " laptop_sql text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
                )
                row = con.execute(
                    "SELECT checksum FROM public.urbangrid_migration WHERE version = %s",
                    (mig.version,),
                ).fetchone()
                if row:
                    if row[0] != mig.checksum:
                        raise UrbanGridError(
                            f"migration {mig.version:04d}_{mig.name} differs from the one "
                            "applied on the server; add a new migration instead of editing it")
                    continue
                con.execute(mig.server_sql)
                con.execute(
                    "INSERT INTO public.urbangrid_migration(version, name, checksum, laptop_sql)"
                    " VALUES (%s, %s, %s, %s)",
                    (mig.version, mig.name, mig.checksum, mig.laptop_sql),
                )
                applied_now.append(mig.version)
        with con.transaction():
            con.execute("GRANT SELECT ON public.urbangrid_migration TO urbangrid_staff, "
                        "urbangrid_auditor")
    return applied_now


def schema_version(con: psycopg.Connection) -> int:
    """Highest migration applied on the server (0 when not initialised)."""
    row = con.execute(
        "SELECT CASE WHEN to_regclass('public.urbangrid_migration') IS NULL THEN 0"
        " ELSE (SELECT coalesce(max(version), 0) FROM public.urbangrid_migration) END"
    ).fetchone()
    return int(row[0])


def laptop_migrations(con: psycopg.Connection, after: int) -> list[tuple[int, str, str]]:
    """``(version, name, laptop_sql)`` of the migrations newer than ``after``."""
    return [tuple(r) for r in con.execute(
        "SELECT version, name, laptop_sql FROM public.urbangrid_migration"
        " WHERE version > %s ORDER BY version", (after,))]


def server_id(con: psycopg.Connection) -> str:
    """The server's identity, so a laptop never mixes two servers' revisions."""
    row = con.execute("SELECT server_id::text FROM urbangrid.server_info").fetchone()
    if not row:
        raise UrbanGridError("the server has no urbangrid schema; run `urbangrid sync server-init`")
    return row[0]


def _check_role(name: str) -> str:
    if not _ROLE_RE.match(name or ""):
        raise InputError(f"role name {name!r}: use lower-case letters, digits and _ "
                         "(it becomes a PostgreSQL role)", field="role")
    return name


def grant(dsn: str | None = None, *, role: str, streets: list[str] = (),
          districts: list[str] = (), auditor: bool = False, service: str | None = None,
          login: bool = True, revoke: bool = False) -> dict[str, list[str]]:
    """Create user ``role`` if needed and grant (or revoke) streets/districts.

    Users are plain login roles, never superusers and never ``BYPASSRLS``: row-level
    security is the only way they reach case rows. ``auditor=True`` makes the role a
    read-only auditor (reads every area, writes nothing).
    """
    _check_role(role)
    for code in streets:
        if not re.fullmatch(r"\d{9}", code):
            raise InputError(f"street code {code!r} must have 9 digits", field="street")
    for code in districts:
        if not re.fullmatch(r"\d{6}", code):
            raise InputError(f"district code {code!r} must have 6 digits", field="district")
    with connect(dsn, service=service) as con, con.transaction():
        exists = con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        ident = sql.Identifier(role)
        if not exists:
            con.execute(sql.SQL("CREATE ROLE {} {} NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB")
                        .format(ident, sql.SQL("LOGIN" if login else "NOLOGIN")))
        else:
            con.execute(sql.SQL("ALTER ROLE {} NOSUPERUSER NOBYPASSRLS").format(ident))
        group = AUDITOR_ROLE if auditor else STAFF_ROLE
        if not revoke:
            con.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), ident))
        for street in streets:
            if revoke:
                con.execute("DELETE FROM urbangrid.user_area WHERE role_name = %s"
                            " AND street_code = %s", (role, street))
            else:
                con.execute("INSERT INTO urbangrid.user_area(role_name, street_code)"
                            " VALUES (%s, %s) ON CONFLICT DO NOTHING", (role, street))
        for district in districts:
            if revoke:
                con.execute("DELETE FROM urbangrid.user_area WHERE role_name = %s"
                            " AND district_code = %s", (role, district))
            else:
                con.execute("INSERT INTO urbangrid.user_area(role_name, district_code)"
                            " VALUES (%s, %s) ON CONFLICT DO NOTHING", (role, district))
        rows = con.execute("SELECT street_code, district_code FROM urbangrid.user_area"
                           " WHERE role_name = %s ORDER BY 1, 2", (role,)).fetchall()
    return {"streets": [s for s, _ in rows if s], "districts": [d for _, d in rows if d]}
