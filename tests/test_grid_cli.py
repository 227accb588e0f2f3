"""The ``urbangrid grid`` command line end to end on a small demo district."""

from __future__ import annotations

from urban_grid_plugin.cli import main
from urban_grid_plugin.grid import store


def test_cli_builds_checks_retires_and_lists_history(tmp_path, capsys):
    inputs = tmp_path / "district.gpkg"
    project = tmp_path / "project.gpkg"
    assert main(["-q", "grid", "demo-data", str(inputs), "--columns", "2", "--rows", "1"]) == 0
    assert "2 communities" in capsys.readouterr().out
    assert main(["-q", "grid", "init", str(project), "--crs", "EPSG:4547"]) == 0
    assert main(["-q", "grid", "build", str(project), "--communities", f"{inputs}|community", "--mode", "barrier",
                 "--barriers", f"{inputs}|barrier", "--date", "2026-01-01", "--reason", "首次划分"]) == 0
    out = capsys.readouterr().out
    cells = store.read_active_cells(project)
    assert f"{len(cells)} active cells" in out and "median" in out and "within 10000 ± 30%" in out
    assert main(["-q", "grid", "check", str(project), "--strict"]) == 0
    assert "0 problem(s)" in capsys.readouterr().out
    code = cells["code"].iloc[0]
    assert main(["-q", "grid", "retire", str(project), code, "--reason", "道路拓宽", "--date", "2026-02-01"]) == 0
    assert main(["-q", "grid", "history", str(project), "--code", code]) == 0
    out = capsys.readouterr().out
    assert "retired" in out and "道路拓宽" in out and "2026-02-01" in out
    # Re-building brings the area back with a new code; the retired one stays retired.
    assert main(["-q", "grid", "build", str(project), "--communities", f"{inputs}|community", "--mode", "barrier",
                 "--barriers", f"{inputs}|barrier", "--date", "2026-03-01"]) == 0
    assert "created 1, kept" in capsys.readouterr().out
    all_cells = store.read_cells(project)
    assert all_cells["code"].is_unique
    assert all_cells.loc[all_cells["code"] == code, "term_date"].iloc[0] == "2026-02-01"


def test_cli_reports_bad_input_in_one_line(tmp_path, capsys):
    project = tmp_path / "project.gpkg"
    assert main(["-q", "grid", "init", str(project)]) == 0
    assert main(["-q", "grid", "build", str(project), "--communities", str(tmp_path / "missing.gpkg")]) == 1
    err = capsys.readouterr().err
    assert "file not found" in err and "Traceback" not in err
    assert main(["-q", "grid", "check", str(project)]) == 1
    assert "no unit grid yet" in capsys.readouterr().err
