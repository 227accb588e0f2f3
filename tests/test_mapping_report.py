"""The PDF report: summary pages + one atlas page per street, checked as rendered pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def sample(tmp_path_factory, plugin_package):
    from urban_grid.urban_grid_plugin.mapping.sample import build_sample_project

    return build_sample_project(tmp_path_factory.mktemp("report") / "district.gpkg",
                                streets=4, cases=60)


def _pages_as_png(pdf: Path, folder: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(folder / "page")],
                   check=True, timeout=120)
    return sorted(folder.glob("page-*.png"))


def _stddev(png: Path) -> float:
    from PIL import Image, ImageStat

    return max(ImageStat.Stat(Image.open(png).convert("RGB")).stddev)


def _text(pdf: Path, page: int) -> str:
    """A page's text; NFKC because CJK fonts map some glyphs to Kangxi radicals (⽰ = 示)."""
    import unicodedata

    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout
    return unicodedata.normalize("NFKC", out)


def test_report_has_summary_and_one_page_per_street(qgis_app, sample, tmp_path):
    from urban_grid.urban_grid_plugin.mapping.report import build_report

    pdf = tmp_path / "out" / "report.pdf"
    result = build_report(sample, pdf)
    assert result["streets"] == 4 and result["pages"] == result["summary_pages"] + 4
    pages = _pages_as_png(pdf, tmp_path)
    assert len(pages) == result["pages"]
    for png in pages:
        assert _stddev(png) > 20, f"{png.name} looks blank"
    first = _text(pdf, 1)
    assert "Closure rate" in first and "Total" in first
    assert "Cases per state" not in first  # the chart is a picture on page 2
    assert "Indicator" in _text(pdf, 2)
    for i, street in enumerate(("示范街道1", "示范街道2", "示范街道3", "示范街道4")):
        page = _text(pdf, result["summary_pages"] + 1 + i)
        assert street in page, f"atlas page {i + 1} is not about {street}"
    assert not pdf.with_suffix(".pdf.part").exists()


def test_report_in_chinese(qgis_app, sample, tmp_path):
    from urban_grid.urban_grid_plugin.mapping import i18n
    from urban_grid.urban_grid_plugin.mapping.report import build_report

    try:
        i18n.install_translator("zh_CN")
        pdf = tmp_path / "报告.pdf"
        build_report(sample, pdf)
    finally:
        i18n.remove_translator()
    text = _text(pdf, 1)
    for term in ("结案率", "单元网格数", "街道", "合计"):
        assert term in text, term
    assert "统计项" in _text(pdf, 3) and "示范街道1" in _text(pdf, 3)


def test_cli_report_and_map(sample, tmp_path):
    env = dict(os.environ, LANG="en_US.UTF-8")
    out = subprocess.run(
        [sys.executable, "-m", "urban_grid_plugin.cli", "-q", "report", sample, "-o",
         str(tmp_path / "cli.pdf")], check=True, capture_output=True, text=True, env=env,
        timeout=180)
    assert "6 pages: 2 summary + 4 streets" in out.stdout
    pages = subprocess.run(["pdfinfo", str(tmp_path / "cli.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "Pages:           6" in pages
    out = subprocess.run(
        [sys.executable, "-m", "urban_grid_plugin.cli", "-q", "map", sample, "-o",
         str(tmp_path / "cli.qgz"), "--png", str(tmp_path / "cli.png")],
        check=True, capture_output=True, text=True, env=env, timeout=180)
    assert "one map:" in out.stdout and (tmp_path / "cli.qgz").is_file()
    assert _stddev(tmp_path / "cli.png") > 20


def test_cli_report_error_is_one_line(tmp_path, plugin_package):
    from urban_grid.urban_grid_plugin.project import create_project

    empty = tmp_path / "empty.gpkg"
    create_project(empty)
    out = subprocess.run(
        [sys.executable, "-m", "urban_grid_plugin.cli", "-q", "report", str(empty), "-o",
         str(tmp_path / "x.pdf")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "no streets" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_report_and_one_map_as_processing_algorithms(qgis_app, qgis_processing, sample, tmp_path,
                                                     plugin_package):
    from qgis.core import QgsApplication
    from urban_grid.processing.provider import UrbanGridProvider

    import processing

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("urbangrid")
    added = provider is None
    if added:
        provider = UrbanGridProvider()
        registry.addProvider(provider)
    try:
        out = processing.run("urbangrid:report", {"PROJECT": sample,
                                                  "OUTPUT": str(tmp_path / "alg.pdf")})
        assert out["PAGES"] == 6 and (tmp_path / "alg.pdf").stat().st_size > 10_000
        out = processing.run("urbangrid:onemap", {"PROJECT": sample,
                                                  "OUTPUT": str(tmp_path / "alg.qgz")})
        assert (tmp_path / "alg.qgz").is_file()
    finally:
        if added:
            registry.removeProvider(provider)
