"""Change raster → candidate polygons (图斑), cleaned and attributed.

Vectorising runs tile by tile (``rasterio.features.shapes`` on labelled components),
so memory is bounded; pieces that touch across a tile seam are merged afterwards.
Each candidate gets an area, a confidence (mean of the change raster) and the grid
cell (单元网格), street (街道) and community (社区) it mostly lies in.
"""

from __future__ import annotations

import datetime as _dt
import os
import uuid

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely
from rasterio.features import shapes
from scipy import ndimage as ndi
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry import shape

from ..progress import Progress, ensure_progress
from .align import iter_windows
from .raster import open_raster
from .store import CANDIDATE_COLUMNS


def _tile_pieces(ds, window):
    """Polygons, pixel counts and confidence sums of the components inside one window."""
    conf = ds.read(1, window=window)
    mask = conf > 0
    if not mask.any():
        return []
    labels, count = ndi.label(mask)
    index = np.arange(1, count + 1)
    sums = ndi.sum(conf.astype(np.float64), labels, index)
    counts = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    transform = ds.window_transform(window)
    pieces = []
    for geom, value in shapes(labels.astype(np.int32), mask=mask, transform=transform, connectivity=4):
        i = int(value) - 1
        pieces.append((shape(geom), int(counts[i]), float(sums[i])))
    return pieces


def vectorise(change_path: str | os.PathLike, *, tile: int = 2048,
              progress: Progress | None = None) -> gpd.GeoDataFrame:
    """All change components as polygons with ``pixels`` and ``confidence`` (0..1)."""
    progress = ensure_progress(progress)
    geoms, pixels, sums = [], [], []
    with open_raster(change_path, "change raster") as ds:
        crs = ds.crs
        res = abs(ds.res[0])
        windows = list(iter_windows(ds.width, ds.height, tile))
        for i, window in enumerate(windows):
            progress.step(i, len(windows))
            for geom, n, s in _tile_pieces(ds, window):
                geoms.append(geom)
                pixels.append(n)
                sums.append(s)
    frame = gpd.GeoDataFrame({"pixels": pixels, "conf_sum": sums}, geometry=geoms, crs=crs)
    if len(windows) > 1 and len(frame):
        frame = _merge_seams(frame, res)
    frame["confidence"] = (frame["conf_sum"] / frame["pixels"] / 255.0).round(3)
    return frame.drop(columns="conf_sum")


def _merge_seams(frame: gpd.GeoDataFrame, res: float) -> gpd.GeoDataFrame:
    """Union pieces that share an edge across tile seams (connected groups)."""
    tree = shapely.STRtree(frame.geometry.values)
    left, right = tree.query(frame.geometry.values, predicate="intersects")
    keep = left != right
    n = len(frame)
    graph = coo_matrix((np.ones(keep.sum()), (left[keep], right[keep])), shape=(n, n))
    _, group = connected_components(graph, directed=False)
    frame = frame.assign(group=group)
    merged = frame.dissolve(by="group", aggfunc={"pixels": "sum", "conf_sum": "sum"})
    merged["geometry"] = shapely.make_valid(merged.geometry.values)
    return merged.reset_index(drop=True)


def clean(frame: gpd.GeoDataFrame, *, min_area_m2: float = 20.0, simplify_m: float = 0.0) -> gpd.GeoDataFrame:
    """Drop slivers below ``min_area_m2`` (面积下限), optionally simplify stair-step outlines."""
    frame = frame.copy()
    if simplify_m > 0:
        frame["geometry"] = frame.geometry.simplify(simplify_m, preserve_topology=True)
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    frame = frame[frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    frame["area_m2"] = frame.geometry.area.round(1)
    return frame[frame["area_m2"] >= min_area_m2].reset_index(drop=True)


def to_single_polygons(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The candidate layer is Polygon; split the rare MultiPolygon (diagonal touches)."""
    return frame.explode(index_parts=False).reset_index(drop=True)


def attach_grid(frame: gpd.GeoDataFrame, cells: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Give each candidate the grid code, street and community of the cell it overlaps most."""
    frame = frame.copy()
    for column in ("grid_code", "street_code", "community_code"):
        frame[column] = None
    if cells is None or cells.empty or frame.empty:
        return frame
    cells = cells.to_crs(frame.crs) if cells.crs and not cells.crs.equals(frame.crs) else cells
    tree = shapely.STRtree(cells.geometry.values)
    cand_idx, cell_idx = tree.query(frame.geometry.values, predicate="intersects")
    if len(cand_idx) == 0:
        return frame
    overlap = shapely.area(shapely.intersection(frame.geometry.values[cand_idx], cells.geometry.values[cell_idx]))
    pairs = pd.DataFrame({"cand": cand_idx, "cell": cell_idx, "overlap": overlap})
    best = pairs.sort_values("overlap", ascending=False).drop_duplicates("cand")
    rows = cells.iloc[best["cell"].to_numpy()]
    frame.loc[best["cand"].to_numpy(), "grid_code"] = rows["code"].to_numpy()
    frame.loc[best["cand"].to_numpy(), "street_code"] = rows["street_code"].to_numpy()
    frame.loc[best["cand"].to_numpy(), "community_code"] = rows["community_code"].to_numpy()
    return frame


def read_cells(project_path: str | os.PathLike | None, progress: Progress | None = None):
    """Active grid cells of the project, or None (with a warning) if there is no grid yet."""
    progress = ensure_progress(progress)
    if project_path is None:
        return None
    try:
        from ..grid.store import read_active_cells
    except ImportError:  # grid capability not installed: read the table directly
        read_active_cells = None
    try:
        if read_active_cells is not None:
            return read_active_cells(project_path)
        import pyogrio

        return pyogrio.read_dataframe(os.fspath(project_path), layer="grid_cell", where="term_date IS NULL")
    except Exception as exc:  # noqa: BLE001 - a missing grid must not stop detection
        progress.warning(f"candidates get no grid code: {exc}")
        return None


def candidates_from_raster(
    change_path: str | os.PathLike,
    *,
    project_path: str | os.PathLike | None = None,
    min_area_m2: float = 20.0,
    simplify_m: float = 0.0,
    epoch_before: str | None = None,
    epoch_after: str | None = None,
    detector: str = "features",
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """The change raster as a ``change_candidate`` frame (not yet written)."""
    progress = ensure_progress(progress)
    frame = vectorise(change_path, progress=progress.sub(0, 80))
    frame = to_single_polygons(clean(frame, min_area_m2=min_area_m2, simplify_m=simplify_m))
    frame["area_m2"] = frame.geometry.area.round(1)
    frame = frame[frame["area_m2"] >= min_area_m2].reset_index(drop=True)
    frame = attach_grid(frame, read_cells(project_path, progress))
    now = _dt.datetime.now().isoformat(timespec="seconds")
    frame["candidate_id"] = [str(uuid.uuid4()) for _ in range(len(frame))]
    defaults = {"list_status": "new", "review_status": "pending", "epoch_before": epoch_before,
                "epoch_after": epoch_after, "detector": detector, "detected_at": now}
    for column in CANDIDATE_COLUMNS:
        if column not in frame:
            frame[column] = defaults.get(column)
    progress.set_percent(100)
    return gpd.GeoDataFrame(frame[CANDIDATE_COLUMNS], geometry=frame.geometry.values, crs=frame.crs)


def raster_crs(path: str | os.PathLike):
    """The CRS of a raster (for callers that write candidates)."""
    with rasterio.open(path) as ds:
        return ds.crs
