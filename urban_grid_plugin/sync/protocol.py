"""Push/pull between a laptop GeoPackage and the central server.

One sync = migrate → push → pull:

1. **migrate**: the laptop applies the laptop parts of server migrations it lacks.
2. **push**: local edits are frozen into a batch with a UUID (the laptop journal),
   then applied on the server in ONE transaction: rows are ``COPY``-ed into a
   temporary staging table and merged with set-based SQL. Per field, the server
   compares the laptop's base value, the laptop's value and its own value
   (three-way): an edit of a field nobody else changed is applied, edits of
   different fields merge, and two different edits of the same field become a
   ``urbangrid.sync_conflict`` row holding base, server and laptop values — the
   server keeps its value until a person resolves it. An edit to a row deleted on
   the server resurrects it (conflict ``edit_vs_delete``); a delete of a row
   edited on the server keeps the row (``delete_vs_edit``); a row the server refuses
   (outside the user's area) is recorded whole (``rejected``). The batch id is
   recorded in ``urbangrid.sync_batch`` in the same transaction, so a replayed batch
   is a no-op that returns the same answer.
3. **pull**: rows with a revision above the laptop's cursor, page by page, each
   page merged and the cursor advanced in one laptop transaction. Row-level security
   limits what the user sees to its area, so this is also the area filter. Then the
   notes of cases that left the user's area (moved to another street, or the area
   revoked: migrations 0003-0004), so the laptop drops copies it can no longer see.

Every step can be cut (crash, network loss) and the next sync resumes: tests inject
a failure through ``fault(step)`` at each of the :data:`STEPS`.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from ..cases.schema import TABLES as CASE_TABLES
from ..errors import UrbanGridError
from ..progress import Progress, ensure_progress
from . import journal, server
from .journal import MERGE_MAX, SyncTable

#: Points where a sync can be cut (see ``fault``), in order.
STEPS = ("connected", "migrated", "journal_written", "server_applied", "server_committed",
         "acked", "pull_page", "pulled")
SYNC_LOCK = 7423101  # same key as the sync_lock triggers (migration 0002): one writer at a time
PAGE = 5000
CONFLICT_TABLE = "sync_conflict"
AREA_EXIT_TABLE = "sync_area_exit"
AREA_EXIT_VERSION = 3  # the server migration that brought it


class InjectedCut(Exception):
    """Raised by test fault hooks to simulate a crash or a cut connection."""


@dataclass
class SyncReport:
    """What one sync did."""

    batch_id: str | None = None
    replayed: bool = False
    pushed: dict[str, int] = field(default_factory=dict)
    pulled: dict[str, int] = field(default_factory=dict)
    conflicts_new: int = 0
    conflicts_open: int = 0
    rejected: int = 0
    migrations: list[int] = field(default_factory=list)

    def summary(self) -> str:
        """One human-readable paragraph."""
        pushed = sum(self.pushed.values())
        pulled = sum(self.pulled.values())
        text = [f"pushed {pushed} changed row(s)" + (" (replayed batch)" if self.replayed else ""),
                f"pulled {pulled} row(s)"]
        if self.migrations:
            text.append(f"applied schema migration(s) {self.migrations}")
        if self.conflicts_new:
            text.append(f"{self.conflicts_new} new conflict(s)")
        if self.rejected:
            text.append(f"{self.rejected} row(s) refused by the server (kept, see conflicts)")
        text.append(f"{self.conflicts_open} open conflict(s) on this laptop")
        return "; ".join(text)


def _noop(step: str) -> None:
    return None


# --- table metadata ---------------------------------------------------------------------


def _server_columns(con: psycopg.Connection, names: list[str]) -> dict[str, list[list]]:
    """``{table: [[column, type, type name, srid], ...]}`` of server tables, in column order.

    ``srid`` is the SRID in a geometry column's type modifier (0 when untyped).
    """
    rows = con.execute(
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), t.typname,"
        " CASE WHEN t.typname = 'geometry' THEN postgis_typmod_srid(a.atttypmod) ELSE 0 END"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid"
        " WHERE n.nspname = %s AND c.relname = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped"
        " ORDER BY c.relname, a.attnum", (server.SCHEMA, names)).fetchall()
    out: dict[str, list[list]] = {}
    for rel, col, fmt, typ, srid in rows:
        out.setdefault(rel, []).append([col, fmt, typ, int(srid or 0)])
    return out


SCHEMA_CACHE = "server_schema:"


def _server_schema(pg: psycopg.Connection, lite: sqlite3.Connection,
                   cached: bool = False) -> dict[str, list[list]]:
    """The server's case tables (:func:`_server_columns`), remembered per schema version.

    The first catalog query of a new server connection costs about 10 ms of catalog
    loading, on every sync. The tables change only by numbered migrations, and the
    laptop has just applied all of them, so with ``cached`` the answer is kept in the
    laptop's state under the schema version (outside any caller's transaction).
    """
    names = [t.name for t in CASE_TABLES]
    key = SCHEMA_CACHE + journal.get_state(lite, "schema_version", "0")
    if cached and (text := journal.get_state(lite, key)):
        return json.loads(text)
    schema = _server_columns(pg, names)
    if cached:
        with journal.transaction(lite):
            lite.execute(f"DELETE FROM {journal.STATE} WHERE key LIKE ?", (SCHEMA_CACHE + "%",))
            journal.set_state(lite, **{key: json.dumps(schema)})
    return schema


def forget_server_schema(lite: sqlite3.Connection) -> None:
    """Drop the remembered server tables (they changed outside a migration)."""
    with journal.transaction(lite):
        lite.execute(f"DELETE FROM {journal.STATE} WHERE key LIKE ?", (SCHEMA_CACHE + "%",))


def _tables(schema: dict[str, list[list]], lite: sqlite3.Connection) -> list[SyncTable]:
    tables = []
    for spec in CASE_TABLES:
        local = set(journal.local_columns(lite, spec.name))
        cols = [(c, f, t) for c, f, t, _ in schema.get(spec.name, [])
                if c in local and not c.startswith("sync_")]
        if not cols or spec.key not in [c for c, _, _ in cols]:
            raise UrbanGridError(f"table {spec.name} is missing on the server or the laptop")
        cols.sort(key=lambda x: x[0] != spec.key)  # key first
        geom = next((c for c, _, t in cols if t == "geometry"), None)
        tables.append(SyncTable(spec.name, spec.key, tuple(c for c, _, _ in cols), geom,
                                tuple("geometry" if t == "geometry" else f for _, f, t in cols)))
    return tables


def sync_tables(pg: psycopg.Connection, lite: sqlite3.Connection) -> list[SyncTable]:
    """The case tables with the columns both sides have, parents first."""
    return _tables(_server_schema(pg, lite), lite)


def _srids(pg: psycopg.Connection, lite: sqlite3.Connection, table: SyncTable,
           schema: dict[str, list[list]] | None = None) -> tuple[int, int]:
    """(server SRID, laptop srs_id) of a table's geometry."""
    srid = next((s for c, _, _, s in (schema or {}).get(table.name, []) if c == table.geometry), 0)
    if not srid:
        # an untyped geometry column: Find_SRID reads the geometry_columns view
        srid = pg.execute("SELECT coalesce(nullif(postgis_typmod_srid(a.atttypmod), 0),"
                          " Find_SRID(%s, %s, %s)) FROM pg_attribute a WHERE a.attrelid ="
                          " format('%%I.%%I', %s::text, %s::text)::regclass AND a.attname = %s",
                          (server.SCHEMA, table.name, table.geometry, server.SCHEMA, table.name,
                           table.geometry)).fetchone()[0]
    laptop = journal.geometry_srs(lite, table.name) or srid
    return int(srid), int(laptop)


