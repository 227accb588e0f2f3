"""Laptop side of sync: change capture, the sync journal and merging server rows.

Change capture — why a base copy inside the GeoPackage, not pygeodiff or triggers
-------------------------------------------------------------------------------
For each synced table ``T`` the laptop keeps ``ug_sync_base_T``: the last server state
of every row it knows (the "base", like pygeodiff's base copy). Local changes are the
difference between ``T`` and its base, found by one SQL join at push time, per field.

* pygeodiff's ``create_changeset`` needs the base as a *second* file. The laptop must
  update the base and the live table in one atomic step (a crash between the two
  would push an edit twice or never); two files cannot share one transaction, one
  file can. pygeodiff's rebase also resolves "edit of a row deleted on the server"
  by dropping the edit — exactly the failure this tool must not have — so its merge
  logic would have to be replaced anyway. Its changeset (old/new per changed column)
  is what the join computes, in SQLite's C code, without a copy of the file.
* SQLite triggers would capture edits as they happen, but only from writers that keep
  them: QGIS, GDAL and pygeodiff each rewrite tables in their own ways, and a trigger
  cannot see an edit made before it was installed. Comparing with the base catches
  every edit whoever made it, and needs no trigger in a file that QGIS edits.

The journal
-----------
``ug_sync_outbox`` holds the frozen push batch (a UUID and the exact rows sent).
A batch is written in one SQLite transaction before anything is sent, and removed in
the same transaction that merges the server's answer. So after a crash at any point
the next sync resends the *same* batch id; the server recognises it and answers
without applying it twice. Edits made while a batch is in flight simply wait for the
next batch. ``ug_sync_state`` holds the laptop id, the server id, the schema version
and one pull cursor per table (advanced in the same transaction as the rows pulled,
so an interrupted pull resumes where it stopped). ``ug_sync_log`` records each step.

Merging (pull and push acknowledgement)
---------------------------------------
A server row ``S`` meets the local row ``L`` and a reference ``R`` (the base when
pulling, the pushed values when acknowledging a push). Fields with ``L == R`` (not
edited locally) take ``S``; fields edited locally keep ``L`` and keep their *old*
base value, so the next push carries (base, mine) and the server's three-way check
turns a concurrent edit into a recorded conflict instead of an overwrite. A row
deleted on the server is deleted locally only when it has no local edits; otherwise
the edit is kept and the push resurrects it on the server, with a conflict record.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gc
import json
import os
import sqlite3
import struct
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import ne

from ..errors import InputError, UrbanGridError
from ..io.sqlite import transaction

try:
    import orjson
except ImportError:  # pragma: no cover - installed by scripts/setup
    orjson = None

STATE = "ug_sync_state"
OUTBOX = "ug_sync_outbox"
LOG = "ug_sync_log"
CONFLICTS = "ug_sync_conflict"
BASE_PREFIX = "ug_sync_base_"
CONFLICT_COLUMNS = (
    "conflict_id", "batch_id", "table_name", "row_key", "street_code", "district_code", "kind",
    "field", "base_value", "server_value", "laptop_value", "server_by", "server_rev",
    "laptop_by", "laptop_id", "created_at", "status", "resolution", "resolved_value",
    "resolved_by", "resolved_at", "note", "sync_rev",
)
#: Columns merged by taking the later value instead of raising a conflict: they are
#: bookkeeping stamped on every edit, not something a person chose.
MERGE_MAX = frozenset({"updated_at", "overdue"})


# --- GeoPackage geometry blobs ---------------------------------------------------------


def gpkg_wkb(blob: bytes | None) -> bytes | None:
    """The WKB inside a GeoPackage geometry blob (header and envelope stripped)."""
    if blob is None:
        return None
    blob = bytes(blob)
    if blob[:2] != b"GP":
        return blob  # already WKB
    return blob[_gpkg_header_size(blob[3]):]


def wkb_gpkg(wkb: bytes | None, srs_id: int) -> bytes | None:
    """A GeoPackage geometry blob (little-endian header, no envelope) around ``wkb``."""
    if wkb is None:
        return None
    return b"GP" + struct.pack("<BBi", 0, 0b00000001, int(srs_id)) + bytes(wkb)


def _register_gpkg_functions(con: sqlite3.Connection) -> None:
    """SQL functions GDAL's R-tree triggers call, so plain SQLite can write any layer."""
    import shapely

    def _bounds(blob):
        wkb = gpkg_wkb(blob)
        if wkb is None:
            return None
        geom = shapely.from_wkb(wkb)
        return None if geom.is_empty else geom.bounds

    def _bound(i):
        return lambda blob: (b := _bounds(blob)) and b[i]

    con.create_function("ST_IsEmpty", 1, lambda b: None if b is None else int(_bounds(b) is None),
                        deterministic=True)
    for i, name in enumerate(("ST_MinX", "ST_MinY", "ST_MaxX", "ST_MaxY")):
        con.create_function(name, 1, _bound(i), deterministic=True)


# --- tables ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncTable:
    """A synced table as both sides know it: key, shared columns, geometry column."""

    name: str
    key: str
    columns: tuple[str, ...]  # key first; includes the geometry column
    geometry: str | None = None
    pg_types: tuple[str, ...] = ()  # server type of each column

    @property
    def base(self) -> str:
        """Name of the table's base copy on the laptop."""
        return BASE_PREFIX + self.name

    def pg_type(self, column: str) -> str:
        """Server type of ``column``."""
        return self.pg_types[self.columns.index(column)]


def q(name: str) -> str:
    """Quote an SQLite identifier taken from the schema (never from user values)."""
    return '"' + name.replace('"', '""') + '"'


