"""Pairs the amounts of a message with the lenders named, and gives each debt its
details: months overdue, rate, court action, security (coach/debts/intake.py, rules 3-6)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from coach.debts.lexicon import cue_words, lender_lexicon
from coach.debts.mentions import Amount, DebtMention, Draft, Facts, Mention, MessageText
from coach.figures.extract import (
    MONTHS_OVERDUE,
    Figure,
)
from coach.figures.money import (
    CN_DIGIT_VALUES,
    NumberMatch,
    parse_number,
)

CREDIT_CARD, BANK_LOAN, ONLINE_LENDER, OTHER = "credit_card", "bank_loan", "online_lender", "other"

_SENTENCE_BREAKS = "。;!?\n；！？"
_PHRASE_BREAKS = _SENTENCE_BREAKS + ",，"
_ARABIC_NUMBER = r"\d+(?:\.\d+)?"


# --- Pairing amounts with lenders --------------------------------------------------------


@dataclass
class _Pairing:
    """The state of one walk through the amounts (local to ``pair_amounts``)."""

    text: MessageText
    mentions: Sequence[Mention]
    drafts: list[Draft] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    required: dict[int, int] = field(default_factory=dict)  # mention index → 月供
    last_end: int = 0
    amount_starts: tuple[int, ...] = ()
    pending_required: int | None = None  # said before any debt was named


def pair_amounts(
    text: MessageText, mentions: Sequence[Mention], amounts: Sequence[Amount]
) -> list[Draft]:
    state = _Pairing(text, mentions, amount_starts=tuple(a.number.start for a in amounts))
    for amount in amounts:
        if amount.role not in ("budget", "skip", "affordable"):
            _place(state, amount)
    _add_unpaired(state)
    drafts = _without_totals(state.drafts)
    if state.pending_required is not None and len(drafts) == 1:
        drafts = [replace(drafts[0], required_monthly=state.pending_required)]
    return sorted(drafts, key=lambda draft: draft.first)


def _place(state: _Pairing, amount: Amount) -> None:
    window = _window(state, amount.number)
    if amount.role == "claimed" and state.drafts:
        # 本金两万 连本带息要五万: one debt with two amounts, the principal stays its balance.
        state.drafts[-1] = replace(state.drafts[-1], claimed_total=amount.value)
        state.last_end = amount.number.end
        return
    if amount.role in ("required", "monthly"):
        _place_monthly(state, amount, window)
        return
    if amount.role in ("refine", "correction") and _refined(state, amount, window):
        return
    if amount.role == "each" and window:
        for index in window:
            _new_draft(state, amount, index)
        return
    lender = window[-1] if window else _lender_after(state, amount.number)
    if amount.role == "total" and (lender is None or state.mentions[lender].entry.generic):
        lender = None  # 网贷加起来6万: a total over several, not one debt
    _new_draft(state, amount, lender, total=amount.role == "total" and lender is None)


def _window(state: _Pairing, number: NumberMatch) -> list[int]:
    """Lenders named since the previous debt's amount, in the amount's sentence; a bank
    name that is also an everyday word (建设) only in the amount's clause."""
    sentence = state.text.sentence(number.start)
    start = max(state.last_end, sentence)
    return [
        index
        for index, mention in enumerate(state.mentions)
        if index not in state.used
        and not mention.counted
        and start <= mention.start
        and mention.end <= number.start
        and (mention.entry.alone or mention.entry.generic or _listed(state, mention, number))
    ]


def _listed(state: _Pairing, mention: Mention, number: NumberMatch) -> bool:
    """No comma or full stop between (兴业、光大的卡各欠一万; not 心理建设做好了，欠了5万)."""
    between = state.text.plain[mention.end : number.start]
    return not any(char in _PHRASE_BREAKS for char in between)


def _lender_after(state: _Pairing, number: NumberMatch) -> int | None:
    """3万的建行, 3万网贷: a lender straight after, unless an amount of its own follows
    before the clause or the next lender (1w 白条5k: 5k is 白条's)."""
    gap = re.compile(rf"\s?(?:{re.escape(lender_lexicon().possessive)})?\s?")
    for index, mention in enumerate(state.mentions):
        if index in state.used or mention.counted or mention.start < number.end:
            continue
        if not gap.fullmatch(state.text.plain, number.end, mention.start):
            return None
        return None if _has_own_amount(state, mention) else index
    return None


