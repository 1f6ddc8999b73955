"""Official helplines a profile may opt in to, with the page each number was checked on.

kit never prints a helpline a profile did not name: the data is here so that a school
that asks "whom can pupils call?" gets numbers checked against their official pages,
never typed from memory. Each entry says who publishes it, its source page and when it
was checked; texts print the source beside the number, posters the publisher.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass

from kit.data import path as data_path


@dataclass(frozen=True)
class Helpline:
    id: str
    publisher: str
    number: str
    line: str  # as printed, in Japanese
    line_easy: str  # in Easy Japanese, with furigana (｜漢字《かんじ》)
    source: str
    checked: str  # the date the number was checked against `source`
    also: str | None = None  # a second page giving the number, where the first shows it as an image
    evidence: str = ""

    def printed(self, locale: str) -> str:
        """The line a poster or text in `locale` prints: with furigana in Easy Japanese."""
        return self.line_easy if locale.endswith("@easy") else self.line


@functools.cache
def helplines() -> dict[str, Helpline]:
    """Every helpline kit knows, by id."""
    out = {}
    for name in ("jp.toml",):
        data = tomllib.loads(data_path("helplines", name).read_text("utf-8"))
        for raw in data["helpline"]:
            line = Helpline(**raw)
            out[line.id] = line
    return out
