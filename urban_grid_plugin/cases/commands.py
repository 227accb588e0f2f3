"""``urbangrid cases ...``: create cases, move them through the loop, list, flag overdue, indicators."""

from __future__ import annotations

import argparse
import csv
import os

from ..errors import InputError
from .calendar import WorkingCalendar, parse_ts
from .deadlines import TimeLimitTable
from .schema import ROLES, STATES, role_label, state_label
from .workflow import ACTIONS, allowed_actions

_ROLE_BY_LABEL = {v: k for k, v in ROLES.items()}
_STATE_BY_LABEL = {v: k for k, v in STATES.items()}


def role_id(text: str) -> str:
    """Role id from an id or a Chinese label."""
    if text in ROLES:
        return text
    if text in _ROLE_BY_LABEL:
        return _ROLE_BY_LABEL[text]
    raise InputError(f"unknown role {text!r}; roles are: " + ", ".join(role_label(r) for r in ROLES))


def state_id(text: str) -> str:
    """State id from an id or a Chinese label."""
    if text in STATES:
        return text
    if text in _STATE_BY_LABEL:
        return _STATE_BY_LABEL[text]
    raise InputError(f"unknown state {text!r}; states are: " + ", ".join(state_label(s) for s in STATES))


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="project GeoPackage (项目库)")
    p.add_argument("--calendar", help="working calendar JSON (default: packaged calendar_default.json)")
    p.add_argument("--time-limits", help="time-limit CSV (default: packaged time_limits.csv)")


def _actor(p: argparse.ArgumentParser, role_default: str | None = None) -> None:
    p.add_argument("--actor", required=True, help="user name of who acts")
    p.add_argument("--role", required=role_default is None, default=role_default,
                   help="role: " + ", ".join(role_label(r) for r in ROLES))
    p.add_argument("--at", help="when (ISO timestamp; default now)")


def register(subparsers) -> None:
    """Add ``cases`` and its subcommands."""
    top = subparsers.add_parser("cases", help="案件: closed-loop cases, deadlines and indicators")
    sub = top.add_subparsers(dest="cases_command", metavar="ACTION", required=True)

    p = sub.add_parser("init", help="create the case tables (and the project GeoPackage if missing)")
    _common(p)
    p.add_argument("--profile", choices=("2013", "2026"), default="2013",
                   help="code profile for a new project (an existing project keeps its own)")
    p.set_defaults(func=_init)

    p = sub.add_parser("config", help="store a city calendar and/or time-limit table inside the project")
    p.add_argument("project", help="project GeoPackage (项目库)")
    p.add_argument("--calendar", help="working calendar JSON (format of data/calendar_default.json)")
    p.add_argument("--time-limits", help="time-limit CSV (format of data/codes/time_limits.csv)")
    p.set_defaults(func=_config)

    p = sub.add_parser("create", help="report a new case (上报)")
    _common(p)
    _actor(p, "inspector")
    p.add_argument("--class", dest="class_code", required=True, help="event/component class code")
    p.add_argument("--kind", choices=("event", "component"), default="event")
    p.add_argument("--x", type=float, help="easting in the project CRS")
    p.add_argument("--y", type=float, help="northing in the project CRS")
    p.add_argument("--grid", help="place the case inside this active unit grid cell instead of --x/--y")
    p.add_argument("--description", default="")
    p.add_argument("--source", default=None, help="inspector, hotline, imagery or other")
    p.add_argument("--urgency", default="normal", choices=("normal", "urgent"))
    p.add_argument("--department", help="responsible department (default: the class's)")
    p.add_argument("--component-id", help="linked component obj_id")
    p.add_argument("--photo", action="append", default=[], help="photo file to attach (repeatable)")
    p.set_defaults(func=_create)

    p = sub.add_parser("transition", help="apply a workflow action, e.g. file/dispatch/feedback/close")
    _common(p)
    p.add_argument("case_id", help="case id, or several separated by commas (applied all-or-nothing)")
    p.add_argument("action", help="action id or Chinese label: " + ", ".join(a.describe() for a in ACTIONS.values()))
    _actor(p)
    p.add_argument("--note")
    p.add_argument("--assignee", help="department (派遣) or inspector (核实/核查派发)")
    p.add_argument("--extend", help="延期 length, e.g. '3 工作日' (default: one more 处置 limit)")
    p.set_defaults(func=_transition)

    p = sub.add_parser("attach", help="attach a photo or document to a case")
    _common(p)
    p.add_argument("case_id")
    p.add_argument("file")
    p.set_defaults(func=_attach)

    p = sub.add_parser("show", help="one case with its history")
    _common(p)
    p.add_argument("case_id")
    p.set_defaults(func=_show)

    p = sub.add_parser("list", help="list cases")
    _common(p)
    p.add_argument("--state", action="append", help="filter by state (repeatable)")
    p.add_argument("--street", help="filter by street code")
    p.add_argument("--department")
    p.add_argument("--overdue", action="store_true", help="only cases flagged overdue")
    p.set_defaults(func=_list)

    p = sub.add_parser("overdue", help="flag overdue cases (超期) and list them")
    _common(p)
    p.add_argument("--now", help="evaluate at this ISO time (default now)")
    p.set_defaults(func=_overdue)

    p = sub.add_parser("indicators", help="绩效评价: indicators per department, street and role")
    _common(p)
    p.add_argument("--from", dest="start", required=True, help="period start (ISO date or time)")
    p.add_argument("--to", dest="end", required=True, help="period end, exclusive")
    p.add_argument("--now", help="evaluation time (default: now, capped at --to)")
    p.add_argument("--group", action="append",
                   choices=("department", "street", "inspector", "call_taker", "shift_leader", "dispatcher"),
                   help="only these tables (repeatable; default all)")
    p.add_argument("--chart", help="write a PNG chart here")
    p.add_argument("--csv-dir", help="write one CSV per table into this folder")
    p.set_defaults(func=_indicators)

    p = sub.add_parser("from-candidates", help="draft cases from confirmed imagery 图斑 (change_candidate)")
    _common(p)
    p.add_argument("--actor", default="imagery")
    p.add_argument("--role", default="system")
    p.add_argument("--at")
    p.add_argument("--review-status", action="append", help="qualifying review status (default confirmed)")
    p.add_argument("--limit", type=int)
    p.set_defaults(func=_from_candidates)


