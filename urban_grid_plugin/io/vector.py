"""Read user vector layers (GeoPackage, Shapefile, GeoJSON) into a projected CRS.

Every check here exists because a city's input is often wrong in the same few ways:
empty layers, a missing ``.prj``, lines where polygons were expected, or degrees where
metres were expected. Each problem is an :class:`InputError` naming the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import geopandas as gpd
import pyogrio
from pyproj import CRS

from ..errors import InputError
from ..progress import Progress, ensure_progress

DEFAULT_CRS = "EPSG:4547"  # CGCS2000 / 3-degree Gauss-Kruger CM 114E

POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
PUNCTUAL = ("Point", "MultiPoint")


def describe_source(path: str | os.PathLike, layer: str | None = None) -> str:
    """A short name for messages: ``file.gpkg`` or ``file.gpkg|layer``."""
    name = os.path.basename(os.fspath(path))
    return f"{name}|{layer}" if layer else name


def resolve_working_crs(crs: str | CRS | None) -> CRS:
    """The projected CRS all work happens in; CGCS2000 Gauss–Krüger by default."""
    target = CRS.from_user_input(crs or DEFAULT_CRS)
    if not target.is_projected:
        raise InputError(f"working CRS {target.to_string()} is not projected; choose a metre-based CRS such as EPSG:4547")
    return target


def read_vector(
    path: str | os.PathLike,
    *,
    layer: str | None = None,
    geometry_types: Iterable[str] | None = None,
    target_crs: str | CRS | None = None,
    progress: Progress | None = None,
    what: str = "layer",
) -> gpd.GeoDataFrame:
    """Read a vector layer, check it and return it in ``target_crs``.

    Raises :class:`InputError` for a missing or unreadable file, an empty layer,
    a missing CRS, or geometries outside ``geometry_types``. A geographic CRS is
    reprojected and the user is told through ``progress``.
    """
    progress = ensure_progress(progress)
    source = describe_source(path, layer)
    if not os.path.exists(path):
        raise InputError(f"{what} file not found", source=os.fspath(path))
    try:
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InputError(f"cannot read {what}: {exc}", source=source) from exc
    if len(frame) == 0:
        raise InputError(f"{what} is empty", source=source)
    if frame.crs is None:
        raise InputError(
            f"{what} has no CRS; define it (e.g. a .prj file or the layer's CRS in QGIS) and try again",
            source=source,
        )
    null_rows = frame.index[frame.geometry.isna() | frame.geometry.is_empty]
    if len(null_rows):
        raise InputError(f"{what} has an empty geometry", source=source, row=int(null_rows[0]) + 1)
    if geometry_types is not None:
        allowed = tuple(geometry_types)
        bad = ~frame.geom_type.isin(allowed)
        if bad.any():
            row = int(bad.values.argmax())
            raise InputError(
                f"{what} must hold {'/'.join(allowed)} geometries, found {frame.geom_type.iloc[row]}",
                source=source,
                row=row + 1,
            )
    target = resolve_working_crs(target_crs)
    if not CRS.from_user_input(frame.crs).equals(target):
        if CRS.from_user_input(frame.crs).is_geographic:
            progress.info(f"{source}: geographic CRS {frame.crs.to_string()} reprojected to {target.to_string()}")
        frame = frame.to_crs(target)
    return frame
