"""The trainer's debrief of a practice round: three comments, the replay, progress.

- ``debrief``: three comments tied to the learner's own turns, each quoting the learner,
  labelled with an error type of the ACE negotiation-coach rubric (walk-away point, target,
  breaking the ice, first offer, ambitious opening, strong counteroffer, rationale,
  strategic closing) or Interests / Rights / Power, with a sentence to say instead. The
  weightiest errors come first, one per label; a round with fewer errors gets what went
  well.
- ``render_replay``: the annotated transcript (看回放), one line per learner turn.
- ``RoundSummary`` and ``progress_lines``: what a round leaves for the next one in the same
  conversation (首次报价从每月…降到…), kept by the caller as ``to_dict`` values.

All wording is in ``content/debrief.yml``; the rubric is ``coach.practice.scorer``.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from coach.content import load_content
from coach.practice.round_facts import Concession, RoundFacts, finished, round_facts
from coach.practice.scorer import (
    AMBITIOUS,
    ScorePayload,
    credible_minimum,
    first_offer_mark,
    process_marks,
)
from coach.practice.state import RoundState
from coach.practice.turn_reader import substantive

CommentKind = Literal["error", "strength"]
COMMENTS = 3
HISTORY_LIMIT = 10
ROUND_TO = 50
OPENING_SHARE = 0.7  # the first offer to practise, of the ceiling (as the offer planner)

Candidate = tuple[str, int]  # (key in debrief.yml errors/strengths, index of the turn)


def _texts() -> dict[str, Any]:
    return load_content("debrief")


@dataclass(frozen=True)
class Comment:
    """One comment of the debrief, tied to one turn (1-based) and quoting it."""

    kind: CommentKind
    key: str
    label: str
    turn: int
    quote: str
    comment: str
    say: str

    def to_dict(self) -> dict[str, Any]:
        texts = _texts()
        return {
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "label_text": texts["labels"][self.label],
            "kind_text": texts["comment_kinds"][self.kind],
            "turn": self.turn,
            "quote": self.quote,
            "comment": self.comment,
            "say": self.say,
        }


# --- figures for the comments -------------------------------------------------------


def _round_down(value: float) -> int:
    return int(value // ROUND_TO * ROUND_TO)


def example_fields(facts: RoundFacts) -> dict[str, Any]:
    """The figures the comments and their sentences are filled with."""
    ceiling, balance, longest = facts.ceiling, facts.balance, max(1, facts.max_term)
    minimum = credible_minimum(facts)
    opening = min(ceiling, max(minimum, _round_down(OPENING_SHARE * ceiling)))
    first = facts.first_offer
    return {
        "ceiling": ceiling,
        "balance": balance,
        "max_term": longest,
        "opening": opening,
        "opening_term": min(longest, math.ceil(balance / max(1, opening))),
        "ceiling_term": min(longest, math.ceil(balance / max(1, ceiling))),
        "middle": max(opening, _round_down((opening + ceiling) / 2)),
        "agreed": facts.agreed_monthly,
        "agreed_term": _agreed_term(facts),
        "demand": facts.last_demand,
        "monthly": None if first is None else first.monthly,
        "size": 0,
        "repeats": 0,
    }


def _agreed_term(facts: RoundFacts) -> int | None:
    if facts.agreed_monthly is None:
        return None
    return min(max(1, facts.max_term), math.ceil(facts.balance / max(1, facts.agreed_monthly)))


def _turn_fields(facts: RoundFacts, key: str, index: int) -> dict[str, Any]:
    """Figures of one turn: its offer, its concession, how often its offer was said."""
    fields: dict[str, Any] = {}
    position = next((p for p in facts.positions if p.turn == index), None)
    if position is not None:
        fields["monthly"] = position.monthly
    concession = next((c for c in facts.concessions if c.turn == index), None)
    if concession is not None:
        fields["size"] = concession.size
    if key == "rigid" and facts.positions:
        last = facts.positions[-1].monthly
        offers = [r.offered_monthly for r in facts.readings]
        fields["repeats"] = sum(1 for value in offers if value is not None and round(value) == last)
    return fields


# --- finding the errors -------------------------------------------------------------


def _first(facts: RoundFacts, test: Callable[[int], bool]) -> int | None:
    return next((i for i in range(len(facts.readings)) if test(i)), None)


def _flagged(facts: RoundFacts, *names: str) -> int | None:
    return _first(facts, lambda i: any(getattr(facts.readings[i], n) for n in names))


def _deal_errors(facts: RoundFacts) -> list[Candidate]:
    deal, agreed = facts.deal_turn, facts.agreed_monthly
    if deal is None or agreed is None:
        return []
    paid_all = not facts.lump and any(r.pay_in_full for r in facts.readings)
    if agreed >= facts.balance or paid_all:
        said = _flagged(facts, "pay_in_full")
        return [("pay_in_full", deal if said is None else said)]
    found_errors = [("over_ceiling_deal", deal)] if agreed > facts.ceiling else []
    if not any(r.asked_written for r in facts.readings):
        found_errors.append(("no_written", deal))
    return found_errors


def _offer_errors(facts: RoundFacts) -> list[Candidate]:
    first = facts.first_offer
    if first is None:
        vague = _flagged(facts, "vague_promise")
        return [("vague", vague)] if vague is not None else [("no_offer", _last_said(facts))]
    errors: list[Candidate] = []
    mark = first_offer_mark(first.monthly, facts)
    if first.monthly > facts.ceiling:
        errors.append(("offer_over_ceiling", first.turn))
    elif mark < 1 and first.monthly > AMBITIOUS * facts.ceiling:
        errors.append(("opening_near_ceiling", first.turn))
    elif mark < 1:
        errors.append(("opening_not_credible", first.turn))
    if not any(r.gave_reason for r in facts.readings):
        errors.append(("no_reason", first.turn))
    return errors


def _last_said(facts: RoundFacts) -> int:
    said = [i for i, reading in enumerate(facts.readings) if substantive(reading)]
    return said[-1] if said else len(facts.readings) - 1


def _concession_errors(facts: RoundFacts) -> list[Candidate]:
    made = facts.concessions
    errors: list[Candidate] = []
    bigger = [now for before, now in zip(made, made[1:], strict=False) if now.size >= before.size]
    if bigger:
        errors.append(("big_concession", bigger[0].turn))
    unexplained = [c for c in made if not c.reason]
    if unexplained:
        errors.append(("concession_no_reason", unexplained[0].turn))
    stuck = facts.agreed_monthly is None and facts.first_offer is not None
    if stuck and not made and process_marks(facts)["concessions"] == 0:
        errors.append(("rigid", facts.positions[-1].turn))
    return errors


def _trade_errors(facts: RoundFacts) -> list[Candidate]:
    if any(r.conditional_offer for r in facts.readings):
        return []
    moved: Sequence[Concession] = facts.concessions
    turn = moved[0].turn if moved else facts.deal_turn
    return [] if turn is None else [("no_trade", turn)]


def _conduct_errors(facts: RoundFacts) -> list[Candidate]:
    errors: list[Candidate] = []
    accepted = facts.first_money
    if accepted is not None and accepted[1] == "accept":
        errors.append(("accepted_first_demand", accepted[0]))
    for key, flag in (("insult", "insulted_or_shouted"), ("threat", "threatened")):
        turn = _flagged(facts, flag)
        if turn is not None:
            errors.append((key, turn))
    breach = facts.breach_turn
    if breach is not None and not any(r.asserted_rights for r in facts.readings[breach:]):
        errors.append(("rights_missed", min(breach, len(facts.readings) - 1)))
    return errors


def _opening_errors(facts: RoundFacts) -> list[Candidate]:
    readings = facts.readings
    errors: list[Candidate] = []
    if not any(r.asked_identity or r.verified_amount for r in readings):
        errors.append(("no_verification", 0))
    ice = _ice_missing(facts)
    if ice is not None:
        errors.append((ice, 0))
    silent = _flagged(facts, "silent")
    if silent is not None:
        errors.append(("silent", silent))
    return errors


def _ice_missing(facts: RoundFacts) -> str | None:
    """Which part of breaking the ice the round lacks, named so that the comment never
    denies what a turn did (a learner who said 我是本人 is not told they did not)."""
    introduced = any(r.introduced_self for r in facts.readings)
    willing = any(r.acknowledged_debt for r in facts.readings)
    if introduced and willing:
        return None
    if introduced:
        return "no_ice_willing"
    return "no_ice_identity" if willing else "no_ice"


def _ice(facts: RoundFacts) -> int | None:
    """The turn by which the learner has both said who they are and that they will pay."""
    introduced = _flagged(facts, "introduced_self")
    willing = _flagged(facts, "acknowledged_debt")
    return None if introduced is None or willing is None else max(introduced, willing)


def errors(facts: RoundFacts) -> list[Candidate]:
    """Every error the round shows, each with the turn it is tied to."""
    if not facts.readings:
        return []
    finders = (
        _deal_errors,
        _offer_errors,
        _concession_errors,
        _trade_errors,
        _conduct_errors,
        _opening_errors,
    )
    return [candidate for finder in finders for candidate in finder(facts)]


def strengths(facts: RoundFacts) -> list[Candidate]:
    """What went well, each with the turn that shows it."""
    found_strengths: list[tuple[str, int | None]] = [
        ("held_ceiling", _held_ceiling(facts)),
        ("good_opening", _good_opening(facts)),
        ("refused", _refused(facts)),
        ("conditional", _flagged(facts, "conditional_offer")),
        ("rights_named", _rights_named(facts)),
        ("reasoned", _flagged(facts, "gave_reason")),
        ("written_asked", _flagged(facts, "asked_written")),
        ("verified", _flagged(facts, "asked_identity", "verified_amount")),
        ("ice", _ice(facts)),
    ]
    return [(key, turn) for key, turn in found_strengths if turn is not None]


def _held_ceiling(facts: RoundFacts) -> int | None:
    agreed = facts.agreed_monthly
    return facts.deal_turn if agreed is not None and agreed <= facts.ceiling else None


def _good_opening(facts: RoundFacts) -> int | None:
    first = facts.first_offer
    good = first is not None and first_offer_mark(first.monthly, facts) == 1
    return first.turn if first is not None and good else None


def _refused(facts: RoundFacts) -> int | None:
    money = facts.first_money
    return money[0] if money is not None and money[1] != "accept" else None


def _rights_named(facts: RoundFacts) -> int | None:
    breach = facts.breach_turn
    if breach is None:
        return None
    return next(
        (i for i in range(breach, len(facts.readings)) if facts.readings[i].asserted_rights), None
    )


# --- choosing and writing the comments ------------------------------------------------


def _priority(kind: CommentKind, key: str) -> int:
    return int(_texts()[_section(kind)][key]["priority"])


def _section(kind: CommentKind) -> str:
    return "errors" if kind == "error" else "strengths"


def _choose(facts: RoundFacts) -> list[tuple[CommentKind, str, int]]:
    """The weightiest errors, one per label, then strengths with labels not yet used."""
    entries = _texts()
    pool: list[tuple[CommentKind, str, int]] = [("error", k, t) for k, t in errors(facts)]
    pool.sort(key=lambda item: (-_priority(item[0], item[1]), item[2]))
    more: list[tuple[CommentKind, str, int]] = [("strength", k, t) for k, t in strengths(facts)]
    more.sort(key=lambda item: (-_priority(item[0], item[1]), item[2]))
    chosen: list[tuple[CommentKind, str, int]] = []
    for kind, key, turn in pool + more:
        label = entries[_section(kind)][key]["label"]
        used = {entries[_section(k)][name]["label"] for k, name, _t in chosen}
        if label not in used and len(chosen) < COMMENTS:
            chosen.append((kind, key, turn))
    return sorted(chosen, key=lambda item: item[2])


def _comment(facts: RoundFacts, kind: CommentKind, key: str, index: int) -> Comment:
    entry = _texts()[_section(kind)][key]
    if facts.lump:  # a settlement drill: the same comment in one-off sums
        entry = {**entry, **_texts()["lump"].get(key, {})}
    fields = {**example_fields(facts), **_turn_fields(facts, key, index)}
    return Comment(
        kind=kind,
        key=key,
        label=str(entry["label"]),
        turn=index + 1,
        quote=facts.readings[index].quote,
        comment=str(entry["comment"]).format(**fields),
        say=str(entry["say"]).format(**fields),
    )


def debrief(state: RoundState) -> list[Comment]:
    """Three comments on the round (none for a round too short to score)."""
    facts = round_facts(state)
    if not finished(facts):
        return []
    return [_comment(facts, kind, key, index) for kind, key, index in _choose(facts)]


# --- the replay -----------------------------------------------------------------------


def render_replay(payload: Mapping[str, Any]) -> str:
    """The annotated transcript: each learner turn, what was read, the note."""
    texts = _texts()["replay"]
    names = texts["names"]
    lines = [str(texts["header"])]
    for entry in payload.get("turns") or []:
        read = [names[name] for name in entry["found"] if name in names and name != "silent"]
        line = texts["item"].format(
            turn=entry["turn"], quote=entry["text"] or texts["nothing"], note=entry["note"]
        )
        if read:
            line += texts["found"].format(found=texts["found_separator"].join(read))
        lines.append(line)
    return "\n".join(lines)


# --- progress over rounds ---------------------------------------------------------------


def _int_or_none(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return round(value) if math.isfinite(value) else None


@dataclass(frozen=True)
class RoundSummary:
    """What one round leaves for the progress lines of the next."""

    persona: str
    finished: bool
    score: int | None
    first_offer: int | None  # monthly
    agreed_monthly: int | None
    ceiling: int
    labels: tuple[str, ...]  # the labels of the round's error comments

    def to_dict(self) -> dict[str, Any]:
        return {
            "persona": self.persona,
            "finished": self.finished,
            "score": self.score,
            "first_offer": self.first_offer,
            "agreed_monthly": self.agreed_monthly,
            "ceiling": self.ceiling,
            "labels": list(self.labels),
        }

    @classmethod
    def from_dict(cls, value: object) -> "RoundSummary | None":
        """The summary kept by the caller; None when ``value`` holds none."""
        if not isinstance(value, Mapping):
            return None
        ceiling = _int_or_none(value.get("ceiling"))
        persona = value.get("persona")
        if ceiling is None or not isinstance(persona, str):
            return None
        labels = value.get("labels")
        return cls(
            persona=persona,
            finished=value.get("finished") is True,
            score=_int_or_none(value.get("score")),
            first_offer=_int_or_none(value.get("first_offer")),
            agreed_monthly=_int_or_none(value.get("agreed_monthly")),
            ceiling=ceiling,
            labels=tuple(x for x in labels if isinstance(x, str))
            if isinstance(labels, list)
            else (),
        )


def history_from_slot(value: object) -> list[RoundSummary]:
    """The summaries kept in a slot (a list of ``to_dict`` values); junk is skipped."""
    items = value if isinstance(value, list) else []
    return [s for s in map(RoundSummary.from_dict, items) if s is not None]


def history_to_slot(rounds: Sequence[RoundSummary]) -> list[dict[str, Any]]:
    return [summary.to_dict() for summary in rounds[-HISTORY_LIMIT:]]


def summarise(state: RoundState, payload: Mapping[str, Any]) -> RoundSummary:
    facts = round_facts(state)
    first = facts.first_offer
    comments = payload.get("debrief") or []
    return RoundSummary(
        persona=state.persona,
        finished=bool(payload.get("finished")),
        score=payload.get("score"),
        first_offer=None if first is None else first.monthly,
        agreed_monthly=facts.agreed_monthly,
        ceiling=facts.ceiling,
        labels=tuple(c["label"] for c in comments if c.get("kind") == "error"),
    )


def _first_offer_line(before: RoundSummary | None, now: RoundSummary) -> list[str]:
    texts = _texts()["progress"]
    if now.first_offer is None or before is None:
        return []
    if before.first_offer is None:
        return [texts["first_offer_new"].format(after=now.first_offer)]
    key = {-1: "first_offer_down", 0: "first_offer_same", 1: "first_offer_up"}[
        (now.first_offer > before.first_offer) - (now.first_offer < before.first_offer)
    ]
    return [texts[key].format(before=before.first_offer, after=now.first_offer)]


def _score_line(before: RoundSummary | None, now: RoundSummary) -> list[str]:
    texts = _texts()["progress"]
    if before is None or before.score is None or now.score is None:
        return []
    key = {-1: "score_down", 0: "score_same", 1: "score_up"}[
        (now.score > before.score) - (now.score < before.score)
    ]
    return [texts[key].format(before=before.score, after=now.score)]


def _over(summary: RoundSummary) -> bool:
    return summary.agreed_monthly is not None and summary.agreed_monthly > summary.ceiling


def _ceiling_line(before: RoundSummary, now: RoundSummary) -> list[str]:
    texts = _texts()["progress"]
    if _over(before) and now.agreed_monthly is not None and not _over(now):
        return [str(texts["within_now"])]
    return [str(texts["over_again"])] if _over(before) and _over(now) else []


def _repeated_lines(previous: Sequence[RoundSummary], now: RoundSummary) -> list[str]:
    texts = _texts()
    lines = []
    for label in dict.fromkeys(now.labels):
        count = 1
        for earlier in reversed(previous):
            if label not in earlier.labels:
                break
            count += 1
        if count >= 2:
            label_text = texts["labels"][label]
            lines.append(texts["progress"]["repeated"].format(label=label_text, count=count))
    return lines


def progress_lines(previous: Sequence[RoundSummary], now: RoundSummary) -> list[str]:
    """How this round compares with the earlier ones of the conversation; none for the first."""
    if not previous:
        return []
    scored = [summary for summary in previous if summary.finished]
    offered = [summary for summary in previous if summary.first_offer is not None]
    lines = [
        *_first_offer_line(offered[-1] if offered else previous[-1], now),
        *_score_line(scored[-1] if scored else None, now),
        *_ceiling_line(previous[-1], now),
        *_repeated_lines(previous, now),
    ]
    if not lines:
        return []
    return [_texts()["progress"]["header"].format(n=len(previous) + 1), *lines]


# --- all of it, for the caller ------------------------------------------------------------


def with_debrief(
    payload: ScorePayload, state: RoundState, previous: Sequence[RoundSummary] = ()
) -> tuple[ScorePayload, RoundSummary]:
    """The score payload with ``debrief`` and ``progress``, and this round's summary."""
    comments = [comment.to_dict() for comment in debrief(state)]
    extended = {**payload, "debrief": comments}
    summary = summarise(state, extended)
    extended["progress"] = progress_lines(previous, summary) if payload.get("finished") else []
    return extended, summary
