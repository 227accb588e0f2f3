"""Synthetic survey batches (部件普查) over a project's grid, for demos and tests.

:func:`write_survey` writes what a city's survey contractor typically delivers:

- ``survey.csv``: point components with the contractor's own column names
  (``BJLX`` class, ``BJBM`` ID, ``ZT`` state, ``CSRQ`` date, ``ZBX``/``ZBY``
  coordinates) and ``mapping.yaml`` mapping them to the standard fields;
- ``facilities.geojson``: line and polygon components in WGS 84 (护栏, 绿地, 停车场 …);
- a few deliberately bad rows of each kind in the CSV, so the quarantine has something
  to show: unknown class, malformed ID, outside every cell, bad date, missing field.
"""

from __future__ import annotations

import os

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..codes import load_classes
from ..project import read_project_meta
from .importer import cell_index

BAD_KINDS = ("unknown class", "malformed ID", "outside every cell", "bad date", "missing field")

MAPPING_YAML = """\
# Field mapping: standard field -> our survey contractor's column name
columns:
  class_code: BJLX
  obj_id: BJBM
  obj_state: ZT
  init_date: CSRQ
  data_source: SJLY
  note: BZ
x: ZBX
y: ZBY
crs: {crs}
"""


def random_points_in_cells(project_path: str, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points inside the project's active cells, spread like a survey.

    Jittered lattice sampling keeps neighbours at least ~40 % of the spacing apart,
    so the only near-duplicates are the ones :func:`write_survey` adds on purpose.
    """
    index, cells = cell_index(project_path)
    geoms = cells.geometry.to_numpy()
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    spacing = float(np.sqrt(shapely.area(geoms).sum() / n))
    while True:
        gx, gy = np.meshgrid(np.arange(xmin, xmax, spacing), np.arange(ymin, ymax, spacing))
        x = gx.ravel() + rng.uniform(-0.3, 0.3, gx.size) * spacing
        y = gy.ravel() + rng.uniform(-0.3, 0.3, gy.size) * spacing
        inside = index.locate_xy(x, y) >= 0
        if inside.sum() >= n:
            pick = rng.choice(np.flatnonzero(inside), n, replace=False)
            return x[pick], y[pick]
        spacing *= 0.95


def write_survey(project_path: str, out_dir: str, *, n: int = 100_000, bad_per_kind: int = 5,
                 facilities: int = 500, duplicates: int = 20, seed: int = 2026) -> dict[str, str]:
    """Write a synthetic survey batch for ``project_path`` into ``out_dir``; return the paths.

    Besides the bad rows, ``duplicates`` rows repeat an earlier component 0.2 m away
    (surveyed twice), for ``urbangrid components duplicates`` to find.
    """
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(seed)
    meta = read_project_meta(project_path)
    profile = meta.get("profile", "2013")
    crs = meta["crs"]
    classes = load_classes("component", profile)
    points = [c for c, k in classes.items() if k.geometry == "point"]
    # manhole covers, lamps and bins dominate real surveys
    weights = np.array([8.0 if ("井盖" in classes[c].name or "灯" in classes[c].name or "垃圾箱" in classes[c].name)
                        else 1.0 for c in points])
    x, y = random_points_in_cells(project_path, n, rng)
    frame = pd.DataFrame({
        "BJLX": rng.choice(points, n, p=weights / weights.sum()),
        "BJBM": "",
        "ZT": rng.choice(["完好", "破损", "丢失", "占用"], n, p=[0.9, 0.06, 0.02, 0.02]),
        "CSRQ": rng.choice(["20240315", "20240420", "20250110"], n),
        "SJLY": "实测",
        "BZ": "",
        "ZBX": x.round(3),
        "ZBY": y.round(3),
    })
    twice = rng.choice(n, duplicates, replace=False)
    copies = frame.iloc[twice].copy()
    copies["ZBX"] = (copies["ZBX"] + 0.2).round(3)
    frame = pd.concat([frame, copies], ignore_index=True).iloc[rng.permutation(n + duplicates)].reset_index(drop=True)
    bad = rng.choice(len(frame), bad_per_kind * len(BAD_KINDS), replace=False).reshape(len(BAD_KINDS), -1)
    frame.loc[bad[0], "BJLX"] = "9" * len(points[0])
    frame.loc[bad[1], "BJBM"] = "12345X"
    frame.loc[bad[2], "ZBX"] = frame.loc[bad[2], "ZBX"] - 1_000_000
    frame.loc[bad[3], "CSRQ"] = "2024-02-30"
    frame.loc[bad[4], "BJLX"] = ""
    csv = os.path.join(out_dir, "survey.csv")
    frame.to_csv(csv, index=False, encoding="utf-8")
    mapping = os.path.join(out_dir, "mapping.yaml")
    with open(mapping, "w", encoding="utf-8") as fh:
        fh.write(MAPPING_YAML.format(crs=crs))
    paths = {"csv": csv, "mapping": mapping}
    if facilities:
        paths["geojson"] = _write_facilities(project_path, out_dir, classes, facilities, rng, crs)
    return paths


def _write_facilities(project_path, out_dir, classes, n, rng, crs) -> str:
    """Lines (护栏 …) and polygons (绿地, 停车场 …) in WGS 84."""
    lines = [c for c, k in classes.items() if k.geometry == "line"]
    polys = [c for c, k in classes.items() if k.geometry == "polygon"]
    x, y = random_points_in_cells(project_path, n, rng)
    is_line = rng.random(n) < 0.5
    angle = rng.uniform(0, np.pi, n)
    length = rng.uniform(20, 120, n)
    geoms = np.empty(n, dtype=object)
    geoms[is_line] = shapely.linestrings(
        np.stack([np.stack([x, y], -1), np.stack([x + np.cos(angle) * length, y + np.sin(angle) * length], -1)], 1)
    )[is_line]
    size = rng.uniform(10, 40, n)
    geoms[~is_line] = shapely.box(x - size, y - size / 2, x + size, y + size / 2)[~is_line]
    frame = gpd.GeoDataFrame({
        "class_code": np.where(is_line, rng.choice(lines, n), rng.choice(polys, n)),
        "obj_state": "完好",
        "init_date": "2024-05-20",
        "data_source": "地形图",
    }, geometry=list(geoms), crs=crs).to_crs("EPSG:4326")
    path = os.path.join(out_dir, "facilities.geojson")
    if os.path.exists(path):
        os.remove(path)
    frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    return path