# --- server side of a push ---------------------------------------------------------------------


def _staged_expr(prefix: str, table: SyncTable, col: str,
                 srids: tuple[int, int] | None) -> sql.Composable:
    """A value of ``col`` from the staging row (``m_`` the laptop's, ``b_`` its base),
    in the server's type (geometry given its SRID and brought to the server's)."""
    ident = sql.SQL("s.") + sql.Identifier(prefix + col)
    if col != table.geometry:
        return ident
    server_srid, laptop_srid = srids
    expr = sql.SQL("ST_SetSRID({}, {})").format(ident, sql.Literal(laptop_srid))
    if server_srid != laptop_srid:
        expr = sql.SQL("ST_Transform({}, {})").format(expr, sql.Literal(server_srid))
    return expr


def _mine_expr(table: SyncTable, col: str, srids: tuple[int, int] | None) -> sql.Composable:
    """The laptop's value of ``col`` from the staging row, in the server's type."""
    return _staged_expr("m_", table, col, srids)


def _base_expr(table: SyncTable, col: str, srids: tuple[int, int] | None) -> sql.Composable:
    """The laptop's base value of ``col`` from the staging row, in the server's type."""
    return _staged_expr("b_", table, col, srids)


def _out_expr(table: SyncTable, col: str, srids, alias: str = "t") -> sql.Composable:
    """A server column as the laptop stores it (geometry as WKB in the laptop's CRS)."""
    ident = sql.Identifier(alias, col)
    if col != table.geometry:
        return ident
    server_srid, laptop_srid = srids
    if server_srid != laptop_srid:
        ident = sql.SQL("ST_Transform({}, {})").format(ident, sql.Literal(laptop_srid))
    return sql.SQL("ST_AsBinary({})").format(ident)


def _area_expr(table: SyncTable) -> tuple[sql.Composable, sql.Composable]:
    """Street and district of a server row ``t`` (children look up their case)."""
    if "street_code" in table.columns:
        return sql.SQL("t.street_code"), sql.SQL("t.district_code")
    return (sql.SQL("(SELECT c.street_code FROM urbangrid.ug_case c WHERE c.case_id = t.case_id)"),
            sql.SQL("(SELECT c.district_code FROM urbangrid.ug_case c WHERE c.case_id = t.case_id)"))


