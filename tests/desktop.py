"""Run the real QGIS desktop and ``qgis_process`` against a throwaway profile.

A reusable harness for tests (``import desktop``; conftest.py puts the tests
folder on ``sys.path``). It

- starts Xvfb on a free display (``-displayfd`` lets the server pick one);
- makes a fresh QGIS profiles folder (``P/profiles/default``) with plugins linked
  or copied into ``python/plugins`` and enabled in ``QGIS/QGIS3.ini``, and the
  first-run chatter (version check, news feed, plugin repository check) switched off;
- launches ``qgis --profiles-path P --noversioncheck --nologo --code startup.py``
  whose startup script dumps facts (plugins, action and toolbar names, Processing
  providers) to JSON and grabs the main window to PNG;
- screenshots the whole screen with ImageMagick ``import -window root``;
- always kills QGIS and Xvfb, whatever happens.

Venv packages reach QGIS through ``PYTHONPATH`` (``.venv/lib/python3.11/site-packages``),
as they would through a user's site-packages on a real install.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_SITE = REPO / ".venv" / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
PLUGIN_NAME = "urban_grid"
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
SCREEN = "1600x1000x24"

# Settings that keep a fresh profile quiet and offline, so screenshots show the main window.
QUIET_SETTINGS: dict[str, dict[str, str]] = {
    "qgis": {"checkVersion": "false"},
    "app": {r"plugin_installer\checkOnStart": "false",
            r"plugin_installer\allowExperimental": "true"},
    "core": {r"NewsFeed\httpsfeedqgisorg\disabled": "true"},
    "migration": {"settings": "true"},
}

# Environment variables that would point QGIS at another profile (pytest-qgis sets them).
PROFILE_VARS = ("QGIS_CUSTOM_CONFIG_PATH", "QGIS_OPTIONS_PATH", "QGIS_PLUGINPATH")


def tool_missing() -> str | None:
    """Return why the desktop cannot run here (a missing program), or None."""
    for program in ("Xvfb", "qgis", "import", "identify"):
        if shutil.which(program) is None:
            return f"{program} is not installed (run scripts/setup)"
    return None


# --- the plugin package -------------------------------------------------------------------

def build_package(dist: Path) -> Path:
    """Build the plugin ZIP with ``scripts/package`` into ``dist`` and return its path."""
    out = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "package"), "--dist", str(dist)],
        check=True, capture_output=True, text=True, timeout=120,
    )
    return Path(out.stdout.strip().splitlines()[-1])


def unzip_plugin(zip_path: Path, plugins_dir: Path) -> Path:
    """Extract the plugin ZIP into a plugin folder as QGIS's installer does; return the plugin."""
    plugins_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(plugins_dir)
    return plugins_dir / PLUGIN_NAME


# --- profiles --------------------------------------------------------------------------

