"""Journeys about figures and form answers, in other people's voices, over REST (issue 23).

Every turn checks the figures the conversation now holds (GET /conversations/<id>/tracker),
the length of the reply, and that no three turns in a row make no progress. Each journey
reports the share of its turns that fell to a clarification or the menu; the module prints
the share over all of them.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from tests.support.chat import customs, texts, variation_texts

# A phone screen holds about this many characters of Chinese; a plan summary may use two.
REPLY_BUDGET = 700
FIGURES = ("balance", "lender_type", "months_overdue", "monthly_income", "monthly_expenses")
FIGURES += ("lump_sum",)

CLARIFICATIONS = tuple(
    text.split("{")[0]
    for name in (
        "utter_not_understood_amount",
        "utter_not_understood_months",
        "utter_not_understood_lender",
        "utter_default",
        "utter_ask_rephrase",
    )
    for text in variation_texts(name)
) + ("这个我连着两次没看懂",)

SHARES: dict[str, tuple[int, int]] = {}


@dataclass
class Journey:
    bot: Any
    name: str
    sender: str = field(default_factory=lambda: f"fig-{uuid.uuid4().hex[:10]}")
    turns: int = 0
    clarified: int = 0
    still: int = 0  # turns in a row that changed no figure and finished nothing
    last: dict[str, Any] = field(default_factory=dict)

    def tracker(self) -> dict[str, Any]:
        url = f"{self.bot.url}/conversations/{self.sender}/tracker"
        response = requests.get(url, timeout=30)
        response.raise_for_status()
        tracker: dict[str, Any] = response.json()
        return tracker

    def say(self, line: str, **expected: Any) -> tuple[list[dict], dict[str, Any]]:
        """Sends a line; checks the figures named in ``expected`` and the turn's shape."""
        replies = self.bot.send(self.sender, line)
        slots = self.tracker()["slots"]
        said = "\n".join(texts(replies))
        self.turns += 1
        clarified = any(said.startswith(c) or f"\n{c}" in said for c in CLARIFICATIONS)
        self.clarified += clarified
        assert len(said) <= REPLY_BUDGET, (line, len(said), said)
        for name, value in expected.items():
            assert _same(slots.get(name), value), (line, name, slots.get(name), said)
        figures = {name: slots.get(name) for name in (*FIGURES, "debts")}
        progressed = figures != self.last or customs(replies, "debt_plan") or not clarified
        self.still = 0 if progressed else self.still + 1
        assert self.still < 3, (line, "three turns in a row without progress", said)
        self.last = figures
        SHARES[self.name] = (self.clarified, self.turns)
        return replies, slots


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return actual is not None and float(actual) == float(expected)
    return bool(actual == expected)


