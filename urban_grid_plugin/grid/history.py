"""Grid history (历史): retire with a termination date, never reuse a code, keep reasons.

Rules, after GB/T 30428.1's 初始日期 / 终止日期:

- a retired cell keeps its row with ``term_date`` set; its code is never given out
  again (new cells continue after the highest sequence ever used in the community);
- re-gridding a community keeps the code of every cell whose geometry did not
  change, retires the others and numbers the new ones;
- every change writes a ``grid_history`` row with the reason.
"""

from __future__ import annotations

import datetime as _dt
import uuid

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from .codes import COMMUNITY_CODE_LEN, MAX_SEQUENCE, make_grid_code
from .numbering import reading_order
from .store import CELL_COLUMNS, HISTORY_COLUMNS

# A cell whose outline moved by less than this area (m²) in total is unchanged.
SAME_GEOMETRY_AREA = 0.01


def today() -> str:
    """Today's date as 'YYYY-MM-DD'."""
    return _dt.date.today().isoformat()


def check_date(value: str | None) -> str:
    """A 'YYYY-MM-DD' date, today if None; InputError if malformed."""
    if value is None:
        return today()
    try:
        return _dt.date.fromisoformat(str(value)).isoformat()
    except ValueError as exc:
        raise InputError(f"date {value!r} is not YYYY-MM-DD") from exc


def history_rows(codes, community_codes, action: str, date: str, reason: str, detail: str = "") -> pd.DataFrame:
    """``grid_history`` rows for ``codes``, one per cell."""
    codes = list(codes)
    return pd.DataFrame({
        "event_id": [str(uuid.uuid4()) for _ in codes],
        "code": codes,
        "community_code": list(community_codes),
        "action": action,
        "date": date,
        "reason": reason,
        "detail": detail,
    }, columns=HISTORY_COLUMNS)


def _match_unchanged(new_cells: np.ndarray, old_cells: np.ndarray, old_index: list[int]) -> dict[int, int]:
    """Pairs (new cell → old row) whose geometry is the same on the ground.

    Compared by area of the symmetric difference, not by vertices: a neighbour
    community's re-grid may add shared vertices to an otherwise unchanged cell.
    """
    tree = shapely.STRtree(old_cells)
    new_i, old_i = tree.query(shapely.point_on_surface(new_cells), predicate="within")
    if not len(new_i):
        return {}
    diff = shapely.area(shapely.symmetric_difference(new_cells[new_i], old_cells[old_i]))
    same = diff < SAME_GEOMETRY_AREA
    matched: dict[int, int] = {}
    used: set[int] = set()
    for n, o in zip(new_i[same].tolist(), old_i[same].tolist(), strict=True):
        if n not in matched and o not in used:
            matched[n] = old_index[o]
            used.add(o)
    return matched


def max_sequence(cells: pd.DataFrame) -> dict[str, int]:
    """The highest grid sequence ever used per community, retired cells included."""
    if len(cells) == 0:
        return {}
    codes = cells["code"].astype(str)
    seq = pd.to_numeric(codes.str[COMMUNITY_CODE_LEN:], errors="coerce").fillna(0).astype(int)
    return seq.groupby(codes.str[:COMMUNITY_CODE_LEN]).max().to_dict()


