"""The case file in the conversation (issue 16): recording contacts, the log, documents.

A contact is recorded in ``contact_form``: ``action_log_contact`` reads the account (the
message, or the report a "记下这次联系" button was under), then the form asks only what is
missing (what happened, when) and shows what it understood until the user confirms it;
``action_save_contact`` keeps it in ``contact_log`` and replies with its likely breaches
and the next step. ``action_show_contact_log`` lists the log, or corrects or removes an
entry ("第 1 条时间是昨晚10点", "删掉第 2 条"). The document actions write the complaint
letter, the instalment application and the action plan from the conversation's facts,
keep them in ``documents`` and send the ``document`` payload (docs/contract.md §3).
"""

from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions._action import Reply
from actions._casefile import (
    CONFIRMED,
    DRAFT_SLOT,
    EDITED,
    REMOVE_ENTITY,
    account_draft,
    apply_edit,
    cleared_form,
    earlier_messages,
    known,
    latest_text,
    lender_type,
    log_edit_events,
    log_entries,
    log_events,
    message_time,
    requested_edit,
    saved_entry,
    send_document,
)
from actions._latest_message import latest_entities, latest_intent, resuming
from actions.debt_actions import ActionEditDebts
from coach.casefile import dossier
from coach.casefile.documents import contact_log_payload, local_iso
from coach.casefile.edits import (
    apply_to_draft,
    needs_when,
    read_account,
    read_fix,
    says_cancel,
    says_no,
    says_time_unknown,
    says_yes,
    without_commands,
)
from coach.casefile.followup import button_title
from coach.casefile.replies import (
    complaint_guidance,
    confirm_buttons,
    day_text,
    document_buttons,
    document_text,
    log_buttons,
    log_text,
    no_such_entry_text,
    ready_text,
    saved_buttons,
    saved_texts,
    understood_text,
)
from coach.casefile.slot import Draft, draft_from_slot, draft_to_slot
from coach.debts.slot import debts_from_slot
from coach.language.normalise import clean

# Intents that end or pause the contact form whatever the message says
# (data/rules/casefile.yml).
LEAVING_INTENTS = frozenset({"express_crisis", "stop_form", "delete_my_data"})
# Questions a rule answers inside the contact form before it asks again
# (data/rules/casefile.yml, "… inside the contact form"), when the message is no answer
# to the form's question; tests/unit/actions/test_casefile_actions.py keeps both in step.
CONTACT_FORM_INTERRUPTIONS = frozenset(
    {
        "start_roleplay",
        "greet",
        "thank",
        "ask_help",
        "bot_challenge",
        "express_anxiety",
        "ask_stay_calm",
        "ask_record_keeping",
        "ask_legal_rights",
        "express_stress",
        "ask_emotional_support",
        "ask_privacy",
    }
)
ACCOUNT, WHEN, CONFIRM = "contact_account", "contact_when", "contact_confirm"
GIVEN = "given"


def current_draft(tracker: Tracker) -> Draft | None:
    return draft_from_slot(tracker.get_slot(DRAFT_SLOT))


# ------------------------------------------------------------------ recording a contact


class ActionLogContact(Reply):
    """Starts recording: the account read, or an edit of the log made at once."""

    action_name = "action_log_contact"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        events = cleared_form()
        edited = log_edit_events(tracker, dispatcher)
        if edited is not None:
            return events + edited + [SlotSet(CONFIRM, EDITED)]
        draft = account_draft(tracker, log_entries(tracker))
        if draft is not None:
            events.append(SlotSet(DRAFT_SLOT, draft_to_slot(draft)))
        return events


def answers_question(requested: str, tracker: Tracker, draft: Draft | None) -> bool:
    """Whether the latest message answers the form's question (else a question of its
    own may interrupt the form)."""
    text, now = latest_text(tracker), message_time(tracker)
    intent = latest_intent(tracker)
    if requested == ACCOUNT:
        return read_account(text, now) is not None
    known_at = draft.at if draft else None
    if requested == WHEN:
        part = draft.part_of_day if draft else None
        return says_time_unknown(text) or read_fix(text, now, known_at, part).time is not None
    return (
        intent in ("affirm", "deny")
        or says_yes(text)
        or says_no(text)
        or not read_fix(text, now, known_at).empty
    )


