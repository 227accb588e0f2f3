#!/usr/bin/env bash
# Imagery (影像比对): an older satellite image and a newer drone orthophoto of part of the
# demo district; find new buildings (新增违建 candidates), compare them with the permit
# and violation lists, and write before/after evidence chips for review.
set -euo pipefail
: "${UG_DEMO_DIR:?set by scripts/demo}" "${UG_PROJECT:?set by scripts/demo}"
img="$UG_DEMO_DIR/imagery"

urbangrid -q imagery demo-data "$img" --project "$UG_PROJECT"
echo
urbangrid -q imagery register "$UG_PROJECT" "$img/satellite_2025.tif" --sensor satellite \
  --date 2025-04-01 --name 卫星2025
urbangrid -q imagery register "$UG_PROJECT" "$img/drone_2026.tif" --sensor drone \
  --date 2026-04-01 --name 无人机2026
echo
urbangrid -q imagery run "$UG_PROJECT" --before 卫星2025 --after 无人机2026 --work "$img/run" \
  --resolution 0.5 --min-area 20 \
  --permits "$img/permits.gpkg" --known "$img/known.gpkg" --demolished "$img/demolished.gpkg"
echo
echo "Candidates are in the change_candidate layer of $UG_PROJECT (review_status 'pending');"
echo "each has a before/after chip pair in $img/run/chips/ and the grid cell it lies in."