def _apply_table(pg: psycopg.Connection, table: SyncTable, rows: list, batch_id: str,
                 laptop_id: str, srids) -> dict[str, int]:
    """Merge one table's staged rows into the server table (inside the batch transaction)."""
    cols = table.columns
    if len(cols) > 62:
        raise UrbanGridError(f"{table.name} has more than 62 synced columns")
    tname = sql.Identifier(server.SCHEMA, table.name)
    key = sql.Identifier(table.key)
    stage = sql.Identifier("stage_" + table.name)
    stage_cols = [sql.SQL("{} {}").format(sql.Identifier(p + c), sql.SQL(
        "geometry" if c == table.geometry else table.pg_type(c)))
        for p in ("m_", "b_") for c in cols]
    pg.execute(sql.SQL("CREATE TEMP TABLE {} (ord integer, op text, k text PRIMARY KEY, "
                       "mask bigint, state text NOT NULL DEFAULT 'absent', reject text,"
                       " clash boolean NOT NULL DEFAULT false, tid tid, {})"
                       # room on each page, so the one UPDATE of state/reject stays HOT
                       " WITH (fillfactor = 50) ON COMMIT DROP")
               .format(stage, sql.SQL(", ").join(stage_cols)))
    copy_cols = [sql.Identifier(x) for x in ("ord", "op", "k", "mask")] + \
        [sql.Identifier(p + c) for p in ("m_", "b_") for c in cols]
    gi = cols.index(table.geometry) if table.geometry else -1
    # columns some row of the batch edits: the merge below compares and sets only
    # those (a field edit batch touches a few of ~20 columns)
    used = 0
    with pg.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
            stage, sql.SQL(", ").join(copy_cols))) as copy:
        nulls = (None,) * len(cols)
        for i, (op, k, mask, mine, base) in enumerate(rows):
            used |= mask
            # one new list per row: the batch's own rows stay as frozen (the answer
            # is merged against them)
            row = [i, op, k, mask, *(mine or nulls), *(base or nulls)]
            if gi >= 0:
                row[4 + gi] = journal.wkb_hex(row[4 + gi])
                row[4 + len(cols) + gi] = journal.wkb_hex(row[4 + len(cols) + gi])
            copy.write_row(row)

    def bit(i: int) -> sql.Composable:
        return sql.SQL("(s.mask & {}) <> 0").format(sql.Literal(1 << i))

    def t(c):
        return sql.Identifier("t", c)

    mine = {c: _mine_expr(table, c, srids) for c in cols}
    base = {c: _base_expr(table, c, srids) for c in cols}
    # same-field conflicts: the server changed the field since the laptop's base, to
    # something else than the laptop's value (recorded in step 4)
    edited = [(i, c) for i, c in enumerate(cols) if i and used >> i & 1]
    values, hits = [], []
    for i, c in edited:
        if c in MERGE_MAX:
            continue
        hit = sql.SQL("{} AND {} IS DISTINCT FROM {} AND {} IS DISTINCT FROM {}").format(
            bit(i), t(c), base[c], t(c), mine[c])
        hits.append(sql.SQL("({})").format(hit))
        values.append(sql.SQL("({}, ({})::text, ({})::text, ({})::text, {})").format(
            sql.Literal(c), base[c], t(c), mine[c], hit))
    clash = sql.SQL("coalesce({}, false)").format(
        sql.SQL(" OR ").join(hits) if hits else sql.SQL("false"))
    # 1. refuse rows outside the user's area before any write (RLS would abort the batch)
    #    and 2. where is each row on the server (as this user sees it)? One pass over
    #    the stage: the grant look-ups are uncorrelated sub-selects (hashed once, as in
    #    the RLS policy) rather than a function call per row.
    if "street_code" in cols:
        refuse = sql.SQL(
            "s.op <> 'delete' AND NOT coalesce(s.m_street_code IN (SELECT a.street_code FROM"
            " urbangrid.user_area a WHERE a.role_name = current_user AND a.street_code IS NOT NULL)"
            " OR coalesce(s.m_district_code, left(s.m_street_code, 6)) IN (SELECT a.district_code"
            " FROM urbangrid.user_area a WHERE a.role_name = current_user"
            " AND a.district_code IS NOT NULL), false)")
        reason = sql.Literal("outside your granted area")
    elif "case_id" in cols:
        refuse = sql.SQL("s.op <> 'delete' AND NOT EXISTS (SELECT 1 FROM urbangrid.ug_case c"
                         " WHERE c.case_id = s.m_case_id)")
        reason = sql.Literal("its case is not on the server in your area")
    else:
        refuse, reason = sql.SQL("false"), sql.NULL
    #    The same join marks the rows with a same-field conflict (live rows are not
    #    touched before step 4, so the mark still holds there): step 4 then looks at
    #    those rows only instead of joining the whole batch again.
    pg.execute(sql.SQL("UPDATE {} s SET reject = CASE WHEN {} THEN {} END, state = CASE"
                       " WHEN t.{} IS NULL THEN 'absent' WHEN t.sync_deleted THEN 'tomb'"
                       " ELSE 'live' END, clash = {}, tid = t.ctid FROM {} s2 LEFT JOIN {} t"
                       " ON t.{} = s2.k"
                       " WHERE s2.k = s.k").format(stage, refuse, reason, key, clash, stage,
                                                   tname, key))
    counts: dict[str, int] = {}
    # 3. new rows
    cur = pg.execute(sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} s WHERE s.reject IS NULL AND "
                             "s.state = 'absent' AND s.op <> 'delete' ORDER BY s.ord "
                             "ON CONFLICT ({}) DO NOTHING").format(
        tname, sql.SQL(", ").join(sql.Identifier(c) for c in cols),
        sql.SQL(", ").join(mine[c] for c in cols), stage, key))
    counts["inserted"] = cur.rowcount
    pg.execute(sql.SQL("UPDATE {} s SET reject = 'the row exists on the server outside your area'"
                       " WHERE s.reject IS NULL AND s.state = 'absent' AND s.op <> 'delete'"
                       " AND NOT EXISTS (SELECT 1 FROM {} t WHERE t.{} = s.k)")
               .format(stage, tname, key))
    street, district = _area_expr(table)
    conflict_cols = sql.SQL("batch_id, table_name, row_key, street_code, district_code, kind, field,"
                            " base_value, server_value, laptop_value, server_by, server_rev, laptop_id")
    # 4. same-field conflicts (marked in step 2), on live rows and on rows deleted on
    #    the server alike: a deleted row still holds the last value someone else gave
    #    the field, which the edit below must not erase unseen
    live_edit = sql.SQL("s.reject IS NULL AND s.state = 'live' AND s.op <> 'delete'")
    tomb_edit = sql.SQL("s.reject IS NULL AND s.state = 'tomb' AND s.op <> 'delete'")
    if values:
        cur = pg.execute(sql.SQL(
            "INSERT INTO urbangrid.sync_conflict ({}) SELECT %s, %s, s.k, {}, {}, 'field', v.f, v.b,"
            " v.t, v.m, t.sync_by, t.sync_rev, %s FROM {} s JOIN {} t ON t.{} = s.k AND (({}) OR ({}))"
            " AND s.clash CROSS JOIN LATERAL (VALUES {}) v(f, b, t, m, hit) WHERE v.hit").format(
            conflict_cols, street, district, stage, tname, key, live_edit, tomb_edit,
            sql.SQL(", ").join(values)),
            (batch_id, table.name, laptop_id))
        counts["field_conflicts"] = cur.rowcount
    # 5. apply the fields nobody else changed; bookkeeping fields take the later value
    sets, changed = [], []
    for i, c in edited:
        if c in MERGE_MAX:
            sets.append(sql.SQL("{} = CASE WHEN {} THEN GREATEST({}, {}) ELSE {} END").format(
                sql.Identifier(c), bit(i), t(c), mine[c], t(c)))
            changed.append(sql.SQL("({} AND {} > {})").format(bit(i), mine[c], t(c)))
        else:
            ok = sql.SQL("{} AND {} IS NOT DISTINCT FROM {}").format(bit(i), t(c), base[c])
            sets.append(sql.SQL("{} = CASE WHEN {} THEN {} ELSE {} END").format(
                sql.Identifier(c), ok, mine[c], t(c)))
            changed.append(sql.SQL("({} AND {} IS DISTINCT FROM {})").format(ok, t(c), mine[c]))
    counts["updated"] = 0
    if sets:  # a batch of deletes only edits no field
        # the row found in step 2, by its physical position: no key look-up. Safe: the
        # batch holds the writers' lock, so no live row has moved since (steps 3-4 only
        # insert); the key is compared again all the same.
        cur = pg.execute(sql.SQL("UPDATE {} t SET {} FROM {} s WHERE t.ctid = s.tid"
                                 " AND t.{} = s.k AND {} AND ({})")
                         .format(tname, sql.SQL(", ").join(sets), stage, key, live_edit,
                                 sql.SQL(" OR ").join(changed)))
        counts["updated"] = cur.rowcount
    # 6. edits of rows deleted on the server: resurrect with the laptop's fields (those
    #    nobody else changed meanwhile, as in step 5), surface it
    cur = pg.execute(sql.SQL(
        "INSERT INTO urbangrid.sync_conflict ({}) SELECT %s, %s, s.k, {}, {}, 'edit_vs_delete', NULL,"
        " NULL, 'deleted', 'edited', t.sync_by, t.sync_rev, %s FROM {} s JOIN {} t ON t.{} = s.k"
        " WHERE {}").format(conflict_cols, street, district, stage, tname, key, tomb_edit),
        (batch_id, table.name, laptop_id))
    counts["resurrected"] = cur.rowcount
    if cur.rowcount:
        pg.execute(sql.SQL("UPDATE {} t SET {} FROM {} s WHERE t.{} = s.k AND {}").format(
            tname, sql.SQL(", ").join([sql.SQL("sync_deleted = false"), *sets]), stage, key,
            tomb_edit))
    # 7. deletes: applied when the server row is still what the laptop last saw,
    #    otherwise the row is kept and the delete becomes a conflict
    unchanged = sql.SQL(" AND ").join(sql.SQL("{} IS NOT DISTINCT FROM {}").format(t(c), base[c])
                                      for c in cols[1:])
    live_del = sql.SQL("s.state = 'live' AND s.op = 'delete'")
    cur = pg.execute(sql.SQL(
        "INSERT INTO urbangrid.sync_conflict ({}) SELECT %s, %s, s.k, {}, {}, 'delete_vs_edit', NULL,"
        " NULL, 'edited', 'deleted', t.sync_by, t.sync_rev, %s FROM {} s JOIN {} t ON t.{} = s.k"
        " WHERE {} AND NOT ({})").format(conflict_cols, street, district, stage, tname, key,
                                         live_del, unchanged), (batch_id, table.name, laptop_id))
    counts["delete_conflicts"] = cur.rowcount
    cur = pg.execute(sql.SQL("DELETE FROM {} t USING {} s WHERE t.{} = s.k AND {} AND {}").format(
        tname, stage, key, live_del, unchanged))
    counts["deleted"] = cur.rowcount
    # 8. refused rows are recorded whole, never dropped
    rejected = pg.execute(sql.SQL("SELECT k, reject, ord FROM {} WHERE reject IS NOT NULL")
                          .format(stage)).fetchall()
    if rejected:
        records = []
        for k, reason, ord_ in rejected:
            values_ = journal.decode_row(rows[ord_][3]) or []
            row = {c: (v.hex() if isinstance(v, bytes) else v) for c, v in zip(cols, values_, strict=False)}
            records.append((batch_id, table.name, k, row.get("street_code"), row.get("district_code"),
                            "rejected", json.dumps(row, ensure_ascii=False), laptop_id, reason))
        pg.cursor().executemany(
            "INSERT INTO urbangrid.sync_conflict (batch_id, table_name, row_key, street_code,"
            " district_code, kind, laptop_value, laptop_id, note) VALUES (%s, %s, %s, %s, %s, %s,"
            " %s, %s, %s)", records)
    counts["rejected"] = len(rejected)
    return counts