def new_account(tracker: Tracker) -> Draft | None:
    """A new account asked to be recorded in the middle of the form ("帮我记一下，…")."""
    text = latest_text(tracker)
    if without_commands(text) == clean(text).strip():
        return None
    now = message_time(tracker)
    return read_account(text, now, local_iso(now))


def started_again(draft: Draft) -> list[EventType]:
    """The form over again with a new account: asks when if needed, then confirms."""
    return [
        SlotSet(DRAFT_SLOT, draft_to_slot(draft)),
        SlotSet(WHEN, None),
        SlotSet(CONFIRM, None),
        SlotSet("requested_slot", WHEN if needs_when(draft) else CONFIRM),
    ]


class ValidateContactForm(FormValidationAction):
    """Asks only what is missing, understands typed answers and corrections."""

    def name(self) -> str:
        return "validate_contact_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        if intent in LEAVING_INTENTS:
            return [ActionExecutionRejected(self.form_name())]
        requested = tracker.get_slot("requested_slot")
        if requested in (ACCOUNT, WHEN, CONFIRM) and not resuming(tracker):
            if says_cancel(latest_text(tracker)):
                return [SlotSet(CONFIRM, None), SlotSet("requested_slot", None)]
            fresh = new_account(tracker)
            if fresh is not None and requested != ACCOUNT:
                return started_again(fresh)
            answered = answers_question(requested, tracker, current_draft(tracker))
            if not answered and intent in CONTACT_FORM_INTERRUPTIONS:
                return [ActionExecutionRejected(self.form_name())]
        return list(await super().run(dispatcher, tracker, domain))

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot(CONFIRM) is not None:  # confirmed, or an edit of the log
            return [CONFIRM]
        draft = current_draft(tracker)
        slots = [ACCOUNT] if draft is None else []
        if draft is None or needs_when(draft):
            slots.append(WHEN)
        return [*slots, CONFIRM]

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType | None:
        """Always the form's own choice: the first missing slot of ``required_slots``."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        missing = next((slot for slot in required if tracker.get_slot(slot) is None), None)
        return SlotSet("requested_slot", missing)

    def _answer(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        """The latest message as the answer to ``slot``, when the form asked for it."""
        if tracker.get_slot("requested_slot") != slot or resuming(tracker):
            return {}
        return {slot: tracker.latest_message.get("text") or ""}

    def extract_contact_account(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answer(ACCOUNT, tracker)

    def extract_contact_when(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answer(WHEN, tracker)

    def extract_contact_confirm(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._answer(CONFIRM, tracker)

    def validate_contact_account(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != ACCOUNT:
            return {ACCOUNT: slot_value}
        now = message_time(tracker)
        draft = read_account(str(slot_value or ""), now, local_iso(now))
        if draft is None:
            dispatcher.utter_message(response="utter_contact_account_unclear")
            return {ACCOUNT: None}
        return {ACCOUNT: GIVEN, DRAFT_SLOT: draft_to_slot(draft)}

    def validate_contact_when(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        draft = current_draft(tracker)
        if tracker.get_slot("requested_slot") != WHEN or draft is None:
            return {WHEN: slot_value}
        text = str(slot_value or "")
        fix = read_fix(text, message_time(tracker), draft.at, draft.part_of_day)
        if fix.time is not None and fix.time.in_future:  # the question says so
            return {WHEN: None, DRAFT_SLOT: draft_to_slot(replace(draft, future_time_said=True))}
        if fix.time is not None:
            return {WHEN: GIVEN, DRAFT_SLOT: draft_to_slot(apply_to_draft(draft, fix))}
        if says_time_unknown(text) or latest_intent(tracker) == "deny":
            unknown = replace(draft, when_asked=True)
            return {WHEN: GIVEN, DRAFT_SLOT: draft_to_slot(unknown)}
        dispatcher.utter_message(response="utter_contact_when_unclear")
        return {WHEN: None}

    def validate_contact_confirm(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        draft = current_draft(tracker)
        if tracker.get_slot("requested_slot") != CONFIRM or draft is None:
            return {CONFIRM: slot_value}
        text = str(slot_value or "")
        intent = latest_intent(tracker)
        if intent == "affirm" or says_yes(text):
            return {CONFIRM: CONFIRMED}
        if intent in FOLLOW_UPS:  # "写投诉信" before confirming: saved, then written
            return {CONFIRM: CONFIRMED + FOLLOW_UP_MARK + intent}
        fix = read_fix(text, message_time(tracker), draft.at)
        if fix.time is not None and fix.time.in_future:
            dispatcher.utter_message(response="utter_contact_when_future")
        if not fix.empty:
            return {CONFIRM: None, DRAFT_SLOT: draft_to_slot(apply_to_draft(draft, fix))}
        if intent == "deny" or says_no(text):
            dispatcher.utter_message(response="utter_contact_what_to_fix")
        else:
            dispatcher.utter_message(response="utter_contact_fix_unclear")
        return {CONFIRM: None}


class ActionAskContactWhen(Reply):
    """When it happened: the day already known is named ("11月29日大概几点？")."""

    action_name = "action_ask_contact_when"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        draft = current_draft(tracker)
        if draft is not None and draft.future_time_said and not draft.at:
            dispatcher.utter_message(response="utter_contact_when_future")
        elif draft is not None and draft.at:
            day = day_text(draft.at, draft.part_of_day)
            dispatcher.utter_message(response="utter_ask_contact_time", day=day)
        else:
            dispatcher.utter_message(response="utter_ask_contact_when")
        return []


class ActionAskContactConfirm(Reply):
    """What was understood, with the buttons to confirm or leave it."""

    action_name = "action_ask_contact_confirm"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        draft = current_draft(tracker)
        if draft is None:
            dispatcher.utter_message(response="utter_ask_contact_account")
            return []
        text = understood_text(draft, lender_type(tracker))
        dispatcher.utter_message(text=text, buttons=confirm_buttons())
        return []


class ActionSaveContact(Action):
    """Keeps the confirmed contact and answers with its likely breaches and the next step;
    a document asked for instead of a yes is written right after."""

    def name(self) -> str:
        return "action_save_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        confirmed = str(tracker.get_slot("contact_confirm") or "")
        answer, _, follow_up = confirmed.partition(FOLLOW_UP_MARK)
        draft = current_draft(tracker)
        if answer == EDITED:
            return cleared_form()
        if answer != CONFIRMED or draft is None:
            dispatcher.utter_message(response="utter_contact_cancelled")
            return cleared_form()
        entries = log_entries(tracker)
        kind = lender_type(tracker)
        entry = saved_entry(draft, entries, kind)
        entries.append(entry)
        body, next_step = saved_texts(entry, len(entries), kind)
        dispatcher.utter_message(text=body)
        events = cleared_form() + log_events(tracker, dispatcher, entries, message_time(tracker))
        if follow_up not in FOLLOW_UPS:
            dispatcher.utter_message(text=next_step, buttons=saved_buttons())
            return events
        after = tracker.copy()
        for event in events:
            after.slots[event["name"]] = event["value"]
        return events + list(await FOLLOW_UPS[follow_up]().run(dispatcher, after, domain))


# ------------------------------------------------------------------ the log


def means_a_debt(tracker: Tracker, number: int, logged: int) -> bool:
    """Whether "第 N 条" points at the list of debts (several-debts plan) rather than the
    log: only the debts have an N-th, or the debts were the list shown last."""
    debts = len(debts_from_slot(tracker.get_slot("debts")))
    if latest_entities(tracker).get(REMOVE_ENTITY) or not 1 <= number <= debts:
        return False
    return number > logged or last_list_shown(tracker) == "debt_plan"


def last_list_shown(tracker: Tracker) -> str | None:
    """ "contact_log" or "debt_plan": the list the bot showed last, by its payload."""
    for event in reversed(tracker.events):
        custom = (
            ((event.get("data") or {}).get("custom") or {}) if event.get("event") == "bot" else {}
        )
        if custom.get("type") in ("contact_log", "debt_plan"):
            return str(custom["type"])
    return None


class ActionShowContactLog(Action):
    """The log (and its payload and document), or an edit of one entry."""

    def name(self) -> str:
        return "action_show_contact_log"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        entries = log_entries(tracker)
        edit = requested_edit(tracker)
        if edit is not None and means_a_debt(tracker, edit.number, len(entries)):
            # "删掉第 2 条" about the list of debts: that list's own edit.
            return list(await ActionEditDebts().run(dispatcher, tracker, domain))
        if edit is not None:
            if not entries:
                dispatcher.utter_message(text=no_such_entry_text(edit.number, 0))
                return []
            return apply_edit(tracker, dispatcher, edit)
        if not entries:
            dispatcher.utter_message(response="utter_contact_log_empty")
            return []
        dispatcher.utter_message(text=log_text(entries), buttons=log_buttons(entries))
        dispatcher.utter_message(json_message=contact_log_payload(entries))
        state = known(tracker)
        return [send_document(tracker, dispatcher, dossier.log_document(state), state.now)]


# ------------------------------------------------------------------ documents


class ActionComplaintLetter(Reply):
    """The complaint letter from the log (or the contact the request tells of), with how
    to put the complaint."""

    action_name = "action_complaint_letter"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        state = known(tracker)
        letter = dossier.complaint(state, latest_text(tracker), earlier_messages(tracker))
        guidance = complaint_guidance(state.lender_type, letter.organisation)
        ready = ready_text(letter.document.title, dossier.has_blanks(letter.document))
        sent = [{"title": button_title("sent"), "payload": "/tell_complaint_sent"}]
        dispatcher.utter_message(text=f"{guidance}\n\n{ready}", buttons=sent)
        event = send_document(tracker, dispatcher, letter.document, state.now)
        if letter.from_message:
            buttons = document_buttons("complaint_buttons")
            dispatcher.utter_message(text=document_text("complaint_from_message"), buttons=buttons)
        elif not state.entries:
            buttons = document_buttons("complaint_buttons")[:1]
            dispatcher.utter_message(text=document_text("complaint_no_log"), buttons=buttons)
        return [event]


class ActionInstalmentApplication(Reply):
    """The instalment application with the user's figures, plan and reason."""

    action_name = "action_instalment_application"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        state = known(tracker)
        held = dossier.instalment_held(state)
        if held is not None:
            dispatcher.utter_message(text=held)
            return []
        application = dossier.instalment(state, latest_text(tracker))
        document = application.document
        dispatcher.utter_message(text=ready_text(document.title, dossier.has_blanks(document)))
        event = send_document(tracker, dispatcher, document, state.now)
        notes = []
        if state.lender_type == "credit_card":
            notes.append(document_text("instalment_card_terms"))
        if not application.plan_known:
            notes.append(document_text("instalment_no_plan"))
        if not application.reason_given:
            notes.append(document_text("instalment_reason"))
        if notes:
            buttons = document_buttons("instalment_buttons")
            dispatcher.utter_message(text="\n".join(notes), buttons=buttons)
        return [event]


class ActionActionPlan(Reply):
    """The user's plan on one page: situation, offer, what to say, rights, steps, hotlines."""

    action_name = "action_action_plan"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        state = known(tracker)
        document = dossier.plan(state)
        dispatcher.utter_message(text=ready_text(document.title, dossier.has_blanks(document)))
        event = send_document(tracker, dispatcher, document, state.now)
        if state.plan is None:
            buttons = document_buttons("plan_buttons")
            dispatcher.utter_message(text=document_text("plan_no_offer"), buttons=buttons)
        return [event]


# A document asked for when the form wanted a yes: the contact is saved, then the
# document written (ValidateContactForm, ActionSaveContact).
FOLLOW_UP_MARK = "+"
FOLLOW_UPS: dict[str, type[Action]] = {
    "request_complaint_letter": ActionComplaintLetter,
    "request_instalment_application": ActionInstalmentApplication,
    "request_action_plan": ActionActionPlan,
    "show_contact_log": ActionShowContactLog,
}
