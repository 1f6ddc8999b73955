"""kit's version, from the installed package's metadata."""

from __future__ import annotations

DISTRIBUTION = "safety-message-kit"


def version() -> str:
    # importlib.metadata is read on first use only: it costs more to import than the rest
    # of `kit --help`.
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed(DISTRIBUTION)
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
