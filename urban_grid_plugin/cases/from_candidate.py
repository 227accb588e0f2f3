"""Draft cases from imagery change candidates (图斑 → 案件).

A reviewed ``change_candidate`` (review_status ``confirmed``, list_status ``new`` or
``rebuilt``: not on the permit or known-building lists) becomes a 私搭乱建 event case
in state 信息收集: class ``0101`` in the 2013 profile, ``06001`` in the 2026 profile,
source ``imagery``, located at a point inside the 图斑. The before/after chips become
photo attachments. The case creation, the attachments and the write-back of
``change_candidate.case_id`` happen in one SQLite transaction, so a candidate never
gets two cases and a case never loses its candidate link.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import closing

from ..errors import InputError
from ..progress import Progress, ensure_progress
from .store import CaseStore, attachment_row, connect, insert_row, transaction

CANDIDATE_TABLE = "change_candidate"
#: 私搭乱建 (illegal construction) per profile (standards §2.5).
ILLEGAL_BUILDING_CLASS = {"2013": "0101", "2026": "06001"}


def read_open_candidates(
    project: str | os.PathLike,
    review_statuses: Sequence[str] = ("confirmed",),
    list_statuses: Sequence[str] = ("new", "rebuilt"),
):
    """Candidates without a case whose review and list status qualify (a GeoDataFrame)."""
    import pyogrio

    project = os.fspath(project)
    if CANDIDATE_TABLE not in {n for n, _ in pyogrio.list_layers(project)}:
        raise InputError("project has no change_candidate layer; run the imagery change detection first",
                         source=project)
    where = (
        "case_id IS NULL AND review_status IN (" + ", ".join(_quote(s) for s in review_statuses) + ")"
        " AND list_status IN (" + ", ".join(_quote(s) for s in list_statuses) + ")"
    )
    return pyogrio.read_dataframe(project, layer=CANDIDATE_TABLE, where=where)


def _quote(value: str) -> str:
    """A SQL string literal from a fixed vocabulary (statuses are checked by the caller)."""
    if not value.replace("_", "").isalnum():
        raise InputError(f"bad status {value!r}")
    return f"'{value}'"


def _clean(row) -> dict:
    """A candidate row as a dict with missing values (None, NaN, '') as None."""
    out = {}
    for key, value in dict(row).items():
        if value is None or (isinstance(value, float) and value != value) or value == "":
            value = None
        out[key] = value
    return out


def candidate_description(row: dict) -> str:
    """Human description of a 图斑 for the case."""
    parts = ["遥感变化图斑 (imagery change)"]
    if row.get("area_m2") is not None:
        parts.append(f"面积 {float(row['area_m2']):.0f} m²")
    if row.get("confidence") is not None:
        parts.append(f"置信度 {float(row['confidence']):.2f}")
    if row.get("epoch_before") or row.get("epoch_after"):
        parts.append(f"{row.get('epoch_before') or '?'} → {row.get('epoch_after') or '?'}")
    if row.get("review_note"):
        parts.append(str(row["review_note"]))
    return "; ".join(parts)


def cases_from_candidates(
    store: CaseStore,
    *,
    actor: str = "imagery",
    role: str = "system",
    at=None,
    review_statuses: Sequence[str] = ("confirmed",),
    list_statuses: Sequence[str] = ("new", "rebuilt"),
    urgency: str = "normal",
    limit: int | None = None,
    progress: Progress | None = None,
) -> list[dict]:
    """Create one draft case per qualifying candidate; return the new cases.

    Candidates that already have a ``case_id`` are skipped, so running twice creates
    nothing new (idempotent).
    """
    progress = ensure_progress(progress)
    frame = read_open_candidates(store.project, review_statuses, list_statuses)
    if limit is not None:
        frame = frame.iloc[:limit]
    if frame.empty:
        progress.info("no open candidates qualify; nothing to do")
        return []
    class_code = ILLEGAL_BUILDING_CLASS[store.profile]
    points = frame.geometry.representative_point()
    specs, chips = [], []
    for (_, raw), point in zip(frame.iterrows(), points, strict=True):
        progress.check()
        row = _clean(raw.drop(labels="geometry"))
        specs.append({
            "kind": "event", "class_code": class_code, "profile": store.profile,
            "x": point.x, "y": point.y, "source": "imagery", "urgency": urgency,
            "description": candidate_description(row), "candidate_id": row["candidate_id"],
            "grid_code": row.get("grid_code"), "street_code": row.get("street_code"),
            "community_code": row.get("community_code"),
            "note": f"from change_candidate {row['candidate_id']}",
        })
        chips.append([row.get("chip_before"), row.get("chip_after")])
    when = store.when(at)
    with closing(connect(store.project)) as con, transaction(con):
        cases = store.create_cases(specs, actor=actor, role=role, at=when, con=con, progress=progress.sub(0, 80))
        for case, paths in zip(cases, chips, strict=True):
            for label, path in zip(("before", "after"), paths, strict=True):
                if path and os.path.exists(path):
                    with open(path, "rb") as fh:
                        data = fh.read()
                    name = f"{label}_{os.path.basename(path)}"
                    insert_row(con, "ug_case_attachment", attachment_row(case["case_id"], data, name, None, when))
            cur = con.execute(
                f"UPDATE {CANDIDATE_TABLE} SET case_id=? WHERE candidate_id=? AND case_id IS NULL",
                (case["case_id"], case["candidate_id"]),
            )
            if cur.rowcount != 1:
                raise InputError(f"candidate {case['candidate_id']} was taken by another case meanwhile",
                                 source=store.project, field="case_id")
    progress.set_percent(100)
    return cases
