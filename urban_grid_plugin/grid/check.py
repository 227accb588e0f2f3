"""Grid quality check (网格质检): every problem with its cell code and location.

Problems found (``problem`` column, Chinese label in ``PROBLEM_LABELS``):

- ``invalid_geometry``, ``bad_code``, ``duplicate_code``, ``prefix_mismatch``,
  ``unknown_community``;
- ``outside_community`` and ``crosses_community``;
- ``gap`` and ``overlap`` inside a community's coverage;
- ``area_outlier``: far from the target area (a single-cell community is exempt).

Gaps and overlaps are found the way coverage validators do, in two passes. A fast
vectorised pass matches cell edges: in a clean coverage every edge is shared by
exactly two cells in opposite directions or lies on the community boundary, and the
cell areas add up to the community area. Only communities that fail it get the
exact (slower) overlay pass that measures and locates each gap and overlap. This
keeps the whole check within a small multiple of GEOS ``CoverageValidator``
(``shapely.coverage_is_valid``, GEOS >= 3.12), which Debian 12's GEOS 3.11 lacks.
"""

from __future__ import annotations

import datetime as _dt
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..progress import Progress, ensure_progress
from . import store
from .codes import COMMUNITY_CODE_LEN, GRID_CODE_LEN, code_series_problems

PROBLEM_LABELS = {
    "invalid_geometry": "几何无效",
    "bad_code": "编码格式错误",
    "duplicate_code": "编码重复",
    "prefix_mismatch": "编码前缀与社区不符",
    "unknown_community": "所属社区不存在",
    "outside_community": "位于社区之外",
    "crosses_community": "跨越社区边界",
    "gap": "缝隙",
    "overlap": "重叠",
    "area_outlier": "面积异常",
}

# Gaps, overlaps and crossings smaller than this (m²) are floating-point noise.
MIN_PROBLEM_AREA = 0.01
# Edge-matching snaps coordinates to this grid (m) so noise does not unmatch edges.
_SNAP = 1e-6
# Generated cells are snapped to a 1e-6 m grid; allow far more than that.
_ON_BOUNDARY = 1e-4
DEFAULT_LOW, DEFAULT_HIGH = 0.2, 3.0

_POINT_IN_REASON = re.compile(r"\[\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)")


class _Problems:
    """Collects problems as columns, turned into one GeoDataFrame at the end."""

    def __init__(self) -> None:
        self.parts: list[dict] = []

    def add(self, problem: str, codes, points, *, other=None, community=None, detail=None, area=None) -> None:
        codes = np.asarray(codes, dtype=object)
        n = len(codes)
        if n == 0:
            return
        def col(v, fill=None):
            if v is None:
                return np.full(n, fill, dtype=object)
            if isinstance(v, str | float | int):
                return np.full(n, v, dtype=object)
            return np.asarray(v, dtype=object)
        self.parts.append({
            "problem": np.full(n, problem, dtype=object), "code": codes, "other_code": col(other),
            "community_code": col(community), "detail": col(detail),
            "area_m2": np.asarray(col(area, np.nan), dtype=float), "geometry": np.asarray(points, dtype=object),
        })

    def frame(self, crs) -> gpd.GeoDataFrame:
        columns = ["problem", "code", "other_code", "community_code", "detail", "area_m2", "geometry"]
        if not self.parts:
            data = {c: pd.Series(dtype=float if c == "area_m2" else object) for c in columns[:-1]}
            out = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
        else:
            data = {c: np.concatenate([p[c] for p in self.parts]) for c in columns}
            out = gpd.GeoDataFrame({c: data[c] for c in columns[:-1]}, geometry=data["geometry"], crs=crs)
        out.insert(0, "check_id", [f"C{i + 1:06d}" for i in range(len(out))])
        out["x"] = shapely.get_x(out.geometry.values) if len(out) else pd.Series(dtype=float)
        out["y"] = shapely.get_y(out.geometry.values) if len(out) else pd.Series(dtype=float)
        out["checked_at"] = _dt.datetime.now().isoformat(timespec="seconds")
        out["label"] = out["problem"].map(PROBLEM_LABELS)
        return out


