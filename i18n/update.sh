#!/usr/bin/env bash
# Refresh the translation sources and compile them.
#   1. pylupdate5 extracts every tr()/translate() string of the QGIS-facing code into
#      i18n/urban_grid_zh_CN.ts, keeping the translations already there;
#   2. translate the new (unfinished) entries, e.g. with `linguist i18n/urban_grid_zh_CN.ts`;
#   3. lrelease compiles the .qm the plugin loads (shipped in git and in the plugin ZIP).
# tests/test_i18n.py fails while any entry is unfinished or missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
sources=(urban_grid_plugin/plugin.py urban_grid_plugin/gui/*.py urban_grid_plugin/mapping/*.py
         processing/*.py)
pylupdate5 -noobsolete "${sources[@]}" -ts i18n/urban_grid_zh_CN.ts 2>/dev/null
lrelease -silent i18n/urban_grid_zh_CN.ts -qm i18n/urban_grid_zh_CN.qm
grep -c 'type="unfinished"' i18n/urban_grid_zh_CN.ts && echo "i18n: translate the unfinished entries above" || echo "i18n: complete"
