"""The dock panel: project status, tasks with progress and cancel, errors in the message bar."""

from __future__ import annotations

import os

import pytest


@pytest.fixture()
def sample(tmp_path, plugin_package):
    from urban_grid.urban_grid_plugin.mapping.sample import build_sample_project

    return build_sample_project(tmp_path / "dock.gpkg", candidates=6, cases=20)


@pytest.fixture()
def dock(qgis_app, qgis_iface, plugin_package):
    from qgis.core import QgsSettings
    from urban_grid.urban_grid_plugin.gui.dock import UrbanGridDock

    QgsSettings().remove("UrbanGrid/project")
    widget = UrbanGridDock(qgis_iface)
    qgis_iface.messageBar().clear_messages()
    yield widget
    widget.close()
    widget.deleteLater()


def test_dock_shows_project_counts(dock, sample):
    from urban_grid.urban_grid_plugin.mapping.stats import overdue_count

    assert dock.objectName() == "UrbanGridDock"
    assert not dock.buttons["report"].isEnabled()  # nothing open yet
    dock.set_project(sample)
    labels = dock.status_labels
    assert labels["cells"].text() == "96"
    assert labels["components"].text() == f"{96 * 6:,}"
    assert labels["candidates"].text() == "4"  # 3 new + 1 rebuilt of 6, none reviewed
    overdue = overdue_count(sample)
    assert overdue and labels["overdue"].text() == str(overdue)
    assert "c62828" in labels["overdue"].styleSheet()  # overdue cases stand out in red
    assert dock.buttons["review"].isEnabled() and dock.buttons["report"].isEnabled()
    assert dock.status["profile"].startswith("2013")


def test_dock_runs_one_map_and_report_as_tasks(dock, sample, tmp_path, qgis_iface):
    from qgis.core import Qgis, QgsProject
    from urban_grid.urban_grid_plugin.gui.tasks import wait_for

    dock.set_project(sample)
    qgz = str(tmp_path / "onemap.qgz")
    task = dock.run_one_map(qgz, open_it=False)
    assert wait_for(task, 60), "one map task never finished"
    assert task.error is None, task.details
    assert os.path.getsize(qgz) > 0
    pdf = str(tmp_path / "report.pdf")
    task = dock.run_report(pdf)
    assert wait_for(task, 120), "report task never finished"
    assert task.error is None, task.details
    assert task.result["pages"] == 2 + 3
    assert os.path.getsize(pdf) > 10_000
    successes = qgis_iface.messageBar().get_messages(Qgis.Success)
    assert any("report.pdf" in m for m in successes), successes
    layers = dock.add_layers()
    assert {"grid_cell", "case_state", "candidate_new"} <= set(layers)
    QgsProject.instance().clear()


def test_task_cancel_and_error_become_messages(dock, sample, qgis_iface, tmp_path):
    import time

    from qgis.core import Qgis
    from urban_grid.urban_grid_plugin.errors import InputError
    from urban_grid.urban_grid_plugin.gui.tasks import CoreTask, start_task, wait_for

    bar = qgis_iface.messageBar()

    def slow(progress):
        for i in range(500):
            progress.step(i, 500)
            time.sleep(0.01)
        return "finished"

    task = start_task(CoreTask("slow job", slow, message_bar=bar))
    time.sleep(0.1)
    task.cancel()
    assert wait_for(task, 30)
    assert task.result is None
    assert any("cancelled" in m for m in bar.get_messages(Qgis.Info))

    def broken(path, progress):
        raise InputError("codes of the wrong length", source=path, row=3, field="code")

    task = start_task(CoreTask("Import", broken, "x.gpkg", message_bar=bar))
    assert wait_for(task, 30)
    critical = bar.get_messages(Qgis.Critical)
    assert any("x.gpkg, row 3, field 'code'" in m for m in critical), critical

    def bug(progress):
        return {}["missing"]

    task = start_task(CoreTask("Buggy", bug, message_bar=bar))
    assert wait_for(task, 30)
    last = bar.get_messages(Qgis.Critical)[-1]
    assert "Log Messages" in last and "KeyError" not in last and "Traceback" not in last
    assert "KeyError" in task.details  # the traceback goes to the log only

    # A report on a project without streets is refused with a readable message.
    from urban_grid.urban_grid_plugin.project import create_project

    empty = tmp_path / "empty.gpkg"
    create_project(empty)
    dock.set_project(str(empty))
    task = dock.run_report(str(tmp_path / "never.pdf"))
    assert wait_for(task, 30)
    assert "no streets" in bar.get_messages(Qgis.Critical)[-1]
    assert not (tmp_path / "never.pdf").exists()


def test_new_project_from_the_dock(dock, tmp_path):
    path = tmp_path / "fresh.gpkg"
    assert dock.new_project(str(path))
    assert dock.project_path == str(path)
    assert dock.status_labels["profile"].text().startswith("2013")
    assert dock.status_labels["cells"].text() == "—"  # no grid yet, not an error
    assert not dock.buttons["review"].isEnabled()


@pytest.mark.postgis
def test_dock_syncs_with_a_real_server(dock, sample, pg_dsn):
    import re
    import uuid

    import psycopg
    from urban_grid.urban_grid_plugin.gui.tasks import wait_for
    from urban_grid.urban_grid_plugin.sync import server

    dbname = f"ug_gui_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {dbname}")
    dsn = re.sub(r"dbname=\S+", f"dbname={dbname}", pg_dsn)
    try:
        with psycopg.connect(dsn, autocommit=True) as con:
            con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        server.server_init(dsn)
        role = dbname + "_staff"
        server.grant(dsn, role=role, districts=["320508"])
        dock.set_project(sample)
        assert dock.status_labels["sync"].text() == "never synced"
        # What a user types: a connection without password, as their own role.
        dock.server_edit.setText(re.sub(r"user=\S+", f"user={role}", dsn))
        task = dock.run_sync()
        assert wait_for(task, 120)
        assert task.error is None, task.details
        assert task.result.pushed.get("ug_case") == 20, task.result.summary()
        assert task.result.rejected == 0, task.result.summary()
        label = dock.status_labels["sync"].text()
        assert label.startswith("last ") and "0 conflicts" in label
        with psycopg.connect(dsn) as con:
            assert con.execute("SELECT count(*) FROM urbangrid.ug_case").fetchone()[0] == 20
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
            con.execute(f"DROP ROLE IF EXISTS {dbname}_staff")


def test_plugin_shows_the_dock_and_reaches_processing(qgis_iface, plugin_package, sample):
    plugin = plugin_package.classFactory(qgis_iface)
    plugin.initGui()
    try:
        names = [a.objectName() for a in plugin.actions]
        assert names[0] == "UrbanGridOpenToolbox" and "UrbanGridShowDock" in names
        dock = plugin.show_dock(True)
        assert dock is plugin.show_dock(True)  # created once
        grid_algs = [a.id() for a in dock.algorithms_for("grid")]
        assert grid_algs and all(a.startswith("urbangrid:") for a in grid_algs)
        assert any("grid" in a for a in grid_algs)
        menu = dock.buttons["tools_grid"].menu()
        dock._fill_menu(menu, "grid")
        assert len(menu.actions()) == len(grid_algs)
        dock.set_project(sample)
        review = dock.open_review()
        assert review is not None and review.session.candidates
        review.close()
    finally:
        plugin.unload()
    assert plugin.dock is None and plugin.actions == []
