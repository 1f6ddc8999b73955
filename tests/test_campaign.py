"""The campaign is data, validated on load; every figure matches the NPA report exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from kit.campaign import load_campaign
from kit.errors import CampaignError

from .conftest import CAMPAIGN

# Transcribed from ../shared/source/FACTS.md, which carries the NPA's figures.
FACTS_MD = {
    "selfie_victims": ("count", 263),
    "selfie_victims_change": ("change", Decimal(10)),
    "selfie_share": ("percent", Decimal("44.3")),
    "selfie_junior_high": ("count", 139),
    "selfie_high_school": ("count", 101),
    "selfie_elementary": ("count", 17),
    "selfie_boys": ("count", 10),
    "never_met": ("percent", Decimal("85.9")),
    "knew_receiver": ("percent", Decimal("6.8")),
    "in_relationship": ("percent", Decimal("6.5")),
    "met_on_social_media": ("percent", Decimal("91.6")),
    "cp_victims_total": ("count", 594),
    "cp_victims_total_prev": ("count", 777),
    "rape_or_indecency": ("count", 84),
    "other_misconduct": ("count", 79),
}


def test_every_reported_figure_is_in_the_campaign_exactly():
    campaign = load_campaign()
    for fact_id, (kind, value) in FACTS_MD.items():
        fact = campaign.facts[fact_id]
        assert (fact.kind, fact.value) == (kind, value), fact_id
        assert campaign.citations[fact.citation].url.startswith("https://")
    assert campaign.facts["period"].value == (dt.date(2017, 1, 1), dt.date(2017, 6, 30))


def test_school_levels_are_kept_as_reported_not_forced_to_the_total():
    # 139 + 101 + 17 = 257 of the 263: the report does not place the other 6, and the
    # kit must not pretend it does (no "correcting" figures, no "by school level" total).
    campaign = load_campaign()
    levels = sum(
        campaign.facts[f].value
        for f in ("selfie_junior_high", "selfie_high_school", "selfie_elementary")
    )
    assert (levels, campaign.facts["selfie_victims"].value) == (257, 263)
    assert "school level" not in campaign.message("fig_by_level").text


def test_messages_cover_the_content_the_kit_promises():
    campaign = load_campaign()
    ids = {m.id for m in campaign.messages}
    for needed in (
        "advice_strangers",
        "advice_personal_info",
        "advice_no_photos",
        "advice_cannot_recover",
        "tactic_same_age",
        "tactic_listen",
        "tactic_details",
        "tactic_threaten",
        "help_stop",
        "help_no_pay",
        "help_evidence",
        "help_block",
        "help_tell",
        "help_not_your_fault",
        "fig_victims",
        "fig_never_met",
        "fig_social_media",
        "source_line",
    ):
        assert needed in ids
    npa_advice = [m for m in campaign.messages if m.id.startswith("advice_")]
    assert {m.provenance for m in npa_advice} == {"npa"}
    assert {m.provenance for m in campaign.messages if m.id.startswith("help_")} == {
        "common-practice"
    }
    # Counts that a noun agrees with carry plural forms.
    assert campaign.message("fig_victims").plural_arg == "count"


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = CAMPAIGN.read_text("utf-8")
    assert old in text, old
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(
        i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line
    )


@pytest.mark.parametrize(
    ("old", "new", "expected", "where"),
    [
        (
            "value = 263\n",
            "",
            "fact 'selfie_victims': 'value' is missing",
            "[facts.selfie_victims]",
        ),
        (
            "value = 263\n",
            'value = "263"\n',
            "a count must be a whole number",
            "[facts.selfie_victims]",
        ),
        ("value = 85.9\n", 'value = "85.9 %"\n', "a percent must be a number", "[facts.never_met]"),
        (
            'kind = "count"\nvalue = 10\n',
            'kind = "number"\nvalue = 10\n',
            "'kind' must be one of",
            "[facts.selfie_boys]",
        ),
        (
            'args = { share = "never_met" }',
            'args = { share = "never_seen" }',
            "placeholder {share} names fact 'never_seen', which is not in [facts]",
            'id = "fig_never_met"',
        ),
        (
            'text = "{share} of the victims',
            'text = "{shares} of the victims',
            "placeholder {shares} names no fact",
            'id = "fig_never_met"',
        ),
        (
            'id = "tactic_listen"',
            'id = "tactic_same_age"',
            "message id is used twice",
            'id = "tactic_listen"',
        ),
        (  # found by tests/stories/test_input_properties.py: it failed in localize instead
            'text = "{share} of the victims',
            'text = "\\b{share} of the victims',
            "'text' holds U+0008, a control character no poster prints",
            'id = "fig_never_met"',
        ),
        (
            'text = "{share} of the victims',
            'text = "\\u202e{share} of the victims',
            "'text' holds U+202E, a control character no poster prints",
            'id = "fig_never_met"',
        ),
    ],
)
def test_a_broken_campaign_names_file_line_and_id(tmp_path, old, new, expected, where):
    path = _broken(tmp_path, old, new)
    with pytest.raises(CampaignError) as err:
        load_campaign(path)
    message = str(err.value)
    assert expected in message
    assert message.startswith(f"{path}:")
    if where.startswith("[facts"):
        assert err.value.line == _line_of(path, where)
    else:
        # A message error points at its [[messages]] header: the last one before its id
        # (for a duplicate, the second message carrying the id).
        lines = path.read_text("utf-8").splitlines()
        id_lines = [
            i
            for i, text in enumerate(lines, 1)
            if text == where.replace("tactic_listen", "tactic_same_age")
        ]
        id_line = id_lines[-1]
        header = max(i for i, text in enumerate(lines[:id_line], 1) if text == "[[messages]]")
        assert err.value.line == header


def test_toml_syntax_error_names_the_line(tmp_path):
    path = _broken(tmp_path, 'kind = "count"\nvalue = 263', 'kind = "count\nvalue = 263')
    with pytest.raises(CampaignError) as err:
        load_campaign(path)
    assert err.value.line == _line_of(path, 'kind = "count') and "not valid TOML" in str(err.value)


def test_missing_campaign_file(tmp_path):
    with pytest.raises(CampaignError, match="campaign file not found"):
        load_campaign(tmp_path / "nope.toml")
