"""Imagery tables in the project GeoPackage, written in one transaction.

``imagery_epoch`` (Polygon footprint) lists the registered epochs; ``change_candidate``
(Polygon 图斑) holds the detected candidates in the shape every capability codes against.
Writes go through OGR inside one transaction: either all rows land or none do.
"""

from __future__ import annotations

import os

import geopandas as gpd
import pandas as pd
import pyogrio

from ..errors import InputError, UrbanGridError
from ..project import project_crs

EPOCH_TABLE = "imagery_epoch"
CANDIDATE_TABLE = "change_candidate"

# (name, OGR type name); geometry column is always "geom".
EPOCH_FIELDS = [
    ("epoch_id", "String"), ("name", "String"), ("path", "String"), ("sensor", "String"),
    ("date", "String"), ("resolution_m", "Real"), ("crs", "String"), ("band_count", "Integer"),
    ("dsm_path", "String"), ("registered_at", "String"),
]
CANDIDATE_FIELDS = [
    ("candidate_id", "String"), ("area_m2", "Real"), ("confidence", "Real"),
    ("grid_code", "String"), ("street_code", "String"), ("community_code", "String"),
    ("list_status", "String"), ("list_ref", "String"), ("review_status", "String"),
    ("review_note", "String"), ("reviewed_by", "String"), ("reviewed_at", "String"),
    ("chip_before", "String"), ("chip_after", "String"), ("epoch_before", "String"),
    ("epoch_after", "String"), ("detector", "String"), ("detected_at", "String"),
    ("case_id", "String"),
]
CANDIDATE_COLUMNS = [name for name, _ in CANDIDATE_FIELDS]
LIST_STATUSES = ("new", "permitted", "known", "rebuilt")
REVIEW_STATUSES = ("pending", "confirmed", "rejected", "skipped")


def list_tables(project_path: str | os.PathLike) -> set[str]:
    """Layer names in the project GeoPackage."""
    if not os.path.exists(project_path):
        raise InputError("project GeoPackage not found", source=os.fspath(project_path))
    return {name for name, _ in pyogrio.list_layers(os.fspath(project_path))}


def read_layer(project_path: str | os.PathLike, name: str, where: str | None = None) -> gpd.GeoDataFrame | None:
    """Read one imagery layer, or None if it does not exist yet."""
    if name not in list_tables(project_path):
        return None
    frame = pyogrio.read_dataframe(os.fspath(project_path), layer=name, where=where)
    if isinstance(frame, gpd.GeoDataFrame) and frame.crs is None:
        frame = frame.set_crs(project_crs(project_path))
    return frame


def _ensure_layer(ds, name: str, fields: list[tuple[str, str]], srs):
    from osgeo import ogr

    layer = ds.GetLayerByName(name)
    if layer is None:
        layer = ds.CreateLayer(name, srs, ogr.wkbPolygon, options=["FID=fid", "GEOMETRY_NAME=geom"])
        if layer is None:
            raise UrbanGridError(f"cannot create table {name} in the project")
    defn = layer.GetLayerDefn()
    have = {defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())}
    for field, kind in fields:
        if field not in have:
            layer.CreateField(ogr.FieldDefn(field, getattr(ogr, f"OFT{kind}")))
    return layer


def write_rows(
    project_path: str | os.PathLike,
    name: str,
    frame: gpd.GeoDataFrame,
    fields: list[tuple[str, str]],
    *,
    delete_where: str | None = None,
) -> int:
    """Insert ``frame`` into ``name`` (after deleting ``delete_where`` rows) in one transaction.

    Geometries must already be in the project CRS. Returns the number of rows written.
    """
    from osgeo import gdal, ogr, osr

    project_path = os.fspath(project_path)
    crs = project_crs(project_path)
    srs = osr.SpatialReference()
    srs.ImportFromWkt(crs.to_wkt())
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ds = gdal.OpenEx(project_path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    if ds is None:
        raise InputError("cannot open project GeoPackage for writing", source=project_path)
    try:
        layer = _ensure_layer(ds, name, fields, srs)
        ds.StartTransaction()
        try:
            if delete_where:
                result = ds.ExecuteSQL(f'DELETE FROM "{name}" WHERE {delete_where}')
                if result is not None:
                    ds.ReleaseResultSet(result)
            defn = layer.GetLayerDefn()
            wkbs = frame.geometry.to_wkb() if len(frame) else []
            records = frame.drop(columns=frame.geometry.name).to_dict("records")
            for record, wkb in zip(records, wkbs, strict=True):
                feature = ogr.Feature(defn)
                for field, _kind in fields:
                    value = record.get(field)
                    if value is None or (isinstance(value, float) and pd.isna(value)):
                        feature.SetFieldNull(field)
                    else:
                        feature.SetField(field, value.item() if hasattr(value, "item") else value)
                feature.SetGeometry(ogr.CreateGeometryFromWkb(bytes(wkb)))
                if layer.CreateFeature(feature) != 0:
                    raise UrbanGridError(f"cannot write a row to {name}: {gdal.GetLastErrorMsg()}")
            ds.CommitTransaction()
        except BaseException:
            ds.RollbackTransaction()
            raise
    finally:
        ds = None
    return len(frame)
