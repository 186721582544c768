"""The two Rasa speed-ups change how fast, never what: same accepted and rejected replies,
same event classes."""

from unittest import mock

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from addons.patches import speedups

GOOD_REPLIES = [
    {"events": [], "responses": []},
    {
        "events": [
            SlotSet("monthly_income", 9000).as_dict(),
            {"event": "slot", "name": "requested_slot", "value": "essential_expenses"},
        ],
        "responses": [{"response": "utter_ask_essential_expenses"}],
    },
    {"events": [{"event": "followup", "name": "action_compute_offer"}], "responses": []},
]
BAD_REPLIES = [
    {"events": "not a list", "responses": []},
    {"events": [{"event": "slot", "name": 5, "value": 1}], "responses": []},
    {"events": [], "responses": ["not an object"]},
    {"events": [{"event": "no_such_event"}], "responses": []},
]


def stock_verdict(reply) -> bool:
    try:
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    except ValidationError:
        return False
    return True


@pytest.fixture
def check():
    return speedups.make_action_result_check()


@pytest.mark.parametrize("reply", GOOD_REPLIES)
def test_accepts_what_rasa_accepts(check, reply):
    assert stock_verdict(reply)
    assert check(None, reply) is True


@pytest.mark.parametrize("reply", BAD_REPLIES)
def test_rejects_what_rasa_rejects_with_rasas_hint(check, reply):
    assert not stock_verdict(reply)
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        check(None, reply)


def test_the_schema_is_checked_once_not_per_reply():
    with mock.patch.object(
        jsonschema.validators.Draft202012Validator,
        "check_schema",
        wraps=jsonschema.validators.Draft202012Validator.check_schema,
    ) as check_schema:
        check = speedups.make_action_result_check()
        for _ in range(5):
            check(None, GOOD_REPLIES[1])
    assert check_schema.call_count == 1


@pytest.mark.parametrize(
    "type_name, event_class",
    [("slot", SlotSet), ("user", UserUttered), ("action", ActionExecuted)],
)
def test_cached_resolver_returns_the_same_classes(type_name, event_class):
    resolve = speedups.make_cached_event_resolver(lambda name, default=None: event_class)
    assert resolve(type_name) is event_class
    assert resolve(type_name) is event_class


def test_cached_resolver_asks_the_original_once_per_name():
    original = mock.Mock(return_value=SlotSet)
    resolve = speedups.make_cached_event_resolver(original)
    for _ in range(3):
        resolve("slot")
    original.assert_called_once_with("slot", None)


def test_cached_resolver_does_not_remember_defaults_or_misses():
    original = mock.Mock(side_effect=lambda name, default=None: default)
    resolve = speedups.make_cached_event_resolver(original)
    assert resolve("topic") is None
    assert resolve("old_event", default=SlotSet) is SlotSet
    assert resolve("old_event") is None
    assert original.call_count == 3


def test_unknown_event_names_still_raise_after_install():
    assert speedups.install()
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_installed_resolver_deserialises_a_stored_tracker_the_same_way():
    assert speedups.install()
    events = [UserUttered("5万").as_dict(), SlotSet("total_debt", 50000).as_dict()]
    restored = [Event.from_parameters(event) for event in events]
    assert [type(event) for event in restored] == [UserUttered, SlotSet]
    assert restored[1].value == 50000


def test_install_leaves_other_rasa_versions_alone(monkeypatch):
    monkeypatch.setattr(speedups, "_installed", False)
    monkeypatch.setattr(speedups.rasa, "__version__", "3.7.0")
    before = RemoteAction._validate_action_result
    assert speedups.install() is False
    assert RemoteAction._validate_action_result is before
