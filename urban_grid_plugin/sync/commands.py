"""``urbangrid sync ...``: run a sync, show status and conflicts, resolve, set up the server.

The server is named with ``--service NAME`` (pg_service.conf) or ``--dsn`` /
``$UG_PG_DSN``; passwords belong in ``~/.pgpass`` or QGIS's auth manager, never on
the command line or in the project.
"""

from __future__ import annotations

import argparse
import json

from ..cases.schema import TABLES_BY_NAME
from . import conflicts, journal, protocol, server


def _server_args(p: argparse.ArgumentParser, user: bool = True) -> None:
    p.add_argument("--service", help="libpq service name from pg_service.conf")
    p.add_argument("--dsn", help="libpq connection string without password (default $UG_PG_DSN)")
    if user:
        p.add_argument("--user", help="log in as this PostgreSQL role (default: from service/DSN)")


def register(subparsers) -> None:
    """Add ``sync`` and its subcommands."""
    p = subparsers.add_parser("sync", help="sync laptops with the central PostGIS server",
                              description=__doc__)
    sub = p.add_subparsers(dest="sync_command", metavar="ACTION")

    r = sub.add_parser("run", help="push local edits and pull the server's for your area")
    r.add_argument("laptop", help="laptop project GeoPackage")
    _server_args(r)
    r.set_defaults(func=_run)

    n = sub.add_parser("laptop-init", help="create a field laptop GeoPackage for its first sync")
    n.add_argument("laptop", help="new laptop GeoPackage")
    n.add_argument("--from", dest="from_project",
                   help="copy this project's reference layers (grid, components), not its cases")
    n.add_argument("--crs", help="CRS of a new empty laptop (default EPSG:4547)")
    n.set_defaults(func=_laptop_init)

    s = sub.add_parser("status", help="laptop sync state: pending edits, cursors, conflicts")
    s.add_argument("laptop")
    s.set_defaults(func=_status)

    c = sub.add_parser("conflicts", help="list conflicts in plain words")
    c.add_argument("laptop", nargs="?", help="laptop GeoPackage (offline list); "
                   "omit to list from the server")
    c.add_argument("--all", action="store_true", help="include resolved conflicts")
    c.add_argument("--json", action="store_true", help="machine-readable output")
    _server_args(c)
    c.set_defaults(func=_conflicts)

    v = sub.add_parser("resolve", help="resolve a conflict on the server")
    v.add_argument("conflict_id")
    v.add_argument("--choose", required=True, choices=conflicts.CHOICES)
    v.add_argument("--value", help="the value for --choose custom")
    v.add_argument("--laptop", help="sync this laptop afterwards")
    _server_args(v)
    v.set_defaults(func=_resolve)

    i = sub.add_parser("server-init", help="create or upgrade the server schema (as DB admin)")
    i.add_argument("--migrations", help="migration folder (default: packaged)")
    _server_args(i, user=False)
    i.set_defaults(func=_server_init)

    g = sub.add_parser("grant", help="create a user role and grant streets/districts (as DB admin)")
    g.add_argument("role", help="PostgreSQL role name of the user")
    g.add_argument("--street", action="append", default=[], help="9-digit street code (repeat)")
    g.add_argument("--district", action="append", default=[], help="6-digit district code")
    g.add_argument("--auditor", action="store_true", help="read-only access to every area")
    g.add_argument("--revoke", action="store_true", help="remove the given streets/districts")
    _server_args(g, user=False)
    g.set_defaults(func=_grant)

    p.set_defaults(func=lambda args, progress: (p.print_help(), 2)[1])


def _run(args, progress) -> int:
    report = protocol.sync(args.laptop, args.dsn, service=args.service, user=args.user,
                           progress=progress)
    progress.close()
    print(f"sync {args.laptop}: {report.summary()}")
    if report.conflicts_open:
        print("  list them with: urbangrid sync conflicts " + args.laptop)
    return 0


