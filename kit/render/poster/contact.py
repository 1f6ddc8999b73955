"""A contact sheet: every poster of a matrix as a labelled thumbnail on one PNG, so a
person can look at all of them at once (a reviewer of 13 languages, an NGO checking the
posters of 500 schools). A poster that cannot be made (too long for its size) gets a
labelled cell saying why, instead of stopping the sheet.

The thumbnails are rendered in parallel, in spawned worker processes (a forked child can
deadlock in Typst's threads), and the sheet itself is laid out by Typst.
"""

from __future__ import annotations

import json
import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kit.errors import KitError


@dataclass(frozen=True)
class Cell:
    locale: str
    second: str | None
    audience: str
    size: str

    @property
    def label(self) -> str:
        pair = f" + {self.second}" if self.second else ""
        return f"{self.locale}{pair} · {self.audience} · {self.size}"


_WORKER: dict[str, Any] = {}


def _init(campaign_path: str, locales_dir: str, draft: bool) -> None:
    from kit.campaign import load_campaign

    _WORKER.update(campaign=load_campaign(campaign_path), locales=Path(locales_dir), draft=draft)


def _thumbnail(cell: Cell, ppi: float) -> bytes | str:
    """The poster as a PNG, or the sentence saying why it cannot be made."""
    from kit.localize import localize
    from kit.render.poster import PosterOptions, render_poster

    try:
        draft = _WORKER["draft"]
        first = localize(
            _WORKER["campaign"], cell.locale, cell.audience, _WORKER["locales"], drafts=draft
        )
        second = (
            localize(
                _WORKER["campaign"], cell.second, cell.audience, _WORKER["locales"], drafts=draft
            )
            if cell.second
            else None
        )
        marked = draft and any(m.missing for m in (first, second) if m is not None)
        return render_poster(
            first, second, PosterOptions(size=cell.size, format="png", ppi=ppi, draft=marked)
        )
    except KitError as e:
        return e.message


def thumbnails(
    cells: list[Cell], campaign_path: Path, locales_dir: Path, draft: bool, ppi: float, workers: int
) -> list[bytes | str]:
    args = (str(campaign_path), str(locales_dir), draft)
    if workers <= 1:
        _init(*args)
        return [_thumbnail(c, ppi) for c in cells]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init, initargs=args, mp_context=context
    ) as pool:
        return list(pool.map(_thumbnail, cells, [ppi] * len(cells), chunksize=2))


_SHEET = """
#let cells = json(bytes(sys.inputs.cells))
#let columns = int(sys.inputs.columns)
#set page(width: auto, height: auto, margin: 12pt, fill: rgb("#e8e8e8"))
#set text(font: ("Noto Sans", "Noto Sans CJK JP", "Noto Sans Arabic", "Noto Sans Thai",
                 "Noto Sans Devanagari"), size: 9pt)
#grid(columns: columns, column-gutter: 10pt, row-gutter: 12pt, align: bottom + left,
  ..cells.map(c => stack(spacing: 3pt,
    if c.file != none { box(stroke: 0.5pt + luma(150), image(c.file, width: c.width * 1pt)) }
    else { box(width: c.width * 1pt, height: c.height * 1pt, fill: white, inset: 6pt,
                stroke: 0.5pt + red, text(fill: red, size: 7pt, c.error)) },
    text(weight: "bold", c.label))))
"""


def contact_sheet(cells: list[Cell], images: list[bytes | str], columns: int) -> bytes:
    """The PNG sheet: one labelled thumbnail per cell, `columns` to a row."""
    from kit.render.poster.typeset import compiler

    with tempfile.TemporaryDirectory(prefix="kit-sheet-") as tmp:
        root = Path(tmp)
        (root / "sheet.typ").write_text(_SHEET, "utf-8")
        items = []
        for n, (cell, image) in enumerate(zip(cells, images, strict=True)):
            if isinstance(image, bytes):
                (root / f"{n}.png").write_bytes(image)
                width, height = int.from_bytes(image[16:20]), int.from_bytes(image[20:24])
                items.append(
                    {
                        "file": f"{n}.png",
                        "width": width,
                        "height": height,
                        "label": cell.label,
                        "error": None,
                    }
                )
            else:
                items.append(
                    {"file": None, "width": 150, "height": 212, "label": cell.label, "error": image}
                )
        out = compiler().compile(
            input=str(root / "sheet.typ"),
            root=str(root),
            format="png",
            ppi=72.0,
            sys_inputs={"cells": json.dumps(items), "columns": str(columns)},
        )
    assert isinstance(out, bytes)  # the sheet is one page
    return out