def regrid_community(
    existing: gpd.GeoDataFrame | None,
    community: pd.Series,
    new_cells: np.ndarray,
    *,
    row_height: float,
    date: str,
    reason: str,
    last_sequence: int,
) -> tuple[dict[str, list], list[tuple]]:
    """Merge freshly generated cells of one community with its stored cells.

    ``existing`` holds the community's stored cells (active and retired) or None.
    Returns the community's full set of cell rows as columns (``CELL_COLUMNS`` +
    ``geometry``) and the new history rows as tuples in ``HISTORY_COLUMNS`` order.
    Plain lists rather than frames, because a city has thousands of communities.
    """
    code = community["community_code"]
    out: dict[str, list] = {c: [] for c in CELL_COLUMNS + ["geometry"]}
    events: list[tuple] = []
    old_rows: list[dict] = []
    kept_index: dict[int, int] = {}
    if existing is not None and len(existing):
        old_rows = existing[CELL_COLUMNS + ["geometry"]].to_dict("records")
        active = [j for j, r in enumerate(old_rows) if pd.isna(r["term_date"])]
        if active:
            kept_index = _match_unchanged(new_cells, np.asarray([old_rows[j]["geometry"] for j in active],
                                                                dtype=object), active)
    order = reading_order(new_cells, row_height, top=community.geometry.bounds[3])
    fresh = [i for i in order if i not in kept_index]
    if last_sequence + len(fresh) > MAX_SEQUENCE:
        raise InputError(
            f"community {code} would need grid sequence {last_sequence + len(fresh)}; GB/T 30428.1 "
            f"allows {MAX_SEQUENCE} per community and codes are never reused. Use a larger cell size",
            field="community_code",
        )
    codes = {i: make_grid_code(code, last_sequence + n + 1) for n, i in enumerate(fresh)}
    kept_old = set(kept_index.values())

    def add(row: dict) -> None:
        for c in out:
            out[c].append(row[c])

    for j, row in enumerate(old_rows):
        if j in kept_old:
            continue
        if pd.isna(row["term_date"]):
            row = {**row, "term_date": date}
            events.append(_event(row["code"], code, "retired", date, reason, "replaced by re-grid"))
        add(row)
    for i in order:
        if i in kept_index:
            # Same cell on the ground; the new outline may carry vertices shared with a
            # re-gridded neighbour, so it replaces the stored one.
            row = {**old_rows[kept_index[i]], "geometry": new_cells[i], "area_m2": float(new_cells[i].area)}
            add(row)
            events.append(_event(row["code"], code, "kept", date, reason, "unchanged by re-grid"))
        else:
            add({"code": codes[i], "community_code": code, "street_code": community["street_code"],
                 "district_code": community["district_code"], "area_m2": float(new_cells[i].area),
                 "init_date": date, "term_date": None, "note": None, "geometry": new_cells[i]})
            events.append(_event(codes[i], code, "created", date, reason, ""))
    return out, events


def _event(code: str, community: str, action: str, date: str, reason: str, detail: str) -> tuple:
    return (str(uuid.uuid4()), code, community, action, date, reason, detail)


def retire(cells: gpd.GeoDataFrame, codes: list[str], date: str, reason: str) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Set ``term_date`` on active cells ``codes``; InputError for unknown or retired codes."""
    if not reason or not str(reason).strip():
        raise InputError("a reason is required to retire cells", field="reason")
    cells = cells.copy()
    active = cells["term_date"].isna()
    for code in codes:
        match = cells["code"] == code
        if not match.any():
            raise InputError(f"grid cell {code} does not exist", field="code")
        if not (match & active).any():
            raise InputError(f"grid cell {code} is already retired", field="code")
    hit = cells["code"].isin(codes) & active
    cells.loc[hit, "term_date"] = date
    history = history_rows(cells.loc[hit, "code"], cells.loc[hit, "community_code"], "retired", date, reason)
    return cells, history


def edit(cells: gpd.GeoDataFrame, code: str, date: str, reason: str, *, note: str | None = None,
         geometry=None, community_geometry=None) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Change a cell's note or geometry; the change and its reason go to history."""
    if not reason or not str(reason).strip():
        raise InputError("a reason is required to edit a cell", field="reason")
    cells = cells.copy()
    hit = (cells["code"] == code) & cells["term_date"].isna()
    if not hit.any():
        raise InputError(f"no active grid cell {code}", field="code")
    details = []
    if note is not None:
        cells.loc[hit, "note"] = note
        details.append(f"note={note!r}")
    if geometry is not None:
        if geometry.geom_type != "Polygon" or not geometry.is_valid:
            raise InputError("new geometry must be one valid Polygon", field="geometry")
        if community_geometry is not None and geometry.difference(community_geometry).area > 0.01:
            raise InputError(f"new geometry of {code} crosses its community boundary", field="geometry")
        index = cells.index[hit][0]
        cells.loc[index, "geometry"] = geometry
        cells.loc[index, "area_m2"] = float(geometry.area)
        details.append(f"geometry changed, area {geometry.area:.1f} m²")
    if not details:
        raise InputError("nothing to edit: give a note or a geometry")
    community = cells.loc[hit, "community_code"]
    return cells, history_rows([code], community, "edited", date, reason, "; ".join(details))
