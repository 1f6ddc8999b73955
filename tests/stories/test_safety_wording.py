"""The campaign's rules of protective wording, held in every shipped catalog wherever a rule
can be read from the text, so that a fix cannot quietly come back.

A child who has already sent a photo, or is being threatened now, reads these sentences
literally. The word lists below are each language's own words for what a rule names
("account", "online", "impossible", "more"): a translation that drops or adds them breaks
the rule, whatever else it says.
"""

from __future__ import annotations

import json
import re

import polib
import pytest

from kit.campaign import load_campaign
from kit.ruby import strip_ruby

from ..conftest import LOCALES

CATALOGS = {p.parts[-3]: p for p in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))}
CAMPAIGN = load_campaign()


def text(locale: str, msg_id: str) -> str:
    """Every form of the message's translation, as printed (furigana removed)."""
    po = polib.pofile(str(CATALOGS[locale]))
    entry = next(e for e in po if e.msgctxt == msg_id and not e.obsolete)
    forms = [entry.msgstr, *entry.msgstr_plural.values()] if entry.msgid_plural else [entry.msgstr]
    return strip_ruby(" ".join(f for f in forms if f)).casefold()


def test_every_locale_has_its_words():
    """A new catalog must bring its words before these rules can hold it."""
    for table in (ACCOUNT, IMAGE, ONLINE, IMPOSSIBLE, MORE):
        assert set(table) == set(CATALOGS)


# The word for the offender's account, and for the photos that are never captured.
ACCOUNT = {
    "en": ["account"],
    "ja": ["アカウント"],
    "ja@easy": ["アカウント"],
    "ko": ["계정"],
    "zh_Hans": ["账号", "帐号", "账户"],
    "th": ["บัญชี"],
    "vi": ["tài khoản"],
    "es": ["cuenta"],
    "pt_BR": ["conta", "perfil"],
    "fil": ["account"],
    "id": ["akun"],
    "ar": ["حساب"],
    "ne": ["खाता", "अकाउन्ट"],
}
IMAGE = {
    "en": ["photo", "image"],
    "ja": ["写真", "画像"],
    "ja@easy": ["写真"],
    "ko": ["사진"],
    "zh_Hans": ["照片", "图片"],
    "th": ["รูป", "ภาพ"],
    "vi": ["ảnh"],
    "es": ["foto", "imagen", "imágenes"],
    "pt_BR": ["foto", "imagem", "imagens"],
    "fil": ["larawan", "litrato"],
    "id": ["foto", "gambar"],
    "ar": ["صور", "صورة"],
    "ne": ["फोटो", "तस्बिर"],
}


@pytest.mark.parametrize("msg_id", ["help_evidence", "adults_act"])
@pytest.mark.parametrize("locale", sorted(CATALOGS))
def test_evidence_names_the_account_and_the_photos_left_out(locale, msg_id):
    said = text(locale, msg_id)
    assert any(w in said for w in ACCOUNT[locale]), f"{locale} {msg_id} names no account: {said}"
    assert any(w in said for w in IMAGE[locale]), f"{locale} {msg_id} leaves no photo out: {said}"


def test_the_source_says_never_the_photos():
    assert "never the photos" in text("en", "help_evidence")
    assert "never the images the child was made to send" in text("en", "adults_act")
    # Not "the child's images", which a parent can read as any photo of their child.
    assert "child's images" not in text("en", "adults_act")
    assert "子どもの写真" not in text("ja", "adults_act")
    assert "送らされた" in text("ja", "adults_act")
    # Easy Japanese has no causative-passive (issue 25): the photos the child sent.
    assert "子どもが送った写真" in text("ja@easy", "adults_act")
    assert "子どもの写真" not in text("ja@easy", "adults_act")


# Words that would narrow "don't take or send them" to people met online.
ONLINE = {
    "en": ["online", "internet", "met "],
    "ja": ["ネット", "知り合"],
    "ja@easy": ["ネット", "知り合"],
    "ko": ["온라인", "인터넷", "만난"],
    "zh_Hans": ["网上", "网络", "认识"],
    "th": ["ออนไลน์", "อินเทอร์เน็ต", "รู้จัก"],
    "vi": ["trên mạng", "trực tuyến", "quen"],
    "es": ["en línea", "internet", "conociste"],
    "pt_BR": ["on-line", "online", "internet", "conheceu"],
    "fil": ["online", "internet", "nakilala"],
    "id": ["online", "daring", "internet", "kenal"],
    "ar": ["الإنترنت", "عبر الإنترنت", "تعرفت"],
    "ne": ["अनलाइन", "इन्टरनेट", "चिनेको"],
}