def _rev_now(pg: psycopg.Connection) -> int:
    row = pg.execute("SELECT CASE WHEN is_called THEN last_value ELSE 0 END"
                     " FROM urbangrid.sync_rev_seq").fetchone()
    return int(row[0])


def _fetch_rows(pg: psycopg.Connection, table: SyncTable, srids, where: sql.Composable,
                params: tuple) -> list[tuple]:
    sel = sql.SQL(", ").join([_out_expr(table, c, srids) for c in table.columns]
                             + [sql.SQL("t.sync_rev"), sql.SQL("t.sync_deleted")])
    return pg.execute(sql.SQL("SELECT {} FROM {} t WHERE {}").format(
        sel, sql.Identifier(server.SCHEMA, table.name), where), params).fetchall()


def _conflict_rows(pg: psycopg.Connection, where: sql.Composable, params: tuple) -> list[tuple]:
    sel = sql.SQL(", ").join(sql.Identifier("c", c) for c in journal.CONFLICT_COLUMNS)
    return pg.execute(sql.SQL("SELECT {} FROM urbangrid.sync_conflict c WHERE {}").format(
        sel, where), params).fetchall()


def _answer_rows(pg: psycopg.Connection, table: SyncTable, srids) -> tuple[list[tuple], list]:
    """The server rows of a just-applied batch: full rows where the server now differs
    from what the laptop pushed, only ``(key, revision)`` where it holds exactly that."""
    stage = sql.Identifier("stage_" + table.name)
    tname = sql.Identifier(server.SCHEMA, table.name)
    key = sql.Identifier(table.key)
    equal = sql.SQL(" AND ").join(
        sql.SQL("{} IS NOT DISTINCT FROM {}").format(sql.Identifier("t", c),
                                                     _mine_expr(table, c, srids))
        for c in table.columns[1:])
    same_rows = sql.SQL("s.op <> 'delete' AND NOT t.sync_deleted AND {}").format(equal)
    # first the verdict per row (three narrow columns), then the full rows of the
    # usually few the server holds otherwise, by key
    found = pg.execute(sql.SQL("SELECT t.{}, t.sync_rev, {} FROM {} t JOIN {} s ON s.k = t.{}")
                       .format(key, same_rows, tname, stage, key)).fetchall()
    same = [(k, rev) for k, rev, equal_ in found if equal_]
    differ = [k for k, _, equal_ in found if not equal_]
    rows = _fetch_rows(pg, table, srids, sql.SQL("{} = ANY(%s)").format(
        sql.Identifier("t", table.key)), (differ,)) if differ else []
    return rows, same


