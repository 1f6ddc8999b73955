"""Every command is documented in the README, and the README's commands are real."""

from __future__ import annotations

import click

from kit.cli import main

from .conftest import ROOT


def _commands(group: click.Group, prefix: str = "kit") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        out.append(f"{prefix} {name}")
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, f"{prefix} {name}"))
    return out


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text("utf-8")
    for command in _commands(main):
        assert command in readme, f"README.md does not mention `{command}`"


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text("utf-8")
    test_command = "python3 -m pip install '.[test]' && python3 -m pytest"
    assert (
        "python3 -m pip install . && kit poster --locale ja --output poster-ja.pdf"
        " && kit text --locale ja"
    ) in readme
    assert test_command in readme
    assert test_command in (ROOT / ".ci" / "run").read_text("utf-8")