def open_laptop(path: str | os.PathLike) -> sqlite3.Connection:
    """Open a laptop GeoPackage for sync: explicit transactions, journal tables ready."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError("laptop GeoPackage not found", source=path)
    con = sqlite3.connect(path, timeout=60, isolation_level=None)
    _register_gpkg_functions(con)
    con.execute("PRAGMA foreign_keys = OFF")
    # A sync joins a table, its base copy and their indexes, and a pulled page rewrites
    # rows spread over both; with SQLite's default 2 MB page cache the pages are read
    # again and again and the transaction spills dirty pages to the file mid-way (an
    # extra journal sync each time). Memory only: journaling and durability are unchanged.
    con.execute("PRAGMA cache_size = -65536")  # KiB
    with transaction(con):
        con.execute(f"CREATE TABLE IF NOT EXISTS {STATE} (key TEXT PRIMARY KEY, value TEXT)")
        con.execute(f"CREATE TABLE IF NOT EXISTS {OUTBOX} (batch_id TEXT PRIMARY KEY, "
                    "created_at TEXT NOT NULL, payload BLOB NOT NULL)")
        con.execute(f"CREATE TABLE IF NOT EXISTS {LOG} (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                    "at TEXT NOT NULL, step TEXT NOT NULL, detail TEXT)")
        cols = ", ".join(f"{q(c)} {'INTEGER' if c == 'server_rev' or c == 'sync_rev' else 'TEXT'}"
                         + (" PRIMARY KEY" if c == "conflict_id" else "")
                         for c in CONFLICT_COLUMNS)
        con.execute(f"CREATE TABLE IF NOT EXISTS {CONFLICTS} ({cols})")
        if get_state(con, "laptop_id") is None:
            set_state(con, laptop_id=str(uuid.uuid4()))
    return con


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = True


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a sync; on again afterwards if it was.

    Why: a page of 5,000 server rows allocates some 100,000 tuples and strings, and the
    collector runs every 700 container allocations, a full pass over the whole heap
    every few runs. In a process with a large heap — QGIS, or the push just before
    the pull — those full passes cost more than the merge itself. The rows are plain
    tuples and lists without reference cycles: there is nothing for the collector to
    find, and cycles made elsewhere meanwhile are collected once it is on again.
    Counted and process-wide: concurrent syncs (threads) and nested pauses turn it
    back on only when the last one ends.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


def get_state(con: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    """One value of ``ug_sync_state``."""
    row = con.execute(f"SELECT value FROM {STATE} WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_state(con: sqlite3.Connection, **values: object) -> None:
    """Set values of ``ug_sync_state`` (inside the caller's transaction)."""
    con.executemany(f"INSERT INTO {STATE}(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [(k, None if v is None else str(v)) for k, v in values.items()])


def log(con: sqlite3.Connection, step: str, detail: str = "") -> None:
    """Append a line to the sync log (inside the caller's transaction)."""
    con.execute(f"INSERT INTO {LOG}(at, step, detail) VALUES (?, ?, ?)",
                (dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), step, detail))


def local_columns(con: sqlite3.Connection, table: str) -> list[str]:
    """Column names of a laptop table (empty when the table does not exist)."""
    return [r[1] for r in con.execute(f"PRAGMA table_info({q(table)})")]


def ensure_base(con: sqlite3.Connection, table: SyncTable) -> None:
    """Create the base copy of ``table`` or add the columns a migration brought."""
    have = local_columns(con, table.base)
    if not have:
        cols = ", ".join(q(c) + (" TEXT PRIMARY KEY" if c == table.key else "")
                         for c in table.columns)
        con.execute(f"CREATE TABLE {q(table.base)} ({cols}, sync_rev INTEGER NOT NULL)")
        return
    for col in table.columns:
        if col not in have:
            con.execute(f"ALTER TABLE {q(table.base)} ADD COLUMN {q(col)}")


def geometry_srs(con: sqlite3.Connection, table: str) -> int | None:
    """srs_id of a GeoPackage layer's geometry column."""
    row = con.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?",
                      (table,)).fetchone()
    return int(row[0]) if row else None


def apply_laptop_migrations(con: sqlite3.Connection,
                            migrations: Iterable[tuple[int, str, str]]) -> list[int]:
    """Apply the laptop parts of server migrations not applied yet, each atomically."""
    done = []
    current = int(get_state(con, "schema_version", "0"))
    for version, name, laptop_sql in migrations:
        if version <= current:
            continue
        con.execute("BEGIN IMMEDIATE")
        try:
            for stmt in _split_sql(laptop_sql):
                con.execute(stmt)
            set_state(con, schema_version=version)
            log(con, "migrate", f"{version:04d}_{name}")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
        current = version
        done.append(version)
    return done


