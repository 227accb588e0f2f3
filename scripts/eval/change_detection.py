#!/usr/bin/env python
"""Evaluate the training-free change detector on the LEVIR-CD samples in ../shared/data.

Each pair (256 × 256 RGB PNG, 0.5 m) is given a georeference of our own (EPSG:4547,
0.5 m pixels), written as GeoTIFFs and run through ``detect_changes`` exactly as the
CLI does. Prints precision, recall and F1 of the change class, pixel-level and
object-level (a predicted object matches a labelled one when IoU > 0.5), per image
and overall, and the number of false candidates on the no-change pair.

LEVIR-CD is for academic research only: it is read from ../shared and never copied
into the plugin.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import fields
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from PIL import Image
from scipy import ndimage as ndi

from urban_grid_plugin.imagery.detect import DetectorParams, detect_changes

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = Path(os.environ.get("UG_SHARED", REPO.parent / "shared")) / "data" / "levir_cd_samples"
NO_CHANGE = "train_386_0512_0768"


def write_geotiff(png: Path, path: Path) -> None:
    """Georeference a sample PNG at 0.5 m in EPSG:4547 (an arbitrary place in zone 38)."""
    data = np.asarray(Image.open(png).convert("RGB")).transpose(2, 0, 1)
    transform = Affine(0.5, 0, 500_000.0, 0, -0.5, 3_400_128.0)
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[2], height=data.shape[1], count=3,
                       dtype="uint8", crs="EPSG:4547", transform=transform) as ds:
        ds.write(data)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (0 when undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def object_counts(pred: np.ndarray, truth: np.ndarray) -> tuple[int, int, int]:
    """Object TP/FP/FN: one-to-one matches with IoU > 0.5 (greedy by IoU)."""
    lp, n_p = ndi.label(pred)
    lt, n_t = ndi.label(truth)
    if n_p == 0 or n_t == 0:
        return 0, n_p, n_t
    pairs = np.stack([lp.ravel(), lt.ravel()], 1)
    pairs = pairs[(pairs[:, 0] > 0) & (pairs[:, 1] > 0)]
    inter = {}
    for a, b in map(tuple, pairs):
        inter[(a, b)] = inter.get((a, b), 0) + 1
    size_p = np.bincount(lp.ravel(), minlength=n_p + 1)
    size_t = np.bincount(lt.ravel(), minlength=n_t + 1)
    cands = sorted(((i / (size_p[a] + size_t[b] - i), a, b) for (a, b), i in inter.items()), reverse=True)
    used_p, used_t, tp = set(), set(), 0
    for iou, a, b in cands:
        if iou <= 0.5:
            break
        if a in used_p or b in used_t:
            continue
        used_p.add(a)
        used_t.add(b)
        tp += 1
    return tp, n_p - tp, n_t - tp


def upsample(mask: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Nearest-neighbour upsampling of a coarser change mask to the label grid."""
    fy, fx = shape[0] // mask.shape[0], shape[1] // mask.shape[1]
    return np.kron(mask, np.ones((fy, fx), bool))[: shape[0], : shape[1]] if (fy, fx) != (1, 1) else mask


def otsu(values: np.ndarray) -> float:
    """Otsu's threshold of a 1-D sample (256 bins)."""
    hist, edges = np.histogram(values, bins=256)
    centres = (edges[:-1] + edges[1:]) / 2
    w0 = np.cumsum(hist)
    w1 = w0[-1] - w0
    m0 = np.cumsum(hist * centres) / np.maximum(w0, 1)
    m1 = (np.sum(hist * centres) - np.cumsum(hist * centres)) / np.maximum(w1, 1)
    return float(centres[np.argmax(w0 * w1 * (m0 - m1) ** 2)])


