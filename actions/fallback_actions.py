"""The first step of Rasa's two-stage fallback: "你是想问……吗？" with two guesses.

Rasa's ``action_two_stage_fallback`` calls ``action_default_ask_affirmation``; this
custom action replaces the default (one guess, its raw intent name) with the two best
guesses in words. A guess button sends that intent and the coach answers it; "都不是"
leads to ``utter_ask_rephrase``, the menu. After a crisis reply it asks gently instead.
A practice control the classifier cannot place (重来, 从第3句重来 after a round) is the
first guess (actions/roleplay_actions.py ``practice_guess``). A known non-debtor (the
``user_role`` slot) asking what to say gets their own script instead of guesses.
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.roleplay_actions import practice_guess
from coach.guidance.roles import THIRD_PARTIES, as_role, asks_for_script, role_script
from coach.understanding.clarify import best_guesses, clarifying_question, guess_buttons


class ActionDefaultAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        role = as_role(tracker.get_slot("user_role"))
        script = role_script(role) if role in THIRD_PARTIES else None
        if script and asks_for_script(tracker.latest_message.get("text") or ""):
            # A parent, spouse or guarantor asking what to say: their lines, not a guess.
            dispatcher.utter_message(text=script)
            return []
        guesses = best_guesses(tracker.latest_message.get("intent_ranking") or [])
        practice = [] if tracker.get_slot("crisis_care") else practice_guess(tracker)
        if tracker.get_slot("crisis_care") or not (guesses or practice):
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        buttons = practice + guess_buttons(guesses)
        dispatcher.utter_message(text=clarifying_question(), buttons=buttons)
        return []