def _frozen_with_other_columns(payload: dict, tables: list[SyncTable]) -> bool:
    columns = {t.name: list(t.columns) for t in tables}
    return any(list(part["columns"]) != columns.get(name)
               for name, part in payload["tables"].items())


def _batch_applied(pg: psycopg.Connection, batch_id: str) -> bool:
    return pg.execute("SELECT EXISTS (SELECT 1 FROM urbangrid.sync_batch WHERE batch_id = %s)",
                      (batch_id,)).fetchone()[0]


def apply_batch(pg: psycopg.Connection, tables: list[SyncTable], batch_id: str, payload: dict,
                srids: dict[str, tuple[int, int]], fault: Callable[[str], None] = _noop) -> dict:
    """Apply one push batch on the server in ONE transaction; replay is a no-op.

    Returns ``{"replayed", "rev_before", "rev_after", "counts", "rows": {table: rows},
    "conflicts": rows}`` — the server state of every pushed row after the batch.
    """
    by_name = {t.name: t for t in tables}
    laptop_id = payload["laptop_id"]
    with pg.transaction():
        pg.execute("SELECT pg_advisory_xact_lock(%s)", (SYNC_LOCK,))
        done = pg.execute("SELECT rev_before, rev_after, summary FROM urbangrid.sync_batch"
                          " WHERE batch_id = %s", (batch_id,)).fetchone()
        if done:
            rev_before, rev_after, counts = done
        else:
            rev_before = _rev_now(pg)
            counts = {}
            for name, part in payload["tables"].items():
                table = by_name[name]
                if list(part["columns"]) != list(table.columns):
                    raise UrbanGridError(f"batch {batch_id} was frozen with other columns of {name}"
                                         " than the server now has; sync again after upgrading")
                counts[name] = _apply_table(pg, table, part["rows"], batch_id, laptop_id,
                                            srids.get(name))
            rev_after = _rev_now(pg)
            pg.execute("INSERT INTO urbangrid.sync_batch (batch_id, laptop_id, rev_before, rev_after,"
                       " summary) VALUES (%s, %s, %s, %s, %s)",
                       (batch_id, laptop_id, rev_before, rev_after, json.dumps(counts)))
        out_rows, same = {}, {}
        for name, part in payload["tables"].items():
            table = by_name[name]
            if done:  # replay: no staging table, answer with the full rows
                keys = [r[1] for r in part["rows"]]
                out_rows[name] = _fetch_rows(pg, table, srids.get(name), sql.SQL(
                    "{} = ANY(%s)").format(sql.Identifier("t", table.key)), (keys,))
                same[name] = []
            else:
                out_rows[name], same[name] = _answer_rows(pg, table, srids.get(name))
        conflicts = _conflict_rows(pg, sql.SQL("c.batch_id = %s"), (batch_id,))
        fault("server_applied")
    return {"replayed": bool(done), "rev_before": rev_before, "rev_after": rev_after,
            "counts": counts, "rows": out_rows, "same": same, "conflicts": conflicts}


