"""The shape of the code as a maintainer meets it: no import cycles, the campaign owning its
vocabulary (a campaign with a third audience works without touching Python)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .conftest import CAMPAIGN, ROOT

PACKAGE = ROOT / "kit"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(name: str, modules: set[str]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    """kit module -> the kit modules it imports, at module level or inside functions."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in files.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        package.split(".")[: len(package.split(".")) - node.level + 1]
                        + ([base] if base else [])
                    )
                targets = [f"{base}.{a.name}" for a in node.names] + [base]
            for target in targets:
                found = _resolve(target, modules) if target.startswith("kit") else None
                if found and found != module:
                    graph[module].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_function_level_imports():
    graph = import_graph()
    assert "kit.locales" in graph["kit.cli.common"]  # imported inside a function there
    assert "kit.errors" in graph["kit.locales"]


def test_no_two_modules_import_each_other_even_inside_functions():
    assert cycles(import_graph()) == []


def _teachers_campaign(tmp_path: Path) -> Path:
    """The shipped campaign with a third audience, `teachers`, shown the guardians' sections
    and poster: data only, no Python."""
    text = CAMPAIGN.read_text("utf-8")
    audiences = re.search(r"^\[audiences\.guardians\]\n(?:.+\n)*", text, re.M)
    posters = re.search(r"^\[posters\.guardians\]\n(?:.+\n)*", text, re.M)
    assert audiences and posters
    text += "\n" + audiences.group().replace("[audiences.guardians]", "[audiences.teachers]")
    text += "\n" + posters.group().replace("[posters.guardians]", "[posters.teachers]")
    # Every message the guardians see, the teachers see too.
    text = re.sub(r'^(audience = \[[^\]]*"guardians")', r'\1, "teachers"', text, flags=re.M)
    path = tmp_path / "teachers.toml"
    path.write_text(text, "utf-8")
    return path


def test_a_campaign_with_a_teachers_audience_renders_text_a_poster_and_a_build(
    kit, tmp_path, locales
):
    campaign = _teachers_campaign(tmp_path)
    common = ["--campaign", str(campaign), "--locales", str(locales)]
    result = kit("text", "--locale", "ja", "--audience", "teachers", *common)
    assert result.exit_code == 0, result.output
    assert "263人" in result.stdout
    result = kit(
        "poster", "--locale", "en", "--audience", "teachers", "-o", str(tmp_path / "t.pdf"), *common
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "t.pdf").read_bytes().startswith(b"%PDF")
    result = kit(
        "build",
        "--output",
        str(tmp_path / "dist"),
        "--locale",
        "en",
        "--sizes",
        "a4",
        "--formats",
        "pdf",
        "--audiences",
        "teachers",
        *common,
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dist/kit/en/teachers/poster-a4.pdf").is_file()
    assert (tmp_path / "dist/kit/en/teachers/text.md").is_file()


def test_an_audience_the_campaign_lacks_is_a_usage_error_naming_the_campaigns(kit):
    result = kit("text", "--locale", "en", "--audience", "teachers")
    assert result.exit_code == 2
    assert "choose from students, guardians" in result.output


def _commands(group, prefix=""):
    import click

    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_path_option_says_whether_the_command_reads_or_writes_it():
    """The overwrite guard protects what InputPath options name and checks what OutputPath
    ones name: a path option of neither kind (a new --out-dir) would slip past it."""
    import click

    from kit.cli import main
    from kit.cli.common import InputPath, KitCommand, OutputPath

    untyped = []
    for name, command in _commands(main):
        assert isinstance(command, KitCommand), name  # its RequestError is a usage error
        for param in command.params:
            if isinstance(param.type, click.Path) and not isinstance(
                param.type, InputPath | OutputPath
            ):
                untyped.append(f"kit {name} {param.name}")
    assert untyped == []
