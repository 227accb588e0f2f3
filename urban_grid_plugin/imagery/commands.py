"""``urbangrid imagery ...``: epochs, alignment, detection, candidates, list comparison, chips."""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import fields

from ..errors import InputError
from .detect import DetectorParams

_TUNABLE = ("threshold", "feature_resolution", "before_max", "mbi_weight", "shadow_percentile", "tile", "workers",
            "threads")


def _detector_args(p: argparse.ArgumentParser) -> None:
    defaults = DetectorParams()
    for name in _TUNABLE:
        p.add_argument(f"--{name.replace('_', '-')}", type=type(getattr(defaults, name)),
                       default=getattr(defaults, name), help=f"detector {name} (default %(default)s)")


def _params(args) -> DetectorParams:
    values = {f.name: getattr(args, f.name) for f in fields(DetectorParams) if hasattr(args, f.name)}
    values["min_area_m2"] = getattr(args, "min_area", DetectorParams.min_area_m2)
    return DetectorParams(**values)


def _lists_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--permits", help="规划许可 polygons (any vector format)")
    p.add_argument("--known", help="存量违建 polygons: known violations")
    p.add_argument("--demolished", help="已拆违建 polygons: demolished violations")
    p.add_argument("--min-overlap", type=float, default=0.3,
                   help="share of a candidate that must overlap a list polygon (default %(default)s)")


def register(subparsers) -> None:
    """Add ``imagery`` and its subcommands."""
    top = subparsers.add_parser("imagery", help="影像: epochs and new-construction candidates (新增违建)")
    sub = top.add_subparsers(dest="imagery_command", metavar="ACTION", required=True)

    p = sub.add_parser("demo-data", help="write a synthetic satellite/drone pair with new buildings")
    p.add_argument("out_dir")
    p.add_argument("--project", help="centre the scene on this project's grid and use its CRS")
    p.add_argument("--buildings", type=int, default=30)
    p.set_defaults(func=_demo_data)

    p = sub.add_parser("register", help="register an imagery epoch (影像时相) in the project")
    p.add_argument("project")
    p.add_argument("raster")
    p.add_argument("--sensor", required=True, choices=("satellite", "drone", "aerial"))
    p.add_argument("--date", required=True, help="acquisition date YYYY-MM-DD")
    p.add_argument("--name", help="epoch name (default: sensor-date)")
    p.add_argument("--dsm", help="digital surface model of the same epoch")
    p.set_defaults(func=_register)

    p = sub.add_parser("list", help="list registered epochs")
    p.add_argument("project")
    p.set_defaults(func=_list)

    p = sub.add_parser("align", help="align two rasters on one grid (overlap only)")
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("--out", required=True, help="folder for before.tif, after.tif and align.json")
    p.add_argument("--crs", help="target CRS (default: the project's with --project, else EPSG:4547)")
    p.add_argument("--project", help="project GeoPackage: use its CRS")
    p.add_argument("--resolution", type=float, help="metres per pixel (default: the coarser epoch)")
    p.add_argument("--no-coregister", action="store_true")
    p.add_argument("--no-normalise", action="store_true")
    p.set_defaults(func=_align)

    p = sub.add_parser("detect", help="detect new construction on an aligned pair → change raster")
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("--out", required=True, help="change raster (GeoTIFF, 0 = no change, 1..255 confidence)")
    p.add_argument("--model", help="ONNX change model instead of the training-free detector")
    p.add_argument("--dsm-before")
    p.add_argument("--dsm-after")
    _detector_args(p)
    p.set_defaults(func=_detect)

    p = sub.add_parser("polygons", help="change raster → change_candidate polygons (图斑) in the project")
    p.add_argument("project")
    p.add_argument("change")
    p.add_argument("--min-area", type=float, default=20.0, help="minimum area in m² (default %(default)s)")
    p.add_argument("--epoch-before")
    p.add_argument("--epoch-after")
    p.add_argument("--aligned", help="folder with aligned before.tif/after.tif: also write chips")
    _lists_args(p)
    p.set_defaults(func=_polygons)

    p = sub.add_parser("compare", help="re-compare stored candidates with permit / violation lists")
    p.add_argument("project")
    _lists_args(p)
    p.set_defaults(func=_compare)

    p = sub.add_parser("chips", help="write before/after PNG chips for stored candidates")
    p.add_argument("project")
    p.add_argument("--before", required=True, help="aligned earlier raster")
    p.add_argument("--after", required=True, help="aligned later raster")
    p.add_argument("--out", required=True, help="folder for the PNG chips")
    p.set_defaults(func=_chips)

    p = sub.add_parser("run", help="all in one: align, detect, polygons, lists, chips for two epochs")
    p.add_argument("project")
    p.add_argument("--before", required=True, help="earlier epoch (name or id)")
    p.add_argument("--after", required=True, help="later epoch (name or id)")
    p.add_argument("--work", required=True, help="folder for aligned rasters, change raster and chips")
    p.add_argument("--resolution", type=float, help="common grid resolution in m (default: coarser epoch)")
    p.add_argument("--model", help="ONNX change model instead of the training-free detector")
    p.add_argument("--min-area", type=float, default=20.0, help="minimum area in m² (default %(default)s)")
    p.add_argument("--no-chips", action="store_true")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    _detector_args(p)
    _lists_args(p)
    p.set_defaults(func=_run)