def cva_baseline(data: Path) -> tuple[tuple[float, float, float], int]:
    """Change-vector analysis (|B - A| after per-band mean/std matching, Otsu threshold).

    The classic training-free baseline: it flags every colour change, seasonal or not.
    Returns overall pixel (P, R, F1) and the false objects on the no-change pair.
    """
    totals, no_change = np.zeros(3, int), 0
    for png in sorted((data / "label").glob("*.png")):
        a = np.asarray(Image.open(data / "A" / png.name).convert("RGB"), np.float32)
        b = np.asarray(Image.open(data / "B" / png.name).convert("RGB"), np.float32)
        b = (b - b.mean((0, 1))) / (b.std((0, 1)) + 1e-6) * a.std((0, 1)) + a.mean((0, 1))
        mag = np.linalg.norm(ndi.uniform_filter(b - a, (5, 5, 1)), axis=2)
        pred = mag > otsu(mag.ravel())
        labels, n = ndi.label(pred)
        sizes = np.bincount(labels.ravel(), minlength=n + 1)
        keep = sizes * 0.25 >= 20.0
        keep[0] = False
        pred = keep[labels]
        truth = np.asarray(Image.open(png).convert("L")) > 127
        totals += ((pred & truth).sum(), (pred & ~truth).sum(), (~pred & truth).sum())
        if png.stem == NO_CHANGE:
            no_change = int(keep.sum())
    return prf(*totals), no_change


def evaluate(data: Path, params: DetectorParams, quiet: bool = False) -> dict:
    """Run the detector on every pair; return per-image and overall scores."""
    names = sorted(p.stem for p in (data / "label").glob("*.png"))
    if not names:
        raise SystemExit(f"no LEVIR-CD samples in {data}")
    rows, totals = [], np.zeros(6, int)
    with tempfile.TemporaryDirectory(prefix="ug-eval-") as tmp:
        tmp = Path(tmp)
        for name in names:
            write_geotiff(data / "A" / f"{name}.png", tmp / "a.tif")
            write_geotiff(data / "B" / f"{name}.png", tmp / "b.tif")
            result = detect_changes(tmp / "a.tif", tmp / "b.tif", tmp / "change.tif", params=params)
            with rasterio.open(result.path) as ds:
                pred = ds.read(1) > 0
            truth = np.asarray(Image.open(data / "label" / f"{name}.png").convert("L")) > 127
            pred = upsample(pred, truth.shape)
            px = ((pred & truth).sum(), (pred & ~truth).sum(), (~pred & truth).sum())
            ob = object_counts(pred, truth)
            totals += np.array(px + ob)
            rows.append({"image": name, "pixel": prf(*px), "object": prf(*ob),
                         "pred_objects": int(ob[0] + ob[1]), "true_objects": int(ob[0] + ob[2]),
                         "pred_px": int(pred.sum())})
    overall = {"pixel": prf(*totals[:3]), "object": prf(*totals[3:])}
    false_on_no_change = next((r["pred_objects"] for r in rows if r["image"] == NO_CHANGE), None)
    if not quiet:
        print(f"{'image':24s} {'pixel P':>8s} {'R':>6s} {'F1':>6s} | {'object P':>8s} {'R':>6s} {'F1':>6s}"
              f" {'pred':>5s} {'true':>5s}")
        for r in rows:
            (pp, pr, pf), (op, orr, of) = r["pixel"], r["object"]
            print(f"{r['image']:24s} {pp:8.3f} {pr:6.3f} {pf:6.3f} | {op:8.3f} {orr:6.3f} {of:6.3f}"
                  f" {r['pred_objects']:5d} {r['true_objects']:5d}")
        (pp, pr, pf), (op, orr, of) = overall["pixel"], overall["object"]
        print(f"{'OVERALL':24s} {pp:8.3f} {pr:6.3f} {pf:6.3f} | {op:8.3f} {orr:6.3f} {of:6.3f}")
        print(f"false candidates on the no-change pair {NO_CHANGE}: {false_on_no_change}")
        (cp, cr, cf), cva_false = cva_baseline(data)
        print(f"baseline CVA (colour difference, Otsu): pixel P {cp:.3f} R {cr:.3f} F1 {cf:.3f}, "
              f"{cva_false} false candidates on the no-change pair")
        print(f"pixel_f1={pf:.3f} object_f1={of:.3f} no_change_false={false_on_no_change}")
    return {"rows": rows, "overall": overall, "no_change_false": false_on_no_change}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    for f in fields(DetectorParams):
        if isinstance(f.default, (int, float)) and not isinstance(f.default, bool):
            parser.add_argument(f"--{f.name.replace('_', '-')}", type=type(f.default), default=f.default)
    args = parser.parse_args(argv)
    params = DetectorParams(**{f.name: getattr(args, f.name) for f in fields(DetectorParams)
                               if hasattr(args, f.name)})
    result = evaluate(args.data, params, quiet=args.json)
    if args.json:
        print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
