"""Import an existing unit grid, e.g. a city's CJ/T 213 grid with 14-digit codes.

Codes are read in either length and stored as 15 digits (the legacy code is kept
in ``note``). Communities and streets come from the community layer as in a
build; the imported cells can then be checked with :func:`.check.check_project`.
"""

from __future__ import annotations

import os

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..io.vector import POLYGONAL, describe_source, read_vector
from ..progress import Progress, ensure_progress
from ..project import project_crs
from . import store
from .codes import LEGACY_GRID_CODE_LEN, normalize_grid_code
from .hierarchy import dissolve_streets, load_communities
from .history import _event, check_date

CELL_CODE_FIELDS = ("code", "grid_code", "BGID", "bgid", "DYWGBSM", "dywgbsm")


def import_cells(
    project_path: str | os.PathLike,
    cells_path: str | os.PathLike,
    communities_path: str | os.PathLike,
    *,
    cells_layer: str | None = None,
    communities_layer: str | None = None,
    code_field: str | None = None,
    date: str | None = None,
    reason: str = "imported grid",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Store an existing grid in a project that has no grid yet.

    Raises :class:`InputError` (and stores nothing) for a project that already
    has cells, a bad or duplicate code, a MultiPolygon or non-polygon cell, or a
    cell whose community is not in the community layer. Returns counts of the
    cells imported and of the legacy codes converted.
    """
    progress = ensure_progress(progress)
    date = check_date(date)
    crs = project_crs(project_path)
    if len(store.read_cells(project_path)):
        raise InputError("project already has a unit grid; import into a new project",
                         source=os.fspath(project_path))
    source = describe_source(cells_path, cells_layer)
    frame = read_vector(cells_path, layer=cells_layer, geometry_types=POLYGONAL, target_crs=crs,
                        progress=progress, what="grid cell layer")
    field = code_field or next((f for f in CELL_CODE_FIELDS if f in frame.columns), None)
    if field is None or field not in frame.columns:
        raise InputError(f"no grid code field; name it one of {', '.join(CELL_CODE_FIELDS)} or pass it",
                         source=source, field=code_field)
    old = frame[field].map(lambda v: "" if v is None else str(v).strip())
    codes = [normalize_grid_code(v, source=source, row=i + 1, field=field) for i, v in enumerate(old)]
    duplicated = pd.Series(codes).duplicated()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated)[0])
        raise InputError(f"grid code {codes[row]} appears more than once", source=source, row=row + 1, field=field)
    multi = frame.geom_type != "Polygon"
    if multi.any():
        row = int(np.flatnonzero(multi)[0])
        raise InputError("a grid cell must be one Polygon, found MultiPolygon (split it into cells)",
                         source=source, row=row + 1, field="geometry")
    communities = load_communities(communities_path, layer=communities_layer, target_crs=crs, progress=progress)
    known = set(communities["community_code"])
    community_codes = [c[:12] for c in codes]
    for i, c in enumerate(community_codes):
        if c not in known:
            raise InputError(f"grid code {codes[i]}: community {c} is not in the community layer",
                             source=source, row=i + 1, field=field)
    legacy = (old.str.len() == LEGACY_GRID_CODE_LEN).to_numpy()
    geoms = np.asarray(frame.geometry.values, dtype=object)
    cells = gpd.GeoDataFrame({
        "code": codes, "community_code": community_codes, "street_code": [c[:9] for c in codes],
        "district_code": [c[:6] for c in codes], "area_m2": shapely.area(geoms), "init_date": date,
        "term_date": None, "note": [f"legacy code {o}" if is_old else None for o, is_old in zip(old, legacy, strict=True)],
    }, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)
    history = pd.DataFrame([_event(c, cc, "imported", date, reason, n or "")
                            for c, cc, n in zip(cells["code"], cells["community_code"], cells["note"], strict=True)],
                           columns=store.HISTORY_COLUMNS)
    store.write_tables(project_path, {
        store.COMMUNITY: communities[store.COMMUNITY_COLUMNS + ["geometry"]],
        store.STREET: dissolve_streets(communities),
        store.GRID_CELL: cells[store.CELL_COLUMNS + ["geometry"]],
        store.GRID_HISTORY: history,
    })
    return {"imported": len(cells), "converted": int(legacy.sum())}
