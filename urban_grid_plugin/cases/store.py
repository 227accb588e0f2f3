"""The laptop case store: case tables inside the project GeoPackage (项目库).

Tables come from :mod:`.schema` (``ug_case`` Point layer, ``ug_case_event`` and
``ug_case_attachment`` attribute tables) and are registered in ``gpkg_contents`` so
QGIS and GDAL open them as ordinary layers. All writes go through plain ``sqlite3``
and each operation is one transaction: a transition updates the case row and appends
its event row together or not at all.

``ug_case`` has no R-tree spatial index on purpose: GDAL's R-tree triggers call
SQL functions (``ST_IsEmpty``, ``ST_MinX``...) that only exist inside GDAL, so plain
SQLite writers (this store, pygeodiff during sync) could not insert into the table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import os
import sqlite3
import struct
import uuid
from collections.abc import Iterable, Sequence
from contextlib import closing, contextmanager

from ..codes import COMPONENT_ID_LENGTH, load_classes
from ..errors import InputError
from ..grid.codes import COMMUNITY_CODE_LEN, district_of, street_of
from ..io.sqlite import transaction
from ..progress import Progress, ensure_progress
from ..project import project_crs, read_project_meta, set_project_meta
from .calendar import format_ts, parse_ts
from .deadlines import TimeLimitTable, is_overdue
from .schema import (
    GEOMETRY_COLUMN,
    KINDS,
    SCHEMA_VERSION,
    SOURCES,
    TABLES,
    UG_CASE,
    UG_CASE_ATTACHMENT,
    UG_CASE_EVENT,
    URGENCIES,
)
from .workflow import plan_report, plan_transition

META_VERSION_KEY = "cases_schema_version"
#: ug_project keys holding a project's own calendar (JSON text) and time limits (CSV text).
META_CALENDAR_KEY = "cases_calendar_json"
META_TIME_LIMITS_KEY = "cases_time_limits_csv"


# --- GeoPackage geometry blobs ---------------------------------------------------------


def point_to_gpkg(x: float, y: float, srs_id: int) -> bytes:
    """A GeoPackage binary Point (little-endian header, no envelope, WKB)."""
    return b"GP" + struct.pack("<BBi", 0, 0b00000001, int(srs_id)) + struct.pack("<BIdd", 1, 1, x, y)


def gpkg_to_xy(blob: bytes | None) -> tuple[float, float] | None:
    """``(x, y)`` of a GeoPackage Point blob (any envelope, any byte order), or None."""
    if blob is None:
        return None
    if blob[:2] != b"GP":
        raise InputError("geometry is not a GeoPackage blob", field=GEOMETRY_COLUMN)
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 0b111]
    if flags & 0b10000:
        return None  # empty geometry
    wkb = blob[8 + envelope:]
    order = "<" if wkb[0] == 1 else ">"
    (gtype,) = struct.unpack_from(order + "I", wkb, 1)
    if gtype % 1000 != 1:
        raise InputError(f"case geometry must be a Point, not WKB type {gtype}", field=GEOMETRY_COLUMN)
    x, y = struct.unpack_from(order + "dd", wkb, 5)
    return x, y


# --- connection and tables -------------------------------------------------------------


def connect(project: str | os.PathLike) -> sqlite3.Connection:
    """A sqlite3 connection to the project with explicit transactions (autocommit off)."""
    if not os.path.exists(project):
        raise InputError("project GeoPackage not found", source=os.fspath(project))
    con = sqlite3.connect(os.fspath(project), timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    _register_gpkg_functions(con)
    return con


def _register_gpkg_functions(con: sqlite3.Connection) -> None:
    """The SQL functions GDAL's R-tree triggers call, so plain SQLite can write other layers.

    Layers written by GDAL (``change_candidate``, components) carry triggers calling
    ``ST_IsEmpty`` / ``ST_MinX`` …; SQLite compiles them for any UPDATE, so without
    these functions even ``UPDATE change_candidate SET case_id=…`` fails.
    """
    def bounds(blob):
        if blob is None:
            return None
        import shapely

        flags = blob[3]
        envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 0b111]
        if flags & 0b10000:
            return None
        geom = shapely.from_wkb(bytes(blob[8 + envelope:]))
        return None if geom.is_empty else geom.bounds

    con.create_function("ST_IsEmpty", 1, lambda b: None if b is None else int(bounds(b) is None),
                        deterministic=True)
    for i, name in enumerate(("ST_MinX", "ST_MinY", "ST_MaxX", "ST_MaxY")):
        con.create_function(name, 1, lambda b, i=i: (bounds(b) or (None,) * 4)[i], deterministic=True)
    con.create_function("GPKG_IsAssignable", 2, lambda a, b: 1, deterministic=True)


def _srs_id(con: sqlite3.Connection, project: str) -> int:
    """Make sure the project CRS is in ``gpkg_spatial_ref_sys``; return its srs_id."""
    crs = project_crs(project)
    epsg = crs.to_epsg() or 0
    row = con.execute(
        "SELECT srs_id FROM gpkg_spatial_ref_sys WHERE organization='EPSG' AND organization_coordsys_id=?",
        (epsg,),
    ).fetchone()
    if row:
        return int(row[0])
    con.execute(
        "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, organization_coordsys_id, "
        "definition, description) VALUES (?, ?, 'EPSG', ?, ?, ?)",
        (crs.name, epsg, epsg, crs.to_wkt("WKT1_GDAL"), crs.name),
    )
    return epsg


def ensure_case_tables(project: str | os.PathLike) -> int:
    """Create the case tables in ``project`` if missing; return the srs_id of ``ug_case``.

    Idempotent. Records ``cases_schema_version`` in ``ug_project``.
    """
    project = os.fspath(project)
    with closing(connect(project)) as con:
        existing = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "gpkg_contents" not in existing:
            raise InputError("not a GeoPackage (no gpkg_contents); create the project first", source=project)
        with transaction(con):
            srs_id = _srs_id(con, project)
            now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
            for spec in TABLES:
                if spec.name in existing:
                    continue
                con.execute(spec.sqlite_ddl())
                for stmt in spec.index_ddl("sqlite"):
                    con.execute(stmt)
                con.execute(
                    "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, "
                    "last_change, srs_id) VALUES (?, ?, ?, ?, ?, ?)",
                    (spec.name, "features" if spec.geometry_type else "attributes", spec.name,
                     spec.doc, now, srs_id if spec.geometry_type else None),
                )
                if spec.geometry_type:
                    con.execute(
                        "INSERT OR REPLACE INTO gpkg_geometry_columns (table_name, column_name, "
                        "geometry_type_name, srs_id, z, m) VALUES (?, ?, ?, ?, 0, 0)",
                        (spec.name, GEOMETRY_COLUMN, spec.geometry_type, srs_id),
                    )
    set_project_meta(project, **{META_VERSION_KEY: str(SCHEMA_VERSION)})
    return srs_id


def _row_to_case(row: sqlite3.Row) -> dict:
    """A case row as a dict with ``x``/``y`` instead of the geometry blob."""
    data = {k: row[k] for k in row.keys() if k not in (GEOMETRY_COLUMN, "fid")}
    xy = gpkg_to_xy(row[GEOMETRY_COLUMN])
    data["x"], data["y"] = xy if xy else (None, None)
    return data


def project_time_limits(project: str, meta: dict | None = None) -> TimeLimitTable:
    """The project's own calendar and time limits if configured, else the packaged defaults."""
    import json

    from .calendar import WorkingCalendar
    from .deadlines import default_time_limits_path, read_time_limits

    meta = read_project_meta(project) if meta is None else meta
    calendar = None
    if meta.get(META_CALENDAR_KEY):
        try:
            calendar = WorkingCalendar.from_dict(json.loads(meta[META_CALENDAR_KEY]))
        except (ValueError, InputError) as exc:
            raise InputError(f"project calendar is invalid: {exc}", source=project,
                             field=META_CALENDAR_KEY) from exc
    calendar = calendar or WorkingCalendar.load()
    if meta.get(META_TIME_LIMITS_KEY):
        limits = read_time_limits(f"{project}:{META_TIME_LIMITS_KEY}", meta[META_TIME_LIMITS_KEY])
        return TimeLimitTable(limits, calendar)
    return TimeLimitTable(read_time_limits(default_time_limits_path()), calendar)


