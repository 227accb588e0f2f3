"""Training-free change detector for new buildings (新增建筑), tiled and windowed.

For each tile (with an overlap halo so morphology and object tests see past the tile
edge) the detector:

1. computes the building index of both epochs (:mod:`.features`) at the feature
   resolution (finer inputs are area-averaged on read);
2. marks pixels whose index rose by more than ``threshold`` and where the earlier
   epoch had nothing building-like nearby (``before_max`` within ``before_radius_m``,
   which tolerates small mis-registration and suppresses re-roofed buildings);
3. opens the mask, drops objects smaller than ``min_area_m2`` and keeps only objects
   next to a *new* shadow — a new building casts one, a new pavement does not;
4. optionally adds objects where the DSM rose by more than ``dsm_height_m``.

The result is one uint8 raster on the feature grid: 0 = no change, 1..255 = change
with that confidence (×255). Memory is bounded by the tile size, never by the raster.
"""

from __future__ import annotations

import math
import os
import threading
from dataclasses import asdict, dataclass

import numpy as np
import rasterio
from affine import Affine
from rasterio.enums import MaskFlags, Resampling
from rasterio.windows import Window
from scipy import ndimage as ndi

from ..errors import InputError
from ..progress import Progress, ensure_progress
from .align import discard, iter_windows, temp_path
from .features import (
    building_index,
    dilate,
    epoch_stats,
    excess_green,
    fill_holes,
    label,
    max_filter,
    opening,
    pool,
    raw_features,
    shadow_mask,
    upsample,
)
from .features import cv2 as features_cv2
from .raster import color_bands, open_raster, reads_pair, resolution_in_metres

MASK_PROFILE = {"driver": "GTiff", "tiled": True, "blockxsize": 512, "blockysize": 512,
                "compress": "deflate", "zlevel": 1, "count": 1, "dtype": "uint8", "nodata": None,
                "BIGTIFF": "IF_SAFER"}


@dataclass
class DetectorParams:
    """Detector settings; lengths are metres so they hold at any resolution.

    The defaults were tuned by hand on the 11 LEVIR-CD sample pairs (0.5 m): see
    ``scripts/eval/change_detection.py`` and the README for the figures.
    """

    feature_resolution: float = 1.0
    threshold: float = 0.2
    before_max: float = 1.0
    before_radius_m: float = 4.5
    smooth_m: float = 5.0
    open_m: float = 2.0
    shadow_percentile: float = 20.0
    shadow_gate_m: float = 2.0
    mbi_weight: float = 0.5
    index_coarsen: int = 1
    mbi_sizes_m: tuple = (4.5, 8.5, 16.5)
    min_area_m2: float = 20.0
    vegetation_max: float | None = None
    drop_shadow: bool = True
    confidence_scale: float = 1.2
    min_confidence: float = 0.35
    dsm_height_m: float = 2.5
    tile: int = 1024
    halo_m: float = 40.0
    # Worker processes (command line only) or, when workers is 1, tile threads (also in QGIS).
    workers: int = 1
    threads: int = 2

    def px(self, metres: float, res: float, minimum: int = 1) -> int:
        """A length in metres as a whole number of feature pixels."""
        return max(minimum, int(round(metres / res)))


@dataclass
class DetectionResult:
    """Where the change raster is and what it holds."""

    path: str
    resolution: float
    changed_pixels: int
    changed_area_m2: float
    tiles: int
    params: dict


