"""Every `kit` example in README.md runs as written, in the order written, as a newcomer
would type it: the installed `kit` command, a shell, a project folder with its own
locales/ (so the catalog commands write there), and the files the examples name.

An example whose comment says `# Error: ...` must fail with exit 1 and that error. The
ones that run until Ctrl-C (kit studio, --watch) must start and then stop cleanly on it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kit.profile import example_profile_path

from ..conftest import LOCALES, ROOT

# The examples run in order in one project folder: on one worker, whatever -n says.
pytestmark = pytest.mark.xdist_group("readme")

README = (ROOT / "README.md").read_text("utf-8")
# An indented code line that is a kit command, and its comment after two or more spaces.
EXAMPLE = re.compile(r"^    (kit [^#\n]*?)(?:\s{2,}#\s*(.*))?$", re.MULTILINE)
EXAMPLES = [(m.group(1).strip(), (m.group(2) or "").strip()) for m in EXAMPLE.finditer(README)]
LONG_RUNNING = ("kit studio", "--watch")


def test_the_readme_has_examples_of_every_kind():
    commands = {cmd.split()[1] for cmd, _ in EXAMPLES}
    assert {"poster", "text", "build", "locales", "catalog", "studio", "contact-sheet"} <= commands
    assert len(EXAMPLES) > 30


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A folder as a school or NGO would have it: catalogs to work on, a profile with its
    logo, a partner list."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(LOCALES, root / "locales")
    profile = example_profile_path()
    shutil.copy(profile, root / "our-ngo.toml")
    shutil.copy(profile.parent / "example-logo.svg", root / "example-logo.svg")
    (root / "partner-schools.csv").write_text(
        "name,contacts,url,logo,logo_alt,locales\n"
        "Example Junior High School (fictional),"
        '"Ask your homeroom teacher|Counselling room, 2nd floor",'
        "https://example.org/school-a,example-logo.svg,School logo: a shield with a heart,ja\n"
        "Example Elementary School (fictional),Talk to a teacher you trust,,,,ja\n",
        "utf-8",
    )
    return root


def _env(project: Path) -> dict[str, str]:
    env = dict(os.environ)
    # The installed `kit`, as the README's set-up command leaves it; a browser that opens
    # nothing, as on a machine without a screen.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["BROWSER"] = "true"
    return env


def _run_until_ready(command: str, project: Path, ready: str) -> tuple[int, str, str]:
    """Start a command that runs until Ctrl-C, wait for its `ready` line, then Ctrl-C it."""
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {command}"],
        cwd=project,
        env=_env(project),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    seen = ""
    stream = proc.stdout if command.startswith("kit studio") else proc.stderr
    assert stream is not None
    while ready not in seen and time.monotonic() < deadline and proc.poll() is None:
        seen += stream.readline()
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    return proc.returncode, seen + out, err


@pytest.mark.parametrize(("command", "comment"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_runs_as_written(project, command, comment):
    if command.startswith("kit studio"):
        code, out, err = _run_until_ready(command, project, "http://127.0.0.1:")
        assert code == 0, err
        assert re.match(r"http://127\.0\.0\.1:\d+/\S+/", out), out
        return
    if "--watch" in command:
        code, out, err = _run_until_ready(command, project, "wrote ")
        assert code == 0 and "wrote " in out + err, err
        return
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=project,
        env=_env(project),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if comment.startswith("Error:"):
        expected = comment.split("...")[0].strip().rstrip(";")
        assert result.returncode == 1, result.stderr
        assert expected in result.stderr.strip(), result.stderr
        return
    assert result.returncode == 0, f"{command}\n{result.stderr}"
    for flag in ("--output", "-o", "--to"):
        if f" {flag} " in f" {command} ":
            target = command.split(f" {flag} ")[1].split()[0]
            assert (project / target).exists(), f"{command} wrote no {target}"
    if ">" in command:
        assert (project / command.split(">")[1].split()[0]).stat().st_size > 0
