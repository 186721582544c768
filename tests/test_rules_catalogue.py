"""The rules catalogue: one reviewed place for every fact the coach states."""

from actions.rules_catalogue import STATUSES, all_facts, fact, hotline_numbers, rights_answer


def test_every_fact_has_a_source_and_a_known_status():
    for entry in all_facts():
        assert entry["source"] and entry["text_zh"]
        assert entry["status"] in STATUSES


def test_reported_and_lore_facts_are_not_phrased_as_settled_law():
    for entry in all_facts():
        if entry["status"] == "lore":
            assert any(word in entry["text_zh"] for word in ("经验", "一般", "通常", "据说"))


def test_the_hotlines_the_coach_gives_are_in_the_catalogue():
    numbers = hotline_numbers()
    for number in ("12378", "110", "120", "12356"):
        assert number in numbers


def test_the_rights_answer_names_the_night_rule_and_where_to_complain():
    answer = rights_answer()
    assert "晚上10点" in answer["text"] and "12378" in answer["text"]
    assert answer["buttons"]
    assert fact("no_contact_at_night")["status"] == "reported"
