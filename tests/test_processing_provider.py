"""The UrbanGrid Processing provider: in QGIS, in processing.run and in qgis_process.bin."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import desktop
import pytest

REPO = desktop.REPO


def plugin_module(plugin_package, name: str):
    """Import ``urban_grid.<name>`` the way QGIS does (the repo linked as ``urban_grid``)."""
    return importlib.import_module(f"{plugin_package.__name__}.{name}")


@pytest.fixture
def provider(qgis_processing, plugin_package):
    """A fresh UrbanGrid provider registered with the Processing registry."""
    from qgis.core import QgsApplication

    module = plugin_module(plugin_package, "processing.provider")
    registry = QgsApplication.processingRegistry()
    assert registry.providerById("urbangrid") is None
    provider = module.UrbanGridProvider()
    assert registry.addProvider(provider)
    yield provider
    registry.removeProvider(provider)


def existing_algorithm_modules(plugin_package) -> list[str]:
    """ALGORITHM_MODULES entries whose file exists in processing/."""
    module = plugin_module(plugin_package, "processing.provider")
    return [name for name in module.ALGORITHM_MODULES
            if (REPO / "processing" / (name.lstrip(".") + ".py")).is_file()]


def test_provider_registers_without_load_errors(provider):
    from qgis.core import QgsApplication

    assert QgsApplication.processingRegistry().providerById("urbangrid") is provider
    assert provider.id() == "urbangrid"
    assert provider.name() == "UrbanGrid"
    assert "数字城管" in provider.longName()
    assert not provider.icon().isNull()
    assert provider.load_errors == []


def test_every_existing_algorithm_module_contributes(provider, plugin_package):
    ids = {alg.id() for alg in provider.algorithms()}
    for name in existing_algorithm_modules(plugin_package):
        module = plugin_module(plugin_package, "processing" + name)
        algorithms = module.algorithms()
        assert algorithms, f"{name}.algorithms() returned nothing"
        for alg in algorithms:
            assert f"urbangrid:{alg.name()}" in ids


def test_every_algorithm_is_described_and_can_be_instantiated(provider):
    problems = []
    for alg in provider.algorithms():
        aid = alg.id()
        if not re.fullmatch(r"urbangrid:[a-z][a-z0-9_]*", aid):
            problems.append(f"{aid}: id must be urbangrid:<lowercase_name>")
        if not alg.displayName().strip():
            problems.append(f"{aid}: no displayName")
        if not alg.group().strip() or not alg.groupId().strip():
            problems.append(f"{aid}: no group/groupId")
        if not (alg.shortHelpString() or "").strip():
            problems.append(f"{aid}: no shortHelpString")
        instance = alg.createInstance()
        if instance is None or type(instance) is not type(alg):
            problems.append(f"{aid}: createInstance() does not return a {type(alg).__name__}")
            continue
        instance.initAlgorithm({})
        names = [p.name() for p in instance.parameterDefinitions()]
        if names != [p.name() for p in alg.parameterDefinitions()]:
            problems.append(f"{aid}: a new instance has different parameters")
        for param in instance.parameterDefinitions():
            if not param.description().strip():
                problems.append(f"{aid}: parameter {param.name()} has no description")
    assert problems == []


def test_refreshing_reloads_the_same_algorithms(provider):
    before = sorted(alg.id() for alg in provider.algorithms())
    provider.refreshAlgorithms()
    assert sorted(alg.id() for alg in provider.algorithms()) == before
    assert provider.load_errors == []


def test_a_broken_module_is_reported_and_does_not_hide_the_others(provider, plugin_package,
                                                                  monkeypatch):
    module = plugin_module(plugin_package, "processing.provider")
    good = existing_algorithm_modules(plugin_package)
    # ".feedback" imports fine but has no algorithms(); ".no_such_module" does not exist yet.
    monkeypatch.setattr(module, "ALGORITHM_MODULES", (".no_such_module", ".feedback", *good))
    provider.refreshAlgorithms()
    assert len(provider.load_errors) == 1
    assert "feedback" in provider.load_errors[0]
    expected = sum(len(plugin_module(plugin_package, "processing" + n).algorithms()) for n in good)
    assert len(provider.algorithms()) == expected


# --- feedback adapter ----------------------------------------------------------------------

def test_feedback_progress_reports_and_cancels(qgis_app, plugin_package):
    from qgis.core import QgsProcessingFeedback

    feedback_module = plugin_module(plugin_package, "processing.feedback")
    errors = plugin_module(plugin_package, "urban_grid_plugin.errors")
    feedback = QgsProcessingFeedback()
    progress = feedback_module.FeedbackProgress(feedback)
    progress.set_percent(42.5)
    assert feedback.progress() == pytest.approx(42.5)
    progress.sub(50, 100).set_percent(50)
    assert feedback.progress() == pytest.approx(75)
    progress.set_percent(150)
    assert feedback.progress() == pytest.approx(100)
    progress.info("cells built")
    progress.warning("3 slivers merged")
    assert "cells built" in feedback.textLog()
    assert "3 slivers merged" in feedback.textLog()
    progress.check()
    feedback.cancel()
    assert progress.is_cancelled()
    with pytest.raises(errors.Cancelled):
        progress.check()
    # Processing may call an algorithm without feedback.
    assert feedback_module.FeedbackProgress(None).is_cancelled() is False


def test_processing_errors_carry_the_core_message(qgis_app, plugin_package):
    from qgis.core import QgsProcessingException

    feedback_module = plugin_module(plugin_package, "processing.feedback")
    errors = plugin_module(plugin_package, "urban_grid_plugin.errors")
    with pytest.raises(QgsProcessingException) as caught:
        with feedback_module.processing_errors():
            raise errors.InputError("code must have 12 digits", source="communities.gpkg", row=3,
                                    field="community_code")
    assert "communities.gpkg" in str(caught.value)
    assert "row 3" in str(caught.value)
    assert "community_code" in str(caught.value)
    with pytest.raises(ValueError):
        with feedback_module.processing_errors():
            raise ValueError("programming errors are not disguised")


# --- qgis_process.bin ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def installed_profile(tmp_path_factory) -> Path:
    """A fresh profile with the packaged plugin unzipped into it and enabled."""
    root = tmp_path_factory.mktemp("qgis_process")
    package = desktop.build_package(root / "dist")
    staging = desktop.unzip_plugin(package, root / "staging")
    return desktop.make_profile(root / "profiles", plugins={"urban_grid": staging}, link=False)


@pytest.fixture(scope="module")
def process_listing(installed_profile) -> dict:
    result = desktop.qgis_process(installed_profile, "list", json_output=True)
    assert result.returncode == 0, result.stderr
    return desktop.process_json(result)


def test_qgis_process_loads_the_enabled_plugin(installed_profile):
    result = desktop.qgis_process(installed_profile, "plugins")
    assert result.returncode == 0, result.stderr
    # "* name" marks a loaded plugin with a Processing provider.
    assert re.search(r"^\* urban_grid$", result.stdout, re.MULTILINE), result.stdout


def test_qgis_process_lists_the_provider_and_its_algorithms(process_listing, qgis_processing,
                                                            plugin_package):
    providers = process_listing["providers"]
    assert "urbangrid" in providers
    assert providers["urbangrid"]["name"] == "UrbanGrid"
    assert providers["urbangrid"]["is_active"] is True
    # The same algorithms as the provider offers inside QGIS.
    module = plugin_module(plugin_package, "processing.provider")
    provider = module.UrbanGridProvider()
    provider.loadAlgorithms()
    expected = sorted(f"urbangrid:{alg.name()}" for alg in provider.algorithms())
    assert sorted(providers["urbangrid"]["algorithms"]) == expected


def test_qgis_process_describes_the_algorithms(installed_profile, process_listing):
    algorithms = process_listing["providers"]["urbangrid"]["algorithms"]
    for aid, details in algorithms.items():
        assert details["name"].strip() and details["group"].strip(), aid
    if not algorithms:
        pytest.skip("no UrbanGrid algorithms yet")
    # One full help call (each qgis_process start costs seconds): the first algorithm.
    aid = sorted(algorithms)[0]
    result = desktop.qgis_process(installed_profile, "help", aid, json_output=True)
    assert result.returncode == 0, f"{aid}: {result.stderr}"
    described = desktop.process_json(result)
    assert described["algorithm_details"]["id"] == aid
    assert described["parameters"], f"{aid} has no parameters"


def test_qgis_process_ignores_the_plugin_until_enabled(tmp_path):
    """Installed but not enabled: no provider; ``plugins enable`` switches it on."""
    profiles = desktop.make_profile(tmp_path / "profiles", enabled=[])
    listing = desktop.process_json(desktop.qgis_process(profiles, "list", json_output=True))
    assert "urbangrid" not in listing["providers"]
    enabled = desktop.qgis_process(profiles, "plugins", "enable", "urban_grid")
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    listing = desktop.process_json(desktop.qgis_process(profiles, "list", json_output=True))
    assert "urbangrid" in listing["providers"]


# --- end to end through qgis_process.bin ---------------------------------------------------

COMMUNITY_CODES = ("440304001001", "440304001002")


def write_communities(path: Path, codes=COMMUNITY_CODES) -> str:
    """Two adjacent 200 m × 300 m communities (社区) in CGCS2000 GK zone 38 (EPSG:4547)."""
    import geopandas as gpd
    from shapely.geometry import box

    x0, y0 = 500_000.0, 2_500_000.0
    frame = gpd.GeoDataFrame(
        {"community_code": list(codes), "name": ["福田一社区", "福田二社区"]},
        geometry=[box(x0, y0, x0 + 200, y0 + 300), box(x0 + 200, y0, x0 + 400, y0 + 300)],
        crs="EPSG:4547",
    )
    frame.to_file(path, layer="community", driver="GPKG")
    return f"{path}|layername=community"


def run_alg(profiles: Path, alg: str, **params) -> tuple[int, dict | None, str]:
    """Run ``qgis_process.bin --json run urbangrid:<alg> -- KEY=VALUE ...``."""
    args = ["run", f"urbangrid:{alg}", "--", *(f"{k}={v}" for k, v in params.items())]
    result = desktop.qgis_process(profiles, *args, json_output=True, timeout=300)
    try:
        parsed = desktop.process_json(result)
    except ValueError:
        parsed = None
    return result.returncode, parsed, result.stdout + result.stderr


def test_qgis_process_builds_and_checks_a_grid_end_to_end(installed_profile, process_listing,
                                                          tmp_path):
    """The packaged plugin, run by qgis_process.bin: build a lattice grid, then check it."""
    import pyogrio

    assert "urbangrid:buildgrid" in process_listing["providers"]["urbangrid"]["algorithms"]
    communities = write_communities(tmp_path / "communities.gpkg")
    project = tmp_path / "project.gpkg"
    code, out, log = run_alg(installed_profile, "buildgrid", PROJECT=project,
                             COMMUNITIES=communities, MODE=0, TARGET_AREA=10000,
                             DATE="2026-01-01", REASON="end-to-end test")
    assert code == 0, log
    # 100 m lattice: 2 × 3 cells in each 200 m × 300 m community.
    assert out["results"]["ACTIVE"] == 12
    assert out["results"]["CREATED"] == 12
    cells = pyogrio.read_dataframe(project, layer="grid_cell", where="term_date IS NULL")
    assert len(cells) == 12
    assert cells["code"].str.len().eq(15).all()
    assert sorted(set(cells["code"].str[:12])) == sorted(COMMUNITY_CODES)
    assert cells.geometry.area.round().eq(10_000).all()

    code, out, log = run_alg(installed_profile, "checkgrid", PROJECT=project)
    assert code == 0, log
    assert out["results"]["COUNT"] == 0


def test_qgis_process_reports_bad_input_and_stores_nothing(installed_profile, tmp_path):
    communities = write_communities(tmp_path / "bad.gpkg", codes=("44030400100", "440304001002"))
    project = tmp_path / "project.gpkg"
    code, _out, log = run_alg(installed_profile, "buildgrid", PROJECT=project,
                              COMMUNITIES=communities, MODE=0, TARGET_AREA=10000)
    assert code != 0
    # The core's InputError names the row and field; no Python traceback reaches the user.
    assert "row 1" in log and "community_code" in log, log
    assert "Traceback" not in log, log
    if project.exists():
        import pyogrio

        layers = {name for name, _ in pyogrio.list_layers(project)}
        assert "grid_cell" not in layers or pyogrio.read_info(project, layer="grid_cell")["features"] == 0
