"""Specification of the repayment-offer calculator and its payload (docs/contract.md §3)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.offer.planner import (
    NEGLIGIBLE_RATE,
    Figures,
    affordable_monthly,
    buffer_limit_monthly,
    compute_offer,
    lump_sum_option,
    months_to_clear,
    opening_monthly,
    round_down_money,
    round_up_money,
)
from coach.offer.presenter import offer_payload

PAYLOAD_KEYS = [
    "type",
    "currency",
    "balance",
    "lender_type",
    "monthly_income",
    "monthly_expenses",
    "disposable_monthly",
    "opening_monthly",
    "ceiling_monthly",
    "opening_term_months",
    "ceiling_term_months",
    "max_term_months",
    "lump_sum",
    "waiver_request",
    "feasible",
    "notes",
]
MONTHLY_KEYS = [
    "monthly_income",
    "monthly_expenses",
    "disposable_monthly",
    "opening_monthly",
    "ceiling_monthly",
    "opening_term_months",
    "ceiling_term_months",
]


def figures(balance, income, expenses, lender="credit_card", lump=0.0, overdue=3):
    return Figures(
        balance=balance,
        lender_type=lender,
        months_overdue=overdue,
        monthly_income=income,
        monthly_expenses=expenses,
        lump_sum=lump,
    )


def payload_of(*args, **kwargs):
    return offer_payload(compute_offer(figures(*args, **kwargs)))


def note_codes(*args, **kwargs):
    return [note.code for note in compute_offer(figures(*args, **kwargs)).notes]


def test_the_contract_example_comes_out_exactly():
    payload = payload_of(50000, 9000, 5500)
    assert list(payload) == PAYLOAD_KEYS
    assert {k: v for k, v in payload.items() if k not in ("notes", "waiver_request")} == {
        "type": "repayment_offer",
        "currency": "CNY",
        "balance": 50000,
        "lender_type": "credit_card",
        "monthly_income": 9000,
        "monthly_expenses": 5500,
        "disposable_monthly": 3500,
        "opening_monthly": 1800,
        "ceiling_monthly": 2600,
        "opening_term_months": 28,
        "ceiling_term_months": 20,
        "max_term_months": 60,
        "lump_sum": None,
        "feasible": True,
    }
    assert payload["notes"] and all(isinstance(n, str) and n for n in payload["notes"])


@pytest.mark.parametrize(
    ("balance", "income", "expenses", "lender", "plan"),
    [
        # (opening, ceiling, opening term, ceiling term)
        (50000, 9000, 5500, "credit_card", (1800, 2600, 28, 20)),
        (48000, 12000, 7000, "credit_card", (2500, 3700, 20, 13)),
        (10000, 4000, 3000, "online_lender", (520, 750, 20, 14)),
        (3000, 2500, 2400, "other", (40, 70, 75, 43)),
        (1000, 1012, 1000, "other", (6, 9, 167, 112)),
        (50000.4, 9000.9, 5499.2, "bank_loan", (1800, 2600, 28, 20)),  # whole yuan
        # a card plan must fit 60 months: both amounts rise to the least that fits,
        # up to 90 % of disposable (3500 → 3100), never beyond
        (180000, 9000, 5500, "credit_card", (3000, 3000, 60, 60)),
        (185500, 9000, 5500, "credit_card", (3100, 3100, 60, 60)),  # 3092 rounded up
        (186000, 9000, 5500, "credit_card", (3100, 3100, 60, 60)),  # exactly 90 %
        # only the opening needed raising
        (150000, 9000, 5500, "credit_card", (2500, 2600, 60, 58)),
        # other lenders have no cap, however long it takes
        (300000, 9000, 5500, "online_lender", (1800, 2600, 167, 116)),
    ],
)
def test_computes_opening_ceiling_and_terms(balance, income, expenses, lender, plan):
    payload = payload_of(balance, income, expenses, lender)
    assert payload["feasible"] is True
    assert (
        payload["opening_monthly"],
        payload["ceiling_monthly"],
        payload["opening_term_months"],
        payload["ceiling_term_months"],
    ) == plan


@pytest.mark.parametrize(
    ("balance", "income", "expenses", "lender", "reason"),
    [
        (50000, 5000, 5000, "credit_card", "no_disposable_income"),
        (50000, 5000, 6000, "bank_loan", "no_disposable_income"),
        (50000, 0, 3000, "online_lender", "no_disposable_income"),
        (50000, 0, 0, "other", "no_disposable_income"),
        (50000, 3001, 3000, "other", "too_little_left"),
        (300000, 9000, 5500, "credit_card", "cannot_clear_within_cap"),
        # 60 months would need more than 90 % of disposable (3100 of 3500)
        (186001, 9000, 5500, "credit_card", "cap_needs_buffer"),
        (200000, 9000, 5500, "credit_card", "cap_needs_buffer"),
        (209000, 9000, 5500, "credit_card", "cap_needs_buffer"),
        (206000, 9000, 5550, "credit_card", "cap_needs_buffer"),
        (0, 9000, 5500, "credit_card", "balance_not_positive"),
        (-100, 9000, 5500, "other", "balance_not_positive"),
    ],
)
def test_says_why_when_no_plan_fits(balance, income, expenses, lender, reason):
    offer = compute_offer(figures(balance, income, expenses, lender))
    payload = offer_payload(offer)
    assert payload["feasible"] is False
    assert offer.notes[0].code == reason
    assert payload["notes"]
    for key in MONTHLY_KEYS:
        assert payload[key] is None or payload[key] > 0, key


@pytest.mark.parametrize(
    ("lender", "advice", "complaint"),
    [
        ("credit_card", "hardship_plan_card", "free_help_12378"),
        ("bank_loan", "hardship_plan", "free_help_12378"),
        # "Online" or "other" does not say who lent: how to find the lender's name.
        ("online_lender", "hardship_plan", "free_help_find_lender"),
        ("other", "hardship_plan", "free_help_find_lender"),
    ],
)
def test_infeasible_notes_say_what_to_do_instead(lender, advice, complaint):
    codes = note_codes(50000, 3000, 4000, lender)
    assert codes[:5] == [
        "no_disposable_income",
        advice,
        "no_plan_relief",  # personal bankruptcy (Shenzhen), 12348 elsewhere
        "pay_what_you_can",
        "cut_expenses",
    ]
    assert {complaint, "beware_paid_agents"} <= set(codes)


@pytest.mark.parametrize(
    ("lender", "waivers", "cap"),
    [
        ("credit_card", ["penalty_interest", "breach_fee", "fees"], 60),
        ("bank_loan", ["penalty_interest", "fees"], None),
        ("online_lender", ["penalty_interest", "fees"], None),
        ("other", ["penalty_interest", "fees"], None),
        ("something else", ["penalty_interest", "fees"], None),
    ],
)
def test_waivers_and_term_cap_depend_on_the_lender(lender, waivers, cap):
    payload = payload_of(50000, 9000, 5500, lender)
    assert payload["waiver_request"] == waivers
    assert payload["max_term_months"] == cap
    assert payload["lender_type"] in (
        "credit_card",
        "bank_loan",
        "online_lender",
        "other",
    )


@pytest.mark.parametrize(
    ("lender", "balance", "codes_present", "codes_absent"),
    [
        (
            "credit_card",
            50000,
            {"card_cap", "card_fee_rules", "not_legal_advice"},
            {"long_plan"},
        ),
        (
            "online_lender",
            50000,
            {"interest_frozen", "waiver_lore"},
            {"card_cap", "long_plan"},
        ),
        ("online_lender", 180000, {"long_plan"}, {"long_plan_beyond_buffer"}),
        ("online_lender", 186000, {"long_plan"}, {"long_plan_beyond_buffer"}),
        # 60 months would need 3101 a month, above 90 % of 3500: no longer suggested
        (
            "online_lender",
            186001,
            {"long_plan_beyond_buffer", "hardship_plan"},
            {"long_plan"},
        ),
        ("online_lender", 300000, {"long_plan_beyond_buffer", "hardship_plan"}, set()),
        (
            "credit_card",
            180000,
            {"raised_to_cap"},
            {"safety_buffer", "opening_below_ceiling"},
        ),
        (
            "credit_card",
            200000,
            {"cap_needs_buffer", "hardship_plan_card", "not_legal_advice"},
            {"raised_to_cap", "card_cap"},
        ),
    ],
)
def test_notes_follow_the_situation(lender, balance, codes_present, codes_absent):
    codes = set(note_codes(balance, 9000, 5500, lender))
    assert codes_present <= codes
    assert not codes & codes_absent


def test_a_card_plan_that_once_took_the_whole_buffer_is_now_a_hardship_request():
    # Before: raised to 3434 × 60 months, 99.5 % of the disposable 3450.
    offer = compute_offer(figures(206000, 9000, 5550))
    payload = offer_payload(offer)
    assert payload["feasible"] is False
    assert payload["disposable_monthly"] == 3450
    assert payload["max_term_months"] == 60
    for key in ("opening_monthly", "ceiling_monthly", "opening_term_months"):
        assert payload[key] is None, key
    assert payload["ceiling_term_months"] is None
    reason = offer.notes[0]
    assert reason.code == "cap_needs_buffer"
    assert reason.fields == {
        "balance": 206000,
        "cap": 60,
        "needed": 3434,
        "disposable": 3450,
        "limit": 3100,
        "term": 67,
    }
    codes = [n.code for n in offer.notes]
    assert codes[1:5] == [
        "hardship_plan_card",
        "no_plan_relief",
        "pay_what_you_can",
        "cut_expenses",
    ]
    assert payload["waiver_request"] == ["penalty_interest", "breach_fee", "fees"]
    why = payload["notes"][0]
    assert "3434" in why and "3100" in why and "67期" in why and "停息" in why
    assert "第七十条" in payload["notes"][1] and "「可以」" in payload["notes"][1]


def test_a_card_plan_that_fits_within_90_percent_is_raised_to_the_least_that_fits():
    offer = compute_offer(figures(180000, 9000, 5500))
    payload = offer_payload(offer)
    assert payload["feasible"] is True
    assert (payload["ceiling_monthly"], payload["ceiling_term_months"]) == (3000, 60)
    assert payload["ceiling_monthly"] > affordable_monthly(3500)  # raised from 2600
    assert payload["ceiling_monthly"] <= buffer_limit_monthly(3500) == 3100
    raised = next(n for n in offer.notes if n.code == "raised_to_cap")
    assert raised.fields == {"cap": 60, "monthly": 3000}


@pytest.mark.parametrize(
    ("balance", "savings", "expected"),
    [
        (
            50000,
            30000,
            {
                "available": 30000,
                "suggested_opening": 20000,
                "typical_range": [20000, 40000],
                "status": "lore",
            },
        ),
        (
            50000,
            20000,
            {
                "available": 20000,
                "suggested_opening": 20000,
                "typical_range": [20000, 40000],
                "status": "lore",
            },
        ),
        (50000, 19999, None),
        (50000, 0, None),
        (
            47813,
            30000,
            {
                "available": 30000,
                "suggested_opening": 19200,
                "typical_range": [19126, 38250],
                "status": "lore",
            },
        ),
        (
            47813,
            19130,
            {
                "available": 19130,
                "suggested_opening": 19130,
                "typical_range": [19126, 38250],
                "status": "lore",
            },
        ),
        (
            50000,
            80000,
            {
                "available": 80000,
                "suggested_opening": 20000,
                "typical_range": [20000, 40000],
                "status": "lore",
            },
        ),
    ],
)
def test_a_one_off_settlement_is_offered_from_40_percent_savings(balance, savings, expected):
    assert payload_of(balance, 9000, 5500, lump=savings)["lump_sum"] == expected


def test_a_one_off_settlement_is_still_offered_when_no_monthly_plan_fits():
    payload = payload_of(50000, 3000, 4000, "bank_loan", lump=25000)
    assert payload["feasible"] is False
    assert payload["lump_sum"]["suggested_opening"] == 20000


def test_no_lump_sum_without_a_debt():
    assert lump_sum_option(0, 10000) is None


@pytest.mark.parametrize(
    ("value", "down", "up"),
    [
        (2625, 2600, 2700),
        (1820, 1800, 1900),
        (1000, 1000, 1000),
        (999, 990, 1000),
        (995, 990, 1000),
        (524, 520, 530),
        (10, 10, 10),
        (9, 9, 9),
        (0, 0, 0),
    ],
)
def test_money_rounds_to_100_from_1000_to_10_below_and_to_1_below_10(value, down, up):
    assert round_down_money(value) == down
    assert round_up_money(value) == up


@pytest.mark.parametrize(
    ("disposable", "ceiling", "opening"),
    [
        (3500, 2600, 1800),
        (5000, 3700, 2500),
        (1000, 750, 520),
        (100, 70, 40),
        (2, 1, 1),
    ],
)
def test_ceiling_keeps_a_quarter_back_and_opening_is_seventy_percent(disposable, ceiling, opening):
    assert affordable_monthly(disposable) == ceiling
    assert opening_monthly(ceiling) == opening


@pytest.mark.parametrize(
    ("disposable", "limit"),
    [(3500, 3100), (3450, 3100), (5000, 4500), (1200, 1000), (1000, 900), (100, 90), (2, 1)],
)
def test_no_plan_takes_more_than_nine_tenths_of_disposable(disposable, limit):
    assert buffer_limit_monthly(disposable) == limit


@pytest.mark.parametrize(
    ("balance", "monthly", "rate", "months"),
    [
        (50000, 2600, 0.0, 20),
        (50000, 1800, 0.0, 28),
        (50000, 2500, 0.0, 20),
        (0, 1000, 0.0, 0),
        (50000, 0, 0.0, None),
        (12000, 1000, 0.01, 13),
        (50000, 500, 0.01, None),  # the payment only covers the interest
        (50000, 400, 0.01, None),
    ],
)
def test_months_to_clear_with_and_without_interest(balance, monthly, rate, months):
    assert months_to_clear(balance, monthly, rate) == months


def payment_for_term(balance: float, months: int, rate: float) -> float:
    """The monthly payment clearing ``balance`` in ``months``: B·r / (1 − (1 + r)^−N), the
    inverse that ``months_to_clear`` is checked against (rates below NEGLIGIBLE_RATE: none)."""
    if rate < NEGLIGIBLE_RATE:
        return balance / months
    return balance * rate / -math.expm1(-months * math.log1p(rate))


@pytest.mark.parametrize(
    ("balance", "months", "rate", "payment"),
    [(60000, 60, 0.0, 1000), (12000, 12, 0.01, 1066.19), (100000, 36, 0.005, 3042.19)],
)
def test_the_payment_for_a_term_is_the_annuity(balance, months, rate, payment):
    assert payment_for_term(balance, months, rate) == pytest.approx(payment, abs=0.01)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    balance=st.floats(1000, 5e6),
    months=st.integers(1, 120),
    rate=st.floats(0.0, 0.05),
)
def test_paying_the_payment_for_a_term_clears_in_that_term(balance, months, rate):
    payment_in_cents = math.ceil(payment_for_term(balance, months, rate) * 100) / 100
    assert months_to_clear(balance, payment_in_cents, rate) == months


@pytest.mark.parametrize(
    ("call", "args"),
    [
        (months_to_clear, (1000, 100, -0.01)),
    ],
)
def test_rejects_meaningless_arguments(call, args):
    with pytest.raises(ValueError):
        call(*args)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_rejects_figures_that_are_not_finite(bad):
    with pytest.raises(ValueError):
        compute_offer(figures(bad, 9000, 5500))


money = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
any_figures = st.builds(
    figures,
    balance=st.floats(min_value=-1e4, max_value=1e9, allow_nan=False),
    income=money,
    expenses=money,
    lender=st.sampled_from(["credit_card", "bank_loan", "online_lender", "other"]),
    lump=money,
)
likely_feasible = st.builds(
    figures,
    balance=st.floats(min_value=1, max_value=1e7),
    income=st.floats(min_value=100, max_value=1e6),
    expenses=st.floats(min_value=0, max_value=90),
    lender=st.sampled_from(["credit_card", "bank_loan", "online_lender", "other"]),
    lump=money,
)


def check_contract(payload):
    assert list(payload) == PAYLOAD_KEYS
    assert payload["notes"] and all(isinstance(note, str) for note in payload["notes"])
    for key in MONTHLY_KEYS + ["balance", "max_term_months"]:
        assert payload[key] is None or type(payload[key]) is int, key
    if not payload["feasible"]:
        for key in MONTHLY_KEYS:
            assert payload[key] is None or payload[key] > 0, key
        return
    opening, ceiling = payload["opening_monthly"], payload["ceiling_monthly"]
    opening_term, ceiling_term = (
        payload["opening_term_months"],
        payload["ceiling_term_months"],
    )
    assert 0 < opening <= ceiling <= payload["disposable_monthly"]
    assert ceiling * 10 <= payload["disposable_monthly"] * 9  # the buffer is never removed
    assert ceiling_term <= opening_term
    assert ceiling * ceiling_term >= payload["balance"]
    assert opening * opening_term >= payload["balance"]
    if payload["max_term_months"] is not None:
        assert opening_term <= payload["max_term_months"]
        assert ceiling_term <= payload["max_term_months"]
    lump = payload["lump_sum"]
    if lump is not None:
        low, high = lump["typical_range"]
        assert low <= lump["suggested_opening"] <= min(lump["available"], high)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(any_figures)
def test_every_payload_keeps_the_contract(figs):
    check_contract(offer_payload(compute_offer(figs)))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(likely_feasible)
def test_feasible_payloads_keep_the_contract(figs):
    check_contract(offer_payload(compute_offer(figs)))


# Card figures around the 60-month cap: 60 months need from about 40 % to 120 % of what
# is left, so plans at 75 %, raised plans up to 90 % and hardship cases all come up.
@st.composite
def card_figures_near_the_cap(draw):
    disposable = draw(st.integers(min_value=2, max_value=200_000))
    expenses = draw(st.integers(min_value=0, max_value=50_000))
    permille = draw(st.integers(min_value=400, max_value=1200))
    balance = max(1, -(-disposable * permille * 60 // 1000) + draw(st.integers(-60, 60)))
    return figures(balance, expenses + disposable, expenses)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.one_of(any_figures, likely_feasible, card_figures_near_the_cap()))
def test_the_ceiling_never_exceeds_90_percent_of_disposable(figs):
    payload = offer_payload(compute_offer(figs))
    check_contract(payload)
    if payload["ceiling_monthly"] is not None:
        assert payload["ceiling_monthly"] * 10 <= payload["disposable_monthly"] * 9
        assert payload["opening_monthly"] * 10 <= payload["disposable_monthly"] * 9


@settings(max_examples=500, deadline=None, derandomize=True)
@given(card_figures_near_the_cap())
def test_a_card_plan_fits_60_months_within_90_percent_or_turns_to_hardship(figs):
    offer = compute_offer(figs)
    payload = offer_payload(offer)
    check_contract(payload)
    balance, disposable = payload["balance"], payload["disposable_monthly"]
    needed = -(-balance // 60)
    limit = buffer_limit_monthly(disposable)
    if affordable_monthly(disposable) <= 0:
        assert not payload["feasible"]
        return
    assert payload["feasible"] is (needed <= limit)
    if payload["feasible"]:
        assert payload["ceiling_term_months"] <= 60
        assert payload["opening_term_months"] <= 60
        ceiling = max(affordable_monthly(disposable), min(round_up_money(needed), limit))
        assert payload["ceiling_monthly"] == ceiling
    else:
        codes = [note.code for note in offer.notes]
        reason = "cap_needs_buffer" if needed <= disposable else "cannot_clear_within_cap"
        assert codes[:2] == [reason, "hardship_plan_card"]
        for key in MONTHLY_KEYS:
            assert payload[key] is None or payload[key] > 0, key
