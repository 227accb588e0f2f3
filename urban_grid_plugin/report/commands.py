"""``urbangrid report`` and ``urbangrid map``: the PDF report and the one-map project, headless.

Both need QGIS (print layouts, renderers), which the core never imports at module
level; the mapping package is imported inside the command so ``urbangrid --help``
stays fast and works without a display.
"""

from __future__ import annotations

import argparse

from ..progress import Progress


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` and ``map`` subcommands."""
    report = subparsers.add_parser(
        "report", help="write the district PDF report (QGIS layouts, one atlas page per street)",
        description="Write the district report: overview map and counts per street, case "
                    "charts per state and month, then one atlas page per street (街道) with "
                    "the map of its violations.")
    report.add_argument("project", help="project GeoPackage (项目库)")
    report.add_argument("-o", "--output", required=True, help="PDF file to write")
    report.add_argument("--title", help="report title (default: UrbanGrid district report)")
    report.add_argument("--lang", help="report language, e.g. zh_CN or en (default: $LANG)")
    report.set_defaults(func=run_report)

    one_map = subparsers.add_parser(
        "map", help="write the one-map QGIS project (一张图) with grouped, styled layers",
        description="Write a .qgz with the grid, communities, components, violation lists, "
                    "new candidates and cases by state/overdue, styled from layers/*.qml.")
    one_map.add_argument("project", help="project GeoPackage (项目库)")
    one_map.add_argument("-o", "--output", required=True, help=".qgz file to write")
    one_map.add_argument("--png", help="also render the map to this PNG")
    one_map.add_argument("--lang", help="layer and group names language, e.g. zh_CN or en")
    one_map.add_argument("--permits", help="规划许可 list layer to show (if not in the project)")
    one_map.add_argument("--known", help="存量违建 list layer to show")
    one_map.add_argument("--demolished", help="已拆违建 list layer to show")
    one_map.set_defaults(func=run_map)


def run_report(args: argparse.Namespace, progress: Progress) -> int:
    """Build the PDF report and print where it went."""
    from ..mapping.i18n import install_translator
    from ..mapping.qgis_env import ensure_qgis_app
    from ..mapping.report import build_report

    ensure_qgis_app()
    install_translator(args.lang)
    result = build_report(args.project, args.output, title=args.title, progress=progress)
    print(f"report: {result['output']} ({result['pages']} pages: {result['summary_pages']} "
          f"summary + {result['streets']} streets)")
    return 0


def run_map(args: argparse.Namespace, progress: Progress) -> int:
    """Build the one-map project (and optionally a PNG of it)."""
    from ..mapping.i18n import install_translator
    from ..mapping.one_map import build_one_map
    from ..mapping.qgis_env import ensure_qgis_app

    ensure_qgis_app()
    install_translator(args.lang)
    lists = {"permit": args.permits, "known_violation": args.known, "demolished": args.demolished}
    result = build_one_map(args.project, args.output, progress=progress, lists=lists)
    print(f"one map: {result['output']} with {len(result['layers'])} layers "
          f"({', '.join(result['layers'])})")
    if args.png:
        from ..mapping.render import render_project

        render_project(result["output"], args.png)
        print(f"one map image: {args.png}")
    return 0
