"""Reading and writing component layers, with change history (变更).

Writes append through pyogrio (one GDAL transaction, so the GeoPackage R-tree is
maintained); attribute tables and deletions go through SQLite in one transaction.
If the second step fails the appended rows are removed again, so a failed write
leaves the project as it was.

History model: ``component_history`` keeps each *earlier* version of a component
with ``valid_from`` (its change or initial date) and ``valid_to`` (the date it was
replaced). The current version lives in the component layer and is valid from
``coalesce(change_date, init_date)``. :func:`as_of` combines both.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import sqlite3
import struct
from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from ..codes import CodeClass
from ..errors import InputError
from ..io.sqlite import transaction
from ..progress import Progress, ensure_progress
from ..project import project_crs
from .schema import (
    ATTRIBUTE_COLUMNS,
    COMPONENT_COLUMNS,
    HISTORY,
    LAYERS,
    VERSIONED_FIELDS,
    connect,
    ensure_attribute_tables,
    existing_layers,
    now_iso,
)

_IN_CHUNK = 500


def read_components(
    project_path: str | os.PathLike,
    *,
    columns: list[str] | None = None,
    geometry: bool = True,
    where: str | None = None,
) -> gpd.GeoDataFrame | pd.DataFrame | None:
    """All components from the three layers, with ``layer`` and ``fid`` columns; None if none yet."""
    have = existing_layers(project_path)
    frames = []
    for kind, layer in LAYERS.items():
        if layer not in have:
            continue
        present = None
        if columns is not None:
            fields = set(pyogrio.read_info(project_path, layer=layer)["fields"])
            present = [c for c in columns if c in fields]
        frame = pyogrio.read_dataframe(project_path, layer=layer, columns=present, where=where,
                                       read_geometry=geometry, fid_as_index=True, use_arrow=True)
        for col in columns or []:
            if col not in frame:  # a layer made by another tool or an older version
                frame[col] = None
        frame["fid"] = frame.index.to_numpy(np.int64)
        frame["layer"] = kind
        frames.append(frame.reset_index(drop=True))
    if not frames:
        return None
    out = pd.concat(frames, ignore_index=True)
    if geometry:
        out = gpd.GeoDataFrame(out, geometry="geometry", crs=project_crs(project_path))
    return out


def content_key(frame: pd.DataFrame) -> np.ndarray:
    """A 64-bit hash of the versioned attributes per row (re-import compares it, not every column)."""
    norm = pd.DataFrame({c: frame[c].astype(object).where(frame[c].notna(), None) for c in VERSIONED_FIELDS})
    return pd.util.hash_pandas_object(norm, index=False).to_numpy().view(np.int64)


def _max_fid(con, layer: str) -> int:
    try:
        return int(con.execute(f'SELECT coalesce(max(fid), 0) FROM "{layer}"').fetchone()[0])
    except Exception:  # table does not exist yet
        return 0


_OGR_TYPES = {"point": "wkbPoint", "line": "wkbMultiLineString", "polygon": "wkbMultiPolygon"}
_INT_COLUMNS = ("import_key", "content_key", "source_row")


def ensure_layers(project_path: str | os.PathLike) -> None:
    """Create the three component layers (empty, with R-tree) where missing, through GDAL."""
    have = existing_layers(project_path)
    _add_missing_columns(project_path, [layer for layer in LAYERS.values() if layer in have])
    missing = [k for k, layer in LAYERS.items() if layer not in have]
    if not missing:
        return
    from osgeo import gdal, ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromWkt(project_crs(project_path).to_wkt())
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ds = gdal.OpenEx(os.fspath(project_path), gdal.OF_VECTOR | gdal.OF_UPDATE)
    if ds is None:
        raise InputError("cannot open the project for writing", source=os.fspath(project_path))
    for kind in missing:
        layer = ds.CreateLayer(LAYERS[kind], srs, getattr(ogr, _OGR_TYPES[kind]),
                               options=["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"])
        if layer is None:
            raise InputError(f"cannot create layer {LAYERS[kind]}", source=os.fspath(project_path))
        for col in COMPONENT_COLUMNS:
            layer.CreateField(ogr.FieldDefn(col, ogr.OFTInteger64 if col in _INT_COLUMNS else ogr.OFTString))
    ds = None


def _add_missing_columns(project_path: str | os.PathLike, layers: list[str]) -> None:
    """Bring component layers made by other tools (or older versions) up to the current columns."""
    if not layers:
        return
    with connect(project_path) as con:
        for layer in layers:
            have = {r[1] for r in con.execute(f'PRAGMA table_info("{layer}")')}
            for col in COMPONENT_COLUMNS:
                if col not in have:
                    kind = "INTEGER" if col in _INT_COLUMNS else "TEXT"
                    con.execute(f'ALTER TABLE "{layer}" ADD COLUMN "{col}" {kind}')
    con.close()


@contextlib.contextmanager
def write_transaction(project_path: str | os.PathLike) -> Iterator[sqlite3.Connection]:
    """A connection to the project inside ``BEGIN IMMEDIATE`` … ``COMMIT``, then closed.

    Everything done with it (bulk inserts, deletions, history, quarantine, serial
    registry) is one atomic change of the project, rolled back on any exception
    (see :func:`..io.sqlite.transaction`).
    """
    con = connect(project_path)
    con.isolation_level = None
    try:
        with transaction(con):
            yield con
    finally:
        con.close()


def _pylist(values: pd.Series) -> list:
    """Column values as Python objects SQLite can bind (NaN/NA → None)."""
    arr = values.to_numpy(object, copy=True)
    arr[pd.isna(arr)] = None
    return arr.tolist()


def insert_components(con, frame: gpd.GeoDataFrame, classes: dict[str, CodeClass]) -> dict[str, int]:
    """Bulk-insert components into their layers inside the caller's transaction.

    GeoPackage geometry blobs are built with shapely (little-endian WKB behind the
    8-byte GP header) and the R-tree rows are inserted directly, with the
    per-row R-tree and feature-count triggers suspended for the insert and restored
    before returning. Much faster than feature-by-feature OGR writes and, inside
    the caller's transaction, all-or-nothing. Returns rows written per layer.
    """
    written: dict[str, int] = {}
    if not len(frame):
        return written
    kind_of = frame["class_code"].map({c: k.geometry for c, k in classes.items()}).to_numpy(object)
    for kind, layer in LAYERS.items():
        mask = kind_of == kind
        if not mask.any():
            continue
        part = frame[mask].reset_index(drop=True)
        geoms = part.geometry.to_numpy()
        if kind != "point":
            single = np.isin(shapely.get_type_id(geoms), (1, 3))
            if single.any():
                geoms = geoms.copy()
                make = shapely.multilinestrings if kind == "line" else shapely.multipolygons
                # indices: one multi-part per input geometry, not one for all of them
                geoms[single] = make(geoms[single], indices=np.arange(int(single.sum())))
        out = part.reindex(columns=COMPONENT_COLUMNS)
        out["content_key"] = content_key(out)
        written[layer] = _bulk_insert(con, layer, out, geoms)
    return written


def morton_order(bounds: np.ndarray) -> np.ndarray:
    """Row order along a Z-order curve of the box centres (16 bits per axis).

    SQLite's R*-tree inserts about twice as fast when neighbours arrive together,
    and fids that follow space make map reads of one area touch fewer pages.
    """
    cx = (bounds[:, 0] + bounds[:, 2]) / 2
    cy = (bounds[:, 1] + bounds[:, 3]) / 2

    def scaled(v: np.ndarray) -> np.ndarray:
        span = float(v.max() - v.min()) or 1.0
        return ((v - v.min()) / span * 65535).astype(np.uint64)

    def spread(v: np.ndarray) -> np.ndarray:
        for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
            v = (v | (v << np.uint64(shift))) & np.uint64(mask)
        return v

    return np.argsort(spread(scaled(cx)) | (spread(scaled(cy)) << np.uint64(1)), kind="stable")


def _bulk_insert(con, layer: str, frame: pd.DataFrame, geoms: np.ndarray) -> int:
    bounds = shapely.bounds(geoms)
    order = morton_order(bounds)
    frame = frame.iloc[order].reset_index(drop=True)
    geoms, bounds = geoms[order], bounds[order]
    srs_id, geom_col = con.execute(
        "SELECT srs_id, column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)).fetchone()
    header = b"GP\x00\x01" + struct.pack("<i", int(srs_id))  # version 0, little endian, no envelope
    blobs = [header + w for w in shapely.to_wkb(geoms, byte_order=1, output_dimension=2)]
    start = _max_fid(con, layer) + 1
    fids = list(range(start, start + len(frame)))
    suspended = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
        "AND (name = ? OR name = ?)",
        (layer, f"rtree_{layer}_{geom_col}_insert", f"trigger_insert_feature_count_{layer}")).fetchall()
    for name, _ in suspended:
        con.execute(f'DROP TRIGGER "{name}"')
    columns = ", ".join(f'"{c}"' for c in COMPONENT_COLUMNS)
    marks = ", ".join("?" * (len(COMPONENT_COLUMNS) + 2))
    values = [(frame[c].astype(np.int64).tolist() if c in _INT_COLUMNS else _pylist(frame[c]))
              for c in COMPONENT_COLUMNS]
    con.executemany(f'INSERT INTO "{layer}" (fid, "{geom_col}", {columns}) VALUES ({marks})',
                    zip(fids, blobs, *values, strict=True))
    minx, miny, maxx, maxy = bounds.T.tolist()
    con.executemany(f'INSERT INTO "rtree_{layer}_{geom_col}" VALUES (?, ?, ?, ?, ?)',
                    zip(fids, minx, maxx, miny, maxy, strict=True))
    for _, sql in suspended:
        con.execute(sql)
    con.execute(f'UPDATE gpkg_ogr_contents SET feature_count = (SELECT count(*) FROM "{layer}") '
                "WHERE lower(table_name) = lower(?)", (layer,))
    con.execute(
        "UPDATE gpkg_contents SET min_x = min(coalesce(min_x, ?), ?), min_y = min(coalesce(min_y, ?), ?), "
        "max_x = max(coalesce(max_x, ?), ?), max_y = max(coalesce(max_y, ?), ?), "
        "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?",
        (min(minx), min(minx), min(miny), min(miny), max(maxx), max(maxx), max(maxy), max(maxy), layer))
    return len(frame)


def append_components(
    project_path: str | os.PathLike,
    frame: gpd.GeoDataFrame,
    classes: dict[str, CodeClass],
    progress: Progress | None = None,
) -> dict[str, int]:
    """Append components in one transaction (all or nothing); return rows written per layer."""
    if not len(frame):
        return {}
    ensure_layers(project_path)
    try:
        with write_transaction(project_path) as con:
            return insert_components(con, frame, classes)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"writing components failed, nothing was kept: {exc}",
                         source=os.fspath(project_path)) from exc


def insert_rows(con, table: str, frame: pd.DataFrame) -> None:
    """Insert a frame into an attribute table with plain executemany (stays in the caller's transaction)."""
    if not len(frame):
        return
    cols = list(frame.columns)
    values = [_pylist(frame[c]) if frame[c].dtype == object else frame[c].astype(object).where(frame[c].notna(), None).tolist()
              for c in cols]
    con.executemany(f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})',
                    zip(*values, strict=True))


