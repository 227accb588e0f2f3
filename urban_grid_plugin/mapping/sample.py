"""A small project GeoPackage in the shared data contract's shape, for tests and benches.

The real tables are written by the grid, components, imagery and cases capabilities.
This module writes the same layers with the same fields from a fixed random seed, so
the one map (一张图), the report and the review tool can be exercised on their own, and
so a test does not depend on every other capability having landed.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import MultiPolygon, Point, box

CRS = "EPSG:4547"
DISTRICT = "320508"
X0, Y0 = 500_000.0, 3_450_000.0
CELL = 100.0  # metres; 10,000 m² cells, the 万米单元网格 target
COMPONENT_CLASSES = ("0101", "0103", "0201", "0203", "0301", "0306", "0401", "0502")
STATES = ("collecting", "filed", "dispatched", "handling", "feedback", "verifying", "closed",
          "postponed", "rework")


def _uuid(rng: np.random.Generator) -> str:
    return str(uuid.UUID(bytes=rng.bytes(16), version=4))


def build_sample_project(
    path: str | os.PathLike,
    *,
    streets: int = 3,
    communities_per_street: int = 2,
    cells_per_side: int = 4,
    components_per_cell: int = 6,
    candidates: int = 12,
    cases: int = 40,
    seed: int = 7,
    with_rasters: bool = True,
) -> str:
    """Write a contract-shaped project GeoPackage and return its path.

    Streets sit side by side west to east; each holds ``communities_per_street``
    communities stacked north to south; each community is a square of
    ``cells_per_side``² grid cells of 100 m. With ``with_rasters`` two small GeoTIFF
    epochs (a before and an after with new roofs) are written next to the file and
    registered in ``imagery_epoch``.
    """
    from ..project import create_project

    path = os.fspath(path)
    if os.path.exists(path):
        os.remove(path)
    create_project(path, crs=CRS, profile="2013", district_code=DISTRICT)
    rng = np.random.default_rng(seed)
    side = cells_per_side * CELL

    comm_rows, cell_rows = [], []
    for s in range(streets):
        street_code = f"{DISTRICT}{s + 1:03d}"
        for c in range(communities_per_street):
            code = f"{street_code}{c + 1:03d}"
            x, y = X0 + s * side, Y0 - c * side
            comm_rows.append({"community_code": code, "name": f"示范社区{s + 1}-{c + 1}",
                              "street_code": street_code, "district_code": DISTRICT,
                              "geometry": box(x, y - side, x + side, y)})
            seq = 0
            for row in range(cells_per_side):  # north to south
                for col in range(cells_per_side):  # west to east
                    seq += 1
                    cell_rows.append({
                        "code": f"{code}{seq:03d}", "community_code": code,
                        "street_code": street_code, "district_code": DISTRICT,
                        "area_m2": CELL * CELL, "init_date": "2024-01-01", "term_date": None,
                        "note": None,
                        "geometry": box(x + col * CELL, y - (row + 1) * CELL,
                                        x + (col + 1) * CELL, y - row * CELL),
                    })
    community = gpd.GeoDataFrame(comm_rows, crs=CRS)
    grid = gpd.GeoDataFrame(cell_rows, crs=CRS)
    street = community.dissolve("street_code", as_index=False)[["street_code", "geometry"]]
    street["name"] = [f"示范街道{i + 1}" for i in range(len(street))]
    street["district_code"] = DISTRICT
    street = street[["street_code", "name", "district_code", "geometry"]]
    street["geometry"] = street.geometry.apply(
        lambda g: MultiPolygon([g]) if g.geom_type == "Polygon" else g)

    comp_rows = []
    serial = 0
    for cell in grid.itertuples():
        minx, miny, maxx, maxy = cell.geometry.bounds
        for _ in range(components_per_cell):
            serial += 1
            cls = COMPONENT_CLASSES[int(rng.integers(len(COMPONENT_CLASSES)))]
            comp_rows.append({
                "obj_id": f"{DISTRICT}{cls}{serial:06d}", "class_code": cls, "major_code": cls[:2],
                "obj_name": cls, "dept_code1": "001", "dept_name1": "市政管理处",
                "grid_code": cell.code, "street_code": cell.street_code,
                "community_code": cell.community_code,
                "obj_state": str(rng.choice(["完好"] * 18 + ["破损", "丢失"])),
                "init_date": "2024-03-01", "change_date": None, "data_source": "普查",
                "note": None,
                "geometry": Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy)),
            })
    component = gpd.GeoDataFrame(comp_rows, crs=CRS)

    cand_rows = []
    statuses = ["new", "new", "new", "permitted", "known", "rebuilt"]
    for i in range(candidates):
        cell = grid.iloc[int(rng.integers(len(grid)))]
        cx, cy = cell.geometry.centroid.x, cell.geometry.centroid.y
        w, h = rng.uniform(8, 25), rng.uniform(8, 20)
        cand_rows.append({
            "candidate_id": _uuid(rng), "area_m2": w * h,
            "confidence": float(np.round(rng.uniform(0.5, 0.99), 2)),
            "grid_code": cell.code, "street_code": cell.street_code,
            "community_code": cell.community_code,
            "list_status": statuses[i % len(statuses)], "review_status": "pending",
            "review_note": None, "reviewed_by": None, "reviewed_at": None,
            "list_ref": None, "chip_before": None, "chip_after": None,
            "epoch_before": "epoch-2025", "epoch_after": "epoch-2026", "detector": "sample",
            "detected_at": "2026-10-02T10:00:00+08:00", "case_id": None,
            "geometry": box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2),
        })
    candidate = gpd.GeoDataFrame(cand_rows, crs=CRS)

    case_rows = []
    for _ in range(cases):
        cell = grid.iloc[int(rng.integers(len(grid)))]
        created = dt.datetime(2026, 5, 1) + dt.timedelta(days=float(rng.uniform(0, 200)))
        deadline = created + dt.timedelta(days=float(rng.uniform(3, 120)))
        state = STATES[int(rng.integers(len(STATES)))]
        case_rows.append({
            "case_id": _uuid(rng), "profile": "2013", "kind": "event",
            "class_code": str(rng.choice(["0101", "0102", "0201", "0301"])),
            "description": "示范案件", "grid_code": cell.code, "street_code": cell.street_code,
            "community_code": cell.community_code, "district_code": DISTRICT,
            "component_id": None, "source": str(rng.choice(["inspector", "hotline", "imagery"])),
            "urgency": str(rng.choice(["normal", "normal", "urgent"])),
            "department": str(rng.choice(["市政管理处", "环卫所", "城管执法中队"])),
            "state": state, "deadline": deadline.isoformat(timespec="seconds"),
            "created_at": created.isoformat(timespec="seconds"),
            "updated_at": created.isoformat(timespec="seconds"), "candidate_id": None,
            "geometry": Point(cell.geometry.bounds[0] + rng.uniform(15, 85),
                              cell.geometry.bounds[1] + rng.uniform(15, 85)),
        })
    case = gpd.GeoDataFrame(case_rows, crs=CRS)

    kw = {"driver": "GPKG", "engine": "pyogrio"}
    for name, frame in (("street", street), ("community", community), ("grid_cell", grid),
                        ("component_point", component), ("change_candidate", candidate)):
        frame.to_file(path, layer=name, **kw)
    _write_cases(path, case, rng)
    if with_rasters:
        epochs = _write_epochs(path, candidate, grid.total_bounds, rng)
        _write_table(path, "imagery_epoch", epochs)
    return path


def _write_cases(path: str, case: gpd.GeoDataFrame, rng) -> None:
    """Write cases through the case store's own tables when it is there (same DDL)."""
    try:
        from ..cases.store import (
            connect,
            ensure_case_tables,
            insert_row,
            point_to_gpkg,
            transaction,
        )
    except ImportError:
        case.to_file(path, layer="ug_case", driver="GPKG", engine="pyogrio")
        return
    srs_id = ensure_case_tables(path)
    from contextlib import closing

    with closing(connect(path)) as con, transaction(con):
        for row in case.itertuples(index=False):
            values = row._asdict()
            geom = values.pop("geometry")
            values["geom"] = point_to_gpkg(geom.x, geom.y, srs_id)
            insert_row(con, "ug_case", values)
            insert_row(con, "ug_case_event", {
                "event_id": _uuid(rng), "case_id": values["case_id"], "from_state": None,
                "to_state": values["state"], "action": "sample", "actor": "demo",
                "role": "system", "at": values["created_at"], "note": None})