def configure_project(project: str | os.PathLike, *, calendar: str | os.PathLike | None = None,
                      time_limits: str | os.PathLike | None = None) -> None:
    """Store a city's calendar JSON and/or time-limit CSV inside the project (validated first).

    The project then carries its own configuration to every laptop, and a plugin
    upgrade cannot overwrite it.
    """
    import json

    from .calendar import WorkingCalendar
    from .deadlines import read_time_limits

    project = os.fspath(project)
    values = {}
    if calendar is not None:
        WorkingCalendar.load(calendar)  # validates
        with open(calendar, encoding="utf-8-sig") as fh:
            values[META_CALENDAR_KEY] = json.dumps(json.load(fh), ensure_ascii=False)
    if time_limits is not None:
        read_time_limits(os.fspath(time_limits))  # validates
        with open(time_limits, encoding="utf-8-sig") as fh:
            values[META_TIME_LIMITS_KEY] = fh.read()
    if values:
        ensure_case_tables(project)
        set_project_meta(project, **values)


# --- the store -----------------------------------------------------------------------


class CaseStore:
    """Cases in one project GeoPackage.

    ``limits`` is the time-limit table with its working calendar (the packaged
    defaults when None). ``extensions`` maps ``(kind, profile)`` to a city's code
    extension CSV.
    """

    def __init__(
        self,
        project: str | os.PathLike,
        limits: TimeLimitTable | None = None,
        extensions: dict[tuple[str, str], str] | None = None,
    ) -> None:
        self.project = os.fspath(project)
        self.srs_id = ensure_case_tables(self.project)
        meta = read_project_meta(self.project)
        self.limits = limits or project_time_limits(self.project, meta)
        self.calendar = self.limits.calendar
        self.extensions = extensions or {}
        self.profile = meta.get("profile", "2013")
        self._classes: dict[tuple[str, str], dict] = {}

    # --- helpers ---------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """Current time in the calendar's timezone, to the second."""
        return dt.datetime.now(self.calendar.tz).replace(microsecond=0)

    def when(self, at: dt.datetime | str | None) -> dt.datetime:
        """``at`` (ISO text or datetime) in the calendar's timezone; now when None.

        A time without a UTC offset is read as the calendar's local time.
        """
        if at is None:
            return self.now()
        if not isinstance(at, dt.datetime):
            try:
                at = dt.datetime.fromisoformat(str(at))
            except ValueError as exc:
                raise InputError(f"bad time {at!r}; use ISO 8601, e.g. 2026-11-23T09:30:00+08:00",
                                 field="at") from exc
        return self.calendar.localize(at)

    def classes(self, kind: str, profile: str) -> dict:
        """The code table for ``kind`` and ``profile`` (cached)."""
        key = (kind, profile)
        if key not in self._classes:
            self._classes[key] = load_classes(kind, profile, self.extensions.get(key))
        return self._classes[key]

    def _validate_new(self, spec: dict, row: int | None) -> dict:
        """Check and complete one new-case spec; errors name the row and field."""
        def bad(message, fieldname):
            raise InputError(message, source=spec.get("_source"), row=row, field=fieldname)

        profile = str(spec.get("profile") or self.profile)
        kind = spec.get("kind") or "event"
        if kind not in KINDS:
            bad(f"kind must be one of {', '.join(KINDS)}, not {kind!r}", "kind")
        try:
            classes = self.classes(kind, profile)
        except InputError as exc:
            bad(exc.message, "profile")
        code = str(spec.get("class_code") or "")
        if code not in classes:
            bad(f"class code {code!r} is not in the {kind} code table of the {profile} profile", "class_code")
        source = spec.get("source") or "inspector"
        if source not in SOURCES:
            bad(f"source must be one of {', '.join(SOURCES)}, not {source!r}", "source")
        urgency = spec.get("urgency") or "normal"
        if urgency not in URGENCIES:
            bad(f"urgency must be one of {', '.join(URGENCIES)}, not {urgency!r}", "urgency")
        try:
            x, y = float(spec["x"]), float(spec["y"])
        except (KeyError, TypeError, ValueError):
            bad("a case needs a location (x, y in the project CRS)", "x")
        if x != x or y != y:
            bad("location is NaN", "x")
        component_id = spec.get("component_id") or None
        if component_id is not None:
            width = COMPONENT_ID_LENGTH[profile]
            if len(component_id) != width or not component_id.isdigit():
                bad(f"component ID {component_id!r} must be {width} digits in the {profile} profile", "component_id")
            if kind == "component" and component_id[6:6 + len(code)] != code:
                bad(f"component ID {component_id} does not carry class code {code}", "component_id")
        out = dict(spec)
        out.update(profile=profile, kind=kind, class_code=code, source=source, urgency=urgency,
                   x=x, y=y, component_id=component_id,
                   department=spec.get("department") or classes[code].department or None)
        return out

    def _locate(self, specs: list[dict]) -> None:
        """Fill grid/street/community/district codes from the active unit grid where missing.

        A code that is present already names its parents (GB/T 30428.1 nests them as
        prefixes), so a case with a grid or street code always gets its district, which
        row-level security on the server filters by.
        """
        need = [s for s in specs if not s.get("grid_code")]
        for spec in specs:
            _fill_parent_codes(spec)
        if not need:
            return
        try:
            from ..grid.store import read_active_cells

            cells = read_active_cells(self.project)
        except (InputError, ImportError):
            return
        if cells.empty:
            return
        import shapely

        points = shapely.points([[s["x"], s["y"]] for s in need])
        pidx, cidx = cells.sindex.query(points, predicate="intersects")
        first: dict[int, int] = {}
        for p, c in zip(pidx.tolist(), cidx.tolist(), strict=True):
            first.setdefault(p, c)
        for p, c in first.items():
            cell = cells.iloc[c]
            spec = need[p]
            spec["grid_code"] = cell["code"]
            for key in ("street_code", "community_code", "district_code"):
                spec[key] = spec.get(key) or cell[key]


    # --- writing ---------------------------------------------------------------------

    def create_cases(
        self,
        specs: Sequence[dict],
        *,
        actor: str,
        role: str,
        at: dt.datetime | str | None = None,
        progress: Progress | None = None,
        con: sqlite3.Connection | None = None,
    ) -> list[dict]:
        """Create cases in state 信息收集, all in one transaction; return the case rows.

        Each spec holds ``class_code``, ``x``, ``y`` and optionally ``kind``,
        ``profile``, ``description``, ``source``, ``urgency``, ``department``,
        ``component_id``, location codes, ``candidate_id``, ``case_id``, ``note``.
        Every spec is validated before anything is written.
        """
        progress = ensure_progress(progress)
        when = self.when(at)
        checked = [self._validate_new(s, i) for i, s in enumerate(specs, start=1)]
        self._locate(checked)
        rows, events = [], []
        for spec in checked:
            progress.check()
            case_id = spec.get("case_id") or str(uuid.uuid4())
            updates, event = plan_report(
                case_id, actor=actor, role=role, at=when, source=spec["source"], limits=self.limits,
                profile=spec["profile"], class_code=spec["class_code"], urgency=spec["urgency"],
                note=spec.get("note"), kind=spec["kind"],
            )
            row = {c: spec.get(c) for c in UG_CASE.column_names}
            row.update(case_id=case_id, created_at=format_ts(when), updated_at=format_ts(when),
                       overdue=0, **updates)
            rows.append((row, spec["x"], spec["y"]))
            events.append(event)
        own = con is None
        con = con or connect(self.project)
        try:
            ctx = transaction(con) if own else _nullctx(con)
            with ctx:
                for (row, x, y), event in zip(rows, events, strict=True):
                    cols = list(row) + [GEOMETRY_COLUMN]
                    con.execute(
                        f"INSERT INTO {UG_CASE.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        [row[c] for c in row] + [point_to_gpkg(x, y, self.srs_id)],
                    )
                    _insert(con, UG_CASE_EVENT.name, event)
        finally:
            if own:
                con.close()
        progress.set_percent(100)
        return [dict(r, x=x, y=y) for r, x, y in rows]

    def create_case(self, *, actor: str, role: str, at=None, **spec) -> dict:
        """Create one case (see :meth:`create_cases`)."""
        return self.create_cases([spec], actor=actor, role=role, at=at)[0]

    def transition(
        self,
        case_id: str,
        action: str,
        *,
        actor: str,
        role: str,
        at: dt.datetime | str | None = None,
        note: str | None = None,
        assignee: str | None = None,
        extension: tuple[float, str] | None = None,
    ) -> dict:
        """Apply a workflow action atomically; return the event row.

        The case row update and the event insert share one transaction; an illegal
        action raises :class:`~.workflow.WorkflowError` and changes nothing.
        """
        with closing(connect(self.project)) as con, transaction(con):
            return self._apply(con, case_id, action, actor=actor, role=role, at=at, note=note,
                               assignee=assignee, extension=extension)

    def transition_many(self, steps: Sequence[dict]) -> list[dict]:
        """Apply several actions in one transaction: all of them or none.

        Each step is a dict with the keyword arguments of :meth:`transition`
        (``case_id``, ``action``, ``actor``, ``role`` and optionally ``at``, ``note``,
        ``assignee``, ``extension``). Steps on the same case apply in order.
        """
        with closing(connect(self.project)) as con, transaction(con):
            return [self._apply(con, **dict(step)) for step in steps]

    def _apply(self, con: sqlite3.Connection, case_id: str, action: str, *, actor: str, role: str,
               at=None, note=None, assignee=None, extension=None) -> dict:
        """Plan and write one transition inside the caller's transaction."""
        when = self.when(at)
        case = self._get(con, case_id)
        history = sorted(
            ((parse_ts(r[0]), r[1]) for r in con.execute(
                f"SELECT at, action FROM {UG_CASE_EVENT.name} WHERE case_id=? ORDER BY fid", (case_id,))),
            key=lambda item: item[0],
        )
        last = format_ts(history[-1][0]) if history else None
        actions = [a for _, a in history]
        sent = max((i for i, a in enumerate(actions) if a == "send_check"), default=None)
        checked = sent is not None and "check" in actions[sent + 1:]
        updates, event = plan_transition(
            case, action, actor=actor, role=role, at=when, limits=self.limits,
            last_event_at=last, note=note, assignee=assignee, extension=extension, checked=checked,
        )
        sets = ", ".join(f"{k}=?" for k in updates)
        con.execute(f"UPDATE {UG_CASE.name} SET {sets} WHERE case_id=?", [*updates.values(), case_id])
        _insert(con, UG_CASE_EVENT.name, event)
        return event

    def add_attachment(
        self,
        case_id: str,
        data: bytes | str | os.PathLike,
        *,
        name: str | None = None,
        mime: str | None = None,
        at: dt.datetime | str | None = None,
    ) -> dict:
        """Attach a photo or document (bytes or a file path) to a case; return its row (no data)."""
        if isinstance(data, (str, os.PathLike)):
            path = os.fspath(data)
            if not os.path.exists(path):
                raise InputError("attachment file not found", source=path)
            name = name or os.path.basename(path)
            with open(path, "rb") as fh:
                data = fh.read()
        row = attachment_row(case_id, data, name, mime, self.when(at))
        with closing(connect(self.project)) as con, transaction(con):
            self._get(con, case_id)
            _insert(con, UG_CASE_ATTACHMENT.name, row)
        return {k: v for k, v in row.items() if k != "data"}

    def flag_overdue(self, now: dt.datetime | str | None = None) -> list[dict]:
        """Set ``overdue`` on every case from its deadline at ``now``; return the overdue cases."""
        when = self.when(now)
        with closing(connect(self.project)) as con, transaction(con):
            rows = con.execute(f"SELECT case_id, state, deadline, overdue FROM {UG_CASE.name}").fetchall()
            changes = []
            for r in rows:
                flag = int(is_overdue(r["deadline"], when, r["state"]))
                if flag != r["overdue"]:
                    changes.append((flag, r["case_id"]))
            con.executemany(f"UPDATE {UG_CASE.name} SET overdue=? WHERE case_id=?", changes)
        return self.list_cases(overdue=True)

    # --- reading ---------------------------------------------------------------------

    def _get(self, con: sqlite3.Connection, case_id: str) -> dict:
        row = con.execute(f"SELECT * FROM {UG_CASE.name} WHERE case_id=?", (case_id,)).fetchone()
        if row is None:
            raise InputError(f"no case {case_id} in this project", source=self.project, field="case_id")
        return _row_to_case(row)

    def get(self, case_id: str) -> dict:
        """One case as a dict (``x``/``y`` for the location)."""
        with closing(connect(self.project)) as con:
            return self._get(con, case_id)

    def list_cases(
        self,
        *,
        state: str | Iterable[str] | None = None,
        street_code: str | None = None,
        department: str | None = None,
        overdue: bool | None = None,
    ) -> list[dict]:
        """Cases filtered by state(s), street, department and overdue flag, oldest first."""
        where, params = [], []
        if state is not None:
            states = [state] if isinstance(state, str) else list(state)
            where.append(f"state IN ({', '.join('?' * len(states))})")
            params += states
        for col, val in (("street_code", street_code), ("department", department)):
            if val is not None:
                where.append(f"{col}=?")
                params.append(val)
        if overdue is not None:
            where.append("overdue=?")
            params.append(int(overdue))
        sql = f"SELECT * FROM {UG_CASE.name}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at, fid"
        with closing(connect(self.project)) as con:
            return [_row_to_case(r) for r in con.execute(sql, params)]

    def events(self, case_id: str | None = None) -> list[dict]:
        """Transition log rows (all, or of one case), in order."""
        sql = f"SELECT * FROM {UG_CASE_EVENT.name}"
        params: tuple = ()
        if case_id is not None:
            sql += " WHERE case_id=?"
            params = (case_id,)
        sql += " ORDER BY at, fid"
        with closing(connect(self.project)) as con:
            return [{k: r[k] for k in r.keys() if k != "fid"} for r in con.execute(sql, params)]

    def attachments(self, case_id: str, *, with_data: bool = True) -> list[dict]:
        """Attachments of a case; with data, each BLOB is checked against its sha256."""
        cols = "*" if with_data else ", ".join(c for c in UG_CASE_ATTACHMENT.column_names if c != "data")
        with closing(connect(self.project)) as con:
            rows = [dict(r) for r in con.execute(
                f"SELECT {cols} FROM {UG_CASE_ATTACHMENT.name} WHERE case_id=? ORDER BY created_at, fid",
                (case_id,),
            )]
        for r in rows:
            r.pop("fid", None)
            if with_data and hashlib.sha256(r["data"]).hexdigest() != r["sha256"]:
                raise InputError(f"attachment {r['name']} of case {case_id} is corrupt (sha256 mismatch)",
                                 source=self.project, field="data")
        return rows


