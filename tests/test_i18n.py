"""Every user-visible string of the plugin has a finished zh_CN translation, and it loads."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TS = REPO / "i18n" / "urban_grid_zh_CN.ts"
QM = REPO / "i18n" / "urban_grid_zh_CN.qm"
GUI_SOURCES = sorted(
    [REPO / "urban_grid_plugin" / "plugin.py"]
    + list((REPO / "processing").glob("*.py"))
    + list((REPO / "urban_grid_plugin" / "gui").glob("*.py"))
    + list((REPO / "urban_grid_plugin" / "mapping").glob("*.py"))
)
PROCESSING_ALGORITHM_SOURCES = sorted((REPO / "processing").glob("*_algorithms.py"))
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
# Qt calls whose string arguments a user reads.
VISIBLE_CALLS = {
    "QLabel", "QPushButton", "QAction", "QGroupBox", "QCheckBox", "QToolButton", "setText",
    "setWindowTitle", "setPlaceholderText", "setToolTip", "pushMessage", "pushInfo",
    "pushWarning", "pushSuccess", "pushCritical", "addAction", "addRow", "setTitle",
    "QgsProcessingParameterFile", "QgsProcessingParameterFileDestination",
    "QgsProcessingParameterString", "setProgressText", "reportError",
}
# Processing methods whose returned text the toolbox and dialogs show.
VISIBLE_METHODS = {"displayName", "shortHelpString", "group", "shortDescription"}
NOT_PROSE = {"UrbanGrid", "—", "", "PDF (*.pdf)", "QGIS project (*.qgz)"}


def _messages(ts: Path) -> dict[str, tuple[str, str | None]]:
    """source -> (translation text, type attribute) of a .ts file."""
    out = {}
    for msg in ET.parse(ts).getroot().iter("message"):
        translation = msg.find("translation")
        out[msg.find("source").text] = (translation.text or "", translation.get("type"))
    return out


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    assert shutil.which("pylupdate5"), "pylupdate5 missing (pyqt5-dev-tools; run scripts/setup)"
    out = tmp_path_factory.mktemp("i18n") / "fresh.ts"
    subprocess.run(["pylupdate5", "-noobsolete", *map(str, GUI_SOURCES), "-ts", str(out)],
                   check=True, capture_output=True, timeout=60)
    return _messages(out)


def test_every_string_has_a_finished_translation(extracted):
    shipped = _messages(TS)
    assert len(extracted) > 100
    missing = [s for s in extracted if s not in shipped]
    unfinished = [s for s, (text, kind) in shipped.items()
                  if s in extracted and (not text.strip() or kind in ("unfinished", "vanished"))]
    assert not missing, f"not in {TS.name}: {missing} (run i18n/update.sh and translate)"
    assert not unfinished, f"unfinished in {TS.name}: {unfinished}"


def test_translations_keep_placeholders_and_use_chinese(extracted):
    shipped = _messages(TS)
    for source in extracted:
        text = shipped[source][0]
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(text)), source
        if re.search(r"[A-Za-z]{3}", PLACEHOLDER.sub("", source)) and source not in (
                "UrbanGrid 数字城管", "GeoPackage (*.gpkg)", "PDF (*.pdf)"):
            assert re.search(r"[\u4e00-\u9fff]", text), f"not Chinese: {source!r} -> {text!r}"
    # The standard domain terms are used, not ad-hoc ones.
    values = " ".join(t for t, _ in shipped.values())
    for term in ("单元网格", "部件", "案件", "立案", "派遣", "处置", "核查", "结案", "图斑", "一张图",
                 "项目库", "超期"):
        assert term in values, term


def test_no_user_visible_literal_bypasses_translation():
    """String literals handed straight to widgets or the message bar must go through tr()."""
    offenders = []
    for path in GUI_SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", "")
            if name not in VISIBLE_CALLS:
                continue
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                        and arg.value not in NOT_PROSE and re.search(r"[A-Za-z]{3}", arg.value) \
                        and not arg.value.isupper():
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno}: {arg.value!r}")
    assert not offenders, "untranslated user-visible strings:\n" + "\n".join(offenders)


def _is_prose(node: ast.AST) -> bool:
    """A string literal (or f-string with literal text) a person would read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values
                       if isinstance(v, ast.Constant) and isinstance(v.value, str))
    else:
        return False
    return text not in NOT_PROSE and bool(re.search(r"[A-Za-z]{3}", text)) and not text.isupper()


def test_processing_algorithms_translate_their_texts():
    """Every Processing parameter/output description, name, group and help goes through tr()."""
    offenders = []
    for path in PROCESSING_ALGORITHM_SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in VISIBLE_METHODS:
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and ret.value is not None and _is_prose(ret.value):
                        offenders.append(f"{path.name}:{ret.lineno}: {node.name}() returns a literal")
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", "")
            shown = name.startswith(("QgsProcessingParameter", "QgsProcessingOutput")) \
                or name in VISIBLE_CALLS
            args = list(node.args) + [k.value for k in node.keywords
                                      if k.arg in ("description", "options")]
            for arg in args:
                items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
                offenders += [f"{path.name}:{node.lineno}: {name}({item.value if isinstance(item, ast.Constant) else 'f-string'!r})"
                              for item in items if shown and _is_prose(item)]
    assert PROCESSING_ALGORITHM_SOURCES and not offenders, \
        "Processing texts not passed through tr():\n" + "\n".join(offenders)


