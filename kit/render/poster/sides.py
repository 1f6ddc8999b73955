"""Two-sided posters: each language on a side of its own, when one side cannot hold both.

Each side is a whole poster, compiled, checked and finished on its own (kit.render.poster);
here the two become one file. As PDF, two pages whose structure trees are joined: the
back's elements, under the front's Document as a Part in the back's language, keep their
marked content through the parent tree (their keys moved past the front's). As PNG or
SVG, one image with the sides side by side, as a preview shows a two-sided sheet.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import pikepdf

from kit.errors import KitError

GAP = 6.0  # mm of grey between the two sides of a preview image


def join_pdf(front: bytes, back: bytes, title: str) -> bytes:
    """One PDF of two pages, front then back, its structure and bookmarks joined."""
    with pikepdf.open(io.BytesIO(front)) as pdf, pikepdf.open(io.BytesIO(back)) as other:
        ours, theirs = pdf.Root.StructTreeRoot, other.Root.StructTreeRoot
        offset = int(ours.ParentTreeNextKey)
        page = other.pages[0].obj
        page.StructParents = int(page.StructParents) + offset
        for annot in page.get("/Annots", []):
            if "/StructParent" in annot:
                annot.StructParent = int(annot.StructParent) + offset
        # One copier per foreign file: the page, its elements and the parent tree's
        # entries are copied once each and keep pointing at one another.
        pdf.pages.append(other.pages[0])
        (document,) = _kids(ours)
        (part,) = (pdf.copy_foreign(k) for k in _kids(theirs))
        part.S = pikepdf.Name.Part
        part.P = document
        part.Lang = other.Root.Lang
        document.K = pikepdf.Array([*_kids(document), part])
        nums = ours.ParentTree.Nums
        for key, value in _numbers(theirs.ParentTree):
            nums.append(key + offset)
            nums.append(pdf.copy_foreign(value))
        ours.ParentTreeNextKey = offset + int(theirs.ParentTreeNextKey)
        roles: Any = theirs.get("/RoleMap", {})
        if roles:
            ours.RoleMap = ours.get("/RoleMap", pikepdf.Dictionary())
            for name, role in roles.items():
                if name not in ours.RoleMap:
                    ours.RoleMap[name] = role
        for name in ("/IDTree", "/ClassMap"):  # Typst writes neither; joining would lose them
            if name in theirs:
                raise KitError(f"kit cannot join a poster side whose structure has {name}")
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def _kids(element: Any) -> list[Any]:
    kids = element.K
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _numbers(tree: Any) -> list[tuple[int, Any]]:
    """A number tree's (key, value) pairs, its kids' included."""
    out = []
    nums = tree.get("/Nums", [])
    out += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in tree.get("/Kids", []):
        out += _numbers(kid)
    return out


def side_by_side(
    front: bytes, back: bytes, fmt: str, size: tuple[float, float], ppi: float
) -> bytes:
    """One PNG or SVG image of the two sides (each an SVG of `size`, mm) side by side."""
    from kit.render.poster.typeset import compiler

    width, height = size
    source = (
        f"#set page(width: {2 * width + GAP}mm, height: {height}mm, margin: 0pt, "
        f'fill: rgb("#d9d9d9"))\n'
        f"#grid(columns: ({width}mm, {width}mm), column-gutter: {GAP}mm,\n"
        f'  image("front.svg", width: {width}mm), image("back.svg", width: {width}mm))\n'
    )
    with tempfile.TemporaryDirectory(prefix="kit-sides-") as tmp:
        root = Path(tmp)
        (root / "front.svg").write_bytes(front)
        (root / "back.svg").write_bytes(back)
        (root / "sides.typ").write_text(source, "utf-8")
        out = compiler().compile(input=str(root / "sides.typ"), root=str(root), format=fmt, ppi=ppi)
    if not isinstance(out, bytes):
        raise KitError(f"the two sides ran to {len(out)} pages")  # a fault in kit
    return out
