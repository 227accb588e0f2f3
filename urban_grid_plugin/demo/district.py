"""A generated demo district (区): streets, communities with codes and barrier lines.

The district is synthetic but shaped like a real one: irregular community
boundaries (a jittered Voronoi partition), two or more streets (街道), straight and
bent roads, a winding river and a few walls. The same ``seed`` always gives the
same file, byte for byte in content, so tests and the demo can rely on it.
"""

from __future__ import annotations

import os

import geopandas as gpd
import numpy as np
import shapely

DEMO_CRS = "EPSG:4547"
DEMO_DISTRICT = "320508"
# Near 31°N on the 114°E central meridian: plausible EPSG:4547 coordinates.
ORIGIN = (500_000.0, 3_430_000.0)

COMMUNITY_NAMES = ["养育巷", "学士", "金阊新城", "西街", "三元", "桐泾", "石路", "留园", "虎丘",
                   "白洋湾", "彩香", "南环", "双塔", "葑门", "沧浪"]
STREET_NAMES = ["金阊街道", "虎丘街道", "白洋湾街道", "双塔街道", "沧浪街道", "平江街道"]


def partition(bounds: tuple[float, float, float, float], nx: int, ny: int, rng: np.random.Generator) -> np.ndarray:
    """Irregular polygons tiling ``bounds`` exactly: a Voronoi diagram of jittered seeds."""
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) / nx, (maxy - miny) / ny
    ii, jj = np.meshgrid(np.arange(nx), np.arange(ny))
    x = minx + (ii.ravel() + 0.5 + rng.uniform(-0.3, 0.3, ii.size)) * dx
    y = miny + (jj.ravel() + 0.5 + rng.uniform(-0.3, 0.3, jj.size)) * dy
    seeds = shapely.multipoints(np.column_stack([x, y]))
    frame = shapely.box(*bounds)
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame.buffer(max(dx, dy) * 4)))
    cells = shapely.intersection(cells, frame)
    # Voronoi output order is not the seed order; sort by seed to stay deterministic.
    tree = shapely.STRtree(cells)
    owner = tree.query(shapely.points(x, y), predicate="within")
    order = np.empty(len(x), dtype=int)
    order[owner[0]] = owner[1]
    return cells[order]


def demo_communities(nx: int = 3, ny: int = 2, size: tuple[float, float] = (1500.0, 900.0),
                     streets_x: int = 2, district: str = DEMO_DISTRICT, origin=ORIGIN,
                     seed: int = 7, street_offset: int = 0) -> gpd.GeoDataFrame:
    """Communities with 12-digit codes, names and street names, tiling a rectangle."""
    rng = np.random.default_rng(seed)
    x0, y0 = origin
    bounds = (x0, y0, x0 + size[0], y0 + size[1])
    geoms = partition(bounds, nx, ny, rng)
    centroids = shapely.centroid(geoms)
    cx = shapely.get_x(centroids)
    street_idx = np.minimum(((cx - x0) / size[0] * streets_x).astype(int), streets_x - 1)
    codes, names, street_names = [], [], []
    counters: dict[int, int] = {}
    for k in np.lexsort((-shapely.get_y(centroids), cx)):
        s = int(street_idx[k])
        counters[s] = counters.get(s, 0) + 1
    counters.clear()
    for k in range(len(geoms)):
        s = int(street_idx[k])
        counters[s] = counters.get(s, 0) + 1
        codes.append(f"{district}{s + 1 + street_offset:03d}{counters[s]:03d}")
        names.append(COMMUNITY_NAMES[k % len(COMMUNITY_NAMES)] + "社区")
        street_names.append(STREET_NAMES[(s + street_offset) % len(STREET_NAMES)])
    return gpd.GeoDataFrame({"community_code": codes, "name": names, "street_name": street_names},
                            geometry=geoms, crs=DEMO_CRS)


def demo_barriers(bounds: tuple[float, float, float, float], *, road_spacing: float = 300.0,
                  seed: int = 11) -> gpd.GeoDataFrame:
    """Roads (a skewed grid), a winding river and short walls over ``bounds``."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = bounds
    lines, kinds = [], []
    for x in np.arange(minx + road_spacing * 0.6, maxx, road_spacing):
        shift = rng.uniform(-0.15, 0.15) * road_spacing
        lines.append(shapely.LineString([(x, miny - 10), (x + shift, maxy + 10)]))
        kinds.append("road")
    for y in np.arange(miny + road_spacing * 0.55, maxy, road_spacing):
        mid = rng.uniform(-0.2, 0.2) * road_spacing
        lines.append(shapely.LineString([(minx - 10, y), ((minx + maxx) / 2, y + mid), (maxx + 10, y)]))
        kinds.append("road")
    t = np.linspace(0, 1, 60)
    ry = miny + (maxy - miny) * (0.3 + 0.4 * t + 0.08 * np.sin(t * 9))
    lines.append(shapely.LineString(np.column_stack([minx - 10 + (maxx - minx + 20) * t, ry])))
    kinds.append("river")
    for _ in range(max(2, int((maxx - minx) * (maxy - miny) / 400_000))):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        lines.append(shapely.LineString([(x, y), (x + rng.uniform(40, 120), y + rng.uniform(-20, 20))]))
        kinds.append("wall")
    return gpd.GeoDataFrame({"kind": kinds}, geometry=lines, crs=DEMO_CRS)


def write_demo_district(path: str | os.PathLike, *, nx: int = 3, ny: int = 2,
                        size: tuple[float, float] = (1500.0, 900.0), seed: int = 7) -> dict[str, str]:
    """Write the demo district to a GeoPackage with layers ``community``, ``street`` and ``barrier``.

    Returns the ``community``, ``street`` and ``barrier`` sources as ``path|layer`` strings.
    Defaults give 6 communities in 2 streets, about 130 cells of 10,000 m².
    """
    path = os.fspath(path)
    if os.path.exists(path):
        os.unlink(path)
    communities = demo_communities(nx, ny, size, seed=seed)
    barriers = demo_barriers(tuple(communities.total_bounds), seed=seed + 4)
    streets = communities.assign(street_code=communities["community_code"].str[:9]).dissolve(
        by="street_code", aggfunc={"street_name": "first"}, as_index=False).rename(columns={"street_name": "name"})
    communities.to_file(path, layer="community", driver="GPKG", engine="pyogrio")
    streets[["street_code", "name", "geometry"]].to_file(path, layer="street", driver="GPKG", engine="pyogrio")
    barriers.to_file(path, layer="barrier", driver="GPKG", engine="pyogrio")
    return {"community": f"{path}|community", "street": f"{path}|street", "barrier": f"{path}|barrier"}
