"""The ``urbangrid components …`` command line, run in process."""

from __future__ import annotations

import sqlite3

import pytest
from test_components_import import DISTRICT, X0, Y0, survey_csv, write_grid

from urban_grid_plugin.cli import main


@pytest.fixture
def project(tmp_path):
    path = str(tmp_path / "project.gpkg")
    write_grid(path)
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["-q", "components", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_round_trip(project, tmp_path, capsys):
    csv, mapping = survey_csv(tmp_path, n=60)
    code, out, _ = run(capsys, "validate", project, csv, "--mapping", mapping)
    assert code == 0 and "60 new" in out and "dry run" in out
    code, out, _ = run(capsys, "import", project, csv, "--mapping", mapping)
    assert code == 0 and "60 new" in out
    code, out, _ = run(capsys, "import", project, csv, "--mapping", mapping)
    assert code == 0 and "60 unchanged" in out
    code, out, _ = run(capsys, "census", project, "--by", "obj_state", "--csv", str(tmp_path / "c.csv"))
    assert code == 0 and "60 components" in out and "完好" in out
    assert (tmp_path / "c.csv").read_text(encoding="utf-8").startswith("grid_code,class_code")
    obj_id = sqlite3.connect(project).execute("SELECT obj_id FROM component_point LIMIT 1").fetchone()[0]
    code, out, _ = run(capsys, "change", project, "--id", obj_id, "--set", "obj_state=丢失",
                       "--date", "2025-05-05", "--reason", "被盗")
    assert code == 0 and "obj_state=丢失" in out
    code, out, _ = run(capsys, "history", project, "--id", obj_id)
    assert code == 0 and "被盗" in out and "丢失" in out
    code, out, _ = run(capsys, "history", project, "--as-of", "2025-01-01", "--id", obj_id)
    assert code == 0 and "完好" in out and "丢失" not in out
    code, out, _ = run(capsys, "assign", project, "--xy", str(X0 + 50), str(Y0 + 50), "--xy", "0", "0")
    assert code == 0 and f"cell {DISTRICT}001001001" in out and "outside every grid cell" in out
    code, out, _ = run(capsys, "assign", project)
    assert code == 0 and "checked 60 components: 0 moved" in out
    code, out, _ = run(capsys, "duplicates", project, "--tolerance", "0.01")
    assert code == 0 and out.startswith("0 duplicate pairs")
    code, out, _ = run(capsys, "quarantine", project)
    assert code == 0 and out.startswith("0 rows in quarantine")


def test_cli_validate_shows_rejects_and_quarantine_exports(project, tmp_path, capsys):
    import pandas as pd

    csv, mapping = survey_csv(tmp_path, n=10)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame.loc[3, "LBDM"] = "7777"
    frame.to_csv(csv, index=False)
    code, out, _ = run(capsys, "validate", project, csv, "--mapping", mapping)
    assert code == 1 and "first rejected rows" in out and "7777" in out
    assert run(capsys, "import", project, csv, "--mapping", mapping)[0] == 0
    export = tmp_path / "q.csv"
    code, out, _ = run(capsys, "quarantine", project, "--csv", str(export))
    assert code == 0 and out.startswith("1 rows in quarantine")
    rows = pd.read_csv(export, dtype=str)
    assert list(rows["source_row"]) == ["4"] and list(rows["class_code"]) == ["7777"]
    assert rows["geom_wkt"].iloc[0].startswith("POINT")


def test_cli_errors_are_one_line(project, tmp_path, capsys):
    csv, mapping = survey_csv(tmp_path, n=3)
    code, out, err = run(capsys, "import", project, csv)
    assert code == 1 and "'x' and 'y' columns" in err and "Traceback" not in err
    code, _, err = run(capsys, "change", project, "--id", "1", "--set", "obj_state", "--reason", "r")
    assert code == 1 and "FIELD=VALUE" in err
    code, _, err = run(capsys, "history", project, "--as-of", "2025-13-01")
    assert code == 1 and "bad date" in err
