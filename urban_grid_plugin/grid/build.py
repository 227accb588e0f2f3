"""Build (or re-build) the unit grid of a project from community polygons.

All input is read and checked and all cells are generated in memory first; the
project GeoPackage is written once at the end, in one transaction, so a bad
input or a cancel leaves the stored grid exactly as it was.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputError
from ..io.vector import resolve_working_crs
from ..progress import Progress, ensure_progress
from ..project import create_project, project_crs, read_project_meta, set_project_meta
from . import store
from .barrier import DEFAULT_TARGET_AREA, DEFAULT_TOLERANCE, barrier_cells
from .hierarchy import dissolve_streets, load_barriers, load_communities, load_streets
from .history import _event, check_date, max_sequence, regrid_community
from .lattice import lattice_cells, merge_small, node_coverage
from .numbering import row_height_for
from .topology import match_boundary_vertices

MODES = ("lattice", "barrier")
# Lattice pieces below this share of a full cell are merged into a neighbour.
LATTICE_SLIVER_SHARE = 0.25


@dataclass
class BuildResult:
    """What a build did, for the CLI summary and the Processing log."""

    communities: int = 0
    streets: int = 0
    created: int = 0
    kept: int = 0
    retired: int = 0
    active: int = 0
    areas: np.ndarray = field(default_factory=lambda: np.array([]))
    target_area: float = DEFAULT_TARGET_AREA
    tolerance: float = DEFAULT_TOLERANCE
    seconds: dict[str, float] = field(default_factory=dict)  # read / generate / history / write

    def area_stats(self) -> dict[str, float]:
        """Min/median/mean/max area and the share of cells within the tolerance band."""
        return area_stats(self.areas, self.target_area, self.tolerance)


def area_stats(areas: np.ndarray, target: float, tolerance: float) -> dict[str, float]:
    """Area statistics of cells (m²) and the share within ``target × (1 ± tolerance)``."""
    if len(areas) == 0:
        return {"min": 0.0, "median": 0.0, "mean": 0.0, "max": 0.0, "within": 0.0}
    within = (areas >= target * (1 - tolerance)) & (areas <= target * (1 + tolerance))
    return {"min": float(areas.min()), "median": float(np.median(areas)), "mean": float(areas.mean()),
            "max": float(areas.max()), "within": float(within.mean())}


def generate_cells(community: shapely.Geometry, *, mode: str, target_area: float, tolerance: float,
                   cell_size: float | None = None, barriers: np.ndarray | None = None,
                   barrier_tree: shapely.STRtree | None = None) -> np.ndarray:
    """Cells (Polygons) tiling one community, in either mode; not yet numbered."""
    if mode == "lattice":
        size = cell_size or row_height_for(target_area)
        cells = lattice_cells(community, size)
        # Lattice cells share vertices already (one global lattice; merges keep
        # vertices), so the re-noding pass the barrier mode needs is skipped.
        return merge_small(cells, LATTICE_SLIVER_SHARE * size * size)
    elif mode == "barrier":
        lines = np.array([], dtype=object)
        if barriers is not None and len(barriers):
            tree = barrier_tree or shapely.STRtree(barriers)
            lines = barriers[tree.query(community)]
        cells = barrier_cells(community, lines, target_area, tolerance)
    else:
        raise InputError(f"unknown grid mode {mode!r}; use one of {', '.join(MODES)}", field="mode")
    return node_coverage(cells)


def _share_boundary_vertices(generated: list[np.ndarray], communities: gpd.GeoDataFrame) -> list[np.ndarray]:
    """Insert each side's boundary vertices into the other side's cells (see :mod:`.topology`)."""
    counts = [len(c) for c in generated]
    if sum(counts) == 0:
        return generated
    owner = np.repeat(np.arange(len(generated)), counts)
    boundaries = shapely.boundary(np.asarray(communities.geometry.values, dtype=object))
    cells = match_boundary_vertices(np.concatenate(generated), owner, boundaries)
    return np.split(cells, np.cumsum(counts)[:-1])


def _validate_parameters(mode: str, target_area: float, tolerance: float, cell_size: float | None) -> None:
    if mode not in MODES:
        raise InputError(f"unknown grid mode {mode!r}; use one of {', '.join(MODES)}", field="mode")
    if not target_area or target_area <= 0:
        raise InputError("target area must be a positive number of m²", field="target_area")
    if not 0 < tolerance < 1:
        raise InputError("tolerance must be a fraction between 0 and 1 (e.g. 0.3 for ±30 %)", field="tolerance")
    if cell_size is not None and cell_size <= 0:
        raise InputError("cell size must be a positive number of metres", field="cell_size")


def build_grid(
    project_path: str | os.PathLike,
    communities_path: str | os.PathLike,
    *,
    layer: str | None = None,
    code_field: str | None = None,
    name_field: str | None = None,
    mode: str = "lattice",
    target_area: float = DEFAULT_TARGET_AREA,
    tolerance: float = DEFAULT_TOLERANCE,
    cell_size: float | None = None,
    barrier_paths: list[str] | None = None,
    streets_path: str | None = None,
    create_missing: bool = False,
    date: str | None = None,
    reason: str | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Generate cells for every community in ``communities_path`` and store them.

    With ``create_missing`` a project that does not exist yet is created (EPSG:4547)
    after all input passed its checks. Communities already in the project are re-gridded: cells whose geometry is
    unchanged keep their codes, changed cells are retired and new cells get new
    codes. Communities no longer in the input have their active cells retired.
    """
    progress = ensure_progress(progress)
    _validate_parameters(mode, target_area, tolerance, cell_size)
    date = check_date(date)
    reason = reason or f"grid build ({mode})"
    missing = create_missing and not os.path.exists(project_path)
    # A project that does not exist yet is created only once the input passed every
    # check, so a rejected build leaves no half-made file behind.
    crs = resolve_working_crs(None) if missing else project_crs(project_path)
    clock = time.perf_counter()
    seconds: dict[str, float] = {}
    progress.info("reading communities")
    communities = load_communities(communities_path, layer=layer, code_field=code_field,
                                   name_field=name_field, target_crs=crs, progress=progress)
    street_names = None
    if streets_path:
        spath, slayer = str(streets_path), None
        if "|" in spath:
            spath, slayer = spath.split("|", 1)
        street_names = load_streets(spath, communities, layer=slayer, target_crs=crs, progress=progress)
    barriers = load_barriers(barrier_paths or [], target_crs=crs, progress=progress) if mode == "barrier" else None
    if mode == "barrier" and (barriers is None or not len(barriers)):
        progress.warning("no barrier lines given; communities are split by area only")
    tree = shapely.STRtree(barriers) if barriers is not None and len(barriers) else None
    existing = store.empty_cells(crs) if missing else store.read_cells(project_path)
    last = max_sequence(existing)
    row_height = cell_size or row_height_for(target_area)
    result = BuildResult(communities=len(communities), target_area=target_area, tolerance=tolerance,
                         seconds=seconds)
    columns: dict[str, list] = {c: [] for c in store.CELL_COLUMNS + ["geometry"]}
    events: list[tuple] = []
    by_community = {k: g for k, g in existing.groupby("community_code")} if len(existing) else {}
    seconds["read"] = time.perf_counter() - clock
    clock = time.perf_counter()
    generated = []
    for _, community in progress.sub(0, 80).iterate(communities.iterrows(), len(communities)):
        generated.append(generate_cells(community.geometry, mode=mode, target_area=target_area,
                                        tolerance=tolerance, cell_size=cell_size, barriers=barriers,
                                        barrier_tree=tree))
    generated = _share_boundary_vertices(generated, communities)
    seconds["generate"] = time.perf_counter() - clock
    clock = time.perf_counter()
    for (_, community), cells in zip(communities.iterrows(), generated, strict=True):
        code = community["community_code"]
        rows, new_events = regrid_community(by_community.pop(code, None), community, cells,
                                            row_height=row_height, date=date, reason=reason,
                                            last_sequence=last.get(code, 0))
        for c, values in rows.items():
            columns[c].extend(values)
        events.extend(new_events)
    # Communities that disappeared from the input: retire their active cells.
    for code, old in by_community.items():
        for row in old[store.CELL_COLUMNS + ["geometry"]].to_dict("records"):
            if pd.isna(row["term_date"]):
                row["term_date"] = date
                events.append(_event(row["code"], code, "retired", date, reason, "community no longer in the input"))
            for c in columns:
                columns[c].append(row[c])
    geometry = columns.pop("geometry")
    cells = gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries(np.asarray(geometry, dtype=object), crs=crs), crs=crs)
    cells["area_m2"] = cells["area_m2"].astype(float)
    new_history = pd.DataFrame(events, columns=store.HISTORY_COLUMNS)
    old_history = None if missing else store.read_table(project_path, store.GRID_HISTORY)
    history = new_history
    if old_history is not None and len(old_history):
        history = pd.concat([old_history[store.HISTORY_COLUMNS], new_history], ignore_index=True)
    streets = dissolve_streets(communities, street_names)
    progress.check()
    progress.info("writing the project GeoPackage")
    seconds["history"] = time.perf_counter() - clock
    clock = time.perf_counter()
    if missing:
        create_project(project_path, crs=crs)
    store.write_tables(project_path, {
        store.COMMUNITY: communities[store.COMMUNITY_COLUMNS + ["geometry"]],
        store.STREET: streets,
        store.GRID_CELL: cells[store.CELL_COLUMNS + ["geometry"]],
        store.GRID_HISTORY: history[store.HISTORY_COLUMNS],
    })
    set_project_meta(project_path, grid_mode=mode, grid_target_area=str(target_area),
                     grid_tolerance=str(tolerance), grid_cell_size=str(row_height))
    seconds["write"] = time.perf_counter() - clock
    progress.set_percent(100)
    actions = new_history["action"]
    result.created = int((actions == "created").sum())
    result.kept = int((actions == "kept").sum())
    result.retired = int((actions == "retired").sum())
    active = cells[cells["term_date"].isna()]
    result.active = len(active)
    result.areas = shapely.area(active.geometry.values)
    result.streets = len(streets)
    return result


def grid_settings(project_path: str | os.PathLike) -> tuple[float, float]:
    """The target area and tolerance the project's grid was built with."""
    meta = read_project_meta(project_path)
    return float(meta.get("grid_target_area", DEFAULT_TARGET_AREA)), float(meta.get("grid_tolerance", DEFAULT_TOLERANCE))
