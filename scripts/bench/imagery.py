#!/usr/bin/env python
"""Benchmark: end-to-end change detection vs the I/O-and-memory floor on a large pair.

Generates (once) a SIZE × SIZE × 3 uint8 tiled GeoTIFF pair in /tmp/urbangrid-bench/,
written window by window. Then, each in a fresh subprocess so peak memory is its own:

- floor: a plain windowed read of both rasters plus their absolute difference;
- detect: ``detect_changes`` with default parameters, writing the change raster.

Prints the timings and, on the last line, ``detect_vs_floor=X peak_gb=Y`` where X is
detect time / floor time and Y the detection's peak RSS. Goals: X ≤ 4, Y ≤ 2.
Run the full size only under ``flock /tmp/ug-bench.lock``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

BENCH_DIR = "/tmp/urbangrid-bench"

FLOOR = r"""
import json, resource, sys, time
import numpy as np, rasterio
from rasterio.windows import Window
before, after, block = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.perf_counter(); total = 0
with rasterio.open(before) as a, rasterio.open(after) as b:
    for row in range(0, a.height, block):
        for col in range(0, a.width, block):
            w = Window(col, row, min(block, a.width - col), min(block, a.height - row))
            x, y = a.read(window=w), b.read(window=w)
            d = np.maximum(x, y) - np.minimum(x, y)
            total += int(d[:, ::97, ::89].sum())
print(json.dumps({"seconds": time.perf_counter() - t0,
                  "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2}))
"""

DETECT = r"""
import json, resource, sys, time
from urban_grid_plugin.imagery.detect import DetectorParams, detect_changes
t0 = time.perf_counter()
threads = int(sys.argv[5]) or DetectorParams.threads
r = detect_changes(sys.argv[1], sys.argv[2], sys.argv[3],
                   params=DetectorParams(workers=int(sys.argv[4]), threads=threads))
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 ** 2
# With worker processes, count the parent plus every worker at its own peak (an upper bound).
workers = int(sys.argv[4])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2 + (children * workers if workers > 1 else 0)
print(json.dumps({"seconds": time.perf_counter() - t0, "changed_m2": r.changed_area_m2, "tiles": r.tiles,
                  "threads": threads,
                  "peak_gb": peak}))
"""


def ensure_pair(size: int, folder: str) -> tuple[str, str]:
    """Generate the pair once per size (reused by later runs)."""
    from urban_grid_plugin.imagery.synthetic import write_large_pair

    sub = os.path.join(folder, f"pair_{size}")
    before, after = os.path.join(sub, "bench_before.tif"), os.path.join(sub, "bench_after.tif")
    if not (os.path.exists(before) and os.path.exists(after)):
        t0 = time.perf_counter()
        os.makedirs(sub, exist_ok=True)
        write_large_pair(sub, size)
        print(f"generated {size}×{size}×3 pair in {time.perf_counter() - t0:.1f} s", flush=True)
    return before, after


def run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"benchmark step failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20000, help="raster edge in pixels (default 20000)")
    parser.add_argument("--dir", default=BENCH_DIR)
    parser.add_argument("--block", type=int, default=2048, help="floor read window (default 2048)")
    parser.add_argument("--workers", type=int, default=1,
                        help="detector worker processes (default 1, as in QGIS)")
    parser.add_argument("--threads", type=int, default=0,
                        help="detector tile threads (default: the detector's default)")
    args = parser.parse_args(argv)
    before, after = ensure_pair(args.size, args.dir)
    # Warm the page cache equally for both runs: the first read pays the disk.
    run(FLOOR, before, after, str(args.block))
    floor = run(FLOOR, before, after, str(args.block))
    out = os.path.join(args.dir, f"change_{args.size}.tif")
    detect = run(DETECT, before, after, out, str(args.workers), str(args.threads))
    mpx = args.size * args.size / 1e6
    print(f"pair {args.size}×{args.size}×3 uint8 ({2 * mpx * 3:.0f} MB decoded)")
    print(f"floor  (windowed read + |A-B|): {floor['seconds']:.1f} s, peak {floor['peak_gb']:.2f} GB")
    print(f"detect (end to end, {detect['tiles']} tiles, {args.workers} process(es), {detect['threads']} thread(s)): "
          f"{detect['seconds']:.1f} s, "
          f"peak {detect['peak_gb']:.2f} GB, {detect['changed_m2']:.0f} m² changed, "
          f"{mpx / detect['seconds']:.1f} Mpx/s")
    print(f"detect_vs_floor={detect['seconds'] / floor['seconds']:.2f} peak_gb={detect['peak_gb']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