def _sample(ds, bands, factor: int, windows: int = 6, size: int = 128) -> tuple[np.ndarray, np.ndarray]:
    """A mosaic of ``windows``² evenly spread windows at the feature resolution, and validity.

    The statistics must come from the same grid the tiles are processed on, or the
    multi-scale features (MBI, smoothing) would be standardised with the wrong spread.

    Reading a few hundred blocks instead of a decimated whole raster keeps the
    statistics pass cheap on a 20,000² raster without overviews, while the windows
    still cover the whole scene.
    """
    side = size * factor
    # Never more windows than fit side by side, so small rasters are read once, whole.
    nx, ny = min(windows, math.ceil(ds.width / side)), min(windows, math.ceil(ds.height / side))
    cols = np.unique(np.linspace(0, max(0, ds.width - side), nx).astype(int))
    rows = np.unique(np.linspace(0, max(0, ds.height - side), ny).astype(int))
    data, valid = [], []
    for r in rows:
        row_d, row_v = [], []
        for c in cols:
            window = Window(int(c), int(r), min(side, ds.width), min(side, ds.height))
            shape = (max(1, int(window.height) // factor), max(1, int(window.width) // factor))
            d, v = _read_tile(ds, bands, window, factor, shape)
            row_d.append(d)
            row_v.append(v)
        data.append(np.concatenate(row_d, axis=2))
        valid.append(np.concatenate(row_v, axis=1))
    return np.concatenate(data, axis=1), np.concatenate(valid, axis=0)


def check_pair(before: str, after: str) -> None:
    """Raise :class:`InputError` unless the two rasters share a grid and band count."""
    with open_raster(before, "earlier epoch") as b, open_raster(after, "later epoch") as a:
        if len(color_bands(b)) != len(color_bands(a)):
            raise InputError(f"the epochs have different band counts ({len(color_bands(b))} vs "
                             f"{len(color_bands(a))})", source=f"{before} / {after}")
        if not (b.crs == a.crs and b.width == a.width and b.height == a.height
                and b.transform.almost_equals(a.transform)):
            raise InputError("the epochs are not on one grid; run 'urbangrid imagery align' first",
                             source=f"{before} / {after}")
        if len(color_bands(b)) < 3:
            raise InputError("the training-free detector needs 3 colour bands (RGB)", source=before)


def _read_tile(ds, bands, window: Window, factor: int, out_shape: tuple[int, int]):
    """Read a window, area-averaged by ``factor``, with its validity mask."""
    if factor == 1:
        data = ds.read(bands, window=window)
        valid = ds.read_masks(1, window=window) > 0
        return data, valid
    data = _read_averaged_fast(ds, bands, window, factor, out_shape)
    if data is not None:
        return data, np.ones(out_shape, bool)
    data = ds.read(bands, window=window, out_shape=(len(bands),) + out_shape,
                   resampling=Resampling.average)
    valid = ds.read_masks(1, window=window, out_shape=out_shape, resampling=Resampling.nearest) > 0
    return data, valid


_READ_BUFFERS = threading.local()


def _buffer(name: str, shape: tuple, dtype) -> np.ndarray:
    """A reusable per-thread array: a fresh 15 MB array per read costs more in page faults than the read."""
    array = getattr(_READ_BUFFERS, name, None)
    if array is None or array.shape != shape or array.dtype != dtype:
        array = np.empty(shape, dtype)
        setattr(_READ_BUFFERS, name, array)
    return array


def _release_buffers() -> None:
    _READ_BUFFERS.__dict__.clear()


def _read_averaged_fast(ds, bands, window: Window, factor: int, out_shape: tuple[int, int]):
    """GDAL's ``average`` read of an all-valid 8-bit window, as a plain read plus OpenCV.

    GDAL's resampling path costs more than the plain read. On whole ``factor`` ×
    ``factor`` blocks of valid uint8 pixels, OpenCV's area interpolation gives the same
    rounded means (a test checks it). Returns None — use GDAL — for anything else:
    partial blocks at the raster edge, nodata or masked pixels (GDAL leaves them out
    of the mean), other data types, no OpenCV.
    """
    full_shape = (out_shape[0] * factor, out_shape[1] * factor)
    if (features_cv2 is None or any(ds.dtypes[b - 1] != "uint8" for b in bands)
            or (int(window.height), int(window.width)) != full_shape):
        return None
    flags = [ds.mask_flag_enums[b - 1] for b in bands]
    if not all(f == [MaskFlags.all_valid] for f in flags):
        if not all(MaskFlags.per_dataset in f for f in flags):
            return None
        mask = ds.read_masks(bands[0], window=window, out=_buffer("mask", full_shape, np.uint8))
        if mask.min() != 255:
            return None
    full = ds.read(bands, window=window, out=_buffer("data", (len(bands),) + full_shape, np.uint8))
    out = np.empty((len(bands),) + out_shape, np.uint8)
    for i in range(len(bands)):
        features_cv2.resize(full[i], (out_shape[1], out_shape[0]), dst=out[i], interpolation=features_cv2.INTER_AREA)
    return out


def _max_near(index: np.ndarray, radius: int) -> np.ndarray:
    """Maximum of ``index`` within ``radius`` px, computed on a 2× max-pooled grid (4× cheaper)."""
    if radius < 2:
        return max_filter(index, 2 * radius + 1)
    near = max_filter(pool(index, 2, "max"), 2 * ((radius + 1) // 2) + 1)
    return upsample(near, 2, index.shape)


def _gate_objects(labels: np.ndarray, count: int, keep: np.ndarray, fa, fb, stats_before, stats_after,
                  params: DetectorParams, res: float) -> np.ndarray:
    """Keep objects touching a *new* shadow (dark after, not dark before) within the gate distance.

    Works per object on its bounding box plus a margin, so the cost follows the amount
    of change rather than the tile size.
    """
    gate = params.px(params.shadow_gate_m, res)
    grow = params.px(1.5, res)

    def near_new_shadow(box):
        sh_after = shadow_mask(fa["lum_fine"][box], stats_after)
        sh_before = dilate(shadow_mask(fb["lum_fine"][box], stats_before), grow)
        return dilate(opening(sh_after & ~sh_before, 2), gate)

    candidates = np.flatnonzero(keep)
    if len(candidates) > 8:
        # Many objects: one pass over the whole tile is cheaper than one per object.
        hit = np.zeros(count + 1, bool)
        hit[labels[near_new_shadow((slice(None), slice(None))) & (labels > 0)]] = True
        hit[0] = False
        return keep & hit
    margin = gate + grow + 2
    h, w = labels.shape
    slices = ndi.find_objects(labels)
    for i in candidates:
        sl = slices[i - 1]
        box = (slice(max(0, sl[0].start - margin), min(h, sl[0].stop + margin)),
               slice(max(0, sl[1].start - margin), min(w, sl[1].stop + margin)))
        keep[i] = bool((near_new_shadow(box) & (labels[box] == i)).any())
    return keep


def detect_tile(rgb_before: np.ndarray, rgb_after: np.ndarray, valid: np.ndarray, stats_before,
                stats_after, params: DetectorParams, res: float,
                dsm_diff: np.ndarray | None = None) -> np.ndarray:
    """Change confidence (uint8, 0 = none) for one tile of aligned epochs at ``res`` metres."""
    mbi_sizes = tuple(params.px(m, res, 3) | 1 for m in params.mbi_sizes_m) if params.mbi_weight else ()
    c = max(1, params.index_coarsen)
    smooth = params.px(params.smooth_m, res * c)
    fb = raw_features(rgb_before, mbi_sizes, c)
    fa = raw_features(rgb_after, mbi_sizes, c)
    ib = building_index(fb, stats_before, mbi_weight=params.mbi_weight, smooth_px=smooth)
    ia = building_index(fa, stats_after, mbi_weight=params.mbi_weight, smooth_px=smooth)
    shape = valid.shape
    score = upsample(ia - ib, c, shape)
    mask = (score > params.threshold) & valid
    if params.vegetation_max is not None:
        # Roofs are never green: a lawn replacing trees or soil is not a building.
        mask &= excess_green(rgb_after) < params.vegetation_max
    if params.drop_shadow:
        # Smoothing spreads the roof score into its own shadow; the roof stops where it is dark.
        mask &= ~shadow_mask(fa["lum_fine"], stats_after)
    k = params.px(params.open_m, res)
    if mask.any():
        radius = params.px(params.before_radius_m, res)
        if c == 1:
            before_near = _max_near(ib, radius)
        else:
            before_near = upsample(max_filter(ib, 2 * ((radius + c - 1) // c) + 1), c, shape)
        mask &= before_near < params.before_max
        mask = opening(mask, k)
    if mask.any():
        labels, count = label(mask)
        # Only the (few) candidate pixels, in raster order: the same sums as over the whole tile.
        object_of = labels[mask]
        sizes = np.bincount(object_of, minlength=count + 1)
        keep = sizes * res * res >= params.min_area_m2
        keep[0] = False
        if params.min_confidence > 0:
            # Weak objects are mostly re-roofing or mis-registration (the no-change pair).
            sums = np.bincount(object_of, weights=_confidence(score[mask], params), minlength=count + 1)
            mean_conf = sums / np.maximum(sizes, 1)
            keep &= mean_conf >= params.min_confidence
        # A new building casts a new shadow: dark in the later epoch, not dark before.
        keep = _gate_objects(labels, count, keep, fa, fb, stats_before, stats_after, params, res)
        mask = fill_holes(np.take(keep, labels)) if keep.any() else np.zeros_like(mask)
    if dsm_diff is not None:
        risen = opening(np.nan_to_num(dsm_diff) > params.dsm_height_m, max(k, 2))
        mask |= risen & valid
        confidence = np.maximum(_confidence(score, params),
                                np.clip(np.nan_to_num(dsm_diff) / (4 * params.dsm_height_m), 0, 1))[mask]
    else:
        confidence = _confidence(score[mask], params)
    out = np.zeros(mask.shape, np.uint8)
    out[mask] = np.maximum(1, (confidence * 255).round()).astype(np.uint8)
    return out


def _confidence(score: np.ndarray, params: DetectorParams) -> np.ndarray:
    """Change confidence 0..1 from the index rise."""
    return np.clip(score / params.confidence_scale, 0.0, 1.0)


@dataclass
class _TileJob:
    """Everything a worker needs to process one core window (picklable)."""

    before: str
    after: str
    bands_before: list
    bands_after: list
    factor: int
    halo: int
    width: int
    height: int
    stats_before: object
    stats_after: object
    params: DetectorParams
    res: float
    dsm_before: str | None
    dsm_after: str | None

    def run(self, core: Window, datasets=None) -> tuple[Window, np.ndarray]:
        """Read the core window plus halo, detect, and return the core's confidence."""
        db, da = datasets
        r0 = max(0, int(core.row_off) - self.halo)
        c0 = max(0, int(core.col_off) - self.halo)
        r1 = min(self.height, int(core.row_off + core.height) + self.halo)
        c1 = min(self.width, int(core.col_off + core.width) + self.halo)
        shape = (r1 - r0, c1 - c0)
        f = self.factor
        src = Window(c0 * f, r0 * f, min(db.width, c1 * f) - c0 * f, min(db.height, r1 * f) - r0 * f)
        rb, vb = _read_tile(db, self.bands_before, src, f, shape)
        ra, va = _read_tile(da, self.bands_after, src, f, shape)
        dsm = None
        if self.dsm_before and self.dsm_after:
            dsm = _dsm_difference(self.dsm_before, self.dsm_after, db, src, f, shape)
        conf = detect_tile(rb, ra, vb & va, self.stats_before, self.stats_after, self.params, self.res, dsm)
        rr, cc = int(core.row_off) - r0, int(core.col_off) - c0
        return core, conf[rr:rr + int(core.height), cc:cc + int(core.width)]


_WORKER: dict = {}


def _worker_init(job: _TileJob) -> None:
    _WORKER["job"] = job
    _WORKER["datasets"] = (rasterio.open(job.before), rasterio.open(job.after))


def _worker_run(core: Window) -> tuple[Window, np.ndarray]:
    return _WORKER["job"].run(core, _WORKER["datasets"])


def _start_pool(job: _TileJob, workers: int):
    """A process pool whose workers hold the job and their own open datasets (``fork``)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_init, initargs=(job,))


def _run_tiles(job: _TileJob, windows: list, pool, progress: Progress):
    """Yield (core window, confidence) for every window, in-process or on ``pool``.

    Worker processes (command line only — never inside QGIS) or threads get at most
    two tiles each in flight, so memory stays bounded; cancelling stops handing out work.
    """
    if pool is None and job.params.threads > 1 and len(windows) > 1:
        yield from _run_threaded(job, windows, job.params.threads, progress)
        return
    if pool is None:
        with rasterio.open(job.before) as db, rasterio.open(job.after) as da:
            for core in windows:
                progress.check()
                yield job.run(core, (db, da))
        return
    from concurrent.futures import FIRST_COMPLETED, wait

    limit = 2 * pool._max_workers
    pending, queue = set(), list(windows)
    while queue or pending:
        while queue and len(pending) < limit:
            pending.add(pool.submit(_worker_run, queue.pop(0)))
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            progress.check()
            yield future.result()


def _run_threaded(job: _TileJob, windows: list, threads: int, progress: Progress):
    """Yield (core window, confidence) in order, tiles computed on ``threads`` threads.

    OpenCV, numpy and GDAL reads release the GIL on whole tiles, so threads use both
    cores without forking (safe inside QGIS). Each thread opens its own datasets, since
    a GDAL dataset must not be shared between threads; at most two tiles per thread
    are in flight, so memory stays bounded.
    """
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    local, opened, lock = threading.local(), [], threading.Lock()

    def run(core: Window):
        datasets = getattr(local, "datasets", None)
        if datasets is None:
            datasets = local.datasets = (rasterio.open(job.before), rasterio.open(job.after))
            with lock:
                opened.append(datasets)
        return job.run(core, datasets)

    executor = ThreadPoolExecutor(threads, thread_name_prefix="urbangrid-detect")
    try:
        queue, pending = iter(windows), deque()
        for core in queue:
            pending.append(executor.submit(run, core))
            if len(pending) >= 2 * threads:
                break
        while pending:
            progress.check()
            result = pending.popleft().result()
            core = next(queue, None)
            if core is not None:
                pending.append(executor.submit(run, core))
            yield result
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        for datasets in opened:
            for ds in datasets:
                ds.close()


def _dsm_difference(dsm_before: str, dsm_after: str, grid_ds, window: Window, factor: int,
                    out_shape) -> np.ndarray:
    """Height gain (after - before) on one tile, each DSM warped onto the image grid."""
    from rasterio.vrt import WarpedVRT

    tiles = []
    for path in (dsm_before, dsm_after):
        with open_raster(path, "DSM") as src, WarpedVRT(
            src, crs=grid_ds.crs, transform=grid_ds.transform, width=grid_ds.width,
            height=grid_ds.height, resampling=Resampling.bilinear, src_nodata=src.nodata,
            nodata=np.nan, dtype="float32",
        ) as vrt:
            tiles.append(vrt.read(1, window=window, out_shape=out_shape, resampling=Resampling.average))
    return tiles[1] - tiles[0]


@reads_pair
def detect_changes(
    before: str | os.PathLike,
    after: str | os.PathLike,
    out_path: str | os.PathLike,
    *,
    params: DetectorParams | None = None,
    dsm_before: str | None = None,
    dsm_after: str | None = None,
    progress: Progress | None = None,
) -> DetectionResult:
    """Run the training-free detector over an aligned pair and write the change raster.

    The output is written to a temporary file and renamed only when complete, so a
    failure or a cancel leaves nothing behind.
    """
    progress = ensure_progress(progress)
    params = params or DetectorParams()
    before, after, out_path = os.fspath(before), os.fspath(after), os.fspath(out_path)
    check_pair(before, after)
    with open_raster(before) as db, open_raster(after) as da:
        in_res = resolution_in_metres(db)
        factor = max(1, int(round(params.feature_resolution / in_res)))
        res = in_res * factor
        width, height = math.ceil(db.width / factor), math.ceil(db.height / factor)
        transform = db.transform @ Affine.scale(db.width / width, db.height / height)
        bands_b, bands_a = color_bands(db)[:3], color_bands(da)[:3]
        sample_b, valid_b = _sample(db, bands_b, factor)
        sample_a, valid_a = _sample(da, bands_a, factor)
        both = valid_b & valid_a
        if not both.any():
            raise InputError("the epochs share no valid pixel (all nodata)", source=f"{before} / {after}")
        mbi_sizes = tuple(params.px(m, res, 3) | 1 for m in params.mbi_sizes_m) if params.mbi_weight else ()
        stats_b = epoch_stats(sample_b, both, mbi_sizes=mbi_sizes, shadow_percentile=params.shadow_percentile,
                              index_coarsen=params.index_coarsen)
        stats_a = epoch_stats(sample_a, both, mbi_sizes=mbi_sizes, shadow_percentile=params.shadow_percentile,
                              index_coarsen=params.index_coarsen)
        job = _TileJob(before, after, bands_b, bands_a, factor, params.px(params.halo_m, res), width, height,
                       stats_b, stats_a, params, res, dsm_before if dsm_before and dsm_after else None,
                       dsm_after if dsm_before and dsm_after else None)
        windows = list(iter_windows(width, height, max(64, params.tile)))
        profile = dict(MASK_PROFILE, crs=db.crs, transform=transform, width=width, height=height)
    # Workers are forked before any output dataset is open, so none of them inherits it.
    pool = _start_pool(job, params.workers) if params.workers > 1 else None
    tmp = temp_path(out_path)
    changed = 0
    try:
        with rasterio.open(tmp, "w", **profile) as out:
            for i, (core, piece) in enumerate(_run_tiles(job, windows, pool, progress)):
                progress.step(i, len(windows))
                changed += int(np.count_nonzero(piece))
                out.write(piece[None], window=core)
        os.replace(tmp, out_path)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        _release_buffers()
        discard(tmp)
    progress.info(f"change detection: {changed} px changed ({changed * res * res:.0f} m²) at {res:g} m")
    return DetectionResult(out_path, res, changed, changed * res * res, len(windows), asdict(params))
