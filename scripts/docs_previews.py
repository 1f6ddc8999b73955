"""Regenerate the poster previews shown in README.md (docs/*.png).

    python scripts/docs_previews.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "kit" / "profiles" / "example.toml"


def main() -> None:
    for locale in ("en", "ja"):
        for audience in ("students", "guardians"):
            out = ROOT / "docs" / f"poster-{locale}-{audience}.png"
            subprocess.run([sys.executable, "-m", "kit", "poster", "--locale", locale,
                            "--audience", audience, "--size", "a4", "--org", str(PROFILE),
                            "--ppi", "50", "--output", str(out)], check=True)


if __name__ == "__main__":
    main()