def open_store(args):
    """A :class:`CaseStore` for the command's project, calendar and time limits.

    Command-line files win; otherwise the project's stored configuration; otherwise
    the packaged defaults.
    """
    from .store import CaseStore, project_time_limits

    cal_file, tl_file = getattr(args, "calendar", None), getattr(args, "time_limits", None)
    if not cal_file and not tl_file:
        return CaseStore(args.project)
    if not os.path.exists(args.project):
        raise InputError("project GeoPackage not found", source=args.project)
    base = project_time_limits(args.project)
    calendar = WorkingCalendar.load(cal_file) if cal_file else base.calendar
    limits = TimeLimitTable.load(tl_file, calendar) if tl_file else TimeLimitTable(base.limits, calendar)
    return CaseStore(args.project, limits)


def _config(args, progress) -> int:
    from .store import configure_project, project_time_limits

    if not os.path.exists(args.project):
        raise InputError("project GeoPackage not found", source=args.project)
    configure_project(args.project, calendar=args.calendar, time_limits=args.time_limits)
    limits = project_time_limits(args.project)
    cal = limits.calendar
    hours = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in cal.working_hours)
    print(f"calendar: {cal.name or '(unnamed)'}; working hours {hours}; {len(cal.holidays)} holiday "
          f"date(s), {len(cal.workdays)} make-up workday(s)")
    print(f"time limits: {len(limits.limits)} row(s)")
    return 0


def _init(args, progress) -> int:
    from ..project import create_project, read_project_meta

    if not os.path.exists(args.project):
        create_project(args.project, profile=args.profile)
    store = open_store(args)
    meta = read_project_meta(args.project)
    print(f"case tables ready in {args.project} (profile {meta.get('profile')}, "
          f"{len(store.list_cases())} case(s))")
    return 0


def grid_point(project: str, code: str) -> tuple[float, float]:
    """A point inside the active unit grid cell ``code``."""
    from ..grid.store import read_active_cells

    cells = read_active_cells(project)
    hit = cells[cells["code"] == code]
    if hit.empty:
        raise InputError(f"no active grid cell {code}", source=project, field="grid")
    point = hit.geometry.iloc[0].representative_point()
    return point.x, point.y


def _create(args, progress) -> int:
    store = open_store(args)
    role = role_id(args.role)
    if args.grid:
        args.x, args.y = grid_point(args.project, args.grid)
    elif args.x is None or args.y is None:
        raise InputError("give the location as --x and --y, or --grid CODE", field="x")
    source = args.source or ("hotline" if role == "call_taker" else "inspector")
    case = store.create_case(
        actor=args.actor, role=role, at=args.at, class_code=args.class_code, kind=args.kind,
        x=args.x, y=args.y, description=args.description, source=source, urgency=args.urgency,
        department=args.department, component_id=args.component_id,
    )
    for photo in args.photo:
        store.add_attachment(case["case_id"], photo)
    print(case["case_id"])
    print(f"  {state_label(case['state'])}, class {case['class_code']}, grid {case['grid_code'] or '-'}, "
          f"due {case['deadline']}, photos {len(args.photo)}", flush=True)
    return 0


def _parse_extension(text: str | None):
    if not text:
        return None
    parts = text.split()
    if len(parts) != 2:
        raise InputError(f"--extend {text!r}: use VALUE UNIT, e.g. '3 工作日'", field="extend")
    try:
        return float(parts[0]), parts[1]
    except ValueError as exc:
        raise InputError(f"--extend {text!r}: bad number", field="extend") from exc


