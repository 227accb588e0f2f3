"""``urbangrid grid …``: init, build, check, retire, edit, history, convert-codes."""

from __future__ import annotations

import os

import shapely

from ..errors import InputError
from ..progress import Progress
from .barrier import DEFAULT_TARGET_AREA, DEFAULT_TOLERANCE


def register(subparsers) -> None:
    """Add the ``grid`` command group."""
    parser = subparsers.add_parser("grid", help="unit grid (万米单元网格): build, check, retire, history")
    sub = parser.add_subparsers(dest="grid_command", metavar="ACTION")

    p = sub.add_parser("init", help="create a project GeoPackage (项目库)")
    p.add_argument("project")
    p.add_argument("--crs", default=None, help="projected working CRS (default EPSG:4547)")
    p.add_argument("--profile", default="2013", choices=["2013", "2026"])
    p.add_argument("--district", default=None, help="6-digit district code (区县代码)")
    p.set_defaults(func=_init)

    p = sub.add_parser("build", help="generate cells in every community and store them")
    p.add_argument("project")
    p.add_argument("--communities", required=True,
                   help="community polygons: GeoPackage, Shapefile or GeoJSON (file or file|layer)")
    p.add_argument("--code-field", help="community code field (default: community_code/code/...)")
    p.add_argument("--name-field", help="community name field")
    p.add_argument("--streets", help="optional street polygons (街道) with 9-digit street_code and name")
    p.add_argument("--mode", choices=["lattice", "barrier"], default="lattice")
    p.add_argument("--cell-size", type=float, help="lattice cell side in metres (default √target area)")
    p.add_argument("--target-area", type=float, default=DEFAULT_TARGET_AREA, help="m² (default 10000)")
    p.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE, help="fraction (default 0.3 = ±30 %%)")
    p.add_argument("--barriers", nargs="*", default=[], help="barrier line layers (roads, rivers, walls)")
    p.add_argument("--date", help="initial/termination date YYYY-MM-DD (default today)")
    p.add_argument("--reason", help="reason recorded in the grid history")
    p.set_defaults(func=_build)

    p = sub.add_parser("check", help="check the grid; list problems and store the grid_check layer")
    p.add_argument("project")
    p.add_argument("--low", type=float, default=0.2, help="area outlier below low × target (default 0.2)")
    p.add_argument("--high", type=float, default=3.0, help="area outlier above high × target (default 3)")
    p.add_argument("--limit", type=int, default=50, help="list at most this many problems (default 50)")
    p.add_argument("--strict", action="store_true", help="exit with status 3 when problems are found")
    p.set_defaults(func=_check)

    p = sub.add_parser("retire", help="retire cells: set the termination date (终止日期)")
    p.add_argument("project")
    p.add_argument("codes", nargs="+")
    p.add_argument("--reason", required=True)
    p.add_argument("--date")
    p.set_defaults(func=_retire)

    p = sub.add_parser("edit", help="edit a cell's note or geometry, with a reason")
    p.add_argument("project")
    p.add_argument("code")
    p.add_argument("--reason", required=True)
    p.add_argument("--note")
    p.add_argument("--geometry-wkt", help="new Polygon in the project CRS")
    p.add_argument("--date")
    p.set_defaults(func=_edit)

    p = sub.add_parser("history", help="list the grid history (all, or one cell)")
    p.add_argument("project")
    p.add_argument("--code")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=_history)

    p = sub.add_parser("import", help="import an existing grid (15- or legacy 14-digit codes) into a new project")
    p.add_argument("project")
    p.add_argument("cells", help="grid cell polygons (file or file|layer)")
    p.add_argument("--communities", required=True, help="community polygons (file or file|layer)")
    p.add_argument("--code-field", help="grid code field (default: code/grid_code/BGID)")
    p.add_argument("--date", help="initial date YYYY-MM-DD (default today)")
    p.add_argument("--reason", default="imported grid")
    p.set_defaults(func=_import)

    p = sub.add_parser("demo-data", help="write the generated demo district (communities, barriers)")
    p.add_argument("target", help="GeoPackage to write (layers community and barrier)")
    p.add_argument("--columns", type=int, default=3, help="communities west→east (default 3)")
    p.add_argument("--rows", type=int, default=2, help="communities north→south (default 2)")
    p.set_defaults(func=_demo_data)

    p = sub.add_parser("convert-codes", help="convert 14-digit CJ/T 213 codes of a layer to 15 digits")
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--field", default="code")
    p.add_argument("--layer")
    p.set_defaults(func=_convert)


def _split_layer(path: str) -> tuple[str, str | None]:
    if "|" in path and not os.path.exists(path):
        path, layer = path.split("|", 1)
        return path, layer.removeprefix("layername=")
    return path, None


def _init(args, progress: Progress) -> int:
    from ..project import create_project

    meta = create_project(args.project, crs=args.crs, profile=args.profile, district_code=args.district)
    print(f"project {args.project}: CRS {meta['crs']}, code profile {meta['profile']}")
    return 0


