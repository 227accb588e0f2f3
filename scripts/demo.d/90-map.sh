#!/usr/bin/env bash
# The one map (一张图), the district PDF report (English and Chinese), and a screenshot of
# the real QGIS desktop (Chinese UI, under Xvfb) with the UrbanGrid panel open.
set -euo pipefail
: "${UG_DEMO_DIR:?run through scripts/demo}" "${UG_PROJECT:?run through scripts/demo}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

echo "1. The one map: every project layer, grouped and styled, in one QGIS project:"
lists=()
img="$UG_DEMO_DIR/imagery"
[ -f "$img/permits.gpkg" ] && lists+=(--permits "$img/permits.gpkg")
[ -f "$img/known.gpkg" ] && lists+=(--known "$img/known.gpkg")
[ -f "$img/demolished.gpkg" ] && lists+=(--demolished "$img/demolished.gpkg")
urbangrid -q map "$UG_PROJECT" -o "$UG_DEMO_DIR/one_map.qgz" --png "$UG_DEMO_DIR/one_map.png" \
  ${lists[@]+"${lists[@]}"}

echo
echo "2. The district report (QGIS print layouts: summary pages + one atlas page per street):"
urbangrid -q report "$UG_PROJECT" -o "$UG_DEMO_DIR/report.pdf" --lang en
urbangrid -q report "$UG_PROJECT" -o "$UG_DEMO_DIR/report_zh.pdf" --lang zh_CN \
  --title "UrbanGrid 数字城管区级报告"

echo
echo "3. QGIS itself, in Chinese, with the UrbanGrid panel on this project and the review window:"
python - "$root" "$UG_PROJECT" "$UG_DEMO_DIR" <<'EOF'
import shutil
import sys
import tempfile
from pathlib import Path

root, project, out = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
sys.path.insert(0, str(root / "tests"))  # the desktop harness lives with the tests
import desktop  # noqa: E402

from urban_grid_plugin.gui.showcase import showcase_code  # noqa: E402

missing = desktop.tool_missing()
if missing:
    print(f"   skipped: {missing}")
    sys.exit(0)
with tempfile.TemporaryDirectory(prefix="ug-desktop-") as tmp:
    profiles = desktop.make_profile(
        Path(tmp) / "profiles",
        settings={"locale": {"userLocale": "zh-Hans", "overrideFlag": "true"}})
    run = desktop.run_desktop(profiles, Path(tmp) / "out", user_code=showcase_code(project),
                              delay_ms=3500, timeout=120)
    if run.facts.get("errors"):
        print("   the desktop reported errors:\n" + "\n".join(run.facts["errors"]))
        sys.exit(1)
    shutil.copyfile(run.window, out / "screenshot.png")
    shutil.copyfile(run.screenshot, out / "screenshot-review.png")
status = run.facts["status"]
print(f"   panel: {status['cells']} active cells, {status['components']} components, "
      f"{status['candidates']} candidates to review, {status['cases']} open cases, "
      f"{status['overdue']} overdue; sync: {status['sync']}")
print(f"   screenshots: {out / 'screenshot.png'} and {out / 'screenshot-review.png'}")
EOF

echo
echo "Open $UG_DEMO_DIR/one_map.qgz in QGIS; the report is $UG_DEMO_DIR/report.pdf (中文: report_zh.pdf)."
