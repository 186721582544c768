"""Measured fixes for per-message waste inside Rasa 3.6.21, installed at server start.

1. ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` on every action
   server reply. That function first checks Rasa's constant response schema against the
   JSON Schema meta-schema: 32 ms per reply on the development machine, against 0.8 ms
   for the validation itself - more than the rest of a form step together. Here the
   schema is checked once and its validator reused: the same replies pass, the same
   replies fail with the same message.
2. ``Event.resolve_by_type`` walks the whole ``Event`` class tree for every event of a
   tracker loaded from the store: 58 µs per event, and a conversation through the form
   has 100+ events. Here a type name, once resolved, is remembered; unknown names still
   go the original way.
3. In a long conversation the policies and the action server see only its recent part
   (``addons/patches/history_window.py``): their cost no longer grows with the history.
4. The SQL tracker store returns the tracker it saved last instead of rebuilding it from
   every stored event, while the database holds just what it saved
   (``addons/patches/tracker_cache.py``).

The project's channels (``addons/channels``) call ``install()`` when Rasa builds their
routes, because every Rasa server of this project loads them from ``credentials.yml``;
nothing is patched by importing a module. Other Rasa versions are left untouched.
"""

import logging
from collections.abc import Callable
from typing import Any

import rasa
from jsonschema import ValidationError, validators
from rasa.core.actions.action import RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event

from addons.patches import history_window, tracker_cache

logger = logging.getLogger(__name__)

PATCHED_RASA_VERSION = "3.6.21"
_installed = False


def compiled_action_result_validator() -> Any:
    """The validator for Rasa's action-server response schema, checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def make_action_result_check() -> Callable[[Any, dict[str, Any]], bool]:
    validator = compiled_action_result_validator()

    def validate_action_result(_action: Any, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError as error:
            # the same hint Rasa adds in RemoteAction._validate_action_result
            error.message += (
                ". Failed to validate Action server response from API, "
                "make sure your response from the Action endpoint is valid. "
                "For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise error
        return True

    return validate_action_result


def make_cached_event_resolver(original: Callable) -> Callable:
    resolved: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        if type_name in resolved:
            return resolved[type_name]
        event_class = original(type_name, default)
        if event_class is not None and event_class is not default:
            resolved[type_name] = event_class
        return event_class

    return resolve_by_type


def install() -> bool:
    """Installs the fixes once; returns whether they are active."""
    global _installed
    if _installed:
        return True
    if rasa.__version__ != PATCHED_RASA_VERSION:
        logger.warning(
            "Speed-ups written for Rasa %s not installed on Rasa %s.",
            PATCHED_RASA_VERSION,
            rasa.__version__,
        )
        return False
    RemoteAction._validate_action_result = make_action_result_check()
    Event.resolve_by_type = staticmethod(make_cached_event_resolver(Event.resolve_by_type))
    MessageProcessor._predict_next_with_tracker = history_window.make_prediction_on_recent(
        MessageProcessor._predict_next_with_tracker
    )
    RemoteAction._action_call_format = history_window.make_action_call_on_recent(
        RemoteAction._action_call_format
    )
    SQLTrackerStore.retrieve = tracker_cache.make_cached_retrieve(SQLTrackerStore.retrieve)
    SQLTrackerStore.save = tracker_cache.make_remembering_save(SQLTrackerStore.save)
    _installed = True
    logger.info(
        "Speed-ups for Rasa %s installed (action reply check, event types, recent history, tracker cache).",
        rasa.__version__,
    )
    return True