def _split_sql(script: str) -> list[str]:
    """Split a laptop migration into statements (sqlite3.complete_statement aware)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        if not buf and line.strip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip().strip(";").strip():
                out.append(buf)
            buf = ""
    if buf.strip():
        out.append(buf)
    return out


# --- values ----------------------------------------------------------------------------


def same(table: SyncTable, column: str, a: object, b: object) -> bool:
    """Equal as data (geometry compared without its GeoPackage header)."""
    if column == table.geometry:
        return gpkg_wkb(a) == gpkg_wkb(b)
    return a == b


def _json_default(value: object) -> object:
    """JSON encoder hook: bytes (geometry, photos) as base64."""
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot store {type(value).__name__} in the sync journal")


def _json_hook(obj: dict) -> object:
    """JSON decoder hook: inverse of :func:`_json_default`."""
    return base64.b64decode(obj["$b"]) if len(obj) == 1 and "$b" in obj else obj


def dumps(payload: dict) -> bytes:
    """Serialise a batch payload (values may be bytes) as UTF-8 JSON.

    orjson writes a 10,000-row batch several times faster than the standard library
    (the same JSON text); the standard library is the fallback where it is missing.
    """
    if orjson is not None:
        return orjson.dumps(payload, default=_json_default)
    return json.dumps(payload, separators=(",", ":"), default=_json_default,
                      ensure_ascii=False).encode("utf-8")


def loads(text: str | bytes) -> dict:
    """Inverse of :func:`dumps`."""
    return json.loads(text, object_hook=_json_hook)


def decode_row(row: list | None) -> list | None:
    """A payload row as Python values (already decoded by :func:`loads`; copied)."""
    return None if row is None else list(row)


# --- change capture ----------------------------------------------------------------------


@dataclass
class Change:
    """One row to push: op 'insert' | 'update' | 'delete', changed-column mask, values."""

    op: str
    key: str
    mask: int
    mine: list | None
    base: list | None


def _hex_select(alias: str, table: SyncTable, column: str) -> str:
    """SQL for one column as frozen in a batch: the geometry blob as lowercase hex.

    Hex text needs no Python conversion per value when the batch is written as JSON
    (a bytes value would go through an encoder hook, one call per geometry).
    """
    ref = f"{alias}.{q(column)}"
    if column != table.geometry:
        return ref
    return f"iif({ref} IS NULL, NULL, lower(hex({ref})))"


def geometry_bytes(value: bytes | str | None) -> bytes | None:
    """A geometry as frozen in a batch (hex text, or bytes in older batches) as a blob."""
    return bytes.fromhex(value) if isinstance(value, str) else value


def wkb_hex(value: bytes | str | None) -> str | None:
    """Hex WKB of a GeoPackage geometry given as a blob or as hex text."""
    if value is None:
        return None
    if isinstance(value, str):
        if value[:4] != "4750":  # "GP": already WKB
            return value
        return value[2 * _gpkg_header_size(int(value[6:8], 16)):]
    wkb = gpkg_wkb(value)
    return None if wkb is None else wkb.hex()


def _gpkg_header_size(flags: int) -> int:
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get((flags >> 1) & 0b111)
    if envelope is None:
        raise InputError("invalid GeoPackage geometry header", field="geom")
    return 8 + envelope


def collect_changes(con: sqlite3.Connection, table: SyncTable) -> list[Change]:
    """Local edits since the base, per row and per field.

    Values are as frozen in a batch: the geometry is lowercase hex text (see
    :func:`geometry_bytes`); the base holds only the key and the edited fields.
    """
    cols = table.columns
    key = q(table.key)
    lsel = ", ".join(_hex_select("L", table, c) for c in cols)
    # the server reads the base of the edited fields only (three-way check); the
    # others would just double the batch's size in the journal and on the wire
    bsel = ", ".join([f"B.{key}"] + [f"CASE WHEN L.{q(c)} IS NOT B.{q(c)} THEN "
                                     f"{_hex_select('B', table, c)} END" for c in cols[1:]])
    # the changed-field mask is computed by SQLite; geometry bits are re-checked in
    # Python, since the same point may be written with another GeoPackage header
    mask_sql = " | ".join(f"((L.{q(c)} IS NOT B.{q(c)}) << {i})" for i, c in enumerate(cols))
    gi = cols.index(table.geometry) if table.geometry else -1
    gbit = 1 << gi if gi >= 0 else 0
    n = len(cols)
    full = (1 << n) - 1
    out: list[Change] = []
    # the filter stops at a row's first differing column (the mask compares them all)
    same = " AND ".join(f"L.{q(c)} IS B.{q(c)}" for c in cols[1:]) or "1"
    cur = con.execute(
        f"SELECT {lsel}, {bsel}, B.{key} IS NULL, {mask_sql} FROM {q(table.name)} L "
        f"LEFT JOIN {q(table.base)} B ON B.{key} = L.{key} "
        f"WHERE B.{key} IS NULL OR NOT ({same})")
    for row in cur:
        if row[2 * n]:
            out.append(Change("insert", row[0], full, list(row[:n]), None))
            continue
        mask = row[2 * n + 1]
        if mask & gbit and wkb_hex(row[gi]) == wkb_hex(row[n + gi]):
            mask &= ~gbit
        if mask:
            out.append(Change("update", row[0], mask, list(row[:n]), list(row[n:2 * n])))
    dsel = ", ".join(_hex_select("B", table, c) for c in cols)
    cur = con.execute(
        f"SELECT {dsel} FROM {q(table.base)} B WHERE B.sync_rev >= 0 AND NOT EXISTS "
        f"(SELECT 1 FROM {q(table.name)} L WHERE L.{key} = B.{key})")
    for row in cur:
        out.append(Change("delete", row[0], 0, None, list(row)))
    return out


def discard_batch(con: sqlite3.Connection, batch_id: str) -> None:
    """Drop a frozen batch the server never applied, so its edits are frozen anew.

    Only safe while the base is the one the batch was frozen against: the edits are
    then still the difference between the live tables and the base.
    """
    with transaction(con):
        con.execute(f"DELETE FROM {OUTBOX} WHERE batch_id = ?", (batch_id,))
        log(con, "journal", f"batch {batch_id} frozen with other columns, never applied: "
                            "frozen again")


def drop_batch(con: sqlite3.Connection, batch_id: str) -> None:
    """Remove an acknowledged batch from the outbox (inside the caller's transaction).

    Debian builds SQLite with ``secure_delete`` on, so every freed page is overwritten
    with zeros: dropping a 10,000-row batch (megabytes of overflow pages) would write
    it twice more. Its rows stay in the live tables, so here FAST is enough; elsewhere
    the setting is left alone, so a deleted case's photos leave no trace in the file.
    """
    previous = con.execute("PRAGMA secure_delete").fetchone()[0]
    con.execute("PRAGMA secure_delete = FAST")
    try:
        con.execute(f"DELETE FROM {OUTBOX} WHERE batch_id = ?", (batch_id,))
    finally:
        con.execute(f"PRAGMA secure_delete = {('OFF', 'ON', 'FAST')[int(previous)]}")


def pending_batch(con: sqlite3.Connection) -> tuple[str, dict] | None:
    """The frozen batch not yet acknowledged by the server, if any.

    Geometries come back as blobs, whether the batch stored them as hex text or (in
    batches frozen by older versions) as base64-encoded bytes.
    """
    row = con.execute(f"SELECT batch_id, payload FROM {OUTBOX} ORDER BY created_at LIMIT 1"
                      ).fetchone()
    if not row:
        return None
    payload = loads(row[1])
    for part in payload["tables"].values():
        gi = part.get("geometry_index")
        if gi is None:
            continue
        for values in (v for r in part["rows"] for v in (r[3], r[4]) if v is not None):
            values[gi] = geometry_bytes(values[gi])
    return row[0], payload


def freeze_batch(con: sqlite3.Connection, tables: list[SyncTable]) -> tuple[str, dict] | None:
    """Write local changes as one push batch into the outbox (one transaction).

    Returns the pending batch when one is still unacknowledged (resume after a cut),
    a new one when there are changes, or None.
    """
    with transaction(con):
        pending = pending_batch(con)
        if pending:
            return pending
        payload: dict = {"laptop_id": get_state(con, "laptop_id"), "tables": {}}
        total = 0
        for table in tables:
            changes = collect_changes(con, table)
            if not changes:
                continue
            total += len(changes)
            payload["tables"][table.name] = {
                "columns": list(table.columns),
                "geometry_index": table.columns.index(table.geometry) if table.geometry else None,
                "rows": [[c.op, c.key, c.mask, c.mine, c.base] for c in changes],
            }
        if not total:
            return None
        batch_id = str(uuid.uuid4())
        con.execute(f"INSERT INTO {OUTBOX}(batch_id, created_at, payload) VALUES (?, ?, ?)",
                    (batch_id, dt.datetime.now(dt.UTC).isoformat(),
                     dumps(payload)))
        log(con, "journal", f"batch {batch_id}: {total} changed rows frozen")
    return batch_id, payload


# --- merging server rows ------------------------------------------------------------------


def _fetch(con: sqlite3.Connection, table: SyncTable,
           keys: list[str]) -> tuple[dict[str, tuple], dict[str, tuple]]:
    """Local and base rows whose key is in ``keys``: ``(local, base)`` by key.

    The keys go in as one JSON array walked by ``json_each`` (no temporary table to
    fill and index), probing both tables by their key index in one join.
    """
    n = len(table.columns)
    lsel = ", ".join("L." + q(c) for c in table.columns)
    bsel = ", ".join("B." + q(c) for c in table.columns)
    key = q(table.key)
    rows = con.execute(f"SELECT {lsel}, {bsel}, L.{key} IS NOT NULL, B.{key} IS NOT NULL"
                       f" FROM json_each(?) K LEFT JOIN {q(table.name)} L ON L.{key} = K.value"
                       f" LEFT JOIN {q(table.base)} B ON B.{key} = K.value",
                       (json.dumps(sorted(keys)),))  # key order: index pages in sequence
    local: dict[str, tuple] = {}
    base: dict[str, tuple] = {}
    for row in rows:
        if row[2 * n]:
            local[row[0]] = row[:n]
        if row[2 * n + 1]:
            base[row[n]] = row[n:2 * n]
    return local, base


def _clean_sql(table: SyncTable) -> str:
    """SQL that is true when the local row ``L`` equals its base ``B`` byte for byte.

    Unary ``+`` strips the columns' affinity and ``COLLATE BINARY`` any collation, so
    SQLite neither converts nor case-folds a value: equal here implies equal in Python
    (1 IS 1.0 holds in both). The converse need not hold — a geometry written with
    another GeoPackage header differs here but is the same data — so a row not found
    clean is compared again in Python (:func:`_differ`), never taken as edited blindly.
    """
    return " AND ".join(f"+L.{q(c)} IS +B.{q(c)} COLLATE BINARY" for c in table.columns)


def _fetch_for_pull(con: sqlite3.Connection, table: SyncTable,
                    keys: list[str]) -> tuple[dict[str, tuple], dict[str, tuple]]:
    """Like :func:`_fetch`, reading the base values only of rows whose local copy differs.

    Most pulled rows are not edited on this laptop: SQLite compares them with their
    base (:func:`_clean_sql`) and for those ``base[key] is local[key]`` — the same
    values, materialised once. The base of every other row is read by a second,
    usually tiny, query.

    The keys are probed in the server's (revision) order, not sorted: rows a laptop
    received together were inserted in that order, so their rowids follow it and the
    probes walk the table b-trees forward (10 % faster than key order on the benchmark).
    """
    n = len(table.columns)
    lsel = ", ".join("L." + q(c) for c in table.columns)
    key = q(table.key)
    rows = con.execute(f"SELECT {lsel}, K.value, B.{key} IS NOT NULL, {_clean_sql(table)}"
                       f" FROM json_each(?) K LEFT JOIN {q(table.name)} L ON L.{key} = K.value"
                       f" LEFT JOIN {q(table.base)} B ON B.{key} = K.value",
                       (json.dumps(keys),))  # server order: see the docstring
    local: dict[str, tuple] = {}
    base: dict[str, tuple] = {}
    unknown: list[str] = []  # keys whose base exists and is not known to equal the local row
    for row in rows:
        if row[0] is not None:  # the key column is NOT NULL in a local table
            mine = local[row[0]] = row[:n]
            if row[n + 2]:
                base[row[0]] = mine
                continue
        if row[n + 1]:
            unknown.append(row[n])
    if unknown:
        bsel = ", ".join("B." + q(c) for c in table.columns)
        for row in con.execute(f"SELECT {bsel} FROM json_each(?) K JOIN {q(table.base)} B"
                               f" ON B.{key} = K.value", (json.dumps(sorted(unknown)),)):
            base[row[0]] = row
    return local, base


def _differ(table: SyncTable) -> Callable[[Sequence, Sequence], tuple[int, ...]]:
    """A function giving the indexes of the synced columns whose value differs between
    two rows of ``table`` (geometry compared as data, see :func:`same`).

    Built once per merge: it runs for every pulled row, so the column count and the
    geometry's position are looked up here, not per call.
    """
    indexes = range(len(table.columns))
    gi = table.columns.index(table.geometry) if table.geometry else -1

    def changed(new: Sequence, old: Sequence) -> tuple[int, ...]:
        diff = tuple(compress(indexes, map(ne, new, old)))
        if gi in diff and gpkg_wkb(new[gi]) == gpkg_wkb(old[gi]):
            diff = tuple(i for i in diff if i != gi)
        return diff

    return changed


#: Temporary table that carries many rows' values into one set-based statement.
STAGE = "ug_sync_stage"
#: From this many rows on, a write goes through :data:`STAGE` (see :func:`stage`).
STAGE_MIN_ROWS = 64
#: ``UPDATE ... FROM`` needs SQLite 3.33 (2020); an older library updates row by row.
UPDATE_FROM = sqlite3.sqlite_version_info >= (3, 33, 0)


def stage(con: sqlite3.Connection, params: list[Sequence]) -> None:
    """Put ``params`` into the temporary table :data:`STAGE`, columns ``v0, v1, ...``.

    Why: SQLite re-evaluates a table's CHECK constraints from scratch each time a
    statement runs — it builds the ``IN (...)`` list of a CHECK such as the case
    state's anew for every execution — so an INSERT or UPDATE run once per row spends
    more on the CHECKs than on the row itself. Staged rows are written by ONE
    statement per target table instead. The stage lives in the connection's temp
    schema and goes (or is rolled back) with the caller's transaction; it holds values
    exactly as bound (no affinity), so the target column's affinity applies to them as
    it would to a bound parameter. Drop it with :func:`unstage`.
    """
    width = len(params[0])
    con.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")  # left by a failed autocommit call
    con.execute(f"CREATE TEMP TABLE {STAGE} ({', '.join(f'v{i}' for i in range(width))})")
    con.executemany(f"INSERT INTO temp.{STAGE} VALUES ({', '.join('?' * width)})", params)


def unstage(con: sqlite3.Connection) -> None:
    """Drop the staged rows (see :func:`stage`)."""
    con.execute(f"DROP TABLE temp.{STAGE}")


def update_columns(con: sqlite3.Connection, key: str, params: list[Sequence],
                   targets: Sequence[tuple[str, Sequence[tuple[str, int]]]]) -> None:
    """Write new column values into rows found by their ``key`` column, in one or more tables.

    Each row of ``params`` holds values and ends with the key value. For each
    ``(table, [(column, i), ...])`` of ``targets``, ``column`` of the row of ``table``
    with that key is set to value ``i`` of the row. Many rows are staged once and
    merged into each target by one ``UPDATE ... FROM`` (see :func:`stage`). Runs
    inside the caller's transaction.
    """
    if not params:
        return
    width = len(params[0])
    if len(params) < STAGE_MIN_ROWS or not UPDATE_FROM:
        for table, assign in targets:
            sets = ", ".join(f"{q(c)} = ?{i + 1}" for c, i in assign)
            con.executemany(f"UPDATE {q(table)} SET {sets} WHERE {q(key)} = ?{width}", params)
        return
    stage(con, params)
    for table, assign in targets:
        sets = ", ".join(f"{q(c)} = S.v{i}" for c, i in assign)
        con.execute(f"UPDATE main.{q(table)} AS T SET {sets} FROM temp.{STAGE} AS S"
                    f" WHERE T.{q(key)} = S.v{width - 1}")
    unstage(con)


def insert_rows(con: sqlite3.Connection, rows: list[Sequence],
                targets: Sequence[tuple[str, str, Sequence[str], str]]) -> None:
    """Insert ``rows`` into one or more tables, in their order.

    For each ``(verb, table, columns, tail)`` of ``targets``, runs ``{verb} {table}
    (columns) VALUES (...) {tail}`` with the first ``len(columns)`` values of each row:
    ``verb`` is ``INSERT INTO`` or ``INSERT OR REPLACE INTO``, ``tail`` an optional
    ``ON CONFLICT`` clause. Many rows are staged once and inserted into each target by
    one ``INSERT ... SELECT`` (see :func:`stage`). Runs inside the caller's transaction.
    """
    if not rows:
        return
    if len(rows) < STAGE_MIN_ROWS:
        for verb, table, columns, tail in targets:
            w = len(columns)
            con.executemany(f"{verb} {q(table)} ({', '.join(q(c) for c in columns)}) VALUES"
                            f" ({', '.join('?' * w)}) {tail}",
                            rows if len(rows[0]) == w else [r[:w] for r in rows])
        return
    stage(con, rows)
    for verb, table, columns, tail in targets:
        values = ", ".join(f"v{i}" for i in range(len(columns)))
        # "WHERE true": an upsert's ON CONFLICT after a bare FROM would parse as a join
        con.execute(f"{verb} main.{q(table)} ({', '.join(q(c) for c in columns)})"
                    f" SELECT {values} FROM temp.{STAGE} WHERE true ORDER BY rowid {tail}")
    unstage(con)


def _assign(columns: Sequence[str], changed: tuple[int, ...]) -> list[tuple[str, int]]:
    """``(column name, value index)`` for a params row holding ``changed``'s values first."""
    return [(columns[i], j) for j, i in enumerate(changed)]


class _BaseWrites:
    """Base rows to write, as UPDATEs of the changed columns or INSERTs of new rows.

    Updating just the columns that changed (grouped, like the local UPDATEs) writes
    less than replacing whole rows, which deletes and re-inserts the row and its key.
    """

    def __init__(self, table: SyncTable) -> None:
        self.table = table
        self.differ = _differ(table)
        self.updates: dict[tuple[int, ...], list[list]] = {}
        self.inserts: list[list] = []
        self.deletes: list[tuple[str]] = []

    def put(self, key: str, values: Sequence, rev: int, old: Sequence | None,
            changed: tuple[int, ...] | None = None) -> None:
        """Make ``values`` + ``rev`` the base of ``key``; ``old`` is its base now (or None).

        ``changed`` may pass the columns where ``values`` differ from ``old`` when the
        caller has already compared them.
        """
        if old is None:
            self.inserts.append([*values, rev])
            return
        if changed is None:
            changed = self.differ(values, old)
        self.updates.setdefault(changed, []).append([*map(values.__getitem__, changed), rev, key])

    def insert_target(self) -> tuple[str, str, list[str], str]:
        """The :func:`insert_rows` target of base rows ``(values..., sync_rev)``."""
        # OR REPLACE: a row the caller took for new but present is overwritten whole
        return "INSERT OR REPLACE INTO", self.table.base, [*self.table.columns, "sync_rev"], ""

    def delete(self, key: str) -> None:
        """Forget the base of ``key``."""
        self.deletes.append((key,))

    def write(self, con: sqlite3.Connection) -> None:
        """Run the collected writes (inside the caller's transaction)."""
        table = self.table
        cols = table.columns
        base, key = q(table.base), q(table.key)
        for changed, params in self.updates.items():
            update_columns(con, table.key, params, [
                (table.base, [*_assign(cols, changed), ("sync_rev", len(changed))])])
        insert_rows(con, self.inserts, [self.insert_target()])
        if self.deletes:
            con.executemany(f"DELETE FROM {base} WHERE {key} = ?", self.deletes)


def merge_server_rows(con: sqlite3.Connection, table: SyncTable, rows: list[tuple],
                      refs: dict[str, list | None] | None = None) -> dict[str, int]:
    """Merge server rows ``(values..., sync_rev, sync_deleted)`` into the laptop.

    ``refs`` is None when pulling (the base is the reference) or, when acknowledging
    a push, maps each pushed key to the values pushed (None for a pushed delete).
    Runs inside the caller's transaction. Returns counts for the log. The keys of
    ``rows`` are distinct (each is a server row read by its primary key).
    """
    cols = table.columns
    n = len(cols)
    keys = [r[0] for r in rows]
    if refs is None:
        local, base = _fetch_for_pull(con, table, keys)
    else:
        local, base = _fetch(con, table, keys)
    put_local: list[Sequence] = []  # rows new to the laptop
    new_both: list[Sequence] = []  # rows new to the laptop and its base: (values..., sync_rev)
    # existing local rows, grouped by the columns that change: an UPDATE of just those
    # columns leaves the other indexes of the table untouched (several times faster
    # than rewriting every column of every row)
    upd_local: dict[tuple[int, ...], list[list]] = {}
    # rows equal to their base, where the same columns change in the local row and in
    # its base: staged once for both tables, as (values..., sync_rev, key)
    upd_both: dict[tuple[int, ...], list[list]] = {}
    del_local: list[tuple[str]] = []
    put_base = _BaseWrites(table)
    changed_cols = put_base.differ
    kept = 0
    for row in rows:
        key = row[0]
        mine = local.get(key)
        if refs is None and mine is not None and base.get(key) is mine and not row[n + 1]:
            # The bulk of a pull, kept short: a live server row meets a local row SQLite
            # found equal to its base. The general path below does the same with no
            # field edited: the local row and its base take the columns that changed.
            changed = changed_cols(row, mine)
            upd_both.setdefault(changed, []).append([*map(row.__getitem__, changed), row[n], key])
            continue
        server, rev, deleted = row[:n], row[n], row[n + 1]
        old = base.get(key)
        ref = old if refs is None else refs.get(key)
        if deleted:
            if mine is None:
                put_base.delete(key)
            elif ref is not None and (mine is ref or not changed_cols(mine, ref)):
                del_local.append((key,))
                put_base.delete(key)
            else:
                kept += 1  # a local edit of a case deleted elsewhere: kept, pushed, surfaced
            continue
        if mine is None:
            if refs is None:
                if old is None:
                    new_both.append(row[:n + 1])
                # else: deleted here, not pushed yet; the old base lets the push see
                # whether the server changed the row meanwhile (then it is a conflict)
            elif ref is None:  # we pushed a delete the server did not apply: show the row
                put_local.append(server)
                put_base.put(key, server, rev, old)
            else:
                # deleted here after the batch was frozen: the delete was made against the
                # pushed values, so the next push must detect anything else changed since
                put_base.put(key, ref, rev, old)
            continue
        if ref is None:
            if refs is not None:
                put_base.put(key, server, rev, old)
            continue  # a local row the base does not know yet: it is pushed as an insert
        # fields edited locally since the reference (none when SQLite found the row clean)
        edited = () if mine is ref else changed_cols(mine, ref)
        if edited:
            merged = tuple(mine[i] if i in edited else server[i] for i in range(n))
        else:
            merged = server
        changed = changed_cols(merged, mine)
        if changed:
            upd_local.setdefault(changed, []).append([*map(merged.__getitem__, changed), key])
        if edited:
            # A field edited locally keeps the value the edit was based on as its base
            # (the old base when pulling, the pushed value when acknowledging), so the
            # next push meets any other change of that field as a conflict instead of
            # silently overwriting a value this laptop never saw.
            put_base.put(key, [ref[i] if i in edited else server[i] for i in range(n)], rev, old)
            kept += 1
        else:
            # a clean row's base is its local row: the columns just compared are the
            # columns that change in the base too
            put_base.put(key, server, rev, old, changed if old is mine else None)
    updates = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in cols[1:])
    local_target = ("INSERT INTO", table.name, cols,
                    f"ON CONFLICT({q(table.key)}) DO UPDATE SET {updates}")
    insert_rows(con, put_local, [local_target])
    insert_rows(con, new_both, [local_target, put_base.insert_target()])
    for changed, params in upd_local.items():
        update_columns(con, table.key, params, [(table.name, _assign(cols, changed))])
    for changed, params in upd_both.items():
        local_assign = [(table.name, _assign(cols, changed))] if changed else []
        update_columns(con, table.key, params, [
            *local_assign, (table.base, [*_assign(cols, changed), ("sync_rev", len(changed))])])
    if del_local:
        con.executemany(f"DELETE FROM {q(table.name)} WHERE {q(table.key)} = ?", del_local)
    put_base.write(con)
    updated = (len(put_local) + len(new_both) + sum(map(len, upd_local.values()))
               + sum(len(p) for c, p in upd_both.items() if c))
    return {"updated": updated, "deleted": len(del_local), "kept_local": kept}


