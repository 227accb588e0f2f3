"""Headless map rendering: the one map to an image, and timing for the render bench."""

from __future__ import annotations

import time

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsMapLayer,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage


def map_settings(layers: list[QgsMapLayer], extent: QgsRectangle, size: tuple[int, int],
                 crs: QgsCoordinateReferenceSystem | None = None, dpi: float = 96.0) -> QgsMapSettings:
    """Map settings for ``layers`` (top first) over ``extent`` at ``size`` pixels."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(crs or layers[0].crs())
    settings.setOutputSize(QSize(*size))
    settings.setOutputDpi(dpi)
    settings.setBackgroundColor(QColor("white"))
    settings.setExtent(extent)
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    settings.setFlag(QgsMapSettings.DrawLabeling, True)
    return settings


def render(settings: QgsMapSettings) -> tuple[QImage, float]:
    """Render with a parallel job (as the canvas does); return the image and seconds taken."""
    job = QgsMapRendererParallelJob(settings)
    start = time.perf_counter()
    job.start()
    job.waitForFinished()
    return job.renderedImage(), time.perf_counter() - start


def scale_extent(centre_x: float, centre_y: float, scale: float, size: tuple[int, int],
                 dpi: float = 96.0) -> QgsRectangle:
    """The extent that shows ``size`` pixels at 1:``scale`` around a centre (metre CRS)."""
    metres_per_pixel = scale * 0.0254 / dpi
    half_w, half_h = size[0] * metres_per_pixel / 2, size[1] * metres_per_pixel / 2
    return QgsRectangle(centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h)


def visible_layers(project: QgsProject) -> list[QgsMapLayer]:
    """The project's checked layers in legend order (top first)."""
    root = project.layerTreeRoot()
    return [node.layer() for node in root.findLayers() if node.isVisible() and node.layer()]


def render_project(project_file: str, output_png: str, size: tuple[int, int] = (1200, 800),
                   extent: QgsRectangle | None = None) -> str:
    """Render a saved ``.qgz`` to a PNG at its default view (or ``extent``)."""
    from .qgis_env import ensure_qgis_app

    ensure_qgis_app()
    project = QgsProject()
    if not project.read(project_file):
        raise RuntimeError(f"cannot read {project_file}: {project.error()}")
    layers = visible_layers(project)
    view = extent or project.viewSettings().defaultViewExtent()
    if view.isEmpty():
        view = QgsRectangle()
        for layer in layers:
            view.combineExtentWith(layer.extent())
    view = QgsRectangle(view)
    view.scale(1.05)
    image, _seconds = render(map_settings(layers, view, size, project.crs()))
    image.save(output_png)
    project.clear()
    return output_png


def is_blank(image: QImage, min_colours: int = 3, step: int = 7) -> bool:
    """True when a sampled grid of pixels holds fewer than ``min_colours`` colours."""
    colours = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
            if len(colours) >= min_colours:
                return False
    return True
