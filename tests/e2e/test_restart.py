"""A Rasa server killed in the middle of the repayment form carries on after a restart.

SIGKILL gives the server no chance to save anything: whatever the user has told the bot
must already be in the tracker store. Checked with the default profile (SQLite) and
the scale-out profile (PostgreSQL tracker store, Redis lock store).
"""

import secrets
import signal
import time
import uuid
from contextlib import ExitStack

import pytest

from devtools.servers import RasaServer
from tests.support.chat import answered_with, customs
from tests.support.offer_invariants import assert_offer_invariants
from tests.support.stores import start_both_profiles


@pytest.fixture(scope="module")
def bots(tmp_path_factory) -> dict[str, RasaServer]:
    """One Rasa server per tracker store, both started at once, sharing an action server."""
    workdir = tmp_path_factory.mktemp("restart")
    with ExitStack() as cleanup:
        bots = start_both_profiles(cleanup, workdir, secrets.token_hex(16))
        yield bots


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_server_killed_mid_form_goes_on_with_the_next_question_after_a_restart(bots, store):
    bot, sender = bots[store], f"restart-{uuid.uuid4().hex[:10]}"
    assert answered_with(bot.send(sender, "帮我算算怎么还"), "utter_ask_balance")
    assert answered_with(bot.send(sender, "5万"), "utter_ask_lender_type")
    assert answered_with(
        bot.send(sender, '/inform_finances{"lender_type":"credit_card"}'),
        "utter_ask_months_overdue",
    )
    assert answered_with(bot.send(sender, "三个月"), "utter_ask_monthly_income")

    bot.kill()
    assert bot.process.returncode == -signal.SIGKILL
    started = time.perf_counter()
    bot.start()
    print(f"\n{store}: killed and up again in {time.perf_counter() - started:.0f} s")

    assert answered_with(bot.send(sender, "9000"), "utter_ask_monthly_expenses")
    assert answered_with(bot.send(sender, "五千五"), "utter_ask_lump_sum")
    offers = customs(bot.send(sender, "没有"), "repayment_offer")
    assert len(offers) == 1
    offer = offers[0]
    assert_offer_invariants(offer)
    assert (offer["balance"], offer["lender_type"]) == (50000, "credit_card")
    assert (offer["monthly_income"], offer["monthly_expenses"]) == (9000, 5500)
    assert (offer["opening_monthly"], offer["opening_term_months"]) == (1800, 28)
    assert (offer["ceiling_monthly"], offer["ceiling_term_months"]) == (2600, 20)