def _demo_data(args, progress) -> int:
    from .synthetic import demo_data

    out = demo_data(args.out_dir, args.project, buildings=args.buildings)
    b = out["bounds"]
    print(f"synthetic epochs over {b[2] - b[0]:.0f} m × {b[3] - b[1]:.0f} m at ({b[0]:.0f}, {b[1]:.0f}), "
          f"{out['buildings']} new buildings:")
    print(f"  {out['satellite']} (satellite 0.5 m, shifted and recoloured)")
    print(f"  {out['drone']} (drone 0.25 m)")
    print(f"  lists: {out['permits']}, {out['known']}, {out['demolished']}")
    return 0


def _register(args, progress) -> int:
    from .epochs import register_epoch

    row = register_epoch(args.project, args.raster, sensor=args.sensor, date=args.date, name=args.name,
                         dsm_path=args.dsm)
    print(f"registered epoch {row['name']}: {row['sensor']} {row['date']}, {row['resolution_m']} m/px, "
          f"{row['band_count']} bands, {row['crs']}")
    return 0


def _list(args, progress) -> int:
    from .epochs import list_epochs

    frame = list_epochs(args.project)
    if frame.empty:
        print("no epochs registered")
    for row in frame.itertuples():
        dsm = " +DSM" if row.dsm_path else ""
        print(f"{row.name:20s} {row.sensor:9s} {row.date} {row.resolution_m:8.3f} m  {row.path}{dsm}")
    return 0


def _align(args, progress) -> int:
    from ..project import project_crs
    from .align import align_pair

    crs = args.crs or (project_crs(args.project).to_string() if args.project else None)
    result = align_pair(args.before, args.after, args.out, crs=crs, resolution=args.resolution,
                        co_register=not args.no_coregister, normalise=not args.no_normalise, progress=progress)
    g = result.grid
    print(f"aligned {g.width}×{g.height} px at {g.resolution:g} m in {g.crs}; later epoch shifted by "
          f"dx={result.shift_px[0]:.2f} px, dy={result.shift_px[1]:.2f} px "
          f"({result.shift_m[0]:.2f} m E, {result.shift_m[1]:.2f} m N); written to {args.out}")
    return 0


def _detect(args, progress) -> int:
    if args.model:
        from .onnx_detector import detect_with_model

        result = detect_with_model(args.before, args.after, args.out, args.model, progress=progress)
    else:
        from .detect import detect_changes

        if bool(args.dsm_before) != bool(args.dsm_after):
            raise InputError("give both --dsm-before and --dsm-after, or neither")
        result = detect_changes(args.before, args.after, args.out, params=_params(args),
                                dsm_before=args.dsm_before, dsm_after=args.dsm_after, progress=progress)
    print(f"change raster {args.out}: {result.changed_area_m2:.0f} m² changed at {result.resolution:g} m "
          f"({result.tiles} tiles)")
    return 0


