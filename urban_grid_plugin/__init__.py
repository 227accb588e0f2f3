"""UrbanGrid — digital city management (数字城管) core and QGIS plugin shell.

The subpackages ``grid``, ``components``, ``imagery``, ``cases`` and ``sync`` form the
domain core: plain Python, no ``qgis`` imports, usable from the ``urbangrid`` command
line and from tests. Only ``plugin`` and ``gui`` talk to QGIS.
"""

__version__ = "0.1.0"