# --- laptop side ------------------------------------------------------------------------------


def _to_laptop(table: SyncTable, rows: list[tuple], srs_id: int | None) -> list[tuple]:
    """Server rows with geometry WKB wrapped as GeoPackage blobs."""
    if not table.geometry:
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows]
    gi = table.columns.index(table.geometry)
    # every blob of the table gets the same header: build it once (see journal.wkb_gpkg)
    header = journal.wkb_gpkg(b"", srs_id)
    return [r[:gi] + (None if r[gi] is None else header + r[gi],) + r[gi + 1:] for r in rows]


def _pushed_values(table: SyncTable, row: list | None) -> list | None:
    """The values of a pushed row as the laptop stores them (geometry as a blob).

    The batch's own row when it holds no hex geometry; otherwise a copy, so the
    frozen batch is never changed.
    """
    if row is None or not table.geometry:
        return row
    gi = table.columns.index(table.geometry)
    if not isinstance(row[gi], str):
        return row
    values = list(row)
    values[gi] = bytes.fromhex(values[gi])
    return values


def acknowledge(lite: sqlite3.Connection, tables: list[SyncTable], batch_id: str, payload: dict,
                answer: dict, srs: dict[str, int | None]) -> None:
    """Merge the server's answer to a batch and drop it from the outbox (one transaction)."""
    # the area-exit notes too: a batch can only move cases within the user's area
    all_cursors = [t.name for t in tables] + [CONFLICT_TABLE, AREA_EXIT_TABLE]
    with journal.transaction(lite):
        fast_forward = min(journal.cursor(lite, n) for n in all_cursors) >= answer["rev_before"]
        for table in tables:
            part = payload["tables"].get(table.name)
            if not part:
                continue
            pushed = {r[1]: r for r in part["rows"]}
            rows = _to_laptop(table, answer["rows"][table.name], srs.get(table.name))
            journal.merge_server_rows(lite, table, rows, refs={
                r[0]: _pushed_values(table, pushed[r[0]][3]) for r in rows})
            # rows the server now holds exactly as pushed: the pushed values become the
            # base (any edit made since the batch was frozen stays local and pending)
            same = answer.get("same", {}).get(table.name, [])
            journal.set_base_fields(lite, table, [(pushed[k][2], pushed[k][3], rev)
                                                  for k, rev in same])
            seen = {r[0] for r in rows} | {k for k, _ in same}
            missing = [r for r in part["rows"] if r[1] not in seen]
            journal.park_rejected(lite, table, [_pushed_values(table, r[3]) for r in missing
                                                if r[3] is not None])
            journal.drop_base(lite, table, [r[1] for r in missing if r[3] is None])
        journal.store_conflicts(lite, answer["conflicts"])
        if fast_forward and not answer["replayed"]:
            journal.set_state(lite, **{f"cursor:{n}": answer["rev_after"] for n in all_cursors})
        journal.drop_batch(lite, batch_id)
        journal.log(lite, "ack", f"batch {batch_id}: {json.dumps(answer['counts'])}")