def forget_cases(con: sqlite3.Connection, tables: list[SyncTable],
                 exits: list[tuple[str, int]]) -> int:
    """Drop the laptop's copy of cases the server moved out of the user's area.

    ``exits`` are ``(case_id, revision of the move)``. A case goes, with its events
    and photos, only where the copy is not edited locally and its base predates the
    move; an edited copy stays (its push is refused and recorded, never dropped), as
    do local events and photos not yet pushed. Runs inside the caller's transaction;
    returns the number of cases dropped.
    """
    by_name = {t.name: t for t in tables}
    case = by_name["ug_case"]
    dropped = 0
    for key, rev in exits:
        base = con.execute(f"SELECT {', '.join(q(c) for c in case.columns)}, sync_rev FROM "
                           f"{q(case.base)} WHERE {q(case.key)} = ?", (key,)).fetchone()
        if base is None or base[-1] >= rev or base[-1] < 0:
            continue  # unknown here, pulled again after the move, or refused (parked)
        local = con.execute(f"SELECT {', '.join(q(c) for c in case.columns)} FROM {q(case.name)}"
                            f" WHERE {q(case.key)} = ?", (key,)).fetchone()
        if local is not None and not all(same(case, c, a, b) for c, a, b
                                         in zip(case.columns, local, base, strict=False)):
            continue  # edited here: kept
        for child in (t for t in tables if t is not case and "case_id" in t.columns):
            cols = ", ".join(f"L.{q(c)}" for c in child.columns)
            bcols = ", ".join(f"B.{q(c)}" for c in child.columns)
            for row in con.execute(
                    f"SELECT {cols}, {bcols} FROM {q(child.name)} L JOIN {q(child.base)} B"
                    f" ON B.{q(child.key)} = L.{q(child.key)} WHERE L.case_id = ?",
                    (key,)).fetchall():
                n = len(child.columns)
                if all(same(child, c, a, b) for c, a, b
                       in zip(child.columns, row[:n], row[n:], strict=False)):
                    con.execute(f"DELETE FROM {q(child.name)} WHERE {q(child.key)} = ?", (row[0],))
                    con.execute(f"DELETE FROM {q(child.base)} WHERE {q(child.key)} = ?", (row[0],))
            # base rows of children deleted here: nothing left to push against
            con.execute(f"DELETE FROM {q(child.base)} WHERE case_id = ? AND {q(child.key)} NOT IN"
                        f" (SELECT {q(child.key)} FROM {q(child.name)})", (key,))
        con.execute(f"DELETE FROM {q(case.name)} WHERE {q(case.key)} = ?", (key,))
        con.execute(f"DELETE FROM {q(case.base)} WHERE {q(case.key)} = ?", (key,))
        dropped += 1
    return dropped


