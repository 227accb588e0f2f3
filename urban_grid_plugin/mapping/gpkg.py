"""Plain SQLite access to the project GeoPackage that GDAL's R-tree triggers accept.

Layers written by GDAL carry triggers calling ``ST_IsEmpty`` / ``ST_MinX`` …; SQLite
compiles them for any UPDATE of the table, so even ``UPDATE change_candidate SET
review_status=…`` fails on a bare connection. These functions compute the real
bounds, so the spatial index stays right.
"""

from __future__ import annotations

import os
import sqlite3

ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def blob_bounds(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """Bounds of a GeoPackage geometry blob; None for NULL or empty geometry."""
    if blob is None:
        return None
    import shapely

    flags = blob[3]
    if flags & 0b10000:
        return None
    geom = shapely.from_wkb(bytes(blob[8 + ENVELOPE_BYTES[(flags >> 1) & 0b111]:]))
    return None if geom.is_empty else geom.bounds


def connect_gpkg(path: str | os.PathLike, timeout: float = 30.0) -> sqlite3.Connection:
    """A sqlite3 connection with the ST_* functions GDAL's triggers call."""
    con = sqlite3.connect(os.fspath(path), timeout=timeout)
    con.create_function("ST_IsEmpty", 1,
                        lambda b: None if b is None else int(blob_bounds(b) is None),
                        deterministic=True)
    for i, name in enumerate(("ST_MinX", "ST_MinY", "ST_MaxX", "ST_MaxY")):
        con.create_function(name, 1, lambda b, i=i: (blob_bounds(b) or (None,) * 4)[i],
                            deterministic=True)
    con.create_function("GPKG_IsAssignable", 2, lambda a, b: 1, deterministic=True)
    return con
