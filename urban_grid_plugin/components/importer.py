"""Import survey batches of components (部件普查数据) into the project.

``import_components`` reads one or more files (GeoPackage, Shapefile, GeoJSON, CSV
with x/y), renames the city's columns through a mapping file, validates every row,
assigns each component to its unit grid cell and community, gives it a standard
ID and writes it. Rows that fail go to ``component_quarantine`` with the reason,
file, row number and field. Re-importing the same batch changes nothing.

Row numbers are 1-based feature numbers (for a CSV: data rows, header excluded).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from ..codes import CLASS_CODE_LENGTH, CodeClass, load_classes
from ..errors import InputError
from ..progress import Progress, ensure_progress
from ..project import read_project_meta
from . import ids as _ids
from .assign import CellIndex, assign_geometries
from .mapping import Mapping, load_mapping, resolve_columns
from .schema import (
    ATTRIBUTE_COLUMNS,
    DEFAULT_STATE,
    QUARANTINE,
    QUARANTINE_COLUMNS,
    STATES,
    connect,
    ensure_attribute_tables,
    now_iso,
)
from .store import (
    content_key,
    ensure_layers,
    insert_components,
    insert_rows,
    read_components,
    replace_versions,
    write_transaction,
)

VECTOR_EXT = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".gml", ".kml")
DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d")
#: shapely type ids accepted per class geometry (Multi* allowed for lines and polygons)
_TYPE_IDS = {"point": (0,), "line": (1, 5), "polygon": (3, 6)}


@dataclass
class ImportResult:
    """What an import did; ``quarantined`` counts rows by reason."""

    batch_id: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    #: The first rejected rows (file, row, field, reason, value), to show without opening the table.
    sample: pd.DataFrame | None = None

    @property
    def quarantine_count(self) -> int:
        """Rows rejected in total."""
        return sum(self.quarantined.values())

    def summary(self) -> str:
        """One readable paragraph for the command line and the Processing log."""
        lines = [
            f"read {self.read} rows: {self.inserted} new, {self.updated} changed, "
            f"{self.unchanged} unchanged, {self.quarantine_count} quarantined"
            + (" (dry run, nothing written)" if self.dry_run else "")
        ]
        for reason, n in sorted(self.quarantined.items(), key=lambda kv: -kv[1]):
            lines.append(f"  quarantine: {n} × {reason}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- reading


def _file_crs(path: str, mapping: Mapping) -> CRS | None:
    """The CRS a file's coordinates are in (mapping's ``crs`` wins for CSV)."""
    if path.lower().endswith(".csv"):
        return CRS.from_user_input(mapping.crs) if mapping.crs else None
    try:
        info = pyogrio.read_info(path, layer=mapping.layer)
    except Exception as exc:  # pyogrio raises several error types for broken files
        raise InputError(f"cannot open file: {exc}", source=path) from exc
    if info.get("crs"):
        return CRS.from_user_input(info["crs"])
    return CRS.from_user_input(mapping.crs) if mapping.crs else None


@dataclass
class _Source:
    """One input file of a batch, checked and ready to stream."""

    path: str
    fields: dict[str, str]
    rows: int | None  # feature count; None for CSV (known only once read)


def open_batch(paths: list[str], mapping: Mapping) -> tuple[list[_Source], CRS]:
    """Check every file of a batch before anything is read or written.

    Files must exist and open, the mapping's columns must exist in each, and all
    files must share one CRS (a mixed-CRS batch is an :class:`InputError`, since it
    usually means part of a survey was exported differently).
    """
    crss: dict[str, CRS] = {}
    sources = []
    for path in paths:
        if not os.path.exists(path):
            raise InputError("input file not found", source=path)
        if path.lower().endswith(".csv") and not (mapping.x and mapping.y and mapping.crs):
            raise InputError("a CSV needs a mapping file naming its 'x' and 'y' columns and their 'crs'",
                             source=mapping.source or path)
        crs = _file_crs(path, mapping)
        if crs is None:
            raise InputError("input has no CRS; add a .prj or set 'crs' in the mapping file", source=path)
        crss[path] = crs
        if path.lower().endswith(".csv"):
            try:
                header = list(pd.read_csv(path, dtype=str, nrows=0, encoding="utf-8-sig").columns)
            except Exception as exc:  # empty file, bad encoding ...
                raise InputError(f"cannot read CSV header ({type(exc).__name__}: {exc})", source=path) from exc
            sources.append(_Source(path, resolve_columns(mapping, header, path), None))
        else:
            try:
                info = pyogrio.read_info(path, layer=mapping.layer)
            except Exception as exc:  # pyogrio raises several error types for broken files
                raise InputError(f"cannot open file: {exc}", source=path) from exc
            sources.append(_Source(path, resolve_columns(mapping, list(info["fields"]), path),
                                   int(info["features"])))
    first = next(iter(crss.values()))
    for path, crs in crss.items():
        if not crs.equals(first):
            raise InputError(
                f"mixed CRS in one batch: {os.path.basename(paths[0])} is {first.to_string()}, "
                f"this file is {crs.to_string()}; import them as separate batches",
                source=path,
            )
    return sources, first


def iter_chunks(sources: list[_Source], mapping: Mapping, crs: CRS,
                chunk_rows: int) -> Iterator[gpd.GeoDataFrame]:
    """Stream a batch as frames of at most ``chunk_rows`` standard-field rows.

    A file that breaks while being read (a truncated GeoPackage, say) raises
    :class:`InputError` naming it; the caller undoes what earlier chunks wrote.
    """
    for src in sources:
        try:
            if src.rows is None:
                reader = pd.read_csv(src.path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                                     chunksize=chunk_rows)
                start = 0
                for raw in reader:
                    x = pd.to_numeric(map_distinct(raw[mapping.x], str.strip), errors="coerce").to_numpy(float)
                    y = pd.to_numeric(map_distinct(raw[mapping.y], str.strip), errors="coerce").to_numpy(float)
                    geom = shapely.points(x, y)
                    geom[~(np.isfinite(x) & np.isfinite(y))] = None
                    yield _standardise(raw, geom, src, mapping, crs, start)
                    start += len(raw)
            else:
                columns = sorted(set(src.fields.values()))
                for start in range(0, max(src.rows, 1), chunk_rows):
                    raw = pyogrio.read_dataframe(src.path, layer=mapping.layer, columns=columns,
                                                 skip_features=start, max_features=chunk_rows,
                                                 use_arrow=True)
                    yield _standardise(raw, raw.geometry.to_numpy(), src, mapping, crs, start)
        except InputError:
            raise
        except Exception as exc:  # truncated GeoPackage, broken GeoJSON, unreadable CSV ...
            raise InputError(f"cannot read input file ({type(exc).__name__}: {exc}); nothing was imported",
                             source=src.path) from exc


def read_batch(paths: list[str], mapping: Mapping) -> tuple[gpd.GeoDataFrame, CRS]:
    """Read a whole batch into one frame of standard fields (for small batches and tests)."""
    sources, crs = open_batch(paths, mapping)
    frames = list(iter_chunks(sources, mapping, crs, 10**9))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=crs), crs


def _standardise(raw: pd.DataFrame, geom: np.ndarray, src: _Source, mapping: Mapping, crs: CRS,
                 start: int) -> gpd.GeoDataFrame:
    """Mapped columns renamed to the standard fields, as text; ``source_file``/``source_row`` added."""
    out = {}
    index = pd.RangeIndex(len(raw))
    for std in ATTRIBUTE_COLUMNS:
        col = src.fields.get(std)
        if col is None:
            default = mapping.defaults.get(std)
            out[std] = pd.Series(default if default is not None else None, index=index, dtype=object)
        else:
            out[std] = _as_text(raw[col].reset_index(drop=True))
    frame = pd.DataFrame(out, index=index)
    frame["source_file"] = os.path.basename(src.path)
    frame["source_row"] = np.arange(start + 1, start + len(frame) + 1, dtype=np.int64)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geom, index=index, crs=crs), crs=crs)


def _as_text(series: pd.Series) -> pd.Series:
    """Column values as stripped strings, None for empty; integers without '.0'.

    Survey columns repeat few distinct values (classes, states, dates), so the
    Python-level cleaning runs once per distinct value, not once per row.
    """
    if pd.api.types.is_float_dtype(series):
        valid = series.notna()
        text = pd.Series(None, index=series.index, dtype=object)
        as_int = valid & (series == series.round())
        text[as_int] = series[as_int].astype(np.int64).astype(str)
        text[valid & ~as_int] = series[valid & ~as_int].astype(str)
        return text
    if pd.api.types.is_integer_dtype(series):
        return series.astype(str).astype(object)
    return map_distinct(series, lambda v: str(v).strip() or None)


def map_distinct(series: pd.Series, func) -> pd.Series:
    """Apply ``func`` to each distinct non-null value and spread the results back (None for null)."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    done = np.empty(len(uniques) + 1, dtype=object)
    done[:-1] = [func(u) for u in uniques]
    done[-1] = None
    return pd.Series(done[codes], index=series.index, dtype=object)


