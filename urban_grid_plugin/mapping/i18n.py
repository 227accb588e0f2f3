"""Load the plugin's Qt translation (``i18n/urban_grid_<locale>.qm``) for QGIS or the CLI.

In QGIS the language is QGIS's own UI language (``locale/userLocale`` when the user
overrides it, else the system one, as ``QgsApplication.locale()`` reports). On the
command line it is ``--lang`` or ``$LANG``. English needs no file: it is the source.
"""

from __future__ import annotations

import os

I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "i18n")
_installed = []  # keep QTranslator objects alive, or Qt silently drops them


def qgis_locale() -> str:
    """QGIS's UI locale, e.g. ``zh_CN`` (falls back to ``en``)."""
    from qgis.core import QgsApplication, QgsSettings

    settings = QgsSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        value = settings.value("locale/userLocale", "", type=str)
        if value:
            return value
    try:
        return QgsApplication.locale() or "en"
    except Exception:  # very old or unusual builds
        return settings.value("locale/userLocale", "en", type=str) or "en"


def env_locale() -> str:
    """The command line's locale from ``$LC_ALL``/``$LC_MESSAGES``/``$LANG``."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value and value not in ("C", "POSIX"):
            return value.split(".")[0]
    return "en"


def qm_path(locale: str) -> str | None:
    """The compiled translation for ``locale`` (``zh_CN``, ``zh``), or None."""
    for name in (locale, locale.split("_")[0]):
        path = os.path.join(I18N_DIR, f"urban_grid_{name}.qm")
        if os.path.exists(path):
            return path
    if locale.lower().startswith("zh"):
        path = os.path.join(I18N_DIR, "urban_grid_zh_CN.qm")
        return path if os.path.exists(path) else None
    return None


def install_translator(locale: str | None = None) -> str | None:
    """Install the translation for ``locale`` (default: QGIS's, else the environment's).

    Returns the .qm path installed, or None when English (or no file) applies.
    Calling it again replaces the previous UrbanGrid translator.
    """
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    remove_translator()
    if locale is None:
        try:
            locale = qgis_locale() if _in_qgis_desktop() else env_locale()
        except Exception:
            locale = env_locale()
    path = qm_path(locale)
    if path is None:
        return None
    translator = QTranslator()
    if not translator.load(path):
        return None
    QCoreApplication.installTranslator(translator)
    _installed.append(translator)
    return path


def remove_translator() -> None:
    """Remove every UrbanGrid translator installed by :func:`install_translator`."""
    from qgis.PyQt.QtCore import QCoreApplication

    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())


def _in_qgis_desktop() -> bool:
    """True inside the QGIS desktop application (qgis.utils.iface is set)."""
    try:
        import qgis.utils

        return qgis.utils.iface is not None
    except Exception:
        return False

#: pylupdate5 files module-level ``tr("…")`` calls under ``@default``; every UrbanGrid
#: ``tr`` helper translates in that context so the .qm lookups match the .ts entries.
TR_CONTEXT = "@default"