def _history_rows(old: gpd.GeoDataFrame, date: str, reason: str) -> pd.DataFrame:
    attrs = [
        json.dumps({c: (None if pd.isna(v) else v) for c, v in zip(ATTRIBUTE_COLUMNS, row, strict=True)},
                   ensure_ascii=False)
        for row in old[ATTRIBUTE_COLUMNS].itertuples(index=False, name=None)
    ]
    return pd.DataFrame({
        "obj_id": old["obj_id"].to_numpy(),
        "valid_from": old["change_date"].fillna(old["init_date"]).to_numpy(),
        "valid_to": date,
        "change_date": date,
        "reason": reason,
        "recorded_at": now_iso(),
        "layer": old["layer"].to_numpy(),
        "geom_wkb": list(shapely.to_wkb(old.geometry.to_numpy())),
        "attributes": attrs,
    })


def read_full(project_path: str | os.PathLike, obj_ids: list[str]) -> gpd.GeoDataFrame:
    """Current rows (with geometry, layer, fid) for the given IDs."""
    frames = []
    for start in range(0, len(obj_ids), _IN_CHUNK):
        chunk = obj_ids[start:start + _IN_CHUNK]
        where = "obj_id IN (" + ",".join("'" + str(i).replace("'", "''") + "'" for i in chunk) + ")"
        part = read_components(project_path, where=where)
        if part is not None:
            frames.append(part)
    if not frames:
        return gpd.GeoDataFrame(columns=COMPONENT_COLUMNS + ["fid", "layer", "geometry"], geometry="geometry")
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=frames[0].crs)


