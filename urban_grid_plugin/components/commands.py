"""``urbangrid components …`` subcommands: import, validate, assign, census, history, change, duplicates."""

from __future__ import annotations

import argparse

import pandas as pd

from ..progress import Progress


def register(subparsers) -> None:
    """Add the ``components`` command group."""
    parser = subparsers.add_parser("components", help="components (部件): import, assign, census, history")
    sub = parser.add_subparsers(dest="components_command", metavar="ACTION")

    p = sub.add_parser("import", help="import survey files (GeoPackage, Shapefile, GeoJSON, CSV x/y)")
    _common_import(p)
    p.set_defaults(func=_import)

    p = sub.add_parser("validate", help="check files like import does, write nothing (exit 1 if rows would be rejected)")
    _common_import(p)
    p.add_argument("--limit", type=int, default=10, help="rejected rows to show")
    p.set_defaults(func=_validate)

    p = sub.add_parser("assign", help="re-assign stored components to the current grid, or look up points")
    p.add_argument("project")
    p.add_argument("--xy", nargs=2, type=float, action="append", metavar=("X", "Y"),
                   help="only look up these coordinates (project CRS, repeatable); nothing is written")
    p.add_argument("--date", help="change date for re-assigned components (default today)")
    p.add_argument("--reason", default="grid re-assignment (单元网格调整)")
    p.set_defaults(func=_assign)

    p = sub.add_parser("census", help="counts per cell, class, state and department (table + grid layer)")
    p.add_argument("project")
    p.add_argument("--by", default="major_code",
                   choices=["major_code", "class_code", "obj_state", "dept_name1", "grid_code"])
    p.add_argument("--csv", help="also write the full census table to this CSV")
    p.set_defaults(func=_census)

    p = sub.add_parser("history", help="versions of one component, or all components as of a date")
    p.add_argument("project")
    p.add_argument("--id", dest="obj_id", help="component ID (部件标识码)")
    p.add_argument("--as-of", dest="as_of", help="date YYYY-MM-DD: show the state on that day")
    p.set_defaults(func=_history)

    p = sub.add_parser("change", help="change a component's attributes (kept in history)")
    p.add_argument("project")
    p.add_argument("--id", dest="obj_id", required=True)
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", required=True)
    p.add_argument("--date", help="change date YYYY-MM-DD (default today)")
    p.add_argument("--reason", required=True, help="change reason (变更原因)")
    p.set_defaults(func=_change)

    p = sub.add_parser("duplicates", help="same-class components closer than a tolerance")
    p.add_argument("project")
    p.add_argument("--tolerance", type=float, default=0.5, help="metres (default 0.5)")
    p.add_argument("--limit", type=int, default=10, help="pairs to print")
    p.set_defaults(func=_duplicates)

    p = sub.add_parser("synth", help="write a synthetic survey batch over the project's grid (demo data)")
    p.add_argument("project")
    p.add_argument("out_dir")
    p.add_argument("--n", type=int, default=100_000, help="point components (default 100,000)")
    p.add_argument("--bad-per-kind", type=int, default=5, help="deliberately bad rows of each kind")
    p.add_argument("--facilities", type=int, default=500, help="line/polygon components (GeoJSON)")
    p.add_argument("--duplicates", type=int, default=20, help="components surveyed twice, 0.2 m apart")
    p.set_defaults(func=_synth)

    p = sub.add_parser("quarantine", help="list rejected rows, or export them to fix and re-import")
    p.add_argument("project")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--csv", help="write every quarantined row (with the original values) to this CSV")
    p.set_defaults(func=_quarantine)


def _common_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="project GeoPackage")
    p.add_argument("files", nargs="+", help="input files of one batch (same CRS)")
    p.add_argument("--mapping", help="YAML/JSON field-mapping file for your column names")
    p.add_argument("--codes-extension", help="CSV of local classes / department overrides")
    p.add_argument("--date", help="change date for updated components (default today)")
    p.add_argument("--reason", help="change reason recorded for updated components")


def _import(args, progress: Progress, dry_run: bool = False) -> int:
    from .importer import import_components

    result = import_components(args.project, args.files, mapping=args.mapping,
                               codes_extension=args.codes_extension, change_date=args.date,
                               reason=args.reason, dry_run=dry_run, progress=progress)
    print(result.summary())
    return 0


def _validate(args, progress: Progress) -> int:
    from .importer import import_components

    result = import_components(args.project, args.files, mapping=args.mapping,
                               codes_extension=args.codes_extension, dry_run=True, progress=progress)
    print(result.summary())
    if result.sample is not None and len(result.sample):
        print("first rejected rows:")
        print(result.sample.head(args.limit).fillna("").to_string(index=False))
    return 1 if result.quarantine_count else 0


