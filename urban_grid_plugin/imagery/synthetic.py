"""Synthetic imagery for the demo, tests and benchmark (no downloads needed).

:func:`make_pair` paints a plausible suburban scene (soil, grass, trees, a road) for
the earlier epoch and adds new buildings — bright or grey roofs with a shadow on one
side — to the later one. :func:`degrade` turns a fine image (e.g. a drone
orthophoto) into a coarser, shifted and radiometrically different "satellite" image.
"""

from __future__ import annotations

import os

import numpy as np
import rasterio
from affine import Affine
from rasterio.enums import Resampling
from scipy import ndimage as ndi
from shapely.geometry import Polygon

from .align import PROFILE, discard, iter_windows, temp_path


def _background(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """Soil and grass with smooth patches and fine noise (bands × h × w uint8)."""
    field = ndi.gaussian_filter(rng.normal(size=(height, width)).astype(np.float32), 12)
    field = (field - field.mean()) / (field.std() + 1e-6)
    grass = field > 0.3
    img = np.empty((3, height, width), np.float32)
    soil = np.array([150, 130, 105], np.float32)
    green = np.array([95, 115, 70], np.float32)
    for b in range(3):
        img[b] = np.where(grass, green[b], soil[b]) + 10 * field
    img += rng.normal(0, 6, size=img.shape).astype(np.float32)
    noise = ndi.gaussian_filter(rng.normal(size=(height, width)).astype(np.float32), 3)
    trees = noise > 2.2 * noise.std()
    img[:, trees] = np.array([45, 70, 40], np.float32)[:, None]
    return np.clip(img, 0, 255).astype(np.uint8)


def _buildings(rng, height, width, count, min_side, max_side):
    """Non-overlapping axis-aligned footprints (row0, col0, h, w) in pixels."""
    taken = np.zeros((height, width), bool)
    out = []
    for _ in range(count * 20):
        if len(out) >= count:
            break
        h, w = rng.integers(min_side, max_side + 1, size=2)
        r, c = rng.integers(4, max(5, height - h - 8)), rng.integers(4, max(5, width - w - 8))
        if taken[max(0, r - 6):r + h + 6, max(0, c - 6):c + w + 6].any():
            continue
        taken[r:r + h, c:c + w] = True
        out.append((int(r), int(c), int(h), int(w)))
    return out


def make_pair(
    out_dir: str | os.PathLike,
    *,
    bounds: tuple[float, float, float, float],
    crs: str = "EPSG:4547",
    resolution: float = 0.5,
    buildings: int = 12,
    seed: int = 42,
) -> dict:
    """Write ``before.tif`` and ``after.tif`` (3-band uint8) and the new buildings as polygons.

    Returns ``{"before", "after", "buildings": [shapely Polygon in crs], "transform"}``.
    The later epoch is also a little brighter (seasonal/radiometric change) so the
    detector has to ignore plain colour difference.
    """
    rng = np.random.default_rng(seed)
    left, bottom, right, top = bounds
    width = int((right - left) / resolution)
    height = int((top - bottom) / resolution)
    transform = Affine(resolution, 0, left, 0, -resolution, top)
    before = _background(rng, height, width)
    after = before.astype(np.int16)
    after = np.clip(after * 1.08 + 6 + rng.normal(0, 4, size=after.shape), 0, 255).astype(np.uint8)
    side = (max(8, int(8 / resolution)), max(12, int(22 / resolution)))
    polys = []
    for r, c, h, w in _buildings(rng, height, width, buildings, *side):
        roof = rng.choice([np.array([215, 215, 210]), np.array([175, 178, 185]), np.array([195, 190, 180])])
        shade = max(2, int(3 / resolution))
        after[:, r + h:r + h + shade, c + shade:c + w + shade] = np.array([35, 35, 40])[:, None, None]
        after[:, r + h:r + h + shade, c + w:c + w + shade] = np.array([35, 35, 40])[:, None, None]
        after[:, r:r + h, c + w:c + w + shade] = np.array([35, 35, 40])[:, None, None]
        after[:, r:r + h, c:c + w] = roof[:, None, None]
        ridge = r + h // 2
        after[:, ridge:ridge + 1, c:c + w] = (roof * 0.8).astype(np.uint8)[:, None, None]
        x0, y0 = transform @ (c, r)
        x1, y1 = transform @ (c + w, r + h)
        polys.append(Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]))
    os.makedirs(out_dir, exist_ok=True)
    paths = {}
    for name, data in (("before", before), ("after", after)):
        path = os.path.join(os.fspath(out_dir), f"{name}.tif")
        profile = dict(PROFILE, crs=crs, transform=transform, width=width, height=height, count=3,
                       dtype="uint8", photometric="RGB")
        with rasterio.open(path, "w", **profile) as ds:
            ds.write(data)
        paths[name] = path
    return {"before": paths["before"], "after": paths["after"], "buildings": polys, "transform": transform}


