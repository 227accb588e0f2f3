"""A generated city of about 2,000 km² (about 200,000 cells of 10,000 m²) for benchmarks.

The city is a grid of districts, each split into streets and about 1 km²
communities, with roads every few hundred metres and rivers. Deterministic for a
given size and seed. :func:`write_city` writes the inputs; the benchmark builds the
grid from them and keeps the project at a stable path for reuse.
"""

from __future__ import annotations

import os

import geopandas as gpd
import numpy as np
import pandas as pd

from .district import DEMO_CRS, ORIGIN, demo_barriers, partition

# Real district codes of one city (苏州) so codes look familiar; the shapes are not real.
DISTRICTS = ["320505", "320506", "320507", "320508", "320509", "320571", "320581", "320582", "320583"]


def city_communities(side_km: float = 45.0, community_km2: float = 1.0, districts: int = 9,
                     streets_per_district: int = 8, seed: int = 2026) -> gpd.GeoDataFrame:
    """Communities tiling a ``side_km`` × ``side_km`` square city, coded by district and street."""
    rng = np.random.default_rng(seed)
    side = side_km * 1000.0
    n = max(1, round(side_km / np.sqrt(community_km2)))
    x0, y0 = ORIGIN
    geoms = partition((x0, y0, x0 + side, y0 + side), n, n, rng)
    cx = np.array([g.centroid.x for g in geoms]) - x0
    cy = np.array([g.centroid.y for g in geoms]) - y0
    dside = int(np.ceil(np.sqrt(districts)))
    d = np.minimum((cx / side * dside).astype(int), dside - 1) * dside + np.minimum((cy / side * dside).astype(int), dside - 1)
    d = np.minimum(d, districts - 1)
    frame = pd.DataFrame({"d": d, "cx": cx, "cy": cy})
    codes = [""] * len(geoms)
    for district, group in frame.groupby("d"):
        order = group.sort_values(["cx", "cy"]).index.to_numpy()
        streets = np.array_split(order, streets_per_district)
        for s, members in enumerate(streets):
            for c, k in enumerate(members):
                codes[k] = f"{DISTRICTS[district % len(DISTRICTS)]}{s + 1:03d}{c + 1:03d}"
    names = [f"社区{i + 1}" for i in range(len(geoms))]
    return gpd.GeoDataFrame({"community_code": codes, "name": names,
                             "street_name": [f"街道{c[6:9]}" for c in codes]},
                            geometry=geoms, crs=DEMO_CRS)


def write_city(path: str | os.PathLike, *, side_km: float = 45.0, seed: int = 2026) -> dict[str, str]:
    """Write city inputs (layers ``community`` and ``barrier``) to a GeoPackage."""
    path = os.fspath(path)
    if os.path.exists(path):
        os.unlink(path)
    communities = city_communities(side_km, seed=seed)
    barriers = demo_barriers(tuple(communities.total_bounds), road_spacing=350.0, seed=seed + 1)
    communities.to_file(path, layer="community", driver="GPKG", engine="pyogrio")
    barriers.to_file(path, layer="barrier", driver="GPKG", engine="pyogrio")
    return {"community": f"{path}|community", "barrier": f"{path}|barrier"}


BENCH_DIR = "/tmp/urbangrid-bench"
BENCH_PROJECT = os.path.join(BENCH_DIR, "city.gpkg")
BENCH_INPUTS = os.path.join(BENCH_DIR, "city-inputs.gpkg")


def bench_city_project(path: str = BENCH_PROJECT, *, side_km: float = 45.0, rebuild: bool = False,
                       progress=None) -> str:
    """The benchmark city's project GeoPackage (lattice grid, ~200,000 cells), built if missing.

    ``scripts/bench/grid.py`` leaves it at ``/tmp/urbangrid-bench/city.gpkg``; other
    benchmarks (components) reuse it. Rebuilding takes a few minutes on 2 cores.
    """
    from ..grid.build import build_grid
    from ..project import create_project

    if os.path.exists(path) and not rebuild:
        return path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    inputs = os.path.join(os.path.dirname(path), "city-inputs.gpkg")
    write_city(inputs, side_km=side_km)
    if os.path.exists(path):
        os.unlink(path)
    create_project(path, district_code="320508")
    build_grid(path, inputs, layer="community", mode="lattice", date="2026-01-01", progress=progress)
    return path
