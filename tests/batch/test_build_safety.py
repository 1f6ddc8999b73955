"""kit build against hostile folders, broken manifests, a second build, full disks, code
changes: one line and exit 1 for what cannot be done, nothing written or deleted outside
--output, a cache that sees kit's own code."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from kit.batch.lock import OutputLock
from kit.batch.plan import program_fingerprint

from ..conftest import ROOT, manifest
from ..render.test_poster import pdf_text, squash

SMALL = ["--locale", "ja", "--sizes", "a4", "--formats", "pdf", "--audiences", "students"]


def build(kit, out, locales, *extra):
    return kit("build", "--output", str(out), *SMALL, "--locales", str(locales), *extra)


def one_line(result, *fragments):
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


# ---- one build per folder -------------------------------------------------------------------


def test_a_second_build_says_who_holds_the_folder(kit, locales, tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    lock = OutputLock(out)
    lock.acquire(wait=False)
    try:
        one_line(
            build(kit, out, locales),
            f"{out}: another kit build is writing here (process {os.getpid()} on ",
            "pass --wait",
        )
        assert not (out / "manifest.json").exists()
    finally:
        lock.release()


def test_with_wait_a_second_build_waits_its_turn(kit, locales, tmp_path, monkeypatch):
    import kit.batch.lock as locks

    out = tmp_path / "dist"
    out.mkdir()
    lock = OutputLock(out)
    lock.acquire(wait=False)
    real = locks._lock

    def lock_then_release(fd, block):
        if block:  # the build now waits: let the holder finish a moment later
            threading.Timer(0.5, lock.release).start()
        return real(fd, block)

    monkeypatch.setattr(locks, "_lock", lock_then_release)
    result = build(kit, out, locales, "--wait")
    assert result.exit_code == 0, result.output
    assert f"waiting for process {os.getpid()} on " in result.stderr
    assert len(manifest(out)["files"]) == 5


# ---- what is in the output folder -----------------------------------------------------------


@pytest.mark.parametrize("name", ["manifest.json", "index.html"])
def test_a_folder_where_the_manifest_or_gallery_goes_is_one_line(kit, locales, tmp_path, name):
    out = tmp_path / "dist"
    (out / name).mkdir(parents=True)
    one_line(build(kit, out, locales), f"{out / name}: {name} is not a file (a folder?)")


def test_a_manifest_with_missing_keys_or_foreign_paths_is_rebuilt_never_trusted(
    kit, locales, tmp_path
):
    out = tmp_path / "dist"
    outside = tmp_path / "precious.txt"
    outside.write_text("not kit's", "utf-8")
    sha = hashlib.sha256(outside.read_bytes()).hexdigest()
    (out / "kit/ja/students").mkdir(parents=True)
    (out / "manifest.json").write_text(
        json.dumps(
            {
                "kit": "0",
                "files": [
                    {"path": "kit/ja/students/poster-a4.pdf"},  # keys missing
                    {
                        "path": "../precious.txt",
                        "sha256": sha,
                        "key": "x",
                        "org": "kit",
                        "locale": "ja",
                        "audience": "students",
                        "kind": "poster",
                        "size": "a4",
                        "format": "pdf",
                        "draft": False,
                        "untranslated": [],
                    },
                    "not an entry",
                ],
            }
        ),
        "utf-8",
    )
    result = build(kit, out, locales)
    assert result.exit_code == 0, result.output
    assert "5 built, 0 unchanged" in result.stderr
    assert outside.read_text("utf-8") == "not kit's"
    assert {f["path"] for f in manifest(out)["files"]} == {
        f"kit/ja/students/{n}"
        for n in ("poster-a4.pdf", "thumb-a4.png", "text.txt", "text.md", "text.html")
    }


def test_a_failed_job_deletes_only_what_kit_wrote(kit, locales, tmp_path):
    from ..conftest import edit_entry

    out = tmp_path / "dist"
    assert build(kit, out, locales).exit_code == 0
    edited = out / "kit/ja/students/poster-a4.pdf"
    edited.write_bytes(b"%PDF- the school's own annotated copy")  # no longer what kit wrote
    edit_entry(
        locales / "ja/LC_MESSAGES/messages.po", "headline_students", msgstr="長い見出し" * 80
    )
    result = build(kit, out, locales)
    assert result.exit_code == 3
    assert edited.read_bytes() == b"%PDF- the school's own annotated copy"  # kept
    assert not (out / "kit/ja/students/thumb-a4.png").exists()  # kit's own stale thumbnail: gone
    assert "kit/ja/students/poster-a4.pdf" not in {f["path"] for f in manifest(out)["files"]}


def test_a_symlink_out_of_the_output_folder_is_never_followed(kit, locales, tmp_path):
    out, elsewhere = tmp_path / "dist", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "kit").mkdir(parents=True)
    (out / "kit/ja").symlink_to(elsewhere)
    result = build(kit, out, locales)
    assert result.exit_code == 3
    assert "its folder kit/ja leads outside the output folder" in result.stderr
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("name", ["manifest.json", "index.html"])
def test_a_link_named_as_the_builds_own_file_is_replaced_not_followed(kit, locales, tmp_path, name):
    """Catalogs are written through their links; the build's own files never leave
    --output, whatever a link in its place points at."""
    out, outside = tmp_path / "dist", tmp_path / "outside.txt"
    outside.write_text("someone's file\n", "utf-8")
    out.mkdir()
    (out / name).symlink_to(outside)
    result = build(kit, out, locales)
    assert result.exit_code == 0, result.output
    assert outside.read_text("utf-8") == "someone's file\n"
    assert (out / name).is_file() and not (out / name).is_symlink()


def test_an_unwritable_output_folder_is_one_line(kit, locales, tmp_path, monkeypatch):
    out = tmp_path / "dist"
    real = Path.mkdir

    def read_only(self, *args, **kwargs):
        if self == out:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    one_line(
        build(kit, out, locales), f"{out}: cannot make the output folder (Read-only file system)"
    )


def test_a_full_disk_while_writing_the_gallery_is_one_line_and_the_manifest_is_kept(
    kit, locales, tmp_path, monkeypatch
):
    import kit.batch.run as run
    from kit.files import atomic_write as real

    out = tmp_path / "dist"

    def full(path, data, **kwargs):
        if Path(path).name == "index.html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path, data, **kwargs)

    monkeypatch.setattr(run, "atomic_write", full)
    result = build(kit, out, locales)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith("index.html: cannot write index.html (No space left on device)")
    )
    assert len(manifest(out)["files"]) == 5


def test_a_temporary_folder_that_cannot_be_made_is_one_line(kit, locales, tmp_path, monkeypatch):
    import tempfile

    def no_inodes(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/tmp/kit-poster-x")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", no_inodes)
    result = kit("poster", "-l", "ja", "-o", str(tmp_path / "p.pdf"), "--locales", str(locales))
    one_line(result, "/tmp/kit-poster-x: No space left on device")
    assert not (tmp_path / "p.pdf").exists()


def test_ctrl_c_while_planning_exits_130_with_one_line(kit, locales, tmp_path, monkeypatch):
    import kit.batch.plan as plan

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(plan, "choose_locales", interrupted)
    result = build(kit, tmp_path / "dist", locales)
    assert result.exit_code == 130 and result.stderr == "stopped by Ctrl-C\n"


# ---- outputs over inputs ----------------------------------------------------------------------


def test_a_build_that_would_write_over_one_of_its_inputs_is_a_usage_error(kit, locales, tmp_path):
    out = tmp_path / "dist"
    assert build(kit, out, locales).exit_code == 0
    shutil.copy(ROOT / "kit/data/campaigns/npa-2017h1.toml", out / "kit/ja/students/text.md")
    before = (out / "kit/ja/students/text.md").read_bytes()
    result = build(kit, out, locales, "--campaign", str(out / "kit/ja/students/text.md"))
    assert result.exit_code == 2 and "text.md, which kit reads" in result.stderr
    assert (out / "kit/ja/students/text.md").read_bytes() == before


@pytest.mark.parametrize("how", ["symlink", "hard link"])
def test_an_output_that_is_an_input_under_another_name_is_refused(kit, locales, tmp_path, how):
    catalog = locales / "ja/LC_MESSAGES/messages.po"
    before = catalog.read_bytes()
    alias = tmp_path / "notes.txt"
    alias.symlink_to(catalog) if how == "symlink" else os.link(catalog, alias)
    result = kit("text", "-l", "ja", "-o", str(alias), "--locales", str(locales))
    assert result.exit_code == 2 and "which kit reads" in result.stderr
    assert catalog.read_bytes() == before


def test_text_over_a_build_manifest_or_a_poster_over_its_logo_is_refused(kit, locales, tmp_path):
    out = tmp_path / "dist"
    assert build(kit, out, locales).exit_code == 0
    result = kit("text", "-l", "ja", "-o", str(out / "manifest.json"), "--locales", str(locales))
    assert result.exit_code == 2 and "manifest.json, which kit reads" in result.stderr
    partner = tmp_path / "partner"
    partner.mkdir()
    shutil.copy(ROOT / "kit/data/profiles/example-logo.svg", partner / "logo.svg")
    (partner / "org.toml").write_text(
        'name = "Aoba"\n[logo]\npath = "logo.svg"\nalt = "A"\n', "utf-8"
    )
    logo = (partner / "logo.svg").read_bytes()
    result = kit(
        "poster",
        "-l",
        "ja",
        "--org",
        str(partner / "org.toml"),
        "--format",
        "svg",
        "-o",
        str(partner / "logo.svg"),
        "--locales",
        str(locales),
    )
    assert result.exit_code == 2 and "logo.svg, which kit reads" in result.stderr
    assert (partner / "logo.svg").read_bytes() == logo


# ---- the cache sees kit's own code -----------------------------------------------------------


def test_a_one_line_change_in_the_poster_renderer_rebuilds_the_posters_only(
    kit, locales, tmp_path, monkeypatch
):
    import kit.batch.plan as plan

    out = tmp_path / "dist"
    assert build(kit, out, locales).exit_code == 0
    copy = tmp_path / "kit-copy"
    shutil.copytree(plan.source_root(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    poster = (
        copy / "render/poster.py"
        if (copy / "render/poster.py").is_file()
        else copy / "render/poster/__init__.py"
    )
    poster.write_text(poster.read_text("utf-8") + "\n# one line\n", "utf-8")
    monkeypatch.setattr(plan, "source_root", lambda: copy)
    result = build(kit, out, locales)
    assert result.exit_code == 0, result.output
    assert "2 built, 3 unchanged" in result.stderr  # the poster and its thumbnail; not the texts


def test_what_each_kind_of_file_depends_on(tmp_path):
    import kit.batch.plan as plan

    root = tmp_path / "kit"
    shutil.copytree(plan.source_root(), root, ignore=shutil.ignore_patterns("__pycache__"))
    before = {k: program_fingerprint(k, root) for k in ("poster", "text")}

    def after(relative: str) -> dict[str, bool]:
        (root / relative).write_text((root / relative).read_text("utf-8") + "\n", "utf-8")
        program_fingerprint.cache_clear()
        now = {k: program_fingerprint(k, root) for k in ("poster", "text")}
        changed = {k: now[k] != before[k] for k in now}
        before.update(now)
        return changed

    assert after("render/text.py") == {"poster": False, "text": True}
    assert after("data/templates/material.md.j2") == {"poster": False, "text": True}
    assert after("localize.py") == {"poster": True, "text": True}
    assert after("cli/build.py") == {"poster": False, "text": False}
    assert after("batch/gallery.py") == {"poster": False, "text": False}
    assert after("data/templates/gallery.html.j2") == {"poster": False, "text": False}
    assert after("data/templates/poster.typ") == {"poster": True, "text": False}
    assert after("data/fonts/manifest.json") == {"poster": True, "text": False}


def test_an_organisation_edit_rebuilds_what_shows_it(kit, locales, tmp_path):
    """Its contacts are in its posters and its texts; its logo in its posters only."""
    from ..cli.test_poster import PNG_1PX, png

    (tmp_path / "logo.png").write_bytes(PNG_1PX)
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("name,contacts,logo,logo_alt\nAoba Junior High,Office,logo.png,Aoba\n", "utf-8")
    out = tmp_path / "dist"
    args = ["build", "--output", str(out), "--orgs", str(orgs), *SMALL, "--locales", str(locales)]
    assert kit(*args).exit_code == 0
    (tmp_path / "logo.png").write_bytes(png(6, 6))
    assert "2 built, 3 unchanged" in kit(*args).stderr
    orgs.write_text(
        "name,contacts,logo,logo_alt\nAoba Junior High,Ask at the office,logo.png,Aoba\n", "utf-8"
    )
    assert "5 built, 0 unchanged" in kit(*args).stderr


# ---- the mail-merge CSV ------------------------------------------------------------------------


def test_a_line_break_in_a_quoted_contacts_cell_is_a_second_contact_line(kit, locales, tmp_path):
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        'name,contacts\nAoba Junior High,"Ask at the office\nCounsellor on Tuesdays"\n', "utf-8"
    )
    out = tmp_path / "dist"
    result = kit(
        "build", "--output", str(out), "--orgs", str(orgs), *SMALL, "--locales", str(locales)
    )
    assert result.exit_code == 0, result.output
    text = squash(pdf_text((out / "aoba-junior-high/ja/students/poster-a4.pdf").read_bytes()))
    assert squash("Ask at the office") in text and squash("Counsellor on Tuesdays") in text


def test_a_cell_over_the_csv_field_limit_is_one_line(kit, locales, tmp_path):
    orgs = tmp_path / "orgs.csv"
    orgs.write_text('name,contacts\nAoba,Office\nKaede,"' + "x" * 200_000 + '"\n', "utf-8")
    one_line(
        kit(
            "build", "--output", str(tmp_path / "d"), "--orgs", str(orgs), "--locales", str(locales)
        ),
        f"{orgs}:3: a cell is longer than 131072 characters",
    )


def test_a_csv_that_is_not_utf8_names_the_line(kit, locales, tmp_path):
    orgs = tmp_path / "orgs.csv"
    orgs.write_bytes(b"name\nAoba\n" + "東京第一中学校\n".encode("shift_jis"))
    one_line(
        kit(
            "build", "--output", str(tmp_path / "d"), "--orgs", str(orgs), "--locales", str(locales)
        ),
        f"{orgs}:3: not valid UTF-8",
    )


def test_many_rows_sharing_a_logo_read_and_hold_it_once(tmp_path, monkeypatch):
    import kit.profile as profile
    from kit.batch.orgs import read_orgs
    from kit.images import Checked
    from kit.images import check_image as real

    shutil.copy(ROOT / "kit/data/profiles/example-logo.svg", tmp_path / "logo.svg")
    os.link(tmp_path / "logo.svg", tmp_path / "same-logo.svg")
    rows = "".join(f"School {i},logo.svg,Logo\n" for i in range(300)) + "Other,same-logo.svg,Logo\n"
    (tmp_path / "orgs.csv").write_text("name,logo,logo_alt\n" + rows, "utf-8")
    reads = []

    def counted(data: bytes) -> Checked:
        reads.append(1)
        return real(data)

    monkeypatch.setattr(profile, "check_image", counted)
    result = read_orgs(tmp_path / "orgs.csv", ["en", "ja"])
    assert len(result.orgs) == 301 and not result.bad
    assert len(reads) == 2  # once per path; and the two paths hold one content
    assert len(result.logos.by_hash) == 1
    logos = set()
    for o in result.orgs:
        assert o.profile is not None and o.profile.logo is not None
        logos.add(id(o.profile.logo.data))
    assert len(logos) == 1


# ---- the gallery ------------------------------------------------------------------------------


def test_the_gallery_names_each_organisation_and_escapes_what_partners_wrote(
    kit, locales, tmp_path
):
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("name\nAoba <b>Junior</b> High & Co\nKaede Elementary\n", "utf-8")
    out = tmp_path / "dist"
    result = kit(
        "build", "--output", str(out), "--orgs", str(orgs), *SMALL, "--locales", str(locales)
    )
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text("utf-8")
    assert "<b>Junior</b>" not in page
    assert "Aoba &lt;b&gt;Junior&lt;/b&gt; High &amp; Co · ja · students · A4" in page
    assert "Kaede Elementary · ja · students · A4" in page
    assert '<option value="kaede-elementary">Kaede Elementary</option>' in page
    assert "2 posters and 2 sets of texts, 10 files in all" in page
