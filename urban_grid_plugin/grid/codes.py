"""Unit grid codes (单元网格标识码): 15-digit GB/T 30428.1 and legacy 14-digit CJ/T 213.

A GB/T 30428.1 code is ``DDDDDD SSS CCC NNN``: 6 digits of the district (区县, GB/T
2260), 3 of the street (街道/乡镇), 3 of the community (社区/村) and a 3-digit grid
sequence (单元网格顺序码). The older CJ/T 213-2005 code has the same 12-digit prefix
and a 2-digit sequence; it converts losslessly by left-padding the sequence.

Everything here is plain string work so the same validators serve the command line,
QGIS and the other capabilities (components and cases store grid codes too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError

GRID_CODE_LEN = 15
LEGACY_GRID_CODE_LEN = 14
COMMUNITY_CODE_LEN = 12
STREET_CODE_LEN = 9
DISTRICT_CODE_LEN = 6
SEQUENCE_LEN = GRID_CODE_LEN - COMMUNITY_CODE_LEN
MAX_SEQUENCE = 10**SEQUENCE_LEN - 1

_DIGITS = {n: re.compile(rf"^\d{{{n}}}$") for n in (6, 9, 12, 14, 15)}

# GB/T 2260 province prefixes (省级): 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71, 81, 82.
_PROVINCES = frozenset(
    [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]
)

_LEVELS = {
    DISTRICT_CODE_LEN: "district code (区县代码)",
    STREET_CODE_LEN: "street code (街道代码)",
    COMMUNITY_CODE_LEN: "community code (社区代码)",
    GRID_CODE_LEN: "grid code (单元网格标识码)",
}


@dataclass(frozen=True)
class GridCode:
    """A parsed 15-digit grid code."""

    district: str
    street: str
    community: str
    sequence: int

    @property
    def street_code(self) -> str:
        """The 9-digit street code (district + street)."""
        return self.district + self.street

    @property
    def community_code(self) -> str:
        """The 12-digit community code (district + street + community)."""
        return self.district + self.street + self.community

    def __str__(self) -> str:
        return make_grid_code(self.community_code, self.sequence)


def _clean(code: object) -> str:
    """A code as a stripped string; numbers that lost leading zeros are not guessed."""
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return ""
    if isinstance(code, float) and code.is_integer():
        code = int(code)
    return str(code).strip()


def code_problem(code: object, length: int) -> str | None:
    """Why ``code`` is not a valid code of ``length`` digits, or None if it is.

    The district prefix must start with a GB/T 2260 province number, so a code
    shifted by a lost leading zero or a wrong column is caught.
    """
    text = _clean(code)
    what = _LEVELS.get(length, f"{length}-digit code")
    if not text:
        return f"{what} is missing"
    if not text.isdigit():
        return f"{what} {text!r} must contain digits only"
    if len(text) != length:
        return f"{what} {text!r} has {len(text)} digits, expected {length}"
    if int(text[:2]) not in _PROVINCES:
        return f"{what} {text!r} does not start with a GB/T 2260 province number"
    if length >= STREET_CODE_LEN and text[6:9] == "000":
        return f"{what} {text!r} has street part 000"
    if length >= COMMUNITY_CODE_LEN and text[9:12] == "000":
        return f"{what} {text!r} has community part 000"
    return None


def validate_code(code: object, length: int, *, source: str | None = None,
                  row: int | None = None, field: str | None = None) -> str:
    """Return ``code`` as a clean string or raise :class:`InputError` saying why not."""
    problem = code_problem(code, length)
    if problem:
        raise InputError(problem, source=source, row=row, field=field)
    return _clean(code)


def validate_codes(values: Iterable[object], length: int, *, source: str | None = None,
                   field: str | None = None) -> list[str]:
    """Validate a column of codes; the first bad one raises naming its 1-based row."""
    out = []
    for i, value in enumerate(values):
        out.append(validate_code(value, length, source=source, row=i + 1, field=field))
    return out


def is_grid_code(code: object) -> bool:
    """True for a well-formed 15-digit GB/T 30428.1 grid code."""
    return code_problem(code, GRID_CODE_LEN) is None


def is_legacy_grid_code(code: object) -> bool:
    """True for a well-formed 14-digit CJ/T 213-2005 grid code."""
    text = _clean(code)
    return len(text) == LEGACY_GRID_CODE_LEN and code_problem(text[:COMMUNITY_CODE_LEN], COMMUNITY_CODE_LEN) is None and text[12:].isdigit()


def parse_grid_code(code: object) -> GridCode:
    """Parse a 15-digit code, or a 14-digit legacy code (converted first)."""
    text = normalize_grid_code(code)
    return GridCode(text[:6], text[6:9], text[9:12], int(text[12:]))


def make_grid_code(community_code: str, sequence: int) -> str:
    """The 15-digit code of grid ``sequence`` (1..999) in ``community_code``."""
    community_code = validate_code(community_code, COMMUNITY_CODE_LEN)
    if not 0 < int(sequence) <= MAX_SEQUENCE:
        raise InputError(
            f"community {community_code} would need grid sequence {sequence}; "
            f"GB/T 30428.1 allows 001-{MAX_SEQUENCE:03d} per community (use a larger cell size)"
        )
    return f"{community_code}{int(sequence):0{SEQUENCE_LEN}d}"


def convert_legacy_code(code: object) -> str:
    """Convert a 14-digit CJ/T 213 code to 15 digits: the 2-digit sequence becomes 3.

    The legacy sequence ``00`` (a community that is one grid) becomes ``000``; it
    is kept as is so the link to the old code stays obvious.
    """
    text = _clean(code)
    if not is_legacy_grid_code(text):
        raise InputError(
            f"{text!r} is not a 14-digit CJ/T 213 grid code "
            "(6 district + 3 street + 3 community + 2 sequence)"
        )
    return text[:COMMUNITY_CODE_LEN] + "0" + text[COMMUNITY_CODE_LEN:]


def normalize_grid_code(code: object, *, source: str | None = None, row: int | None = None,
                        field: str | None = None) -> str:
    """A grid code as 15 digits: legacy 14-digit codes are converted, others validated."""
    text = _clean(code)
    if len(text) == LEGACY_GRID_CODE_LEN and text.isdigit():
        if not is_legacy_grid_code(text):
            raise InputError(f"legacy grid code {text!r} has a malformed prefix", source=source, row=row, field=field)
        return convert_legacy_code(text)
    if len(text) == GRID_CODE_LEN and text.isdigit() and text[12:] == "000":
        # 000 only exists as a converted legacy whole-community grid.
        if code_problem(text[:COMMUNITY_CODE_LEN], COMMUNITY_CODE_LEN) is None:
            return text
    problem = code_problem(text, GRID_CODE_LEN)
    if problem:
        raise InputError(problem + " (or 14 digits under CJ/T 213)", source=source, row=row, field=field)
    return text


def normalize_grid_codes(values: Iterable[object], *, source: str | None = None,
                         field: str | None = None) -> list[str]:
    """Normalize a column of grid codes; the first bad one raises naming its row."""
    return [normalize_grid_code(v, source=source, row=i + 1, field=field) for i, v in enumerate(values)]


def code_series_problems(values: pd.Series, length: int) -> pd.Series:
    """:func:`code_problem` over a Series: problem texts, None where a code is fine.

    Vectorised for the common case (all fine); only suspect codes get the
    per-code explanation.
    """
    text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
    ok = text.str.fullmatch(rf"\d{{{length}}}") & text.str[:2].isin([str(p) for p in _PROVINCES])
    if length >= STREET_CODE_LEN:
        ok &= text.str[6:9] != "000"
    if length >= COMMUNITY_CODE_LEN:
        ok &= text.str[9:12] != "000"
    result = pd.Series([None] * len(values), index=values.index, dtype=object)
    bad = ~ok.to_numpy(dtype=bool)
    if bad.any():
        result[bad] = [code_problem(v, length) for v in values[bad]]
    return result


def street_of(community_code: str) -> str:
    """The 9-digit street code of a community or grid code."""
    return _clean(community_code)[:STREET_CODE_LEN]


def district_of(code: str) -> str:
    """The 6-digit district code of any code in the hierarchy."""
    return _clean(code)[:DISTRICT_CODE_LEN]
