from coach.review.outcomes import MILESTONES, turn_outcome


def user(intent: str) -> dict:
    return {"event": "user", "text": "我欠了两万", "parse_data": {"intent": {"name": intent}}}


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def custom(kind: str) -> dict:
    return {"event": "bot", "text": None, "data": {"custom": {"type": kind, "balance": 20000}}}


def test_a_turn_without_a_user_message_has_no_outcome():
    assert turn_outcome([action("action_session_start"), action("action_listen")]) is None


def test_an_offer_is_the_repayment_offer_payload_not_the_action_alone():
    asked = turn_outcome([user("inform_finances"), action("action_compute_offer")])
    offered = turn_outcome(
        [user("inform_finances"), action("action_compute_offer"), custom("repayment_offer")]
    )
    assert asked.milestones == ()
    assert offered.milestones == ("offer",)


def test_milestones_come_from_actions_and_payloads():
    outcome = turn_outcome(
        [
            user("affirm"),
            action("action_delete_my_data"),
            custom("document"),
            custom("roleplay_score"),
        ]
    )
    assert outcome.milestones == ("data_deleted", "document", "practice_scored")
    assert set(MILESTONES) == {
        "offer",
        "document",
        "practice",
        "practice_scored",
        "contact_logged",
        "data_deleted",
    }


def test_fallback_and_crisis():
    assert turn_outcome([user("nlu_fallback"), action("action_two_stage_fallback")]).fell_back
    assert turn_outcome([user("greet"), action("action_default_fallback")]).fell_back
    # the two-stage fallback runs again when the user picks a guess: that is no fallback
    assert not turn_outcome(
        [user("ask_legal_rights"), action("action_two_stage_fallback")]
    ).fell_back
    assert turn_outcome([user("express_crisis")]).crisis
    assert not turn_outcome([user("express_anxiety")]).crisis