def _assign(args, progress: Progress) -> int:
    import numpy as np

    from .importer import cell_index

    if not args.xy:
        from .store import reassign

        res = reassign(args.project, date=args.date, reason=args.reason, progress=progress)
        print(f"checked {res['checked']} components: {res['changed']} moved to another cell "
              f"(kept in history), {res['outside']} now outside every cell (codes kept; please check)")
        return 0
    index, cells = cell_index(args.project)
    xy = np.array(args.xy)
    found = index.locate_xy(xy[:, 0], xy[:, 1])
    for (x, y), i in zip(xy, found, strict=True):
        if i < 0:
            print(f"{x:.2f} {y:.2f}: outside every grid cell")
        else:
            print(f"{x:.2f} {y:.2f}: cell {cells['code'].iloc[i]} community {cells['community_code'].iloc[i]}")
    return 0


def _census(args, progress: Progress) -> int:
    from .census import census, census_summary

    table = census(args.project, progress=progress)
    total = int(table["count"].sum())
    cells = table["grid_code"].nunique()
    print(f"{total} components in {cells} grid cells; layer component_census_cell written")
    with pd.option_context("display.max_rows", 60, "display.width", 120):
        print(census_summary(table, args.by).to_string(index=False))
    if args.csv:
        table.to_csv(args.csv, index=False)
        print(f"census table written to {args.csv}")
    return 0


def _history(args, progress: Progress) -> int:
    from .store import as_of, history

    if args.obj_id and not args.as_of:
        with pd.option_context("display.max_columns", 20, "display.width", 160):
            print(history(args.project, args.obj_id).dropna(axis=1, how="all").to_string(index=False))
        return 0
    if not args.as_of:
        print("give --id, --as-of or both")
        return 2
    frame = as_of(args.project, args.as_of, [args.obj_id] if args.obj_id else None)
    cols = ["obj_id", "class_code", "obj_name", "obj_state", "grid_code", "init_date", "change_date"]
    print(f"{len(frame)} components as of {args.as_of}")
    print(frame[cols].head(50).to_string(index=False))
    return 0


def _change(args, progress: Progress) -> int:
    from ..errors import InputError
    from .store import change_component

    changes = {}
    for item in args.set:
        if "=" not in item:
            raise InputError(f"--set needs FIELD=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        changes[key.strip()] = value
    row = change_component(args.project, args.obj_id, changes, date=args.date, reason=args.reason)
    print(f"changed {args.obj_id}: " + ", ".join(f"{k}={row[k].iloc[0]}" for k in changes))
    return 0


def _duplicates(args, progress: Progress) -> int:
    from .census import find_duplicates

    pairs = find_duplicates(args.project, tolerance=args.tolerance)
    print(f"{len(pairs)} duplicate pairs within {args.tolerance} m (table component_duplicate)")
    if len(pairs):
        print(pairs.head(args.limit).to_string(index=False))
    return 0


def _synth(args, progress: Progress) -> int:
    from .synth import BAD_KINDS, write_survey

    paths = write_survey(args.project, args.out_dir, n=args.n, bad_per_kind=args.bad_per_kind,
                         facilities=args.facilities, duplicates=args.duplicates)
    print(f"survey batch: {paths['csv']} ({args.n + args.duplicates} points, {args.bad_per_kind} bad rows each "
          f"of: {', '.join(BAD_KINDS)}; {args.duplicates} surveyed twice), mapping {paths['mapping']}")
    if "geojson" in paths:
        print(f"lines and polygons (WGS 84): {paths['geojson']} ({args.facilities} features)")
    return 0


def _quarantine(args, progress: Progress) -> int:
    from .schema import QUARANTINE, connect

    with connect(args.project) as con:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE name=?", (QUARANTINE,)).fetchone()
        if not has:
            print("no quarantine table: nothing imported yet")
            return 0
        counts = pd.read_sql_query(
            f"SELECT reason, count(*) AS n FROM {QUARANTINE} GROUP BY reason ORDER BY n DESC", con)
        rows = pd.read_sql_query(
            f"SELECT source_file, source_row, field, reason, value FROM {QUARANTINE} "
            "ORDER BY source_file, source_row LIMIT ?", con, params=[args.limit])
        if args.csv:
            _export_quarantine(con, args.csv)
    print(f"{int(counts['n'].sum()) if len(counts) else 0} rows in quarantine")
    print(counts.to_string(index=False))
    print(rows.fillna("").to_string(index=False))
    if args.csv:
        print(f"all quarantined rows written to {args.csv} (fix them there and import that file)")
    return 0


def _export_quarantine(con, path: str) -> None:
    """Quarantined rows as a CSV in the standard fields plus where they came from and why."""
    import json

    from .schema import QUARANTINE

    frame = pd.read_sql_query(
        f"SELECT source_file, source_row, field, reason, geom_wkt, raw FROM {QUARANTINE} "
        "ORDER BY source_file, source_row", con)
    raw = pd.DataFrame([json.loads(r) for r in frame["raw"]], index=frame.index)
    out = pd.concat([frame.drop(columns=["raw"]), raw], axis=1)
    out.to_csv(path, index=False, encoding="utf-8")
