"""The practice call: the bot plays the collector inside ``roleplay_form``, with a coach
beside the call.

A start (``action_start_roleplay``) begins a round, or shows what to choose first: which
of the user's debts (two or more), or the collector menu with difficulties and goal drills.
While a menu waits, ``roleplay_form`` is active without a round, so a typed choice (外包的,
难一点) reaches ``validate_roleplay_form`` whatever the NLU made of it.

In a round, every user message reaches ``validate_roleplay_form``, which hands it to the
collector engine (``coach.practice.collector``) unless it is for the coach
(``coach.practice.controls``): a hint (提示) is given and the learner speaks next; a
question for the coach is let through (a rule answers it, the round resumes); distress ends
the form with the round kept, and the coach steps out of the role; controls replay the
round from a turn or switch the collector or difficulty. ``action_ask_roleplay_turn``
speaks the collector's latest line; when the round ends, ``action_roleplay_score`` scores
it. The round lives in the ``roleplay_state`` slot as ``RoundState.to_slot()``; this module
is the only place that converts between the slot and the typed state.
"""

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions._action import Reply
from actions._debt_plan import slot_debts, typed_text
from actions._latest_message import latest_entities, latest_intent
from coach.content import load_content
from coach.debts.model import Debt
from coach.figures.slots import FIGURE_SLOTS, figures_before_latest_message, known_figures
from coach.practice.cases import scenario_from_debt, scenario_from_figures, scenario_from_offer
from coach.practice.collector import finish_round, take_turn
from coach.practice.collector_speech import opening_line, persona_label, scenario_text
from coach.practice.collector_style import difficulty_settings
from coach.practice.controls import (
    COACH_INTENTS,
    HINT_INTENT,
    Aside,
    Choices,
    choices_from_entities,
    next_step,
    persona_for_lender,
    read_aside,
    read_choices,
    read_replay,
    read_switch,
    reads_like_a_call,
    reads_resume,
    replay_control,
    replay_payload,
    short,
)
from coach.practice.debrief import (
    RoundSummary,
    history_from_slot,
    history_to_slot,
    render_replay,
    with_debrief,
)
from coach.practice.goals import drill
from coach.practice.hints import hint_for
from coach.practice.opening import answer_first_line
from coach.practice.replay import Replay, last_start, replay_from
from coach.practice.round_start import new_round, restart, round_seed
from coach.practice.scorer import render_feedback, score_round
from coach.practice.state import RoundState

__all__ = ["scenario_from_offer"]  # kept here for callers of earlier versions

ROUND_DONE = "done"
# Distress: the form ends, the round stays in the slot, the coach steps out of the role.
ROUND_PAUSED = "paused"
# The menu was left without starting a round.
MENU_CLOSED = "closed"
# The summaries of the conversation's earlier rounds (coach.practice.debrief.RoundSummary).
HISTORY_SLOT = "roleplay_history"
# The choices made while a menu waits (coach.practice.controls.Choices); None: no menu.
SETUP_SLOT = "roleplay_setup"
# The last round that ended (its slot form), for 重来 and 从第3句重来 after the score.
LAST_SLOT = "roleplay_last"
# Handed to the rules (data/rules/practice.yml) instead of the collector.
LEAVING_INTENTS = frozenset({"express_crisis", "delete_my_data"})
# Ways out of the menu (and, for the first two, out of a round: it is scored).
STOP_INTENTS = frozenset({"stop_roleplay", "stop_form"})
MENU_EXITS = STOP_INTENTS | {"deny", "goodbye"}
CONTROL_RESUME, CONTROL_MILDER = "resume", "milder"


def _texts() -> dict[str, Any]:
    texts: dict[str, Any] = load_content("roleplay")["texts"]
    return texts


def current_round(tracker: Tracker) -> RoundState | None:
    """The round in the slot; None when there is none or the slot holds no usable round."""
    return RoundState.from_slot(tracker.get_slot("roleplay_state"))


def last_round(tracker: Tracker) -> RoundState | None:
    return RoundState.from_slot(tracker.get_slot(LAST_SLOT))


def menu_waiting(tracker: Tracker) -> bool:
    """A start's menu waits for a choice (the form is active without a round)."""
    return tracker.get_slot(SETUP_SLOT) is not None and current_round(tracker) is None


