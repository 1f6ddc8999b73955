"""Set-up and where things are, as a new NGO, teacher or translator meets them (issue 23,
items 15-17): a folder of one's own, kit saying which catalogs it reads, the credit line
in the poster's language, outputs that stay out of git, a route to send work back."""

from __future__ import annotations

import subprocess

import pymupdf

from ..conftest import ROOT
from ..test_profile import lines


def test_kit_init_makes_a_folder_that_kit_then_works_in(kit, tmp_path, monkeypatch):
    """The installed catalogs are read-only and nothing copied them out."""
    folder = tmp_path / "our-kit"
    result = kit("init", str(folder))
    assert result.exit_code == 0, result.output
    assert f"made {folder}: campaign.toml, 13 catalogs in locales/" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == [
        "campaign.toml",
        "example-logo.svg",
        "kit.toml",
        "locales",
        "profile.toml",
    ]
    monkeypatch.chdir(folder)
    listed = kit("locales")
    assert f"catalogs: {folder / 'locales'} (set in {folder / 'kit.toml'})" in listed.stderr
    # A reviewer's work lands in the copy: the spreadsheet round trip writes there.
    assert kit("catalog", "export", "vi", "--to", "vi.csv").exit_code == 0
    imported = kit("catalog", "import", "vi.csv", "--locale", "vi")
    assert imported.exit_code == 0, imported.output
    assert str(folder / "locales/vi/LC_MESSAGES/messages.po") in imported.stderr
    assert kit("poster", "-l", "ja", "--org", "profile.toml", "-o", "p.pdf").exit_code == 0
    again = kit("init", str(folder))
    assert again.exit_code == 1 and "already exists and is not empty" in again.stderr


def test_kit_locales_says_the_installed_catalogs_are_read_only(kit, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = kit("locales")
    assert "(installed with kit, read-only: `kit init DIR` copies them" in result.stderr


def test_catalog_init_without_a_template_says_how_to_make_one(kit, tmp_path):
    folder = tmp_path / "mylocales"
    folder.mkdir()
    result = kit("catalog", "init", "fr", "--locales", str(folder))
    assert result.exit_code == 1
    assert f"`kit catalog extract --output {folder / 'messages.pot'}`" in result.stderr


def test_catalog_stats_takes_locales_like_every_catalog_command(kit):
    result = kit("catalog", "stats", "vi", "pt-BR")
    assert result.exit_code == 0, result.output
    rows = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert rows == ["pt_BR", "vi"]


def test_the_translation_credit_is_in_the_posters_language(kit, tmp_path):
    """It read `Tradução  kit contributors (draft)`: English inside a Portuguese poster."""
    for locale in ("pt_BR", "ja@easy", "vi"):
        out = tmp_path / "p.pdf"
        assert kit("poster", "-l", locale, "--draft", "-o", str(out)).exit_code == 0
        credit = next(x for x in lines(out.read_bytes()) if x.endswith("kit"))
        assert "contributors" not in credit and "draft" not in credit, credit
        with pymupdf.open(out) as doc:
            text = doc[0].get_text()
        assert "contributors" not in text and "(draft)" not in text


def test_outputs_made_in_the_checkout_stay_out_of_git():
    names = ["poster-ja.pdf", "preview-fr.png", "poster.svg", "letter.html", "vi.xlsx"]
    ignored = subprocess.run(
        ["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert ignored == names


def test_a_translator_has_a_route_to_send_work_back():
    contributing = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    assert "## Sending your work back" in contributing
    assert "X-Review" in contributing and "kit catalog check" in contributing
    assert "CONTRIBUTING.md" in (ROOT / "README.md").read_text("utf-8")


def test_the_readme_set_up_makes_its_own_environment_and_ci_runs_it_as_written():
    """The first command failed on Debian's Python (PEP 668), and `kit` was not found in a
    venv that was not activated."""
    readme = (ROOT / "README.md").read_text("utf-8")
    setup = readme[readme.index("## Set-up") : readme.index("## Using")]
    commands = [x[4:] for x in setup.splitlines() if x.startswith("    python3 -m venv")]
    assert len(commands) == 2
    assert all(c.startswith("python3 -m venv .venv && .venv/bin/pip install ") for c in commands)
    assert ".venv/bin/kit poster" in commands[0] and ".venv/bin/python -m pytest" in commands[1]
    assert "PEP 668" in setup and "python3-venv" in setup
    ci = (ROOT / ".ci/run").read_text("utf-8")
    assert (
        'bash -euo pipefail -c "${SETUP[0]}"' in ci and 'bash -euo pipefail -c "${SETUP[1]}"' in ci
    )
