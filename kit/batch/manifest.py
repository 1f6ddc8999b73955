"""manifest.json: every file a build made, with its hash and the key of its inputs.

The manifest is what the next build trusts to skip work and what clean-up trusts to
delete, so it is read defensively: an entry with a missing or ill-typed field, or a path
that is not one kit makes, is dropped (the file is rebuilt), never a crash, and a file is
deleted only when the manifest lists it with the hash it has on disk.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from kit.batch.job import Done
from kit.batch.plan import Job
from kit.batch.site import FOLDER as SITE

MANIFEST = "manifest.json"
_FIELDS = {
    "path": str,
    "org": str,
    "locale": str,
    "audience": str,
    "kind": str,
    "size": str,
    "format": str,
    "sha256": str,
    "key": str,
    "draft": bool,
    "untranslated": list,
    "awaiting_review": list,
    "review": str,  # an entry from before kit recorded it is rebuilt, not passed on without it
}
_SHA = re.compile(r"\A[0-9a-f]{64}\Z")
MAX_MANIFEST = 256 * 1024 * 1024


def load(out: Path) -> dict[str, dict[str, Any]]:
    """path -> entry, for the entries that are sound; {} when there is no usable manifest."""
    path = out / MANIFEST
    try:
        if not path.is_file() or path.stat().st_size > MAX_MANIFEST:
            return {}
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return {}
    return {e["path"]: e for e in files if _sound(e)}


def is_manifest(path: Path) -> bool:
    """True for a manifest a build wrote (which the next build trusts)."""
    if path.name != MANIFEST or not path.is_file():
        return False
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and "kit" in data and "files" in data


def _sound(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    if any(not isinstance(entry.get(k), kind) for k, kind in _FIELDS.items()):
        return False
    parts = entry["path"].split("/")
    # Paths kit makes: ORG/LOCALE/AUDIENCE/FILE, or a file of the site (site/FILE,
    # site/FOLDER/FILE); no empty, hidden or parent component.
    site = entry["kind"] == "site" and parts[0] == SITE and len(parts) in (2, 3)
    return (
        (len(parts) == 4 or site)
        and all(p and not p.startswith(".") and "\\" not in p and "\0" not in p for p in parts)
        and bool(_SHA.match(entry["sha256"]))
    )


def entry(job: Job, done: Done, org_name: str | None) -> dict[str, Any]:
    return {
        "path": job.path,
        "org": job.org,
        "org_name": org_name,
        "locale": job.locale,
        "audience": job.audience,
        "kind": job.kind,
        "size": job.size,
        "format": job.format,
        "sha256": done.sha256,
        "key": job.key,
        "draft": bool(done.missing),
        # Shown in the source language (no usable translation), and shown as drafts.
        "untranslated": [m for m in done.missing if m not in done.fuzzy],
        "awaiting_review": list(done.fuzzy),
        "review": done.review or "none recorded",
        # Posters: 2 when a bilingual one has a language a side (PDF pages 1 and 2).
        **({"sides": done.sides} if job.kind != "text" else {}),
    }


def document(entries: dict[str, dict[str, Any]], version: str, campaign: str) -> dict[str, Any]:
    return {"kit": version, "campaign": campaign, "files": [entries[p] for p in sorted(entries)]}


def render(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"


def file_sha(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None