def _build(args, progress: Progress) -> int:
    from .build import build_grid

    path, layer = _split_layer(args.communities)
    result = build_grid(args.project, path, layer=layer, code_field=args.code_field, name_field=args.name_field,
                        mode=args.mode, target_area=args.target_area, tolerance=args.tolerance,
                        cell_size=args.cell_size, barrier_paths=args.barriers, streets_path=args.streets,
                        date=args.date,
                        reason=args.reason, progress=progress)
    stats = result.area_stats()
    print(f"grid built ({args.mode}): {result.communities} communities in {result.streets} streets, "
          f"{result.active} active cells")
    print(f"  created {result.created}, kept {result.kept} unchanged, retired {result.retired}")
    print(f"  cell area m²: min {stats['min']:.0f}, median {stats['median']:.0f}, mean {stats['mean']:.0f}, "
          f"max {stats['max']:.0f}; {stats['within'] * 100:.1f}% within "
          f"{args.target_area:.0f} ± {args.tolerance * 100:.0f}%")
    return 0


def format_problem(row) -> str:
    """One problem as one line of the list."""
    other = f" / {row['other_code']}" if isinstance(row["other_code"], str) and row["other_code"] != row["code"] else ""
    return (f"{row['check_id']}  {row['problem']:<18} {row['label']:<10} {row['code'] or '-'}{other}  "
            f"x={row['x']:.1f} y={row['y']:.1f}  {row['detail'] or ''}")


def _check(args, progress: Progress) -> int:
    from .check import check_project, summarize

    problems = check_project(args.project, low=args.low, high=args.high, progress=progress)
    counts = summarize(problems)
    cells = problems.attrs.get("cells")
    checked = f" among {cells} active cells" if cells is not None else ""
    print(f"grid check: {len(problems)} problem(s){checked} in {args.project} (layer grid_check)")
    print("  " + ", ".join(f"{kind} {count}" for kind, count in counts.items()))
    for _, row in problems.head(args.limit).iterrows():
        print("  " + format_problem(row))
    if len(problems) > args.limit:
        print(f"  ... {len(problems) - args.limit} more in the grid_check layer")
    return 3 if (args.strict and len(problems)) else 0


def _retire(args, progress: Progress) -> int:
    from .edit import retire_cells

    n = retire_cells(args.project, args.codes, reason=args.reason, date=args.date)
    print(f"retired {n} cell(s); their codes will never be reused")
    return 0


def _edit(args, progress: Progress) -> int:
    from .edit import edit_cell

    geometry = None
    if args.geometry_wkt:
        try:
            geometry = shapely.from_wkt(args.geometry_wkt)
        except shapely.errors.GEOSException as exc:
            raise InputError(f"cannot parse --geometry-wkt: {exc}", field="geometry") from exc
    edit_cell(args.project, args.code, reason=args.reason, note=args.note, geometry=geometry, date=args.date)
    print(f"edited {args.code}")
    return 0


def _history(args, progress: Progress) -> int:
    from . import store

    history = store.read_table(args.project, store.GRID_HISTORY)
    if history is None or not len(history):
        print("no grid history yet")
        return 0
    if args.code:
        history = history[history["code"] == args.code]
    print(f"{len(history)} history row(s)")
    for _, row in history.tail(args.limit).iterrows():
        print(f"  {row['date']}  {row['action']:<8} {row['code']}  {row['reason']}"
              + (f"  ({row['detail']})" if isinstance(row["detail"], str) and row["detail"] else ""))
    return 0


def _convert(args, progress: Progress) -> int:
    from .convert import convert_code_layer

    result = convert_code_layer(args.source, args.target, field=args.field, layer=args.layer)
    print(f"converted {result['converted']} legacy 14-digit code(s), kept {result['kept']} 15-digit code(s) "
          f"-> {args.target}")
    return 0


def _demo_data(args, progress: Progress) -> int:
    import geopandas as gpd

    from ..demo.district import write_demo_district

    sources = write_demo_district(args.target, nx=args.columns, ny=args.rows,
                                  size=(500.0 * args.columns, 450.0 * args.rows))
    communities = gpd.read_file(args.target, layer="community")
    barriers = gpd.read_file(args.target, layer="barrier")
    print(f"demo district {args.target}: {len(communities)} communities in "
          f"{communities['street_name'].nunique()} streets ({communities.area.sum() / 1e6:.2f} km²), "
          f"{len(barriers)} barrier lines ({', '.join(f'{n} {k}' for k, n in barriers['kind'].value_counts().items())})")
    print(f"  layers: {sources['community']}  {sources['street']}  {sources['barrier']}")
    return 0


def _import(args, progress: Progress) -> int:
    from .importer import import_cells

    cells, cells_layer = _split_layer(args.cells)
    communities, communities_layer = _split_layer(args.communities)
    result = import_cells(args.project, cells, communities, cells_layer=cells_layer,
                          communities_layer=communities_layer, code_field=args.code_field, date=args.date,
                          reason=args.reason, progress=progress)
    print(f"imported {result['imported']} cells ({result['converted']} legacy 14-digit codes converted to 15); "
          f"run 'urbangrid grid check {args.project}' next")
    return 0
