"""The auditor review tool: keys decide, decisions land in the GeoPackage, cases follow."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest


@pytest.fixture()
def project(tmp_path, plugin_package):
    from urban_grid.urban_grid_plugin.mapping.sample import build_sample_project

    return build_sample_project(tmp_path / "review.gpkg", candidates=9, cases=6)


def _rows(project):
    with closing(sqlite3.connect(project)) as con:
        return {r[0]: r[1:] for r in con.execute(
            "SELECT candidate_id, review_status, review_note, reviewed_by, reviewed_at, case_id "
            "FROM change_candidate")}


def _show(dialog, qgis_app):
    from qgis.PyQt.QtWidgets import QApplication

    dialog.show()
    dialog.activateWindow()
    QApplication.setActiveWindow(dialog)
    from qgis.PyQt.QtTest import QTest

    assert QTest.qWaitForWindowActive(dialog, 2000)
    qgis_app.processEvents()


def test_three_candidates_by_keyboard(qgis_app, qgis_iface, project, tmp_path):
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtTest import QTest
    from urban_grid.urban_grid_plugin.gui.review import CandidateReviewDialog

    dialog = CandidateReviewDialog(project, message_bar=qgis_iface.messageBar(),
                                   reviewer="auditor-1")
    _show(dialog, qgis_app)
    session = dialog.session
    with closing(sqlite3.connect(project)) as con:
        wanted = con.execute("SELECT count(*) FROM change_candidate "
                             "WHERE list_status IN ('new', 'rebuilt')").fetchone()[0]
    assert len(session.candidates) == wanted == 7  # permitted and known ones need no review
    first, second, third = (c.candidate_id for c in session.candidates[:3])
    # Both canvases show the before/after rasters at the same extent.
    before, after = dialog.canvases.canvases
    assert len(before.layers()) == 2 and len(after.layers()) == 2
    assert before.layers()[0].source() != after.layers()[0].source()
    assert before.extent().toString(1) == after.extent().toString(1)
    assert before.extent().contains(session.candidates[0].geometry.boundingBox())
    assert "2025-10-01" in dialog.canvases.titles[0].text()  # epoch and its date
    assert "2026-10-01" in dialog.canvases.titles[1].text()

    QTest.keyClicks(dialog.note, "roof extension on courtyard")
    dialog.canvases.canvases[1].setFocus()
    QTest.keyClick(dialog, Qt.Key_Y)
    assert session.current.candidate_id == second
    QTest.keyClick(dialog, Qt.Key_N)
    assert session.current.candidate_id == third
    QTest.keyClick(dialog, Qt.Key_S)
    fourth = session.current.candidate_id
    assert fourth not in (first, second, third)
    # Arrow keys move without deciding.
    QTest.keyClick(dialog, Qt.Key_Left)
    assert session.current.candidate_id == third
    QTest.keyClick(dialog, Qt.Key_Right)
    assert session.current.candidate_id == fourth

    rows = _rows(project)
    status, note, by, at, case_id = rows[first]
    assert (status, note, by) == ("confirmed", "roof extension on courtyard", "auditor-1")
    assert at and at[:2] == "20" and "T" in at
    assert case_id, "a confirmed candidate becomes a case"
    assert rows[second][0] == "rejected" and rows[second][4] is None
    assert rows[third][0] == "skipped"
    with closing(sqlite3.connect(project)) as con:
        state, source, cand = con.execute(
            "SELECT state, source, candidate_id FROM ug_case WHERE case_id=?", (case_id,)).fetchone()
    assert (state, source, cand) == ("collecting", "imagery", first)
    assert "5 of 7" in dialog.progress_label.text()  # the skipped one still waits

    # Synced canvases: panning one moves the other.
    from qgis.core import QgsRectangle

    moved = QgsRectangle(before.extent())
    moved.setXMinimum(moved.xMinimum() + 10)
    moved.setXMaximum(moved.xMaximum() + 10)
    before.setExtent(moved)
    qgis_app.processEvents()
    assert abs(after.extent().center().x() - before.extent().center().x()) < 0.01
    dialog.close()


def test_review_errors_reach_the_message_bar(qgis_app, qgis_iface, project):
    from urban_grid.urban_grid_plugin.gui.review import CandidateReviewDialog

    dialog = CandidateReviewDialog(project, message_bar=qgis_iface.messageBar())
    # The candidate disappears under the auditor's feet (another laptop deleted it).
    with closing(sqlite3.connect(project)) as con, con:
        con.execute("DELETE FROM change_candidate WHERE candidate_id=?",
                    (dialog.session.current.candidate_id,))
    from qgis.core import Qgis

    bar = qgis_iface.messageBar()  # pytest-qgis records what is pushed
    bar.clear_messages()
    assert dialog.decide("confirmed") is False
    texts = bar.get_messages(Qgis.Critical)
    assert len(texts) == 1 and "no longer in the project" in texts[0], texts
    assert "Traceback" not in texts[0]
    dialog.close()


def test_review_refuses_a_project_without_candidates(qgis_app, tmp_path, plugin_package):
    from urban_grid.urban_grid_plugin.errors import InputError
    from urban_grid.urban_grid_plugin.gui.review import ReviewSession
    from urban_grid.urban_grid_plugin.project import create_project

    path = tmp_path / "empty.gpkg"
    create_project(path)
    with pytest.raises(InputError, match="no change candidates"):
        ReviewSession(path)