def _invalid_points(geoms: np.ndarray) -> np.ndarray:
    """Where each invalid geometry is invalid (from GEOS's reason), else a point on it."""
    reasons = shapely.is_valid_reason(geoms)
    points = []
    for geom, reason in zip(geoms, reasons, strict=True):
        match = _POINT_IN_REASON.search(reason or "")
        if match:
            points.append(shapely.Point(float(match.group(1)), float(match.group(2))))
        elif geom is None or geom.is_empty:
            points.append(shapely.Point())
        else:
            points.append(shapely.point_on_surface(shapely.envelope(geom)))
    return np.asarray(points, dtype=object), reasons


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Repair geometries for the overlay checks: make_valid, keep polygonal parts."""
    fixed = shapely.make_valid(geoms)
    out = []
    for g in fixed:
        parts = shapely.get_parts(shapely.get_parts(g))
        parts = parts[shapely.get_type_id(parts) == 3]
        out.append(shapely.union_all(parts) if len(parts) else shapely.Polygon())
    return np.asarray(out, dtype=object)


def _segments(geoms: np.ndarray):
    """Every ring edge as snapped start/end coordinates, its cell, and whether it runs
    the "standard" way round (exteriors counter-clockwise, holes clockwise).

    Ring orientation comes from the shoelace sum in numpy rather than from
    ``shapely.normalize``, which would copy every geometry.
    """
    rings, cell_of_ring = shapely.get_rings(geoms, return_index=True)
    coords, ring_of_coord = shapely.get_coordinates(rings, return_index=True)
    same = ring_of_coord[:-1] == ring_of_coord[1:]
    local = coords - coords.min(axis=0) if len(coords) else coords  # keep the products small
    cross = local[:-1, 0] * local[1:, 1] - local[1:, 0] * local[:-1, 1]
    signed = np.bincount(ring_of_coord[:-1][same], weights=cross[same], minlength=len(rings))
    exterior = np.ones(len(rings), dtype=bool)
    exterior[1:] = cell_of_ring[1:] != cell_of_ring[:-1]
    standard = (signed > 0) == exterior
    snapped = np.round(coords / _SNAP).astype(np.int64)
    ring = ring_of_coord[:-1][same]
    start, end = snapped[:-1][same], snapped[1:][same]
    real_start, real_end = coords[:-1][same], coords[1:][same]
    return start, end, cell_of_ring[ring], standard[ring], real_start, real_end


def _unmatched_edges(geoms: np.ndarray):
    """Edges not shared by exactly two cells in opposite directions.

    Returns the cell index and real coordinates of each unmatched edge.
    """
    start, end, cell, standard, real_start, real_end = _segments(geoms)
    ascending = (start[:, 0] < end[:, 0]) | ((start[:, 0] == end[:, 0]) & (start[:, 1] < end[:, 1]))
    lo = np.where(ascending[:, None], start, end)
    hi = np.where(ascending[:, None], end, start)
    forward = ascending ^ ~standard  # directions as if every ring ran the standard way
    order = np.lexsort((hi[:, 1], hi[:, 0], lo[:, 1], lo[:, 0]))
    lo, hi, fwd, cl = lo[order], hi[order], forward[order], cell[order]
    new_group = np.ones(len(lo), dtype=bool)
    new_group[1:] = np.any(lo[1:] != lo[:-1], axis=1) | np.any(hi[1:] != hi[:-1], axis=1)
    group = np.cumsum(new_group) - 1
    sizes = np.bincount(group)
    fwd_count = np.bincount(group, weights=fwd.astype(float))
    good_group = (sizes == 2) & (fwd_count == 1)
    # Two edges of the same cell facing each other is a collapsed ring, not a match.
    first = np.flatnonzero(new_group)
    pair_cells_differ = np.zeros(len(sizes), dtype=bool)
    two = sizes == 2
    pair_cells_differ[two] = cl[first[two]] != cl[first[two] + 1]
    good_group &= pair_cells_differ
    bad = ~good_group[group]
    idx = order[bad]
    return cell[idx], real_start[idx], real_end[idx]


def _fast_pass(geoms: np.ndarray, comm_idx: np.ndarray, comm_geoms: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Communities (indices) whose cells may hold gaps, overlaps or crossings."""
    n_comm = len(comm_geoms)
    suspect = np.zeros(n_comm, dtype=bool)
    known = comm_idx >= 0
    # Area balance: cell areas must add up to the community area.
    cell_sum = np.bincount(comm_idx[known], weights=areas[known], minlength=n_comm)
    comm_area = shapely.area(comm_geoms)
    tolerance = np.maximum(MIN_PROBLEM_AREA, shapely.length(comm_geoms) * 1e-4)
    suspect |= np.abs(cell_sum - comm_area) > tolerance
    # A multi-part community could balance areas with a doubly covered part.
    suspect |= shapely.get_num_geometries(comm_geoms) > 1
    # Each cell must have an interior point in its community.
    reps = shapely.point_on_surface(geoms[known])
    inside = shapely.covers(comm_geoms[comm_idx[known]], reps)
    suspect[np.unique(comm_idx[known][~inside])] = True
    # Edge matching; unmatched edges must lie on the community boundary.
    cell, p, q = _unmatched_edges(geoms[known])
    owner = comm_idx[known][cell]
    boundaries = shapely.boundary(comm_geoms)
    shapely.prepare(boundaries)
    mid = (p + q) / 2
    on = np.ones(len(owner), dtype=bool)
    for pts in (p, q, mid):
        on &= shapely.dwithin(boundaries[owner], shapely.points(pts), _ON_BOUNDARY)
    suspect[np.unique(owner[~on])] = True
    return np.flatnonzero(suspect)