def _write_table(path: str, name: str, frame: pd.DataFrame) -> None:
    """Append a plain attribute table (no geometry) to the GeoPackage."""
    import pyogrio

    pyogrio.write_dataframe(frame, path, layer=name, driver="GPKG")


def _write_epochs(path: str, candidate: gpd.GeoDataFrame, bounds, rng) -> pd.DataFrame:
    """Write a before/after GeoTIFF pair where the after epoch has the candidates as roofs."""
    import rasterio
    from rasterio.features import rasterize
    from rasterio.transform import from_origin

    res = 1.0
    minx, miny, maxx, maxy = bounds
    width, height = int((maxx - minx) / res), int((maxy - miny) / res)
    transform = from_origin(minx, maxy, res, res)
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.stack([
        90 + 30 * np.sin(xx / 37.0) + 20 * np.cos(yy / 53.0),
        120 + 25 * np.sin(yy / 41.0),
        80 + 20 * np.cos(xx / 29.0 + yy / 61.0),
    ]).astype("float32")
    base += rng.normal(0, 6, base.shape).astype("float32")
    # Roads every 200 m so both epochs read as a city, not noise.
    roads = ((xx % 200) < 8) | ((yy % 200) < 8)
    base[:, roads] = 150
    before = np.clip(base, 0, 255).astype("uint8")
    roofs = rasterize(((g, 1) for g in candidate.geometry), out_shape=(height, width),
                      transform=transform).astype(bool)
    after = before.copy()
    after[0][roofs], after[1][roofs], after[2][roofs] = 205, 95, 70
    folder = os.path.dirname(os.path.abspath(path))
    rows = []
    for epoch_id, data, date in (("epoch-2025", before, "2025-10-01"),
                                 ("epoch-2026", after, "2026-10-01")):
        tif = os.path.join(folder, f"{os.path.splitext(os.path.basename(path))[0]}-{epoch_id}.tif")
        with rasterio.open(tif, "w", driver="GTiff", width=width, height=height, count=3,
                           dtype="uint8", crs=CRS, transform=transform, tiled=True,
                           compress="deflate") as dst:
            dst.write(data)
        rows.append({"epoch_id": epoch_id, "path": tif, "sensor": "drone", "date": date,
                     "resolution": res, "crs": CRS})
    return pd.DataFrame(rows)
