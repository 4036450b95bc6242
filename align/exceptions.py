"""Errors that plan-align raises on purpose.

Every error a user can cause (a bad file, an unknown id, a wrong setting) is one of
these, so the CLI and the app can show a one-line message instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path


class PlanAlignError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


class DocumentParseError(PlanAlignError, ValueError):
    """A document could not be read or parsed; carries the file and the line."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        where = ""
        if self.path is not None:
            where = f"{self.path}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(f"{where}{message}")

    def naming(self, name: str) -> str:
        """The message with the file called ``name``: an upload's own name, not the temporary path it was read from."""
        return str(DocumentParseError(self.message, path=name, line=self.line))


class UnknownDocumentError(PlanAlignError, KeyError):
    """A document id that the registry does not hold."""

    def __init__(self, doc_id: str, known: list[str]):
        self.doc_id = doc_id
        shown = ", ".join(known) if known else "none"
        super().__init__(
            f"Unknown document id '{doc_id}'. Registered ids: {shown}. "
            "Run 'plan-align docs' to list them or 'plan-align add' to register one."
        )

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])


class UnknownItemError(PlanAlignError, LookupError):
    """An item id whose document is registered but holds no such item."""


class JurisdictionMismatchError(PlanAlignError, ValueError):
    """Two documents of different jurisdictions were given to a year-to-year comparison."""


class RegistryError(PlanAlignError, ValueError):
    """The registry file is malformed or an entry is invalid."""


class SettingsError(PlanAlignError, ValueError):
    """A setting has a value outside its allowed range or choices."""


class StoreError(PlanAlignError, RuntimeError):
    """The decision store could not be opened or written."""


class ExportError(PlanAlignError, ValueError):
    """An export was asked for with a bad path, format or empty selection."""
