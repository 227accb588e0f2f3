#!/usr/bin/env python
"""Benchmark the unit grid on a generated ~2,000 km² city (~200,000 cells of 10,000 m²).

Measures, in one run:

1. grid generation in both modes (``lattice`` and ``barrier``) through the same
   ``build_grid`` the CLI uses (read inputs, generate, number, write GeoPackage);
2. the peer: QGIS ``native:creategrid`` (100 m rectangles over the city extent)
   followed by ``native:clip`` to the communities, in-process and headless;
3. the full grid check (``check_cells``: validity, codes, duplicates, prefixes,
   membership, gaps, overlaps, outliers) on the cells in memory;
4. the peer for the check: ``shapely.coverage_is_valid`` alone on the same cells.
   It needs GEOS >= 3.12. The project venv's shapely is built against Debian's GEOS
   3.11, so the script times it in a throwaway venv with the PyPI shapely wheel
   (bundled GEOS 3.13+), created on first use at ``/tmp/ug-shapely-wheel``
   (``python3 -m venv`` + ``pip install shapely 'numpy<2'``), in a subprocess of this
   same run, on the same cells passed as WKB.

The lattice project stays at ``/tmp/urbangrid-bench/city.gpkg`` for other
benchmarks; ``urban_grid_plugin.demo.city.bench_city_project()`` rebuilds it.

Run full size under the shared lock:  flock /tmp/ug-bench.lock .venv/bin/python scripts/bench/grid.py
Quick check:                           .venv/bin/python scripts/bench/grid.py --small
The last line is ``grid_check_ratio=X`` (full check time / coverage_is_valid time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
import shapely

WHEEL_VENV = "/tmp/ug-shapely-wheel"
REPEATS = 3  # both checks report their best of three runs
QGIS_PLUGINS = "/usr/share/qgis/python/plugins"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(mode: str, project: str, inputs: dict[str, str]) -> tuple[float, object]:
    from urban_grid_plugin.grid.build import build_grid
    from urban_grid_plugin.project import create_project

    if os.path.exists(project):
        os.unlink(project)
    create_project(project, district_code="320508")
    path, layer = inputs["community"].split("|")
    start = time.perf_counter()
    result = build_grid(project, path, layer=layer, mode=mode, barrier_paths=[inputs["barrier"]], date="2026-01-01")
    return time.perf_counter() - start, result


def qgis_creategrid_clip(inputs: dict[str, str], size: float) -> tuple[float, int]:
    """Time native:creategrid + native:clip on the same communities, headless in-process."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if QGIS_PLUGINS not in sys.path:
        sys.path.append(QGIS_PLUGINS)
    from qgis.core import QgsApplication, QgsVectorLayer

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    import processing

    path, layer = inputs["community"].split("|")
    communities = QgsVectorLayer(f"{path}|layername={layer}", "community", "ogr")
    extent = communities.extent()
    start = time.perf_counter()
    grid = processing.run("native:creategrid", {
        "TYPE": 2, "EXTENT": extent, "HSPACING": size, "VSPACING": size, "HOVERLAY": 0, "VOVERLAY": 0,
        "CRS": communities.crs(), "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
    clipped = processing.run("native:clip", {"INPUT": grid, "OVERLAY": communities,
                                             "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
    elapsed = time.perf_counter() - start
    count = clipped.featureCount()
    del grid, clipped, communities
    app.exitQgis()
    return elapsed, count


def coverage_is_valid_time(cells: np.ndarray) -> tuple[float, bool, str]:
    """Seconds for shapely.coverage_is_valid on ``cells`` (here, or in the wheel venv)."""
    if shapely.geos_version >= (3, 12, 0):
        best = float("inf")
        for _ in range(REPEATS):
            start = time.perf_counter()
            valid = bool(shapely.coverage_is_valid(cells))
            best = min(best, time.perf_counter() - start)
        return best, valid, f"in-process GEOS {shapely.geos_version_string}"
    python = os.path.join(WHEEL_VENV, "bin", "python")
    if not os.path.exists(python):
        # Any python3 will do: the wheel bundles its own GEOS.
        subprocess.run(["python3", "-m", "venv", WHEEL_VENV], check=True)
        subprocess.run([os.path.join(WHEEL_VENV, "bin", "pip"), "install", "-q", "shapely", "numpy<2"], check=True)
    with tempfile.NamedTemporaryFile(suffix=".npy", delete=False) as handle:
        np.save(handle, shapely.to_wkb(cells), allow_pickle=True)
        wkb_path = handle.name
    code = (
        "import json, sys, time, numpy as np, shapely\n"
        f"cells = shapely.from_wkb(np.load({wkb_path!r}, allow_pickle=True))\n"
        "best = float('inf')\n"
        f"for _ in range({REPEATS}):\n"
        "    start = time.perf_counter(); valid = bool(shapely.coverage_is_valid(cells))\n"
        "    best = min(best, time.perf_counter() - start)\n"
        "print(json.dumps({'seconds': best, 'valid': valid, 'geos': shapely.geos_version_string}))\n"
    )
    try:
        out = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(wkb_path)
    info = json.loads(out.strip().splitlines()[-1])
    return info["seconds"], info["valid"], f"subprocess {WHEEL_VENV} (PyPI wheel, GEOS {info['geos']})"


def time_check(project: str) -> tuple[float, float, int, np.ndarray]:
    from urban_grid_plugin.grid import store
    from urban_grid_plugin.grid.check import check_cells

    start = time.perf_counter()
    cells = store.read_active_cells(project)
    communities = store.read_table(project, store.COMMUNITY)
    read = time.perf_counter() - start
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        problems = check_cells(cells, communities)
        best = min(best, time.perf_counter() - start)
    return best, read, len(problems), np.asarray(cells.geometry.values, dtype=object)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="a 6 km × 6 km city (~3,600 cells) for a quick run")
    parser.add_argument("--side-km", type=float, default=45.0, help="city side (default 45 km = 2,025 km²)")
    parser.add_argument("--out", default="/tmp/urbangrid-bench", help="output folder")
    parser.add_argument("--skip-qgis", action="store_true")
    args = parser.parse_args()
    side = 6.0 if args.small else args.side_km
    os.makedirs(args.out, exist_ok=True)
    from urban_grid_plugin.demo.city import write_city

    inputs = write_city(os.path.join(args.out, "city-inputs.gpkg" if not args.small else "small-inputs.gpkg"),
                        side_km=side)
    print(f"city: {side:.0f} km × {side:.0f} km = {side * side:.0f} km², target cell 10,000 m²")
    lattice_project = os.path.join(args.out, "city.gpkg" if not args.small else "small-city.gpkg")
    barrier_project = os.path.join(args.out, "city-barrier.gpkg" if not args.small else "small-city-barrier.gpkg")

    times, checks = {}, {}
    for mode, project in (("lattice", lattice_project), ("barrier", barrier_project)):
        seconds, result = build(mode, project, inputs)
        times[mode] = seconds
        stats = result.area_stats()
        print(f"build {mode:<8} {seconds:8.1f} s  {result.active:>7} cells  area m² median {stats['median']:.0f} "
              f"mean {stats['mean']:.0f}, {stats['within'] * 100:.1f}% within ±30%  (peak RSS {peak_rss_mb():.0f} MB)")
        print("      " + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items()))
    for mode, project in (("barrier", barrier_project), ("lattice", lattice_project)):
        check_seconds, read_seconds, problems, cells = time_check(project)
        cov_seconds, cov_valid, where = coverage_is_valid_time(cells)
        checks[mode] = check_seconds / cov_seconds
        print(f"check {mode:<8} {len(cells):>7} cells: full check {check_seconds:.2f} s (+ read {read_seconds:.2f} s), "
              f"{problems} problem(s); coverage_is_valid {cov_seconds:.2f} s, valid={cov_valid} [{where}]")
        print(f"grid_check_ratio_{mode}={checks[mode]:.2f}")
    # QGIS last: exitQgis() deregisters the GDAL drivers the checks above need.
    if not args.skip_qgis:
        qgis_seconds, qgis_count = qgis_creategrid_clip(inputs, 100.0)
        print(f"QGIS native:creategrid + native:clip {qgis_seconds:8.1f} s  {qgis_count:>7} cells")
        for mode in times:
            print(f"build_{mode}_vs_qgis_ratio={times[mode] / qgis_seconds:.2f}")
    print(f"peak RSS {peak_rss_mb():.0f} MB; lattice project kept at {lattice_project}")
    print(f"grid_check_ratio={checks['lattice']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
