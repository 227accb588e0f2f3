#!/usr/bin/env python
"""Render bench: the one map (一张图) with 4,000,000 components, city and street scale.

Builds (once, cached) a synthetic city under ``/tmp/urbangrid-bench/``: ~200,000 grid
cells of 100 m, 4,000,000 point components in a GeoPackage with a spatial index, and
the per-cell census layer (``component_census_cell``) the components capability
writes. Then, headless with ``QgsMapRendererParallelJob`` (what the canvas uses):

* ``onemap``: the one-map project as :func:`build_one_map` styles it: at city scale
  the component points are out of their scale range and the per-cell census is drawn
  instead; at street scale the rule-based points by class are drawn.
* ``plain``: the same layers, but the component layer with one plain marker symbol
  and no scale rules (and no census stand-in): what a naive project draws.

Each render runs ``--repeat`` times after one warm-up; the median counts. The last
line is ``render_city_vs_plain=X`` (onemap time / plain time at city scale; goal <
0.2). Run the full size under ``flock /tmp/ug-bench.lock``; ``--small`` is a quick check.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np

BENCH_DIR = "/tmp/urbangrid-bench"
CRS = "EPSG:4547"
X0, Y0 = 400_000.0, 3_400_000.0
CELL = 100.0
SIZE = (1600, 1000)


def build_city(path: str, n_components: int, side_cells: int, seed: int = 11) -> None:
    """Write the synthetic city GeoPackage (grid, streets, components, census)."""
    import geopandas as gpd
    import pandas as pd
    import pyogrio
    import shapely

    from urban_grid_plugin.project import create_project

    tmp = path[: -len(".gpkg")] + ".part.gpkg"  # GDAL wants the .gpkg extension
    for stale in (tmp,):
        if os.path.exists(stale):
            os.remove(stale)
    create_project(tmp, crs=CRS, profile="2013", district_code="320508")
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    n_cells = side_cells * side_cells
    col = np.tile(np.arange(side_cells), side_cells)
    row = np.repeat(np.arange(side_cells), side_cells)
    minx, maxy = X0 + col * CELL, Y0 - row * CELL
    cells = shapely.box(minx, maxy - CELL, minx + CELL, maxy)
    streets_per_side = 10
    block = max(1, side_cells // streets_per_side)
    street_idx = (np.minimum(row // block, streets_per_side - 1) * streets_per_side
                  + np.minimum(col // block, streets_per_side - 1))
    street_code = np.char.add("320508", np.char.zfill((street_idx + 1).astype(str), 3))
    community_code = np.char.add(street_code, "001")
    seq = np.arange(n_cells) % 1000
    code = np.char.add(community_code, np.char.zfill(seq.astype(str), 3))
    grid = gpd.GeoDataFrame({
        "code": code, "community_code": community_code, "street_code": street_code,
        "district_code": "320508", "area_m2": CELL * CELL, "init_date": "2024-01-01",
        "term_date": pd.Series([None] * n_cells, dtype=object),
    }, geometry=cells, crs=CRS)
    pyogrio.write_dataframe(grid, tmp, layer="grid_cell", driver="GPKG")
    streets = grid.dissolve("street_code", as_index=False)[["street_code", "geometry"]]
    streets["name"] = [f"街道{i + 1}" for i in range(len(streets))]
    streets["district_code"] = "320508"
    pyogrio.write_dataframe(streets, tmp, layer="street", driver="GPKG",
                            geometry_type="MultiPolygon", promote_to_multi=True)
    print(f"  grid: {n_cells:,} cells in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    # Components cluster in a dense centre, as real cities do.
    t0 = time.perf_counter()
    cell_of = np.minimum((np.abs(rng.normal(0, 0.35, n_components)) * n_cells).astype(np.int64),
                         n_cells - 1)
    cell_of = rng.permutation(n_cells)[cell_of]
    x = minx[cell_of] + rng.uniform(0, CELL, n_components)
    y = maxy[cell_of] - rng.uniform(0, CELL, n_components)
    classes = np.array(["0101", "0103", "0201", "0203", "0301", "0306", "0401", "0502"])
    cls = classes[rng.integers(len(classes), size=n_components)]
    states = np.array(["完好", "完好", "完好", "破损", "丢失"])
    comp = gpd.GeoDataFrame({
        "obj_id": np.char.add(np.char.add("320508", cls),
                              np.char.zfill(np.arange(n_components).astype(str), 6)),
        "class_code": cls, "major_code": cls.astype("U2"),
        "obj_state": states[rng.integers(len(states), size=n_components)],
        "grid_code": code[cell_of], "street_code": street_code[cell_of],
    }, geometry=shapely.points(x, y), crs=CRS)
    pyogrio.write_dataframe(comp, tmp, layer="component_point", driver="GPKG")
    print(f"  components: {n_components:,} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

    t0 = time.perf_counter()
    census = grid[["code", "street_code", "geometry"]].rename(columns={"code": "grid_code"})
    census["total"] = np.bincount(cell_of, minlength=n_cells)
    for major in ("01", "02", "03", "04", "05"):
        mask = comp["major_code"].to_numpy() == major
        census[f"count_{major}"] = np.bincount(cell_of[mask], minlength=n_cells)
    pyogrio.write_dataframe(census, tmp, layer="component_census_cell", driver="GPKG")
    print(f"  census: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    os.replace(tmp, path)


def timed_render(layers, extent, repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` renders after one warm-up; and the last image."""
    from urban_grid_plugin.mapping.render import map_settings, render

    settings = map_settings(layers, extent, SIZE)
    image, _ = render(settings)  # warm-up: provider caches, fonts
    times = []
    for _ in range(repeat):
        image, seconds = render(settings)
        times.append(seconds)
    return statistics.median(times), image


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--components", type=int, default=4_000_000)
    parser.add_argument("--small", action="store_true", help="200,000 components (quick check)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=BENCH_DIR)
    parser.add_argument("--png", action="store_true", help="save the rendered images")
    args = parser.parse_args()
    n = 200_000 if args.small else args.components
    side = int(round((n / 20) ** 0.5))  # ~20 components per cell
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"render-city-{n}.gpkg")
    if not os.path.exists(path):
        print(f"building {path} ({n:,} components, {side * side:,} cells) …", file=sys.stderr)
        build_city(path, n, side)

    from urban_grid_plugin.mapping.qgis_env import ensure_qgis_app

    ensure_qgis_app()
    from qgis.core import QgsProject, QgsRectangle

    from urban_grid_plugin.mapping.one_map import load_project_layers
    from urban_grid_plugin.mapping.render import visible_layers
    from urban_grid_plugin.mapping.styles import style_plain

    project = QgsProject()
    layers = load_project_layers(path, project)
    onemap = visible_layers(project)
    # The plain peer: same layers, components with one symbol and no rules, no census.
    plain_points = layers["component_point"].clone()
    style_plain(plain_points)
    plain_points.setScaleBasedVisibility(False)
    project.addMapLayer(plain_points, False)
    plain = [plain_points if lyr is layers["component_point"] else lyr for lyr in onemap
             if lyr is not layers.get("component_census")]

    full = QgsRectangle(X0, Y0 - side * CELL, X0 + side * CELL, Y0)
    cx, cy = full.center().x(), full.center().y()
    from urban_grid_plugin.mapping.render import scale_extent

    street = scale_extent(cx, cy, 5000, SIZE)
    results = {}
    for scale_name, extent in (("city", full), ("street", street)):
        for style_name, layer_list in (("onemap", onemap), ("plain", plain)):
            seconds, image = timed_render(layer_list, extent, args.repeat)
            results[(scale_name, style_name)] = seconds
            print(f"{scale_name:6s} {style_name:6s} {seconds:8.3f} s", file=sys.stderr)
            if args.png:
                image.save(os.path.join(args.out, f"render-{scale_name}-{style_name}.png"))
    city_ratio = results[("city", "onemap")] / results[("city", "plain")]
    street_ratio = results[("street", "onemap")] / results[("street", "plain")]
    print(f"components={n} cells={side * side} city_onemap_s={results[('city', 'onemap')]:.3f} "
          f"city_plain_s={results[('city', 'plain')]:.3f} "
          f"street_onemap_s={results[('street', 'onemap')]:.3f} "
          f"street_plain_s={results[('street', 'plain')]:.3f} street_vs_plain={street_ratio:.3f}")
    del layers, plain_points, onemap, plain
    project.clear()
    print(f"render_city_vs_plain={city_ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