def _print_lists(counts: dict) -> None:
    print("  新增 new: {new}   规划许可 permitted: {permitted}   存量 known: {known}   "
          "已拆重建 rebuilt: {rebuilt}".format(**counts))


def _polygons(args, progress) -> int:
    from .lists import compare_lists, summary
    from .pipeline import write_candidates
    from .polygons import candidates_from_raster

    frame = candidates_from_raster(args.change, project_path=args.project, min_area_m2=args.min_area,
                                   epoch_before=args.epoch_before, epoch_after=args.epoch_after,
                                   progress=progress)
    frame = compare_lists(frame, permits=args.permits, known=args.known, demolished=args.demolished,
                          min_overlap=args.min_overlap, progress=progress)
    if args.aligned and len(frame):
        from .evidence import write_chips

        frame = write_chips(frame, os.path.join(args.aligned, "before.tif"),
                            os.path.join(args.aligned, "after.tif"),
                            os.path.join(os.path.dirname(os.path.abspath(args.change)), "chips"),
                            progress=progress)
    pair = (args.epoch_before, args.epoch_after) if args.epoch_before and args.epoch_after else None
    n = write_candidates(args.project, frame, pair)
    print(f"{n} candidate polygons (≥ {args.min_area:g} m²) written to change_candidate")
    _print_lists(summary(frame))
    return 0


def _compare(args, progress) -> int:
    from .lists import compare_lists, summary
    from .store import CANDIDATE_FIELDS, CANDIDATE_TABLE, read_layer, write_rows

    frame = read_layer(args.project, CANDIDATE_TABLE, where="review_status = 'pending'")
    if frame is None or frame.empty:
        print("no pending candidates to compare")
        return 0
    frame = compare_lists(frame, permits=args.permits, known=args.known, demolished=args.demolished,
                          min_overlap=args.min_overlap, progress=progress)
    write_rows(args.project, CANDIDATE_TABLE, frame, CANDIDATE_FIELDS,
               delete_where="review_status = 'pending'")
    print(f"compared {len(frame)} pending candidates")
    _print_lists(summary(frame))
    return 0


def _chips(args, progress) -> int:
    from .evidence import write_chips
    from .store import CANDIDATE_FIELDS, CANDIDATE_TABLE, read_layer, write_rows

    frame = read_layer(args.project, CANDIDATE_TABLE)
    if frame is None or frame.empty:
        print("no candidates")
        return 0
    frame = write_chips(frame, args.before, args.after, args.out, progress=progress)
    write_rows(args.project, CANDIDATE_TABLE, frame, CANDIDATE_FIELDS, delete_where="1 = 1")
    print(f"wrote {2 * len(frame)} chips to {args.out}")
    return 0


def _run(args, progress) -> int:
    from .pipeline import run_pipeline

    summary = run_pipeline(args.project, args.before, args.after, args.work, resolution=args.resolution,
                           params=_params(args), model=args.model, min_area_m2=args.min_area,
                           permits=args.permits, known=args.known, demolished=args.demolished,
                           chips=not args.no_chips, progress=progress)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return 0
    print(f"{summary['epoch_before']} → {summary['epoch_after']} at {summary['resolution_m']:g} m: "
          f"co-registration shift {summary['shift_m'][0]:.2f} m E, {summary['shift_m'][1]:.2f} m N")
    print(f"{summary['candidates']} change candidates (图斑), {summary['area_m2']:.0f} m² in total, "
          f"in {summary['grid_cells']} unit grid cells (单元网格)")
    _print_lists(summary["lists"])
    if summary["chips_dir"]:
        print(f"evidence chips: {summary['chips_dir']}")
    return 0
