"""Errors that name what went wrong and where: file, row and field."""

from __future__ import annotations


class UrbanGridError(Exception):
    """A problem with user input or project state, worded for the user.

    ``source`` is the file or layer, ``row`` the 1-based row or feature number and
    ``field`` the column, whenever they are known. ``str()`` joins them into one
    readable line so the CLI and the QGIS message bar can show it as it is.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.source = None if source is None else str(source)
        self.row = row
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{': '.join([', '.join(where), self.message]) if where else self.message}"


class InputError(UrbanGridError):
    """Bad input data: wrong geometry type, missing CRS, malformed codes, ..."""


class Cancelled(UrbanGridError):
    """The user cancelled a long job; nothing partial was kept."""

    def __init__(self, message: str = "cancelled by the user") -> None:
        super().__init__(message)
