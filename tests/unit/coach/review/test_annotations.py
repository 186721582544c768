from coach.review.annotations import sort_annotations

INTENTS = frozenset({"report_collector_demand", "ask_fee_waiver"})


def line(text: str, correct: str | None) -> dict:
    return {"text": text, "intent": "nlu_fallback", "correct_intent": correct}


def test_reviewed_lines_are_accepted_under_the_intent_the_reviewer_gave():
    result = sort_annotations(
        [line("那个催的说要来我家找我妈#", "report_collector_demand"), line("嗯嗯嗯", None)],
        INTENTS,
        held_out=[],
        trained=[],
    )
    assert result.accepted == {"report_collector_demand": ["那个催的说要来我家找我妈#"]}
    assert result.unreviewed == 1


def test_a_line_that_repeats_a_held_out_test_line_is_refused_even_written_differently():
    result = sort_annotations(
        [line("利息能不能减免一点？", "ask_fee_waiver")],
        INTENTS,
        held_out=["利息能不能減免一點"],
        trained=[],
    )
    assert result.accepted == {}
    assert result.refused == [("利息能不能减免一点？", "repeats a held-out test line (tests/nlu)")]


def test_unknown_intents_masks_only_and_known_lines_are_refused():
    result = sort_annotations(
        [
            line("他们说明天上门", "ask_home_visit_typo"),
            line("# #", "ask_fee_waiver"),
            line("违约金可以免吗", "ask_fee_waiver"),
            line("违约金可以免吗", "ask_fee_waiver"),
        ],
        INTENTS,
        held_out=[],
        trained=["违约金可以免吗"],
    )
    assert [why for _, why in result.refused] == [
        "no intent 'ask_home_visit_typo' in domain.yml",
        "nothing but masks",
        "already in the training data",
        "already in the training data",
    ]