def park_rejected(con: sqlite3.Connection, table: SyncTable, rows: list[list]) -> None:
    """Remember rows the server refused (sync_rev -1) so they are not resent unchanged.

    The refusal is a conflict record on the server holding the whole row; the local
    row stays as it is. Editing it again makes it pending again.
    """
    if rows:
        collist = ", ".join(q(c) for c in table.columns)
        marks = ", ".join("?" * len(table.columns))
        con.executemany(f"INSERT OR REPLACE INTO {q(table.base)} ({collist}, sync_rev) "
                        f"VALUES ({marks}, -1)", rows)


def set_base(con: sqlite3.Connection, table: SyncTable, rows: list[list]) -> None:
    """Write base rows ``(values..., sync_rev)``."""
    if rows:
        collist = ", ".join(q(c) for c in table.columns)
        marks = ", ".join("?" * len(table.columns))
        con.executemany(f"INSERT OR REPLACE INTO {q(table.base)} ({collist}, sync_rev) "
                        f"VALUES ({marks}, ?)", rows)


def set_base_fields(con: sqlite3.Connection, table: SyncTable,
                    rows: list[tuple[int, list, int]]) -> None:
    """Write base rows from ``(mask, values, sync_rev)``, where only the fields set in
    ``mask`` differ from the base row already stored.

    ``values`` are as frozen in a batch: the geometry may be hex text, and is stored
    as a blob. An UPDATE of just the masked fields, grouped by mask, rewrites far less
    than replacing whole rows; a row the base lacks (a pushed insert) is written whole.
    """
    n = len(table.columns)
    gi = table.columns.index(table.geometry) if table.geometry else -1
    groups: dict[int, list[list]] = {}
    for mask, values, rev in rows:
        groups.setdefault(mask, []).append([values, rev])
    collist = ", ".join(q(c) for c in table.columns)
    marks = ", ".join("?" * n)

    def field(values: list, i: int) -> object:
        return geometry_bytes(values[i]) if i == gi else values[i]

    for mask, group in groups.items():
        idx = [i for i in range(1, n) if mask >> i & 1]
        if mask != (1 << n) - 1:
            sets = ", ".join([f"{q(table.columns[i])} = ?" for i in idx] + ["sync_rev = ?"])
            before = con.total_changes
            con.executemany(f"UPDATE {q(table.base)} SET {sets} WHERE {q(table.key)} = ?",
                            [[field(v, i) for i in idx] + [rev, v[0]] for v, rev in group])
            if con.total_changes - before == len(group):
                continue
        # a whole row, or some row was missing from the base: write them whole
        con.executemany(f"INSERT OR REPLACE INTO {q(table.base)} ({collist}, sync_rev) "
                        f"VALUES ({marks}, ?)",
                        [[field(v, i) for i in range(n)] + [rev] for v, rev in group])


