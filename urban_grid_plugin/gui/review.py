"""Auditor review of imagery change candidates (图斑核查), one at a time, by keyboard.

The auditor sees each candidate in the before and after epochs side by side, in two
map canvases whose extents follow each other, and answers with one key:
``Y``/``C`` confirm, ``N``/``R`` reject, ``S`` skip, ``←``/``→`` move without
deciding. The decision, the note, who and when go straight back to the candidate row
(``review_status``, ``review_note``, ``reviewed_by``, ``reviewed_at``); a confirmed one
becomes a draft case (案件, 信息收集) through :mod:`..cases.from_candidate`. The next
pending candidate opens at once, so a hundred take minutes.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.gui import QgsMapCanvas, QgsRubberBand
from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor, QKeySequence
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    QVBoxLayout,
    QWidget,
)

from ..errors import InputError
from ..mapping.gpkg import connect_gpkg
from ..mapping.i18n import TR_CONTEXT
from .messages import report_error

TABLE = "change_candidate"
DECISIONS = ("confirmed", "rejected", "skipped")
MIN_VIEW_M = 80.0  # show at least this much ground around a candidate


def tr(text: str) -> str:
    """Translate in the review tool's context."""
    return QCoreApplication.translate(TR_CONTEXT, text)


@dataclass
class Candidate:
    """What the review tool shows of one 图斑."""

    candidate_id: str
    wkb: bytes
    area_m2: float | None
    confidence: float | None
    grid_code: str | None
    list_status: str | None
    review_status: str | None
    review_note: str | None
    epoch_before: str | None
    epoch_after: str | None
    chip_before: str | None
    chip_after: str | None
    case_id: str | None

    @property
    def geometry(self) -> QgsGeometry:
        geom = QgsGeometry()
        geom.fromWkb(self.wkb)
        return geom


class ReviewSession:
    """The candidates to review and the write-back of decisions (no widgets).

    ``statuses`` picks which list statuses need review (default: the new ones and
    the rebuilt ones, which have no permit and no known record). Pending candidates
    come first, largest confidence first; reviewed ones follow, so going back shows
    earlier decisions.
    """

    def __init__(self, project_path: str | os.PathLike, reviewer: str | None = None,
                 statuses: tuple[str, ...] = ("new", "rebuilt")) -> None:
        self.project = os.fspath(project_path)
        self.reviewer = reviewer or _user_name()
        self.statuses = statuses
        self.candidates: list[Candidate] = []
        self.index = 0
        self.crs = QgsCoordinateReferenceSystem("EPSG:4547")
        self.epochs: dict[str, str] = {}
        self.epoch_labels: dict[str, str] = {}
        self.load()

    def load(self) -> None:
        """(Re)read candidates and epochs from the project GeoPackage."""
        import pyogrio
        import shapely

        if not os.path.exists(self.project):
            raise InputError("project GeoPackage not found", source=self.project)
        layers = {name for name, _ in pyogrio.list_layers(self.project)}
        if TABLE not in layers:
            raise InputError("the project has no change candidates yet; run the imagery "
                             "change detection first", source=self.project)
        marks = ", ".join("'" + s.replace("'", "") + "'" for s in self.statuses)
        frame = pyogrio.read_dataframe(self.project, layer=TABLE,
                                       where=f"list_status IN ({marks})")
        if frame.crs is not None:
            self.crs = QgsCoordinateReferenceSystem(frame.crs.to_wkt())
        frame["_pending"] = frame["review_status"].fillna("pending").isin(("pending", "skipped"))
        frame = frame.sort_values(["_pending", "confidence"], ascending=[False, False])
        wkbs = shapely.to_wkb(frame.geometry.values)
        self.candidates = [
            Candidate(r.candidate_id, w, _num(r.area_m2), _num(r.confidence), r.grid_code,
                      r.list_status, r.review_status, r.review_note, r.epoch_before,
                      r.epoch_after, _get(r, "chip_before"), _get(r, "chip_after"),
                      _get(r, "case_id"))
            for r, w in zip(frame.itertuples(), wkbs, strict=True)
        ]
        epochs = _epochs(self.project, layers)
        self.epochs = {k: v[0] for k, v in epochs.items()}
        self.epoch_labels = {k: v[1] for k, v in epochs.items()}
        self.index = 0

    # --- navigation ------------------------------------------------------------------

    @property
    def current(self) -> Candidate | None:
        return self.candidates[self.index] if self.candidates else None

    def pending_count(self) -> int:
        """Candidates still waiting for a decision (skipped ones count)."""
        return sum(1 for c in self.candidates if (c.review_status or "pending") in
                   ("pending", "skipped"))

    def move(self, step: int) -> Candidate | None:
        """Go ``step`` candidates forward (negative: back), clamped to the list."""
        if self.candidates:
            self.index = max(0, min(len(self.candidates) - 1, self.index + step))
        return self.current

    def next_pending(self) -> Candidate | None:
        """Move to the next candidate still pending after the current one (wrapping)."""
        n = len(self.candidates)
        for k in range(1, n + 1):
            i = (self.index + k) % n
            if (self.candidates[i].review_status or "pending") == "pending":
                self.index = i
                return self.current
        return None

    # --- decisions -------------------------------------------------------------------

    def decide(self, decision: str, note: str = "", *, make_case: bool = True,
               at: dt.datetime | None = None) -> dict:
        """Write ``decision`` for the current candidate; return ``{'case_id': ...}``.

        A confirmed candidate of the new or rebuilt list becomes a draft case when
        ``make_case`` and the case capability is installed.
        """
        if decision not in DECISIONS:
            raise InputError(f"unknown review decision {decision!r}")
        cand = self.current
        if cand is None:
            raise InputError("there is no candidate to review")
        when = (at or dt.datetime.now().astimezone()).isoformat(timespec="seconds")
        with closing(connect_gpkg(self.project)) as con, con:
            cur = con.execute(
                f"UPDATE {TABLE} SET review_status=?, review_note=?, reviewed_by=?, "
                "reviewed_at=? WHERE candidate_id=?",
                (decision, note or None, self.reviewer, when, cand.candidate_id))
            if cur.rowcount != 1:
                raise InputError(f"candidate {cand.candidate_id} is no longer in the project",
                                 source=self.project)
        cand.review_status, cand.review_note = decision, note or None
        result: dict = {"case_id": cand.case_id}
        if decision == "confirmed" and make_case and cand.case_id is None:
            result["case_id"] = self._make_case(cand)
        return result

    def _make_case(self, cand: Candidate) -> str | None:
        """Draft a case for a confirmed candidate, if the case capability exists."""
        try:
            from ..cases.from_candidate import cases_from_candidates
            from ..cases.store import CaseStore
        except ImportError:
            return None
        cases = cases_from_candidates(CaseStore(self.project), actor=self.reviewer,
                                      role="inspector")
        for case in cases:
            if case.get("candidate_id") == cand.candidate_id:
                cand.case_id = case["case_id"]
        return cand.case_id


