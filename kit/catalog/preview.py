"""The translator's preview: render the poster from a catalog and say what the check finds."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kit.campaign import Campaign
from kit.errors import KitError


@dataclass
class Preview:
    findings: list[str] = field(default_factory=list)  # the check's, one line each
    status: str = ""  # what was written, or why nothing was


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
        result.findings = [str(f) for f in findings]
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