def _transition(args, progress) -> int:
    store = open_store(args)
    ids = [c for c in args.case_id.split(",") if c]
    common = dict(action=args.action, actor=args.actor, role=role_id(args.role), at=args.at,
                  note=args.note, assignee=args.assignee, extension=_parse_extension(args.extend))
    events = store.transition_many([dict(common, case_id=cid) for cid in ids])
    for cid, event in zip(ids, events, strict=True):
        act = ACTIONS[event["action"]]
        nxt = ", ".join(a.describe() for a in allowed_actions(event["to_state"])) or "none (final)"
        print(f"{cid}: {act.describe()} by {event['actor']} ({role_label(event['role'])}) "
              f"{state_label(event['from_state'])} → {state_label(event['to_state'])}; "
              f"due {event['deadline'] or '-'}; next: {nxt}")
    return 0


def _attach(args, progress) -> int:
    row = open_store(args).add_attachment(args.case_id, args.file)
    print(f"{row['attachment_id']} {row['name']} {row['mime']} sha256={row['sha256']}")
    return 0


def _show(args, progress) -> int:
    store = open_store(args)
    case = store.get(args.case_id)
    for key, value in case.items():
        shown = state_label(value) if key == "state" else value
        print(f"{key:15} {shown if shown is not None else '-'}")
    print("history:")
    from .indicators import format_table

    rows = [{"at": e["at"], "action": f"{e['action']} {ACTIONS[e['action']].label if e['action'] in ACTIONS else '上报'}",
             "from": state_label(e["from_state"]), "to": state_label(e["to_state"]),
             "who": f"{e['actor']} ({role_label(e['role'])})", "note": e["note"] or ""}
            for e in store.events(args.case_id)]
    print("  " + format_table(rows).replace("\n", "\n  "))
    for a in store.attachments(args.case_id, with_data=False):
        print(f"  attachment {a['name']} {a['mime']} sha256={a['sha256'][:12]}…")
    return 0


def print_cases(cases: list[dict], store=None, now=None) -> None:
    """A compact case table; with ``store`` and ``now``, how late each overdue case is."""
    from .indicators import format_table

    def late(c) -> str:
        if not c["overdue"]:
            return ""
        if store is None or not c["deadline"]:
            return "超期"
        hours = store.calendar.working_minutes_between(parse_ts(c["deadline"]), now) / 60
        return f"超期 {hours:.1f} 工作时"

    rows = [{
        "case_id": c["case_id"][:8], "状态 state": state_label(c["state"]), "类别 class": c["class_code"],
        "来源 source": c["source"], "部门 department": c["department"] or "-",
        "街道 street": c["street_code"] or "-", "期限 deadline": c["deadline"] or "-",
        "超期 overdue": late(c),
    } for c in cases]
    print(format_table(rows))


def _list(args, progress) -> int:
    states = [state_id(s) for s in args.state] if args.state else None
    cases = open_store(args).list_cases(state=states, street_code=args.street, department=args.department,
                                        overdue=True if args.overdue else None)
    print_cases(cases)
    print(f"{len(cases)} case(s)")
    return 0


def _overdue(args, progress) -> int:
    store = open_store(args)
    now = store.when(args.now)
    cases = store.flag_overdue(now)
    print_cases(cases, store, now)
    print(f"{len(cases)} overdue case(s) (超期案件)")
    return 0


def _indicators(args, progress) -> int:
    from .indicators import GROUPS, format_table, write_chart

    store = open_store(args)
    start, end = store.when(args.start), store.when(args.end)
    if end <= start:
        raise InputError("--to must be after --from", field="to")
    tables = indicators_for_store(store, start, end, args.now)
    groups = args.group or list(GROUPS)
    for g in groups:
        print(f"\n== {GROUPS[g]} ({g}) {args.start} … {args.end} ==")
        print(format_table(tables[g]))
    if args.csv_dir:
        os.makedirs(args.csv_dir, exist_ok=True)
        for g in groups:
            path = os.path.join(args.csv_dir, f"indicators_{g}.csv")
            with open(path, "w", newline="", encoding="utf-8-sig") as fh:
                rows = tables[g]
                writer = csv.DictWriter(fh, fieldnames=list(rows[0]) if rows else [GROUPS[g]])
                writer.writeheader()
                writer.writerows(rows)
        print(f"\nCSV tables written to {args.csv_dir}")
    if args.chart:
        write_chart({g: tables[g] for g in groups}, args.chart, title=f"绩效评价 {args.start} – {args.end}")
        print(f"chart written to {args.chart}")
    return 0


def indicators_for_store(store, start, end, now=None) -> dict[str, list[dict]]:
    """Indicator tables for all cases and events of a store."""
    from .indicators import compute_indicators

    now = store.when(now) if now else store.now()
    return compute_indicators(store.list_cases(), store.events(), start, end, now)


def _from_candidates(args, progress) -> int:
    from .from_candidate import cases_from_candidates

    store = open_store(args)
    cases = cases_from_candidates(
        store, actor=args.actor, role=role_id(args.role), at=args.at,
        review_statuses=args.review_status or ("confirmed",), limit=args.limit, progress=progress,
    )
    print_cases(cases)
    print(f"{len(cases)} draft case(s) created from imagery candidates")
    return 0
