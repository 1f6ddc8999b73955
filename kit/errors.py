"""One error root, with the exit code on the class, as click puts it on its exceptions.

The CLI turns every KitError into one line on stderr and exits with its `exit_code`:
1 for bad input, 2 for a wrong argument (RequestError, shown as click shows a usage
error), 3 for a build that made some files but not all (kit.batch.run.BuildIncomplete), 128 +
the signal for an interrupted one (BuildInterrupted).
"""

from __future__ import annotations

from pathlib import Path


class KitError(Exception):
    """A user-facing error: the input is wrong, not the program.

    Formats as ``file:line: message id: sentence``, leaving out what is not known.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        msgid: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.msgid = msgid
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        what = f"message {self.msgid!r}: " if self.msgid else ""
        return f"{where}{what}{self.message}"


class CampaignError(KitError):
    """The campaign file is missing, unreadable or fails validation."""


class CatalogError(KitError):
    """A PO/POT file is missing, does not parse, or disagrees with the campaign."""


class LocaleError(KitError):
    """A locale was asked for that the kit has no catalog for."""


class RequestError(KitError):
    """An argument of a request is wrong (an unknown size, a file name whose suffix says
    another format): `param` is its name, as kit's functions and (with dashes) the CLI's
    options call it."""

    exit_code = 2

    def __init__(self, message: str, *, param: str) -> None:
        super().__init__(message)
        self.param = param
