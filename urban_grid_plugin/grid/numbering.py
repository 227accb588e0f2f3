"""Deterministic grid numbering: west→east, north→south (从西向东、由北至南).

Cells are put into rows one cell-height tall counted down from the community's
northern edge; rows are read north to south and each row west to east, like text.
The order depends on geometry only, so the same cells always get the same numbers.
"""

from __future__ import annotations

import math

import numpy as np
import shapely


def reading_order(cells: np.ndarray, row_height: float, top: float | None = None) -> np.ndarray:
    """Indices that sort ``cells`` north→south by row, then west→east.

    ``row_height`` is normally the nominal cell size (√ target area). ``top`` is
    the northern edge rows are counted from (the community's max y by default).
    """
    if len(cells) == 0:
        return np.array([], dtype=int)
    centroids = shapely.centroid(cells)
    x, y = shapely.get_x(centroids), shapely.get_y(centroids)
    if top is None:
        top = float(shapely.bounds(cells)[:, 3].max())
    rows = np.floor((top - y) / row_height + 1e-9).astype(np.int64)
    # Rounding to the millimetre keeps float noise from flipping ties between runs.
    return np.lexsort((np.round(-y, 3), np.round(x, 3), rows))


def row_height_for(target_area: float) -> float:
    """Row height used for numbering: the side of a square cell of ``target_area``."""
    return math.sqrt(target_area)