def _has_own_amount(state: _Pairing, mention: Mention) -> bool:
    """白条5k, 白条欠5k: an amount follows in the clause, with no joiner (和, 、) or other
    lender before it."""
    clause_end = state.text.clause_end(mention.end)
    nearer = [m.start for m in state.mentions if m.start >= mention.end] + [clause_end]
    following = [s for s in state.amount_starts if mention.end <= s < min(nearer)]
    if not following:
        return False
    return not cue_words().joiners.search(state.text.masked, mention.end, following[0])


def _place_monthly(state: _Pairing, amount: Amount, window: list[int]) -> None:
    """月供3000: what the loan named with it (or the last debt) requires each month."""
    if window:
        state.required[window[-1]] = amount.value
    elif state.drafts and amount.role == "required":
        last = state.drafts[-1]
        state.drafts[-1] = replace(last, required_monthly=amount.value)
    elif amount.role == "required":
        state.pending_required = amount.value  # 每期还1200，借的是度小满


def _refined(state: _Pairing, amount: Amount, window: list[int]) -> bool:
    """还剩1万 (no new lender) or 不对，建行是1.5万 (a lender already listed)."""
    if not window and state.drafts:
        _update(state, len(state.drafts) - 1, amount)
        return True
    if window and amount.role == "correction":
        entry = state.mentions[window[-1]].entry
        same = [i for i, d in enumerate(state.drafts) if d.mention and d.mention.entry == entry]
        if same:
            state.used.update(window)
            _update(state, same[-1], amount)
            return True
    return False


def _update(state: _Pairing, index: int, amount: Amount) -> None:
    draft = state.drafts[index]
    anchors = (*draft.anchors, amount.number.start)
    approximate = _is_approximate(state.text, amount)
    state.drafts[index] = replace(
        draft, balance=amount.value, anchors=anchors, approximate=approximate
    )
    state.last_end = amount.number.end


def _new_draft(state: _Pairing, amount: Amount, lender: int | None, total: bool = False) -> None:
    state.last_end = amount.number.end
    if lender is not None:
        state.used.add(lender)
        if state.mentions[lender].dropped:
            return  # 广发8k不算: the amount goes with its lender
    mention = None if lender is None else state.mentions[lender]
    anchors = (amount.number.start,) if mention is None else (mention.start, amount.number.start)
    state.drafts.append(
        Draft(
            anchors=anchors,
            mention=mention,
            lender_type=_type_of(state, amount, mention),
            balance=amount.value,
            approximate=_is_approximate(state.text, amount),
            total=total,
            required_monthly=None if lender is None else state.required.get(lender),
        )
    )


def _type_of(state: _Pairing, amount: Amount, mention: Mention | None) -> str:
    """The lender's type; a bank alone or an unnamed debt may take a heading's type."""
    if mention is not None and mention.entry.explicit:
        return mention.entry.lender_type
    position = amount.number.start
    words = state.text.plain[state.text.clause_start(position) : position]
    if mention is None and cue_words().card_counted.search(words):
        return CREDIT_CARD  # 一张2万
    heading = _heading(state, position)
    if heading is not None:
        return heading
    return OTHER if mention is None else mention.entry.lender_type


def _heading(state: _Pairing, position: int) -> str | None:
    """三张信用卡，… / 两个网贷，…: the type of a count heading before, in the sentence."""
    sentence = state.text.sentence(position)
    headings = [
        m.entry.lender_type
        for m in state.mentions
        if m.counted and m.entry.heading and sentence <= m.start < position
    ]
    return headings[-1] if headings else None


def _is_approximate(text: MessageText, amount: Amount) -> bool:
    cues = cue_words()
    number = amount.number
    if number.text.rstrip()[-1:] and cues.approximate_after.fullmatch(number.text.rstrip()[-1:]):
        return True
    if cues.approximate_after.match(text.plain, number.end):
        return True
    return bool(cues.approximate_before.search(text.plain, amount.window, number.start))