def test_processing_algorithms_speak_chinese(qgis_app, qgis_processing, plugin_package):
    """With the zh_CN translation installed the toolbox shows Chinese names, groups and parameters."""
    from qgis.core import QgsApplication
    from urban_grid.processing.provider import UrbanGridProvider
    from urban_grid.urban_grid_plugin.mapping import i18n

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("urbangrid")
    added = provider is None
    if added:
        provider = UrbanGridProvider()
        assert registry.addProvider(provider)
    try:
        i18n.install_translator("zh_CN")
        build = registry.algorithmById("urbangrid:buildgrid")
        assert build.displayName() == "生成单元网格"
        assert build.group() == _messages(TS)["Unit grid"][0] and "单元网格" in build.group()
        assert "单元网格" in build.shortHelpString()
        fresh = build.create()  # a new instance, as the dialog makes: descriptions in Chinese
        assert fresh.parameterDefinition("PROJECT").description() == "项目库"
        assert fresh.parameterDefinition("MODE").options()[1].startswith("沿界线")
        for alg in provider.algorithms():
            assert re.search(r"[\u4e00-\u9fff]", alg.displayName()), alg.id()
            assert re.search(r"[\u4e00-\u9fff]", alg.group()), alg.id()
            instance = alg.create()  # keep it alive while its parameters are read
            for param in instance.parameterDefinitions():
                assert re.search(r"[\u4e00-\u9fff]", param.description()), (alg.id(), param.name())
        i18n.remove_translator()
        assert registry.algorithmById("urbangrid:buildgrid").displayName() == "Build unit grid"
    finally:
        i18n.remove_translator()
        if added:
            registry.removeProvider(provider)


def test_compiled_qm_matches_the_ts(qgis_app, plugin_package):
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator
    from urban_grid.urban_grid_plugin.mapping.i18n import TR_CONTEXT

    assert QM.is_file() and QM.stat().st_mtime >= TS.stat().st_mtime - 1, "run i18n/update.sh"
    translator = QTranslator()
    assert translator.load(str(QM))
    QCoreApplication.installTranslator(translator)
    try:
        for source, (text, _kind) in _messages(TS).items():
            assert QCoreApplication.translate(TR_CONTEXT, source) == text, source
    finally:
        QCoreApplication.removeTranslator(translator)


def test_plugin_speaks_chinese_under_a_chinese_locale(qgis_app, qgis_iface, plugin_package):
    from urban_grid.urban_grid_plugin.gui.dock import UrbanGridDock
    from urban_grid.urban_grid_plugin.mapping import i18n
    from urban_grid.urban_grid_plugin.mapping.one_map import layer_titles

    try:
        assert Path(i18n.install_translator("zh_CN")).resolve() == QM
        assert layer_titles()["grid_cell"] == "单元网格"
        dock = UrbanGridDock(qgis_iface)
        assert dock.buttons["one_map"].text() == "生成一张图…"
        assert dock.buttons["review"].text() == "核查变化图斑…"
        dock.deleteLater()
        assert i18n.install_translator("en") is None
        assert layer_titles()["grid_cell"] == "Unit grid cells"
    finally:
        i18n.remove_translator()


def test_locale_comes_from_qgis_settings(qgis_app, plugin_package):
    from qgis.core import QgsSettings
    from urban_grid.urban_grid_plugin.mapping import i18n

    settings = QgsSettings()
    old = (settings.value("locale/overrideFlag"), settings.value("locale/userLocale"))
    try:
        settings.setValue("locale/overrideFlag", True)
        settings.setValue("locale/userLocale", "zh_CN")
        assert i18n.qgis_locale() == "zh_CN"
        assert Path(i18n.qm_path(i18n.qgis_locale())).resolve() == QM
        # any Chinese falls back to the zh_CN file
        assert Path(i18n.qm_path("zh_TW")).resolve() == QM
        assert i18n.qm_path("de_DE") is None
    finally:
        settings.setValue("locale/overrideFlag", old[0] or False)
        settings.setValue("locale/userLocale", old[1] or "")


def test_core_errors_reach_chinese_users_in_chinese(qgis_app, plugin_package):
    from urban_grid.urban_grid_plugin.errors import InputError
    from urban_grid.urban_grid_plugin.gui.messages import user_message
    from urban_grid.urban_grid_plugin.mapping import i18n

    error = InputError("project GeoPackage not found", source="城区.gpkg", row=4, field="code")
    unknown = InputError("some rare problem", source="a.gpkg")
    try:
        i18n.install_translator("zh_CN")
        text = user_message(error, "生成一张图")
        assert "找不到项目库" in text and "第 4 行" in text and "字段“code”" in text, text
        assert "城区.gpkg" in text and "not found" not in text
        assert "some rare problem" in user_message(unknown)  # unlisted: shown as it is
        assert user_message(KeyError("x")).startswith("操作失败")
    finally:
        i18n.remove_translator()
    assert "project GeoPackage not found" in user_message(error)