def replace_versions(
    project_path: str | os.PathLike,
    old: pd.DataFrame,
    new: gpd.GeoDataFrame,
    classes: dict[str, CodeClass],
    *,
    date: str,
    reason: str,
) -> int:
    """Replace components by new versions, keeping the old ones in ``component_history``.

    ``old`` needs ``obj_id``; ``new`` holds the new rows (same ``obj_id``). The
    initial date is kept and ``change_date`` becomes ``date``.
    """
    if not len(new):
        return 0
    full = read_full(project_path, list(old["obj_id"]))
    full = full.set_index("obj_id", drop=False)
    new = new.copy()
    new["init_date"] = full.loc[new["obj_id"], "init_date"].to_numpy()
    new["change_date"] = date
    hist = _history_rows(full.loc[new["obj_id"]].reset_index(drop=True), date, reason)
    ensure_layers(project_path)
    with connect(project_path) as con:
        ensure_attribute_tables(con)
    with write_transaction(project_path) as con:
        for kind, layer in LAYERS.items():
            fids = full.loc[full["layer"] == kind, "fid"].astype(int).tolist()
            if fids:
                con.executemany(f'DELETE FROM "{layer}" WHERE fid = ?', [(f,) for f in fids])
        insert_components(con, new, classes)
        insert_rows(con, HISTORY, hist)
    return len(new)


