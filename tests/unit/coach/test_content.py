"""Checks on the coach's content: domain responses, content/facts.yml, content/scripts.yml.

Plain pyyaml, no Rasa import, so these run in well under a second.
"""

import re
import string

import pytest
import yaml

from coach.paths import ROOT
from tests.support.chat import STAGE_FIRST_INTENTS


def _load(rel):
    with (ROOT / rel).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


DOMAIN = _load("domain.yml")
RESPONSES = DOMAIN["responses"]
FACTS_FILE = _load("content/facts.yml")
FACTS = FACTS_FILE["facts"]
SCRIPTS = _load("content/scripts.yml")

STATUSES = {"verified", "reported", "lore"}
TOPICS = {
    "relief",
    "consequences",
    "collector_limits",
    "complaint_channel",
    "offer_formula",
    "coaching",
    "liability",
    "scam_warning",
}
SCRIPT_FIELDS = {
    "lender",
    "balance",
    "months_overdue",
    "opening_monthly",
    "opening_term",
    "ceiling_monthly",
    "ceiling_term",
    "lump_sum_offer",
    "reason",
}
SCRIPT_SECTIONS = ["opening", "attitude", "proposal", "waiver"]
COLLECTOR_MOVES = [
    "demands_full_today",
    "refuses_instalments",
    "threatens_lawsuit",
    "credit_record_ruined",
    "borrow_elsewhere",
    "down_payment_unaffordable",
]
# Variables the actions pass to responses (utter_message(response=..., label=...)).
RESPONSE_VARIABLES = {
    "label",
    "persona_label",
    "scenario",
    "day",
    "amount",
}  # day: utter_ask_contact_time, amount: utter_affordable_as_disposable

# Stage answers that must offer next steps as buttons. Left out on purpose:
# utter_assess_intro and utter_legal_rights_intro (one line said right before a form or
# an action that continues the answer) and utter_crisis (checked separately).
STAGE_ANSWERS = [
    "utter_collector_role",
    "utter_collection_process",
    "utter_express_anxiety",
    "utter_stay_calm",
    "utter_debt_details",
    "utter_record_keeping",
    "utter_report_abuse",
    "utter_express_stress",
    "utter_emotional_support",
    "utter_future_planning",
]
REQUIRED_RESPONSES = [
    "utter_greet",
    "utter_goodbye",
    "utter_thank",
    "utter_what_next",
    "utter_help",
    "utter_bot_challenge",
    "utter_out_of_scope",
    "utter_default",
    "utter_collector_role",
    "utter_collection_process",
    "utter_express_anxiety",
    "utter_stay_calm",
    "utter_debt_details",
    "utter_record_keeping",
    "utter_assess_intro",
    "utter_legal_rights_intro",
    "utter_report_abuse",
    "utter_express_stress",
    "utter_emotional_support",
    "utter_crisis",
    "utter_future_planning",
    "utter_legal_note",
    "utter_ask_balance",
    "utter_ask_lender_type",
    "utter_ask_months_overdue",
    "utter_ask_monthly_income",
    "utter_ask_monthly_expenses",
    "utter_ask_lump_sum",
    "utter_form_paused",
    "utter_not_understood_amount",
    "utter_not_understood_months",
    "utter_not_understood_lender",
    "utter_invalid_negative",
    "utter_invalid_too_large",
    "utter_invalid_expenses_far_above_income",
    "utter_invalid_balance_zero",
    "utter_figures_updated",
    "utter_offer_next",
    "utter_roleplay_intro",
    "utter_choose_persona",
    "utter_roleplay_ended_for_safety",
    "utter_roleplay_not_active",
    "utter_data_deleted",
    "utter_action_unavailable",
]

# Chinese service numbers: 110/119/120/122 style and 12xxx hotlines. A following 天, 元,
# 个月 … marks an amount or a duration, not a phone number.
HOTLINE_RE = re.compile(r"(?<![\d.])(1[12]\d|12\d{3})(?![\d.万千元块天个期%])")


