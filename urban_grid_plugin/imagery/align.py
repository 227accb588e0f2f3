"""Put two epochs on one grid: reproject, co-register and normalise radiometry.

The common grid is the overlap of both footprints in the target CRS (project CRS,
EPSG:4547 by default) at a chosen resolution. Everything streams: rasters are read
through :class:`rasterio.vrt.WarpedVRT` window by window, the co-registration uses a
few tiles and the radiometric normalisation a decimated sample, so a 20,000 ×
20,000 px pair is never loaded whole.

Drone orthophotos (厘米级) are much finer than satellite images (~0.5 m). When an epoch
is finer than the target grid it is area-averaged (``Resampling.average``) rather than
sampled, so the fine epoch looks like the coarse sensor would have seen it; coarser
epochs are resampled bilinearly.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass, field

import numpy as np
import rasterio
from affine import Affine
from pyproj import CRS
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds
from rasterio.windows import Window

from ..errors import InputError
from ..io.vector import DEFAULT_CRS
from ..progress import Progress, ensure_progress
from .raster import color_bands, open_raster, raster_info, reads_pair, resolution_in_metres

BLOCK = 512
PROFILE = {"driver": "GTiff", "tiled": True, "blockxsize": BLOCK, "blockysize": BLOCK,
           "compress": "deflate", "predictor": 2, "zlevel": 1, "BIGTIFF": "IF_SAFER"}


@dataclass
class Grid:
    """A north-up target grid: CRS, transform and size."""

    crs: str
    transform: tuple[float, ...]
    width: int
    height: int

    @property
    def affine(self) -> Affine:
        return Affine(*self.transform[:6])

    @property
    def resolution(self) -> float:
        return abs(self.transform[0])

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        a = self.affine
        return (a.c, a.f + a.e * self.height, a.c + a.a * self.width, a.f)


@dataclass
class AlignResult:
    """What :func:`align_pair` produced and found (written next to the rasters as JSON)."""

    before: str
    after: str
    grid: Grid
    shift_px: tuple[float, float] = (0.0, 0.0)
    shift_m: tuple[float, float] = (0.0, 0.0)
    shift_quality: float = 0.0
    resampling: dict = field(default_factory=dict)
    normalised: bool = False
    warnings: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> AlignResult:
        data = dict(data)
        data["grid"] = Grid(**data["grid"])
        return cls(**data)


def _target_crs(crs: str | CRS | None) -> CRS:
    target = CRS.from_user_input(crs or DEFAULT_CRS)
    if not target.is_projected:
        raise InputError(f"target CRS {target.to_string()} is not projected; choose a metre-based CRS")
    return target


def _check_area_of_use(ds, target: CRS, what: str) -> list[str]:
    """Warn when the data lie outside the target CRS's area of use (large distortion)."""
    aou = target.area_of_use
    if aou is None:
        return []
    west, south, east, north = transform_bounds(ds.crs, "EPSG:4326", *ds.bounds)
    lon, lat = (west + east) / 2, (south + north) / 2
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return [f"{what}: its coordinates are not valid in its own CRS {ds.crs.to_string()} "
                "(wrong CRS assigned?)"]
    margin = 1.0
    if aou.west - margin <= lon <= aou.east + margin and aou.south - margin <= lat <= aou.north + margin:
        return []
    return [f"{what} (centre {lon:.2f}E, {lat:.2f}N) lies outside the area of use of "
            f"{target.to_string()} ({aou.west:.1f}..{aou.east:.1f}E); the reprojection is valid "
            "mathematically but distorts scale and orientation"]


