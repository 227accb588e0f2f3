"""Imagery epochs (影像时相) registered in the project's ``imagery_epoch`` table."""

from __future__ import annotations

import datetime as _dt
import os
import uuid

import geopandas as gpd
import shapely
from rasterio.warp import transform_geom
from shapely.geometry import box, shape

from ..errors import InputError
from ..project import project_crs
from .raster import open_raster, raster_info, resolution_in_metres
from .store import EPOCH_FIELDS, EPOCH_TABLE, read_layer, write_rows

SENSORS = ("satellite", "drone", "aerial")


def _footprint(path: str, target_crs) -> object:
    """The raster's bounds as a polygon in ``target_crs`` (edges densified)."""
    with open_raster(path) as ds:
        outline = box(*ds.bounds)
        # Densify first: straight edges in one CRS are curves in another.
        outline = shapely.segmentize(outline, max(ds.bounds.right - ds.bounds.left,
                                                  ds.bounds.top - ds.bounds.bottom) / 32)
        out = transform_geom(ds.crs, target_crs.to_wkt(), outline.__geo_interface__)
    return shape(out)


def register_epoch(
    project_path: str | os.PathLike,
    path: str | os.PathLike,
    *,
    sensor: str,
    date: str,
    name: str | None = None,
    dsm_path: str | os.PathLike | None = None,
) -> dict:
    """Check a raster and record it as an epoch; returns the stored row as a dict.

    ``sensor`` is satellite, drone or aerial; ``date`` is ``YYYY-MM-DD``. The DSM
    (数字表面模型), when given, must cover the same area in any CRS. A name is unique
    within the project.
    """
    if sensor not in SENSORS:
        raise InputError(f"unknown sensor {sensor!r}; use one of {', '.join(SENSORS)}", field="sensor")
    try:
        _dt.date.fromisoformat(date)
    except ValueError as exc:
        raise InputError(f"epoch date {date!r} is not YYYY-MM-DD", field="date") from exc
    info = raster_info(path, "imagery epoch")
    if dsm_path:
        dsm = raster_info(dsm_path, "DSM")
        if dsm.count < 1:
            raise InputError("DSM has no band", source=os.fspath(dsm_path))
    crs = project_crs(project_path)
    name = name or f"{sensor}-{date}"
    existing = read_layer(project_path, EPOCH_TABLE)
    if existing is not None and (existing["name"] == name).any():
        raise InputError(f"an epoch named {name!r} is already registered", source=os.fspath(project_path),
                         field="name")
    with open_raster(path) as ds:
        resolution = resolution_in_metres(ds)
    row = {
        "epoch_id": str(uuid.uuid4()),
        "name": name,
        "path": os.path.abspath(os.fspath(path)),
        "sensor": sensor,
        "date": date,
        "resolution_m": round(resolution, 4),
        "crs": info.crs,
        "band_count": info.count,
        "dsm_path": os.path.abspath(os.fspath(dsm_path)) if dsm_path else None,
        "registered_at": _dt.datetime.now().isoformat(timespec="seconds"),
    }
    frame = gpd.GeoDataFrame([row], geometry=[_footprint(info.path, crs)], crs=crs)
    write_rows(project_path, EPOCH_TABLE, frame, EPOCH_FIELDS)
    return row


def list_epochs(project_path: str | os.PathLike) -> gpd.GeoDataFrame:
    """All registered epochs, oldest first (empty frame if none)."""
    frame = read_layer(project_path, EPOCH_TABLE)
    if frame is None:
        return gpd.GeoDataFrame({n: [] for n, _ in EPOCH_FIELDS}, geometry=[], crs=project_crs(project_path))
    return frame.sort_values(["date", "name"]).reset_index(drop=True)


def get_epoch(project_path: str | os.PathLike, key: str) -> dict:
    """One epoch by name or id, as a dict."""
    frame = list_epochs(project_path)
    hit = frame[(frame["name"] == key) | (frame["epoch_id"] == key)]
    if hit.empty:
        known = ", ".join(frame["name"]) or "none"
        raise InputError(f"no imagery epoch {key!r} (registered: {known})", source=os.fspath(project_path))
    return hit.iloc[0].to_dict()
