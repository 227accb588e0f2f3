"""Before/after evidence chips (前后时相对比图) for every candidate, as PNG files."""

from __future__ import annotations

import os

import geopandas as gpd
import numpy as np
from PIL import Image, ImageDraw
from rasterio.enums import Resampling
from rasterio.windows import from_bounds

from ..progress import Progress, ensure_progress
from .raster import color_bands, open_raster


def _chip(ds, bounds, size: int) -> tuple[np.ndarray, object]:
    """An RGB chip of ``bounds`` (boundless, so edges pad black) at most ``size`` px wide."""
    window = from_bounds(*bounds, transform=ds.transform)
    scale = max(window.width, window.height) / size
    shape = (max(1, int(round(window.height / max(scale, 1e-9)))), max(1, int(round(window.width / max(scale, 1e-9)))))
    bands = color_bands(ds)[:3]
    data = ds.read(bands, window=window, out_shape=(len(bands),) + shape, boundless=True, fill_value=0,
                   resampling=Resampling.bilinear if scale < 1 else Resampling.average)
    if data.dtype != np.uint8:
        lo, hi = np.percentile(data, (2, 98))
        data = np.clip((data - lo) / max(hi - lo, 1e-9) * 255, 0, 255).astype(np.uint8)
    if data.shape[0] == 1:
        data = np.repeat(data, 3, axis=0)
    return np.ascontiguousarray(data.transpose(1, 2, 0)), (bounds, shape)


def _outline(image: Image.Image, geom, bounds, shape) -> None:
    left, bottom, right, top = bounds
    h, w = shape
    draw = ImageDraw.Draw(image)
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        xy = [((x - left) / (right - left) * w, (top - y) / (top - bottom) * h) for x, y in poly.exterior.coords]
        draw.line(xy, fill=(255, 32, 32), width=2)


def write_chips(
    candidates: gpd.GeoDataFrame,
    before: str | os.PathLike,
    after: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    size: int = 256,
    margin_m: float = 15.0,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Write ``<candidate_id>_before.png`` / ``_after.png`` and fill ``chip_before``/``chip_after``.

    If writing fails part-way, the chips written by this call are removed again.
    """
    progress = ensure_progress(progress)
    out = candidates.copy()
    os.makedirs(out_dir, exist_ok=True)
    written: list[str] = []
    try:
        with open_raster(before, "earlier epoch") as db, open_raster(after, "later epoch") as da:
            crs = db.crs
            geoms = out.geometry.to_crs(crs) if out.crs and not out.crs.equals(crs) else out.geometry
            chips_b, chips_a = [], []
            for i, (cid, geom) in enumerate(zip(out["candidate_id"], geoms, strict=True)):
                progress.step(i, len(out))
                minx, miny, maxx, maxy = geom.bounds
                pad = max(margin_m, 0.5 * max(maxx - minx, maxy - miny))
                cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
                half = max(maxx - minx, maxy - miny) / 2 + pad
                bounds = (cx - half, cy - half, cx + half, cy + half)
                paths = []
                for ds, tag in ((db, "before"), (da, "after")):
                    rgb, (b, shape) = _chip(ds, bounds, size)
                    image = Image.fromarray(rgb, "RGB")
                    _outline(image, geom, b, shape)
                    path = os.path.join(os.fspath(out_dir), f"{cid}_{tag}.png")
                    image.save(path)
                    written.append(path)
                    paths.append(os.path.abspath(path))
                chips_b.append(paths[0])
                chips_a.append(paths[1])
    except BaseException:
        for path in written:
            if os.path.exists(path):
                os.unlink(path)
        raise
    out["chip_before"] = chips_b
    out["chip_after"] = chips_a
    return out
