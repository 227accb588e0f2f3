"""Component IDs (部件标识码): division + class + serial, stable and never reused.

- 2013 profile: 16 digits = 6 division (县级及以上行政区划代码) + 4 class + 6 serial.
- 2026 profile: 17 digits = 6 division + 5 class + 6 serial.

The serial registry (``component_serial``) keeps the highest serial ever issued per
``division + class`` prefix. New IDs continue from it, so an ID whose component was
removed is never handed out again.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from ..codes import CLASS_CODE_LENGTH, COMPONENT_ID_LENGTH
from ..errors import InputError
from .schema import SERIAL

SERIAL_DIGITS = 6
MAX_SERIAL = 10**SERIAL_DIGITS - 1


def id_problems(ids: pd.Series, class_codes: pd.Series, profile: str) -> pd.Series:
    """Per row, why a given ID is malformed (``""`` when fine or absent).

    Checks length and digits, and that the class part matches the row's class code.
    """
    length = COMPONENT_ID_LENGTH[profile]
    width = CLASS_CODE_LENGTH[profile]
    ids = ids.fillna("").astype(str)
    present = ids != ""
    digits = ids.str.fullmatch(rf"\d{{{length}}}")
    out = pd.Series("", index=ids.index, dtype=object)
    out[present & ~digits] = f"must be {length} digits (6 division + {width} class + 6 serial)"
    cls = ids.str.slice(6, 6 + width)
    mismatch = present & digits & (cls != class_codes.fillna("").astype(str))
    out[mismatch] = "class part of the ID does not match the class code"
    serial0 = present & digits & (ids.str.slice(6 + width) == "000000")
    out[serial0] = "serial 000000 is not allowed"
    return out


def compose_ids(division: np.ndarray, class_code: np.ndarray, serial: np.ndarray) -> np.ndarray:
    """Build IDs from division, class and serial arrays (vectorised)."""
    ser = pd.Series(serial.astype(np.int64)).astype(str).str.zfill(SERIAL_DIGITS)
    return (pd.Series(division, dtype=object).astype(str) + pd.Series(class_code, dtype=object).astype(str) + ser).to_numpy(object)


def read_registry(con: sqlite3.Connection) -> dict[str, int]:
    """The serial registry as ``{prefix: last_serial}``."""
    return dict(con.execute(f"SELECT prefix, last_serial FROM {SERIAL}"))


def max_serials(obj_ids: pd.Series) -> dict[str, int]:
    """Highest serial per ``division + class`` prefix among well-formed IDs."""
    ids = obj_ids.dropna().astype(str)
    ids = ids[ids.str.fullmatch(r"\d{16,17}")]
    if not len(ids):
        return {}
    frame = pd.DataFrame({"p": ids.str.slice(0, -SERIAL_DIGITS), "s": ids.str.slice(-SERIAL_DIGITS).astype(np.int64)})
    return {str(p): int(s) for p, s in frame.groupby("p")["s"].max().items()}


def issue_ids(
    prefixes: np.ndarray,
    registry: dict[str, int],
    existing_ids: np.ndarray | None = None,
) -> tuple[np.ndarray, dict[str, int]]:
    """New IDs for rows with the given ``division + class`` prefixes.

    Serials continue after the registry's last serial and after any serial seen in
    ``existing_ids`` (IDs kept from the input). Returns the IDs and the updated
    registry entries; raises :class:`InputError` when a prefix runs out of serials.
    """
    prefixes = np.asarray(prefixes, dtype=object)
    last = dict(registry)
    if existing_ids is not None and len(existing_ids):
        seen = pd.Series(existing_ids, dtype=object).astype(str)
        frame = pd.DataFrame({"p": seen.str.slice(0, -SERIAL_DIGITS), "s": seen.str.slice(-SERIAL_DIGITS).astype(np.int64)})
        for p, s in frame.groupby("p")["s"].max().items():
            last[p] = max(last.get(p, 0), int(s))
    out = np.empty(len(prefixes), dtype=object)
    if len(prefixes):
        codes, uniques = pd.factorize(pd.Series(prefixes))
        order = np.argsort(codes, kind="stable")
        counts = np.bincount(codes, minlength=len(uniques))
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        rank = np.empty(len(prefixes), dtype=np.int64)
        rank[order] = np.arange(len(prefixes)) - np.repeat(starts, counts)
        base = np.array([last.get(p, 0) for p in uniques], dtype=np.int64)
        serial = base[codes] + rank + 1
        over = base + counts
        if (over > MAX_SERIAL).any():
            bad = uniques[int(np.argmax(over > MAX_SERIAL))]
            raise InputError(f"serial numbers for prefix {bad} are exhausted (max {MAX_SERIAL})")
        out[:] = pd.Series(prefixes).to_numpy(object) + pd.Series(serial).astype(str).str.zfill(SERIAL_DIGITS).to_numpy(object)
        for p, b, c in zip(uniques, base, counts, strict=True):
            last[p] = int(b + c)
    changed = {p: s for p, s in last.items() if registry.get(p) != s}
    return out, changed


def write_registry(con: sqlite3.Connection, changed: dict[str, int]) -> None:
    """Raise registry entries (never lower them)."""
    con.executemany(
        f"INSERT INTO {SERIAL}(prefix, last_serial) VALUES (?, ?) "
        "ON CONFLICT(prefix) DO UPDATE SET last_serial=max(last_serial, excluded.last_serial)",
        list(changed.items()),
    )
