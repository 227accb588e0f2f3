#!/usr/bin/env bash
# Unit grid (万米单元网格): generate a demo district, build its grid following roads,
# rivers and walls, check it, and show the history rules (retire, never reuse).
set -euo pipefail
: "${UG_DEMO_DIR:?set by scripts/demo}" "${UG_PROJECT:?set by scripts/demo}"
inputs="$UG_DEMO_DIR/district.gpkg"

urbangrid -q grid demo-data "$inputs"
urbangrid -q grid init "$UG_PROJECT"
echo
urbangrid -q grid build "$UG_PROJECT" --communities "$inputs|community" \
  --streets "$inputs|street" --mode barrier --barriers "$inputs|barrier" --target-area 10000 --tolerance 0.3 \
  --reason "演示区首次划分 (first division of the demo district)"
echo
# --strict: a problem in our own grid fails the demo.
urbangrid -q grid check "$UG_PROJECT" --strict
echo
echo "Re-building the same communities keeps every code:"
urbangrid -q grid build "$UG_PROJECT" --communities "$inputs|community" \
  --mode barrier --barriers "$inputs|barrier" --reason "复核 (re-check)" | sed -n 2p
echo
echo "Grid layers in $UG_PROJECT (open it in QGIS; styles are stored in it):"
echo "  community, street, grid_cell (15-digit codes), grid_history, grid_check"