@pytest.mark.parametrize("locale", sorted(CATALOGS))
def test_the_headline_is_not_narrowed_to_online_contacts(locale):
    said = text(locale, "headline_students")
    assert not [w for w in ONLINE[locale] if w in said], f"{locale}: {said}"


IMPOSSIBLE = {
    "en": ["impossible", "never get", "cannot"],
    "ja": ["不可能", "できず", "できない", "できません"],
    "ja@easy": ["不可能", "できず", "できない", "できません"],
    "ko": ["불가능", "없습니다", "없어요"],
    "zh_Hans": ["不可能", "无法"],
    "th": ["เป็นไปไม่ได้", "ไม่ได้เลย"],
    "vi": ["không thể"],
    "es": ["imposible"],
    "pt_BR": ["impossível"],
    "fil": ["imposible", "hindi na"],
    "id": ["mustahil", "tidak mungkin", "tidak bisa"],
    "ar": ["مستحيل", "لا يمكن"],
    "ne": ["असम्भव", "सकिँदैन"],
}


@pytest.mark.parametrize("locale", sorted(CATALOGS))
def test_a_spread_image_is_very_hard_to_get_back_not_hopeless(locale):
    said = text(locale, "advice_cannot_recover")
    assert not [w for w in IMPOSSIBLE[locale] if w in said], f"{locale}: {said}"


def test_the_japanese_uses_the_npas_own_words():
    assert "回収が困難" in text("ja", "advice_cannot_recover")
    assert "撮らない" in text("ja", "headline_students")
    assert "送らない" in text("ja", "headline_students")


# "a photo, or any more photos": the advice does not reproach a child who already sent one.
MORE = {
    "en": ["any more"],
    "ja": ["それ以上", "これ以上"],
    "ja@easy": ["これ以上", "それ以上", "これからは"],  # from now on
    "ko": ["더"],
    "zh_Hans": ["再", "更多"],
    "th": ["อีก"],
    "vi": ["thêm"],
    "es": ["más"],
    "pt_BR": ["mais"],
    "fil": ["dagdag", "muli", "pa", "pang"],
    "id": ["lagi"],
    "ar": ["المزيد", "أخرى", "مزيد"],
    "ne": ["थप", "अरू"],
}


# Written without spaces between words, or with particles joined on (Korean 더는): there a
# word is found inside the text; elsewhere only as a whole word ("pa" is in "magpadala").
RUN_TOGETHER = {"ja", "ja@easy", "zh_Hans", "th", "ko"}


@pytest.mark.parametrize("locale", sorted(CATALOGS))
def test_stopping_is_advised_to_a_child_who_already_sent_one(locale):
    said = text(locale, "help_stop")
    if locale in RUN_TOGETHER:
        assert any(w in said for w in MORE[locale]), said
    else:
        assert any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", said) for w in MORE[locale]), said


# A period said relative to the reader ("this half-year", "last year") is wrong on every day
# but one: the figures are for January–June 2017, and a message names them absolutely.
RELATIVE = ["この半年", "去年", "昨年", "last year", "this year", "tahun lalu", "năm ngoái"]
RELATIVE += ["noong isang taon", "nakaraang taon", "ano passado", "año pasado"]


@pytest.mark.parametrize("locale", sorted(CATALOGS))
def test_no_period_is_relative_to_the_reader(locale):
    for msg in CAMPAIGN.messages:
        said = text(locale, msg.id)
        assert not [w for w in RELATIVE if w in said], f"{locale} {msg.id}: {said}"


def test_the_rules_reach_every_translator():
    assert len(CAMPAIGN.wording) >= 5
    for path in [*CATALOGS.values(), LOCALES / "messages.pot"]:
        header = polib.pofile(str(path)).header
        for rule in CAMPAIGN.wording:
            assert rule in header.replace("\n", " "), f"{path}: {rule}"


def test_no_catalog_claims_a_review_that_did_not_happen(kit):
    rows = {r["locale"]: r for r in json.loads(kit("locales", "--format", "json").stdout)}
    assert set(CATALOGS) <= set(rows)
    for locale in CATALOGS:
        review = rows[locale]["review"]
        po = polib.pofile(str(CATALOGS[locale]))
        assert po.metadata.get("X-Review", "").strip() == review
        if any("fuzzy" in e.flags for e in po):
            assert review.startswith("none"), f"{locale} is a draft but says {review!r}"
        # Nobody outside the project has reviewed any catalog yet: none may say so.
        assert "native speaker" not in review or "not yet" in review or review.startswith("none")
