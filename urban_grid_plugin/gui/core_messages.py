"""The core's most frequent error messages, as translatable strings.

Core errors (:class:`UrbanGridError`) are plain English so the command line and the
logs stay greppable. The plugin shows them in the user's language: each message
below is extracted by pylupdate5 into the .ts file, and :func:`translate_error`
looks the error's own message up at run time. A message not listed here is shown
as it is, under a translated heading.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QCoreApplication

from ..errors import UrbanGridError
from ..mapping.i18n import TR_CONTEXT


def tr(text: str) -> str:
    """Translate in the plugin's context."""
    return QCoreApplication.translate(TR_CONTEXT, text)


def _catalogue() -> None:
    """Never called: the literals below exist for pylupdate5 to extract."""
    tr("project GeoPackage not found")
    tr("project has no unit grid yet; run 'urbangrid grid build' first")
    tr("cannot open project GeoPackage for writing")
    tr("project has no active grid cells")
    tr("project holds no components yet; run 'urbangrid components import' first")
    tr("project has no change_candidate layer; run the imagery change detection first")
    tr("the project has no change candidates yet; run the imagery change detection first")
    tr("the project has no streets yet; build the grid from communities first")
    tr("the project has no map layers yet; build the grid first")
    tr("the project has no street layer for the atlas")
    tr("the report atlas has no streets to print")
    tr("the one map must be written to a .qgz or .qgs file")
    tr("not an UrbanGrid project (no ug_project table); create it first")
    tr("not a GeoPackage (no gpkg_contents); create the project first")
    tr("there is no candidate to review")
    tr("the rasters do not overlap")
    tr("the epochs are not on one grid; run 'urbangrid imagery align' first")
    tr("input has no CRS; add a .prj or set 'crs' in the mapping file")
    tr("input file not found")
    tr("laptop GeoPackage not found")
    tr("the server has no urbangrid schema; run `urbangrid sync server-init`")
    tr("cancelled by the user")
    tr("cannot write the PDF")
    tr("cannot open this list layer")


def translate_error(error: UrbanGridError) -> str:
    """The error in the user's language: translated message plus where (file, row, field)."""
    message = tr(error.message)
    where = []
    if error.source:
        where.append(error.source)
    if error.row is not None:
        where.append(tr("row {row}").format(row=error.row))
    if error.field:
        where.append(tr("field '{field}'").format(field=error.field))
    return f"{', '.join(where)}: {message}" if where else message
