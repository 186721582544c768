"""Specification of how a plan for several debts is put into Chinese and into its payload."""

import ast
import json
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.content import load_content
from coach.debts.model import Debt
from coach.debts.planner import HIGHEST_RATE_FIRST, plan_debts
from coach.debts.presenter import (
    debt_plan_payload,
    render_plan_note,
    render_plan_notes,
    render_plan_summary,
    split_answer,
    terms_text,
)
from coach.offer.planner import note
from coach.paths import ROOT
from tests.support.debt_strategies import ANY_SITUATION, planned, situations

TEXTS = load_content("debt_plan")
FACTS = {fact["id"]: fact["text_zh"] for fact in load_content("facts")["facts"]}
PROPERTY = settings(max_examples=200, deadline=None, derandomize=True)

PAYLOAD_KEYS = [
    "type",
    "currency",
    "method",
    "monthly_income",
    "monthly_expenses",
    "disposable_monthly",
    "affordable_monthly",
    "debts",
    "feasible",
    "notes",
]
DEBT_KEYS = [
    "id",
    "label",
    "lender_type",
    "balance",
    "months_overdue",
    "priority",
    "monthly",
    "term_months",
    "opening_monthly",
    "opening_term_months",
    "priority_reason",
    "monthly_rate",
]


def debt(id, balance, lender="credit_card", label=None, **fields):
    return Debt(id=id, label=label or id, lender_type=lender, balance=balance, **fields)


