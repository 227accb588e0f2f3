"""Regular lattice cells (规则格网) clipped to a community, plus the shared merge step.

The lattice is anchored to multiples of the cell size in the project CRS, so the
lattices of neighbouring communities line up and a re-grid reproduces the same
cells wherever a community did not change.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

POLYGON_ID = 3
# Coordinates of generated cells (and of communities on load) are snapped to this
# grid (m): noding then gives neighbours exactly the same vertices.
GRID_PRECISION = 1e-6


def polygon_parts(geoms) -> np.ndarray:
    """The non-empty Polygon parts of ``geoms`` (collections exploded, lines dropped)."""
    parts = shapely.get_parts(shapely.get_parts(np.asarray(geoms, dtype=object)))
    return parts[(shapely.get_type_id(parts) == POLYGON_ID) & (shapely.area(parts) > 0)]


def lattice_cells(community: BaseGeometry, size: float) -> np.ndarray:
    """Square cells of ``size`` metres clipped to ``community``; each cell one Polygon.

    A box that the community's boundary cuts into several pieces yields one cell per
    piece, so no cell is ever a MultiPolygon.
    """
    minx, miny, maxx, maxy = community.bounds
    i0, i1 = math.floor(minx / size), math.ceil(maxx / size)
    j0, j1 = math.floor(miny / size), math.ceil(maxy / size)
    ii, jj = np.meshgrid(np.arange(i0, i1), np.arange(j0, j1))
    x0, y0 = ii.ravel() * size, jj.ravel() * size
    boxes = shapely.box(x0, y0, x0 + size, y0 + size)
    shapely.prepare(community)
    inside = shapely.contains_properly(community, boxes)
    touching = ~inside & shapely.intersects(community, boxes)
    clipped = shapely.intersection(boxes[touching], community)
    return np.concatenate([boxes[inside], polygon_parts(clipped)])


def _shared_length(a: BaseGeometry, others: np.ndarray, barriers: BaseGeometry | None = None) -> np.ndarray:
    shared = shapely.intersection(shapely.boundary(a), shapely.boundary(others))
    total = shapely.length(shared)
    if barriers is None:
        return total
    free = shapely.length(shapely.difference(shared, barriers))
    # Open boundary first; along-barrier length only breaks ties between closed ones.
    return np.where(free > 1e-6, free + 1e9, total)


def merge_small(cells: np.ndarray, min_area: float, max_area: float | None = None,
                barriers: BaseGeometry | None = None) -> np.ndarray:
    """Merge cells smaller than ``min_area`` into a neighbour, smallest first.

    The neighbour is the one sharing the longest boundary among those whose merged
    area stays within ``max_area``; if none stays within, the longest shared
    boundary wins. With ``barriers`` (a prepared, slightly buffered line union),
    boundary along a barrier does not count, so a piece joins the neighbour on its
    own side of a road or river when it has one. A cell with no neighbour (an
    island) is kept as it is.
    """
    cells = list(cells)
    if len(cells) < 2:
        return np.asarray(cells, dtype=object)
    arr = np.asarray(cells, dtype=object)
    tree = shapely.STRtree(arr)
    left, right = tree.query(arr, predicate="intersects")
    adjacency: dict[int, set[int]] = {i: set() for i in range(len(cells))}
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        if a != b:
            adjacency[a].add(b)
    areas = shapely.area(arr).tolist()
    alive = [True] * len(cells)
    islands: set[int] = set()
    while True:
        small = [i for i in range(len(cells)) if alive[i] and areas[i] < min_area and i not in islands]
        if not small:
            break
        i = min(small, key=lambda k: (areas[k], k))
        neighbours = sorted(n for n in adjacency[i] if alive[n])
        if not neighbours:
            islands.add(i)
            continue
        shared = _shared_length(cells[i], np.asarray([cells[n] for n in neighbours], dtype=object), barriers)
        candidates = [(s, n) for s, n in zip(shared.tolist(), neighbours, strict=True) if s > 0]
        if not candidates:
            islands.add(i)
            continue
        fitting = [c for c in candidates if max_area is None or areas[i] + areas[c[1]] <= max_area]
        if barriers is not None and fitting and max(c[0] for c in fitting) < 1e9 <= max(c[0] for c in candidates):
            fitting = []  # staying on the own side of a barrier beats staying in the area band
        _, target = max(fitting or candidates, key=lambda c: (c[0], -c[1]))
        merged = shapely.union(cells[target], cells[i])
        if merged.geom_type != "Polygon":
            merged = max(polygon_parts([merged]), key=lambda p: p.area, default=merged)
        cells[target] = merged
        areas[target] = merged.area
        alive[i] = False
        for n in adjacency[i]:
            adjacency[n].discard(i)
            if n != target:
                adjacency[n].add(target)
                adjacency[target].add(n)
        adjacency[target].discard(target)
    return np.asarray([c for c, keep in zip(cells, alive, strict=True) if keep], dtype=object)


def node_coverage(cells: np.ndarray, context: np.ndarray | None = None) -> np.ndarray:
    """Rebuild cells from their noded boundaries so shared edges have matching vertices.

    Merging and splitting leave T-junctions (a vertex on one side of a shared edge
    only). Polygonizing the union of all boundaries gives every cell the vertices
    of its neighbours, which keeps the coverage clean for QGIS topology editing and
    for the fast edge-matching check. ``context`` cells (neighbours in other
    communities) are noded in too but not returned. If the result does not have
    one face per cell (the input was not a clean subdivision), the input is
    returned unchanged.
    """
    if len(cells) < 2 and context is None:
        return cells
    lines = shapely.boundary(cells if context is None else np.concatenate([cells, context]))
    linework = shapely.union_all(lines, grid_size=GRID_PRECISION)
    faces = polygon_parts(shapely.get_parts(shapely.polygonize(shapely.get_parts(linework))))
    # Holes of the community (and context cells) are faces too; keep faces inside own cells.
    inside, hit = shapely.STRtree(cells).query(shapely.point_on_surface(faces), predicate="within")
    if len(np.unique(inside)) != len(inside) or len(np.unique(hit)) != len(cells):
        return cells
    if len(inside) == len(cells):
        return faces[inside[np.argsort(hit)]]
    # Noding can leave a sliver face of float-noise size inside a cell: fold it back in.
    out = np.empty(len(cells), dtype=object)
    order = np.argsort(hit, kind="stable")
    for cell, group in zip(*np.unique(hit[order], return_index=True), strict=True):
        members = inside[order][group:group + np.count_nonzero(hit == cell)]
        merged = faces[members[0]] if len(members) == 1 else shapely.union_all(faces[members], grid_size=GRID_PRECISION)
        if merged.geom_type != "Polygon":
            return cells
        out[cell] = merged
    return out