def drop_base(con: sqlite3.Connection, table: SyncTable, keys: list[str]) -> None:
    """Forget base rows (a pushed delete the server applied or found already done)."""
    con.executemany(f"DELETE FROM {q(table.base)} WHERE {q(table.key)} = ?", [(k,) for k in keys])


def store_conflicts(con: sqlite3.Connection, rows: list[tuple]) -> None:
    """Mirror server conflict rows (CONFLICT_COLUMNS order) into the laptop."""
    if rows:
        collist = ", ".join(q(c) for c in CONFLICT_COLUMNS)
        marks = ", ".join("?" * len(CONFLICT_COLUMNS))
        con.executemany(f"INSERT OR REPLACE INTO {CONFLICTS} ({collist}) VALUES ({marks})",
                        [[None if v is None else (v if isinstance(v, int | float) else str(v))
                          for v in r] for r in rows])


def cursor(con: sqlite3.Connection, table: str) -> int:
    """Pull cursor of ``table``: every visible server revision up to it is merged."""
    return int(get_state(con, f"cursor:{table}", "0"))


def require_tables(con: sqlite3.Connection, names: Iterable[str]) -> None:
    """Fail clearly when the laptop lacks the case tables."""
    missing = [n for n in names if not local_columns(con, n)]
    if missing:
        raise UrbanGridError(f"laptop GeoPackage has no {', '.join(missing)} table")


