"""Running a build: what is out of date is rendered by worker processes, moved into place
by this one, and recorded in the manifest; the gallery is written last.

Only this process puts files into the output folder, each by one rename from the run's
own temporary folder, and records each in the manifest as it does: so whenever the build
stops (finished, interrupted, a worker killed) the manifest and gallery list exactly what
is on disk, and the next run does only what is left. Ctrl-C and SIGTERM stop the workers
at once, remove the run's temporary folder and keep what was finished; nothing outside
the output folder is written, and a file is deleted only when the manifest says kit made
it (its path, with the hash it still has).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kit.batch import manifest as manifests
from kit.batch.job import Done
from kit.batch.lock import OutputLock
from kit.batch.orgs import Org
from kit.batch.plan import Job
from kit.batch.site import SiteSpec
from kit.batch.workers import Supervisor, Task
from kit.campaign import Campaign
from kit.errors import KitError
from kit.files import atomic_write, remove_stale_temporaries

RUN_PREFIX = ".kit-run-"
GALLERY = "index.html"
_SAVE_EVERY = 2.0  # seconds between manifest writes: a kill loses little


@dataclass
class BuildReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    bad_rows: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    interrupted: int | None = None  # the signal that stopped the build


class BuildIncomplete(KitError):
    """A build made what it could but not every file: some failed, or rows were left out.
    `report` says which; run the same build again once their cause is fixed."""

    exit_code = 3

    def __init__(self, message: str, report: BuildReport) -> None:
        super().__init__(message)
        self.report = report


class BuildInterrupted(KitError):
    """A build stopped by a signal (Ctrl-C, SIGTERM) after putting in place every file it
    finished; the same build run again completes it."""

    def __init__(self, message: str, signum: int, report: BuildReport) -> None:
        super().__init__(message)
        self.signal = signum
        self.report = report

    @property
    def exit_code(self) -> int:  # type: ignore[override]
        return 128 + self.signal  # as a shell reports a process a signal stopped


@contextlib.contextmanager
def claim(
    out: Path, wait: bool = False, waiting: Callable[[str], None] | None = None
) -> Iterator[None]:
    """The output folder made, checked and locked for one build; or one line saying why
    it cannot be (another build holds it, it cannot be written)."""
    _prepare(out)
    lock = OutputLock(out)
    lock.acquire(wait, waiting)
    try:
        yield
    finally:
        lock.release()


def _prepare(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise KitError(f"cannot make the output folder ({e.strerror or e})", file=out) from None
    for name in (manifests.MANIFEST, GALLERY):
        path = out / name
        if path.exists() and not path.is_file():
            raise KitError(
                f"{name} is not a file (a folder?); kit build writes it: move it away", file=path
            )
    if not os.access(out, os.W_OK):
        raise KitError("the output folder is not writable", file=out)


def build(
    campaign: Campaign,
    locales_dir: Path,
    out: Path,
    jobs: list[Job],
    orgs: list[Org],
    workers: int,
    report: BuildReport,
    *,
    progress: Callable[[int, int], None] = lambda done, total: None,
    site: SiteSpec | None = None,
) -> dict[str, Any]:
    """Run what is not up to date, and the site (kit.batch.site) if asked for; write
    manifest.json and index.html; returns the manifest. The folder must be claimed
    (claim()) by the caller."""
    with _interruptions() as caught:
        return _Run(campaign, locales_dir, out, orgs, report, caught, site).run(
            jobs, workers, progress
        )


class _Caught:
    signal: int | None = None


@contextlib.contextmanager
def _interruptions() -> Iterator[_Caught]:
    """Ctrl-C and SIGTERM only note that the build must stop; the build stops itself at
    the next safe point (within a fraction of a second), so no record is half made."""
    caught = _Caught()
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return

    def note(signum: int, frame: Any) -> None:
        caught.signal = caught.signal or signum

    old = {s: signal.signal(s, note) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield caught
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


class _Run:
    def __init__(
        self,
        campaign: Campaign,
        locales_dir: Path,
        out: Path,
        orgs: list[Org],
        report: BuildReport,
        caught: _Caught,
        site: SiteSpec | None = None,
    ) -> None:
        self.campaign, self.locales_dir, self.out = campaign, locales_dir, out
        self.resolved = out.resolve()
        self.orgs = {o.slug: o for o in orgs}
        self.report, self.caught = report, caught
        self.old: dict[str, dict[str, Any]] = {}
        self.entries: dict[str, dict[str, Any]] = {}
        self.saved = time.monotonic()
        self.save_every = _SAVE_EVERY
        self.made: set[Path] = set()  # folders checked and made
        self.site = site

    def run(
        self,
        jobs: list[Job],
        workers: int,
        progress: Callable[[int, int], None],
    ) -> dict[str, Any]:
        self._clear_stale()
        self.old = manifests.load(self.out)
        # Files of earlier builds stay listed while they are on disk: those this build
        # does not plan (another --locale), and those it will replace, until it does.
        self.entries = {p: e for p, e in self.old.items() if (self.out / p).is_file()}
        todo = []
        for job in jobs:
            if self.caught.signal:
                break
            if self._up_to_date(job):
                self.report.unchanged.append(job.path)
            else:
                todo.append(job)
        done, total = len(self.report.unchanged), len(jobs)
        progress(done, total)
        run_dir: Path | None = None
        try:
            if todo and not self.caught.signal:
                run_dir = Path(tempfile.mkdtemp(prefix=RUN_PREFIX, dir=self.out))
                finished = self._render(
                    todo,
                    workers,
                    run_dir,
                    lambda: progress(
                        len(self.report.built) + len(self.report.failed) + done, total
                    ),
                )
                if not finished:
                    self.report.interrupted = self.caught.signal
            elif self.caught.signal:
                self.report.interrupted = self.caught.signal
            if self.site is not None and not self.report.interrupted:
                self._site(self.site)
        finally:
            if run_dir is not None:
                shutil.rmtree(run_dir, ignore_errors=True)
            manifest = self._save()
            self._gallery(manifest)
        return manifest

    # -- before --------------------------------------------------------------------------
    def _clear_stale(self) -> None:
        """What a killed build left: its run folder and half-written manifest or gallery.
        Safe because this build holds the folder's lock: no other is running here."""
        remove_stale_temporaries(self.out)
        for stale in self.out.glob(f"{RUN_PREFIX}*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)

    def _up_to_date(self, job: Job) -> bool:
        entry = self.old.get(job.path)
        if not entry or entry["key"] != job.key:
            return False
        return bool(manifests.file_sha(self.out / job.path) == entry["sha256"])

    # -- rendering -----------------------------------------------------------------------
    def _render(
        self,
        todo: list[Job],
        workers: int,
        run_dir: Path,
        progress: Callable[[], None],
    ) -> bool:
        (run_dir / "files").mkdir()
        (run_dir / "logos").mkdir()
        for org in self.orgs.values():
            logo = org.profile.logo if org.profile else None
            if logo is not None:  # each distinct logo once, by content hash
                target = run_dir / "logos" / f"{logo.sha256}.{logo.kind}"
                if not target.exists():
                    target.write_bytes(logo.data)

        def record(task: Task, index: int, result: Any, error: str | None) -> None:
            job = task.items[index]
            if error is None:
                error = self._place(job, result)
            if error is not None:
                self._failed(job, error)
            progress()
            if time.monotonic() - self.saved > self.save_every:
                self._save()

        supervisor = Supervisor(
            min(workers, len(todo)),
            "kit.batch.job",
            (str(self.campaign.path), str(self.locales_dir), str(run_dir)),
            run_dir,
        )
        return supervisor.run(self._tasks(todo), record, lambda: self.caught.signal is not None)

    def _tasks(self, todo: list[Job]) -> list[Task]:
        """Jobs that lay out the same page (one poster in several formats, its thumbnail;
        the texts of one material) go to one worker, where Typst lays it out once;
        biggest groups first, so the workers end evenly. A poster task carries its
        organisation's profile, the logo by hash only, and is tagged with the logo; a text
        task the profile without its logo."""
        groups: dict[tuple[str, str, str, str], list[Job]] = {}
        for job in todo:
            groups.setdefault((job.org, job.locale, job.audience, job.size), []).append(job)
        tasks = []
        for (slug, _, _, size), items in sorted(groups.items(), key=lambda g: -len(g[1])):
            org = self.orgs.get(slug)
            profile = org.profile if org else None
            if profile is None:
                tasks.append(Task(items))
                continue
            light = profile
            if not size:  # texts print the organisation's lines, never its logo
                light = dataclasses.replace(profile, logo=None)
                tasks.append(Task(items, (light, org.line if org else None)))
                continue
            if profile.logo is not None:  # the worker reads the bytes from the run folder
                light = dataclasses.replace(
                    profile, logo=dataclasses.replace(profile.logo, data=b"")
                )
            tasks.append(
                Task(
                    items,
                    (light, org.line if org else None),
                    profile.logo.sha256 if profile.logo else None,
                )
            )
        return tasks

    def _folder(self, relative: str) -> str | None:
        """Make the folders of `relative` one by one, never through a symbolic link (which
        could lead out of the output folder); or say why they cannot be made."""
        folder = self.out
        for part in relative.split("/"):
            folder = folder / part
            if folder in self.made:
                continue
            if folder.is_symlink():
                return f"its folder {folder.relative_to(self.out)} leads outside the output folder"
            if not folder.exists():
                folder.mkdir()
            elif not folder.is_dir():
                return f"a file is in the way of the folder {folder.relative_to(self.out)}"
            self.made.add(folder)
        return None

    def _place(self, job: Job, done: Done) -> str | None:
        """Move a finished file into place and record it; or say why it cannot be."""
        final = self.out / job.path
        try:
            problem = self._folder(job.path.rpartition("/")[0])
            if problem:
                return f"cannot write {job.path}: {problem}"
            if final.is_symlink() or (final.exists() and not final.is_file()):
                return f"cannot write {job.path}: something other than a file is in the way"
            os.replace(done.file, final)
        except OSError as e:
            return f"cannot write {job.path} ({e.strerror or e})"
        org = self.orgs.get(job.org)
        # A mail-merge school beside the NGO's branding is named as the school.
        shown = org.profile.partner or org.profile if org and org.profile else None
        name = shown.name if shown else None
        self.entries[job.path] = manifests.entry(job, done, name)
        self.report.built.append(job.path)
        return None

    def _site(self, spec: SiteSpec) -> None:
        """The site's files, remade together when their key changed or one of them is not
        what the manifest recorded; files of an older site it no longer has are removed."""
        import hashlib

        from kit.batch.site import FOLDER, site_entry, site_files, site_key

        key = site_key(self.campaign, self.locales_dir, spec)
        old = [p for p, e in self.old.items() if e["kind"] == "site"]
        if old and all(
            self.old[p]["key"] == key and manifests.file_sha(self.out / p) == self.old[p]["sha256"]
            for p in old
        ):
            self.report.unchanged.extend(sorted(old))
            return
        try:
            made = site_files(self.campaign, self.locales_dir, spec)
        except KitError as e:
            self.report.failed.append((f"{FOLDER}/index.html", str(e)))
            return
        files = {f"{FOLDER}/{path}": value for path, value in made.items()}
        for path, (data, meta) in files.items():
            final = self.out / path
            problem = self._folder(path.rpartition("/")[0])
            if problem is None and (final.is_symlink() or (final.exists() and not final.is_file())):
                problem = "something other than a file is in the way"
            if problem is None:
                try:
                    atomic_write(final, data, follow_links=False)
                except OSError as e:
                    problem = str(e.strerror or e)
            if problem is not None:
                self.report.failed.append((path, f"cannot write {path}: {problem}"))
                self.entries.pop(path, None)
                continue
            sha = hashlib.sha256(data).hexdigest()
            self.entries[path] = site_entry(path, sha, key, meta)
            self.report.built.append(path)
        for path in (p for p in old if p not in files):
            self._remove_stale(path)
            folder = (self.out / path).parent
            if folder != self.out / FOLDER and not folder.is_symlink():
                with contextlib.suppress(OSError):  # a language's folder, now empty
                    folder.rmdir()

    def _failed(self, job: Job, why: str) -> None:
        self.report.failed.append((job.path, why))
        self._remove_stale(job.path)

    def _remove_stale(self, path: str) -> None:
        """An older output that no longer matches its inputs: never left to be published
        as if it were current. Deleted only if it is what kit wrote there."""
        self.entries.pop(path, None)
        old = self.old.get(path)
        stale = self.out / path
        if (
            old
            and not stale.is_symlink()
            and self._inside(stale)
            and manifests.file_sha(stale) == old["sha256"]
        ):
            with contextlib.suppress(OSError):
                stale.unlink()

    def _inside(self, path: Path) -> bool:
        try:
            return path.parent.resolve().is_relative_to(self.resolved)
        except OSError:
            return False

    # -- after ---------------------------------------------------------------------------
    def _save(self) -> dict[str, Any]:
        from kit.version import version

        start = time.monotonic()
        document = manifests.document(self.entries, version(), self.campaign.id)
        self._write(manifests.MANIFEST, manifests.render(document))
        # A manifest of 100,000 files takes a while to write: never spend more than a
        # tenth of the build on saving it.
        self.saved = time.monotonic()
        self.save_every = max(_SAVE_EVERY, 10 * (self.saved - start))
        return document

    def _gallery(self, manifest: dict[str, Any]) -> None:
        """Write index.html, unless the one there was made from the same inputs."""
        from kit.batch.gallery import gallery, gallery_key, key_line

        audiences = {aid: a.name for aid, a in self.campaign.audiences.items()}
        line = key_line(gallery_key(manifest, audiences, self.report.failed)).encode()
        path = self.out / GALLERY
        try:
            if path.is_file() and not path.is_symlink():
                with path.open("rb") as f:
                    if f.read(len(line)) == line:
                        return
        except OSError:
            pass  # written afresh below, or the error said there
        self._write(GALLERY, gallery(manifest, audiences, self.report.failed))

    def _write(self, name: str, text: str) -> None:
        try:
            # The manifest and gallery stay in the output folder: a link there is replaced.
            atomic_write(self.out / name, text, follow_links=False)
        except OSError as e:
            raise KitError(
                f"cannot write {name} ({e.strerror or e})", file=self.out / name
            ) from None
