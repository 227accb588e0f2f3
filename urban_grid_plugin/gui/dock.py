"""The UrbanGrid dock panel: one place for the project and every capability.

Open or create the project GeoPackage (项目库); see at a glance how many cells,
components, pending candidates, open and overdue cases it holds and where sync
stands; and reach each capability: the grid and component tools (their Processing
algorithms, prefilled with the project), the one map (一张图), candidate review,
cases, sync and the report. Long actions run as QgsTasks with progress and cancel.
Actions whose capability is not installed yet are disabled and say so.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from qgis.core import QgsApplication, QgsProject, QgsSettings
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..mapping.i18n import TR_CONTEXT
from .messages import report_error
from .tasks import CoreTask, start_task

SETTINGS_KEY = "UrbanGrid/"


def tr(text: str) -> str:
    """Translate in the dock's context."""
    return QCoreApplication.translate(TR_CONTEXT, text)


#: Capability -> words that pick its Processing algorithms (by id or group).
ALGORITHM_GROUPS = {
    "grid": ("grid",),
    "components": ("component",),
    "imagery": ("imagery", "epoch", "change", "detect", "align"),
    "cases": ("case", "overdue", "indicator"),
}


class UrbanGridDock(QgsDockWidget):
    """The dock panel. ``iface`` may be None in tests (no message bar, no Processing GUI)."""

    def __init__(self, iface=None, parent: QWidget | None = None) -> None:
        super().__init__(tr("UrbanGrid 数字城管"), parent)
        self.setObjectName("UrbanGridDock")
        self.iface = iface
        self.project_path: str | None = None
        self.tasks: list[CoreTask] = []
        self.review_dialog = None
        self.status_labels: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton | QToolButton] = {}
        self._build()
        last = QgsSettings().value(SETTINGS_KEY + "project", "", type=str)
        if last and os.path.exists(last):
            self.set_project(last)
        else:
            self.refresh()

    # --- layout ----------------------------------------------------------------------

    @property
    def message_bar(self):
        return self.iface.messageBar() if self.iface is not None else None

    def _build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)

        project_box = QGroupBox(tr("Project GeoPackage (项目库)"))
        pl = QVBoxLayout(project_box)
        self.path_label = QLabel(tr("No project open"))
        self.path_label.setObjectName("UrbanGridProjectPath")
        self.path_label.setWordWrap(True)
        pl.addWidget(self.path_label)
        row = QHBoxLayout()
        row.addWidget(self._button("open", tr("Open…"), self.choose_project))
        row.addWidget(self._button("new", tr("New…"), self.create_project))
        row.addWidget(self._button("refresh", tr("Refresh"), self.refresh))
        pl.addLayout(row)
        layout.addWidget(project_box)

        status_box = QGroupBox(tr("Status"))
        form = QFormLayout(status_box)
        for key, title in (
            ("profile", tr("Code profile / CRS")),
            ("cells", tr("Active grid cells")),
            ("components", tr("Components")),
            ("candidates", tr("Candidates to review")),
            ("cases", tr("Open cases")),
            ("overdue", tr("Overdue cases")),
            ("sync", tr("Sync")),
        ):
            label = QLabel("—")
            label.setObjectName(f"UrbanGridStatus_{key}")
            label.setTextInteractionFlags(Qt.TextSelectableByMouse)
            form.addRow(title, label)
            self.status_labels[key] = label
        layout.addWidget(status_box)

        work = QGroupBox(tr("Work"))
        wl = QVBoxLayout(work)
        wl.addWidget(self._tools_button("grid", tr("Unit grid (单元网格) tools")))
        wl.addWidget(self._tools_button("components", tr("Component (部件) tools")))
        wl.addWidget(self._tools_button("imagery", tr("Imagery change tools")))
        wl.addWidget(self._button("review", tr("Review change candidates…"), self.open_review))
        wl.addWidget(self._button("cases_from_candidates",
                                  tr("Create cases from confirmed candidates"),
                                  self.run_cases_from_candidates))
        wl.addWidget(self._button("flag_overdue", tr("Flag overdue cases"), self.run_flag_overdue))
        wl.addWidget(self._tools_button("cases", tr("Case (案件) tools")))
        layout.addWidget(work)

        maps = QGroupBox(tr("One map and report"))
        ml = QVBoxLayout(maps)
        ml.addWidget(self._button("add_layers", tr("Add project layers to this map"),
                                  self.add_layers))
        ml.addWidget(self._button("one_map", tr("Build the one map (一张图)…"), self.run_one_map))
        ml.addWidget(self._button("report", tr("Export the PDF report…"), self.run_report))
        layout.addWidget(maps)

        sync_box = QGroupBox(tr("Sync with the server"))
        sl = QVBoxLayout(sync_box)
        self.server_edit = QLineEdit(QgsSettings().value(SETTINGS_KEY + "server", "", type=str))
        self.server_edit.setObjectName("UrbanGridServer")
        self.server_edit.setPlaceholderText(tr("pg_service name or connection without password"))
        self.server_edit.editingFinished.connect(
            lambda: QgsSettings().setValue(SETTINGS_KEY + "server", self.server_edit.text()))
        sl.addWidget(self.server_edit)
        sl.addWidget(self._button("sync", tr("Sync now"), self.run_sync))
        layout.addWidget(sync_box)
        layout.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setWidget(scroll)

    def _button(self, key: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(f"UrbanGrid_{key}")
        button.clicked.connect(lambda _checked=False: slot())
        self.buttons[key] = button
        return button

    def _tools_button(self, key: str, text: str) -> QToolButton:
        """A button with a menu of this capability's Processing algorithms."""
        button = QToolButton()
        button.setObjectName(f"UrbanGrid_tools_{key}")
        button.setText(text)
        button.setPopupMode(QToolButton.InstantPopup)
        button.setToolButtonStyle(Qt.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        menu = QMenu(button)
        menu.aboutToShow.connect(lambda m=menu, k=key: self._fill_menu(m, k))
        button.setMenu(menu)
        self.buttons[f"tools_{key}"] = button
        return button

    def algorithms_for(self, key: str) -> list:
        """The UrbanGrid Processing algorithms of capability ``key``."""
        provider = QgsApplication.processingRegistry().providerById("urbangrid")
        if provider is None:
            return []
        words = ALGORITHM_GROUPS.get(key, (key,))
        out = []
        for alg in provider.algorithms():
            text = f"{alg.id()} {alg.group()} {alg.groupId()}".lower()
            if any(w in text for w in words):
                out.append(alg)
        return sorted(out, key=lambda a: a.displayName())

    def _fill_menu(self, menu: QMenu, key: str) -> None:
        menu.clear()
        algs = self.algorithms_for(key)
        if not algs:
            action = menu.addAction(tr("Not installed yet"))
            action.setEnabled(False)
            return
        for alg in algs:
            action = menu.addAction(alg.icon(), alg.displayName())
            algorithm_id = alg.id()
            action.triggered.connect(
                lambda _c=False, a=algorithm_id: self.open_algorithm(a))

    def open_algorithm(self, algorithm_id: str) -> None:
        """Open a Processing algorithm dialog with the project path filled in."""
        params = {}
        alg = QgsApplication.processingRegistry().algorithmById(algorithm_id)
        if alg is not None and self.project_path:
            for p in alg.parameterDefinitions():
                if "PROJECT" in p.name().upper():
                    params[p.name()] = self.project_path
        try:
            import processing

            processing.execAlgorithmDialog(algorithm_id, params)
        except Exception as exc:
            import traceback

            report_error(self.message_bar, exc, tr("Opening {name}").format(name=algorithm_id),
                         traceback.format_exc())

    # --- project ---------------------------------------------------------------------

    def choose_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open project GeoPackage"), "",
                                              tr("GeoPackage (*.gpkg)"))
        if path:
            self.set_project(path)

    def create_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("New project GeoPackage"), "",
                                              tr("GeoPackage (*.gpkg)"))
        if not path:
            return
        if not path.lower().endswith(".gpkg"):
            path += ".gpkg"
        self.new_project(path)

    def new_project(self, path: str, crs: str | None = None, profile: str = "2013") -> bool:
        """Create a project GeoPackage and open it; errors go to the message bar."""
        from ..project import create_project

        try:
            create_project(path, crs=crs, profile=profile)
        except Exception as exc:
            import traceback

            report_error(self.message_bar, exc, tr("Creating the project"), traceback.format_exc())
            return False
        self.set_project(path)
        return True

    def set_project(self, path: str) -> None:
        """Make ``path`` the current project GeoPackage and refresh the status."""
        self.project_path = os.path.abspath(path)
        QgsSettings().setValue(SETTINGS_KEY + "project", self.project_path)
        self.path_label.setText(self.project_path)
        self.path_label.setToolTip(self.project_path)
        self.refresh()

    # --- status ----------------------------------------------------------------------

    def refresh(self) -> dict:
        """Re-read the counts and sync state; enable what makes sense. Returns the status."""
        status = project_status(self.project_path) if self.project_path else {}
        shown = {
            "profile": status.get("profile", "—"),
            "cells": _fmt(status.get("cells")),
            "components": _fmt(status.get("components")),
            "candidates": _fmt(status.get("candidates_pending")),
            "cases": _fmt(status.get("cases_open")),
            "overdue": _fmt(status.get("overdue")),
            "sync": status.get("sync", tr("never synced")) if self.project_path else "—",
        }
        for key, text in shown.items():
            self.status_labels[key].setText(text)
        overdue = status.get("overdue") or 0
        self.status_labels["overdue"].setStyleSheet(
            "color: #c62828; font-weight: bold" if overdue else "")
        has = self.project_path is not None
        tables = status.get("tables", set())
        for key, needed in (
            ("review", "change_candidate"), ("cases_from_candidates", "change_candidate"),
            ("flag_overdue", "ug_case"), ("add_layers", None), ("one_map", None),
            ("report", None), ("sync", None),
        ):
            self.buttons[key].setEnabled(has and (needed is None or needed in tables))
        self.buttons["sync"].setEnabled(has and sync_function() is not None)
        if sync_function() is None:
            self.buttons["sync"].setToolTip(tr("Sync is not installed yet"))
        self.status = status
        return status

    # --- actions ---------------------------------------------------------------------

    def _require_project(self) -> bool:
        if self.project_path:
            return True
        if self.message_bar is not None:
            self.message_bar.pushWarning("UrbanGrid", tr("Open or create a project GeoPackage first."))
        return False

    def run_task(self, description: str, function, *args, on_success=None,
                 success_message=None, **kwargs) -> CoreTask:
        """Start ``function`` as a cancellable QgsTask; refresh the status when it ends."""
        def done(result):
            self.refresh()
            if on_success is not None:
                on_success(result)

        task = CoreTask(description, function, *args, on_success=done,
                        on_error=lambda _e: self.refresh(), message_bar=self.message_bar,
                        success_message=success_message, **kwargs)
        self.tasks = [t for t in self.tasks if not t.done] + [task]
        return start_task(task)

    def add_layers(self) -> dict:
        """Add the project's layers, grouped and styled, to the current QGIS map."""
        if not self._require_project():
            return {}
        from ..mapping.one_map import load_project_layers

        try:
            return load_project_layers(self.project_path, QgsProject.instance())
        except Exception as exc:
            import traceback

            report_error(self.message_bar, exc, tr("Adding the project layers"),
                         traceback.format_exc())
            return {}

    def one_map_path(self) -> str:
        return os.path.splitext(self.project_path)[0] + "-onemap.qgz"

    def run_one_map(self, output: str | None = None, open_it: bool = True) -> CoreTask | None:
        """Write the one-map project next to the GeoPackage, then open it."""
        if not self._require_project():
            return None
        from ..mapping.one_map import build_one_map

        output = output or self.one_map_path()

        def opened(result):
            if open_it and self.iface is not None:
                self.iface.addProject(result["output"])

        return self.run_task(tr("Building the one map"), build_one_map, self.project_path,
                             output, on_success=opened,
                             success_message=tr("One map written to {path}").format(path=output))

    def run_report(self, output: str | None = None) -> CoreTask | None:
        """Export the PDF report (asks where unless ``output`` is given)."""
        if not self._require_project():
            return None
        if output is None:
            output, _ = QFileDialog.getSaveFileName(
                self, tr("Save the report"), os.path.splitext(self.project_path)[0] + "-report.pdf",
                tr("PDF (*.pdf)"))
            if not output:
                return None
        from ..mapping.report import build_report

        return self.run_task(tr("Exporting the report"), build_report, self.project_path, output,
                             success_message=lambda r: tr("Report written: {path} ({pages} pages)")
                             .format(path=r["output"], pages=r["pages"]))

    def run_cases_from_candidates(self) -> CoreTask | None:
        """Draft a case for every confirmed candidate that has none."""
        if not self._require_project():
            return None
        try:
            from ..cases.from_candidate import cases_from_candidates
            from ..cases.store import CaseStore
        except ImportError:
            self._not_installed(tr("Cases"))
            return None

        def job(project, progress):
            return cases_from_candidates(CaseStore(project), actor=_user(), role="inspector",
                                         progress=progress)

        return self.run_task(tr("Creating cases from candidates"), job, self.project_path,
                             success_message=lambda r: tr("{n} new cases").format(n=len(r)))

    def run_flag_overdue(self) -> CoreTask | None:
        """Mark running cases past their deadline as overdue."""
        if not self._require_project():
            return None
        try:
            from ..cases.store import CaseStore
        except ImportError:
            self._not_installed(tr("Cases"))
            return None

        def job(project, progress):
            progress.set_percent(10)
            return CaseStore(project).flag_overdue()

        return self.run_task(tr("Flagging overdue cases"), job, self.project_path,
                             success_message=lambda r: tr("{n} cases are overdue").format(n=len(r)))

    def run_sync(self) -> CoreTask | None:
        """Push local edits and pull server changes as a task."""
        if not self._require_project():
            return None
        function = sync_function()
        if function is None:
            self._not_installed(tr("Sync"))
            return None
        server = self.server_edit.text().strip()
        if not server:
            if self.message_bar is not None:
                self.message_bar.pushWarning("UrbanGrid", tr("Enter the server (pg_service name) first."))
            return None
        return self.run_task(
            tr("Syncing with the server"), function, self.project_path, server,
            success_message=lambda r: tr("Sync finished: {summary}").format(
                summary=r.summary() if hasattr(r, "summary") else r))

    def open_review(self):
        """Open the candidate review window."""
        if not self._require_project():
            return None
        from .review import CandidateReviewDialog

        try:
            dialog = CandidateReviewDialog(self.project_path, self.iface.mainWindow()
                                           if self.iface is not None else None,
                                           message_bar=self.message_bar)
        except Exception as exc:
            import traceback

            report_error(self.message_bar, exc, tr("Opening the review"), traceback.format_exc())
            return None
        dialog.decided.connect(lambda *_: self.refresh())
        dialog.show()
        self.review_dialog = dialog
        return dialog

    def _not_installed(self, what: str) -> None:
        if self.message_bar is not None:
            self.message_bar.pushWarning("UrbanGrid", tr("{what} is not installed in this version yet.")
                                         .format(what=what))


