"""Building-oriented image features (建筑物特征), computed tile by tile in float32.

New buildings in 0.5 m imagery mostly appear as compact, bright-to-grey, weakly
saturated roofs with a dark shadow on the side away from the sun, where there used
to be soil or vegetation. Plain colour difference finds every seasonal change, so
the detector compares a *building index* between the epochs instead:

- brightness (亮度): mean of the colour bands;
- greyness: low saturation, ``(max - min) / max``, roofs are grey, soil and
  vegetation are not;
- a morphological building index (MBI, 形态学建筑物指数), simplified to the mean
  white top-hat over a few square structuring elements of building size;
- texture: local standard deviation of brightness;
- vegetation (excess green) and shadow (dark pixels) cues.

Each feature is standardised with the epoch's own robust statistics (median and
MAD from a decimated sample of the whole raster), which makes the index insensitive
to overall radiometric differences between sensors and dates while still streaming.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage as ndi

try:
    # OpenCV's SIMD min/max/box filters are several times faster than scipy.ndimage's
    # and give the same values (checked in tests); scipy remains the fallback.
    import cv2
except ImportError:  # pragma: no cover - exercised by forcing USE_CV2 = False
    cv2 = None

EPS = 1e-6
USE_CV2 = cv2 is not None
_CV2_DTYPES = (np.uint8, np.uint16, np.int16, np.float32, np.float64)


def _cv2_ok(x: np.ndarray) -> bool:
    return USE_CV2 and x.ndim == 2 and x.dtype.type in _CV2_DTYPES and min(x.shape) > 0


def _square(size: int):
    return cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))


def min_filter(x: np.ndarray, size: int) -> np.ndarray:
    """Minimum over a ``size`` × ``size`` square, as ``scipy.ndimage.minimum_filter``.

    The window is ``[i - size // 2, i - size // 2 + size - 1]`` in both libraries, and
    scipy's mirrored border equals OpenCV's ignored one for a minimum.
    """
    if size <= 1:
        return x
    if _cv2_ok(x):
        return cv2.erode(np.ascontiguousarray(x), _square(size))
    return ndi.minimum_filter(x, size=size)


def max_filter(x: np.ndarray, size: int) -> np.ndarray:
    """Maximum over a ``size`` × ``size`` square, as ``scipy.ndimage.maximum_filter``."""
    if size <= 1:
        return x
    if _cv2_ok(x):
        return cv2.dilate(np.ascontiguousarray(x), _square(size))
    return ndi.maximum_filter(x, size=size)


def box_mean(x: np.ndarray, size: int) -> np.ndarray:
    """Mean over a ``size`` × ``size`` square with mirrored edges, as ``ndi.uniform_filter``."""
    if size <= 1:
        return x
    if _cv2_ok(x) and x.dtype.type in (np.float32, np.float64):
        return cv2.blur(np.ascontiguousarray(x), (size, size), borderType=cv2.BORDER_REFLECT)
    return ndi.uniform_filter(x, size)


def brightness(rgb: np.ndarray) -> np.ndarray:
    """Mean of the colour bands (bands-first input) as float32."""
    if rgb.dtype == np.uint8 and rgb.shape[0] == 3:
        # Pairwise sums of three planes are faster than a reduction over axis 0; same values.
        total = np.add(rgb[0], rgb[1], dtype=np.uint16)
        total += rgb[2]
        return np.multiply(total, np.float32(1.0 / 3), dtype=np.float32)
    if rgb.dtype == np.uint8:
        return rgb.sum(axis=0, dtype=np.uint16).astype(np.float32) * np.float32(1.0 / rgb.shape[0])
    return rgb.astype(np.float32).mean(axis=0)


def saturation(rgb: np.ndarray) -> np.ndarray:
    """HSV-style saturation ``(max - min) / (max + 1)``; 0 for grey roofs."""
    if rgb.shape[0] == 3 and rgb.dtype.kind == "u":
        # Pairwise maxima of three planes are several times faster than a reduction over
        # axis 0, and max - min cannot wrap for unsigned input.
        mx = np.maximum(np.maximum(rgb[0], rgb[1]), rgb[2])
        spread = np.subtract(mx, np.minimum(np.minimum(rgb[0], rgb[1]), rgb[2]))
        den = np.add(mx, np.float32(1.0), dtype=np.float32)
        return np.divide(spread, den, out=den, dtype=np.float32)
    mx = rgb.max(axis=0).astype(np.float32)
    return (mx - rgb.min(axis=0)) / (mx + 1.0)


def excess_green(rgb: np.ndarray) -> np.ndarray:
    """Normalised excess green ``(2G - R - B) / (R + G + B)``: high on vegetation."""
    rgb = rgb.astype(np.float32)
    return (2 * rgb[1] - rgb[0] - rgb[2]) / (rgb.sum(axis=0) + 1.0)


def morphological_building_index(lum: np.ndarray, sizes_px: tuple[int, ...], coarsen: int = 2) -> np.ndarray:
    """Simplified MBI: mean white top-hat ``lum - opening(lum)`` over square elements.

    Bright structures narrower than the element (roofs) stand out; wide bright areas
    (bare soil, large pavements) are removed by the opening. Square elements keep it
    separable (min/max filters, O(n) per scale). The openings run on 8-bit
    brightness ``coarsen`` times coarser than the features — the elements are
    several metres wide, so this loses little and is the detector's biggest saving.
    """
    if not sizes_px:
        return np.zeros_like(lum)
    c = max(1, coarsen)
    small = pool(lum, c, "mean")
    small8 = np.clip(small, 0, 255).astype(np.uint8)
    # Top-hats are whole numbers (an opening never exceeds its input): sum them exactly in uint16.
    acc = np.zeros(small.shape, np.uint16)
    # Squares compose (k1 ⊕ k2 = k1 + k2 - 1), so each erosion starts from the previous one.
    eroded, done = small8, 1
    for k in sorted({max(3, int(round(size / c)) | 1) for size in sizes_px}):
        eroded = min_filter(eroded, k - done + 1)
        done = k
        acc += np.subtract(small8, max_filter(eroded, k))
    mean = np.divide(acc, np.float32(len(sizes_px)), dtype=np.float32)
    return upsample(mean, c, lum.shape)


def pool(x: np.ndarray, factor: int, how: str = "mean") -> np.ndarray:
    """Block mean or max over ``factor`` × ``factor`` blocks (edges padded by replication).

    Summing strided slices is several times faster than ``reshape(...).mean(axis=(1, 3))``.
    """
    if factor == 1:
        return x
    h, w = x.shape
    hc, wc = -(-h // factor), -(-w // factor)
    if (hc * factor, wc * factor) != (h, w):
        x = np.pad(x, ((0, hc * factor - h), (0, wc * factor - w)), mode="edge")
    parts = [x[i::factor, j::factor] for i in range(factor) for j in range(factor)]
    if how == "max":
        out = parts[0].copy()
        for part in parts[1:]:
            np.maximum(out, part, out=out)
        return out
    out = parts[0].astype(np.float32)
    for part in parts[1:]:
        out += part
    out *= np.float32(1.0 / len(parts))
    return out


def upsample(x: np.ndarray, factor: int, shape: tuple[int, int]) -> np.ndarray:
    """Nearest-neighbour upsampling by ``factor``, cropped to ``shape``."""
    if factor == 1:
        return x[: shape[0], : shape[1]]
    hc, wc = x.shape
    if _cv2_ok(x):
        # An integer scale makes OpenCV's nearest neighbour exactly src[i // factor].
        return cv2.resize(x, (wc * factor, hc * factor), interpolation=cv2.INTER_NEAREST)[: shape[0], : shape[1]]
    out = np.empty((hc, factor, wc, factor), x.dtype)
    out[...] = x[:, None, :, None]
    return out.reshape(hc * factor, wc * factor)[: shape[0], : shape[1]]


def dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    """Binary dilation by a square of half-width ``radius`` (separable, fast)."""
    if radius <= 0:
        return mask
    return max_filter(mask.view(np.uint8), 2 * radius + 1).view(bool)


def opening(mask: np.ndarray, size: int) -> np.ndarray:
    """Binary opening by a ``size`` × ``size`` square (separable, fast)."""
    if size <= 1:
        return mask
    m = mask.view(np.uint8)
    if _cv2_ok(m):
        # scipy's grey_opening mirrors the element for the dilation; for an even size that
        # is the anchor (size - 1) // 2.
        k = _square(size)
        a = (size - 1) // 2
        return cv2.dilate(cv2.erode(np.ascontiguousarray(m), k), k, anchor=(a, a)).view(bool)
    return ndi.grey_opening(m, size=(size, size)).view(bool)


def label(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """Label 4-connected objects of a boolean mask, as ``scipy.ndimage.label`` (int32, 0 = background).

    OpenCV may number the objects in another order; callers only rely on the labels
    being 1..count.
    """
    if USE_CV2 and mask.ndim == 2 and min(mask.shape) > 0:
        count, labels = cv2.connectedComponents(np.ascontiguousarray(mask).view(np.uint8), connectivity=4,
                                                ltype=cv2.CV_32S)
        return labels, count - 1
    return ndi.label(mask)


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """Fill background regions not connected to the tile edge (faster than iterated dilation)."""
    background, count = label(~mask)
    if count == 0:
        return mask
    edge = np.unique(np.concatenate([background[0], background[-1], background[:, 0], background[:, -1]]))
    hole = np.ones(count + 1, bool)
    hole[edge] = False
    hole[0] = False
    if not hole.any():
        return mask
    # np.take is about twice as fast as fancy indexing for a look-up table.
    return mask | np.take(hole, background)


def local_std(lum: np.ndarray, size: int) -> np.ndarray:
    """Texture: standard deviation of brightness in a ``size`` window."""
    mean = box_mean(lum, size)
    sq = box_mean(lum * lum, size)
    return np.sqrt(np.maximum(sq - mean * mean, 0.0))


@dataclass
class EpochStats:
    """Robust statistics of one epoch (from a decimated sample), used to standardise tiles."""

    median: dict = field(default_factory=dict)
    scale: dict = field(default_factory=dict)
    shadow_level: float = 0.0

    def z(self, name: str, values: np.ndarray) -> np.ndarray:
        """Robust z-score of ``values`` against this epoch's distribution of ``name``."""
        return (values - self.median[name]) / self.scale[name]


def raw_features(rgb: np.ndarray, mbi_sizes: tuple[int, ...] = (), index_coarsen: int = 1) -> dict[str, np.ndarray]:
    """Raw features of one epoch tile (bands-first, any numeric type).

    ``lum_fine`` stays on the input grid (shadows need the detail); ``lum``, ``sat``
    and ``mbi`` — the inputs of the smoothed building index — are block means on a
    grid ``index_coarsen`` times coarser, which costs a quarter as much at 2 and
    changes little because the index is smoothed over several metres anyway.
    ``mbi_sizes`` are in input pixels.
    """
    lum = brightness(rgb)
    c = max(1, index_coarsen)
    out = {"lum_fine": lum, "lum": pool(lum, c), "sat": pool(saturation(rgb), c)}
    if mbi_sizes:
        if c == 1:
            out["mbi"] = morphological_building_index(lum, mbi_sizes)
        else:
            # Same 8-bit grid and element sizes as the fine path when c == 2.
            out["mbi"] = morphological_building_index(out["lum"], tuple(sz / c for sz in mbi_sizes),
                                                      coarsen=max(1, 2 // c))
    return out


def epoch_stats(rgb: np.ndarray, valid: np.ndarray, *, mbi_sizes: tuple[int, ...] = (),
                shadow_percentile: float = 10.0, index_coarsen: int = 1) -> EpochStats:
    """Medians, MAD scales and the shadow level of an epoch from a (decimated) sample."""
    feats = raw_features(rgb, mbi_sizes, index_coarsen)
    lum_fine = feats.pop("lum_fine")
    coarse_valid = pool(valid.astype(np.float32), max(1, index_coarsen)) >= 1.0 if index_coarsen > 1 else valid
    stats = EpochStats()
    for name, values in feats.items():
        v = values[coarse_valid] if coarse_valid.any() else values.ravel()
        med = float(np.median(v))
        mad = float(np.median(np.abs(v - med))) * 1.4826
        stats.median[name] = med
        stats.scale[name] = max(mad, 1e-3 if name == "sat" else 0.5)
    lum = lum_fine[valid] if valid.any() else lum_fine.ravel()
    stats.shadow_level = float(np.percentile(lum, shadow_percentile))
    return stats


def building_index(feats: dict[str, np.ndarray], stats: EpochStats, *, mbi_weight: float,
                   smooth_px: int) -> np.ndarray:
    """Standardised building index: bright + grey (+ MBI), smoothed over ``smooth_px``."""
    has_mbi = bool(mbi_weight) and "mbi" in feats
    if _cv2_ok(feats["lum"]) and feats["lum"].dtype == np.float32 and feats["sat"].dtype == np.float32:
        # z(lum) - z(sat) + w·z(mbi), divided by the weight, is one affine combination:
        # two OpenCV passes instead of eleven numpy ones (equal to float32 rounding).
        weight = 2.0 + (mbi_weight if has_mbi else 0.0)
        med, scale = stats.median, stats.scale
        offset = (-med["lum"] / scale["lum"] + med["sat"] / scale["sat"]) / weight
        if has_mbi:
            offset -= mbi_weight * med["mbi"] / scale["mbi"] / weight
        index = cv2.addWeighted(feats["lum"], 1.0 / (scale["lum"] * weight),
                                feats["sat"], -1.0 / (scale["sat"] * weight), offset)
        if has_mbi:
            index = cv2.scaleAdd(feats["mbi"].astype(np.float32, copy=False),
                                 mbi_weight / (scale["mbi"] * weight), index)
        return box_mean(index, smooth_px) if smooth_px > 1 else index
    # The same arithmetic as z(lum) - z(sat) + w·z(mbi), in place: each temporary is a full tile.
    index = np.subtract(feats["lum"], stats.median["lum"], dtype=np.float32)
    index /= stats.scale["lum"]
    term = np.subtract(feats["sat"], stats.median["sat"], dtype=np.float32)
    term /= stats.scale["sat"]
    index -= term
    weight = 2.0
    if has_mbi:
        np.subtract(feats["mbi"], stats.median["mbi"], out=term, dtype=np.float32)
        term /= stats.scale["mbi"]
        term *= mbi_weight
        index += term
        weight += mbi_weight
    index /= weight
    if smooth_px > 1:
        index = box_mean(index, smooth_px)
    return index.astype(np.float32, copy=False)


def shadow_mask(lum: np.ndarray, stats: EpochStats) -> np.ndarray:
    """Dark pixels (below the epoch's shadow percentile): shadows, also dark water/asphalt."""
    return lum < stats.shadow_level
