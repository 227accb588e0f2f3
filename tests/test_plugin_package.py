"""scripts/package builds a ZIP that QGIS installs into a fresh profile and loads."""

from __future__ import annotations

import configparser
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import desktop
import pytest

REPO = desktop.REPO
SHARED = Path(os.environ.get("UG_SHARED", REPO.parent / "shared"))
TOP = "urban_grid/"


def load_package_script():
    """Import scripts/package (a script without .py) as a module."""
    loader = importlib.machinery.SourceFileLoader("ug_package_script", str(REPO / "scripts" / "package"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The ZIP built by the real command line."""
    return desktop.build_package(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def names(package) -> list[str]:
    with zipfile.ZipFile(package) as zf:
        assert zf.testzip() is None
        return zf.namelist()


def repo_version() -> str:
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(REPO / "metadata.txt", encoding="utf-8")
    return meta["general"]["version"]


def test_zip_is_named_after_the_metadata_version(package):
    assert package.name == f"urban_grid-{repo_version()}.zip"


def test_zip_has_one_top_folder_that_qgis_recognises(names):
    assert names[0] == TOP
    assert len(names) == len(set(names)), "duplicate entries"
    assert all(name.startswith(TOP) for name in names)
    # QGIS's installer takes the folder of the lexically first */metadata.txt as the plugin name.
    metadata = sorted(n for n in names if n.endswith("metadata.txt"))
    assert metadata == [TOP + "metadata.txt"]
    assert os.path.split(metadata[0])[0] == "urban_grid"


def test_zip_holds_everything_the_plugin_needs(names):
    for required in ("__init__.py", "metadata.txt", "resources.qrc", "LICENSE",
                     "urban_grid_plugin/__init__.py", "urban_grid_plugin/plugin.py",
                     "processing/__init__.py", "processing/provider.py", "processing/feedback.py",
                     "icons/urbangrid.svg", "layers/", "i18n/"):
        assert TOP + required in names, required
    tracked = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "urban_grid_plugin", "processing", "layers", "icons"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    missing = [p for p in tracked if (REPO / p).is_file() and TOP + p not in names]
    assert missing == []


def test_repository_translations_are_compiled(names):
    for ts in sorted((REPO / "i18n").glob("*.ts")):
        assert f"{TOP}i18n/{ts.stem}.qm" in names


QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
TS_SAMPLE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context><name>UrbanGrid</name>
<message><source>UrbanGrid tools</source><translation>城管网格工具</translation></message>
</context>
</TS>
"""


def test_zip_excludes_tests_scripts_caches_and_data(names):
    banned_parts = {"tests", "scripts", ".venv", "__pycache__", "dist", ".git", "shared",
                    ".qgis-settings", ".ci", ".pytest_cache", ".ruff_cache"}
    for name in names:
        parts = PurePosixPath(name).parts
        assert not banned_parts & set(parts), name
        assert not name.endswith((".pyc", ".pyo")), name
        assert "levir" not in name.lower(), name
        if PurePosixPath(name).suffix.lower() in {".tif", ".tiff", ".png", ".jpg", ".gpkg", ".npy"}:
            assert parts[1] == "icons", name
    for top_level in ("pyproject.toml", "README.md", ".gitignore"):
        assert TOP + top_level not in names


def test_zip_contains_no_file_from_the_shared_sample_data(package):
    """Compare contents, not names: no sample file may ride along under another name."""
    with zipfile.ZipFile(package) as zf:
        entries = {i.file_size: [] for i in zf.infolist() if not i.is_dir()}
        for info in zf.infolist():
            if not info.is_dir():
                entries[info.file_size].append(hashlib.sha256(zf.read(info)).hexdigest())
    assert SHARED.is_dir(), f"shared folder not found at {SHARED}"
    clashes = []
    for path in SHARED.rglob("*"):
        if path.is_file() and path.stat().st_size in entries and path.stat().st_size > 64:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in entries[path.stat().st_size]:
                clashes.append(str(path))
    assert clashes == []


def make_fake_plugin(root: Path) -> Path:
    """A minimal plugin folder with development files and sample data mixed in."""
    (root / "urban_grid_plugin" / "__pycache__").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / ".venv" / "lib").mkdir(parents=True)
    (root / "processing").mkdir()
    (root / "metadata.txt").write_text("[general]\nname=X\nversion=9.9.9\n", encoding="utf-8")
    (root / "__init__.py").write_text("def classFactory(iface):\n    pass\n", encoding="utf-8")
    (root / "urban_grid_plugin" / "__init__.py").write_text("", encoding="utf-8")
    (root / "urban_grid_plugin" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (root / "urban_grid_plugin" / "sample.tif").write_bytes(b"II*\0")
    (root / "processing" / "provider.py").write_text("", encoding="utf-8")
    (root / "tests" / "test_x.py").write_text("", encoding="utf-8")
    (root / ".venv" / "lib" / "site.py").write_text("", encoding="utf-8")
    return root


def test_builder_leaves_out_development_files(tmp_path):
    script = load_package_script()
    repo = make_fake_plugin(tmp_path / "src")
    target = script.build(tmp_path / "dist", repo=repo)
    assert target.name == "urban_grid-9.9.9.zip"
    with zipfile.ZipFile(target) as zf:
        files = sorted(n for n in zf.namelist() if not n.endswith("/"))
    assert files == ["urban_grid/__init__.py", "urban_grid/metadata.txt",
                     "urban_grid/processing/provider.py", "urban_grid/urban_grid_plugin/__init__.py"]


def test_builder_compiles_translations_with_lrelease(tmp_path):
    script = load_package_script()
    repo = make_fake_plugin(tmp_path / "src")
    (repo / "i18n").mkdir()
    (repo / "i18n" / "urbangrid_zh.ts").write_text(TS_SAMPLE, encoding="utf-8")
    (repo / "i18n" / "urbangrid_zh.qm").write_bytes(b"stale")
    (repo / "i18n" / "update.sh").write_text("lupdate ...\n", encoding="utf-8")
    target = script.build(tmp_path / "dist", repo=repo)
    with zipfile.ZipFile(target) as zf:
        names = zf.namelist()
        qm = zf.read("urban_grid/i18n/urbangrid_zh.qm")
    assert names.count("urban_grid/i18n/urbangrid_zh.qm") == 1
    assert "urban_grid/i18n/urbangrid_zh.ts" in names
    assert "urban_grid/i18n/update.sh" not in names
    assert qm.startswith(QM_MAGIC)
    assert "城管网格工具".encode("utf-16-be") in qm


def test_builder_refuses_levir_cd_data(tmp_path):
    script = load_package_script()
    repo = make_fake_plugin(tmp_path / "src")
    (repo / "urban_grid_plugin" / "LEVIR-CD").mkdir()
    (repo / "urban_grid_plugin" / "LEVIR-CD" / "list.txt").write_text("train_1.png\n", encoding="utf-8")
    with pytest.raises(script.PackageError, match="levir"):
        script.build(tmp_path / "dist", repo=repo)
    assert not (tmp_path / "dist" / "urban_grid-9.9.9.zip").exists()


def test_builder_refuses_links_out_of_the_repository(tmp_path):
    script = load_package_script()
    repo = make_fake_plugin(tmp_path / "src")
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("a,b\n", encoding="utf-8")
    (repo / "urban_grid_plugin" / "codes.csv").symlink_to(outside)
    with pytest.raises(script.PackageError, match="outside the repository"):
        script.build(tmp_path / "dist", repo=repo)


LOAD_SCRIPT = r'''
import json, sys
plugins_dir, out = sys.argv[1], sys.argv[2]
from qgis.core import QgsApplication
from qgis.gui import QgsMapCanvas
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAction, QMainWindow
# Imported before the application exists, as pytest-qgis does (its slots need it).
from pytest_qgis.mock_qgis_classes import MockMessageBar
from pytest_qgis.qgis_interface import QgisInterface
import qgis.utils

app = QgsApplication([], True)
app.initQgis()
messages = []
QgsApplication.messageLog().messageReceived.connect(
    lambda msg, tag, level: messages.append(f"{tag}: {msg}"))
parent = QMainWindow()
canvas = QgsMapCanvas(parent)
iface = QgisInterface(canvas, MockMessageBar(), parent)
qgis.utils.iface = iface
# What QGIS does at startup for each plugin folder.
sys.path.insert(0, plugins_dir)
qgis.utils.plugin_paths = [plugins_dir]
qgis.utils.updateAvailablePlugins()
registry = QgsApplication.processingRegistry()
facts = {"available": sorted(qgis.utils.available_plugins),
         "metadata_name": qgis.utils.pluginMetadata("urban_grid", "name")}
facts["loaded"] = qgis.utils.loadPlugin("urban_grid")
facts["plugin_file"] = sys.modules["urban_grid"].__file__
facts["started"] = qgis.utils.startPlugin("urban_grid")
facts["active"] = sorted(qgis.utils.active_plugins)
facts["provider_after_start"] = registry.providerById("urbangrid") is not None
facts["actions"] = sorted(a.objectName() for a in parent.findChildren(QAction) if a.objectName())
facts["unloaded"] = qgis.utils.unloadPlugin("urban_grid")
facts["provider_after_unload"] = registry.providerById("urbangrid") is not None
QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
facts["actions_after_unload"] = sorted(
    a.objectName() for a in parent.findChildren(QAction) if a.objectName())
facts["modules_after_unload"] = sorted(m for m in sys.modules if m.split(".")[0] == "urban_grid")
# The Processing-only start that qgis_process uses (no interface at all).
qgis.utils.iface = None
facts["reloaded"] = qgis.utils.loadPlugin("urban_grid")
facts["processing_started"] = qgis.utils.startProcessingPlugin("urban_grid")
provider = registry.providerById("urbangrid")
facts["processing_provider"] = provider is not None
facts["processing_algorithms"] = sorted(a.id() for a in provider.algorithms()) if provider else []
facts["processing_unloaded"] = qgis.utils.unloadPlugin("urban_grid")
facts["messages"] = messages
with open(out, "w", encoding="utf-8") as f:
    json.dump(facts, f)
del provider, registry, canvas, iface, parent
app.exitQgis()
'''


@pytest.fixture(scope="module")
def python_load(package, tmp_path_factory) -> dict:
    """Unzip into a temporary plugin folder and drive qgis.utils in a clean interpreter."""
    root = tmp_path_factory.mktemp("pyload")
    plugins_dir = root / "plugins"
    desktop.unzip_plugin(package, plugins_dir)
    script = root / "load.py"
    script.write_text(LOAD_SCRIPT, encoding="utf-8")
    out = root / "facts.json"
    env = desktop.qgis_env(profiles=root / "profiles")
    result = subprocess.run([sys.executable, str(script), str(plugins_dir), str(out)], env=env,
                            capture_output=True, text=True, timeout=120, cwd=root)
    assert out.exists(), result.stdout + result.stderr
    facts = json.loads(out.read_text(encoding="utf-8"))
    facts["plugins_dir"] = str(plugins_dir)
    facts["returncode"] = result.returncode
    return facts


def test_unzipped_plugin_loads_starts_and_unloads_with_qgis_utils(python_load):
    facts = python_load
    assert "urban_grid" in facts["available"]
    assert facts["metadata_name"] == "UrbanGrid"
    assert facts["loaded"] is True, facts["messages"]
    assert Path(facts["plugin_file"]) == Path(facts["plugins_dir"]) / "urban_grid" / "__init__.py"
    assert facts["started"] is True, facts["messages"]
    assert "urban_grid" in facts["active"]
    assert facts["provider_after_start"] is True
    assert "UrbanGridOpenToolbox" in facts["actions"]
    assert facts["unloaded"] is True
    assert facts["provider_after_unload"] is False
    assert facts["actions_after_unload"] == []
    assert facts["modules_after_unload"] == []
    assert facts["returncode"] == 0


def test_unzipped_plugin_starts_for_processing_only(python_load):
    facts = python_load
    assert facts["reloaded"] is True
    assert facts["processing_started"] is True, facts["messages"]
    assert facts["processing_provider"] is True
    assert all(a.startswith("urbangrid:") for a in facts["processing_algorithms"])
    assert facts["processing_unloaded"] is True


INSTALL_CODE = '''
import pyplugin_installer
from qgis.core import QgsSettings
facts["active_before"] = "urban_grid" in qgis.utils.active_plugins
pyplugin_installer.instance().installFromZipFile({zip!r})
settings = QgsSettings()
settings.sync()
facts["enabled_setting"] = settings.value("PythonPlugins/urban_grid", False, bool)
'''


@pytest.mark.desktop
def test_desktop_installs_the_zip_into_a_fresh_profile(package, tmp_path):
    """Plugins → Install from ZIP, driven through QGIS's own installer in the real desktop."""
    profiles = desktop.make_profile(tmp_path / "profiles", plugins={})
    plugin_dir = profiles / "profiles" / "default" / "python" / "plugins" / "urban_grid"
    assert not plugin_dir.exists()
    run = desktop.run_desktop(profiles, tmp_path / "out",
                              user_code=INSTALL_CODE.format(zip=str(package)))
    facts = run.facts
    assert facts["errors"] == [], facts["errors"]
    assert facts["active_before"] is False
    assert (plugin_dir / "metadata.txt").is_file()
    assert not plugin_dir.is_symlink()
    assert "urban_grid" in facts["active_plugins"], run.log[-3000:]
    assert Path(facts["plugin_file"]) == plugin_dir / "__init__.py"
    assert "UrbanGridOpenToolbox" in facts["actions"]
    assert "urbangrid" in facts["providers"]
    assert facts["enabled_setting"] is True
    ini = configparser.ConfigParser(interpolation=None, strict=False)
    ini.optionxform = str
    ini.read(profiles / "profiles" / "default" / "QGIS" / "QGIS3.ini", encoding="utf-8")
    assert ini["PythonPlugins"]["urban_grid"] == "true"
