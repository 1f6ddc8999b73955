"""Where Babel and polib fall short of GNU gettext, measured: the case behind each part of
kit's own gettext code (kit/catalog/*.py says which in its docstring).

On the real-world corpus (tests/realworld/corpus.py: Django, Sphinx, Wagtail and
django-debug-toolbar, two major versions each, fetched from PyPI once and cached), it
counts the catalogs where each library's result differs from GNU gettext's, beside
kit's own:

  write    the catalog as written       against msgcat's output, byte for byte
  compile  every lookup of the .mo      against msgfmt's .mo (msgid, context, plurals;
           the header aside)
  merge    the merged catalog           against msgmerge --previous, byte for byte
  check    accepted or refused          against msgfmt -c's verdict

    python bench/libraries_vs_gettext.py [--subset]
"""

from __future__ import annotations

import argparse
import gettext
import io
import subprocess
import sys
import tempfile
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polib
from babel.messages.pofile import read_po, write_po

from kit.catalog.check import ERROR, check_file
from kit.catalog.merge import merge
from kit.catalog.mofile import compile_mo
from kit.catalog.pofile import encode_po, load_po
from tests.realworld import corpus


def _gnu(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(args), capture_output=True, check=False)


def _lookups(mo: bytes) -> dict[object, object]:
    """Every message's lookups but the header's (msgfmt drops POT-Creation-Date from it,
    the libraries do not: counted apart would hide what else differs)."""
    t = gettext.GNUTranslations(io.BytesIO(mo))
    catalog = dict(t._catalog)  # type: ignore[attr-defined]  # msgid, context, plural keys
    catalog.pop("", None)
    return catalog


def _babel(path: Path) -> object:
    with path.open("rb") as f, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_po(f)


def write_and_compile(paths: list[Path], tmp: Path, counts: Counter[str]) -> None:
    for path in paths:
        gnu = _gnu("msgcat", str(path)).stdout
        mo = tmp / "gnu.mo"
        if not gnu or _gnu("msgfmt", "-o", str(mo), str(path)).returncode:
            continue
        counts["files"] += 1
        counts["write kit"] += encode_po(load_po(path)) != gnu
        counts["write polib"] += (
            polib.pofile(str(path), wrapwidth=79).__unicode__().encode() + (b"\n") != gnu
        )
        out = io.BytesIO()
        write_po(out, _babel(path), width=79)
        counts["write babel"] += out.getvalue() != gnu
        expected = _lookups(mo.read_bytes())
        counts["compile kit"] += _lookups(compile_mo(load_po(path)).data) != expected
        polib_mo = tmp / "polib.mo"
        polib.pofile(str(path)).save_as_mofile(str(polib_mo))
        counts["compile polib"] += _lookups(polib_mo.read_bytes()) != expected
        from babel.messages.mofile import write_mo

        babel_mo = io.BytesIO()
        write_mo(babel_mo, _babel(path))
        counts["compile babel"] += _lookups(babel_mo.getvalue()) != expected


def merges(pairs: list[corpus.Pair], tmp: Path, counts: Counter[str]) -> None:
    for pair in pairs:
        gnu = _gnu("msgmerge", "--quiet", "--previous", str(pair.old), str(pair.template)).stdout
        if not gnu:
            continue
        counts["pairs"] += 1
        merged, _ = merge(load_po(pair.old), load_po(pair.template))
        counts["merge kit"] += encode_po(merged) != gnu
        po = polib.pofile(str(pair.old), wrapwidth=79)
        po.merge(polib.pofile(str(pair.template)))
        counts["merge polib"] += (po.__unicode__() + "\n").encode() != gnu
        catalog = _babel(pair.old)
        catalog.update(_babel(pair.template))  # type: ignore[attr-defined]
        out = io.BytesIO()
        write_po(out, catalog, width=79, include_previous=True)
        counts["merge babel"] += out.getvalue() != gnu


def checks(paths: list[Path], counts: Counter[str]) -> None:
    for path in paths:
        refused = _gnu("msgfmt", "-c", "-o", "/dev/null", str(path)).returncode != 0
        counts["checked"] += 1
        counts["msgfmt -c refuses"] += refused
        kit = any(f.severity == ERROR for f in check_file(path))
        counts["check kit"] += kit != refused
        catalog = _babel(path)
        babel = any(errors for _, errors in catalog.check())  # type: ignore[attr-defined]
        counts["check babel"] += babel != refused


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--subset", action="store_true", help="the tests' subset of locales only")
    args = ap.parse_args()
    counts: Counter[str] = Counter()
    paths = corpus.new_catalogs(subset=args.subset)
    with tempfile.TemporaryDirectory() as tmp:
        write_and_compile(paths, Path(tmp), counts)
        merges(corpus.all_pairs(subset=args.subset), Path(tmp), counts)
    checks(paths, counts)
    print(f"{counts['files']} catalogs, {counts['pairs']} merge pairs, {counts['checked']} checked")
    print("| job | kit | polib | Babel |")
    print("|---|---|---|---|")
    for job, total in (("write", "files"), ("compile", "files"), ("merge", "pairs")):
        row = [counts[f"{job} {who}"] for who in ("kit", "polib", "babel")]
        print(
            f"| {job}: differs from gettext | "
            + " | ".join(f"{n} of {counts[total]}" for n in row)
            + " |"
        )
    print(
        f"| check: verdict differs from msgfmt -c ({counts['msgfmt -c refuses']} refused) | "
        f"{counts['check kit']} of {counts['checked']} | (no checks) | "
        f"{counts['check babel']} of {counts['checked']} |"
    )


if __name__ == "__main__":
    main()