def cleared_round() -> list[EventType]:
    return [
        SlotSet("roleplay_state", None),
        SlotSet("roleplay_turn", None),
        SlotSet("roleplay_line", None),
        SlotSet(SETUP_SLOT, None),
    ]


def confidence(tracker: Tracker) -> float:
    value = (tracker.latest_message.get("intent") or {}).get("confidence")
    return float(value) if isinstance(value, (int, float)) else 1.0


def aside_of(tracker: Tracker) -> Aside:
    """Whom the latest message of a round is for (coach.practice.controls.read_aside); a
    button of the guide clicked in a round is a question for the coach."""
    text, intent = typed_text(tracker), latest_intent(tracker)
    if text:
        return read_aside(text, intent, confidence(tracker))
    if intent == HINT_INTENT:
        return "hint"
    return "coach_question" if intent in COACH_INTENTS else "turn"


def control_of(tracker: Tracker) -> str | None:
    value = latest_entities(tracker).get("roleplay_control")
    return value if isinstance(value, str) else None


# --- the case and the start of a round -------------------------------------------------


def form_unfinished(tracker: Tracker) -> bool:
    """Figures of a repayment form are known, but no offer or plan was made from them."""
    figures = known_figures(tracker.slots)
    started = any(value is not None for value in figures.values())
    return started and not tracker.get_slot("offer") and not tracker.get_slot("debt_plan")


def debt_named(debts: Sequence[Debt], debt_id: str | None) -> Debt | None:
    return next((debt for debt in debts if debt.id == debt_id), None)


def own_scenario(tracker: Tracker, debt: Debt | None) -> dict[str, Any] | None:
    """The user's own case: the chosen debt, the computed offer, or an unfinished form."""
    overdue = tracker.get_slot("months_overdue")
    if debt is not None:
        return scenario_from_debt(debt, tracker.get_slot("debt_plan"), overdue)
    offer = scenario_from_offer(tracker.get_slot("offer"), {"months_overdue": overdue})
    return offer or scenario_from_figures(known_figures(tracker.slots))


def collector_label(state: RoundState) -> str:
    """The collector as the intro names it, with the difficulty when it is not standard."""
    label = persona_label(state)
    if state.difficulty == "standard":
        return label
    return str(
        load_content("roleplay")["feedback"]["with_difficulty"].format(
            persona_label=label, difficulty=difficulty_settings(state.difficulty).label
        )
    )


def round_events(
    state: RoundState, dispatcher: CollectingDispatcher, note: str | None = None
) -> list[EventType]:
    """Says the intro (and a note before it), and puts the round in the slots."""
    if note:
        dispatcher.utter_message(text=note)
    label = collector_label(state)
    dispatcher.utter_message(
        response="utter_roleplay_intro", persona_label=label, scenario=scenario_text(state)
    )
    if state.goal:
        goal = drill(state.goal)
        brief = _texts()["drill_brief"].format(
            goal=goal.label, situation=goal.situation, aim=goal.aim
        )
        dispatcher.utter_message(text=brief)
    return [
        SlotSet("roleplay_state", state.to_slot()),
        SlotSet("roleplay_line", opening_line(state)),
        SlotSet("roleplay_turn", None),
        SlotSet(SETUP_SLOT, None),
    ]


def new_seed(tracker: Tracker) -> int:
    # A new seed every round (the events so far differ), so rounds vary yet replay exactly.
    return round_seed(tracker.sender_id, len(tracker.events))


def begin_round(
    choices: Choices, tracker: Tracker, dispatcher: CollectingDispatcher
) -> list[EventType]:
    """A round with the choices made: a goal drill plays its own case; a chosen debt, the
    offer or the figures given so far make the user's own case; else the built-in one."""
    seed = new_seed(tracker)
    difficulty = choices.difficulty or "standard"
    if choices.goal:
        goal = drill(choices.goal)
        state = new_round(
            choices.persona or goal.persona,
            goal.scenario,
            seed=seed,
            difficulty=difficulty,
            goal=goal.goal,
            lump_sum_available=goal.lump_sum_available,
        )
        return round_events(state, dispatcher)
    debt = debt_named(slot_debts(tracker), choices.debt)
    persona = choices.persona or (persona_for_lender(debt.lender_type) if debt else None)
    scenario = own_scenario(tracker, debt)
    state = new_round(persona, scenario, seed=seed, difficulty=difficulty)
    return round_events(state, dispatcher)