def _laptop_init(args, progress) -> int:
    info = journal.init_laptop(args.laptop, from_project=args.from_project, crs=args.crs)
    origin = f"copy of {args.from_project} without cases" if args.from_project else "empty"
    print(f"laptop {args.laptop} created ({origin}, {info['layers']} layers); "
          f"next: urbangrid sync run {args.laptop} --service/--dsn ... --user YOU")
    return 0


def _status(args, progress) -> int:
    con = journal.open_laptop(args.laptop)
    try:
        state = dict(con.execute(f"SELECT key, value FROM {journal.STATE}").fetchall())
        pending = journal.pending_batch(con)
        changed = 0
        for spec_name in ("ug_case", "ug_case_event", "ug_case_attachment"):
            base_cols = [c for c in journal.local_columns(con, journal.BASE_PREFIX + spec_name)
                         if c != "sync_rev"]
            if base_cols:
                table = journal.SyncTable(spec_name, TABLES_BY_NAME[spec_name].key,
                                          tuple(base_cols), "geom" if "geom" in base_cols else None)
                changed += len(journal.collect_changes(con, table))
        open_n = con.execute(f"SELECT count(*) FROM {journal.CONFLICTS} WHERE status='open'"
                             ).fetchone()[0]
        last = con.execute(f"SELECT at, step, detail FROM {journal.LOG} ORDER BY id DESC LIMIT 5"
                           ).fetchall()
    finally:
        con.close()
    print(f"laptop {args.laptop}")
    print(f"  laptop id      : {state.get('laptop_id')}")
    print(f"  server id      : {state.get('server_id') or '(never synced)'}")
    print(f"  schema version : {state.get('schema_version', '0')}")
    print(f"  unsent edits   : {changed} row(s)"
          + (f"; batch {pending[0]} waiting for the server" if pending else ""))
    print(f"  open conflicts : {open_n}")
    for key in sorted(k for k in state if k.startswith("cursor:")):
        print(f"  pulled up to   : {key[7:]} revision {state[key]}")
    for at, step, detail in reversed(last):
        print(f"  {at} {step}: {detail}")
    return 0


def _conflicts(args, progress) -> int:
    if args.laptop:
        rows = conflicts.list_local(args.laptop, include_resolved=args.all)
    else:
        rows = conflicts.list_server(args.dsn, service=args.service, user=args.user,
                                     include_resolved=args.all)
    if args.json:
        print(json.dumps([c.__dict__ for c in rows], ensure_ascii=False, indent=1))
        return 0
    print(f"{len(rows)} {'' if args.all else 'open '}conflict(s)")
    for c in rows:
        print(f"- [{c.conflict_id}] " + conflicts.describe(c))
    return 0


def _resolve(args, progress) -> int:
    c = conflicts.resolve(args.conflict_id, args.choose, args.value, dsn=args.dsn,
                          service=args.service, user=args.user)
    print(conflicts.describe(c))
    if args.laptop:
        report = protocol.sync(args.laptop, args.dsn, service=args.service, user=args.user)
        print(f"sync {args.laptop}: {report.summary()}")
    return 0


def _server_init(args, progress) -> int:
    applied = server.server_init(args.dsn, service=args.service, migrations_dir=args.migrations)
    with server.connect(args.dsn, service=args.service) as pg:
        version = server.schema_version(pg)
    print(f"server schema urbangrid at version {version}"
          + (f" (applied now: {applied})" if applied else " (already up to date)"))
    return 0


def _grant(args, progress) -> int:
    areas = server.grant(args.dsn, role=args.role, streets=args.street, districts=args.district,
                         auditor=args.auditor, service=args.service, revoke=args.revoke)
    kind = "auditor (reads all areas)" if args.auditor else "street staff"
    print(f"{args.role}: {kind}; streets {areas['streets'] or '-'}; districts "
          f"{areas['districts'] or '-'}")
    return 0