def attachment_row(case_id: str, data: bytes, name: str | None, mime: str | None,
                   at: dt.datetime) -> dict:
    """A ``ug_case_attachment`` row with the sha256 of ``data``."""
    if not name:
        raise InputError("an attachment needs a name", field="name")
    mime = mime or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return {
        "attachment_id": str(uuid.uuid4()),
        "case_id": case_id,
        "name": name,
        "mime": mime,
        "data": bytes(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "created_at": format_ts(at),
    }


def insert_row(con: sqlite3.Connection, table: str, row: dict) -> None:
    """Insert one row (column names from the dict) with bound parameters."""
    _insert(con, table, row)


@contextmanager
def _nullctx(con):
    yield con


def _insert(con: sqlite3.Connection, table: str, row: dict) -> None:
    cols = list(row)
    con.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [row[c] for c in cols],
    )


def _fill_parent_codes(spec: dict) -> None:
    """Derive missing community, street and district codes from the most detailed code given."""
    finest = spec.get("grid_code") or spec.get("community_code") or spec.get("street_code")
    if not finest:
        return
    if not spec.get("community_code") and len(str(finest)) > COMMUNITY_CODE_LEN:
        spec["community_code"] = str(finest)[:COMMUNITY_CODE_LEN]
    spec["street_code"] = spec.get("street_code") or street_of(finest)
    spec["district_code"] = spec.get("district_code") or district_of(finest)