def write_ini(path: Path, sections: Mapping[str, Mapping[str, str]]) -> None:
    """Write a QSettings INI file (keys may hold ``\\`` for nested groups)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines.extend(f"{key}={value}" for key, value in values.items())
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def make_profile(
    root: Path,
    plugins: Mapping[str, Path] | None = None,
    *,
    link: bool = True,
    enabled: Iterable[str] | None = None,
    settings: Mapping[str, Mapping[str, str]] | None = None,
) -> Path:
    """Create a fresh QGIS profiles folder under ``root`` and return it (``--profiles-path``).

    ``plugins`` maps plugin folder names to source folders, symlinked when ``link``
    else copied, into ``profiles/default/python/plugins``. ``enabled`` names the
    plugins switched on in ``[PythonPlugins]`` (default: all of ``plugins``).
    Default ``plugins``: this repository as ``urban_grid``.
    """
    plugins = {PLUGIN_NAME: REPO} if plugins is None else dict(plugins)
    default = root / "profiles" / "default"
    plugin_dir = default / "python" / "plugins"
    plugin_dir.mkdir(parents=True, exist_ok=True)
    for name, source in plugins.items():
        target = plugin_dir / name
        if link:
            target.symlink_to(Path(source).resolve(), target_is_directory=True)
        else:
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    sections: dict[str, dict[str, str]] = {k: dict(v) for k, v in QUIET_SETTINGS.items()}
    names = list(plugins) if enabled is None else list(enabled)
    sections["PythonPlugins"] = {name: "true" for name in names}
    for section, values in (settings or {}).items():
        sections.setdefault(section, {}).update(values)
    write_ini(default / "QGIS" / "QGIS3.ini", sections)
    return root


def qgis_env(profiles: Path | None = None, display: str | None = None) -> dict[str, str]:
    """Environment for a QGIS child process: venv packages visible, no stray profile vars.

    With ``profiles`` set, ``QGIS_CUSTOM_CONFIG_PATH`` points at it: ``qgis_process``
    (which has no ``--profiles-path`` in 3.22) then uses ``profiles/default``.
    """
    env = {k: v for k, v in os.environ.items() if k not in PROFILE_VARS}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(VENV_SITE), os.environ.get("PYTHONPATH", "")) if p
    )
    env.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-root")
    Path(env["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
    if profiles is not None:
        env["QGIS_CUSTOM_CONFIG_PATH"] = str(profiles)
    if display is not None:
        env["DISPLAY"] = display
        env.pop("QT_QPA_PLATFORM", None)
    else:
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


# --- processes -------------------------------------------------------------------------

def stop(proc: subprocess.Popen | None, grace: float = 5.0) -> None:
    """Terminate ``proc`` and its process group (started with a new session)."""
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, grace)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


class Xvfb:
    """A virtual X server on a display it picks itself; use as a context manager."""

    def __init__(self, screen: str = SCREEN, timeout: float = 20.0) -> None:
        self.screen = screen
        self.timeout = timeout
        self.proc: subprocess.Popen | None = None
        self.display: str | None = None

    def __enter__(self) -> Xvfb:
        read_fd, write_fd = os.pipe()
        try:
            self.proc = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", self.screen,
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            os.close(write_fd)
        try:
            self.display = ":" + _read_line(read_fd, self.timeout, "Xvfb display number")
        except BaseException:
            stop(self.proc)
            raise
        finally:
            os.close(read_fd)
        return self

    def __exit__(self, *exc) -> None:
        stop(self.proc)


def _read_line(fd: int, timeout: float, what: str) -> str:
    """Read one line from a pipe, failing after ``timeout`` seconds."""
    import select

    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError(f"no {what} within {timeout:.0f} s")
        chunk = os.read(fd, 64)
        if not chunk:
            raise RuntimeError(f"pipe closed before {what} arrived")
        data += chunk
    return data.decode().strip()


# --- the desktop -----------------------------------------------------------------------

STARTUP_TEMPLATE = '''\
"""Run by qgis --code: collect facts about the running desktop, then write them."""
import json, os, sys, traceback

import qgis.utils
from qgis.core import Qgis, QgsApplication
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAction, QToolBar

FACTS = {facts!r}
WINDOW = {window!r}
facts = {{"errors": []}}


def user_code(iface, facts):
{user_code}


def collect():
    iface = qgis.utils.iface
    try:
        user_code(iface, facts)
    except Exception:
        facts["errors"].append(traceback.format_exc())
    try:
        mw = iface.mainWindow()
        registry = QgsApplication.processingRegistry()
        module = sys.modules.get({plugin!r})
        facts.update(
            qgis_version=Qgis.QGIS_VERSION,
            home_plugin_path=qgis.utils.home_plugin_path,
            available_plugins=sorted(qgis.utils.available_plugins),
            active_plugins=sorted(qgis.utils.active_plugins),
            plugin_file=getattr(module, "__file__", None),
            actions=sorted({{a.objectName() for a in mw.findChildren(QAction) if a.objectName()}}),
            toolbars=sorted({{t.objectName() for t in mw.findChildren(QToolBar) if t.objectName()}}),
            plugin_menu=[a.text() for a in iface.pluginMenu().actions()],
            providers=sorted(p.id() for p in registry.providers()),
            algorithms=sorted(a.id() for a in registry.algorithms()
                              if a.provider() and a.provider().id() == "urbangrid"),
            window_title=mw.windowTitle(),
            window_visible=mw.isVisible(),
        )
        mw.grab().save(WINDOW)
    except Exception:
        facts["errors"].append(traceback.format_exc())
    tmp = FACTS + ".part"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(facts, f, indent=1, ensure_ascii=False)
    os.replace(tmp, FACTS)


def settle():
    mw = qgis.utils.iface.mainWindow()
    # Without a window manager showMaximized() is a no-op: fill the screen by hand.
    mw.setGeometry(mw.screen().availableGeometry())
    # Let the maximised window lay out and paint before anything is grabbed.
    QTimer.singleShot({delay_ms}, collect)


QTimer.singleShot(0, settle)
'''


@dataclass
class DesktopRun:
    """What one desktop session left behind."""

    facts: dict
    screenshot: Path | None
    window: Path | None
    log: str
    out_dir: Path
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)


class DesktopError(RuntimeError):
    """The desktop did not come up or did not report back."""


def run_desktop(
    profiles: Path,
    out_dir: Path,
    *,
    user_code: str = "",
    timeout: float = 60.0,
    screenshot: bool = True,
    delay_ms: int = 1000,
    display: str | None = None,
) -> DesktopRun:
    """Start QGIS on ``profiles``, wait for the startup script's facts, screenshot, kill.

    ``user_code`` is the body of ``user_code(iface, facts)``, run inside QGIS once
    the main window is up and before the facts are collected; exceptions it raises
    land in ``facts["errors"]``. Starts its own Xvfb unless ``display`` is given.
    Raises :class:`DesktopError` (with the QGIS log) if no facts arrive in ``timeout``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    facts_path = out_dir / "facts.json"
    window_png = out_dir / "window.png"
    screen_png = out_dir / "screen.png"
    log_path = out_dir / "qgis.log"
    for stale in (facts_path, window_png, screen_png):
        stale.unlink(missing_ok=True)
    body = textwrap.indent(textwrap.dedent(user_code).strip() or "pass", "    ")
    startup = out_dir / "startup.py"
    startup.write_text(STARTUP_TEMPLATE.format(
        facts=str(facts_path), window=str(window_png), user_code=body,
        plugin=PLUGIN_NAME, delay_ms=delay_ms,
    ), encoding="utf-8")

    if display is None:
        with Xvfb() as xvfb:
            return run_desktop(profiles, out_dir, user_code=user_code, timeout=timeout,
                               screenshot=screenshot, delay_ms=delay_ms, display=xvfb.display)

    started = time.monotonic()
    proc = None
    try:
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                ["qgis", "--profiles-path", str(profiles), "--noversioncheck", "--nologo",
                 "--code", str(startup)],
                env=qgis_env(display=display), stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True, cwd=out_dir,
            )
            deadline = started + timeout
            while not facts_path.exists():
                if proc.poll() is not None:
                    raise DesktopError(f"QGIS exited with {proc.returncode} before reporting:\n"
                                       + _tail(log_path))
                if time.monotonic() > deadline:
                    raise DesktopError(f"no facts from QGIS within {timeout:.0f} s:\n"
                                       + _tail(log_path))
                time.sleep(0.2)
            shot = None
            if screenshot:
                shot = screen_png
                subprocess.run(["import", "-display", display, "-window", "root", str(shot)],
                               check=True, timeout=30, capture_output=True)
        facts = json.loads(facts_path.read_text(encoding="utf-8"))
        return DesktopRun(
            facts=facts, screenshot=shot,
            window=window_png if window_png.exists() else None,
            log=log_path.read_text(encoding="utf-8", errors="replace"),
            out_dir=out_dir, seconds=time.monotonic() - started,
        )
    finally:
        stop(proc)