def _add_unpaired(state: _Pairing) -> None:
    """Lenders named without an amount: a debt of unknown balance, or a reference."""
    for index, mention in enumerate(state.mentions):
        if index in state.used or mention.dropped or mention.counted:
            continue
        target = _referred(state.drafts, mention)
        if target is not None:
            draft = state.drafts[target]
            state.drafts[target] = replace(draft, anchors=(*draft.anchors, mention.start))
            continue
        if mention.entry.alone or mention.entry.generic:
            state.drafts.append(
                Draft(
                    anchors=(mention.start,),
                    mention=mention,
                    lender_type=mention.entry.lender_type,
                    required_monthly=state.required.get(index),
                    tentative=not mention.entry.alone,
                )
            )


def _referred(drafts: Sequence[Draft], mention: Mention) -> int | None:
    """The debt a lender named again stands for: same lender, or (generic) same type."""
    entry = mention.entry
    if mention.ordinal is not None:
        return None
    for index, draft in enumerate(drafts):
        other = draft.mention
        if other and other.entry.canonical == entry.canonical and entry.canonical:
            if not entry.explicit or other.entry.lender_type == entry.lender_type:
                return index
    if not entry.generic:
        return None
    types = lender_lexicon().refers_to.get(entry.lender_type, (entry.lender_type,))
    fitting = [i for i, draft in enumerate(drafts) if draft.lender_type in types]
    before = [i for i in fitting if drafts[i].first < mention.start]
    if before:
        return before[-1]
    return fitting[0] if fitting else None


def _without_totals(drafts: Sequence[Draft]) -> list[Draft]:
    """一共8万，其中招行5万，建行3万: the unnamed total goes when the debts are listed."""
    listed = [d for d in drafts if not d.total and d.balance is not None]
    return [d for d in drafts if not (d.total and listed)]


# --- Details -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Detail:
    position: int
    end: int
    facts: Facts


def add_details(
    text: MessageText,
    drafts: Sequence[Draft],
    figures: Sequence[Figure],
    rates: Sequence[re.Match[str]],
) -> tuple[list[Draft], Facts]:
    result = list(drafts)
    loose = Facts()
    for detail in _details(text, figures, rates):
        every = _says_every(text, detail.position)
        owners = _owners(text, result, detail, every)
        facts = replace(detail.facts, every=every)
        if not owners:
            loose = _merged(loose, facts)
        for index in owners:
            result[index] = replace(result[index], facts=_merged(result[index].facts, facts))
    kept = [d for d in result if not d.tentative or d.facts != Facts()]
    return kept, loose


def _details(
    text: MessageText, figures: Sequence[Figure], rates: Sequence[re.Match[str]]
) -> list[_Detail]:
    found = [
        _Detail(f.start, f.end, Facts(months_overdue=_whole_months(float(f.value))))
        for f in figures
        if f.kind == MONTHS_OVERDUE
    ]
    for match in rates:
        rate = _monthly_rate(match)
        if rate is not None:
            found.append(_Detail(match.start(), match.end(), Facts(monthly_rate=rate)))
    cues = cue_words()
    for match in cues.judgment.finditer(text.masked):
        if _is_judgment(text, match.start()):
            found.append(_Detail(match.start(), match.end(), Facts(judgment=True)))
    for match in cues.secured.finditer(text.masked):
        found.append(_Detail(match.start(), match.end(), Facts(secured=True)))
    return sorted(found, key=lambda detail: detail.position)


def _whole_months(value: float) -> int:
    """Months overdue as a whole number: half a month or more counts as one."""
    return max(1, int(value + 0.5)) if value > 0 else 0


def _is_judgment(text: MessageText, position: int) -> bool:
    """已经被起诉 is court action; 说要起诉, 还没起诉 are not."""
    cues = cue_words()
    before = text.plain[max(text.clause_start(position), position - 4) : position]
    if cues.judgment_sure.search(before):
        return True
    return not cues.judgment_threat.search(before)


def _says_every(text: MessageText, position: int) -> bool:
    words = text.masked[text.clause_start(position) : position]
    return bool(cue_words().all_words.search(words))