def _num(value) -> float | None:
    try:
        return None if value is None or value != value else float(value)
    except (TypeError, ValueError):
        return None


def _get(row, name: str):
    value = getattr(row, name, None)
    return None if value is None or (isinstance(value, float) and value != value) else value


def _user_name() -> str:
    try:
        from qgis.core import QgsApplication

        name = QgsApplication.userFullName() or QgsApplication.userLoginName()
        if name:
            return name
    except Exception:
        pass
    return getpass.getuser()


def _epoch_paths(project: str, layers: set[str]) -> dict[str, str]:
    """epoch_id -> raster path from ``imagery_epoch`` (relative paths resolved)."""
    return {k: v[0] for k, v in _epochs(project, layers).items()}


def _epochs(project: str, layers: set[str]) -> dict[str, tuple[str, str]]:
    """epoch_id -> (raster path, label such as ``卫星2025 · 2025-04-01``)."""
    if "imagery_epoch" not in layers:
        return {}
    with closing(sqlite3.connect(project)) as con:
        cols = {r[1] for r in con.execute("PRAGMA table_info(imagery_epoch)")}
        name = "name" if "name" in cols else "epoch_id"
        date = "date" if "date" in cols else "''"
        rows = con.execute(f"SELECT epoch_id, path, {name}, {date} FROM imagery_epoch").fetchall()
    base = os.path.dirname(os.path.abspath(project))
    out = {}
    for epoch, path, label, when in rows:
        if not path:
            continue
        full = path if os.path.isabs(path) else os.path.join(base, path)
        out[str(epoch)] = (full, " · ".join(str(x) for x in (label or epoch, when) if x))
    return out


# --- widgets ------------------------------------------------------------------------------


