"""Sync conflicts (同步冲突): list them in plain words and resolve them.

A conflict keeps both values — the server's ("theirs") and the laptop's ("mine") —
until a person chooses. Resolution happens on the server, in one transaction, as the
resolving user (row-level security applies), and records who chose what and when;
laptops receive the outcome at their next sync.

=================  ===========================  ===========================
kind               mine                         theirs
=================  ===========================  ===========================
field              the laptop's value           keep the server's value
edit_vs_delete     keep the resurrected row     delete it again
delete_vs_edit     delete the row               keep the edited row
rejected           (not possible)               dismiss; the row stays on the laptop
=================  ===========================  ===========================

``custom`` sets a field conflict to a value typed by the user.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import psycopg
from psycopg import sql

from ..cases.schema import TABLES_BY_NAME, state_label
from ..errors import InputError, UrbanGridError
from . import journal, server

CHOICES = ("mine", "theirs", "custom")


@dataclass(frozen=True)
class Conflict:
    """One conflict row (laptop mirror or server)."""

    conflict_id: str
    table_name: str
    row_key: str
    kind: str
    field: str | None
    base_value: str | None
    server_value: str | None
    laptop_value: str | None
    server_by: str | None
    laptop_by: str | None
    created_at: str | None
    status: str
    resolution: str | None
    resolved_value: str | None
    resolved_by: str | None
    resolved_at: str | None
    note: str | None

    @classmethod
    def from_row(cls, row: dict) -> Conflict:
        """From a dict holding at least the dataclass fields."""
        return cls(**{k: (None if row.get(k) is None else str(row[k]))
                      for k in cls.__dataclass_fields__})


def display_value(field: str | None, value: str | None) -> str:
    """A stored conflict value in words: geometry as WKT, states with their label."""
    if value is None:
        return "(empty)"
    if field == "geom":
        try:
            import shapely

            return shapely.from_wkb(bytes.fromhex(value)).wkt
        except (ValueError, TypeError, shapely.errors.GEOSException):
            return value
    if value.startswith("\\x"):
        return f"<{(len(value) - 2) // 2} bytes>"
    if field == "state":
        return state_label(value)
    return repr(value) if len(value) <= 80 else repr(value[:77] + "...")


def describe(c: Conflict) -> str:
    """One conflict as a short paragraph a new user understands."""
    what = f"{c.table_name} {c.row_key}"
    who_l, who_s = c.laptop_by or "a laptop", c.server_by or "someone"
    if c.kind == "field":
        text = (f"{what}: field '{c.field}' was changed on both sides.\n"
                f"    before : {display_value(c.field, c.base_value)}\n"
                f"    server : {display_value(c.field, c.server_value)}  (by {who_s}, kept for now)\n"
                f"    laptop : {display_value(c.field, c.laptop_value)}  (by {who_l})")
    elif c.kind == "edit_vs_delete":
        text = (f"{what}: {who_l} edited it while {who_s} deleted it; the edit was kept and the "
                "row restored.")
    elif c.kind == "delete_vs_edit":
        text = (f"{what}: {who_l} deleted it while {who_s} edited it; the row was kept.")
    else:
        text = f"{what}: the server refused the row pushed by {who_l} ({c.note}); it stays on the laptop."
    if c.status == "resolved":
        chosen = display_value(c.field, c.resolved_value) if c.kind == "field" else ""
        text += f"\n    RESOLVED: {c.resolution} {chosen} by {c.resolved_by} at {c.resolved_at}"
    else:
        text += f"\n    open — resolve with: urbangrid sync resolve {c.conflict_id} --choose mine|theirs"
    return text


def list_local(laptop: str, *, include_resolved: bool = False) -> list[Conflict]:
    """Conflicts mirrored on a laptop (works offline)."""
    con = journal.open_laptop(laptop)
    try:
        con.row_factory = sqlite3.Row
        where = "" if include_resolved else "WHERE status = 'open'"
        rows = con.execute(f"SELECT * FROM {journal.CONFLICTS} {where} ORDER BY created_at")
        return [Conflict.from_row(dict(r)) for r in rows]
    finally:
        con.close()


def list_server(dsn: str | None = None, *, service: str | None = None, user: str | None = None,
                include_resolved: bool = False) -> list[Conflict]:
    """Conflicts the user may see on the server."""
    with server.connect(dsn, service=service, user=user) as pg:
        cur = pg.cursor(row_factory=psycopg.rows.dict_row)
        where = sql.SQL("" if include_resolved else "WHERE status = 'open'")
        rows = cur.execute(sql.SQL("SELECT * FROM urbangrid.sync_conflict {} ORDER BY created_at")
                           .format(where)).fetchall()
        return [Conflict.from_row(r) for r in rows]


def resolve(conflict_id: str, choice: str, value: str | None = None, *, dsn: str | None = None,
            service: str | None = None, user: str | None = None) -> Conflict:
    """Resolve one conflict on the server; return it as recorded."""
    if choice not in CHOICES:
        raise InputError(f"choose one of {', '.join(CHOICES)}, not {choice!r}", field="choose")
    if choice == "custom" and value is None:
        raise InputError("--choose custom needs --value", field="value")
    with server.connect(dsn, service=service, user=user) as pg, pg.transaction():
        cur = pg.cursor(row_factory=psycopg.rows.dict_row)
        try:
            row = cur.execute("SELECT * FROM urbangrid.sync_conflict WHERE conflict_id = %s"
                              " FOR UPDATE", (conflict_id,)).fetchone()
        except psycopg.errors.InvalidTextRepresentation as exc:
            raise InputError(f"{conflict_id!r} is not a conflict id", field="conflict") from exc
        if row is None:
            raise InputError(f"conflict {conflict_id} not found (or not in your area)",
                             field="conflict")
        c = Conflict.from_row(row)
        if c.status != "open":
            raise InputError(f"conflict {conflict_id} was already resolved by {c.resolved_by}",
                             field="conflict")
        spec = TABLES_BY_NAME.get(c.table_name)
        if spec is None:
            raise UrbanGridError(f"conflict names unknown table {c.table_name!r}")
        table = sql.Identifier(server.SCHEMA, spec.name)
        key = sql.Identifier(spec.key)
        chosen = None
        if c.kind == "field":
            chosen = {"mine": c.laptop_value, "theirs": c.server_value, "custom": value}[choice]
            if choice != "theirs":  # theirs is what the server kept: nothing to write
                typ = pg.execute(
                    "SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                    " WHERE a.attrelid = %s::regclass AND a.attname = %s AND NOT a.attisdropped",
                    (f"{server.SCHEMA}.{spec.name}", c.field)).fetchone()
                if typ is None:
                    raise UrbanGridError(f"column {c.field} no longer exists")
                n = pg.execute(sql.SQL("UPDATE {} SET {} = CAST(%s AS {}) WHERE {} = %s").format(
                    table, sql.Identifier(c.field), sql.SQL(typ[0]), key),
                    (chosen, c.row_key)).rowcount
                if n != 1:
                    raise UrbanGridError(f"{spec.name} {c.row_key} is not writable for you")
        elif c.kind in ("edit_vs_delete", "delete_vs_edit"):
            delete = (c.kind == "edit_vs_delete") == (choice == "theirs")
            if choice == "custom":
                raise InputError("custom needs a field conflict", field="choose")
            if delete:
                pg.execute(sql.SQL("DELETE FROM {} WHERE {} = %s").format(table, key), (c.row_key,))
            chosen = "deleted" if delete else "kept"
        else:
            if choice != "theirs":
                raise InputError("a refused row can only be dismissed (--choose theirs); "
                                 "ask for a grant of its area to push it", field="choose")
            chosen = "dismissed"
        cur.execute("UPDATE urbangrid.sync_conflict SET status = 'resolved', resolution = %s,"
                    " resolved_value = %s, resolved_by = current_user, resolved_at = now()"
                    " WHERE conflict_id = %s RETURNING *", (choice, chosen, conflict_id))
        return Conflict.from_row(cur.fetchone())
