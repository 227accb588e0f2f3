"""Optional model detector: run a user-supplied ONNX change model with onnxruntime.

The model describes itself through ONNX ``metadata_props`` (all optional):

=================  ==========================================================
``input_bands``    colour bands per epoch (default: from the input shape)
``resolution``     metres per pixel the model was trained at (default: input's)
``tile_size``      tile edge in pixels (default: fixed input size, else 512)
``overlap``        pixels shared by neighbouring tiles (default: tile/8)
``threshold``      probability above which a pixel is change (default 0.5)
``scale``          inputs are divided by this (default 255)
=================  ==========================================================

Two layouts are supported: two inputs (earlier, later), each N×C×H×W, or one input
N×2C×H×W with the epochs stacked along channels (6 bands for RGB). The output is a
change probability N×1×H×W (or N×H×W; with two channels the second is taken).
Tiles are written without their overlap margins, so seams do not show.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import numpy as np
import rasterio
from affine import Affine
from rasterio.enums import Resampling
from rasterio.windows import Window

from ..errors import InputError
from ..progress import Progress, ensure_progress
from .align import discard, temp_path
from .detect import MASK_PROFILE, DetectionResult, check_pair
from .raster import color_bands, open_raster, reads_pair, resolution_in_metres


@dataclass
class ModelInfo:
    """What the detector needs to know about a model, from its graph and metadata."""

    path: str
    layout: str  # "two_input" or "stacked"
    input_names: list
    bands: int
    tile_size: int
    overlap: int
    threshold: float
    resolution: float | None
    scale: float


def _int_dim(dim) -> int | None:
    return dim if isinstance(dim, int) and dim > 0 else None


def load_model(path: str | os.PathLike):
    """An onnxruntime session and the model's :class:`ModelInfo`; clear errors for bad models."""
    import onnxruntime as ort

    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError("ONNX model file not found", source=path)
    try:
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own exception types
        raise InputError(f"cannot load ONNX model: {exc}", source=path) from exc
    meta = session.get_modelmeta().custom_metadata_map
    inputs = session.get_inputs()
    for inp in inputs:
        if len(inp.shape) != 4:
            raise InputError(f"model input {inp.name!r} has shape {inp.shape}; expected N×C×H×W",
                             source=path, field=inp.name)
    if len(inputs) == 2:
        layout = "two_input"
        channels = [_int_dim(inp.shape[1]) for inp in inputs]
        if channels[0] != channels[1]:
            raise InputError(f"the two model inputs take different band counts {channels}", source=path)
        bands = channels[0]
    elif len(inputs) == 1:
        layout = "stacked"
        stacked = _int_dim(inputs[0].shape[1])
        if stacked is not None and stacked % 2:
            raise InputError(f"stacked model input has {stacked} channels; expected an even number "
                             "(earlier + later bands)", source=path, field=inputs[0].name)
        bands = stacked // 2 if stacked else None
    else:
        raise InputError(f"model has {len(inputs)} inputs; expected 2 (earlier, later) or 1 (stacked)",
                         source=path)
    if "input_bands" in meta:
        declared = int(meta["input_bands"])
        if bands is not None and declared != bands:
            raise InputError(f"model metadata says {declared} input bands but its input shape takes {bands}",
                             source=path, field="input_bands")
        bands = declared
    fixed = _int_dim(inputs[0].shape[2]), _int_dim(inputs[0].shape[3])
    tile = int(meta.get("tile_size", fixed[0] or 512))
    if fixed[0] and (fixed[0] != tile or fixed[1] != tile):
        raise InputError(f"model input is fixed at {fixed[0]}×{fixed[1]} px but metadata tile_size is {tile}",
                         source=path, field="tile_size")
    info = ModelInfo(
        path=path, layout=layout, input_names=[i.name for i in inputs], bands=bands or 3, tile_size=tile,
        overlap=int(meta.get("overlap", tile // 8)), threshold=float(meta.get("threshold", 0.5)),
        resolution=float(meta["resolution"]) if "resolution" in meta else None,
        scale=float(meta.get("scale", 255.0)),
    )
    if not 0 <= info.overlap < info.tile_size // 2:
        raise InputError(f"model overlap {info.overlap} must be below half the tile size", source=path,
                         field="overlap")
    return session, info


def _probability(output: np.ndarray) -> np.ndarray:
    """The change-probability plane of a model output (N×1×H×W, N×H×W or N×2×H×W)."""
    out = np.asarray(output)
    if out.ndim == 4:
        out = out[:, -1]
    return out[0].astype(np.float32)


@reads_pair
def detect_with_model(
    before: str | os.PathLike,
    after: str | os.PathLike,
    out_path: str | os.PathLike,
    model: str | os.PathLike,
    *,
    threshold: float | None = None,
    progress: Progress | None = None,
) -> DetectionResult:
    """Run an ONNX change model tile by tile and write the same change raster as the detector."""
    progress = ensure_progress(progress)
    before, after, out_path = os.fspath(before), os.fspath(after), os.fspath(out_path)
    session, info = load_model(model)
    check_pair(before, after)
    threshold = info.threshold if threshold is None else threshold
    with open_raster(before) as db, open_raster(after) as da:
        bands_b, bands_a = color_bands(db), color_bands(da)
        if len(bands_b) != info.bands:
            raise InputError(f"model takes {info.bands} bands per epoch but the imagery has {len(bands_b)}",
                             source=info.path, field="input_bands")
        in_res = resolution_in_metres(db)
        factor = 1.0 if not info.resolution else info.resolution / in_res
        if factor < 1.0:
            progress.warning(f"imagery ({in_res:g} m) is coarser than the model expects ({info.resolution:g} m);"
                             " running at the imagery resolution")
            factor = 1.0
        width, height = math.ceil(db.width / factor), math.ceil(db.height / factor)
        transform = db.transform @ Affine.scale(db.width / width, db.height / height)
        tile, overlap = info.tile_size, info.overlap
        step = tile - 2 * overlap
        cores = [(r, c) for r in range(0, height, step) for c in range(0, width, step)]
        profile = dict(MASK_PROFILE, crs=db.crs, transform=transform, width=width, height=height)
        tmp = temp_path(out_path)
        changed = 0
        try:
            with rasterio.open(tmp, "w", **profile) as out:
                for i, (r, c) in enumerate(cores):
                    progress.step(i, len(cores))
                    window = Window((c - overlap) * factor, (r - overlap) * factor, tile * factor, tile * factor)
                    arrays = []
                    for ds, bands in ((db, bands_b), (da, bands_a)):
                        data = ds.read(bands, window=window, out_shape=(len(bands), tile, tile), boundless=True,
                                       fill_value=0, resampling=Resampling.average)
                        arrays.append((data.astype(np.float32) / info.scale)[None])
                    feeds = (dict(zip(info.input_names, arrays, strict=True)) if info.layout == "two_input"
                             else {info.input_names[0]: np.concatenate(arrays, axis=1)})
                    try:
                        prob = _probability(session.run(None, feeds)[0])
                    except Exception as exc:  # noqa: BLE001 - onnxruntime error types vary
                        raise InputError(f"the model failed on a {tile}×{tile} tile: {exc}",
                                         source=info.path) from exc
                    if prob.shape != (tile, tile):
                        raise InputError(f"model output is {prob.shape}, expected {tile}×{tile}", source=info.path)
                    h, w = min(step, height - r), min(step, width - c)
                    core = prob[overlap:overlap + h, overlap:overlap + w]
                    conf = np.where(core > threshold, np.clip(core * 255, 1, 255), 0).astype(np.uint8)
                    changed += int(np.count_nonzero(conf))
                    out.write(conf[None], window=Window(c, r, w, h))
            os.replace(tmp, out_path)
        finally:
            discard(tmp)
        res = in_res * factor
    return DetectionResult(out_path, res, changed, changed * res * res, len(cores),
                           {"model": info.path, "layout": info.layout, "threshold": threshold,
                            "tile_size": tile, "overlap": overlap})