def degrade(
    source: str | os.PathLike,
    out: str | os.PathLike,
    *,
    resolution: float,
    shift_m: tuple[float, float] = (0.0, 0.0),
    gain: float = 0.85,
    offset: float = 12.0,
    gamma: float = 1.15,
    noise: float = 2.0,
    seed: int = 0,
) -> str:
    """A coarser "satellite" version of ``source``: area-averaged, mis-registered, recoloured.

    The georeferencing is moved by ``shift_m`` (east, north) metres, so the content
    appears displaced by ``-shift`` on the map — the offset co-registration must
    recover. Radiometry changes by gamma, gain and offset plus sensor noise.
    """
    rng = np.random.default_rng(seed)
    with rasterio.open(source) as src:
        scale = resolution / abs(src.res[0])
        width, height = max(2, int(src.width / scale)), max(2, int(src.height / scale))
        bands = [i + 1 for i, ci in enumerate(src.colorinterp) if ci.name != "alpha"] or [1]
        data = src.read(bands, out_shape=(len(bands), height, width), resampling=Resampling.average)
        transform = src.transform @ Affine.scale(src.width / width, src.height / height)
        transform = Affine.translation(*shift_m) @ transform
        crs = src.crs
    img = data.astype(np.float32) / 255.0
    img = 255.0 * np.power(img, gamma) * gain + offset + rng.normal(0, noise, size=img.shape)
    img = np.clip(img, 0, 255).astype(np.uint8)
    tmp = temp_path(os.fspath(out))
    try:
        profile = dict(PROFILE, crs=crs, transform=transform, width=width, height=height,
                       count=len(bands), dtype="uint8")
        with rasterio.open(tmp, "w", **profile) as ds:
            ds.write(img)
        os.replace(tmp, out)
    finally:
        discard(tmp)
    return os.fspath(out)


def write_large_pair(out_dir: str | os.PathLike, size: int, *, seed: int = 7, block: int = 2048) -> tuple[str, str]:
    """Write a size × size × 3 uint8 tiled pair in windows (for the benchmark).

    A small synthetic scene is tiled across the raster with per-window variation so
    the data are not trivially compressible; the later epoch gets buildings painted in.
    """
    tile_pair = make_pair(os.path.join(os.fspath(out_dir), "_tile"), bounds=(0, 0, block * 0.5, block * 0.5),
                          resolution=0.5, buildings=max(4, block // 64), seed=seed)
    with rasterio.open(tile_pair["before"]) as b, rasterio.open(tile_pair["after"]) as a:
        tb, ta = b.read(), a.read()
    paths = []
    transform = Affine(0.5, 0, 500000.0, 0, -0.5, 3000000.0 + size * 0.5)
    for name, tile in (("before", tb), ("after", ta)):
        rng = np.random.default_rng(seed)  # same rolls for both epochs: only the buildings differ
        path = os.path.join(os.fspath(out_dir), f"bench_{name}.tif")
        tmp = temp_path(path)
        profile = dict(PROFILE, crs="EPSG:4547", transform=transform, width=size, height=size, count=3,
                       dtype="uint8", photometric="RGB", compress=None, predictor=None)
        profile = {k: v for k, v in profile.items() if v is not None}
        try:
            with rasterio.open(tmp, "w", **profile) as ds:
                for window in iter_windows(size, size, block):
                    h, w = int(window.height), int(window.width)
                    roll = int(rng.integers(0, block))
                    piece = np.roll(tile, roll, axis=2)[:, :h, :w]
                    ds.write(piece, window=window)
            os.replace(tmp, path)
        finally:
            discard(tmp)
        paths.append(path)
    return paths[0], paths[1]


def demo_data(out_dir: str | os.PathLike, project_path: str | os.PathLike | None = None, *,
              size_m: tuple[float, float] = (600.0, 400.0), buildings: int = 30, seed: int = 11) -> dict:
    """A satellite/drone epoch pair with new buildings over the project's district, plus lists.

    The scene is ``size_m`` metres centred on the district's grid (or at a fixed
    place in EPSG:4547 without a grid). The earlier epoch is a 0.5 m "satellite"
    image, mis-registered by (0.2, -0.15) m and recoloured; the later one a 0.25 m
    "drone" orthophoto. Three small list layers mark one new building as permitted
    (规划许可), one as a known violation (存量违建) and one as rebuilt on a demolished
    site (已拆违建).
    """
    import geopandas as gpd

    centre = (500300.0, 3400200.0)
    crs = "EPSG:4547"
    if project_path is not None:
        from ..project import project_crs
        from .polygons import read_cells

        crs = project_crs(project_path).to_string()
        cells = read_cells(project_path)
        if cells is not None and len(cells):
            minx, miny, maxx, maxy = cells.total_bounds
            centre = ((minx + maxx) / 2, (miny + maxy) / 2)
    w, h = size_m
    left, bottom = round(centre[0] - w / 2), round(centre[1] - h / 2)
    bounds = (left, bottom, left + w, bottom + h)
    out_dir = os.fspath(out_dir)
    scene = make_pair(os.path.join(out_dir, "_scene"), bounds=bounds, crs=crs, resolution=0.25,
                      buildings=buildings, seed=seed)
    satellite = degrade(scene["before"], os.path.join(out_dir, "satellite_2025.tif"), resolution=0.5,
                        shift_m=(0.2, -0.15), gain=0.9, offset=8.0, gamma=1.1, seed=seed)
    drone = os.path.join(out_dir, "drone_2026.tif")
    os.replace(scene["after"], drone)
    os.unlink(scene["before"])
    os.rmdir(os.path.join(out_dir, "_scene"))
    lists = {}
    for i, (name, label) in enumerate((("permits", "许可"), ("known", "存量"), ("demolished", "已拆"))):
        path = os.path.join(out_dir, f"{name}.gpkg")
        frame = gpd.GeoDataFrame({"id": [f"{label}-{i + 1:03d}"]}, geometry=[scene["buildings"][i].buffer(1.5)],
                                 crs=crs)
        frame.to_file(path, driver="GPKG")
        lists[name] = path
    return {"satellite": satellite, "drone": drone, "bounds": bounds, "buildings": len(scene["buildings"]),
            **lists}
