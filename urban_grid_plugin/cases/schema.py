"""Case (案件) tables, states and roles: one definition for the GeoPackage and PostGIS.

The laptop GeoPackage (项目库) and the central PostGIS server (schema ``urbangrid``)
hold the same three tables. Each table is a :class:`TableSpec`, a list of
:class:`Column` with both a SQLite/GeoPackage type and a PostgreSQL type, so the case
store and the sync code render their DDL from this one place.

Keys: every table has a TEXT uuid logical key (``case_id``, ``event_id``,
``attachment_id``), the key used to match rows between laptops and the server. A
GeoPackage also requires an INTEGER primary key on feature and attribute tables, so
in the GeoPackage the tables carry ``fid INTEGER PRIMARY KEY AUTOINCREMENT`` and the
uuid key is ``NOT NULL UNIQUE``; in PostGIS the uuid key is the PRIMARY KEY and there
is no ``fid``. Never use ``fid`` to match rows across databases.

Timestamps are ISO 8601 text with a UTC offset (``2026-11-25T09:30:00+08:00``) in both
databases (PostgreSQL ``text`` rather than ``timestamptz`` so values round-trip
byte-for-byte through sync).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = 1  # bump with a migration when a column is added or changed
PG_SCHEMA = "urbangrid"
GEOMETRY_COLUMN = "geom"
GPKG_FID = "fid"

# --- states -------------------------------------------------------------------------

#: Case states: ASCII id -> Chinese label (standards §4).
STATES: dict[str, str] = {
    "collecting": "信息收集",
    "filed": "立案",
    "voided": "作废",
    "dispatched": "派遣",
    "handling": "处置",
    "postponed": "延期",
    "returned": "回退",
    "suspended": "挂账",
    "feedback": "反馈",
    "verifying": "核查",
    "closed": "结案",
    "rework": "返工",
}
#: States a case never leaves.
FINAL_STATES = frozenset({"closed", "voided"})
#: States whose deadline does not run (nobody is late on a closed, voided or 挂账 case).
NO_DEADLINE_STATES = frozenset({"closed", "voided", "suspended"})

#: Workflow roles (岗位): ASCII id -> Chinese label.
ROLES: dict[str, str] = {
    "inspector": "监督员",
    "call_taker": "受理员",
    "shift_leader": "值班长",
    "dispatcher": "派遣员",
    "department": "专业部门",
    "system": "系统",
}

PROFILES = ("2013", "2026")
KINDS = ("event", "component")
SOURCES: dict[str, str] = {
    "inspector": "监督员上报",
    "hotline": "热线上报",
    "imagery": "遥感/无人机图斑",
    "other": "其他",
}
URGENCIES: dict[str, str] = {"normal": "一般", "urgent": "紧急"}


def state_label(state: str | None) -> str:
    """``'filed'`` -> ``'filed 立案'``; unknown ids are returned as they are."""
    if state is None:
        return "(none)"
    return f"{state} {STATES[state]}" if state in STATES else state


def role_label(role: str | None) -> str:
    """``'dispatcher'`` -> ``'dispatcher 派遣员'``."""
    if role is None:
        return "(none)"
    return f"{role} {ROLES[role]}" if role in ROLES else role


# --- column specs ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column, typed for both databases.

    ``sqlite_type`` is a GeoPackage-legal type (TEXT, INTEGER, REAL, BLOB);
    ``pg_type`` the PostgreSQL type. ``check`` is an SQL boolean expression valid in
    both dialects (``{col}`` is replaced by the quoted column name).
    """

    name: str
    sqlite_type: str
    pg_type: str
    nullable: bool = True
    default: str | None = None  # SQL literal, same in both dialects
    check: str | None = None
    doc: str = ""

    def ddl(self, dialect: str) -> str:
        """Column definition for ``dialect`` ('sqlite' or 'postgres'), without PK/UNIQUE."""
        typ = self.sqlite_type if dialect == "sqlite" else self.pg_type
        parts = [f'"{self.name}"', typ]
        if not self.nullable:
            parts.append("NOT NULL")
        if self.default is not None:
            parts.append(f"DEFAULT {self.default}")
        if self.check:
            parts.append(f"CHECK ({self.check.format(col=chr(34) + self.name + chr(34))})")
        return " ".join(parts)