def choices_line(choices: Choices) -> str | None:
    """好，难度：困难。 for choices noted while the menu waits."""
    texts = _texts()
    items = []
    if choices.difficulty:
        label = difficulty_settings(choices.difficulty).label
        items.append(texts["choice_difficulty"].format(label=label))
    if choices.goal:
        items.append(texts["choice_goal"].format(label=drill(choices.goal).label))
    if not items:
        return None
    return str(texts["choices_noted"].format(choices=texts["choice_separator"].join(items)))


def debt_buttons(debts: Sequence[Debt], choices: Choices) -> list[dict[str, str]]:
    """One button per debt ("招行（20000元）"), carrying the choices made so far."""
    buttons = []
    for debt in debts:
        chosen = {"roleplay_debt": debt.id}
        if choices.persona:
            chosen["persona"] = choices.persona
        if choices.difficulty:
            chosen["roleplay_difficulty"] = choices.difficulty
        payload = "/start_roleplay" + _json(chosen)
        title = _texts()["debt_button"].format(label=debt.label, balance=debt.balance)
        buttons.append({"title": title, "payload": payload})
    return buttons


def _json(values: dict[str, str]) -> str:
    inner = ",".join(f'"{key}":"{value}"' for key, value in values.items())
    return "{" + inner + "}"


def proceed(
    choices: Choices, tracker: Tracker, dispatcher: CollectingDispatcher, first: bool
) -> list[EventType]:
    """Start, or ask what is still to choose (the menu waits in the form)."""
    debts = slot_debts(tracker)
    step = next_step(choices, debts)
    if step == "start":
        return begin_round(choices, tracker, dispatcher)
    if step == "ask_debt":
        dispatcher.utter_message(
            response="utter_roleplay_which_debt", buttons=debt_buttons(debts, choices)
        )
    else:
        noted = choices_line(choices)
        if noted:
            dispatcher.utter_message(text=noted)
        if first:
            dispatcher.utter_message(response="utter_choose_persona")
            dispatcher.utter_message(response="utter_roleplay_options")
        else:
            dispatcher.utter_message(response="utter_roleplay_menu_again")
    return [
        SlotSet(SETUP_SLOT, choices.to_slot()),
        SlotSet("roleplay_state", None),
        SlotSet("roleplay_line", None),
        SlotSet("roleplay_turn", None),
    ]


def replay_events(base: RoundState, turn: int, dispatcher: CollectingDispatcher) -> list[EventType]:
    """The round again from the learner's turn ``turn`` (clamped to the turns it has)."""
    latest = len(base.readings) if base.finished else last_start(base)
    chosen = max(1, min(turn, latest))
    replay: Replay | None = replay_from(base, chosen)
    if replay is None:  # a round without turns: from its start
        chosen, replay = 1, replay_from(base, 1)
    assert replay is not None
    texts = _texts()
    if chosen != turn:
        dispatcher.utter_message(text=texts["replay_clamped"].format(turns=latest, turn=chosen))
    key = "replay_whole" if chosen == 1 else "replay"
    dispatcher.utter_message(text=texts[key].format(turn=chosen))
    return [
        SlotSet("roleplay_state", replay.state.to_slot()),
        SlotSet("roleplay_line", replay.line),
        SlotSet("roleplay_turn", None),
        SlotSet(SETUP_SLOT, None),
    ]


class ActionStartRoleplay(Reply):
    """练习: resume a round the coach stepped out of, replay the last round, switch to a
    milder collector, or start (with the menu first when nothing is chosen)."""

    action_name = "action_start_roleplay"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        control, text = control_of(tracker), typed_text(tracker)
        paused = current_round(tracker)
        waiting = paused if paused is not None and not paused.finished else None
        if waiting is not None and (control == CONTROL_RESUME or reads_resume(text)):
            dispatcher.utter_message(text=_texts()["resumed"])
            return [SlotSet(SETUP_SLOT, None), SlotSet("roleplay_turn", None)]
        replay = read_replay(text) or replay_control(control)
        base = waiting or last_round(tracker)
        if replay and base is not None:
            return replay_events(base, replay, dispatcher)
        debts = slot_debts(tracker)
        choices = read_choices(text, debts).merged(
            choices_from_entities(latest_entities(tracker), debts)
        )
        if control == CONTROL_MILDER and waiting is not None:
            milder = restart(
                waiting,
                persona=choices.persona or "polite",
                difficulty=choices.difficulty or "easy",
                seed=new_seed(tracker),
            )
            return round_events(milder, dispatcher)
        return proceed(choices, tracker, dispatcher, first=True)


