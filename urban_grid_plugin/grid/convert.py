"""Convert a layer's legacy 14-digit CJ/T 213 grid codes to 15-digit GB/T 30428.1 codes."""

from __future__ import annotations

import os

import geopandas as gpd
import pyogrio

from ..errors import InputError
from ..io.vector import describe_source
from .codes import LEGACY_GRID_CODE_LEN, normalize_grid_code


def convert_code_layer(source: str | os.PathLike, target: str | os.PathLike, *, field: str = "code",
                       layer: str | None = None) -> dict[str, int]:
    """Copy ``source`` to ``target`` with every grid code in ``field`` as 15 digits.

    The old value is kept in ``legacy_code`` for rows that were converted. All
    codes are checked before anything is written; the first bad one raises
    :class:`InputError` naming its row. Returns counts of converted and kept codes.
    """
    name = describe_source(source, layer)
    if not os.path.exists(source):
        raise InputError("file not found", source=os.fspath(source))
    frame = pyogrio.read_dataframe(source, layer=layer)
    if field not in frame.columns:
        raise InputError(f"no field {field!r}; fields are {', '.join(map(str, frame.columns))}", source=name, field=field)
    old = frame[field].map(lambda v: "" if v is None else str(v).strip())
    new = [normalize_grid_code(v, source=name, row=i + 1, field=field) for i, v in enumerate(old)]
    converted = (old.str.len() == LEGACY_GRID_CODE_LEN).to_numpy()
    frame[field] = new
    frame["legacy_code"] = [o if c else None for o, c in zip(old, converted, strict=True)]
    if os.path.exists(target):
        os.unlink(target)
    if isinstance(frame, gpd.GeoDataFrame):
        frame.to_file(target, engine="pyogrio")
    else:
        pyogrio.write_dataframe(frame, target)
    return {"converted": int(converted.sum()), "kept": int((~converted).sum())}