def change_component(
    project_path: str | os.PathLike,
    obj_id: str,
    changes: dict[str, str],
    *,
    date: str | None = None,
    reason: str,
    geometry=None,
    classes: dict[str, CodeClass] | None = None,
) -> gpd.GeoDataFrame:
    """Change one component's attributes and/or geometry on ``date`` for ``reason``.

    The previous version goes to ``component_history``. A new geometry is
    re-assigned to its grid cell. Returns the new current row.
    """
    from ..codes import load_classes
    from ..project import read_project_meta
    from .assign import assign_geometries
    from .importer import cell_index, import_key

    if not reason:
        raise InputError("a change needs a reason (变更原因)")
    date = date or _dt.date.today().isoformat()
    _check_date(date)
    bad = [k for k in changes if k not in ATTRIBUTE_COLUMNS or k in ("obj_id", "init_date", "change_date")]
    if bad:
        raise InputError(f"cannot change field {bad[0]!r}", field=bad[0])
    current = read_full(project_path, [obj_id])
    if not len(current):
        raise InputError(f"no component with ID {obj_id}", source=os.fspath(project_path), field="obj_id")
    if classes is None:
        classes = load_classes("component", read_project_meta(project_path).get("profile", "2013"))
    row = current.iloc[[0]].copy()
    since = row["change_date"].fillna(row["init_date"]).iloc[0]
    if since and date < since:
        raise InputError(f"change date {date} is before the current version's date {since}", field="change_date")
    for key, value in changes.items():
        row[key] = value
    if "class_code" in changes:
        if changes["class_code"] not in classes:
            raise InputError(f"unknown class code {changes['class_code']}", field="class_code")
        if changes["class_code"] != current["class_code"].iloc[0]:
            raise InputError("a component cannot change class; retire it and import a new one", field="class_code")
    if geometry is not None:
        row = row.set_geometry(gpd.GeoSeries([geometry], index=row.index, crs=row.crs))
        index, cells = cell_index(os.fspath(project_path))
        cell = assign_geometries(index, row.geometry.to_numpy())[0]
        if cell < 0:
            raise InputError("new geometry is outside every grid cell", field="geometry")
        for col, src in (("grid_code", "code"), ("street_code", "street_code"), ("community_code", "community_code")):
            row[col] = cells[src].iloc[cell]
        row["import_key"] = import_key(row["class_code"], row.geometry.to_numpy())
    replace_versions(project_path, current.iloc[[0]], row, classes, date=date, reason=reason)
    return read_full(project_path, [obj_id])


def _check_date(date: str) -> None:
    try:
        _dt.date.fromisoformat(date)
    except ValueError as exc:
        raise InputError(f"bad date {date!r}; use YYYY-MM-DD", field="date") from exc


