"""Progress and cancellation for long jobs, independent of QGIS.

Core functions take an optional ``progress: Progress``. The command line passes a
:class:`ConsoleProgress` (a tqdm bar); the Processing provider passes an adapter over
``QgsProcessingFeedback``. Both answer the same three questions: how far, what now,
and should I stop.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from .errors import Cancelled

T = TypeVar("T")


class Progress:
    """Silent progress reporter; the base every adapter overrides."""

    def set_percent(self, percent: float) -> None:
        """Report overall completion in 0..100."""

    def info(self, message: str) -> None:
        """Report a line of human-readable status."""

    def warning(self, message: str) -> None:
        """Report something the user should know but that does not stop the job."""
        self.info(message)

    def is_cancelled(self) -> bool:
        """True once the user has asked to stop."""
        return False

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user has asked to stop."""
        if self.is_cancelled():
            raise Cancelled()

    def step(self, done: int, total: int, start: float = 0.0, end: float = 100.0) -> None:
        """Report ``done`` of ``total`` mapped onto the percent range ``start..end`` and check cancel."""
        if total > 0:
            self.set_percent(start + (end - start) * min(done, total) / total)
        self.check()

    def iterate(
        self, items: Iterable[T], total: int, start: float = 0.0, end: float = 100.0
    ) -> Iterator[T]:
        """Yield ``items`` while reporting progress over ``start..end`` and checking cancel."""
        for i, item in enumerate(items):
            self.step(i, total, start, end)
            yield item
        self.step(total, total, start, end)

    def sub(self, start: float, end: float) -> Progress:
        """A reporter whose 0..100 maps onto ``start..end`` of this one."""
        return _SubProgress(self, start, end)


class _SubProgress(Progress):
    def __init__(self, parent: Progress, start: float, end: float) -> None:
        self.parent, self.start, self.end = parent, start, end

    def set_percent(self, percent: float) -> None:
        self.parent.set_percent(self.start + (self.end - self.start) * percent / 100.0)

    def info(self, message: str) -> None:
        self.parent.info(message)

    def warning(self, message: str) -> None:
        self.parent.warning(message)

    def is_cancelled(self) -> bool:
        return self.parent.is_cancelled()


class ConsoleProgress(Progress):
    """A tqdm progress bar on stderr for the command line; Ctrl-C cancels."""

    def __init__(self, description: str = "", quiet: bool = False) -> None:
        self.quiet = quiet
        self._bar = None
        if not quiet:
            from tqdm import tqdm

            self._bar = tqdm(
                total=100, desc=description, unit="%", file=sys.stderr, leave=False,
                bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}<{remaining}",
            )

    def set_percent(self, percent: float) -> None:
        if self._bar is not None:
            self._bar.n = round(max(0.0, min(100.0, percent)), 1)
            self._bar.refresh()

    def info(self, message: str) -> None:
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def warning(self, message: str) -> None:
        if self._bar is not None:
            self._bar.write(f"warning: {message}", file=sys.stderr)
        else:
            print(f"warning: {message}", file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def ensure_progress(progress: Progress | None) -> Progress:
    """Return ``progress`` or a silent reporter, so core code never checks for None."""
    return progress if progress is not None else Progress()
