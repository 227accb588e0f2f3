"""Simulated field laptops for tests, the benchmark and the demo.

A laptop is an ordinary project GeoPackage with the case tables. The edit helpers
write with plain SQLite, the way any tool (QGIS, a script) may edit the file, so
sync is exercised exactly as in the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import uuid

import psycopg
from psycopg import sql

from ..cases.store import ensure_case_tables, point_to_gpkg
from ..project import create_project


def fresh_database(admin_dsn: str, name: str) -> str:
    """Drop and create database ``name`` with PostGIS; return its DSN."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    with psycopg.connect(admin_dsn, autocommit=True) as con:
        con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = conninfo_to_dict(admin_dsn)
    params["dbname"] = name
    return make_conninfo(**params)


def drop_database(admin_dsn: str, dsn: str) -> None:
    """Drop the database ``dsn`` points to (connecting through ``admin_dsn``)."""
    from psycopg.conninfo import conninfo_to_dict

    name = conninfo_to_dict(dsn)["dbname"]
    with psycopg.connect(admin_dsn, autocommit=True) as con:
        con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def make_laptop(path: str | os.PathLike, crs: str = "EPSG:4547") -> str:
    """A new laptop GeoPackage with empty case tables."""
    path = os.fspath(path)
    if os.path.exists(path):
        os.remove(path)
    create_project(path, crs=crs)
    ensure_case_tables(path)
    return path


def now_iso() -> str:
    """Current time as the cases store writes it."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).isoformat(timespec="seconds")


def connect(path: str) -> sqlite3.Connection:
    """Plain SQLite connection to a laptop (autocommit off)."""
    return sqlite3.connect(path, timeout=60)


def case_row(street: str, *, x: float = 500000.0, y: float = 4000000.0, srs_id: int = 4547,
             description: str = "", state: str = "collecting", case_id: str | None = None) -> dict:
    """A new case row (ug_case columns) in ``street``."""
    ts = now_iso()
    return {
        "case_id": case_id or str(uuid.uuid4()), "profile": "2013", "kind": "event",
        "class_code": "0101", "description": description, "grid_code": street + "001001",
        "street_code": street, "community_code": street + "001", "district_code": street[:6],
        "component_id": None, "source": "inspector", "urgency": "normal", "department": None,
        "state": state, "deadline": None, "overdue": 0, "created_at": ts, "updated_at": ts,
        "candidate_id": None, "geom": point_to_gpkg(x, y, srs_id),
    }


def insert_rows(con: sqlite3.Connection, table: str, rows: list[dict]) -> None:
    """Insert rows (dicts with the same keys) into a laptop table."""
    if not rows:
        return
    cols = list(rows[0])
    con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [[r[c] for c in cols] for r in rows])


def add_cases(path: str, rows: list[dict]) -> list[str]:
    """Insert cases into a laptop; return their ids."""
    with connect(path) as con:
        insert_rows(con, "ug_case", rows)
    return [r["case_id"] for r in rows]


_EDITABLE = {"description", "department", "state", "urgency", "deadline", "grid_code",
             "community_code", "component_id", "class_code", "updated_at", "geom"}


def edit_case(path: str, case_id: str, **values) -> None:
    """Change fields of a case on a laptop (column names from a fixed list)."""
    bad = set(values) - _EDITABLE
    if bad:
        raise ValueError(f"not an editable case field: {bad}")
    cols = sorted(values)
    with connect(path) as con:
        con.execute(f"UPDATE ug_case SET {', '.join(c + ' = ?' for c in cols)} WHERE case_id = ?",
                    [values[c] for c in cols] + [case_id])


def delete_case(path: str, case_id: str) -> None:
    """Delete a case on a laptop."""
    with connect(path) as con:
        con.execute("DELETE FROM ug_case WHERE case_id = ?", (case_id,))


def add_event(path: str, case_id: str, to_state: str, actor: str, note: str = "") -> str:
    """Append a transition event row."""
    event_id = str(uuid.uuid4())
    with connect(path) as con:
        insert_rows(con, "ug_case_event", [{
            "event_id": event_id, "case_id": case_id, "from_state": None, "to_state": to_state,
            "action": "edit", "actor": actor, "role": "inspector", "at": now_iso(), "note": note,
            "assignee": None, "deadline": None}])
    return event_id


def add_attachment(path: str, case_id: str, data: bytes, name: str = "photo.jpg") -> str:
    """Attach bytes to a case."""
    attachment_id = str(uuid.uuid4())
    with connect(path) as con:
        insert_rows(con, "ug_case_attachment", [{
            "attachment_id": attachment_id, "case_id": case_id, "name": name, "mime": "image/jpeg",
            "data": data, "sha256": hashlib.sha256(data).hexdigest(), "created_at": now_iso()}])
    return attachment_id


def read_table(path: str, table: str, key: str) -> dict[str, dict]:
    """All rows of a laptop table by key (without fid)."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return {r[key]: {k: r[k] for k in r.keys() if k != "fid"}
                for r in con.execute(f"SELECT * FROM {table}")}
    finally:
        con.close()