def _in(values) -> str:
    """A CHECK expression ``{col} IN ('a','b')``."""
    return "{col} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class TableSpec:
    """A case table: columns, logical uuid key, optional Point geometry and indexes."""

    name: str
    key: str
    columns: tuple[Column, ...]
    geometry_type: str | None = None  # 'POINT' or None for an attribute table
    indexes: tuple[tuple[str, ...], ...] = ()
    foreign_keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # col -> (table, col)
    doc: str = ""

    @property
    def column_names(self) -> list[str]:
        """Attribute column names in order (no fid, no geometry)."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def sqlite_ddl(self) -> str:
        """CREATE TABLE for a GeoPackage (geometry as a GPKG BLOB column ``geom``).

        The caller registers the table in ``gpkg_contents`` / ``gpkg_geometry_columns``
        (see :mod:`urban_grid_plugin.cases.store`).
        """
        lines = [f'"{GPKG_FID}" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL']
        if self.geometry_type:
            lines.append(f'"{GEOMETRY_COLUMN}" {self.geometry_type}')
        for col in self.columns:
            ddl = col.ddl("sqlite")
            if col.name == self.key:
                ddl += " UNIQUE"
            lines.append(ddl)
        body = ",\n  ".join(lines)
        return f'CREATE TABLE IF NOT EXISTS "{self.name}" (\n  {body}\n)'

    def postgis_ddl(
        self, schema: str = PG_SCHEMA, srid: int = 4547, foreign_keys: bool = False
    ) -> str:
        """CREATE TABLE for PostGIS in ``schema`` with ``geom geometry(Point, srid)``.

        Foreign keys to ``ug_case`` are off by default: sync must be able to keep an
        event or photo whose case was deleted elsewhere, and surface it.
        """
        lines = []
        for col in self.columns:
            ddl = col.ddl("postgres")
            if col.name == self.key:
                ddl += " PRIMARY KEY"
            lines.append(ddl)
        if self.geometry_type:
            lines.append(f'"{GEOMETRY_COLUMN}" geometry({self.geometry_type.title()}, {int(srid)})')
        for col, (table, ref) in (self.foreign_keys.items() if foreign_keys else ()):
            lines.append(
                f'FOREIGN KEY ("{col}") REFERENCES "{schema}"."{table}" ("{ref}") '
                "DEFERRABLE INITIALLY DEFERRED"
            )
        body = ",\n  ".join(lines)
        return f'CREATE TABLE IF NOT EXISTS "{schema}"."{self.name}" (\n  {body}\n)'

    def index_ddl(self, dialect: str, schema: str = PG_SCHEMA) -> list[str]:
        """CREATE INDEX statements (plus a GiST index on geometry for PostGIS)."""
        qualified = f'"{schema}"."{self.name}"' if dialect == "postgres" else f'"{self.name}"'
        out = []
        for cols in self.indexes:
            iname = f"{self.name}_{'_'.join(cols)}_idx"
            collist = ", ".join(f'"{c}"' for c in cols)
            out.append(f'CREATE INDEX IF NOT EXISTS "{iname}" ON {qualified} ({collist})')
        if dialect == "postgres" and self.geometry_type:
            out.append(
                f'CREATE INDEX IF NOT EXISTS "{self.name}_geom_gist" ON {qualified} '
                f'USING gist ("{GEOMETRY_COLUMN}")'
            )
        return out


_TS = "ISO 8601 timestamp with UTC offset"

UG_CASE = TableSpec(
    name="ug_case",
    key="case_id",
    geometry_type="POINT",
    doc="案件: one row per case, its current state and current-stage deadline.",
    columns=(
        Column("case_id", "TEXT", "text", nullable=False, doc="uuid4, the case's key everywhere"),
        Column("profile", "TEXT", "text", nullable=False, check=_in(PROFILES), doc="code profile"),
        Column("kind", "TEXT", "text", nullable=False, check=_in(KINDS), doc="事件 or 部件 class"),
        Column("class_code", "TEXT", "text", nullable=False, doc="event/component class code"),
        Column("description", "TEXT", "text", doc="问题描述"),
        Column("grid_code", "TEXT", "text", doc="单元网格 code (15)"),
        Column("street_code", "TEXT", "text", doc="街道 code (9)"),
        Column("community_code", "TEXT", "text", doc="社区 code (12)"),
        Column("district_code", "TEXT", "text", doc="区 code (6)"),
        Column("component_id", "TEXT", "text", doc="linked component obj_id, if any"),
        Column("source", "TEXT", "text", nullable=False, check=_in(SOURCES), doc="案件来源"),
        Column("urgency", "TEXT", "text", nullable=False, default="'normal'", check=_in(URGENCIES)),
        Column("department", "TEXT", "text", doc="responsible 专业部门 (current)"),
        Column("state", "TEXT", "text", nullable=False, default="'collecting'", check=_in(STATES)),
        Column("deadline", "TEXT", "text", doc=f"deadline of the current stage, {_TS}"),
        Column("overdue", "INTEGER", "integer", nullable=False, default="0",
               check="{col} IN (0, 1)", doc="1 when the current stage is past its deadline"),
        Column("created_at", "TEXT", "text", nullable=False, doc=_TS),
        Column("updated_at", "TEXT", "text", nullable=False, doc=_TS),
        Column("candidate_id", "TEXT", "text", doc="imagery change_candidate uuid, if any"),
    ),
    indexes=(("state",), ("street_code",), ("department",), ("candidate_id",)),
)

UG_CASE_EVENT = TableSpec(
    name="ug_case_event",
    key="event_id",
    doc="Append-only transition log: who did what to which case, and when.",
    columns=(
        Column("event_id", "TEXT", "text", nullable=False, doc="uuid4"),
        Column("case_id", "TEXT", "text", nullable=False),
        Column("from_state", "TEXT", "text", doc="NULL for the creating event"),
        Column("to_state", "TEXT", "text", nullable=False, check=_in(STATES)),
        Column("action", "TEXT", "text", nullable=False, doc="workflow action id"),
        Column("actor", "TEXT", "text", nullable=False, doc="user name"),
        Column("role", "TEXT", "text", nullable=False, check=_in(ROLES)),
        Column("at", "TEXT", "text", nullable=False, doc=_TS),
        Column("note", "TEXT", "text"),
        Column("assignee", "TEXT", "text", doc="who must act next (department, inspector)"),
        Column("deadline", "TEXT", "text", doc=f"deadline set for the next step, {_TS}"),
    ),
    indexes=(("case_id",), ("at",)),
    foreign_keys={"case_id": ("ug_case", "case_id")},
)

UG_CASE_ATTACHMENT = TableSpec(
    name="ug_case_attachment",
    key="attachment_id",
    doc="Photos and documents attached to a case, stored as BLOBs.",
    columns=(
        Column("attachment_id", "TEXT", "text", nullable=False, doc="uuid4"),
        Column("case_id", "TEXT", "text", nullable=False),
        Column("name", "TEXT", "text", nullable=False, doc="file name"),
        Column("mime", "TEXT", "text", nullable=False),
        Column("data", "BLOB", "bytea", nullable=False),
        Column("sha256", "TEXT", "text", nullable=False, doc="hex digest of data"),
        Column("created_at", "TEXT", "text", nullable=False, doc=_TS),
    ),
    indexes=(("case_id",),),
    foreign_keys={"case_id": ("ug_case", "case_id")},
)

#: All case tables, parents first (create in this order, drop in reverse).
TABLES: tuple[TableSpec, ...] = (UG_CASE, UG_CASE_EVENT, UG_CASE_ATTACHMENT)
TABLES_BY_NAME: dict[str, TableSpec] = {t.name: t for t in TABLES}