# --------------------------------------------------------------------------- validation


def _parse_date(value: str) -> str | None:
    """One date as YYYY-MM-DD, or None when it is not a valid date in an accepted format."""
    for fmt in DATE_FORMATS:
        if len(value) != (8 if fmt == "%Y%m%d" else 10):  # strptime would accept 1-digit months
            continue
        try:
            return _dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalise dates to YYYY-MM-DD; return (normalised, bad-mask). Parsed once per distinct value."""
    norm = map_distinct(values, _parse_date)
    return norm, values.notna() & norm.isna()


class _Rejects:
    """Collects the first reason each row is rejected."""

    def __init__(self, n: int) -> None:
        self.reason = np.full(n, None, dtype=object)
        self.field = np.full(n, None, dtype=object)

    def add(self, mask: np.ndarray, reason: str | np.ndarray, field_name: str | None) -> None:
        mask = np.asarray(mask, dtype=bool) & (self.reason == None)  # noqa: E711 - elementwise
        if isinstance(reason, np.ndarray):
            self.reason[mask] = reason[mask]
        else:
            self.reason[mask] = reason
        self.field[mask] = field_name

    @property
    def ok(self) -> np.ndarray:
        return self.reason == None  # noqa: E711 - elementwise


def validate_rows(
    frame: gpd.GeoDataFrame, classes: dict[str, CodeClass], profile: str
) -> tuple[gpd.GeoDataFrame, _Rejects]:
    """Check every row; normalise codes and dates in place. Returns the frame and rejects."""
    n = len(frame)
    rej = _Rejects(n)
    width = CLASS_CODE_LENGTH[profile]
    # a class code stored as a number loses its leading zero
    frame["class_code"] = map_distinct(
        frame["class_code"], lambda c: c.zfill(width) if c.isdigit() and len(c) < width else c)
    cls = frame["class_code"]
    geom = frame.geometry.to_numpy()
    missing_geom = shapely.is_missing(geom) | shapely.is_empty(geom)
    rej.add(missing_geom, "missing required field: geometry (x/y)", "geometry")
    rej.add(cls.isna().to_numpy(), "missing required field: class_code", "class_code")
    rej.add(frame["init_date"].isna().to_numpy(), "missing required field: init_date", "init_date")
    known = cls.isin(list(classes)).to_numpy()
    rej.add(~known, "unknown class code", "class_code")
    # geometry type must fit the class
    gtype = np.asarray(shapely.get_type_id(geom))
    want = cls.map({c: k.geometry for c, k in classes.items()}).to_numpy(object)
    fits = np.zeros(n, dtype=bool)
    for kind, accepted in _TYPE_IDS.items():
        fits |= (want == kind) & np.isin(gtype, accepted)
    if (~fits).any():
        reason = np.array([f"geometry type does not fit the class (needs {w})" for w in want], dtype=object)
        rej.add(~fits, reason, "geometry")
    rej.add(~shapely.is_valid(geom) & ~missing_geom, "invalid geometry", "geometry")
    # dates
    for col in ("init_date", "change_date"):
        norm, bad = _parse_dates(frame[col])
        rej.add(bad.to_numpy(), f"bad date (use YYYY-MM-DD or YYYYMMDD): {col}", col)
        frame[col] = norm.where(~bad, frame[col])  # keep the bad text for the quarantine
    # state
    state = frame["obj_state"].fillna(DEFAULT_STATE)
    frame["obj_state"] = state
    rej.add(~state.isin(STATES).to_numpy(), f"unknown state (use {'/'.join(STATES)})", "obj_state")
    # IDs
    if frame["obj_id"].notna().any():
        prob = _ids.id_problems(frame["obj_id"], frame["class_code"], profile)
        bad = (prob != "").to_numpy()
        rej.add(bad, ("malformed ID: " + prob).to_numpy(object), "obj_id")
        dup = frame["obj_id"].notna() & frame["obj_id"].duplicated(keep="first")
        rej.add(dup.to_numpy(), "duplicate ID in batch", "obj_id")
    return frame, rej


def import_key(class_code: pd.Series, geoms: np.ndarray) -> np.ndarray:
    """A 63-bit content key from class and geometry, rounded to 1 cm.

    Two rows with the same class at the same place (to the centimetre) are the same
    component, so re-importing a batch without IDs finds what is already there.
    """
    kind = shapely.get_type_id(geoms)
    c = shapely.centroid(geoms[kind != 0]) if (kind != 0).any() else None
    x = np.empty(len(geoms))
    y = np.empty(len(geoms))
    pt = kind == 0
    x[pt], y[pt] = shapely.get_x(geoms[pt]), shapely.get_y(geoms[pt])
    extra = np.zeros(len(geoms), dtype=np.uint64)
    if c is not None:
        x[~pt], y[~pt] = shapely.get_x(c), shapely.get_y(c)
        size = np.where(np.isin(kind[~pt], (3, 6)), shapely.area(geoms[~pt]), shapely.length(geoms[~pt]))
        extra[~pt] = np.round(size * 100).astype(np.int64).astype(np.uint64) + shapely.get_num_coordinates(geoms[~pt]).astype(np.uint64)
    xi = np.round(x * 100).astype(np.int64).astype(np.uint64)
    yi = np.round(y * 100).astype(np.int64).astype(np.uint64)
    ci = pd.to_numeric(map_distinct(class_code, lambda c: int(c) if c.isdigit() else 0), errors="coerce")
    ci = ci.fillna(0).astype(np.int64).to_numpy().astype(np.uint64)
    with np.errstate(over="ignore"):
        h = xi * np.uint64(0x9E3779B97F4A7C15)
        h ^= yi + np.uint64(0x7F4A7C15) + (h << np.uint64(6)) + (h >> np.uint64(2))
        h ^= ci * np.uint64(0xC2B2AE3D27D4EB4F) + (h << np.uint64(6)) + (h >> np.uint64(2))
        h ^= extra * np.uint64(0x165667B19E3779F9) + (h << np.uint64(6)) + (h >> np.uint64(2))
    return (h >> np.uint64(1)).astype(np.int64)


# --------------------------------------------------------------------------- the import


def read_cells(project_path: str) -> gpd.GeoDataFrame:
    """Active unit grid cells from the grid capability (or straight from ``grid_cell``)."""
    try:
        from ..grid.store import read_active_cells
    except ImportError:  # grid capability not installed: read the contract table directly
        read_active_cells = None
    if read_active_cells is not None:
        return read_active_cells(project_path)
    layers = {name for name, _ in pyogrio.list_layers(project_path)}
    if "grid_cell" not in layers:
        raise InputError("project has no unit grid yet; run 'urbangrid grid build' first", source=project_path)
    return pyogrio.read_dataframe(project_path, layer="grid_cell", where="term_date IS NULL",
                                  columns=["code", "community_code", "street_code", "district_code"])


_INDEX_CACHE: dict[tuple, tuple[CellIndex, gpd.GeoDataFrame]] = {}


def cell_index(project_path: str) -> tuple[CellIndex, gpd.GeoDataFrame]:
    """The cell index for a project, cached while its grid is unchanged.

    The key looks at ``grid_cell`` only (last change, active count, highest fid),
    so writing components does not throw the index away.
    """
    key = (os.path.abspath(project_path), *_grid_state(project_path))
    hit = _INDEX_CACHE.get(key)
    if hit is None:
        cells = read_cells(project_path).reset_index(drop=True)
        if len(cells) == 0:
            raise InputError("project has no active grid cells", source=project_path)
        hit = (CellIndex(cells.geometry.to_numpy()), cells)
        _INDEX_CACHE.clear()
        _INDEX_CACHE[key] = hit
    return hit


def _grid_state(project_path: str) -> tuple:
    """A cheap fingerprint of the active grid cells."""
    with connect(project_path) as con:
        try:
            changed = con.execute(
                "SELECT last_change FROM gpkg_contents WHERE table_name = 'grid_cell'").fetchone()
            count = con.execute(
                "SELECT count(*), coalesce(max(fid), 0) FROM grid_cell WHERE term_date IS NULL").fetchone()
        except Exception:  # no grid yet: read_cells reports it properly
            return (os.stat(project_path).st_mtime_ns,)
    con.close()
    return (changed, *count)


CHUNK_ROWS = 500_000


@dataclass
class _Context:
    """What every chunk of one import needs."""

    classes: dict[str, CodeClass]
    profile: str
    target: CRS
    index: CellIndex
    cells: gpd.GeoDataFrame
    batch_id: str
    by_id: pd.Series | None = None  # existing obj_id -> (import_key, content_key) position
    by_key: pd.Series | None = None
    existing: pd.DataFrame | None = None
    seen_keys: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    seen_ids: set = field(default_factory=set)


def import_components(
    project_path: str | os.PathLike,
    paths: list[str | os.PathLike] | str | os.PathLike,
    *,
    mapping: str | os.PathLike | Mapping | None = None,
    codes_extension: str | os.PathLike | None = None,
    change_date: str | None = None,
    reason: str | None = None,
    dry_run: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a batch of component files into the project.

    Every row is validated (class code known, geometry type fits the class, inside
    a grid cell, required fields present, dates valid, ID well formed); failures go
    to ``component_quarantine``. Valid rows are assigned to their grid cell and
    community and get a standard ID unless they carry a valid one. Rows matching an
    existing component (same ID, or same class and place) update it with a history
    entry when something changed and are skipped otherwise.

    The batch streams in chunks of ``chunk_rows`` so memory stays bounded at
    millions of rows. If anything fails, rows already appended are removed again.
    """
    progress = ensure_progress(progress)
    project_path = os.fspath(project_path)
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [os.fspath(p) for p in paths]
    meta = read_project_meta(project_path)
    profile = meta.get("profile", "2013")
    mp = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    classes = load_classes("component", profile, codes_extension)
    when = change_date or _dt.date.today().isoformat()
    result = ImportResult(batch_id=str(uuid.uuid4()), dry_run=dry_run)
    sources, crs = open_batch(paths, mp)
    index, cells = cell_index(project_path)
    ctx = _Context(classes, profile, CRS.from_user_input(meta["crs"]), index, cells, result.batch_id)
    if not crs.equals(ctx.target):
        progress.info(f"reprojecting from {crs.to_string()} to {ctx.target.to_string()}")
    if not dry_run:
        ensure_layers(project_path)  # also adds columns missing from layers made elsewhere
    existing = read_components(project_path, columns=["obj_id", "import_key", "content_key"], geometry=False)
    if existing is not None and len(existing):
        existing["import_key"] = pd.to_numeric(existing["import_key"]).fillna(-1).astype(np.int64)
        existing["content_key"] = pd.to_numeric(existing["content_key"]).fillna(0).astype(np.int64)
        ctx.existing = existing
        positions = np.arange(len(existing))
        ctx.by_id = pd.Series(positions, index=existing["obj_id"].to_numpy(object))
        ctx.by_key = pd.Series(positions, index=existing["import_key"].to_numpy(np.int64))
        ctx.by_key = ctx.by_key[~ctx.by_key.index.duplicated()]
    total = sum(s.rows or 0 for s in sources) or None
    quarantines, updates = [], []
    if not dry_run:
        ensure_layers(project_path)
        with connect(project_path) as setup:
            ensure_attribute_tables(setup)
        setup.close()
    # the whole batch is one transaction: all or nothing (a dry run writes nothing)
    with contextlib.nullcontext() if dry_run else write_transaction(project_path) as con:
        registry = _ids.read_registry(con) if con is not None else {}
        changed_registry: dict[str, int] = {}
        if con is not None and ctx.existing is not None:
            # IDs already in the project (perhaps written by another tool) count as issued
            seen = _ids.max_serials(ctx.existing["obj_id"])
            for prefix, serial in seen.items():
                if serial > registry.get(prefix, 0):
                    registry[prefix] = changed_registry[prefix] = serial
        for chunk in iter_chunks(sources, mp, crs, chunk_rows):
            progress.check()
            result.read += len(chunk)
            quarantine, new, new_district, upd, unchanged = _process_chunk(chunk, ctx)
            quarantines.append(quarantine)
            result.unchanged += unchanged
            if upd is not None:
                updates.append(upd)
                result.updated += len(upd[1])
            result.inserted += len(new)
            if con is not None and len(new):
                need = new["obj_id"].isna().to_numpy()
                prefixes = (pd.Series(new_district[need], dtype=object).astype(str).to_numpy(object)
                            + new["class_code"].to_numpy(object)[need])
                issued, changed = _ids.issue_ids(prefixes, registry, new["obj_id"].dropna().to_numpy(object))
                registry.update(changed)
                changed_registry.update(changed)
                new.loc[need, "obj_id"] = issued
                insert_components(con, new, classes)
            if total:
                progress.set_percent(95.0 * min(result.read, total) / total)
        quarantine = pd.concat(quarantines, ignore_index=True) if quarantines else _quarantine_frame(None, None, "")
        for r, n in quarantine["reason"].value_counts().items():
            result.quarantined[str(r)] = int(n)
        result.sample = quarantine[["source_file", "source_row", "field", "reason", "value"]].head(20)
        if con is None:
            return result
        _ids.write_registry(con, changed_registry)
        con.execute(f"DELETE FROM {QUARANTINE} WHERE source_file IN ({','.join('?' * len(paths))})",
                    [os.path.basename(p) for p in paths])
        insert_rows(con, QUARANTINE, quarantine)
    from .census import install_component_styles

    install_component_styles(project_path)  # QGIS opens the layers styled, scale limits included
    why = reason or f"import of {', '.join(os.path.basename(p) for p in paths)}"
    for old, inc in updates:
        replace_versions(project_path, old, inc, classes, date=when, reason=why)
    progress.set_percent(100)
    return result


