"""Compare candidates with the three user lists (三类清单比对).

- permits (规划许可): a matching candidate is legal construction → ``permitted``;
- known violations (存量违建): already on the books → ``known``;
- demolished violations (已拆违建): built again where one was removed → ``rebuilt``;
- anything else is 新增 → ``new``.

A candidate matches a list polygon when at least ``min_overlap`` of its area lies
inside that list's polygons; the first list that matches wins, in the order above.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..io.vector import POLYGONAL, read_vector
from ..progress import Progress

ORDER = (("permitted", "permits"), ("known", "known violations"), ("rebuilt", "demolished violations"))


def _load(source, crs, what: str, progress: Progress | None) -> gpd.GeoDataFrame | None:
    if source is None:
        return None
    if isinstance(source, gpd.GeoDataFrame):
        return source.to_crs(crs)
    path, layer = split_source(str(source))
    return read_vector(path, layer=layer, geometry_types=POLYGONAL, target_crs=crs, progress=progress,
                       what=what)


def split_source(source: str) -> tuple[str, str | None]:
    """``file.gpkg|layer`` or QGIS's ``file.gpkg|layername=layer`` → (path, layer)."""
    if "|" not in source:
        return source, None
    path, rest = source.split("|", 1)
    for part in rest.split("|"):
        if part.startswith("layername="):
            return path, part[len("layername="):]
    return path, (rest if "=" not in rest else None)


def _reference(frame: gpd.GeoDataFrame) -> pd.Series:
    """A human-readable id of each list polygon: an id-like column if present, else its row."""
    for column in ("id", "permit_no", "ref", "code", "name", "编号"):
        if column in frame.columns:
            return frame[column].astype(str)
    return pd.Series([f"row {i + 1}" for i in range(len(frame))], index=frame.index)


def overlap_share(candidates: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame) -> tuple[np.ndarray, list]:
    """Share of each candidate's area covered by ``polygons`` and the best-matching reference."""
    share = np.zeros(len(candidates))
    refs: list = [None] * len(candidates)
    if polygons is None or polygons.empty or candidates.empty:
        return share, refs
    tree = shapely.STRtree(polygons.geometry.values)
    ci, pi = tree.query(candidates.geometry.values, predicate="intersects")
    if len(ci) == 0:
        return share, refs
    inter = shapely.area(shapely.intersection(candidates.geometry.values[ci], polygons.geometry.values[pi]))
    names = _reference(polygons).to_numpy()
    pairs = pd.DataFrame({"c": ci, "p": pi, "a": inter})
    total = pairs.groupby("c")["a"].sum()
    area = shapely.area(candidates.geometry.values)
    share[total.index.to_numpy()] = total.to_numpy() / np.maximum(area[total.index.to_numpy()], 1e-9)
    best = pairs.sort_values("a", ascending=False).drop_duplicates("c")
    for c, p in zip(best["c"], best["p"], strict=True):
        refs[int(c)] = str(names[int(p)])
    return share, refs


def compare_lists(
    candidates: gpd.GeoDataFrame,
    *,
    permits=None,
    known=None,
    demolished=None,
    min_overlap: float = 0.3,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Set ``list_status`` and ``list_ref`` on a copy of ``candidates``.

    Each list is a path to a polygon layer or a GeoDataFrame (any CRS; reprojected).
    """
    out = candidates.copy()
    out["list_status"] = "new"
    out["list_ref"] = None
    decided = np.zeros(len(out), bool)
    sources = {"permitted": permits, "known": known, "rebuilt": demolished}
    for status, what in ORDER:
        layer = _load(sources[status], out.crs, what, progress)
        share, refs = overlap_share(out, layer)
        hit = (share >= min_overlap) & ~decided
        out.loc[hit, "list_status"] = status
        out.loc[hit, "list_ref"] = [f"{what}: {refs[i]}" for i in np.flatnonzero(hit)]
        decided |= hit
    return out


def summary(candidates: gpd.GeoDataFrame) -> dict[str, int]:
    """Count of candidates per list status (all four keys present)."""
    counts = candidates["list_status"].value_counts().to_dict() if len(candidates) else {}
    return {status: int(counts.get(status, 0)) for status in ("new", "permitted", "known", "rebuilt")}


