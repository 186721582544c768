"""The domain, the rules and the actions refer to the same names."""

import re

import yaml

from actions.repayment_form import INTERRUPTING_INTENTS
from coach.figures import plausibility
from coach.paths import ROOT
from tests.support.trackers import domain

CONTRACT = ROOT / "docs" / "contract.md"
SPECIAL_FORM_EXITS = {"express_crisis", "stop_form", "delete_my_data", "start_roleplay"}
# Intents the contract added on 2026-11-30 for the case file; they arrive with that
# feature (no placeholder intents before it).
def intents_in_domain():
    return {i if isinstance(i, str) else next(iter(i)) for i in domain()["intents"]}


def rules(path):
    with (ROOT / path).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["rules"]


def test_every_problem_the_form_can_find_has_a_response():
    codes = [
        plausibility.NEGATIVE,
        plausibility.TOO_LARGE,
        plausibility.EXPENSES_FAR_ABOVE_INCOME,
        plausibility.BALANCE_ZERO,
    ]
    for code in codes:
        assert f"utter_invalid_{code}" in domain()["responses"]


def test_every_question_let_through_the_form_has_a_rule_that_resumes_it():
    resumed = {r["steps"][0]["intent"] for r in rules("data/rules/form_interruptions.yml")}
    assert resumed == INTERRUPTING_INTENTS - SPECIAL_FORM_EXITS


def test_the_special_exits_from_the_form_have_rules():
    handled = {
        r["steps"][0]["intent"]
        for r in rules("data/rules/stage4_assess.yml")
        if "intent" in r["steps"][0]
    }
    assert SPECIAL_FORM_EXITS <= handled


def test_every_response_an_action_sends_exists():
    sources = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "actions").glob("*.py"))
    named = set(re.findall(r'"(utter_[a-z_]+)"', sources))
    assert named and named <= set(domain()["responses"])


def test_every_domain_intent_is_listed_in_the_contract():
    section = CONTRACT.read_text(encoding="utf-8").split("## 2.")[1].split("## 3.")[0]
    assert intents_in_domain() <= set(re.findall(r"`([a-z_]+)`", section))


def test_the_contract_intents_are_all_in_the_domain():
    section = CONTRACT.read_text(encoding="utf-8").split("## 2.")[1].split("## 3.")[0]
    wanted = set(re.findall(r"`([a-z_]+)`", section)) - {"nlu_fallback"}
    assert wanted <= intents_in_domain()