def _process_chunk(frame: gpd.GeoDataFrame, ctx: _Context):
    """Validate, assign and match one chunk.

    Returns ``(quarantine rows, new rows, their district codes, (old, new) updates or None,
    unchanged count)``.
    """
    if not frame.crs.equals(ctx.target):
        valid_geom = frame.geometry.notna()
        frame.loc[valid_geom, "geometry"] = frame.geometry[valid_geom].to_crs(ctx.target)
        frame = frame.set_crs(ctx.target, allow_override=True)
    frame, rej = validate_rows(frame, ctx.classes, ctx.profile)
    geoms = frame.geometry.to_numpy()
    cell_no = np.full(len(frame), -1, dtype=np.int64)
    ok = rej.ok
    if ok.any():
        cell_no[ok] = assign_geometries(ctx.index, geoms[ok])
    rej.add(ok & (cell_no < 0), "outside every grid cell", "geometry")
    where = np.maximum(cell_no, 0)
    inside = cell_no >= 0
    for col, src in (("grid_code", "code"), ("street_code", "street_code"), ("community_code", "community_code")):
        frame[col] = np.where(inside, ctx.cells[src].to_numpy(object)[where], None)
    district = np.where(inside, ctx.cells["district_code"].to_numpy(object)[where], None)

    # defaults from the code table
    frame["major_code"] = map_distinct(frame["class_code"], lambda c: c[:2])
    name_of = {c: k.name for c, k in ctx.classes.items()}
    dept_of = {c: k.department for c, k in ctx.classes.items()}
    frame["obj_name"] = frame["obj_name"].fillna(frame["class_code"].map(name_of))
    frame["dept_name1"] = frame["dept_name1"].fillna(frame["class_code"].map(dept_of))
    keys = import_key(frame["class_code"], geoms)
    frame["import_key"] = keys
    frame["batch_id"] = ctx.batch_id

    # duplicates inside the batch: same ID, or same class at the same place without an ID
    ok = rej.ok
    given = frame["obj_id"].notna().to_numpy()
    if given.any():
        ids = frame["obj_id"].to_numpy(object)
        again = np.array([i in ctx.seen_ids for i in ids[given]], dtype=bool)
        dup_id = np.zeros(len(frame), dtype=bool)
        dup_id[np.flatnonzero(given)[again]] = True
        rej.add(ok & dup_id, "duplicate ID in batch", "obj_id")
        ctx.seen_ids.update(ids[given & rej.ok])
    pos = np.searchsorted(ctx.seen_keys, keys)
    earlier = (ctx.seen_keys[np.minimum(pos, len(ctx.seen_keys) - 1)] == keys) if len(ctx.seen_keys) else \
        np.zeros(len(keys), dtype=bool)
    dup_key = (earlier | pd.Series(keys).duplicated(keep="first").to_numpy()) & ~given
    rej.add(rej.ok & dup_key, "duplicate row in batch (same class at the same place)", "geometry")
    ok = rej.ok
    ctx.seen_keys = np.sort(np.concatenate([ctx.seen_keys, keys[ok & ~given]]), kind="stable")

    quarantine = _quarantine_frame(frame, rej, ctx.batch_id)
    good = frame[ok].reset_index(drop=True)
    good_district = district[ok]
    frame = None
    if ctx.existing is None:
        return quarantine, good, good_district, None, 0
    # match against what the project already holds
    pos = good["obj_id"].map(ctx.by_id)
    pos = pos.fillna(good["import_key"].map(ctx.by_key))
    matched = pos.notna().to_numpy()
    unchanged, upd = 0, None
    if matched.any():
        old = ctx.existing.iloc[pos[matched].astype(np.int64).to_numpy()].reset_index(drop=True)
        inc = good[matched].reset_index(drop=True)
        inc["obj_id"] = old["obj_id"].to_numpy()
        same = (content_key(inc) == old["content_key"].to_numpy(np.int64)) & \
            (inc["import_key"].to_numpy() == old["import_key"].to_numpy())
        unchanged = int(same.sum())
        if (~same).any():
            upd = (old[~same].reset_index(drop=True), inc[~same].reset_index(drop=True))
    new = good[~matched].reset_index(drop=True)
    return quarantine, new, good_district[~matched], upd, unchanged


