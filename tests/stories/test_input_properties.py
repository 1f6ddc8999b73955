"""Properties over generated input (hypothesis): a campaign with any value of any type in
any field is either refused with a CampaignError or usable everywhere; a mail-merge CSV
written by any spreadsheet's quoting comes back row for row, nothing merged or lost."""

from __future__ import annotations

import copy
import csv
import io
import math
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.batch.orgs import read_orgs, slugify
from kit.campaign import Campaign, _Validator
from kit.errors import CampaignError
from kit.localize import format_fact, localize

from ..conftest import CAMPAIGN, LOCALES

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
RAW = CAMPAIGN.read_text("utf-8")
BASE = tomllib.loads(RAW)
DELETE = object()

# Where a campaign's values are: top level, facts of each kind, citations, messages with
# and without figures, sections, audiences, poster layouts.
FIELDS: list[tuple[Any, ...]] = [
    ("id",),
    ("title",),
    ("source_locale",),
    ("revised",),
    ("citations",),
    ("facts",),
    ("facts", "selfie_victims", "value"),
    ("facts", "selfie_victims", "kind"),
    ("facts", "selfie_victims", "citation"),
    ("facts", "never_met", "value"),
    ("facts", "selfie_victims_change", "value"),
    ("facts", "period", "start"),
    ("facts", "period", "end"),
    ("facts", "article_date", "value"),
    ("citations", "npa", "url"),
    ("citations", "npa", "date"),
    ("citations", "npa", "outlet"),
    ("messages",),
    ("messages", 0, "id"),
    ("messages", 0, "text"),
    ("messages", 0, "audience"),
    ("messages", 0, "budget"),
    ("messages", 0, "role"),
    ("messages", 0, "section"),
    ("messages", 27, "args"),
    ("messages", 27, "plural_arg"),
    ("messages", 27, "plural"),
    ("messages", 34, "args"),
    ("sections", "advice", "heading"),
    ("sections", "advice", "list"),
    ("audiences", "students", "sections"),
    ("audiences", "students", "name"),
    ("posters",),
    ("posters", "students"),
    ("posters", "students", "widths"),
    ("posters", "students", "print"),
    ("posters", "students", "square"),
]

SCALARS = st.one_of(
    st.booleans(),
    st.integers(),
    st.sampled_from([0, -1, 10**12 + 1, 10**400, 2**63]),
    st.sampled_from([263, 85.9, 100, 0.0, 10**12, 1e-300, -100]),  # plausible: a campaign loads
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "x\n",
            "students",
            "npa",
            "selfie_victims",
            "count",
            "advice",
            "../x",
            "en@/../../x",
            "https://a@b/",
            "javascript:alert(1)",
        ]
    ),
    st.dates(),
    st.datetimes(),
    st.times(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def put(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    *parents, last = path
    for key in parents:
        data = data[key]
    if value is DELETE:
        del data[last]
    else:
        data[last] = value


@SETTINGS
@given(
    st.lists(st.tuples(st.sampled_from(FIELDS), VALUES | st.just(DELETE)), min_size=1, max_size=3)
)
def test_any_value_anywhere_is_refused_in_one_line_or_usable(changes):
    data = copy.deepcopy(BASE)
    for path, value in changes:
        try:
            put(data, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the parent
    try:
        campaign = _Validator(Path("campaign.toml"), RAW).campaign(data)
    except CampaignError as e:
        assert str(e).startswith("campaign.toml") and "\n" not in e.message.strip("\n")
        return
    usable(campaign)


def usable(campaign: Campaign) -> None:
    """What a loaded campaign promises: every figure prints, every audience localizes."""
    for fact in campaign.facts.values():
        for locale in ("en", "ja", "ar"):
            text = format_fact(fact, locale)
            assert text and "nan" not in text.lower() and "inf" not in text.lower()
    for audience in campaign.audiences:
        material = localize(campaign, campaign.source_locale, audience, LOCALES)
        assert material.source_url.startswith("https://")
    if campaign.facts.get("never_met") and campaign.facts["never_met"].kind == "percent":
        assert 0 <= campaign.facts["never_met"].value <= 100 and math.isfinite(
            campaign.facts["never_met"].value
        )


# ---- the mail-merge CSV -----------------------------------------------------------------------

# What partners type into a name or contact: letters of any script, digits, spaces and
# the punctuation that a CSV must quote (comma, double quote) or that kit splits on.
PRINTABLE = st.characters(
    whitelist_categories=("L", "N", "P", "S", "Zs"), blacklist_characters="\u2028\u2029"
)
FIELD = st.text(PRINTABLE, min_size=1, max_size=30).filter(lambda t: t.strip())
CONTACT = FIELD.filter(lambda t: "|" not in t)


@st.composite
def sheets(draw):
    rows = []
    for i in range(draw(st.integers(1, 8))):
        name = f"S{i} {draw(FIELD)}"[:80]
        contacts = draw(st.lists(CONTACT, max_size=3))
        joiner = draw(st.sampled_from(["|", "\n", "\r\n", " | "]))
        rows.append((name, contacts, joiner))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
    ending = draw(st.sampled_from(["\r\n", "\n"]))
    return rows, quoting, ending


@settings(max_examples=150, deadline=None)
@given(sheets())
def test_a_csv_in_any_quoting_comes_back_row_for_row(sheet):
    rows, quoting, ending = sheet
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=quoting, lineterminator=ending)
    writer.writerow(["name", "contacts"])
    for name, contacts, joiner in rows:
        writer.writerow([name, joiner.join(contacts)])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orgs.csv"
        path.write_text(buffer.getvalue(), "utf-8", newline="")
        result = read_orgs(path, ["en"])
    slugs = [slugify(n) for n, _, _ in rows]
    assert len(result.orgs) + len(result.bad) == len(rows)  # nothing merged, nothing lost
    for org in result.orgs:
        i = slugs.index(org.slug)
        name, contacts, _ = rows[i]
        assert org.profile is not None
        assert org.profile.name == name.strip()
        assert list(org.profile.contacts) == [c.strip() for c in contacts if c.strip()]
        assert org.row == i + 2
    for _, why in result.bad:  # refused only for what the profile rules refuse
        assert "contacts" in why or "longer than" in why or "same folder name" in why, why