def init_laptop(path: str | os.PathLike, *, from_project: str | os.PathLike | None = None,
                crs: str | None = None) -> dict[str, int]:
    """Create a field laptop GeoPackage, empty of cases, ready for its first sync.

    With ``from_project`` the laptop is a copy of that project (grid, components and
    other reference layers for offline work) without its cases and sync state, so
    the laptop downloads exactly its own area from the server.
    """
    from ..cases.store import ensure_case_tables
    from ..project import create_project

    path = os.fspath(path)
    if os.path.exists(path):
        raise InputError("laptop GeoPackage already exists; choose a new file", source=path)
    if from_project:
        if not os.path.exists(from_project):
            raise InputError("project GeoPackage not found", source=os.fspath(from_project))
        src = sqlite3.connect(os.fspath(from_project))
        dst = sqlite3.connect(path)
        try:
            src.backup(dst)  # consistent copy even while the project is open elsewhere
        finally:
            src.close()
            dst.close()
        con = sqlite3.connect(path, isolation_level=None)
        try:
            with transaction(con):
                names = [r[0] for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ug\\_sync\\_%'"
                    " ESCAPE '\\'")]
                for name in names:
                    con.execute(f"DROP TABLE {q(name)}")
                for name in ("ug_case_attachment", "ug_case_event", "ug_case"):
                    if local_columns(con, name):
                        con.execute(f"DELETE FROM {q(name)}")
            con.execute("VACUUM")
        finally:
            con.close()
    else:
        create_project(path, crs=crs)
    ensure_case_tables(path)
    con = sqlite3.connect(path)
    try:
        layers = con.execute("SELECT count(*) FROM gpkg_contents").fetchone()[0]
    finally:
        con.close()
    return {"layers": int(layers)}
