"""The first step of Rasa's two-stage fallback: "你是想问……吗？" with two guesses.

Rasa's ``action_two_stage_fallback`` calls ``action_default_ask_affirmation``; this
custom action replaces the default (one guess, its raw intent name) with the two best
guesses in words. A guess button sends that intent and the coach answers it; "都不是"
leads to ``utter_ask_rephrase``, the menu. After a crisis reply it asks gently instead.
When the best guess is an advice question the coach answers from its facts and is sure
enough, the coach answers it and offers the other guess as a button; on a second unclear
message in a row it shows the stages' buttons (``utter_fallback_stages``), so no one meets
three "没看懂" in a row (issue 22).
A practice control the classifier cannot place (重来, 从第3句重来 after a round) is the
first guess (actions/roleplay_actions.py ``practice_guess``). A known non-debtor (the
``user_role`` slot) asking what to say gets their own script instead of guesses.
"""


from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions._action import Reply
from actions.roleplay_actions import practice_guess
from coach.guidance.roles import THIRD_PARTIES, as_role, asks_for_script, role_script
from coach.guidance.rules_catalogue import topic_answer, topic_intents
from coach.understanding.clarify import (
    answer_lead,
    best_guesses,
    clarifying_question,
    guess_buttons,
    likelier_topic,
    unclear_turns_in_a_row,
)


class ActionDefaultAskAffirmation(Reply):
    action_name = "action_default_ask_affirmation"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        role = as_role(tracker.get_slot("user_role"))
        script = role_script(role) if role in THIRD_PARTIES else None
        if script and asks_for_script(tracker.latest_message.get("text") or ""):
            # A parent, spouse or guarantor asking what to say: their lines, not a guess.
            dispatcher.utter_message(text=script)
            return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        guesses = best_guesses(ranking)
        practice = [] if tracker.get_slot("crisis_care") else practice_guess(tracker)
        if tracker.get_slot("crisis_care") or not (guesses or practice):
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        if unclear_turns_in_a_row(_user_intents(tracker)) >= 2:
            dispatcher.utter_message(response="utter_fallback_stages")
            return []
        likelier = None if practice else likelier_topic(ranking, set(topic_intents()))
        answer = topic_answer(likelier[0]) if likelier else None
        if likelier and answer:
            text = f"{answer_lead()}\n{answer['text']}"
            dispatcher.utter_message(text=text, buttons=guess_buttons(likelier[1:]))
            return []
        buttons = practice + guess_buttons(guesses)
        dispatcher.utter_message(text=clarifying_question(), buttons=buttons)
        return []


def _user_intents(tracker: Tracker) -> list[str]:
    return [
        ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
        for event in tracker.events
        if event.get("event") == "user"
    ]
