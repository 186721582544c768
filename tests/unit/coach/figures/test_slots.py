"""Reading the repayment figures from slots and from the event history."""

from coach.figures.slots import FIGURE_SLOTS, figures_before_latest_message


def slot(name, value):
    return {"event": "slot", "name": name, "value": value}


def user(text):
    return {"event": "user", "text": text}


def test_figures_before_the_latest_message_ignore_what_it_filled():
    events = [
        user("我欠4万8"),
        slot("balance", 48000.0),
        user("月收入一万二"),
        slot("monthly_income", 12000.0),
        user("我只欠你们3万"),
        slot("balance", 30000.0),
    ]
    before = figures_before_latest_message(events)
    assert before["balance"] == 48000.0 and before["monthly_income"] == 12000.0
    assert set(before) == set(FIGURE_SLOTS)


def test_a_figure_never_given_is_none():
    assert figures_before_latest_message([user("你好"), slot("balance", 1.0)]) == {
        name: None for name in FIGURE_SLOTS
    }


def test_a_restart_or_reset_forgets_earlier_figures():
    for reset in ({"event": "restart"}, {"event": "reset_slots"}):
        events = [user("4万8"), slot("balance", 48000.0), reset, user("你好")]
        assert figures_before_latest_message(events)["balance"] is None


def test_other_slots_are_not_figures():
    events = [user("x"), slot("persona", "pushy"), user("y")]
    assert "persona" not in figures_before_latest_message(events)


def test_no_events_no_figures():
    assert all(value is None for value in figures_before_latest_message([]).values())
