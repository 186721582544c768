"""The invariants of the repayment_offer payload (docs/contract.md section 3)."""

LENDER_TYPES = {"credit_card", "bank_loan", "online_lender", "other"}
MONTHLY_KEYS = ("disposable_monthly", "opening_monthly", "ceiling_monthly")


def assert_offer_invariants(offer: dict) -> None:
    assert offer["type"] == "repayment_offer" and offer["currency"] == "CNY"
    assert offer["lender_type"] in LENDER_TYPES
    if offer["feasible"]:
        assert 0 < offer["opening_monthly"] <= offer["ceiling_monthly"]
        assert offer["ceiling_monthly"] <= offer["disposable_monthly"]
        # the buffer is never removed: at most 90 % of disposable, even to fit a cap
        assert offer["ceiling_monthly"] * 10 <= offer["disposable_monthly"] * 9
        assert offer["ceiling_term_months"] <= offer["opening_term_months"]
        assert offer["ceiling_monthly"] * offer["ceiling_term_months"] >= offer["balance"]
        if offer["max_term_months"] is not None:
            assert offer["ceiling_term_months"] <= offer["max_term_months"]
    else:
        assert all(offer[key] is None or offer[key] > 0 for key in MONTHLY_KEYS)
        assert offer["notes"]


# The contract's example offer (balance 50000, income 9000, expenses 5500).
CONTRACT_EXAMPLE_OFFER = {
    "feasible": True,
    "opening_monthly": 1800,
    "opening_term_months": 28,
    "ceiling_monthly": 2600,
    "ceiling_term_months": 20,
    "lump_sum": None,
}


def assert_debt_plan_invariants(plan: dict) -> None:
    """The debt_plan invariants of docs/contract.md section 3."""
    assert plan["type"] == "debt_plan" and plan["currency"] == "CNY"
    assert len(plan["debts"]) >= 2
    assert all(debt["lender_type"] in LENDER_TYPES for debt in plan["debts"])
    if not plan["feasible"]:
        assert plan["notes"]
        assert all(d["monthly"] is None or d["monthly"] > 0 for d in plan["debts"])
        return
    monthly = [debt["monthly"] for debt in plan["debts"]]
    assert all(amount > 0 for amount in monthly)
    assert sum(monthly) <= plan["affordable_monthly"]
    for debt in plan["debts"]:
        assert debt["term_months"] == -(-debt["balance"] // debt["monthly"])
    shared = [d["monthly"] / d["balance"] for d in plan["debts"] if not d["priority"]]
    if plan["method"] == "pro_rata" and shared:
        assert min(shared) >= 0.95 * max(shared)
