"""The real QGIS desktop (Xvfb, Chinese UI): the UrbanGrid panel on a project, one map, review."""

from __future__ import annotations

import desktop
import pytest

pytestmark = pytest.mark.desktop


@pytest.fixture(scope="module")
def session(tmp_path_factory, plugin_package):
    from urban_grid.urban_grid_plugin.gui.showcase import showcase_code
    from urban_grid.urban_grid_plugin.mapping.sample import build_sample_project

    missing = desktop.tool_missing()
    assert missing is None, missing
    root = tmp_path_factory.mktemp("gui-desktop")
    project = build_sample_project(root / "district.gpkg")
    profiles = desktop.make_profile(
        root / "profiles",
        settings={"locale": {"userLocale": "zh-Hans", "overrideFlag": "true"}})
    run = desktop.run_desktop(profiles, root / "out", user_code=showcase_code(project, decide=1),
                              delay_ms=3500, timeout=90)
    return run


def test_panel_opens_on_the_project_in_chinese(session):
    facts = session.facts
    assert facts["errors"] == [], facts["errors"]
    assert facts["dock_visible"] is True
    assert facts["translation"] and facts["translation"].endswith("urban_grid_zh_CN.qm")
    assert facts["dock_buttons"]["one_map"] == "生成一张图…"
    assert facts["status"]["cells"] == "96"
    assert facts["status"]["overdue"] not in ("—", "0")
    assert "UrbanGridShowDock" in facts["actions"] and "UrbanGridOpenToolbox" in facts["actions"]
    assert {"grid_cell", "case_state", "candidate_new", "component_point"} <= set(facts["layers"])
    assert facts["project_layers"] >= 6


def test_review_window_in_the_desktop(session):
    facts = session.facts
    assert facts["review_title"] == "图斑核查"
    assert facts["review_candidates"] == 8  # the sample's new and rebuilt candidates
    assert facts["review_pending_after"] == 7  # one confirmed from inside QGIS


def test_screenshots_are_not_blank(session):
    assert session.window is not None and session.screenshot is not None
    assert desktop.image_stddev(session.window) > 0.08
    assert desktop.image_stddev(session.screenshot) > 0.08
    width, height = desktop.image_size(session.window)
    assert width >= 1400 and height >= 900
