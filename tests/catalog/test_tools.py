"""pseudo, compile, stats, preview: the rest of the translator's tools."""

from __future__ import annotations

import gettext
import json
import threading
import time

import polib

from kit.campaign import load_campaign
from kit.catalog.preview import preview_once, watch_file
from kit.localize import localize
from kit.render.poster import PosterOptions, render_poster

from ..conftest import edit_entry
from ..render.test_poster import pdf_text, png_size, squash


def test_pseudo_locales_render_with_placeholders_intact(kit, locales):
    assert kit("catalog", "pseudo", "--locales", str(locales)).exit_code == 0
    xa = polib.pofile(str(locales / "en_XA/LC_MESSAGES/messages.po"))
    victims = next(e for e in xa if e.msgctxt == "fig_victims")
    assert "{period}" in victims.msgstr_plural[0] and "{count}" in victims.msgstr_plural[1]
    head = next(e for e in xa if e.msgctxt == "headline_students")
    assert head.msgstr.startswith("[Đóñ'ŧ") and len(head.msgstr) >= 1.4 * len(head.msgid)
    campaign = load_campaign()
    material = localize(campaign, "en_XA", "students", locales)
    assert material.complete and material.dir == "ltr"
    text = squash(pdf_text(render_poster(material, None, PosterOptions(size="a4"))))
    assert squash(next(b.text for b in material.blocks() if b.id == "help_tell")) in text
    rtl = localize(campaign, "ar_XB", "students", locales)
    assert rtl.dir == "rtl" and rtl.complete
    assert "263 children" in next(b.text for b in rtl.blocks() if b.id == "fig_victims")


def test_compile_makes_mo_files_without_fuzzy(kit, locales):
    po = locales / "ja/LC_MESSAGES/messages.po"
    edit_entry(po, "help_tell", fuzzy=True)
    assert kit("catalog", "compile", "ja", "--locales", str(locales)).exit_code == 0
    with (locales / "ja/LC_MESSAGES/messages.mo").open("rb") as f:
        t = gettext.GNUTranslations(f)
    assert t.pgettext(
        "help_block", "Block the account and report it to the app or site."
    ).startswith("相手の")
    tell = "Tell an adult you trust, such as someone in your family or a teacher."
    assert t.pgettext("help_tell", tell) == tell  # fuzzy: not in the .mo
    assert t.npgettext(
        "fig_boys",
        "{count} of the victims was a boy. It can happen to anyone.",
        "{count} of the victims were boys. It can happen to anyone.",
        10,
    ).startswith("被害")


def test_stats_counts_messages_and_words(kit, locales):
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", fuzzy=True)
    data = {
        d["locale"]: d
        for d in json.loads(
            kit("catalog", "stats", "--format", "json", "--locales", str(locales)).stdout
        )
    }
    ja = data["ja"]
    words = len(
        [
            "Tell",
            "an",
            "adult",
            "you",
            "trust,",
            "such",
            "as",
            "someone",
            "in",
            "your",
            "family",
            "or",
            "a",
            "teacher.",
        ]
    )
    assert (ja["fuzzy"], ja["fuzzy_words"]) == (1, words)
    assert ja["translated_words"] + words == data["en"]["translated_words"]
    assert "locale" in kit("catalog", "stats", "--locales", str(locales)).stdout


def test_preview_renders_and_reports(locales, tmp_path):
    out = tmp_path / "preview.png"
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="長すぎる文。" * 200)
    result = preview_once(load_campaign(), locales, "ja", "students", "a4", out)
    assert any(f.code == "length-budget" and f.msgid == "help_tell" for f in result.findings)
    assert result.status.startswith("no preview: ") and "too long" in result.status
    assert not out.exists()
    edit_entry(locales / "ja/LC_MESSAGES/messages.po", "help_tell", msgstr="大人に相談する。")
    result = preview_once(load_campaign(), locales, "ja", "students", "a4", out)
    assert result.status.startswith(f"wrote {out} (complete")
    assert png_size(out.read_bytes())[0] > 500


def test_watch_calls_back_when_the_file_is_saved(tmp_path):
    path = tmp_path / "x.po"
    path.write_text("a", "utf-8")
    calls = []
    stop = threading.Event()
    thread = threading.Thread(
        target=watch_file, args=(path, lambda: calls.append(1), 0.02, stop.is_set)
    )
    thread.start()
    time.sleep(0.1)
    path.write_text("bb", "utf-8")
    deadline = time.monotonic() + 5
    while not calls and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    thread.join()
    assert calls == [1]


def test_preview_command_once(kit, tmp_path):
    out = tmp_path / "p.png"
    result = kit("catalog", "preview", "ja", "--output", str(out))
    assert result.exit_code == 0 and out.exists() and f"wrote {out}" in result.stderr