def pull(pg: psycopg.Connection, lite: sqlite3.Connection, tables: list[SyncTable],
         srids: dict[str, tuple[int, int]], srs: dict[str, int | None],
         fault: Callable[[str], None] = _noop, page: int = PAGE,
         progress: Progress | None = None) -> dict[str, int]:
    """Pull every visible server row above the laptop's cursors, page by page."""
    with journal.gc_paused():  # bulk rows, no cycles: see gc_paused
        return _pull(pg, lite, tables, srids, srs, fault, page, progress)


def _pull(pg: psycopg.Connection, lite: sqlite3.Connection, tables: list[SyncTable],
          srids: dict[str, tuple[int, int]], srs: dict[str, int | None],
          fault: Callable[[str], None], page: int, progress: Progress | None) -> dict[str, int]:
    """The body of :func:`pull`."""
    progress = ensure_progress(progress)
    counts: dict[str, int] = {}
    names = [t.name for t in tables] + [CONFLICT_TABLE, AREA_EXIT_TABLE]
    catch_up: dict[str, int] = {}  # table -> revision seen committed before it was read
    for table in tables:
        catch_up[table.name] = max(journal.cursor(lite, name) for name in names)
        n = 0
        while True:
            progress.check()
            since = journal.cursor(lite, table.name)
            with pg.transaction():
                rows = _fetch_rows(pg, table, srids.get(table.name), sql.SQL(
                    "t.sync_rev > %s ORDER BY t.sync_rev LIMIT %s"), (since, page))
            if not rows:
                break
            rows = _to_laptop(table, rows, srs.get(table.name))
            with journal.transaction(lite):
                journal.merge_server_rows(lite, table, rows)
                journal.set_state(lite, **{f"cursor:{table.name}": rows[-1][-2]})
            n += len(rows)
            fault("pull_page")
            if len(rows) < page:
                break  # a short page was the last: no need to ask for an empty one
        counts[table.name] = n
    catch_up[CONFLICT_TABLE] = max(journal.cursor(lite, name) for name in names)
    n = 0
    while True:
        since = journal.cursor(lite, CONFLICT_TABLE)
        with pg.transaction():
            rows = _conflict_rows(pg, sql.SQL("c.sync_rev > %s ORDER BY c.sync_rev LIMIT %s"),
                                  (since, page))
        if not rows:
            break
        with journal.transaction(lite):
            journal.store_conflicts(lite, rows)
            journal.set_state(lite, **{f"cursor:{CONFLICT_TABLE}": rows[-1][-1]})
        n += len(rows)
    counts[CONFLICT_TABLE] = n
    if int(journal.get_state(lite, "schema_version", "0")) >= AREA_EXIT_VERSION:
        catch_up[AREA_EXIT_TABLE] = max(journal.cursor(lite, name) for name in names)
        counts[AREA_EXIT_TABLE] = _pull_area_exits(pg, lite, tables, page)
    _catch_up(lite, catch_up)
    return counts


def _catch_up(lite: sqlite3.Connection, seen: dict[str, int]) -> None:
    """Move each table's cursor up to a revision seen committed before the table was
    read to its end (``seen``), in one laptop transaction.

    Events, photos, conflicts and area-exit notes are sparse, so their cursors would lag
    far behind the cases', and a later push could not fast-forward past its own rows
    (it would download them again). Safe because writers hold one lock from their first
    revision to commit: once a revision was read as committed (every cursor is such a
    revision), every lower revision is final, and the table was read to its end after.
    """
    ahead = {f"cursor:{name}": rev for name, rev in seen.items() if journal.cursor(lite, name) < rev}
    if ahead:
        with journal.transaction(lite):
            journal.set_state(lite, **ahead)


def _pull_area_exits(pg: psycopg.Connection, lite: sqlite3.Connection,
                     tables: list[SyncTable], page: int) -> int:
    """Drop the laptop's copies of cases moved out of the user's area (migration 0003).

    A note counts only while its case is still invisible to the user (moved back, it
    is pulled as usual). Runs after the case tables, so a case that came back is
    already there with a newer revision than its note.
    """
    n = 0
    while True:
        since = journal.cursor(lite, AREA_EXIT_TABLE)
        with pg.transaction():
            rows = pg.execute(
                "SELECT e.row_key, e.sync_rev FROM urbangrid.sync_area_exit e"
                " WHERE e.table_name = 'ug_case' AND e.sync_rev > %s AND NOT EXISTS"
                " (SELECT 1 FROM urbangrid.ug_case c WHERE c.case_id = e.row_key)"
                " ORDER BY e.sync_rev LIMIT %s", (since, page)).fetchall()
        if not rows:
            break
        with journal.transaction(lite):
            journal.forget_cases(lite, tables, rows)
            journal.set_state(lite, **{f"cursor:{AREA_EXIT_TABLE}": rows[-1][1]})
        n += len(rows)
        if len(rows) < page:
            break
    return n


