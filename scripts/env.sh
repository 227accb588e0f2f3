# Sourced by scripts/*: the environment every UrbanGrid script, test and benchmark runs in.
UG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export UG_ROOT
export PATH="$UG_ROOT/.venv/bin:$PATH"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/runtime-$(id -un)}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export UG_SHARED="${UG_SHARED:-$(cd "$UG_ROOT/.." && pwd)/shared}"
export PYTHONDONTWRITEBYTECODE=1
# Never put the working directory (the repo root) on sys.path: its processing/ folder
# would shadow QGIS's own processing framework.
export PYTHONSAFEPATH=1