def _fmt(value) -> str:
    return "—" if value is None else f"{int(value):,}"


def _user() -> str:
    from .review import _user_name

    return _user_name()


def sync_function():
    """``f(project, server, progress=...)`` running one sync, or None when sync is missing.

    ``server`` is a pg_service name, or a libpq connection string without password
    (credentials stay in pg_service.conf / .pgpass / QGIS's auth manager).
    """
    try:
        from ..sync import protocol
    except ImportError:
        return None

    def run(project: str, server: str, progress=None):
        is_dsn = "=" in server or server.startswith(("postgres://", "postgresql://"))
        return protocol.sync(project, server if is_dsn else None,
                             service=None if is_dsn else server, progress=progress)

    return run


def project_status(project_path: str) -> dict:
    """Counts and sync state for the dock; missing tables just leave their entry out."""
    import sqlite3
    from contextlib import closing

    from ..mapping.stats import overdue_count

    status: dict = {}
    if not project_path or not os.path.exists(project_path):
        return status
    try:
        with closing(sqlite3.connect(project_path, timeout=5)) as con:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            status["tables"] = tables
            if "ug_project" in tables:
                meta = dict(con.execute("SELECT key, value FROM ug_project"))
                crs = meta.get("crs", "?")
                status["profile"] = f"{meta.get('profile', '?')} · {crs if len(crs) < 20 else crs[:20]}"
            if "grid_cell" in tables:
                status["cells"] = con.execute(
                    "SELECT count(*) FROM grid_cell WHERE term_date IS NULL").fetchone()[0]
            comps = [t for t in ("component_point", "component_line", "component_polygon") if t in tables]
            if comps:
                status["components"] = sum(
                    con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in comps)
            if "change_candidate" in tables:
                status["candidates_pending"] = con.execute(
                    "SELECT count(*) FROM change_candidate WHERE list_status IN ('new','rebuilt') "
                    "AND coalesce(review_status,'pending') IN ('pending','skipped')").fetchone()[0]
            if "ug_case" in tables:
                status["cases_open"] = con.execute(
                    "SELECT count(*) FROM ug_case WHERE state NOT IN ('closed','voided')").fetchone()[0]
            if "ug_sync_log" in tables:
                last = con.execute("SELECT at, step FROM ug_sync_log ORDER BY id DESC LIMIT 1").fetchone()
                outbox = con.execute("SELECT count(*) FROM ug_sync_outbox").fetchone()[0] \
                    if "ug_sync_outbox" in tables else 0
                conflicts = con.execute(
                    "SELECT count(*) FROM ug_sync_conflict WHERE coalesce(status,'open')='open'"
                ).fetchone()[0] if "ug_sync_conflict" in tables else 0
                if last:
                    status["sync"] = tr("last {at} ({step}); {outbox} unsent; {conflicts} conflicts").format(
                        at=last[0][:16].replace("T", " "), step=last[1], outbox=outbox,
                        conflicts=conflicts)
                status["conflicts"] = conflicts
        status["overdue"] = overdue_count(project_path)
    except sqlite3.DatabaseError as exc:
        status["error"] = str(exc)
    return status