def check_cells(
    cells: gpd.GeoDataFrame,
    communities: gpd.GeoDataFrame,
    *,
    target_area: float = 10_000.0,
    low: float = DEFAULT_LOW,
    high: float = DEFAULT_HIGH,
    progress: Progress | None = None,
) -> gpd.GeoDataFrame:
    """Check active grid cells against their communities; one row per problem.

    ``cells`` needs ``code``, ``community_code`` and geometry; ``communities``
    needs ``community_code`` and geometry, in the same CRS. Area outliers are
    cells under ``low × target_area`` or over ``high × target_area``.
    """
    progress = ensure_progress(progress)
    found = _Problems()
    crs = cells.crs
    geoms = np.asarray(cells.geometry.values, dtype=object)
    codes = cells["code"].astype(object).where(cells["code"].notna(), None).to_numpy()
    comm_codes = cells["community_code"].astype(object).to_numpy()
    n = len(geoms)

    # 1. Geometry validity: anything else is measured on repaired geometry.
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    valid = shapely.is_valid(geoms) & ~missing
    polygon = shapely.get_type_id(geoms) == 3
    bad_geom = ~valid | ~polygon
    if bad_geom.any():
        pts, reasons = _invalid_points(geoms[bad_geom])
        details = [r if not ok else f"{t} instead of Polygon"
                   for r, ok, t in zip(reasons, valid[bad_geom], shapely.get_type_id(geoms[bad_geom]), strict=True)]
        found.add("invalid_geometry", codes[bad_geom], pts, community=comm_codes[bad_geom], detail=details)
        geoms = geoms.copy()
        geoms[bad_geom & ~missing] = _polygonal(geoms[bad_geom & ~missing])
    progress.step(1, 6)
    reps = shapely.point_on_surface(geoms)

    # 2. Codes: format, duplicates, prefix.
    code_series = pd.Series(codes, dtype=object)
    problems = code_series_problems(code_series, GRID_CODE_LEN).to_numpy()
    bad_code = pd.notna(problems)
    found.add("bad_code", codes[bad_code], reps[bad_code], community=comm_codes[bad_code], detail=problems[bad_code])
    counts = code_series.map(code_series.value_counts())
    dup = (counts > 1).to_numpy() & code_series.notna().to_numpy()
    found.add("duplicate_code", codes[dup], reps[dup], other=codes[dup], community=comm_codes[dup],
              detail=[f"{c} cells share this code" for c in counts[dup]])
    prefix = code_series.fillna("").str[:COMMUNITY_CODE_LEN].to_numpy()
    mismatch = (prefix != comm_codes) & ~bad_code
    found.add("prefix_mismatch", codes[mismatch], reps[mismatch], community=comm_codes[mismatch],
              detail=[f"code prefix {p} ≠ community {c}" for p, c in zip(prefix[mismatch], comm_codes[mismatch], strict=True)])
    progress.step(2, 6)

    # 3. Community membership.
    comm_list = communities["community_code"].astype(str).to_numpy()
    comm_geoms = np.asarray(communities.geometry.values, dtype=object)
    shapely.prepare(comm_geoms)
    lookup = {c: i for i, c in enumerate(comm_list)}
    comm_idx = np.array([lookup.get(c, -1) for c in comm_codes], dtype=np.int64)
    unknown = comm_idx < 0
    found.add("unknown_community", codes[unknown], reps[unknown], community=comm_codes[unknown],
              detail="community code not in the community table")
    areas = shapely.area(geoms)
    progress.step(3, 6)

    # 4. Fast pass, then exact overlay only where it is needed.
    suspect = _fast_pass(geoms, comm_idx, comm_geoms, areas)
    progress.step(4, 6)
    if len(suspect):
        _exact_pass(found, geoms, codes, comm_codes, comm_idx, comm_list, comm_geoms, suspect, progress)
    progress.step(5, 6)

    # 5. Area outliers; a community too small for more than one cell is exempt.
    comm_area = np.where(comm_idx >= 0, shapely.area(comm_geoms)[np.maximum(comm_idx, 0)], np.inf)
    outlier = ((areas < low * target_area) | (areas > high * target_area)) & (areas < 0.99 * comm_area) & ~missing
    found.add("area_outlier", codes[outlier], reps[outlier], community=comm_codes[outlier], area=areas[outlier],
              detail=[f"area {a:.0f} m² outside {low * target_area:.0f}–{high * target_area:.0f} m²" for a in areas[outlier]])
    progress.step(6, 6)
    out = found.frame(crs)
    out.attrs["cells"] = n
    return out


