"""Component (部件) tables in the project GeoPackage.

Layout (one layer per geometry kind, because a GeoPackage layer and a QGIS layer
have one geometry type):

- ``component_point`` (Point), ``component_line`` (MultiLineString),
  ``component_polygon`` (MultiPolygon): the current state of every component with
  the standard attributes (CJ/T 214 / GB/T 47678.5 表2) plus ``street_code``,
  ``community_code`` and bookkeeping columns.
- ``component_quarantine`` (attributes): rejected input rows with reason, file,
  row number and field. Nothing is silently dropped.
- ``component_history`` (attributes): every earlier version of a component with
  its validity interval, change date and reason (变更).
- ``component_serial`` (attributes): the serial registry, the highest serial ever
  issued per ``division + class`` prefix, so IDs are never reused.
- ``component_census`` (attributes) and ``component_census_cell`` (Polygon): counts.
"""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3
from contextlib import closing

LAYERS = {"point": "component_point", "line": "component_line", "polygon": "component_polygon"}
GEOMETRY_TYPES = {"point": "Point", "line": "MultiLineString", "polygon": "MultiPolygon"}
QUARANTINE = "component_quarantine"
HISTORY = "component_history"
SERIAL = "component_serial"
CENSUS = "component_census"
CENSUS_CELL = "component_census_cell"

#: Standard attribute columns in table order (CJ/T 214 abbreviation in comments).
ATTRIBUTE_COLUMNS = [
    "obj_id",  # ObjID 部件标识码
    "class_code",  # 大类+小类
    "major_code",
    "obj_name",  # ObjName 部件名称
    "dept_code1", "dept_name1",  # 主管部门
    "dept_code2", "dept_name2",  # 权属单位
    "dept_code3", "dept_name3",  # 养护单位
    "grid_code",  # BGID 所在单元网格
    "street_code",
    "community_code",
    "obj_state",  # ObjState 部件状态
    "init_date",  # ORDate 初始日期
    "change_date",  # CHDate 变更日期
    "data_source",  # DataSource 数据来源
    "note",  # Note 备注
]
#: Bookkeeping: where the row came from and a content key for idempotent re-import.
BOOK_COLUMNS = ["import_key", "content_key", "batch_id", "source_file", "source_row"]
COMPONENT_COLUMNS = ATTRIBUTE_COLUMNS + BOOK_COLUMNS

#: Fields a mapping file may map from the city's own columns.
MAPPABLE_FIELDS = [c for c in ATTRIBUTE_COLUMNS if c not in ("major_code", "grid_code", "street_code", "community_code")]
#: Fields whose change makes a new version (history entry).
VERSIONED_FIELDS = [
    "class_code", "obj_name", "dept_code1", "dept_name1", "dept_code2", "dept_name2",
    "dept_code3", "dept_name3", "grid_code", "obj_state", "data_source", "note",
]

STATES = ("完好", "破损", "丢失", "占用", "废弃", "移除")
DEFAULT_STATE = "完好"

QUARANTINE_COLUMNS = [
    "batch_id", "source_file", "source_row", "field", "reason", "value", "class_code",
    "obj_id", "geom_wkt", "raw", "quarantined_at",
]
HISTORY_COLUMNS = [
    "obj_id", "valid_from", "valid_to", "change_date", "reason", "recorded_at", "layer",
    "geom_wkb", "attributes",
]

_DDL = {
    QUARANTINE: (
        "q_id INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT, source_file TEXT, source_row INTEGER, "
        "field TEXT, reason TEXT NOT NULL, value TEXT, class_code TEXT, obj_id TEXT, geom_wkt TEXT, "
        "raw TEXT, quarantined_at TEXT"
    ),
    HISTORY: (
        "h_id INTEGER PRIMARY KEY AUTOINCREMENT, obj_id TEXT NOT NULL, valid_from TEXT, valid_to TEXT, "
        "change_date TEXT, reason TEXT, recorded_at TEXT, layer TEXT, geom_wkb BLOB, attributes TEXT"
    ),
    SERIAL: "prefix TEXT PRIMARY KEY, last_serial INTEGER NOT NULL",
}
_INDEXES = {
    QUARANTINE: ["CREATE INDEX IF NOT EXISTS idx_component_quarantine_file ON component_quarantine(source_file)"],
    HISTORY: ["CREATE INDEX IF NOT EXISTS idx_component_history_obj ON component_history(obj_id, valid_from)"],
    SERIAL: [],
}


def now_iso() -> str:
    """Current local time, seconds precision, for bookkeeping columns."""
    return _dt.datetime.now().isoformat(timespec="seconds")


def connect(project_path: str | os.PathLike) -> sqlite3.Connection:
    """A plain SQLite connection to the project for attribute updates and deletions.

    GeoPackage R-tree triggers name ``ST_IsEmpty``/``ST_MinX``… (functions GDAL
    provides); SQLite compiles every trigger of a table on UPDATE, so they must
    exist even when they do not fire. They are registered here, implemented over
    the GeoPackage geometry blob.
    """
    con = sqlite3.connect(os.fspath(project_path), timeout=60)
    con.execute("PRAGMA foreign_keys=OFF")
    con.create_function("ST_IsEmpty", 1, _st_is_empty, deterministic=True)
    for name, i in (("ST_MinX", 0), ("ST_MinY", 1), ("ST_MaxX", 2), ("ST_MaxY", 3)):
        con.create_function(name, 1, lambda blob, i=i: _st_bound(blob, i), deterministic=True)
    return con


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _gpkg_geometry(blob: bytes | None):
    """A shapely geometry from a GeoPackage geometry blob (None for NULL or empty)."""
    import shapely

    if blob is None or len(blob) < 8 or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if (flags >> 4) & 1:
        return None
    return shapely.from_wkb(bytes(blob[8 + _ENVELOPE_BYTES.get((flags >> 1) & 7, 0):]))


def _st_is_empty(blob: bytes | None) -> int | None:
    if blob is None:
        return None
    geom = _gpkg_geometry(blob)
    return int(geom is None or geom.is_empty)


def _st_bound(blob: bytes | None, i: int) -> float | None:
    geom = _gpkg_geometry(blob)
    return None if geom is None or geom.is_empty else float(geom.bounds[i])


def ensure_attribute_tables(con: sqlite3.Connection) -> None:
    """Create the non-spatial component tables and register them in ``gpkg_contents``.

    Registration as ``attributes`` makes QGIS list them like any other table.
    """
    for name, ddl in _DDL.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({ddl})")
        for stmt in _INDEXES[name]:
            con.execute(stmt)
        con.execute(
            "INSERT OR IGNORE INTO gpkg_contents(table_name, data_type, identifier, last_change) "
            "VALUES (?, 'attributes', ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
            (name, name),
        )


def existing_layers(project_path: str | os.PathLike) -> set[str]:
    """Names of tables registered in the project's ``gpkg_contents``."""
    with closing(connect(project_path)) as con:
        return {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
