"""`kit init DIR`: a working folder of one's own, with the campaign and catalogs to edit."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import click

from kit.cli.common import KitCommand, OutputPath
from kit.errors import KitError

SETTINGS = """\
# kit's settings for this folder: kit run here, or in a folder below, reads the campaign
# and catalogs named here (not the read-only copies installed with kit).
locales = "locales"
campaign = "campaign.toml"
"""


@click.command(cls=KitCommand)
@click.argument("folder", type=OutputPath(path_type=Path, file_okay=False))
def init(folder: Path) -> None:
    """Make a working folder: the campaign, the catalogs and an example profile to edit.

    The catalogs installed with kit are read-only (a reinstall replaces them). This
    copies them, the campaign and the fictional example profile into FOLDER, with a
    kit.toml that points kit at them: run kit in FOLDER and every command (review,
    import, studio, build) works on your copies. FOLDER must not exist yet, or be empty.

    \b
    Examples:
      kit init our-kit && cd our-kit && kit locales
      kit init our-kit && cd our-kit && kit studio vi
    """
    from kit.campaign import default_campaign_path
    from kit.locales import DOMAIN, TEMPLATE, installed_locales_dir
    from kit.profile import example_profile_path

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise KitError("the folder already exists and is not empty; name a new one", file=folder)
    source = installed_locales_dir()
    parent = folder.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        # Made beside the folder and renamed into place: a folder half copied is never left.
        work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    except OSError as e:
        raise KitError(f"cannot make the folder ({e.strerror or e})", file=folder) from None
    try:
        (work / "locales").mkdir()
        shutil.copy2(source / TEMPLATE, work / "locales" / TEMPLATE)
        for po in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            target = work / "locales" / po.relative_to(source)
            target.parent.mkdir(parents=True)
            shutil.copy2(po, target)
        shutil.copy2(default_campaign_path(), work / "campaign.toml")
        profile = example_profile_path()
        shutil.copy2(profile, work / "profile.toml")
        shutil.copy2(profile.parent / "example-logo.svg", work / "example-logo.svg")
        (work / "kit.toml").write_text(SETTINGS, "utf-8")
        for path in work.rglob("*"):  # an installed copy may be read-only
            path.chmod(0o755 if path.is_dir() else 0o644)
        work.chmod(0o755)
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.replace(work, folder)
    except OSError as e:
        shutil.rmtree(work, ignore_errors=True)
        raise KitError(f"cannot make the folder ({e.strerror or e})", file=folder) from None
    count = len(list(folder.glob(f"locales/*/LC_MESSAGES/{DOMAIN}.po")))
    click.echo(
        f"made {folder}: campaign.toml, {count} catalogs in locales/, profile.toml (a "
        f"fictional example: put your organisation's own details in it) and kit.toml. "
        f"Next: cd {folder} && kit locales",
        err=True,
    )