def _tail(path: Path, lines: int = 40) -> str:
    """The last lines of a log file, for error messages."""
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def image_stddev(png: Path) -> float:
    """Standard deviation of an image's pixel values, normalised to 0–1 (0 = blank)."""
    out = subprocess.run(["identify", "-format", "%[fx:standard_deviation]", str(png)],
                         check=True, capture_output=True, text=True, timeout=30)
    return float(out.stdout.strip())


def image_size(png: Path) -> tuple[int, int]:
    """Width and height of an image in pixels."""
    out = subprocess.run(["identify", "-format", "%w %h", str(png)],
                         check=True, capture_output=True, text=True, timeout=30)
    width, height = out.stdout.split()
    return int(width), int(height)


# --- qgis_process ----------------------------------------------------------------------

def qgis_process(
    profiles: Path, *args: str, timeout: float = 120.0, json_output: bool = False,
) -> subprocess.CompletedProcess:
    """Run ``/usr/bin/qgis_process.bin ARGS`` against the profile folder ``profiles``.

    The Debian ``qgis_process`` wrapper adds ``--noversioncheck`` (from
    /etc/default/qgis), which ``qgis_process`` rejects, so the binary is called
    directly. ``QGIS_CUSTOM_CONFIG_PATH`` selects the profile (3.22 has no
    ``--profiles-path`` here); its enabled plugins with ``hasProcessingProvider=yes``
    are loaded, from ``profiles/default/python/plugins`` or from ``QGIS_PLUGINPATH``
    folders. ``qgis_process.bin plugins enable urban_grid`` enables one.
    """
    cmd = [QGIS_PROCESS, *(["--json"] if json_output else []), *args]
    return subprocess.run(cmd, env=qgis_env(profiles=profiles), capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def process_json(result: subprocess.CompletedProcess) -> dict:
    """Parse ``qgis_process --json`` output, skipping any warnings printed before it."""
    text = result.stdout
    start = text.find("{")
    if start < 0:
        raise ValueError(f"no JSON in qgis_process output:\n{text}\n{result.stderr}")
    return json.loads(text[start:])