def contract_example():
    """The debt_plan JSON of docs/contract.md §3."""
    text = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(\{\"type\": \"debt_plan\".*?)```", text, re.S)
    assert block, "docs/contract.md shows a debt_plan payload"
    return json.loads(block.group(1))


CONTRACT_DEBTS = [
    debt("d1", 48000, "credit_card", "招行信用卡", months_overdue=3),
    debt("d2", 20000, "online_lender", "借呗", months_overdue=2),
]
FIVE_DEBTS = [
    debt("d1", 20000, "credit_card", "招行"),
    debt("d2", 15000, "credit_card", "建行"),
    debt("d3", 8000, "credit_card", "广发"),
    debt("d4", 30000, "online_lender", "借呗"),
    debt("d5", 5000, "online_lender", "网贷"),
]
RATED = [
    debt("d1", 20000, "credit_card", "招行", monthly_rate=0.015),
    debt("d2", 8000, "credit_card", "广发", monthly_rate=0.015),
    debt("d3", 5000, "online_lender", "网贷", monthly_rate=0.03),
]
JUDGMENT = [
    debt("a", 30000, "online_lender", "借呗"),
    debt("b", 20000, "credit_card", "工行", judgment=True, required_monthly=1000),
    debt("c", 60000, "bank_loan", "车贷", secured=True),
    debt("d", 10000, "bank_loan", "建行贷款"),
]

# Situations that between them produce every note code.
SITUATIONS = {
    "contract example": plan_debts(CONTRACT_DEBTS, 12000, 7000),
    "five debts, 3000 to spare": plan_debts(FIVE_DEBTS, 3000, 0),
    "rates known": plan_debts(RATED, 3000, 0),
    "highest rate first": plan_debts(RATED, 3000, 0, method=HIGHEST_RATE_FIRST),
    "rates so high that interest outruns the plan": plan_debts(
        [debt("a", 100000, monthly_rate=0.05), debt("b", 100000, monthly_rate=0.04)], 4600, 0
    ),
    "highest rate first without rates": plan_debts(FIVE_DEBTS, 3000, 0, HIGHEST_RATE_FIRST),
    "highest rate first, same rates": plan_debts(
        [debt("a", 9000, monthly_rate=0.01), debt("b", 9000, monthly_rate=0.01)],
        3000,
        0,
        HIGHEST_RATE_FIRST,
    ),
    "highest rate first, minimums too high": plan_debts(
        [debt("a", 100000, monthly_rate=0.02), debt("b", 100000, monthly_rate=0.01)],
        4000,
        0,
        HIGHEST_RATE_FIRST,
    ),
    "judgment and car loan": plan_debts(JUDGMENT, 12000, 5000),
    "cards raised to 60 months": plan_debts(
        [debt("a", 180000), debt("b", 20000, "other")], 4500, 0
    ),
    "long online plan": plan_debts(
        [debt("a", 200000, "online_lender"), debt("b", 100000, "online_lender")], 4000, 0
    ),
    "nothing left": plan_debts(FIVE_DEBTS, 3000, 3500),
    "one yuan left": plan_debts(FIVE_DEBTS, 3001, 3000),
    # The complaint route of each lender's licence (coach/guidance/routing.py).
    "nothing left, a small-loan company and a friend": plan_debts(
        [debt("a", 20000, "online_lender", "某某小额贷款公司"), debt("b", 5000, "other", "朋友")],
        3000,
        3500,
    ),
    "judgment takes more than the ceiling": plan_debts(
        [debt("a", 20000, judgment=True, required_monthly=3100), debt("b", 30000)], 5000, 1000
    ),
    "judgment takes the whole ceiling": plan_debts(
        [debt("a", 20000, judgment=True, required_monthly=3000), debt("b", 30000)], 5000, 1000
    ),
    "tiny debt beside a big one": plan_debts(
        [debt("a", 200000, "online_lender"), debt("b", 500, "online_lender")], 3000, 0
    ),
    "60 months needs the buffer": plan_debts([debt("a", 200000), debt("b", 20000)], 4000, 0),
    "60 months needs more than all": plan_debts([debt("a", 300000), debt("b", 20000)], 4000, 0),
}


# ------------------------------------------------------------------ payload


def test_the_payload_has_the_contracts_keys_in_order():
    payload = debt_plan_payload(SITUATIONS["contract example"])
    assert list(payload) == PAYLOAD_KEYS
    assert all(list(entry) == DEBT_KEYS for entry in payload["debts"])


def test_the_contracts_example_comes_out_as_documented():
    expected = contract_example()
    payload = debt_plan_payload(SITUATIONS["contract example"])
    for key in PAYLOAD_KEYS:
        if key not in ("debts", "notes"):
            assert payload[key] == expected[key], key
    for entry, documented in zip(payload["debts"], expected["debts"], strict=True):
        assert {key: entry[key] for key in documented} == documented


def test_the_payload_adds_openings_and_why_a_debt_comes_first():
    payload = debt_plan_payload(SITUATIONS["judgment and car loan"])
    reasons = [entry["priority_reason"] for entry in payload["debts"]]
    assert reasons == [None, "judgment", "secured", None]
    judgment = payload["debts"][1]
    assert judgment["priority"] and judgment["opening_monthly"] == judgment["monthly"] == 1000


def test_no_plan_sends_nulls_never_zeros():
    payload = debt_plan_payload(SITUATIONS["nothing left"])
    assert payload["feasible"] is False
    assert payload["disposable_monthly"] is None and payload["affordable_monthly"] is None
    assert payload["monthly_expenses"] == 3500
    assert all(entry["monthly"] is None for entry in payload["debts"])


def test_the_payload_is_json():
    for plan in SITUATIONS.values():
        assert json.loads(json.dumps(debt_plan_payload(plan))) == debt_plan_payload(plan)


# ------------------------------------------------------------------ notes


def emitted_codes():
    return {note.code for plan in SITUATIONS.values() for note in plan.notes}


def test_every_note_the_planner_emits_has_wording_and_every_wording_is_used():
    assert emitted_codes() == set(TEXTS["notes"])


def test_note_facts_name_real_facts():
    for code, entry in TEXTS["notes"].items():
        assert "fact" in entry or "text" in entry, code
        if "fact" in entry:
            assert entry["fact"] in FACTS, code
        for fact_id in entry.get("based_on", []):
            assert fact_id in FACTS, code


def test_a_note_that_states_a_fact_says_the_facts_own_words_first():
    rendered = render_plan_notes(SITUATIONS["contract example"])
    assert rendered[0].startswith(FACTS["several_creditors_pro_rata"])
    assert rendered[0].endswith("你每月拿出的3700元就是这样分的，几笔差不多同时还清。")


@pytest.mark.parametrize("name", list(SITUATIONS))
def test_every_note_is_filled_in(name):
    for text in render_plan_notes(SITUATIONS[name]):
        assert text and "{" not in text and "None" not in text, text


def test_lists_of_labels_and_ranges_of_months_read_as_chinese():
    long_plan = note("long_plan", labels=("借呗", "微粒贷"), shortest=98, longest=100, months=60)
    assert render_plan_note(long_plan).startswith("按这个分法，借呗和微粒贷要98到100期才能还清")
    assert terms_text(36, 36) == "36" and terms_text(36, 37) == "36到37"


def test_a_priority_amount_that_was_guessed_says_so():
    rendered = " ".join(render_plan_notes(SITUATIONS["judgment and car loan"]))
    assert "车贷每月要还多少你还没告诉我，先按24个月还清估算，每月2500元" in rendered
    assert FACTS["after_judgment_enforcement"] in rendered


def test_templates_only_use_the_fields_the_planner_gives():
    for plan in SITUATIONS.values():
        for item in plan.notes:
            text = TEXTS["notes"][item.code].get("text", "")
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            assert names <= set(item.fields) | {"terms"}, item.code


# ------------------------------------------------------------------ chat summary


def test_the_summary_of_five_debts_fits_a_phone_screen():
    assert render_plan_summary(SITUATIONS["five debts, 3000 to spare"]) == "\n".join(
        [
            "5笔欠款，每月共还2180元（上限2200元）：",
            "· 招行：560元×36期",
            "· 建行：420元×36期",
            "· 广发：220元×37期",
            "· 借呗：840元×36期",
            "· 网贷：140元×36期",
            "分法：按欠款比例分，欠得多的多还，各笔差不多同时还清。",
        ]
    )


def test_the_summary_marks_priority_debts_and_names_the_rule():
    lines = render_plan_summary(SITUATIONS["judgment and car loan"]).splitlines()
    assert lines[2] == "· 工行（优先）：1000元×20期"
    assert lines[-1] == "分法：先保住法院在执行或有抵押的，剩下的按欠款比例分。"


def test_the_summary_marks_the_debt_paid_first_by_rate():
    lines = render_plan_summary(SITUATIONS["highest rate first"]).splitlines()
    assert "· 网贷（先还）：" in lines[3]
    assert lines[-1].startswith("分法：每笔先还最低额，多出的钱先还月利率最高的")


def test_without_a_plan_the_summary_says_why_and_where_to_get_help():
    lines = render_plan_summary(SITUATIONS["nothing left"]).splitlines()
    assert lines[0].startswith("先别慌")
    assert lines[1] == "每月收入3000元，必要开销3500元，扣掉以后没有结余，现在排不出一个你能兑现的还款方案。"
    assert "个性化分期" in lines[2] and "12378" in lines[3]


# ------------------------------------------------------------------ 先还哪个 / 怎么分


def test_the_split_answer_names_the_rule_and_the_users_figures():
    assert split_answer(SITUATIONS["five debts, 3000 to spare"]) == (
        "不用分先后，按欠款比例一起还：每月共还2180元，欠得多的多分，" "招行560元、建行420元、广发220元、借呗840元和网贷140元，各笔大约36到37期还清。"
    )


def test_the_split_answer_puts_priority_debts_first():
    answer = split_answer(SITUATIONS["judgment and car loan"])
    assert answer.startswith("先保住工行（法院在执行）和车贷（有房子或车子作抵押）：每月共3500元，这部分不能少。")
    assert "剩下的钱不分先后，按欠款比例分" in answer and "借呗" in answer


def test_the_split_answer_for_highest_rate_first_names_the_rate():
    assert split_answer(SITUATIONS["highest rate first"]) == (
        "先集中还月利率最高的网贷（3%）：每月1720元，3期还清；其他几笔先只还最低额：" "招行340元和广发140元。网贷还清后，把它的钱转给下一个利率最高的。"
    )


def test_the_split_answer_mentions_the_other_rule_when_rates_are_known():
    assert split_answer(SITUATIONS["rates known"]).endswith("也可以改成先集中还月利率最高的网贷，想这样分就告诉我。")


def test_without_a_plan_the_split_answer_says_why():
    answer = split_answer(SITUATIONS["tiny debt beside a big one"])
    assert answer.startswith("现在还分不出一个稳妥的方案。按比例分，b（欠500元）")


# ------------------------------------------------------------------ all wording in content


def test_the_debts_code_holds_no_chinese_strings():
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for name in ("model.py", "planner.py", "presenter.py"):
        tree = ast.parse((ROOT / "coach" / "debts" / name).read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in docstrings:
                    assert not cjk.search(node.value), f"{name}: {node.value!r}"


# ------------------------------------------------------------------ properties


@PROPERTY
@given(ANY_SITUATION)
def test_every_rendering_is_complete_for_any_situation(situation):
    plan = planned(situation)
    texts = [*render_plan_notes(plan), render_plan_summary(plan), split_answer(plan)]
    for text in texts:
        assert text and "{" not in text and "None" not in text
    json.dumps(debt_plan_payload(plan))


@PROPERTY
@given(st.one_of(ANY_SITUATION, situations(rated=st.just(True))))
def test_a_summary_has_a_short_line_per_debt_and_the_answer_names_every_debt(situation):
    plan = planned(situation)
    if not plan.feasible:
        return
    lines = render_plan_summary(plan).splitlines()
    assert len(lines) == len(plan.debts) + 2
    for item, line in zip(plan.debts, lines[1:-1], strict=True):
        assert item.debt.label in line
        assert f"{item.monthly}元×{item.term_months}期" in line
        assert len(line) <= 30
    assert str(plan.total_monthly) in lines[0]
    answer = split_answer(plan)
    for item in plan.debts:
        assert item.debt.label in answer


# ------------------------------------------------------------------ the old-debt gate


def test_a_plan_with_a_debt_overdue_for_years_asks_its_age_first():
    old = [
        Debt("d1", "招行信用卡", "credit_card", 30000, months_overdue=4),
        Debt("d2", "某网贷", "online_lender", 8000, months_overdue=44),
    ]
    summary = render_plan_summary(plan_debts(old, 12000, 7000))
    assert summary.startswith("【先问清") and "44个月" in summary and "12348" in summary
    recent = [Debt("d1", "招行信用卡", "credit_card", 30000, months_overdue=4), old[1]]
    recent[1] = Debt("d2", "某网贷", "online_lender", 8000, months_overdue=5)
    assert not render_plan_summary(plan_debts(recent, 12000, 7000)).startswith("【先问清")


def test_no_plan_text_advises_paying_a_little_first():
    texts = load_content("debt_plan")
    assert "能还多少先还多少" not in str(texts)