def common_grid(paths: list[str], crs: str | CRS | None = None, resolution: float | None = None) -> Grid:
    """The overlap of all rasters in ``crs`` at ``resolution`` metres (default: the coarsest)."""
    target = _target_crs(crs)
    boxes, resolutions = [], []
    for path in paths:
        with open_raster(path) as ds:
            boxes.append(transform_bounds(ds.crs, target, *ds.bounds, densify_pts=21))
            resolutions.append(resolution_in_metres(ds))
    left = max(b[0] for b in boxes)
    bottom = max(b[1] for b in boxes)
    right = min(b[2] for b in boxes)
    top = min(b[3] for b in boxes)
    if not (left < right and bottom < top):
        raise InputError("the rasters do not overlap", source=" / ".join(os.path.basename(p) for p in paths))
    res = float(resolution or max(resolutions))
    if res <= 0:
        raise InputError(f"resolution must be positive, got {res}", field="resolution")
    # Snap outward-inward to multiples of res so repeated runs give the same grid.
    left = math.ceil(left / res) * res
    top = math.floor(top / res) * res
    width = int(math.floor((right - left) / res))
    height = int(math.floor((top - bottom) / res))
    if width < 2 or height < 2:
        raise InputError(f"the overlap is smaller than two pixels at {res} m; choose a finer resolution",
                         source=" / ".join(os.path.basename(p) for p in paths))
    return Grid(target.to_string(), tuple(Affine(res, 0, left, 0, -res, top))[:6], width, height)


def _resampling_for(ds, grid: Grid) -> Resampling:
    """Area-average a finer source (drone → satellite grid), bilinear otherwise."""
    return Resampling.average if resolution_in_metres(ds) < grid.resolution * 0.75 else Resampling.bilinear


def open_warped(ds, grid: Grid, shift_px: tuple[float, float] = (0.0, 0.0)) -> WarpedVRT:
    """A virtual view of ``ds`` on ``grid`` with an alpha band marking valid pixels.

    ``shift_px`` (dx, dy in target pixels) moves the sampling grid so that content
    found displaced by that amount lines up with the reference epoch.
    """
    transform = grid.affine @ Affine.translation(*shift_px)
    # A source with its own alpha band (drone orthophotos) keeps it as the last band.
    has_alpha = len(color_bands(ds)) < ds.count
    return WarpedVRT(ds, crs=grid.crs, transform=transform, width=grid.width, height=grid.height,
                     resampling=_resampling_for(ds, grid), add_alpha=not has_alpha)


def iter_windows(width: int, height: int, size: int = BLOCK):
    """Row-major windows of ``size`` covering a raster."""
    for row in range(0, height, size):
        for col in range(0, width, size):
            yield Window(col, row, min(size, width - col), min(size, height - row))