def _owners(text: MessageText, drafts: Sequence[Draft], detail: _Detail, every: bool) -> list[int]:
    """Which debts a detail belongs to (see the module docstring, rule 6)."""
    position, sentence = detail.position, text.sentence(detail.position)
    anchors = [(a, i) for i, d in enumerate(drafts) for a in d.anchors]
    if every:
        named = {i for a, i in anchors if sentence <= a < position}
        if named:
            return sorted(named)
    clause_end = text.clause_end(detail.end)
    after = [(a, i) for a, i in anchors if detail.end <= a < clause_end]
    between = text.plain[detail.end : min(after)[0]] if after else ""
    if after and between.rstrip().endswith(lender_lexicon().possessive):
        return [min(after)[1]]  # 逾期3个月的建行1万
    before = [(a, i) for a, i in anchors if sentence <= a <= position]
    if before:
        return [max(before)[1]]
    if after:
        return [min(after)[1]]
    earlier = [(a, i) for a, i in anchors if a <= position]
    if earlier:
        return [max(earlier)[1]]
    later = [(a, i) for a, i in anchors if text.sentence(a) == sentence]
    return [min(later)[1]] if later else []


def _merged(old: Facts, new: Facts) -> Facts:
    return Facts(
        months_overdue=new.months_overdue if new.months_overdue is not None else old.months_overdue,
        monthly_rate=new.monthly_rate if new.monthly_rate is not None else old.monthly_rate,
        judgment=old.judgment or new.judgment,
        secured=old.secured or new.secured,
        every=old.every or new.every,
    )


def _monthly_rate(match: re.Match[str]) -> float | None:
    """The rate as a fraction per month (see content/debt_intake.yml)."""
    data = cue_words().data
    fraction, per_month = _rate_fraction(match)
    if fraction is None or fraction <= 0:
        return None
    kind = cue_words().rate_kinds.get(match.group("cue") or "", "monthly")
    if kind == "bare" and not per_month:
        kind = "yearly" if fraction * 100 >= float(data["bare_rate_yearly_from"]) else "monthly"
    if kind == "yearly":
        fraction /= 12
    elif kind == "daily":
        fraction *= float(data["days_per_month"])
    return round(fraction, 6)


def _rate_fraction(match: re.Match[str]) -> tuple[float | None, bool]:
    """The rate as written, as a fraction; True when it is a monthly 分/厘 figure."""
    group = match.groupdict()
    scales = {"pct": 100, "pct_cn": 100, "ptt": 10000, "pt": 1000, "wan": 10000, "qian": 1000}
    for name, scale in scales.items():
        if group.get(name):
            value = plain_number(group[name])
            return (None if value is None else value / scale), False
    for name, scale in (("fen", 100), ("fen_alone", 100), ("li", 1000)):
        if group.get(name):
            value = plain_number(group[name])
            if value is not None and name == "fen" and group.get("fen_tenth"):
                tenth = plain_number(group["fen_tenth"])
                value += (tenth or 0) / 10
            return (None if value is None else value / scale), True
    return None, False


def plain_number(written: str) -> float | None:
    """18, 1.5, 十八, 一点五, 五 as numbers."""
    point = str(cue_words().data["rate_words"]["decimal_point"])
    whole, _, tenths = written.partition(point)
    if re.fullmatch(_ARABIC_NUMBER, written):
        return float(written)
    value = CN_DIGIT_VALUES.get(whole) if len(whole) == 1 else parse_number(whole)
    if value is None:
        return None
    digits = "".join(str(CN_DIGIT_VALUES.get(char, "")) for char in tenths)
    return float(value) + (float("0." + digits) if digits else 0.0)


def as_mention(draft: Draft) -> DebtMention:
    mention = draft.mention
    facts = draft.facts
    entry = mention.entry if mention else None
    return DebtMention(
        label=mention.label if mention else "",
        lender_type=draft.lender_type,
        balance=draft.balance,
        months_overdue=facts.months_overdue,
        monthly_rate=facts.monthly_rate,
        judgment=facts.judgment,
        secured=facts.secured or bool(entry and entry.secured),
        required_monthly=draft.required_monthly,
        approximate=draft.approximate,
        lender="" if entry is None or entry.generic else entry.canonical,
        claimed_total=draft.claimed_total,
    )