def as_of(
    project_path: str | os.PathLike, date: str, obj_ids: list[str] | None = None
) -> gpd.GeoDataFrame:
    """What the components looked like on ``date`` (YYYY-MM-DD).

    Components created after ``date`` are absent; changed ones show the version
    valid on that day.
    """
    _check_date(date)
    crs = project_crs(project_path)
    where = f"coalesce(change_date, init_date) <= '{date}' AND init_date <= '{date}'"
    if obj_ids is not None:
        current = read_full(project_path, obj_ids)
        if len(current):
            since = current["change_date"].fillna(current["init_date"])
            current = current[(since <= date) & (current["init_date"] <= date)]
    else:
        current = read_components(project_path, where=where)
    frames = [] if current is None or not len(current) else [current.drop(columns=["fid"], errors="ignore")]
    with connect(project_path) as con:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE name=?", (HISTORY,)).fetchone()
        hist = pd.DataFrame()
        if has:
            sql = f"SELECT * FROM {HISTORY} WHERE valid_from <= ? AND valid_to > ?"
            params: list = [date, date]
            hist = pd.read_sql_query(sql, con, params=params)
            if obj_ids is not None:
                hist = hist[hist["obj_id"].isin(obj_ids)]
    if len(hist):
        attrs = pd.DataFrame([json.loads(a) for a in hist["attributes"]])
        attrs["layer"] = hist["layer"].to_numpy()
        geo = gpd.GeoDataFrame(attrs, geometry=shapely.from_wkb(hist["geom_wkb"].to_numpy()), crs=crs)
        frames.append(geo)
    if not frames:
        return gpd.GeoDataFrame(columns=ATTRIBUTE_COLUMNS + ["layer", "geometry"], geometry="geometry", crs=crs)
    out = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=crs)


def history(project_path: str | os.PathLike, obj_id: str) -> pd.DataFrame:
    """Every version of one component, oldest first, with validity interval and reason."""
    with connect(project_path) as con:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE name=?", (HISTORY,)).fetchone()
        hist = pd.read_sql_query(
            f"SELECT valid_from, valid_to, reason, attributes FROM {HISTORY} WHERE obj_id=? ORDER BY valid_from, h_id",
            con, params=[obj_id]) if has else pd.DataFrame(columns=["valid_from", "valid_to", "reason", "attributes"])
    rows = []
    for rec in hist.itertuples(index=False):
        attrs = json.loads(rec.attributes)
        rows.append({"valid_from": rec.valid_from, "valid_to": rec.valid_to, "reason": rec.reason,
                     **{k: attrs.get(k) for k in VERSIONED_FIELDS}})
    current = read_full(project_path, [obj_id])
    if len(current):
        cur = current.iloc[0]
        rows.append({"valid_from": cur["change_date"] or cur["init_date"], "valid_to": None, "reason": "current",
                     **{k: cur[k] for k in VERSIONED_FIELDS}})
    if not rows:
        raise InputError(f"no component with ID {obj_id}", source=os.fspath(project_path), field="obj_id")
    return pd.DataFrame(rows)


def reassign(
    project_path: str | os.PathLike,
    *,
    date: str | None = None,
    reason: str = "grid re-assignment (单元网格调整)",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Re-assign every stored component to the current active grid cells.

    Run after the grid changes. Components whose cell changed get the new
    ``grid_code``, ``street_code`` and ``community_code`` and a history entry;
    components now outside every cell keep their old codes and are counted as
    ``outside`` (they need attention, not silent loss). Geometry is not touched.
    """
    from .assign import assign_geometries
    from .importer import cell_index

    progress = ensure_progress(progress)
    date = date or _dt.date.today().isoformat()
    _check_date(date)
    comps = read_components(project_path)
    if comps is None or not len(comps):
        return {"checked": 0, "changed": 0, "outside": 0}
    index, cells = cell_index(os.fspath(project_path))
    cell = assign_geometries(index, comps.geometry.to_numpy(), progress.sub(0, 70))
    found = cell >= 0
    new_grid = np.where(found, cells["code"].to_numpy(object)[np.maximum(cell, 0)], None)
    changed = found & (new_grid != comps["grid_code"].to_numpy(object))
    result = {"checked": len(comps), "changed": int(changed.sum()), "outside": int((~found).sum())}
    if not changed.any():
        return result
    old = comps[changed].reset_index(drop=True)
    hist = _history_rows(old, date, reason)
    rows = [cells[src].to_numpy(object)[cell[changed]] for src in ("code", "street_code", "community_code")]
    updates = list(zip(*rows, [date] * len(old), old["fid"].astype(int).tolist(), strict=True))
    with connect(project_path) as setup:
        ensure_attribute_tables(setup)
    setup.close()
    with write_transaction(project_path) as con:
        for kind, layer in LAYERS.items():
            mask = (old["layer"] == kind).to_numpy()
            if mask.any():
                con.executemany(
                    f'UPDATE "{layer}" SET grid_code=?, street_code=?, community_code=?, change_date=? WHERE fid=?',
                    [u for u, m in zip(updates, mask, strict=True) if m],
                )
        insert_rows(con, HISTORY, hist)
    progress.set_percent(100)
    return result
