"""kit writes PO files exactly as GNU msgcat does, in every script the kit ships.

The shipped catalogs are compared with msgcat in tests/stories/test_shipped_catalogs.py;
here, generated translation-like strings. Known to differ from libunistring (an older
tailoring of UAX #14) and left so: a tab inside a string, and some runs of brackets and
quotes with no space between them. The strings are the same either way; only where a
long line wraps differs."""

from __future__ import annotations

import random
import subprocess

import polib

from kit.catalog.pofile import Catalog, format_po

from ..conftest import tool

# Pieces of realistic translations, per script, and what any of them may contain.
SCRIPTS = {
    "latin": [
        "Tell an adult you trust,",
        "junior-high school",
        "Tiếng Việt",
        "São Paulo",
        "don't send photos.",
        "the police's advice",
        "back\\slash",
        "—",
        "(no one)",
    ],
    "ja": [
        "「自画撮り被害」から",
        "写真は送らないで。",
        "ネットで知り合った人に、",
        "中学生 139人",
        "2017年1月～6月",
        "（前年同期比）",
        "…",
    ],
    "zh": ["不要发送照片，", "《每日新闻》", "儿童色情", "据报道"],
    "ko": ["사진을 보내지 마세요.", "아동·청소년", "신뢰할 수 있는 어른에게"],
    "th": ["ผู้ใหญ่ที่ไว้ใจได้", "อย่าส่งรูปภาพ", "ตำรวจ"],
    "ne": ["नमस्ते क्षत्रिय।", "बालबालिका", "प्रहरीसँग कुरा गर्नुहोस्।"],
    "ar": ["لا تُرسل صورًا، أبدًا؟", "الشرطة", "شخص بالغ تثق به"],
}
COMMON = ["(85.9%)", "+10%", "{count}", "{period},"]


def random_strings(n: int) -> list[str]:
    """Translation-like strings: one script's pieces with figures and placeholders."""
    rng = random.Random(7)
    out = []
    for i in range(n):
        script = list(SCRIPTS)[i % len(SCRIPTS)]
        parts = rng.choices(SCRIPTS[script] + COMMON, k=rng.randint(1, 16))
        joiner = "" if script in ("ja", "zh") and rng.random() < 0.7 else " "
        out.append(joiner.join(parts) + rng.choice(["", "\n", " "]))
    return out


def test_format_is_byte_identical_to_gnu_msgcat(tmp_path):
    po = Catalog()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ja"}
    for i, s in enumerate(random_strings(1500)):
        entry = polib.POEntry(
            msgctxt=f"m{i}", msgid=s, msgstr=s, occurrences=[("campaign.toml", str(i))]
        )
        if i % 5 == 0:
            entry.flags.append("fuzzy")
        po.append(entry)
    path = tmp_path / "x.po"
    path.write_text(format_po(po), "utf-8")
    gnu = subprocess.run(
        [tool("msgcat", "gettext"), "--width=79", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert gnu.stdout == path.read_text("utf-8")
