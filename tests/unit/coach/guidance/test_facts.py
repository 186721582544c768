"""Every fact is dated and traceable, and every legal claim the coach shows has one behind it.

- Each fact in content/facts.yml has a source, a status and the date it was checked;
  time-bound facts carry ISO valid_from / valid_until dates.
- No fact that a response or content file uses is past its valid_until (today's date).
- A law article, a hotline number or a percentage in a domain.yml response or in a
  content/*.yml text has a fact behind it (content/fact_refs.yml) that states it.
- The hotline rules of the domain facts: 12356 always with 110/120; 12378 only for banks,
  card centres and consumer-finance companies, with the route for small-loan companies.

Plain pyyaml, no Rasa import.
"""

import datetime
import re
from fnmatch import fnmatchcase

import pytest
import yaml

from coach.guidance.fact_refs import (
    ROOT,
    _walk,
    content_files,
    fact_usage,
    facts,
    facts_by_id,
    refs,
)
from tests.support.fact_claims import (
    claims_in,
    content_texts,
    fact_claims,
    response_texts,
    unbacked_claims,
)

STATUSES = {"verified", "reported", "lore"}
FACTS = facts()
BY_ID = facts_by_id()
TODAY = datetime.date.today()


def _date(value, fact_id, field):
    """A YAML date, or an ISO string; anything else fails."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        pytest.fail(f"{fact_id}: {field} {value!r} is not an ISO date (YYYY-MM-DD)")


def _all_user_texts():
    """(where, text) for every response variation and every scanned content string."""
    for name, text in response_texts():
        yield f"domain.yml: {name}", text
    for file_name, key, text in content_texts():
        yield f"{file_name}: {key}", text


# ------------------------------------------------------------------ dated and traceable


@pytest.mark.parametrize("entry", FACTS, ids=[f["id"] for f in FACTS])
def test_every_fact_has_a_source_a_status_and_a_check_date(entry):
    for field in ("source", "status", "checked_on", "text_zh"):
        assert entry.get(field), f"{entry['id']}: missing {field}"
    assert entry["status"] in STATUSES, entry["id"]
    checked = _date(entry["checked_on"], entry["id"], "checked_on")
    assert checked <= TODAY, f"{entry['id']}: checked_on is in the future"


@pytest.mark.parametrize("entry", FACTS, ids=[f["id"] for f in FACTS])
def test_validity_dates_are_iso_and_in_order(entry):
    start = entry.get("valid_from")
    end = entry.get("valid_until")
    if start is not None:
        start = _date(start, entry["id"], "valid_from")
    if end is not None:
        end = _date(end, entry["id"], "valid_until")
    if start and end:
        assert start <= end, f"{entry['id']}: valid_from after valid_until"
    if entry.get("superseded_by"):
        assert entry["superseded_by"] in BY_ID, entry["id"]
        assert end, f"{entry['id']}: a superseded fact needs the valid_until it ended on"


def test_no_used_fact_is_past_its_valid_until():
    expired = {}
    for fact_id, places in fact_usage().items():
        end = BY_ID[fact_id].get("valid_until")
        if places and end and _date(end, fact_id, "valid_until") < TODAY:
            expired[fact_id] = places
    assert not expired, f"facts past their valid_until are still used: {expired}"


def test_facts_are_worded_for_their_status():
    for entry in FACTS:
        text = entry["text_zh"]
        if entry["status"] == "reported":
            assert "据" in text, f"{entry['id']}: a reported fact says 据…"
        if entry["status"] == "lore":
            assert "经验" in text, f"{entry['id']}: lore says 经验上"
            assert re.search(
                r"没有规定|不是规定|不能当作规定|没有义务", text
            ), f"{entry['id']}: lore says nothing obliges the lender"


# ------------------------------------------------------------------ the claim pattern


@pytest.mark.parametrize(
    "text, expected",
    [
        ("《刑法》第196条", {"第196条"}),
        ("刑法第一百九十六条", {"第196条"}),
        ("《民法典》第1032、1033条", {"第1032条", "第1033条"}),
        ("第一千零三十二条", {"第1032条"}),
        ("《刑法》第二百九十三条之一", {"第293条之一"}),
        ("Measures Art. 70", {"第70条"}),
        ("打 12378 投诉，或 110", {"12378", "110"}),
        ("反诈专线96110", {"96110"}),
        ("上限是结余的90%，也就是百分之九十", {"90%"}),
        ("百分之七十五", {"75%"}),
        ("例如：12000元、120天、110个月、1.2万、2026年", set()),
        ("fact hotline_12378", set()),
    ],
)
def test_the_claims_a_text_states_are_found(text, expected):
    assert claims_in(text) == expected


# ------------------------------------------------------------------ a fact behind every claim


def test_fact_refs_name_real_facts_and_real_texts():
    spec = refs()
    responses = {name for name, _ in response_texts()}
    for name, ids in (spec.get("responses") or {}).items():
        assert name in responses, f"fact_refs.yml: no response {name} in domain.yml"
        for fact_id in ids:
            assert fact_id in BY_ID, f"fact_refs.yml: {name} names unknown fact {fact_id}"
    files = {path.name: path for path in content_files()}
    for file_name, entries in (spec.get("content") or {}).items():
        assert file_name in files, f"fact_refs.yml: no content file {file_name}"
        with files[file_name].open(encoding="utf-8") as handle:
            paths = {key for key, value in _walk(yaml.safe_load(handle)) if isinstance(value, str)}
        for key, ids in entries.items():
            assert key in paths, f"fact_refs.yml: no text {key} in {file_name}"
            for fact_id in ids:
                assert fact_id in BY_ID, f"fact_refs.yml: {key} names unknown fact {fact_id}"
    for file_name, patterns in (spec.get("not_user_facing") or {}).items():
        assert file_name in files, f"fact_refs.yml: no content file {file_name}"
        with files[file_name].open(encoding="utf-8") as handle:
            paths = [key for key, _ in _walk(yaml.safe_load(handle))]
        for pattern in patterns:
            assert any(
                fnmatchcase(path, pattern) for path in paths
            ), f"fact_refs.yml: not_user_facing {pattern} matches nothing in {file_name}"


def test_every_claim_in_a_response_has_a_fact_behind_it():
    missing = {}
    for name, text in response_texts():
        unbacked = unbacked_claims("domain.yml", name, text)
        if unbacked:
            missing.setdefault(name, set()).update(unbacked)
    assert not missing, (
        f"responses state these without a fact behind them (add the fact ids to "
        f"content/fact_refs.yml, or fix the text): {missing}"
    )


def test_every_claim_in_a_content_text_has_a_fact_behind_it():
    missing = {}
    for file_name, key, text in content_texts():
        unbacked = unbacked_claims(file_name, key, text)
        if unbacked:
            missing[f"{file_name}: {key}"] = unbacked
    assert not missing, (
        f"content texts state these without a fact behind them (add the fact ids to "
        f"content/fact_refs.yml, or fix the text): {missing}"
    )


def test_every_fact_stands_behind_its_own_claims():
    # Claims in the catalogue come from its own texts; this guards cites against typos.
    for entry in FACTS:
        assert claims_in(entry["text_zh"]) <= fact_claims(entry), entry["id"]


# ------------------------------------------------------------------ hotline rules


def _texts_with(number):
    texts = list(_all_user_texts())
    texts += [(f"facts.yml: {f['id']}", f["text_zh"]) for f in FACTS]
    return [(where, text) for where, text in texts if number in claims_in(text)]


def test_12356_always_comes_with_the_110_and_120_fallback():
    texts = _texts_with("12356")
    assert texts
    for where, text in texts:
        assert "110" in text and "120" in text, f"{where}: 12356 without 打不通就打110或120"


def test_12378_is_named_for_banks_only_with_the_small_loan_route():
    for where, text in _texts_with("12378"):
        file_name, _, _ = where.partition(": ")
        assert "银行" in text, f"{where}: 12378 is for banks, card centres, consumer finance"
        if file_name != "facts.yml":
            assert (
                "地方金融管理" in text or "互联网金融协会" in text
            ), f"{where}: name the local financial regulator or NIFA for 小贷/网贷"


def test_the_revised_public_security_law_is_cited_by_name_only():
    texts = list(_all_user_texts()) + [(f["id"], f["text_zh"]) for f in FACTS]
    for where, text in texts:
        if "治安管理处罚法" in text:
            articles = {c for c in claims_in(text) if c.startswith("第")}
            assert not articles, f"{where}: cite the revised law by name, not {articles}"


# ------------------------------------------------------------------ paths outside the repo

# ------------------------------------------------------------------ the review table


def test_docs_facts_md_is_up_to_date():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_facts", ROOT / "scripts" / "make_facts.py")
    make_facts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_facts)
    current = (ROOT / "docs" / "facts.md").read_text(encoding="utf-8")
    assert current == make_facts.render(), "run .venv/bin/python scripts/make_facts.py"


# ------------------------------------------------------------------ the old-debt gate (issue 24)

# Words that admit a debt or advise paying before its age is known. No text says them
# unconditionally: a script that admits the debt is shown only once the old-debt gate has
# passed (coach/guidance/old_debt.py; tests/unit/coach/guidance/test_scripts.py).
NEVER_SAID = ("能还多少先还多少", "我知道已经逾期", "我是借款人本人，我知道", "我是这笔")


def test_no_text_advises_paying_a_little_first_or_opens_by_admitting_the_debt():
    offending = [
        (where, words) for where, text in _all_user_texts() for words in NEVER_SAID if words in text
    ]
    assert not offending, offending


def test_reported_and_lore_facts_used_by_the_new_answers_keep_their_wording():
    answers = yaml.safe_load((ROOT / "content" / "answers.yml").read_text(encoding="utf-8"))
    for intent in ("ask_enforceable_paper", "ask_personalised_instalment", "ask_borrow_to_repay",
                   "ask_change_number", "ask_savings_payment"):  # fmt: skip
        for fact_id in answers["topics"][intent]["fact_ids"]:
            entry = BY_ID[fact_id]
            assert entry["checked_on"] and entry["source"], fact_id
            marker = {"reported": "据", "lore": "经验"}.get(entry["status"])
            assert marker is None or marker in entry["text_zh"], fact_id
