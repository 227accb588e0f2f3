"""Open and check user rasters so every later step can trust them."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import rasterio
from rasterio.errors import RasterioIOError

from ..errors import InputError

T = TypeVar("T")


@dataclass(frozen=True)
class RasterInfo:
    """What the imagery steps need to know about a raster, read once."""

    path: str
    crs: str
    width: int
    height: int
    count: int
    dtype: str
    resolution: float
    bounds: tuple[float, float, float, float]
    nodata: float | None
    has_alpha: bool


def open_raster(path: str | os.PathLike, what: str = "raster") -> rasterio.DatasetReader:
    """Open ``path`` with rasterio, raising :class:`InputError` for missing or corrupt files."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError(f"{what} file not found", source=path)
    try:
        ds = rasterio.open(path)
    except RasterioIOError as exc:
        raise InputError(f"cannot read {what} (corrupt or not a raster): {exc}", source=path) from exc
    if ds.crs is None:
        ds.close()
        raise InputError(f"{what} has no CRS; assign one (e.g. gdal_edit.py -a_srs) and try again",
                         source=path)
    if ds.transform.is_identity:
        ds.close()
        raise InputError(f"{what} has no georeferencing (identity transform)", source=path)
    return ds


@contextmanager
def read_errors(what: str, source: str):
    """Turn a GDAL read failure in the middle of a job into an :class:`InputError`."""
    try:
        yield
    except RasterioIOError as exc:
        raise InputError(f"cannot read {what} (corrupt file?): {exc}", source=source) from exc


def reads_pair(func: Callable[..., T]) -> Callable[..., T]:
    """Decorate a job over an image pair ``(before, after, ...)`` so that a GDAL read
    failure in the middle of it becomes an :class:`InputError` naming both files."""

    @functools.wraps(func)
    def wrapper(before, after, *args, **kwargs):
        with read_errors("imagery", f"{before} / {after}"):
            return func(before, after, *args, **kwargs)

    return wrapper


def color_bands(ds: rasterio.DatasetReader) -> list[int]:
    """The 1-based bands holding colour, skipping an alpha band."""
    from rasterio.enums import ColorInterp

    bands = [i + 1 for i, ci in enumerate(ds.colorinterp) if ci != ColorInterp.alpha]
    return bands or list(range(1, ds.count + 1))


def raster_info(path: str | os.PathLike, what: str = "raster") -> RasterInfo:
    """Read and check the header of a raster; the file is closed again."""
    with open_raster(path, what) as ds:
        try:
            # A truncated TIFF opens fine and fails on a block read; the last block
            # is the one a truncated download loses first.
            ds.read(1, window=((0, 1), (0, 1)))
            ds.read(ds.count, window=((ds.height - 1, ds.height), (ds.width - 1, ds.width)))
        except RasterioIOError as exc:
            raise InputError(f"cannot read {what} pixels (corrupt file?): {exc}",
                             source=os.fspath(path)) from exc
        bands = color_bands(ds)
        return RasterInfo(
            path=os.fspath(path),
            crs=ds.crs.to_string(),
            width=ds.width,
            height=ds.height,
            count=len(bands),
            dtype=ds.dtypes[0],
            resolution=float(abs(ds.res[0])),
            bounds=tuple(ds.bounds),
            nodata=ds.nodata,
            has_alpha=len(bands) < ds.count,
        )


def resolution_in_metres(ds: rasterio.DatasetReader) -> float:
    """Pixel size in metres (geographic rasters are converted at their centre latitude)."""
    import math

    res = float(abs(ds.res[0]))
    if ds.crs.is_geographic:
        lat = (ds.bounds.top + ds.bounds.bottom) / 2
        return res * 111_320.0 * math.cos(math.radians(lat))
    factor = ds.crs.linear_units_factor[1] if ds.crs.linear_units_factor else 1.0
    return res * factor
