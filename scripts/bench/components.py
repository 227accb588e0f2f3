"""Benchmark: import + validate + assign + code millions of components (部件).

Usage::

    .venv/bin/python scripts/bench/components.py --n 100000          # quick check
    flock /tmp/ug-bench.lock .venv/bin/python scripts/bench/components.py   # full: 4,000,000

Data: the ~200,000-cell city saved by ``scripts/bench/grid.py`` at
``/tmp/urbangrid-bench/city.gpkg`` (a project GeoPackage with ``grid_cell``). If it is
not there, this script builds a 450 × 450 jittered lattice (202,500 cells of about
10,000 m²) itself and says so. Components are random points of point classes.

Measured in one run:

- ``e2e``: ``import_components`` end to end (read, validate, assign, code, write),
  run first so that ``peak_gb`` is the import's own peak (input generation runs in a
  child process); the peak of the whole run, peers included, is printed too;
- ``io``: merely reading the input (pyogrio, arrow) and writing it to a GeoPackage
  (pyogrio; GDAL 3.6 has no arrow writer) — the floor for any importer;
- ``assign``: cell index build + point lookup alone; peers ``geopandas.sjoin`` and
  QGIS ``native:joinattributesbylocation``. QGIS is timed on a subsample
  (``--qgis-n``) and scaled linearly; the output says so.

Last line: ``assign_vs_sjoin=X assign_vs_qgis=Y import_vs_io=Z peak_gb=W``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import sys
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

BENCH_DIR = "/tmp/urbangrid-bench"
CITY = os.path.join(BENCH_DIR, "city.gpkg")


def peak_gb() -> float:
    """Peak resident memory of this process in GB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def lattice_project(path: str) -> None:
    """A 202,500-cell jittered lattice project (stand-in when the grid benchmark city is absent)."""
    from urban_grid_plugin.project import create_project

    rng = np.random.default_rng(7)
    nx = ny = 450
    s = 100.0
    x0, y0 = 500000.0, 3400000.0
    gx, gy = np.meshgrid(np.arange(nx + 1) * s + x0, np.arange(ny + 1) * s + y0)
    gx = gx + rng.uniform(-20, 20, gx.shape)
    gy = gy + rng.uniform(-20, 20, gy.shape)
    i, j = (a.ravel() for a in np.meshgrid(np.arange(nx), np.arange(ny)))
    ring = np.stack([np.stack([gx[jj, ii], gy[jj, ii]], -1) for jj, ii in
                     ((j, i), (j, i + 1), (j + 1, i + 1), (j + 1, i), (j, i))], 1)
    polys = shapely.polygons(ring)
    comm = (j // 10) * 45 + (i // 10)  # 100 cells per community
    district = np.array(["320505", "320506", "320507", "320508"])[(j // 225) * 2 + (i // 225)]
    street = district + pd.Series((comm % 900) // 60 + 1).astype(str).str.zfill(3).to_numpy(object)
    community = street + pd.Series(comm % 999 + 1).astype(str).str.zfill(3).to_numpy(object)
    seq = pd.Series((j % 10) * 10 + (i % 10) + 1).astype(str).str.zfill(3).to_numpy(object)
    cells = gpd.GeoDataFrame({
        "code": community + seq, "community_code": community, "street_code": street,
        "district_code": district, "area_m2": shapely.area(polys), "init_date": "2020-01-01",
        "term_date": pd.Series([None] * len(polys), dtype=object), "note": pd.Series([None] * len(polys), dtype=object),
    }, geometry=polys, crs="EPSG:4547")
    create_project(path, profile="2013")
    pyogrio.write_dataframe(cells, path, layer="grid_cell", driver="GPKG", geometry_type="Polygon")


def make_input(path: str, n: int, bounds, seed: int = 11) -> None:
    """``n`` random point components of point classes inside ``bounds``."""
    from urban_grid_plugin.codes import load_classes

    rng = np.random.default_rng(seed)
    classes = [c for c, k in load_classes("component", "2013").items() if k.geometry == "point"]
    xmin, ymin, xmax, ymax = bounds
    x = rng.uniform(xmin + 50, xmax - 50, n)
    y = rng.uniform(ymin + 50, ymax - 50, n)
    frame = gpd.GeoDataFrame({
        "class_code": rng.choice(classes, n),
        "obj_state": rng.choice(["完好", "完好", "完好", "破损", "丢失"], n),
        "init_date": rng.choice(["2024-03-01", "2024-04-15", "2025-01-10"], n),
        "data_source": "实测",
    }, geometry=shapely.points(x, y), crs="EPSG:4547")
    pyogrio.write_dataframe(frame, path, layer="survey", driver="GPKG", geometry_type="Point")


def time_qgis(points_path: str, cells_path: str, out_dir: str) -> float:
    """Seconds for QGIS native:joinattributesbylocation, in process (startup not counted)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    import processing

    Processing.initialize()
    t = time.perf_counter()
    processing.run("native:joinattributesbylocation", {
        "INPUT": points_path, "JOIN": cells_path, "PREDICATE": [0], "JOIN_FIELDS": ["code"],
        "METHOD": 0, "DISCARD_NONMATCHING": False, "OUTPUT": os.path.join(out_dir, "qgis_join.gpkg"),
    })
    elapsed = time.perf_counter() - t
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=4_000_000, help="components (default 4,000,000)")
    parser.add_argument("--qgis-n", type=int, default=200_000, help="QGIS subsample (scaled linearly)")
    parser.add_argument("--dir", default=BENCH_DIR)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    from urban_grid_plugin.components.assign import CellIndex
    from urban_grid_plugin.components.importer import _INDEX_CACHE, import_components, read_cells

    base = os.path.join(args.dir, "components-grid.gpkg")
    if os.path.exists(CITY) and "grid_cell" in {n for n, _ in pyogrio.list_layers(CITY)}:
        print(f"grid: {CITY} (from scripts/bench/grid.py)")
        source_grid = CITY
    else:
        source_grid = os.path.join(args.dir, "components-lattice.gpkg")
        print(f"grid: {CITY} not found; using a 202,500-cell jittered lattice at {source_grid}")
        if not os.path.exists(source_grid):
            lattice_project(source_grid)
    cells = read_cells(source_grid)
    print(f"cells: {len(cells)}")
    tag = os.path.splitext(os.path.basename(source_grid))[0]
    inp = os.path.join(args.dir, f"components-input-{tag}-{args.n}.gpkg")
    if not os.path.exists(inp):
        # in a child process, so generating the input does not count towards our peak memory
        child = multiprocessing.get_context("fork").Process(
            target=make_input, args=(inp, args.n, shapely.total_bounds(cells.geometry.to_numpy())))
        child.start()
        child.join()
        if child.exitcode:
            raise SystemExit("generating the input failed")
    print(f"components: {args.n} points in {inp}")

    # end to end import into a fresh copy of the grid project (first, so peak memory is ours)
    shutil.copyfile(source_grid, base)
    _INDEX_CACHE.clear()
    t = time.perf_counter()
    result = import_components(base, inp)
    t_e2e = time.perf_counter() - t
    peak_import = peak_gb()
    print(f"import end to end      {t_e2e:8.2f} s  ({result.inserted} inserted, {result.quarantine_count} "
          f"quarantined; peak {peak_import:.2f} GB)")

    # I/O floor: read with arrow, write a GeoPackage
    t = time.perf_counter()
    frame = pyogrio.read_dataframe(inp, use_arrow=True)
    out = os.path.join(args.dir, "io-out.gpkg")
    if os.path.exists(out):
        os.remove(out)
    pyogrio.write_dataframe(frame, out, layer="survey", driver="GPKG", geometry_type="Point")
    t_io = time.perf_counter() - t
    print(f"io (read+write)        {t_io:8.2f} s")

    # assignment alone vs sjoin
    xs, ys = shapely.get_x(frame.geometry.to_numpy()), shapely.get_y(frame.geometry.to_numpy())
    polys = cells.geometry.to_numpy()
    t = time.perf_counter()
    index = CellIndex(polys)
    ours = index.locate_xy(xs, ys)
    t_assign = time.perf_counter() - t
    print(f"assign (ours)          {t_assign:8.2f} s")
    t = time.perf_counter()
    joined = gpd.sjoin(frame[["geometry"]], cells[["code", "geometry"]], how="left", predicate="intersects")
    t_sjoin = time.perf_counter() - t
    print(f"assign (gpd.sjoin)     {t_sjoin:8.2f} s")
    ref = joined[~joined.index.duplicated()]["index_right"].fillna(-1).to_numpy(np.int64)
    agree = float((ref == ours).mean())
    print(f"agreement with sjoin   {agree:.6f}")
    del joined

    # QGIS on a subsample, scaled linearly
    qn = min(args.qgis_n, args.n)
    sub_path = os.path.join(args.dir, f"qgis-points-{tag}-{qn}.gpkg")
    cells_path = os.path.join(args.dir, f"qgis-cells-{tag}.gpkg")
    if not os.path.exists(sub_path):
        pyogrio.write_dataframe(frame.iloc[:qn], sub_path, layer="points", driver="GPKG", geometry_type="Point")
    if not os.path.exists(cells_path):
        pyogrio.write_dataframe(cells[["code", "geometry"]], cells_path, layer="cells", driver="GPKG",
                                geometry_type="Polygon")
    t_qgis_sub = time_qgis(sub_path, cells_path, args.dir)
    t_qgis = t_qgis_sub * args.n / qn
    note = "" if qn == args.n else f" (measured {t_qgis_sub:.2f} s on {qn} points, scaled ×{args.n / qn:.0f} linearly)"
    print(f"assign (QGIS join)     {t_qgis:8.2f} s{note}")

    print(f"peak memory            {peak_import:8.2f} GB import; {peak_gb():.2f} GB whole run incl. peers")
    print(f"assign_vs_sjoin={t_sjoin / t_assign:.2f} assign_vs_qgis={t_qgis / t_assign:.2f} "
          f"import_vs_io={t_e2e / t_io:.2f} peak_gb={peak_import:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
