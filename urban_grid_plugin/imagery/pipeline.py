"""The whole imagery run: align → detect → polygons → lists → chips → candidate layer."""

from __future__ import annotations

import os
import shutil

import geopandas as gpd

from ..errors import InputError
from ..progress import Progress, ensure_progress
from ..project import project_crs
from .align import align_pair
from .detect import DetectorParams, detect_changes
from .epochs import get_epoch
from .evidence import write_chips
from .lists import compare_lists, summary
from .polygons import candidates_from_raster
from .store import CANDIDATE_FIELDS, CANDIDATE_TABLE, write_rows


def _quote(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def write_candidates(project_path: str | os.PathLike, candidates: gpd.GeoDataFrame,
                     pair: tuple[str, str] | None = None) -> int:
    """Store candidates, replacing still-pending, case-less ones of the same epoch pair.

    Candidates already reviewed or turned into cases are kept, so re-running a
    detection never throws away an auditor's work.
    """
    crs = project_crs(project_path)
    frame = candidates.to_crs(crs) if candidates.crs and not candidates.crs.equals(crs) else candidates
    where = None
    pairs = frame[["epoch_before", "epoch_after"]].drop_duplicates().dropna()
    if pair is not None:
        pairs = [pair]
    if len(pairs):
        clauses = [f"(epoch_before = {_quote(b)} AND epoch_after = {_quote(a)})"
                   for b, a in (pairs if pair is not None else pairs.itertuples(index=False))]
        where = f"review_status = 'pending' AND case_id IS NULL AND ({' OR '.join(clauses)})"
    return write_rows(project_path, CANDIDATE_TABLE, frame, CANDIDATE_FIELDS, delete_where=where)


def run_pipeline(
    project_path: str | os.PathLike,
    epoch_before: str,
    epoch_after: str,
    work_dir: str | os.PathLike,
    *,
    resolution: float | None = None,
    params: DetectorParams | None = None,
    model: str | None = None,
    min_area_m2: float = 20.0,
    permits=None,
    known=None,
    demolished=None,
    chips: bool = True,
    progress: Progress | None = None,
) -> dict:
    """Run every step for two registered epochs and store the candidates; returns a summary.

    Intermediate rasters go to ``work_dir`` (``aligned/``, ``change.tif``, ``chips/``).
    The project is written once, at the end, in one transaction.
    """
    progress = ensure_progress(progress)
    eb, ea = get_epoch(project_path, epoch_before), get_epoch(project_path, epoch_after)
    if eb["epoch_id"] == ea["epoch_id"]:
        raise InputError("choose two different epochs", field="epoch")
    if eb["date"] > ea["date"]:
        progress.warning(f"epoch {eb['name']} ({eb['date']}) is later than {ea['name']} ({ea['date']}); "
                         "new construction is searched from the first to the second as given")
    work_dir = os.fspath(work_dir)
    crs = project_crs(project_path)
    params = params or DetectorParams()
    if resolution is None:
        resolution = max(float(eb["resolution_m"]), float(ea["resolution_m"]))
    progress.info(f"aligning {eb['name']} ({eb['sensor']}, {eb['resolution_m']} m) and "
                  f"{ea['name']} ({ea['sensor']}, {ea['resolution_m']} m) at {resolution:g} m")
    aligned = align_pair(eb["path"], ea["path"], os.path.join(work_dir, "aligned"), crs=crs,
                         resolution=resolution, progress=progress.sub(0, 35))
    change = os.path.join(work_dir, "change.tif")
    if model:
        from .onnx_detector import detect_with_model

        detection = detect_with_model(aligned.before, aligned.after, change, model, progress=progress.sub(35, 75))
        detector = f"onnx:{os.path.basename(model)}"
    else:
        dsm = (eb.get("dsm_path"), ea.get("dsm_path"))
        detection = detect_changes(aligned.before, aligned.after, change, params=params,
                                   dsm_before=dsm[0] if all(dsm) else None,
                                   dsm_after=dsm[1] if all(dsm) else None,
                                   progress=progress.sub(35, 75))
        detector = "features+dsm" if all(dsm) else "features"
    candidates = candidates_from_raster(change, project_path=project_path, min_area_m2=min_area_m2,
                                        epoch_before=eb["epoch_id"], epoch_after=ea["epoch_id"],
                                        detector=detector, progress=progress.sub(75, 85))
    candidates = compare_lists(candidates, permits=permits, known=known, demolished=demolished,
                               progress=progress)
    chips_dir = os.path.join(work_dir, "chips")
    if chips and len(candidates):
        if os.path.isdir(chips_dir):
            shutil.rmtree(chips_dir)
        candidates = write_chips(candidates, aligned.before, aligned.after, chips_dir,
                                 progress=progress.sub(85, 98))
    written = write_candidates(project_path, candidates, (eb["epoch_id"], ea["epoch_id"]))
    progress.set_percent(100)
    return {
        "epoch_before": eb["name"], "epoch_after": ea["name"], "resolution_m": resolution,
        "shift_px": aligned.shift_px, "shift_m": aligned.shift_m, "warnings": aligned.warnings,
        "changed_area_m2": round(detection.changed_area_m2, 1), "candidates": written,
        "lists": summary(candidates), "change_raster": change, "chips_dir": chips_dir if chips else None,
        "area_m2": round(float(candidates["area_m2"].sum()) if len(candidates) else 0.0, 1),
        "grid_cells": int(candidates["grid_code"].dropna().nunique()) if len(candidates) else 0,
    }
