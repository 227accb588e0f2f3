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

# Capability command modules, relative to this package. A module that is not there
# yet is skipped, so capabilities can land one at a time.
COMMAND_MODULES = (
    ".grid.commands",
    ".components.commands",
    ".imagery.commands",
    ".cases.commands",
    ".sync.commands",
    ".report.commands",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the full argument parser with every available capability."""
    parser = argparse.ArgumentParser(
        prog="urbangrid",
        description="UrbanGrid — digital city management (数字城管) from the command line.",
    )
    parser.add_argument("--version", action="version", version=f"urbangrid {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
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
    parser = build_parser()
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
