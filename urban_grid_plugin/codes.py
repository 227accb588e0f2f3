"""Code tables (分类代码表) for components (部件) and events (事件/管理事项), both profiles.

The tables are data, not code: one UTF-8 CSV per profile and kind under
``data/codes/`` (``components_2013.csv``, ``components_2026.csv``, ``events_2013.csv``,
``events_2026.csv``), all with the header::

    code,major,major_name,name,geometry,department,note

- ``code``: the class code without the division prefix: 4 digits (2 major + 2 minor)
  in the 2013 profile (GB/T 30428.2-2013 / CJ/T 214), 5 digits (2 major + 3 minor) in
  the 2026 profile (GB/T 47678.5-2026).
- ``major`` / ``major_name``: the 大类 code and name.
- ``geometry``: ``point``, ``line`` or ``polygon`` for components, empty for events.
- ``department``: the default 主管部门 (responsible department); local configuration.
- ``note``: provenance or remarks.

A city adds local extension classes (扩展部件) or overrides departments with an
extension CSV in the same format: rows with a known code override the non-empty
fields they give; rows with a new code add a class flagged ``local``.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, replace
from importlib import resources

from .errors import InputError

KINDS = ("component", "event")
PROFILES = ("2013", "2026")
GEOMETRIES = ("point", "line", "polygon")
COLUMNS = ("code", "major", "major_name", "name", "geometry", "department", "note")
REQUIRED_COLUMNS = ("code", "name")

#: Digits of a class code (大类 + 小类) per profile.
CLASS_CODE_LENGTH = {"2013": 4, "2026": 5}
#: Digits of a component ID (部件标识码): 6 division + class code + 6 serial.
COMPONENT_ID_LENGTH = {"2013": 16, "2026": 17}

_FILE_KIND = {"component": "components", "event": "events"}


@dataclass(frozen=True)
class CodeClass:
    """One class (小类) of a code table.

    ``code`` is the full class code (major + minor) and ``local`` is True for a
    city's own extension class rather than one from the standard.
    """

    code: str
    major: str
    major_name: str
    name: str
    geometry: str | None
    department: str
    note: str = ""
    local: bool = False
    kind: str = "component"
    profile: str = "2013"

    @property
    def minor(self) -> str:
        """The 小类 part of the code (2 digits in 2013, 3 in 2026)."""
        return self.code[2:]


def code_table_path(kind: str, profile: str) -> str:
    """Path of the packaged CSV for ``kind`` and ``profile``."""
    _check_kind_profile(kind, profile)
    name = f"{_FILE_KIND[kind]}_{profile}.csv"
    return str(resources.files(__package__).joinpath("data", "codes", name))


def load_classes(
    kind: str,
    profile: str,
    extensions: str | os.PathLike | None = None,
) -> dict[str, CodeClass]:
    """Load the code table for ``kind`` ("component"|"event") and ``profile`` ("2013"|"2026").

    ``extensions`` is an optional CSV in the same format holding a city's local
    classes and department overrides. Returns ``{code: CodeClass}`` in file order.
    Raises :class:`InputError` naming the file, row and field for a malformed table.
    """
    _check_kind_profile(kind, profile)
    path = code_table_path(kind, profile)
    if not os.path.exists(path):
        raise InputError(f"no {kind} code table for profile {profile} yet", source=path)
    classes: dict[str, CodeClass] = {}
    for row_no, cls in _read_rows(path, kind, profile, local=False):
        if cls.code in classes:
            raise InputError(f"duplicate class code {cls.code}", source=path, row=row_no, field="code")
        classes[cls.code] = cls
    if extensions is not None:
        apply_extensions(classes, extensions, kind, profile)
    return classes


def apply_extensions(
    classes: dict[str, CodeClass],
    path: str | os.PathLike,
    kind: str,
    profile: str,
) -> dict[str, CodeClass]:
    """Merge a city's extension CSV into ``classes`` in place and return it.

    Known codes take the extension's non-empty fields (typically ``department``);
    new codes are added as local classes.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError("code extension file not found", source=path)
    for row_no, cls in _read_rows(path, kind, profile, local=True, partial=True):
        base = classes.get(cls.code)
        if base is None:
            if not cls.name:
                raise InputError("a new local class needs a name", source=path, row=row_no, field="name")
            if kind == "component" and not cls.geometry:
                raise InputError(
                    "a new local component class needs a geometry (point, line or polygon)",
                    source=path, row=row_no, field="geometry",
                )
            classes[cls.code] = cls
        else:
            changes = {
                f: getattr(cls, f)
                for f in ("major_name", "name", "geometry", "department", "note")
                if getattr(cls, f)
            }
            classes[cls.code] = replace(base, **changes)
    return classes


def write_classes(path: str | os.PathLike, classes: dict[str, CodeClass] | list[CodeClass]) -> None:
    """Write classes as a code-table CSV (the format :func:`load_classes` reads)."""
    items = classes.values() if isinstance(classes, dict) else classes
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for c in items:
            writer.writerow([c.code, c.major, c.major_name, c.name, c.geometry or "", c.department, c.note])


def _check_kind_profile(kind: str, profile: str) -> None:
    if kind not in KINDS:
        raise InputError(f"unknown code kind {kind!r}; use one of {', '.join(KINDS)}")
    if str(profile) not in PROFILES:
        raise InputError(f"unknown code profile {profile!r}; use one of {', '.join(PROFILES)}")


def _read_rows(path: str, kind: str, profile: str, *, local: bool, partial: bool = False):
    """Yield ``(row_number, CodeClass)`` from a code CSV, validating every field.

    Row numbers count the header as row 1, as a spreadsheet shows them.
    """
    width = CLASS_CODE_LENGTH[str(profile)]
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise InputError(f"code table lacks column(s) {', '.join(missing)}", source=path, row=1)
            for row_no, raw in enumerate(reader, start=2):
                row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
                if not any(row.values()):
                    continue
                code = row.get("code", "")
                if len(code) != width or not code.isdigit():
                    raise InputError(
                        f"class code {code!r} must be {width} digits in the {profile} profile",
                        source=path, row=row_no, field="code",
                    )
                major = row.get("major") or code[:2]
                if major != code[:2]:
                    raise InputError(
                        f"major {major!r} does not match class code {code}", source=path, row=row_no, field="major"
                    )
                geometry = (row.get("geometry") or "").lower() or None
                if kind == "component" and geometry is None and not partial:
                    raise InputError("component class needs a geometry", source=path, row=row_no, field="geometry")
                if geometry is not None and (kind == "event" or geometry not in GEOMETRIES):
                    allowed = "empty for events" if kind == "event" else "point, line or polygon"
                    raise InputError(
                        f"geometry {geometry!r} is not valid ({allowed})", source=path, row=row_no, field="geometry"
                    )
                if not row.get("name") and not partial:
                    raise InputError("class has no name", source=path, row=row_no, field="name")
                yield row_no, CodeClass(
                    code=code,
                    major=major,
                    major_name=row.get("major_name", ""),
                    name=row.get("name", ""),
                    geometry=geometry,
                    department=row.get("department", ""),
                    note=row.get("note", ""),
                    local=local,
                    kind=kind,
                    profile=str(profile),
                )
    except UnicodeDecodeError as exc:
        raise InputError(f"code table is not UTF-8 text: {exc}", source=path) from exc
    except csv.Error as exc:
        raise InputError(f"code table is not valid CSV: {exc}", source=path) from exc
