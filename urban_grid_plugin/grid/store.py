"""Grid tables in the project GeoPackage (项目库), written atomically.

Tables owned here:

- ``community`` (MultiPolygon) 社区: ``community_code`` (12), ``name``, ``street_code`` (9),
  ``district_code`` (6).
- ``street`` (MultiPolygon) 街道, dissolved from communities: ``street_code``, ``name``,
  ``district_code``.
- ``grid_cell`` (Polygon) 单元网格: ``code`` (15, unique forever), ``community_code``,
  ``street_code``, ``district_code``, ``area_m2``, ``init_date``, ``term_date`` (NULL =
  active), ``note``.
- ``grid_history`` (no geometry): one row per created, retired, kept or edited cell
  with its ``reason``.
- ``grid_check`` (Point): one row per problem found by :mod:`.check`.

Every write goes first to a temporary GeoPackage next to the project and is then
copied in with one SQLite transaction through GDAL (so the GeoPackage R-tree
triggers run). If anything fails, the project is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile

import geopandas as gpd
import pandas as pd
import pyogrio

from ..errors import InputError, UrbanGridError
from ..io.styles import LAYERS_DIR, packaged_styles, store_default_styles
from ..project import project_crs

COMMUNITY = "community"
STREET = "street"
GRID_CELL = "grid_cell"
GRID_HISTORY = "grid_history"
GRID_CHECK = "grid_check"

CELL_COLUMNS = ["code", "community_code", "street_code", "district_code", "area_m2",
                "init_date", "term_date", "note"]
COMMUNITY_COLUMNS = ["community_code", "name", "street_code", "district_code"]
STREET_COLUMNS = ["street_code", "name", "district_code"]
HISTORY_COLUMNS = ["event_id", "code", "community_code", "action", "date", "reason", "detail"]
CHECK_COLUMNS = ["check_id", "problem", "label", "code", "other_code", "community_code", "detail",
                 "area_m2", "x", "y", "checked_at"]

GEOMETRY_TYPES = {
    COMMUNITY: "MultiPolygon",
    STREET: "MultiPolygon",
    GRID_CELL: "Polygon",
    GRID_CHECK: "Point",
}


def list_tables(project_path: str | os.PathLike) -> set[str]:
    """Names of the layers and attribute tables in the project."""
    if not os.path.exists(project_path):
        raise InputError("project GeoPackage not found", source=os.fspath(project_path))
    return {name for name, _ in pyogrio.list_layers(project_path)}


def read_table(project_path: str | os.PathLike, name: str, *, where: str | None = None,
               columns: list[str] | None = None) -> gpd.GeoDataFrame | pd.DataFrame | None:
    """Read one grid table, or None if the project does not hold it yet."""
    if name not in list_tables(project_path):
        return None
    frame = pyogrio.read_dataframe(project_path, layer=name, where=where, columns=columns)
    if name in GEOMETRY_TYPES and isinstance(frame, gpd.GeoDataFrame) and frame.crs is None:
        frame = frame.set_crs(project_crs(project_path))
    return frame


def read_active_cells(project_path: str | os.PathLike) -> gpd.GeoDataFrame:
    """Active unit grid cells (``term_date IS NULL``) for other capabilities.

    Returns a GeoDataFrame with ``code``, ``community_code``, ``street_code``,
    ``district_code`` and ``geometry`` in the project CRS. Raises
    :class:`InputError` when the project has no grid yet.
    """
    frame = read_table(project_path, GRID_CELL, where="term_date IS NULL",
                       columns=["code", "community_code", "street_code", "district_code"])
    if frame is None:
        raise InputError("project has no unit grid yet; run 'urbangrid grid build' first",
                         source=os.fspath(project_path))
    return frame[["code", "community_code", "street_code", "district_code", "geometry"]].reset_index(drop=True)


def read_cells(project_path: str | os.PathLike, *, active_only: bool = False) -> gpd.GeoDataFrame:
    """All grid cells (or only active ones), empty with the right columns if none."""
    frame = read_table(project_path, GRID_CELL, where="term_date IS NULL" if active_only else None)
    if frame is None:
        return empty_cells(project_crs(project_path))
    for column in CELL_COLUMNS:
        if column not in frame:
            frame[column] = None
    return frame[CELL_COLUMNS + ["geometry"]]


def empty_cells(crs) -> gpd.GeoDataFrame:
    """An empty ``grid_cell`` frame."""
    return gpd.GeoDataFrame({c: pd.Series(dtype=float if c == "area_m2" else object) for c in CELL_COLUMNS},
                            geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def _write_temp(path: str, name: str, frame: pd.DataFrame) -> None:
    """Write one table to the temporary GeoPackage."""
    if isinstance(frame, gpd.GeoDataFrame):
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG",
                                geometry_type=GEOMETRY_TYPES.get(name, "Unknown"),
                                promote_to_multi=GEOMETRY_TYPES.get(name, "").startswith("Multi"))
    else:
        pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG")


def _sql(ds, statement: str) -> None:
    """Run SQL through GDAL and turn a GDAL error into an exception."""
    from osgeo import gdal

    gdal.ErrorReset()
    result = ds.ExecuteSQL(statement)
    if result is not None:
        ds.ReleaseResultSet(result)
    if gdal.GetLastErrorType() >= gdal.CE_Failure:
        raise UrbanGridError(f"GeoPackage write failed: {gdal.GetLastErrorMsg()} ({statement[:80]})")


def _ensure_layer(ds, tmp_ds, name: str) -> tuple[list[str], str | None]:
    """Create ``name`` in the project like the temp layer if missing.

    Returns the attribute columns to copy and the project's geometry column.
    """
    from osgeo import ogr

    tmp_layer = tmp_ds.GetLayerByName(name)
    tmp_defn = tmp_layer.GetLayerDefn()
    layer = ds.GetLayerByName(name)
    if layer is None:
        geom_type = tmp_layer.GetGeomType()
        options = ["FID=fid"]
        if geom_type != ogr.wkbNone:
            options.append("GEOMETRY_NAME=geom")
        layer = ds.CreateLayer(name, tmp_layer.GetSpatialRef(), geom_type, options=options)
        if layer is None:
            raise UrbanGridError(f"cannot create table {name} in the project")
    have = {layer.GetLayerDefn().GetFieldDefn(i).GetName()
            for i in range(layer.GetLayerDefn().GetFieldCount())}
    columns = []
    for i in range(tmp_defn.GetFieldCount()):
        field = tmp_defn.GetFieldDefn(i)
        if field.GetName() not in have:
            layer.CreateField(ogr.FieldDefn(field.GetName(), field.GetType()))
        columns.append(field.GetName())
    return columns, (layer.GetGeometryColumn() or None)


def write_tables(project_path: str | os.PathLike, frames: dict[str, pd.DataFrame]) -> None:
    """Replace the rows of each table in ``frames`` in one transaction.

    The frames are written to a temporary GeoPackage first (fast, and any schema
    problem shows up before the project is touched), then copied in with
    ``DELETE`` + ``INSERT ... SELECT`` inside one transaction.
    """
    from osgeo import gdal

    project_path = os.fspath(project_path)
    project_crs(project_path)  # raises if not a project
    folder = os.path.dirname(os.path.abspath(project_path))
    fd, tmp = tempfile.mkstemp(prefix=".ug-grid-", suffix=".gpkg", dir=folder)
    os.close(fd)
    os.unlink(tmp)
    try:
        for name, frame in frames.items():
            _write_temp(tmp, name, frame)
        tmp_ds = gdal.OpenEx(tmp, gdal.OF_VECTOR)
        ds = gdal.OpenEx(project_path, gdal.OF_VECTOR | gdal.OF_UPDATE)
        if ds is None:
            raise InputError("cannot open project GeoPackage for writing", source=project_path)
        try:
            quoted_tmp = tmp.replace("'", "''")
            _sql(ds, f"ATTACH DATABASE '{quoted_tmp}' AS ugtmp")
            ds.StartTransaction()
            try:
                for name in frames:
                    columns, geom = _ensure_layer(ds, tmp_ds, name)
                    source_cols = list(columns)
                    tmp_geom = tmp_ds.GetLayerByName(name).GetGeometryColumn()
                    if geom and tmp_geom:
                        columns.append(geom)
                        source_cols.append(tmp_geom)
                    _sql(ds, f'DELETE FROM "{name}"')
                    if len(frames[name]):
                        cols = ", ".join(f'"{c}"' for c in columns)
                        src = ", ".join(f'"{c}"' for c in source_cols)
                        _sql(ds, f'INSERT INTO "{name}" ({cols}) SELECT {src} FROM ugtmp."{name}"')
                ds.CommitTransaction()
            except BaseException:
                ds.RollbackTransaction()
                raise
            finally:
                with contextlib.suppress(Exception):
                    _sql(ds, "DETACH DATABASE ugtmp")
        finally:
            ds = None
            tmp_ds = None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    styled = [name for name in frames if name in STYLED_TABLES]
    if styled:
        install_styles(project_path, styled)



# QML styles QGIS applies when it opens the project GeoPackage: the OGR provider
# reads the default style of a layer from the ``layer_styles`` table.
STYLED_TABLES = (COMMUNITY, STREET, GRID_CELL, GRID_CHECK)


def install_styles(project_path: str | os.PathLike, tables=STYLED_TABLES, layers_dir: str = LAYERS_DIR) -> int:
    """Store the QML styles of the grid layers in the project as their default styles.

    Returns how many styles were written; a missing ``layers/`` folder (e.g. a
    stripped install) is not an error, the layers then open unstyled.
    """
    return store_default_styles(project_path, packaged_styles(tables, layers_dir))