def read_sample(vrt: WarpedVRT, bands: list[int], max_side: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """A decimated read of the whole view: (bands×h×w array, valid mask)."""
    scale = max(vrt.width, vrt.height) / max_side
    shape = (max(1, int(vrt.height / max(scale, 1))), max(1, int(vrt.width / max(scale, 1))))
    data = vrt.read(bands, out_shape=(len(bands),) + shape, resampling=Resampling.nearest)
    alpha = vrt.read(vrt.count, out_shape=shape, resampling=Resampling.nearest)
    return data, alpha > 0


def luminance(data: np.ndarray) -> np.ndarray:
    """Mean of the colour bands as float32 (bands first)."""
    return data.astype(np.float32).mean(axis=0)


def phase_correlation(reference: np.ndarray, moving: np.ndarray) -> tuple[float, float, float]:
    """Sub-pixel shift (dx, dy) of ``moving`` relative to ``reference`` and a peak quality.

    Uses the normalised cross-power spectrum with a Hann window; the integer peak is
    refined with a 3-point parabola per axis. ``moving(x) ≈ reference(x - shift)``.
    """
    h, w = reference.shape
    win = np.outer(np.hanning(h), np.hanning(w)).astype(np.float32)
    a = np.fft.rfft2((moving - moving.mean()) * win)
    b = np.fft.rfft2((reference - reference.mean()) * win)
    cross = a * np.conj(b)
    cross /= np.abs(cross) + 1e-9
    corr = np.fft.irfft2(cross, s=(h, w))
    iy, ix = np.unravel_index(int(np.argmax(corr)), corr.shape)

    def refine(c_minus, c0, c_plus):
        denom = c_minus - 2 * c0 + c_plus
        return 0.0 if abs(denom) < 1e-12 else 0.5 * (c_minus - c_plus) / denom

    dy = iy + refine(corr[(iy - 1) % h, ix], corr[iy, ix], corr[(iy + 1) % h, ix])
    dx = ix + refine(corr[iy, (ix - 1) % w], corr[iy, ix], corr[iy, (ix + 1) % w])
    if dy > h / 2:
        dy -= h
    if dx > w / 2:
        dx -= w
    return float(dx), float(dy), float(corr[iy, ix])


def refine_shift(reference: np.ndarray, moving: np.ndarray, valid: np.ndarray,
                 start: tuple[float, float], iterations: int = 8) -> tuple[float, float]:
    """Refine a shift by Lucas–Kanade (Gauss–Newton on the brightness-constancy equation).

    Phase-correlation peaks are biased for sub-pixel shifts on small, smooth images;
    a few Gauss–Newton steps over the valid pixels converge to ~0.05 px.
    """
    from scipy import ndimage as ndi

    ref = (reference - reference[valid].mean()) / (reference[valid].std() + 1e-6)
    mov = (moving - moving[valid].mean()) / (moving[valid].std() + 1e-6)
    gy, gx = np.gradient(ref)
    inner = ndi.binary_erosion(valid, iterations=3)
    dx, dy = start
    for _ in range(iterations):
        # moving(x) ≈ reference(x - d)  ⇔  moving(x + d) ≈ reference(x)
        warped = ndi.shift(mov, (-dy, -dx), order=1, mode="nearest")
        err = (warped - ref)[inner]
        jx, jy = gx[inner], gy[inner]
        a = np.array([[jx @ jx, jx @ jy], [jx @ jy, jy @ jy]], dtype=np.float64)
        if abs(np.linalg.det(a)) < 1e-9:
            break
        step = np.linalg.solve(a, -np.array([jx @ err, jy @ err]))
        dx, dy = dx + step[0], dy + step[1]
        if np.hypot(*step) < 1e-3:
            break
    return float(dx), float(dy)


def _texture_windows(width: int, height: int, size: int, count: int) -> list[Window]:
    """Up to ``count``² evenly spread square windows for co-registration."""
    size = min(size, width, height)
    cols = np.linspace(0, width - size, num=max(1, min(count, width // size))).astype(int)
    rows = np.linspace(0, height - size, num=max(1, min(count, height // size))).astype(int)
    return [Window(int(c), int(r), size, size) for r in rows for c in cols]


def estimate_shift(
    before: WarpedVRT, after: WarpedVRT, bands_before: list[int], bands_after: list[int],
    *, tile: int = 512, tiles: int = 3, progress: Progress | None = None,
) -> tuple[float, float, float]:
    """Median sub-pixel shift (dx, dy, quality) of ``after`` against ``before``.

    Uses up to ``tiles``² tiles with at least half their pixels valid in both
    epochs: phase correlation finds the shift (robust to large offsets), then
    :func:`refine_shift` makes it sub-pixel accurate.
    """
    progress = ensure_progress(progress)
    shifts = []
    for window in _texture_windows(before.width, before.height, tile, tiles):
        progress.check()
        valid = (before.read(before.count, window=window) > 0) & (after.read(after.count, window=window) > 0)
        if valid.mean() < 0.5 or valid.sum() < 256:
            continue
        ref = luminance(before.read(bands_before, window=window))
        mov = luminance(after.read(bands_after, window=window))
        if ref[valid].std() < 1.0 or mov[valid].std() < 1.0:
            continue
        ref_f = np.where(valid, ref, ref[valid].mean())
        mov_f = np.where(valid, mov, mov[valid].mean())
        dx, dy, quality = phase_correlation(ref_f, mov_f)
        dx, dy = refine_shift(ref, mov, valid, (dx, dy))
        shifts.append((dx, dy, quality))
    if not shifts:
        return 0.0, 0.0, 0.0
    arr = np.array(shifts)
    return float(np.median(arr[:, 0])), float(np.median(arr[:, 1])), float(np.median(arr[:, 2]))


def histogram_lut(source: np.ndarray, reference: np.ndarray, dtype: str) -> np.ndarray:
    """Per-band look-up (bands × levels) mapping ``source`` values onto ``reference``'s histogram.

    Both inputs are bands × n valid samples. For 8-bit data the table has 256 entries;
    other types are mapped through 1024 quantiles (see :func:`apply_lut`).
    """
    quantiles = np.linspace(0, 1, 1024)
    tables = []
    for s, r in zip(source, reference, strict=True):
        sq = np.quantile(s, quantiles)
        rq = np.quantile(r, quantiles)
        if dtype == "uint8":
            tables.append(np.clip(np.interp(np.arange(256), sq, rq), 0, 255).round().astype(np.uint8))
        else:
            tables.append(np.stack([sq, rq]))
    return np.stack(tables)


def apply_lut(data: np.ndarray, lut: np.ndarray, dtype: str) -> np.ndarray:
    """Apply :func:`histogram_lut` tables to a bands-first block."""
    if dtype == "uint8":
        return np.stack([lut[i][data[i]] for i in range(data.shape[0])])
    return np.stack([np.interp(data[i], lut[i][0], lut[i][1]).astype(data.dtype)
                     for i in range(data.shape[0])])


def _write_view(vrt: WarpedVRT, bands: list[int], tmp: str, lut: np.ndarray | None, dtype: str,
                grid: Grid, progress: Progress) -> None:
    """Stream a warped view to a tiled GeoTIFF on ``grid`` with an internal validity mask.

    The view of a co-registered epoch samples a shifted grid; its pixels are still
    written on the common grid, which is the point of the shift.
    """
    profile = dict(PROFILE, crs=grid.crs, transform=grid.affine, width=grid.width, height=grid.height,
                   count=len(bands), dtype=dtype, nodata=None)
    windows = list(iter_windows(vrt.width, vrt.height))
    with rasterio.Env(GDAL_TIFF_INTERNAL_MASK=True), rasterio.open(tmp, "w", **profile) as out:
        for i, window in enumerate(windows):
            progress.step(i, len(windows))
            data = vrt.read(bands, window=window)
            if lut is not None:
                data = apply_lut(data, lut, dtype)
            out.write(data, window=window)
            out.write_mask(vrt.read(vrt.count, window=window), window=window)


def temp_path(final: str, suffix: str = ".tif") -> str:
    """A fresh temporary file name next to ``final`` (same file system, so rename is atomic)."""
    folder = os.path.dirname(os.path.abspath(final))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ug-tmp-", suffix=suffix, dir=folder)
    os.close(fd)
    return tmp


def discard(*paths: str) -> None:
    """Remove temporary files (and GDAL side-cars) left by a failed step."""
    for path in paths:
        for p in (path, path + ".msk", path + ".aux.xml"):
            if os.path.exists(p):
                os.unlink(p)


@reads_pair
def align_pair(
    before: str | os.PathLike,
    after: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    crs: str | CRS | None = None,
    resolution: float | None = None,
    co_register: bool = True,
    normalise: bool = True,
    max_shift_px: float = 8.0,
    progress: Progress | None = None,
) -> AlignResult:
    """Align ``after`` onto ``before`` on the common grid and write both as GeoTIFFs.

    Writes ``before.tif``, ``after.tif`` and ``align.json`` into ``out_dir``. The shift
    found by phase correlation is reported and applied to the later epoch (only if it
    is within ``max_shift_px``; larger shifts usually mean a failed match and are
    reported as a warning instead). Raises :class:`InputError` before writing anything
    for rasters that do not overlap, lack a CRS, differ in band count, are corrupt or
    have no valid pixel in common.
    """
    progress = ensure_progress(progress)
    before, after = os.fspath(before), os.fspath(after)
    info_b = raster_info(before, "earlier epoch")
    info_a = raster_info(after, "later epoch")
    if info_b.count != info_a.count:
        raise InputError(f"the epochs have different band counts ({info_b.count} vs {info_a.count} "
                         "colour bands)", source=f"{os.path.basename(before)} / {os.path.basename(after)}")
    grid = common_grid([before, after], crs, resolution)
    target = CRS.from_user_input(grid.crs)
    result = AlignResult(before=os.path.join(os.fspath(out_dir), "before.tif"),
                         after=os.path.join(os.fspath(out_dir), "after.tif"), grid=grid)
    with open_raster(before) as ds_b, open_raster(after) as ds_a:
        result.warnings += _check_area_of_use(ds_b, target, "earlier epoch")
        result.warnings += _check_area_of_use(ds_a, target, "later epoch")
        for message in result.warnings:
            progress.warning(message)
        bands_b, bands_a = color_bands(ds_b), color_bands(ds_a)
        result.resampling = {"before": _resampling_for(ds_b, grid).name,
                             "after": _resampling_for(ds_a, grid).name}
        progress.info(f"common grid {grid.width}×{grid.height} px at {grid.resolution:g} m in {grid.crs} "
                      f"(before: {result.resampling['before']}, after: {result.resampling['after']})")
        with open_warped(ds_b, grid) as vb, open_warped(ds_a, grid) as va:
            sample_b, valid_b = read_sample(vb, bands_b)
            sample_a, valid_a = read_sample(va, bands_a)
            both = valid_b & valid_a
            if both.sum() < 16:
                raise InputError("the overlap holds no valid pixels in both epochs (all nodata)",
                                 source=f"{os.path.basename(before)} / {os.path.basename(after)}")
            if co_register:
                dx, dy, quality = estimate_shift(vb, va, bands_b, bands_a, progress=progress)
                if math.hypot(dx, dy) > max_shift_px:
                    result.warnings.append(f"co-registration found an implausible shift ({dx:.2f}, {dy:.2f}) px; "
                                           "not applied")
                    progress.warning(result.warnings[-1])
                else:
                    result.shift_px = (round(dx, 3), round(dy, 3))
                    result.shift_m = (round(dx * grid.resolution, 3), round(-dy * grid.resolution, 3))
                    result.shift_quality = round(quality, 3)
                    progress.info(f"co-registration shift of the later epoch: dx={dx:.2f} px, dy={dy:.2f} px "
                                  f"({result.shift_m[0]:.2f} m E, {result.shift_m[1]:.2f} m N)")
        lut = None
        with open_warped(ds_a, grid, result.shift_px) as va:
            if normalise:
                sample_a, valid_a = read_sample(va, bands_a)
                both = valid_b & valid_a
                lut = histogram_lut(sample_a[:, both], sample_b[:, both], info_a.dtype)
                result.normalised = True
            tmp_b, tmp_a = temp_path(result.before), temp_path(result.after)
            try:
                with open_warped(ds_b, grid) as vb:
                    _write_view(vb, bands_b, tmp_b, None, info_b.dtype, grid, progress.sub(0, 50))
                _write_view(va, bands_a, tmp_a, lut, info_a.dtype, grid, progress.sub(50, 100))
                os.replace(tmp_b, result.before)
                os.replace(tmp_a, result.after)
            finally:
                discard(tmp_b, tmp_a)
    with open(os.path.join(os.fspath(out_dir), "align.json"), "w", encoding="utf-8") as fh:
        json.dump(result.to_dict(), fh, indent=2)
    return result


def same_grid(path_a: str, path_b: str) -> bool:
    """True when two rasters share CRS, transform and size (already aligned)."""
    with open_raster(path_a) as a, open_raster(path_b) as b:
        return (a.crs == b.crs and a.width == b.width and a.height == b.height
                and a.transform.almost_equals(b.transform))
