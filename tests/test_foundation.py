"""The foundation: layout, no qgis in the core, no shadowing of QGIS's processing."""

from __future__ import annotations

import ast
import configparser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QGIS_FACING = {"plugin.py", "gui", "mapping"}


def core_modules():
    root = REPO / "urban_grid_plugin"
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in QGIS_FACING:
            continue
        yield path


@pytest.mark.parametrize("path", list(core_modules()), ids=lambda p: str(p.relative_to(REPO)))
def test_core_module_does_not_import_qgis(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            assert name.split(".")[0] not in {"qgis", "PyQt5"}, f"{path}: imports {name}"


def test_metadata_is_valid():
    meta = configparser.ConfigParser()
    meta.read(REPO / "metadata.txt", encoding="utf-8")
    general = meta["general"]
    for key in ("name", "qgisMinimumVersion", "description", "version", "author", "email",
                "about", "repository", "tracker"):
        assert general.get(key), f"metadata.txt lacks {key}"
    assert (REPO / general["icon"]).is_file()
    assert general["hasProcessingProvider"] == "yes"
    from urban_grid_plugin import __version__

    assert general["version"] == __version__


def test_qgis_processing_is_not_shadowed(plugin_package):
    import processing

    assert Path(processing.__file__).resolve().is_relative_to("/usr/share/qgis/python/plugins")
    import importlib

    own = importlib.import_module(plugin_package.__name__ + ".processing")
    assert Path(own.__file__).resolve() == REPO / "processing" / "__init__.py"
    assert own is not processing


def test_plugin_loads_and_unloads(qgis_iface, plugin_package):
    from qgis.core import QgsApplication

    plugin = plugin_package.classFactory(qgis_iface)
    plugin.initGui()
    try:
        provider = QgsApplication.processingRegistry().providerById("urbangrid")
        assert provider is not None
        assert plugin.actions and plugin.actions[0].objectName() == "UrbanGridOpenToolbox"
    finally:
        plugin.unload()
    assert QgsApplication.processingRegistry().providerById("urbangrid") is None
    assert plugin.actions == []


def test_cli_help_lists_every_capability(capsys):
    from urban_grid_plugin import cli

    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for group in cli.COMMAND_MODULES:
        assert f"    {group}" in out, f"urbangrid --help does not list {group}"


def test_cli_imports_only_the_group_it_runs():
    from urban_grid_plugin import cli

    assert cli._modules_for(["-q", "grid", "check", "x.gpkg"]) == [".grid.commands"]
    assert cli._modules_for(["map", "p.gpkg"]) == [".report.commands"]
    assert len(cli._modules_for(["--help"])) == len(set(cli.COMMAND_MODULES.values()))