class SyncedCanvases(QWidget):
    """Two map canvases (before | after) whose extents follow each other."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.titles: list[QLabel] = []
        self.canvases: list[QgsMapCanvas] = []
        self.bands: list[QgsRubberBand] = []
        for name in ("UrbanGridReviewBefore", "UrbanGridReviewAfter"):
            column = QVBoxLayout()
            title = QLabel()
            title.setStyleSheet("font-weight: bold")
            canvas = QgsMapCanvas(self)
            canvas.setObjectName(name)
            canvas.setCanvasColor(QColor("#202020"))
            canvas.setMinimumSize(320, 280)
            canvas.enableAntiAliasing(True)
            band = QgsRubberBand(canvas, QgsWkbTypes.PolygonGeometry)
            band.setStrokeColor(QColor("#ffeb3b"))
            band.setFillColor(QColor(0, 0, 0, 0))
            band.setWidth(3)
            column.addWidget(title)
            column.addWidget(canvas, 1)
            layout.addLayout(column, 1)
            self.titles.append(title)
            self.canvases.append(canvas)
            self.bands.append(band)
        self._syncing = False
        for src, dst in ((0, 1), (1, 0)):
            self.canvases[src].extentsChanged.connect(
                lambda s=src, d=dst: self._follow(s, d))

    def release(self) -> None:
        """Empty the canvases and take the rubber bands off their scenes (idempotent)."""
        bands, self.bands = self.bands, []
        for canvas in self.canvases:
            canvas.setLayers([])
        for canvas, band in zip(self.canvases, bands):  # noqa: B905 - empty after a release
            band.reset(QgsWkbTypes.PolygonGeometry)
            canvas.scene().removeItem(band)

    def _follow(self, src: int, dst: int) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self.canvases[dst].setExtent(self.canvases[src].extent())
            self.canvases[dst].refresh()
        finally:
            self._syncing = False

    def show(self, layers: tuple[list, list], titles: tuple[str, str], geometry: QgsGeometry,
             crs: QgsCoordinateReferenceSystem) -> None:
        """Show ``geometry`` over the before/after layer lists, zoomed around it."""
        box = QgsRectangle(geometry.boundingBox())
        grow = max(MIN_VIEW_M - box.width(), MIN_VIEW_M - box.height(), 0) / 2
        box.grow(grow + max(box.width(), box.height()) * 0.6)
        self._syncing = True
        try:
            if not self.bands:
                return
            for canvas, band, title, layer_list, text in zip(
                    self.canvases, self.bands, self.titles, layers, titles, strict=True):
                canvas.setDestinationCrs(crs)
                canvas.setLayers(layer_list)
                canvas.setExtent(box)
                band.setToGeometry(geometry, None)
                title.setText(text)
                canvas.refresh()
        finally:
            self._syncing = False


class CandidateReviewDialog(QDialog):
    """The review window: the two canvases, the candidate facts, note and decision keys."""

    decided = pyqtSignal(str, str)  # candidate_id, decision

    def __init__(self, project_path: str, parent: QWidget | None = None, message_bar=None,
                 reviewer: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("UrbanGridReviewDialog")
        self.setWindowTitle(tr("Review change candidates (图斑核查)"))
        self.message_bar = message_bar
        self.session = ReviewSession(project_path, reviewer=reviewer)
        self._raster_cache: dict[str, QgsRasterLayer] = {}
        self.context = self._context_layers(project_path)
        self.resize(1100, 640)

        self.info = QLabel()
        self.info.setObjectName("UrbanGridReviewInfo")
        self.info.setWordWrap(True)
        self.canvases = SyncedCanvases(self)
        self.note = QLineEdit()
        self.note.setObjectName("UrbanGridReviewNote")
        self.note.setPlaceholderText(tr("Note for this decision (optional); Enter returns to the keys"))
        self.note.returnPressed.connect(self.canvases.canvases[1].setFocus)
        self.make_case = QCheckBox(tr("Create a case (立案 draft) for confirmed candidates"))
        self.make_case.setChecked(True)
        buttons = QHBoxLayout()
        self.buttons = {}
        for key, text, slot in (
            ("previous", tr("← Previous"), lambda: self.go(-1)),
            ("confirmed", tr("Confirm (Y)"), lambda: self.decide("confirmed")),
            ("rejected", tr("Reject (N)"), lambda: self.decide("rejected")),
            ("skipped", tr("Skip (S)"), lambda: self.decide("skipped")),
            ("next", tr("Next →"), lambda: self.go(1)),
        ):
            button = QPushButton(text)
            button.setObjectName(f"UrbanGridReview_{key}")
            button.setFocusPolicy(Qt.NoFocus)  # keys stay with the dialog
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        self.progress_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.canvases, 1)
        layout.addWidget(self.note)
        row = QHBoxLayout()
        row.addWidget(self.make_case)
        keys = QLabel(tr("Keys: Y/C confirm · N/R reject · S skip · ←/→ move"))
        keys.setStyleSheet("color: #5f6b7a")
        row.addWidget(keys)
        row.addStretch(1)
        row.addWidget(self.progress_label)
        layout.addLayout(row)
        layout.addLayout(buttons)
        shortcuts = (
            ("Y", "confirmed"), ("C", "confirmed"), ("N", "rejected"), ("R", "rejected"),
            ("S", "skipped"),
        )
        self._shortcuts = []
        for key, decision in shortcuts:
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(lambda d=decision: self.decide(d))
            self._shortcuts.append(sc)
        for key, step in (("Left", -1), ("Right", 1), ("PgUp", -1), ("PgDown", 1)):
            sc = QShortcut(QKeySequence(key), self)
            sc.activated.connect(lambda s=step: self.go(s))
            self._shortcuts.append(sc)
        self.show_current()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API name
        """Let go of layers and rubber bands before Qt deletes the canvases."""
        self.release()
        super().closeEvent(event)

    def release(self) -> None:
        """Drop every layer reference (QGIS crashes at exit on dangling ones)."""
        self.canvases.release()
        self._raster_cache.clear()
        self.context = []
        self._context_keep = None

    # --- layers ----------------------------------------------------------------------

    def _context_layers(self, project_path: str) -> list:
        """Grid cells as a thin outline for orientation when no imagery is registered."""
        layer = QgsVectorLayer(f"{project_path}|layername=grid_cell", "grid", "ogr")
        if not layer.isValid():
            return []
        from ..mapping.styles import style_grid_cell

        style_grid_cell(layer)
        self._context_keep = layer
        return [layer]

    def _raster(self, epoch: str | None) -> QgsRasterLayer | None:
        path = self.session.epochs.get(epoch or "")
        if not path:
            return None
        if path not in self._raster_cache:
            layer = QgsRasterLayer(path, epoch)
            if not layer.isValid():
                return None
            self._raster_cache[path] = layer
        return self._raster_cache[path]

    # --- actions ---------------------------------------------------------------------

    def show_current(self) -> None:
        """Show the current candidate (or say that none is left)."""
        cand = self.session.current
        total = len(self.session.candidates)
        self.progress_label.setText(tr("{pending} of {total} still pending").format(
            pending=self.session.pending_count(), total=total))
        if cand is None:
            self.info.setText(tr("No change candidates to review."))
            for button in self.buttons.values():
                button.setEnabled(False)
            return
        status = {"pending": tr("pending"), "confirmed": tr("confirmed"),
                  "rejected": tr("rejected"), "skipped": tr("skipped")}.get(
            cand.review_status or "pending", cand.review_status)
        area = f"{cand.area_m2:.0f} m²" if cand.area_m2 is not None else "?"
        conf = f"{cand.confidence:.2f}" if cand.confidence is not None else "?"
        self.info.setText(tr(
            "<b>Candidate {n} / {total}</b> · area {area} · confidence {conf} · grid {grid} · "
            "list {list} · review: <b>{status}</b>{case}").format(
            n=self.session.index + 1, total=total, area=area, conf=conf,
            grid=cand.grid_code or "—", list=_list_title(cand.list_status), status=status,
            case=(" · " + tr("case {id}").format(id=cand.case_id[:8])) if cand.case_id else ""))
        self.note.setText(cand.review_note or "")
        layers = []
        titles = []
        for epoch, label in ((cand.epoch_before, tr("Before")), (cand.epoch_after, tr("After"))):
            raster = self._raster(epoch)
            layers.append(([raster] if raster else []) + self.context)
            shown = self.session.epoch_labels.get(epoch or "", epoch or "—")
            titles.append(f"{label}: {shown}" + ("" if raster else " " + tr("(no image)")))
        self.canvases.show((layers[0], layers[1]), (titles[0], titles[1]), cand.geometry,
                           self.session.crs)

    def go(self, step: int) -> None:
        """Go to the previous/next candidate without deciding (not ``move``: QWidget's)."""
        self.session.move(step)
        self.show_current()

    def decide(self, decision: str) -> bool:
        """Record ``decision`` for the current candidate and open the next pending one."""
        cand = self.session.current
        if cand is None:
            return False
        try:
            self.session.decide(decision, self.note.text().strip(),
                                make_case=self.make_case.isChecked())
        except Exception as exc:
            import traceback

            report_error(self.message_bar, exc, tr("Saving the review decision"),
                         traceback.format_exc())
            return False
        self.decided.emit(cand.candidate_id, decision)
        _refresh_candidate_layers()
        if self.session.next_pending() is None:
            self.session.move(0)
            if self.message_bar is not None:
                self.message_bar.pushSuccess("UrbanGrid", tr("All candidates are reviewed."))
        self.show_current()
        return True


def _list_title(status: str | None) -> str:
    """A candidate's list status (新增 / 有规划许可 / 存量违建 / 拆后重建) for people."""
    titles = {"new": tr("New"), "permitted": tr("Permitted"), "known": tr("Known"),
              "rebuilt": tr("Rebuilt")}
    return titles.get(status or "", status or "—")


def _refresh_candidate_layers() -> None:
    """Reload open layers on change_candidate / ug_case so the map shows the decision."""
    for layer in QgsProject.instance().mapLayers().values():
        source = layer.source()
        if f"layername={TABLE}" in source or "layername=ug_case" in source:
            layer.dataProvider().reloadData()
            layer.triggerRepaint()