def prepare_laptop(path: str | os.PathLike) -> None:
    """Make sure the laptop GeoPackage has the case tables (cases store schema)."""
    from ..cases.store import ensure_case_tables

    ensure_case_tables(path)


def _without_gc(fn):
    """Run ``fn`` with the cycle collector paused (see :func:`journal.gc_paused`)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with journal.gc_paused():
            return fn(*args, **kwargs)
    return wrapper


@_without_gc
def sync(laptop: str | os.PathLike, dsn: str | None = None, *, service: str | None = None,
         user: str | None = None, fault: Callable[[str], None] = _noop,
         progress: Progress | None = None, page: int = PAGE) -> SyncReport:
    """Synchronise one laptop GeoPackage with the server: migrate, push, pull.

    Safe to call again after any failure: it resumes where the previous run stopped.
    """
    progress = ensure_progress(progress)
    prepare_laptop(laptop)
    lite = journal.open_laptop(laptop)
    try:
        return _sync(lite, dsn, service, user, fault, progress, page)
    except _SCHEMA_ERRORS as exc:
        # the server's tables no longer match the remembered ones: changed by hand,
        # outside a migration. Nothing was applied (one transaction), the batch stays in
        # the outbox; the next sync reads the tables anew.
        forget_server_schema(lite)
        raise UrbanGridError(f"the server's case tables changed outside a numbered migration "
                             f"({exc.diag.message_primary}); sync again") from exc
    finally:
        lite.close()


#: Errors a stale remembered server schema can cause (see :func:`_server_schema`).
_SCHEMA_ERRORS = (psycopg.errors.UndefinedColumn, psycopg.errors.UndefinedTable,
                  psycopg.errors.DatatypeMismatch, psycopg.errors.UndefinedFunction)


def _sync(lite: sqlite3.Connection, dsn: str | None, service: str | None, user: str | None,
          fault: Callable[[str], None], progress: Progress, page: int) -> SyncReport:
    """The body of :func:`sync` on an open laptop."""
    report = SyncReport()
    with server.connect(dsn, service=service, user=user, autocommit=True) as pg:
        # the staging table of a 10,000-row batch outgrows the default 8 MB of
        # temp buffers and would spill to disk; only settable before its first use
        pg.execute("SET application_name = 'urbangrid-sync'; SET temp_buffers = '64MB'")
        sid = server.server_id(pg)
        known = journal.get_state(lite, "server_id")
        if known and known != sid:
            raise UrbanGridError(f"this laptop syncs with server {known}, not {sid}; use a "
                                 "fresh laptop copy for another server")
        if not known:
            with journal.transaction(lite):
                journal.set_state(lite, server_id=sid)
        fault("connected")
        report.migrations = journal.apply_laptop_migrations(
            lite, server.laptop_migrations(pg, int(journal.get_state(lite, "schema_version", "0"))))
        fault("migrated")
        schema = _server_schema(pg, lite, cached=True)
        tables = _tables(schema, lite)
        with journal.transaction(lite):
            for table in tables:
                journal.ensure_base(lite, table)
        srids = {t.name: _srids(pg, lite, t, schema) for t in tables if t.geometry}
        srs = {t.name: srids[t.name][1] if t.name in srids else None for t in tables}
        progress.set_percent(10)
        progress.check()
        batch = journal.freeze_batch(lite, tables)
        if batch and _frozen_with_other_columns(batch[1], tables) \
                and not _batch_applied(pg, batch[0]):
            # frozen before the tables changed (a migration, or a change by hand) and
            # never applied: every edit it holds is still in the live tables against an
            # unchanged base (the base moves only when a batch is acknowledged), so it
            # is frozen again with today's columns
            journal.discard_batch(lite, batch[0])
            batch = journal.freeze_batch(lite, tables)
        if batch:
            batch_id, payload = batch
            report.batch_id = batch_id
            fault("journal_written")
            progress.info(f"pushing batch {batch_id}")
            answer = apply_batch(pg, tables, batch_id, payload, srids, fault)
            fault("server_committed")
            acknowledge(lite, tables, batch_id, payload, answer, srs)
            report.replayed = answer["replayed"]
            report.pushed = {n: len(p["rows"]) for n, p in payload["tables"].items()}
            report.conflicts_new = sum(1 for c in answer["conflicts"]
                                       if c[journal.CONFLICT_COLUMNS.index("kind")] != "rejected")
            report.rejected = sum(v.get("rejected", 0) for v in answer["counts"].values())
            fault("acked")
        progress.set_percent(50)
        report.pulled = pull(pg, lite, tables, srids, srs, fault, page, progress)
        fault("pulled")
        with journal.transaction(lite):
            journal.log(lite, "sync", report.summary())
    report.conflicts_open = lite.execute(
        f"SELECT count(*) FROM {journal.CONFLICTS} WHERE status = 'open'").fetchone()[0]
    progress.set_percent(100)
    return report