def debts_of(slots: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [(d["label"], d["balance"], d["lender_type"]) for d in slots.get("debts") or []]


@pytest.fixture
def journey(bot, request):
    return Journey(bot, request.node.name)


def test_a_rider_with_three_loans_then_income_and_expenses(journey):
    _, slots = journey.say("我是送外卖的 欠了美团借钱1万 借呗2万 还有分期乐8000", balance=38000)
    assert len(debts_of(slots)) == 3
    journey.say("逾期2 months", months_overdue=2, balance=38000)
    journey.say("5000", monthly_income=5000, balance=38000)
    _, slots = journey.say("3000", monthly_expenses=3000, balance=38000)
    assert [debt[1] for debt in debts_of(slots)] == [10000, 20000, 8000]
    replies, _ = journey.say("没有，钱都交房租了", lump_sum=0)
    (plan,) = customs(replies, "debt_plan")
    assert sum(debt["balance"] for debt in plan["debts"]) == 38000
    assert all(debt["label"] for debt in plan["debts"])


def test_a_principal_with_the_claimed_total_is_one_debt(journey):
    journey.say("我想算一下还款方案")
    replies, slots = journey.say("说欠了两万多 连本带息要五万", balance=20000, debts=None)
    said = "\n".join(texts(replies))
    assert "50000" in said and "按本金20000元算" in said


def test_a_correction_of_the_debt_with_the_wage_beside_it(journey):
    journey.say("我欠信用卡6万 逾期三个月", balance=60000, months_overdue=3)
    replies, _ = journey.say("不对 欠的是4万8 一万二是我工资", balance=48000, monthly_income=12000, debts=None)
    assert any(text.startswith("改成：欠款总额48000元") for text in texts(replies))


def test_a_typod_one_message_summary(journey):
    journey.say(
        "信用咔4万8 逾期三各月 月收如一万二 开销七千",
        balance=48000,
        lender_type="credit_card",
        months_overdue=3,
        monthly_income=12000,
        monthly_expenses=7000,
    )


def test_zero_months_overdue_as_the_prompt_invites(journey):
    journey.say("我想算一下还款方案")
    journey.say("欠了网贷3万", balance=30000)
    journey.say("0", months_overdue=0)


def test_not_overdue_yet_in_words_and_a_range_of_income(journey):
    journey.say("帮我算算 我欠招行信用卡2万", balance=20000, lender_type="credit_card")
    journey.say("还没逾期", months_overdue=0)
    replies, _ = journey.say("五六千吧", monthly_income=5000)
    assert any("五六千" in text and "5000元" in text for text in texts(replies))


def test_the_pause_buttons_words_typed_pause_the_form(journey):
    journey.say("我想算一下还款方案")
    journey.say("欠了借呗1万5", balance=15000)
    replies, _ = journey.say("先停一下", balance=15000, requested_slot=None)
    assert texts(replies)[0] == variation_texts("utter_form_paused")[0]
    assert journey.tracker()["active_loop"].get("name") is None


def test_a_question_inside_the_form_is_answered_and_the_form_resumes(journey):
    journey.say("我想算一下还款方案")
    journey.say("欠了信用卡3万", balance=30000, requested_slot="months_overdue")
    replies, _ = journey.say("催收的人说要上门，我该怎么办", requested_slot="months_overdue")
    assert len(texts(replies)) >= 2  # an answer, then the form's question again
    journey.say("3个月", months_overdue=3, requested_slot="monthly_income")


def test_dont_know_offers_a_skip_that_works(journey):
    journey.say("我想算一下还款方案")
    journey.say("欠了分期乐8000", balance=8000)
    replies, _ = journey.say("不知道", months_overdue=None)
    skip = next(b for m in replies for b in m.get("buttons", []) if b["title"] == "先跳过")
    journey.say(skip["payload"], months_overdue=0, requested_slot="monthly_income")


def test_no_third_same_re_ask_for_months_overdue(journey):
    journey.say("我想算一下还款方案")
    journey.say("欠了网贷2万", balance=20000)
    first, _ = journey.say("嗯嗯嗯")
    second, _ = journey.say("嗯嗯嗯")
    assert "我没能看懂逾期多久" in "\n".join(texts(first))
    assert "我没能看懂逾期多久" not in "\n".join(texts(second))
    assert "先停一下" in [b["title"] for m in second for b in m.get("buttons", [])]


def test_deleting_a_debt_keeps_the_others_lender_types(journey):
    journey.say("招行信用卡2万 借呗3万 建行房贷10万", balance=150000)
    journey.say("逾期一个月", months_overdue=1)
    replies, slots = journey.say("删掉借呗那笔", balance=120000)
    assert debts_of(slots) == [("招行信用卡", 20000, "credit_card"), ("建行房贷", 100000, "bank_loan")]
    assert any(text.startswith("删掉：借呗") for text in texts(replies))


def test_starting_again_clears_the_list_and_one_debt_is_kept(journey):
    journey.say("欠了美团借钱1万 借呗2万", balance=30000)
    replies, _ = journey.say("重来", balance=None, debts=None, requested_slot="balance")
    assert "清掉" in texts(replies)[0]
    journey.say("欠了美团借钱1万 借呗2万", balance=30000)
    replies, _ = journey.say("就一笔 招行信用卡3万", balance=30000, debts=None, lender_type="credit_card")
    assert any("加上：招行信用卡欠款30000元" in text for text in texts(replies))


def test_a_rent_figure_said_in_practice_leaves_the_real_expenses(journey):
    journey.say("我欠信用卡3万 每月开销4000", monthly_expenses=4000)
    journey.say('/start_roleplay{"persona":"polite"}', monthly_expenses=4000)
    journey.say("喂你好，我是本人", monthly_expenses=4000)
    journey.say("我每个月光房租就要2500", monthly_expenses=4000, balance=30000)


def test_zzz_share_of_turns_that_fell_to_a_clarification_or_the_menu():
    """Runs last in this module: the measured share, per journey and over all."""
    if not SHARES:
        pytest.skip("no journey ran")
    clarified = sum(c for c, _ in SHARES.values())
    turns = sum(t for _, t in SHARES.values())
    for name, (c, t) in SHARES.items():
        print(f"{name}: {c}/{t} turns to a clarification or the menu")
    print(f"all figure journeys: {clarified}/{turns} = {clarified / turns:.0%}")
    assert turns > 0
