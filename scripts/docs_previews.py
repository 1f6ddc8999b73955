"""Regenerate the poster previews shown in README.md (docs/*.png).

python scripts/docs_previews.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "kit" / "data" / "profiles" / "example.toml"


DRAFTS = ("zh_Hans", "ko", "vi", "fil", "pt_BR", "ne", "id", "es", "th", "ar", "ja@easy")


def poster(
    locale: str, audience: str, ppi: str, *extra: str, name: str | None = None, size: str = "a4"
) -> None:
    out = ROOT / "docs" / f"poster-{name or locale.replace('@', '-')}-{audience}.png"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kit",
            "poster",
            "--locale",
            locale,
            "--audience",
            audience,
            "--size",
            size,
            "--org",
            str(PROFILE),
            "--ppi",
            ppi,
            "--output",
            str(out),
            *extra,
        ],
        check=True,
    )


def main() -> None:
    for locale in ("en", "ja"):
        for audience in ("students", "guardians"):
            poster(locale, audience, "50")
    # Bilingual: Japanese with English under it, on A3 (twice the text), beside the
    # Japanese and English ones.
    poster("ja", "guardians", "36", "--second-locale", "en", name="ja-en", size="a3")
    # The school's A4 with Vietnamese families: too small for both, so a side each.
    poster("ja", "guardians", "25", "--second-locale", "vi", "--draft", name="ja-vi-a4")
    for locale in DRAFTS:  # drafts awaiting review: marked as such on the poster
        poster(locale, "students", "40", "--draft")
    # Pointing to the site (kit site), which holds the drafts too: the QR code in the footer.
    site = ("--site-url", "https://example.org/advice/", "--draft")
    poster("ja", "students", "72", *site, name="ja-site")


if __name__ == "__main__":
    main()
