"""The translator's preview: render the poster from a catalog and say what the check finds."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kit.campaign import Campaign
from kit.errors import KitError

if TYPE_CHECKING:
    from kit.catalog.check import Finding


@dataclass
class Preview:
    findings: list[Finding] = field(default_factory=list)  # the check's
    status: str = ""  # what was written, or why nothing was


class ShownFindings:
    """What --watch has printed so far. A finding is the same one while it says the same
    thing of the same message: an edit that only moves it to another line (a longer
    translation above it) does not print it again, nor call it fixed."""

    def __init__(self) -> None:
        self.shown: dict[tuple[str, str, str | None, str], Finding] = {}

    def update(self, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
        """The findings now gone (as they were printed) and the new ones."""
        now = {(f.severity, f.code, f.msgid, f.message): f for f in findings}
        fixed = [f for key, f in self.shown.items() if key not in now]
        new = [f for key, f in now.items() if key not in self.shown]
        self.shown = now
        return fixed, new


def preview_once(
    campaign: Campaign, locales: Path, locale: str, audience: str, size: str, output: Path
) -> Preview:
    """What to show the translator. Never raises a KitError: a text that does not fit or
    a catalog that does not parse is what the translator needs to read, then fix."""
    result = Preview()
    from kit.catalog.check import check_file
    from kit.files import atomic_write
    from kit.locales import available_locales, catalog_path, resolve_locale
    from kit.localize import localize
    from kit.render.poster import PosterOptions, render_poster

    try:
        name = resolve_locale(locale, available_locales(locales, campaign))
        findings = check_file(catalog_path(locales, name), campaign)
        result.findings = list(findings)
        material = localize(campaign, name, audience, locales, drafts=True)
        data = render_poster(
            material,
            None,
            PosterOptions(size=size, format="png", ppi=96, draft=not material.complete),
        )
        atomic_write(output, data)
        state = "complete" if material.complete else f"draft, {len(material.missing)} not reviewed"
        result.status = f"wrote {output} ({state}; {len(findings)} finding(s))"
    except KitError as e:
        result.status = f"no preview: {e}"
    return result


def watch_file(
    path: Path,
    action: Callable[[], None],
    interval: float,
    stop: Callable[[], bool] = lambda: False,
) -> None:
    """Call action whenever the file's modification time or size changes. Polling keeps it
    working with every editor (many save by writing a new file and renaming it)."""

    def stamp() -> tuple[float, int] | None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    last = stamp()
    while not stop():
        time.sleep(interval)
        now = stamp()
        if now != last and now is not None:
            last = now
            action()