def _quarantine_frame(frame: gpd.GeoDataFrame | None, rej: _Rejects | None, batch_id: str) -> pd.DataFrame:
    """Rejected rows in the quarantine table's shape (raw row kept as JSON)."""
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in QUARANTINE_COLUMNS})
    bad = np.flatnonzero(~rej.ok)
    sub = frame.iloc[bad]
    geom = sub.geometry.to_numpy()
    wkt = shapely.to_wkt(geom, rounding_precision=3)
    raw_cols = [c for c in ATTRIBUTE_COLUMNS if c in sub]
    raws = [json.dumps({k: v for k, v in zip(raw_cols, row, strict=True) if v is not None}, ensure_ascii=False)
            for row in sub[raw_cols].itertuples(index=False, name=None)]
    fields = rej.field[bad]
    values = [None if f in (None, "geometry") else sub.iloc[i][f] if f in sub else None for i, f in enumerate(fields)]
    out = pd.DataFrame({
        "batch_id": batch_id,
        "source_file": sub["source_file"].to_numpy(),
        "source_row": sub["source_row"].to_numpy(),
        "field": fields,
        "reason": rej.reason[bad],
        "value": values,
        "class_code": sub["class_code"].to_numpy(),
        "obj_id": sub["obj_id"].to_numpy(),
        "geom_wkt": wkt,
        "raw": raws,
        "quarantined_at": now_iso(),
    })
    return out[QUARANTINE_COLUMNS]
