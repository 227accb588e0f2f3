"""Field-mapping files: the city's own column names → the standard component fields.

A mapping file is YAML (``.yaml``/``.yml``) or JSON::

    columns:            # standard field: the city's column
      class_code: LBDM
      obj_id: BJBM
      obj_state: ZT
      init_date: CSRQ
    x: X                # CSV only: coordinate columns
    y: Y
    crs: EPSG:4326      # CSV only (or a layer without CRS)
    layer: parts        # optional layer name in a GeoPackage
    defaults:           # optional constant values for absent fields
      data_source: 实测

Without a mapping file, columns already named like the standard fields (or the
CJ/T 214 abbreviations ObjID, ObjName, ObjState, ORDate, CHDate, ...) are used.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from ..errors import InputError
from .schema import MAPPABLE_FIELDS

#: CJ/T 214 abbreviations and GB/T 47678.5 表2 abbreviations recognised without a mapping file.
STANDARD_ALIASES = {
    "obj_id": ("objid", "glbjbsm", "bjbsm"),
    "class_code": ("classcode", "class", "lbdm", "bjlb"),
    "obj_name": ("objname", "glbjmc"),
    "dept_code1": ("deptcode1", "zgbmdm"),
    "dept_name1": ("deptname1", "zgbmmc"),
    "dept_code2": ("deptcode2", "qsdwdm"),
    "dept_name2": ("deptname2", "qsdwmc"),
    "dept_code3": ("deptcode3", "yhdwdm"),
    "dept_name3": ("deptname3", "yhdwmc"),
    "obj_state": ("objstate", "glbjzt"),
    "init_date": ("ordate", "csrq"),
    "change_date": ("chdate", "bgrq"),
    "data_source": ("datasource", "sjly"),
    "note": ("bz",),
}


@dataclass
class Mapping:
    """How to read one city's component files."""

    columns: dict[str, str] = field(default_factory=dict)
    x: str | None = None
    y: str | None = None
    crs: str | None = None
    layer: str | None = None
    defaults: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # the mapping file, for messages


def load_mapping(path: str | os.PathLike | None) -> Mapping:
    """Read a YAML or JSON mapping file; ``None`` gives the default mapping."""
    if path is None:
        return Mapping()
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError("mapping file not found", source=path)
    try:
        with open(path, encoding="utf-8") as fh:
            if path.lower().endswith((".yaml", ".yml")):
                import yaml

                data = yaml.safe_load(fh)
            else:
                data = json.load(fh)
    except Exception as exc:  # yaml and json raise different error types
        raise InputError(f"cannot read mapping file: {exc}", source=path) from exc
    if not isinstance(data, dict):
        raise InputError("mapping file must hold a mapping (key: value)", source=path)
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        raise InputError("'columns' must map standard fields to your column names", source=path, field="columns")
    unknown = [k for k in columns if k not in MAPPABLE_FIELDS]
    if unknown:
        raise InputError(
            f"unknown standard field {unknown[0]!r}; known: {', '.join(MAPPABLE_FIELDS)}",
            source=path, field=unknown[0],
        )
    extra = set(data) - {"columns", "x", "y", "crs", "layer", "defaults"}
    if extra:
        raise InputError(f"unknown mapping key {sorted(extra)[0]!r}", source=path, field=sorted(extra)[0])
    return Mapping(
        columns={k: str(v) for k, v in columns.items() if v},
        x=data.get("x"), y=data.get("y"), crs=data.get("crs"), layer=data.get("layer"),
        defaults={k: str(v) for k, v in (data.get("defaults") or {}).items()},
        source=path,
    )


def resolve_columns(mapping: Mapping, available: list[str], data_source: str) -> dict[str, str]:
    """Standard field → input column for one file.

    Raises :class:`InputError` naming the mapping file and column when the mapping
    names a column the file does not have.
    """
    lower = {c.lower(): c for c in available}
    out: dict[str, str] = {}
    for std, col in mapping.columns.items():
        if col not in available:
            raise InputError(
                f"mapping names column {col!r} for {std}, but {os.path.basename(data_source)} has no such column "
                f"(columns: {', '.join(available)})",
                source=mapping.source or "default mapping", field=col,
            )
        out[std] = col
    for std in MAPPABLE_FIELDS:
        if std in out:
            continue
        for name in (std, *STANDARD_ALIASES.get(std, ())):
            if name.lower() in lower:
                out[std] = lower[name.lower()]
                break
    for key in ("x", "y"):
        col = getattr(mapping, key)
        if col and col not in available:
            raise InputError(
                f"mapping names column {col!r} for {key}, but {os.path.basename(data_source)} has no such column",
                source=mapping.source or "default mapping", field=col,
            )
    return out
