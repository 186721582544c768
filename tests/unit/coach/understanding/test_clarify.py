"""coach.understanding.clarify: the two guesses of the two-stage fallback."""

from coach.understanding.clarify import best_guesses, clarifying_question, guess_buttons

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.5},
    {"name": "greet", "confidence": 0.31},
    {"name": "ask_collector_role", "confidence": 0.22},
    {"name": "affirm", "confidence": 0.2},
    {"name": "ask_legal_rights", "confidence": 0.18},
    {"name": "report_abusive_collection", "confidence": 0.1},
]


def test_the_two_best_intents_that_can_be_offered_are_the_guesses():
    assert best_guesses(RANKING) == ["ask_collector_role", "ask_legal_rights"]


def test_the_order_follows_confidence_not_the_list():
    assert best_guesses(list(reversed(RANKING))) == ["ask_collector_role", "ask_legal_rights"]


def test_greetings_yes_no_and_deletion_are_never_offered():
    ranking = [{"name": n, "confidence": 0.3} for n in ("greet", "deny", "delete_my_data")]
    assert best_guesses(ranking) == []


def test_each_guess_is_a_button_in_words_and_neither_comes_last():
    buttons = guess_buttons(["ask_collector_role", "ask_legal_rights"])
    assert [b["payload"] for b in buttons] == [
        "/ask_collector_role",
        "/ask_legal_rights",
        "/out_of_scope",
    ]
    assert all(b["title"] and "_" not in b["title"] for b in buttons)
    assert clarifying_question().endswith("？")


def test_unclear_turns_are_counted_back_from_the_last_message():
    from coach.understanding.clarify import unclear_turns_in_a_row

    assert unclear_turns_in_a_row(["nlu_fallback", "greet", "nlu_fallback", "nlu_fallback"]) == 2
    assert unclear_turns_in_a_row(["nlu_fallback", "greet"]) == 0
    assert unclear_turns_in_a_row([]) == 0


def test_only_an_answerable_best_guess_above_the_floor_is_answered():
    from coach.understanding.clarify import likelier_topic

    ranking = [
        {"name": "ask_old_debt", "confidence": 0.3},
        {"name": "ask_legal_rights", "confidence": 0.2},
    ]
    assert likelier_topic(ranking, {"ask_old_debt"}) == ["ask_old_debt", "ask_legal_rights"]
    assert likelier_topic(ranking, {"ask_legal_rights"}) is None
    low = [{"name": "ask_old_debt", "confidence": 0.1}]
    assert likelier_topic(low, {"ask_old_debt"}) is None