class ActionAskRoleplayTurn(Reply):
    """The form's question: the collector's current line; after the coach answered a
    question, 回到练习 and that line; nothing after a hint (the learner speaks next). While
    the menu waits: nothing after a choice, a reminder after anything else."""

    action_name = "action_ask_roleplay_turn"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if menu_waiting(tracker):
            if not menu_message_handled(tracker):
                dispatcher.utter_message(response="utter_roleplay_menu_again")
            return []
        aside = aside_of(tracker)
        if aside == "hint":
            return []
        line = tracker.get_slot("roleplay_line") or ""
        if aside == "coach_question":
            line = _texts()["back_to_round"].format(line=line)
        dispatcher.utter_message(text=line)
        return []


def menu_choices(tracker: Tracker) -> Choices:
    """The choices the latest message makes while the menu waits: a button's, or a short
    typed one (外包的, 难一点, 和借呗练)."""
    debts = slot_debts(tracker)
    clicked = choices_from_entities(latest_entities(tracker), debts)
    text = typed_text(tracker)
    typed = read_choices(text, debts) if text and short(text) else Choices()
    return typed.merged(clicked)


def menu_message_handled(tracker: Tracker) -> bool:
    """The latest message was a choice, a start, or distress (no reminder after these)."""
    intent = latest_intent(tracker)
    if intent == "start_roleplay" or menu_choices(tracker).any:
        return True
    return read_aside(typed_text(tracker), intent, confidence(tracker)) == "distress"


# Actions that may run between the user's message and the form's validation of it.
PART_OF_THE_TURN = frozenset(
    {"action_listen", "action_extract_slots", "roleplay_form", "validate_roleplay_form"}
)


def activated_now(tracker: Tracker) -> bool:
    """The form is validating because a start just activated it (action_start_roleplay ran
    after the latest message), not because the user said something to it."""
    events = tracker.events
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return any(
        event.get("event") == "action" and event.get("name") not in PART_OF_THE_TURN
        for event in events[last_user + 1 :]
    )


def keep_real_figures(tracker: Tracker) -> list[EventType]:
    """Figures said to the pretend collector ("我只欠3万") are part of the act: the slot
    mappings filled them, these events put the user's real figures back."""
    before = figures_before_latest_message(tracker.events)
    return [
        SlotSet(name, before[name])
        for name in FIGURE_SLOTS
        if tracker.get_slot(name) != before[name]
    ]