def _exact_pass(found: _Problems, geoms, codes, comm_codes, comm_idx, comm_list, comm_geoms, suspect, progress) -> None:
    """Measure and locate crossings, overlaps and gaps in the suspect communities."""
    in_suspect = np.isin(comm_idx, suspect)
    sel = np.flatnonzero(in_suspect)
    # Crossing or outside the community.
    own = comm_geoms[comm_idx[sel]]
    inter = shapely.area(shapely.intersection(geoms[sel], own))
    outside_area = shapely.area(geoms[sel]) - inter
    out = inter <= MIN_PROBLEM_AREA
    cross = ~out & (outside_area > MIN_PROBLEM_AREA)
    found.add("outside_community", codes[sel[out]], shapely.point_on_surface(geoms[sel[out]]),
              community=comm_codes[sel[out]], area=shapely.area(geoms[sel[out]]), detail="cell lies outside its community")
    if cross.any():
        diff = shapely.difference(geoms[sel[cross]], own[cross])
        found.add("crosses_community", codes[sel[cross]], shapely.point_on_surface(diff),
                  community=comm_codes[sel[cross]], area=outside_area[cross],
                  detail=[f"{a:.1f} m² outside its community" for a in outside_area[cross]])
    # Overlaps with any cell, of this community or another.
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms[sel], predicate="intersects")
    left = sel[left]
    keep = left != right
    left, right = left[keep], right[keep]
    pair = np.sort(np.column_stack([left, right]), axis=1)
    if len(pair):
        pair = np.unique(pair, axis=0)
        shared = shapely.intersection(geoms[pair[:, 0]], geoms[pair[:, 1]])
        area = shapely.area(shared)
        hit = area > MIN_PROBLEM_AREA
        a, b = pair[hit, 0], pair[hit, 1]
        found.add("overlap", codes[a], shapely.point_on_surface(shared[hit]), other=codes[b],
                  community=comm_codes[a], area=area[hit],
                  detail=[f"overlaps {o} by {x:.1f} m²" for o, x in zip(codes[b], area[hit], strict=True)])
    # Gaps: the community minus the union of its cells.
    for k in progress.iterate(suspect, len(suspect)):
        members = np.flatnonzero(comm_idx == k)
        union = shapely.union_all(geoms[members]) if len(members) else shapely.Polygon()
        gaps = shapely.get_parts(shapely.difference(comm_geoms[k], union))
        gaps = gaps[shapely.get_type_id(gaps) == 3]
        gaps = gaps[shapely.area(gaps) > MIN_PROBLEM_AREA]
        if not len(gaps):
            continue
        points = shapely.point_on_surface(gaps)
        if len(members):
            near = members[shapely.STRtree(geoms[members]).query_nearest(points, all_matches=False)[1]]
            near_codes = codes[near]
        else:
            near_codes = np.full(len(gaps), None, dtype=object)
        found.add("gap", near_codes, points, community=comm_list[k], area=shapely.area(gaps),
                  detail=[f"gap of {a:.1f} m² next to this cell" for a in shapely.area(gaps)])


def summarize(problems: pd.DataFrame) -> dict[str, int]:
    """Problem counts by kind, every kind listed (zeros included)."""
    counts = problems["problem"].value_counts().to_dict() if len(problems) else {}
    return {k: int(counts.get(k, 0)) for k in PROBLEM_LABELS}


def check_project(project_path, *, low: float = DEFAULT_LOW, high: float = DEFAULT_HIGH, write: bool = True,
                  progress: Progress | None = None) -> gpd.GeoDataFrame:
    """Check the project's active grid and (by default) store the result as ``grid_check``."""
    from .build import grid_settings

    progress = ensure_progress(progress)
    cells = store.read_cells(project_path, active_only=True)
    communities = store.read_table(project_path, store.COMMUNITY)
    if communities is None or not len(cells):
        raise InputError("project has no unit grid yet; run 'urbangrid grid build' first", source=str(project_path))
    target, _ = grid_settings(project_path)
    problems = check_cells(cells, communities, target_area=target, low=low, high=high, progress=progress)
    if write:
        store.write_tables(project_path, {store.GRID_CHECK: problems[store.CHECK_COLUMNS + ["geometry"]]})
    return problems
