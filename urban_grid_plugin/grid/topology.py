"""Shared vertices across community boundaries (拓扑一致).

Cells are generated one community at a time, so where two communities meet each
side has only its own vertices: a cell edge on one side spans several shorter
edges on the other (T-junctions). Area-wise that is no gap and no overlap, but
topology tools (QGIS topology editing, GEOS ``CoverageValidator`` behind
``shapely.coverage_is_valid``) want neighbours to share vertices. This module
inserts, into every cell edge lying on a community boundary, the boundary vertices
of the cells across it, using their exact coordinates, so both sides end up with
the same vertex sequence. Nothing is moved; points are only added.
"""

from __future__ import annotations

import numpy as np
import shapely

# A vertex this close (m) to a community boundary or to a cell edge counts as on it.
ON_LINE = 1e-5


def match_boundary_vertices(cells: np.ndarray, owner: np.ndarray, boundaries: np.ndarray,
                            tolerance: float = ON_LINE) -> np.ndarray:
    """Return ``cells`` with the boundary vertices of neighbouring communities inserted.

    ``owner`` gives each cell's index into ``boundaries`` (the community outlines).
    """
    if len(cells) < 2:
        return cells
    rings, ring_cell = shapely.get_rings(cells, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    shapely.prepare(boundaries)
    on = shapely.dwithin(boundaries[owner[ring_cell[ring_of]]], shapely.points(coords), tolerance)
    same_ring = ring_of[:-1] == ring_of[1:]
    edge = np.flatnonzero(same_ring & on[:-1] & on[1:])
    if not len(edge):
        return cells
    points, inverse = np.unique(coords[on], axis=0, return_inverse=True)
    tree = shapely.STRtree(shapely.points(points))
    # Two sides may round the same boundary vertex one grid step apart: give every
    # cluster of near-identical boundary vertices one coordinate first.
    near_a, near_b = tree.query(shapely.points(points), predicate="dwithin", distance=tolerance)
    keep = near_a < near_b
    moved = bool(keep.any())
    if moved:
        rep = np.arange(len(points))
        for _ in range(8):  # clusters are tiny; a few rounds reach the smallest index
            before = rep.copy()
            np.minimum.at(rep, near_b[keep], rep[near_a[keep]])
            if np.array_equal(rep, before):
                break
        coords = coords.copy()
        coords[on] = points[rep[inverse.ravel()]]
        points = np.unique(points[rep], axis=0)
        tree = shapely.STRtree(shapely.points(points))
    a, b = coords[edge], coords[edge + 1]
    segments = shapely.linestrings(np.stack([a, b], axis=1))
    seg_i, pt_i = tree.query(segments, predicate="dwithin", distance=tolerance)
    p, a, b = points[pt_i], a[seg_i], b[seg_i]
    keep = (np.hypot(*(p - a).T) > tolerance) & (np.hypot(*(p - b).T) > tolerance)
    if not keep.any():
        if not moved:
            return cells
        return shapely.polygons(shapely.linearrings(coords, indices=ring_of), indices=ring_cell)
    p, a, b, at = p[keep], a[keep], b[keep], edge[seg_i[keep]]
    direction = b - a
    t = np.einsum("ij,ij->i", p - a, direction) / np.einsum("ij,ij->i", direction, direction)
    inside = (t > 0) & (t < 1)
    p, at, t = p[inside], at[inside], t[inside]
    order = np.lexsort((t, at))
    p, at = p[order], at[order]
    new_coords = np.insert(coords, at + 1, p, axis=0)
    new_ring_of = np.insert(ring_of, at + 1, ring_of[at])
    new_rings = shapely.linearrings(new_coords, indices=new_ring_of)
    return shapely.polygons(new_rings, indices=ring_cell)
