"""Boundary-following cells (依界划分): split a community along roads, rivers and walls.

The community outline and the barrier lines inside it are noded and polygonized
into faces; faces smaller than the target band are merged into a neighbour and
faces larger than it are cut into near-equal strips, until cells sit near the
target area (default 10,000 m², the 万米 of 万米单元网格).
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .lattice import GRID_PRECISION, merge_small, polygon_parts

DEFAULT_TARGET_AREA = 10_000.0
DEFAULT_TOLERANCE = 0.3
_SAMPLES = 17  # area samples per cut; the area curve is smooth, so linear interpolation is close


def barrier_faces(community: BaseGeometry, lines: np.ndarray) -> np.ndarray:
    """Faces of ``community`` cut by ``lines``; they tile the community exactly.

    Lines that end inside the community without closing a face are ignored, as
    they do not separate anything on the ground.
    """
    if len(lines):
        shapely.prepare(community)
        lines = lines[shapely.intersects(community, lines)]
    # Lines are cut to a box a little larger than the community, not to the
    # community itself: a clipped end can land a hair off the boundary and then
    # would not node with it, leaving the face unsplit.
    minx, miny, maxx, maxy = community.bounds
    clipped = shapely.clip_by_rect(lines, minx - 1, miny - 1, maxx + 1, maxy + 1) if len(lines) else np.array([], dtype=object)
    linework = shapely.union_all(np.concatenate([[shapely.boundary(community)], clipped]), grid_size=GRID_PRECISION)
    faces = polygon_parts(shapely.polygonize(shapely.get_parts(linework)))
    # Holes of the community come back as faces; drop those outside it.
    inside = shapely.covers(community, shapely.point_on_surface(faces))
    return faces[inside]


def _cut_positions(poly: BaseGeometry, fractions: np.ndarray, axis: int) -> np.ndarray:
    """Coordinates along ``axis`` where the area left/below reaches each fraction."""
    minx, miny, maxx, maxy = poly.bounds
    lo, hi = (minx, maxx) if axis == 0 else (miny, maxy)
    samples = np.linspace(lo, hi, _SAMPLES)
    if axis == 0:
        boxes = shapely.box(minx - 1, miny - 1, samples, maxy + 1)
    else:
        boxes = shapely.box(minx - 1, miny - 1, maxx + 1, samples)
    areas = shapely.area(shapely.intersection(poly, boxes))
    areas = np.maximum.accumulate(areas)
    return np.interp(fractions * areas[-1], areas, samples)


def _strips(poly: BaseGeometry, counts: list[int], axis: int) -> list[tuple[BaseGeometry, int]]:
    """Cut ``poly`` across ``axis`` into strips holding ``counts`` cells each."""
    total = sum(counts)
    cuts = _cut_positions(poly, np.cumsum(counts)[:-1] / total, axis)
    minx, miny, maxx, maxy = poly.bounds
    edges = np.concatenate([[(minx if axis == 0 else miny) - 1], cuts, [(maxx if axis == 0 else maxy) + 1]])
    if axis == 0:
        boxes = shapely.box(edges[:-1], miny - 1, edges[1:], maxy + 1)
    else:
        boxes = shapely.box(minx - 1, edges[:-1], maxx + 1, edges[1:])
    pieces = shapely.intersection(poly, boxes)
    return list(zip(pieces, counts, strict=True))


def split_equal(poly: BaseGeometry, k: int) -> np.ndarray:
    """Split ``poly`` into about ``k`` pieces of near-equal area (columns, then rows)."""
    if k <= 1:
        return polygon_parts([poly])
    minx, miny, maxx, maxy = poly.bounds
    width, height = max(maxx - minx, 1e-9), max(maxy - miny, 1e-9)
    columns = max(1, min(k, round(math.sqrt(k * width / height))))
    base, extra = divmod(k, columns)
    per_column = [base + (1 if c < extra else 0) for c in range(columns)]
    pieces = []
    for strip, count in (_strips(poly, per_column, 0) if columns > 1 else [(poly, k)]):
        if count > 1:
            pieces.extend(g for g, _ in _strips(strip, [1] * count, 1))
        else:
            pieces.append(strip)
    return polygon_parts(pieces)


def best_count(area: float, target: float) -> int:
    """How many cells of about ``target`` m² an area of ``area`` m² should become."""
    ratio = area / target
    low, high = max(1, math.floor(ratio)), max(1, math.ceil(ratio))
    return min((low, high), key=lambda k: (abs(area / k - target), k))


def fit_to_target(cells: np.ndarray, target: float, tolerance: float, rounds: int = 4,
                  barriers: BaseGeometry | None = None) -> np.ndarray:
    """Merge small and split large cells until areas are within ``target × (1 ± tolerance)``.

    Stops early when a round changes nothing; cells that cannot be brought into the
    band (a community smaller than the band, an island) are kept as they are.
    """
    low, high = target * (1 - tolerance), target * (1 + tolerance)
    for _ in range(rounds):
        before = len(cells)
        cells = merge_small(cells, low, high, barriers)
        areas = shapely.area(cells)
        large = areas > high
        if large.any():
            split = [split_equal(c, best_count(a, target)) for c, a in zip(cells[large], areas[large], strict=True)]
            cells = np.concatenate([cells[~large], *split])
        areas = shapely.area(cells)
        if len(cells) == before and not ((areas < low) | (areas > high)).any():
            break
        if len(cells) == before and not large.any():
            break
    return cells


def barrier_cells(community: BaseGeometry, lines: np.ndarray, target: float = DEFAULT_TARGET_AREA,
                  tolerance: float = DEFAULT_TOLERANCE) -> np.ndarray:
    """Boundary-following cells of one community."""
    faces = barrier_faces(community, lines)
    along = None
    if len(lines):
        minx, miny, maxx, maxy = community.bounds
        clipped = shapely.clip_by_rect(lines, minx - 1, miny - 1, maxx + 1, maxy + 1)
        along = shapely.buffer(shapely.multilinestrings(shapely.get_parts(clipped)[
            shapely.get_type_id(shapely.get_parts(clipped)) == 1]), 1e-3)
        shapely.prepare(along)
    return fit_to_target(faces, target, tolerance, barriers=along)