def _strings(node):
    """Every string inside a YAML tree."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _response_texts():
    for name, variations in RESPONSES.items():
        for variation in variations:
            yield name, variation.get("text", "")


def _fact_numbers():
    return {str(f["number"]) for f in FACTS if f.get("number")}


def _payload_intent(payload):
    return re.match(r"/([a-z_]+)", payload).group(1)


def _sent_payload(payload):
    """The payload as Rasa sends it: response strings are formatted, so {{ }} become { }."""
    return payload.replace("{{", "{").replace("}}", "}")


# ------------------------------------------------------------------ facts


def test_every_fact_has_the_required_fields():
    ids = [f.get("id") for f in FACTS]
    assert len(ids) == len(set(ids)), "fact ids must be unique"
    for fact in FACTS:
        for key in ("id", "topic", "status", "source", "text_zh"):
            assert fact.get(key), f"{fact.get('id')}: missing {key}"
        assert re.fullmatch(r"[a-z0-9_]+", fact["id"]), fact["id"]
        assert fact["status"] in STATUSES, fact["id"]
        assert fact["topic"] in TOPICS, fact["id"]


def test_status_labels_cover_every_status():
    assert set(FACTS_FILE["status_labels"]) == STATUSES


def test_facts_are_phrased_according_to_their_status():
    for fact in FACTS:
        text = fact["text_zh"]
        if fact["status"] == "reported":
            assert "据" in text, f"{fact['id']}: a reported fact must say 据…"
        if fact["status"] == "lore":
            assert "经验" in text or "一般" in text, f"{fact['id']}: lore must be hedged"


def test_time_sensitive_collector_rules_keep_their_date():
    for fact in FACTS:
        if fact["topic"] == "collector_limits" and fact["status"] == "reported":
            assert fact.get("valid_from"), f"{fact['id']}: reported rule without valid_from"


def test_complaint_channels_have_a_number_field():
    for fact in FACTS:
        if fact["topic"] == "complaint_channel":
            assert "number" in fact, fact["id"]
            if fact["number"] is not None:
                assert str(fact["number"]) in fact["text_zh"], fact["id"]


def test_the_channels_of_the_brief_are_catalogued():
    assert {"12378", "12363", "110", "120", "12356", "12348"} <= _fact_numbers()


# ------------------------------------------------------------------ hotline numbers


def test_hotlines_in_domain_responses_are_in_the_facts():
    known = _fact_numbers()
    for name, text in _response_texts():
        for number in HOTLINE_RE.findall(text):
            assert number in known, f"{name} cites {number}, which is not in facts.yml"


def test_hotlines_in_scripts_are_in_the_facts():
    known = _fact_numbers()
    for text in _strings(SCRIPTS):
        for number in HOTLINE_RE.findall(text):
            assert number in known, f"scripts.yml cites {number}, not in facts.yml"


def test_hotline_pattern_ignores_amounts_and_durations():
    assert HOTLINE_RE.findall("打 12378 投诉，或 110") == ["12378", "110"]
    assert HOTLINE_RE.findall("例如：12000元、120天、110个月、1.2万") == []


# ------------------------------------------------------------------ domain responses


def test_all_required_responses_exist():
    missing = [name for name in REQUIRED_RESPONSES if name not in RESPONSES]
    assert not missing, missing


def test_every_variation_has_text_and_fits_a_chat_bubble():
    for name, text in _response_texts():
        assert text.strip(), name
        assert len(text) <= 180, f"{name}: {len(text)} characters"
        assert text.count("\n") <= 5, f"{name}: more than 6 lines"
        assert "#" not in text and "**" not in text, f"{name}: no markdown"


def test_response_variables_are_known():
    for name, text in _response_texts():
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        assert fields <= RESPONSE_VARIABLES, f"{name}: {fields - RESPONSE_VARIABLES}"


def test_button_payloads_name_domain_intents_and_entities():
    intents = {i if isinstance(i, str) else next(iter(i)) for i in DOMAIN["intents"]}
    entities = set(DOMAIN["entities"])
    for name, variations in RESPONSES.items():
        for variation in variations:
            for button in variation.get("buttons", []):
                payload = _sent_payload(button["payload"])
                assert button["title"].strip(), name
                assert payload.startswith("/"), f"{name}: {payload}"
                assert _payload_intent(payload) in intents, f"{name}: {payload}"
                match = re.match(r"/[a-z_]+(\{.*\})?$", payload)
                assert match, f"{name}: malformed payload {payload}"
                if match.group(1):
                    assert set(yaml.safe_load(match.group(1))) <= entities, payload


def test_braces_in_button_payloads_are_doubled():
    # A single {...} is read as a slot name: Rasa logs an ERROR that shows the slot values
    # (the user's figures) and sends the payload as it is.
    for name, variations in RESPONSES.items():
        for variation in variations:
            for button in variation.get("buttons", []):
                fields = [f for _, f, _, _ in string.Formatter().parse(button["payload"]) if f]
                assert not fields, f"{name}: write {{{{ and }}}} in {button['payload']}"


def test_variations_share_their_buttons():
    for name in RESPONSES:
        buttons = [v.get("buttons") for v in ordinary_variations(name)]
        assert all(b == buttons[0] for b in buttons), name


def test_stage_answers_offer_next_steps():
    for name in STAGE_ANSWERS:
        for variation in ordinary_variations(name):
            assert 2 <= len(variation.get("buttons", [])) <= 5, name
        assert len(ordinary_variations(name)) >= 2, f"{name}: give at least two variations"


def test_help_and_default_list_every_stage():
    for name in ("utter_help", "utter_default"):
        for variation in ordinary_variations(name):
            payloads = [b["payload"] for b in variation["buttons"]]
            assert payloads[:8] == STAGE_FIRST_INTENTS, name
            assert "/start_roleplay" in payloads, name


def ordinary_variations(name):
    return [v for v in RESPONSES[name] if not v.get("condition")]


def gentle_variations(name):
    """Variations said while crisis_care is set: from a crisis reply to the next task."""
    return [
        v
        for v in RESPONSES[name]
        if {"type": "slot", "name": "crisis_care", "value": True} in v.get("condition", [])
    ]


GENTLE_AFTER_A_CRISIS = [
    "utter_greet",
    "utter_thank",
    "utter_what_next",
    "utter_bot_challenge",
    "utter_out_of_scope",
    "utter_default",
    "utter_express_stress",
    "utter_express_anxiety",
    "utter_emotional_support",
    "utter_goodbye",
    "utter_ask_rephrase",
    # the practice call (issue 17): no practice button after a crisis
    "utter_hint_outside_round",
    "utter_roleplay_not_active",
]


@pytest.mark.parametrize("name", GENTLE_AFTER_A_CRISIS)
def test_the_turn_after_a_crisis_reply_stays_gentle(name):
    (gentle,) = gentle_variations(name)
    payloads = {b["payload"] for b in gentle.get("buttons", [])}
    assert not payloads & {"/request_repayment_plan", "/start_roleplay", "/ask_help"}, name
    for number in ("12356", "110", "120"):
        assert number in gentle["text"], (name, number)


def test_crisis_gives_the_emergency_numbers_in_every_variation():
    variations = RESPONSES["utter_crisis"]
    assert len(variations) >= 2
    for variation in variations:
        for number in ("12356", "110", "120"):
            assert number in variation["text"], number
        payloads = [b["payload"] for b in variation.get("buttons", [])]
        # The direct question of an unclear signal waits for the answer: no button at all.
        unclear = {"type": "slot", "name": "crisis_certainty", "value": "unclear"}
        expected = [] if unclear in variation.get("condition", []) else ["/ask_emotional_support"]
        assert payloads == expected


def test_legal_note_names_the_legal_aid_line():
    assert all("12348" in v["text"] for v in RESPONSES["utter_legal_note"])


def test_lender_buttons_cover_every_lender_type():
    for name in ("utter_ask_lender_type", "utter_not_understood_lender"):
        payloads = {_sent_payload(b["payload"]) for b in RESPONSES[name][0]["buttons"]}
        for lender in ("credit_card", "bank_loan", "online_lender", "other"):
            assert f'/inform_finances{{"lender_type":"{lender}"}}' in payloads


def test_form_messages_use_their_variable():
    for name in (
        "utter_not_understood_amount",
        "utter_invalid_negative",
        "utter_invalid_too_large",
    ):
        assert "{label}" in RESPONSES[name][0]["text"], name
    intro = RESPONSES["utter_roleplay_intro"][0]["text"]
    assert "{persona_label}" in intro and "{scenario}" in intro


# ------------------------------------------------------------------ scripts


def test_scripts_have_every_section_and_move():
    for section in SCRIPT_SECTIONS:
        assert SCRIPTS[section]["say"].strip(), section
    for move in COLLECTOR_MOVES:
        entry = SCRIPTS["collector_moves"][move]
        assert entry["explain"].strip() and entry["say"].strip(), move
    assert SCRIPTS["no_figures_hint"].strip()
    assert set(SCRIPTS["section_order"]) >= set(SCRIPT_SECTIONS)
    assert all(s in SCRIPTS for s in SCRIPTS["section_order"])


def test_script_fields_are_allowed_names():
    for text in _strings(SCRIPTS):
        for _, field, spec, conversion in string.Formatter().parse(text):
            if field is None:
                continue
            assert field in SCRIPT_FIELDS, f"unknown field {{{field}}} in: {text}"
            assert not spec and not conversion, text


def test_every_field_has_a_placeholder_and_templates_format():
    assert set(SCRIPTS["placeholders"]) == SCRIPT_FIELDS
    for text in _strings(SCRIPTS):
        filled = text.format(**SCRIPTS["placeholders"])
        assert "{" not in filled and "}" not in filled, text


def test_proposal_asks_for_written_confirmation():
    for key in ("say", "say_with_lump_sum"):
        text = SCRIPTS["proposal"][key]
        assert "书面" in text
        assert "{opening_monthly}" in text and "{opening_term}" in text


def test_lump_sum_variants_use_the_lump_sum():
    for entry in [SCRIPTS[s] for s in SCRIPT_SECTIONS] + list(SCRIPTS["collector_moves"].values()):
        if "say_with_lump_sum" in entry:
            assert "{lump_sum_offer}" in entry["say_with_lump_sum"]
            assert "{lump_sum_offer}" not in entry["say"]


@pytest.mark.parametrize("move", ["threatens_lawsuit", "borrow_elsewhere"])
def test_guideline_claims_in_moves_are_hedged(move):
    assert "据报道" in SCRIPTS["collector_moves"][move]["explain"]