class ValidateRoleplayForm(FormValidationAction):
    """Every message while the form is active: the menu's choice, or the round's turn, or
    something for the coach (see the module docstring). ``roleplay_turn`` has a custom
    mapping: only this action sets it (None: the round goes on; ``done``, ``paused`` or
    ``closed``: the form ends)."""

    def name(self) -> str:
        return "validate_roleplay_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        if intent in LEAVING_INTENTS:
            return [ActionExecutionRejected(self.form_name()), *keep_real_figures(tracker)]
        if activated_now(tracker):
            # Activated by a start: nothing said yet, the round keeps its opening line.
            return [SlotSet("roleplay_turn", None)]
        if menu_waiting(tracker):
            return self.menu_step(dispatcher, tracker)
        state = current_round(tracker)
        if state is None:
            return [SlotSet("roleplay_turn", ROUND_DONE)]
        if aside_of(tracker) == "coach_question":
            # A question for the coach: a rule answers it and the round resumes; a figure
            # in it is still part of the act, not the real plan.
            return [ActionExecutionRejected(self.form_name()), *keep_real_figures(tracker)]
        slots = self.round_step(state, tracker, dispatcher)
        return [SlotSet(name, value) for name, value in slots.items()] + keep_real_figures(tracker)

    def menu_step(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """A choice while the menu waits: start, or ask what is still to choose; a way out
        closes the menu; anything else is let through to its rule (the menu waits on)."""
        intent = latest_intent(tracker)
        choices = menu_choices(tracker)
        if not choices.any and intent in MENU_EXITS:
            return [SlotSet("roleplay_turn", MENU_CLOSED)]
        if not choices.any and reads_like_a_call(typed_text(tracker), intent, confidence(tracker)):
            return self.typed_start(dispatcher, tracker) + keep_real_figures(tracker)
        if not choices.any:
            return [ActionExecutionRejected(self.form_name())]
        chosen = Choices.from_slot(tracker.get_slot(SETUP_SLOT)).merged(choices)
        events = proceed(chosen, tracker, dispatcher, first=False)
        return events + keep_real_figures(tracker)

    def typed_start(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """The learner began the call by typing (喂你好): a round with the choices made so
        far and the default collector; their line is turn 1 and the collector answers it."""
        chosen = Choices.from_slot(tracker.get_slot(SETUP_SLOT))
        slots = _slots(begin_round(chosen, tracker, dispatcher))
        state = RoundState.from_slot(slots["roleplay_state"])
        assert state is not None  # begin_round always puts a round in the slot
        result = answer_first_line(state, tracker.latest_message.get("text") or "")
        slots |= {"roleplay_state": result.state.to_slot(), "roleplay_line": result.collector_line}
        if result.finished:
            dispatcher.utter_message(text=result.collector_line)
        slots["roleplay_turn"] = ROUND_DONE if result.finished else None
        return [SlotSet(name, value) for name, value in slots.items()]

    def round_step(
        self, state: RoundState, tracker: Tracker, dispatcher: CollectingDispatcher
    ) -> dict[str, Any]:
        """The slots after one message of a round."""
        intent, text = latest_intent(tracker), typed_text(tracker)
        if reads_resume(text):
            return {"roleplay_turn": None}  # 继续: the collector's line again
        if intent in STOP_INTENTS:
            return {"roleplay_turn": ROUND_DONE, "roleplay_state": finish_round(state).to_slot()}
        controlled = self.control(state, tracker, dispatcher)
        if controlled is not None:
            return controlled
        aside = aside_of(tracker)
        if aside == "hint":
            dispatcher.utter_message(text=hint_for(state).text())
            return {"roleplay_turn": None}
        if aside == "distress":
            return {"roleplay_turn": ROUND_PAUSED}
        return self.turn(state, tracker.latest_message.get("text") or "", dispatcher)

    def control(
        self, state: RoundState, tracker: Tracker, dispatcher: CollectingDispatcher
    ) -> dict[str, Any] | None:
        """重来 / 从第3句重来, another collector or difficulty (typed or a button), a goal
        drill; a bare start in the middle of a round says how to do these."""
        text, control = typed_text(tracker), control_of(tracker)
        replay = read_replay(text) or replay_control(control)
        if replay:
            return _slots(replay_events(state, replay, dispatcher))
        clicked = choices_from_entities(latest_entities(tracker), slot_debts(tracker))
        switch = clicked if clicked.any else (read_switch(text) or Choices())
        if switch.goal:
            return _slots(begin_round(switch, tracker, dispatcher))
        if switch.persona or switch.difficulty:
            again = restart(
                state,
                persona=switch.persona,
                difficulty=switch.difficulty,
                seed=new_seed(tracker),
            )
            note = _texts()["switched"].format(persona_label=collector_label(again))
            return _slots(round_events(again, dispatcher, note))
        if latest_intent(tracker) == "start_roleplay":
            dispatcher.utter_message(response="utter_roleplay_in_progress")
            return {"roleplay_turn": None}
        return None

    @staticmethod
    def turn(state: RoundState, text: str, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        result = take_turn(state, text)
        slots: dict[str, Any] = {
            "roleplay_state": result.state.to_slot(),
            "roleplay_line": result.collector_line,
        }
        if result.finished:
            dispatcher.utter_message(text=result.collector_line)
            slots["roleplay_turn"] = ROUND_DONE
        else:
            slots["roleplay_turn"] = None
        return slots


def _slots(events: list[EventType]) -> dict[str, Any]:
    return {event["name"]: event["value"] for event in events}


class ActionRoleplayScore(Reply):
    """The form has ended: a round is scored; after distress the coach steps out (the
    round waits, unscored); a menu left without a choice is closed."""

    action_name = "action_roleplay_score"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        ended = tracker.get_slot("roleplay_turn")
        state = current_round(tracker)
        if ended == MENU_CLOSED:
            dispatcher.utter_message(response="utter_roleplay_menu_closed")
            return cleared_round()
        if ended == ROUND_PAUSED and state is not None:
            dispatcher.utter_message(response="utter_roleplay_step_out")
            return [SlotSet("roleplay_turn", None)]
        if state is None:
            dispatcher.utter_message(response="utter_roleplay_not_active")
            # A slot that holds no usable round (hand-edited, garbled) is cleared.
            return cleared_round() if tracker.get_slot("roleplay_state") else []
        payload, summary = scored_round(state, tracker)
        dispatcher.utter_message(text=render_feedback(payload, state))
        dispatcher.utter_message(json_message=payload)
        if payload["finished"]:
            dispatcher.utter_message(text=render_replay(payload))
        dispatcher.utter_message(response="utter_roleplay_next", buttons=replay_buttons(payload))
        if form_unfinished(tracker):
            dispatcher.utter_message(response="utter_roleplay_resume_form")
        kept = [SlotSet(LAST_SLOT, finish_round(state).to_slot())]
        return cleared_round() + history_events(tracker, summary) + kept


def replay_buttons(payload: dict[str, Any]) -> list[dict[str, str]]:
    """从第N句重来 for the turns the debrief points at as errors (after the first turn)."""
    turns = sorted(
        {c["turn"] for c in payload.get("debrief") or [] if c.get("kind") == "error"} - {1}
    )
    title = _texts()["replay_button"]
    return [{"title": title.format(turn=n), "payload": replay_payload(n)} for n in turns[:2]]


def scored_round(state: RoundState, tracker: Tracker) -> tuple[dict[str, Any], RoundSummary]:
    """The score payload with the debrief and the progress over earlier rounds."""
    previous = history_from_slot(tracker.get_slot(HISTORY_SLOT))
    return with_debrief(score_round(state), state, previous)


def history_events(tracker: Tracker, summary: RoundSummary) -> list[EventType]:
    """The round's summary added to the history slot."""
    previous = history_from_slot(tracker.get_slot(HISTORY_SLOT))
    return [SlotSet(HISTORY_SLOT, history_to_slot([*previous, summary]))]


def practice_guess(tracker: Tracker) -> list[dict[str, str]]:
    """重来 / 从第3句重来 typed when no round runs, as the classifier cannot place it: a
    button that replays the last round (or the one the coach stepped out of)."""
    turn = read_replay(typed_text(tracker))
    if turn is None or (current_round(tracker) or last_round(tracker)) is None:
        return []
    title = _texts()["replay_button"].format(turn=turn) if turn > 1 else _texts()["replay_all"]
    return [{"title": title, "payload": replay_payload(turn)}]


class ActionStopRoleplay(Reply):
    """结束练习 with no round running: a round the coach stepped out of ends unscored; a
    typed 继续练习 (read as a stop) offers to resume it."""

    action_name = "action_stop_roleplay"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        state = current_round(tracker)
        if state is not None and not state.finished:
            if reads_resume(typed_text(tracker)):
                dispatcher.utter_message(response="utter_roleplay_resume_offer")
                return []
            dispatcher.utter_message(response="utter_roleplay_paused_ended")
            return cleared_round()
        dispatcher.utter_message(response="utter_roleplay_not_active")
        return cleared_round() if tracker.get_slot("roleplay_state") else []


class ActionRoleplayEndForSafety(Reply):
    """A crisis in the middle of practice: the round ends, nothing of it is kept for a
    replay, and the crisis reply follows (data/rules/practice.yml)."""

    action_name = "action_roleplay_end_for_safety"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if current_round(tracker) is not None or tracker.get_slot(SETUP_SLOT) is not None:
            dispatcher.utter_message(response="utter_roleplay_ended_for_safety")
        return cleared_round() + [SlotSet(LAST_SLOT, None)]


class ActionRoleplayAside(Reply):
    """【教练】before the answer to a question asked in the middle of a round (nothing while
    only the menu waits)."""

    action_name = "action_roleplay_aside"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if current_round(tracker) is not None:
            dispatcher.utter_message(response="utter_roleplay_coach_aside")
        return []
