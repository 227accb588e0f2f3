"""The ``urbangrid`` command line: one entry, one subcommand group per capability.

Each capability module exposes ``register(subparsers)`` and sets ``func`` on its
parsers; ``func(args, progress)`` returns an exit code. Errors derived from
:class:`UrbanGridError` are printed as one line, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__
from .errors import Cancelled, UrbanGridError
from .progress import ConsoleProgress

# Subcommand group → the capability module that registers it, relative to this
# package. Only the group being run is imported: the groups pull in rasterio,
# psycopg and pandas, and importing all of them cost ~1.5 s on every call.
# A module that is not there yet is skipped, so capabilities can land one at a time.
COMMAND_MODULES = {
    "grid": ".grid.commands",
    "components": ".components.commands",
    "imagery": ".imagery.commands",
    "cases": ".cases.commands",
    "sync": ".sync.commands",
    "report": ".report.commands",
    "map": ".report.commands",
}


def _modules_for(argv: Sequence[str]) -> list[str]:
    """The command modules needed to parse ``argv``: one group's, or all for help."""
    first = next((a for a in argv if not a.startswith("-")), None)
    if first in COMMAND_MODULES:
        return [COMMAND_MODULES[first]]
    return list(dict.fromkeys(COMMAND_MODULES.values()))


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Build the argument parser with the capabilities ``argv`` needs (all by default)."""
    parser = argparse.ArgumentParser(
        prog="urbangrid",
        description="UrbanGrid — digital city management (数字城管) from the command line.",
    )
    parser.add_argument("--version", action="version", version=f"urbangrid {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _modules_for([] if argv is None else argv):
        try:
            module = importlib.import_module(name, __package__)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(__package__ + name.rsplit(".", 1)[0]):
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``urbangrid``; return the process exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    progress = ConsoleProgress(args.command, quiet=args.quiet)
    try:
        return int(args.func(args, progress) or 0)
    except Cancelled:
        print("urbangrid: cancelled; nothing partial was kept", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("urbangrid: interrupted", file=sys.stderr)
        return 130
    except UrbanGridError as exc:
        print(f"urbangrid: error: {exc}", file=sys.stderr)
        return 1
    finally:
        progress.close()


if __name__ == "__main__":
    sys.exit(main())
